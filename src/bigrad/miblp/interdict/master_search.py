"""Cheap search for master points between master MILP solves.

The master's value at an integer leader decision ``x`` is known without a solve: ``c_L @ x + lam *
max(0, max_r (rhs_r - coef_r @ x))`` over the cuts so far (:class:`CutPool`), if ``x`` satisfies the
leader rows and the reduction rows of :mod:`.leader_reductions`.  Every such ``x`` whose value is
below the cutoff (the incumbent minus the step) is a point the master MILP could return next; the
loop evaluates it (one follower solve, which also gives a cut tight at ``x``) instead of paying a
MILP solve for it.  :func:`search` walks swap neighbourhoods (one interdiction moved, then the
budget filled greedily) from the master's last point.  It only adds valid cuts and bilevel
feasible points, so the loop's correctness (it ends when the master MILP has no point below the
cutoff) does not depend on it; it only makes fewer MILP solves necessary.
"""
from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np

from .leader_reductions import binary, leader_packing

__all__ = ["CutPool", "Neighbourhood", "make_neighbourhood", "search"]

#: most entries (swaps x leader variables) one neighbourhood builds: a large budget over many items
#: has millions of swaps, of which the first ones (in index order) are kept
MAX_CELLS = 1 << 22


class CutPool:
    """The cuts ``eta >= rhs - coef @ x`` as a dense (cuts, n_leader) array that grows by doubling."""

    def __init__(self, nl: int):
        self.nl = nl
        self.coef = np.zeros((64, nl))
        self.rhs = np.zeros(64)
        self.size = 0

    def add(self, idx: np.ndarray, vals: np.ndarray, rhs: float) -> None:
        if self.size == self.rhs.size:
            self.coef = np.vstack([self.coef, np.zeros_like(self.coef)])
            self.rhs = np.append(self.rhs, np.zeros_like(self.rhs))
        self.coef[self.size] = 0.0
        self.coef[self.size, idx] = vals
        self.rhs[self.size] = rhs
        self.size += 1

    def eta(self, X: np.ndarray) -> np.ndarray:
        """(k,) the smallest ``eta >= 0`` satisfying every cut at each row of ``X`` (k, n_leader)."""
        if self.size == 0:
            return np.zeros(X.shape[0])
        k = self.size
        return np.maximum(0.0, np.max(self.rhs[:k, None] - self.coef[:k] @ X.T, axis=0))


class Neighbourhood:
    """Swap neighbours of a leader decision under one budget row ``a @ x <= b``, filled greedily
    (most valuable interdicted item first) and filtered by the reduction rows."""

    def __init__(self, a: np.ndarray, b: float, value: np.ndarray, rows: list):
        self.a, self.b = a, b
        self.order = np.argsort(-value, kind="stable")  # fill order: most valuable item first
        nl = a.size
        self.R = np.zeros((len(rows), nl))
        self.lo = np.zeros(len(rows))
        self.hi = np.zeros(len(rows))
        for r, (idx, vals, lo, hi) in enumerate(rows):
            self.R[r, idx] = vals
            self.lo[r], self.hi[r] = lo, hi

    def fill(self, X: np.ndarray) -> np.ndarray:
        """Each row of ``X`` (k, nl) with every item that still fits added, in :attr:`order`."""
        room = self.b - X @ self.a
        for v in self.order:
            add = (X[:, v] < 0.5) & (self.a[v] <= room + 1e-9)
            X[add, v] = 1.0
            room[add] -= self.a[v]
        return X

    def __call__(self, x: np.ndarray) -> np.ndarray:
        on, off = np.flatnonzero(x > 0.5), np.flatnonzero(x < 0.5)
        u, v = np.repeat(on, off.size), np.tile(off, on.size)
        ok = self.a[v] - self.a[u] <= self.b - float(self.a @ x) + 1e-9
        u, v = u[ok], v[ok]
        keep = max(1, MAX_CELLS // max(1, x.size))
        u, v = u[:keep], v[:keep]
        if u.size == 0:
            return np.zeros((0, x.size))
        X = np.repeat(x[None, :], u.size, axis=0)
        rows = np.arange(u.size)
        X[rows, u], X[rows, v] = 0.0, 1.0
        X = np.unique(self.fill(X), axis=0)
        act = X @ self.R.T
        keep = np.all((act >= self.lo - 1e-9) & (act <= self.hi + 1e-9), axis=1)
        return X[keep]


def search(x0: np.ndarray, neighbourhood: Neighbourhood, value: Callable[[np.ndarray], np.ndarray],
           cutoff: Callable[[], float], evaluate: Callable[[np.ndarray], bool], max_evals: int,
           max_seconds: float, max_steps: int = 200) -> int:
    """Evaluate up to ``max_evals`` decisions whose master value (``value``: (k, nl) -> (k,)) is below
    ``cutoff()``, found by a tabu walk over swap neighbourhoods from ``x0``: at each step every
    neighbour below the cutoff is evaluated (best first), then the walk moves to the best neighbour
    not visited yet.  ``evaluate(x)`` solves the follower at ``x`` and adds its cuts (False: stop).
    Returns the number of evaluations."""
    end = time.perf_counter() + max_seconds
    done = {x0.tobytes()}  # evaluated (their cuts are tight there)
    visited = {x0.tobytes()}
    x, evals = x0, 0
    for _ in range(max_steps):
        if evals >= max_evals or time.perf_counter() > end:
            break
        X = neighbourhood(x)
        if X.shape[0] == 0:
            break
        est = value(X)
        for i in np.argsort(est, kind="stable"):
            if est[i] >= cutoff() or evals >= max_evals:
                break
            key = X[i].tobytes()
            if key in done or value(X[i][None, :])[0] >= cutoff():
                continue  # a cut added in this walk already lifts it
            done.add(key)
            evals += 1
            if not evaluate(X[i]):
                return evals
        est = value(X)
        fresh = np.array([X[i].tobytes() not in visited for i in range(X.shape[0])])
        if not fresh.any():
            break
        k = int(np.flatnonzero(fresh)[np.argmin(est[fresh])])
        x = X[k]
        visited.add(x.tobytes())
    return evals


def make_neighbourhood(loop) -> Neighbourhood | None:
    """The :class:`Neighbourhood` of an :class:`~.value_function_cuts.InterdictionLoop` whose leader
    variables are binary under one packing row (a budget), else None."""
    p, s = loop.p, loop.s
    rows = s.leader_rows
    if rows.size != 1 or not binary(p, s.leader):
        return None
    A = leader_packing(p, rows, loop.A_lead)
    if A is None:
        return None
    a, b = A[0], float(p.row_upper[rows[0]])
    value = np.zeros(loop.nl)
    has = s.vub >= 0
    np.add.at(value, loop.lpos[s.vub[has]], np.maximum(s.w[has], 0.0))
    return Neighbourhood(a, b, value, loop.reduction_list)

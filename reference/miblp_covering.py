"""Covering-type MIBLP instances and a brute-force reference with LP subproblems.

Instances (variables ``[x (nx integer leader), y (nI integer follower), u (k continuous follower)]``)::

    min_x  cx @ x + cy @ y + cu @ u     s.t.  sum(x) <= budget,  0 <= x <= xmax
    (y, u) in argmin { fy @ y + fu @ u :  A u + B y >= b - Q x,  u >= 0,  0 <= y <= ymax }

with ``A >= 0`` (every row nonzero) and ``fu > 0``: the follower's LP in ``u``
is feasible for every right-hand side, so the KKT form of ``bigrad.miblp``
applies, while the vertex enumeration grows exponentially with ``k``.

:func:`bruteforce_follower_lp` reads only the raw arrays of the problem: for
every integer leader choice it enumerates every follower integer choice, solves
the follower's LP in ``u`` with ``scipy.optimize.linprog`` (value ``theta`` =
best over choices) and then, over the choices whose value is within ``tol`` of
``theta``, the leader's LP.
"""
from __future__ import annotations

import itertools
import math

import numpy as np
from scipy.optimize import linprog

from reference.miblp_bruteforce import BruteResult


def covering_instance(seed: int, *, k: int = 4, nx: int = 2, nI: int = 1, rows: int = 3, xmax: int = 3,
                      ymax: int = 2):
    """A seeded covering-type instance with ``k`` continuous follower variables."""
    from bigrad.miblp import Problem

    rng = np.random.default_rng(seed)
    n = nx + nI + k
    A = rng.integers(0, 6, size=(rows, k)).astype(float)
    A[np.arange(rows), rng.integers(0, k, size=rows)] += 1.0  # every row nonzero
    B = rng.integers(-3, 4, size=(rows, nI)).astype(float)
    Q = rng.integers(-3, 4, size=(rows, nx)).astype(float)
    b = rng.integers(2, 12, size=rows).astype(float)
    Af = np.hstack([Q, B, A])  # Q x + B y + A u >= b
    lead = np.concatenate([np.ones(nx), np.zeros(nI + k)])[None, :]
    c = np.concatenate([rng.integers(-5, 6, nx), rng.integers(-5, 6, nI), rng.integers(-3, 4, k)]).astype(float)
    fc = np.concatenate([np.zeros(nx), rng.integers(-4, 5, nI), rng.integers(1, 6, k)]).astype(float)
    return Problem(
        c=c, A=np.vstack([lead, Af]),
        row_lower=np.concatenate([[-np.inf], b]), row_upper=np.concatenate([[float(nx * xmax) / 2], np.full(rows, np.inf)]),
        lb=np.zeros(n), ub=np.concatenate([np.full(nx, float(xmax)), np.full(nI, float(ymax)), np.full(k, np.inf)]),
        integer=np.arange(n) < nx + nI, follower_vars=np.arange(n) >= nx,
        follower_rows=np.arange(rows + 1) >= 1, follower_c=fc, follower_sense="min",
        name=f"covering-{seed}-k{k}",
    )


def boxed_instance(seed: int, *, k: int = 4, nx: int = 2, nI: int = 1, rows: int = 3, xmax: int = 3,
                   ymax: int = 2, coupling: bool = True, leader_integer: bool = True):
    """A seeded instance whose follower's dual polyhedron has rays.

    Variables ``[x (nx integer leader), y (nI integer follower), u (k continuous follower)]``; the
    follower minimises ``fy @ y + fu @ u`` (``fu`` of any sign) over ``0 <= u <= ub_u`` (two finite
    bounds on every ``u``) and mixed-sign rows ``A u + B y + Q x >= b`` that are infeasible for
    some ``(x, y)``.  With ``coupling`` the leader also has a row on ``u``; without
    ``leader_integer`` the (linking) leader variables are continuous.
    """
    from bigrad.miblp import Problem

    rng = np.random.default_rng(seed)
    n = nx + nI + k
    A = rng.integers(-3, 4, size=(rows, k)).astype(float)
    A[np.arange(rows), rng.integers(0, k, size=rows)] = rng.choice([-2.0, 2.0, 3.0], size=rows)
    B = rng.integers(-3, 4, size=(rows, nI)).astype(float)
    Q = rng.integers(-3, 4, size=(rows, nx)).astype(float)
    ubu = rng.integers(1, 4, size=k).astype(float)
    # b near the largest achievable row value: infeasible for some leader and follower choices
    reach = np.maximum(A, 0) @ ubu
    b = np.floor(reach * rng.uniform(0.1, 0.6, size=rows)) + rng.integers(-2, 3, size=rows)
    Af = np.hstack([Q, B, A])
    lead = [np.concatenate([np.ones(nx), np.zeros(nI + k)])]
    lo, hi = [-np.inf], [float(nx * xmax) / 2 + 1]
    if coupling:
        lead.append(np.concatenate([np.zeros(nx + nI), rng.integers(0, 3, k)]).astype(float))
        lo.append(-np.inf)
        hi.append(float(lead[-1] @ np.concatenate([np.zeros(nx + nI), ubu])) * 0.8)
    c = np.concatenate([rng.integers(-5, 6, nx), rng.integers(-5, 6, nI), rng.integers(-4, 5, k)]).astype(float)
    fc = np.concatenate([np.zeros(nx), rng.integers(-4, 5, nI), rng.integers(-5, 6, k)]).astype(float)
    nl = len(lead)
    return Problem(
        c=c, A=np.vstack([*lead, Af]),
        row_lower=np.concatenate([lo, b]), row_upper=np.concatenate([hi, np.full(rows, np.inf)]),
        lb=np.zeros(n), ub=np.concatenate([np.full(nx, float(xmax)), np.full(nI, float(ymax)), ubu]),
        integer=(np.arange(n) < nx + nI) & ((np.arange(n) >= nx) | leader_integer),
        follower_vars=np.arange(n) >= nx,
        follower_rows=np.arange(rows + nl) >= nl, follower_c=fc, follower_sense="min",
        name=f"boxed-{seed}-k{k}",
    )


def _lp(c, A_ub, b_ub, bounds):
    out = linprog(c, A_ub=A_ub if len(b_ub) else None, b_ub=b_ub if len(b_ub) else None, bounds=bounds,
                  method="highs-ds")
    return out.status, (out.x if out.status == 0 else None), (out.fun if out.status == 0 else math.nan)


def _as_ub(A, lo, hi):
    """Rows ``lo <= A @ v <= hi`` as ``A_ub @ v <= b_ub``."""
    fin_hi, fin_lo = np.isfinite(hi), np.isfinite(lo)
    return np.vstack([A[fin_hi], -A[fin_lo]]), np.concatenate([hi[fin_hi], -lo[fin_lo]])


def bruteforce_follower_lp(p, tol: float = 1e-7) -> BruteResult:
    """Optimistic optimum by enumerating leader and follower integer choices (LP subproblems).

    Needs: all leader variables integer and bounded, follower integer
    variables bounded, a min-sense follower.
    """
    L = np.flatnonzero(~p.follower_vars)
    FI = np.flatnonzero(p.follower_vars & p.integer)
    FC = np.flatnonzero(p.follower_vars & ~p.integer)
    assert p.integer[L].all() and p.follower_sense == "min"
    fr = p.follower_rows
    best = BruteResult("infeasible", math.inf, None, 0)
    bounds = [(p.lb[j] if np.isfinite(p.lb[j]) else None, p.ub[j] if np.isfinite(p.ub[j]) else None) for j in FC]
    for xc in itertools.product(*[range(int(p.lb[j]), int(p.ub[j]) + 1) for j in L]):
        best.leader_choices += 1
        x = np.array(xc, dtype=float)
        vals = {}
        for yc in itertools.product(*[range(int(p.lb[j]), int(p.ub[j]) + 1) for j in FI]):
            y = np.array(yc, dtype=float)
            shift = p.A[fr][:, L] @ x + p.A[fr][:, FI] @ y
            Aub, bub = _as_ub(p.A[fr][:, FC], p.row_lower[fr] - shift, p.row_upper[fr] - shift)
            st, _, obj = _lp(p.follower_c[FC], Aub, bub, bounds)
            if st == 0:
                vals[yc] = obj + float(p.follower_c[FI] @ y)
            elif st != 2:
                raise ValueError(f"follower LP status {st}")
        if not vals:
            continue
        theta = min(vals.values())
        for yc, val in vals.items():
            if val > theta + tol * max(1.0, abs(theta)):
                continue
            y = np.array(yc, dtype=float)
            v = np.zeros(p.n)
            v[L], v[FI] = x, y
            shift = p.A @ v
            A = np.vstack([p.A[:, FC], p.follower_c[FC][None, :]])
            lo = np.append(p.row_lower - shift, -np.inf)
            hi = np.append(p.row_upper - shift, theta - float(p.follower_c[FI] @ y) + tol * max(1.0, abs(theta)))
            Aub, bub = _as_ub(A, lo, hi)
            st, z, obj = _lp(p.c[FC], Aub, bub, bounds)
            if st != 0:
                continue
            v[FC] = z
            val = float(p.c @ v) + p.objective_offset
            if val < best.objective - 1e-9:
                best = BruteResult("optimal", val, v, best.leader_choices)
    return best


def close(a: float, b: float) -> bool:
    """Objective values equal to 1e-5, relative (absolute below 1)."""
    return abs(a - b) <= 1e-5 * max(1.0, abs(b))


def agree(res, ref: BruteResult) -> bool:
    """A solver result ``res`` matches the brute force ``ref``: the same infeasibility, or optimal with a
    close objective and a point that passes its own bilevel-feasibility re-check."""
    if ref.status == "infeasible":
        return res.status == "infeasible"
    return res.status == "optimal" and close(res.objective, ref.objective) and res.bilevel_feasible

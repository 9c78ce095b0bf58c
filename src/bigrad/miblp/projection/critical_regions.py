"""Critical-region cuts: the "in the projection set" condition without dual bounds.

For a follower integer choice ``ybar`` the follower's LP in its continuous
variables (notation of :mod:`.reformulation`, max form) is::

    phi(x) = max { w_C @ u : G @ u <= h(x) },   h(x) = hy - TL @ x,   hy = h0 - TI @ ybar

with ``G`` (M, k) of rank ``k``.  An optimal simplex basis ``B`` (k rows of
``G``, the nonbasic constraints of HiGHS' basis) gives the dual vertex
``p`` (``p_B = G_B^{-T} w_C``, zero elsewhere) and the primal solution
``u_B(x) = G_B^{-1} h_B(x)``, affine in ``x``.  Dual feasibility of ``p`` does
not depend on ``x``, so on the *critical region*

    CR_B = { x : G_N G_B^{-1} h_B(x) <= h_N(x) } = { x : a_i @ x <= beta_i,  i in N }

``u_B(x)`` is feasible, complementary to ``p`` and hence optimal:
``phi(x) = p @ h(x)``.  The cut

    x in CR_B  =>  w @ v >= p @ h(x) + w_I @ ybar

is therefore implied by Yue et al.'s condition ("the LP at ``ybar`` is
infeasible, or the follower's value of the master point is at least
``phi(x) + w_I @ ybar``"): a master with these cuts stays a *relaxation*
whatever subset of bases it holds, so its bound is valid.  As a disjunction:
``a_i @ x > beta_i`` for some ``i in N`` (strict, made exact by integrality as
in :meth:`~.reformulation.Reformulation._strict_rhs`) or the value row.  Its
big-M constants are ranges of affine functions of the linking variables and
of the follower's value over the master's domain (primal quantities, bounded
by LPs); no bound on dual multipliers is needed, so rays of the dual
polyhedron (two-sided bounds on continuous follower variables, follower LPs
infeasible for some leader decisions) are no obstacle: an infeasible LP
needs no cut at all.

The cuts are separated lazily: at each master point and each enumerated
``ybar`` one LP (a persistent, warm-started HiGHS model whose row bounds
change) gives ``phi``; if the master point's follower value is below it, the
cut of the optimal basis is added.  That basis has ``x`` in its closed
critical region, so it was not in the master yet: at most one cut per basis,
and the loop is finite.  Each cut has at most ``M - k + 1`` alternatives.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..highs_backend import HighsModel, _to_highs_inf, run_model
from ..result import check_deadline

__all__ = ["RegionCut", "FollowerLP", "RangeLP"]


@dataclass
class RegionCut:
    """The cut of one basis at one follower integer choice.

    ``basis``: the k rows of ``G`` in the basis; ``p`` (M,) the dual vertex;
    the critical region is ``a @ x <= beta`` (``a``: (r, nL) over the leader
    columns, ``beta``: (r,), only the rows that depend on ``x``).
    """

    basis: tuple
    p: np.ndarray
    a: np.ndarray
    beta: np.ndarray


def _lp_model(c, A, rl, ru, lb, ub):
    """A persistent HiGHS LP ``min c @ x, rl <= A @ x <= ru, lb <= x <= ub`` (A: (m, n)),
    without presolve so that each re-solve starts from the previous basis."""
    return HighsModel(c, A, rl, ru, lb, ub, np.zeros(np.shape(A)[1], dtype=bool), presolve=False).h


class FollowerLP:
    """``max w_C @ u  s.t.  G @ u <= h`` as one persistent HiGHS model.

    ``G`` stacks ``T_C`` (``mf`` follower rows, HiGHS rows) and the finite bounds
    of ``u`` (HiGHS column bounds ``lb_C``, ``ub_C``), in the order of
    :class:`~.reformulation.Reformulation`: rows ``mf + [0, nub)`` are the finite
    upper bounds (columns ``ub_cols``), then the finite lower bounds (``lb_cols``).
    """

    def __init__(self, G: np.ndarray, wC: np.ndarray, mf: int, lbC: np.ndarray, ubC: np.ndarray):
        self.G = np.asarray(G, dtype=float)
        M, k = self.G.shape
        self.mf, self.k = mf, k
        self.ub_cols = np.flatnonzero(np.isfinite(ubC))
        self.lb_cols = np.flatnonzero(np.isfinite(lbC))
        self.ub_row = np.full(k, -1)
        self.ub_row[self.ub_cols] = mf + np.arange(self.ub_cols.size)
        self.lb_row = np.full(k, -1)
        self.lb_row[self.lb_cols] = mf + self.ub_cols.size + np.arange(self.lb_cols.size)
        if M != mf + self.ub_cols.size + self.lb_cols.size:
            raise ValueError(f"G has {M} rows, expected {mf} + {self.ub_cols.size} + {self.lb_cols.size}")
        self.wC = np.asarray(wC, dtype=float)
        self.h = _lp_model(-self.wC, self.G[:mf], np.full(mf, -np.inf), np.zeros(mf), lbC, ubC)
        self._rows = np.arange(mf, dtype=np.int32)
        self._ninf = _to_highs_inf(np.full(mf, -np.inf))

    def solve(self, h_rows: np.ndarray) -> tuple[str, float, np.ndarray | None, tuple | None]:
        """Solve with ``T_C @ u <= h_rows`` (mf,).

        Returns ``(status, value, u, basis)``: status 'optimal', 'infeasible',
        'unbounded' or 'error'; ``basis`` the k rows of ``G`` of HiGHS' optimal
        basis (None if it has a free nonbasic column).
        """
        import highspy

        check_deadline()
        h = self.h
        if self.mf:
            h.changeRowsBounds(self.mf, self._rows, self._ninf, _to_highs_inf(h_rows))
        run_model(h)  # on HiGHS's scheduler as it is, when it holds other threads
        MS = highspy.HighsModelStatus
        ms = h.getModelStatus()
        if ms == MS.kInfeasible:
            return "infeasible", -np.inf, None, None
        if ms in (MS.kUnbounded, MS.kUnboundedOrInfeasible):
            return "unbounded", np.inf, None, None
        if ms != MS.kOptimal:
            h.clearSolver()  # drop a possibly broken factorisation before the next call
            return "error", np.nan, None, None
        u = np.array(h.getSolution().col_value, dtype=float)
        basis = h.getBasis()
        BS = highspy.HighsBasisStatus
        rows = [i for i, s in enumerate(basis.row_status) if s != BS.kBasic]
        for j, s in enumerate(basis.col_status):
            if s == BS.kBasic:
                continue
            if s == BS.kUpper and self.ub_row[j] >= 0:
                rows.append(int(self.ub_row[j]))
            elif s in (BS.kLower, BS.kUpper) and self.lb_row[j] >= 0:
                rows.append(int(self.lb_row[j]))
            elif s == BS.kLower and self.ub_row[j] >= 0:  # fixed column reported at its lower bound
                rows.append(int(self.ub_row[j]))
            else:
                return "optimal", float(self.wC @ u), u, None
        return "optimal", float(self.wC @ u), u, tuple(sorted(rows)) if len(rows) == self.k else None

    def region_cut(self, basis: tuple, TLx: np.ndarray, hy: np.ndarray, x: np.ndarray,
                   phi: float) -> RegionCut | None:
        """The cut of ``basis`` (k rows of G) for ``h(x) = hy - TLx @ x`` (TLx: (M, nL)).

        Checked at the point ``x`` (nL,) where the LP value is ``phi``: None if the
        basis is numerically singular, not dual feasible, or does not reproduce ``phi``.
        """
        G, k = self.G, self.k
        B = np.array(basis, dtype=int)
        GB = G[B]
        if k and np.linalg.cond(GB) > 1e10:
            return None
        pB = np.linalg.solve(GB.T, self.wC) if k else np.zeros(0)
        scale = 1.0 + float(np.abs(pB).max(initial=0.0))
        if pB.size and pB.min() < -1e-7 * scale:
            return None
        pB = np.maximum(pB, 0.0)
        p = np.zeros(G.shape[0])
        p[B] = pB
        h = hy - TLx @ x
        if abs(float(p @ h) - phi) > 1e-6 * (1.0 + abs(phi)):
            return None
        N = np.setdiff1d(np.arange(G.shape[0]), B)
        Q = np.linalg.solve(GB.T, G[N].T).T if k else np.zeros((N.size, 0))  # (|N|, k) = G_N G_B^{-1}
        a = TLx[N] - Q @ TLx[B]
        beta = hy[N] - Q @ hy[B]
        amax = np.abs(a).max(axis=1, initial=0.0) if a.shape[1] else np.zeros(N.size)
        dep = amax > 1e-9 * (1.0 + np.abs(Q).max(initial=0.0)) * (1.0 + np.abs(TLx).max(initial=0.0))
        return RegionCut(tuple(basis), p, a[dep], beta[dep])


class RangeLP:
    """min and max of linear functions over one polyhedron ``rl <= A @ v <= ru, lb <= v <= ub``
    (a persistent HiGHS LP: only the objective changes, so each call is warm-started)."""

    def __init__(self, A: np.ndarray, rl: np.ndarray, ru: np.ndarray, lb: np.ndarray, ub: np.ndarray):
        self.n = A.shape[1]
        self.h = _lp_model(np.zeros(self.n), A, rl, ru, lb, ub)
        self._idx = np.arange(self.n, dtype=np.int32)

    def minimum(self, c: np.ndarray) -> float:
        """``min c @ v`` (``-inf`` if unbounded, ``inf`` if infeasible, ``nan`` on failure)."""
        import highspy

        check_deadline()
        h = self.h
        h.changeColsCost(self.n, self._idx, np.asarray(c, dtype=float))
        run_model(h)  # on HiGHS's scheduler as it is, when it holds other threads
        MS = highspy.HighsModelStatus
        ms = h.getModelStatus()
        if ms == MS.kOptimal:
            return float(h.getInfo().objective_function_value)
        if ms == MS.kInfeasible:
            return np.inf
        if ms == MS.kUnbounded:
            return -np.inf
        h.clearSolver()
        return np.nan

"""Exact enumeration of the leader's linking decisions, for small decision spaces.

Only the *linking* leader variables ``E`` (nonzero in some follower row)
change the follower's problem.  When they are all integer and bounded, the
bilevel problem splits into one problem per decision ``x_E``:

* (P6) the follower's problem at ``x_E`` gives its optimal value ``theta``;
* (P7) the best leader objective over the other variables (non-linking leader
  variables and the follower's), subject to every row and to the follower's
  value being within :func:`~bigrad.miblp.responses.optimality_tolerance` of ``theta``.

The best P7 value over all decisions is the optimum.  Decisions are visited in
increasing order of a lower bound (``c_E @ x_E`` plus the box minimum of the
other variables' cost), and the loop stops as soon as that bound reaches the
incumbent minus the tolerance; decisions violating a row that holds only
linking variables are dropped beforehand.  P6 and P7 are two persistent HiGHS
models (:class:`~bigrad.miblp.highs_backend.HighsModel`) whose row bounds change per
decision; for an all-integer follower with a small box, and non-linking leader
variables in no row, both are evaluated exactly over the follower's integer
grid with numpy instead.  ``solve(method="auto")`` uses this method when the
number of decisions is at most :data:`AUTO_MAX_CHOICES` (the measured crossover
against column-and-constraint generation on the bench instances).
"""
from __future__ import annotations

import math

import numpy as np

from .. import _sparse as sp
from ..highs_backend import HighsModel, MipOutcome
from ..loop_state import LoopState, build_result
from ..problem import Problem
from ..responses import optimality_tolerance
from ..result import MiblpResult, TimeUp, check_deadline, deadline_scope

__all__ = ["AUTO_MAX_CHOICES", "EnumerationNotApplicable", "leader_choices", "solve_by_enumeration"]

#: largest number of leader decisions that ``method="auto"`` enumerates
AUTO_MAX_CHOICES = 400
#: largest follower integer grid evaluated with numpy (points, and points x rows)
GRID_MAX, GRID_CELLS = 4096, 2_000_000
#: fewest decisions for which LP bounds are computed first (below: the box bound's order)
LP_ORDER_MIN = 8
#: largest number of decisions sorted by their bound (beyond: visited in lexicographic order)
SORT_MAX = 1_000_000


class EnumerationNotApplicable(Exception):
    """The enumeration met an unbounded subproblem; the caller falls back to another method."""


def linking_mask(p: Problem) -> np.ndarray:
    """(n,) bool: leader variables with a nonzero coefficient in some follower row."""
    if p.m == 0 or not p.follower_rows.any():
        return np.zeros(p.n, bool)
    return p.columns_used(p.follower_rows) & ~p.follower_vars


def _box_count(lb: np.ndarray, ub: np.ndarray) -> int:
    """Integer points of the box ``[lb, ub]`` (finite bounds), exact: a Python int, so that
    hundreds of binaries (2**300 points) neither overflow nor turn into ``inf``."""
    sizes = np.floor(ub) - np.ceil(lb) + 1
    return 0 if np.any(sizes <= 0) else math.prod(int(s) for s in sizes)


def leader_choices(p: Problem) -> int | None:
    """Number of linking leader decisions, None if a linking variable is continuous or unbounded."""
    E = np.flatnonzero(linking_mask(p))
    if not p.integer[E].all() or not (np.isfinite(p.lb[E]).all() and np.isfinite(p.ub[E]).all()):
        return None
    return _box_count(p.lb[E], p.ub[E])


def _box_min(c: np.ndarray, lb: np.ndarray, ub: np.ndarray) -> np.ndarray:
    """Per-entry minimiser of ``c_j v_j`` over ``[lb_j, ub_j]`` (may be infinite)."""
    return np.where(c > 0, lb, np.where(c < 0, ub, np.clip(0.0, lb, ub)))


class _Enumerator:
    def __init__(self, state: LoopState):
        p = self.p = state.p
        self.state = state
        link = linking_mask(p)
        self.E = np.flatnonzero(link)
        self.R = np.flatnonzero(~link)  # free variables of P7
        F = self.F = p.follower_idx
        A = p.A  # dense or sparse, as stored
        A_E = A[:, self.E]
        self.A_E = A_E.toarray() if sp.issparse(A_E) else A_E
        self.frows = np.flatnonzero(p.follower_rows)
        self.sign = 1.0 if p.follower_sense == "min" else -1.0
        self.fc = p.follower_c[F]
        # lower bound of the free part of the leader objective (constant over decisions)
        vmin = _box_min(p.c[self.R], p.lb[self.R], p.ub[self.R])
        terms = p.c[self.R] * vmin
        self.free_min = float(np.sum(terms[p.c[self.R] != 0])) if np.all(np.isfinite(vmin[p.c[self.R] != 0])) \
            else -math.inf
        self.sorted = True
        self.tol = lambda ub: max(state.abs_gap, state.gap * abs(ub))
        self._setup_grid(A)
        if self.grid is None:
            A_F = A[self.frows][:, F]
            self.p6 = HighsModel(self.sign * self.fc, A_F, p.row_lower[self.frows], p.row_upper[self.frows],
                                 p.lb[F], p.ub[F], p.integer[F])
            fc_R = p.follower_c[self.R][None, :]
            A_R = sp.vstack([A[:, self.R], sp.csr_matrix(fc_R)], format="csc") if p.is_sparse \
                else np.vstack([A[:, self.R], fc_R])
            self.p7 = HighsModel(p.c[self.R], A_R, np.append(p.row_lower, -np.inf), np.append(p.row_upper, np.inf),
                                 p.lb[self.R], p.ub[self.R], p.integer[self.R])
            self.R_in_F = np.searchsorted(self.R, F)  # positions of the follower variables among R
            self.pol6: HighsModel | None = None  # LPs of _polish, built on first use
            self.pol7: HighsModel | None = None
            self.fint = p.integer[F]

    # ------------------------------------------------------------ grid evaluation
    def _setup_grid(self, A) -> None:
        p, F = self.p, self.F
        self.grid: np.ndarray | None = None
        others = np.setdiff1d(self.R, F)
        if not p.integer[F].all() or not (np.isfinite(p.lb[F]).all() and np.isfinite(p.ub[F]).all()):
            return
        sizes = p.ub[F] - p.lb[F] + 1
        if np.prod(sizes, dtype=float) > GRID_MAX or np.prod(sizes, dtype=float) * max(p.m, 1) > GRID_CELLS:
            return
        if others.size and p.rows_used(others).any():
            return  # non-linking leader variables in some row: P7 needs an LP
        fixed = _box_min(p.c[others], p.lb[others], p.ub[others])
        if not np.isfinite(fixed).all():
            return
        axes = [np.arange(lo, hi + 1) for lo, hi in zip(p.lb[F], p.ub[F])]
        Y = np.stack(np.meshgrid(*axes, indexing="ij"), axis=-1).reshape(-1, F.size).astype(float)
        self.grid = Y
        self.others, self.others_val = others, fixed
        self.g_fval = self.sign * (Y @ self.fc)
        self.g_act = np.asarray((A[:, F] @ Y.T).T).reshape(Y.shape[0], p.m)
        self.g_cost = Y @ p.c[F] + float(p.c[others] @ fixed)
        lo_abs = np.where(np.isfinite(p.row_lower), np.abs(p.row_lower), 0.0)
        hi_abs = np.where(np.isfinite(p.row_upper), np.abs(p.row_upper), 0.0)
        self.g_slack = 1e-9 * (1.0 + np.maximum(lo_abs, hi_abs))  # row feasibility tolerance

    def _grid_choice(self, x: np.ndarray, shift: np.ndarray):
        """(value, full vector) of the best bilevel response at decision ``x``, or None."""
        p = self.p
        lo, hi = p.row_lower - shift, p.row_upper - shift
        ok_rows = (self.g_act >= lo - self.g_slack) & (self.g_act <= hi + self.g_slack)
        feas_f = ok_rows[:, self.frows].all(axis=1)
        if not feas_f.any():
            return None
        theta = float(self.g_fval[feas_f].min())
        ok = feas_f & (self.g_fval <= theta + 1e-9 * max(1.0, abs(theta))) & ok_rows.all(axis=1)
        if not ok.any():
            return None
        k = np.flatnonzero(ok)[np.argmin(self.g_cost[ok])]
        v = np.zeros(p.n)
        v[self.E] = x
        assert self.grid is not None  # used only with a grid (solve_by_enumeration's evaluate)
        v[self.F] = self.grid[k]
        v[self.others] = self.others_val
        return p.leader_objective(v), v

    # ------------------------------------------------------------ HiGHS evaluation
    def _highs_choice(self, x: np.ndarray, shift: np.ndarray):
        p = self.p
        self.p6.set_row_bounds(p.row_lower[self.frows] - shift[self.frows], p.row_upper[self.frows] - shift[self.frows])
        p6 = self._ok(self.p6.solve(), "follower")
        if p6 is None:
            return None
        theta = self.sign * p6.objective
        const = float(p.c[self.E] @ x) + p.objective_offset
        lo, hi = self._theta_row(theta, optimality_tolerance(theta))
        self.p7.set_row_bounds(np.append(p.row_lower - shift, lo), np.append(p.row_upper - shift, hi))
        # only points beating the incumbent by more than the tolerance matter (polishing never improves)
        ub = self.state.ub
        cutoff = ub - self.tol(ub) - const if math.isfinite(ub) else None
        p7 = self._ok(self.p7.solve(cutoff=cutoff), "optimistic")
        if p7 is None:
            return None
        z = p7.x
        assert z is not None  # _ok passes only status 'optimal', which comes with a point
        excess = self.sign * (float(self.fc @ z[self.R_in_F]) - theta)  # how far from optimal, >= 0
        if not self.fint.all() and excess > 1e-9 * max(1.0, abs(theta)):
            z = self._polish(z, shift)
        v = np.zeros(p.n)
        v[self.E] = x
        v[self.R] = z
        return p.leader_objective(v), v

    def _theta_row(self, theta: float, band: float) -> tuple[float, float]:
        """Bounds of the follower-value row (follower's own sense) for value ``theta`` within ``band``."""
        return (-math.inf, theta + band) if self.sign > 0 else (theta - band, math.inf)

    def _polish(self, z: np.ndarray, shift: np.ndarray) -> np.ndarray:
        """Keep P7's follower integer part, recompute the follower's LP value ``theta_I`` there and
        re-solve P7 within 1e-9 of it, so the leader cannot exploit the 1e-6 band (see
        :func:`~bigrad.miblp.responses.optimistic_response`); on numerical failure keep ``z``."""
        p, F = self.p, self.F
        yi = np.round(z[self.R_in_F][self.fint])
        lb6, ub6 = p.lb[F].copy(), p.ub[F].copy()
        lb6[self.fint] = ub6[self.fint] = yi
        lb7, ub7 = p.lb[self.R].copy(), p.ub[self.R].copy()
        pos = self.R_in_F[self.fint]
        lb7[pos] = ub7[pos] = yi
        if self.pol6 is None:  # integers fixed: LPs (non-linking integer leader variables stay integer)
            m6, m7 = self.p6, self.p7
            self.pol6 = HighsModel(m6.c, m6.A, m6.row_lower, m6.row_upper, m6.lb, m6.ub, np.zeros(F.size, bool))
            self.pol7 = HighsModel(m7.c, m7.A, m7.row_lower, m7.row_upper, m7.lb, m7.ub,
                                   p.integer[self.R] & ~p.follower_vars[self.R])
        assert self.pol7 is not None  # built together with pol6
        self.pol6.set_row_bounds(self.p6.row_lower, self.p6.row_upper)
        self.pol6.set_col_bounds(lb6, ub6)
        lp = self.pol6.solve()
        if lp.status != "optimal":
            return z
        theta_i = self.sign * lp.objective
        lo, hi = self._theta_row(theta_i, 1e-9 * max(1.0, abs(theta_i)))
        self.pol7.set_row_bounds(np.append(p.row_lower - shift, lo), np.append(p.row_upper - shift, hi))
        self.pol7.set_col_bounds(lb7, ub7)
        pol = self.pol7.solve()
        if pol.status != "optimal":
            return z
        assert pol.x is not None  # status 'optimal' always comes with a point
        return pol.x

    def _ok(self, out: MipOutcome, what: str) -> MipOutcome | None:
        if out.status == "optimal":
            return out
        if out.status in ("infeasible", "cutoff"):
            return None
        if out.status == "time_limit":
            raise TimeUp
        if out.status == "unbounded":
            raise EnumerationNotApplicable(f"the {what} problem is unbounded at some leader decision")
        raise RuntimeError(f"{what} problem during the leader enumeration ended with status {out.status!r}")

    # ------------------------------------------------------------------ driver
    def _count(self) -> int:
        p, E = self.p, self.E
        return _box_count(p.lb[E], p.ub[E]) if E.size else 1

    def decisions(self):
        """Yield ``(bound, x)`` in increasing bound order (lexicographic beyond :data:`SORT_MAX`)."""
        p, E = self.p, self.E
        ranges = [np.arange(math.ceil(p.lb[j]), math.floor(p.ub[j]) + 1, dtype=float) for j in E]
        count = self._count()
        base = self.free_min + p.objective_offset
        only_E = self._rows_only_on_E()
        self.sorted = count <= SORT_MAX
        self.floor = base + float(np.sum(np.minimum(p.c[E] * p.lb[E], p.c[E] * p.ub[E])))
        if self.sorted:
            X = np.stack(np.meshgrid(*ranges, indexing="ij"), axis=-1).reshape(-1, E.size) if E.size \
                else np.zeros((1, 0))
            keep = self._rows_hold(X, only_E)
            X = X[keep]
            bound = X @ p.c[E] + base
            for k in np.argsort(bound, kind="stable"):
                yield float(bound[k]), X[k]
            return
        import itertools

        for choice in itertools.product(*ranges):
            x = np.array(choice, dtype=float)
            if self._rows_hold(x[None, :], only_E)[0]:
                yield float(x @ p.c[E]) + base, x

    def _rows_only_on_E(self) -> np.ndarray:
        return np.flatnonzero(~self.p.rows_used(self.R))

    def _rows_hold(self, X: np.ndarray, rows: np.ndarray) -> np.ndarray:
        p = self.p
        if rows.size == 0:
            return np.ones(X.shape[0], bool)
        act = X @ self.A_E[rows].T
        lo, hi = p.row_lower[rows], p.row_upper[rows]
        return np.all((act >= lo - 1e-9 * (1 + np.abs(lo))) & (act <= hi + 1e-9 * (1 + np.abs(hi))), axis=1)

    def _lp_bound(self, x: np.ndarray, shift: np.ndarray) -> float:
        """Value of the LP relaxation of the high-point problem at decision ``x`` (inf: infeasible)."""
        p = self.p
        self.lp.set_row_bounds(p.row_lower - shift, p.row_upper - shift)
        out = self.lp.solve()
        if out.status == "optimal":
            return out.objective + float(p.c[self.E] @ x) + p.objective_offset
        if out.status == "infeasible":
            return math.inf
        if out.status == "time_limit":
            raise TimeUp
        return -math.inf

    def _by_lp_bound(self):
        """Decisions re-ordered by the LP bound (warm-started dual simplex, far cheaper than the
        two MILPs per decision); decisions with an infeasible relaxation are dropped."""
        p = self.p
        # LP relaxation of the high-point problem at a decision: a lower bound of its P7 value
        self.lp = HighsModel(p.c[self.R], p.A[:, self.R], p.row_lower, p.row_upper, p.lb[self.R], p.ub[self.R],
                             np.zeros(self.R.size, bool))
        got = []
        for box, x in self.decisions():
            bound = max(box, self._lp_bound(x, self.A_E @ x))
            if bound < math.inf:
                got.append((bound, x))
        got.sort(key=lambda t: t[0])
        return got

    def run(self) -> float:
        """Enumerate; returns a lower bound on the decisions not evaluated (inf: none left)."""
        st = self.state
        evaluate = self._grid_choice if self.grid is not None else self._highs_choice
        order = self.decisions()
        if self.grid is None and LP_ORDER_MIN <= self._count() <= SORT_MAX:
            order = iter(self._by_lp_bound())
        for bound, x in order:
            if math.isfinite(st.ub) and bound >= st.ub - self.tol(st.ub):
                if self.sorted:
                    return bound  # every remaining decision has a bound at least this one
                continue
            self.pending = bound if self.sorted else self.floor
            check_deadline()  # the numpy grid path calls no solver
            st.iterations += 1
            shift = self.A_E @ x
            got = evaluate(x, shift)
            if got is not None and got[0] < st.ub:
                st.ub, st.incumbent = got
        return math.inf


def solve_by_enumeration(state: LoopState, deadline: float | None) -> MiblpResult:
    """Enumerate the linking decisions (see module docstring).

    Under a limit or Ctrl-C the result's ``lower_bound`` is the bound of the
    first decision not yet evaluated (decisions are visited in bound order).

    Raises
    ------
    EnumerationNotApplicable
        A follower or optimistic subproblem is unbounded (the caller uses
        column-and-constraint generation instead).
    """
    p = state.p
    status, message = "optimal", "every leader decision enumerated or bounded out"
    enum = None
    try:
        with deadline_scope(deadline):
            enum = _Enumerator(state)
            enum.pending = -math.inf
            rest = enum.run()
            state.lb = min(state.ub, rest)
    except TimeUp:
        status, message = "time_limit", "time limit reached while enumerating leader decisions"
    except KeyboardInterrupt:
        status, message = "interrupted", "interrupted (Ctrl-C); the best point found so far is returned"
    if status != "optimal":
        pending = -math.inf if enum is None else getattr(enum, "pending", -math.inf)
        state.lb = min(state.ub, pending)
    elif state.incumbent is None:
        status, message = "infeasible", "no leader decision has a bilevel feasible response"
    return build_result(p, status, message, state.lb, state.ub, state.incumbent, state.iterations, state.start,
                        method="enumerate", timings=state.timings)

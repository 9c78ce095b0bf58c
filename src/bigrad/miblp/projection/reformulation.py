"""Exact single-level constraints for one enumerated follower integer choice.

Notation (max form of the follower, ``w`` = follower objective times +-1):
the follower rows are rewritten as ``T @ v <= s`` (``T``: (mf, n)).  For a
fixed choice ``ybar`` of the follower integer variables, the follower's LP in
its continuous variables ``u`` is ``max w_C @ u  s.t.  G @ u <= h(x, ybar)``
where ``G`` stacks ``T[:, C]`` and the finite bounds of ``u``, and
``h = h0 - [T_L @ x + T_I @ ybar; 0]`` (``L`` leader, ``I`` follower integer,
``C`` follower continuous columns).

Yue et al. (2019) require, for each enumerated ``ybar`` ("in the projection
set" condition), that either the LP at ``ybar`` is infeasible or the
follower's value of the master point is at least the LP value plus
``w_I @ ybar``.  With the vertices ``V`` and extreme rays ``R`` of the dual
polyhedron (:mod:`.dual_polyhedron`) this condition is *exactly* the
disjunction of linear constraints in the master variables

* ``w @ v + gx(p) @ x >= p @ h0 - gy(p) @ ybar + w_I @ ybar``  for a vertex ``p``
  (``gx(p) = T_L.T @ p_T``, ``gy(p) = T_I.T @ p_T``), or
* ``gx(r) @ x > r @ h0 - gy(r) @ ybar``  for a ray ``r`` (Farkas certificate of
  infeasibility; the strict inequality is made exact by integrality when only
  integer leader variables with commensurable coefficients occur, otherwise a
  documented tolerance ``strict_tol`` is used).

No dual variables, complementarity or McCormick products are needed; the big-M
constants come from the bounds of the linking leader variables (declared or
implied by the constraints) and from a valid bound on the follower's value.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np

from ..highs_backend import solve_mip
from ..problem import Problem
from .critical_regions import FollowerLP, RangeLP
from .dual_polyhedron import enumerate_dual, enumeration_size
from .kkt_blocks import NO_FOLLOWER_POINT, KktBlock, KktData, NormalizedKkt, build_kkt

__all__ = ["AUTO_ORDER", "AUTO_ORDER_CONTINUOUS_LINKING", "DUAL_FORMS", "Disjunct", "ColumnCut", "Reformulation"]

#: accepted values of ``dual``
DUAL_FORMS = ("auto", "kkt", "regions", "enumerate")
#: forms tried in turn by ``dual="auto"`` (the exponential enumeration only if both are invalid)
AUTO_ORDER = ("regions", "kkt")
#: ... when some linking leader variable is continuous (enumeration first if it is small, see __init__)
AUTO_ORDER_CONTINUOUS_LINKING = ("kkt", "regions")


@dataclass
class Disjunct:
    """One alternative ``coef @ v >= rhs`` (v: (n,)); ``coef @ v >= rhs - big_m``
    holds for every point the master problem can take."""

    coef: np.ndarray
    rhs: float
    big_m: float
    kind: str  # "value" or "infeasible"


@dataclass
class ColumnCut:
    """The constraints generated for one follower integer choice ``y``."""

    y: tuple
    disjuncts: list[Disjunct] = field(default_factory=list)
    redundant: bool = False  # some alternative always holds: nothing to add


def _box_range(g: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> tuple[float, float]:
    """min and max of ``g @ x`` over the box ``lo <= x <= hi`` (zero terms skipped)."""
    nz = g != 0
    if not nz.any():
        return 0.0, 0.0
    g, lo, hi = g[nz], lo[nz], hi[nz]
    a, b = g * lo, g * hi
    with np.errstate(invalid="ignore"):
        return float(np.minimum(a, b).sum()), float(np.maximum(a, b).sum())


class Reformulation:
    """Preprocessed data shared by the master problem and the column generator.

    Attributes (n variables):
      lower, upper : (n,) bounds used in the master (declared bounds tightened
                     by implied bounds of linking and follower integer variables)
      w            : (n,) follower objective in max form
      theta_min/max: valid bounds on the follower's optimal value
      infeasible   : the high-point relaxation (or the follower's relaxation) is
                     infeasible, hence so is the bilevel problem
      exact        : False if a strict inequality had to use ``strict_tol``
    """

    def __init__(self, problem: Problem, *, strict_tol: float = 1e-6, max_enumeration: int = 200_000,
                 max_lps: int = 4000, dual: str = "auto"):
        if dual not in DUAL_FORMS:
            raise ValueError(f"dual must be one of {', '.join(map(repr, DUAL_FORMS))}, got {dual!r}")
        self.problem = p = problem
        self.kkt: KktData | NormalizedKkt | None = None  # set when the KKT blocks are used
        self.regions: FollowerLP | None = None  # set when the critical-region cuts are used
        self._stall_lp: FollowerLP | None = None  # FollowerLP of the cuts added at pinned points of normalised KKT blocks
        self.dual_form = ""  # "kkt", "regions" or "enumerate" once set up
        self.dual_note = ""  # why a polynomial form was not used
        self.region_failures = 0  # separations without a usable basis (numerical trouble)
        self.lazy_cutoff = False  # the CCG may stop master solves at their first point below UB
        self.strict_tol = strict_tol
        self.exact = True
        self.infeasible = False
        self.w = p.follower_c * (1.0 if p.follower_sense == "max" else -1.0)
        self.leader = p.leader_idx
        self.follower = p.follower_idx
        self.link = p.linking_idx
        self.fint = np.flatnonzero(p.follower_vars & p.integer)
        self.fcont = np.flatnonzero(p.follower_vars & ~p.integer)
        self.lower = p.lb.copy()
        self.upper = p.ub.copy()

        # ---- follower rows as T v <= s
        rows_T, rows_s = [], []
        for i in np.flatnonzero(p.follower_rows):
            if np.isfinite(p.row_upper[i]):
                rows_T.append(p.row(i))
                rows_s.append(p.row_upper[i])
            if np.isfinite(p.row_lower[i]):
                rows_T.append(-p.row(i))
                rows_s.append(-p.row_lower[i])
        self.T = np.array(rows_T, dtype=float).reshape(-1, p.n)
        self.s = np.array(rows_s, dtype=float)

        if not self._implied_bounds():
            self.infeasible = True
            return

        # ---- follower LP in the continuous follower variables
        C = self.fcont
        ub_fin = C[np.isfinite(p.ub[C])]
        lb_fin = C[np.isfinite(p.lb[C])]
        k = C.size
        G_parts = [self.T[:, C]]
        h_parts = [self.s]
        if ub_fin.size:
            G_parts.append(np.eye(p.n)[ub_fin][:, C])
            h_parts.append(p.ub[ub_fin])
        if lb_fin.size:
            G_parts.append(-np.eye(p.n)[lb_fin][:, C])
            h_parts.append(-p.lb[lb_fin])
        self.h0 = np.concatenate(h_parts)
        self.G = np.vstack(G_parts) if k else np.zeros((self.h0.size, 0))
        self.mf = self.T.shape[0]
        notes = []
        order: tuple[str, ...] = AUTO_ORDER if p.integer[self.link].all() else AUTO_ORDER_CONTINUOUS_LINKING
        if dual == "auto" and not p.integer[self.link].all() and k:
            # continuous linking variables: the master's points carry HiGHS' tolerance, which the
            # lazily separated cuts act on; prefer the forms that hold for all of them at once
            rank = int(np.linalg.matrix_rank(self.G))
            if enumeration_size(self.G.shape[0], rank) <= max_enumeration:
                order = ("kkt",)
        for form in order if dual == "auto" else (dual,):
            if form == "kkt" and self._try_kkt(k):
                self.dual_form = "kkt"
                return
            if form == "regions" and self._try_regions(k):
                self.dual_form = "regions"
                return
            if form != "enumerate":
                notes.append(f"{form}: {self.dual_note}")
        self.dual_note = "; ".join(notes)
        if dual != "auto" and dual != "enumerate":
            raise ValueError(f"dual={dual!r} is not available for this problem: {self.dual_note}")
        self.dual_form = "enumerate"
        V, R = enumerate_dual(self.G, self.w[C], limit=max_enumeration)
        if V.shape[0] == 0:
            raise ValueError(
                "the follower's problem is unbounded: its LP in the continuous follower variables "
                "has no dual feasible point, so it is unbounded whenever it is feasible"
            )
        self.V, self.R = V, R
        L, I = self.leader, self.fint
        self.V_gx = V[:, : self.mf] @ self.T[:, L]  # (nv, nL)
        self.V_gy = V[:, : self.mf] @ self.T[:, I]  # (nv, nI)
        self.V_c0 = V @ self.h0
        self.R_gx = R[:, : self.mf] @ self.T[:, L]
        self.R_gy = R[:, : self.mf] @ self.T[:, I]
        self.R_c0 = R @ self.h0
        self._follower_value_bounds()
        self._disjunct_ranges(max_lps)

    # ------------------------------------------------------------ preprocessing
    def _try_kkt(self, k: int) -> bool:
        """Set up the polynomial KKT blocks (:mod:`.kkt_blocks`); False (with ``dual_note``) if not valid."""
        if k == 0:
            self.dual_note = "no continuous follower variables (the enumeration is trivial)"
            return False
        p, M, L, I = self.problem, self.G.shape[0], self.leader, self.fint
        TL = np.zeros((M, p.n))
        TL[: self.mf, L] = self.T[:, L]
        TI = np.zeros((M, I.size))
        TI[: self.mf] = self.T[:, I]
        data, reason = build_kkt(self.G, self.w[self.fcont], TL, TI, self.h0, self.w, self.w[I],
                                 self.lower[L], self.upper[L], self.lower[I], self.upper[I], L,
                                 value_bounds=self._hpr_value_bounds)
        if self.infeasible or reason == NO_FOLLOWER_POINT:  # a proof that the bilevel problem is infeasible
            self.infeasible = True
            return True
        if reason == "empty":
            raise ValueError(
                "the follower's problem is unbounded: its LP in the continuous follower variables "
                "has no dual feasible point, so it is unbounded whenever it is feasible"
            )
        if data is None:
            self.dual_note = reason
            return False
        self.kkt = data
        self.theta_min, self.theta_max = data.theta_min, data.theta_max
        return True

    def _try_regions(self, k: int) -> bool:
        """Set up the critical-region cuts (:mod:`.critical_regions`); False (with ``dual_note``) if not valid."""
        if k == 0:
            self.dual_note = "no continuous follower variables (the enumeration is trivial)"
            return False
        p, G, C = self.problem, self.G, self.fcont
        if np.linalg.matrix_rank(G) < k:
            self.dual_note = ("some direction of the continuous follower variables is bounded by no follower "
                              "constraint (rank of the constraint matrix < number of continuous variables)")
            return False
        M, wC = G.shape[0], self.w[C]
        out = solve_mip(np.zeros(M), G.T, wC, wC, np.zeros(M), np.full(M, np.inf), np.zeros(M, bool))
        if out.status == "infeasible":
            raise ValueError(
                "the follower's problem is unbounded: its LP in the continuous follower variables "
                "has no dual feasible point, so it is unbounded whenever it is feasible"
            )
        bounds = list(self._hpr_value_bounds(floor=False))
        if self.infeasible:
            return True
        bounds[0] = max(bounds[0], self._value_floor())
        if not np.isfinite(bounds[0]):
            self.dual_note = ("the follower's optimal value has no finite lower bound (neither over the "
                              "high-point relaxation nor by duality), so the cuts' big-M constants do not exist")
            return False
        self.theta_min, self.theta_max = bounds
        self.regions = FollowerLP(G, wC, self.mf, p.lb[C], p.ub[C])
        self._cut_keys: set = set()
        # master solves stopped at their first point below UB (solver.py): only with integer linking
        # variables, whose master points are exact (with continuous ones a point off by the HiGHS
        # tolerance can make the follower's problem infeasible where it has a single solution)
        self.lazy_cutoff = bool(p.integer[self.link].all())
        self._range = RangeLP(p.A_with_rows(self.w), np.append(p.row_lower, self.theta_min),
                              np.append(p.row_upper, self.theta_max), self.lower, self.upper)
        return True

    def _hpr_value_bounds(self, floor: bool = True) -> tuple[float, float]:
        """Valid bounds on the follower's value ``w @ v`` at every bilevel feasible point: LPs over
        the high-point relaxation (the master's domain without cuts), the lower one raised to
        :meth:`_value_floor` with ``floor``.  Sets ``infeasible`` if the relaxation is infeasible."""
        p, L, I, M = self.problem, self.leader, self.fint, self.G.shape[0]
        self.TLx = np.zeros((M, L.size))
        self.TLx[: self.mf] = self.T[:, L]
        self.TIy = np.zeros((M, I.size))
        self.TIy[: self.mf] = self.T[:, I]
        cont = np.zeros(p.n, bool)
        bounds = []
        for sign in (1.0, -1.0):
            out = solve_mip(sign * self.w, p.A, p.row_lower, p.row_upper, self.lower, self.upper, cont)
            if out.status == "infeasible":
                self.infeasible = True
                return -np.inf, np.inf
            val = sign * out.objective if out.status == "optimal" else -sign * np.inf
            bounds.append(val - sign * 1e-7 * (1.0 + abs(val)) if np.isfinite(val) else val)
        if floor:
            bounds[0] = max(bounds[0], self._value_floor())
        return bounds[0], bounds[1]

    def _value_floor(self) -> float:
        """A lower bound of the follower's optimal value over the leader's box, by weak duality.

        Over the boxes of the linking and follower integer variables each entry of
        ``h(x, y)`` is at least ``hmin``; every ``p`` of the dual polyhedron is
        non-negative, so ``phi(h) = min_p p @ h >= min_p p @ hmin`` (one LP) whenever
        the follower's LP is feasible, and the follower's value is at least
        ``min_box w_I @ y + min_p p @ hmin``.  ``-inf`` if that LP is unbounded.
        """
        L, I = self.leader, self.fint
        hmin = self.h0.copy()
        for TX, lo, hi in ((self.TLx, self.lower[L], self.upper[L]), (self.TIy, self.lower[I], self.upper[I])):
            for i in range(hmin.size):
                hmin[i] -= _box_range(TX[i], lo, hi)[1]
        wI, M = self.w[I], self.G.shape[0]
        if not np.all(np.isfinite(hmin)):
            return -np.inf
        wC = self.w[self.fcont]
        out = solve_mip(hmin, self.G.T, wC, wC, np.zeros(M), np.full(M, np.inf), np.zeros(M, bool))
        if out.status != "optimal":
            return -np.inf
        val = _box_range(wI, self.lower[I], self.upper[I])[0] + out.objective
        return val - 1e-7 * (1.0 + abs(val))

    def separate(self, v: np.ndarray, columns) -> list[ColumnCut]:
        """Critical-region cuts (:mod:`.critical_regions`) violated by the master point ``v`` (n,), one per
        enumerated follower integer choice in ``columns`` at most; ``[]`` for the other dual forms."""
        if self.regions is None:
            return []
        cuts = [self._region_cut(np.asarray(y, dtype=float), v) for y in columns]
        return [c for c in cuts if c is not None]

    def stall_cut(self, ybar, v: np.ndarray) -> ColumnCut | None:
        """With the normalised KKT blocks (:class:`~.kkt_blocks.NormalizedKkt`): the critical-region cut
        (:mod:`.critical_regions`) of the known follower integer choice ``ybar`` violated by the master point
        ``v`` (n,), or None.  Such a point exists only where the follower's LP at ``ybar`` is pinned
        (empty relative interior), where the normalised block is weaker than the condition."""
        if not isinstance(self.kkt, NormalizedKkt):
            return None
        if self._stall_lp is None:
            p, C = self.problem, self.fcont
            if np.linalg.matrix_rank(self.G) < C.size or not np.isfinite(self.theta_min):
                return None
            self._stall_lp = FollowerLP(self.G, self.w[C], self.mf, p.lb[C], p.ub[C])
            self._cut_keys = set()
            self._range = RangeLP(p.A_with_rows(self.w), np.append(p.row_lower, self.theta_min),
                                  np.append(p.row_upper, self.theta_max), self.lower, self.upper)
        return self._region_cut(np.asarray(ybar, dtype=float), np.asarray(v, dtype=float), self._stall_lp)

    def _region_cut(self, ybar: np.ndarray, v: np.ndarray, lp: FollowerLP | None = None) -> ColumnCut | None:
        """The cut of the follower LP's optimal basis at ``(x, ybar)`` if ``v`` violates it, else None."""
        L, I, mf = self.leader, self.fint, self.mf
        lp = self.regions if lp is None else lp
        assert lp is not None  # called without lp only where self.regions is set
        x = v[L]
        hy = self.h0 - self.TIy @ ybar
        status, phi, _, basis = lp.solve(hy[:mf] - self.TLx[:mf] @ x)
        if status == "infeasible":
            return None  # the condition holds: the choice ybar is not available at x
        if status == "unbounded":
            raise RuntimeError("the follower's LP is unbounded although its dual is feasible (numerical trouble)")
        wI_y = float(self.w[I] @ ybar)
        target = phi + wI_y if status == "optimal" else np.nan
        if status == "optimal" and float(self.w @ v) >= target - 1e-7 * max(1.0, abs(target)):
            return None
        key = (tuple(ybar), basis)
        cut = None if basis is None or key in self._cut_keys else lp.region_cut(basis, self.TLx, hy, x, phi)
        if cut is None:
            self.region_failures += 1
            return None
        self._cut_keys.add(key)
        out = ColumnCut(y=tuple(float(t) for t in ybar))
        gx = cut.p @ self.TLx
        gx[np.abs(gx) <= 1e-12 * (1.0 + np.abs(gx).max(initial=0.0))] = 0.0
        coef = self._lhs(gx, True)
        rhs = float(cut.p @ hy) + wI_y
        lowest = self._lowest(coef, gx)
        if lowest >= rhs:
            return None
        out.disjuncts.append(Disjunct(coef, rhs, rhs - lowest, "value"))
        lo_x, hi_x = self.lower[L], self.upper[L]
        for a, beta in zip(cut.a, cut.beta):
            a = np.where(np.abs(a) > 1e-12 * np.abs(a).max(), a, 0.0)
            t, exact = self._strict_rhs(a, float(beta))
            low, high = _box_range(a, lo_x, hi_x)
            if high < t:
                continue  # x never leaves the region through this row
            coef_a = self._lhs(a, False)
            high = min(high, -self._range.minimum(-coef_a) + 1e-9 * (1.0 + abs(high)))
            if high < t:
                continue  # ... nor within the high-point relaxation
            low = max(low, self._lowest(coef_a, None))
            if not exact:
                self.exact = False
            out.disjuncts.append(Disjunct(coef_a, t, t - low, "outside"))
        return out

    def _lowest(self, coef: np.ndarray, gx: np.ndarray | None) -> float:
        """A lower bound of ``coef @ v`` over the master's domain (LP over the high-point relaxation
        with the follower's value bounds; ``gx`` the leader part of a value row, for the fallback)."""
        val = self._range.minimum(coef)
        if np.isfinite(val):
            return val - 1e-9 * (1.0 + abs(val))
        if gx is None:
            return -np.inf
        return self.theta_min + _box_range(gx, self.lower[self.leader], self.upper[self.leader])[0]

    def _bound_lp(self, cols: np.ndarray, rows_mask: np.ndarray, target: int | np.integer, lo, hi, sign: float):
        """min ``sign * v[target]`` over rows ``rows_mask`` and boxes of ``cols``."""
        p = self.problem
        c = np.zeros(cols.size)
        c[np.flatnonzero(cols == target)[0]] = sign
        return solve_mip(c, p.A[rows_mask][:, cols], p.row_lower[rows_mask], p.row_upper[rows_mask],
                         lo[cols], hi[cols], np.zeros(cols.size, bool))

    def _implied_bounds(self) -> bool:
        """Give finite bounds to linking leader and follower integer variables.

        Returns False if a relaxation used here is infeasible (bilevel infeasible).
        Raises ValueError naming the variable if no finite bound exists.
        """
        p = self.problem
        all_cols = np.arange(p.n)
        all_rows = np.ones(p.m, bool)
        for j in self.link:
            for side, sign in (("lower", 1.0), ("upper", -1.0)):
                cur = self.lower[j] if side == "lower" else self.upper[j]
                if np.isfinite(cur):
                    continue
                out = self._bound_lp(all_cols, all_rows, j, p.lb, p.ub, sign)
                if out.status == "infeasible":
                    return False
                if out.status != "optimal":
                    rows = [p.row_names[i] if p.row_names else str(i)
                            for i in np.flatnonzero(p.follower_rows & p.rows_used([j]))][:3]
                    raise ValueError(
                        f"leader variable {p.var_name(j)} appears in follower constraints ({', '.join(rows)}) "
                        f"but has no finite {side} bound and none is implied by the constraints; "
                        f"the reformulation needs bounds on such (linking) variables"
                    )
                val = sign * out.objective
                pad = 1e-7 * (1.0 + abs(val))
                if side == "lower":
                    self.lower[j] = math.ceil(val - 1e-6) if p.integer[j] else val - pad
                else:
                    self.upper[j] = math.floor(val + 1e-6) if p.integer[j] else val + pad
        # follower integer variables: implied by the follower rows for leader decisions in the box
        cols = np.concatenate([self.link, self.follower]).astype(int)
        for j in self.fint:
            for side, sign in (("lower", 1.0), ("upper", -1.0)):
                cur = self.lower[j] if side == "lower" else self.upper[j]
                if np.isfinite(cur):
                    continue
                out = self._bound_lp(cols, p.follower_rows, j, self.lower, self.upper, sign)
                if out.status == "infeasible":
                    return False
                if out.status != "optimal":
                    raise ValueError(
                        f"follower integer variable {p.var_name(j)} has no finite {side} bound and none is "
                        f"implied by the follower constraints; the algorithm enumerates follower integer "
                        f"choices and needs them bounded"
                    )
                val = sign * out.objective
                if side == "lower":
                    self.lower[j] = math.ceil(val - 1e-6)
                else:
                    self.upper[j] = math.floor(val + 1e-6)
        return bool(np.all(self.lower <= self.upper))

    def _follower_value_bounds(self) -> None:
        """theta_min <= follower's optimal value <= theta_max for all leader decisions in the box."""
        L, I = self.leader, self.fint
        lo_x, hi_x = self.lower[L], self.upper[L]
        lo_y, hi_y = self.lower[I], self.upper[I]
        wI = self.w[I]
        tmin, tmax = math.inf, math.inf
        for q in range(self.V.shape[0]):
            xmin, xmax = _box_range(self.V_gx[q], lo_x, hi_x)
            ymin, ymax = _box_range(wI - self.V_gy[q], lo_y, hi_y)
            tmin = min(tmin, self.V_c0[q] - xmax + ymin)
            tmax = min(tmax, self.V_c0[q] - xmin + ymax)
        self.theta_min, self.theta_max = tmin, tmax

    def _lhs(self, gx: np.ndarray, with_w: bool) -> np.ndarray:
        coef = np.zeros(self.problem.n)
        if with_w:
            coef[self.follower] = self.w[self.follower]
        coef[self.leader] = gx
        return coef

    def _disjunct_ranges(self, max_lps: int) -> None:
        """Box bounds of each disjunct's left-hand side on the master's domain.

        ``theta_min <= w @ v <= theta_max`` and the bounds of the linking
        variables give ``V_range`` (vertices) and ``R_range`` (rays), shape
        (count, 2).  :meth:`_tight_range` later tightens the ones that are used.
        """
        L = self.leader
        lo_x, hi_x = self.lower[L], self.upper[L]
        self.V_range = np.array([[self.theta_min + a, self.theta_max + b]
                                 for a, b in (_box_range(g, lo_x, hi_x) for g in self.V_gx)]).reshape(-1, 2)
        self.R_range = np.array([_box_range(g, lo_x, hi_x) for g in self.R_gx]).reshape(-1, 2)
        self._tightened: set[tuple[str, int]] = set()
        self._lp_budget = max_lps
        p = self.problem
        self._base = (p.A_with_rows(self.w), np.append(p.row_lower, self.theta_min),
                      np.append(p.row_upper, self.theta_max))
        self._base_lp: RangeLP | None = None

    def _tight_range(self, kind: str, q: int) -> np.ndarray:
        """Range of a disjunct's left-hand side, tightened (once, cached) by
        minimising/maximising it over the LP relaxation of the master without
        columns (all rows, the value bounds and the variable bounds): smaller
        big-M constants and fewer useless alternatives."""
        rng = self.V_range if kind == "value" else self.R_range
        if (kind, q) in self._tightened or self._lp_budget < 2:
            return rng[q]
        self._tightened.add((kind, q))
        self._lp_budget -= 2
        coef = self._lhs((self.V_gx if kind == "value" else self.R_gx)[q], kind == "value")
        if self._base_lp is None:  # one persistent LP: each range is an objective change (warm start)
            self._base_lp = RangeLP(*self._base, self.lower, self.upper)
        for k, sign in ((0, 1.0), (1, -1.0)):
            val = sign * self._base_lp.minimum(sign * coef)
            if math.isfinite(val):
                pad = 1e-9 * (1.0 + abs(val))
                rng[q, k] = max(rng[q, k], val - pad) if k == 0 else min(rng[q, k], val + pad)
        return rng[q]

    # ------------------------------------------------------------------ columns
    def column(self, ybar, v: np.ndarray | None = None) -> ColumnCut | KktBlock:
        """Disjunctive constraints (or the KKT block) for the follower integer choice ``ybar`` (nI,).

        With the critical-region cuts, the cut violated by the master point ``v`` (n,) if any
        (further ones come from :meth:`separate`).
        """
        ybar = np.asarray(ybar, dtype=float).reshape(self.fint.size)
        if self.kkt is not None:
            return self.kkt.block(ybar)
        if self.regions is not None:
            cut = None if v is None else self._region_cut(ybar, np.asarray(v, dtype=float))
            return cut if cut is not None else ColumnCut(y=tuple(float(t) for t in ybar), redundant=True)
        cut = ColumnCut(y=tuple(float(v) for v in ybar))
        scale = 1.0 + float(np.abs(self.h0).max(initial=0.0))
        wI_y = float(self.w[self.fint] @ ybar)
        rhs_v = self.V_c0 - self.V_gy @ ybar + wI_y
        keep = []
        for q in range(self.V.shape[0]):
            for tight in (False, True):
                lowest, highest = self._tight_range("value", q) if tight else self.V_range[q]
                if lowest >= rhs_v[q]:
                    cut.redundant = True
                    return cut
                if highest < rhs_v[q] - 1e-9 * scale:
                    break  # this vertex can never certify the value
            else:
                keep.append(q)
        for q in self._undominated(keep, rhs_v):
            cut.disjuncts.append(Disjunct(self._lhs(self.V_gx[q], True), rhs_v[q], rhs_v[q] - self.V_range[q, 0],
                                          "value"))
        if self.fint.size == 0:
            # without follower integers the LP at ybar = () is feasible at every master
            # point (the master's own follower part is feasible): no infeasibility branch
            return cut
        rays: list[tuple[int, float, bool]] = []
        for q in range(self.R.shape[0]):
            gx = self.R_gx[q]
            beta = self.R_c0[q] - float(self.R_gy[q] @ ybar)  # infeasible iff gx @ x > beta
            if np.abs(gx).max(initial=0.0) <= 1e-12:
                if beta < -1e-9 * scale:
                    cut.redundant = True  # ybar is infeasible for every leader decision
                    return cut
                continue
            rhs, exact = self._strict_rhs(gx, beta)
            for tight in (False, True):
                lowest, highest = self._tight_range("infeasible", q) if tight else self.R_range[q]
                if lowest >= rhs:
                    cut.redundant = True
                    return cut
                if highest < rhs - 1e-9 * scale:
                    break
            else:
                rays.append((q, rhs, exact))
        for q, rhs, exact in self._uncontained(rays):
            if not exact:
                self.exact = False
            cut.disjuncts.append(Disjunct(self._lhs(self.R_gx[q], False), rhs, rhs - self.R_range[q, 0],
                                          "infeasible"))
        return cut

    def _undominated(self, cand: list[int], rhs_v: np.ndarray) -> list[int]:
        """Drop vertices that never give the unique smallest bound on the follower's value.

        The value alternatives say ``w @ v >= min_q (rhs_v[q] - gx_q @ x)``.  A
        vertex ``q`` whose term is never strictly below all remaining ones for
        linking values in their box can be removed without changing the minimum
        (checked by the LP ``max s  s.t.  s <= term_u(x) - term_q(x)  for all u``).
        Vertices are removed one at a time, so the minimum never changes.
        """
        if len(cand) <= 1 or len(cand) > 200:
            return cand
        link = np.flatnonzero(np.isin(self.leader, self.link))
        lo = np.append(self.lower[self.leader][link], -np.inf)
        hi = np.append(self.upper[self.leader][link], np.inf)
        integ = np.zeros(link.size + 1, bool)
        kept = list(cand)
        for q in list(cand):
            others = [u for u in kept if u != q]
            if not others:
                break
            # s + (gx_u - gx_q) @ x <= rhs_u - rhs_q  (term_u - term_q >= s)
            A = np.hstack([self.V_gx[others][:, link] - self.V_gx[q][link], np.ones((len(others), 1))])
            ub = rhs_v[others] - rhs_v[q]
            c = np.zeros(link.size + 1)
            c[-1] = -1.0
            out = solve_mip(c, A, np.full(len(others), -np.inf), ub, lo, hi, integ)
            if out.status == "optimal" and -out.objective <= 1e-9 * (1.0 + np.abs(ub).max()):
                kept.remove(q)
        return kept

    def _uncontained(self, rays: list[tuple[int, float, bool]]) -> list[tuple[int, float, bool]]:
        """Drop infeasibility alternatives whose region lies inside another one's.

        ``{x in box : gx_r @ x >= t_r}`` is contained in ``{gx_u @ x >= t_u}`` iff
        ``min {gx_u @ x : gx_r @ x >= t_r, x in box} >= t_u`` (an LP over the box of
        the linking variables, a superset of the master's domain).  Alternatives
        are removed one at a time against the remaining ones, so the union of the
        regions never changes.
        """
        if len(rays) <= 1 or len(rays) > 60:
            return rays
        link = np.flatnonzero(np.isin(self.leader, self.link))
        lo = self.lower[self.leader][link]
        hi = self.upper[self.leader][link]
        integ = np.zeros(link.size, bool)
        kept = list(rays)
        support = {q: self.R_gx[q][link] != 0 for q, _, _ in rays}
        for item in list(rays):
            q, t_q, _ = item
            g_q = self.R_gx[q][link]
            for other in kept:
                u, t_u, _ = other
                if u == q or not (support[u] & support[q]).any():
                    # disjoint supports: the LP below is the box minimum of gx_u @ x, and an
                    # alternative holding on the whole box was already found always true
                    continue
                out = solve_mip(self.R_gx[u][link], g_q[None, :], np.array([t_q]), np.array([np.inf]), lo, hi, integ)
                if out.status == "infeasible" or (
                    out.status == "optimal" and out.objective >= t_u + 1e-9 * (1.0 + abs(t_u))
                ):
                    kept.remove(item)
                    break
        return kept

    def _strict_rhs(self, g: np.ndarray, beta: float) -> tuple[float, bool]:
        """Smallest ``t`` with ``g @ x > beta  <=>  g @ x >= t`` over feasible leader values.

        Exact when every leader variable with ``g != 0`` is integer and the
        nonzero coefficients are commensurable (ratios with denominators <= 10**4):
        then ``g @ x`` lies on a lattice ``unit * Z``.  Otherwise ``beta + strict_tol``
        (scaled by ``max |g|``) is returned and the flag is False.
        """
        L = self.leader
        nz = np.flatnonzero(np.abs(g) > 1e-12 * np.abs(g).max())
        gmax = float(np.abs(g[nz]).max())
        unit = None
        if nz.size == 1 and self.problem.integer[L[nz[0]]]:  # one integer variable: the lattice is g_j * Z
            unit = gmax
        elif self.problem.integer[L[nz]].all():
            base = float(np.abs(g[nz]).min())
            ratios = g[nz] / base
            fracs = [Fraction(float(r)).limit_denominator(10_000) for r in ratios]
            if all(abs(float(f) - r) <= 1e-9 * max(1.0, abs(r)) for f, r in zip(fracs, ratios)):
                lcm = 1
                for f in fracs:
                    lcm = lcm * f.denominator // math.gcd(lcm, f.denominator)
                gcd = 0
                for v in (int(f * lcm) for f in fracs):
                    gcd = math.gcd(gcd, abs(v))
                unit = base * gcd / lcm
        if unit is not None:
            t = beta / unit
            k = round(t) if abs(t - round(t)) <= 1e-7 * max(1.0, abs(t)) else math.floor(t)
            return unit * (k + 1), True
        return beta + self.strict_tol * max(1.0, gmax), False

    # ------------------------------------------------------------ unboundedness
    def improving_ray(self) -> np.ndarray | None:
        """A direction ``r`` (n,) proving unboundedness once a bilevel feasible point is known.

        ``r`` keeps every row and bound satisfied along the ray, does not move the
        linking leader variables nor the follower integer variables (so the
        follower's problem and optimal value are unchanged), keeps the follower's
        objective constant (``w @ r = 0``: optimal responses stay optimal) and
        decreases the leader objective (``c @ r <= -1``).  Conversely, if no such
        ``r`` exists the bilevel problem is bounded (its value function is a
        finite union of bounded linear pieces over a compact set of linking
        decisions).  Returns None when no such direction exists.
        """
        p = self.problem
        rl = np.where(np.isfinite(p.row_lower), 0.0, -np.inf)
        ru = np.where(np.isfinite(p.row_upper), 0.0, np.inf)
        lo = np.where(np.isfinite(p.lb), 0.0, -np.inf)
        hi = np.where(np.isfinite(p.ub), 0.0, np.inf)
        fixed = np.concatenate([self.link, self.fint]).astype(int)
        lo[fixed] = 0.0
        hi[fixed] = 0.0
        A = p.A_with_rows(self.w, p.c)
        out = solve_mip(np.zeros(p.n), A, np.concatenate([rl, [0.0, -np.inf]]), np.concatenate([ru, [0.0, -1.0]]),
                        lo, hi, np.zeros(p.n, bool))
        return out.x if out.status == "optimal" else None

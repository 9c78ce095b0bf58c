"""Zero-sum interdiction with a monotone follower: value-function cut loop.

Detected structure (MibS's interdiction form is one instance of it):

* leader rows involve leader variables only;
* every follower row is either a *packing* row (follower variables only,
  non-negative coefficients, finite ``row_upper >= 0``, no lower side), or a
  *VUB* row ``a x_k + b y_j <= r`` with ``x_k`` a binary leader variable,
  ``a >= r >= 0``, ``b > 0`` and ``b ub_j <= r`` (``x_k = 1`` forces
  ``y_j = 0``; ``x_k = 0`` leaves ``y_j`` free); at most one VUB row per ``y_j``;
* follower variables have ``lb = 0`` and finite ``ub``;
* zero sum: the leader objective on the follower variables is ``lam * w``
  (``lam > 0``) where the follower maximises ``w @ y``.

Then for any ``yhat`` feasible for the packing rows and bounds, ``yhat`` with
the interdicted entries set to 0 is a follower response at every leader
decision, so the follower's value ``Phi(x)`` satisfies the value-function cut
``Phi(x) >= sum_j w_j^+ yhat_j (1 - x_k(j))``.  The master
``min c_L @ x + lam * eta`` s.t. leader rows and all cuts is a relaxation;
it is solved only until its first point below the incumbent value minus the
tolerance (HiGHS ``objective_bound`` plus ``mip_max_improving_sols = 1``, or,
without leader costs, as a feasibility problem with ``lam * eta`` bounded by that
value; the step is 1 when all objective values are integers).  The master also
holds the dominance and maximality rows of :mod:`.leader_reductions`, which keep
an optimal leader decision, and between master solves :mod:`.master_search`
evaluates nearby decisions that the master would accept.  The follower's MILP at
that ``x`` (and at :data:`NEIGHBOURS` one-swap neighbours of it) gives an
upper bound and new ``yhat`` (lifted greedily with interdicted items, which
strengthens the cut elsewhere).  A point's own cut is tight at that point, so
no leader decision is returned twice and the loop ends when the master has no
point below the cutoff: then the incumbent is optimal within the tolerance.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .. import _sparse as sp
from ..highs_backend import HighsModel, MipOutcome
from ..problem import Problem
from .leader_reductions import reduction_rows
from .master_search import CutPool

__all__ = ["InterdictionStructure", "detect_interdiction"]

_TOL = 1e-9
#: swap neighbours evaluated per iteration (each: one follower solve, one exact cut)
NEIGHBOURS = 3
#: add the dominance and maximality rows of :mod:`.leader_reductions` to the master
REDUCTIONS = True
#: first-point masters without leader costs as feasibility problems (``eta`` bounded by the cutoff)
FEASIBILITY_MASTER = True
#: largest (items x (capacity + 1)) for which a 0-1 knapsack follower is separated by dynamic programming
DP_MAX_CELLS = 20_000_000


@dataclass
class InterdictionStructure:
    """Index data of a detected zero-sum monotone interdiction problem.

    leader, follower : variable indices (``problem.leader_idx``, ``follower_idx``)
    vub : (n_follower,) leader variable interdicting each follower variable, -1 if none
    pack_rows : follower packing rows
    leader_rows : rows with leader variables only
    w : (n_follower,) follower objective in max form; lam > 0 with ``c[F] = lam * w``
    """

    leader: np.ndarray
    follower: np.ndarray
    vub: np.ndarray
    pack_rows: np.ndarray
    leader_rows: np.ndarray
    w: np.ndarray
    lam: float


def detect_interdiction(p: Problem) -> InterdictionStructure | None:
    """The structure above if ``p`` has it, else None (cheap: one pass over ``A``)."""
    L, F = p.leader_idx, p.follower_idx
    if F.size == 0 or L.size == 0:
        return None
    if np.any(p.lb[F] != 0) or not np.all(np.isfinite(p.ub[F])):
        return None
    w = p.follower_c[F] * (1.0 if p.follower_sense == "max" else -1.0)
    cF = p.c[F]
    scale = float(np.max(np.abs(w))) if w.size else 0.0
    if scale == 0.0:
        return None
    k = int(np.argmax(np.abs(w)))
    lam = cF[k] / w[k]
    if not lam > 0 or not np.allclose(cF, lam * w, rtol=1e-9, atol=1e-12 * scale * abs(lam)):
        return None
    is_leader = np.zeros(p.n, bool)
    is_leader[L] = True
    binary_leader = is_leader & p.integer & (p.lb == 0) & (p.ub == 1)
    fpos = -np.ones(p.n, int)
    fpos[F] = np.arange(F.size)
    vub = -np.ones(F.size, int)
    pack, lead = [], []
    A = p.A_csr
    for i in range(p.m):
        seg = slice(A.indptr[i], A.indptr[i + 1])
        nz, vals = A.indices[seg], A.data[seg]
        keep = vals != 0
        nz, vals = nz[keep], vals[keep]
        lo, hi = p.row_lower[i], p.row_upper[i]
        if not p.follower_rows[i]:
            if np.any(~is_leader[nz]):
                return None
            lead.append(i)
            continue
        if np.isfinite(lo) or not np.isfinite(hi) or hi < 0:
            return None
        lnz = nz[is_leader[nz]]
        if lnz.size == 0:
            if np.any(vals < 0):
                return None
            pack.append(i)
            continue
        if lnz.size != 1 or nz.size != 2 or not binary_leader[lnz[0]]:
            return None
        xk = int(lnz[0])
        yj = int(nz[nz != xk][0])
        a, b, j = float(vals[nz == xk][0]), float(vals[nz == yj][0]), fpos[yj]
        if not (b > 0 and a >= hi - _TOL and b * p.ub[yj] <= hi + _TOL) or vub[j] >= 0:
            return None
        vub[j] = xk
    return InterdictionStructure(L, F, vub, np.array(pack, int), np.array(lead, int), w, float(lam))


class InterdictionLoop:
    """Master and follower HiGHS models (:class:`~bigrad.miblp.highs_backend.HighsModel`) kept alive across iterations."""

    def __init__(self, p: Problem, s: InterdictionStructure):
        self.p, self.s = p, s
        L, F = s.leader, s.follower
        self.nl, self.nf = L.size, F.size
        # ---- master: min c_L @ x + lam * eta over [x (leader), eta], leader rows, then the cuts;
        # HiGHS' default tolerances; feasibility jump finds master points below the cutoff early
        self.A_lead = p.A_csr[s.leader_rows][:, L].tocsr()  # (leader rows, n_leader)
        rows, A = s.leader_rows, self.A_lead
        A_master = sp.csr_matrix((A.data, A.indices, A.indptr), shape=(rows.size, self.nl + 1))  # eta: no entries
        self.master = HighsModel(np.append(p.c[L], s.lam), A_master, p.row_lower[rows], p.row_upper[rows],
                                 np.append(p.lb[L], self._eta_lower()), np.append(p.ub[L], np.inf),
                                 np.append(p.integer[L], False), strict=False, feasibility_jump=True, presolve=False)
        # ---- follower: max w @ y over packing rows, bounds changed per x
        P = p.A_csr[s.pack_rows][:, F].tocsr()  # packing rows (sparse, never densified)
        self.cap = p.row_upper[s.pack_rows]
        self.follower_lb, self.follower_ub = p.lb[F], p.ub[F]
        self.follower = HighsModel(-s.w, P, np.full(P.shape[0], -np.inf), self.cap, self.follower_lb,
                                   self.follower_ub, p.integer[F], strict=False)
        # ---- separation at fractional master points (:meth:`separate`): the follower's packing
        # problem with profits w_j (1 - x_k(j)), an LP copy of the master kept in step with its cuts
        self.separator = HighsModel(-s.w, P, np.full(P.shape[0], -np.inf), self.cap, self.follower_lb,
                                    self.follower_ub, p.integer[F], strict=False)
        self.lp_master = HighsModel(np.append(p.c[L], s.lam), A_master, p.row_lower[rows], p.row_upper[rows],
                                    np.append(p.lb[L], self._eta_lower()), np.append(p.ub[L], np.inf),
                                    np.zeros(self.nl + 1, bool), strict=False, presolve=False)
        self.P = P.tocsc()  # column access in lift()
        self.P_csr = P
        self._dp = self._dp_setup()
        self.substitute = True  # separate() also adds substitution cuts
        self.lpos = -np.ones(p.n, int)
        self.lpos[L] = np.arange(self.nl)
        self.cuts = 0
        self._feasibility = False  # master in feasibility form (see _solve_feasibility)
        self.pool = CutPool(self.nl)
        self.reductions = 0  # rows of leader_reductions in the master
        self._reductions_added = False
        self.reduction_list: list = []
        if REDUCTIONS:
            dense = P.toarray() if P.shape[0] * self.nf <= 1_000_000 else None
            self.reduction_list = reduction_rows(p, s, self.A_lead, dense)
            self.add_reductions()

    def add_reductions(self) -> None:
        """Add the rows of :mod:`.leader_reductions` to the master and its LP copy (once; the constructor
        does it when :data:`REDUCTIONS`).  They could come at any time: the master stays a relaxation of
        the problem restricted to decisions among which an optimal one lies, so an incumbent that
        violates them stays an upper bound, and a master with no point below the cutoff still proves
        it optimal.  (Added only from the second master on, they made K5040W02/W03/W06 0.1-0.2 s faster
        but K5030W02, K5040W04 and K5050W04 0.4-0.7 s slower: the first master's point changes.)"""
        if self._reductions_added:
            return
        self._reductions_added = True
        for idx, vals, lo, hi in self.reduction_list:
            self.master.add_row(idx, vals, lo, hi)
            self.lp_master.add_row(idx, vals, lo, hi)
            self.reductions += 1

    def _eta_lower(self) -> float:
        # the follower can always answer y = 0 (packing rows have rhs >= 0), so Phi >= 0
        return 0.0

    def solve_master(self, remaining: float | None, cutoff: float = math.inf, first: bool = False) -> MipOutcome:
        """:meth:`HighsModel.solve <.highs_backend.HighsModel.solve>` of the master within ``remaining``
        seconds; ``x`` is the leader part (n_leader,), the objective excludes the offset.

        ``cutoff``: only points with objective below it are of interest; status 'cutoff' means
        there is none.  ``first``: stop at the first such point (status 'feasible').
        """
        if FEASIBILITY_MASTER and first and math.isfinite(cutoff) and not np.any(self.p.c[self.s.leader]):
            out = self._solve_feasibility(remaining, cutoff)
        else:
            self._set_master_mode(feasibility=False, eta_upper=math.inf)
            out = self.master.solve(time_limit=remaining, cutoff=cutoff, first=first, unwind=False)
        if out.status not in ("optimal", "feasible", "cutoff", "infeasible", "time_limit"):
            raise RuntimeError(f"interdiction master problem ended with status {out.status} {out.message}".rstrip())
        if out.x is not None:
            out.x = out.x[: self.nl]
        return out

    def _set_master_mode(self, feasibility: bool, eta_upper: float) -> None:
        """Master objective ``lam * eta`` (or 0 for a feasibility problem) and ``eta <= eta_upper``."""
        if feasibility != self._feasibility:
            self.master.h.changeColCost(self.nl, 0.0 if feasibility else self.s.lam)
            self._feasibility = feasibility
        if eta_upper != self.master.ub[self.nl]:
            ub = self.master.ub.copy()
            ub[self.nl] = eta_upper
            self.master.set_col_bounds(self.master.lb, ub)

    def _solve_feasibility(self, remaining: float | None, cutoff: float) -> MipOutcome:
        """The first-point master with no leader costs as a feasibility problem: any point with
        ``lam * eta <= cutoff`` (the bound on ``eta`` lets HiGHS propagate every cut as a row on ``x``,
        which finds the point or proves there is none in far fewer nodes than the objective bound).
        Status 'feasible' with the master's value ``lam * max(cuts)`` at the point, or 'cutoff'."""
        if cutoff < 0:
            return MipOutcome("cutoff", None, math.nan, float(cutoff), "no point below the cutoff")
        self._set_master_mode(feasibility=True, eta_upper=cutoff / self.s.lam)
        out = self.master.solve(time_limit=remaining, unwind=False)
        if out.status == "infeasible":
            return MipOutcome("cutoff", None, math.nan, float(cutoff), "no point below the cutoff")
        if out.status == "optimal":
            assert out.x is not None
            xl = np.round(out.x[: self.nl]) + 0.0
            value = self.s.lam * float(self.pool.eta(xl[None, :])[0])
            return MipOutcome("feasible", out.x, value, -math.inf)
        out.dual_bound = -math.inf  # the feasibility problem's dual bound is not the master's
        return out

    def interdicted(self, xl: np.ndarray) -> np.ndarray:
        """(n_follower,) bool: follower variables forced to 0 by the leader decision ``xl``."""
        v = self.s.vub
        out = np.zeros(self.nf, bool)
        has = v >= 0
        out[has] = xl[self.lpos[v[has]]] > 0.5
        return out

    def solve_follower(self, xl, remaining):
        """``(status, y, value)`` of the follower's MILP at leader decision ``xl``."""
        ub = self.follower_ub.copy()
        ub[self.interdicted(xl)] = 0.0
        self.follower.set_col_bounds(self.follower_lb, ub)
        out = self.follower.solve(time_limit=remaining, unwind=False)
        if out.status == "optimal":
            return "optimal", out.x, float(self.s.w @ out.x)
        if out.status == "time_limit":
            return "time_limit", None, math.nan
        raise RuntimeError(f"interdiction follower problem ended with status {out.status} {out.message}".rstrip())

    def lift(self, y: np.ndarray) -> np.ndarray:
        """Greedily raise entries of the feasible ``y`` (best ``w`` per unit of capacity first)."""
        y = y.copy()
        w = self.s.w
        ub = self.p.ub[self.s.follower]
        ints = self.p.integer[self.s.follower]
        P = self.P  # CSC (packing rows, n_follower)
        slack = self.cap - self.P_csr @ y
        inv_cap = 1.0 / np.maximum(self.cap, _TOL)
        use = np.bincount(np.repeat(np.arange(self.nf), np.diff(P.indptr)),
                          weights=P.data * inv_cap[P.indices], minlength=self.nf)
        ratio = w / (use + 1e-12)
        for j in np.argsort(-ratio):
            if w[j] <= 0 or y[j] >= ub[j]:
                continue
            rows, col = P.indices[P.indptr[j]:P.indptr[j + 1]], P.data[P.indptr[j]:P.indptr[j + 1]]
            pos = col > 0
            t = ub[j] - y[j]
            if pos.any():
                t = min(t, float(np.min(np.maximum(slack[rows[pos]], 0.0) / col[pos])))
            if ints[j]:
                t = math.floor(t + 1e-9)
            if t <= 0:
                continue
            y[j] += t
            slack[rows] -= col * t
        return y

    def leader_feasible(self, xl: np.ndarray) -> bool:
        """``xl`` satisfies the leader rows (within 1e-9)."""
        p, rows = self.p, self.s.leader_rows
        if rows.size == 0:
            return True
        act = self.A_lead @ xl
        return bool(np.all(act <= p.row_upper[rows] + 1e-9) and np.all(act >= p.row_lower[rows] - 1e-9))

    def neighbours(self, xl: np.ndarray, y: np.ndarray, count: int = NEIGHBOURS) -> list[np.ndarray]:
        """Leader decisions one swap away from ``xl``: interdict one of the ``count`` most valuable
        items of the response ``y`` instead of the least valuable interdicted one that keeps the
        leader rows satisfied."""
        v, w = self.s.vub, self.s.w
        hit = self.interdicted(xl)
        gain = np.where((v >= 0) & ~hit & (y > 0), w * y, 0.0)
        ub_f = self.p.ub[self.s.follower]
        value_if_free = np.where((v >= 0) & hit, w * ub_f, np.inf)
        drop_order = np.argsort(value_if_free)
        out = []
        for j in np.argsort(-gain)[:count]:
            if gain[j] <= 0:
                break
            x2 = xl.copy()
            x2[self.lpos[v[j]]] = 1.0
            if self.leader_feasible(x2):
                out.append(x2)
                continue
            for i in drop_order:
                if not np.isfinite(value_if_free[i]):
                    break
                x3 = x2.copy()
                x3[self.lpos[v[i]]] = 0.0
                if self.leader_feasible(x3):
                    out.append(x3)
                    break
        return out

    def separate(self, remaining, rounds: int = 200, tol: float = 1e-6) -> float:
        """Cutting planes at fractional points: solve the master's LP relaxation, find the follower
        response ``y`` maximising ``sum_j w_j y_j (1 - x*_k(j))`` (the most violated cut at ``x*``;
        every ``y`` feasible for the packing rows gives a valid cut), add its cut, repeat while it is
        violated.  Returns the last LP value (objective without the offset): a valid lower bound of
        the master, hence of the bilevel problem; ``-inf`` if none was found."""
        bound = -math.inf
        s = self.s
        v = s.vub
        has = v >= 0
        idx = np.arange(self.nf, dtype=np.int32)
        for _ in range(rounds):
            lp = self.lp_master.solve(time_limit=remaining(), unwind=False)
            if lp.status != "optimal":
                break
            bound = lp.objective
            assert lp.x is not None  # status 'optimal' always comes with a point
            xs, eta = lp.x[: self.nl], lp.x[self.nl]
            keep = np.ones(self.nf)
            keep[has] = 1.0 - np.clip(xs[self.lpos[v[has]]], 0.0, 1.0)
            profit = np.where(s.w > 0, s.w, 0.0) * keep
            if self._dp is not None:
                value, y = self._knapsack_dp(profit)
            else:
                self.separator.h.changeColsCost(self.nf, idx, -profit)
                out = self.separator.solve(time_limit=remaining(), unwind=False)
                if out.status != "optimal":
                    break
                assert out.x is not None  # status 'optimal' always comes with a point
                value, y = -out.objective, out.x
            ly = self.lift(np.round(y) if self.p.integer[s.follower].all() else y)
            if value <= eta + tol * max(1.0, abs(eta)):
                # the basic cut holds at x*: its substitution cut may not
                if not (self.substitute and self.substitution_cut(ly, np.round(xs), at=(xs, eta))):
                    break
                continue
            self.add_cut(ly)
            if self.substitute:
                self.substitution_cut(ly, np.round(xs))
        return bound

    def _dp_setup(self):
        """``(weights, capacity)`` when the follower is one 0-1 knapsack with integer weights and a
        capacity small enough for dynamic programming (:data:`DP_MAX_CELLS`), else None."""
        p, F = self.p, self.s.follower
        P = self.P_csr
        if P.shape[0] != 1 or not (p.integer[F].all() and np.all(p.ub[F] == 1)):
            return None
        wts = P.toarray().ravel()
        cap = float(self.cap[0])
        if np.any(wts != np.round(wts)) or cap != math.floor(cap) or (cap + 1) * self.nf > DP_MAX_CELLS:
            return None
        return wts.astype(np.int64), int(cap)

    def _knapsack_dp(self, profit: np.ndarray) -> tuple[float, np.ndarray]:
        """``max profit @ y  s.t.  weights @ y <= capacity, y binary`` by dynamic programming over the
        capacity; returns ``(value, y)``."""
        wts, cap = self._dp
        best = np.zeros(cap + 1)
        take = np.zeros((self.nf, cap + 1), bool)
        for j in range(self.nf):
            wj = wts[j]
            if profit[j] <= 0 or wj > cap:
                continue
            cand = best[: cap + 1 - wj] + profit[j]
            better = cand > best[wj:]
            take[j, wj:] = better
            best[wj:] = np.where(better, cand, best[wj:])
        y = np.zeros(self.nf)
        c = int(np.argmax(best))
        value = float(best[c])
        for j in range(self.nf - 1, -1, -1):
            if take[j, c]:
                y[j] = 1.0
                c -= wts[j]
        return value, y

    def substitution_cut(self, y: np.ndarray, xl: np.ndarray, at: tuple | None = None) -> bool:
        """A second cut from the same response ``y`` (binary followers only), tight at ``xl`` too.

        Each interdictable item ``j`` of ``y`` gets a set ``T_j`` of substitutes outside ``y`` (the
        sets disjoint), not interdicted at ``xl``, together using no more of any packing row than ``j``
        (greedily, best profit first).  At any leader decision, ``y`` minus the interdicted items plus
        the free substitutes of interdicted items is a follower response, and
        ``x_j (1 - x_i) >= x_j - x_i`` gives::

            eta >= w @ y - sum_j (w_j - w(T_j)) x_k(j) - sum_j sum_{i in T_j} w_i x_k(i)

        Returns whether a cut was added (False when no item has a substitute, or when ``at`` =
        ``(x*, eta*)`` is given and the cut does not cut that point off)."""
        s, p = self.s, self.p
        F = s.follower
        if not (p.integer[F].all() and np.all(p.ub[F] == 1)):
            return False
        w = s.w
        inS = y > 0.5
        free = ~inS & ~self.interdicted(xl) & (w > 0)
        if not free.any():
            return False
        P = self.P  # CSC (rows, nf)
        cand = np.flatnonzero(free)
        cand = cand[np.argsort(-w[cand])]
        cols = P.toarray() if P.shape[0] <= 4 else None
        if cols is None:
            return False
        used = np.zeros(self.nf, bool)
        v = s.vub
        subs: dict[int, list[int]] = {}
        for j in np.flatnonzero(inS & (v >= 0))[np.argsort(-w[inS & (v >= 0)])]:
            room = cols[:, j] + 1e-12
            for i in cand:  # best profit first, while they fit in what j uses
                if not used[i] and np.all(cols[:, i] <= room):
                    subs.setdefault(int(j), []).append(int(i))
                    used[i] = True
                    room = room - cols[:, i]
        if not subs:
            return False
        xcoef = np.zeros(self.nl)
        coefY = np.where(inS & (w > 0), w, 0.0)
        for j in np.flatnonzero(coefY):
            T = subs.get(int(j), [])
            if v[j] >= 0:
                xcoef[self.lpos[v[j]]] += coefY[j] - float(w[T].sum())
            for t in T:
                if v[t] >= 0:
                    xcoef[self.lpos[v[t]]] += w[t]
        idx = np.append(np.flatnonzero(xcoef), self.nl).astype(np.int32)
        vals = np.append(xcoef[xcoef != 0], 1.0)
        rhs = float(coefY.sum())
        if at is not None and rhs - xcoef @ at[0] <= at[1] + 1e-6 * max(1.0, abs(at[1])):
            return False  # not violated at the fractional point
        self._push_cut(idx, vals, rhs)
        return True

    def add_cut(self, y: np.ndarray) -> None:
        """``eta + sum_j w_j y_j x_k(j) >= sum_j w_j y_j`` over ``w_j y_j > 0``."""
        coef = np.where(self.s.w > 0, self.s.w * y, 0.0)
        rhs = float(coef.sum())
        v = self.s.vub
        xcoef = np.zeros(self.nl)
        has = (v >= 0) & (coef != 0)
        np.add.at(xcoef, self.lpos[v[has]], coef[has])
        idx = np.append(np.flatnonzero(xcoef), self.nl).astype(np.int32)
        vals = np.append(xcoef[xcoef != 0], 1.0)
        self._push_cut(idx, vals, rhs)

    def _push_cut(self, idx: np.ndarray, vals: np.ndarray, rhs: float) -> None:
        """Add the cut ``vals @ [x, eta][idx] >= rhs`` (``eta``'s entry last, 1) to the master and its LP
        copy, and to :attr:`pool` (``eta >= rhs - coef @ x``, read by :mod:`.master_search`)."""
        self.master.add_row(idx, vals, rhs, np.inf)
        self.lp_master.add_row(idx, vals, rhs, np.inf)
        self.pool.add(idx[:-1], vals[:-1], rhs)
        self.cuts += 1


def full_point(p: Problem, s: InterdictionStructure, xl: np.ndarray, y: np.ndarray) -> np.ndarray:
    """(n,) vector from leader values ``xl`` and follower values ``y``."""
    v = np.zeros(p.n)
    v[s.leader] = xl
    v[s.follower] = y
    return v

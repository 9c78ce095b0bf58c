"""Master problem (P5): high-point relaxation plus one disjunctive block per
enumerated follower integer choice, solved as a MILP with HiGHS."""
from __future__ import annotations

import numpy as np

from .. import _sparse as sp
from ..highs_backend import MipOutcome, solve_mip
from ..reading.mps_file import DENSE_MAX_ENTRIES
from .kkt_blocks import KktBlock
from .reformulation import ColumnCut, Reformulation

__all__ = ["MasterProblem"]


class MasterProblem:
    """Variables ``[v (n), z (binaries, one per alternative of a block)]``.

    Rows: all rows of the problem, the valid bounds
    ``theta_min <= w @ v <= theta_max`` on the follower's value, and for every
    added column either ``coef @ v >= rhs`` (single alternative) or
    ``coef_k @ v - M_k z_k >= rhs_k - M_k`` for each alternative ``k`` plus
    ``sum_k z_k >= 1``.

    ``objective="leader"`` minimises the leader objective; ``"zero"`` only
    looks for a feasible point (used to certify unboundedness).
    """

    def __init__(self, ref: Reformulation, objective: str = "leader"):
        p = ref.problem
        self.ref = ref
        self.n = p.n
        self.c = p.c.copy() if objective == "leader" else np.zeros(p.n)
        self.offset = p.objective_offset if objective == "leader" else 0.0
        rows = [p.A]
        lo: list[np.ndarray | list[float]] = [p.row_lower]
        hi: list[np.ndarray | list[float]] = [p.row_upper]
        if np.isfinite(ref.theta_min) or np.isfinite(ref.theta_max):
            rows.append(ref.w[None, :])
            lo.append([ref.theta_min])
            hi.append([ref.theta_max])
        self._rows = [r if sp.issparse(r) else np.asarray(r, dtype=float).reshape(-1, p.n) for r in rows]
        self._lo = [np.asarray(x, dtype=float) for x in lo]
        self._hi = [np.asarray(x, dtype=float) for x in hi]
        # rows with binaries: (kind "alt" or "close", coef (n,) or None, lower, upper, [(binary, value)])
        self._zrows: list[tuple[str, np.ndarray | None, float, float, list[tuple[int, float]]]] = []
        self._base_cache: tuple = (0, None)  # (rows of self._rows in it, matrix) of _base()
        self.num_binaries = 0  # all binaries (of the alternatives and of the KKT blocks)
        self.num_zbin = 0  # binaries of the alternatives (columns after v)
        self.blocked = False  # a column with no possible alternative: master infeasible
        self.columns: list[tuple] = []
        self.kkt_blocks: list[KktBlock] = []

    def add_column(self, cut: ColumnCut | KktBlock) -> None:
        """Add the block of one follower integer choice."""
        self.columns.append(cut.y)
        self.add_cut(cut)

    def add_cut(self, cut: ColumnCut | KktBlock) -> None:
        """Add constraints for a follower integer choice (a further critical-region cut of a known column)."""
        if isinstance(cut, KktBlock):
            self.kkt_blocks.append(cut)
            self.num_binaries += int(cut.int_e.sum())
            return
        if cut.redundant:
            return
        if not cut.disjuncts:
            self.blocked = True
            return
        if len(cut.disjuncts) == 1:
            d = cut.disjuncts[0]
            self._rows.append(d.coef[None, :])
            self._lo.append(np.array([d.rhs]))
            self._hi.append(np.array([np.inf]))
            return
        lits, others = self._split_literals(cut.disjuncts)
        # a binary leader variable whose value decides an alternative is its own indicator:
        # literal x_j (the alternative says x_j = 1) or 1 - x_j (x_j = 0), no new binary
        lit_coef = np.zeros(self.n)
        for j, positive in lits:
            lit_coef[j] += 1.0 if positive else -1.0
        negated = sum(not positive for _, positive in lits)
        if len(others) == 1:  # coef @ v >= rhs - M * (sum of the literals): no binary at all
            d = others[0]
            self._rows.append((d.coef + d.big_m * lit_coef)[None, :])
            self._lo.append(np.array([d.rhs - d.big_m * negated]))
            self._hi.append(np.array([np.inf]))
            return
        zs = []
        for d in others:
            z = self.num_zbin
            self.num_zbin += 1
            self.num_binaries += 1
            zs.append(z)
            self._zrows.append(("alt", d.coef, d.rhs - d.big_m, np.inf, [(z, -d.big_m)]))
        self._zrows.append(("close", lit_coef if lits else None, 1.0 - negated, np.inf, [(z, 1.0) for z in zs]))

    def _split_literals(self, disjuncts) -> tuple[list[tuple[int, bool]], list]:
        """``(literals, other disjuncts)``: a literal ``(j, True)`` stands for an alternative that
        holds exactly when the binary variable ``x_j`` is 1 (``(j, False)``: when it is 0)."""
        lo, hi, integer = self.ref.lower, self.ref.upper, self.ref.problem.integer
        lits, others = [], []
        for d in disjuncts:
            nz = np.flatnonzero(d.coef)
            j = int(nz[0]) if nz.size == 1 else -1
            if j < 0 or d.kind == "value" or not integer[j] or lo[j] != 0.0 or hi[j] != 1.0:
                others.append(d)
                continue
            t = d.rhs / d.coef[j]  # the alternative: x_j >= t (coef > 0) or x_j <= t (coef < 0)
            if d.coef[j] > 0 and 0.0 < t <= 1.0:
                lits.append((j, True))
            elif d.coef[j] < 0 and 0.0 <= t < 1.0:
                lits.append((j, False))
            else:
                others.append(d)
        return lits, others

    def _binaries_for(self, v: np.ndarray) -> np.ndarray | None:
        """Values of the alternative binaries making the point ``v`` (n,) feasible, or None."""
        z = np.zeros(self.num_zbin)
        block: list[int] = []
        for kind, coef, rlo, _, zterms in self._zrows:
            if kind == "close":  # "literals + sum z >= 1" row closing a block
                by_literal = coef is not None and coef @ v >= rlo - 1e-9
                if not by_literal and not any(z[k] for k in block):
                    return None
                block = []
                continue
            zk, negm = zterms[0]
            block.append(zk)
            big_m = -negm
            if not any(z[k] for k in block[:-1]) and coef @ v >= rlo + big_m - 1e-9 * (1 + abs(big_m)):
                z[zk] = 1.0
        return z

    def solve(self, time_limit: float | None = None, *, start: np.ndarray | None = None,
              cutoff: float | None = None) -> MipOutcome:
        """Solve the current master; ``x`` of the outcome has the n original entries.

        ``start`` (n,) is a point (e.g. the bilevel feasible incumbent, which
        satisfies every block) offered to HiGHS as MIP start.  ``cutoff``: stop at
        the first point with objective below it (see :func:`~bigrad.miblp.highs_backend.solve_mip`).
        """
        if self.blocked:
            return MipOutcome("infeasible", None, float("nan"), float("inf"), "a column admits no alternative")
        ref, n = self.ref, self.n
        nb = self.num_zbin
        base = self._base()
        lo = list(np.concatenate(self._lo))
        hi = list(np.concatenate(self._hi))
        nz = len(self._zrows)
        coefs = np.zeros((nz, n))
        zi, zj, zv = [], [], []
        for k, (_, coef, rlo, rhi, zterms) in enumerate(self._zrows):
            if coef is not None:
                coefs[k] = coef
            for z, val in zterms:
                zi.append(k)
                zj.append(z)
                zv.append(val)
            lo.append(rlo)
            hi.append(rhi)
        if self.kkt_blocks or sp.issparse(base) or (base.shape[0] + nz) * (n + nb) > DENSE_MAX_ENTRIES:
            Z = sp.csr_matrix((zv, (zi, zj)), shape=(nz, nb))
            A = sp.bmat([[sp.csr_matrix(base), sp.csr_matrix((base.shape[0], nb))], [sp.csr_matrix(coefs), Z]],
                        format="csc")
        else:  # small dense instance: no scipy at all
            A = np.zeros((base.shape[0] + nz, n + nb))
            A[: base.shape[0], :n] = base
            A[base.shape[0]:, :n] = coefs
            A[base.shape[0] + np.asarray(zi, dtype=int), n + np.asarray(zj, dtype=int)] = zv
        c = np.concatenate([self.c, np.zeros(nb)])
        full_start = None
        if start is not None and not self.kkt_blocks:
            zstart = self._binaries_for(np.asarray(start, dtype=float))
            if zstart is not None:
                full_start = np.concatenate([start, zstart])
        row_lo, row_hi = np.array(lo), np.array(hi)
        lb = np.concatenate([ref.lower, np.zeros(nb)])
        ub = np.concatenate([ref.upper, np.ones(nb)])
        integer = np.concatenate([ref.problem.integer, np.ones(nb, bool)])
        if self.kkt_blocks:
            A, row_lo, row_hi, lb, ub, integer, c = self._with_kkt(A, row_lo, row_hi, lb, ub, integer, c)
        out = solve_mip(c, A, row_lo, row_hi, lb, ub, integer, offset=self.offset, time_limit=time_limit,
                        start=full_start, cutoff=cutoff, first=cutoff is not None, feasibility_jump=True,
                        unwind=False)  # a master stopped by the time limit still gives its dual bound
        if out.x is not None:
            out.x = out.x[:n]
        return out

    def _with_kkt(self, A, lo, hi, lb, ub, integer, c):
        """The master's matrix ``A`` (rows, n + nb) extended by the KKT blocks (:mod:`.kkt_blocks`): columns
        ``[v, z, e_1, e_2, ...]``, block-diagonal in the ``e`` columns."""
        n, blocks = self.n, self.kkt_blocks
        nb = A.shape[1] - n
        ne = [b.A_e.shape[1] for b in blocks]
        grid = [[sp.csr_matrix(A)] + [None] * len(blocks)]
        for k, b in enumerate(blocks):
            grid.append([sp.hstack([sp.csr_matrix(b.A_v), sp.csr_matrix((b.A_v.shape[0], nb))])]
                        + [sp.csr_matrix(b.A_e) if j == k else None for j in range(len(blocks))])
        grid[0][1] = sp.csr_matrix((A.shape[0], ne[0]))
        A = sp.bmat(grid, format="csc")
        lo = np.concatenate([lo, *(b.lo for b in blocks)])
        hi = np.concatenate([hi, *(b.hi for b in blocks)])
        lb = np.concatenate([lb, *(b.lb_e for b in blocks)])
        ub = np.concatenate([ub, *(b.ub_e for b in blocks)])
        integer = np.concatenate([integer, *(b.int_e for b in blocks)])
        c = np.concatenate([c, np.zeros(sum(ne))])
        return A, lo, hi, lb, ub, integer, c

    def _base(self):
        """The problem's rows, the follower-value bounds and the plain column rows, (rows, n): dense
        when the problem's matrix is dense and small (:data:`DENSE_MAX_ENTRIES`), else sparse CSR.
        Rows are only ever appended, so the matrix of the previous call is extended."""
        done, mat = self._base_cache
        if done == len(self._rows):
            return mat
        new = self._rows[done:]
        rows = (mat.shape[0] if mat is not None else 0) + sum(r.shape[0] for r in new)
        dense = (mat is None or not sp.issparse(mat)) and not any(sp.issparse(r) for r in new) \
            and rows * (self.n + self.num_binaries) <= DENSE_MAX_ENTRIES
        parts = ([] if mat is None else [mat]) + new
        mat = np.vstack(parts) if dense else sp.vstack([sp.csr_matrix(r) for r in parts], format="csr")
        self._base_cache = (len(self._rows), mat)
        return mat

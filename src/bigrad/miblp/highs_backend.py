"""Thin wrapper around highspy: LP/MILP models given as dense or ``scipy.sparse`` arrays."""
from __future__ import annotations

import math
import time
from dataclasses import dataclass

import numpy as np

from bigrad._highs import new_highs as _new_highs

from . import _sparse as sp
from .result import check_deadline, time_left

__all__ = ["HighsModel", "MipOutcome", "run_model", "solve_mip"]

#: primal/dual feasibility tolerance (tighter than the HiGHS default 1e-7: the
#: master problem contains big-M rows, and values are compared across subproblems)
FEAS_TOL = 1e-9
#: HiGHS' feasibility-jump heuristic costs ~10 ms per MILP however small the model (HiGHS 1.16,
#: measured on the bench instances' follower problems: 12 ms -> 1.4 ms without it, same optima);
#: bigrad's MILPs are small and many, so it is off
SMALL_MIP_FJ = False
#: integrality tolerance (HiGHS default 1e-6; 1e-9 makes HiGHS fail on some models)
INT_TOL = 1e-7


@dataclass
class MipOutcome:
    """Result of one HiGHS solve.

    status: 'optimal', 'infeasible', 'unbounded', 'time_limit', 'error', or 'cutoff' (no point
    below the cutoff given to :meth:`HighsModel.solve`).
    x: (n,) primal solution (None when none is available).
    objective: objective value of ``x`` (includes ``offset``), ``nan`` if none.
    dual_bound: valid lower bound on the optimum (equals ``objective`` for LPs).
    """

    status: str
    x: np.ndarray | None
    objective: float
    dual_bound: float
    message: str = ""


def _csc(A, m: int, n: int):
    """Column-wise (start, index, value) arrays of a dense or sparse (m, n) matrix."""
    if sp.issparse(A):
        A = sp.csc_matrix(A)
        if A.shape != (m, n):
            raise ValueError(f"A must have shape {(m, n)}, got {A.shape}")
        return A.indptr.astype(np.int32), A.indices.astype(np.int32), A.data.astype(float)
    At = np.asarray(A, dtype=float).reshape(m, n).T  # (n, m): row j = column j of A
    mask = At != 0
    start = np.zeros(n + 1, dtype=np.int32)
    np.cumsum(mask.sum(axis=1), out=start[1:])
    index = np.nonzero(mask)[1].astype(np.int32)
    return start, index, At[mask]


def _to_highs_inf(a: np.ndarray) -> np.ndarray:
    """Copy of ``a`` with entries of magnitude >= 1e30 (and +-inf) as HiGHS' infinity."""
    import highspy

    a = np.array(a, dtype=float)
    big = np.abs(a) >= 1e30
    if big.any():
        a[big] = np.sign(a[big]) * highspy.kHighsInf
    return a


class HighsModel:
    """One HiGHS model kept alive across solves: build once, change row/column
    bounds, solve again (no model rebuild, options set once).

    ``min c @ x + offset  s.t.  row_lower <= A @ x <= row_upper,  lb <= x <= ub,
    x[integer] integral``.  Shapes: ``c``, ``lb``, ``ub``, ``integer`` (n,);
    ``A`` (m, n) dense or ``scipy.sparse`` (never densified); ``row_lower``,
    ``row_upper`` (m,).  Infinite bounds may be ``+-inf``.
    """

    def __init__(self, c, A, row_lower, row_upper, lb, ub, integer, *, offset: float = 0.0,
                 strict: bool = True, feasibility_jump: bool = SMALL_MIP_FJ, presolve: bool = True):
        import highspy

        self._hs = highspy
        self.c = np.asarray(c, dtype=float)
        n = self.n = self.c.size
        m = self.m = int(np.shape(row_lower)[0])
        self._A = A
        self._new_index: list[np.ndarray] = []  # rows of add_row, not yet joined to _A (see ``A``)
        self._new_value: list[np.ndarray] = []
        self.row_lower = np.array(row_lower, dtype=float)  # own copy: changed by set_*_bounds
        self.row_upper = np.array(row_upper, dtype=float)  # own copy: changed by set_*_bounds
        self.lb = np.array(lb, dtype=float)  # own copy: changed by set_*_bounds
        self.ub = np.array(ub, dtype=float)  # own copy: changed by set_*_bounds
        self.integer = np.asarray(integer, dtype=bool)
        self.offset = float(offset)
        self.strict = strict
        self.feasibility_jump = feasibility_jump
        self.is_mip = bool(self.integer.any())
        rowwise = sp.issparse(A) and A.format == "csr" and A.shape == (m, n)  # HiGHS makes it column-wise
        if rowwise:
            start, index, value = A.indptr.astype(np.int32), A.indices.astype(np.int32), A.data.astype(float)
        else:
            start, index, value = _csc(A, m, n)
        h = self.h = _new_highs()
        h.setOptionValue("output_flag", False)
        options: list[tuple[str, float | str]] = [
            ("mip_rel_gap", 0.0), ("mip_abs_gap", 0.0), ("threads", 1), ("random_seed", 0),
            ("mip_heuristic_run_feasibility_jump", bool(feasibility_jump))]
        if not presolve:  # each re-solve of an LP then starts from the previous basis
            options.append(("presolve", "off"))
        if strict:
            options += [
                ("mip_feasibility_tolerance", INT_TOL),
                ("primal_feasibility_tolerance", FEAS_TOL),
                ("dual_feasibility_tolerance", FEAS_TOL),
            ]
        for opt, val in options:
            h.setOptionValue(opt, val)
        lp = highspy.HighsLp()
        lp.num_col_ = n
        lp.num_row_ = m
        lp.col_cost_ = self.c
        lp.offset_ = self.offset
        lp.col_lower_ = _to_highs_inf(self.lb)
        lp.col_upper_ = _to_highs_inf(self.ub)
        lp.row_lower_ = _to_highs_inf(self.row_lower)
        lp.row_upper_ = _to_highs_inf(self.row_upper)
        lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise if rowwise else highspy.MatrixFormat.kColwise
        lp.a_matrix_.start_ = start
        lp.a_matrix_.index_ = index
        lp.a_matrix_.value_ = value
        lp.a_matrix_.num_col_ = n
        lp.a_matrix_.num_row_ = m
        if self.is_mip:
            lp.integrality_ = [
                highspy.HighsVarType.kInteger if flag else highspy.HighsVarType.kContinuous for flag in self.integer
            ]
        self.rejected = h.passModel(lp) == highspy.HighsStatus.kError
        self._rows = np.arange(m, dtype=np.int32)
        self._cols = np.arange(n, dtype=np.int32)
        self._cutoff_set = False
        self._first_set = False

    @property
    def A(self):
        """(m, n) constraint matrix: the one given, then (as CSR) the rows of :meth:`add_row`."""
        if self._new_index:  # joined on demand only: add_row stays O(its nonzeros)
            ptr = np.concatenate([[0], np.cumsum([i.size for i in self._new_index])])
            new = sp.csr_matrix((np.concatenate(self._new_value), np.concatenate(self._new_index), ptr),
                                shape=(ptr.size - 1, self.n))
            old = self._A if sp.issparse(self._A) else sp.csr_matrix(np.asarray(self._A, dtype=float))
            self._A = sp.vstack([old, new], format="csr")
            self._new_index, self._new_value = [], []
        return self._A

    def add_row(self, index, value, lower: float, upper: float) -> None:
        """Append the row ``lower <= value @ x[index] <= upper`` (``index``, ``value``: (k,),
        distinct column indices); the next :meth:`solve` keeps HiGHS' search state."""
        index = np.asarray(index, dtype=np.int32)
        value = np.asarray(value, dtype=float)
        if index.shape != value.shape or index.ndim != 1:
            raise ValueError(f"index and value must have the same shape (k,), got {index.shape} and {value.shape}")
        # HiGHS checks the entries (and takes bounds beyond its infinite_bound, 1e20, as infinite)
        if self.h.addRow(float(lower), float(upper), index.size, index, value) == self._hs.HighsStatus.kError:
            raise ValueError(f"index must hold distinct columns in [0, {self.n}) and value entries below 1e15 "
                             f"in magnitude, got index {index.tolist()} and value {value.tolist()}")
        self._new_index.append(index)
        self._new_value.append(value)
        self.row_lower = np.append(self.row_lower, lower)
        self.row_upper = np.append(self.row_upper, upper)
        self.m += 1
        self._rows = np.arange(self.m, dtype=np.int32)

    def set_row_bounds(self, row_lower, row_upper, rows=None) -> None:
        """New bounds of all rows (each (m,)), or of the rows ``rows`` (index array)."""
        rows = self._rows if rows is None else np.asarray(rows, dtype=np.int32)
        lo, hi = np.asarray(row_lower, dtype=float), np.asarray(row_upper, dtype=float)
        self.row_lower[rows] = lo
        self.row_upper[rows] = hi
        if rows.size:
            self.h.changeRowsBounds(rows.size, rows, _to_highs_inf(lo), _to_highs_inf(hi))

    def set_col_bounds(self, lb, ub) -> None:
        """New bounds of all columns (each (n,))."""
        self.lb[:] = lb
        self.ub[:] = ub
        if self.n:
            self.h.changeColsBounds(self.n, self._cols, _to_highs_inf(self.lb), _to_highs_inf(self.ub))

    def solve(self, *, time_limit: float | None = None, start=None, cutoff: float | None = None,
              first: bool = False, unwind: bool = True, _disambiguate: bool = True) -> MipOutcome:
        """Solve with the current bounds (``start`` (n,): optional MIP start).

        ``cutoff`` (MIPs only): only points with objective (offset included) below it are of
        interest; status ``'cutoff'`` means there is none (HiGHS prunes with it).  ``first``:
        stop at the first point below ``cutoff`` (status ``'feasible'``, ``dual_bound = -inf``).
        ``unwind``: a run stopped by the solver-wide deadline raises :class:`~.result.TimeUp`;
        False returns its status ``'time_limit'`` (with the dual bound reached) instead.
        """
        highspy = self._hs
        check_deadline()
        left = time_left()
        if left is not None:
            time_limit = left if time_limit is None else min(time_limit, left)
        started = time.perf_counter()
        n, h = self.n, self.h
        if self.rejected:
            return MipOutcome("error", None, math.nan, -math.inf, "HiGHS rejected the model")
        if time_limit is not None and time_limit <= 0:
            check_deadline()
            return MipOutcome("time_limit", None, math.nan, -math.inf, "no time left")
        h.setOptionValue("time_limit", highspy.kHighsInf if time_limit is None else float(max(time_limit, 1e-3)))
        if self.is_mip and (cutoff is not None or self._cutoff_set):
            self._cutoff_set = cutoff is not None and math.isfinite(cutoff)
            # (the redundant ``cutoff is not None``: _cutoff_set implies it, which mypy cannot see)
            h.setOptionValue("objective_bound",
                             float(cutoff) if cutoff is not None and self._cutoff_set else highspy.kHighsInf)
        first = bool(first and self.is_mip and self._cutoff_set)
        if self.is_mip and (first or self._first_set):
            h.setOptionValue("mip_max_improving_sols", 1 if first else 2147483647)
            self._first_set = first
        if start is not None and self.is_mip:
            sol = highspy.HighsSolution()
            sol.col_value = list(np.asarray(start, dtype=float))
            h.setSolution(sol)
        run_model(h)
        ms = h.getModelStatus()
        MS = highspy.HighsModelStatus
        if first and ms == MS.kSolutionLimit and h.getObjectiveValue() >= cutoff:
            # HiGHS may stop at a point above the bound: search on without the solution limit
            h.setOptionValue("mip_max_improving_sols", 2147483647)
            self._first_set = False
            run_model(h)
            ms = h.getModelStatus()
        if ms == MS.kModelEmpty:
            return MipOutcome("optimal", np.zeros(n), self.offset, self.offset)
        if ms == MS.kOptimal:  # (the cheap accessors: getInfo() copies all of HiGHS' info, ~5 us a solve)
            x: np.ndarray | None = np.array(h.getSolution().col_value, dtype=float)
            obj = float(h.getObjectiveValue())
            if self._cutoff_set:  # HiGHS may report a point above the bound as optimal
                assert cutoff is not None  # _cutoff_set: a finite cutoff was given to this solve (above)
                if obj >= cutoff:
                    return MipOutcome("cutoff", None, math.nan, float(cutoff), "no point below the cutoff")
            bound = float(h.getInfoValue("mip_dual_bound")[1]) if self.is_mip else obj
            if not math.isfinite(bound):
                bound = obj
            return MipOutcome("optimal", x, obj, min(bound, obj))
        info = h.getInfo()
        if first and ms == MS.kSolutionLimit and info.primal_solution_status == 2 \
                and info.objective_function_value < cutoff:
            x = np.array(h.getSolution().col_value, dtype=float)
            return MipOutcome("feasible", x, float(info.objective_function_value), -math.inf)
        if ms == MS.kInfeasible and not self._cutoff_set:
            return MipOutcome("infeasible", None, math.nan, math.inf)
        if ms in (MS.kInfeasible, MS.kObjectiveBound):
            # kInfeasible without a cutoff returned above; kObjectiveBound needs the objective_bound
            # option, which is finite only with a finite cutoff given to this solve
            assert cutoff is not None
            return MipOutcome("cutoff", None, math.nan, float(cutoff), "no point below the cutoff")
        if ms == MS.kUnbounded:
            return MipOutcome("unbounded", None, -math.inf, -math.inf)
        if ms == MS.kUnboundedOrInfeasible:
            if not _disambiguate:
                return MipOutcome("error", None, math.nan, -math.inf, "unbounded or infeasible")
            feas = HighsModel(np.zeros(n), self.A, self.row_lower, self.row_upper, self.lb, self.ub, self.integer,
                              strict=self.strict).solve(time_limit=time_limit, _disambiguate=False)
            if feas.status == "infeasible":
                return MipOutcome("infeasible", None, math.nan, math.inf)
            if feas.status == "optimal":
                return MipOutcome("unbounded", feas.x, -math.inf, -math.inf)
            return feas
        if ms in (MS.kTimeLimit, MS.kInterrupt, MS.kIterationLimit, MS.kSolutionLimit):
            x = None
            obj = math.nan
            if info.primal_solution_status == 2:  # feasible point available
                x = np.array(h.getSolution().col_value, dtype=float)
                obj = float(info.objective_function_value)
            bound = float(info.mip_dual_bound) if self.is_mip else -math.inf
            if not math.isfinite(bound) or bound > 1e29:
                bound = -math.inf
            if unwind:
                check_deadline()  # the solver-wide deadline passed: unwind to the solver
            return MipOutcome("time_limit", x, obj, bound, h.modelStatusToString(ms))
        if self.strict:  # HiGHS occasionally fails with tight tolerances: retry with its defaults
            left = None if time_limit is None else time_limit - (time.perf_counter() - started)
            loose = HighsModel(self.c, self.A, self.row_lower, self.row_upper, self.lb, self.ub, self.integer,
                               offset=self.offset, strict=False, feasibility_jump=self.feasibility_jump)
            return loose.solve(time_limit=left, start=start, cutoff=cutoff, first=first, unwind=unwind,
                               _disambiguate=_disambiguate)
        return MipOutcome("error", None, math.nan, -math.inf, h.modelStatusToString(ms))


def run_model(h) -> None:
    """``h.run()``, on HiGHS's existing thread scheduler when it refuses ours.

    HiGHS's scheduler is global to the process: once HiGHS has run with another
    ``threads`` (the user's own highspy models, or a library's), a model asking
    for one thread is refused (status kError, model status kNotset) and would
    look unsolved. It then runs again with ``threads = 0`` (the scheduler as it is).
    """
    import highspy

    status = h.run()
    if status == highspy.HighsStatus.kError and h.getModelStatus() == highspy.HighsModelStatus.kNotset:
        h.setOptionValue("threads", 0)
        h.run()


def solve_mip(
    c,
    A,
    row_lower,
    row_upper,
    lb,
    ub,
    integer,
    *,
    offset: float = 0.0,
    time_limit: float | None = None,
    start=None,
    cutoff: float | None = None,
    first: bool = False,
    feasibility_jump: bool = SMALL_MIP_FJ,
    unwind: bool = True,
) -> MipOutcome:
    """Minimise ``c @ x + offset`` s.t. ``row_lower <= A @ x <= row_upper``,
    ``lb <= x <= ub`` and ``x[integer]`` integral (one :class:`HighsModel`, solved once).

    Shapes: ``c``, ``lb``, ``ub``, ``integer`` (n,); ``A`` (m, n) dense or sparse;
    ``row_lower``, ``row_upper`` (m,).  Infinite bounds may be ``+-inf``.
    ``start`` (n,) is an optional feasible point given to HiGHS as MIP start.
    ``cutoff``: only points with objective below it are wanted (status 'cutoff' when there is
    none); with ``first`` the solve stops at the first one (status 'feasible', ``dual_bound = -inf``).
    ``feasibility_jump`` runs HiGHS' feasibility-jump heuristic (worth it on the larger master
    problems only, see :data:`SMALL_MIP_FJ`).  ``unwind``: see :meth:`HighsModel.solve` (False: a run
    stopped by the deadline returns status 'time_limit' with the dual bound it reached).
    """
    check_deadline()
    model = HighsModel(c, A, row_lower, row_upper, lb, ub, integer, offset=offset, feasibility_jump=feasibility_jump)
    return model.solve(time_limit=time_limit, start=start, cutoff=cutoff, first=first, unwind=unwind)

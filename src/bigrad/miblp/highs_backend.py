"""Thin wrapper around highspy: solve one LP/MILP given as dense arrays."""
from __future__ import annotations

import math
import os
import sys
import time
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from .result import check_deadline, time_left

__all__ = ["MipOutcome", "solve_mip"]

#: primal/dual feasibility tolerance (tighter than the HiGHS default 1e-7: the
#: master problem contains big-M rows, and values are compared across subproblems)
FEAS_TOL = 1e-9
#: integrality tolerance (HiGHS default 1e-6; 1e-9 makes HiGHS fail on some models)
INT_TOL = 1e-7


@dataclass
class MipOutcome:
    """Result of one HiGHS solve.

    status: 'optimal', 'infeasible', 'unbounded', 'time_limit' or 'error'.
    x: (n,) primal solution (None when none is available).
    objective: objective value of ``x`` (includes ``offset``), ``nan`` if none.
    dual_bound: valid lower bound on the optimum (equals ``objective`` for LPs).
    """

    status: str
    x: np.ndarray | None
    objective: float
    dual_bound: float
    message: str = ""


_banner_silenced = False


def _new_highs():
    """A fresh ``highspy.Highs``; the copyright banner that HiGHS writes to the
    process's stdout on first construction is discarded (once per process)."""
    import highspy

    global _banner_silenced
    if _banner_silenced:
        return highspy.Highs()
    _banner_silenced = True
    try:
        sys.stdout.flush()
        saved = os.dup(1)
    except (OSError, ValueError):
        return highspy.Highs()
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 1)
        return highspy.Highs()
    finally:
        os.dup2(saved, 1)
        os.close(saved)
        os.close(devnull)


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
    import highspy

    a = np.asarray(a, dtype=float).copy()
    a[a >= 1e30] = highspy.kHighsInf
    a[a <= -1e30] = -highspy.kHighsInf
    a[np.isposinf(a)] = highspy.kHighsInf
    a[np.isneginf(a)] = -highspy.kHighsInf
    return a


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
    _disambiguate: bool = True,
    _strict: bool = True,
) -> MipOutcome:
    """Minimise ``c @ x + offset`` s.t. ``row_lower <= A @ x <= row_upper``,
    ``lb <= x <= ub`` and ``x[integer]`` integral.

    Shapes: ``c``, ``lb``, ``ub``, ``integer`` (n,); ``A`` (m, n) dense or sparse;
    ``row_lower``, ``row_upper`` (m,).  Infinite bounds may be ``+-inf``.
    ``start`` (n,) is an optional feasible point given to HiGHS as MIP start.
    ``cutoff``: only points with objective below it are wanted and the solve stops at the first
    one (status 'feasible', ``dual_bound = -inf``); status 'cutoff' when there is none.
    """
    import highspy

    check_deadline()
    left = time_left()
    if left is not None:
        time_limit = left if time_limit is None else min(time_limit, left)
    started = time.perf_counter()
    c = np.asarray(c, dtype=float)
    n = c.size
    m = int(np.shape(row_lower)[0])
    start, index, value = _csc(A, m, n)
    integer = np.asarray(integer, dtype=bool)
    if time_limit is not None and time_limit <= 0:
        check_deadline()
        return MipOutcome("time_limit", None, math.nan, -math.inf, "no time left")

    h = _new_highs()
    h.setOptionValue("output_flag", False)
    options = [("mip_rel_gap", 0.0), ("mip_abs_gap", 0.0), ("threads", 1), ("random_seed", 0)]
    if _strict:
        options += [
            ("mip_feasibility_tolerance", INT_TOL),
            ("primal_feasibility_tolerance", FEAS_TOL),
            ("dual_feasibility_tolerance", FEAS_TOL),
        ]
    for opt, val in options:
        h.setOptionValue(opt, val)
    if time_limit is not None:
        h.setOptionValue("time_limit", float(max(time_limit, 1e-3)))
    if cutoff is not None:
        h.setOptionValue("objective_bound", float(cutoff))
        h.setOptionValue("mip_max_improving_sols", 1)

    lp = highspy.HighsLp()
    lp.num_col_ = n
    lp.num_row_ = m
    lp.col_cost_ = c
    lp.offset_ = float(offset)
    lp.col_lower_ = _to_highs_inf(lb)
    lp.col_upper_ = _to_highs_inf(ub)
    lp.row_lower_ = _to_highs_inf(row_lower)
    lp.row_upper_ = _to_highs_inf(row_upper)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = start
    lp.a_matrix_.index_ = index
    lp.a_matrix_.value_ = value
    lp.a_matrix_.num_col_ = n
    lp.a_matrix_.num_row_ = m
    is_mip = bool(integer.any())
    if is_mip:
        lp.integrality_ = [
            highspy.HighsVarType.kInteger if flag else highspy.HighsVarType.kContinuous for flag in integer
        ]
    status = h.passModel(lp)
    if status == highspy.HighsStatus.kError:
        return MipOutcome("error", None, math.nan, -math.inf, "HiGHS rejected the model")
    if start is not None and is_mip:
        sol = highspy.HighsSolution()
        sol.col_value = list(np.asarray(start, dtype=float))
        h.setSolution(sol)
    h.run()
    ms = h.getModelStatus()
    MS = highspy.HighsModelStatus
    info = h.getInfo()
    if cutoff is not None and ms == MS.kSolutionLimit and info.objective_function_value >= cutoff:
        # HiGHS may stop at a point above the bound: search on without the solution limit
        h.setOptionValue("mip_max_improving_sols", 2147483647)
        h.run()
        ms, info = h.getModelStatus(), h.getInfo()
    if ms == MS.kModelEmpty:
        return MipOutcome("optimal", np.zeros(n), float(offset), float(offset))
    if ms == MS.kOptimal:
        x = np.array(h.getSolution().col_value, dtype=float)
        obj = float(info.objective_function_value)
        if cutoff is not None and obj >= cutoff:  # HiGHS may report a point above the bound as optimal
            return MipOutcome("cutoff", None, math.nan, float(cutoff))
        bound = float(info.mip_dual_bound) if is_mip else obj
        if not math.isfinite(bound):
            bound = obj
        return MipOutcome("optimal", x, obj, min(bound, obj))
    if cutoff is not None and ms == MS.kSolutionLimit and info.primal_solution_status == 2 \
            and info.objective_function_value < cutoff:
        x = np.array(h.getSolution().col_value, dtype=float)
        return MipOutcome("feasible", x, float(info.objective_function_value), -math.inf)
    if cutoff is not None and ms in (MS.kInfeasible, MS.kObjectiveBound):
        return MipOutcome("cutoff", None, math.nan, float(cutoff))
    if ms == MS.kInfeasible:
        return MipOutcome("infeasible", None, math.nan, math.inf)
    if ms == MS.kUnbounded:
        return MipOutcome("unbounded", None, -math.inf, -math.inf)
    if ms == MS.kUnboundedOrInfeasible:
        if not _disambiguate:
            return MipOutcome("error", None, math.nan, -math.inf, "unbounded or infeasible")
        feas = solve_mip(
            np.zeros(n), A, row_lower, row_upper, lb, ub, integer, time_limit=time_limit, _disambiguate=False,
            _strict=_strict,
        )
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
        bound = float(info.mip_dual_bound) if is_mip else -math.inf
        if not math.isfinite(bound) or bound > 1e29:
            bound = -math.inf
        check_deadline()  # the solver-wide deadline passed: unwind to the solver
        return MipOutcome("time_limit", x, obj, bound, h.modelStatusToString(ms))
    if _strict:  # HiGHS occasionally fails with tight tolerances: retry with its defaults
        left = None if time_limit is None else time_limit - (time.perf_counter() - started)
        return solve_mip(c, A, row_lower, row_upper, lb, ub, integer, offset=offset, time_limit=left,
                         start=start, cutoff=cutoff, _disambiguate=_disambiguate, _strict=False)
    return MipOutcome("error", None, math.nan, -math.inf, h.modelStatusToString(ms))

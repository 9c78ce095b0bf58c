"""Projection-based reformulation and decomposition (Yue, Gao, Zeng, You 2019).

Column-and-constraint generation over the follower's integer choices:

1. master (P5): high-point relaxation + for each enumerated follower integer
   choice the exact "in the projection set" disjunction
   (:mod:`.reformulation`); its optimum is a lower bound LB;
2. (P6) follower's MILP at the master's leader decision -> value theta;
3. (P7) best leader objective among follower optima (within
   :func:`~bigrad.miblp.responses.optimality_tolerance`) -> upper bound UB when
   feasible; its follower integer part is the new column, otherwise P6's;
4. stop when ``UB - LB <= max(abs_gap, gap * |UB|)``.

Finite termination: the follower integer variables are bounded, and a column
that is already in the master makes the master point bilevel feasible
(so UB <= LB).
"""
from __future__ import annotations

import math
import numbers
import time
from typing import Literal, overload

import numpy as np

from ..interdict.driver import InterdictionSolver
from ..interdict.value_function_cuts import detect_interdiction
from ..loop_state import LoopState, build_result
from ..problem import Problem
from ..responses import (
    fix_leader,
    follower_response,
    optimality_tolerance,
    optimistic_response,
)
from ..result import MiblpResult, TimeUp, deadline_scope
from .leader_enumeration import AUTO_MAX_CHOICES, EnumerationNotApplicable, leader_choices, solve_by_enumeration
from .master_problem import MasterProblem
from .reformulation import DUAL_FORMS, Reformulation

__all__ = ["solve"]


@overload
def _check_number(name: str, value, *, allow_none: Literal[False] = ..., positive: bool = ...) -> float: ...
@overload
def _check_number(name: str, value, *, allow_none: bool, positive: bool = ...) -> float | None: ...
def _check_number(name: str, value, *, allow_none: bool = False, positive: bool = False) -> float | None:
    if value is None and allow_none:
        return None
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number, got {type(value).__name__}")
    value = float(value)
    if not math.isfinite(value) or value < 0 or (positive and value == 0):
        raise ValueError(f"{name} must be {'positive' if positive else 'non-negative'} and finite, got {value}")
    return value


def solve(
    problem: Problem,
    time_limit: float | None = None,
    gap: float = 1e-6,
    *,
    abs_gap: float = 1e-6,
    max_iterations: int = 1000,
    strict_tol: float = 1e-6,
    max_enumeration: int = 200_000,
    verbose: bool = False,
    callback=None,
    method: str = "auto",
    dual: str = "auto",
) -> MiblpResult:
    """Solve a mixed-integer bilevel linear program to global optimality.

    Parameters
    ----------
    problem : Problem
        The instance (see :class:`~bigrad.miblp.problem.Problem`).
    time_limit : float, optional
        Wall-clock limit in seconds for the whole solve (None: no limit).
    gap : float
        Relative tolerance: stop when ``UB - LB <= max(abs_gap, gap * |UB|)``.
    abs_gap : float
        Absolute tolerance of the same test.
    max_iterations : int
        Maximal number of master problems.
    strict_tol : float
        Margin used for strict inequalities (follower infeasibility
        certificates) when they cannot be made exact by integrality; see
        ``MiblpResult.exact``.
    max_enumeration : int
        Limit on the subset enumeration of the follower's dual polyhedron.
    verbose : bool
        Print one line per iteration to stdout.
    callback : callable, optional
        Called with each :class:`~bigrad.miblp.result.IterationRecord`.
    method : {"auto", "ccg", "interdiction", "enumerate"}
        ``"auto"`` uses the value-function cut loop of
        :mod:`~bigrad.miblp.interdict` when the problem is a zero-sum
        interdiction problem with a monotone follower (MibS's interdiction
        form, e.g. knapsack interdiction), enumeration of the linking leader
        decisions (:mod:`~bigrad.miblp.projection.leader_enumeration`) when the linking leader
        variables are integer and bounded with at most ``AUTO_MAX_CHOICES``
        decisions (falling back on an unbounded subproblem), else
        column-and-constraint generation.  ``result.method`` says which ran.
    dual : {"auto", "kkt", "regions", "enumerate"}
        How column-and-constraint generation states that the master point is
        in the projection set of an enumerated follower integer choice:
        ``"kkt"`` adds the follower LP's KKT system with big-M constants from
        LP bounds (:mod:`~bigrad.miblp.projection.kkt_blocks`; when the follower's dual polyhedron
        has rays, e.g. two-sided bounds, equality rows or follower LPs that can
        be infeasible, the KKT system of its normalised form, whose multipliers
        lie in [0, 1]; ValueError when a slack has no bound), ``"regions"`` adds lazily
        separated critical-region cuts of optimal bases
        (:mod:`~bigrad.miblp.projection.critical_regions`; no dual bounds needed, so valid with
        two-sided bounds and follower LPs that can be infeasible),
        ``"enumerate"`` the disjunction over the vertices and rays of the dual
        polyhedron (:mod:`~bigrad.miblp.projection.dual_polyhedron`; exponential in the
        number of continuous follower variables), ``"auto"`` the critical-region
        cuts when valid, else the KKT form, else the enumeration (then
        ``result.message`` says why).

    Returns
    -------
    MiblpResult
        ``status`` is 'optimal', 'infeasible', 'unbounded', 'time_limit',
        'iteration_limit' or 'interrupted' (Ctrl-C: KeyboardInterrupt is caught);
        limits and interruptions return the incumbent (if any) with honest
        bounds.  ``time_limit`` covers everything (preprocessing included).

    Raises
    ------
    TypeError, ValueError
        Bad arguments; linking leader variables or follower integer variables
        without (implied) finite bounds; unbounded follower problem.
    RuntimeError
        A subproblem failed in a way that contradicts the theory (numerical
        trouble); the message says which.
    """
    if not isinstance(problem, Problem):
        raise TypeError(f"problem must be a bigrad.miblp.Problem, got {type(problem).__name__}")
    time_limit = _check_number("time_limit", time_limit, allow_none=True, positive=True)
    gap = _check_number("gap", gap)
    abs_gap = _check_number("abs_gap", abs_gap)
    strict_tol = _check_number("strict_tol", strict_tol, positive=True)
    for nm, val in (("max_iterations", max_iterations), ("max_enumeration", max_enumeration)):
        if isinstance(val, bool) or not isinstance(val, numbers.Integral):
            raise TypeError(f"{nm} must be an integer, got {type(val).__name__}")
        if val < 1:
            raise ValueError(f"{nm} must be >= 1, got {val}")
    if not isinstance(verbose, bool):
        raise TypeError(f"verbose must be a bool, got {type(verbose).__name__}")
    if callback is not None and not callable(callback):
        raise TypeError("callback must be callable or None")

    if dual not in DUAL_FORMS:
        raise ValueError(f"dual must be one of {', '.join(map(repr, DUAL_FORMS))}, got {dual!r}")
    if method not in ("auto", "ccg", "interdiction", "enumerate"):
        raise ValueError(f"method must be 'auto', 'ccg', 'interdiction' or 'enumerate', got {method!r}")

    start = time.perf_counter()
    deadline = None if time_limit is None else start + time_limit

    def remaining() -> float | None:
        return None if deadline is None else deadline - time.perf_counter()

    structure = detect_interdiction(problem) if method != "ccg" else None
    if method == "interdiction" and structure is None:
        raise ValueError("method='interdiction' needs a zero-sum interdiction problem with a monotone follower "
                         "(see bigrad.miblp.interdict); this problem does not have that structure")
    if structure is not None:
        loop = InterdictionSolver(problem, structure, gap, abs_gap, int(max_iterations), remaining, start,
                                  verbose, callback)
        return loop.solve(deadline)

    choices = leader_choices(problem) if method in ("auto", "enumerate") else None
    if method == "enumerate" and choices is None:
        raise ValueError("method='enumerate' needs every linking leader variable (nonzero in a follower row) "
                         "integer and bounded")
    if method == "enumerate" or (method == "auto" and choices is not None and choices <= AUTO_MAX_CHOICES):
        state = LoopState(problem, gap, abs_gap, int(max_iterations), remaining, start, verbose, callback)
        try:
            return solve_by_enumeration(state, deadline)
        except EnumerationNotApplicable:
            if method == "enumerate":
                raise ValueError("method='enumerate': a subproblem is unbounded at some leader decision; "
                                 "use method='ccg' (it detects unbounded bilevel problems)") from None

    solver = _CCG(problem, None, gap, abs_gap, int(max_iterations), remaining, start, verbose, callback)
    try:
        with deadline_scope(deadline):
            ref = Reformulation(problem, strict_tol=strict_tol, max_enumeration=int(max_enumeration),
                                dual=dual)
            solver.ref = ref
            solver.timings["setup"] = time.perf_counter() - start
            if ref.infeasible:
                return solver.finish("infeasible", "the high-point relaxation is infeasible")
            ray = ref.improving_ray()
            if ray is not None:
                return solver.run(feasibility=True, ray=ray)
            return solver.run(feasibility=False)
    except TimeUp:
        where = "during preprocessing" if solver.ref is None else "during the iterations"
        return solver.finish("time_limit", f"time limit reached {where}")
    except KeyboardInterrupt:
        return solver.finish("interrupted", "interrupted (Ctrl-C); the best point found so far is returned")


class _CCG(LoopState):
    """State of one column-and-constraint generation run."""

    def __init__(self, problem, ref, gap, abs_gap, max_iterations, remaining, start, verbose, callback) -> None:
        super().__init__(problem, gap, abs_gap, max_iterations, remaining, start, verbose, callback)
        self.ref = ref
        self.columns: list[tuple] = []

    def record(self, master_obj, theta, p7_status, new_col, nbin) -> None:
        self.emit(master_objective=master_obj, follower_value=theta, optimistic_status=p7_status,
                  new_column=new_col, columns=len(self.columns), binaries=nbin)

    def follower_int(self, v: np.ndarray) -> tuple:
        return tuple(float(t) for t in np.round(v[self.ref.fint]))

    # ---------------------------------------------------------------- main loop
    def run(self, feasibility: bool, ray: np.ndarray | None = None) -> MiblpResult:
        master = MasterProblem(self.ref, objective="zero" if feasibility else "leader")
        while True:
            if self.iterations >= self.max_iterations:
                return self.finish("iteration_limit", f"stopped after {self.iterations} iterations")
            if self.out_of_time():
                return self.finish("time_limit", "time limit reached")
            cutoff = None
            if feasibility:
                out = master.solve(self.remaining())
            elif self.ref.lazy_cutoff and self.incumbent is not None and math.isfinite(self.ub):
                # lazy cuts: any master point below UB - tolerance will do; none proves optimality
                cutoff = self.ub - max(self.abs_gap, self.gap * abs(self.ub))
                out = master.solve(self.remaining(), cutoff=cutoff)
            else:
                out = master.solve(self.remaining(), start=self.incumbent)
            self.iterations += 1
            if out.status == "cutoff":
                assert cutoff is not None  # status 'cutoff' only comes from a solve given a cutoff
                self.lb = max(self.lb, cutoff)
                self.record(math.nan, math.nan, "-", None, master.num_binaries)
                return self.finish("optimal", "no master point below UB - tolerance: incumbent is optimal")
            if out.status == "feasible":
                out.status = "optimal"  # a point below the cutoff; its dual bound is not global
            if out.status == "time_limit":
                if not feasibility and math.isfinite(out.dual_bound):
                    self.lb = max(self.lb, out.dual_bound if cutoff is None else min(out.dual_bound, cutoff))
                return self.finish("time_limit", "time limit reached while solving the master problem")
            if out.status == "infeasible":
                if self.incumbent is not None and not feasibility:
                    # the master is a relaxation containing every bilevel feasible point
                    self.lb = self.ub
                    self.record(math.nan, math.nan, "-", None, master.num_binaries)
                    return self.finish("optimal", "master became infeasible: incumbent is optimal")
                self.lb = math.inf
                self.record(math.nan, math.nan, "-", None, master.num_binaries)
                return self.finish("infeasible", "the master problem (a relaxation of the bilevel "
                                                 "problem) is infeasible")
            if out.status != "optimal":
                raise RuntimeError(
                    f"master problem ended with status {out.status!r} ({out.message}); "
                    f"this contradicts the boundedness check (numerical trouble?)"
                )
            if not feasibility:
                self.lb = max(self.lb, out.dual_bound)
                if self.converged():
                    self.record(out.objective, math.nan, "-", None, master.num_binaries)
                    return self.finish("optimal", "UB - LB within tolerance")
            v = fix_leader(self.p, out.x)
            # critical-region cuts (dual="regions") violated by the master point; with an incumbent
            # the master is re-solved at once (P6/P7 only matter at points that satisfy them)
            cuts = self.ref.separate(v, self.columns)
            for cut in cuts:
                master.add_cut(cut)
            if cuts and self.incumbent is not None:
                self.record(out.objective, math.nan, "cuts", None, master.num_binaries)
                continue
            p6 = follower_response(self.p, v, time_limit=self.remaining())
            if p6.status == "time_limit":
                return self.finish("time_limit", "time limit reached in the follower problem (P6)")
            if p6.status != "optimal":
                raise RuntimeError(
                    f"follower problem (P6) at the master's leader decision ended with status {p6.status!r}; "
                    f"the master point satisfies the follower rows, so this indicates numerical trouble"
                )
            theta = p6.value
            p7 = optimistic_response(self.p, v, theta, time_limit=self.remaining(), zero_objective=feasibility)
            if p7.status == "time_limit":
                return self.finish("time_limit", "time limit reached in the optimistic problem (P7)")
            if p7.status == "optimal":
                if feasibility:
                    self.incumbent = p7.v
                    self.record(math.nan, theta, p7.status, None, master.num_binaries)
                    return self.finish("unbounded", "bilevel feasible point found and an improving ray "
                                                    "keeps it bilevel feasible", ray=ray)
                if p7.value < self.ub:
                    self.ub = p7.value
                    self.incumbent = p7.v
                assert p7.v is not None  # status 'optimal' always comes with a point
                new_col = self.follower_int(p7.v)
            elif p7.status == "infeasible":
                assert p6.v is not None  # p6.status is 'optimal' (checked above)
                new_col = self.follower_int(p6.v)
            else:
                raise RuntimeError(f"optimistic problem (P7) ended with status {p7.status!r}")
            if not feasibility and self.converged():
                # the new UB closed the gap: the column (LPs for its big-M constants) is not needed
                self.record(out.objective, theta, p7.status, None, master.num_binaries)
                return self.finish("optimal", "UB - LB within tolerance")
            if new_col in self.columns and cuts:
                self.record(out.objective, theta, p7.status, None, master.num_binaries)
                continue
            if new_col in self.columns:
                # theory: the master point is then bilevel feasible, so UB <= LB
                self._accept_master_point(out, theta)
                if not self.converged() and not (cutoff is not None and self.ub <= cutoff):
                    # a normalised KKT block is weaker where the follower's LP is pinned: cut the point off
                    cut = self.ref.stall_cut(new_col, v)
                    if cut is not None:
                        master.add_cut(cut)
                        self.record(out.objective, theta, p7.status, None, master.num_binaries)
                        continue
                self.record(out.objective, theta, p7.status, None, master.num_binaries)
                if self.converged():
                    return self.finish("optimal", "UB - LB within tolerance")
                if cutoff is not None and self.ub <= cutoff:
                    continue  # the point below the cutoff was bilevel feasible: UB improved
                raise RuntimeError(
                    "column generation stalled: the follower choice "
                    f"{new_col} is already in the master but UB - LB = {self.ub - self.lb:g} "
                    "(numerical trouble; try a looser gap)"
                )
            self.columns.append(new_col)
            master.add_column(self.ref.column(new_col, v))
            self.record(out.objective, theta, p7.status, new_col, master.num_binaries)
            if not feasibility and self.converged():
                return self.finish("optimal", "UB - LB within tolerance")

    def _accept_master_point(self, out, theta: float) -> None:
        """Use the master point itself as incumbent if it is bilevel feasible."""
        v = out.x
        if self.p.max_violation(v) > 1e-6:
            return
        fval = self.p.follower_objective(v)
        ok = fval <= theta + optimality_tolerance(theta) if self.p.follower_sense == "min" \
            else fval >= theta - optimality_tolerance(theta)
        if ok and out.objective < self.ub:
            self.ub = out.objective
            self.incumbent = np.array(v, dtype=float)

    # ------------------------------------------------------------------- result
    def finish(self, status: str, message: str, ray: np.ndarray | None = None) -> MiblpResult:
        if self.ref is not None and self.ref.dual_form == "enumerate" and self.ref.dual_note:
            message += f" (dual vertices enumerated because {self.ref.dual_note})"
        return build_result(self.p, status, message, self.lb, self.ub, self.incumbent, self.iterations,
                            self.start, exact=True if self.ref is None else self.ref.exact,
                            columns=self.columns, log=self.log, ray=ray, timings=self.timings)

"""What every method's main loop shares: :class:`LoopState` (bounds, incumbent, log, limits) and
:func:`build_result`, the final :class:`~.result.MiblpResult` of a solve, with an independent
bilevel-feasibility re-check."""
from __future__ import annotations

import math
import time
from typing import TYPE_CHECKING

from .problem import Problem
from .responses import follower_response, optimality_tolerance
from .result import IterationRecord, MiblpResult, deadline_scope

if TYPE_CHECKING:
    import numpy as np

__all__ = ["LoopState", "build_result", "rel_gap"]


class LoopState:
    """Bounds, incumbent, log and limits shared by the solvers' main loops."""

    def __init__(self, problem: Problem, gap, abs_gap, max_iterations, remaining, start, verbose, callback):
        self.p = problem
        self.gap, self.abs_gap = gap, abs_gap
        self.max_iterations = max_iterations
        self.remaining = remaining
        self.start = start
        self.verbose, self.callback = verbose, callback
        self.lb, self.ub = -math.inf, math.inf
        self.incumbent: np.ndarray | None = None
        self.log: list[IterationRecord] = []
        self.iterations = 0
        self.timings: dict[str, float] = {}

    def converged(self) -> bool:
        if not (math.isfinite(self.ub) and math.isfinite(self.lb)):
            return False
        return self.ub - self.lb <= max(self.abs_gap, self.gap * abs(self.ub))

    def out_of_time(self) -> bool:
        r = self.remaining()
        return r is not None and r <= 0

    def emit(self, **fields) -> None:
        """Append an :class:`IterationRecord` (bounds, gap, elapsed filled in), print it, call back."""
        rec = IterationRecord(iteration=self.iterations, lower_bound=self.lb, upper_bound=self.ub,
                              gap=rel_gap(self.lb, self.ub), elapsed=time.perf_counter() - self.start, **fields)
        self.log.append(rec)
        if self.verbose:
            if len(self.log) == 1:
                print(IterationRecord.header(), flush=True)
            print(rec.line(), flush=True)
        if self.callback is not None:
            self.callback(rec)


def rel_gap(lb: float, ub: float) -> float:
    if not (math.isfinite(lb) and math.isfinite(ub)):
        return math.inf
    return max(0.0, ub - lb) / max(1.0, abs(ub))



def build_result(p: Problem, status: str, message: str, lb: float, ub: float, incumbent, iterations: int,
                 start: float, *, exact: bool = True, columns=(), log=(), ray=None, method: str = "ccg",
                 timings: dict | None = None) -> MiblpResult:
    """The :class:`MiblpResult`, with an independent follower re-solve at the returned point."""
    res = MiblpResult(
        status=status,
        objective=math.inf,
        x=None,
        y=None,
        lower_bound=lb,
        upper_bound=ub,
        iterations=iterations,
        exact=exact,
        columns=list(columns),
        log=list(log),
        message=message,
        method=method,
    )
    if status == "infeasible":
        res.lower_bound = res.upper_bound = math.inf
    if incumbent is not None:
        v = incumbent
        res.values = v.copy()
        res.x = v[p.leader_idx].copy()
        res.y = v[p.follower_idx].copy()
        res.objective = p.leader_objective(v) if status != "unbounded" else -math.inf
        with deadline_scope(None):  # the re-check runs even after the deadline
            check = follower_response(p, v)
        if check.status == "optimal":
            res.follower_objective = check.value
            fval = p.follower_objective(v)
            tol = optimality_tolerance(check.value)
            opt = fval <= check.value + tol if p.follower_sense == "min" else fval >= check.value - tol
            res.bilevel_feasible = bool(opt and p.max_violation(v) <= 1e-6)
        else:
            res.bilevel_feasible = False
        if not res.bilevel_feasible:
            res.message += "; WARNING: the returned point failed the bilevel feasibility re-check"
    if status == "unbounded":
        res.lower_bound = res.upper_bound = -math.inf
        if ray is not None:
            res.message += f" (improving direction with leader objective slope {float(p.c @ ray):.3g})"
    res.gap = 0.0 if status in ("infeasible", "unbounded") else rel_gap(res.lower_bound, res.upper_bound)
    res.solve_time = time.perf_counter() - start
    res.timings = dict(timings or {})
    res.timings["total"] = res.solve_time
    return res

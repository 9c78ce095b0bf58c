"""Final :class:`~.result.MiblpResult` of a solve, with an independent bilevel-feasibility re-check."""
from __future__ import annotations

import math
import time

from .problem import Problem
from .result import MiblpResult, deadline_scope
from .subproblems import follower_response, optimality_tolerance

__all__ = ["build_result", "rel_gap"]


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

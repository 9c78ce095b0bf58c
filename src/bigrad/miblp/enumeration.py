"""Enumeration of every leader decision, for tiny all-integer leader spaces.

For each integer leader decision ``x`` (all leader variables integer and
bounded): the follower's MILP gives ``theta(x)`` (P6), the optimistic MILP the
best leader objective among follower optima (P7); the best of those is the
optimum.  ``method="auto"`` uses it only when every variable is bounded and
there are at most :data:`AUTO_MAX_CHOICES` decisions, where the CCG method's
preprocessing costs more than enumerating (measured on the bench instances).
"""
from __future__ import annotations

import itertools
import math

import numpy as np

from .outcome import LoopState, build_result
from .problem import Problem
from .result import MiblpResult, TimeUp, deadline_scope
from .subproblems import follower_response, optimistic_response

__all__ = ["AUTO_MAX_CHOICES", "leader_choices", "solve_by_enumeration"]

#: largest number of leader decisions that ``method="auto"`` enumerates
AUTO_MAX_CHOICES = 12


def leader_choices(p: Problem) -> int | None:
    """Number of integer leader decisions, None if a leader variable is continuous or unbounded."""
    L = p.leader_idx
    if L.size == 0 or not p.integer[L].all() or not (np.isfinite(p.lb[L]).all() and np.isfinite(p.ub[L]).all()):
        return None
    sizes = np.floor(p.ub[L]) - np.ceil(p.lb[L]) + 1
    return 0 if np.any(sizes <= 0) else int(np.prod(sizes, dtype=float))


def solve_by_enumeration(state: LoopState, deadline: float | None) -> MiblpResult:
    """Enumerate; the result's ``lower_bound`` is the best value of the decisions done so far under a limit."""
    p = state.p
    L = p.leader_idx
    ranges = [range(math.ceil(p.lb[j]), math.floor(p.ub[j]) + 1) for j in L]
    status, message = "optimal", "every leader decision enumerated"
    try:
        with deadline_scope(deadline):
            for choice in itertools.product(*ranges):
                v = np.zeros(p.n)
                v[L] = choice
                v[p.follower_idx] = np.clip(0.0, p.lb[p.follower_idx], p.ub[p.follower_idx])
                state.iterations += 1
                p6 = follower_response(p, v)
                if p6.status == "infeasible":
                    continue
                if p6.status != "optimal":
                    raise RuntimeError(f"follower problem at leader decision {choice} ended with status {p6.status!r}")
                p7 = optimistic_response(p, v, p6.value)
                if p7.status == "optimal" and p7.value < state.ub:
                    state.ub, state.incumbent = p7.value, p7.v
                elif p7.status not in ("optimal", "infeasible"):
                    raise RuntimeError(f"optimistic problem at leader decision {choice} ended with status "
                                       f"{p7.status!r}")
    except TimeUp:
        status, message = "time_limit", "time limit reached while enumerating leader decisions"
    except KeyboardInterrupt:
        status, message = "interrupted", "interrupted (Ctrl-C); the best point found so far is returned"
    if status == "optimal":
        state.lb = state.ub
        if state.incumbent is None:
            status, message = "infeasible", "no leader decision has a bilevel feasible response"
    return build_result(p, status, message, state.lb, state.ub, state.incumbent, state.iterations, state.start,
                        method="enumerate", timings=state.timings)

"""Subproblems at a fixed leader decision.

* (P6) :func:`follower_response` - the follower's own MILP;
* (P7) :func:`optimistic_response` - best follower optimum for the leader.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from . import _sparse as sp
from .highs_backend import solve_mip
from .problem import Problem

__all__ = ["SubResult", "fix_leader", "follower_response", "optimistic_response", "optimality_tolerance"]


@dataclass
class SubResult:
    """status: 'optimal' / 'infeasible' / 'unbounded' / 'time_limit' / 'error';
    ``v`` (n,) full vector (leader part as given, follower part solved);
    ``value``: follower optimum in the follower's own sense (P6) or leader
    objective including the offset (P7)."""

    status: str
    value: float
    v: np.ndarray | None


def optimality_tolerance(theta: float) -> float:
    """Slack allowed on the follower's optimal value in P7 and in final checks."""
    return 1e-6 * max(1.0, abs(theta))


def fix_leader(problem: Problem, v) -> np.ndarray:
    """Copy of ``v`` (n,) with integer leader entries rounded and leader entries clipped to bounds."""
    v = np.array(v, dtype=float)
    L = problem.leader_idx
    vals = v[L]
    vals = np.where(problem.integer[L], np.round(vals), vals)
    v[L] = np.clip(vals, problem.lb[L], problem.ub[L])
    return v


def _rows_at(problem: Problem, v: np.ndarray, rows: np.ndarray):
    F, L = problem.follower_idx, problem.leader_idx
    A = problem.A[np.flatnonzero(rows)]  # dense or sparse, as stored
    shift = A[:, L] @ v[L]
    return A[:, F], problem.row_lower[rows] - shift, problem.row_upper[rows] - shift


def follower_response(problem: Problem, v, *, time_limit: float | None = None, bounds=None) -> SubResult:
    """Solve the follower's problem with the leader variables fixed to ``v[L]``.

    ``bounds=(lb, ub)`` (each (n_follower,)) replaces the follower's variable bounds.
    """
    F = problem.follower_idx
    A, lo, hi = _rows_at(problem, v, problem.follower_rows)
    sign = 1.0 if problem.follower_sense == "min" else -1.0
    lb, ub = (problem.lb[F], problem.ub[F]) if bounds is None else bounds
    out = solve_mip(sign * problem.follower_c[F], A, lo, hi, lb, ub,
                    problem.integer[F], time_limit=time_limit)
    if out.status != "optimal":
        return SubResult(out.status, math.nan, None)
    full = np.array(v, dtype=float)
    full[F] = out.x
    return SubResult("optimal", sign * out.objective, full)


def optimistic_response(problem: Problem, v, theta: float, *, time_limit: float | None = None,
                        zero_objective: bool = False) -> SubResult:
    """Best leader objective over follower responses with follower value within
    :func:`optimality_tolerance` of the optimum ``theta`` (follower's own sense),
    subject to all rows (leader and follower) at the fixed leader decision.

    The MILP's follower integer part is then kept and the continuous follower
    part is "polished": the follower's LP optimum ``theta_I`` at that integer
    part is computed and the leader's LP is re-solved with the follower value
    within 1e-9 (relative) of ``theta_I``, so the leader cannot exploit the
    1e-6 band of the MILP.  If polishing fails numerically the MILP point is kept.
    ``zero_objective=True`` only looks for a feasible response (its ``value`` is
    still the leader objective of the point found).
    """
    F, L = problem.follower_idx, problem.leader_idx
    A, lo, hi = _rows_at(problem, v, np.ones(problem.m, bool))
    const = float(problem.c[L] @ np.asarray(v, dtype=float)[L]) + problem.objective_offset
    cost = np.zeros(F.size) if zero_objective else problem.c[F]
    out = _optimistic_milp(problem, cost, A, lo, hi, problem.lb[F], problem.ub[F], theta,
                           optimality_tolerance(theta), const, time_limit)
    if out.status != "optimal":
        return SubResult(out.status, math.nan, None)
    full = np.array(v, dtype=float)
    full[F] = out.x
    fint = problem.integer[F]
    if fint.all() or zero_objective:
        return SubResult("optimal", problem.leader_objective(full), full)
    # polish: follower integers fixed at the MILP's choice
    yi = np.round(out.x[fint])
    lb, ub = problem.lb[F].copy(), problem.ub[F].copy()
    lb[fint] = ub[fint] = yi
    lp = follower_response(problem, full, time_limit=time_limit, bounds=(lb, ub))
    if lp.status != "optimal":
        return SubResult("optimal", out.objective, full)
    pol = _optimistic_milp(problem, cost, A, lo, hi, lb, ub, lp.value, 1e-9 * max(1.0, abs(lp.value)), const,
                           time_limit)
    if pol.status != "optimal":
        return SubResult("optimal", out.objective, full)
    full[F] = pol.x
    return SubResult("optimal", pol.objective, full)


def _optimistic_milp(problem, cost, A, lo, hi, lb, ub, theta, tol, const, time_limit):
    F = problem.follower_idx
    fc = problem.follower_c[F]
    A = sp.vstack([A, sp.csr_matrix(fc[None, :])], format="csc") if sp.issparse(A) else np.vstack([A, fc[None, :]])
    if problem.follower_sense == "min":
        lo, hi = np.append(lo, -np.inf), np.append(hi, theta + tol)
    else:
        lo, hi = np.append(lo, theta - tol), np.append(hi, np.inf)
    return solve_mip(cost, A, lo, hi, lb, ub, problem.integer[F], offset=const, time_limit=time_limit)

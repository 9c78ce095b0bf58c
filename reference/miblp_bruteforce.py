"""Brute-force references for ``bigrad.miblp`` (used by tests and benchmarks).

Independent of the solver's code: only the raw arrays of a
``bigrad.miblp.Problem`` are read.

* :func:`bruteforce_highs` enumerates every value of the integer leader
  variables (continuous leader variables must not appear in follower rows);
  for each, it solves the follower's MILP with HiGHS (value ``theta``) and
  then the optimistic MILP ``min leader objective`` over follower responses
  with value within 1e-9 (relative) of ``theta`` that satisfy all rows (HiGHS
  tolerances 1e-9);
* :func:`bruteforce_enumerate` (pure numpy, all variables integer and
  bounded) enumerates every (leader, follower) integer point;
* :func:`random_instance` draws small random instances (seeded).
"""
from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

import highspy
import numpy as np


@dataclass
class BruteResult:
    status: str  # "optimal" or "infeasible"
    objective: float
    values: np.ndarray | None
    leader_choices: int


def _milp(c, A, lo, hi, lb, ub, integer):
    """min c@x, lo <= A@x <= hi, lb <= x <= ub; returns (status, x, obj)."""
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("mip_rel_gap", 0.0)
    h.setOptionValue("mip_abs_gap", 0.0)
    for opt in ("mip_feasibility_tolerance", "primal_feasibility_tolerance", "dual_feasibility_tolerance"):
        h.setOptionValue(opt, 1e-9)
    inf = highspy.kHighsInf
    fix = lambda a: np.clip(np.asarray(a, dtype=float), -inf, inf)
    n = len(c)
    h.addVars(n, fix(lb), fix(ub))
    h.changeColsCost(n, np.arange(n, dtype=np.int32), np.asarray(c, dtype=float))
    if np.any(integer):
        idx = np.flatnonzero(integer).astype(np.int32)
        h.changeColsIntegrality(idx.size, idx, np.array([highspy.HighsVarType.kInteger] * idx.size))
    for i in range(A.shape[0]):
        nz = np.flatnonzero(A[i]).astype(np.int32)
        h.addRow(float(fix(lo[i])), float(fix(hi[i])), nz.size, nz, A[i, nz].astype(float))
    h.run()
    st = h.getModelStatus()
    if st == highspy.HighsModelStatus.kOptimal:
        return "optimal", np.array(h.getSolution().col_value), h.getInfo().objective_function_value
    if st == highspy.HighsModelStatus.kInfeasible:
        return "infeasible", None, math.inf
    return h.modelStatusToString(st), None, math.nan


def bruteforce_highs(problem, tol: float = 1e-9) -> BruteResult:
    p = problem
    L = np.flatnonzero(~p.follower_vars)
    F = np.flatnonzero(p.follower_vars)
    LI = L[p.integer[L]]
    LC = L[~p.integer[L]]
    frows = p.follower_rows
    if p.m and np.any(p.A[np.ix_(frows, LC)] != 0):
        raise ValueError("brute force needs continuous leader variables outside the follower rows")
    if not (np.isfinite(p.lb[LI]).all() and np.isfinite(p.ub[LI]).all()):
        raise ValueError("brute force needs bounded integer leader variables")
    sign = 1.0 if p.follower_sense == "min" else -1.0
    best = BruteResult("infeasible", math.inf, None, 0)
    ranges = [range(int(p.lb[j]), int(p.ub[j]) + 1) for j in LI]
    free = np.concatenate([LC, F]).astype(int)  # variables of the optimistic problem
    for choice in itertools.product(*ranges):
        best.leader_choices += 1
        xi = np.array(choice, dtype=float)
        shift_f = p.A[frows][:, LI] @ xi
        st, yf, obj = _milp(sign * p.follower_c[F], p.A[frows][:, F], p.row_lower[frows] - shift_f,
                            p.row_upper[frows] - shift_f, p.lb[F], p.ub[F], p.integer[F])
        if st == "infeasible":
            continue
        if st != "optimal":
            raise ValueError(f"follower problem: {st}")
        theta = sign * obj
        band = tol * max(1.0, abs(theta))
        shift = p.A[:, LI] @ xi
        A = np.vstack([p.A[:, free], p.follower_c[free][None, :]])
        lo = np.append(p.row_lower - shift, theta - band if sign < 0 else -np.inf)
        hi = np.append(p.row_upper - shift, theta + band if sign > 0 else np.inf)
        st, z, obj = _milp(p.c[free], A, lo, hi, p.lb[free], p.ub[free], p.integer[free])
        if st == "infeasible":
            continue
        if st != "optimal":
            raise ValueError(f"optimistic problem: {st}")
        val = obj + float(p.c[LI] @ xi) + p.objective_offset
        if val < best.objective - 1e-9:
            v = np.zeros(p.n)
            v[LI] = xi
            v[free] = z
            best = BruteResult("optimal", val, v, best.leader_choices)
    return best


def bruteforce_enumerate(problem) -> BruteResult:
    """Pure enumeration for all-integer, bounded instances (no LP solver involved)."""
    p = problem
    if not p.integer.all() or not (np.isfinite(p.lb).all() and np.isfinite(p.ub).all()):
        raise ValueError("bruteforce_enumerate needs all variables integer and bounded")
    L = np.flatnonzero(~p.follower_vars)
    F = np.flatnonzero(p.follower_vars)
    grid_f = np.array(list(itertools.product(*[range(int(p.lb[j]), int(p.ub[j]) + 1) for j in F])), dtype=float)
    best = BruteResult("infeasible", math.inf, None, 0)
    fr = p.follower_rows
    for choice in itertools.product(*[range(int(p.lb[j]), int(p.ub[j]) + 1) for j in L]):
        best.leader_choices += 1
        V = np.zeros((grid_f.shape[0], p.n))
        V[:, L] = choice
        V[:, F] = grid_f
        act = V @ p.A.T
        ok_f = np.all((act[:, fr] >= p.row_lower[fr] - 1e-9) & (act[:, fr] <= p.row_upper[fr] + 1e-9), axis=1)
        if not ok_f.any():
            continue
        fval = V @ p.follower_c
        if p.follower_sense == "max":
            fval = -fval
        theta = fval[ok_f].min()
        opt = ok_f & (fval <= theta + 1e-9)
        ok_all = opt & np.all((act >= p.row_lower - 1e-9) & (act <= p.row_upper + 1e-9), axis=1)
        if not ok_all.any():
            continue
        lv = V @ p.c + p.objective_offset
        k = np.flatnonzero(ok_all)[np.argmin(lv[ok_all])]
        if lv[k] < best.objective - 1e-9:
            best = BruteResult("optimal", float(lv[k]), V[k].copy(), best.leader_choices)
    return best


def random_instance(seed: int, *, leader_int=(1, 2), follower_int=(1, 2), max_follower_cont: int = 2,
                    follower_rows=(2, 3), leader_rows=(0, 2), allow_leader_cont: bool = True,
                    unbounded_follower_cont: bool = True):
    """Small random MIBLP (integer data) suitable for the brute-force references.

    Leader: ``leader_int`` = (min, max) integer variables in [0, 2..4],
    optionally one continuous leader variable in [0, 5] that only appears in
    leader rows.  Follower: ``follower_int`` integer variables in [0, 3] and
    0..max_follower_cont continuous ones in [0, 4] (sometimes without upper
    bound, then bounded by a linking row).  Row counts are drawn from the
    (min, max) ranges ``follower_rows`` / ``leader_rows``.
    """
    from bigrad.miblp import Problem

    rng = np.random.default_rng(seed)
    nxi = int(rng.integers(leader_int[0], leader_int[1] + 1))
    nxc = int(rng.integers(0, 2)) if allow_leader_cont else 0
    nyi = int(rng.integers(follower_int[0], follower_int[1] + 1))
    nyc = int(rng.integers(0, max_follower_cont + 1))
    nx, ny = nxi + nxc, nyi + nyc
    x_ub = np.concatenate([rng.integers(2, 5, nxi), np.full(nxc, 5.0)]).astype(float)
    y_ub = np.concatenate([np.full(nyi, 3.0), np.full(nyc, 4.0)])
    p_rows = int(rng.integers(follower_rows[0], follower_rows[1] + 1))
    k_rows = int(rng.integers(leader_rows[0], leader_rows[1] + 1))
    Q = rng.integers(-3, 4, (p_rows, nx)).astype(float)
    Q[:, nxi:] = 0.0  # continuous leader variables are not linking
    P = rng.integers(-3, 4, (p_rows, ny)).astype(float)
    s = rng.integers(0, 11, p_rows).astype(float)
    if unbounded_follower_cont and nyc and rng.random() < 0.4:
        j = nyi + int(rng.integers(0, nyc))
        y_ub[j] = np.inf
        row_q = np.zeros(nx)
        row_q[0] = -1.0
        row_p = np.zeros(ny)
        row_p[j] = 1.0
        Q = np.vstack([Q, row_q])
        P = np.vstack([P, row_p])
        s = np.append(s, 2.0)  # y_j <= 2 + x_0
    A_x = rng.integers(-3, 4, (k_rows, nx)).astype(float)
    A_y = rng.integers(-3, 4, (k_rows, ny)).astype(float)
    b = rng.integers(0, 13, k_rows).astype(float)
    return Problem.from_blocks(
        leader_c_x=rng.integers(-5, 6, nx).astype(float),
        leader_c_y=rng.integers(-5, 6, ny).astype(float),
        follower_c_y=rng.integers(-5, 6, ny).astype(float),
        x_lb=np.zeros(nx), x_ub=x_ub, y_lb=np.zeros(ny), y_ub=y_ub,
        x_integer=np.arange(nx) < nxi, y_integer=np.arange(ny) < nyi,
        A_x=A_x, A_y=A_y, b=b, Q_x=Q, P_y=P, s=s,
        follower_sense="max" if rng.random() < 0.5 else "min",
        name=f"random{seed}",
    )

"""PAO 1.0.2 (PCCG on HiGHS through Pyomo) as a benchmark peer for bigrad.miblp; None when PAO is absent.

PAO 1.0.2 predates NumPy 2: the removed aliases ``np.PINF``/``np.NINF`` are restored before importing it.
"""
from __future__ import annotations

import math
import time
import warnings

import numpy as np


def pao_available() -> bool:
    try:
        _import_pao()
    except Exception:
        return False
    return True


def _import_pao():
    if not hasattr(np, "PINF"):
        np.PINF, np.NINF = np.inf, -np.inf  # noqa: NPY201 - PAO 1.0.2 still uses these aliases
    with warnings.catch_warnings():  # its own deprecation notices (pytest turns warnings into errors)
        warnings.simplefilter("ignore")
        import pao.mpr

    return pao


def solve_with_pao(problem, mip_solver: str = "appsi_highs") -> tuple[float | None, float, str]:
    """(leader objective or None, wall seconds, termination) of PAO's PCCG on ``problem``
    (a bigrad.miblp.Problem)."""
    pao = _import_pao()
    p = problem
    L, F = p.leader_idx, p.follower_idx
    lord = np.concatenate([L[~p.integer[L]], L[p.integer[L]]])
    ford = np.concatenate([F[~p.integer[F]], F[p.integer[F]]])
    M = pao.mpr.LinearMultilevelProblem()
    U = M.add_upper(nxR=int((~p.integer[L]).sum()), nxZ=int(p.integer[L].sum()))
    LL = U.add_lower(nxR=int((~p.integer[F]).sum()), nxZ=int(p.integer[F].sum()))
    U.x.lower_bounds, U.x.upper_bounds = list(p.lb[lord]), list(p.ub[lord])
    LL.x.lower_bounds, LL.x.upper_bounds = list(p.lb[ford]), list(p.ub[ford])
    U.c[U], U.c[LL] = list(p.c[lord]), list(p.c[ford])
    LL.c[LL] = list(p.follower_c[ford])
    LL.maximize = p.follower_sense == "max"

    def rows(mask):
        A, b = [], []
        for i in np.flatnonzero(mask):
            if math.isfinite(p.row_upper[i]):
                A.append(p.A[i]), b.append(p.row_upper[i])
            if math.isfinite(p.row_lower[i]):
                A.append(-p.A[i]), b.append(-p.row_lower[i])
        return np.array(A).reshape(-1, p.n), np.array(b)

    for level, mask in ((U, ~p.follower_rows), (LL, p.follower_rows)):
        A, b = rows(mask)
        if A.shape[0]:
            level.A[U] = A[:, lord].tolist()
            level.A[LL] = A[:, ford].tolist()
            level.b = b.tolist()
    opt = pao.Solver("pao.mpr.PCCG", mip_solver=mip_solver)
    t0 = time.perf_counter()
    try:
        res = opt.solve(M)
    except Exception as exc:
        return None, time.perf_counter() - t0, f"error: {type(exc).__name__}"
    secs = time.perf_counter() - t0
    term = str(res.solver.termination_condition).split(".")[-1]  # PCCG leaves it 'unknown' when it succeeds
    vals = list(U.x.values) + list(LL.x.values)
    if term not in ("optimal", "unknown") or any(t is None for t in vals):
        return None, secs, term
    v = np.zeros(p.n)
    v[lord] = [float(t) for t in U.x.values]
    v[ford] = [float(t) for t in LL.x.values]
    return float(p.c @ v + p.objective_offset), secs, term

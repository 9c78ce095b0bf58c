"""Solve one instance of a suite and describe the outcome as the fields of a result row."""
from __future__ import annotations

import math
import os
import time

#: how close an objective must be to the reference optimum to match it (relative to max(1, |ref|)):
#: exact solvers to 1e-6; the continuous BOLIB solves (local, first-order) to 1e-3
MATCH_RTOL = {"miblp": 1e-6, "tsp": 1e-6, "bolib": 1e-3}


def matches(objective, reference, rtol: float = 1e-6) -> bool | None:
    """Whether ``objective`` equals the known optimum ``reference`` (None when either is unknown)."""
    if reference is None or objective is None or not math.isfinite(objective):
        return None
    return abs(objective - reference) <= rtol * max(1.0, abs(reference))


def _finite(v):
    return float(v) if v is not None and math.isfinite(float(v)) else None


def solve_miblp(files, time_limit) -> dict:
    from bigrad import miblp

    start = time.perf_counter()
    problem = miblp.read_mps_aux(*files)
    read = time.perf_counter() - start
    cpu = time.process_time()
    res = miblp.solve(problem, time_limit=time_limit)
    # solve_seconds: the in-process solve (reading excluded), the figure compared with other solvers' times;
    # its CPU time and the machine's 1-minute load say how much a shared machine slowed it down
    return dict(status=res.status, objective=_finite(res.objective), lower_bound=_finite(res.lower_bound),
                upper_bound=_finite(res.upper_bound), gap=_finite(res.gap), iterations=int(res.iterations),
                bilevel_feasible=getattr(res, "bilevel_feasible", None), method=res.method,
                read_seconds=read, solve_seconds=res.solve_time, solve_cpu_seconds=time.process_time() - cpu,
                load1=os.getloadavg()[0])


def solve_tsp(files) -> dict:
    from bigrad.solvers import tsp
    from bigrad.solvers.tsp import TSP_N_LIMIT

    from .instances import load_tsplib

    _, dist = load_tsplib(files[0])
    n = len(dist)
    mask, cost = tsp(dist, return_cost=True, max_n=TSP_N_LIMIT)  # larger n: a clear error, the instance's row
    feasible = bool((mask.sum(0) == 1).all() and (mask.sum(1) == 1).all())
    return dict(status="optimal", objective=float(cost), lower_bound=float(cost), upper_bound=float(cost), gap=0.0,
                iterations=None, bilevel_feasible=None, feasible=feasible, n=n)


def solve_bolib(name) -> dict:
    from bigrad.bolib import PROBLEMS

    res = PROBLEMS[name].solve()
    return dict(status="optimal" if res.converged else "not_converged", objective=_finite(res.F),
                lower_bound=None, upper_bound=_finite(res.F), gap=None, iterations=int(res.iterations),
                bilevel_feasible=None, follower_objective=_finite(res.f))


def solve_instance(instance: dict, time_limit: float | None) -> dict:
    """Solve ``instance`` (an :class:`~.instances.Instance` as a dict); the outcome fields of its row."""
    start = time.perf_counter()
    suite = instance["suite"]
    if suite == "miblp":
        fields = solve_miblp(instance["files"], time_limit)
    elif suite == "tsp":
        fields = solve_tsp(instance["files"])  # TSP and BOLIB solves have no time limit of their own:
    elif suite == "bolib":
        fields = solve_bolib(instance["name"])  # the isolating process's limit holds
    else:
        raise ValueError(f"unknown suite {suite!r}")
    fields["seconds"] = time.perf_counter() - start
    fields["reference_match"] = matches(fields.get("objective"), instance.get("reference"), MATCH_RTOL[suite])
    return fields

"""Benchmark: MIBLPs with 20-40 continuous follower variables (issue 11), bigrad against brute force.

Run (timings are only collected with --benchmark-enable; -s shows the table)::

    PYTHONPATH=src .venv/bin/python -m pytest bench/bench_miblp_continuous.py --benchmark-enable -s -q \\
        --benchmark-json=bench/results/bench_miblp_continuous.json

Two families (reference/miblp_covering.py), 2 integer leader variables in [0, 3] (16
decisions), 2 integer follower variables in [0, 2], 6 follower rows:

* ``covering_k*``: covering followers (``u >= 0``, positive costs): the follower's dual polyhedron
  is bounded;
* ``boxed_k*``: every continuous follower variable has two finite bounds and the follower's LP is
  infeasible for some choices: the dual polyhedron has rays, so the KKT form does not apply and
  the vertex enumeration exceeds ``max_enumeration``; seed = the first seed >= 1 whose instance
  is bilevel feasible.

bigrad's default (``method="auto"``: on these 16 integer leader decisions, the leader
enumeration), bigrad's CCG on its own (``method="ccg"``, ``dual="auto"``, which picks the
critical-region cuts for both families) and the brute force over leader x follower integer
choices with scipy LPs are first checked to agree, then timed interleaved, ``ROUNDS`` times
(wall and CPU time, median and min, machine load).
"""
from __future__ import annotations

import numpy as np
import pytest

from bench.conftest import interleaved, machine_load
from bigrad.miblp import solve
from bigrad.miblp.projection.reformulation import Reformulation
from reference.miblp_covering import boxed_instance, bruteforce_follower_lp, covering_instance

ROUNDS = 5


def _first_feasible_boxed(k: int):
    for seed in range(1, 20):
        p = boxed_instance(seed, k=k, nI=2, rows=6)
        if bruteforce_follower_lp(p, tol=1e-9).status == "optimal":
            return p
    raise RuntimeError(f"no bilevel feasible boxed instance with k={k}")


CASES = {f"covering_k{k}": (lambda k=k: covering_instance(1, k=k, nI=2, rows=6)) for k in (20, 30, 40)}
CASES.update({f"boxed_k{k}": (lambda k=k: _first_feasible_boxed(k)) for k in (20, 30, 40)})


@pytest.mark.parametrize("name", list(CASES))
def test_bench_miblp_continuous(benchmark, name):
    problem = CASES[name]()
    k = int((problem.follower_vars & ~problem.integer).sum())
    ref = bruteforce_follower_lp(problem, tol=1e-9)
    res = solve(problem)  # the default a user gets (method="auto"), reported in result.method
    ccg = solve(problem, method="ccg")  # the follower-dual handling on its own
    for out in (res, ccg):
        assert out.status == ref.status == "optimal", out.message
        assert abs(out.objective - ref.objective) <= 1e-5 * max(1.0, abs(ref.objective))
        assert out.bilevel_feasible
    form = Reformulation(problem).dual_form
    load = machine_load()
    t = interleaved({"bigrad": lambda: solve(problem), "ccg": lambda: solve(problem, method="ccg"),
                     "brute": lambda: bruteforce_follower_lp(problem, tol=1e-9)}, rounds=ROUNDS)
    benchmark.pedantic(lambda: solve(problem), rounds=1, iterations=1, warmup_rounds=0)
    own, via_ccg, brute = t["bigrad"], t["ccg"], t["brute"]
    rays = bool(np.isfinite(problem.ub[problem.follower_vars & ~problem.integer]).all())
    benchmark.extra_info.update(
        method=res.method, solver_s=own["median"], solver_min_s=own["min"], solver_cpu_s=own["cpu_median"],
        ccg_s=via_ccg["median"], ccg_min_s=via_ccg["min"],
        brute_force_s=brute["median"], brute_force_min_s=brute["min"], brute_force_cpu_s=brute["cpu_median"],
        x_brute_force=brute["median"] / own["median"], x_brute_force_ccg=brute["median"] / via_ccg["median"],
        continuous_follower=k, dual_form=form, dual_rays=rays, ccg_iterations=ccg.iterations,
        objective=res.objective, leader_choices=ref.leader_choices, **load)
    ratio = brute["median"] / own["median"]
    print(f"\nMIBLP {name:13s} k={k:3d} method={res.method:9s} "
          f"bigrad median/min={1e3 * own['median']:8.1f}/{1e3 * own['min']:8.1f} ms  "
          f"ccg (dual={form}, {ccg.iterations} iters) {1e3 * via_ccg['median']:8.1f} ms  "
          f"brute-LP({ref.leader_choices} leader choices) median/min="
          f"{1e3 * brute['median']:8.1f}/{1e3 * brute['min']:8.1f} ms  brute/bigrad={ratio:5.2f}  "
          f"load={load['load1']}" + ("  SLOWER THAN BRUTE FORCE" if ratio < 1 else ""))

"""Benchmark of bigrad.miblp.solve against brute-force enumeration (issue 7).

Run (timings are only collected with --benchmark-enable; -s shows the table)::

    PYTHONPATH=src .venv/bin/python -m pytest bench/bench_miblp.py --benchmark-enable -s -q

For every instance the solver's answer is first checked against the
brute-force reference (tests/reference/miblp_bruteforce.py), then the solver
is timed by pytest-benchmark and the brute force is timed in the same run;
one line per instance reports both medians and the ratio brute/solver.
"""
from __future__ import annotations

import statistics
import time
from pathlib import Path

import numpy as np
import pytest

from bigrad.miblp import Problem, read_mps_aux, solve
from tests.reference.miblp_bruteforce import bruteforce_highs, random_instance

DATA = Path(__file__).resolve().parent.parent / "tests" / "data" / "miblp"
ROUNDS = 3


def knapsack_interdiction(n: int, seed: int, budget: int) -> Problem:
    """Random knapsack interdiction: the leader removes up to ``budget`` items
    (binary x), the follower packs the rest (binary y) maximising profit, the
    leader minimises that profit."""
    rng = np.random.default_rng(seed)
    profit = rng.integers(5, 20, n).astype(float)
    weight = rng.integers(3, 12, n).astype(float)
    cap = float(weight.sum() // 2)
    return Problem.from_blocks(
        leader_c_x=np.zeros(n), leader_c_y=profit, follower_c_y=profit,
        x_lb=np.zeros(n), x_ub=np.ones(n), y_lb=np.zeros(n), y_ub=np.ones(n),
        x_integer=np.ones(n, bool), y_integer=np.ones(n, bool),
        A_x=np.ones((1, n)), A_y=np.zeros((1, n)), b=[budget],
        Q_x=np.vstack([np.zeros((1, n)), np.eye(n)]), P_y=np.vstack([weight, np.eye(n)]),
        s=np.concatenate([[cap], np.ones(n)]), follower_sense="max", name=f"kip{n}_{seed}",
    )


def _large(seed):
    return random_instance(seed, leader_int=(4, 4), follower_int=(4, 4), max_follower_cont=2,
                           follower_rows=(5, 6), leader_rows=(1, 2))


def _medium(seed):
    return random_instance(seed, leader_int=(3, 3), follower_int=(3, 3), max_follower_cont=2,
                           follower_rows=(4, 5), leader_rows=(1, 2))


def _moore_bard():
    p = read_mps_aux(DATA / "moore_bard.mps", DATA / "moore_bard.aux")
    p.ub[:] = 10.0  # implied by x + 2y <= 10, x, y >= 0; the brute force needs explicit bounds
    return p


CASES = {
    "moore_bard": _moore_bard,
    "denegre": lambda: read_mps_aux(DATA / "denegre.mps", DATA / "denegre.aux"),
    "kip4_file": lambda: read_mps_aux(DATA / "knapsack_interdiction.mps", DATA / "knapsack_interdiction.aux"),
    "kip8": lambda: knapsack_interdiction(8, 0, 3),
    "kip10": lambda: knapsack_interdiction(10, 1, 3),
    **{f"random_small_{s}": (lambda s=s: random_instance(s)) for s in range(4)},
    **{f"random_medium_{s}": (lambda s=s: _medium(s)) for s in (1, 4, 10)},
    **{f"random_large_{s}": (lambda s=s: _large(s)) for s in (0, 1, 5)},
}


def _agree(res, ref) -> bool:
    if ref.status == "infeasible":
        return res.status == "infeasible"
    return res.status == "optimal" and abs(res.objective - ref.objective) <= 1e-6 * max(1.0, abs(ref.objective))


@pytest.mark.parametrize("name", list(CASES))
def test_bench_miblp(benchmark, name):
    problem = CASES[name]()
    # correctness first (also times the reference)
    ref_times = []
    for _ in range(ROUNDS):
        t0 = time.perf_counter()
        ref = bruteforce_highs(problem)
        ref_times.append(time.perf_counter() - t0)
    res = solve(problem)
    assert _agree(res, ref), (res.status, res.objective, ref.status, ref.objective)
    assert res.status != "optimal" or res.bilevel_feasible

    own_times = []

    def timed():
        t0 = time.perf_counter()
        out = solve(problem)
        own_times.append(time.perf_counter() - t0)
        return out

    out = benchmark.pedantic(timed, rounds=ROUNDS, iterations=1, warmup_rounds=0)
    assert out.status == res.status
    t_solver = statistics.median(own_times)
    t_ref = statistics.median(ref_times)
    benchmark.extra_info.update(brute_force_s=t_ref, ratio=t_ref / t_solver, iterations=res.iterations,
                                leader_choices=ref.leader_choices, objective=res.objective)
    print(f"\nMIBLP {name:18s} n={problem.n:3d} m={problem.m:3d} status={res.status:10s} "
          f"obj={res.objective:10.4g} iters={res.iterations:3d} cols={len(res.columns):3d} "
          f"solver={1e3 * t_solver:9.1f} ms  brute({ref.leader_choices:4d} leader choices)="
          f"{1e3 * t_ref:9.1f} ms  brute/solver={t_ref / t_solver:6.2f}")

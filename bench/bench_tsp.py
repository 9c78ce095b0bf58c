"""TSP and TSP with interdiction: bigrad (Held–Karp + min_max_min) vs a HiGHS MILP.

Per-instance times (median and min of 10 rounds) at n = 8, 10, 12 cities, batch 64, 1 and 2 threads.
Instances: cities uniform in the unit square, z = Euclidean distances (as in
the paper's Sec. 5.4), w uniform in [0, mean(z)) for the interdiction.
HiGHS: assignment MILP with DFJ subtour cuts added until one cycle remains;
for interdiction the Bertsimas–Sim dualised robust MILP (tests/reference/tsp_reference.py),
timed on a subset of the instances, model building included.
Run: .venv/bin/python -m pytest bench/bench_tsp.py --benchmark-enable -s
"""
import numpy as np
import pytest

import bigrad
from bench.conftest import per_call_seconds, report
from bigrad.solvers import tsp, tsp_interdiction
from tests.reference.tsp_reference import euclidean, highs_tsp

BATCH = 64
PEERS = 6  # instances HiGHS solves


def instances(n, seed=0):
    rng = np.random.default_rng(seed)
    z = euclidean(rng, BATCH, n)
    w = rng.random((BATCH, n, n)) * z.mean()
    return z, w


def timed(benchmark, threads, fn, *args):
    before = bigrad.get_num_threads()
    bigrad.set_num_threads(threads)
    try:
        benchmark.pedantic(fn, args=args, rounds=10, iterations=1, warmup_rounds=1)
    finally:
        bigrad.set_num_threads(before)
    if benchmark.stats is None:  # --benchmark-disable (the default addopts): correctness only
        return None, None
    stats = benchmark.stats.stats
    return stats.median / BATCH, stats.min / BATCH


@pytest.mark.parametrize("threads", [1, 2])
@pytest.mark.parametrize("n", [8, 10, 12])
def test_tsp(benchmark, n, threads):
    z, _ = instances(n)
    _, cost = tsp(z[:PEERS], return_cost=True)  # correctness first
    ref = [highs_tsp(z[b])[0] for b in range(PEERS)]
    np.testing.assert_allclose(cost, ref, rtol=1e-9)
    ours, best = timed(benchmark, threads, tsp, z)
    if ours is None:
        return
    highs = per_call_seconds(highs_tsp, list(z[:PEERS]), min_time=0.5)
    report(benchmark, dict(op="tsp", n=n, threads=threads, bigrad_us=ours * 1e6, bigrad_min_us=best * 1e6,
                           highs_us=highs * 1e6, x_highs=highs / ours))


@pytest.mark.parametrize("threads", [1, 2])
@pytest.mark.parametrize("n", [8, 10, 12])
def test_tsp_interdiction(benchmark, n, threads):
    z, w = instances(n, seed=1)
    *_, value = tsp_interdiction(z[:PEERS], w[:PEERS], 1, return_cost=True)
    ref = [highs_tsp(z[b], w[b], 1)[0] for b in range(PEERS)]
    np.testing.assert_allclose(value, ref, rtol=1e-9)
    ours, best = timed(benchmark, threads, tsp_interdiction, z, w, 1)
    if ours is None:
        return
    highs = per_call_seconds(lambda b: highs_tsp(z[b], w[b], 1), list(range(PEERS)), min_time=0.5)
    report(benchmark, dict(op="tsp_interdiction", n=n, threads=threads, budget=1, bigrad_us=ours * 1e6,
                           bigrad_min_us=best * 1e6, highs_us=highs * 1e6, x_highs=highs / ours))

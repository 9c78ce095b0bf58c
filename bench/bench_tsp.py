"""Exact TSP: bigrad (Held–Karp below 12 cities, branch and bound above) vs elkai (LKH-3) and a HiGHS MILP.

Instances: cities uniform in the unit square, TSPLIB EUC_2D style integer costs
``round(1000 * distance)`` (elkai's native input), batch 64, n = 8 ... 30.
Correctness first: bigrad's costs equal the HiGHS optimum on the peers' subset,
and the number of elkai tours that are optimal is recorded (LKH is a heuristic).
Timing: rounds interleave bigrad (the whole batch, 1 thread) with elkai
(``runs=1``, its fastest setting, per instance) and HiGHS (assignment MILP with
DFJ subtour cuts added until one cycle remains, model building included) on
subsets; per-instance median and min over the rounds. The machine's load
average before and after, and the peers' versions, go into the JSON.
Clustered family (``test_tsp_clustered``): two clusters of n/2 points in unit
squares whose corners are uniform in [0, 50]^2, same integer costs: the 1-tree
bound's hard case (a 1-tree crosses between the clusters once, a tour twice).
Each bigrad instance is timed alone (1 thread, CPU time, best of the rounds),
so the row reports the median and the slowest instance, against elkai and
HiGHS per instance in the same run.
TSP interdiction (budget 1) against the Bertsimas–Sim robust MILP on HiGHS,
with symmetric w (as in the paper's experiment) so n >= 12 uses the branch and bound; the
same game with a Held–Karp oracle (the costs made asymmetric by adding i + 1 to every edge
leaving city i, which adds a constant to every tour) shows what the branch and bound gains.

Run: .venv/bin/python -m pytest bench/bench_tsp.py --benchmark-enable -s \
         --benchmark-json bench/results/bench_tsp.json
"""
import contextlib
import importlib.metadata
import itertools
import os
import time

import numpy as np
import pytest

import bigrad
from bench.conftest import report
from bigrad import _native
from bigrad.solvers import min_max_min, tsp, tsp_interdiction
from reference.tsp_reference import clustered, euclidean, highs_tsp

elkai = pytest.importorskip("elkai")

BATCH = 64
ROUNDS = 7
ELKAI = 16  # instances elkai solves per round
HIGHS = {8: 8, 12: 6, 14: 4, 16: 4, 20: 2, 25: 2, 30: 2}  # instances HiGHS solves per round


def instances(n, seed=0):
    return np.round(euclidean(np.random.default_rng(seed), BATCH, n) * 1000)


def elkai_tour(d):
    return elkai.DistanceMatrix(d.astype(int).tolist()).solve_tsp(runs=1)


def tour_cost(d, tour):
    tour = list(tour)
    if tour[-1] != tour[0]:
        tour.append(tour[0])
    return float(sum(d[a, b] for a, b in itertools.pairwise(tour)))


def environment():
    return {
        "elkai_version": importlib.metadata.version("elkai"),
        "highspy_version": importlib.metadata.version("highspy"),
        "bigrad_threads": 1,
        "cpus": os.cpu_count(),
        "load_before": os.getloadavg()[0],
    }


def checked(z, h):
    """Correctness first: bigrad's costs equal the HiGHS optimum on the first h instances and no elkai tour
    beats them; returns how many of elkai's tours are optimal, as "k/ELKAI"."""
    mask, cost = tsp(z, return_cost=True)
    np.testing.assert_array_equal(cost[:h], [highs_tsp(z[b])[0] for b in range(h)])
    np.testing.assert_array_equal((mask * z).sum(axis=(1, 2)), cost)
    elkai_costs = [tour_cost(z[b], elkai_tour(z[b])) for b in range(ELKAI)]
    assert all(c >= o for c, o in zip(elkai_costs, cost[:ELKAI]))  # nothing beats the exact optimum
    return f"{int(sum(c == o for c, o in zip(elkai_costs, cost[:ELKAI])))}/{ELKAI}"


@contextlib.contextmanager
def one_thread():
    """bigrad on one thread inside the block, the previous count restored after it."""
    before = bigrad.get_num_threads()
    bigrad.set_num_threads(1)
    try:
        yield
    finally:
        bigrad.set_num_threads(before)


def interleaved(fns, rounds=ROUNDS):
    """Per-call seconds of each (fn, calls) in fns, timed in alternation; returns [(median, min)]."""
    times = [[] for _ in fns]
    for _ in range(rounds):
        for k, (fn, calls) in enumerate(fns):
            start = time.perf_counter()
            fn()
            times[k].append((time.perf_counter() - start) / calls)
    return [(float(np.median(t)), float(np.min(t))) for t in times]


@pytest.mark.parametrize("n", [8, 12, 14, 16, 20, 25, 30])
def test_tsp(benchmark, n):
    z = instances(n)
    h = HIGHS[n]
    elkai_optimal = checked(z, h)
    if benchmark.disabled:  # --benchmark-disable (the test default): correctness only
        return
    env = environment()
    with one_thread():
        (ours, ours_min), (lkh, lkh_min), (milp, milp_min) = interleaved(
            [
                (lambda: tsp(z), BATCH),
                (lambda: [elkai_tour(z[b]) for b in range(ELKAI)], ELKAI),
                (lambda: [highs_tsp(z[b]) for b in range(h)], h),
            ],
            rounds=ROUNDS if n < 25 else 3,
        )
        benchmark.pedantic(tsp, args=(z,), rounds=5, iterations=1, warmup_rounds=1)
    env["load_after"] = os.getloadavg()[0]
    report(benchmark, dict(op="tsp", n=n, batch=BATCH, bigrad_us=ours * 1e6, bigrad_min_us=ours_min * 1e6,
                           elkai_us=lkh * 1e6, elkai_min_us=lkh_min * 1e6, highs_us=milp * 1e6,
                           highs_min_us=milp_min * 1e6, x_elkai=lkh / ours, x_elkai_min=lkh_min / ours_min,
                           x_highs=milp / ours, elkai_optimal=elkai_optimal, **env))


CLUSTERED = 32  # clustered instances per n


@pytest.mark.parametrize("n", [20, 25, 30])
def test_tsp_clustered(benchmark, n):
    z = np.round(clustered(np.random.default_rng(n), CLUSTERED, n) * 1000)
    h = 2
    elkai_optimal = checked(z, h)
    if benchmark.disabled:
        return
    env = environment()
    with one_thread():
        per_instance = np.full(CLUSTERED, np.inf)  # CPU seconds of each instance alone, best of the rounds
        lkh, milp = [], []
        for _ in range(3):
            for b in range(CLUSTERED):
                start = time.process_time()
                tsp(z[b])
                per_instance[b] = min(per_instance[b], time.process_time() - start)
            start = time.process_time()
            for b in range(ELKAI):
                elkai_tour(z[b])
            lkh.append((time.process_time() - start) / ELKAI)
            start = time.process_time()
            for b in range(h):
                highs_tsp(z[b])
            milp.append((time.process_time() - start) / h)
        benchmark.pedantic(tsp, args=(z,), rounds=3, iterations=1, warmup_rounds=0)
    env["load_after"] = os.getloadavg()[0]
    ours, worst = float(np.median(per_instance)), float(per_instance.max())
    lkh, milp = float(np.median(lkh)), float(np.median(milp))
    report(benchmark, dict(op="tsp_clustered", n=n, instances=CLUSTERED, bigrad_us=ours * 1e6,
                           bigrad_max_us=worst * 1e6, elkai_us=lkh * 1e6, highs_us=milp * 1e6, x_elkai=lkh / ours,
                           x_highs=milp / ours, elkai_optimal=elkai_optimal, **env))


@pytest.mark.parametrize("n", [8, 12, 16])
def test_tsp_interdiction(benchmark, n):
    rng = np.random.default_rng(1)
    z = euclidean(rng, BATCH, n)
    u = rng.random((BATCH, n)) * z.mean()
    w = (u[:, :, None] + u[:, None, :]) / 2  # symmetric vulnerabilities, as in the paper's Sec. 5.4
    h = 3
    *_, value = tsp_interdiction(z[:h], w[:h], 1, return_cost=True)
    ref = [highs_tsp(z[b], w[b], 1)[0] for b in range(h)]
    np.testing.assert_allclose(value, ref, rtol=1e-9)
    shift = np.arange(1.0, n + 1)[:, None] * (1 - np.eye(n))
    wd = w * (1 - np.eye(n))

    def held_karp_game(zz, ww):
        return min_max_min(lambda c: _native.core().tsp(c + shift)[0], zz, ww, 1)

    np.testing.assert_allclose(held_karp_game(z[:h], wd[:h])[2], value, rtol=1e-9)
    if benchmark.disabled:
        return
    env = environment()
    with one_thread():
        (ours, ours_min), (hk, hk_min), (milp, milp_min) = interleaved(
            [
                (lambda: tsp_interdiction(z, w, 1), BATCH),
                (lambda: held_karp_game(z, wd), BATCH),
                (lambda: [highs_tsp(z[b], w[b], 1) for b in range(h)], h),
            ],
            rounds=3,
        )
        benchmark.pedantic(tsp_interdiction, args=(z, w, 1), rounds=3, iterations=1, warmup_rounds=0)
    env["load_after"] = os.getloadavg()[0]
    report(benchmark, dict(op="tsp_interdiction", n=n, budget=1, bigrad_us=ours * 1e6, bigrad_min_us=ours_min * 1e6,
                           held_karp_oracle_us=hk * 1e6, held_karp_oracle_min_us=hk_min * 1e6, x_held_karp=hk / ours,
                           highs_us=milp * 1e6, highs_min_us=milp_min * 1e6, x_highs=milp / ours, **env))

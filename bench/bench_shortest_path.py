"""Grid shortest path: bigrad vs scipy.sparse.csgraph and a pure-Python heapq Dijkstra.

Per-instance times at 12/18/24/30 grids, batch 1024, 1 and 2 threads.
scipy's time includes building the CSR graph of each instance (the index
structure is precomputed once per grid size, only the weights change).
Run: make bench   (or .venv/bin/python -m pytest bench/bench_shortest_path.py --benchmark-enable -s)
"""
import numpy as np
import pytest

import bigrad
from bench.conftest import per_call_seconds, report
from bigrad.solvers import shortest_path
from tests.reference.grid_paths import dijkstra_heapq, grid_graph_structure, scipy_cost

BATCH = 1024
WARCRAFT_COSTS = np.array([0.8, 1.2, 5.3, 7.7, 9.2])


def warcraft_like(size, dtype, seed=0):
    rng = np.random.default_rng(seed)
    return WARCRAFT_COSTS[rng.integers(0, 5, size=(BATCH, size, size))].astype(dtype)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("threads", [1, 2])
@pytest.mark.parametrize("size", [12, 18, 24, 30])
def test_shortest_path(benchmark, size, threads, dtype):
    w = warcraft_like(size, dtype)
    structure = grid_graph_structure(size, size, 8)
    # correctness first
    _, cost = shortest_path(w[:32], return_cost=True)
    ref = np.array([scipy_cost(w[b], 8, structure) for b in range(32)])
    np.testing.assert_allclose(cost, ref, rtol=1e-5 if dtype == "float32" else 1e-12)

    if benchmark.disabled:  # --benchmark-disable (the test default): correctness only
        return
    before = bigrad.get_num_threads()
    bigrad.set_num_threads(threads)
    try:
        benchmark.pedantic(shortest_path, args=(w,), rounds=10, iterations=1, warmup_rounds=1)
    finally:
        bigrad.set_num_threads(before)
    ours = benchmark.stats.stats.median / BATCH
    w64 = w[:48].astype(np.float64)
    scipy_t = per_call_seconds(lambda x: scipy_cost(x, 8, structure), list(w64))
    heapq_t = per_call_seconds(lambda x: dijkstra_heapq(x, 8), list(w64[:8]))
    report(
        benchmark,
        dict(size=size, threads=threads, dtype=dtype, bigrad_us=ours * 1e6, scipy_us=scipy_t * 1e6,
             heapq_us=heapq_t * 1e6, x_scipy=scipy_t / ours, x_heapq=heapq_t / ours),
    )

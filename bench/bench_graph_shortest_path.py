"""Shortest paths on general graphs: bigrad vs scipy.sparse.csgraph (and networkx), in one run.

Figures (float32 weights uniform in [0.01, 1.01), source node 0, target the last node):
- batch 1024 on king-move grid graphs with 5% random long edges (100 and 1024 nodes,
  ~8 edges per node), 1 thread: per-instance µs of bigrad, scipy's loop form (one
  ``dijkstra(indices=source)`` per instance, on the first 64 instances) and scipy's
  block form (one block-diagonal CSR graph for the batch, ``dijkstra(min_only=True)``),
  timed interleaved; ``x_scipy_best`` is the faster scipy form over bigrad. Then bigrad on
  2 threads (``x_2_threads``: rounds of 8 calls on 1 thread and 8 on 2, alternating, after one
  call that follows the pool's resize; median of 15 rounds). networkx (``dijkstra_path_length``) on the 100-node graph.
- one large road-like graph (a 4-neighbour grid with 10% of its edges removed and
  lognormal weights; 10^5 and 10^6 nodes), float64: bigrad's single-pair call
  (stops at the target: three random targets, and the far corner) and bigrad.csgraph.dijkstra
  (all nodes, as scipy) vs one scipy call.
- the drop-in: ``bigrad.csgraph.dijkstra`` vs scipy on 64 sources of a 10^4-node random
  graph (float64 distances checked equal to the bit first), 1 and 2 threads.
The machine's load is read before timing and stored (``load1``, ``loaded``).
Run: .venv/bin/python -m pytest bench/bench_graph_shortest_path.py --benchmark-enable -s
--benchmark-json bench/results/bench_graph_shortest_path.json; tables: bench/make_results.py.
"""
import networkx as nx
import numpy as np
import pytest
import scipy
import scipy.sparse as sp
from scipy.sparse.csgraph import dijkstra

import bigrad
from bench.conftest import interleaved, machine_load, report
from bigrad import csgraph
from bigrad.graphs import Graph
from bigrad.solvers import shortest_path

BATCH = 1024
LOOP_SUBSET = 64
try:  # numpy's BLAS threads spin after each call and take the second core from bigrad's 2-thread rows
    from threadpoolctl import threadpool_limits

    threadpool_limits(1, user_api="blas")
except ImportError:
    pass
PEERS = {"scipy": scipy.__version__, "networkx": nx.__version__, "numpy": np.__version__}


def king_with_long_edges(side, rng, extra=0.05):
    g = Graph.grid(side, side, 8)
    k = int(extra * g.num_nodes)
    src = np.concatenate([g.src, rng.integers(0, g.num_nodes, k)])
    dst = np.concatenate([g.dst, rng.integers(0, g.num_nodes, k)])
    keep = src != dst
    order = np.argsort(src[keep], kind="stable")
    return Graph.from_edges(src[keep][order], dst[keep][order], g.num_nodes)


class ScipyBlock:
    """scipy used well for a batch: one block-diagonal graph, one multi-source Dijkstra."""

    def __init__(self, g, batch):
        n = g.num_nodes
        self.offsets = np.arange(batch) * n
        self.indices = (g.indices[None, :] + self.offsets[:, None]).ravel()
        self.indptr = np.concatenate([[0], (np.diff(g.indptr)[None, :].repeat(batch, 0).ravel()).cumsum()])
        self.shape = (batch * n,) * 2
        self.targets = self.offsets + n - 1

    def __call__(self, w):
        a = sp.csr_matrix((w.astype(np.float64).ravel(), self.indices, self.indptr), shape=self.shape)
        return dijkstra(a, indices=self.offsets, min_only=True)[self.targets]


def threaded(threads, call, calls=8):
    """``calls`` calls on ``threads`` threads (one switch of the pool's size, then warm calls)."""
    bigrad.set_num_threads(threads)
    call()
    for _ in range(calls):
        call()


def scipy_loop(g, w):
    out = np.empty(w.shape[0])
    n = g.num_nodes
    for b in range(w.shape[0]):
        a = sp.csr_matrix((w[b].astype(np.float64), g.indices, g.indptr), shape=(n, n))
        out[b] = dijkstra(a, indices=0)[n - 1]
    return out


def networkx_loop(g, w):
    out = np.empty(w.shape[0])
    for b in range(w.shape[0]):
        G = nx.DiGraph()
        G.add_weighted_edges_from(zip(g.src.tolist(), g.dst.tolist(), w[b].tolist()))
        out[b] = nx.dijkstra_path_length(G, 0, g.num_nodes - 1)
    return out


@pytest.mark.parametrize("side", [10, 32])
def test_batch_king_graphs(benchmark, side):
    rng = np.random.default_rng(side)
    g = king_with_long_edges(side, rng)
    w = (rng.random((BATCH, g.num_edges)) + 0.01).astype(np.float32)
    block = ScipyBlock(g, BATCH)
    _, cost = shortest_path(g, w, return_cost=True)
    assert np.allclose(cost[:LOOP_SUBSET], scipy_loop(g, w[:LOOP_SUBSET]), rtol=1e-5)
    assert np.allclose(cost, block(w), rtol=1e-5)
    if benchmark.disabled:  # --benchmark-disable (the test default): correctness only
        return
    load = machine_load()
    bigrad.set_num_threads(1)
    try:
        t = interleaved({
            "bigrad": lambda: shortest_path(g, w),
            "loop": lambda: scipy_loop(g, w[:LOOP_SUBSET]),
            "block": lambda: block(w),
        }, rounds=5)
        bigrad.set_num_threads(2)
        t2 = interleaved({"bigrad_1": lambda: threaded(1, lambda: shortest_path(g, w)),
                          "bigrad_2": lambda: threaded(2, lambda: shortest_path(g, w))}, rounds=15)
    finally:
        bigrad.set_num_threads(1)
    us = t["bigrad"]["median"] / BATCH * 1e6
    loop_us = t["loop"]["median"] / LOOP_SUBSET * 1e6
    block_us = t["block"]["median"] / BATCH * 1e6
    row = {
        "figure": "batch 1024, king-move grid + 5% long edges, float32, 1 thread",
        "nodes": g.num_nodes, "edges": g.num_edges, "bigrad_us": us, "scipy_loop_us": loop_us,
        "scipy_block_us": block_us, "x_scipy_best": min(loop_us, block_us) / us,
        "x_2_threads": t2["bigrad_1"]["median"] / t2["bigrad_2"]["median"], "peers": PEERS, **load,
    }
    if side == 10:
        ref = networkx_loop(g, w[:LOOP_SUBSET])
        assert np.allclose(cost[:LOOP_SUBSET], ref, rtol=1e-5)
        tn = interleaved({"nx": lambda: networkx_loop(g, w[:LOOP_SUBSET])}, rounds=3)
        row["networkx_us"] = tn["nx"]["median"] / LOOP_SUBSET * 1e6
        row["x_networkx"] = row["networkx_us"] / us
    report(benchmark, row)
    bigrad.set_num_threads(1)
    benchmark.pedantic(lambda: shortest_path(g, w), rounds=5, iterations=1)


def road_like(n_side, rng):
    """A 4-neighbour grid (both ways) with 10% of its edge pairs removed, lognormal weights."""
    g = Graph.grid(n_side, n_side, 4)
    keep = rng.random(g.num_edges) > 0.1
    src, dst = g.src[keep], g.dst[keep]
    return Graph.from_edges(src, dst, g.num_nodes)


@pytest.mark.parametrize("side", [316, 1000])
def test_single_large_graph(benchmark, side):
    rng = np.random.default_rng(1)
    g = road_like(side, rng)
    w = rng.lognormal(0.0, 1.0, g.num_edges)
    n = g.num_nodes
    targets = rng.integers(0, n, 3)
    a = sp.csr_matrix((w, g.indices, g.indptr), shape=(n, n))
    ref = dijkstra(a, indices=0)
    for t in targets:
        c = shortest_path(g, w, source=0, target=int(t), return_cost=True)[1]
        assert c == ref[t]
    assert np.array_equal(csgraph.dijkstra(a, indices=0), ref)
    if benchmark.disabled:
        return
    load = machine_load()
    bigrad.set_num_threads(1)
    tt = interleaved({
        "pair": lambda: [shortest_path(g, w, source=0, target=int(t)) for t in targets],
        "corner": lambda: shortest_path(g, w, source=0, target=n - 1),
        "all": lambda: csgraph.dijkstra(a, indices=0),
        "scipy": lambda: dijkstra(a, indices=0),
    }, rounds=9 if n < 10**6 else 5)  # calls of 10-100 ms on a VM whose speed drifts: medians of several
    pair = tt["pair"]["median"] / len(targets)
    row = {
        "figure": "one large road-like graph, float64, 1 thread",
        "nodes": n, "edges": g.num_edges, "bigrad_pair_s": pair, "bigrad_all_s": tt["all"]["median"],
        "bigrad_corner_s": tt["corner"]["median"], "x_scipy_corner": tt["scipy"]["median"] / tt["corner"]["median"],
        "scipy_s": tt["scipy"]["median"], "x_scipy_pair": tt["scipy"]["median"] / pair,
        "x_scipy_all": tt["scipy"]["median"] / tt["all"]["median"], "peers": PEERS, **load,
    }
    report(benchmark, row)
    benchmark.pedantic(lambda: csgraph.dijkstra(a, indices=0), rounds=3, iterations=1)


def test_drop_in_many_sources(benchmark):
    rng = np.random.default_rng(2)
    n = 10_000
    a = sp.random(n, n, density=8 / n, random_state=3, format="csr")
    sources = rng.integers(0, n, 64)
    ref = dijkstra(a, indices=sources)
    assert np.array_equal(csgraph.dijkstra(a, indices=sources), ref)
    if benchmark.disabled:
        return
    load = machine_load()
    try:
        t = interleaved({
            "b1": lambda: (bigrad.set_num_threads(1), csgraph.dijkstra(a, indices=sources)),
            "b2": lambda: (bigrad.set_num_threads(2), csgraph.dijkstra(a, indices=sources)),
            "scipy": lambda: dijkstra(a, indices=sources),
        }, rounds=3)
    finally:
        bigrad.set_num_threads(1)
    row = {
        "figure": "bigrad.csgraph.dijkstra drop-in, 10^4 nodes, 64 sources, float64",
        "bigrad_1t_s": t["b1"]["median"], "bigrad_2t_s": t["b2"]["median"], "scipy_s": t["scipy"]["median"],
        "x_scipy_1t": t["scipy"]["median"] / t["b1"]["median"], "x_scipy_2t": t["scipy"]["median"] / t["b2"]["median"],
        "peers": PEERS, **load,
    }
    report(benchmark, row)
    benchmark.pedantic(lambda: csgraph.dijkstra(a, indices=sources), rounds=3, iterations=1)


"""Shortest paths on general graphs (bigrad.graphs.Graph) against scipy, networkx and the grid solver."""
import networkx as nx
import numpy as np
import pytest
import scipy.sparse as sp
from scipy.sparse.csgraph import bellman_ford
from scipy.sparse.csgraph import dijkstra as scipy_dijkstra

import bigrad
from bigrad.graphs import Graph
from bigrad.solvers import shortest_path


def random_graph(rng, n, m):
    src = rng.integers(0, n, m)
    dst = rng.integers(0, n, m)
    return Graph.from_edges(src, dst, n)


def king_with_long_edges(rng, side, extra=0.05):
    g = Graph.grid(side, side, 8)
    k = int(extra * g.num_nodes)
    src = np.concatenate([g.src, rng.integers(0, g.num_nodes, k)])
    dst = np.concatenate([g.dst, rng.integers(0, g.num_nodes, k)])
    return Graph.from_edges(src, dst, g.num_nodes)


def scipy_costs(graph, w, source, target):
    """Per-instance scipy Dijkstra (float64) on the same edges."""
    out = []
    for b in range(w.shape[0]):
        d = scipy_dijkstra(_csr_min(graph, w[b]), indices=int(source[b]))
        out.append(d[int(target[b])])
    return np.array(out)


def _csr_min(graph, w):
    """The graph as a CSR matrix (explicit zeros kept); parallel edges become one of the least weight."""
    key = graph.src.astype(np.int64) * graph.num_nodes + graph.dst
    order = np.lexsort((w, key))
    first = np.ones(order.size, bool)
    first[1:] = key[order][1:] != key[order][:-1]
    keep = order[first]
    return sp.csr_matrix((w[keep].astype(np.float64), (graph.src[keep], graph.dst[keep])), shape=(graph.num_nodes,) * 2)


def check_paths(graph, w, mask, cost, source, target):
    """Every mask is a source -> target path whose weights add up to its cost."""
    for b in range(w.shape[0]):
        edges = np.flatnonzero(mask[b])
        if not np.isfinite(cost[b]):
            assert edges.size == 0
            continue
        succ = {}
        for e in edges:
            assert int(graph.src[e]) not in succ, "a node leaves the path twice"
            succ[int(graph.src[e])] = (int(graph.dst[e]), e)
        v, total, steps = int(source[b]), 0.0, 0
        while v != int(target[b]):
            v, e = succ[v]
            total += float(w[b, e])
            steps += 1
        assert steps == edges.size
        assert total == pytest.approx(float(cost[b]), rel=1e-5, abs=1e-6)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("n,m,B", [(2, 3, 1), (30, 120, 37), (200, 1000, 20)])
def test_random_graphs_match_scipy(dtype, n, m, B):
    rng = np.random.default_rng(n + m)
    g = random_graph(rng, n, m)
    w = rng.random((B, g.num_edges)).astype(dtype)
    w[:, rng.random(g.num_edges) < 0.1] = 0  # zero weights make ties
    src = rng.integers(0, n, B)
    dst = rng.integers(0, n, B)
    mask, cost = shortest_path(g, w, source=src, target=dst, return_cost=True)
    assert mask.shape == w.shape and mask.dtype == w.dtype and cost.dtype == w.dtype
    ref = scipy_costs(g, w, src, dst)
    assert np.array_equal(np.isfinite(cost), np.isfinite(ref))
    fin = np.isfinite(ref)
    if dtype == np.float64:
        assert np.array_equal(cost[fin], ref[fin])  # the same sums, formed in the same order
    else:
        assert np.allclose(cost[fin], ref[fin], rtol=1e-5, atol=1e-6)
    check_paths(g, w, mask, cost, src, dst)


def test_king_grid_with_long_edges_batch_matches_scipy_and_single_calls():
    rng = np.random.default_rng(3)
    g = king_with_long_edges(rng, 12)
    w = (rng.random((50, g.num_edges)) + 0.01).astype(np.float64)
    mask, cost = shortest_path(g, w, return_cost=True)
    ref = scipy_costs(g, w, np.zeros(50, int), np.full(50, g.num_nodes - 1))
    assert np.array_equal(cost, ref)
    check_paths(g, w, mask, cost, np.zeros(50, int), np.full(50, g.num_nodes - 1))
    # each instance alone gives the same path as in the batch (ties included)
    for b in (0, 17, 49):
        assert np.array_equal(shortest_path(g, w[b]), mask[b])


def test_same_paths_for_every_algorithm_thread_count_and_isa_with_ties():
    rng = np.random.default_rng(4)
    g = king_with_long_edges(rng, 10)
    w = rng.integers(0, 3, (70, g.num_edges)).astype(np.float32)  # many equal-cost paths
    ref = shortest_path(g, w)
    # one instance alone goes to Dijkstra, the batch to the SIMD lanes: the same labels, the same path
    for b in range(0, 70, 7):
        assert np.array_equal(shortest_path(g, w[b]), ref[b]), b
    old = bigrad.get_num_threads()
    try:
        for t in (1, 2):
            bigrad.set_num_threads(t)
            assert np.array_equal(shortest_path(g, w), ref)
    finally:
        bigrad.set_num_threads(old)
    core = bigrad._native.core()
    isa = core.build_info()["isa"]
    try:
        for name in core.build_info()["isa_available"]:
            core.set_isa(name)
            assert np.array_equal(shortest_path(g, w), ref), name
    finally:
        core.set_isa(isa)


def test_many_passes_fall_back_to_dijkstra():
    # a path numbered backwards: every push pass in node order moves the labels one step, so the
    # lanes run out of passes and Dijkstra finishes them
    n = 200
    order = np.arange(n)[::-1]
    g = Graph.from_edges(order[:-1], order[1:], n)
    rng = np.random.default_rng(5)
    w = rng.random((20, g.num_edges))
    mask, cost = shortest_path(g, w, source=n - 1, target=0, return_cost=True)
    assert np.allclose(cost, w.sum(axis=1))
    assert (mask == 1).all()


def test_large_graph_uses_dijkstra_and_matches_scipy():
    rng = np.random.default_rng(6)
    n = 40000
    src = np.concatenate([np.arange(n - 1), rng.integers(0, n, 3 * n)])
    dst = np.concatenate([np.arange(1, n), rng.integers(0, n, 3 * n)])
    g = Graph.from_edges(src, dst, n)
    w = rng.random((2, g.num_edges))
    mask, cost = shortest_path(g, w, source=[0, 5], target=[n - 1, 17], return_cost=True)
    assert np.array_equal(cost, scipy_costs(g, w, [0, 5], [n - 1, 17]))
    check_paths(g, w, mask, cost, [0, 5], [n - 1, 17])


def _road_weights(kind, rng, size):
    if kind == "few-values":  # within a factor 12: every node sure, narrow buckets
        return rng.choice([0.8, 1.2, 5.3, 7.7, 9.2], size)
    if kind == "lognormal":  # within a factor 2048, yet the least far below the 5% quantile
        return np.clip(rng.lognormal(0.0, 1.0, size), 0.02, 40.0)
    if kind == "heavy-tail":  # beyond a factor 2048: the lightest 5% by heaps, outliers far ahead
        return rng.lognormal(0.0, 3.0, size)
    return np.where(rng.random(size) < 0.05, 0.0, rng.random(size))  # zeros: the radix heap


def test_large_graph_bucket_choices_match_scipy():
    """A 40000-node 4-neighbour grid through every bucket-width choice of the large-graph Dijkstra,
    one after another on one thread (each reuses the buckets the last left): scipy's labels exactly."""
    rng = np.random.default_rng(16)
    side = 200
    full = Graph.grid(side, side, 4)
    keep = rng.random(full.num_edges) > 0.1
    g = Graph.from_edges(full.src[keep], full.dst[keep], full.num_nodes)
    targets = [g.num_nodes - 1, int(rng.integers(g.num_nodes)), side * (side // 2)]
    old = bigrad.get_num_threads()
    bigrad.set_num_threads(1)
    try:
        for kind in ("few-values", "lognormal", "heavy-tail", "zeros", "lognormal"):
            w = _road_weights(kind, rng, (1, g.num_edges))
            for t in targets:
                mask, cost = shortest_path(g, w, source=[0], target=[t], return_cost=True)
                assert np.array_equal(cost, scipy_costs(g, w, [0], [t])), (kind, t)
                check_paths(g, w, mask, cost, [0], [t])
    finally:
        bigrad.set_num_threads(old)


def test_dag_takes_negative_weights():
    rng = np.random.default_rng(7)
    g = Graph.grid(6, 7, 8, arcs="right-down")
    assert g.is_dag
    w = rng.normal(size=(15, g.num_edges))
    mask, cost = shortest_path(g, w, return_cost=True)
    for b in range(15):
        d = bellman_ford(_csr_from(g, w[b]), indices=0)
        assert cost[b] == pytest.approx(d[-1], abs=1e-12)
    check_paths(g, w, mask, cost, np.zeros(15, int), np.full(15, g.num_nodes - 1))


def _csr_from(g, w):
    return sp.csr_matrix((w, g.indices, g.indptr), shape=(g.num_nodes,) * 2)


def test_negative_weight_on_a_cycle_raises():
    g = Graph.grid(3, 3, 4)
    w = np.ones(g.num_edges)
    w[5] = -0.5
    with pytest.raises(ValueError, match=r"weights must be non-negative on a graph with a cycle.*edge 5"):
        shortest_path(g, w)


@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_non_finite_weights_raise(bad):
    g = Graph.grid(3, 3, 4)
    w = np.ones((2, g.num_edges), np.float32)
    w[1, 2] = bad
    with pytest.raises(ValueError, match="weights must be finite"):
        shortest_path(g, w)


def test_unreachable_target_gives_inf_and_empty_mask():
    g = Graph.from_edges([0, 1, 3], [1, 2, 2], 4)
    mask, cost = shortest_path(g, np.ones((2, 3)), source=[0, 0], target=[2, 3], return_cost=True)
    assert cost[0] == 2 and np.isinf(cost[1])
    assert mask[1].sum() == 0 and mask[0].tolist() == [1, 1, 0]


def test_source_equals_target():
    g = Graph.grid(3, 3, 8)
    mask, cost = shortest_path(g, np.ones(g.num_edges), source=4, target=4, return_cost=True)
    assert cost == 0 and mask.sum() == 0


def test_overflow_raises():
    g = Graph.from_edges([0, 1], [1, 2], 3)
    with pytest.raises(ValueError, match="overflows float32"):
        shortest_path(g, np.array([3e38, 3e38], np.float32))


@pytest.mark.parametrize("neighbourhood", [4, 8])
def test_node_weights_match_the_grid_solver(neighbourhood):
    rng = np.random.default_rng(8)
    H, W = 9, 11
    wg = rng.random((12, H, W)).astype(np.float64)
    grid_mask, grid_cost = shortest_path(wg, neighbourhood, return_cost=True)
    g = Graph.grid(H, W, neighbourhood)
    node_mask, cost = shortest_path(g, wg.reshape(12, -1), weights_on="nodes", return_cost=True)
    assert np.array_equal(cost, grid_cost)  # both sum the cells from the source outwards
    assert node_mask.shape == (12, H * W)
    assert np.allclose((node_mask * wg.reshape(12, -1)).sum(axis=1), cost)


def test_torch_in_torch_out():
    torch = pytest.importorskip("torch")
    g = Graph.grid(4, 4, 8)
    w = torch.rand(3, g.num_edges, dtype=torch.float64)
    mask, cost = shortest_path(g, w, return_cost=True)
    assert isinstance(mask, torch.Tensor) and mask.dtype == torch.float64 and mask.shape == w.shape
    ref_mask, ref_cost = shortest_path(g, w.numpy(), return_cost=True)
    assert np.array_equal(mask.numpy(), ref_mask) and np.array_equal(cost.numpy(), ref_cost)
    one = shortest_path(graph=g, weights=w[0], source=torch.tensor(0), target=15)
    assert one.shape == (g.num_edges,)


def test_edge_numbering_follows_the_user():
    # edges given out of tail order: the mask is in the user's numbering
    g = Graph.from_edges([2, 0, 1, 0], [3, 1, 2, 2], 4)
    mask, cost = shortest_path(g, np.array([1.0, 1.0, 1.0, 5.0]), source=0, target=3, return_cost=True)
    assert cost == 3 and mask.tolist() == [1, 1, 1, 0]


def test_agrees_with_networkx_on_small_graphs():
    rng = np.random.default_rng(9)
    for _ in range(20):
        n = int(rng.integers(2, 9))
        g = random_graph(rng, n, int(rng.integers(1, 20)))
        w = rng.integers(1, 5, g.num_edges).astype(np.float64)
        G = nx.DiGraph()
        G.add_nodes_from(range(n))
        for e in range(g.num_edges):
            u, v = int(g.src[e]), int(g.dst[e])
            if u != v and (not G.has_edge(u, v) or G[u][v]["weight"] > w[e]):
                G.add_edge(u, v, weight=w[e])
        try:
            ref = nx.dijkstra_path_length(G, 0, n - 1)
        except nx.NetworkXNoPath:
            ref = np.inf
        assert shortest_path(g, w, return_cost=True)[1] == ref


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda g: shortest_path(g, np.ones(3)), r"weights must have num_edges = 12"),
        (lambda g: shortest_path(g, np.ones(4), weights_on="nodes", source=4), r"source must lie in \[0, num_nodes = 4\)"),
        (lambda g: shortest_path(g, np.ones(12), target=[0, 1]), r"target must be an int or have shape \[B\]"),
        (lambda g: shortest_path(g, np.ones(12), source=1.5), r"source must be an int"),
        (lambda g: shortest_path(g, np.ones(12), weights_on="arcs"), r"weights_on must be 'edges' or 'nodes'"),
        (lambda g: shortest_path(g, np.ones(12, np.int64)), r"weights must have dtype float32 or float64"),
        (lambda g: shortest_path(g, np.ones((0, 12))), r"weights must not be empty"),
        (lambda g: shortest_path(graph="g", weights=np.ones(12)), r"graph must be a bigrad.graphs.Graph"),
    ],
)
def test_bad_input_names_the_argument(call, match):
    g = Graph.grid(2, 2, 8)
    with pytest.raises((ValueError, TypeError), match=match):
        call(g)


def test_cuda_matches_cpu():
    torch = pytest.importorskip("torch")
    if not torch.cuda.is_available() or bigrad._native.cuda() is None:
        pytest.skip("needs a CUDA device and the bigrad._cuda module")
    rng = np.random.default_rng(10)
    g = king_with_long_edges(rng, 9)
    for dtype in (torch.float32, torch.float64):
        w = torch.from_numpy(rng.random((40, g.num_edges))).to(dtype)
        mask_c, cost_c = shortest_path(g, w, return_cost=True)
        mask_g, cost_g = shortest_path(g, w.cuda(), return_cost=True)
        assert mask_g.is_cuda and mask_g.dtype == dtype
        assert torch.equal(cost_g.cpu(), cost_c)  # the same labels on either device
        check_paths(g, w.numpy(), mask_g.cpu().numpy(), cost_g.cpu().numpy(), np.zeros(40, int), np.full(40, 80))
        nodes = shortest_path(g, w[:, : g.num_nodes].cuda(), weights_on="nodes")
        assert torch.equal(nodes.cpu(), shortest_path(g, w[:, : g.num_nodes], weights_on="nodes"))


def test_ties_follow_the_documented_rule():
    # two equal-cost routes 0 -> 3: via edge numbers (0, 2) or (1, 3); walking back from 3, the
    # lowest-numbered tight in-edge with a smaller tail label is edge 2 (from 1), then edge 0
    g = Graph.from_edges([0, 0, 1, 2], [1, 2, 3, 3], 4)
    assert shortest_path(g, np.ones(4)).tolist() == [1, 0, 1, 0]
    g2 = Graph.from_edges([0, 0, 2, 1], [1, 2, 3, 3], 4)  # now the edge from 2 has the lower number
    assert shortest_path(g2, np.ones(4)).tolist() == [0, 1, 1, 0]
    # a zero-weight plateau: 0 -> 1 -> 2 -> 3, a zero-weight shortcut 0 -> 2 and a cycle back
    # 3 -> 0; the labels tie all along, so the fewest-hops rule applies: 0 -> 2 -> 3
    g3 = Graph.from_edges([0, 1, 2, 0, 3], [1, 2, 3, 2, 0], 4)
    assert not g3.is_dag
    assert shortest_path(g3, np.zeros(5)).tolist() == [0, 0, 1, 1, 0]
    # on a DAG the first tight in-edge, whatever the tail's label: 0 -> 1 -> 2 -> 3
    g4 = Graph.from_edges([0, 1, 2, 0], [1, 2, 3, 2], 4)
    assert shortest_path(g4, np.zeros(4)).tolist() == [1, 1, 1, 0]


def test_graph_without_edges():
    g = Graph.from_edges([], [], 3)
    mask, cost = shortest_path(g, np.zeros((2, 0)), source=[0, 1], target=[0, 2], return_cost=True)
    assert mask.shape == (2, 0) and cost.tolist() == [0.0, np.inf]
    torch = pytest.importorskip("torch")
    m, c = shortest_path(g, torch.zeros(0, dtype=torch.float32), source=1, target=1, return_cost=True)
    assert isinstance(m, torch.Tensor) and m.shape == (0,) and float(c) == 0.0
    with pytest.raises(ValueError, match=r"weights must have shape \[E\] or \[B, E\] with E = num_edges = 0"):
        shortest_path(g, np.zeros(2))

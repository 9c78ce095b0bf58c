"""bigrad.graphs.Graph: constructors, derived structure, and errors that name the argument."""
import networkx as nx
import numpy as np
import pytest
import scipy.sparse as sp

from bigrad.graphs import GRID_DIRECTIONS, Graph


def test_from_scipy_keeps_the_stored_entries_in_csr_order_with_explicit_zeros():
    a = sp.csr_matrix((np.array([3.0, 0.0, 2.0]), np.array([2, 0, 1]), np.array([0, 2, 2, 3])), shape=(3, 3))
    g = Graph.from_scipy(a)
    assert g.num_nodes == 3 and g.num_edges == 3
    assert g.src.tolist() == [0, 0, 2] and g.dst.tolist() == [2, 0, 1]
    assert g.edge_order is None


def test_from_scipy_undirected_adds_the_reverse_entries():
    a = sp.csr_matrix(np.array([[0, 1.0], [0, 0]]))
    g = Graph.from_scipy(a, directed=False)
    assert g.num_edges == 2
    assert sorted(zip(g.src.tolist(), g.dst.tolist())) == [(0, 1), (1, 0)]
    assert (g.src.tolist(), g.dst.tolist()) == ([0, 1], [1, 0])  # entries first, then their reverses


def test_from_edges_keeps_the_users_numbering():
    rng = np.random.default_rng(0)
    src, dst = rng.integers(0, 9, 40), rng.integers(0, 9, 40)
    g = Graph.from_edges(src, dst, 9)
    assert g.src.tolist() == src.tolist() and g.dst.tolist() == dst.tolist()
    assert g.edge_order is not None
    sorted_g = Graph.from_edges(np.sort(src), dst[np.argsort(src, kind="stable")], 9)
    assert sorted_g.edge_order is None


@pytest.mark.parametrize("neighbourhood", [4, 8])
def test_grid_matches_networkx(neighbourhood):
    H, W = 4, 6
    g = Graph.grid(H, W, neighbourhood)
    G = nx.grid_2d_graph(H, W)
    if neighbourhood == 8:
        G.add_edges_from(((r, c), (r + 1, c + d)) for r in range(H - 1) for c in range(W) for d in (-1, 1) if 0 <= c + d < W)
    ref = {(r1 * W + c1, r2 * W + c2) for (r1, c1), (r2, c2) in G.edges()}
    ref |= {(v, u) for u, v in ref}
    assert set(zip(g.src.tolist(), g.dst.tolist())) == ref and g.num_edges == len(ref)
    # an inner node's edges come in the order of GRID_DIRECTIONS
    v = W + 1
    heads = g.dst[g.src == v]
    expected = [(1 + dr) * W + (1 + dc) for dr, dc in GRID_DIRECTIONS[neighbourhood]]
    assert heads.tolist() == expected


def test_grid_right_down_is_the_dag_of_forward_moves():
    g = Graph.grid(5, 5, 4, arcs="right-down")
    assert g.num_edges == 40 and g.is_dag
    assert all(d in (s + 1, s + 5) for s, d in zip(g.src, g.dst))
    assert Graph.grid(3, 3, 8, arcs="right-down").num_edges == 12 + 4
    assert not Graph.grid(3, 3, 8).is_dag


def test_is_dag_and_topological_order_match_networkx():
    rng = np.random.default_rng(1)
    for _ in range(40):
        n = int(rng.integers(1, 12))
        m = int(rng.integers(0, 25))
        src, dst = rng.integers(0, n, m), rng.integers(0, n, m)
        if rng.random() < 0.5:  # make it acyclic
            src, dst = np.minimum(src, dst), np.maximum(src, dst)
            keep = src != dst
            src, dst = src[keep], dst[keep]
        g = Graph.from_edges(src, dst, n)
        G = nx.DiGraph()
        G.add_nodes_from(range(n))
        G.add_edges_from(zip(src.tolist(), dst.tolist()))
        assert g.is_dag == nx.is_directed_acyclic_graph(G)
        if g.is_dag:
            pos = np.empty(n, int)
            pos[g.topological_order] = np.arange(n)
            assert all(pos[u] < pos[v] for u, v in zip(src, dst))


def test_graph_is_immutable_and_to_keeps_the_structure():
    g = Graph.grid(2, 2)
    with pytest.raises(ValueError):
        g.indices[0] = 3
    assert g.to("cpu") is g
    h = g.to("cuda:0")
    assert h.device == "cuda:0" and h.indices is g.indices and g.device == "cpu"
    assert "num_nodes=4" in repr(g)
    assert g.to_scipy().nnz == g.num_edges


@pytest.mark.parametrize(
    "call, err, match",
    [
        (lambda: Graph([0, 2], [0, 1], 1), ValueError, r"indices must lie in \[0, num_nodes = 1\)"),
        (lambda: Graph([0, 1, 0], [0]), ValueError, r"indptr must start at 0, never decrease"),
        (lambda: Graph([0, 1], [0.5]), TypeError, r"indices must hold integers"),
        (lambda: Graph([[0, 1]], [0]), ValueError, r"indptr must be 1-D"),
        (lambda: Graph([], []), ValueError, r"indptr must have num_nodes \+ 1 entries"),
        (lambda: Graph.from_edges([0, 3], [1, 0], 3), ValueError, r"src must lie in \[0, num_nodes = 3\), got 3 at position 1"),
        (lambda: Graph.from_edges([0], [0, 1], 3), ValueError, r"src and dst must have the same length"),
        (lambda: Graph.from_edges([0], [1], -1), ValueError, r"num_nodes must be >= 0"),
        (lambda: Graph.from_edges([0], [1], 2.0), TypeError, r"num_nodes must be an int"),
        (lambda: Graph.from_scipy(sp.csr_matrix(np.ones((2, 3)))), ValueError, r"csgraph must be a square matrix"),
        (lambda: Graph.grid(0, 3), ValueError, r"rows must be >= 1"),
        (lambda: Graph.grid(3, 3, 6), ValueError, r"neighbourhood must be 4 or 8"),
        (lambda: Graph.grid(3, 3, 8, arcs="up"), ValueError, r"arcs must be 'both' or 'right-down'"),
        (lambda: Graph.grid(2, 2).to("tpu"), ValueError, r"device must be 'cpu' or a CUDA device"),
    ],
)
def test_bad_input_names_the_argument(call, err, match):
    with pytest.raises(err, match=match):
        call()

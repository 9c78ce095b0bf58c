"""bigrad.csgraph.dijkstra against scipy.sparse.csgraph.dijkstra: the same distances, to the last bit."""
import numpy as np
import pytest
import scipy.sparse as sp
from scipy.sparse.csgraph import dijkstra as scipy_dijkstra

from bigrad.csgraph import dijkstra


def random_csr(rng, n, density, zeros=0.0):
    a = sp.random(n, n, density=density, random_state=int(rng.integers(2**31)), format="csr")
    if zeros:
        a.data[rng.random(a.nnz) < zeros] = 0.0  # explicit zeros are edges of weight 0
    return a


def check_predecessors(graph, dist, pred, sources):
    """Each predecessor is an edge on a shortest path: dist[pred] + w(pred, v) == dist[v]."""
    dense = graph.toarray() if sp.issparse(graph) else np.asarray(graph)
    for row, s in enumerate(sources):
        for v in range(dense.shape[0]):
            p = pred[row, v]
            if v == s or not np.isfinite(dist[row, v]):
                assert p == -9999
                continue
            assert dist[row, p] + dense[p, v] == dist[row, v] or dist[row, p] + dense[v, p] == dist[row, v]


CASES = [
    {},
    {"indices": 0},
    {"indices": [0, -1]},
    {"limit": 0.4},
    {"unweighted": True},
    {"min_only": True, "indices": [0, 3]},
]


@pytest.mark.parametrize("directed", [True, False])
@pytest.mark.parametrize("kw", CASES)
def test_matches_scipy_bit_for_bit(directed, kw):
    rng = np.random.default_rng(len(str(kw)) + directed)
    for _ in range(8):
        n = int(rng.integers(4, 40))
        a = random_csr(rng, n, rng.random() * 0.3, zeros=0.2)
        ref = scipy_dijkstra(a, directed=directed, return_predecessors=True, **kw)
        got = dijkstra(a, directed=directed, return_predecessors=True, **kw)
        assert len(got) == len(ref)
        assert got[0].shape == ref[0].shape and got[0].dtype == np.float64
        assert np.array_equal(got[0], ref[0])
        assert got[1].dtype == np.int32 and got[1].shape == ref[1].shape
        if kw.get("min_only"):
            reached = np.isfinite(ref[0])
            assert np.array_equal(got[2] == -9999, ~reached)
        elif directed and not kw.get("unweighted") and "limit" not in kw:
            sources = np.arange(n) if "indices" not in kw else np.atleast_1d(kw["indices"]) % n
            check_predecessors(a, np.atleast_2d(got[0]), np.atleast_2d(got[1]), sources)


def test_dense_input_and_return_without_predecessors():
    rng = np.random.default_rng(1)
    d = rng.random((12, 12))
    d[d < 0.6] = 0
    d[0, 5] = np.inf  # not an edge, as in scipy
    assert np.array_equal(dijkstra(d), scipy_dijkstra(d))
    assert np.array_equal(dijkstra(d.tolist(), indices=3), scipy_dijkstra(d, indices=3))


def test_batched_weights_equal_one_call_per_vector():
    rng = np.random.default_rng(2)
    a = random_csr(rng, 30, 0.15)
    w = rng.random((5, a.nnz))
    dist, pred = dijkstra(a, indices=[0, 4], weights=w, return_predecessors=True)
    assert dist.shape == (5, 2, 30) and pred.shape == (5, 2, 30)
    for b in range(5):
        a_b = sp.csr_matrix((w[b], a.indices, a.indptr), shape=a.shape)
        assert np.array_equal(dist[b], scipy_dijkstra(a_b, indices=[0, 4]))


def test_integer_matrices_are_read_as_float64():
    a = sp.csr_matrix(np.array([[0, 2, 0], [0, 0, 3], [1, 0, 0]], dtype=np.int64))
    assert np.array_equal(dijkstra(a), scipy_dijkstra(a))


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda a: dijkstra(sp.csr_matrix(-np.eye(3)[::-1])), r"csgraph must be non-negative"),
        (lambda a: dijkstra(a, weights=np.full(a.nnz, np.nan)), r"weights must be non-negative and not NaN"),
        (lambda a: dijkstra(np.ones((2, 3))), r"csgraph must be a square matrix"),
        (lambda a: dijkstra(a, indices=7), r"indices must lie in \[0, N = 5\)"),
        (lambda a: dijkstra(a, indices=1.5), r"indices must be an int"),
        (lambda a: dijkstra(a, limit=-1), r"limit must be >= 0"),
        (lambda a: dijkstra(a, weights=np.ones(3)), r"weights must have shape \[nnz\] or \[B, nnz\]"),
        (lambda a: dijkstra(np.array([["a"]])), r"csgraph must hold numbers"),
    ],
)
def test_bad_input_names_the_argument(call, match):
    a = sp.csr_matrix(np.triu(np.ones((5, 5)), 1))
    with pytest.raises((ValueError, TypeError), match=match):
        call(a)

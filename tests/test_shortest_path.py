"""bigrad.solvers.shortest_path against scipy, a heapq reference and brute force."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import bigrad
from bigrad.solvers import GRID_DIRECTIONS, shortest_path
from reference.grid_paths import dijkstra_heapq, scipy_cost, simple_paths

torch = pytest.importorskip("torch")


def assert_valid_path(mask, nbh):
    """mask is exactly the cell set of a simple path from the top-left to the bottom-right cell."""
    H, W = mask.shape
    assert set(np.unique(mask)) <= {0.0, 1.0}
    assert mask[0, 0] == 1 and mask[-1, -1] == 1
    cells = {tuple(int(v) for v in c) for c in np.argwhere(mask == 1)}
    moves = GRID_DIRECTIONS[nbh]

    def search(node, seen):
        if node == (H - 1, W - 1):
            return len(seen) == len(cells)
        for di, dj in moves:
            nxt = (node[0] + di, node[1] + dj)
            if nxt in cells and nxt not in seen:
                seen.add(nxt)
                if search(nxt, seen):
                    return True
                seen.discard(nxt)
        return False

    assert search((0, 0), {(0, 0)}), "mask is not a simple source-target path"


@pytest.mark.parametrize("nbh", [8, 4])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("shape", [(12, 12), (5, 9), (1, 7), (7, 1), (1, 1), (2, 2)])
def test_cost_matches_scipy(nbh, dtype, shape):
    rng = np.random.default_rng(hash((nbh, shape)) % 2**32)
    w = rng.random((16,) + shape).astype(dtype) * 10
    mask, cost = shortest_path(w, neighbourhood=nbh, return_cost=True)
    assert mask.shape == w.shape and mask.dtype == w.dtype and cost.shape == (16,)
    tol = 1e-9 if dtype == np.float64 else 1e-4
    for b in range(16):
        ref = scipy_cost(w[b], nbh)
        assert cost[b] == pytest.approx(ref, rel=tol, abs=tol)
        assert float((mask[b] * w[b]).sum()) == pytest.approx(ref, rel=tol, abs=tol)
        assert_valid_path(mask[b], nbh)


@pytest.mark.parametrize("nbh", [8, 4])
def test_matches_heapq_reference_and_reference_matches_scipy(nbh):
    rng = np.random.default_rng(7)
    w = rng.random((20, 10, 13))
    masks, costs = shortest_path(w, nbh, return_cost=True)
    for b in range(20):
        ref_mask, ref_cost = dijkstra_heapq(w[b], nbh)
        assert ref_cost == pytest.approx(scipy_cost(w[b], nbh), rel=1e-12)
        assert costs[b] == pytest.approx(ref_cost, rel=1e-12)
        # random continuous weights: the optimum is unique
        np.testing.assert_array_equal(masks[b], ref_mask)


@pytest.mark.parametrize("nbh", [8, 4])
def test_brute_force_tiny(nbh):
    rng = np.random.default_rng(3)
    for _ in range(10):
        w = rng.integers(0, 4, size=(3, 3)).astype(np.float64)  # many ties
        best = min(sum(w[c] for c in p) for p in simple_paths(3, 3, nbh))
        mask, cost = shortest_path(w, nbh, return_cost=True)
        assert cost == best
        assert (mask * w).sum() == best
        assert_valid_path(mask, nbh)


def test_ties_and_zero_weights():
    for w in (np.zeros((6, 6)), np.ones((6, 6)), np.tile([0.0, 1.0], (5, 3))):
        for nbh in (8, 4):
            mask, cost = shortest_path(w, nbh, return_cost=True)
            assert cost == pytest.approx(scipy_cost(w, nbh))
            assert_valid_path(mask, nbh)


def test_warcraft_like_integer_costs_with_ties():
    rng = np.random.default_rng(11)
    w = rng.choice([0.8, 1.2, 5.3, 7.7, 9.2], size=(64, 18, 18))
    masks, costs = shortest_path(w, return_cost=True)
    for b in range(0, 64, 4):
        assert costs[b] == pytest.approx(scipy_cost(w[b]), rel=1e-12)
        assert_valid_path(masks[b], 8)


def _with_outlier(base, value):
    def make(rng, shape):
        w = base(rng, shape)
        w[..., shape[-2] // 2, shape[-1] // 2] = value
        return w
    return make


# Weights of single grids large enough for Dijkstra (>= 64x64 cells): Warcraft-like
# costs and weights within a factor 2048 use the bucket queue alone; uniform, few zeros,
# heavy-tailed and outliers the bucket queue with heaps for the lightest 5% of the
# weights (and a far heap for cells beyond its window of buckets); 30% zeros the radix heap.
LARGE_WEIGHTS = {
    "warcraft": lambda rng, shape: rng.choice([0.8, 1.2, 5.3, 7.7, 9.2], size=shape),
    "narrow": lambda rng, shape: rng.uniform(1.0, 2.0, shape),
    "uniform": lambda rng, shape: rng.random(shape),
    "zeros": lambda rng, shape: np.where(rng.random(shape) < 0.3, 0.0, rng.random(shape)),
    "few_zeros": lambda rng, shape: np.where(rng.random(shape) < 0.01, 0.0, rng.random(shape)),
    "heavy_tailed": lambda rng, shape: rng.lognormal(0.0, 2.0, shape),
    "outlier_in_range": _with_outlier(lambda rng, shape: rng.uniform(1.0, 2.0, shape), 1000.0),
    "outlier": _with_outlier(lambda rng, shape: rng.uniform(1.0, 2.0, shape), 1e30),
}


@pytest.mark.parametrize("nbh", [8, 4])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("kind", list(LARGE_WEIGHTS))
def test_large_single_grid_matches_sweeps_and_scipy(kind, dtype, nbh):
    # alone, a grid of >= 64x64 cells is solved by Dijkstra; in a batch, by sweeps in
    # lanes: the labels are the same fixed point, so the paths are identical, except on
    # a plateau of zero weights, where each records its own steps (another optimal path)
    rng = np.random.default_rng(sorted(LARGE_WEIGHTS).index(kind))
    w = LARGE_WEIGHTS[kind](rng, (2, 72, 80)).astype(dtype)
    batch, costs = shortest_path(w, nbh, return_cost=True)
    mask, cost = shortest_path(w[0], nbh, return_cost=True)
    if kind != "zeros":
        np.testing.assert_array_equal(mask, batch[0])
    assert cost == costs[0]
    rel = 1e-5 if dtype == np.float32 else 1e-12
    assert float(cost) == pytest.approx(scipy_cost(w[0].astype(np.float64), nbh), rel=rel)
    assert_valid_path(mask, nbh)
    assert float(w[0][mask == 1].astype(np.float64).sum()) == pytest.approx(float(cost), rel=rel)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_large_plateau_is_traced_by_dijkstra_steps(dtype):
    # zero-weight cells make the read-back from labels ambiguous; a large single grid then
    # follows the steps its Dijkstra recorded (each cell's last strict improvement); it was
    # solved again by sweeps, about as many passes as the path turns: 13 s at 2000x2000
    rng = np.random.default_rng(21)
    w = np.where(rng.random((300, 260)) < 0.3, 0.0, rng.random((300, 260))).astype(dtype)
    w[:, 130] = 0.0  # a zero-cost corridor across the grid
    for nbh in (8, 4):
        mask, cost = shortest_path(w, nbh, return_cost=True)
        assert_valid_path(mask, nbh)
        rel = 1e-5 if dtype == np.float32 else 1e-12
        ref = scipy_cost(w.astype(np.float64), nbh)
        assert float(cost) == pytest.approx(ref, rel=rel, abs=1e-12)
        assert float(w[mask == 1].astype(np.float64).sum()) == pytest.approx(float(cost), rel=rel, abs=1e-12)


@pytest.mark.parametrize("shape", [(2, 2100), (2100, 3), (70, 60)])
def test_large_thin_grids(shape):
    # rows or columns too few for the Dijkstra's unchecked inner moves
    rng = np.random.default_rng(8)
    for kind in ("warcraft", "uniform"):
        w = LARGE_WEIGHTS[kind](rng, shape).astype(np.float32)
        for nbh in (8, 4):
            mask, cost = shortest_path(w, nbh, return_cost=True)
            assert float(cost) == pytest.approx(scipy_cost(w.astype(np.float64), nbh), rel=1e-5)
            assert float(w[mask == 1].astype(np.float64).sum()) == pytest.approx(float(cost), rel=1e-5)


def test_bucket_queue_hands_over_to_the_radix_heap():
    # weights 2048 and one 1: labels reach 2^22 buckets of width 1/2, where float32
    # sums could round into the current bucket; the radix heap finishes the float32
    # solve (float64 stays in buckets). Integer sums are exact: the same path, on the
    # only cheap cell that a shortest (diagonal) path can visit.
    n = 1040  # the target's label, 2048 (n - 1) + 1, lies in bucket 2^22 + 62k
    w = np.full((n, n), 2048.0)
    w[5, 5] = 1.0
    m64, c64 = shortest_path(w, return_cost=True)
    m32, c32 = shortest_path(w.astype(np.float32), return_cost=True)
    assert float(c32) == float(c64) == (n - 1) * 2048 + 1
    np.testing.assert_array_equal(m32, m64)
    assert m64[5, 5] == 1 and m64.sum() == n


def test_deterministic_across_threads_and_batch_composition():
    rng = np.random.default_rng(5)
    w = rng.integers(0, 3, size=(300, 12, 12)).astype(np.float32)  # heavy ties
    before = bigrad.get_num_threads()
    try:
        bigrad.set_num_threads(1)
        one = shortest_path(w)
        bigrad.set_num_threads(2)
        two = shortest_path(w)
    finally:
        bigrad.set_num_threads(before)
    np.testing.assert_array_equal(one, two)
    # solving an instance alone gives the same path as inside a batch
    for b in (0, 7, 8, 299):
        np.testing.assert_array_equal(shortest_path(w[b]), one[b])
    np.testing.assert_array_equal(shortest_path(w[3:11]), one[3:11])


@pytest.mark.parametrize("nbh", [8, 4])
def test_edges_output(nbh):
    rng = np.random.default_rng(2)
    w = rng.random((8, 6, 7))
    mask, edges = shortest_path(w, nbh, return_edges=True)
    assert edges.shape == (8, 6, 7, nbh)
    dirs = GRID_DIRECTIONS[nbh]
    for b in range(8):
        assert edges[b].sum() == mask[b].sum() - 1
        for i, j, k in np.argwhere(edges[b] == 1):
            di, dj = dirs[k]
            assert mask[b, i, j] == 1 and mask[b, i + di, j + dj] == 1
        # out-degree 1 except at the target, in-degree 1 except at the source
        out_deg = edges[b].sum(-1)
        assert out_deg[-1, -1] == 0 and np.all(out_deg[mask[b] == 1][:-1] <= 1)


@settings(max_examples=60, deadline=None)
@given(
    H=st.integers(1, 7),
    W=st.integers(1, 7),
    nbh=st.sampled_from([4, 8]),
    values=st.lists(st.sampled_from([0.0, 0.5, 1.0, 2.0, 3.5, 10.0]), min_size=49, max_size=49),
)
def test_hypothesis_against_scipy(H, W, nbh, values):
    w = np.array(values[: H * W]).reshape(H, W)
    mask, cost = shortest_path(w, nbh, return_cost=True)
    assert cost == pytest.approx(scipy_cost(w, nbh), abs=1e-12)
    assert (mask * w).sum() == pytest.approx(cost, abs=1e-12)
    assert_valid_path(mask, nbh)


def test_torch_in_torch_out():
    w = torch.rand(4, 6, 6, dtype=torch.float32, requires_grad=True)
    with pytest.warns(UserWarning, match="bigrad.torch"):
        mask, cost = shortest_path(w, return_cost=True)
    assert isinstance(mask, torch.Tensor) and mask.dtype == torch.float32 and mask.device == w.device
    np.testing.assert_array_equal(mask.numpy(), shortest_path(w.detach().numpy()))
    assert cost.shape == (4,)
    single = shortest_path(w[0].detach().double())
    assert single.shape == (6, 6) and single.dtype == torch.float64


def test_unbatched_and_list_input():
    mask, cost = shortest_path([[1.0, 5.0], [1.0, 1.0]], return_cost=True)
    assert mask.shape == (2, 2) and np.ndim(cost) == 0 and cost == 2.0


@pytest.mark.parametrize(
    "weights,exc,word",
    [
        (np.ones(5), ValueError, "weights"),
        (np.ones((2, 2, 2, 2)), ValueError, "weights"),
        (np.ones((0, 3)), ValueError, "empty"),
        (np.ones((3, 3), dtype=np.int64), TypeError, "float32 or float64"),
        (np.ones((3, 3), dtype=np.float16), TypeError, "weights"),
        (np.array([[1.0, np.nan], [1.0, 1.0]]), ValueError, "finite"),
        (np.array([[1.0, np.inf], [1.0, 1.0]]), ValueError, "finite"),
        (np.array([[1.0, -1.0], [1.0, 1.0]]), ValueError, "non-negative"),
        ("abc", TypeError, "weights"),
        (np.array([[[1.0, np.nan], [1.0, 1.0]]]), ValueError, "finite"),  # batched: the numpy fast path
        (np.array([[[1.0, 1.0], [1.0, -1.0]]], dtype=np.float32), ValueError, "non-negative"),
    ],
)
def test_bad_weights(weights, exc, word):
    with pytest.raises(exc, match=word):
        shortest_path(weights)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("cell,bad", [(0, np.nan), (142, -1.0), (77, np.inf)])
def test_bad_value_found_in_full_lane_groups(dtype, cell, bad):
    # 13 x 11 = 143 cells: whole register blocks and a remainder; 70 instances fill whole lane groups
    w = np.ones((70, 13, 11), dtype)
    for b in (5, 33, 69):
        v = w.copy()
        v[b].flat[cell] = bad
        with pytest.raises(ValueError, match="weights"):
            shortest_path(v)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_negative_instances_in_lane_groups_raise(dtype):
    # an all-negative instance would never converge: its lane is solved with zero weights instead
    w = np.ones((70, 12, 12), dtype)
    w[33] = -1.0
    w[69] = -2.0
    with pytest.raises(ValueError, match="non-negative"):
        shortest_path(w)


def test_recycled_outputs_are_never_shared():
    # outputs of 64 KB and more come from a pool of released buffers: a live result is never
    # reused, and a reused buffer is fully rewritten (no stale path cells or edges)
    rng = np.random.default_rng(11)
    a = rng.choice([0.8, 1.2, 5.3, 7.7, 9.2], size=(512, 12, 12)).astype(np.float32)
    b = np.ascontiguousarray(a[::-1])
    mask_a, edges_a = shortest_path(a, return_edges=True)
    keep_a, keep_edges = mask_a.copy(), edges_a.copy()
    mask_b, edges_b = shortest_path(b, return_edges=True)
    np.testing.assert_array_equal(mask_a, keep_a)
    np.testing.assert_array_equal(edges_a, keep_edges)
    np.testing.assert_array_equal(mask_b, keep_a[::-1])
    np.testing.assert_array_equal(edges_b, keep_edges[::-1])
    del mask_a, edges_a, mask_b, edges_b
    for _ in range(3):  # the released buffers come back, holding another batch's paths
        mask_b, edges_b = shortest_path(b, return_edges=True)
        np.testing.assert_array_equal(mask_b, keep_a[::-1])
        np.testing.assert_array_equal(edges_b, keep_edges[::-1])
        del mask_b, edges_b
        np.testing.assert_array_equal(shortest_path(a), keep_a)


def test_bad_neighbourhood_and_torch_dtype():
    with pytest.raises(ValueError, match="neighbourhood"):
        shortest_path(np.ones((3, 3)), neighbourhood=6)
    with pytest.raises(TypeError, match="neighbourhood"):
        shortest_path(np.ones((3, 3)), neighbourhood=8.0)
    with pytest.raises(TypeError, match="weights"):
        shortest_path(torch.ones(3, 3, dtype=torch.int32))


def test_build_info_and_threads():
    info = bigrad.build_info()
    assert {"version", "threads", "cuda", "simd"} <= set(info)
    assert info["version"] == bigrad.__version__
    with pytest.raises(ValueError, match="n"):
        bigrad.set_num_threads(0)
    with pytest.raises(TypeError):
        bigrad.set_num_threads(1.5)

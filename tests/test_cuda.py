"""The CUDA module: built optionally; GPU tests run only where a GPU is present."""
import numpy as np
import pytest

import bigrad
from bigrad import _native
from bigrad.solvers import _cuda_dispatch, shortest_path, shortest_path_interdiction, topk_attacked, topk_mask, tsp

torch = pytest.importorskip("torch")
needs_gpu = pytest.mark.skipif(not torch.cuda.is_available() or _native.cuda() is None,
                               reason="needs a CUDA device and the bigrad._cuda module")


def test_build_info_reports_cuda_module():
    info = bigrad.build_info()
    mod = _native.cuda()
    assert info["cuda_built"] == (mod is not None)
    # "cuda" means the kernels can run here: built, and a device present (torch agrees on the count)
    assert info["cuda"] == (mod is not None and info["cuda_devices"] > 0)
    if torch.cuda.is_available() and mod is not None:
        assert info["cuda_devices"] == torch.cuda.device_count()
    if mod is None:
        assert info["cuda_devices"] == 0 and info["cuda_runtime_version"] is None
    else:
        major, minor = info["cuda_runtime_version"].split(".")
        assert int(major) >= 11 and int(minor) >= 0


@needs_gpu
@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
@pytest.mark.parametrize("nbh", [8, 4])
def test_gpu_matches_cpu_exactly(dtype, nbh):
    g = torch.Generator().manual_seed(0)
    w = torch.randint(0, 4, (513, 13, 11), generator=g).to(dtype)  # ties: tie-breaking must agree too
    mask_c, cost_c, edges_c = shortest_path(w, nbh, return_cost=True, return_edges=True)
    mask_g, cost_g, edges_g = shortest_path(w.cuda(), nbh, return_cost=True, return_edges=True)
    assert mask_g.is_cuda and mask_g.dtype == dtype
    np.testing.assert_array_equal(mask_g.cpu().numpy(), mask_c.numpy())
    np.testing.assert_array_equal(edges_g.cpu().numpy(), edges_c.numpy())
    np.testing.assert_array_equal(cost_g.cpu().numpy(), cost_c.numpy())


@needs_gpu
def test_gpu_rejects_bad_values():
    with pytest.raises(ValueError, match="non-negative"):
        shortest_path(-torch.ones(3, 3, device="cuda"))


# ---- host runs of the per-instance kernels the CUDA drivers launch (run everywhere) ----------------------------


def _random_dist(rng, B, n, dtype, symmetric):
    d = rng.random((B, n, n)).astype(dtype)
    return np.ascontiguousarray(d + d.transpose(0, 2, 1)) if symmetric else d


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("symmetric", [False, True])
def test_tsp_levels_on_host_match_cpu_solver(dtype, symmetric):
    # the level-by-level table of cuda/tsp.cu (tsp_held_karp_levels), run on one host thread, against the
    # production solver: push-form Held–Karp below 12 cities, branch and bound from 12 on for symmetric costs
    rng = np.random.default_rng(1)
    core = _native.core()
    for n in range(2, 14):
        dist = _random_dist(rng, 12, n, dtype, symmetric)
        mask, cost = core.tsp_held_karp_levels(dist)
        ref_mask, ref_cost = tsp(dist, return_cost=True)
        np.testing.assert_array_equal(mask, ref_mask, err_msg=f"n = {n}")
        np.testing.assert_array_equal(cost, ref_cost, err_msg=f"n = {n}")


def test_tsp_levels_on_host_ties_and_negative_costs():
    # integer costs: many equal-cost tours, so the tie rules (lowest index) must agree as well
    rng = np.random.default_rng(2)
    for n in (5, 8, 10):
        dist = rng.integers(-3, 4, (40, n, n)).astype(np.float64)
        mask, cost = _native.core().tsp_held_karp_levels(dist)
        ref_mask, ref_cost = tsp(dist, return_cost=True)
        np.testing.assert_array_equal(mask, ref_mask)
        np.testing.assert_array_equal(cost, ref_cost)


def test_tsp_level_sets_enumerate_each_level_in_order():
    # the unranking that hands the sets of a level to the threads of a block: a missed or repeated set would
    # leave a table entry unset, which the comparisons above catch only when a tour needs that entry
    from itertools import combinations

    for m in range(0, 13):
        for c in range(0, m + 1):
            want = sorted(sum(1 << b for b in bits) for bits in combinations(range(m), c))
            assert _native.core().tsp_level_sets(m, c) == want, (m, c)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_topk_ranks_on_host_match_stable_sort(dtype):
    rng = np.random.default_rng(4)
    scores = rng.integers(-3, 4, (50, 23)).astype(dtype)  # ties everywhere
    scores[0, :5] = [0.0, -0.0, 0.0, -0.0, 1.0]
    for k, q in [(0, 0), (1, 0), (7, 3), (23, 5), (23, 23), (10, 10)]:
        y, x = _native.core().topk_attacked_ranks(scores, k, q)
        ref_y, ref_x = topk_attacked(scores, k, q)
        np.testing.assert_array_equal(y, ref_y)
        np.testing.assert_array_equal(x, ref_x)
        np.testing.assert_array_equal(_native.core().topk_attacked_ranks(scores, k, 0)[0], topk_mask(scores, k))


def test_cuda_input_without_cuda_module_says_how_to_rebuild(monkeypatch):
    class DeviceArray:  # stands for a CuPy / numba array in GPU memory
        __cuda_array_interface__ = {"shape": (3, 3), "typestr": "<f4", "data": (0, False), "version": 3}

    monkeypatch.setattr(_cuda_dispatch, "available", lambda: False)
    for call, name in [
        (lambda a: shortest_path(a), "weights"),
        (lambda a: tsp(a), "dist"),
        (lambda a: shortest_path_interdiction(a, np.ones((3, 3), np.float32), 1), "z"),
    ]:
        with pytest.raises(ValueError, match=rf"^{name} is on a CUDA device.*rebuild bigrad"):
            call(DeviceArray())
    assert not _cuda_dispatch.is_cuda_array(np.ones(3)) and not _cuda_dispatch.is_cuda_array(torch.ones(3))


# ---- the CUDA drivers against the CPU, bit for bit (need a GPU) ---------------------------------------------------


@needs_gpu
@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
@pytest.mark.parametrize("symmetric", [False, True])
def test_tsp_gpu_matches_cpu_exactly(dtype, symmetric):
    # n <= 13 (float32) / 12 (float64): the table in shared memory; beyond, per-block slices of global memory
    rng = np.random.default_rng(5)
    npdt = np.float32 if dtype == torch.float32 else np.float64
    for n in (2, 3, 5, 8, 11, 12, 13, 14, 16):
        B = 300 if n <= 12 else 40
        dist = torch.from_numpy(_random_dist(rng, B, n, npdt, symmetric))
        mask_c, cost_c = tsp(dist, return_cost=True)
        mask_g, cost_g = tsp(dist.cuda(), return_cost=True)
        assert mask_g.is_cuda and cost_g.is_cuda and mask_g.dtype == dtype
        np.testing.assert_array_equal(mask_g.cpu().numpy(), mask_c.numpy(), err_msg=f"n = {n}")
        np.testing.assert_array_equal(cost_g.cpu().numpy(), cost_c.numpy(), err_msg=f"n = {n}")


@needs_gpu
def test_tsp_gpu_ties_few_slices_and_large_n():
    rng = np.random.default_rng(6)
    dist = torch.from_numpy(rng.integers(-3, 4, (500, 9, 9)).astype(np.float64))  # ties
    np.testing.assert_array_equal(tsp(dist.cuda()).cpu().numpy(), tsp(dist).numpy())
    # 14 cities of float32 (425 KB a table) under a 3 MB limit: a few global slices, each block looping
    dist = torch.from_numpy(_random_dist(rng, 37, 14, np.float32, False))
    bigrad.set_memory_limit(3 << 20)
    try:
        got = tsp(dist.cuda())
    finally:
        bigrad.set_memory_limit(None)
    np.testing.assert_array_equal(got.cpu().numpy(), tsp(dist).numpy())
    # beyond the GPU driver's 16 cities: solved on the CPU, handed back on the device
    dist = torch.from_numpy(_random_dist(rng, 3, 18, np.float64, True))
    got = tsp(dist.cuda())
    assert got.is_cuda
    np.testing.assert_array_equal(got.cpu().numpy(), tsp(dist).numpy())


@needs_gpu
@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
@pytest.mark.parametrize("nbh", [8, 4])
def test_interdiction_gpu_matches_cpu_exactly(dtype, nbh):
    g = torch.Generator().manual_seed(7)
    z = torch.rand((257, 12, 12), generator=g, dtype=torch.float64).to(dtype) * 9
    w = torch.rand((257, 12, 12), generator=g, dtype=torch.float64).to(dtype) * 5
    zi = torch.randint(0, 5, (257, 9, 10), generator=g).to(dtype)  # integer costs: ties
    wi = torch.randint(0, 3, (257, 9, 10), generator=g).to(dtype)
    for zz, ww in [(z, w), (zi, wi), (z, torch.ones_like(z))]:
        for budget in (0, 1, 3, 20):
            cpu = shortest_path_interdiction(zz, ww, budget, nbh, return_cost=True)
            gpu = shortest_path_interdiction(zz.cuda(), ww.cuda(), budget, nbh, return_cost=True)
            for a, b in zip(gpu, cpu):
                assert a.is_cuda and a.dtype == dtype
                np.testing.assert_array_equal(a.cpu().numpy(), b.numpy())


@needs_gpu
def test_interdiction_gpu_overflow_and_bad_values():
    z = torch.full((2, 4, 4), 3e38, device="cuda")
    with pytest.raises(ValueError, match="overflows float32"):
        shortest_path_interdiction(z, torch.ones_like(z), 1)
    with pytest.raises(ValueError, match="non-negative"):
        shortest_path_interdiction(-torch.ones(3, 3, device="cuda"), torch.ones(3, 3, device="cuda"), 1)


@needs_gpu
@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_topk_gpu_matches_cpu_exactly(dtype):
    g = torch.Generator().manual_seed(8)
    for m in (1, 7, 300, 4096, 5000):  # 5000: beyond the rank kernel, torch's sort on the device
        scores = torch.randint(-4, 5, (33, m), generator=g).to(dtype)
        for k, q in [(0, 0), (1, 1), (min(m, 5), min(m, 2)), (m, m // 2)]:
            y_c, x_c = topk_attacked(scores, k, q)
            y_g, x_g = topk_attacked(scores.cuda(), k, q)
            assert y_g.is_cuda and y_g.dtype == dtype
            np.testing.assert_array_equal(y_g.cpu().numpy(), y_c.numpy())
            np.testing.assert_array_equal(x_g.cpu().numpy(), x_c.numpy())
            np.testing.assert_array_equal(topk_mask(scores.cuda(), k).cpu().numpy(), topk_mask(scores, k).numpy())

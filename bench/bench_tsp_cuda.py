"""GPU throughput of exact TSP at n = 12 (Held–Karp, one thread block per instance); skips without a GPU.

Target: >= 1M instances per second on an H200-class GPU. Random instances,
symmetric (cities in the unit square: the CPU path then runs its branch and
bound) and asymmetric (uniform costs: Held–Karp on the CPU too). Correctness
first: the GPU's tours and costs equal the CPU's bit for bit on a subset.
Then the GPU batch and a CPU batch are timed interleaved in the same run.

Run: python -m pytest bench/bench_tsp_cuda.py --benchmark-enable -s --benchmark-json OUT.json
"""
import numpy as np
import pytest

from bench.conftest import report
from bench.cuda_compare import gpu_vs_cpu
from bigrad import _native
from bigrad.solvers import tsp

torch = pytest.importorskip("torch")
pytestmark = pytest.mark.skipif(not torch.cuda.is_available() or _native.cuda() is None,
                                reason="needs a CUDA device and the bigrad._cuda module")

N = 12
GPU_BATCH = 1 << 18
CPU_BATCH = 1 << 13


def instances(B: int, symmetric: bool, dtype, seed: int = 0):
    rng = np.random.default_rng(seed)
    if symmetric:
        pts = rng.random((B, N, 2))
        d = np.linalg.norm(pts[:, :, None] - pts[:, None], axis=-1)
    else:
        d = rng.random((B, N, N))
    return torch.from_numpy(d).to(dtype)


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
@pytest.mark.parametrize("symmetric", [True, False])
def test_tsp_cuda(benchmark, symmetric, dtype):
    dist = instances(GPU_BATCH, symmetric, dtype)
    dist_gpu, dist_cpu = dist.cuda(), dist[:CPU_BATCH].contiguous()
    mask_g, cost_g = tsp(dist_gpu[:2048], return_cost=True)
    mask_c, cost_c = tsp(dist_cpu[:2048], return_cost=True)
    np.testing.assert_array_equal(mask_g.cpu().numpy(), mask_c.numpy())
    np.testing.assert_array_equal(cost_g.cpu().numpy(), cost_c.numpy())
    if benchmark.disabled:  # --benchmark-disable (the test default): correctness only
        return

    def gpu():
        tsp(dist_gpu)
        torch.cuda.synchronize()

    row = gpu_vs_cpu(gpu, lambda: tsp(dist_cpu), GPU_BATCH, CPU_BATCH)
    benchmark.pedantic(gpu, rounds=3, iterations=1)
    report(benchmark, dict(op="tsp", n=N, symmetric=symmetric, dtype=str(dtype), **row))

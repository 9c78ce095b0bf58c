"""GPU throughput of shortest path with interdiction (the whole min-max-min loop in one launch); skips without a GPU.

12 x 12 grids, budget 3, w = 1 (the paper's Warcraft setting: two oracle
calls per instance) and w uniform in [0, 1) (the bisection over thresholds
runs). Correctness first (bit-identical to the CPU on a subset), then the
GPU batch and a CPU batch timed interleaved in the same run.

Run: python -m pytest bench/bench_shortest_path_interdiction_cuda.py --benchmark-enable -s --benchmark-json OUT.json
"""
import numpy as np
import pytest

from bench.conftest import report
from bench.cuda_compare import gpu_vs_cpu
from bigrad import _native
from bigrad.solvers import shortest_path_interdiction

torch = pytest.importorskip("torch")
pytestmark = pytest.mark.skipif(not torch.cuda.is_available() or _native.cuda() is None,
                                reason="needs a CUDA device and the bigrad._cuda module")

SIZE, BUDGET = 12, 3
GPU_BATCH = 1 << 17
CPU_BATCH = 1 << 13


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
@pytest.mark.parametrize("w_kind", ["ones", "uniform"])
def test_shortest_path_interdiction_cuda(benchmark, w_kind, dtype):
    g = torch.Generator().manual_seed(0)
    z = (torch.rand((GPU_BATCH, SIZE, SIZE), generator=g, dtype=torch.float64) * 9 + 0.5).to(dtype)
    w = torch.ones_like(z) if w_kind == "ones" else torch.rand(z.shape, generator=g, dtype=torch.float64).to(dtype)
    zg, wg, zc, wc = z.cuda(), w.cuda(), z[:CPU_BATCH].contiguous(), w[:CPU_BATCH].contiguous()
    for a, b in zip(shortest_path_interdiction(zg[:2048], wg[:2048], BUDGET, return_cost=True),
                    shortest_path_interdiction(zc[:2048], wc[:2048], BUDGET, return_cost=True)):
        np.testing.assert_array_equal(a.cpu().numpy(), b.numpy())
    if benchmark.disabled:
        return

    def gpu():
        shortest_path_interdiction(zg, wg, BUDGET)
        torch.cuda.synchronize()

    row = gpu_vs_cpu(gpu, lambda: shortest_path_interdiction(zc, wc, BUDGET), GPU_BATCH, CPU_BATCH)
    benchmark.pedantic(gpu, rounds=3, iterations=1)
    report(benchmark, dict(op="shortest_path_interdiction", size=SIZE, budget=BUDGET, w=w_kind, dtype=str(dtype),
                           **row))

"""GPU throughput of the grid shortest path against the CPU path on the same machine (skips without a CUDA device).

Target: >= 10M 12x12 instances per second. Correctness is checked against the
CPU module (bit-identical results) before timing; then the GPU batch and a
CPU batch are timed interleaved in the same run.

Run: python -m pytest bench/bench_shortest_path_cuda.py --benchmark-enable -s --benchmark-json OUT.json
"""
import numpy as np
import pytest

from bench.conftest import report
from bench.cuda_compare import gpu_vs_cpu
from bigrad import _native
from bigrad.solvers import shortest_path

torch = pytest.importorskip("torch")
pytestmark = pytest.mark.skipif(not torch.cuda.is_available() or _native.cuda() is None,
                                reason="needs a CUDA device and the bigrad._cuda module")


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
@pytest.mark.parametrize("size", [12, 18, 24, 30])
def test_shortest_path_cuda(benchmark, size, dtype):
    B = 1 << 18 if size == 12 else 1 << 16
    cpu_batch = B >> 3
    costs = torch.tensor([0.8, 1.2, 5.3, 7.7, 9.2], dtype=dtype)
    w_cpu = costs[torch.randint(0, 5, (B, size, size), generator=torch.Generator().manual_seed(0))]
    w = w_cpu.cuda()
    w_cpu = w_cpu[:cpu_batch].contiguous()
    np.testing.assert_array_equal(shortest_path(w[:2048]).cpu().numpy(), shortest_path(w_cpu[:2048]).numpy())

    def run():
        shortest_path(w)
        torch.cuda.synchronize()

    if benchmark.disabled:  # --benchmark-disable (the test default): correctness only
        return
    row = gpu_vs_cpu(run, lambda: shortest_path(w_cpu), B, cpu_batch)
    benchmark.pedantic(run, rounds=5, iterations=1, warmup_rounds=1)
    report(benchmark, dict(op="shortest_path", size=size, dtype=str(dtype), batch=B,
                           instances_per_s=B / benchmark.stats.stats.median, **row))

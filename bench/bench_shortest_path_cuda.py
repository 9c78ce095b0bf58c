"""GPU throughput of the grid shortest path (skips without a CUDA device).

Target: >= 10M 12x12 instances per second. Correctness is checked against the
CPU module (bit-identical results) before timing.
"""
import numpy as np
import pytest

from bench.conftest import report
from bigrad import _native
from bigrad.solvers import shortest_path

torch = pytest.importorskip("torch")
pytestmark = pytest.mark.skipif(not torch.cuda.is_available() or _native.cuda() is None,
                                reason="needs a CUDA device and the bigrad._cuda module")


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
@pytest.mark.parametrize("size", [12, 18, 24, 30])
def test_shortest_path_cuda(benchmark, size, dtype):
    B = 1 << 18 if size == 12 else 1 << 16
    costs = torch.tensor([0.8, 1.2, 5.3, 7.7, 9.2], dtype=dtype)
    w_cpu = costs[torch.randint(0, 5, (B, size, size), generator=torch.Generator().manual_seed(0))]
    w = w_cpu.cuda()
    np.testing.assert_array_equal(shortest_path(w[:2048]).cpu().numpy(), shortest_path(w_cpu[:2048]).numpy())

    def run():
        shortest_path(w)
        torch.cuda.synchronize()

    if benchmark.disabled:  # --benchmark-disable (the test default): correctness only
        return
    benchmark.pedantic(run, rounds=10, iterations=1, warmup_rounds=2)
    per_s = B / benchmark.stats.stats.median
    report(benchmark, dict(size=size, dtype=str(dtype), batch=B, instances_per_s=per_s,
                           device=torch.cuda.get_device_name()))

"""One training step of the Warcraft interdiction model at batch 1024, GPU against CPU (skips without a GPU).

Target: the GPU step >= 10x faster than the CPU step on the same machine.
The step of bigrad.experiments.warcraft (12 x 12 maps, budget 3, w = 1):
the CNN's forward pass, the ShortestPathInterdiction layer (``bb``, whose
backward solves the game again at perturbed costs), the Hamming + l1 loss,
backward and an Adam update, in float64 as in the experiment. The same
model, data and step run on each device; the steps are interleaved.

Run: python -m pytest bench/bench_warcraft_cuda.py --benchmark-enable -s --benchmark-json OUT.json
"""
from types import SimpleNamespace

import pytest

from bench.conftest import report
from bench.cuda_compare import gpu_vs_cpu
from bigrad import _native

torch = pytest.importorskip("torch")
pytestmark = pytest.mark.skipif(not torch.cuda.is_available() or _native.cuda() is None,
                                reason="needs a CUDA device and the bigrad._cuda module")

BATCH = 1024


def make_step(train, cfg, device: str, method: str):
    """A zero-argument training step on ``device`` (synchronised on CUDA)."""
    from bigrad.experiments.training import loss_for, mask_loss
    from bigrad.experiments.warcraft import Learner

    learner = Learner(method, cfg, float(train.z.mean()))
    learner.net.to(device)
    images, y_true, x_true = (t.to(device) for t in (train.images.double(), train.y, train.x))
    data = SimpleNamespace(w_tensor=train.w_tensor.to(device))
    opt = torch.optim.Adam(learner.net.parameters(), lr=cfg.lr)
    kind = loss_for(method, cfg.loss)

    def step():
        y, x = learner.layer(*learner.game_inputs(learner.net(images), data, slice(None)))
        loss = mask_loss(y, y_true, kind) + mask_loss(x, x_true, kind)
        opt.zero_grad()
        loss.backward()
        opt.step()
        if device == "cuda":
            torch.cuda.synchronize()

    return step


@pytest.mark.parametrize("method", ["bb", "pt"])
def test_warcraft_step_cuda(benchmark, method):
    from bigrad.experiments.warcraft import Dataset, WarcraftConfig

    cfg = WarcraftConfig(size=12, batch_size=BATCH)
    train = Dataset(BATCH, cfg, seed=0)
    gpu, cpu = make_step(train, cfg, "cuda", method), make_step(train, cfg, "cpu", method)
    if benchmark.disabled:
        gpu()
        return
    row = gpu_vs_cpu(gpu, cpu, BATCH, BATCH, rounds=5)
    benchmark.pedantic(gpu, rounds=3, iterations=1)
    row = dict(op="warcraft_step", method=method, batch=BATCH, gpu_step_s=BATCH / row["gpu_instances_per_s"],
               cpu_step_s=BATCH / row["cpu_instances_per_s"], **row)
    report(benchmark, row)

"""Two-process DDP training (gloo, CPU) gives the gradient that one process computes for the same shards."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

torch = pytest.importorskip("torch")
dist = pytest.importorskip("torch.distributed")
if not dist.is_available() or not dist.is_gloo_available():
    pytest.skip("torch.distributed with gloo is not available", allow_module_level=True)

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "examples"))
import ddp_warcraft as ex

ARGS = dict(maps=64, size=8, budget=2, seed=3, batch=16)


def single_process_gradient() -> np.ndarray:
    """The gradient of the mean loss over the first global batch, in one process, no DDP."""
    data = ex.make_data(ARGS["maps"], ARGS["size"], 4, ARGS["budget"], ARGS["seed"])
    world, per_rank = 2, ARGS["batch"] // 2
    # DistributedSampler's order (shuffle with the seed of epoch 0), split rank by rank like DDP does
    samplers = [torch.utils.data.DistributedSampler(data, num_replicas=world, rank=r, shuffle=True,
                                                    seed=ARGS["seed"]) for r in range(world)]
    idx = [list(s)[:per_rank] for s in samplers]
    layer = ex.ShortestPathInterdiction(ARGS["budget"], method="bb", lam=10.0)
    # DDP averages the per-rank gradients of the per-rank losses. (Not the gradient of the averaged
    # loss: the blackbox gradient is not linear in the incoming gradient, which it scales by lam.)
    grads = []
    for i in idx:
        model = ex.make_model(4, ARGS["seed"])
        ex.batch_loss(model, layer, *data[i]).backward()
        grads.append(ex.flat_grad(model))
    return sum(grads) / world


@pytest.mark.slow
def test_two_process_gloo_gradient_matches_single_process(tmp_path):
    out = tmp_path / "grad.npy"
    env = {**os.environ, "OMP_NUM_THREADS": "1", "PYTHONPATH": str(ROOT / "src")}
    cmd = [sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc_per_node=2",
           str(ROOT / "examples" / "ddp_warcraft.py"), "--grad-out", str(out),
           *[f"--{k}={v}" for k, v in ARGS.items()]]
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    ddp = np.load(out)
    ref = single_process_gradient()
    assert ddp.shape == ref.shape and np.abs(ref).max() > 0
    np.testing.assert_allclose(ddp, ref, rtol=1e-10, atol=1e-12)


def test_training_steps_reduce_loss_in_one_process():
    # the example's model, data and loss train: 30 steps lower the loss on a fixed batch
    data = ex.make_data(32, 8, 4, 2, 0)
    model = ex.make_model(4, 0)
    layer = ex.ShortestPathInterdiction(2, method="bb", lam=10.0)
    opt = torch.optim.Adam(model.parameters(), lr=1e-2)
    images, y, x = data[:]
    with torch.no_grad():
        before = ex.batch_loss(model, layer, images, y, x).item()
    for _ in range(30):
        loss = ex.batch_loss(model, layer, images, y, x)
        opt.zero_grad()
        loss.backward()
        opt.step()
    with torch.no_grad():
        after = ex.batch_loss(model, layer, images, y, x).item()
    assert after < before

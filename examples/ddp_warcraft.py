"""Data-parallel training of the Warcraft-like interdiction model with ``torch.distributed`` (DDP).

Launch one process per GPU (or several on CPU) with torchrun::

    torchrun --standalone --nproc_per_node=2 examples/ddp_warcraft.py --steps 50 --batch 64

Each process reads its shard of every global batch (``DistributedSampler``), solves
its part of the interdiction games with bigrad's batched solver on its own device
(CUDA when the process has a GPU and ``bigrad._cuda`` is built, else the CPU
threads; give each process ``bigrad.set_num_threads(cores // processes)``), and
DDP averages the gradients. The backend is NCCL on GPUs and gloo on CPUs.

``--grad-out FILE`` runs a single step without updating and saves the averaged
gradient (rank 0): the mean over the shards of each shard's gradient, exactly as
one process computes it; ``tests/test_ddp.py`` checks that. (With blackbox
gradients this is not the gradient of the mean loss over the global batch: the
estimator is not linear in the incoming gradient, which it scales by ``lam``.
Keep ``lam`` tuned to the per-process batch loss.)
"""
from __future__ import annotations

import argparse
import os

import numpy as np
import torch
import torch.distributed as dist
from torch import nn
from torch.nn.parallel import DistributedDataParallel
from torch.utils.data import DataLoader, DistributedSampler, TensorDataset

import bigrad
from bigrad.experiments.maps import make_maps
from bigrad.solvers import shortest_path_interdiction
from bigrad.torch import ShortestPathInterdiction


def make_model(patch: int, seed: int) -> nn.Module:
    """CNN: image ``[B, 3, H*P, W*P]`` -> path costs ``[B, H, W]`` (positive, per-map mean 1)."""
    torch.manual_seed(seed)
    return nn.Sequential(
        nn.Conv2d(3, 16, kernel_size=patch, stride=patch), nn.ReLU(),
        nn.Conv2d(16, 16, kernel_size=3, padding=1), nn.ReLU(),
        nn.Conv2d(16, 1, kernel_size=1), nn.Softplus(),
    ).double()


def make_data(n: int, size: int, patch: int, budget: int, seed: int) -> TensorDataset:
    """Maps and the true game solution (path ``y``, interdiction ``x``), ``w = 1``."""
    maps = make_maps(n, size, patch, seed=seed)
    y, x = shortest_path_interdiction(maps.costs, np.ones_like(maps.costs), budget)
    return TensorDataset(torch.from_numpy(maps.images).double(), torch.from_numpy(y), torch.from_numpy(x))


def batch_loss(model: nn.Module, layer: nn.Module, images, y, x) -> torch.Tensor:
    """Hamming loss of the predicted (path, interdiction) against the true one, summed over cells and maps.

    A sum, not a mean, so that the blackbox gradient's perturbation ``lam * dL/dy``
    (``lam`` per cell and map) is of the order of the costs whatever the batch size.
    """
    z = model(images)[:, 0]
    z = 3.0 * z / z.mean(dim=(1, 2), keepdim=True)  # the maps' mean cost is about 3
    y_hat, x_hat = layer(z, torch.ones_like(z))

    def hamming(pred, target):
        return (pred * (1 - target) + (1 - pred) * target).sum()

    return hamming(y_hat, y) + hamming(x_hat, x)


def flat_grad(model: nn.Module) -> np.ndarray:
    return torch.cat([p.grad.detach().flatten().cpu() for p in model.parameters()]).numpy()


def main(argv=None) -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--steps", type=int, default=50)
    p.add_argument("--batch", type=int, default=64, help="global batch (split across processes)")
    p.add_argument("--maps", type=int, default=1024)
    p.add_argument("--size", type=int, default=12)
    p.add_argument("--budget", type=int, default=3)
    p.add_argument("--lr", type=float, default=3e-3)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--grad-out", default=None, help="save the first step's averaged gradient here and stop")
    args = p.parse_args(argv)

    use_cuda = torch.cuda.is_available()
    dist.init_process_group("nccl" if use_cuda else "gloo")
    rank, world = dist.get_rank(), dist.get_world_size()
    local = int(os.environ.get("LOCAL_RANK", 0))
    device = torch.device("cuda", local) if use_cuda else torch.device("cpu")
    if use_cuda:
        torch.cuda.set_device(device)
    else:
        torch.set_num_threads(1)
        bigrad.set_num_threads(max(1, (os.cpu_count() or 1) // world))
    if args.batch % world:
        raise SystemExit(f"--batch ({args.batch}) must be a multiple of the number of processes ({world})")

    data = make_data(args.maps, args.size, 4, args.budget, args.seed)
    sampler = DistributedSampler(data, num_replicas=world, rank=rank, shuffle=True, seed=args.seed)
    loader = DataLoader(data, batch_size=args.batch // world, sampler=sampler, drop_last=True)
    model = DistributedDataParallel(make_model(4, args.seed).to(device),
                                    device_ids=[local] if use_cuda else None)
    layer = ShortestPathInterdiction(args.budget, method="bb", lam=10.0)
    opt = torch.optim.Adam(model.parameters(), lr=args.lr)

    step, epoch = 0, 0
    while step < args.steps:
        sampler.set_epoch(epoch)
        for images, y, x in loader:
            loss = batch_loss(model, layer, images.to(device), y.to(device), x.to(device))
            opt.zero_grad()
            loss.backward()  # DDP all-reduces (averages) the gradients here
            if args.grad_out is not None:
                if rank == 0:
                    np.save(args.grad_out, flat_grad(model.module))
                dist.destroy_process_group()
                return
            opt.step()
            step += 1
            if rank == 0 and step % 10 == 0:
                print(f"step {step}/{args.steps}  loss {loss.item():.4f}", flush=True)
            if step >= args.steps:
                break
        epoch += 1
    dist.destroy_process_group()


if __name__ == "__main__":
    main()

"""Shortest path with interdiction on synthetic Warcraft-like maps (paper Sec. 5.3, Table 3).

A CNN reads the map image and predicts the path costs ``z`` and interdiction
costs ``w`` of every cell; the bilevel layer ``min_y max_x <z + x*w, y>``
(budget 3) turns them into a path ``y`` and an interdiction ``x``; the loss is
the Hamming loss of both against the true game's solution (true ``z`` from the
terrain, ``w = 1``). The predicted costs are normalised per map to the mean
training cost: the argmin is scale-free but blackbox gradients are not, and
without it the costs collapse towards zero where every path ties. By default
``w`` is known (its true value 1, as in the paper's data); ``learn_w=True``
predicts it as well. Methods: the BiGrad estimators ``bb`` (Eq. 8) and ``pt``
(Eq. 9), the single-level baselines ``bb1``/``pt1``, and ``sl``: the same CNN
predicting the masks directly (supervised, no solver).
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np
import torch
from torch import nn

from bigrad.experiments.maps import make_maps
from bigrad.experiments.training import METHODS, loss_for, mask_loss, mask_metrics, optimal_fraction
from bigrad.solvers import shortest_path_interdiction
from bigrad.torch.combinatorial import ShortestPathInterdiction

@dataclass
class WarcraftConfig:
    size: int = 12
    n_train: int = 1000
    n_val: int = 200
    budget: int = 3
    epochs: int = 8
    batch_size: int = 50
    lr: float = 2e-3
    lam: float = 20.0
    patch: int = 4
    seed: int = 0
    learn_w: bool = False
    loss: str = "auto"
    methods: tuple = field(default=METHODS)


class MapNet(nn.Module):
    """Image ``[B, 3, H*P, W*P]`` -> two maps ``[B, 2, H, W]`` (one output per cell and channel)."""

    def __init__(self, patch: int, width: int = 24):
        super().__init__()
        self.body = nn.Sequential(
            nn.Conv2d(3, width, kernel_size=patch, stride=patch),
            nn.ReLU(),
            nn.Conv2d(width, width, kernel_size=3, padding=1),
            nn.ReLU(),
            nn.Conv2d(width, 2, kernel_size=1),
        )

    def forward(self, images):
        return self.body(images)


class Dataset:
    """Maps and the true game solution of each (tensors, float64 costs)."""

    def __init__(self, n: int, cfg: WarcraftConfig, seed: int):
        maps = make_maps(n, cfg.size, cfg.patch, seed=seed)
        self.images = torch.from_numpy(maps.images)
        self.z = maps.costs
        self.w = np.ones_like(self.z)
        y, x, value = shortest_path_interdiction(self.z, self.w, cfg.budget, return_cost=True)
        self.y, self.x, self.value = torch.from_numpy(y), torch.from_numpy(x), value
        self.w_tensor = torch.from_numpy(self.w)


def evaluate(predict, data: Dataset, cfg: WarcraftConfig, is_path: bool) -> dict:
    """Accuracy (% optimal paths; exact match for ``sl``) and cell accuracy of (y, x)."""
    with torch.no_grad():
        y_hat, x_hat = predict(data.images, data)
    if is_path:
        optimal = optimal_fraction(y_hat.numpy(), data.z, data.w, data.value, cfg.budget)
    else:
        optimal = float((y_hat == data.y).flatten(1).all(1).double().mean())
    return {"accuracy": 100 * optimal, **mask_metrics(y_hat, x_hat, data.y, data.x)}


def train_method(method: str, train: Dataset, val: Dataset, cfg: WarcraftConfig, log=print) -> dict:
    """Train one model with ``method``; returns final train/validation metrics and timings."""
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}, got {method!r}")
    torch.manual_seed(cfg.seed)
    net = MapNet(cfg.patch).double()
    layer = None if method == "sl" else ShortestPathInterdiction(cfg.budget, method=method, lam=cfg.lam)

    z_scale = float(train.z.mean())

    def game_inputs(out, data, idx):
        z = nn.functional.softplus(out[:, 0])
        z = z / z.mean(dim=(1, 2), keepdim=True) * z_scale
        w = nn.functional.softplus(out[:, 1]) if cfg.learn_w else data.w_tensor[idx]
        return z, w

    def predict(images, data):
        out = net(images.double())
        if layer is None:
            return (out[:, 0] > 0).double(), (out[:, 1] > 0).double()
        return layer(*game_inputs(out, data, slice(None)))

    kind = loss_for(method, cfg.loss)
    opt = torch.optim.Adam(net.parameters(), lr=cfg.lr)
    n = len(train.images)
    gen = torch.Generator().manual_seed(cfg.seed)
    start = time.perf_counter()
    for epoch in range(cfg.epochs):
        perm = torch.randperm(n, generator=gen)
        total = 0.0
        for i in range(0, n, cfg.batch_size):
            idx = perm[i : i + cfg.batch_size]
            out = net(train.images[idx].double())
            if layer is None:
                bce = nn.functional.binary_cross_entropy_with_logits
                loss = bce(out[:, 0], train.y[idx]) + bce(out[:, 1], train.x[idx])
            else:
                y, x = layer(*game_inputs(out, train, idx))
                loss = mask_loss(y, train.y[idx], kind) + mask_loss(x, train.x[idx], kind)
            opt.zero_grad()
            loss.backward()
            opt.step()
            total += loss.item() * len(idx)
        log(f"  [{method}] epoch {epoch + 1}/{cfg.epochs}  loss {total / n:.4f}")
    seconds = time.perf_counter() - start
    res = {"method": method, "loss": "bce" if layer is None else kind, "seconds": seconds}
    for name, data in (("train", train), ("val", val)):
        for k, v in evaluate(predict, data, cfg, layer is not None).items():
            res[f"{name}_{k}"] = v
    return res


def run(cfg: WarcraftConfig | None = None, log=print) -> list[dict]:
    """Train every method of ``cfg.methods`` on the same data; one result dict per method."""
    cfg = cfg or WarcraftConfig()
    log(f"warcraft-like shortest path with interdiction: {cfg.size}x{cfg.size} maps, budget {cfg.budget}, "
        f"{cfg.n_train} train / {cfg.n_val} validation maps")
    train = Dataset(cfg.n_train, cfg, seed=cfg.seed)
    val = Dataset(cfg.n_val, cfg, seed=cfg.seed + 10_000)
    results = []
    for method in cfg.methods:
        res = train_method(method, train, val, cfg, log)
        log(f"  [{method}] accuracy train {res['train_accuracy']:.1f}%  val {res['val_accuracy']:.1f}%  "
            f"({res['seconds']:.1f} s)")
        results.append(res)
    return results

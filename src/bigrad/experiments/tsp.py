"""TSP with interdiction (paper Sec. 5.4, Table 4).

A world of ``n_cities`` cities has hidden travel costs ``z`` (scaled Euclidean
distances between hidden positions) and hidden interdiction costs
``w_ij = u_i + u_j`` (a vulnerability per city). Each instance is a random
subset of ``k`` cities; its label is the solution ``(y, x)`` of
``min_y max_x <z + x*w, y>`` (budget 1) on that subset. The model learns a
position (``dim`` coordinates) and a vulnerability per city, trained only
through ``TSPInterdiction`` with each gradient method; ``sl`` instead learns
one logit per city pair and edge type (supervised, no solver), which cannot
generalise to unseen subsets.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np
import torch
from torch import nn

from bigrad.experiments.training import METHODS, loss_for, mask_loss, mask_metrics, optimal_fraction
from bigrad.solvers import tsp_interdiction
from bigrad.torch.combinatorial import TSPInterdiction

@dataclass
class TSPConfig:
    k: int = 8
    n_cities: int = 100
    budget: int = 1
    n_val: int = 200
    epochs: int = 10
    batch_size: int = 40
    lr: float = 0.05
    lam: float = 10.0
    dim: int = 4
    n_train: int = 1000
    seed: int = 0
    loss: str = "auto"
    methods: tuple = field(default=METHODS)


class World:
    """Hidden costs of all cities and labelled instances (subsets of ``k`` cities)."""

    def __init__(self, cfg: TSPConfig):
        rng = np.random.default_rng(cfg.seed)
        xy = rng.random((cfg.n_cities, 2))
        self.z = 10.0 * np.linalg.norm(xy[:, None] - xy[None], axis=-1)
        u = rng.uniform(1.0, 3.0, cfg.n_cities)
        self.w = u[:, None] + u[None, :]
        self.cfg = cfg
        self.rng = rng

    def instances(self, n: int):
        """``n`` random subsets: indices ``[n, k]``, true z, w ``[n, k, k]``, labels and game values."""
        idx = np.stack([np.sort(self.rng.choice(self.cfg.n_cities, self.cfg.k, replace=False)) for _ in range(n)])
        z = self.z[idx[:, :, None], idx[:, None, :]]
        w = self.w[idx[:, :, None], idx[:, None, :]]
        y, x, value = tsp_interdiction(z, w, self.cfg.budget, return_cost=True)
        return {"idx": torch.from_numpy(idx), "z": z, "w": w, "y": torch.from_numpy(y), "x": torch.from_numpy(x),
                "value": value}


class CityModel(nn.Module):
    """Learnable city positions and vulnerabilities; ``forward(idx [B, k])`` -> ``z, w`` ``[B, k, k]``."""

    def __init__(self, n: int, dim: int, seed: int):
        super().__init__()
        g = torch.Generator().manual_seed(seed)
        self.pos = nn.Parameter(torch.randn(n, dim, generator=g, dtype=torch.float64))
        self.vuln = nn.Parameter(torch.zeros(n, dtype=torch.float64))
        # supervised baseline: one logit per city pair for "on the tour" and "interdicted"
        self.logit_y = nn.Parameter(torch.zeros(n, n, dtype=torch.float64))
        self.logit_x = nn.Parameter(torch.zeros(n, n, dtype=torch.float64))

    def forward(self, idx, scale: float = 1.0):
        """Costs of the subsets ``idx``; both are rescaled per instance so that ``z`` has mean ``scale``
        (blackbox gradients are not scale-free; without it their perturbations stop changing the tour)."""
        p = self.pos[idx]
        z = ((p[:, :, None] - p[:, None, :]).pow(2).sum(-1) + 1e-12).sqrt()
        u = nn.functional.softplus(self.vuln)[idx]
        factor = scale / z.mean(dim=(1, 2), keepdim=True)
        return z * factor, (u[:, :, None] + u[:, None, :]) * factor

    def logits(self, idx):
        rows, cols = idx[:, :, None], idx[:, None, :]
        return self.logit_y[rows, cols], self.logit_x[rows, cols]


def train_method(method: str, world: World, train: dict, val: dict, cfg: TSPConfig, log=print) -> dict:
    """Train one model with ``method``; returns train/validation metrics and the training time."""
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}, got {method!r}")
    torch.manual_seed(cfg.seed)
    model = CityModel(cfg.n_cities, cfg.dim, cfg.seed)
    layer = None if method == "sl" else TSPInterdiction(cfg.budget, method=method, lam=cfg.lam)
    kind = loss_for(method, cfg.loss)
    opt = torch.optim.Adam(model.parameters(), lr=cfg.lr)

    z_scale = float(train["z"].mean())

    def predict(idx):
        if layer is None:
            ly, lx = model.logits(idx)
            return (ly > 0).double(), (lx > 0).double()
        return layer(*model(idx, z_scale))

    n = len(train["idx"])
    gen = torch.Generator().manual_seed(cfg.seed)
    start = time.perf_counter()
    for epoch in range(cfg.epochs):
        perm, total = torch.randperm(n, generator=gen), 0.0
        for i in range(0, n, cfg.batch_size):
            b = perm[i : i + cfg.batch_size]
            idx = train["idx"][b]
            if layer is None:
                bce = nn.functional.binary_cross_entropy_with_logits
                logit_y, logit_x = model.logits(idx)
                loss = bce(logit_y, train["y"][b]) + bce(logit_x, train["x"][b])
            else:
                y, x = layer(*model(idx, z_scale))
                loss = mask_loss(y, train["y"][b], kind) + mask_loss(x, train["x"][b], kind)
            opt.zero_grad()
            loss.backward()
            opt.step()
            total += loss.item() * len(b)
        log(f"  [{method}] epoch {epoch + 1}/{cfg.epochs}  loss {total / n:.4f}")
    res = {"method": method, "loss": "bce" if layer is None else kind, "seconds": time.perf_counter() - start}
    for name, data in (("train", train), ("val", val)):
        with torch.no_grad():
            y_hat, x_hat = predict(data["idx"])
        if layer is None:
            acc = float((y_hat == data["y"]).flatten(1).all(1).double().mean())
        else:
            acc = optimal_fraction(y_hat.numpy(), data["z"], data["w"], data["value"], cfg.budget)
        metrics = {"accuracy": 100 * acc, **mask_metrics(y_hat, x_hat, data["y"], data["x"])}
        res.update({f"{name}_{k}": v for k, v in metrics.items()})
    return res


def run(cfg: TSPConfig | None = None, log=print) -> list[dict]:
    """Train every method of ``cfg.methods`` on the same instances; one result dict per method."""
    cfg = cfg or TSPConfig()
    log(f"TSP with interdiction: {cfg.k} of {cfg.n_cities} cities, budget {cfg.budget}, "
        f"{cfg.n_train} train / {cfg.n_val} validation instances")
    world = World(cfg)
    train, val = world.instances(cfg.n_train), world.instances(cfg.n_val)
    results = []
    for method in cfg.methods:
        res = train_method(method, world, train, val, cfg, log)
        log(f"  [{method}] accuracy train {res['train_accuracy']:.1f}%  val {res['val_accuracy']:.1f}%  "
            f"({res['seconds']:.1f} s)")
        results.append(res)
    return results

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
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch import nn

from bigrad.experiments import report
from bigrad.experiments.combresnet import CombResNet
from bigrad.experiments.maps import make_maps
from bigrad.experiments.significance import claim_rows, claims_markdown
from bigrad.experiments.supervised import MaskMemoriser
from bigrad.experiments.table import TableResult
from bigrad.experiments.training import (
    METHODS,
    TrainingConfig,
    estimate_training,
    fit,
    loss_for,
    mask_loss,
    mask_metrics,
    optimal_fraction,
    train_or_fail,
)
from bigrad.experiments.warcraft_data import WarcraftSplit, load_warcraft, size_dir
from bigrad.experiments.workers import SolverClock, run_units, split_time
from bigrad.solvers import shortest_path_interdiction
from bigrad.torch.combinatorial import ShortestPathInterdiction


@dataclass
class WarcraftConfig(TrainingConfig):
    size: int = 12
    n_train: int = 1000
    budget: int = 3
    batch_size: int = 50
    lr: float = 2e-3
    #: learning-rate schedule of :func:`~bigrad.experiments.training.fit`
    schedule: str = "constant"
    lam: float = 20.0
    patch: int = 4
    learn_w: bool = False
    #: "mapnet" (the small CNN, synthetic maps) or "combresnet" (the paper's network, real Warcraft maps)
    model: str = "mapnet"


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

    def __init__(self, n: int, cfg: WarcraftConfig, seed: int, split: WarcraftSplit | None = None):
        """``n`` synthetic maps drawn with ``seed``, or the first ``n`` of a real dataset's ``split``."""
        if split is None:
            maps = make_maps(n, cfg.size, cfg.patch, seed=seed)
            images, costs = maps.images, maps.costs
        else:
            images, costs = split.images[:n], split.costs[:n]
        self.images = torch.from_numpy(np.ascontiguousarray(images))
        self.z = costs
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


class Learner:
    """The CNN, its layer (None for ``sl``) and how its outputs become the game's ``(z, w)``."""

    def __init__(self, method: str, cfg: WarcraftConfig, z_scale: float, w_scale: float = 1.0):
        if method not in METHODS:
            raise ValueError(f"method must be one of {METHODS}, got {method!r}")
        torch.manual_seed(cfg.seed)
        self.cfg, self.z_scale, self.w_scale = cfg, z_scale, w_scale
        grid = (cfg.size, cfg.size)
        net: nn.Module
        if method == "sl":  # wider than the training set: it can interpolate every training map
            net = MaskMemoriser(grid, width=max(2048, cfg.n_train + 512), seed=cfg.seed)
        elif cfg.model == "combresnet":
            net = CombResNet(grid)
        elif cfg.model == "mapnet":
            net = MapNet(cfg.patch)
        else:
            raise ValueError(f"model must be 'mapnet' or 'combresnet', got {cfg.model!r}")
        self.net = net.double()
        self.layer = None if method == "sl" else ShortestPathInterdiction(cfg.budget, method=method, lam=cfg.lam)

    def game_inputs(self, out, data: Dataset, idx):
        """``z`` and a learned ``w`` are each normalised per map to the mean training cost: the loss does not
        see their scales, and a raw ``w`` drifted against ``z`` until PT's game collapsed (0 % in 7 of 9 runs).
        The floor keeps the normalisation defined when every logit of a map drifts far below zero."""
        z = nn.functional.softplus(out[:, 0]) + 1e-6
        z = z / z.mean(dim=(1, 2), keepdim=True) * self.z_scale
        if not self.cfg.learn_w:
            return z, data.w_tensor[idx]
        w = nn.functional.softplus(out[:, 1]) + 1e-6
        return z, w / w.mean(dim=(1, 2), keepdim=True) * self.w_scale

    def predict(self, images, data: Dataset):
        was_training = self.net.training
        self.net.eval()  # batch norm (CombResNet) on its running statistics
        try:
            out = torch.cat([self.net(images[i:i + 256].double()) for i in range(0, len(images), 256)])
        finally:
            self.net.train(was_training)
        if self.layer is None:
            return (out[:, 0] > 0).double(), (out[:, 1] > 0).double()
        return self.layer(*self.game_inputs(out, data, slice(None)))


def train_method(method: str, train: Dataset, val: Dataset, cfg: WarcraftConfig, log=print, desc: str = "") -> dict:
    """Train one model with ``method``; returns final train/validation metrics, loss per epoch and timing."""
    learner = Learner(method, cfg, float(train.z.mean()), float(train.w.mean()))
    net, layer = learner.net, learner.layer
    clock = SolverClock(layer)
    kind = loss_for(method, cfg.loss)

    def batch_loss(idx):
        assert layer is not None
        out = net(train.images[idx].double())
        y, x = layer(*learner.game_inputs(out, train, idx))
        return mask_loss(y, train.y[idx], kind) + mask_loss(x, train.x[idx], kind)

    curve_val: list[float] = []

    def after_epoch():
        curve_val.append(evaluate(learner.predict, val, cfg, layer is not None)["accuracy"])
        return {"val": f"{curve_val[-1]:.1f}%"}

    start, cpu = time.perf_counter(), time.process_time()
    if isinstance(net, MaskMemoriser):  # SL: the read-out in closed form, one "epoch"
        curve_loss = [net.fit(train.images, torch.stack([train.y, train.x], 1))]
        after_epoch()
    else:
        curve_loss = fit(batch_loss, net.parameters(), len(train.images), epochs=cfg.epochs,
                         batch_size=cfg.batch_size, lr=cfg.lr, seed=cfg.seed, schedule=cfg.schedule,
                         desc=desc or f"warcraft {cfg.size}x{cfg.size} {method}", after_epoch=after_epoch)
    res = {"method": method, "learn_w": cfg.learn_w, "loss": "least squares" if layer is None else kind,
           "seconds": time.perf_counter() - start, "cpu_seconds": time.process_time() - cpu,
           "solver_seconds": clock.seconds, "curve_loss": curve_loss, "curve_val": curve_val}
    for name, data in (("train", train), ("val", val)):
        for key, v in evaluate(learner.predict, data, cfg, layer is not None).items():
            res[f"{name}_{key}"] = v
    log(f"  [{desc or method}] accuracy train {res['train_accuracy']:.1f}%  val {res['val_accuracy']:.1f}%  "
        f"({res['seconds']:.1f} s)")
    return res


def untrained_accuracy(train: Dataset, val: Dataset, cfg: WarcraftConfig) -> float:
    """Validation accuracy (% optimal paths) of the initial CNN through the layer."""
    learner = Learner("bb", cfg, float(train.z.mean()), float(train.w.mean()))
    return evaluate(learner.predict, val, cfg, True)["accuracy"]


def run(cfg: WarcraftConfig | None = None, log=print) -> list[dict]:
    """Train every method of ``cfg.methods`` on the same data; one result dict per method."""
    cfg = cfg or WarcraftConfig()
    train = Dataset(cfg.n_train, cfg, seed=cfg.seed)
    val = Dataset(cfg.n_val, cfg, seed=cfg.seed + 10_000)
    return [train_method(m, train, val, cfg, log) for m in cfg.methods]


#: (method, learn_w) of each row of the table
VARIANTS = [("bb", False), ("pt", False), ("bb1", False), ("pt1", False), ("sl", False), ("bb", True), ("pt", True)]
#: with w known, PT-1 gives exactly PT's z-gradient: its row is PT's (trained once, identical in every run)
SAME_AS = {("pt1", False): ("pt", False)}
LABELS = {"bb": "BiGrad (BB)", "pt": "BiGrad (PT)", "bb1": "BB-1", "pt1": "PT-1", "sl": "SL"}

#: full run: per map size (cells), sized to the time budget of docs/experiments.md
FULL: dict[int, dict[str, Any]] = {
    12: {"n_train": 400, "n_val": 150, "epochs": 6}, 18: {"n_train": 400, "n_val": 150, "epochs": 6},
    24: {"n_train": 300, "n_val": 150, "epochs": 6}}
QUICK: dict[int, dict[str, Any]] = {12: {"n_train": 200, "n_val": 100, "epochs": 4}}
#: ``--full``: the paper-scale preset (more maps and epochs; the paper: 10k maps, 50 epochs; the largest
#: maps get the most, as their paths are longer and harder to get exactly right)
PAPER_SCALE: dict[int, dict[str, Any]] = {12: {"n_train": 2000, "n_val": 500, "epochs": 12},
                                          18: {"n_train": 2500, "n_val": 500, "epochs": 16},
                                          24: {"n_train": 3000, "n_val": 500, "epochs": 16}}
#: the real Warcraft dataset (``--data``): per map size, the first n_train training and n_val validation maps
REAL: dict[int, dict[str, Any]] = {12: {"n_train": 2000, "n_val": 500, "epochs": 10},
                                   18: {"n_train": 2000, "n_val": 500, "epochs": 10},
                                   24: {"n_train": 2000, "n_val": 500, "epochs": 10}}
REAL_QUICK: dict[int, dict[str, Any]] = {12: {"n_train": 200, "n_val": 100, "epochs": 2}}
#: batch 10: the number of steps, not the number of maps, limits learning at this scale (batch 25 on
#: 300 18x18 maps x 5 epochs: 52 % validation accuracy; batch 10: 81 %, seed 0)
#: A cosine decay of the learning rate: at a constant rate the validation accuracy swung by 3-9 points between
#: epochs to the end (PT, 18x18, --full: 92.8 / 91.4 / 91.2 % at the last epoch, seeds 0-2, after 96.0 / 94.6 /
#: 93.8 % earlier); decayed, the same runs end at 94.8 / 93.2 / 95.4 % (BB: 94.2 / 93.8 / 95.2 %, was 93.4 /
#: 93.4 / 91.0 %)
#: λ = 3 for the blackbox estimators (BB, BB-1; PT's does not use it). With λ = 10 BB's validation accuracy (w
#: known, constant rate) swung by up to 8 points between epochs and ended at 89.1 / 88.6 / 91.8 % (12x12 / 18x18 /
#: 24x24, --full, 3 seeds); λ = 3, same data, seeds and epochs: 92.5 / 92.9 / 92.4 % (means). Seed 2 at 12x12:
#: λ = 1 92.8, λ = 30 83.2, lr 1e-3 87.4, a one-cycle schedule 88.6 (λ = 10). With a learned w, normalised per
#: map: λ = 3 95.0 / 92.8 / 94.4 % (12x12, seeds 0-2), λ = 10 68.2 / 86.2 % (seeds 0-1).
BASE: dict[str, Any] = {"lr": 3e-3, "lam": 3.0, "batch_size": 10, "schedule": "cosine"}

#: paper Table 3: method -> size -> ((train mean, std), (validation mean, std))
PAPER = {
    "bb": {12: ((95.8, 0.2), (94.5, 0.2)), 18: ((97.1, 0.0), (96.4, 0.2)), 24: ((98.0, 0.0), (97.8, 0.0))},
    "pt": {12: ((91.7, 0.1), (91.6, 0.1)), 18: ((94.3, 0.0), (94.2, 0.1)), 24: ((95.7, 0.0), (95.6, 0.1))},
    "bb1": {12: ((95.9, 0.2), (91.7, 0.1)), 18: ((96.7, 0.2), (94.5, 0.1)), 24: ((97.1, 0.1), (96.3, 0.2))},
    "pt1": {12: ((88.3, 0.2), (87.5, 0.2)), 18: ((90.9, 0.4), (90.6, 0.5)), 24: ((92.8, 0.1), (92.8, 0.2))},
    "sl": {12: ((100.0, 0.0), (26.2, 2.4)), 18: ((99.9, 0.1), (20.2, 0.5)), 24: ((99.1, 0.2), (14.0, 1.0))},
}


def variant_label(method: str, learn_w: bool) -> str:
    return LABELS[method] + (", learned w" if learn_w else "")


def real_sizes(data: Path, quick: bool) -> dict[int, dict[str, Any]]:
    """The configurations of :data:`REAL` (or :data:`REAL_QUICK`) whose map size ``data`` holds."""
    sizes: dict[int, dict[str, Any]] = {}
    for size, overrides in (REAL_QUICK if quick else REAL).items():
        try:
            size_dir(data, size)
        except ValueError:
            continue
        sizes[size] = overrides
    if not sizes:
        size_dir(data, 12)  # raises, naming the layout expected
    return sizes


def table_sizes(quick: bool, full: bool) -> dict[int, dict[str, Any]]:
    """The synthetic-map configuration per size: ``quick``, ``full`` (paper scale) or the default."""
    return QUICK if quick else PAPER_SCALE if full else FULL


def estimate_seconds(*, quick: bool, full: bool, seeds: Sequence[int]) -> float:
    """Wall time of :func:`run_table` on this machine, extrapolated from runs of every variant on 20 maps per
    size for one and two epochs (:func:`~bigrad.experiments.training.estimate_training`)."""
    runs = []
    for size, overrides in table_sizes(quick, full).items():
        target = WarcraftConfig(size=size, **BASE, **overrides)
        small = replace(target, n_train=20, n_val=4)
        train, val = Dataset(20, small, seed=0), Dataset(4, small, seed=1)
        runs += [(method, replace(small, learn_w=learn_w), train, val, target)
                 for method, learn_w in VARIANTS if (method, learn_w) not in SAME_AS]
    return estimate_training(train_method, runs, seeds)


def run_unit(size: int, overrides: dict, seed: int, data: Path | None, log=print) -> dict:
    """One map size and one seed of :func:`run_table`: ``{"rows", "untrained", "data_seconds"}``."""
    start = time.perf_counter()
    splits = None if data is None else load_warcraft(data, size, n_train=overrides["n_train"], n_val=overrides["n_val"])
    cfg = WarcraftConfig(size=size, seed=seed, **BASE, **overrides)
    if splits is not None:
        cfg = replace(cfg, model="combresnet", patch=splits[0].images.shape[-1] // size,
                      n_train=len(splits[0].images), n_val=len(splits[1].images))  # what the files hold
    log(f"{'warcraft' if splits else 'warcraft-like'} shortest path with interdiction: {size}x{size} maps, "
        f"seed {seed}, budget {cfg.budget}, {cfg.n_train} train / {cfg.n_val} validation maps, "
        f"{cfg.epochs} epochs, model {cfg.model}")
    train = Dataset(cfg.n_train, cfg, seed=1000 * seed, split=splits[0] if splits else None)
    val = Dataset(cfg.n_val, cfg, seed=1000 * seed + 500, split=splits[1] if splits else None)
    data_seconds = time.perf_counter() - start
    untrained = untrained_accuracy(train, val, cfg)
    done: dict[tuple[str, bool], dict] = {}
    rows = []
    for method, learn_w in VARIANTS:
        label = variant_label(method, learn_w)
        if (method, learn_w) in SAME_AS:
            res = {**done[SAME_AS[method, learn_w]], "method": method, "same_as": "BiGrad (PT)",
                   "seconds": 0.0, "cpu_seconds": 0.0, "solver_seconds": 0.0}  # not trained again
        else:
            c = replace(cfg, learn_w=learn_w)
            res = train_or_fail(train_method, method, train, val, c, log=log,
                                desc=f"warcraft {size}x{size} seed {seed} {label}", learn_w=learn_w)
        done[method, learn_w] = res
        rows.append({"table": "warcraft", "size": size, "seed": seed, "variant": label,
                     "n_train": cfg.n_train, "epochs": cfg.epochs, **res})
    return {"rows": rows, "untrained": untrained, "data_seconds": data_seconds}


def run_table(*, quick: bool, seeds: Sequence[int], out_dir: Path, log=print, data: Path | None = None,
              full: bool = False, jobs: int = 1) -> TableResult:
    """Paper Table 3 over ``seeds`` (maps 12, 18, 24; ``quick``: 12x12 on a small configuration).

    Each seed draws new maps and a new initialisation; every variant of
    :data:`VARIANTS` trains on the same maps. ``full``: the paper-scale preset
    :data:`PAPER_SCALE`. ``data``: the real Warcraft dataset
    (:mod:`bigrad.experiments.warcraft_data`; each size it holds, the same maps for
    every seed, the paper's CombResNet) instead of synthetic maps. ``jobs``: worker processes,
    each running one size and seed at a time (:func:`~bigrad.experiments.workers.run_units`);
    the rows do not depend on it.
    """
    start = time.perf_counter()
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    sizes = table_sizes(quick, full) if data is None else real_sizes(Path(data), quick)
    done = run_units(run_unit, [(size, overrides, seed, data) for size, overrides in sizes.items() for seed in seeds],
                     jobs, log, cost=lambda u: u[1]["n_train"] * u[0] ** 2)
    rows = [r for d in done for r in d["rows"]]
    untrained = [d["untrained"] for d in done]
    metric = {variant_label(m, w): report.mean_std(r["val_accuracy"] for r in report.select(
        rows, method=m, learn_w=w))[0] for m, w in VARIANTS}
    return TableResult(
        name="warcraft", title="Table 3: shortest path with interdiction (Warcraft-like maps)",
        markdown=_markdown(rows, sizes), rows=rows, plots=_plots(rows, out_dir), notes=_notes(sizes, quick, data is not None),
        metric=metric, untrained=report.mean_std(untrained)[0], higher_is_better=True,
        seconds=time.perf_counter() - start, timing=split_time(rows, sum(d["data_seconds"] for d in done)))


def _markdown(rows: list[dict], sizes: dict) -> str:
    header = ["gradient type"]
    for s in sizes:
        header += [f"{s}x{s} train", f"{s}x{s} validation", f"{s}x{s} paper train", f"{s}x{s} paper validation"]
    body, extra = [], []
    for method, learn_w in VARIANTS:
        label = variant_label(method, learn_w)
        line, more = [label], [label]
        for s in sizes:
            sel = report.select(rows, variant=label, size=s)
            paper = PAPER[method].get(s, (None, None))
            line += [report.fmt(r["train_accuracy"] for r in sel), report.fmt(r["val_accuracy"] for r in sel),
                     report.fmt_paper(paper[0]), report.fmt_paper(paper[1])]
            more += [report.fmt(r["val_cell_accuracy"] for r in sel), report.fmt(r["val_exact_match"] for r in sel),
                     report.fmt(r["seconds"] for r in sel)]
        body.append(line)
        extra.append(more)
    header2 = ["gradient type"] + [f"{s}x{s} {c}" for s in sizes for c in ("val cell acc %", "val exact %", "train s")]
    claims = claims_markdown(claim_rows(rows, "size"))
    return ("Accuracy % (maps whose predicted path is optimal for the true game; SL: exact path match), ours "
            "(mean ± std over seeds) beside the paper's. The paper's network predicts both z and w; its "
            "figures stand beside both of our variants.\n\n" + report.markdown_table(header, body)
            + "\nCell accuracy, exact recovery of path and interdiction, training time per model:\n\n"
            + report.markdown_table(header2, extra)) + ("\n" + claims if claims else "")

def _plots(rows: list[dict], out_dir: Path) -> list[str]:
    sizes = list(dict.fromkeys(r["size"] for r in rows))
    series = {}
    for method, learn_w in VARIANTS:
        label = variant_label(method, learn_w)
        series[label] = [report.mean_std(r["val_accuracy"] for r in report.select(rows, variant=label, size=s))[:2]
                         for s in sizes]
    for method in ("bb", "pt"):
        series[f"{LABELS[method]} (paper)"] = [PAPER[method][s][1] if s in PAPER[method] else (np.nan, np.nan)
                                               for s in sizes]
    path = report.grouped_bars([f"{s}x{s}" for s in sizes], series, out_dir / "warcraft_accuracy.png",
                               title="Shortest path with interdiction: validation accuracy",
                               xlabel="map size (cells)", ylabel="validation accuracy % (optimal paths)")
    plots = ["warcraft_accuracy.png"] if path else []
    panels = {f"{s}x{s}": {v: [r["curve_val"] for r in report.select(rows, variant=v, size=s) if r.get("curve_val")]
                           for v in dict.fromkeys(r["variant"] for r in rows)} for s in sizes}
    if report.curves(panels, out_dir / "warcraft_curves.png", xlabel="epoch",
                     title="Shortest path with interdiction: validation accuracy per epoch",
                     ylabel="validation accuracy % (optimal paths; SL: exact)"):
        plots.append("warcraft_curves.png")
    return plots


def _notes(sizes: dict, quick: bool, real: bool = False) -> str:
    conf = "; ".join(f"{s}x{s}: " + ", ".join(f"{a} = {b}" for a, b in o.items()) for s, o in sizes.items())
    data = ("The real Warcraft maps (--data; the first maps of each split), read by the paper's CombResNet "
            "(truncated ResNet18)" if real else
            "4x4-pixel tiles, a 3-layer CNN. Synthetic Warcraft-like maps (the Warcraft II tiles are not available "
            "offline)")
    return (f"Configuration: budget 3, true w = 1, Adam lr {BASE['lr']} with a {BASE['schedule']} decay, "
            f"batch {BASE['batch_size']}, "
            f"λ = {BASE['lam']} (BB, BB-1); a learned w is normalised per map like z; {conf}. "
            f"{data}; the paper trains on 10k maps for 50 epochs. SL: a network from the "
            "cells' mean colours to both masks, a fixed random ReLU layer wider than the training set and a read-out "
            "fitted by least squares (bigrad.experiments.supervised.MaskMemoriser): it recovers its training maps "
            "exactly, as the paper's ResNet18 SL nearly does (91-100 %), without its hours of training. With w "
            "known, PT and PT-1 give the same z-gradient (identical rows in every run we made), so the PT-1 row is "
            "PT's model, trained once."
            + (" Quick configuration: a smoke test, far from the paper's scale." if quick else ""))

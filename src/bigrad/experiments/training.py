"""Losses and metrics shared by the learning experiments."""
from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import torch
from tqdm.auto import tqdm

from bigrad.solvers.min_max_min import attacker_response

#: BiGrad estimators, single-level baselines, and supervised learning without a solver
METHODS = ("bb", "pt", "bb1", "pt1", "sl")
LOSSES = ("auto", "hamming+l1", "hamming", "l1")
#: whether :func:`fit` shows a progress bar (off in worker processes, whose bars would overwrite each other)
PROGRESS_BARS = True


@dataclass
class TrainingConfig:
    """Settings every learning experiment shares; each experiment's config adds its own."""

    n_val: int = 200
    epochs: int = 8
    seed: int = 0
    loss: str = "auto"
    methods: tuple = field(default=METHODS)


def loss_for(method: str, loss: str) -> str:
    """The loss a method trains with: ``auto`` = Hamming + l1 for blackbox methods, l1 for straight-through."""
    if loss not in LOSSES:
        raise ValueError(f"loss must be one of {LOSSES}, got {loss!r}")
    if loss != "auto":
        return loss
    return "l1" if method in ("pt", "pt1") else "hamming+l1"


def mask_loss(pred, target, kind: str = "hamming+l1"):
    """Hamming and/or l1 loss per map, batch mean (the paper's losses).

    Both count the differing cells of 0/1 masks, but their gradients differ:
    Hamming's ``1 - 2 * target`` is non-zero on every cell (the signal the
    blackbox perturbation needs, as in Pogančić et al.), l1's
    ``sign(pred - target)`` only where the masks disagree (the ``x - x*`` the
    paper's straight-through derivation starts from).
    """
    hamming = pred * (1 - target) + (1 - pred) * target
    l1 = (pred - target).abs()
    per_cell = {"hamming+l1": hamming + l1, "hamming": hamming, "l1": l1}[kind]
    return per_cell.flatten(1).sum(1).mean()


def optimal_fraction(y_hat: np.ndarray, z: np.ndarray, w: np.ndarray, value: np.ndarray, budget: int) -> float:
    """Share of instances whose predicted choice ``y_hat`` is optimal for the true game.

    ``y_hat``, ``z``, ``w``: ``[B, ...]``; ``value``: ``[B]`` true game values. The
    attacker answers ``y_hat`` with its best response under the true ``w``.
    """
    B = len(y_hat)
    yf = y_hat.reshape(B, -1)
    x = attacker_response(yf, w.reshape(B, -1), budget)
    got = ((z.reshape(B, -1) + x * w.reshape(B, -1)) * yf).sum(1)
    return float(np.mean(got <= value + 1e-9 * np.maximum(1.0, np.abs(value))))


def mask_metrics(y_hat, x_hat, y, x) -> dict:
    """Cell accuracy (mean over both masks) and exact match (both masks equal) in percent.

    All arguments are ``[B, ...]`` 0/1 tensors.
    """
    cell = 0.5 * ((y_hat == y).double().mean() + (x_hat == x).double().mean())
    exact = ((y_hat == y).flatten(1).all(1) & (x_hat == x).flatten(1).all(1)).double().mean()
    return {"cell_accuracy": 100 * float(cell), "exact_match": 100 * float(exact)}


def fit(batch_loss, params, n: int, *, epochs: int, batch_size: int, lr: float, seed: int, desc: str,
        schedule: str = "constant", after_epoch=None) -> list[float]:
    """Adam over ``epochs`` shuffled passes of ``n`` instances in mini-batches of ``batch_size``.

    ``batch_loss(idx)`` returns the scalar loss of the instances ``idx`` (a ``[b]`` index tensor);
    ``schedule`` is ``"onecycle"`` (warm-up then cosine decay), ``"cosine"`` (cosine decay from ``lr``
    to 0 over the run, no warm-up) or ``"constant"``;
    ``after_epoch()``, if given, returns a dict shown in the progress bar after each epoch.
    Returns the mean training loss of every epoch.
    """
    opt = torch.optim.Adam(params, lr=lr)
    steps = epochs * -(-n // batch_size)
    sched: torch.optim.lr_scheduler.LRScheduler | None
    if schedule == "onecycle":
        sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=lr, total_steps=steps)
    elif schedule == "cosine":
        sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=steps)
    elif schedule == "constant":
        sched = None
    else:
        raise ValueError(f"schedule must be 'onecycle', 'cosine' or 'constant', got {schedule!r}")
    gen = torch.Generator().manual_seed(seed)
    curve_loss: list[float] = []
    bar = tqdm(range(epochs), desc=desc, leave=False, disable=not PROGRESS_BARS)
    for _ in bar:
        perm, total = torch.randperm(n, generator=gen), 0.0
        for i in range(0, n, batch_size):
            idx = perm[i : i + batch_size]
            loss = batch_loss(idx)
            if not torch.isfinite(loss):
                raise FloatingPointError(f"{desc}: the training loss is {float(loss)} in epoch {len(curve_loss) + 1}")
            opt.zero_grad()
            loss.backward()
            opt.step()
            if sched is not None:
                sched.step()
            total += loss.item() * len(idx)
        curve_loss.append(total / n)
        bar.set_postfix(loss=f"{curve_loss[-1]:.3f}", **(after_epoch() if after_epoch else {}))
    bar.close()
    return curve_loss


def train_or_fail(train_method, method: str, *args, log, desc: str, **failed: Any) -> dict:
    """``train_method(method, *args, log, desc=desc)``; a run that stops with FloatingPointError or
    ValueError (a diverged model) is logged and becomes a failed row: every metric NaN, the reason kept,
    plus the fields ``failed`` names. The table goes on."""
    start = time.perf_counter()
    try:
        return train_method(method, *args, log, desc=desc)
    except (FloatingPointError, ValueError) as exc:
        log(f"  [{desc}] failed: {exc}")
        nan = float("nan")
        metrics = {f"{split}_{key}": nan for split in ("train", "val")
                   for key in ("accuracy", "cell_accuracy", "exact_match")}
        return {"method": method, "failed": f"{type(exc).__name__}: {exc}", "seconds": time.perf_counter() - start,
                "cpu_seconds": nan, "solver_seconds": 0.0, "curve_loss": [], "curve_val": [], **metrics, **failed}


def extrapolate(trial, n: int, n_val: int, n_target: int, n_val_target: int, epochs: int) -> float:
    """Seconds a training run of ``n_target`` instances for ``epochs`` epochs (evaluated on them and
    ``n_val_target`` more) would take, from ``trial(epochs)`` on ``n`` training and ``n_val`` validation
    instances run for 1 and 2 epochs: the difference is one epoch's training (per instance), the rest
    the evaluation and set-up (per instance evaluated). A first run warms up (discarded)."""
    trial(1)
    seconds = []
    for e in (1, 2):
        start = time.perf_counter()
        trial(e)
        seconds.append(time.perf_counter() - start)
    per_epoch = max(seconds[1] - seconds[0], 0.0) / n
    per_eval = max(seconds[0] - per_epoch * n, 0.0) / (n + n_val)
    return per_epoch * n_target * epochs + per_eval * (n_target + n_val_target)


def estimate_training(train_method, runs, seeds) -> float:
    """Seconds to train every run of ``runs`` once per seed, extrapolated (:func:`extrapolate`).

    ``runs``: ``(method, small, train, val, target)`` tuples, ``small`` the configuration of the
    calibration sets ``train``/``val`` and ``target`` the one to estimate; ``train_method(method, train,
    val, cfg, log=, desc=)`` is the experiment's training function.
    """
    total = 0.0
    for method, small, train, val, target in runs:
        def trial(epochs, method=method, small=small, train=train, val=val):
            train_method(method, train, val, replace(small, epochs=epochs), log=lambda *a: None, desc="calibration")

        epochs = 1 if method == "sl" else target.epochs  # SL is fitted in closed form: its cost is the "evaluation"
        total += extrapolate(trial, small.n_train, small.n_val, target.n_train, target.n_val, epochs) * len(seeds)
    return total

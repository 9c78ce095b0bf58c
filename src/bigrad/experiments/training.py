"""Losses and metrics shared by the learning experiments."""
from __future__ import annotations

import numpy as np

from bigrad.solvers.min_max_min import attacker_response

#: BiGrad estimators, single-level baselines, and supervised learning without a solver
METHODS = ("bb", "pt", "bb1", "pt1", "sl")
LOSSES = ("auto", "hamming+l1", "hamming", "l1")


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

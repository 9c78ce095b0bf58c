"""Batched, device-resident top-k selections (torch), ties to the lower index.

These are the linear-program oracles of the selection problems used by the
estimators: ``topk_mask`` is ``argmax_{y in {0,1}^n, sum(y) = k} <s, y>`` and
``budget_response`` is the interdictor's best response
``argmax_{x in {0,1}^d, sum(x) <= budget} <d, x>`` (only positive entries are
worth taking), the same function the game solver uses
(:func:`bigrad.solvers.min_max_min.budget_best_response`). Both sort stably, so
equal values go to the lower index.
"""
from __future__ import annotations

import torch

from bigrad.solvers.min_max_min import budget_best_response

__all__ = ["topk_mask", "budget_response"]


def _first_k(values: torch.Tensor, k: int) -> torch.Tensor:
    """Mask of the ``k`` largest entries along the last axis (stable: ties to the lower index)."""
    mask = torch.zeros_like(values)
    k = min(int(k), values.shape[-1])
    if k == 0:
        return mask
    order = torch.sort(values, dim=-1, descending=True, stable=True).indices[..., :k]
    return mask.scatter_(-1, order, 1.0)


def topk_mask(scores: torch.Tensor, k: int) -> torch.Tensor:
    """0/1 mask of the ``k`` largest entries along the last axis.

    Args:
        scores: ``[..., n]`` float tensor (``-inf`` entries are taken last).
        k: int, ``0 <= k <= n``.
    Returns:
        ``[..., n]`` tensor of the dtype and device of ``scores``.
    """
    return _first_k(scores, k)


def budget_response(d: torch.Tensor, budget: int) -> torch.Tensor:
    """The ``budget`` largest *positive* entries of each instance.

    Args:
        d: ``[B, *shape]`` float tensor (the attacker's gains, e.g. ``w * y``).
        budget: int >= 0.
    Returns:
        ``[B, *shape]`` 0/1 tensor like ``d``.
    """
    return budget_best_response(d.reshape(d.shape[0], -1), budget).reshape(d.shape)

"""Top-k selection masks, plain and under the attack of the paper's Eq. 13.

Both work on the last axis of ``[m]`` or ``[B, m]`` scores. Ranks come from a
stable descending sort, so among equal scores the lower index ranks first
(the same answer on numpy, torch CPU and torch CUDA). Numpy inputs are
handled with vectorised numpy, torch CUDA tensors on their device (no copy
to the host): by the rank kernel of ``bigrad._cuda`` (one thread block per
row, rows of up to 4096 entries) when it is built, else by torch's sort.
"""
from __future__ import annotations

import numpy as np

from bigrad._arrays import as_batch, check_int, check_values
from bigrad._typing import ArrayT
from bigrad.solvers import _cuda_dispatch

__all__ = ["topk_mask", "topk_attacked"]


def topk_mask(scores: ArrayT, k: int) -> ArrayT:
    """Mask of the ``k`` largest scores along the last axis.

    Args:
        scores: ``[m]`` or ``[B, m]`` finite float32/float64 scores, numpy array
            or torch tensor.
        k: int in ``[0, m]``.

    Returns:
        0/1 mask of the same shape, dtype and kind (numpy / tensor on the same
        device) as ``scores``, with exactly ``k`` ones per row; ties go to the
        lower index.
    """
    batch, m = _check_scores(scores)
    k = _check_rank(k, "k", m)
    if _use_kernel(batch, m):
        return batch.out(_cuda_dispatch.topk_attacked(batch.array, k, 0)[0])
    return batch.out(_rank_mask(batch.array, 0, k))


def topk_attacked(scores: ArrayT, k: int, q: int) -> tuple[ArrayT, ArrayT]:
    """Top-``k`` selection after an attacker removes the ``q`` best positions (paper Eq. 13).

    The paper's layer ``min_{x in Q} max_{y in B} <z + x, y>`` with selection
    budget ``k`` (``B`` in the paper) and attack budget ``q`` (``Q``), computed
    as in its simulation: the positions are ranked by descending score (ties:
    lower index first), the attacker obscures (sets to zero) the ``q``
    top-ranked positions, and the selector keeps the rest of the top ``k``.
    So ``y`` has ones on ranks ``q .. k-1`` (``k - q`` ones, "the Q to B
    non-zero positions") and ``x`` on ranks ``0 .. q-1`` (``q`` ones); the two
    masks are disjoint and ``x + y = topk_mask(scores, k)``.

    Args:
        scores: ``[m]`` or ``[B, m]`` finite float32/float64 scores ``z``, numpy
            array or torch tensor.
        k: selection budget, int with ``q <= k <= m``.
        q: attack budget, int with ``0 <= q <= k``.

    Returns:
        ``(y_mask, x_mask)``, each shaped and typed like ``scores``.
    """
    batch, m = _check_scores(scores)
    k = _check_rank(k, "k", m)
    q = _check_rank(q, "q", k)
    if _use_kernel(batch, m):
        y, x = _cuda_dispatch.topk_attacked(batch.array, k, q)
        return batch.out(y), batch.out(x)
    return batch.out(_rank_mask(batch.array, q, k)), batch.out(_rank_mask(batch.array, 0, q))


def _check_scores(scores):
    batch = as_batch(scores, "scores", 1, "[m]", allow_cuda=True)
    check_values(batch, "scores", nonnegative=False)
    return batch, int(batch.array.shape[-1])


def _use_kernel(batch, m: int) -> bool:
    """The CUDA rank kernel (bigrad._cuda built) takes CUDA rows of up to ``topk_max_m`` entries."""
    return batch.on_cuda and m <= _cuda_dispatch.topk_max_m()


def _check_rank(value, name: str, upper: int) -> int:
    value = check_int(value, name, minimum=0)
    if value > upper:
        raise ValueError(f"{name} must be in [0, {upper}], got {value}")
    return value


def _rank_mask(a, lo: int, hi: int):
    """0/1 mask of the positions ranked ``lo .. hi-1`` in each row of ``a`` ``[B, m]``.

    ``a`` is a numpy array or a torch tensor; the result is of the same kind,
    dtype and device.
    """
    if isinstance(a, np.ndarray):
        out = np.zeros_like(a)
        if hi > lo:
            order = np.argsort(-a, axis=-1, kind="stable")[:, lo:hi]
            np.put_along_axis(out, order, 1, axis=-1)
        return out
    import torch

    out_t = torch.zeros_like(a)
    if hi > lo:
        order_t = torch.sort(a, dim=-1, descending=True, stable=True).indices[:, lo:hi]
        out_t.scatter_(-1, order_t, 1)
    return out_t

"""Top-k selection, optionally attacked (paper Eq. 13, Sec. 5.2), and its gradient estimators.

The selector maximises ``<s, y>`` over ``k``-subsets; an attacker blindly
removes the ``q`` largest scores (``x = T_q(s)``, ``T_m`` = top-m mask), so the
output ``y = T_k(s) - T_q(s)`` has ones on the ranks ``q .. k-1``. Both players
are max players with the same parameter ``s``. With ``BB(T, g) = (T(s) - T(s - lam g)) / lam``
(mirrored blackbox for a max oracle ``T``):

- ``"bb"`` (Eq. 8): re-solve at ``s - lam (gy + gx)``; since ``y + x = T_k(s)``
  this is ``BB(T_k, gy + gx)``.
- ``"bb_sep"`` (Eq. 7): ``BB(T_{k-q} on the entries not attacked, gy) + BB(T_q, gx)``.
- ``"bb1"`` (single level, attack ignored): ``BB(T_{k-q}, gy) + BB(T_q, gx)``.
- ``"pt"``, ``"pt1"`` (Eq. 9): ``gy + gx`` (no multiplicative term: identical).

With ``q = 0`` there is no ``x`` output: all BB variants are ``BB(T_k, gy)`` and
both PT variants ``gy``.
"""
from __future__ import annotations

from functools import partial

import torch

from bigrad.gradients._checks import check_method
from bigrad.gradients.blackbox import blackbox_max
from bigrad.gradients.selection import topk_mask
from bigrad.gradients.straight_through import straight_through_max

__all__ = ["AttackedTopK"]


class AttackedTopK:
    """Top-``k`` of ``s [N, n]`` with the top ``q`` removed by an attacker (``q = 0``: plain top-k)."""

    lower = None  # scores may take any real value

    def __init__(self, k: int, q: int = 0):
        self.k = k
        self.q = q

    def solve(self, s):
        """``s [B, n] -> (y,)`` when ``q == 0``, else ``(y, x)``."""
        top = topk_mask(s, self.k)
        if self.q == 0:
            return (top,)
        x = topk_mask(s, self.q)
        return top - x, x

    def vjp(self, method: str, inputs, outputs, grads, lam: float):
        """``((s,), (y[, x]), (gy[, gx])) -> (grad_s,)``."""
        (s,) = inputs
        y, x = outputs if self.q else (outputs[0], torch.zeros_like(s))
        gy, gx = grads if self.q else (grads[0], torch.zeros_like(s))
        method = check_method(method)
        if method in ("pt", "pt1"):
            return (straight_through_max(gy) + straight_through_max(gx),)
        if method == "bb":
            return (blackbox_max(partial(topk_mask, k=self.k), s, gy + gx, lam, base=y + x),)
        if self.q == 0:
            return (blackbox_max(partial(topk_mask, k=self.k), s, gy, lam, base=y),)
        g_x = blackbox_max(partial(topk_mask, k=self.q), s, gx, lam, base=x)
        if method == "bb_sep":
            blocked = x.bool()

            def unblocked_top(t):
                return topk_mask(t.masked_fill(blocked, float("-inf")), self.k - self.q)

            return (blackbox_max(unblocked_top, s, gy, lam, base=y) + g_x,)
        if method == "bb1":
            return (blackbox_max(partial(topk_mask, k=self.k - self.q), s, gy, lam) + g_x,)
        raise ValueError(f"method {method!r} has no vjp here (perturbed is handled by bigrad.gradients.perturbed)")

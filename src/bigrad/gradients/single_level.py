"""Estimators for a single linear min player ``y(c) = argmin_{y in Y} <c, y>`` (e.g. a shortest path)."""
from __future__ import annotations

from collections.abc import Callable

from bigrad.gradients._checks import check_method
from bigrad.gradients.blackbox import blackbox_min
from bigrad.gradients.straight_through import straight_through_min

__all__ = ["MinProblem"]


class MinProblem:
    """``y(c) = argmin_y <c, y>`` given by a batched oracle, with its gradient estimators.

    Without a second player the bilevel names collapse: ``"bb"``, ``"bb_sep"``
    and ``"bb1"`` are all blackbox backprop, ``grad_c = (y(c + lam g) - y) / lam``
    (Pogančić et al.), and ``"pt"``/``"pt1"`` are straight-through, ``grad_c = -g``.

    Args:
        oracle: ``oracle(c) -> y`` on ``[N, *shape]`` tensors.
        lower: domain of the costs; perturbed costs are clamped at it (None: no clamp).
    """

    def __init__(self, oracle: Callable, lower: float | None = 0.0):
        self.oracle = oracle
        self.lower = lower

    def solve(self, c):
        """``c [B, *shape] -> (y,)``."""
        return (self.oracle(c),)

    def vjp(self, method: str, inputs, outputs, grads, lam: float):
        """``((c,), (y,), (g,)) -> (grad_c,)``."""
        (c,), (y,), (g,) = inputs, outputs, grads
        if check_method(method) in ("pt", "pt1"):
            return (straight_through_min(g),)
        return (blackbox_min(self.oracle, c, g, lam, base=y, lower=self.lower),)

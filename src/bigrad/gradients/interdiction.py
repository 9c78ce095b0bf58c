"""Gradient estimators for budgeted interdiction games (paper Eq. 7-9, Sec. 5.3-5.4).

The game is ``min_y max_x <z + x * w, y>`` with ``y`` in a combinatorial set
(paths, tours) known through a nominal oracle and ``x`` binary with
``sum(x) <= budget``. Its two separate problems are

    y-problem (min player):  y(c) = argmin_y <c, y>,          c = z + x * w
    x-problem (max player):  x(d) = argmax_x <d, x> (budget), d = w * y

``z`` is the min player's parameter, ``w`` the max player's. With upstream
gradients ``gy = dL/dy``, ``gx = dL/dx`` and step ``lam`` (see
docs/gradients.md for the derivations and sign conventions):

- ``"bb"`` (Eq. 8, full bilevel re-solve, the paper's "BIGRAD (BB)"):
  ``(y', x') = s(max(z + lam gy, 0), max(w - lam gx, 0))``,
  ``gc = (y' - y) / lam``, ``gd = (x - x') / lam``, chained as in ``bb_sep``:
  ``grad_z = gc``, ``grad_w = gc * x + gd * y``.
- ``"bb_sep"`` (Eq. 7, separate problems at the forward solution):
  ``gc = (y(c + lam gy) - y(c)) / lam``, ``gd = (x(d) - x(d - lam gx)) / lam``,
  ``grad_z = gc``, ``grad_w = gc * x + gd * y`` (chain rule through c and d).
- ``"pt"`` (Eq. 9, straight-through): ``bb_sep`` with ``gc = -gy``, ``gd = +gx``.
- ``"bb1"`` / ``"pt1"`` (single-level baselines): the players' problems without
  the other player, ``c = z`` and ``d = w``: ``grad_z = gc``, ``grad_w = gd``.
"""
from __future__ import annotations

from collections.abc import Callable

from bigrad.gradients._checks import check_method
from bigrad.gradients.blackbox import blackbox_max, blackbox_min
from bigrad.gradients.selection import budget_response
from bigrad.gradients.straight_through import straight_through_max, straight_through_min

__all__ = ["InterdictionGame"]


class InterdictionGame:
    """``min_y max_x <z + x * w, y>`` with batched solvers, and its gradient estimators.

    Generic over the combinatorial set of ``y``: shortest paths and TSP tours
    share this code and differ only in the two callables.

    Args:
        oracle: nominal oracle ``oracle(c) -> argmin_y <c, y>``, ``[N, *shape]`` tensors.
        bilevel: exact game solver ``bilevel(z, w) -> (y, x)``, ``[N, *shape]`` tensors.
        budget: int >= 0, the interdictor's budget (its best response to ``y`` is
            the ``budget`` largest positive entries of ``w * y``).
        lower: domain of ``z`` and ``w``; perturbed inputs are clamped at it.
    """

    def __init__(self, oracle: Callable, bilevel: Callable, budget: int, lower: float | None = 0.0):
        self.oracle = oracle
        self.bilevel = bilevel
        self.budget = budget
        self.lower = lower

    def solve(self, z, w):
        """``z, w [B, *shape] -> (y, x)``: the game's solution."""
        y, x = self.bilevel(z, w)
        return y, x

    def respond(self, d):
        """The interdictor's best response ``argmax_x <d, x>`` s.t. ``sum(x) <= budget``."""
        return budget_response(d, self.budget)

    def vjp(self, method: str, inputs, outputs, grads, lam: float):
        """``((z, w), (y, x), (gy, gx)) -> (grad_z, grad_w)`` for ``method`` (see module doc)."""
        (z, w), (y, x), (gy, gx) = inputs, outputs, grads
        method = check_method(method)
        if method == "bb":
            return self._bb_full(z, w, y, x, gy, gx, lam)
        if method == "bb_sep":
            gc = blackbox_min(self.oracle, z + x * w, gy, lam, lower=self.lower)
            return _chain(gc, blackbox_max(self.respond, w * y, gx, lam), x, y)
        if method == "pt":
            return _chain(straight_through_min(gy), straight_through_max(gx), x, y)
        if method == "bb1":
            return blackbox_min(self.oracle, z, gy, lam, lower=self.lower), blackbox_max(self.respond, w, gx, lam)
        if method == "pt1":
            return straight_through_min(gy), straight_through_max(gx)
        raise ValueError(f"method {method!r} has no vjp here (perturbed is handled by bigrad.gradients.perturbed)")

    def _bb_full(self, z, w, y, x, gy, gx, lam):
        """Eq. 8: re-solve the whole game at ``(z + lam gy, w - lam gx)``; its changes estimate the gradients
        of the players' costs ``c = z + x * w`` and ``d = w * y``, chained to ``z`` and ``w`` as in Eq. 7 and 9
        (``w`` is in both players' costs: without the chain, BB learns no better than BB-1, docs/gradients.md)."""
        z1, w1 = z + lam * gy, w - lam * gx
        if self.lower is not None:
            z1, w1 = z1.clamp_min(self.lower), w1.clamp_min(self.lower)
        y1, x1 = self.bilevel(z1, w1)
        return _chain((y1 - y) / lam, (x - x1) / lam, x, y)


def _chain(gc, gd, x, y):
    """Chain rule through ``c = z + x * w`` and ``d = w * y`` with ``x, y`` fixed."""
    return gc, gc * x + gd * y

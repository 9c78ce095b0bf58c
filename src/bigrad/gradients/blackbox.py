"""Blackbox-backprop estimators (Pogančić et al. 2020) for one linear player.

For a *min* player ``y(c) = argmin_{y in Y} <c, y>`` and upstream gradient
``g = dL/dy`` the estimator is the exact gradient of the piecewise-linear
interpolation ``F(c) = (min_y <c + lam g, y> - min_y <c, y>) / lam``:

    grad_c = (y(c + lam g) - y(c)) / lam.

For a *max* player ``x(d) = argmax_{x in X} <d, x> = argmin <-d, x>`` the same
construction on ``-d`` gives the gradient of
``G(d) = (max_x <d, x> - max_x <d - lam g, x>) / lam``:

    grad_d = (x(d) - x(d - lam g)) / lam.

In both cases the perturbed solution is the one that trades cost for a lower
linearised loss, so a gradient-descent step moves the solution towards it.
"""
from __future__ import annotations

from collections.abc import Callable

import torch

__all__ = ["blackbox_min", "blackbox_max"]

Oracle = Callable[[torch.Tensor], torch.Tensor]


def _solve_pair(oracle: Oracle, base_input, perturbed_input, base):
    """Solve the perturbed problem, and the base one unless ``base`` is given, in one batched call."""
    if base is not None:
        return base, oracle(perturbed_input)
    both = oracle(torch.cat([base_input, perturbed_input]))
    return both[: base_input.shape[0]], both[base_input.shape[0]:]


def blackbox_min(oracle: Oracle, c, grad, lam: float, *, base=None, lower: float | None = 0.0):
    """``(y(c + lam * grad) - y(c)) / lam`` for a batched min oracle.

    Args:
        oracle: ``oracle(c) -> y`` on ``[N, *shape]`` tensors (e.g. a shortest path).
        c: ``[B, *shape]`` costs at which ``y`` was (or is to be) computed.
        grad: ``[B, *shape]`` upstream gradient ``dL/dy``.
        lam: interpolation step > 0.
        base: ``y(c)`` if already known (saves one solve), else solved with the
            perturbed problem as one ``[2B, *shape]`` batch.
        lower: the perturbed costs are clamped from below at ``lower`` (the
            oracle's domain, 0 for Dijkstra, as in the reference implementation
            of Pogančić et al.); None for no clamp.
    Returns:
        ``[B, *shape]`` gradient w.r.t. ``c``.
    """
    perturbed = c + lam * grad
    if lower is not None:
        perturbed = perturbed.clamp_min(lower)
    y0, y1 = _solve_pair(oracle, c, perturbed, base)
    return (y1 - y0) / lam


def blackbox_max(oracle: Oracle, d, grad, lam: float, *, base=None):
    """``(x(d) - x(d - lam * grad)) / lam`` for a batched max oracle (arguments as in :func:`blackbox_min`)."""
    x0, x1 = _solve_pair(oracle, d, d - lam * grad, base)
    return (x0 - x1) / lam

"""Straight-through surrogates (paper Eq. 9, Bengio et al. 2013) for one linear player.

Replacing the Jacobian of ``argmin_y <c, y>`` by ``-I`` (raising ``c_i`` lowers
``y_i``) and that of ``argmax_x <d, x>`` by ``+I`` gives, for the upstream
gradient ``g``, ``grad_c = -g`` (min player) and ``grad_d = +g`` (max player).
No solve is needed in the backward pass.
"""
from __future__ import annotations

__all__ = ["straight_through_min", "straight_through_max"]


def straight_through_min(grad):
    """``grad_c = -grad`` for a min player ``argmin_y <c, y>``."""
    return -grad


def straight_through_max(grad):
    """``grad_d = +grad`` for a max player ``argmax_x <d, x>``."""
    return grad

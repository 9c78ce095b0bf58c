"""The learned ADP controller of the control experiment: Eq. 11 as an implicit layer.

``u(x) = argmin_u u'Pu + x'Qu + q'u  s.t. ||u||_2 <= 1`` with ``P = L L' + eps I``
(positive definite by construction), ``Q [n, m]`` and ``q [m]`` learned.  The
forward pass solves the norm-ball QP exactly (eigendecomposition of ``P`` and a
batched bisection on the multiplier of the ball); the backward pass
differentiates the projected-gradient fixed point with
:func:`bigrad.implicit.custom_root` (the single-level, OptNet-style layer).
"""
from __future__ import annotations

import numpy as np
import torch
from torch import Tensor, nn

from bigrad.implicit import custom_root


def ball_qp(P: Tensor, c: Tensor, *, iters: int = 100) -> tuple[Tensor, Tensor]:
    """Exact solution of ``min_u u'Pu + c'u  s.t. ||u|| <= 1`` for a batch.

    Args:
        P: ``[m, m]`` symmetric positive definite (shared by the batch).
        c: ``[B, m]`` linear terms.
        iters: bisection steps on the multiplier (each halves the bracket).

    Returns:
        ``(u [B, m], lam [B])`` with ``2(P + lam I) u = -c``, ``lam >= 0`` and
        ``lam (||u|| - 1) = 0``.
    """
    evals, V = torch.linalg.eigh(P)
    if not bool((evals > 0).all()):
        raise ValueError(f"P must be positive definite (smallest eigenvalue {float(evals.min()):.3g})")
    d = c @ V  # [B, m]

    def norm_sq(lam):
        return ((d / (2.0 * (evals + lam[:, None]))) ** 2).sum(1)

    zero = torch.zeros(c.shape[0], dtype=c.dtype, device=c.device)
    active = norm_sq(zero) > 1.0
    lo, hi = zero.clone(), 0.5 * c.norm(dim=1)  # at lam = ||c|| / 2, ||u|| <= 1
    for _ in range(iters):
        mid = 0.5 * (lo + hi)
        big = norm_sq(mid) > 1.0
        lo, hi = torch.where(big, mid, lo), torch.where(big, hi, mid)
    lam = torch.where(active, hi, zero)
    u = -(d / (2.0 * (evals + lam[:, None]))) @ V.T
    return u, lam


def project_ball(v: Tensor) -> Tensor:
    """Euclidean projection of the rows of ``v [B, m]`` onto the unit ball (differentiable)."""
    return v / v.norm(dim=1, keepdim=True).clamp(min=1.0)


def _fixed_point(u, P, c, step):
    # u* is a root of u - proj(u - step * grad): the projected-gradient fixed point
    return u - project_ball(u - step * (2.0 * u @ P + c))


@custom_root(_fixed_point, solve="gmres", batched=True)
def _qp_root(init, P, c, step):
    return ball_qp(P, c)[0]


def qp_layer(P: Tensor, c: Tensor) -> Tensor:
    """Differentiable ``u* [B, m]`` of ``min u'Pu + c'u, ||u|| <= 1`` w.r.t. ``P [m, m]`` and ``c [B, m]``."""
    step = 0.5 / float(torch.linalg.eigvalsh(P.detach()).max())
    return _qp_root(torch.zeros_like(c), P, c, step)


class ADPController(nn.Module):
    """Eq. 11 with learnable ``P = L L' + eps I``, ``Q``, ``q``, initialised from LQR.

    Args:
        P, Q, q: initial values ``[m, m]``, ``[n, m]``, ``[m]`` (numpy or torch, float64).
        W: the fixed state term ``[n, n]`` of the value model (not learned; it does
            not change the control, only the attacker's objective).
        eps: the floor of ``P``'s spectrum.

    ``forward(x [B, n]) -> u [B, m]``; :meth:`value` is the model's cost
    ``h(x, u) = x'Wx + u'Pu + x'Qu + q'u``.
    """

    W: Tensor  # a buffer (registered in __init__)

    def __init__(self, P, Q, q, W, eps: float = 1e-3):
        super().__init__()
        def t(a):
            return torch.as_tensor(np.asarray(a), dtype=torch.float64)

        P = t(P)
        self.eps = float(eps)
        self.L = nn.Parameter(torch.linalg.cholesky(P - self.eps * torch.eye(P.shape[0], dtype=P.dtype)))
        self.Q = nn.Parameter(t(Q).clone())
        self.q = nn.Parameter(t(q).clone())
        self.register_buffer("W", t(W).clone())

    def P(self) -> Tensor:
        """``[m, m]`` positive definite."""
        return self.L @ self.L.T + self.eps * torch.eye(self.L.shape[0], dtype=self.L.dtype, device=self.L.device)

    def linear_term(self, x: Tensor) -> Tensor:
        """``c = Q'x + q`` ``[B, m]``."""
        return x @ self.Q + self.q

    def forward(self, x: Tensor) -> Tensor:
        return qp_layer(self.P(), self.linear_term(x))

    def value(self, x: Tensor, u: Tensor) -> Tensor:
        """``h(x, u) [B]`` (the controller's model of the cost-to-go)."""
        return ((x @ self.W) * x).sum(1) + ((u @ self.P()) * u).sum(1) + (self.linear_term(x) * u).sum(1)

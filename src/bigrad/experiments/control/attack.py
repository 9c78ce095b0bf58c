"""The two attacker models of the control experiment (paper Eq. 12 and its two-step baseline).

The attacker adds ``eps`` (``||eps|| <= sigma``) to the state the controller sees;
the controller answers ``u = argmin_{||u|| <= 1} h(x + eps, u)`` where ``h`` is its
own model of the cost (see :class:`~bigrad.experiments.control.policy.ADPController`).

* **bilevel** (BiGrad): the attacker leads and anticipates the answer,
  ``max_eps h(x + eps, u(eps))`` with ``u(eps)`` the controller's response (the
  follower): a min-max problem differentiated by :class:`bigrad.torch.BilevelLayer`
  (Theorem 2; both norm balls as log barriers), whose forward pass is the
  structured solver of :mod:`bigrad.experiments.control.solver` (``forward_solver``).
* **two-step** (adversarial OptNet): the controller's output ``u0 = u(x)`` comes
  first (single-level implicit layer), then the attacker's best response to it
  on the linearised cost, ``eps = sigma g / ||g||`` with
  ``g = grad_x h(x, u0) = 2 W x + Q u0`` (the paper's "scaled ``Q u``" plus the
  gradient of the state term).
"""
from __future__ import annotations

from typing import Any

import numpy as np
import torch
from torch import Tensor, nn

from bigrad.experiments.control.policy import ADPController
from bigrad.experiments.control.solver import ValueModel, solve_attack
from bigrad.torch import BilevelLayer, BilevelOptions


class _Value(nn.Module):
    """``(eps, u, x) -> sign * h(x + eps, u)`` of a controller's cost model."""

    def __init__(self, controller: ADPController, sign: float):
        super().__init__()
        self.controller, self.sign = controller, sign

    def forward(self, eps: Tensor, u: Tensor, x: Tensor) -> Tensor:
        return self.sign * self.controller.value(x + eps, u)


def value_model(controller: ADPController) -> ValueModel:
    """The controller's current cost model as numpy arrays (detached)."""
    with torch.no_grad():
        return ValueModel(*(a.detach().cpu().numpy().astype(np.float64) for a in
                            (controller.P(), controller.Q, controller.q, controller.W)))


class BilevelAttacker(nn.Module):
    """``x [B, n] -> (eps [B, n], u [B, m])``: the leader's disturbance of Eq. 12 and the follower's answer.

    ``min_eps max_u -h(x + eps, u)`` s.t. ``||eps|| < sigma``, ``||u|| < 1`` (log barriers,
    parameter ``barrier_t``).  Gradients (Theorem 2) reach ``x`` and the controller's parameters.

    With ``leader`` (another controller, e.g. the LQR one, whose ``h`` is the true
    one-step cost-to-go) the attacker maximises ``leader.value`` of the controller's
    response instead: a general bilevel problem (``f = -h_leader``, ``g = h``).
    """

    def __init__(self, controller: ADPController, sigma: float, *, barrier_t: float = 1e3,
                 leader: ADPController | None = None):
        super().__init__()
        if not sigma > 0:
            raise ValueError(f"sigma must be > 0, got {sigma}")
        self.sigma, self.barrier_t = float(sigma), float(barrier_t)
        self.controller, self.leader = controller, leader
        n, m = controller.Q.shape
        s2 = self.sigma**2
        self.last_solve_info = None
        objectives: dict[str, Any]
        if leader is None:
            objectives = {"f": _Value(controller, -1.0), "minmax": True}
        else:
            objectives = {"f": _Value(leader, -1.0), "g": _Value(controller, 1.0)}
        self.layer = BilevelLayer(
            **objectives,
            x_dim=n,
            y_dim=m,
            ineq_x=lambda e, u, x: (e * e).sum(1, keepdim=True) - s2,
            ineq_y=lambda e, u, x: (u * u).sum(1, keepdim=True) - 1.0,
            on_fail="ignore",
            options=BilevelOptions(barrier_t=self.barrier_t, forward_solver=self._solve),
        )

    def _solve(self, f, g, z, x0, y0):
        # the layer's internal objectives are f, g; this solver uses their known structure
        x = z.detach().cpu().numpy().astype(np.float64)
        leader = None if self.leader is None else value_model(self.leader)
        e, u, self.last_solve_info = solve_attack(value_model(self.controller), x, self.sigma, self.barrier_t,
                                                  leader=leader, e0=x0.detach().cpu().numpy().astype(np.float64))
        return torch.as_tensor(e, dtype=z.dtype, device=z.device), torch.as_tensor(u, dtype=z.dtype, device=z.device)

    def forward(self, x: Tensor) -> tuple[Tensor, Tensor]:
        # start inside the ball, along x (eps = 0 is a saddle point when x != 0)
        nx = x.detach().norm(dim=1, keepdim=True)
        direction = torch.where(nx > 0, x.detach() / nx.clamp(min=1e-300), torch.ones_like(x) / x.shape[1] ** 0.5)
        return self.layer(x, x0=0.5 * self.sigma * direction)


def two_step_attack(controller: ADPController, x: Tensor, sigma: float) -> Tensor:
    """``eps [B, n] = sigma g / ||g||``, ``g = 2 W x + Q u(x)``: best response to the undisturbed output."""
    u0 = controller(x)
    g = 2.0 * x @ controller.W + u0 @ controller.Q.T
    return sigma * g / g.norm(dim=1, keepdim=True).clamp(min=1e-12)

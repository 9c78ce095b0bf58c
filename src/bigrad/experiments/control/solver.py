"""Fast forward solver of the attacker's barrier min-max problem (plugged into ``BilevelOptions(forward_solver=)``).

With ``xt = x + eps``, ``c = Q'xt + q`` and the controller's model
``h(xt, u) = xt'W xt + u'Pu + c'u``, the layer solves (barrier parameter ``t``)::

    inner:  min_u  h(xt, u) - (1/t) log(1 - ||u||^2)
    outer:  min_e  -h_l(xt, u*(e)) - (1/t) log(sigma^2 - ||e||^2)

with ``h_l = h`` (min-max, Eq. 12) or another quadratic of the same form (an
attacker with its own, e.g. the true, cost model).

* inner: stationarity ``2 (P + mu I) u = -c`` with ``mu = 1 / (t (1 - ||u||^2))``;
  the secular equation ``1 - ||u(mu)||^2 - 1 / (mu t) = 0`` is concave and
  increasing in ``mu`` and negative at ``mu = 1/t``, so Newton from there
  converges monotonically (``P = V diag(lam) V'`` once per call).
* outer: Newton on the Theorem 1 hypergradient
  ``F = -(d_xt h_l - Q H^{-1} d_u h_l) + 2 e / (t s)``, ``s = sigma^2 - ||e||^2``,
  ``H = 2P + 2 mu I + 4 t mu^2 u u'`` (the inner Hessian; for min-max
  ``d_u h_l = -2 mu u``), with the Jacobian of
  ``F`` from central differences, eigenvalues of its symmetric part floored
  (saddle-free) and a backtracking line search that stays inside the ball.

Everything runs in numpy float64 on detached values; the solution is then
differentiated by ``BilevelLayer`` (Theorem 2) on the same objectives, which
``tests/test_experiments_control.py`` checks against the library's own
hypergradient and forward solver.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass
class ValueModel:
    """The controller's cost model ``h`` as numpy arrays: ``P [m, m]``, ``Q [n, m]``, ``q [m]``, ``W [n, n]``."""

    P: np.ndarray
    Q: np.ndarray
    q: np.ndarray
    W: np.ndarray

    def __post_init__(self):
        self.P = 0.5 * (self.P + self.P.T)
        self.lam, self.V = np.linalg.eigh(self.P)
        if not self.lam.min() > 0:
            raise ValueError(f"P must be positive definite (smallest eigenvalue {self.lam.min():.3g})")


def inner_barrier(model: ValueModel, c: np.ndarray, t: float, *, maxiter: int = 60) -> tuple[np.ndarray, np.ndarray]:
    """``(u [B, m], mu [B])`` minimising ``u'Pu + c'u - (1/t) log(1 - ||u||^2)`` for ``c [B, m]``."""
    d2 = (c @ model.V) ** 2  # [B, m]
    lam = model.lam
    # start left of the root: at mu = ||c||/2 - lam_max, ||u(mu)|| >= 1 (skips the doubling phase)
    mu = np.maximum(1.0 / t, 0.5 * np.linalg.norm(c, axis=1) - lam[-1])
    final = False
    for _ in range(maxiter):
        r = 1.0 / (lam + mu[:, None])
        a2 = 0.25 * d2 * r**2  # squared coordinates of u in the eigenbasis
        phi = 1.0 - a2.sum(1) - 1.0 / (mu * t)
        dphi = 2.0 * (a2 * r).sum(1) + 1.0 / (mu * mu * t)
        step = -phi / dphi
        mu = mu + step
        if final:
            break
        final = bool(np.all(np.abs(step) <= 1e-9 * mu))  # quadratic convergence: one more step reaches round-off
    u = -((c @ model.V) / (2.0 * (lam + mu[:, None]))) @ model.V.T
    return u, mu


def _smooth_terms(model: ValueModel, leader: ValueModel | None, x, e, t):
    """``-h_l [B]``, its total gradient ``[B, n]``, the follower's ``u`` and a Hessian model at ``e``.

    ``h_l`` is the leader's objective (``leader``, or the follower's ``model`` for min-max).
    """
    lead = model if leader is None else leader
    xt = x + e
    c = xt @ model.Q + model.q
    u, mu = inner_barrier(model, c, t)
    cl = xt @ lead.Q + lead.q
    h = ((xt @ lead.W) * xt).sum(1) + ((u @ lead.P) * u).sum(1) + (cl * u).sum(1)
    gx = 2.0 * xt @ lead.W + u @ lead.Q.T  # partial gradients of h_l
    gu = 2.0 * u @ lead.P + cl
    m = model.P.shape[0]
    H = 2.0 * model.P + 2.0 * mu[:, None, None] * np.eye(m) + 4.0 * t * (mu**2)[:, None, None] * (
        u[:, :, None] * u[:, None, :]
    )
    rhs = np.concatenate([gu[..., None], np.broadcast_to(model.Q.T, (len(u),) + model.Q.T.shape)], 2)
    sol = np.linalg.solve(H, rhs)  # [B, m, 1 + n]: H^{-1} grad_u h_l and D = H^{-1} Q' (du/de = -D)
    F = -gx + sol[..., 0] @ model.Q.T  # -(d h_l / de) = -(gx - Q H^{-1} gu)
    D = sol[..., 1:]
    if leader is None:
        # min-max: the Hessian of -V(xt), V = min_u [h + barrier]; exact up to O(1/t)
        hess = -2.0 * lead.W + model.Q @ D
    else:
        # Gauss-Newton: -d^2 h_l / de^2 without the second derivatives of u(e)
        QlD = lead.Q @ D
        hess = -(2.0 * lead.W - QlD - QlD.transpose(0, 2, 1) + 2.0 * D.transpose(0, 2, 1) @ lead.P @ D)
    return -h, F, u, hess


def _outer_terms(model: ValueModel, leader, x, e, sigma, t):
    """Objective ``phi [B]``, hypergradient ``F [B, n]``, the inner solution and a Hessian model (barrier included)."""
    val, F, u, hess = _smooth_terms(model, leader, x, e, t)
    s = sigma**2 - (e * e).sum(1)
    phi = val - np.log(np.where(s > 0, s, np.nan)) / t
    n = e.shape[1]
    hess = hess + (2.0 / (t * s))[:, None, None] * np.eye(n) + (4.0 / (t * s * s))[:, None, None] * (
        e[:, :, None] * e[:, None, :]
    )
    return phi, F + 2.0 * e / (t * s[:, None]), u, hess


def _newton(model, leader, x, e, sigma, t, tol, maxiter):
    """Damped, saddle-free quasi-Newton on the outer barrier problem at fixed ``t`` from ``e`` inside the ball.

    The gradient ``F`` is exact; the Hessian is that of ``-V(x + e)`` plus the barrier's, with
    ``V = min_u h + barrier`` (it differs from the exact one by ``O(1/t)``: fast linear convergence).
    """
    B = x.shape[0]
    phi, F, u, J = _outer_terms(model, leader, x, e, sigma, t)
    thr = tol * np.maximum(1.0, np.linalg.norm(F, axis=1))
    it = 0
    for it in range(1, maxiter + 1):
        active = np.linalg.norm(F, axis=1) > thr
        if not active.any():
            it -= 1
            break
        w, U = np.linalg.eigh(0.5 * (J + J.transpose(0, 2, 1)))
        w = np.maximum(np.abs(w), 1e-10 * np.maximum(1.0, np.abs(w).max(1, keepdims=True)))
        d = -np.einsum("bij,bj->bi", U, np.einsum("bji,bj->bi", U, F) / w)
        d[~active] = 0.0
        slope = (d * F).sum(1)
        step = np.ones(B)
        done = ~active
        for _ in range(60):
            cand = e + step[:, None] * d
            phi_c, F_c, u_c, J_c = _outer_terms(model, leader, x, cand, sigma, t)
            ok = np.isfinite(phi_c) & (phi_c <= phi + 1e-4 * step * slope + 1e-14 * np.abs(phi)) & ~done
            e[ok], phi[ok], F[ok], u[ok], J[ok] = cand[ok], phi_c[ok], F_c[ok], u_c[ok], J_c[ok]
            done |= ok
            if done.all():
                break
            step = np.where(done, step, 0.5 * step)
    gn = np.linalg.norm(F, axis=1)
    return e, u, it, gn, gn <= thr


def solve_attack(model: ValueModel, x: np.ndarray, sigma: float, t: float, *, leader: ValueModel | None = None,
                 e0=None, tol: float = 1e-10, maxiter: int = 100, t0: float = 1.0, mu: float = 10.0):
    """Solve the attacker's barrier problem for ``x [B, n]`` -> ``(eps [B, n], u [B, m], info)``.

    ``model`` is the follower (the controller); the leader maximises ``model``'s own ``h``
    (min-max, Eq. 12) or, if given, ``leader``'s ``h`` of the follower's response (a
    general bilevel problem; its Newton steps use a Gauss-Newton Hessian).

    Barrier continuation ``t0, mu t0, ..., t`` with a damped Newton solve at each
    ``t`` (warm-started), the last one to ``||F|| <= tol * max(1, ||F_0||)``.
    ``e0`` must be strictly inside the ball (default ``sigma / 2`` along ``x``).
    ``info`` = ``{"iterations", "grad_norm" [B], "converged" [B]}``.
    """
    n = x.shape[1]
    if e0 is None:
        nx = np.linalg.norm(x, axis=1, keepdims=True)
        e0 = 0.5 * sigma * np.where(nx > 0, x / np.where(nx > 0, nx, 1.0), np.eye(n)[:1])
    e = np.array(e0, dtype=np.float64)
    ts = []
    tk = min(t0, t)
    while tk < t * (1 - 1e-12):
        ts.append(tk)
        tk *= mu
    total = 0
    for tk in ts:
        e, u, it, gn, conv = _newton(model, leader, x, e, sigma, tk, 1e-4, maxiter)
        total += it
    e, u, it, gn, conv = _newton(model, leader, x, e, sigma, t, tol, maxiter)
    return e, u, {"iterations": total + it, "grad_norm": gn, "converged": conv}

"""Independent references for continuous bilevel problems (no bigrad code used).

* :class:`QuadraticBilevel` -- random quadratic bilevel problem with closed-form
  solution and Jacobians (numpy, float64), plus torch objectives for the layer.
* :func:`dense_thm2` -- Theorem 2 computed densely for one sample: ``F`` built with
  an explicit inverse of ``grad2_yy g``, full Jacobians by
  ``torch.autograd.functional.jacobian`` and ``torch.linalg.solve``.
* :func:`dense_newton_bilevel` -- Newton's method on ``(F, G) = 0`` with the dense
  Jacobian, an independent forward solver for finite differences.
"""
from __future__ import annotations

import numpy as np
import torch


def _spd(rng, k, lo=1.0):
    a = rng.standard_normal((k, k)) / np.sqrt(k)
    return a @ a.T + lo * np.eye(k)


class QuadraticBilevel:
    """``f = 1/2 x'Px + 1/2 y'Qy + x'Ry + (a + Az)'x + (c + Cz)'y``,
    ``g = 1/2 y'Sy + y'Tx - y'(d + Dz) + 1/2 x'Wx``  (``W`` is irrelevant for the solution).

    Inner: ``y(x) = S^{-1}(d + Dz - Tx)``; outer: the total Hessian ``Mxx`` of
    ``phi(x) = f(x, y(x))`` is made positive definite by a diagonal shift.
    """

    def __init__(self, n, m, p, seed=0):
        rng = np.random.default_rng(seed)
        self.n, self.m, self.p = n, m, p
        self.S = _spd(rng, m)
        self.T = rng.standard_normal((m, n)) / np.sqrt(n)
        self.d = rng.standard_normal(m)
        self.D = rng.standard_normal((m, p)) / np.sqrt(p)
        self.W = _spd(rng, n)
        self.Q = _spd(rng, m, lo=0.5)
        self.R = rng.standard_normal((n, m)) / np.sqrt(m) * 0.3
        self.a = rng.standard_normal(n)
        self.A = rng.standard_normal((n, p)) / np.sqrt(p)
        self.c = rng.standard_normal(m)
        self.C = rng.standard_normal((m, p)) / np.sqrt(p)
        Yx = -np.linalg.solve(self.S, self.T)
        P0 = _spd(rng, n)
        M0 = P0 + self.R @ Yx + Yx.T @ self.R.T + Yx.T @ self.Q @ Yx
        shift = max(0.0, 1.0 - np.linalg.eigvalsh(M0).min())
        self.P = P0 + shift * np.eye(n)

    # ---- closed form (numpy) -------------------------------------------------
    def solution(self, z, A_eq=None, b_eq=None, B_eq=None, c_eq=None):
        """``(x*, y*, dx/dz, dy/dz)`` for one input ``z [p]``, optionally with
        equality constraints ``A_eq x = b_eq`` and ``B_eq y = c_eq`` (dense KKT systems)."""
        n, m = self.n, self.m
        if B_eq is None:
            S_inv, c_part = np.linalg.inv(self.S), np.zeros(m)
        else:
            k = B_eq.shape[0]
            K_in = np.linalg.inv(np.block([[self.S, B_eq.T], [B_eq, np.zeros((k, k))]]))
            S_inv, c_part = K_in[:m, :m], K_in[:m, m:] @ c_eq
        Yx, Yz, Y0 = -S_inv @ self.T, S_inv @ self.D, S_inv @ self.d + c_part
        Mxx = self.P + self.R @ Yx + Yx.T @ self.R.T + Yx.T @ self.Q @ Yx
        Mxz = self.R @ Yz + self.A + Yx.T @ self.Q @ Yz + Yx.T @ self.C
        m0 = self.R @ Y0 + self.a + Yx.T @ self.Q @ Y0 + Yx.T @ self.c
        if A_eq is None:
            x = -np.linalg.solve(Mxx, Mxz @ z + m0)
            dx = -np.linalg.solve(Mxx, Mxz)
        else:
            k = A_eq.shape[0]
            K_out = np.linalg.inv(np.block([[Mxx, A_eq.T], [A_eq, np.zeros((k, k))]]))
            x = K_out[:n, :n] @ (-(Mxz @ z + m0)) + K_out[:n, n:] @ b_eq
            dx = -K_out[:n, :n] @ Mxz
        y = Y0 + Yx @ x + Yz @ z
        dy = Yx @ dx + Yz
        return x, y, dx, dy

    def loss_grad(self, z, wx, wy, **constraints):
        """Closed-form ``d/dz (wx'x* + wy'y*)`` for one sample."""
        _, _, dx, dy = self.solution(z, **constraints)
        return dx.T @ wx + dy.T @ wy

    # ---- torch objectives (batched) --------------------------------------------
    def torch_objectives(self, dtype=torch.float64, device="cpu"):
        t = {k: torch.as_tensor(getattr(self, k), dtype=dtype, device=device)
             for k in "PQRaAcCSTdDW"}

        def quad(v, M):
            return 0.5 * ((v @ M) * v).sum(-1)

        def f(x, y, z):
            return (quad(x, t["P"]) + quad(y, t["Q"]) + ((x @ t["R"]) * y).sum(-1)
                    + ((t["a"] + z @ t["A"].T) * x).sum(-1) + ((t["c"] + z @ t["C"].T) * y).sum(-1))

        def g(x, y, z):
            return (quad(y, t["S"]) + ((x @ t["T"].T) * y).sum(-1)
                    - ((t["d"] + z @ t["D"].T) * y).sum(-1) + quad(x, t["W"]))

        return f, g


def dense_FG(f, g, x, y, z):
    """Thm 1 map ``(F, G)`` for one sample (1-D ``x, y, z``; ``x, y`` must require grad),
    with a dense inverse of ``grad2_yy g``; differentiable (``create_graph``)."""
    xb, yb, zb = x[None], y[None], z[None]
    gy = torch.autograd.grad(g(xb, yb, zb).sum(), y, create_graph=True)[0]
    fx, fy = torch.autograd.grad(f(xb, yb, zb).sum(), (x, y), create_graph=True,
                                 allow_unused=True, materialize_grads=True)
    rows = [torch.autograd.grad(gy[i], (y, x), create_graph=True, allow_unused=True,
                                materialize_grads=True) for i in range(y.numel())]
    Hyy = torch.stack([r[0] for r in rows])
    Hyx = torch.stack([r[1] for r in rows])
    dydx = -torch.linalg.solve(Hyy, Hyx)  # [m, n]
    return fx + dydx.T @ fy, gy


def _H(f, g):
    def H(x, y, z):
        x = x if x.requires_grad else x.clone().requires_grad_(True)
        y = y if y.requires_grad else y.clone().requires_grad_(True)
        return torch.cat(dense_FG(f, g, x, y, z))
    return H


def dense_thm2(f, g, x, y, z, vx, vy):
    """Theorem 2 for one sample, dense: ``dz L = -[vx vy] J^{-1} [Fz; Gz]`` (``grad_z L = 0``).

    Returns ``(dz L, J)`` with the dense ``J = d(F, G)/d(x, y)``."""
    x, y, z = (t.detach().clone() for t in (x, y, z))
    H = _H(f, g)
    J = torch.cat(torch.autograd.functional.jacobian(lambda a, b: H(a, b, z), (x, y)), dim=1)
    Jz = torch.autograd.functional.jacobian(lambda c: H(x, y, c), z)  # [n+m, p]
    lam = torch.linalg.solve(J.T, -torch.cat([vx, vy]))
    return Jz.T @ lam, J


def dense_newton_bilevel(f, g, z, x0, y0, iters=30, tol=1e-13):
    """Newton on ``(F, G) = 0`` with dense Jacobians, one sample (1-D tensors)."""
    x, y = x0.detach().clone(), y0.detach().clone()
    n = x.numel()
    H = _H(f, g)
    for _ in range(iters):
        r = H(x, y, z).detach()
        if float(r.norm()) < tol:
            break
        J = torch.cat(torch.autograd.functional.jacobian(lambda a, b: H(a, b, z), (x, y)), dim=1)
        step = torch.linalg.solve(J, -r)
        x, y = x + step[:n], y + step[n:]
    return x, y


class SmoothBilevel:
    """Non-quadratic, strongly convex bilevel problem with non-zero third derivatives.

    ``g = 1/2 y'Sy + sum log cosh(y - Tx) + 0.1 sum softplus(y) - y'Dz``,
    ``f = 1/2 ||y - Cz||^2 + 1/2 x'Px + 0.05 sum x^4 + 0.1 sum sin(x) * (Ez)``.
    """

    def __init__(self, n, m, p, seed=0, dtype=torch.float64):
        gen = torch.Generator().manual_seed(seed)
        r = lambda *s: torch.randn(*s, generator=gen, dtype=dtype)
        a = r(m, m) / m**0.5
        self.S = a @ a.T + torch.eye(m, dtype=dtype)
        self.T = r(m, n) / n**0.5
        self.D = r(m, p) / p**0.5
        self.C = r(m, p) / p**0.5
        b = r(n, n) / n**0.5
        self.P = b @ b.T + 2 * torch.eye(n, dtype=dtype)
        self.E = r(n, p) / p**0.5
        self.n, self.m, self.p = n, m, p

    def g(self, x, y, z):
        u = y - x @ self.T.T
        return (0.5 * ((y @ self.S) * y).sum(-1) + torch.log(torch.cosh(u)).sum(-1)
                + 0.1 * torch.nn.functional.softplus(y).sum(-1) - (y * (z @ self.D.T)).sum(-1))

    def f(self, x, y, z):
        return (0.5 * ((y - z @ self.C.T) ** 2).sum(-1) + 0.5 * ((x @ self.P) * x).sum(-1)
                + 0.05 * (x**4).sum(-1) + 0.1 * (torch.sin(x) * (z @ self.E.T)).sum(-1))

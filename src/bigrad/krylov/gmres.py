"""Batched restarted GMRES (Saad & Schultz 1986) with Givens rotations."""
from __future__ import annotations

from typing import Callable, Optional

import torch
from torch import Tensor

from ._common import KrylovInfo, _check_pos_int, _Problem, _safe_div, run_cycles

__all__ = ["gmres"]


def _orthogonalise(V: Tensor, w: Tensor) -> tuple[Tensor, Tensor]:
    """Classical Gram-Schmidt, applied twice (CGS2), of ``w [B, n]`` against ``V [B, j, n]``."""
    h = torch.bmm(V, w.unsqueeze(-1)).squeeze(-1)
    w = w - torch.bmm(h.unsqueeze(1), V).squeeze(1)
    h2 = torch.bmm(V, w.unsqueeze(-1)).squeeze(-1)
    w = w - torch.bmm(h2.unsqueeze(1), V).squeeze(1)
    return h + h2, w


def _make_cycle(restart: int):
    def cycle(problem: _Problem, x: Tensor, r: Tensor, active: Tensor, budget: Tensor):
        B, n = r.shape
        m = restart
        dev, dt = r.device, r.dtype
        beta = torch.where(active, r.norm(dim=1), torch.zeros(B, dtype=dt, device=dev))
        V = r.new_zeros(B, m + 1, n)
        V[:, 0] = r * _safe_div(torch.ones_like(beta), beta)[:, None]
        R = r.new_zeros(B, m, m)  # triangular factor of the Hessenberg matrix
        cs = r.new_zeros(B, m)
        sn = r.new_zeros(B, m)
        g = r.new_zeros(B, m + 1)
        g[:, 0] = beta
        k = torch.zeros(B, dtype=torch.long, device=dev)
        act = active.clone()
        kmax = min(m, int(budget[active].max()))
        cols = 0
        for j in range(kmax):
            w = problem.A(problem.M(V[:, j]))
            h, w = _orthogonalise(V[:, : j + 1], w)
            hn = w.norm(dim=1)
            inv = torch.where(act, _safe_div(torch.ones_like(hn), hn), torch.zeros_like(hn))
            V[:, j + 1] = w * inv[:, None]
            col = list(h.unbind(1)) + [hn]
            for i in range(j):  # apply the previous rotations to the new column
                a, b = col[i], col[i + 1]
                col[i] = cs[:, i] * a + sn[:, i] * b
                col[i + 1] = -sn[:, i] * a + cs[:, i] * b
            a, b = col[j], col[j + 1]
            den = torch.hypot(a, b)
            c = torch.where(den > 0, _safe_div(a, den), torch.ones_like(a))
            s = _safe_div(b, den)
            cs[:, j], sn[:, j] = c, s
            col[j] = den
            R[:, : j + 1, j] = torch.stack(col[: j + 1], dim=1)
            g[:, j + 1] = -s * g[:, j]
            g[:, j] = c * g[:, j]
            k += act
            cols = j + 1
            act &= (g[:, j + 1].abs() > problem.threshold) & (k < budget)
            if not bool(act.any()):
                break
        if cols == 0:
            return x, k, torch.zeros_like(active)
        # per-member least-squares update y = R[:k, :k]^{-1} g[:k]; unused columns -> identity
        idx = torch.arange(cols, device=dev)
        used = idx[None, :] < k[:, None]
        Rk = R[:, :cols, :cols]
        eye = torch.eye(cols, dtype=dt, device=dev).expand_as(Rk)
        Rk = torch.where(used[:, :, None] & used[:, None, :], Rk, eye)
        diag = Rk.diagonal(dim1=1, dim2=2)
        broke = (used & (diag == 0)).any(dim=1)
        Rk = torch.where(broke[:, None, None], eye, Rk)
        gk = torch.where(used & ~broke[:, None], g[:, :cols], 0.0)
        y = torch.linalg.solve_triangular(Rk, gk.unsqueeze(-1), upper=True).squeeze(-1)
        dx = torch.bmm(y.unsqueeze(1), V[:, :cols]).squeeze(1)
        x = x + problem.M(dx)
        return x, k, broke

    return cycle


def gmres(
    matvec: Callable[[Tensor], Tensor],
    b: Tensor,
    *,
    x0: Optional[Tensor] = None,
    tol: Optional[float] = None,
    atol: float = 0.0,
    maxiter: Optional[int] = None,
    restart: Optional[int] = None,
    M: Optional[Callable[[Tensor], Tensor]] = None,
    on_fail: str = "warn",
) -> tuple[Tensor, KrylovInfo]:
    """Solve a general square system ``A x = b`` with batched restarted GMRES.

    Arnoldi with classical Gram-Schmidt applied twice, Givens rotations for the
    small least-squares problem, right preconditioning ``A M u = b, x = M u``
    (so the monitored residual is the true one).  Memory: ``(restart + 1) * B * n``
    for the Krylov basis.

    Args:
        matvec, b, x0, tol, atol, M, on_fail: as in :func:`~bigrad.krylov.cg`.
        maxiter: maximum number of Arnoldi steps per member, summed over the
            restart cycles (default ``10 * n``).  Note: unlike SciPy, this counts
            inner iterations, not restart cycles.
        restart: Krylov subspace dimension before a restart (default ``min(20, n)``).

    Returns:
        ``(x, info)`` as in :func:`~bigrad.krylov.cg`.
    """
    problem = _Problem("gmres", matvec, b, x0, tol, atol, maxiter, M, on_fail)
    restart = min(20, problem.n) if restart is None else _check_pos_int(restart, "restart")
    restart = min(restart, problem.n)
    return run_cycles(problem, _make_cycle(restart), None)

"""Batched MINRES (Paige & Saunders 1975) for symmetric, possibly indefinite systems."""
from __future__ import annotations

import torch
from torch import Tensor

from ._common import KrylovInfo, _dot, _Problem, _safe_div, krylov_solve, sync_due

__all__ = ["minres"]

_MAX_REFINEMENTS = 4


def _minres_cycle(problem: _Problem, x: Tensor, r: Tensor, active: Tensor, budget: Tensor):
    """Lanczos + QR recurrences of MINRES (SciPy's formulation, shift 0), batched with masks."""
    B = x.shape[0]
    dev, dt = x.device, x.dtype
    it = torch.zeros(B, dtype=torch.long, device=dev)
    broke = torch.zeros(B, dtype=torch.bool, device=dev)
    act = active.clone()
    zeros = torch.zeros(B, dtype=dt, device=dev)
    r1 = r
    y = problem.M(r1)
    beta1_sq = _dot(r1, y)
    broke |= act & (beta1_sq < 0)  # preconditioner not positive definite
    act &= ~broke
    beta = torch.sqrt(beta1_sq.clamp(min=0))
    oldb, dbar, epsln = zeros, zeros, zeros
    phibar = beta.clone()
    cs, sn = -torch.ones_like(zeros), zeros
    w = torch.zeros_like(x)
    w2 = torch.zeros_like(x)
    r2 = r1
    eps = torch.finfo(dt).eps
    kmax = int(budget[active].max())
    for k in range(kmax):
        inv_beta = _safe_div(torch.ones_like(beta), beta)
        v = y * inv_beta[:, None]
        y = problem.A(v)
        if k > 0:
            y = y - (_safe_div(beta, oldb))[:, None] * r1
        alfa = _dot(v, y)
        y = y - (alfa * inv_beta)[:, None] * r2
        r1, r2 = r2, y
        y = problem.M(r2)
        oldb = beta
        beta_sq = _dot(r2, y)
        broke |= act & (beta_sq < 0)
        act &= ~broke
        beta = torch.sqrt(beta_sq.clamp(min=0))
        # apply the previous rotation, then compute and apply the new one
        oldeps = epsln
        delta = cs * dbar + sn * alfa
        gbar = sn * dbar - cs * alfa
        epsln = sn * beta
        dbar = -cs * beta
        gamma = torch.hypot(gbar, beta).clamp(min=eps)
        cs, sn = gbar / gamma, beta / gamma
        phi = cs * phibar
        phibar = sn * phibar
        w1, w2 = w2, w
        w = (v - oldeps[:, None] * w1 - delta[:, None] * w2) / gamma[:, None]
        x = torch.where(act[:, None], x + phi[:, None] * w, x)
        problem.report(x)
        it += act
        act &= (phibar.abs() > problem.threshold) & (it < budget) & (beta > 0)
        if sync_due(x.device, k) and not bool(act.any()):
            break
    return x, it, broke


def minres(
    A,
    b,
    x0=None,
    *,
    rtol: float | None = None,
    atol: float = 0.0,
    maxiter: int | None = None,
    M=None,
    callback=None,
    tol: float | None = None,
    on_fail: str = "warn",
    chunk_size=None,
) -> tuple[Tensor, KrylovInfo]:
    """Solve ``A x = b`` for symmetric (possibly indefinite) ``A`` with batched MINRES.

    Short recurrences: memory is a handful of ``[B, n]`` vectors (no Krylov
    basis, unlike GMRES) and one ``matvec`` per iteration; in exact arithmetic
    the iterates equal full (unrestarted) GMRES on a symmetric matrix.  Same
    arguments and return value as :func:`~bigrad.krylov.cg`; ``M`` must be
    symmetric positive definite.  Used by default for the (symmetric, indefinite)
    KKT adjoint system of :func:`bigrad.implicit.bilevel_vjp`.
    """
    return krylov_solve("minres", _minres_cycle, 1 + _MAX_REFINEMENTS, A, b, x0, rtol=rtol, atol=atol, maxiter=maxiter,
                        M=M, callback=callback, on_fail=on_fail, chunk_size=chunk_size, tol=tol)

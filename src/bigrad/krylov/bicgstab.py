"""Batched preconditioned BiCGSTAB (van der Vorst 1992) for general square systems."""
from __future__ import annotations

import torch
from torch import Tensor

from ._common import KrylovInfo, _dot, _Problem, _safe_div, krylov_solve, sync_due

__all__ = ["bicgstab"]

_MAX_REFINEMENTS = 4


def _bicgstab_cycle(problem: _Problem, x: Tensor, r: Tensor, active: Tensor, budget: Tensor):
    B = x.shape[0]
    it = torch.zeros(B, dtype=torch.long, device=x.device)
    broke = torch.zeros(B, dtype=torch.bool, device=x.device)
    act = active.clone()
    r_hat = r.clone()
    ones = torch.ones(B, dtype=x.dtype, device=x.device)
    zeros = torch.zeros_like(ones)
    rho, alpha, omega = ones, ones, ones
    v = torch.zeros_like(r)
    p = torch.zeros_like(r)
    thr = problem.threshold
    kmax = int(budget[active].max())
    for k in range(kmax):
        rho_new = _dot(r_hat, r)
        bad = act & ~((rho_new != 0) & torch.isfinite(rho_new))
        beta = _safe_div(rho_new, rho) * _safe_div(alpha, omega)
        p = r + beta[:, None] * (p - omega[:, None] * v)
        p_hat = problem.M(p)
        v = problem.A(p_hat)
        rv = _dot(r_hat, v)
        bad |= act & (rv == 0)
        broke |= bad
        act &= ~bad
        alpha = torch.where(act, _safe_div(rho_new, rv), zeros)
        s = r - alpha[:, None] * v
        x = x + alpha[:, None] * p_hat
        half = act & (s.norm(dim=1) <= thr)  # converged after the first half step
        full = act & ~half
        s_hat = problem.M(s)
        t = problem.A(s_hat)
        omega = torch.where(full, _safe_div(_dot(t, s), _dot(t, t)), zeros)
        stagnant = full & (omega == 0)
        broke |= stagnant
        x = x + omega[:, None] * s_hat
        r = torch.where(full[:, None], s - omega[:, None] * t, torch.where(half[:, None], s, r))
        it += act
        act = full & ~stagnant & (r.norm(dim=1) > thr) & (it < budget)
        problem.report(x)
        if sync_due(x.device, k) and not bool(act.any()):
            break
        # reset finished members so that their (unused) recurrences stay finite
        keep = act[:, None]
        p = torch.where(keep, p, torch.zeros_like(p))
        v = torch.where(keep, v, torch.zeros_like(v))
        omega = torch.where(act, omega, ones)
        alpha = torch.where(act, alpha, ones)
        rho = torch.where(act, rho_new, ones)
    return x, it, broke


def bicgstab(
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
    """Solve a general square system ``A x = b`` with batched BiCGSTAB.

    Same arguments and return value as :func:`~bigrad.krylov.cg`; ``M`` is a
    right preconditioner.  Each iteration costs two ``matvec`` calls; breakdowns
    (``rho = 0`` or ``<r_hat, v> = 0``) stop the affected member, which is then
    restarted from its true residual at most a few times.
    """
    return krylov_solve("bicgstab", _bicgstab_cycle, 1 + _MAX_REFINEMENTS, A, b, x0, rtol=rtol, atol=atol, maxiter=maxiter,
                        M=M, callback=callback, on_fail=on_fail, chunk_size=chunk_size, tol=tol)

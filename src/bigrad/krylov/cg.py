"""Batched preconditioned conjugate gradient for symmetric positive definite systems."""
from __future__ import annotations

from typing import Callable, Optional

import torch
from torch import Tensor

from ._common import KrylovInfo, _dot, _Problem, _safe_div, run_cycles

__all__ = ["cg"]

# residual replacements after the recursive residual reported convergence
_MAX_REFINEMENTS = 4


def _cg_cycle(problem: _Problem, x: Tensor, r: Tensor, active: Tensor, budget: Tensor):
    B = x.shape[0]
    it = torch.zeros(B, dtype=torch.long, device=x.device)
    broke = torch.zeros(B, dtype=torch.bool, device=x.device)
    act = active.clone()
    z = problem.M(r)
    p = z.clone()
    rz = _dot(r, z)
    kmax = int(budget[active].max())
    for _ in range(kmax):
        Ap = problem.A(p)
        pAp = _dot(p, Ap)
        bad = act & ~(pAp > 0)  # indefinite operator / nan
        broke |= bad
        act &= ~bad
        alpha = torch.where(act, _safe_div(rz, pAp), torch.zeros_like(rz))
        x = x + alpha[:, None] * p
        r = r - alpha[:, None] * Ap
        it += act
        act &= (r.norm(dim=1) > problem.threshold) & (it < budget)
        if not bool(act.any()):
            break
        z = problem.M(r)
        rz_new = _dot(r, z)
        beta = torch.where(act, _safe_div(rz_new, rz), torch.zeros_like(rz))
        p = z + beta[:, None] * p
        rz = rz_new
    return x, it, broke


def cg(
    matvec: Callable[[Tensor], Tensor],
    b: Tensor,
    *,
    x0: Optional[Tensor] = None,
    tol: Optional[float] = None,
    atol: float = 0.0,
    maxiter: Optional[int] = None,
    M: Optional[Callable[[Tensor], Tensor]] = None,
    on_fail: str = "warn",
) -> tuple[Tensor, KrylovInfo]:
    """Solve ``A x = b`` for symmetric positive definite ``A`` (batched CG).

    Args:
        matvec: ``x -> A x``; called with tensors shaped like ``b`` (``[B, n]`` or
            ``[n]``), acting row-wise on a batch.
        b: right-hand side(s), ``[B, n]`` or ``[n]``, real floating dtype, any device.
        x0: initial guess shaped like ``b`` (default zeros).
        tol: relative tolerance on the residual norm (default
            :func:`~bigrad.krylov.default_tol` of ``b.dtype``).
        atol: absolute tolerance; member ``i`` stops at
            ``||r_i|| <= max(tol * ||b_i||, atol)``.
        maxiter: maximum CG iterations per member (default ``10 * n``).
        M: optional SPD preconditioner ``r -> M r`` (approximates ``A^{-1}``).
        on_fail: ``"warn"`` (default), ``"raise"`` or ``"ignore"`` when some member
            does not converge (including a detected non-positive curvature).

    Returns:
        ``(x, info)``: ``x`` shaped like ``b``; :class:`~bigrad.krylov.KrylovInfo`
        with per-member ``iterations``, true ``residual`` and ``converged``.
    """
    problem = _Problem("cg", matvec, b, x0, tol, atol, maxiter, M, on_fail)
    return run_cycles(problem, _cg_cycle, 1 + _MAX_REFINEMENTS)

"""Batched restarted GMRES (Saad & Schultz 1986) with Givens rotations."""
from __future__ import annotations

import torch
from torch import Tensor

from ._common import (
    KrylovInfo,
    _check_pos_int,
    _Problem,
    _safe_div,
    krylov_solve,
    sync_due,
)

__all__ = ["gmres"]


def _orthogonalise(V: Tensor, w: Tensor, always_twice: bool) -> tuple[Tensor, Tensor]:
    """Classical Gram-Schmidt of ``w [B, n]`` against the orthonormal rows of ``V [B, j, n]``.

    Two matrix products per pass instead of ``2 j`` vector operations (modified
    Gram-Schmidt).  A second pass (CGS2) is made when some member lost more than
    ``1 - 1/sqrt(2)`` of its norm ("twice is enough", Giraud et al. 2005), which
    restores orthogonality to working precision; on an accelerator it is always
    made, so that no host read is needed.
    """
    norm0 = torch.linalg.vector_norm(w, dim=1)
    h = torch.bmm(V, w.unsqueeze(-1)).squeeze(-1)
    w.unsqueeze(1).baddbmm_(h.unsqueeze(1), V, alpha=-1.0)
    hn = torch.linalg.vector_norm(w, dim=1)
    if always_twice or bool((hn < 0.7071 * norm0).any()):
        h2 = torch.bmm(V, w.unsqueeze(-1)).squeeze(-1)
        w.unsqueeze(1).baddbmm_(h2.unsqueeze(1), V, alpha=-1.0)
        h = h + h2
        hn = torch.linalg.vector_norm(w, dim=1)
    return h, hn


def _make_cycle(restart: int):
    def cycle(problem: _Problem, x: Tensor, r: Tensor, active: Tensor, budget: Tensor):
        B, n = r.shape
        m = restart
        dev, dt = r.device, r.dtype
        on_host = dev.type == "cpu"
        beta = torch.where(active, torch.linalg.vector_norm(r, dim=1), torch.zeros(B, dtype=dt, device=dev))
        V = r.new_empty(B, m + 1, n)
        torch.mul(r, _safe_div(torch.ones_like(beta), beta)[:, None], out=V[:, 0])
        R = r.new_zeros(B, m, m)  # triangular factor of the Hessenberg matrix
        cs, sn = [], []
        g = [beta]  # rotated right-hand side; |g[j + 1]| is the residual norm after j + 1 steps
        k = torch.zeros(B, dtype=torch.long, device=dev)
        act = active.clone()
        kmax = min(m, int(budget[active].max()))
        cols = 0
        for j in range(kmax):
            w = problem.A(problem.M(V[:, j]) if problem.has_M else V[:, j])
            if w.untyped_storage().data_ptr() == V.untyped_storage().data_ptr():
                w = w.clone()  # the operator returned (a view of) its input: never overwrite the basis
            h, hn = _orthogonalise(V[:, : j + 1], w, always_twice=not on_host)
            inv = torch.where(act, _safe_div(torch.ones_like(hn), hn), torch.zeros_like(hn))
            torch.mul(w, inv[:, None], out=V[:, j + 1])
            col = list(h.unbind(1)) + [hn]
            for i in range(j):  # apply the previous rotations to the new column
                a, b = col[i], col[i + 1]
                col[i] = cs[i] * a + sn[i] * b
                col[i + 1] = cs[i] * b - sn[i] * a
            a, b = col[j], col[j + 1]
            den = torch.hypot(a, b)
            c = torch.where(den > 0, _safe_div(a, den), torch.ones_like(a))
            s = _safe_div(b, den)
            cs.append(c)
            sn.append(s)
            col[j] = den
            R[:, : j + 1, j] = torch.stack(col[: j + 1], dim=1)
            g.append(-s * g[j])
            g[j] = c * g[j]
            k += act
            cols = j + 1
            act &= (g[j + 1].abs() > problem.threshold) & (k < budget)
            if sync_due(dev, j) and not bool(act.any()):
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
        gk = torch.where(used & ~broke[:, None], torch.stack(g[:cols], dim=1), 0.0)
        y = torch.linalg.solve_triangular(Rk, gk.unsqueeze(-1), upper=True).squeeze(-1)
        dx = torch.bmm(y.unsqueeze(1), V[:, :cols]).squeeze(1)
        x = x + (problem.M(dx) if problem.has_M else dx)
        problem.report(x)
        return x, k, broke

    return cycle


def gmres(
    A,
    b,
    x0=None,
    *,
    rtol: float | None = None,
    atol: float = 0.0,
    restart: int | None = None,
    maxiter: int | None = None,
    M=None,
    callback=None,
    tol: float | None = None,
    on_fail: str = "warn",
    chunk_size=None,
) -> tuple[Tensor, KrylovInfo]:
    """Solve a general square system ``A x = b`` with batched restarted GMRES.

    Arnoldi with classical Gram-Schmidt as two matrix products per step, repeated
    when the new vector lost most of its norm (CGS2 where needed; always on an
    accelerator), Givens rotations for the small least-squares problem, right
    preconditioning ``A M u = b, x = M u`` (so the monitored residual is the
    true one).  Memory: ``(restart + 1) * B * n`` for the Krylov basis.

    Args:
        A, b, x0, rtol, atol, M, on_fail, chunk_size: as in :func:`~bigrad.krylov.cg`.
        restart: Krylov subspace dimension before a restart (default ``min(20, n)``).
        maxiter: maximum number of Arnoldi steps per member, summed over the
            restart cycles (default ``10 * n``).  Note: unlike SciPy, this counts
            inner iterations, not restart cycles.
        callback: ``callback(xk)`` after every restart cycle (scipy's
            ``callback_type="x"``).

    Returns:
        ``(x, info)`` as in :func:`~bigrad.krylov.cg`.
    """
    n = b.shape[-1] if hasattr(b, "shape") and len(b.shape) else 1
    restart = min(20, n) if restart is None else min(_check_pos_int(restart, "restart"), n)
    return krylov_solve("gmres", _make_cycle(restart), None, A, b, x0, rtol=rtol, atol=atol, maxiter=maxiter,
                        M=M, callback=callback, on_fail=on_fail, chunk_size=chunk_size, tol=tol,
                        vectors=restart + 4)

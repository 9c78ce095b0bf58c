"""Batched restarted GMRES (Saad & Schultz 1986) with Givens rotations."""
from __future__ import annotations

import contextlib

import numpy as np
import torch
from torch import Tensor

from ._common import (
    _NUMPY_FLOATS,
    CHUNK_ELEMENTS,
    KrylovInfo,
    _check_pos_int,
    _Problem,
    _safe_div,
    krylov_solve,
    sync_due,
)

__all__ = ["gmres"]

#: a second Gram-Schmidt pass is made when the new vector kept less than this fraction of its
#: norm.  "Twice is enough" needs 1/sqrt(2) for orthogonality to working precision; GMRES only
#: needs a well-conditioned basis (PETSc's default never repeats the pass), and on
#: well-conditioned operators the repeat then ran on almost every step, doubling the
#: memory traffic of Arnoldi (bench/bench_krylov.py, n = 1e4: 350 -> 240 ms).
_REORTH_ETA = 0.1
#: a new column whose diagonal entry of R is below this many ulps of the column's norm adds no direction
#: to the Krylov space (rank deficiency): the member stops before it
_RANK_TOL = 64


def _orthogonalise(V: Tensor, w: Tensor, always_twice: bool) -> tuple[Tensor, Tensor, Tensor]:
    """Classical Gram-Schmidt of ``w [B, n]`` against the orthonormal rows of ``V [B, j, n]``.

    Two matrix products per pass instead of ``2 j`` vector operations (modified
    Gram-Schmidt).  A second pass (CGS2) is made when some member kept less than
    ``_REORTH_ETA`` of its norm (severe cancellation; Daniel et al. 1976, Giraud et
    al. 2005); on an accelerator it is always made, so that no host read is needed.
    Returns ``(h [B, j], ||w_new|| [B], ||w|| [B])`` (the norms after and before).
    """
    norm0 = torch.linalg.vector_norm(w, dim=1)
    h = torch.bmm(V, w.unsqueeze(-1)).squeeze(-1)
    w.unsqueeze(1).baddbmm_(h.unsqueeze(1), V, alpha=-1.0)
    hn = torch.linalg.vector_norm(w, dim=1)
    if always_twice or bool((hn < _REORTH_ETA * norm0).any()):
        h2 = torch.bmm(V, w.unsqueeze(-1)).squeeze(-1)
        w.unsqueeze(1).baddbmm_(h2.unsqueeze(1), V, alpha=-1.0)
        h = h + h2
        hn = torch.linalg.vector_norm(w, dim=1)
    return h, hn, norm0


class _Small:
    """Arithmetic on the small per-member state (rotations, Hessenberg column, residual estimate).

    numpy on the CPU, where a torch call on a handful of numbers costs several times
    a numpy call; torch elsewhere, so that nothing leaves the device.
    """

    def __init__(self, like: Tensor):
        self.host = like.device.type == "cpu" and like.dtype in _NUMPY_FLOATS
        self.xp = np if self.host else torch

    def quiet(self):
        """numpy's floating-point warnings off: an overflow or 0/0 in the rotations (``|A|`` near the
        dtype's range) only makes the member's residual estimate non-finite; the true residual decides."""
        return np.errstate(all="ignore") if self.host else contextlib.nullcontext()

    def load(self, t: Tensor):
        return t.numpy() if self.host else t

    def where(self, cond, a, b):
        return self.xp.where(cond, a, b)

    def safe_div(self, num, den):
        nz = den != 0
        return self.where(nz, num / self.where(nz, den, 1.0), 0.0)

    def stack(self, items, like: Tensor) -> Tensor:
        out = self.xp.stack(items, 1) if items else self.xp.zeros((like.shape[0], 0))
        return torch.from_numpy(np.ascontiguousarray(out, dtype=like.numpy().dtype)) if self.host else out


def _rotate(sm: _Small, col: list, cs: list, sn: list, g: list, j: int) -> None:
    """Givens step ``j``: rotate the new Hessenberg column ``col`` by the previous rotations, append
    the new one to ``cs``/``sn`` and apply it to the right-hand side ``g`` (all in place)."""
    for i in range(j):
        a, b = col[i], col[i + 1]
        col[i] = cs[i] * a + sn[i] * b
        col[i + 1] = cs[i] * b - sn[i] * a
    a, b = col[j], col[j + 1]
    den = sm.xp.hypot(a, b)
    cs.append(sm.where(den > 0, sm.safe_div(a, den), 1.0))
    sn.append(sm.safe_div(b, den))
    col[j] = den
    g.append(-sn[j] * g[j])
    g[j] = cs[j] * g[j]


def _make_cycle(restart: int):
    def cycle(problem: _Problem, x: Tensor, r: Tensor, active: Tensor, budget: Tensor):
        B, n = r.shape
        m = restart
        dev, dt = r.device, r.dtype
        sm = _Small(r)
        beta_t = torch.where(active, torch.linalg.vector_norm(r, dim=1), torch.zeros(B, dtype=dt, device=dev))
        V = r.new_empty(B, m + 1, n)
        torch.mul(r, _safe_div(torch.ones_like(beta_t), beta_t)[:, None], out=V[:, 0])
        cols_R = []  # columns of the triangular factor of the Hessenberg matrix
        cs: list = []  # the Givens rotations so far (host scalars or device tensors, as sm loads them)
        sn: list = []
        g = [sm.load(beta_t)]  # rotated right-hand side; |g[j + 1]| is the residual norm after j + 1 steps
        thr, budget_s = sm.load(problem.threshold), sm.load(budget)
        k = sm.load(torch.zeros(B, dtype=torch.long, device=dev))
        act = sm.load(active.clone())
        kmax = min(m, int(budget[active].max()))
        cols = 0
        eps = torch.finfo(dt).eps
        for j in range(kmax):
            w = problem.A(problem.M(V[:, j]) if problem.has_M else V[:, j])
            if w.untyped_storage().data_ptr() == V.untyped_storage().data_ptr():
                w = w.clone()  # the operator returned (a view of) its input: never overwrite the basis
            h, hn_t, w_norm = _orthogonalise(V[:, : j + 1], w, always_twice=not sm.host)
            torch.mul(w, _safe_div(torch.ones_like(hn_t), hn_t)[:, None], out=V[:, j + 1])
            col = list(sm.load(h).T) + [sm.load(hn_t)]
            col_norm = sm.load(w_norm)  # ||A v_j||: the norm of the new column [h; hn], kept by the rotations
            with sm.quiet():
                _rotate(sm, col, cs, sn, g, j)
                # A v_j (nearly) in the span of the earlier A v_i: R[j, j] is round-off, and a least-squares
                # step through it would be huge (a singular A with b outside its range); stop before it
                act = act & ~(abs(col[j]) <= _RANK_TOL * eps * col_norm)
            cols_R.append(col[: j + 1])
            k = k + act
            cols = j + 1
            act = act & (abs(g[j + 1]) > thr) & (k < budget_s)
            if sync_due(dev, j) and not bool(act.any()):
                break
        k = torch.from_numpy(np.asarray(k)) if sm.host else k
        if cols == 0:
            return x, k, torch.zeros_like(active)
        # per-member least-squares update y = R[:k, :k]^{-1} g[:k]; unused columns -> identity
        R = r.new_zeros(B, cols, cols)
        for jj, col in enumerate(cols_R):
            R[:, : jj + 1, jj] = sm.stack(col, r)
        idx = torch.arange(cols, device=dev)
        used = idx[None, :] < k[:, None]
        eye = torch.eye(cols, dtype=dt, device=dev).expand_as(R)
        Rk = torch.where(used[:, :, None] & used[:, None, :], R, eye)
        diag = Rk.diagonal(dim1=1, dim2=2)
        broke = (used & (diag == 0)).any(dim=1)
        Rk = torch.where(broke[:, None, None], eye, Rk)
        gk = torch.where(used & ~broke[:, None], sm.stack(g[:cols], r), 0.0)
        if dt in (torch.float16, torch.bfloat16):  # no half-precision triangular solve on the CPU
            y = torch.linalg.solve_triangular(Rk.float(), gk.float().unsqueeze(-1), upper=True).squeeze(-1).to(dt)
        else:
            y = torch.linalg.solve_triangular(Rk, gk.unsqueeze(-1), upper=True).squeeze(-1)
        dx = torch.bmm(y.unsqueeze(1), V[:, :cols]).squeeze(1)
        x = x + (problem.M(dx) if problem.has_M else dx)
        problem.report(x)
        return x, k, broke

    cycle.restart = restart  # type: ignore[attr-defined]  # a function attribute (mypy models none); the native sparse solver reads it
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
    when the new vector lost more than 90% of its norm (CGS2 where needed; always on an
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
                        chunk_elements=2 * CHUNK_ELEMENTS)

"""Batched, matrix-free Krylov solvers in torch (any device, any real float dtype).

``gmres``, ``cg``, ``bicgstab`` and ``minres`` share one calling convention::

    x, info = gmres(A, b, x0=None, *, rtol=None, atol=0.0, restart=None, maxiter=None, M=None, callback=None)

scipy's keywords, batched: ``b`` of shape ``[B, n]`` (``B`` independent systems)
or ``[n]``, a torch tensor (any device) or a numpy array (numpy in, numpy out);
``A`` (and ``M``) a callable acting row-wise, a dense or sparse matrix, a scipy
``LinearOperator``, or a tensor ``[n, n]`` / ``[B, n, n]``.  ``info`` holds
per-system ``iterations``, ``residual`` and ``converged``.  ``cg``: symmetric positive definite; ``minres``:
symmetric (indefinite allowed); ``gmres`` (restarted) and ``bicgstab``:
general.  Non-convergence warns by default (``on_fail``).
"""
from bigrad._optional import require_torch as _require_torch

_require_torch("bigrad.krylov")
from ._common import (
    KrylovConvergenceError,
    KrylovConvergenceWarning,
    KrylovInfo,
    default_tol,
)
from .batched_csr import BatchedCSR
from .bicgstab import bicgstab
from .cg import cg
from .gmres import gmres
from .minres import minres

SOLVERS = {"gmres": gmres, "cg": cg, "bicgstab": bicgstab, "minres": minres}

__all__ = [
    "SOLVERS",
    "BatchedCSR",
    "KrylovConvergenceError",
    "KrylovConvergenceWarning",
    "KrylovInfo",
    "bicgstab",
    "cg",
    "default_tol",
    "gmres",
    "minres",
]

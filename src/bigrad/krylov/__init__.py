"""Batched, matrix-free Krylov solvers in torch (any device, any real float dtype).

``gmres``, ``cg``, ``bicgstab`` and ``minres`` share one calling convention::

    x, info = gmres(matvec, b, x0=None, tol=None, atol=0.0, maxiter=None, restart=None)

with ``b`` of shape ``[B, n]`` (``B`` independent systems, ``matvec`` acting
row-wise) or ``[n]``; ``info`` holds per-system ``iterations``, ``residual`` and
``converged`` tensors.  ``cg``: symmetric positive definite; ``minres``:
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
from .bicgstab import bicgstab
from .cg import cg
from .gmres import gmres
from .minres import minres

SOLVERS = {"gmres": gmres, "cg": cg, "bicgstab": bicgstab, "minres": minres}

__all__ = [
    "gmres",
    "cg",
    "bicgstab",
    "minres",
    "KrylovInfo",
    "KrylovConvergenceWarning",
    "KrylovConvergenceError",
    "default_tol",
    "SOLVERS",
]

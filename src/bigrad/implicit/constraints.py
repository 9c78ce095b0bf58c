"""Constraints for continuous bilevel problems (appendix A.1 of the BiGrad paper).

* Linear equalities ``A x = b`` by null-space reparametrisation (Eq. 16):
  ``x = x0 + N u`` with ``A x0 = b`` and ``N`` an orthonormal basis of
  ``null(A)`` (from an SVD, computed once).  The problem is then unconstrained
  in ``u``; the map ``u -> x`` is affine, so gradients flow through it by
  ordinary autograd.
* Inequalities ``h_i(x, y, z) < 0`` by the log barrier (Eq. 17):
  ``f -> t f - sum_i log(-h_i)``.  We use the equivalent, better-scaled
  ``f + (1/t) * (-sum_i log(-h_i))`` (same minimisers, same implicit
  derivatives); the result approximates the constrained problem to
  ``O(k / t)`` in the objective (``k`` constraints).  Outside the strict
  feasible set the barrier is ``+inf``, which the line searches reject.
"""
from __future__ import annotations

import copy
from collections.abc import Callable

import torch
from torch import Tensor

__all__ = ["NullSpace", "feasibility_restorer", "log_barrier", "with_barrier"]


class NullSpace:
    """Affine parametrisation ``x = x0 + u N^T`` of ``{x : A x = b}``.

    Args:
        A: ``[k, n]`` constraint matrix (constant).
        b: ``[k]`` or ``[B, k]`` right-hand side (constant; detached).
        rtol: singular values ``<= rtol * s_max`` count as zero (default
            ``max(k, n) * eps``).
        atol: consistency tolerance for ``||A x0 - b||`` (default
            ``sqrt(eps) * max(1, ||b||)``); inconsistent systems raise ValueError.

    Attributes:
        basis: ``N [n, d]`` with orthonormal columns, ``A N = 0``, ``d = n - rank(A)``.
        particular: ``x0 [n]`` or ``[B, n]``, the minimum-norm solution.
        dim: ``d``.

    Memory: ``N`` is dense, ``n * d`` entries (``O(n^2)`` for few constraints);
    fine for moderate ``n``.
    """

    def __init__(self, A: Tensor, b: Tensor, *, rtol: float | None = None, atol: float | None = None,
                 name: str = "A"):
        if not isinstance(A, Tensor) or not A.is_floating_point():
            raise TypeError(f"{name} must be a floating torch.Tensor, got {type(A).__name__}")
        if A.dim() != 2:
            raise ValueError(f"{name} must have shape [k, n], got {tuple(A.shape)}")
        if not isinstance(b, Tensor):
            raise TypeError(f"the right-hand side of {name} must be a torch.Tensor, got {type(b).__name__}")
        if b.shape[-1] != A.shape[0] or b.dim() not in (1, 2):
            raise ValueError(
                f"the right-hand side of {name} must have shape [{A.shape[0]}] or [B, {A.shape[0]}], "
                f"got {tuple(b.shape)}"
            )
        A = A.detach()
        b = b.detach().to(dtype=A.dtype, device=A.device)
        k, n = A.shape
        eps = torch.finfo(A.dtype).eps
        U, S, Vh = torch.linalg.svd(A, full_matrices=True)
        rtol = max(k, n) * eps if rtol is None else rtol
        rank = int((S > rtol * S.max()).sum()) if S.numel() else 0
        self.basis = Vh[rank:].T.contiguous()  # [n, n - rank]
        coef = (b @ U[:, :rank]) / S[:rank]  # [..., rank]
        self.particular = coef @ Vh[:rank]  # [..., n]
        resid = (self.particular @ A.T - b).norm(dim=-1)
        atol = (eps**0.5) * max(1.0, float(b.norm(dim=-1).max())) if atol is None else atol
        if bool((resid > atol).any()):
            raise ValueError(
                f"{name} x = b is inconsistent (least-squares residual {float(resid.max()):.3g} > {atol:.3g})"
            )
        self.A, self.b, self.rank, self.n = A, b, rank, n
        self.dim = n - rank

    def to(self, dtype=None, device=None) -> NullSpace:
        """A copy with ``basis``, ``particular``, ``A`` and ``b`` converted, as ``Tensor.to``: this one is unchanged."""
        out = copy.copy(self)
        for name in ("basis", "particular", "A", "b"):
            setattr(out, name, getattr(self, name).to(dtype=dtype, device=device))
        return out

    def expand(self, u: Tensor) -> Tensor:
        """``u [B, d] -> x [B, n] = x0 + u N^T`` (differentiable)."""
        return self.particular + u @ self.basis.T

    def reduce(self, x: Tensor) -> Tensor:
        """``x [B, n] -> u [B, d] = (x - x0) N`` (orthogonal projection onto the affine set)."""
        return (x - self.particular) @ self.basis


def log_barrier(h: Tensor) -> Tensor:
    """``-sum_i log(-h_i)`` over the last dimension of ``h [B, k]``; ``+inf`` unless all ``h_i < 0``.

    NaN-safe under autograd (the infeasible branch never evaluates ``log`` of a
    non-positive number).
    """
    feasible = h < 0
    safe = torch.where(feasible, h, -torch.ones_like(h))
    val = -torch.log(-safe).sum(dim=-1)
    return torch.where(feasible.all(dim=-1), val, torch.full_like(val, float("inf")))


def with_barrier(fun: Callable, ineq: Callable, t: float) -> Callable:
    """``(x, y, z) -> fun(x, y, z) + log_barrier(ineq(x, y, z)) / t``.

    ``ineq(x, y, z)`` returns constraint values ``[B, k]`` (feasible when all ``< 0``).
    """
    if isinstance(t, bool) or not isinstance(t, (int, float)) or not t > 0:
        raise ValueError(f"barrier t must be a positive number, got {t!r}")

    def wrapped(x, y, z):
        h = ineq(x, y, z)
        if not isinstance(h, Tensor) or h.dim() != 2 or h.shape[0] != x.shape[0]:
            raise ValueError(
                f"inequality constraint functions must return [B, k] tensors, got {getattr(h, 'shape', h)}"
            )
        return fun(x, y, z) + log_barrier(h) / t

    return wrapped


def feasibility_restorer(
    ineq: Callable[[Tensor, Tensor], Tensor],
    *,
    margin: float = 1e-6,
    proximal: float = 1e-8,
    maxiter: int = 100,
) -> Callable[[Tensor, Tensor], Tensor]:
    """A phase-1 map ``restore(x, y) -> y'`` with ``ineq(x, y') < 0`` where possible.

    ``y'`` minimises ``1/2 sum_i max(0, h_i(x, y') + margin)^2 + proximal/2 ||y' - y||^2``
    over ``y'`` (Newton-CG; the proximal term keeps the Hessian positive definite
    and ``y'`` close to ``y``).  Used by the outer solver when a step in ``x``
    moves a lower-level constraint ``h(x, y) < 0`` past the previous inner
    solution: the inner barrier problem is re-solved from ``y'`` instead of
    shrinking the step until the old ``y`` fits.  Members whose ``ineq`` cannot be
    satisfied come back with ``h >= 0`` (the caller's feasibility test rejects them).

    Args:
        ineq: ``(x [B, n], y [B, m]) -> [B, k]``.
    """
    from .optim import (
        newton_cg,  # optim imports this module's siblings, not this function
    )

    def restore(x: Tensor, y: Tensor) -> Tensor:
        y = y.detach()

        def penalty(v):
            viol = torch.relu(ineq(x, v) + margin)
            return 0.5 * (viol**2).sum(-1) + 0.5 * proximal * ((v - y) ** 2).sum(-1)

        out, _ = newton_cg(penalty, y, maxiter=maxiter, check_curvature=False)
        return out.detach()

    return restore

"""Batched forward solvers for continuous bilevel problems (the "Solve_H" of Alg. 1).

* Inner problem ``min_y g(x, y, z)`` for fixed ``x``: :func:`newton_cg` (Newton with
  CG on Hessian-vector products and a per-member Armijo backtracking line search;
  the default) or :func:`gradient_descent` (fixed step).
* Outer problem ``min_x f(x, y*(x), z)``: gradient descent on the Theorem 1
  hypergradient with Barzilai-Borwein steps (``"bb"``, default) or a fixed step
  (``"gd"``): :func:`solve_bilevel`.

Everything is batched over the leading dimension and follows the input's
device/dtype.  None of these solvers is differentiated: gradients come from
:func:`bigrad.implicit.bilevel_solution` (Theorem 2).
"""
from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from typing import Callable, Optional

import torch
from torch import Tensor

from bigrad.krylov import cg

from .bilevel import check_objective, hypergradient

__all__ = [
    "SolveInfo",
    "BilevelSolveInfo",
    "BilevelConvergenceWarning",
    "newton_cg",
    "gradient_descent",
    "solve_bilevel",
    "INNER_SOLVERS",
    "OUTER_SOLVERS",
    "default_opt_tol",
]


class BilevelConvergenceWarning(RuntimeWarning):
    """A forward (inner or outer) solver stopped before reaching its tolerance."""


@dataclass
class SolveInfo:
    """Per-member diagnostics ``[B]`` of a forward solver."""

    iterations: Tensor
    grad_norm: Tensor
    converged: Tensor


@dataclass
class BilevelSolveInfo:
    """Diagnostics of :func:`solve_bilevel`: outer ``SolveInfo`` (hypergradient norms) and the last inner one."""

    outer: SolveInfo
    inner: Optional[SolveInfo]
    hypergradient_cg: list = field(default_factory=list)


def default_opt_tol(dtype: torch.dtype, level: str) -> float:
    """Default gradient-norm tolerance (relative to ``max(1, initial norm)``)."""
    if dtype == torch.float64:
        return 1e-12 if level == "inner" else 1e-10
    return 1e-5 if level == "inner" else 1e-4


def _threshold(gnorm0: Tensor, tol: float) -> Tensor:
    return tol * gnorm0.clamp(min=1.0)


def _value_and_grad(fun, y: Tensor, create_graph: bool):
    yl = y.detach().requires_grad_(True)
    val = check_objective(fun(yl), y.shape[0], "objective")
    (grad,) = torch.autograd.grad(val.sum(), yl, create_graph=create_graph)
    return yl, val, grad


def _dot(a: Tensor, b: Tensor) -> Tensor:
    return (a * b).sum(dim=1)


def newton_cg(
    fun: Callable[[Tensor], Tensor],
    y0: Tensor,
    *,
    tol: Optional[float] = None,
    maxiter: int = 50,
    cg_maxiter: Optional[int] = None,
    max_backtracks: int = 40,
) -> tuple[Tensor, SolveInfo]:
    """Minimise ``fun(y) -> [B]`` over ``y [B, m]`` by inexact Newton-CG with backtracking.

    The Newton system ``H d = -grad`` is solved by CG on Hessian-vector products
    (forcing term ``min(0.5, sqrt(||grad|| / max(1, ||grad_0||)))``); if CG hits
    non-positive curvature the direction falls back to ``-grad``.  The Armijo
    line search is per member and rejects non-finite values, so barrier
    objectives stay strictly feasible.  A member stops at
    ``||grad|| <= tol * max(1, ||grad_0||)``, or when its Newton step is below
    round-off (``||d|| <= 8 eps (1 + ||y||)``: the gradient is then as small as
    the floating-point evaluation of ``fun`` allows; counted as converged).

    Returns:
        ``(y, info)`` with ``y`` detached.
    """
    tol = default_opt_tol(y0.dtype, "inner") if tol is None else tol
    y = y0.detach().clone()
    B = y.shape[0]
    iters = torch.zeros(B, dtype=torch.long, device=y.device)
    thr = None
    eps = torch.finfo(y.dtype).eps
    stalled = torch.zeros(B, dtype=torch.bool, device=y.device)
    for _ in range(maxiter + 1):
        with torch.enable_grad():
            yl, val, grad = _value_and_grad(fun, y, create_graph=True)
            gnorm = grad.detach().norm(dim=1)
            if thr is None:
                thr = _threshold(gnorm, tol)
                gnorm0 = gnorm.clamp(min=1.0)
            active = (gnorm > thr) & torch.isfinite(gnorm) & ~stalled
            if not bool(active.any()) or int(iters.max()) >= maxiter:
                break
            forcing = float(torch.clamp(torch.sqrt(gnorm / gnorm0), max=0.5)[active].max())
            d, _ = cg(
                lambda v: torch.autograd.grad(grad, yl, v, retain_graph=True)[0],
                -grad.detach(),
                tol=forcing,
                maxiter=cg_maxiter,
                on_fail="ignore",
            )
        grad, val = grad.detach(), val.detach()
        slope = _dot(grad, d)
        bad = ~(slope < 0) | ~torch.isfinite(d).all(dim=1)
        d = torch.where(bad[:, None], -grad, d)
        slope = torch.where(bad, -gnorm**2, slope)
        stalled |= active & ~bad & (d.norm(dim=1) <= 8 * eps * (1 + y.norm(dim=1)))
        active &= ~stalled
        y = _backtrack(fun, y, d, val, slope, active, max_backtracks, eps)
        iters += active
    converged = ((gnorm <= thr) | stalled) & torch.isfinite(gnorm)
    return y, SolveInfo(iters, gnorm, converged)


def _backtrack(fun, y, d, val, slope, active, max_backtracks, eps):
    """Per-member Armijo backtracking from step 1; members without acceptable step stay put."""
    step = torch.ones_like(val)
    accepted = ~active
    y_new = y
    # near the optimum the predicted decrease drowns in the round-off of ``fun``:
    # then any finite candidate is accepted (the gradient test decides convergence)
    noise = 64 * eps * (val.abs() + 1)
    with torch.no_grad():
        for _ in range(max_backtracks):
            cand = y + step[:, None] * d
            vnew = fun(cand)
            armijo = (vnew <= val + 1e-4 * step * slope) | (-slope * step <= noise)
            ok = torch.isfinite(vnew) & armijo & ~accepted
            y_new = torch.where(ok[:, None], cand, y_new)
            accepted |= ok
            if bool(accepted.all()):
                break
            step = torch.where(accepted, step, 0.5 * step)
    return y_new.detach()


def gradient_descent(
    fun: Callable[[Tensor], Tensor],
    y0: Tensor,
    *,
    lr: float = 0.1,
    tol: Optional[float] = None,
    maxiter: int = 1000,
) -> tuple[Tensor, SolveInfo]:
    """Minimise ``fun(y) -> [B]`` by fixed-step gradient descent ``y <- y - lr * grad``."""
    if isinstance(lr, bool) or not isinstance(lr, (int, float)) or not lr > 0:
        raise ValueError(f"lr must be a positive number, got {lr!r}")
    tol = default_opt_tol(y0.dtype, "inner") if tol is None else tol
    y = y0.detach().clone()
    iters = torch.zeros(y.shape[0], dtype=torch.long, device=y.device)
    thr = None
    for k in range(maxiter + 1):
        with torch.enable_grad():
            _, _, grad = _value_and_grad(fun, y, create_graph=False)
        gnorm = grad.norm(dim=1)
        thr = _threshold(gnorm, tol) if thr is None else thr
        active = (gnorm > thr) & torch.isfinite(gnorm)
        if not bool(active.any()) or k == maxiter:
            break
        y = torch.where(active[:, None], y - lr * grad, y).detach()
        iters += active
    return y, SolveInfo(iters, gnorm, ~active)


INNER_SOLVERS = {"newton": newton_cg, "gd": gradient_descent}
OUTER_SOLVERS = ("bb", "gd")


def _call_inner(inner, fun, y0, options):
    out = inner(fun, y0, **options)
    if isinstance(out, tuple):
        return out[0].detach(), (out[1] if isinstance(out[1], SolveInfo) else None)
    return out.detach(), None


def resolve_inner(inner, name: str = "inner_solver"):
    """``"newton"`` / ``"gd"`` / callable ``(fun, y0, **options) -> y or (y, info)``."""
    if isinstance(inner, str):
        if inner not in INNER_SOLVERS:
            raise ValueError(f"{name} must be one of {sorted(INNER_SOLVERS)} or a callable, got {inner!r}")
        return INNER_SOLVERS[inner]
    if callable(inner):
        return inner
    raise TypeError(f"{name} must be a string or a callable, got {type(inner).__name__}")


def solve_bilevel(
    f: Callable,
    g: Callable,
    z,
    x0: Tensor,
    y0: Tensor,
    *,
    inner="newton",
    inner_options: Optional[dict] = None,
    outer: str = "bb",
    lr: float = 1.0,
    tol: Optional[float] = None,
    maxiter: int = 500,
    hypergradient_options: Optional[dict] = None,
    q_zero: bool = False,
    on_fail: str = "warn",
) -> tuple[Tensor, Tensor, BilevelSolveInfo]:
    """Solve ``min_x f(x, y, z), y in argmin_y g(x, y, z)`` for a batch (alternating scheme).

    Each outer iteration re-solves the inner problem (warm start), computes the
    Theorem 1 hypergradient ``F`` with CG, and takes a step ``x <- x - a F``:
    ``a`` is Barzilai-Borwein ``s^T s / s^T r`` (``outer="bb"``, first step
    ``lr``; falls back to the previous step when ``s^T r <= 0``) or the constant
    ``lr`` (``outer="gd"``).  Steps are halved while ``f`` or ``g`` would be
    non-finite at the current ``y`` (keeps barrier iterates strictly feasible).
    Stops when ``||F|| <= tol * max(1, ||F_0||)`` for every member.

    Args:
        f, g: ``(x [B, n], y [B, m], z) -> [B]``.
        z: input (tensor or None), not differentiated here.
        x0, y0: starting points ``[B, n]``, ``[B, m]`` (strictly feasible for barriers).
        inner: ``"newton"`` (default), ``"gd"`` or callable ``(fun, y0, **inner_options)``.
        hypergradient_options: ``tol``/``maxiter`` of the CG in Theorem 1.
        q_zero: min-max shortcut (``F = grad_x f``).
        on_fail: ``"warn"``, ``"raise"`` or ``"ignore"`` when the outer loop does not converge.

    Returns:
        ``(x, y, info)`` detached.
    """
    if outer not in OUTER_SOLVERS:
        raise ValueError(f"outer must be one of {OUTER_SOLVERS}, got {outer!r}")
    if isinstance(lr, bool) or not isinstance(lr, (int, float)) or not lr > 0:
        raise ValueError(f"lr must be a positive number, got {lr!r}")
    if on_fail not in ("warn", "raise", "ignore"):
        raise ValueError(f"on_fail must be 'warn', 'raise' or 'ignore', got {on_fail!r}")
    inner_fn = resolve_inner(inner)
    inner_options = dict(inner_options or {})
    hg_options = {"on_fail": "ignore", **(hypergradient_options or {})}
    tol = default_opt_tol(x0.dtype, "outer") if tol is None else tol
    B = x0.shape[0]

    def solve_inner(x, y):
        return _call_inner(inner_fn, lambda yy: g(x, yy, z), y, inner_options)

    def hyper(x, y):
        F, _, info = hypergradient(f, g, x, y, z, q_zero=q_zero, **hg_options)
        return F, info

    x = x0.detach().clone()
    y, inner_info = solve_inner(x, y0.detach())
    F, cg_info = hyper(x, y)
    cg_infos = [cg_info]
    Fn = F.norm(dim=1)
    thr = _threshold(Fn, tol)
    alpha = torch.full((B,), float(lr), dtype=x.dtype, device=x.device)
    iters = torch.zeros(B, dtype=torch.long, device=x.device)
    for _ in range(maxiter):
        active = (Fn > thr) & torch.isfinite(Fn)
        if not bool(active.any()):
            break
        step = torch.where(active, alpha, torch.zeros_like(alpha))
        x_new = _feasible_step(f, g, z, x, y, F, step)
        y_new, inner_info = solve_inner(x_new, y)
        F_new, cg_info = hyper(x_new, y_new)
        cg_infos = cg_infos[-1:] + [cg_info]
        if outer == "bb":
            s, r = x_new - x, F_new - F
            sr, ss = _dot(s, r), _dot(s, s)
            bb = torch.where(sr > 0, ss / torch.where(sr > 0, sr, torch.ones_like(sr)), alpha)
            alpha = torch.where(active, bb.clamp(1e-12, 1e12), alpha)
        x, y, F = x_new, y_new, F_new
        Fn = F.norm(dim=1)
        iters += active
    converged = (Fn <= thr) & torch.isfinite(Fn)
    info = BilevelSolveInfo(SolveInfo(iters, Fn, converged), inner_info, cg_infos)
    _report(info, on_fail)
    return x, y, info


def _feasible_step(f, g, z, x, y, F, step, max_halvings: int = 60):
    """``x - step * F`` with per-member halving until ``f`` and ``g`` are finite at ``(x_new, y)``."""
    with torch.no_grad():
        for _ in range(max_halvings):
            x_new = x - step[:, None] * F
            ok = torch.isfinite(f(x_new, y, z)) & torch.isfinite(g(x_new, y, z))
            if bool(ok.all()):
                return x_new
            step = torch.where(ok, step, 0.5 * step)
        return torch.where(ok[:, None], x_new, x)


def _report(info: BilevelSolveInfo, on_fail: str):
    parts = []
    if not bool(info.outer.converged.all()):
        parts.append(
            f"outer: {int((~info.outer.converged).sum())} member(s) not converged "
            f"(max ||F|| = {float(info.outer.grad_norm.max()):.3g})"
        )
    if info.inner is not None and not bool(info.inner.converged.all()):
        parts.append(
            f"inner: {int((~info.inner.converged).sum())} member(s) not converged "
            f"(max ||grad_y g|| = {float(info.inner.grad_norm.max()):.3g})"
        )
    if parts and on_fail != "ignore":
        msg = "solve_bilevel: " + "; ".join(parts)
        if on_fail == "raise":
            raise RuntimeError(msg)
        warnings.warn(msg, BilevelConvergenceWarning, stacklevel=3)

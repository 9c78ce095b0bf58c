"""Batched forward solvers for continuous bilevel problems (the "Solve_H" of Alg. 1).

* Inner problem ``min_y g(x, y, z)`` for fixed ``x``: :func:`newton_cg` (Newton with
  CG on Hessian-vector products and a per-member Armijo backtracking line search;
  the default) or :func:`gradient_descent` (fixed step).
* Outer problem ``min_x f(x, y*(x), z)`` (the *reduced* problem): L-BFGS on the
  Theorem 1 hypergradient with a backtracking line search on the reduced
  objective (``"lbfgs"``, default), Barzilai-Borwein steps (``"bb"``) or a fixed
  step (``"gd"``): :func:`solve_bilevel`.  Every trial point ``x`` is judged
  after re-solving the inner problem there, so upper-level constraints that
  depend on ``y`` are kept at ``(x, y*(x))`` (true reduced feasibility).

Everything is batched over the leading dimension and follows the input's
device/dtype.  None of these solvers is differentiated: gradients come from
:func:`bigrad.implicit.bilevel_solution` (Theorem 2).
"""
from __future__ import annotations

import contextlib
import contextvars
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field

import torch
from torch import Tensor

from bigrad.krylov import cg

from .bilevel import check_objective, hypergradient
from .options import OUTER_SOLVERS, BilevelOptions, check_inner, check_on_fail, merge_deprecated

__all__ = [
    "INNER_SOLVERS",
    "OUTER_SOLVERS",
    "BilevelConvergenceWarning",
    "BilevelSolveInfo",
    "SolveInfo",
    "default_opt_tol",
    "gradient_descent",
    "min_curvature",
    "newton_cg",
    "solve_bilevel",
]


#: ``time.perf_counter()`` value after which the forward solvers stop early (None: no limit); set by
#: :func:`deadline_scope` (``BilevelLayer(time_limit=...)``) and read by :func:`newton_cg` and :func:`solve_bilevel`
_DEADLINE: contextvars.ContextVar = contextvars.ContextVar("bigrad_deadline", default=None)


@contextlib.contextmanager
def deadline_scope(deadline: float | None):
    """Within the block, :func:`newton_cg` and :func:`solve_bilevel` stop once ``time.perf_counter() > deadline``."""
    token = _DEADLINE.set(deadline)
    try:
        yield
    finally:
        _DEADLINE.reset(token)


def current_deadline() -> float | None:
    """The deadline of the innermost :func:`deadline_scope` (None outside any)."""
    return _DEADLINE.get()


def _past_deadline(deadline: float | None = None) -> bool:
    d = _DEADLINE.get() if deadline is None else deadline
    return d is not None and time.perf_counter() > d


class BilevelConvergenceWarning(RuntimeWarning):
    """A forward (inner or outer) solver stopped before reaching its tolerance."""


@dataclass
class SolveInfo:
    """Per-member diagnostics ``[B]`` of a forward solver.

    ``curvature`` (inner solvers only, when checked) is a Lanczos estimate of the
    smallest eigenvalue of ``grad2_yy g`` at the returned point; a member whose
    estimate is ``<= 0`` is not counted as converged (``g`` is not strongly
    convex there: the point may be a maximum or a saddle).
    """

    iterations: Tensor
    grad_norm: Tensor
    converged: Tensor
    curvature: Tensor | None = None


@dataclass
class BilevelSolveInfo:
    """Diagnostics of :func:`solve_bilevel`: outer ``SolveInfo`` (hypergradient norms) and the last inner one."""

    outer: SolveInfo
    inner: SolveInfo | None
    hypergradient_cg: list = field(default_factory=list)

    @property
    def converged(self) -> Tensor:
        """``[B]``: the outer loop and the final inner solve both converged."""
        if self.inner is None:
            return self.outer.converged
        return self.outer.converged & self.inner.converged

    @property
    def iterations(self) -> Tensor:
        """``[B]`` outer iterations."""
        return self.outer.iterations


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
    tol: float | None = None,
    maxiter: int = 50,
    cg_maxiter: int | None = None,
    max_backtracks: int = 40,
    check_curvature: bool = True,
) -> tuple[Tensor, SolveInfo]:
    """Minimise ``fun(y) -> [B]`` over ``y [B, m]`` by inexact Newton-CG with backtracking.

    The Newton system ``H d = -grad`` is solved by CG on Hessian-vector products
    (forcing term ``min(0.5, sqrt(||grad|| / max(1, ||grad_0||)))``); if CG hits
    non-positive curvature the direction falls back to ``-grad``.  The Armijo
    line search is per member and rejects non-finite values, so barrier
    objectives stay strictly feasible.  A member stops at
    ``||grad|| <= tol * max(1, ||grad_0||)``, or when its Newton step is below
    round-off (``||d|| <= 8 eps (1 + ||y||)``: the gradient is then as small as
    the floating-point evaluation of ``fun`` allows; counted as converged).  A
    member whose ``fun(y0)`` is not finite is returned unchanged, not converged.
    With ``check_curvature`` the Hessian at the result is probed by
    :func:`min_curvature`; a stationary point without positive curvature (a
    maximum or saddle, e.g. a concave ``fun`` started at its critical point) is
    reported as not converged.

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
    outside: Tensor | None = None
    for _ in range(maxiter + 1):
        with torch.enable_grad():
            yl, val, grad = _value_and_grad(fun, y, create_graph=True)
            gnorm = grad.detach().norm(dim=1)
            if thr is None:
                thr = _threshold(gnorm, tol)
                gnorm0 = gnorm.clamp(min=1.0)
            if outside is None:  # a start outside the domain of fun (e.g. a barrier) cannot be repaired here
                outside = ~torch.isfinite(val.detach())
            active = (gnorm > thr) & torch.isfinite(gnorm) & ~stalled & ~outside
            if not bool(active.any()) or int(iters.max()) >= maxiter or _past_deadline():
                break
            forcing = float(torch.clamp(torch.sqrt(gnorm / gnorm0), max=0.5)[active].max())
            d = _dense_newton(grad, yl) if yl.shape[1] <= _DENSE_MAX and cg_maxiter is None else None
            if d is None:
                d, _ = cg(
                    lambda v: torch.autograd.grad(grad, yl, v, retain_graph=True)[0],  # noqa: B023 - used at once
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
    assert outside is not None  # set by the loop's first pass, which always runs
    converged = ((gnorm <= thr) | stalled) & torch.isfinite(gnorm) & ~outside
    curvature = None
    if check_curvature:
        curvature = min_curvature(fun, y)
        converged &= curvature > 0
    return y, SolveInfo(iters, gnorm, converged, curvature)


#: inner problems with at most this many variables get exact Newton steps from the dense Hessian
_DENSE_MAX = 16


def _dense_newton(grad: Tensor, yl: Tensor) -> Tensor | None:
    """``-H^{-1} grad`` per member from the dense Hessian ``[B, m, m]`` (``m`` batched HVPs in one call).

    Members whose Hessian is not positive definite get NaN (the caller falls back to ``-grad``);
    None when the batched backward is not available for ``grad``'s graph.
    """
    B, m = yl.shape
    eye = torch.eye(m, dtype=yl.dtype, device=yl.device)[:, None, :].expand(m, B, m)
    try:
        (H,) = torch.autograd.grad(grad, yl, eye, retain_graph=True, is_grads_batched=True)
    except RuntimeError:
        return None
    H = H.permute(1, 0, 2)
    H = 0.5 * (H + H.transpose(1, 2))
    L, info = torch.linalg.cholesky_ex(H)
    d = torch.cholesky_solve(-grad.detach()[:, :, None], L)[:, :, 0]
    return torch.where((info == 0)[:, None], d, torch.full_like(d, float("nan")))


def min_curvature(fun: Callable[[Tensor], Tensor], y: Tensor, steps: int = 20) -> Tensor:
    """Lanczos estimate ``[B]`` of the smallest eigenvalue of ``grad2 fun`` at ``y [B, m]``.

    ``k = min(m, steps)`` Hessian-vector products build an orthonormal Krylov basis
    ``V`` (fully re-orthogonalised; a breakdown continues with a fresh random
    direction), and the result is the smallest eigenvalue of ``V^T H V``.  It is
    never below the true smallest eigenvalue and equals it when ``k = m``; a
    member with ``<= 0`` has a direction of non-positive curvature.  Deterministic
    (fixed seed); non-finite Hessians give ``nan``.
    """
    B, m = y.shape
    k = min(m, steps)
    gen = torch.Generator(device=y.device).manual_seed(0)
    with torch.enable_grad():
        yl, _, grad = _value_and_grad(fun, y, create_graph=True)
        if not grad.requires_grad:  # fun is linear in y: zero Hessian
            return torch.zeros(B, dtype=y.dtype, device=y.device)
        basis: list[Tensor] = []
        images: list[Tensor] = []
        v = torch.randn(B, m, generator=gen, dtype=y.dtype, device=y.device)
        for j in range(k):
            if basis:
                V = torch.stack(basis, dim=1)
                for _ in range(2):
                    v = v - (V.transpose(1, 2) @ (V @ v[:, :, None]))[:, :, 0]
            nrm = v.norm(dim=1, keepdim=True)
            fresh = torch.randn(B, m, generator=gen, dtype=y.dtype, device=y.device)
            if basis:
                for _ in range(2):
                    fresh = fresh - (V.transpose(1, 2) @ (V @ fresh[:, :, None]))[:, :, 0]
            broke = ~(nrm > 1e-8 * (1 + nrm.max()))
            v = torch.where(broke, fresh, v)
            v = v / v.norm(dim=1, keepdim=True).clamp(min=torch.finfo(y.dtype).tiny)
            hv = torch.autograd.grad(grad, yl, v, retain_graph=j < k - 1, allow_unused=True,
                                     materialize_grads=True)[0].detach()
            basis.append(v)
            images.append(hv)
            v = hv.clone()
    V, HV = torch.stack(basis, dim=1), torch.stack(images, dim=1)  # [B, k, m]
    T = V @ HV.transpose(1, 2)
    T = 0.5 * (T + T.transpose(1, 2))
    if not bool(torch.isfinite(T).all()):
        out = torch.full((B,), float("nan"), dtype=y.dtype, device=y.device)
        ok = torch.isfinite(T).flatten(1).all(dim=1)
        if bool(ok.any()):
            out[ok] = torch.linalg.eigvalsh(T[ok])[:, 0]
        return out
    return torch.linalg.eigvalsh(T)[:, 0]


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
    tol: float | None = None,
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

#: the former keywords of :func:`solve_bilevel` -> their :class:`BilevelOptions` fields
SOLVE_BILEVEL_NAMES = {
    "inner": "inner_solver", "inner_options": "inner_options", "outer": "outer_solver", "lr": "outer_lr",
    "tol": "tol", "maxiter": "maxiter", "hypergradient_options": "hypergradient_options", "memory": "memory",
    "max_backtracks": "max_backtracks",
}


def _call_inner(inner, fun, y0, options):
    out = inner(fun, y0, **options)
    if isinstance(out, tuple):
        return out[0].detach(), (out[1] if isinstance(out[1], SolveInfo) else None)
    return out.detach(), None


def resolve_inner(inner, name: str = "inner_solver"):
    """``"newton"`` / ``"gd"`` / callable ``(fun, y0, **options) -> y or (y, info)``."""
    check_inner(inner, name)
    return INNER_SOLVERS[inner] if isinstance(inner, str) else inner


# stop (converged) when ``phi`` decreased by less than _FTOL (1 + |phi|) over the last _FTOL_WINDOW iterations:
# the minimum of the reduced problem may lie where the follower's feasible set collapses (no barrier there)
_FTOL, _FTOL_WINDOW = 1e-12, 3


class _LBFGS:
    """Batched limited-memory BFGS inverse-Hessian products (two-loop recursion, per-member masks)."""

    def __init__(self, memory: int):
        self.memory = memory
        self.pairs: list = []  # (s, r, rho, valid)
        self.gamma: Tensor | None = None

    def reset(self, mask: Tensor):
        """Forget the history of the members in ``mask``."""
        self.pairs = [(s, r, rho, v & ~mask) for s, r, rho, v in self.pairs]
        if self.gamma is not None:
            self.gamma = torch.where(mask, torch.full_like(self.gamma, float("nan")), self.gamma)

    def update(self, s: Tensor, r: Tensor, mask: Tensor):
        sr, rr = _dot(s, r), _dot(r, r)
        valid = mask & (sr > 1e-10 * s.norm(dim=1) * r.norm(dim=1)) & torch.isfinite(sr)
        rho = torch.where(valid, 1.0 / torch.where(valid, sr, torch.ones_like(sr)), torch.zeros_like(sr))
        gamma = torch.where(valid, sr / torch.where(valid, rr, torch.ones_like(rr)), torch.full_like(sr, float("nan")))
        self.gamma = gamma if self.gamma is None else torch.where(valid, gamma, self.gamma)
        self.pairs = (self.pairs + [(s, r, rho, valid)])[-self.memory:]

    def direction(self, F: Tensor, first_scale: Tensor) -> Tensor:
        q = F.clone()
        alphas = []
        for s, r, rho, valid in reversed(self.pairs):
            a = torch.where(valid, rho * _dot(s, q), torch.zeros_like(rho))
            q = q - a[:, None] * r
            alphas.append(a)
        gamma = first_scale if self.gamma is None else torch.where(torch.isnan(self.gamma), first_scale, self.gamma)
        d = gamma[:, None] * q
        for (s, r, rho, valid), a in zip(self.pairs, reversed(alphas)):
            b = torch.where(valid, rho * _dot(r, d), torch.zeros_like(rho))
            d = d + (a - b)[:, None] * s
        return -d


def solve_bilevel(
    f: Callable,
    g: Callable,
    z,
    x0: Tensor,
    y0: Tensor,
    *,
    options: BilevelOptions | None = None,
    q_zero: bool = False,
    on_fail: str = "warn",
    restore: Callable | None = None,
    deadline: float | None = None,
    **deprecated,
) -> tuple[Tensor, Tensor, BilevelSolveInfo]:
    """Solve ``min_x f(x, y, z), y in argmin_y g(x, y, z)`` for a batch (reduced-problem method).

    The outer loop works on the reduced objective ``phi(x) = f(x, y*(x), z)``, whose
    gradient is the Theorem 1 hypergradient ``F``.  Each iteration takes a
    direction ``d`` (L-BFGS two-loop recursion for ``outer_solver="lbfgs"``, the default;
    ``-a F`` with Barzilai-Borwein ``a`` for ``"bb"``; ``-outer_lr F`` for ``"gd"``) and
    backtracks on the step ``s``: a trial ``x + s d`` is judged *after* the inner
    problem is re-solved there, i.e. by ``phi`` itself.  A trial is rejected when
    ``f`` or ``g`` is not finite at ``(x + s d, y*(x + s d))`` (barrier objectives:
    an upper- or lower-level constraint is violated) and, for ``"lbfgs"``, when
    the Armijo decrease fails.  When the old ``y`` is outside the inner domain at
    the trial ``x`` (a lower-level constraint that depends on ``x``), the inner
    solve restarts from ``restore(x, y)`` instead of shrinking the step until the
    old ``y`` fits.  All iterates are therefore feasible for coupled constraints
    ``G(x, y*(x)) < 0``.

    A member stops when ``||F|| <= tol * max(1, ||F_0||)``, or when an accepted step
    is below round-off (``||dx|| <= 16 eps (1 + ||x||)``), or (``"lbfgs"``) when
    ``phi`` fell by less than ``1e-12 (1 + |phi|)`` over three iterations (all count as converged:
    the last one covers minima on the edge of the reduced domain, where the
    follower's feasible set collapses and ``F`` does not vanish), or when no step
    along ``d`` is acceptable (not converged).  The
    Armijo test allows an increase of ``phi`` up to its round-off
    (``64 eps (1 + |phi|)``), so the gradient test decides near the solution.

    Args:
        f, g: ``(x [B, n], y [B, m], z) -> [B]``.
        z: input (tensor or None), not differentiated here.
        x0, y0: starting points ``[B, n]``, ``[B, m]``; ``(x0, y*(x0))`` must be
            strictly feasible (``f``, ``g`` finite) -- ValueError otherwise.
        options: :class:`~bigrad.implicit.BilevelOptions`; this function reads
            ``outer_solver``, ``outer_lr``, ``tol`` (default 1e-10 in float64, 1e-4
            otherwise), ``maxiter``, ``memory`` (L-BFGS history), ``max_backtracks``
            (step halvings per iteration), ``inner_solver``, ``inner_options`` and
            ``hypergradient_options`` (None: all defaults).
        q_zero: min-max shortcut (``F = grad_x f``).
        on_fail: ``"warn"``, ``"raise"`` or ``"ignore"`` when the outer loop does not converge.
        restore: ``restore(x, y) -> y'`` giving a start inside the inner domain at
            ``x`` (used only for members where ``g(x, y)`` is not finite).
        deadline: ``time.perf_counter()`` value after which the outer loop stops
            (checked once per iteration; the members are then not converged).
        **deprecated: the former keywords ``inner``, ``inner_options``, ``outer``, ``lr``,
            ``tol``, ``maxiter``, ``hypergradient_options``, ``memory`` and ``max_backtracks``
            (:data:`SOLVE_BILEVEL_NAMES` gives their fields); they override ``options``,
            with a DeprecationWarning.

    Returns:
        ``(x [B, n], y [B, m], info)`` detached.
    """
    options = merge_deprecated(options, deprecated, SOLVE_BILEVEL_NAMES, "solve_bilevel")
    check_on_fail(on_fail)
    outer, lr, tol, maxiter = options.outer_solver, options.outer_lr, options.tol, options.maxiter
    memory, max_backtracks = options.memory, options.max_backtracks
    inner_fn = resolve_inner(options.inner_solver)
    inner_options = dict(options.inner_options)
    if inner_fn is newton_cg:
        inner_options.setdefault("check_curvature", False)  # checked once, at the end
    tol = default_opt_tol(x0.dtype, "outer") if tol is None else tol
    B = x0.shape[0]
    eps = torch.finfo(x0.dtype).eps
    problem = _Reduced(f, g, z, inner_fn, inner_options, restore,
                       {"on_fail": "ignore", **options.hypergradient_options}, q_zero)

    x = x0.detach().clone()
    y, phi, feasible, inner_info = problem.solve(x, y0.detach())
    if not bool(feasible.all()):
        bad = (~feasible).nonzero().flatten().tolist()
        raise ValueError(
            f"x0 is not strictly feasible for member(s) {bad[:10]}: f or g is not finite at (x0, y*(x0)) "
            "(with inequality constraints, every upper- and lower-level constraint must be < 0 there)"
        )
    F, cg_info = problem.hyper(x, y)
    cg_infos = [cg_info]
    Fn = F.norm(dim=1)
    thr = _threshold(Fn, tol)
    alpha = torch.full((B,), float(lr), dtype=x.dtype, device=x.device)
    lbfgs = _LBFGS(memory)
    iters = torch.zeros(B, dtype=torch.long, device=x.device)
    at_precision = torch.zeros(B, dtype=torch.bool, device=x.device)
    stuck = torch.zeros(B, dtype=torch.bool, device=x.device)
    history = [phi]
    for _ in range(maxiter):
        active = (Fn > thr) & torch.isfinite(Fn) & ~at_precision & ~stuck
        if not bool(active.any()) or _past_deadline(deadline):
            break
        d, slope = _direction(outer, lbfgs, alpha, F, Fn, lr, active)
        dy = _inner_sensitivity(g, x, y, z, d, inner_fn is newton_cg)
        x_new, y_new, phi_new, accepted, info_c = _line_search(
            problem, outer == "lbfgs", x, y, phi, d, dy, slope, active, 64 * eps * (phi.abs() + 1), max_backtracks)
        if info_c is not None:
            inner_info = info_c
        moved = active & accepted
        stuck |= active & ~accepted
        if not bool(moved.any()):
            break
        F_new, cg_info = problem.hyper(x_new, y_new)
        cg_infos = cg_infos[-1:] + [cg_info]
        s, r = x_new - x, F_new - F
        alpha = _update_memory(outer, lbfgs, alpha, s, r, moved)
        at_precision |= moved & (s.norm(dim=1) <= 16 * eps * (1 + x.norm(dim=1)))
        history.append(phi_new)
        if len(history) > _FTOL_WINDOW:
            old = history.pop(0)
            if outer == "lbfgs":  # fixed-step methods converge linearly: their small decreases are not a stall
                at_precision |= moved & (old - phi_new <= _FTOL * (1 + phi_new.abs()))
        x, y, phi = x_new, y_new, phi_new
        F = torch.where(moved[:, None], F_new, F)
        Fn = F.norm(dim=1)
        iters += moved
    converged = ((Fn <= thr) | at_precision) & torch.isfinite(Fn)
    if inner_fn is newton_cg and inner_info is not None:
        curvature = min_curvature(lambda yy: g(x, yy, z), y)
        inner_info = SolveInfo(inner_info.iterations, inner_info.grad_norm,
                               inner_info.converged & (curvature > 0), curvature)
    info = BilevelSolveInfo(SolveInfo(iters, Fn, converged), inner_info, cg_infos)
    _report(info, on_fail)
    return x, y, info


class _Reduced:
    """The reduced problem ``phi(x) = f(x, y*(x), z)`` of :func:`solve_bilevel`: inner solves and hypergradients."""

    def __init__(self, f, g, z, inner_fn, inner_options: dict, restore, hg_options: dict, q_zero: bool) -> None:
        self.f, self.g, self.z = f, g, z
        self.inner_fn, self.inner_options, self.restore = inner_fn, inner_options, restore
        self.hg_options, self.q_zero = hg_options, q_zero

    def solve(self, x: Tensor, y_start: Tensor, y_pred: Tensor | None = None):
        """Inner solve at ``x`` (predicted / restored start where needed) -> ``(y, phi, feasible, info)``."""
        g, z = self.g, self.z
        y_init = y_start
        if y_pred is not None:
            with torch.no_grad():
                use = torch.isfinite(g(x, y_pred, z))
            y_init = torch.where(use[:, None], y_pred, y_start)
        if self.restore is not None:
            with torch.no_grad():
                inside = torch.isfinite(g(x, y_start, z))
            if not bool(inside.all()):
                y_init = torch.where(inside[:, None], y_start, self.restore(x, y_start).detach())
        with torch.no_grad():
            start_ok = torch.isfinite(g(x, y_init, z))
        if not bool(start_ok.any()):  # no start inside the inner domain (e.g. an empty inner feasible set)
            return y_init, torch.full_like(start_ok, float("inf"), dtype=x.dtype), start_ok, None
        y, info = _call_inner(self.inner_fn, lambda yy: g(x, yy, z), y_init, self.inner_options)
        with torch.no_grad():
            phi = check_objective(self.f(x, y, z), x.shape[0], "f")
            feasible = torch.isfinite(phi) & torch.isfinite(g(x, y, z)) & torch.isfinite(y).all(dim=1)
        return y, phi, feasible, info

    def hyper(self, x: Tensor, y: Tensor):
        F, _, info = hypergradient(self.f, self.g, x, y, self.z, q_zero=self.q_zero, **self.hg_options)
        return F, info


def _direction(outer: str, lbfgs: _LBFGS, alpha: Tensor, F: Tensor, Fn: Tensor, lr: float, active: Tensor):
    """The search direction ``d [B, n]`` of each member and its slope ``F . d``; steepest descent where the
    method's direction is not one of descent."""
    if outer == "lbfgs":
        d = lbfgs.direction(F, lr / Fn.clamp(min=1.0))
    elif outer == "bb":
        d = -alpha[:, None] * F
    else:
        d = -lr * F
    slope = _dot(F, d)
    bad = ~(slope < 0) | ~torch.isfinite(d).all(dim=1)
    if bool((bad & active).any()):  # not a descent direction: restart from steepest descent
        lbfgs.reset(bad)
        d = torch.where(bad[:, None], -F * (lr / Fn.clamp(min=1.0))[:, None], d)
        slope = _dot(F, d)
    return d, slope


def _line_search(problem: _Reduced, armijo: bool, x, y, phi, d, dy, slope, active, noise, max_backtracks: int):
    """Backtracking on ``x + s d``, each trial judged after the inner solve there (feasible, and with
    ``armijo`` a sufficient decrease of ``phi``). Returns ``(x, y, phi, accepted, inner info or None)``."""
    step = torch.ones_like(phi)
    accepted = ~active
    x_new, y_new, phi_new = x, y, phi
    inner_info = None
    for _ in range(max_backtracks):
        cand = torch.where(accepted[:, None], x, x + step[:, None] * d)
        y_c, phi_c, feas_c, info_c = problem.solve(cand, y, None if dy is None else y + step[:, None] * dy)
        ok = feas_c & ~accepted
        if armijo:
            ok &= phi_c <= phi + 1e-4 * step * slope + noise
        x_new = torch.where(ok[:, None], cand, x_new)
        y_new = torch.where(ok[:, None], y_c, y_new)
        phi_new = torch.where(ok, phi_c, phi_new)
        if bool(ok.any()) and info_c is not None:
            inner_info = info_c
        accepted |= ok
        if bool(accepted.all()):
            break
        step = torch.where(accepted, step, 0.5 * step)
    return x_new, y_new, phi_new, accepted, inner_info


def _update_memory(outer: str, lbfgs: _LBFGS, alpha: Tensor, s: Tensor, r: Tensor, moved: Tensor) -> Tensor:
    """The L-BFGS pairs, or the Barzilai-Borwein step ``alpha``, after a step ``s`` with gradient change ``r``."""
    if outer == "lbfgs":
        lbfgs.update(s, r, moved)
    elif outer == "bb":
        sr, ss = _dot(s, r), _dot(s, s)
        bb = torch.where(sr > 0, ss / torch.where(sr > 0, sr, torch.ones_like(sr)), alpha)
        alpha = torch.where(moved, bb.clamp(1e-12, 1e12), alpha)
    return alpha


def _inner_sensitivity(g, x, y, z, d, enabled: bool) -> Tensor | None:
    """First-order predictor ``dy = (dy*/dx) d = -H^{-1} (d grad_y g / dx) d`` (``H = grad2_yy g``), or None.

    Warm-starting the inner solve at ``x + s d`` from ``y + s dy`` instead of ``y``
    keeps Newton in its fast local regime on barrier problems with large ``t``.
    """
    if not enabled:
        return None
    with torch.enable_grad():
        xl, yl = x.detach().requires_grad_(True), y.detach().requires_grad_(True)
        val = g(xl, yl, z)
        if not bool(torch.isfinite(val).all()):
            return None
        (gy,) = torch.autograd.grad(val.sum(), yl, create_graph=True)
        if not gy.requires_grad:
            return None
        u = torch.zeros_like(gy, requires_grad=True)
        (v,) = torch.autograd.grad(gy, xl, u, create_graph=True, allow_unused=True, materialize_grads=True)
        if not v.requires_grad:  # grad_y g does not depend on x
            return None
        (jd,) = torch.autograd.grad(v, u, d.detach(), allow_unused=True, materialize_grads=True)

        def hvp(w):
            return torch.autograd.grad(gy, yl, w, retain_graph=True, allow_unused=True, materialize_grads=True)[0]

        dy, _ = cg(hvp, -jd.detach(), on_fail="ignore")
    dy = dy.detach()
    return torch.where(torch.isfinite(dy), dy, torch.zeros_like(dy))


def _report(info: BilevelSolveInfo, on_fail: str):
    parts = []
    if not bool(info.outer.converged.all()):
        parts.append(
            f"outer: {int((~info.outer.converged).sum())} member(s) not converged "
            f"(max ||F|| = {float(info.outer.grad_norm.max()):.3g})"
        )
    inner = info.inner
    if inner is not None and not bool(inner.converged.all()):
        parts.append(
            f"inner: {int((~inner.converged).sum())} member(s) not converged "
            f"(max ||grad_y g|| = {float(inner.grad_norm.max()):.3g})"
        )
        if inner.curvature is not None and not bool((inner.curvature > 0).all()):
            parts.append(
                f"grad2_yy g is not positive definite at the returned y (smallest curvature estimate "
                f"{float(inner.curvature.nan_to_num(nan=-float('inf')).min()):.3g}): g must be strongly convex "
                "in y, the inner 'solution' may be a maximum or a saddle point"
            )
    if parts and on_fail != "ignore":
        msg = "solve_bilevel: " + "; ".join(parts)
        if on_fail == "raise":
            raise RuntimeError(msg)
        warnings.warn(msg, BilevelConvergenceWarning, stacklevel=3)

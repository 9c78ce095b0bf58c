"""Matrix-free implicit differentiation of continuous bilevel problems (BiGrad Thm 1 and Thm 2).

Problem (Eq. 1 of the paper), batched over a leading dimension ``B``::

    min_x f(x, y, z)     s.t.   y in argmin_y g(x, y, z)

with ``x: [B, n]``, ``y: [B, m]``, ``z`` a tensor ``[B, ...]`` (or None) and
``f, g`` returning per-sample values ``[B]``.  Samples must be independent
(``f(x, y, z)[b]`` depends on row ``b`` only); module parameters used inside
``f``/``g`` are shared across the batch.

Theorem 1: the solution satisfies ``F = 0, G = 0`` with ``G = grad_y g`` and the
hypergradient ``F = grad_x f - grad2_xy g q``, ``q = (grad2_yy g)^{-1} grad_y f``.

Theorem 2: ``d_z L = grad_z L + [F_z; G_z]^T w`` with the adjoint ``J^T w = -[grad_x L; grad_y L]``,
``J = d(F, G) / d(x, y)``.

Implementation.  Introduce ``Phi(x, y, q, z) = f - <grad_y g, q>``.  Then
``grad_x Phi = F`` (at ``q = q*``), ``grad_y Phi = grad_y f - H q`` (zero defines
``q*``, ``H = grad2_yy g``) and ``grad_q Phi = -G``: the system of Thm 1 together
with the CG equation for ``q`` is the stationarity ``E = grad_(x,y,q) Phi = 0``,
whose Jacobian ``K`` is the (symmetric, indefinite) Hessian of ``Phi``.  Every
product ``K w`` or ``E_z^T w`` is one vector-Jacobian product through the
double-backward graph of ``E`` (third derivatives of ``g`` appear only inside
autograd), so nothing larger than ``O(n + m)`` per sample is ever formed.

Two adjoint solvers are offered (both give Thm 2 exactly, up to Krylov tolerance):

* ``method="kkt"``: solve ``K w = -[L_x; L_y; 0]`` (size ``n + 2m``); ``K`` is
  symmetric, so MINRES (short recurrences, no Krylov basis) is the default.
* ``method="reduced"``: the paper's form: solve ``J^T (u, v) = -[L_x; L_y]``
  (size ``n + m``) with GMRES, where each ``J^T`` product eliminates ``q`` with an
  inner CG solve on ``H`` (``J^T (u, v) = [K (u, s, -v)]_(x,y)``,
  ``H s = (dF/dq)^T u``); more expensive per iteration, smaller system.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import overload

import torch
from torch import Tensor

from bigrad.krylov import KrylovInfo, cg

from ._linsolve import resolve_solve
from .custom_root import _AdjointOp, _loop_vmap, vjp_grads
from .options import BilevelOptions, check_on_fail, merge_deprecated

__all__ = [
    "check_objective",
    "inner_hessian_solve",
    "hypergradient",
    "StationarySystem",
    "bilevel_vjp",
    "BilevelVJPInfo",
    "bilevel_solution",
    "BILEVEL_VJP_NAMES",
]

#: the former keywords of :func:`bilevel_vjp` and :func:`bilevel_solution` -> their :class:`BilevelOptions` fields
BILEVEL_VJP_NAMES = {"method": "backward", "solve": "backward_solver", "tol": "backward_tol",
                     "maxiter": "backward_maxiter", "restart": "backward_restart"}


def check_objective(value, batch: int, name: str) -> Tensor:
    """Validate that an objective returned per-sample values ``[B]``."""
    if not isinstance(value, Tensor):
        raise TypeError(f"{name} must return a torch.Tensor, got {type(value).__name__}")
    if tuple(value.shape) != (batch,):
        raise ValueError(f"{name} must return per-sample values of shape [{batch}], got {tuple(value.shape)}")
    return value


def _check_finite(fval: Tensor, gval: Tensor) -> None:
    for name, val in (("f", fval), ("g", gval)):
        bad = ~torch.isfinite(val.detach())
        if bool(bad.any()):
            idx = bad.nonzero().flatten().tolist()
            raise ValueError(
                f"{name} is not finite at (x, y) for member(s) {idx[:10]} (value {float(val.detach()[idx[0]])}): "
                "the point is outside the objective's domain (e.g. a barrier constraint is violated), "
                "so the hypergradient does not exist there"
            )


@overload
def _leaf(t: Tensor, requires_grad: bool = True) -> Tensor: ...
@overload
def _leaf(t: None, requires_grad: bool = True) -> None: ...
def _leaf(t: Tensor | None, requires_grad: bool = True) -> Tensor | None:
    if t is None or not isinstance(t, Tensor):
        return t
    return t.detach().requires_grad_(requires_grad and t.is_floating_point())


def _cg_kwargs(tol, maxiter, on_fail):
    return {"tol": tol, "maxiter": maxiter, "on_fail": on_fail}


def inner_hessian_solve(hvp: Callable[[Tensor], Tensor], rhs: Tensor, *, tol=None, maxiter=None, on_fail="warn"):
    """Solve ``H s = rhs`` (``H = grad2_yy g``, SPD) with batched CG given ``hvp(s) = H s``."""
    kwargs = {k: v for k, v in _cg_kwargs(tol, maxiter, on_fail).items() if v is not None}
    return cg(hvp, rhs, **kwargs)


def hypergradient(
    f: Callable,
    g: Callable,
    x: Tensor,
    y: Tensor,
    z=None,
    *,
    tol: float | None = None,
    maxiter: int | None = None,
    on_fail: str = "warn",
    q_zero: bool = False,
) -> tuple[Tensor, Tensor, KrylovInfo | None]:
    """Theorem 1 hypergradient ``F = grad_x f - grad2_xy g (grad2_yy g)^{-1} grad_y f`` at ``(x, y, z)``.

    ``F`` equals the total derivative ``d f(x, y*(x), z) / dx`` when ``y`` solves the
    inner problem.  The inner solve uses CG with Hessian-vector products of ``g``.

    Args:
        f, g: ``(x [B, n], y [B, m], z) -> [B]``.
        x, y: points ``[B, n]``, ``[B, m]``.
        z: passed through to ``f`` and ``g`` (not differentiated).
        tol, maxiter, on_fail: for the CG solve.
        q_zero: skip the solve and use ``q = 0`` (valid when ``grad_y f = 0`` at
            the inner solution, e.g. min-max problems ``g = -f``).

    Returns:
        ``(F [B, n], q [B, m], info)`` -- ``info`` of the CG solve (None if skipped).
        All outputs are detached.

    Raises:
        ValueError: ``f`` or ``g`` is not finite at ``(x, y)`` (e.g. outside the
            domain of a log barrier): the hypergradient does not exist there.
    """
    B = x.shape[0]
    with torch.enable_grad():
        xl, yl = _leaf(x), _leaf(y)
        gval = check_objective(g(xl, yl, z), B, "g")
        fval = check_objective(f(xl, yl, z), B, "f")
        _check_finite(fval, gval)
        gy = torch.autograd.grad(gval.sum(), yl, create_graph=True)[0]
        fx, fy = vjp_grads([fval], [xl, yl], [torch.ones_like(fval)], retain_graph=False)
        info = None
        if q_zero:
            q = torch.zeros_like(y)
        else:
            q, info = inner_hessian_solve(
                lambda s: vjp_grads([gy], [yl], [s])[0], fy.detach(), tol=tol, maxiter=maxiter, on_fail=on_fail
            )
        (cross,) = vjp_grads([gy], [xl], [q], retain_graph=False)
    return (fx - cross).detach(), q.detach(), info


class StationarySystem:
    """The stationarity map ``E = grad_(x,y,q) Phi`` at a point, with ``Phi = f - <grad_y g, q>``.

    Holds the double-backward graph of ``E``; all products are VJPs through it.
    Vectors are batched ``[B, .]``; ``K`` is symmetric so ``K w = K^T w``.

    Args:
        f, g: objectives ``(x, y, z) -> [B]``.
        x, y: the bilevel solution ``[B, n]``, ``[B, m]``.
        z: input passed to ``f``/``g``; if it is a floating tensor and ``z_grad``
            it is made a leaf requiring grad so that :meth:`param_vjp` can
            differentiate w.r.t. it (as ``self.z``).
        q: the multiplier ``q*`` ``[B, m]``; computed with CG when None.
        cg_options: ``dict(tol=, maxiter=, on_fail=)`` for the CG solves on ``H``.
        q_zero: use ``q = 0`` without solving (min-max problems).
    """

    def __init__(self, f, g, x, y, z=None, q=None, *, cg_options=None, q_zero=False, z_grad=True):
        self.cg_options = dict(cg_options or {})
        self.n, self.m = x.shape[1], y.shape[1]
        B = x.shape[0]
        with torch.enable_grad():
            self.x, self.y = _leaf(x), _leaf(y)
            self.z = _leaf(z, z_grad)
            gval = check_objective(g(self.x, self.y, self.z), B, "g")
            self.gy = torch.autograd.grad(gval.sum(), self.y, create_graph=True)[0]
            fval = check_objective(f(self.x, self.y, self.z), B, "f")
            self.q_info = None
            if q is None:
                if q_zero:
                    q = torch.zeros_like(y)
                else:
                    (fy,) = vjp_grads([fval], [self.y], [torch.ones_like(fval)])
                    q, self.q_info = self.solve_h(fy.detach())
            self.q = _leaf(q)
            phi = fval.sum() - (self.gy * self.q).sum()
            fx, fyq = torch.autograd.grad(
                phi, (self.x, self.y), create_graph=True, allow_unused=True, materialize_grads=True
            )
            self.E = (fx, fyq, -self.gy)

    # -- elementary products -------------------------------------------------
    def hess_yy(self, s: Tensor) -> Tensor:
        """``H s`` with ``H = grad2_yy g`` ``[B, m]``."""
        return vjp_grads([self.gy], [self.y], [s])[0]

    def solve_h(self, rhs: Tensor):
        """``H^{-1} rhs`` by CG -> ``(s, info)``."""
        return inner_hessian_solve(self.hess_yy, rhs, **self.cg_options)

    def residual(self) -> tuple[Tensor, Tensor, Tensor]:
        """``(F, grad_y Phi, -G)`` at the point (detached), for diagnostics."""
        return tuple(e.detach() for e in self.E)

    def split(self, w: Tensor, sizes: Sequence[int]):
        return torch.split(w, list(sizes), dim=1)

    def kkt_matvec(self, w: Tensor) -> Tensor:
        """``K w`` for ``w = [wx; wy; wq]`` of shape ``[B, n + 2m]``."""
        wx, wy, wq = self.split(w, (self.n, self.m, self.m))
        return torch.cat(vjp_grads(self.E, [self.x, self.y, self.q], [wx, wy, wq]), dim=1)

    def eliminate_q(self, u: Tensor) -> Tensor:
        """``s = H^{-1} (dF/dq)^T u``: the ``y``-block of the adjoint that zeroes the ``q`` row."""
        (c,) = vjp_grads([self.E[0]], [self.q], [u])
        s, _ = self.solve_h(c)
        return s

    def reduced_matvec(self, w: Tensor) -> Tensor:
        """``J^T [u; v]`` for ``w = [u; v]`` of shape ``[B, n + m]`` (``J = d(F, G)/d(x, y)``)."""
        u, v = self.split(w, (self.n, self.m))
        s = self.eliminate_q(u)
        return torch.cat(vjp_grads(self.E, [self.x, self.y], [u, s, -v]), dim=1)

    def param_vjp(self, w: Sequence[Tensor], params: Sequence[Tensor]) -> list:
        """``E_p^T w`` for each tensor ``p`` in ``params`` (``w = (wx, wy, wq)``)."""
        return vjp_grads(self.E, list(params), list(w), retain_graph=True)


@dataclass
class BilevelVJPInfo:
    """Diagnostics of :func:`bilevel_vjp`: the adjoint Krylov solve and the ``q*`` CG solve."""

    adjoint: KrylovInfo | None
    q: KrylovInfo | None
    method: str


def bilevel_vjp(
    f: Callable,
    g: Callable,
    x: Tensor,
    y: Tensor,
    z,
    grad_x: Tensor | None,
    grad_y: Tensor | None,
    params: Sequence[Tensor] = (),
    *,
    options: BilevelOptions | None = None,
    on_fail: str = "warn",
    q_zero: bool = False,
    q: Tensor | None = None,
    z_grad: bool = True,
    **deprecated,
):
    """Theorem 2: the VJP ``(dL/dx*, dL/dy*) -> dL/dz, dL/dparams`` through the bilevel solution.

    Args:
        f, g: objectives ``(x [B, n], y [B, m], z) -> [B]``.
        x, y: the bilevel solution (``F = G = 0`` there).
        z: the input; a floating tensor ``[B, ...]`` gets a gradient, otherwise None.
        grad_x, grad_y: upstream gradients ``[B, n]``, ``[B, m]`` (None = zero).
        params: extra tensors (e.g. module parameters used by ``f``/``g``) to
            differentiate w.r.t.; gradients are summed over the batch.
        options: :class:`~bigrad.implicit.BilevelOptions`; this function reads
            ``backward`` (``"kkt"``, default, or ``"reduced"``: see the module docstring),
            ``backward_solver`` (the adjoint solver: ``"minres"``, default for ``"kkt"``:
            ``K`` is symmetric indefinite; ``"gmres"``, default for ``"reduced"``: ``J``
            is non-symmetric; ``"bicgstab"``; or a callable ``solve(matvec, b)`` with
            ``b [B, N]``; ``"cg"`` is not appropriate, the systems are indefinite),
            ``backward_tol``, ``backward_maxiter`` (of the adjoint solve and the CG
            solves on ``H``) and ``backward_restart`` (None: all defaults).
        on_fail: ``"warn"``, ``"raise"`` or ``"ignore"`` when a Krylov solve does not converge.
        q_zero: min-max shortcut ``q* = 0``.
        q: precomputed ``q* [B, m]`` (skips one CG solve).
        z_grad: compute ``grad_z`` (when ``z`` is a floating tensor).
        **deprecated: the former keywords ``method``, ``solve``, ``tol``, ``maxiter`` and
            ``restart`` (:data:`BILEVEL_VJP_NAMES` gives their fields); they override
            ``options``, with a DeprecationWarning.

    Returns:
        ``(grad_z, grad_params, info)`` where ``grad_z`` is None when ``z`` is not a
        floating tensor; :class:`BilevelVJPInfo` holds the solver diagnostics.
    """
    options = merge_deprecated(options, deprecated, BILEVEL_VJP_NAMES, "bilevel_vjp")
    check_on_fail(on_fail)
    method, solve = options.backward, options.backward_solver
    tol, maxiter, restart = options.backward_tol, options.backward_maxiter, options.backward_restart
    gx = torch.zeros_like(x) if grad_x is None else grad_x.detach()
    gyv = torch.zeros_like(y) if grad_y is None else grad_y.detach()
    if solve is None:
        solve = "minres" if method == "kkt" else "gmres"
    linsolve = resolve_solve(solve, tol=tol, maxiter=maxiter, restart=restart, on_fail=on_fail)
    cg_options = _cg_kwargs(tol, maxiter, on_fail)
    cg_options = {k: v for k, v in cg_options.items() if v is not None}
    system = StationarySystem(f, g, x, y, z, q, cg_options=cg_options, q_zero=q_zero, z_grad=z_grad)
    with torch.enable_grad():
        if method == "kkt":
            rhs = -torch.cat([gx, gyv, torch.zeros_like(gyv)], dim=1)
            w, info = linsolve(system.kkt_matvec, rhs)
            wx, wy, wq = system.split(w, (system.n, system.m, system.m))
        else:
            rhs = -torch.cat([gx, gyv], dim=1)
            w, info = linsolve(system.reduced_matvec, rhs)
            wx, v = system.split(w, (system.n, system.m))
            wy, wq = system.eliminate_q(wx), -v
        want_z = isinstance(system.z, Tensor) and system.z.requires_grad
        targets = ([system.z] if want_z else []) + list(params)
        grads = system.param_vjp((wx, wy, wq), targets) if targets else []
    grad_z = grads[0] if want_z else None
    grad_params = grads[1:] if want_z else grads
    return grad_z, grad_params, BilevelVJPInfo(adjoint=info, q=system.q_info, method=method)


class _BilevelVJP(_AdjointOp):
    """:func:`bilevel_vjp` as one op."""

    owner = "bilevel_solution"

    @staticmethod
    def forward(spec, z_grad, want, x, y, z, grad_x, grad_y, *params):
        wanted = [p for p, need in zip(params, want) if need]
        grad_z, grad_wanted, info = bilevel_vjp(
            spec.f, spec.g, x, y, z, grad_x, grad_y, wanted, z_grad=z_grad, **spec.options
        )
        spec.last_info = info
        it = iter(grad_wanted)
        return (grad_z if z_grad else None, *[next(it) if need else None for need in want])


class _BilevelFunction(torch.autograd.Function):
    """``spec.solver(z)`` forward, Theorem 2 (:func:`bilevel_vjp`) backward; ``spec`` carries the options.

    torch.func: ``setup_context`` and a vmap rule (one solve per vmapped sample).
    """

    @staticmethod
    def forward(spec, z, *params):
        with torch.enable_grad():  # the solver may use autograd internally; it is never differentiated
            x, y = spec.solver(z.detach() if isinstance(z, Tensor) else z)
        return x.detach().clone(), y.detach().clone()

    @staticmethod
    def setup_context(ctx, inputs, output):
        spec, z, *params = inputs
        x, y = output
        ctx.spec = spec
        ctx.save_for_backward(x, y, z if isinstance(z, Tensor) else None, *params)
        ctx.z_other = None if isinstance(z, Tensor) else z

    @staticmethod
    def backward(ctx, grad_x, grad_y):
        x, y, z, *params = ctx.saved_tensors
        if z is None:
            z = ctx.z_other
        want = tuple(ctx.needs_input_grad[2:])
        grads = _BilevelVJP.apply(ctx.spec, ctx.needs_input_grad[1], want, x, y, z, grad_x, grad_y, *params)
        return (None, *grads)

    @staticmethod
    def vmap(info, in_dims, spec, *args):
        return _loop_vmap(_BilevelFunction, info, (None, *in_dims[1:]), (spec, *args))


class _Spec:
    def __init__(self, f, g, solver, options):
        self.f, self.g, self.solver, self.options = f, g, solver, options
        self.last_info = None


def bilevel_solution(
    f: Callable,
    g: Callable,
    solver: Callable,
    z,
    params: Sequence[Tensor] = (),
    *,
    options: BilevelOptions | None = None,
    on_fail: str = "warn",
    q_zero: bool = False,
    **deprecated,
):
    """Differentiable bilevel solution ``(x*, y*)`` of ``z`` (Alg. 1 of the paper).

    ``solver(z) -> (x [B, n], y [B, m])`` is any (non-differentiable) bilevel
    solver; the backward pass applies :func:`bilevel_vjp` at its output, so the
    gradient w.r.t. ``z`` and ``params`` follows Theorem 2 without
    differentiating through the solver.

    Args:
        f, g, z, params: as in :func:`bilevel_vjp`.
        solver: forward solver; it is called with a detached ``z`` (autograd
            enabled, for solvers that need gradients) and never differentiated.
        options, on_fail, q_zero: of :func:`bilevel_vjp` (its ``backward*`` fields).
        **deprecated: the former keywords of :func:`bilevel_vjp` (``method``, ``solve``,
            ``tol``, ``maxiter``, ``restart``), with a DeprecationWarning.

    Returns:
        ``(x [B, n], y [B, m], spec)``; ``spec.last_info`` holds the :class:`BilevelVJPInfo` of
        the latest backward pass.
    """
    if not callable(solver):
        raise TypeError(f"solver must be callable, got {type(solver).__name__}")
    params = [p for p in params]
    for p in params:
        if not isinstance(p, Tensor):
            raise TypeError(f"params must be tensors, got {type(p).__name__}")
    options = merge_deprecated(options, deprecated, BILEVEL_VJP_NAMES, "bilevel_solution")
    check_on_fail(on_fail)
    spec = _Spec(f, g, solver, {"options": options, "on_fail": on_fail, "q_zero": q_zero})
    x, y = _BilevelFunction.apply(spec, z, *params)
    return x, y, spec

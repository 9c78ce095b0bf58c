"""``custom_root``: implicit differentiation of root-finding solvers (jaxopt style, torch)."""
from __future__ import annotations

import functools
from typing import Callable, Optional

import torch
from torch import Tensor
from torch.autograd.function import once_differentiable

from ._linsolve import resolve_solve

__all__ = ["custom_root", "vjp_grads"]


def vjp_grads(outputs, inputs, cotangents, retain_graph: bool = True):
    """``sum_k cotangent_k^T d output_k / d input_j`` for every input (zeros where unused).

    Outputs that do not require grad (e.g. constants) are skipped.
    """
    pairs = [(o, c) for o, c in zip(outputs, cotangents) if o is not None and o.requires_grad]
    if not pairs:
        return [torch.zeros_like(i) for i in inputs]
    outs, cots = zip(*pairs)
    grads = torch.autograd.grad(
        outs, inputs, cots, retain_graph=retain_graph, allow_unused=True, materialize_grads=True
    )
    return list(grads)


class _RootFunction(torch.autograd.Function):
    @staticmethod
    def forward(ctx, spec, init, *params):
        detached = [p.detach() if isinstance(p, Tensor) else p for p in params]
        with torch.enable_grad():  # the solver may use autograd internally; it is never differentiated
            solution = spec.solver(init.detach() if isinstance(init, Tensor) else init, *detached)
        if not isinstance(solution, Tensor):
            raise TypeError(f"the solver must return a torch.Tensor, got {type(solution).__name__}")
        solution = solution.detach()
        ctx.spec = spec
        tensors = [p if isinstance(p, Tensor) else None for p in params]
        ctx.save_for_backward(solution, *tensors)
        ctx.others = [None if isinstance(p, Tensor) else p for p in params]
        return solution.clone()

    @staticmethod
    @once_differentiable
    def backward(ctx, grad_out):
        spec = ctx.spec
        solution, *saved = ctx.saved_tensors
        params = [s if s is not None else o for s, o in zip(saved, ctx.others)]
        diff = [i for i, p in enumerate(params) if isinstance(p, Tensor) and ctx.needs_input_grad[2 + i]]
        with torch.enable_grad():
            x = solution.detach().requires_grad_(True)
            args = list(params)
            for i in diff:
                args[i] = params[i].detach().requires_grad_(True)
            res = spec.optimality_fn(x, *args)
            if not isinstance(res, Tensor) or res.shape != x.shape:
                raise ValueError(
                    "optimality_fn must return a tensor shaped like the solution "
                    f"{tuple(x.shape)}, got {getattr(res, 'shape', type(res).__name__)}"
                )
            shape2 = (x.shape[0], -1) if spec.batched else (1, -1)

            def matvec(w):  # (dT/dx)^T w
                (out,) = vjp_grads([res], [x], [w.reshape(x.shape)])
                return out.reshape(w.shape)

            # (dT/dx)^T u = grad_out ;  dL/dparams = -(dT/dparams)^T u
            u, info = spec.solve(matvec, grad_out.reshape(shape2))
            spec.last_info = info
            grads = vjp_grads([res], [args[i] for i in diff], [-u.reshape(x.shape)], retain_graph=False)
        out = [None] * len(params)
        for i, gi in zip(diff, grads):
            out[i] = gi
        return (None, None, *out)


class _Spec:
    def __init__(self, solver, optimality_fn, solve, batched):
        self.solver = solver
        self.optimality_fn = optimality_fn
        self.solve = solve
        self.batched = batched
        self.last_info = None


def custom_root(
    optimality_fn: Callable[..., Tensor],
    solve="gmres",
    *,
    batched: bool = False,
    tol: Optional[float] = None,
    maxiter: Optional[int] = None,
    restart: Optional[int] = None,
    on_fail: str = "warn",
):
    """Decorator making a root-finding solver differentiable by implicit differentiation.

    ``solver(init, *params) -> x*`` must return a root of
    ``optimality_fn(x, *params) = 0`` (``x*`` of any shape, ``optimality_fn``
    returning that shape).  The decorated solver returns the same ``x*`` but its
    gradient w.r.t. each tensor in ``params`` is given by the implicit function
    theorem: with ``T = optimality_fn``,

        ``dL/dparams = -(dT/dparams)^T u``,   ``(dT/dx)^T u = dL/dx*``,

    computed with vector-Jacobian products of ``T`` only (no Jacobian is formed)
    and the linear solver ``solve``.  The solver is called on detached inputs
    (autograd enabled, so it may use gradients internally) and is never
    differentiated; ``init`` gets no gradient.

    Args:
        optimality_fn: ``T(x, *params) -> Tensor`` shaped like ``x``.
        solve: ``"gmres"`` (default), ``"bicgstab"``, ``"minres"`` (if
            ``dT/dx`` is symmetric), ``"cg"`` (only if
            ``dT/dx`` is symmetric positive definite, e.g. ``T`` a gradient of a
            strongly convex function) or a callable ``solve(matvec, b)``
            returning ``x`` or ``(x, info)`` with ``b`` of shape ``[B, N]``.
        batched: if True, ``x*`` has a leading batch dimension and
            ``optimality_fn`` is separable across it; the adjoint systems are
            then solved as a batch of ``B`` independent systems of size
            ``N = x[0].numel()`` (per-member convergence).  Otherwise one system
            of size ``x.numel()``.
        tol, maxiter, restart, on_fail: forwarded to the named Krylov solver.

    Returns:
        a decorator; the decorated function has the signature of ``solver`` and
        an attribute ``backward_info()`` returning the
        :class:`~bigrad.krylov.KrylovInfo` of the latest backward solve (or None).


    Example::

        def stationarity(x, A, b):           # gradient of 0.5 x^T A x - b^T x
            return x @ A.T - b

        @custom_root(stationarity, solve="cg")
        def quad_min(x0, A, b):
            return torch.linalg.solve(A, b)

        x = quad_min(torch.zeros(3), A, b)    # differentiable w.r.t. A and b
    """
    if not callable(optimality_fn):
        raise TypeError(f"optimality_fn must be callable, got {type(optimality_fn).__name__}")
    if not isinstance(batched, bool):
        raise TypeError(f"batched must be a bool, got {type(batched).__name__}")
    solve_fn = resolve_solve(solve, tol=tol, maxiter=maxiter, restart=restart, on_fail=on_fail)

    def decorator(solver):
        if not callable(solver):
            raise TypeError(f"solver must be callable, got {type(solver).__name__}")
        spec = _Spec(solver, optimality_fn, solve_fn, batched)

        @functools.wraps(solver)
        def wrapped(init, *params):
            return _RootFunction.apply(spec, init, *params)

        wrapped.backward_info = lambda: spec.last_info
        return wrapped

    return decorator

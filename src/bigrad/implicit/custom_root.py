"""``custom_root``: implicit differentiation of root-finding solvers (jaxopt style, torch)."""
from __future__ import annotations

import functools
import warnings
from collections.abc import Callable

import torch
from torch import Tensor

from bigrad.krylov import KrylovInfo, cg, default_tol
from bigrad.krylov.batched_csr import as_batched_csr
from bigrad.krylov.cg import cg_unchecked

from ._linsolve import resolve_solve

__all__ = ["custom_root", "vjp_grads"]

#: largest system (unknowns per batch member) whose adjoint is solved directly (see :func:`_direct_adjoint`);
#: measured against the lean CG path (bench_implicit.py's quadratic problem, batch 8, ~15 CG iterations,
#: minima of interleaved runs): direct is 1.2x faster at N = 32, CG 1.17x faster at N = 48 and 1.6x at N = 64
DIRECT_MAX_N = 40
#: ... and whose Jacobians ``[B, N, N]`` hold at most this many entries (beyond, the ``N`` replays
#: that form it and the LU cost more than the ~20-50 replays of a Krylov solve)
DIRECT_MAX_ENTRIES = 1 << 18


def _engine():
    """torch's autograd engine when it may be called directly (no torch.func transform and no
    compilation active), else None: ``torch.autograd.grad``'s argument handling costs about 10 us
    per call, which the Krylov loop pays once per iteration."""
    if torch._C._are_functorch_transforms_active() or torch.compiler.is_compiling():
        return None
    return getattr(torch.autograd.Variable, "_execution_engine", None)


def vjp_grads(outputs, inputs, cotangents, retain_graph: bool = True):
    """``sum_k cotangent_k^T d output_k / d input_j`` for every input (zeros where unused).

    Outputs that do not require grad (e.g. constants) are skipped.
    """
    pairs = [(o, c) for o, c in zip(outputs, cotangents) if o is not None and o.requires_grad]
    if not pairs:
        return [torch.zeros_like(i) for i in inputs]
    outs, cots = zip(*pairs)
    engine = _engine()
    if engine is None or not all(i.requires_grad for i in inputs) or any(
            c.shape != o.shape for o, c in pairs):  # torch.autograd.grad's checks and messages
        return list(torch.autograd.grad(outs, inputs, cots, retain_graph=retain_graph, allow_unused=True,
                                        materialize_grads=True))
    grads = engine.run_backward(outs, cots, retain_graph, False, tuple(inputs), allow_unreachable=True,
                                accumulate_grad=False)
    return [torch.zeros_like(i) if g is None else g for g, i in zip(grads, inputs)]


def fast_apply(function, *args):
    """``function.apply(*args)`` without its per-call ``inspect.signature`` when no torch.func
    transform and no compilation is active (our ``forward`` methods have no default arguments,
    so binding them is a no-op; it costs tens of microseconds per call)."""
    if torch._C._are_functorch_transforms_active() or torch.compiler.is_compiling():
        return function.apply(*args)
    return super(torch.autograd.Function, function).apply(*args)


def _vjp_of(output: Tensor, inp: Tensor):
    """``w -> (d output / d inp)^T w``, replaying the same graph every call (the engine directly
    when it may be, see :func:`_engine`)."""
    engine = _engine()
    if engine is None:
        return lambda w: torch.autograd.grad(output, inp, w, retain_graph=True)[0]
    outputs, inputs = (output,), (inp,)

    def vjp(w):
        (out,) = engine.run_backward(outputs, (w,), True, False, inputs, allow_unreachable=True, accumulate_grad=False)
        return torch.zeros_like(inp) if out is None else out

    return vjp


def _select(x, d, i):
    return x.select(d, i) if d is not None and isinstance(x, Tensor) else x


def _loop_vmap(function, info, in_dims, args):
    """vmap rule of the implicit Functions: one ``apply`` per vmapped sample, outputs stacked.

    The user's solver and optimality function need not be batched or vmappable.
    """
    outs = [function.apply(*[_select(a, d, i) for a, d in zip(args, in_dims)]) for i in range(info.batch_size)]
    if isinstance(outs[0], tuple):
        return tuple(None if o[0] is None else torch.stack(o) for o in zip(*outs)), tuple(
            None if o is None else 0 for o in outs[0])
    return torch.stack(outs), 0


def _direct_adjoint(spec, res: Tensor, x: Tensor, b: Tensor):
    """``(u, info)`` with ``(dT/dx)^T u = b`` solved directly for small systems, else None.

    Used when ``solve`` is a named Krylov method, each system has at most
    :data:`DIRECT_MAX_N` unknowns and the Jacobians at most :data:`DIRECT_MAX_ENTRIES`
    entries: the Jacobian ``dT/dx`` ``[B, N, N]`` is formed by one vmapped replay of
    the graph (``is_grads_batched``; in the overhead-bound regime about the cost of a
    few Krylov matvecs) and factorised by LU.  The true residual must meet the Krylov
    tolerance ``max(rtol ||b||, atol)``, else (singular or ill-conditioned
    Jacobian, or an operation without a vmap rule) the Krylov method runs instead.
    """
    B, N = b.shape
    if not spec.direct or N > DIRECT_MAX_N or B * N * N > DIRECT_MAX_ENTRIES:
        return None
    if torch._C._are_functorch_transforms_active():
        return None
    eye = torch.eye(N, dtype=b.dtype, device=b.device)
    cot = eye.unsqueeze(1).expand(N, B, N).reshape(N, *x.shape)
    try:
        with warnings.catch_warnings():  # torch's "no batching rule, slow loop" warning: take Krylov instead
            warnings.simplefilter("error", UserWarning)
            (rows,) = torch.autograd.grad(res, x, cot, retain_graph=True, is_grads_batched=True)
    except Exception:  # an operation without a vmap rule: the Krylov method replays one VJP at a time
        return None
    # rows[j, b, k] = dT_j / dx_k of member b; jac_t = J^T [B, k, j], column-major (LAPACK's layout)
    jac_t = rows.reshape(N, B, N).transpose(0, 1).contiguous().mT
    u, err = torch.linalg.solve_ex(jac_t, b)
    resid = torch.linalg.vector_norm(b - (jac_t @ u.unsqueeze(-1)).squeeze(-1), dim=1)
    rtol = default_tol(b.dtype) if spec.tol is None else spec.tol
    threshold = rtol * torch.linalg.vector_norm(b, dim=1)
    ok = (err == 0) & (resid <= threshold)
    if not bool(ok.all()):
        return None
    info = KrylovInfo(iterations=torch.zeros(B, dtype=torch.long, device=b.device), residual=resid,
                      converged=ok, threshold=threshold, method="direct")
    return u, info


def _sparse_adjoint(spec, x: Tensor, args: list, b: Tensor):
    """``(u, info)`` with ``(dT/dx)^T u = b`` through the user's per-member sparse Jacobian (``jacobian=``).

    The matrices go to the named Krylov method as a :class:`~bigrad.krylov.BatchedCSR`, whose
    iterations run natively (no autograd replay per iteration); GMRES and BiCGSTAB get the transposes.
    """
    with torch.no_grad():
        J = spec.jacobian(x.detach(), *[a.detach() if isinstance(a, Tensor) else a for a in args])
    csr = as_batched_csr(J, "jacobian")
    B, N = b.shape
    if csr.n != N or not (csr.shared or csr.batch == B):
        raise ValueError(f"jacobian must return dT/dx: {B} matrices (one per member) of n = {N} rows, "
                         f"got {csr.batch} of n = {csr.n}")
    if spec.method in ("gmres", "bicgstab"):  # a general Jacobian: the adjoint system is transposed
        csr = csr.transpose()
    return spec.solve(csr, b)


def implicit_vjp(spec, diff, solution, grad_out, params):
    """``-(dT/dparams_i)^T u`` for ``i in diff``, with ``(dT/dx)^T u = grad_out`` (Krylov on VJPs of ``T``)."""
    with torch.enable_grad():
        x = solution.detach().requires_grad_(True)
        args = [p.detach() if isinstance(p, Tensor) else p for p in params]
        for i in diff:
            args[i] = args[i].requires_grad_(True)
        res = spec.optimality_fn(x, *args)
        if not isinstance(res, Tensor) or res.shape != x.shape:
            raise ValueError(
                "optimality_fn must return a tensor shaped like the solution "
                f"{tuple(x.shape)}, got {getattr(res, 'shape', type(res).__name__)}"
            )
        shape2 = (x.shape[0], -1) if spec.batched else (1, -1)

        b = grad_out.reshape(shape2)
        if spec.jacobian is not None:
            solved = _sparse_adjoint(spec, x, args, b)
        else:
            solved = _direct_adjoint(spec, res, x, b)
        inputs = [args[i] for i in diff]
        if solved is None:
            vjp = _vjp_of(res, x)

            def matvec(w):  # (dT/dx)^T w
                return vjp(w.reshape(x.shape)).reshape(w.shape)

            # batched x [B, N]: the VJP itself, no reshapes in the Krylov loop
            op = vjp if x.shape == b.shape else matvec
            if spec.method == "cg" and _engine() is not None:
                return _cg_adjoint(spec, res, x, inputs, op, b)
            solved = spec.solve(op, b)
        u, info = solved
        spec.last_info = info
    return vjp_grads([res], inputs, [-u.reshape(x.shape)], retain_graph=False)


def _cg_adjoint(spec, res: Tensor, x: Tensor, inputs, op, b: Tensor):
    """The CG adjoint solve of :func:`implicit_vjp` with one autograd replay fewer.

    CG stops on its recursive residual (:func:`~bigrad.krylov.cg.cg_unchecked`); a single replay
    of ``T``'s graph with the cotangent ``-u`` then gives both the parameter gradients and
    ``(dT/dx)^T u``, hence the true residual, which must meet the tolerance as in :func:`cg`
    (else :func:`cg` continues from ``u``, with its own checks, and a last replay gives the
    gradients).  Plain :func:`cg` would spend a replay on the residual and another on the gradients.
    """
    u, it, broke, threshold = cg_unchecked(op, b, rtol=spec.tol, maxiter=spec.maxiter)
    engine = _engine()
    grads = engine.run_backward((res,), (-u.reshape(x.shape),), True, False, (x, *inputs), allow_unreachable=True,
                                accumulate_grad=False)
    neg_jtu = grads[0]
    r = b if neg_jtu is None else b + neg_jtu.reshape(b.shape)
    resid = torch.linalg.vector_norm(r, dim=1)
    converged = resid <= threshold
    if bool(converged.all()) and not bool(broke.any()):
        spec.last_info = KrylovInfo(iterations=it, residual=resid, converged=converged, threshold=threshold,
                                    method="cg")
        return [torch.zeros_like(i) if g is None else g for g, i in zip(grads[1:], inputs)]
    u, info = cg(op, b, x0=u, tol=spec.tol, maxiter=spec.maxiter, on_fail=spec.on_fail)
    spec.last_info = KrylovInfo(iterations=info.iterations + it, residual=info.residual, converged=info.converged,
                                threshold=info.threshold, method="cg")
    return vjp_grads([res], inputs, [-u.reshape(x.shape)], retain_graph=False)


class _AdjointOp(torch.autograd.Function):
    """Base of the adjoint solves run as one op: first order only, and a vmapped cotangent
    (as in ``jacrev``) is solved sample by sample instead of reaching the Krylov loop."""

    #: the public function named in the double-backward error
    owner = ""

    @staticmethod
    def setup_context(ctx, inputs, output):
        pass

    @classmethod
    def backward(cls, ctx, *grads):
        raise RuntimeError(f"{cls.owner}: the implicit gradient is not differentiable again (no double backward)")

    @classmethod
    def vmap(cls, info, in_dims, *args):
        return _loop_vmap(cls, info, in_dims, args)


class _ImplicitVJP(_AdjointOp):
    """The adjoint solve of :class:`_RootFunction` as one op."""

    owner = "custom_root"

    @staticmethod
    def forward(spec, diff, solution, grad_out, *params):
        return tuple(implicit_vjp(spec, diff, solution, grad_out, params))


class _RootFunction(torch.autograd.Function):
    """``spec.solver(init, *params)`` forward; implicit-function-theorem VJP backward.

    ``spec`` (the decorator's options) is the first argument of ``apply``.
    """

    @staticmethod
    def forward(spec, init, *params):
        detached = [p.detach() if isinstance(p, Tensor) else p for p in params]
        with torch.enable_grad():  # the solver may use autograd internally; it is never differentiated
            out = spec.solver(init.detach() if isinstance(init, Tensor) else init, *detached)
        if spec.has_aux:
            if not (isinstance(out, tuple) and len(out) == 2):
                raise TypeError("with has_aux=True the solver must return a pair (solution, aux)")
            out, spec.aux = out
        if not isinstance(out, Tensor):
            raise TypeError(f"the solver must return a torch.Tensor, got {type(out).__name__}")
        return out.detach().clone()

    @staticmethod
    def setup_context(ctx, inputs, output):
        spec, _, *params = inputs
        ctx.spec = spec
        ctx.save_for_backward(output, *[p if isinstance(p, Tensor) else None for p in params])
        ctx.others = [None if isinstance(p, Tensor) else p for p in params]

    @staticmethod
    def backward(ctx, grad_out):
        spec = ctx.spec
        solution, *saved = ctx.saved_tensors
        params = [s if s is not None else o for s, o in zip(saved, ctx.others)]
        diff = tuple(
            i for i, p in enumerate(params)
            if isinstance(p, Tensor) and ctx.needs_input_grad[2 + i] and (spec.argnums is None or i in spec.argnums)
        )
        if not diff:
            grads = ()
        elif torch.is_grad_enabled() or _engine() is None:  # double backward (an error) or torch.func
            grads = fast_apply(_ImplicitVJP, spec, diff, solution, grad_out, *params)
        else:  # plain backward: no graph is recorded, so the adjoint solve needs no Function around it
            grads = implicit_vjp(spec, diff, solution, grad_out, params)
        out = [None] * len(params)
        for i, gi in zip(diff, grads):
            out[i] = gi
        return (None, None, *out)

    @staticmethod
    def vmap(info, in_dims, spec, *args):
        if spec.has_aux:
            raise NotImplementedError("custom_root(has_aux=True) under torch.func.vmap: return aux from the solver "
                                      "of a has_aux=False root instead")
        return _loop_vmap(_RootFunction, info, (None, *in_dims[1:]), (spec, *args))


class _Spec:
    def __init__(self, solver, optimality_fn, solve, batched, has_aux, argnums):
        self.solver = solver
        self.optimality_fn = optimality_fn
        self.solve = solve
        self.batched = batched
        self.has_aux = has_aux
        self.argnums = argnums
        self.last_info = None
        self.aux = None
        self.direct = False  # a named Krylov method: small adjoint systems may be solved directly
        self.method = None  # the named Krylov method, if any
        self.tol = None
        self.maxiter = None
        self.on_fail = "warn"
        self.jacobian = None  # x, *params -> dT/dx per member, sparse (custom_root's jacobian=)


def _check_argnums(argnums):
    if argnums is None:
        return None
    items = (argnums,) if isinstance(argnums, int) and not isinstance(argnums, bool) else argnums
    if not isinstance(items, (tuple, list)) or not all(isinstance(i, int) and not isinstance(i, bool) for i in items):
        raise TypeError(f"argnums must be None, an int or a tuple of ints, got {argnums!r}")
    if any(i < 0 for i in items) or len(set(items)) != len(items):
        raise ValueError(f"argnums must be distinct indices >= 0 into the solver's params, got {argnums!r}")
    return frozenset(items)


def custom_root(
    optimality_fn: Callable[..., Tensor],
    solve="gmres",
    *,
    has_aux: bool = False,
    argnums=None,
    batched: bool = False,
    tol: float | None = None,
    maxiter: int | None = None,
    restart: int | None = None,
    on_fail: str = "warn",
    jacobian: Callable | None = None,
):
    """Decorator making a root-finding solver differentiable by implicit differentiation.

    Invariant: ``F(sol, *params) == 0`` at the solution (``F = optimality_fn``).

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
        has_aux: the solver returns ``(x*, aux)``; the decorated function then
            returns ``(x*, aux)`` too, ``aux`` not differentiated (as in jaxopt/torchopt).
        argnums: indices into ``params`` (0 = the solver's first argument after
            ``init``), an int or a tuple, of the parameters to differentiate; the
            others get no gradient and cost nothing in backward.  Default: every
            tensor parameter that requires grad.
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
        tol, maxiter, restart, on_fail: forwarded to the named Krylov solver
            (``"cg"``: its recursion stops on the recursive residual and the true one comes
            from the gradient replay; if that misses ``tol``, ``cg`` continues from there,
            so at most ``2 * maxiter`` iterations in all).  With a named solver, systems of at most ``DIRECT_MAX_N`` (40)
            unknowns whose Jacobians ``[B, N, N]`` have at most ``DIRECT_MAX_ENTRIES``
            (2^18) entries are solved directly instead: the Jacobian is formed by one
            vmapped replay of ``T``'s graph and LU-factorised, and the result is kept
            only if its true residual meets ``tol`` (else the Krylov solver runs);
            ``backward_info().method`` is then ``"direct"`` (0 iterations).
        jacobian: optional ``jacobian(x, *params) -> dT/dx`` for ``batched=True`` and a named
            ``solve``: one sparse ``N x N`` matrix per member, as a
            :class:`~bigrad.krylov.BatchedCSR`, a list of scipy sparse matrices or a torch sparse
            CSR batch ``[B, N, N]`` (called on detached inputs, in no-grad mode). The adjoint
            systems then run natively on the per-system CSR path (no autograd replay per
            iteration; GMRES and BiCGSTAB on the transposes) and one replay of ``T`` gives the
            parameter gradients. For sparse Hessians, e.g. the stationarity of a sparse quadratic.

    Returns:
        a decorator; the decorated function has the signature of ``solver`` and
        an attribute ``backward_info()`` returning the
        :class:`~bigrad.krylov.KrylovInfo` of the latest backward solve (or None).

    torch.func: the decorated solver works under ``vmap`` (one solve per vmapped
    sample, so the solver need not be batched), ``grad`` and ``jacrev``.


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
    if not isinstance(has_aux, bool):
        raise TypeError(f"has_aux must be a bool, got {type(has_aux).__name__}")
    argnums = _check_argnums(argnums)
    if jacobian is not None:
        if not callable(jacobian):
            raise TypeError(f"jacobian must be callable or None, got {type(jacobian).__name__}")
        if not batched or not isinstance(solve, str):
            raise ValueError("jacobian= needs batched=True and a named solve ('cg', 'minres', 'gmres', 'bicgstab')")
    solve_fn = resolve_solve(solve, tol=tol, maxiter=maxiter, restart=restart, on_fail=on_fail)

    def decorator(solver):
        if not callable(solver):
            raise TypeError(f"solver must be callable, got {type(solver).__name__}")
        spec = _Spec(solver, optimality_fn, solve_fn, batched, has_aux, argnums)
        spec.direct, spec.tol = isinstance(solve, str), tol
        spec.method = solve if isinstance(solve, str) else None
        spec.maxiter, spec.on_fail = maxiter, on_fail
        spec.jacobian = jacobian

        @functools.wraps(solver)
        def wrapped(init, *params):
            if argnums is not None and max(argnums) >= len(params):
                raise ValueError(f"argnums {sorted(argnums)} out of range for {len(params)} parameter(s)")
            solution = fast_apply(_RootFunction, spec, init, *params)
            if has_aux:
                aux, spec.aux = spec.aux, None
                return solution, aux
            return solution

        wrapped.backward_info = lambda: spec.last_info
        return wrapped

    return decorator

"""``BilevelLayer``: a continuous bilevel program as a differentiable torch layer (BiGrad §3.1).

Forward: solve ``min_x f(x, y, z)``, ``y in argmin_y g(x, y, z)`` for a batch of
inputs ``z`` (any solver; none is differentiated).  Backward: Theorem 2 with
vector-Jacobian products and a Krylov solve (``O(n)`` memory), see
:mod:`bigrad.implicit.bilevel`.  Gradients reach ``z`` and the parameters of
``f``/``g`` when they are ``nn.Module``s.
"""
from __future__ import annotations

import math
import time
import warnings
from collections.abc import Callable

import torch
from torch import Tensor, nn

from bigrad.implicit.bilevel import bilevel_solution
from bigrad.implicit.constraints import NullSpace, feasibility_restorer, with_barrier
from bigrad.implicit.optim import (
    OUTER_SOLVERS,
    BilevelConvergenceWarning,
    check_tol,
    current_deadline,
    deadline_scope,
    resolve_inner,
    solve_bilevel,
)
from bigrad.implicit.phase1 import bilevel_phase1

__all__ = ["BilevelLayer"]

_BACKWARD = ("kkt", "reduced")
_MAX_STAGES = 200


def _pos_int(v, name):
    if isinstance(v, bool) or not isinstance(v, int):
        raise TypeError(f"{name} must be an int, got {type(v).__name__}")
    if v < 1:
        raise ValueError(f"{name} must be >= 1, got {v}")
    return v


def _pos_float(v, name):
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        raise TypeError(f"{name} must be a number, got {type(v).__name__}")
    if not v > 0:
        raise ValueError(f"{name} must be > 0, got {v}")
    return float(v)


def _take(z, mask):
    return z[mask] if isinstance(z, Tensor) and z.dim() > 0 and z.shape[0] == mask.shape[0] else z


def _opt_callable(v, name):
    if v is not None and not callable(v):
        raise TypeError(f"{name} must be callable or None, got {type(v).__name__}")
    return v


class BilevelLayer(nn.Module):
    r"""Differentiable solution map ``z -> (x*, y*)`` of a continuous bilevel problem.

    .. code-block:: text

        min_x f(x, y, z)        s.t.  A_eq x = b_eq,  ineq_x(x, y, z) < 0
        y in argmin_y g(x, y, z) s.t.  B_eq y = c_eq,  ineq_y(x, y, z) < 0

    Args:
        f, g: objectives ``(x [B, n], y [B, m], z [B, ...]) -> [B]`` (per-sample values;
            samples must not interact).  ``g`` must be strongly convex in ``y`` near
            the solution; the Theorem 2 Jacobian must be invertible.  If ``f``/``g``
            are ``nn.Module``s they are registered as submodules and their
            parameters receive gradients (summed over the batch).
        x_dim, y_dim: ``n`` and ``m``.
        minmax: solve ``min_x max_y f(x, y, z)`` (``g`` must be None; internally
            ``g = -f``).  The paper writes the same problem as
            ``min_y max_x g``; here the *outer* variable ``x`` minimises and the
            *inner* ``y`` maximises ``f``, which must be strongly concave in ``y``.
        A_eq, b_eq: outer equalities ``A_eq x = b_eq`` (``[k, n]``, ``[k]`` or ``[B, k]``).
        B_eq, c_eq: inner equalities ``B_eq y = c_eq``.  Both are eliminated by a
            null-space reparametrisation ``x = x0 + N u`` (SVD, computed once; the
            dense basis costs ``n * (n - k)`` memory).  The right-hand sides are
            constants (no gradient).
        ineq_x, ineq_y: inequality constraints ``(x, y, z) -> [B, k]``, feasible when
            all entries are ``< 0``, handled by the log barrier
            ``f + (1/t) * (-sum log(-h))`` (equivalent to ``t f - sum log(-h)``,
            Eq. 17).  ``x0`` must be strictly feasible for ``ineq_x`` at
            ``(x0, y*(x0))``; a ``y0`` outside the inner constraints is first
            moved inside (see :func:`bigrad.implicit.feasibility_restorer`).
        barrier_t: final barrier parameter ``t`` (the solution is that of the
            barrier problem; its constrained error is ``O(k / t)``, ``O(1 / sqrt(t))``
            where strict complementarity fails) (default 1e8 in float64, 1e3 in
            lower precision).  The inner barrier always uses ``barrier_t``, so that
            ``y*(x)`` and hence the feasibility of coupled upper-level constraints
            ``ineq_x(x, y*(x))`` do not change between continuation stages.
        barrier_t0, barrier_mu: continuation of the *outer* barrier ``t = t0,
            mu t0, ...`` up to ``barrier_t`` (``mu = 10``; default ``t0 = 10 k / |f(x0, y0)|``
            clipped to ``[1, barrier_t]`` with ``k`` outer constraints).  Each stage is
            warm-started from the previous one; intermediate stages stop at the
            relative tolerance ``stage_tol`` (default 1e-6).  A stage that cannot
            start or that ends infeasible is restarted from the last feasible point
            with a smaller increase of ``t`` (nothing is thrown away); if ``t`` cannot
            grow any more the last feasible point is returned with a warning.
        solver: optional forward solver ``solver(f, g, z, x0, y0) -> (x, y)``
            replacing the built-in one.  It receives the *internal* objectives
            (after null-space reparametrisation and barrier), ``z [B, ...]``
            and starting points of the internal dimensions.
        inner_solver: ``"newton"`` (Newton-CG, default), ``"gd"`` or a callable
            ``(fun, y0, **inner_options) -> y | (y, info)`` minimising ``fun(y) -> [B]``.
        inner_options: keyword options of the inner solver (``tol``, ``maxiter``, ``lr``...).
        outer_solver: ``"lbfgs"`` (default: L-BFGS on the reduced problem
            ``x -> f(x, y*(x))`` with a backtracking line search judged after the
            inner re-solve, so coupled constraints stay feasible), ``"bb"``
            (Barzilai-Borwein steps) or ``"gd"`` (fixed step ``outer_lr``); see
            :func:`bigrad.implicit.solve_bilevel`.
        outer_lr: first (``"lbfgs"``, ``"bb"``) or fixed (``"gd"``) outer step.
        tol, maxiter: outer stopping rule ``||F|| <= tol * max(1, ||F_0||)`` and
            iteration cap (default tol: 1e-10 in float64, 1e-4 otherwise).
        hypergradient_options: ``tol``/``maxiter`` of the CG in Theorem 1.
        backward: ``"kkt"`` (default) or ``"reduced"`` adjoint system (see
            :func:`bigrad.implicit.bilevel_vjp`).
        backward_solver: ``None`` (MINRES for ``"kkt"``, GMRES for ``"reduced"``),
            ``"minres"``, ``"gmres"``, ``"bicgstab"`` or a callable ``solve(matvec, b)``.
        backward_tol, backward_maxiter, restart: Krylov options of the backward pass.
        on_fail: ``"warn"`` (default), ``"raise"`` or ``"ignore"`` on non-convergence
            of the forward or backward solvers.
        time_limit: wall-clock seconds for one forward solve (phase 1 and all stages;
            checked at every outer iteration); the last feasible point is returned
            with status ``"time_limit"``.

    Any start: a start outside the constraints is first moved inside by a phase 1
    (:func:`bigrad.implicit.phase1.bilevel_phase1`: joint restoration of ``(x, y)``,
    then the auxiliary bilevel problem ``min s, G(x, y*(x)) < s``).  Members for
    which phase 1 finds no strictly feasible point are returned at their start
    with status ``"infeasible"`` (proven: affine constraints that no point satisfies
    together) or ``"phase1_failed"`` (no start found: nonconvex constraints, no
    ``x`` with ``G(x, y*(x)) < 0``, or an objective not finite there).  Ctrl-C during the solve returns the last
    feasible point with status ``"interrupted"``.

    Shapes: ``forward(z)`` with ``z [B, ...]`` returns ``x [B, n]``, ``y [B, m]``;
    a 1-D ``z [p]`` is one sample and returns ``x [n]``, ``y [m]``.

    After a call, ``last_forward_info`` holds the :class:`~bigrad.implicit.BilevelSolveInfo`
    of the final stage (``.converged``, ``.iterations``, ``.outer``, ``.inner``;
    None for a custom solver), ``last_forward_status`` one of ``"converged"``,
    ``"not_converged"``, ``"infeasible"``, ``"phase1_failed"``, ``"time_limit"``, ``"interrupted"`` per
    member, ``last_forward_stages`` those of every barrier
    stage and, after backward, ``last_backward_info`` the
    :class:`~bigrad.implicit.BilevelVJPInfo`.
    """

    def __init__(
        self,
        f: Callable,
        g: Callable | None = None,
        *,
        x_dim: int,
        y_dim: int,
        minmax: bool = False,
        A_eq: Tensor | None = None,
        b_eq: Tensor | None = None,
        B_eq: Tensor | None = None,
        c_eq: Tensor | None = None,
        ineq_x: Callable | None = None,
        ineq_y: Callable | None = None,
        barrier_t: float | None = None,
        barrier_t0: float | None = None,
        barrier_mu: float = 10.0,
        solver: Callable | None = None,
        inner_solver="newton",
        inner_options: dict | None = None,
        outer_solver: str = "lbfgs",
        outer_lr: float = 1.0,
        tol: float | None = None,
        maxiter: int = 500,
        stage_tol: float | None = 1e-6,
        hypergradient_options: dict | None = None,
        backward: str = "kkt",
        backward_solver=None,
        backward_tol: float | None = None,
        backward_maxiter: int | None = None,
        restart: int | None = None,
        on_fail: str = "warn",
        time_limit: float | None = None,
    ):
        super().__init__()
        if not callable(f):
            raise TypeError(f"f must be callable, got {type(f).__name__}")
        if not isinstance(minmax, bool):
            raise TypeError(f"minmax must be a bool, got {type(minmax).__name__}")
        if minmax and g is not None:
            raise ValueError("g must be None when minmax=True (the inner objective is -f)")
        if not minmax and not callable(g):
            raise TypeError(f"g must be callable (or minmax=True), got {type(g).__name__}")
        self.x_dim, self.y_dim = _pos_int(x_dim, "x_dim"), _pos_int(y_dim, "y_dim")
        self.f, self.g, self.minmax = f, g, minmax  # nn.Modules get registered as submodules
        self.x_space = self._nullspace(A_eq, b_eq, "A_eq", "b_eq", self.x_dim)
        self.y_space = self._nullspace(B_eq, c_eq, "B_eq", "c_eq", self.y_dim)
        self.ineq_x = _opt_callable(ineq_x, "ineq_x")
        self.ineq_y = _opt_callable(ineq_y, "ineq_y")
        self.barrier_t = None if barrier_t is None else _pos_float(barrier_t, "barrier_t")
        self.barrier_t0 = None if barrier_t0 is None else _pos_float(barrier_t0, "barrier_t0")
        if self.barrier_t0 is not None and self.barrier_t is not None and self.barrier_t0 > self.barrier_t:
            raise ValueError(f"barrier_t0 must be <= barrier_t, got {barrier_t0} > {barrier_t}")
        self.barrier_mu = _pos_float(barrier_mu, "barrier_mu")
        if self.barrier_mu <= 1:
            raise ValueError(f"barrier_mu must be > 1, got {barrier_mu}")
        self.solver = _opt_callable(solver, "solver")
        resolve_inner(inner_solver)
        if outer_solver not in OUTER_SOLVERS:
            raise ValueError(f"outer_solver must be one of {OUTER_SOLVERS}, got {outer_solver!r}")
        tol = check_tol(tol)
        self.stage_tol = 1e-6 if stage_tol is None else check_tol(stage_tol, "stage_tol")
        if backward not in _BACKWARD:
            raise ValueError(f"backward must be one of {_BACKWARD}, got {backward!r}")
        if on_fail not in ("warn", "raise", "ignore"):
            raise ValueError(f"on_fail must be 'warn', 'raise' or 'ignore', got {on_fail!r}")
        if not (backward_solver is None or isinstance(backward_solver, str) or callable(backward_solver)):
            raise TypeError(f"backward_solver must be a string or a callable, got {type(backward_solver).__name__}")
        self.solve_options = dict(
            inner=inner_solver,
            inner_options=dict(inner_options or {}),
            outer=outer_solver,
            lr=_pos_float(outer_lr, "outer_lr"),
            tol=tol,
            maxiter=_pos_int(maxiter, "maxiter"),
            hypergradient_options=dict(hypergradient_options or {}),
            on_fail=on_fail,
        )
        self.backward_options = dict(
            method=backward, solve=backward_solver, tol=backward_tol, maxiter=backward_maxiter,
            restart=restart, on_fail=on_fail,
        )
        self.time_limit = None if time_limit is None else _pos_float(time_limit, "time_limit")
        self.last_forward_info = None
        self.last_forward_stages: list = []
        self.last_forward_status: list[str] = []
        self._spec = None

    @staticmethod
    def _nullspace(A, b, name_a, name_b, dim):
        if A is None and b is None:
            return None
        if A is None or b is None:
            raise ValueError(f"{name_a} and {name_b} must be given together")
        if not isinstance(A, Tensor) or A.dim() != 2 or A.shape[1] != dim:
            raise ValueError(f"{name_a} must be a tensor of shape [k, {dim}], got {getattr(A, 'shape', A)}")
        space = NullSpace(A.to(torch.float64), b.to(torch.float64), name=name_a)
        if space.dim == 0:
            raise ValueError(f"{name_a} has full column rank: the variable is fixed, nothing to optimise")
        return space

    @property
    def last_backward_info(self):
        return None if self._spec is None else self._spec.last_info

    # -- internal problem ---------------------------------------------------------
    def _maps(self, dtype, device):
        def make(space):
            if space is None:
                return (lambda u: u), (lambda x: x), None
            sp = space.to(dtype=dtype, device=device)
            return sp.expand, sp.reduce, sp

        return make(self.x_space), make(self.y_space)

    def _objectives(self, expand_x, expand_y, t, t_inner=None):
        g_full = (lambda x, y, z: -self.f(x, y, z)) if self.minmax else self.g
        f_full = self.f
        if self.ineq_x is not None:
            f_full = with_barrier(f_full, self.ineq_x, t)
        if self.ineq_y is not None:
            g_full = with_barrier(g_full, self.ineq_y, t if t_inner is None else t_inner)

        def f_int(u, v, z):
            return f_full(expand_x(u), expand_y(v), z)

        def g_int(u, v, z):
            return g_full(expand_x(u), expand_y(v), z)

        return f_int, g_int

    def _barrier_ts(self, dtype):
        """``(t0 or None (automatic), t_final)``."""
        t_final = self.barrier_t
        if t_final is None:
            t_final = 1e8 if dtype == torch.float64 else 1e3
        t0 = None if self.barrier_t0 is None else min(self.barrier_t0, t_final)
        return t0, t_final

    def _first_t(self, t0, t_final, ex, ey, u, v, z) -> float:
        """First barrier stage: ``barrier_t0``, or ``10 k / |f(x0, y0)|`` clipped to ``[1, t_final]``."""
        if self.ineq_x is None:
            return t_final  # the inner barrier is fixed at t_final: nothing to continue
        if t0 is not None:
            return t0
        with torch.no_grad():
            x, y = ex(u), ey(v)
            k = self.ineq_x(x, y, z).shape[1]
            scale = float(self.f(x, y, z).abs().max())
        if not math.isfinite(scale):
            return 1.0
        return min(max(10.0 * k / max(scale, 1e-12), 1.0), t_final)

    def _start(self, v0, B, dim, reduce, like, name):
        if v0 is None:
            v0 = torch.zeros(B, dim, dtype=like.dtype, device=like.device)
        else:
            if not isinstance(v0, Tensor):
                raise TypeError(f"{name} must be a torch.Tensor or None, got {type(v0).__name__}")
            if v0.shape[-1] != dim or v0.dim() not in (1, 2) or (v0.dim() == 2 and v0.shape[0] != B):
                raise ValueError(f"{name} must have shape [{dim}] or [{B}, {dim}], got {tuple(v0.shape)}")
            if not bool(torch.isfinite(v0).all()):
                raise ValueError(f"{name} must be finite (found NaN or inf)")
            v0 = v0.detach().to(dtype=like.dtype, device=like.device).expand(B, dim)
        return reduce(v0).contiguous()

    def _restorer(self, ex, ey, z):
        if self.ineq_y is None:
            return None
        ineq = self.ineq_y
        return feasibility_restorer(lambda u, v: ineq(ex(u), ey(v), z))

    # -- forward ------------------------------------------------------------------
    def forward(self, z: Tensor, x0: Tensor | None = None, y0: Tensor | None = None):
        """Solve for a batch ``z [B, ...]`` (or one sample ``z [p]``) -> ``(x, y)``.

        ``x0 [B, n] | [n]`` and ``y0 [B, m] | [m]`` are starting points (default zeros).
        """
        if not isinstance(z, Tensor) or not z.is_floating_point():
            raise TypeError(f"z must be a floating torch.Tensor, got {getattr(z, 'dtype', type(z).__name__)}")
        if z.dim() == 0:
            raise ValueError("z must have shape [p] or [B, ...], got a scalar")
        # (under torch.func transforms this would be data-dependent control flow: skipped there)
        if not torch._C._functorch.is_functorch_wrapped_tensor(z) and not bool(torch.isfinite(z).all()):
            bad = (~torch.isfinite(z.detach())).nonzero()[0].tolist()
            raise ValueError(f"z must be finite: found {float(z.detach()[tuple(bad)])} at index {bad}")
        single = z.dim() == 1
        zb = z.unsqueeze(0) if single else z
        B = zb.shape[0]
        (ex, rx, _), (ey, ry, _) = self._maps(zb.dtype, zb.device)
        u0 = self._start(x0, B, self.x_dim, rx, zb, "x0")
        v0 = self._start(y0, B, self.y_dim, ry, zb, "y0")
        t0, t_final = self._barrier_ts(zb.dtype)
        q_zero = self.minmax and self.ineq_x is None and self.ineq_y is None
        self._check_dims(ex, ey, u0, v0, zb)
        layer = self

        def run_solver(zz):
            outer = current_deadline()  # a caller's deadline_scope still holds
            deadline = outer if layer.time_limit is None else time.perf_counter() + layer.time_limit
            if outer is not None and deadline is not None:
                deadline = min(deadline, outer)
            with deadline_scope(deadline):
                return layer._run(zz, u0, v0, ex, ey, t0, t_final, q_zero, deadline)

        f_T, g_T = self._objectives(ex, ey, t_final)
        params = [p for p in self.parameters() if p.requires_grad]
        u, v, spec = bilevel_solution(f_T, g_T, run_solver, zb, params, q_zero=q_zero, **self.backward_options)
        self._spec = spec
        x, y = ex(u), ey(v)
        return (x[0], y[0]) if single else (x, y)

    def _run(self, zz, u0, v0, ex, ey, t0, t_final, q_zero, deadline):
        """Phase 1, then the barrier stages on the members with a feasible start -> ``(u, v)``."""
        restore = self._restorer(ex, ey, zz)
        self.last_forward_stages, self.last_forward_info = [], None
        B = u0.shape[0]
        try:
            u, v, feas, joint = self._phase1(zz, u0, v0, ex, ey, t_final, restore, deadline)
        except KeyboardInterrupt:
            self.last_forward_status = ["interrupted"] * B
            return u0.detach(), v0.detach()
        # phase 1 cut short by the time limit proves nothing about feasibility
        timed = deadline is not None and time.perf_counter() > deadline
        status = ["time_limit" if timed else ("phase1_failed" if j else "infeasible") for j in joint.tolist()]
        if bool(feas.any()):
            idx = feas.nonzero().flatten()
            sub = feas.all()
            zs = zz if sub else _take(zz, feas)
            us, vs, st = self._stages(zs, u if sub else u[idx], v if sub else v[idx], ex, ey, t0, t_final,
                                      q_zero, restore if sub else self._restorer(ex, ey, zs), deadline)
            u, v = (us, vs) if sub else (u.index_copy(0, idx, us), v.index_copy(0, idx, vs))
            for k, i in enumerate(idx.tolist()):
                status[i] = st[k]
        else:
            warnings.warn("BilevelLayer: phase 1 found no strictly feasible start (the problem is infeasible "
                          "at the start's neighbourhood); returning the start", BilevelConvergenceWarning,
                          stacklevel=3)
        self.last_forward_status = status
        return u.detach(), v.detach()

    def _phase1(self, zz, u, v, ex, ey, t_final, restore, deadline):
        _, g_t = self._objectives(ex, ey, t_final, t_final)
        hx, hy = self.ineq_x, self.ineq_y
        ix = None if hx is None else (lambda a, b, c: hx(ex(a), ey(b), c))
        iy = None if hy is None else (lambda a, b, c: hy(ex(a), ey(b), c))
        opts = {**self.solve_options, "deadline": deadline}
        return bilevel_phase1(g_t, ix, iy, zz, u, v, restore=restore, solve_options=opts)

    def _stages(self, zz, u, v, ex, ey, t0, t_final, q_zero, restore, deadline):
        """Barrier continuation from a strictly feasible ``(u, v)`` -> ``(u, v, status [B])``."""
        t_first = self._first_t(t0, t_final, ex, ey, u, v, zz)
        mu, last_t, last, status = self.barrier_mu, None, None, None
        try:
            for _ in range(_MAX_STAGES):
                t = t_first if last is None else min(last_t * mu, t_final)
                final = t >= t_final * (1 - 1e-12)
                f_t, g_t = self._objectives(ex, ey, t, t_final)
                try:
                    if self.solver is not None:
                        self._check_feasible(f_t, g_t, u, v, zz)
                        u1, v1 = self.solver(f_t, g_t, zz, u, v)
                        info = None
                    else:
                        opts = dict(self.solve_options, deadline=deadline)
                        if not final:
                            opts.update(tol=max(self.stage_tol, opts["tol"] or 0.0), on_fail="ignore")
                        u1, v1, info = solve_bilevel(f_t, g_t, zz, u, v, q_zero=q_zero, restore=restore, **opts)
                    ok = self._feasible(f_t, g_t, u1, v1, zz)
                except ValueError as err:
                    if last is None and self.solver is None and "not strictly feasible" in str(err):
                        # phase 1 found G, g < 0, but f or g is not finite there (e.g. NaN outside the domain of
                        # an objective): no start, reported, not raised
                        return u.detach(), v.detach(), ["phase1_failed"] * u.shape[0]
                    if last is None:  # an error of the problem's functions (shapes...)
                        raise
                    ok = False
                if ok:
                    self.last_forward_info = info
                    if info is not None:
                        self.last_forward_stages.append(info)
                    last, last_t = (u1.detach(), v1.detach()), t
                    u, v = last
                    if deadline is not None and time.perf_counter() > deadline and not final:
                        status = "time_limit"
                        break
                    if final:
                        break
                    mu = min(self.barrier_mu, mu * mu)
                    continue
                if last is None:
                    raise ValueError(f"the forward solver returned a point outside the feasible set at barrier "
                                     f"stage t={t:g}, and no earlier feasible point exists")
                # the stage could not start (the inner solution moved with t and left the upper-level
                # constraints) or ended infeasible: restart it from the last feasible point, smaller step in t
                u, v = last
                mu = mu**0.5
                if mu < 1 + 1e-4:
                    break
        except KeyboardInterrupt:
            status = "interrupted"
        B = u.shape[0]
        if status is not None:
            return u.detach(), v.detach(), [status] * B
        if last_t is None or last_t < t_final * (1 - 1e-12):
            warnings.warn(
                f"BilevelLayer: barrier continuation stopped at t={last_t:g} < barrier_t={t_final:g} (no "
                "feasible start for a larger t); returning the last feasible point",
                BilevelConvergenceWarning, stacklevel=4)
            return u.detach(), v.detach(), ["not_converged"] * B
        conv = self.last_forward_info.converged.tolist() if self.last_forward_info is not None else [True] * B
        timed = deadline is not None and time.perf_counter() > deadline
        return u.detach(), v.detach(), [
            "converged" if c else ("time_limit" if timed else "not_converged") for c in conv]

    def _check_dims(self, ex, ey, u, v, z):
        """Evaluate ``f``/``g`` once at the start so shape mistakes name ``x_dim``/``y_dim``."""
        x, y = ex(u), ey(v)
        funs = [("f", self.f), ("g", self.g)] if not self.minmax else [("f", self.f)]
        funs += [(n, h) for n, h in (("ineq_x", self.ineq_x), ("ineq_y", self.ineq_y)) if h is not None]
        with torch.no_grad():
            for name, fun in funs:
                try:
                    fun(x, y, z)
                except (RuntimeError, IndexError) as err:
                    raise ValueError(
                        f"{name}(x, y, z) failed on x [{x.shape[0]}, {self.x_dim}] (x_dim={self.x_dim}), "
                        f"y [{y.shape[0]}, {self.y_dim}] (y_dim={self.y_dim}), z {list(z.shape)}: {err}. "
                        "Check that x_dim and y_dim match the objectives."
                    ) from err

    @staticmethod
    def _feasible(f, g, u, v, z) -> bool:
        with torch.no_grad():
            return bool(torch.isfinite(f(u, v, z)).all()) and bool(torch.isfinite(g(u, v, z)).all())

    def _check_feasible(self, f, g, u, v, z):
        if not self._feasible(f, g, u, v, z):
            raise ValueError(
                "x0/y0 must be strictly feasible (f and g must be finite at the starting point; "
                "with inequality constraints all ineq values must be < 0)"
            )

    def extra_repr(self) -> str:
        parts = [f"x_dim={self.x_dim}", f"y_dim={self.y_dim}"]
        if self.minmax:
            parts.append("minmax=True")
        if self.x_space is not None:
            parts.append(f"A_eq rank={self.x_space.rank}")
        if self.y_space is not None:
            parts.append(f"B_eq rank={self.y_space.rank}")
        if self.ineq_x is not None or self.ineq_y is not None:
            parts.append(f"barrier_t={self._barrier_ts(torch.float64)[1]:g}")
        parts.append(f"backward={self.backward_options['method']}")
        return ", ".join(parts)

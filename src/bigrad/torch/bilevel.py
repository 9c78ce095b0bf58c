"""``BilevelLayer``: a continuous bilevel program as a differentiable torch layer (BiGrad §3.1).

Forward: solve ``min_x f(x, y, z)``, ``y in argmin_y g(x, y, z)`` for a batch of
inputs ``z`` (any solver; none is differentiated) by
:class:`bigrad.implicit.constrained.ConstrainedBilevel` (null spaces, phase 1,
barrier continuation).  Backward: Theorem 2 with vector-Jacobian products and a
Krylov solve (``O(n)`` memory), see :mod:`bigrad.implicit.bilevel`.  Gradients
reach ``z`` and the parameters of ``f``/``g`` when they are ``nn.Module``s.  This
module is the torch adapter: argument checks, shapes, start points, the time limit.
The solver options are one :class:`~bigrad.implicit.BilevelOptions`.
"""
from __future__ import annotations

import time
from collections.abc import Callable

import torch
from torch import Tensor, nn

from bigrad.implicit.bilevel import bilevel_solution
from bigrad.implicit.constrained import ConstrainedBilevel, ForwardRecord, equality_space
from bigrad.implicit.optim import current_deadline, deadline_scope
from bigrad.implicit.options import BilevelOptions, check_on_fail, merge_deprecated, pos_float, pos_int

__all__ = ["BilevelLayer", "LAYER_NAMES"]

#: the former solver keywords of :class:`BilevelLayer` -> their :class:`~bigrad.implicit.BilevelOptions` fields
LAYER_NAMES = {
    "barrier_t": "barrier_t", "barrier_t0": "barrier_t0", "barrier_mu": "barrier_mu", "stage_tol": "stage_tol",
    "solver": "forward_solver", "inner_solver": "inner_solver", "inner_options": "inner_options",
    "outer_solver": "outer_solver", "outer_lr": "outer_lr", "tol": "tol", "maxiter": "maxiter",
    "hypergradient_options": "hypergradient_options", "backward": "backward", "backward_solver": "backward_solver",
    "backward_tol": "backward_tol", "backward_maxiter": "backward_maxiter", "restart": "backward_restart",
}


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
        on_fail: ``"warn"`` (default), ``"raise"`` or ``"ignore"`` on non-convergence
            of the forward or backward solvers.
        options: :class:`~bigrad.implicit.BilevelOptions`, the solver options (None: the
            defaults).  Those of the forward solve (``outer_solver``, ``outer_lr``, ``tol``,
            ``maxiter``, ``inner_solver``, ``inner_options``, ``hypergradient_options``...,
            see :func:`bigrad.implicit.solve_bilevel`), a ``forward_solver`` replacing it
            (``(f, g, z, x0, y0) -> (x, y)``; it receives the *internal* objectives, after
            null-space reparametrisation and barrier, ``z [B, ...]`` and starting points of
            the internal dimensions), those of the backward pass (``backward``,
            ``backward_solver``, ``backward_tol``, ``backward_maxiter``, ``backward_restart``,
            see :func:`bigrad.implicit.bilevel_vjp`) and those of the barrier:

            * ``barrier_t``: final barrier parameter ``t`` (the solution is that of the
              barrier problem; its constrained error is ``O(k / t)``, ``O(1 / sqrt(t))``
              where strict complementarity fails) (default 1e8 in float64, 1e3 in
              lower precision).  The inner barrier always uses ``barrier_t``, so that
              ``y*(x)`` and hence the feasibility of coupled upper-level constraints
              ``ineq_x(x, y*(x))`` do not change between continuation stages.
            * ``barrier_t0``, ``barrier_mu``: continuation of the *outer* barrier ``t = t0,
              mu t0, ...`` up to ``barrier_t`` (``mu = 10``; default ``t0 = 10 k / |f(x0, y0)|``
              clipped to ``[1, barrier_t]`` with ``k`` outer constraints).  Each stage is
              warm-started from the previous one; intermediate stages stop at the
              relative tolerance ``stage_tol`` (default 1e-6).  A stage that cannot
              start or that ends infeasible is restarted from the last feasible point
              with a smaller increase of ``t`` (nothing is thrown away); if ``t`` cannot
              grow any more the last feasible point is returned with a warning.

            The algorithm is :class:`bigrad.implicit.constrained.ConstrainedBilevel`.
        time_limit: wall-clock seconds for one forward solve (phase 1 and all stages;
            checked at every outer iteration); the last feasible point is returned
            with status ``"time_limit"``.
        **deprecated: the former solver keywords ``barrier_t``, ``barrier_t0``, ``barrier_mu``,
            ``stage_tol``, ``solver`` (now ``forward_solver``), ``inner_solver``, ``inner_options``,
            ``outer_solver``, ``outer_lr``, ``tol``, ``maxiter``, ``hypergradient_options``,
            ``backward``, ``backward_solver``, ``backward_tol``, ``backward_maxiter`` and
            ``restart`` (now ``backward_restart``) (:data:`LAYER_NAMES`); they override
            ``options``, with a DeprecationWarning.  Any other keyword raises TypeError.

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
        on_fail: str = "warn",
        options: BilevelOptions | None = None,
        time_limit: float | None = None,
        **deprecated,
    ):
        super().__init__()
        self.options = merge_deprecated(options, deprecated, LAYER_NAMES, "BilevelLayer")
        if not callable(f):
            raise TypeError(f"f must be callable, got {type(f).__name__}")
        if not isinstance(minmax, bool):
            raise TypeError(f"minmax must be a bool, got {type(minmax).__name__}")
        if minmax and g is not None:
            raise ValueError("g must be None when minmax=True (the inner objective is -f)")
        if not minmax and not callable(g):
            raise TypeError(f"g must be callable (or minmax=True), got {type(g).__name__}")
        self.x_dim, self.y_dim = pos_int(x_dim, "x_dim"), pos_int(y_dim, "y_dim")
        self.f, self.g, self.minmax = f, g, minmax  # nn.Modules get registered as submodules
        self.x_space = equality_space(A_eq, b_eq, "A_eq", "b_eq", self.x_dim)
        self.y_space = equality_space(B_eq, c_eq, "B_eq", "c_eq", self.y_dim)
        self.ineq_x = _opt_callable(ineq_x, "ineq_x")
        self.ineq_y = _opt_callable(ineq_y, "ineq_y")
        pos_int(self.options.maxiter, "maxiter")
        self.on_fail = check_on_fail(on_fail)
        self.time_limit = None if time_limit is None else pos_float(time_limit, "time_limit")
        self._forward = ForwardRecord()
        self._spec = None

    @property
    def last_forward_info(self):
        """:class:`~bigrad.implicit.BilevelSolveInfo` of the last call's final stage (None: custom solver)."""
        return self._forward.info

    @property
    def last_forward_stages(self) -> list:
        """The :class:`~bigrad.implicit.BilevelSolveInfo` of every barrier stage of the last call."""
        return self._forward.stages

    @property
    def last_forward_status(self) -> list[str]:
        """The last call's status per member (see the class docstring)."""
        return self._forward.status

    def problem(self) -> ConstrainedBilevel:
        """The constrained problem (null spaces, barriers, phase 1) that the forward pass solves."""
        return ConstrainedBilevel(self.f, self.g, minmax=self.minmax, x_space=self.x_space, y_space=self.y_space,
                                  ineq_x=self.ineq_x, ineq_y=self.ineq_y, options=self.options, on_fail=self.on_fail)

    @property
    def last_backward_info(self):
        return None if self._spec is None else self._spec.last_info

    # -- forward ------------------------------------------------------------------
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
        problem = self.problem()
        (ex, rx, _), (ey, ry, _) = problem.maps(zb.dtype, zb.device)
        u0 = self._start(x0, B, self.x_dim, rx, zb, "x0")
        v0 = self._start(y0, B, self.y_dim, ry, zb, "y0")
        t0, t_final = problem.barrier_ts(zb.dtype)
        q_zero = self.minmax and self.ineq_x is None and self.ineq_y is None
        self._check_dims(ex, ey, u0, v0, zb)
        layer = self

        def run_solver(zz):
            outer = current_deadline()  # a caller's deadline_scope still holds
            deadline = outer if layer.time_limit is None else time.perf_counter() + layer.time_limit
            if outer is not None and deadline is not None:
                deadline = min(deadline, outer)
            layer._forward = record = ForwardRecord()
            with deadline_scope(deadline):
                return problem.solve(zz, u0, v0, ex, ey, t0, t_final, q_zero, deadline, record)

        f_T, g_T = problem.objectives(ex, ey, t_final)
        params = [p for p in self.parameters() if p.requires_grad]
        u, v, spec = bilevel_solution(f_T, g_T, run_solver, zb, params, options=self.options, on_fail=self.on_fail,
                                      q_zero=q_zero)
        self._spec = spec
        x, y = ex(u), ey(v)
        return (x[0], y[0]) if single else (x, y)

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

    def extra_repr(self) -> str:
        parts = [f"x_dim={self.x_dim}", f"y_dim={self.y_dim}"]
        if self.minmax:
            parts.append("minmax=True")
        if self.x_space is not None:
            parts.append(f"A_eq rank={self.x_space.rank}")
        if self.y_space is not None:
            parts.append(f"B_eq rank={self.y_space.rank}")
        if self.ineq_x is not None or self.ineq_y is not None:
            parts.append(f"barrier_t={self.problem().barrier_ts(torch.float64)[1]:g}")
        parts.append(f"backward={self.options.backward}")
        return ", ".join(parts)

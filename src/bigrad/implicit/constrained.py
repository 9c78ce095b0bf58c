"""Constrained continuous bilevel problems: null-space reparametrisation, phase 1, barrier continuation.

.. code-block:: text

    min_x f(x, y, z)         s.t.  A_eq x = b_eq,  ineq_x(x, y, z) < 0
    y in argmin_y g(x, y, z)  s.t.  B_eq y = c_eq,  ineq_y(x, y, z) < 0

:class:`ConstrainedBilevel` reduces this to the unconstrained problems that
:func:`~bigrad.implicit.solve_bilevel` solves (appendix A.1 of the paper):

* the equalities by the null-space reparametrisation ``x = x0 + N u``
  (:class:`~bigrad.implicit.NullSpace`, :func:`equality_space`);
* the inequalities by the log barrier ``f + (1/t) * (-sum log(-h))``
  (:func:`~bigrad.implicit.with_barrier`), with a continuation of the outer ``t``
  up to ``barrier_t`` (:meth:`ConstrainedBilevel.solve`);
* a start outside the constraints by phase 1 (:func:`~bigrad.implicit.phase1.bilevel_phase1`),
  and a follower start outside the lower-level constraints after an outer step by
  feasibility restoration (:func:`~bigrad.implicit.feasibility_restorer`).

Everything works in the *internal* coordinates ``(u [B, n - rank A], v [B, m - rank B])``;
``maps`` gives the affine maps to and from ``(x [B, n], y [B, m])``.  This is the
forward solver of :class:`bigrad.torch.BilevelLayer`, which adds the torch-module
plumbing and the Theorem 2 backward pass.
"""
from __future__ import annotations

import math
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field, replace

import torch
from torch import Tensor

from .constraints import NullSpace, feasibility_restorer, with_barrier
from .optim import BilevelConvergenceWarning, BilevelSolveInfo, solve_bilevel
from .options import DEFAULT, BilevelOptions
from .phase1 import _take, bilevel_phase1

__all__ = ["ConstrainedBilevel", "ForwardRecord", "equality_space"]

#: barrier stages at the most (each restart of a stage with a smaller increase of ``t`` counts)
_MAX_STAGES = 200


def equality_space(A: Tensor | None, b: Tensor | None, name_a: str, name_b: str, dim: int) -> NullSpace | None:
    """The :class:`NullSpace` of ``A [k, dim] x = b [k] | [B, k]`` in float64, or None when both are None."""
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


def _identity(v: Tensor) -> Tensor:
    return v


@dataclass
class ForwardRecord:
    """What one :meth:`ConstrainedBilevel.solve` found.

    Attributes:
        info: :class:`~bigrad.implicit.BilevelSolveInfo` of the final stage (None for a
            ``forward_solver`` or when no stage ran).
        stages: that of every accepted barrier stage.
        status: per member, one of ``"converged"``, ``"not_converged"``, ``"infeasible"``,
            ``"phase1_failed"``, ``"time_limit"``, ``"interrupted"``.
    """

    info: BilevelSolveInfo | None = None
    stages: list = field(default_factory=list)
    status: list[str] = field(default_factory=list)


class ConstrainedBilevel:
    """A continuous bilevel problem with equality and inequality constraints (see the module docstring).

    Args:
        f, g: objectives ``(x [B, n], y [B, m], z [B, ...]) -> [B]``; with ``minmax`` ``g`` is
            ignored and the inner objective is ``-f``.
        x_space, y_space: :class:`NullSpace` of the outer / inner equalities, or None.
        ineq_x, ineq_y: ``(x, y, z) -> [B, k]``, feasible when all entries are ``< 0``, or None.
        options: :class:`~bigrad.implicit.BilevelOptions` (the forward and barrier fields).
        on_fail: of the final stage's :func:`solve_bilevel`.
    """

    def __init__(self, f: Callable, g: Callable | None, *, minmax: bool = False, x_space: NullSpace | None = None,
                 y_space: NullSpace | None = None, ineq_x: Callable | None = None, ineq_y: Callable | None = None,
                 options: BilevelOptions = DEFAULT, on_fail: str = "warn") -> None:
        if not minmax and g is None:
            raise TypeError("g must be callable unless minmax=True (the inner objective is then -f)")
        self.f, self.g, self.minmax = f, g, minmax
        self.x_space, self.y_space, self.ineq_x, self.ineq_y = x_space, y_space, ineq_x, ineq_y
        self.options, self.on_fail = options, on_fail
        # intermediate stages stop at stage_tol (or tol if larger) and do not report
        self.stage_options = replace(options, tol=max(options.stage_tol or 0.0, options.tol or 0.0))

    # -- reparametrisation and barrier ---------------------------------------------
    def maps(self, dtype: torch.dtype, device) -> tuple[tuple, tuple]:
        """``((expand_x, reduce_x, space_x), (expand_y, reduce_y, space_y))`` at ``dtype``/``device``."""
        def make(space):
            if space is None:
                return _identity, _identity, None
            sp = space.to(dtype=dtype, device=device)
            return sp.expand, sp.reduce, sp

        return make(self.x_space), make(self.y_space)

    def objectives(self, expand_x: Callable, expand_y: Callable, t: float, t_inner: float | None = None):
        """The internal ``(f_t, g_t)``: ``(u, v, z) -> [B]``, barriers at ``t`` (outer) and ``t_inner`` (inner)."""
        f = self.f
        g_full: Callable = (lambda x, y, z: -f(x, y, z)) if self.minmax or self.g is None else self.g
        f_full = f
        if self.ineq_x is not None:
            f_full = with_barrier(f_full, self.ineq_x, t)
        if self.ineq_y is not None:
            g_full = with_barrier(g_full, self.ineq_y, t if t_inner is None else t_inner)

        def f_int(u, v, z):
            return f_full(expand_x(u), expand_y(v), z)

        def g_int(u, v, z):
            return g_full(expand_x(u), expand_y(v), z)

        return f_int, g_int

    def barrier_ts(self, dtype: torch.dtype) -> tuple[float | None, float]:
        """``(t0 or None (automatic), t_final)``; ``t_final`` defaults to 1e8 in float64, 1e3 otherwise."""
        t_final = self.options.barrier_t
        if t_final is None:
            t_final = 1e8 if dtype == torch.float64 else 1e3
        t0 = self.options.barrier_t0
        return (None if t0 is None else min(t0, t_final)), t_final

    def first_t(self, t0, t_final, ex, ey, u, v, z) -> float:
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

    def restorer(self, ex, ey, z):
        """The lower-level feasibility restorer ``(u, v) -> v'`` (None without ``ineq_y``)."""
        if self.ineq_y is None:
            return None
        ineq = self.ineq_y
        return feasibility_restorer(lambda u, v: ineq(ex(u), ey(v), z))

    @staticmethod
    def feasible(f, g, u, v, z) -> bool:
        """``f`` and ``g`` finite at ``(u, v)`` for every member."""
        with torch.no_grad():
            return bool(torch.isfinite(f(u, v, z)).all()) and bool(torch.isfinite(g(u, v, z)).all())

    def check_feasible(self, f, g, u, v, z) -> None:
        if not self.feasible(f, g, u, v, z):
            raise ValueError(
                "x0/y0 must be strictly feasible (f and g must be finite at the starting point; "
                "with inequality constraints all ineq values must be < 0)"
            )

    # -- solve ----------------------------------------------------------------------
    def solve(self, zz, u0: Tensor, v0: Tensor, ex, ey, t0, t_final: float, q_zero: bool, deadline: float | None,
              record: ForwardRecord) -> tuple[Tensor, Tensor]:
        """Phase 1, then the barrier stages on the members with a feasible start -> ``(u [B, d_x], v [B, d_y])``.

        ``record`` (a fresh :class:`ForwardRecord`) receives the stages' diagnostics and the status.
        """
        restore = self.restorer(ex, ey, zz)
        B = u0.shape[0]
        try:
            u, v, feas, joint = self._phase1(zz, u0, v0, ex, ey, t_final, restore, deadline)
        except KeyboardInterrupt:
            record.status = ["interrupted"] * B
            return u0.detach(), v0.detach()
        # phase 1 cut short by the time limit proves nothing about feasibility
        timed = deadline is not None and time.perf_counter() > deadline
        status = ["time_limit" if timed else ("phase1_failed" if j else "infeasible") for j in joint.tolist()]
        if bool(feas.any()):
            idx = feas.nonzero().flatten()
            sub = feas.all()
            zs = zz if sub else _take(zz, feas)
            us, vs, st = self._stages(zs, u if sub else u[idx], v if sub else v[idx], ex, ey, t0, t_final,
                                      q_zero, restore if sub else self.restorer(ex, ey, zs), deadline, record)
            u, v = (us, vs) if sub else (u.index_copy(0, idx, us), v.index_copy(0, idx, vs))
            for k, i in enumerate(idx.tolist()):
                status[i] = st[k]
        else:
            warnings.warn("BilevelLayer: phase 1 found no strictly feasible start (the problem is infeasible "
                          "at the start's neighbourhood); returning the start", BilevelConvergenceWarning,
                          stacklevel=3)
        record.status = status
        return u.detach(), v.detach()

    def _phase1(self, zz, u, v, ex, ey, t_final, restore, deadline):
        _, g_t = self.objectives(ex, ey, t_final, t_final)
        hx, hy = self.ineq_x, self.ineq_y
        ix = None if hx is None else (lambda a, b, c: hx(ex(a), ey(b), c))
        iy = None if hy is None else (lambda a, b, c: hy(ex(a), ey(b), c))
        return bilevel_phase1(g_t, ix, iy, zz, u, v, restore=restore, options=self.options, deadline=deadline)

    def _stage(self, zz, u, v, ex, ey, t, t_final, final, q_zero, restore, deadline):
        """One barrier stage at ``t`` from ``(u, v)`` -> ``(u1, v1, info, feasible)``."""
        f_t, g_t = self.objectives(ex, ey, t, t_final)
        solver = self.options.forward_solver
        if solver is not None:
            self.check_feasible(f_t, g_t, u, v, zz)
            u1, v1 = solver(f_t, g_t, zz, u, v)
            info = None
        else:
            options, on_fail = (self.options, self.on_fail) if final else (self.stage_options, "ignore")
            u1, v1, info = solve_bilevel(f_t, g_t, zz, u, v, options=options, q_zero=q_zero, on_fail=on_fail,
                                         restore=restore, deadline=deadline)
        return u1, v1, info, self.feasible(f_t, g_t, u1, v1, zz)

    def _stages(self, zz, u, v, ex, ey, t0, t_final, q_zero, restore, deadline, record):
        """Barrier continuation from a strictly feasible ``(u, v)`` -> ``(u, v, status [B])``."""
        t_first = self.first_t(t0, t_final, ex, ey, u, v, zz)
        mu_max = self.options.barrier_mu
        mu, last_t, last, status = mu_max, None, None, None
        try:
            for _ in range(_MAX_STAGES):
                t = t_first if last is None else min(last_t * mu, t_final)
                final = t >= t_final * (1 - 1e-12)
                try:
                    u1, v1, info, ok = self._stage(zz, u, v, ex, ey, t, t_final, final, q_zero, restore, deadline)
                except ValueError as err:
                    if last is None and self.options.forward_solver is None and "not strictly feasible" in str(err):
                        # phase 1 found G, g < 0, but f or g is not finite there (e.g. NaN outside the domain of
                        # an objective): no start, reported, not raised
                        return u.detach(), v.detach(), ["phase1_failed"] * u.shape[0]
                    if last is None:  # an error of the problem's functions (shapes...)
                        raise
                    ok = False
                if ok:
                    record.info = info
                    if info is not None:
                        record.stages.append(info)
                    last, last_t = (u1.detach(), v1.detach()), t
                    u, v = last
                    if deadline is not None and time.perf_counter() > deadline and not final:
                        status = "time_limit"
                        break
                    if final:
                        break
                    mu = min(mu_max, mu * mu)
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
        conv = record.info.converged.tolist() if record.info is not None else [True] * B
        timed = deadline is not None and time.perf_counter() > deadline
        return u.detach(), v.detach(), [
            "converged" if c else ("time_limit" if timed else "not_converged") for c in conv]

"""``BilevelLayer``: a continuous bilevel program as a differentiable torch layer (BiGrad §3.1).

Forward: solve ``min_x f(x, y, z)``, ``y in argmin_y g(x, y, z)`` for a batch of
inputs ``z`` (any solver; none is differentiated).  Backward: Theorem 2 with
vector-Jacobian products and a Krylov solve (``O(n)`` memory), see
:mod:`bigrad.implicit.bilevel`.  Gradients reach ``z`` and the parameters of
``f``/``g`` when they are ``nn.Module``s.
"""
from __future__ import annotations

from typing import Callable, Optional

import torch
from torch import Tensor, nn

from bigrad.implicit.bilevel import bilevel_solution
from bigrad.implicit.constraints import NullSpace, with_barrier
from bigrad.implicit.optim import resolve_inner, solve_bilevel

__all__ = ["BilevelLayer"]

_BACKWARD = ("kkt", "reduced")


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
            Eq. 17).  The starting points ``x0``/``y0`` must be strictly feasible.
        barrier_t: final barrier parameter ``t`` (the solution is that of the
            barrier problem; its constrained error is ``O(k / t)``) (default 1e3).
        barrier_t0, barrier_mu: continuation ``t = t0, mu * t0, ...`` up to
            ``barrier_t`` (defaults ``t0 = barrier_t``, i.e. no continuation; ``mu = 10``).
        solver: optional forward solver ``solver(f, g, z, x0, y0) -> (x, y)``
            replacing the built-in one.  It receives the *internal* objectives
            (after null-space reparametrisation and barrier), ``z [B, ...]``
            and starting points of the internal dimensions.
        inner_solver: ``"newton"`` (Newton-CG, default), ``"gd"`` or a callable
            ``(fun, y0, **inner_options) -> y | (y, info)`` minimising ``fun(y) -> [B]``.
        inner_options: keyword options of the inner solver (``tol``, ``maxiter``, ``lr``...).
        outer_solver: ``"bb"`` (hypergradient descent with Barzilai-Borwein steps,
            default) or ``"gd"`` (fixed step ``outer_lr``).
        outer_lr: first (``"bb"``) or fixed (``"gd"``) outer step.
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

    Shapes: ``forward(z)`` with ``z [B, ...]`` returns ``x [B, n]``, ``y [B, m]``;
    a 1-D ``z [p]`` is one sample and returns ``x [n]``, ``y [m]``.

    After a call, ``last_forward_info`` holds the :class:`~bigrad.implicit.BilevelSolveInfo`
    (None for a custom solver) and, after backward, ``last_backward_info`` the
    :class:`~bigrad.implicit.BilevelVJPInfo`.
    """

    def __init__(
        self,
        f: Callable,
        g: Optional[Callable] = None,
        *,
        x_dim: int,
        y_dim: int,
        minmax: bool = False,
        A_eq: Optional[Tensor] = None,
        b_eq: Optional[Tensor] = None,
        B_eq: Optional[Tensor] = None,
        c_eq: Optional[Tensor] = None,
        ineq_x: Optional[Callable] = None,
        ineq_y: Optional[Callable] = None,
        barrier_t: float = 1e3,
        barrier_t0: Optional[float] = None,
        barrier_mu: float = 10.0,
        solver: Optional[Callable] = None,
        inner_solver="newton",
        inner_options: Optional[dict] = None,
        outer_solver: str = "bb",
        outer_lr: float = 1.0,
        tol: Optional[float] = None,
        maxiter: int = 500,
        hypergradient_options: Optional[dict] = None,
        backward: str = "kkt",
        backward_solver=None,
        backward_tol: Optional[float] = None,
        backward_maxiter: Optional[int] = None,
        restart: Optional[int] = None,
        on_fail: str = "warn",
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
        self.barrier_t = _pos_float(barrier_t, "barrier_t")
        self.barrier_t0 = self.barrier_t if barrier_t0 is None else _pos_float(barrier_t0, "barrier_t0")
        if self.barrier_t0 > self.barrier_t:
            raise ValueError(f"barrier_t0 must be <= barrier_t, got {barrier_t0} > {barrier_t}")
        self.barrier_mu = _pos_float(barrier_mu, "barrier_mu")
        if self.barrier_mu <= 1:
            raise ValueError(f"barrier_mu must be > 1, got {barrier_mu}")
        self.solver = _opt_callable(solver, "solver")
        resolve_inner(inner_solver)
        if outer_solver not in ("bb", "gd"):
            raise ValueError(f"outer_solver must be 'bb' or 'gd', got {outer_solver!r}")
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
        self.last_forward_info = None
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
            sp = NullSpace.__new__(NullSpace)
            sp.__dict__.update(space.__dict__)
            sp.to(dtype=dtype, device=device)
            return sp.expand, sp.reduce, sp

        return make(self.x_space), make(self.y_space)

    def _objectives(self, expand_x, expand_y, t):
        g_full = (lambda x, y, z: -self.f(x, y, z)) if self.minmax else self.g
        f_full = self.f
        if self.ineq_x is not None:
            f_full = with_barrier(f_full, self.ineq_x, t)
        if self.ineq_y is not None:
            g_full = with_barrier(g_full, self.ineq_y, t)

        def f_int(u, v, z):
            return f_full(expand_x(u), expand_y(v), z)

        def g_int(u, v, z):
            return g_full(expand_x(u), expand_y(v), z)

        return f_int, g_int

    def _schedule(self):
        if self.ineq_x is None and self.ineq_y is None:
            return [self.barrier_t]
        ts, t = [], self.barrier_t0
        while t < self.barrier_t * (1 - 1e-12):
            ts.append(t)
            t *= self.barrier_mu
        return ts + [self.barrier_t]

    def _start(self, v0, B, dim, reduce, like, name):
        if v0 is None:
            v0 = torch.zeros(B, dim, dtype=like.dtype, device=like.device)
        else:
            if not isinstance(v0, Tensor):
                raise TypeError(f"{name} must be a torch.Tensor or None, got {type(v0).__name__}")
            if v0.shape[-1] != dim or v0.dim() not in (1, 2) or (v0.dim() == 2 and v0.shape[0] != B):
                raise ValueError(f"{name} must have shape [{dim}] or [{B}, {dim}], got {tuple(v0.shape)}")
            v0 = v0.detach().to(dtype=like.dtype, device=like.device).expand(B, dim)
        return reduce(v0).contiguous()

    # -- forward ------------------------------------------------------------------
    def forward(self, z: Tensor, x0: Optional[Tensor] = None, y0: Optional[Tensor] = None):
        """Solve for a batch ``z [B, ...]`` (or one sample ``z [p]``) -> ``(x, y)``.

        ``x0 [B, n] | [n]`` and ``y0 [B, m] | [m]`` are starting points (default zeros).
        """
        if not isinstance(z, Tensor) or not z.is_floating_point():
            raise TypeError(f"z must be a floating torch.Tensor, got {getattr(z, 'dtype', type(z).__name__)}")
        if z.dim() == 0:
            raise ValueError("z must have shape [p] or [B, ...], got a scalar")
        single = z.dim() == 1
        zb = z.unsqueeze(0) if single else z
        B = zb.shape[0]
        (ex, rx, _), (ey, ry, _) = self._maps(zb.dtype, zb.device)
        u0 = self._start(x0, B, self.x_dim, rx, zb, "x0")
        v0 = self._start(y0, B, self.y_dim, ry, zb, "y0")
        schedule = self._schedule()
        q_zero = self.minmax and self.ineq_x is None and self.ineq_y is None
        layer = self

        def run_solver(zz):
            u, v = u0, v0
            for t in schedule:
                f_t, g_t = layer._objectives(ex, ey, t)
                layer._check_feasible(f_t, g_t, u, v, zz)
                if layer.solver is not None:
                    u, v = layer.solver(f_t, g_t, zz, u, v)
                    layer.last_forward_info = None
                else:
                    u, v, info = solve_bilevel(f_t, g_t, zz, u, v, q_zero=q_zero, **layer.solve_options)
                    layer.last_forward_info = info
            return u.detach(), v.detach()

        f_T, g_T = self._objectives(ex, ey, schedule[-1])
        params = [p for p in self.parameters() if p.requires_grad]
        u, v, spec = bilevel_solution(f_T, g_T, run_solver, zb, params, q_zero=q_zero, **self.backward_options)
        self._spec = spec
        x, y = ex(u), ey(v)
        return (x[0], y[0]) if single else (x, y)

    @staticmethod
    def _check_feasible(f, g, u, v, z):
        with torch.no_grad():
            if not (bool(torch.isfinite(f(u, v, z)).all()) and bool(torch.isfinite(g(u, v, z)).all())):
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
            parts.append(f"barrier_t={self.barrier_t:g}")
        parts.append(f"backward={self.backward_options['method']}")
        return ", ".join(parts)

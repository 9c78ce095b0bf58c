"""``BilevelOptions``: the solver options of the continuous bilevel solver, under one naming.

One frozen dataclass is shared by :func:`~bigrad.implicit.solve_bilevel` (forward),
:func:`~bigrad.implicit.bilevel_vjp` / :func:`~bigrad.implicit.bilevel_solution`
(backward) and :class:`~bigrad.torch.BilevelLayer` (both, plus the barrier
continuation); each reads the fields it needs and ignores the others.  The
problem itself (objectives, dimensions, constraints) and the error policy
``on_fail`` stay explicit arguments of those functions.

The keywords each of them took before (``solve_bilevel(inner=, outer=, lr=)``,
``bilevel_vjp(method=, solve=)``, ``BilevelLayer(inner_solver=, barrier_t=, ...)``)
are still accepted, with a :class:`DeprecationWarning` naming the field that
replaces them (:func:`merge_deprecated`).
"""
from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields, replace
from typing import Any

__all__ = ["BilevelOptions", "merge_deprecated", "pos_float", "pos_int"]

OUTER_SOLVERS = ("lbfgs", "bb", "gd")
INNER_SOLVERS = ("gd", "newton")
BACKWARD_METHODS = ("kkt", "reduced")
ON_FAIL = ("warn", "raise", "ignore")


def pos_int(v, name: str, low: int = 1) -> int:
    """``v`` if it is an int ``>= low`` (TypeError / ValueError naming ``name`` otherwise)."""
    if isinstance(v, bool) or not isinstance(v, int):
        raise TypeError(f"{name} must be an int, got {type(v).__name__}")
    if v < low:
        raise ValueError(f"{name} must be >= {low}, got {v}")
    return v


def pos_float(v, name: str) -> float:
    """``float(v)`` if it is a number ``> 0`` (TypeError / ValueError naming ``name`` otherwise)."""
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        raise TypeError(f"{name} must be a number, got {type(v).__name__}")
    if not v > 0:
        raise ValueError(f"{name} must be > 0, got {v}")
    return float(v)


def check_tol(tol, name: str = "tol") -> float | None:
    """``None`` or a finite number ``>= 0`` (ValueError naming ``name`` otherwise)."""
    if tol is None:
        return None
    if isinstance(tol, bool) or not isinstance(tol, (int, float)):
        raise TypeError(f"{name} must be a number or None, got {type(tol).__name__}")
    if not (tol >= 0 and math.isfinite(tol)):
        raise ValueError(f"{name} must be a finite number >= 0, got {tol!r}")
    return float(tol)


def check_on_fail(on_fail) -> str:
    if on_fail not in ON_FAIL:
        raise ValueError(f"on_fail must be 'warn', 'raise' or 'ignore', got {on_fail!r}")
    return on_fail


def check_inner(inner, name: str = "inner_solver") -> None:
    """``inner`` is ``"newton"``, ``"gd"`` or a callable (ValueError / TypeError naming ``name`` otherwise)."""
    if isinstance(inner, str):
        if inner not in INNER_SOLVERS:
            raise ValueError(f"{name} must be one of {list(INNER_SOLVERS)} or a callable, got {inner!r}")
    elif not callable(inner):
        raise TypeError(f"{name} must be a string or a callable, got {type(inner).__name__}")


def _opt_int(v, name: str) -> int | None:
    return None if v is None else pos_int(v, name)


@dataclass(frozen=True)
class BilevelOptions:
    """Solver options of the continuous bilevel solver (all optional; the defaults are the solvers' defaults).

    Forward, outer problem ``min_x f(x, y*(x), z)`` (:func:`~bigrad.implicit.solve_bilevel`):

    Attributes:
        outer_solver: ``"lbfgs"`` (default: L-BFGS on the reduced problem with a
            backtracking line search judged after the inner re-solve), ``"bb"``
            (Barzilai-Borwein steps) or ``"gd"`` (fixed step ``outer_lr``).
        outer_lr: first step (``"lbfgs"``: the first direction is ``-outer_lr F / max(1, ||F||)``;
            ``"bb"``: first step) or the fixed step (``"gd"``); ``> 0``.
        tol: relative hypergradient tolerance ``||F|| <= tol * max(1, ||F_0||)``
            (None: 1e-10 in float64, 1e-4 otherwise).
        maxiter: outer iteration cap (``>= 0``; the layer needs ``>= 1``).
        memory: L-BFGS history length.
        max_backtracks: step halvings per outer iteration.
        inner_solver: ``"newton"`` (Newton-CG, default), ``"gd"`` or a callable
            ``(fun, y0, **inner_options) -> y | (y, info)`` minimising ``fun(y [B, m]) -> [B]``.
        inner_options: keyword options of the inner solver (``tol``, ``maxiter``, ``lr``...).
        hypergradient_options: ``tol``/``maxiter`` of the CG solve of Theorem 1.

    Barrier continuation (:class:`~bigrad.torch.BilevelLayer` with inequality constraints,
    see :mod:`bigrad.implicit.constrained`):

    Attributes:
        barrier_t: final barrier parameter ``t`` (None: 1e8 in float64, 1e3 otherwise).
        barrier_t0: first outer barrier parameter (None: ``10 k / |f(x0, y0)|`` clipped
            to ``[1, barrier_t]``, ``k`` outer constraints); ``<= barrier_t``.
        barrier_mu: growth factor of ``t`` between stages (``> 1``).
        stage_tol: relative tolerance of the intermediate stages (None: 1e-6).
        forward_solver: a callable ``(f, g, z, x0, y0) -> (x, y)`` replacing
            :func:`~bigrad.implicit.solve_bilevel` at each barrier stage (None: the built-in one).

    Backward, Theorem 2 (:func:`~bigrad.implicit.bilevel_vjp`):

    Attributes:
        backward: ``"kkt"`` (default) or ``"reduced"`` adjoint system.
        backward_solver: None (MINRES for ``"kkt"``, GMRES for ``"reduced"``), ``"minres"``,
            ``"gmres"``, ``"bicgstab"`` or a callable ``solve(matvec, b [B, N])``.
        backward_tol, backward_maxiter: of the adjoint Krylov solve and the CG solves on ``H``.
        backward_restart: GMRES restart length.

    ``dataclasses.replace(options, field=value)`` gives a modified copy.  Equality
    compares every field; the dict fields do not enter the hash.
    """

    outer_solver: str = "lbfgs"
    outer_lr: float = 1.0
    tol: float | None = None
    maxiter: int = 500
    memory: int = 10
    max_backtracks: int = 40
    inner_solver: str | Callable = "newton"
    inner_options: Mapping[str, Any] = field(default_factory=dict, hash=False)
    hypergradient_options: Mapping[str, Any] = field(default_factory=dict, hash=False)
    barrier_t: float | None = None
    barrier_t0: float | None = None
    barrier_mu: float = 10.0
    stage_tol: float | None = 1e-6
    forward_solver: Callable | None = None
    backward: str = "kkt"
    backward_solver: str | Callable | None = None
    backward_tol: float | None = None
    backward_maxiter: int | None = None
    backward_restart: int | None = None

    def __post_init__(self) -> None:
        def put(name, value):
            object.__setattr__(self, name, value)

        if self.outer_solver not in OUTER_SOLVERS:
            raise ValueError(f"outer_solver must be one of {OUTER_SOLVERS}, got {self.outer_solver!r}")
        put("outer_lr", pos_float(self.outer_lr, "outer_lr"))
        put("tol", check_tol(self.tol))
        put("maxiter", pos_int(self.maxiter, "maxiter", 0))
        put("memory", pos_int(self.memory, "memory"))
        put("max_backtracks", pos_int(self.max_backtracks, "max_backtracks"))
        check_inner(self.inner_solver)
        for name in ("inner_options", "hypergradient_options"):
            value = getattr(self, name)
            if not isinstance(value, Mapping):
                raise TypeError(f"{name} must be a dict, got {type(value).__name__}")
            put(name, dict(value))  # a copy: the caller's dict may change later
        if self.barrier_t is not None:
            put("barrier_t", pos_float(self.barrier_t, "barrier_t"))
        if self.barrier_t0 is not None:
            put("barrier_t0", pos_float(self.barrier_t0, "barrier_t0"))
            if self.barrier_t is not None and self.barrier_t0 > self.barrier_t:
                raise ValueError(f"barrier_t0 must be <= barrier_t, got {self.barrier_t0} > {self.barrier_t}")
        put("barrier_mu", pos_float(self.barrier_mu, "barrier_mu"))
        if self.barrier_mu <= 1:
            raise ValueError(f"barrier_mu must be > 1, got {self.barrier_mu}")
        put("stage_tol", 1e-6 if self.stage_tol is None else check_tol(self.stage_tol, "stage_tol"))
        if self.forward_solver is not None and not callable(self.forward_solver):
            raise TypeError(f"forward_solver must be callable or None, got {type(self.forward_solver).__name__}")
        if self.backward not in BACKWARD_METHODS:
            raise ValueError(f"backward must be one of {BACKWARD_METHODS}, got {self.backward!r}")
        bs = self.backward_solver
        if not (bs is None or isinstance(bs, str) or callable(bs)):
            raise TypeError(f"backward_solver must be a string or a callable, got {type(bs).__name__}")
        put("backward_tol", check_tol(self.backward_tol, "backward_tol"))
        put("backward_maxiter", _opt_int(self.backward_maxiter, "backward_maxiter"))
        put("backward_restart", _opt_int(self.backward_restart, "backward_restart"))

    def replace(self, **changes) -> BilevelOptions:
        """A copy with ``changes`` (``dataclasses.replace``)."""
        return replace(self, **changes)


DEFAULT = BilevelOptions()
FIELDS = frozenset(f.name for f in fields(BilevelOptions))


def merge_deprecated(options: BilevelOptions | None, old: dict, names: Mapping[str, str], where: str,
                     stacklevel: int = 3) -> BilevelOptions:
    """``options`` (default :class:`BilevelOptions()`) updated by the deprecated keywords ``old``.

    ``names`` maps each keyword ``where`` accepted before to its :class:`BilevelOptions` field.
    A keyword that is not in ``names`` raises TypeError naming it; the others give one
    :class:`DeprecationWarning` naming their replacement, and override ``options``.
    """
    if options is not None and not isinstance(options, BilevelOptions):
        raise TypeError(f"{where}: options must be a BilevelOptions or None, got {type(options).__name__}")
    base = DEFAULT if options is None else options
    if not old:
        return base
    unknown = [k for k in old if k not in names]
    if unknown:
        raise TypeError(f"{where}() got an unexpected keyword argument {unknown[0]!r}")
    new = {names[k]: v for k, v in old.items()}
    spelled = ", ".join(f"{k}=" if k == names[k] else f"{k}= (now {names[k]}=)" for k in old)
    warnings.warn(f"{where}({spelled}) is deprecated: pass options=BilevelOptions("
                  + ", ".join(f"{n}=..." for n in new) + ") instead", DeprecationWarning, stacklevel=stacklevel)
    return replace(base, **new)

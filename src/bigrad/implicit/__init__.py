"""Implicit differentiation: ``custom_root`` and continuous bilevel problems (BiGrad Thm 1/2).

* :func:`custom_root` -- jaxopt-style decorator making a root-finding solver
  differentiable through the implicit function theorem (VJPs + Krylov solve).
* :func:`hypergradient` -- Theorem 1 hypergradient ``F`` (CG on Hessian-vector products).
* :func:`bilevel_vjp`, :func:`bilevel_solution` -- Theorem 2 backward pass,
  matrix-free (``O(n)`` memory).
* :func:`solve_bilevel`, :func:`newton_cg`, :func:`gradient_descent` -- forward solvers.
* :class:`BilevelOptions` -- the solver options of all of these, under one naming.
* :class:`NullSpace`, :func:`log_barrier`, :func:`with_barrier` -- constraints (appendix A.1);
  :class:`~bigrad.implicit.constrained.ConstrainedBilevel` -- null spaces, phase 1 and barrier
  continuation (the forward solver of :class:`bigrad.torch.BilevelLayer`).
"""
from bigrad._optional import require_torch as _require_torch

_require_torch("bigrad.implicit")
from .bilevel import (
    BilevelVJPInfo,
    StationarySystem,
    bilevel_solution,
    bilevel_vjp,
    hypergradient,
)
from .constrained import ConstrainedBilevel
from .constraints import NullSpace, feasibility_restorer, log_barrier, with_barrier
from .custom_root import custom_root
from .optim import (
    BilevelConvergenceWarning,
    BilevelSolveInfo,
    SolveInfo,
    gradient_descent,
    min_curvature,
    newton_cg,
    solve_bilevel,
)
from .options import BilevelOptions

__all__ = [
    "custom_root",
    "hypergradient",
    "bilevel_vjp",
    "bilevel_solution",
    "BilevelVJPInfo",
    "StationarySystem",
    "solve_bilevel",
    "newton_cg",
    "gradient_descent",
    "SolveInfo",
    "BilevelSolveInfo",
    "BilevelConvergenceWarning",
    "NullSpace",
    "log_barrier",
    "with_barrier",
    "feasibility_restorer",
    "min_curvature",
    "BilevelOptions",
    "ConstrainedBilevel",
]

"""``BolibProblem``: one BOLIB test problem and its solution by :class:`bigrad.torch.BilevelLayer`."""
from __future__ import annotations

import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field

import torch
from torch import Tensor

__all__ = ["BolibProblem", "BolibResult", "Constraint", "Objective"]

#: ``(x [B, n], y [B, m]) -> [B]``
Objective = Callable[[Tensor, Tensor], Tensor]
#: ``(x [B, n], y [B, m]) -> [B, k]``, feasible where every entry is ``<= 0``
Constraint = Callable[[Tensor, Tensor], Tensor]


@dataclass
class BolibResult:
    """Outcome of :meth:`BolibProblem.solve` (float64, one instance)."""

    F: float
    f: float
    x: list
    y: list
    iterations: int
    converged: bool
    seconds: float
    max_violation: float
    stages: int = 0


@dataclass
class BolibProblem:
    r"""``min_x F(x, y)  s.t. G(x, y) <= 0,  y in argmin_y { f(x, y) : g(x, y) <= 0 }``.

    Attributes:
        name: BOLIB's name (``Bard1988Ex1``...).
        F_star, f_star: published (best known) upper and lower objective values.
        x0, y0: starting point used by :meth:`solve` (BOLIB's ``xy_init`` unless
            ``start_note`` says why it was moved, e.g. to make ``x0`` strictly
            feasible for ``G`` at ``y*(x0)``).
        x_star, y_star: a solution point with ``F(x*, y*) = F_star`` (published or
            derived in ``solution_note``); tests evaluate the formulas there.
        source: citation and where the formulas were taken from.
        F, G, f, g: batched torch functions; ``G``/``g`` may be None.
        local_note: documents another optimum the default solve may reach
            (a local optimum from ``x0``, or a point better than ``F_star``).
        F_known: the ``F`` values of those documented optima.
        point_consistent: whether ``F(x*, y*)`` reproduces ``F_star`` (``point_check``
            says why not); ``x_star``/``y_star``/``F_star`` are None where unknown.
        lower, upper: simple bounds over ``(x, y)`` (``n + m`` entries, +-inf where
            none; empty = unknown), used for starts and multistart sampling.
    """

    name: str
    F_star: float
    f_star: float | None
    x0: tuple
    y0: tuple
    x_star: tuple
    y_star: tuple
    source: str
    F: Objective
    f: Objective
    G: Constraint | None = None
    g: Constraint | None = None
    start_note: str = ""
    solution_note: str = ""
    local_note: str = ""
    F_known: tuple = ()
    tags: tuple = field(default_factory=tuple)
    point_consistent: bool = True
    point_check: str = ""
    lower: tuple = ()
    upper: tuple = ()

    @property
    def x_dim(self) -> int:
        return len(self.x0)

    @property
    def y_dim(self) -> int:
        return len(self.y0)

    def evaluate(self, x, y) -> dict:
        """``F, f`` and the largest constraint value at one point ``x [n], y [m]`` (floats)."""
        xt = torch.as_tensor(x, dtype=torch.float64).reshape(1, -1)
        yt = torch.as_tensor(y, dtype=torch.float64).reshape(1, -1)
        viol = [float(c(xt, yt).max()) for c in (self.G, self.g) if c is not None]
        return {
            "F": float(self.F(xt, yt)[0]),
            "f": float(self.f(xt, yt)[0]),
            "max_violation": max(viol) if viol else float("-inf"),
        }

    def layer(self, **options):
        """The :class:`bigrad.torch.BilevelLayer` of this problem (``z`` is unused)."""
        from bigrad.torch.bilevel import BilevelLayer

        F, f, G, g = self.F, self.f, self.G, self.g
        return BilevelLayer(
            lambda x, y, z: F(x, y),
            lambda x, y, z: f(x, y),
            x_dim=self.x_dim,
            y_dim=self.y_dim,
            ineq_x=None if G is None else (lambda x, y, z: G(x, y)),
            ineq_y=None if g is None else (lambda x, y, z: g(x, y)),
            **options,
        )

    def solve(self, x0=None, y0=None, **options) -> BolibResult:
        """Solve with :class:`~bigrad.torch.BilevelLayer` at its defaults (float64).

        ``options`` are passed to ``BilevelLayer`` (``barrier_t``, ``maxiter``,
        ``outer_solver``...); ``x0``/``y0`` override the start.  Non-convergence
        warnings are collected into ``converged`` instead of being emitted.
        """
        layer = self.layer(**{"on_fail": "ignore", **options})
        xs = torch.tensor(self.x0 if x0 is None else x0, dtype=torch.float64)
        ys = torch.tensor(self.y0 if y0 is None else y0, dtype=torch.float64)
        z = torch.zeros(1, 1, dtype=torch.float64)
        t0 = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with torch.no_grad():
                x, y = layer(z, x0=xs, y0=ys)
        seconds = time.perf_counter() - t0
        info = layer.last_forward_info
        stages = layer.last_forward_stages
        ev = self.evaluate(x[0], y[0])
        return BolibResult(
            F=ev["F"],
            f=ev["f"],
            x=x[0].tolist(),
            y=y[0].tolist(),
            iterations=int(sum(int(s.iterations.sum()) for s in stages)),
            converged=bool(info.converged.all()) if info is not None else False,
            seconds=seconds,
            max_violation=ev["max_violation"],
            stages=len(stages),
        )

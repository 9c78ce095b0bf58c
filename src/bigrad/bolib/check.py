"""The lower-level optimality check of :meth:`BolibProblem.solve` (a multistart on the follower)."""
from __future__ import annotations

import torch
from torch import Tensor

from bigrad.implicit.constraints import feasibility_restorer, log_barrier
from bigrad.implicit.optim import newton_cg

__all__ = ["lower_level_multistart"]


def lower_level_multistart(p, x: Tensor, y: Tensor, *, starts: int = 8, seed: int = 0, rtol: float = 1e-4,
                           barrier_t: float = 1e6) -> bool:
    """Is ``y [m]`` a global minimiser of the follower at ``x [n]`` (as far as a multistart sees)?

    ``starts`` starting points (``y`` and draws in ``y``'s simple bounds, see
    :meth:`BolibProblem.start_points`) are moved inside ``g < 0`` and solved in one
    batch by Newton-CG on the barrier problem ``f + log_barrier(g) / barrier_t``.
    True when no feasible result has ``f`` below ``f(x, y) - rtol * max(1, |f|)``.
    """
    n, m = p.x_dim, p.y_dim
    _, ys = p.start_points(x.tolist(), y.tolist(), starts, seed + 1)
    ys = ys.clone()
    ys[0] = y
    xs = x.detach().reshape(1, n).expand(ys.shape[0], n)
    g = p.g
    if g is not None:
        with torch.no_grad():
            inside = (g(xs, ys) < 0).all(dim=1)
        if not bool(inside.all()):
            ys = torch.where(inside[:, None], ys, feasibility_restorer(g)(xs, ys))

    def fun(v):
        val = p.f(xs, v)
        return val if g is None else val + log_barrier(g(xs, v)) / barrier_t

    yb, _ = newton_cg(fun, ys, maxiter=100, check_curvature=False)
    with torch.no_grad():
        f_all = p.f(xs, yb)
        ok = torch.isfinite(f_all)
        if g is not None:
            ok &= (g(xs, yb) <= 1e-9).all(dim=1)
        f_y = float(p.f(xs[:1], y.reshape(1, m))[0])
    best = float(f_all[ok].min()) if bool(ok.any()) else f_y
    return f_y <= best + rtol * max(1.0, abs(best))

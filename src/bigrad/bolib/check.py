"""The lower-level optimality check of :meth:`BolibProblem.solve` (a multistart on the follower)."""
from __future__ import annotations

import math

import numpy as np
import torch
from torch import Tensor

from bigrad.implicit.constraints import feasibility_restorer, log_barrier
from bigrad.implicit.optim import newton_cg

__all__ = ["follower_check", "lower_level_multistart"]


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


def follower_check(p, x, y, *, samples: int = 64, local: int = 3, seed: int = 0, rtol: float = 1e-4):
    """Is ``y [m]`` a global minimiser of the follower at ``x [n]`` (as far as a multistart sees)?  Fast version.

    ``samples`` points drawn in ``y``'s simple bounds (see :meth:`BolibProblem.start_points`)
    are evaluated in one batch; SLSQP (exact gradients) then runs from ``p.y0``, from the
    ``local - 1`` best feasible draws (the least infeasible where none is feasible) and
    stops early once it finds ``f`` below ``f(x, y) - rtol * max(1, |f|)``.  Returns
    ``(ok, y_best, f_best)``: ``y_best`` the best feasible follower point seen (``y`` when ok).
    """
    from scipy.optimize import minimize

    n, m = p.x_dim, p.y_dim
    x = torch.as_tensor(x, dtype=torch.float64).reshape(n)
    y = torch.as_tensor(y, dtype=torch.float64).reshape(m)
    _, ys = p.start_points(x.tolist(), y.tolist(), samples + 1, seed + 1)
    ys[0] = y
    xs = x[None].expand(ys.shape[0], n)
    with torch.no_grad():
        fs = p.f(xs, ys)
        viol = p.g(xs, ys).max(1).values.clamp(min=0) if p.g is not None else torch.zeros_like(fs)
    f_y = float(fs[0])
    tol = rtol * max(1.0, abs(f_y))
    feas = (viol <= 1e-9) & torch.isfinite(fs)
    feas[0] = False
    if bool((feas & (fs < f_y - tol)).any()):  # a draw already beats y: polish the best one
        k = int(torch.where(feas, fs, torch.full_like(fs, math.inf)).argmin())
        order = [k]
    else:
        key = torch.where(feas, fs, math.inf + torch.zeros_like(fs))
        order = [int(k) for k in torch.argsort(key) if bool(feas[k])][:max(local - 1, 0)]
        if not order:
            order = [int(k) for k in torch.argsort(viol)[1:max(local, 1)]]
    kg = 0 if p.g is None else int(p.g(xs[:1], ys[:1]).shape[1])
    x1 = x[None]

    cache: dict = {}

    def ev(v):
        key = v.tobytes()
        if key not in cache:
            cache.clear()
            rows = 1 + kg
            Y = torch.as_tensor(v, dtype=torch.float64).expand(rows, m).clone().requires_grad_(True)
            with torch.enable_grad():
                fv = p.f(x1.expand(rows, n), Y)
                gv = p.g(x1.expand(rows, n), Y) if kg else None
                s = fv[0] + (torch.diagonal(gv[1:]).sum() if kg else 0.0)
                J = torch.autograd.grad(s, Y, allow_unused=True)[0] if s.requires_grad else None
            J = torch.zeros(rows, m, dtype=torch.float64) if J is None else J
            cache[key] = (float(fv[0].detach()), J[0].numpy(), None if not kg else -gv[0].detach().numpy(),
                          None if not kg else -J[1:].numpy())
        return cache[key]

    cons = [] if not kg else [{"type": "ineq", "fun": lambda v: ev(v)[2], "jac": lambda v: ev(v)[3]}]
    lo = np.array(p.lower[n:] if p.lower else [-np.inf] * m, float)
    hi = np.array(p.upper[n:] if p.upper else [np.inf] * m, float)
    best_f, best_y = f_y, y.numpy().copy()
    starts = [np.clip(np.asarray(p.y0, float), lo, hi)] + [ys[k].numpy() for k in order]
    for s in starts[:max(local, 1)]:
        try:
            res = minimize(lambda v: ev(v)[0], s, jac=lambda v: ev(v)[1], method="SLSQP", constraints=cons,
                           options={"maxiter": 100})
        except (ValueError, ArithmeticError, RuntimeError):
            continue
        if not np.all(np.isfinite(res.x)):
            continue
        fv, _, gneg, _ = ev(res.x)
        if np.isfinite(fv) and (gneg is None or float(-gneg.max()) <= 1e-7) and fv < best_f:
            best_f, best_y = fv, res.x.copy()
            if best_f < f_y - tol:
                break
    ok = best_f >= f_y - tol
    return ok, (y.numpy().copy() if ok else best_y), best_f

"""The peer method of the BOLIB benchmark: the single-level KKT reformulation solved by scipy's SLSQP.

The follower is replaced by its KKT conditions ``grad_y f + J_y g^T lam = 0``,
``lam >= 0``, ``g <= 0``, ``lam_i g_i = 0``; the complementarity is relaxed
(Scholtes 2001) to ``-lam_i g_i <= eps`` for ``eps = 1, 1e-2, ..., 1e-8, 0``
(warm-started; the plain equalities violate every constraint qualification and
SLSQP stops at once).  Exact (autograd) gradients, ``lam0 = 1``.
"""
from __future__ import annotations

import time

import numpy as np
import torch

__all__ = ["kkt_slsqp", "lower_level_check"]


def _T(a):
    return torch.as_tensor(np.asarray(a, dtype=float), dtype=torch.float64)


def _constraint_dicts(p, n, m, kg, eps):
    def eq(wt):  # stationarity of the follower's Lagrangian
        x, y, lam = wt[:n][None], wt[n:n + m][None], wt[n + m:]
        yg = y if y.requires_grad else y.requires_grad_(True)
        lag = p.f(x, yg)[0]
        if kg:
            lag = lag + (p.g(x, yg)[0] * lam).sum()
        (gy,) = torch.autograd.grad(lag, yg, create_graph=True)
        return gy[0]

    def ineq(wt):  # >= 0; Scholtes relaxation of complementarity: -lam_i g_i <= eps
        x, y, lam = wt[:n][None], wt[n:n + m][None], wt[n + m:]
        parts = [lam, eps[0] + lam * p.g(x, y)[0]] if kg else []
        parts += [-h(x, y)[0] for h in (p.g, p.G) if h is not None]
        return torch.cat(parts)

    cons = []
    for kind, c in [("eq", eq)] + ([("ineq", ineq)] if kg or p.G is not None else []):
        cons.append({"type": kind, "fun": lambda w, c=c: c(_T(w)).detach().numpy(),
                     "jac": lambda w, c=c: torch.autograd.functional.jacobian(c, _T(w)).numpy()})
    return cons


def kkt_slsqp(p, x0=None, y0=None, maxiter: int = 500) -> dict:
    """Solve the KKT reformulation of the :class:`BolibProblem` ``p`` from ``(x0, y0)`` (default ``p.x0, p.y0``).

    Returns ``dict(F, f, x, y, iterations, seconds, success, max_violation)``.
    """
    from scipy.optimize import minimize

    n, m = p.x_dim, p.y_dim
    x0 = np.asarray(p.x0 if x0 is None else x0, float)
    y0 = np.asarray(p.y0 if y0 is None else y0, float)
    kg = 0 if p.g is None else p.g(_T(x0)[None], _T(y0)[None]).shape[1]

    def F(w):
        return float(p.F(_T(w[:n])[None], _T(w[n:n + m])[None])[0])

    def F_grad(w):
        wt = _T(w).requires_grad_(True)
        (gr,) = torch.autograd.grad(p.F(wt[:n][None], wt[n:n + m][None])[0], wt)
        return gr.numpy()

    eps = [1.0]
    cons = _constraint_dicts(p, n, m, kg, eps)
    w = np.concatenate([x0, y0, np.ones(kg)])
    t0 = time.perf_counter()
    nit, success = 0, False
    for e in (1.0, 1e-2, 1e-4, 1e-6, 1e-8, 0.0):  # eps -> 0, warm-started (Scholtes 2001)
        eps[0] = e
        res = minimize(F, w, jac=F_grad, method="SLSQP", constraints=cons,
                       options={"maxiter": maxiter, "ftol": 1e-12})
        nit += int(res.nit)
        if np.all(np.isfinite(res.x)):
            w, success = res.x, bool(res.success)
    seconds = time.perf_counter() - t0
    x, y = _T(w[:n])[None], _T(w[n:n + m])[None]
    viol = max([float(c(x, y).max()) for c in (p.G, p.g) if c is not None] + [-np.inf])
    return {"F": float(p.F(x, y)[0]), "f": float(p.f(x, y)[0]), "x": x[0].tolist(), "y": y[0].tolist(),
            "iterations": nit, "seconds": seconds, "success": success, "max_violation": viol}


def lower_level_check(p, x, y, *, starts: int = 8, seed: int = 0, rtol: float = 1e-4) -> dict:
    """Is ``y`` optimal for the follower at ``x``?  A multistart SLSQP on ``min_y f(x, y) s.t. g(x, y) <= 0``.

    Starts: ``y``, ``p.y0`` and ``starts`` points drawn uniformly in ``y``'s simple
    bounds (``[-10, 10]`` where unbounded).  Returns ``dict(ok, f, f_best, y_best)``:
    ``ok`` when ``f(x, y) <= f_best + rtol * max(1, |f_best|)``.
    """
    from scipy.optimize import minimize

    n, m = p.x_dim, p.y_dim
    xt = _T(x).reshape(1, n)

    def fy(v):
        return float(p.f(xt, _T(v).reshape(1, m))[0])

    def fy_grad(v):
        vt = _T(v).reshape(1, m).requires_grad_(True)
        (gr,) = torch.autograd.grad(p.f(xt, vt)[0], vt)
        return gr[0].numpy()

    cons = []
    if p.g is not None:
        cons = [{"type": "ineq", "fun": lambda v: -p.g(xt, _T(v).reshape(1, m))[0].detach().numpy(),
                 "jac": lambda v: -torch.autograd.functional.jacobian(
                     lambda u: p.g(xt, u.reshape(1, m))[0], _T(v)).numpy()}]
    lo = np.array(p.lower[n:] if p.lower else [-np.inf] * m, float)
    hi = np.array(p.upper[n:] if p.upper else [np.inf] * m, float)
    lo_s = np.where(np.isfinite(lo), lo, np.minimum(-10.0, hi - 20))
    hi_s = np.where(np.isfinite(hi), hi, np.maximum(10.0, lo + 20))
    rng = np.random.default_rng(seed)
    cands = [np.asarray(y, float), np.asarray(p.y0, float)] + [rng.uniform(lo_s, hi_s) for _ in range(starts)]
    f_y = fy(np.asarray(y, float))
    best, best_y = f_y, np.asarray(y, float)
    gmax = (lambda v: float(p.g(xt, _T(v).reshape(1, m)).max())) if p.g is not None else (lambda v: -1.0)
    for c in cands:
        try:
            res = minimize(fy, c, jac=fy_grad, method="SLSQP", constraints=cons, options={"maxiter": 200})
        except (ValueError, ArithmeticError):
            continue
        if np.all(np.isfinite(res.x)) and gmax(res.x) <= 1e-6 and res.fun < best:
            best, best_y = float(res.fun), res.x
    return {"ok": f_y <= best + rtol * max(1.0, abs(best)), "f": f_y, "f_best": best, "y_best": list(best_y)}

"""BOLIB suite: BilevelLayer (reduced-problem interior point, defaults) vs the KKT reformulation + scipy SLSQP.

For every problem of :data:`bigrad.bolib.PROBLEMS` (BOLIB, Zhou-Zemkoho-Tin) the
same run solves it twice from the same start ``(x0, y0)``:

* ``bigrad``: ``problem.solve()`` -- :class:`bigrad.torch.BilevelLayer` at its
  default settings (barrier continuation, L-BFGS on ``x -> F(x, y*(x))`` with the
  line search judged after the follower's re-solve);
* ``kkt-slsqp``: the single-level KKT reformulation (follower replaced by
  ``grad_y f + J_y g^T lam = 0``, ``lam >= 0``, ``g <= 0``, ``lam_i g_i = 0``),
  solved by ``scipy.optimize.minimize(method="SLSQP")`` with exact (autograd)
  gradients, ``lam0 = 1`` and Scholtes' relaxation ``-lam_i g_i <= eps`` for
  ``eps = 1, 1e-2, ..., 1e-8, 0`` (warm-started; the plain complementarity
  equalities violate every constraint qualification and SLSQP stops at once).

Reported per problem: F reached, relative gap to the published F*
(``|F - F*| / max(1, |F*|)``), whether it matches F* or a documented optimum
(``F_known``) within 1e-3, iterations and seconds for both.  One round each
(a BOLIB solve takes seconds on a loaded 2-core machine); correctness is
checked before anything is recorded.

Run: .venv/bin/python -m pytest bench/bench_bolib.py --benchmark-enable -s -q \
         --benchmark-json bench/results/bench_bolib.json
"""
from __future__ import annotations

import os
import platform
import time

import numpy as np
import pytest

torch = pytest.importorskip("torch")
scipy_optimize = pytest.importorskip("scipy.optimize")

from bench.conftest import report
from bigrad.bolib import PROBLEMS

NAMES = sorted(PROBLEMS)


def _gap(F: float, target: float) -> float:
    return abs(F - target) / max(1.0, abs(target))


def kkt_slsqp(p, maxiter: int = 500):
    """Solve the KKT reformulation of ``p`` with SLSQP -> dict(F, x, y, iterations, seconds, success)."""
    n, m = p.x_dim, p.y_dim
    T = lambda a: torch.as_tensor(a, dtype=torch.float64)
    kg = 0 if p.g is None else p.g(T(p.x0)[None], T(p.y0)[None]).shape[1]

    def split(w):
        w = T(w)
        return w[:n][None], w[n:n + m][None], w[n + m:]

    def F(w):
        x, y, _ = split(w)
        return float(p.F(x, y)[0])

    def F_grad(w):
        wt = T(w).requires_grad_(True)
        x, y = wt[:n][None], wt[n:n + m][None]
        (gr,) = torch.autograd.grad(p.F(x, y)[0], wt)
        return gr.numpy()

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
        if p.g is not None:
            parts.append(-p.g(x, y)[0])
        if p.G is not None:
            parts.append(-p.G(x, y)[0])
        return torch.cat(parts)

    def fun_and_jac(c):
        return (lambda w: c(T(w)).detach().numpy(),
                lambda w: torch.autograd.functional.jacobian(c, T(w)).numpy())

    eps = [1.0]
    cons = []
    kinds = [("eq", eq)] + ([("ineq", ineq)] if kg or p.G is not None else [])
    for kind, c in kinds:
        fn, jac = fun_and_jac(c)
        cons.append({"type": kind, "fun": fn, "jac": jac})
    w = np.concatenate([np.asarray(p.x0, float), np.asarray(p.y0, float), np.ones(kg)])
    t0 = time.perf_counter()
    nit, success = 0, False
    for e in (1.0, 1e-2, 1e-4, 1e-6, 1e-8, 0.0):  # eps -> 0, warm-started (Scholtes 2001)
        eps[0] = e
        res = scipy_optimize.minimize(F, w, jac=F_grad, method="SLSQP", constraints=cons,
                                      options={"maxiter": maxiter, "ftol": 1e-12})
        nit += int(res.nit)
        if np.all(np.isfinite(res.x)):
            w, success = res.x, bool(res.success)
    seconds = time.perf_counter() - t0
    x, y, _ = split(w)
    viol = max([float(c(x, y).max()) for c in (p.G, p.g) if c is not None] + [-np.inf])
    return {"F": float(p.F(x, y)[0]), "x": x[0].tolist(), "y": y[0].tolist(), "iterations": nit,
            "seconds": seconds, "success": success, "max_violation": viol}


def test_kkt_reference_on_a_smooth_problem():
    """The peer itself is sane: Dempe 1992b's KKT reformulation reaches F* = 31.25."""
    r = kkt_slsqp(PROBLEMS["Dempe1992b"])
    assert abs(r["F"] - 31.25) < 1e-4 and r["max_violation"] <= 1e-6


@pytest.mark.parametrize("name", NAMES)
def test_bolib(benchmark, name):
    p = PROBLEMS[name]
    torch.set_num_threads(1)
    res = {}

    def run():
        res["bigrad"] = p.solve()

    benchmark.pedantic(run, rounds=1, iterations=1)
    ours = res["bigrad"]
    peer = kkt_slsqp(p)
    targets = [p.F_star] + list(p.F_known)
    ok = any(_gap(ours.F, t) <= 1e-3 for t in targets)
    peer_ok = peer["max_violation"] <= 1e-6 and any(_gap(peer["F"], t) <= 1e-3 for t in targets)
    row = {
        "problem": name, "F_star": p.F_star,
        "bigrad_F": ours.F, "bigrad_gap": _gap(ours.F, p.F_star), "bigrad_ok": ok,
        "bigrad_iterations": ours.iterations, "bigrad_seconds": ours.seconds, "bigrad_converged": ours.converged,
        "slsqp_F": peer["F"], "slsqp_gap": _gap(peer["F"], p.F_star), "slsqp_ok": peer_ok,
        "slsqp_iterations": peer["iterations"], "slsqp_seconds": peer["seconds"],
        "slsqp_max_violation": peer["max_violation"],
        "scipy": scipy_optimize.__name__ and __import__("scipy").__version__,
        "torch": torch.__version__, "load": os.getloadavg()[0], "machine": platform.machine(),
    }
    report(benchmark, row)
    assert ours.max_violation < 0  # feasible before anything else
    assert ok, (ours.F, targets)

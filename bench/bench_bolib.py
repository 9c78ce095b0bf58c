"""BOLIB suite: ``BolibProblem.solve()`` (defaults) vs the KKT reformulation + scipy SLSQP.

For every problem of :data:`bigrad.bolib.PROBLEMS` (BOLIB, Zhou-Zemkoho-Tin) the
same run solves it twice from the same start ``(x0, y0)`` (``test_bolib``; and
``test_bolib_collection`` for the verifiable problems of the whole generated
collection :data:`bigrad.bolib.BOLIB`, judged like ``bigrad bench bolib``):

* ``bigrad``: ``problem.solve()`` at its default settings -- the KKT stage
  (SLSQP on the KKT reformulation from 8 deterministic starts, each candidate
  verified: constraints, a multistart check of the follower, value-function cuts
  for nonconvex followers; a final Newton polish of the follower's KKT system),
  then, when nothing is verified, :class:`bigrad.torch.BilevelLayer` (barrier
  continuation, L-BFGS on ``x -> F(x, y*(x))``) and its multistart;
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

import pytest

torch = pytest.importorskip("torch")
scipy_optimize = pytest.importorskip("scipy.optimize")

from bench.conftest import report
from bigrad.bolib import BOLIB, PROBLEMS, VERIFIABLE
from bigrad.bolib.peer import kkt_slsqp
from bigrad.bolib.runner import judge

NAMES = sorted(PROBLEMS)


def _gap(F: float, target: float) -> float:
    return abs(F - target) / max(1.0, abs(target))


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
    # solved as judged by `bigrad bench bolib` (which also accepts a verified point better than F*, as
    # Dempe1992b's x = 0, y = 0 from this suite's start: F = 28.25 < 31.25), or at a documented optimum
    ok = judge(p, ours.F, ours.x, ours.y, ours.max_violation)[0] or any(_gap(ours.F, t) <= 1e-3 for t in targets)
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
    # feasible (the KKT stage's points may have active constraints); recorded, not asserted: the problems not
    # solved (FloudasEtal2013, SinhaMaloDeb2014TP8: local vertices) are listed in docs/continuous.md
    assert ours.max_violation <= 1e-6


@pytest.mark.parametrize("name", VERIFIABLE)
def test_bolib_collection(benchmark, name):
    """The whole collection (generated problems, starts = zeros clipped into the bounds), both methods judged
    by :func:`bigrad.bolib.runner.judge` (F* within 1e-3, constraints within 1e-5, y optimal for the follower);
    recorded, not asserted: the unsolved problems are listed in docs/continuous.md."""
    p = BOLIB[name]
    torch.set_num_threads(1)
    res = {}

    def run():
        res["bigrad"] = p.solve(time_limit=30.0)

    benchmark.pedantic(run, rounds=1, iterations=1)
    ours, peer = res["bigrad"], kkt_slsqp(p)
    ok, why = judge(p, ours.F, ours.x, ours.y, ours.max_violation)
    peer_ok, peer_why = judge(p, peer["F"], peer["x"], peer["y"], peer["max_violation"])
    report(benchmark, {
        "problem": name, "F_star": p.F_star, "bigrad_F": ours.F, "bigrad_status": ours.status,
        "bigrad_solved": ok, "bigrad_seconds": ours.seconds, "bigrad_reason": why,
        "slsqp_F": peer["F"], "slsqp_solved": peer_ok, "slsqp_seconds": peer["seconds"], "slsqp_reason": peer_why,
        "load": os.getloadavg()[0], "machine": platform.machine(),
    })

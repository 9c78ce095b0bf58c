"""bigrad.bolib.kkt and the KKT stage of BolibProblem.solve, against independent references.

References: the published F* of BOLIB, scipy's SLSQP on the follower's problem at the
returned x (a multistart, independent of bigrad's code), and closed-form optima.
"""
from __future__ import annotations

import numpy as np
import pytest
import torch
from scipy.optimize import minimize

from bigrad.bolib import BOLIB
from bigrad.bolib.check import follower_check
from bigrad.bolib.kkt import kkt_solve, stationarity


def _follower_min(p, x, starts: int = 6) -> float:
    """min_y f(x, y) s.t. g(x, y) <= 0 by scipy SLSQP (numerical gradients) from several starts."""
    xt = torch.tensor(x, dtype=torch.float64).reshape(1, -1)

    def fy(v):
        return float(p.f(xt, torch.tensor(v, dtype=torch.float64).reshape(1, -1))[0])

    cons = [] if p.g is None else [{"type": "ineq", "fun": lambda v: -p.g(
        xt, torch.tensor(v, dtype=torch.float64).reshape(1, -1))[0].numpy()}]
    rng = np.random.default_rng(1)
    best = np.inf
    for v0 in [np.zeros(p.y_dim)] + [rng.uniform(-3, 3, p.y_dim) for _ in range(starts)]:
        res = minimize(fy, v0, method="SLSQP", constraints=cons, options={"maxiter": 300, "ftol": 1e-12})
        gmax = -1.0 if p.g is None else float(p.g(xt, torch.tensor(res.x).reshape(1, -1)).max())
        if gmax <= 1e-7:
            best = min(best, res.fun)
    return best


@pytest.mark.parametrize("name", ["Bard1988Ex1", "ShimizuAiyoshi1981Ex2", "Outrata1990Ex1c"])
def test_kkt_solve_reaches_published_value_and_polishes_to_1e_8(name):
    """One start (zeros in the bounds): F* within 1e-3, the KKT residual after the final polish <= 1e-8,
    and y the follower's optimum by scipy."""
    p = BOLIB[name]
    pt = kkt_solve(p, p.x0, p.y0)
    assert pt is not None  # (SLSQP may report a stall on the degenerate exact system; the residual counts)
    assert abs(pt.F - p.F_star) <= 1e-3 * max(1.0, abs(p.F_star)) + 5e-3  # F* printed to 2 decimals
    assert pt.max_violation <= 1e-8
    assert stationarity(p, pt.x, pt.y, pt.lam) == pytest.approx(pt.max_violation, abs=1e-12)
    f = p.evaluate(pt.x, pt.y)["f"]
    assert f <= _follower_min(p, pt.x) + 1e-6 * max(1.0, abs(f))


def test_follower_check_against_scipy():
    """MitsosBarton2006Ex313 (nonconvex follower, y in [-1, 1]): y = 0 is a KKT point of the follower but not
    its optimum at x = -1; the check says so and returns a y that scipy's value confirms."""
    p = BOLIB["MitsosBarton2006Ex313"]
    x = np.array([-1.0])
    ok, y_best, f_best = follower_check(p, x, np.array([0.0]))
    ref = _follower_min(p, x)
    assert not ok and f_best == pytest.approx(ref, abs=1e-6)
    assert p.evaluate(x, y_best)["f"] == pytest.approx(ref, abs=1e-6)
    ok, _, _ = follower_check(p, x, y_best)
    assert ok


@pytest.mark.parametrize("name", ["PaulaviciusAdjiman2017a", "MitsosBarton2006Ex314"])
def test_value_function_cuts_solve_nonconvex_followers(name):
    """Every KKT point the plain stage finds has a y that is not the follower's optimum; the cuts from the
    check's better points lead to F* (published), with y optimal by scipy."""
    p = BOLIB[name]
    r = p.solve()
    assert r.method == "kkt" and r.status == "converged" and r.lower_ok
    assert abs(r.F - p.F_star) <= 1e-3 * max(1.0, abs(p.F_star))
    assert r.max_violation <= 1e-6
    assert r.f <= _follower_min(p, r.x) + 1e-4 * max(1.0, abs(r.f))


def test_kkt_stage_is_deterministic_and_seedable():
    p = BOLIB["CalamaiVicente1994a"]
    a, b = p.solve(seed=3), p.solve(seed=3)
    assert (a.x, a.y, a.F, a.iterations) == (b.x, b.y, b.F, b.iterations)
    assert a.method == "kkt" and a.stationarity is not None and a.stationarity <= 1e-8


def test_user_problem_with_own_callables():
    """A user's BolibProblem (batched torch callables): min (x - 1)^2 + (y - 2)^2, y in argmin (y - x)^2,
    y >= 0 -> x = y = 1.5, F = 0.5 (closed form)."""
    from bigrad.bolib import BolibProblem

    p = BolibProblem(name="toy", F_star=0.5, f_star=0.0, x0=(0.0,), y0=(0.0,), x_star=(1.5,), y_star=(1.5,),
                     source="test", F=lambda x, y: (x[:, 0] - 1) ** 2 + (y[:, 0] - 2) ** 2,
                     f=lambda x, y: (y[:, 0] - x[:, 0]) ** 2, g=lambda x, y: -y)
    r = p.solve()
    assert r.status == "converged" and r.method == "kkt"
    assert r.F == pytest.approx(0.5, abs=1e-8) and r.x[0] == pytest.approx(1.5, abs=1e-6)


@pytest.mark.parametrize("name", ["Outrata1993Ex32", "HendersonQuandt1958"])
def test_kkt_functions_lazy_derivatives_match_finite_differences(name):
    """A point's values come without its derivatives; the derivatives asked for afterwards (on the same
    graph) match central float64 finite differences of the values."""
    from bigrad.bolib.kkt import _Functions

    p = BOLIB[name]
    n, m = p.x_dim, p.y_dim
    kg = p.g(torch.zeros(1, n, dtype=torch.float64), torch.zeros(1, m, dtype=torch.float64)).shape[1]
    kG = p.G(torch.zeros(1, n, dtype=torch.float64), torch.zeros(1, m, dtype=torch.float64)).shape[1]
    fn = _Functions(p, n, m, kg, kG, None)
    w = np.random.default_rng(0).uniform(0.5, 1.5, n + m + kg)
    vals = fn._eval(w)
    assert vals[1] is None and vals[5] is None  # values only
    full = fn._eval(w, jac=True)
    assert all(np.array_equal(a, b) for a, b in zip(vals[2:5], full[2:5])) and vals[0] == full[0]
    h = 1e-6
    fd_F = np.empty(w.size)
    fd_eq = np.empty((m, w.size))
    fd_g = np.empty((kg, n + m))
    for i in range(w.size):
        e = np.zeros(w.size)
        e[i] = h
        a, b = _Functions(p, n, m, kg, kG, None)._eval(w + e), _Functions(p, n, m, kg, kG, None)._eval(w - e)
        fd_F[i] = (a[0] - b[0]) / (2 * h)
        fd_eq[:, i] = (a[4] - b[4]) / (2 * h)
        if i < n + m:
            fd_g[:, i] = (a[2] - b[2]) / (2 * h)
    np.testing.assert_allclose(full[1], fd_F, rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(full[5], fd_eq, rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(full[6], fd_g, rtol=1e-6, atol=1e-6)


def test_kkt_violation_counts_nan_as_infeasible():
    from bigrad.bolib.kkt import _violation

    z = np.zeros(0)
    assert _violation(np.array([np.nan, -1.0]), z, np.zeros(1), np.zeros(2)) == np.inf
    assert _violation(np.array([-np.inf, -1.0]), z, np.zeros(1), np.array([0.0, 2.0])) == 2.0  # 0 * -inf: 0
    assert _violation(z, z, z, z) == 0.0


def test_repeated_relaxed_end_skips_the_exact_stage():
    """A start whose relaxed stage ends where an earlier one did returns at once with ``repeats``."""
    p = BOLIB["Bard1988Ex1"]
    first = kkt_solve(p, p.x0, p.y0)
    again = kkt_solve(p, p.x0, p.y0, known=[(np.zeros_like(first.relaxed), 1e-6), (first.relaxed, 1e-12)])
    assert first.repeats is None and again.repeats == 1
    assert again.iterations < first.iterations


def test_exact_stage_branching_near_a_degenerate_point_is_not_taken_as_a_repeat():
    """LamparielloSagratella2017Ex35: two starts end their relaxed stage at the same point, but their exact
    stages end at F = 1.25 and at the published F* = 0.8; the solve must still reach F*."""
    p = BOLIB["LamparielloSagratella2017Ex35"]
    r = p.solve()
    assert r.status == "converged" and abs(r.F - p.F_star) <= 1e-3 * max(1.0, abs(p.F_star))


def test_exact_stage_that_leaves_its_relaxed_end_for_a_worse_point_gets_the_finer_path():
    """LamparielloSagratella2017Ex35 from (0, 0): the relaxed stage ends at x = 0.7996, and the jump to the
    exact system lands at x = 0.5, F = 1.25 (a KKT point: y = 1 is the follower's optimum there); the finer
    Scholtes path from the relaxed end gives the published optimum x = 0.8, y = 0.4, F* = 0.8 as a second
    candidate.  (Which start's exact stage branches where depended on the BLAS's thread count.)"""
    p = BOLIB["LamparielloSagratella2017Ex35"]
    pt = kkt_solve(p, np.zeros(1), np.zeros(1))
    plain = kkt_solve(p, np.zeros(1), np.zeros(1), refine=False)
    assert plain.alternative is None and abs(plain.F - 1.25) < 1e-6 and pt.F == plain.F
    alt = pt.alternative
    assert alt is not None and alt.max_violation <= 1e-6
    assert abs(alt.F - p.F_star) <= 1e-6 and np.allclose(alt.x, [0.8], atol=1e-6) and np.allclose(alt.y, [0.4], atol=1e-6)
    # x* = 0.8 is the leader's optimum over y*(x) = min(1, 2 - 2x) (F = x^2 + y^2), checked on a grid
    xs = np.linspace(0, 1, 100001)
    F = xs ** 2 + np.minimum(1, 2 - 2 * xs) ** 2
    assert abs(F.min() - alt.F) <= 1e-6
    assert follower_check(p, alt.x, alt.y)[0]

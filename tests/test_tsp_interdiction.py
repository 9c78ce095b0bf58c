"""tsp_interdiction against enumeration of tours and interdictions, and a HiGHS MILP."""
from __future__ import annotations

import numpy as np
import pytest
import torch

from bigrad.solvers import tsp, tsp_interdiction
from reference.tsp_reference import brute_force_interdiction, euclidean, highs_tsp, robust_value, successors


def check_solution(z, w, budget, y, x, value, expected, tol=1e-9):
    """y is a tour, x the attacker's best response on it, and the game value is optimal."""
    successors(y)
    w = w.copy()
    np.fill_diagonal(w, 0)
    assert set(np.unique(x)) <= {0.0, 1.0} and x.sum() <= budget
    assert np.all(x <= y * (w > 0))  # only tour edges worth interdicting
    assert float(((z + x * w) * y).sum()) == pytest.approx(float(value), rel=tol, abs=tol)
    assert robust_value(z, w, y, budget) == pytest.approx(float(value), rel=tol, abs=tol)
    assert float(value) == pytest.approx(expected, rel=tol, abs=tol)


@pytest.mark.parametrize("n", [3, 4, 5])
@pytest.mark.parametrize("budget", [0, 1, 2])
def test_matches_brute_force(n, budget):
    rng = np.random.default_rng(10 * n + budget)
    z = np.concatenate([rng.random((3, n, n)), euclidean(rng, 2, n), rng.integers(0, 3, (2, n, n)).astype(float)])
    w = np.concatenate([rng.random((5, n, n)), rng.integers(0, 3, (2, n, n)).astype(float)])  # ties too
    y, x, value = tsp_interdiction(z, w, budget, return_cost=True)
    assert y.shape == x.shape == z.shape and value.shape == (len(z),)
    for b in range(len(z)):
        expected, _ = brute_force_interdiction(z[b], w[b], budget)
        check_solution(z[b], w[b], budget, y[b], x[b], value[b], expected)


@pytest.mark.parametrize("n,budget", [(7, 1), (8, 2), (9, 1), (9, 3)])
def test_matches_highs_robust_milp(n, budget):
    rng = np.random.default_rng(n + 100 * budget)
    z = np.concatenate([euclidean(rng, 2, n), rng.random((1, n, n))])
    w = rng.random((3, n, n)) * z.mean()
    y, x, value = tsp_interdiction(z, w, budget, return_cost=True)
    for b in range(len(z)):
        expected, _ = highs_tsp(z[b], w[b], budget)
        check_solution(z[b], w[b], budget, y[b], x[b], value[b], expected, tol=1e-7)


def test_interdiction_changes_the_tour():
    # every edge of the nominal tour (both directions) is fragile: the robust tour avoids them all
    rng = np.random.default_rng(4)
    z = euclidean(rng, 1, 8)[0]
    y0 = tsp(z)
    w = (y0 + y0.T) * 10.0
    y, x, value = tsp_interdiction(z, w, 1, return_cost=True)
    assert (y * (y0 + y0.T)).sum() == 0 and x.sum() == 0
    expected, _ = brute_force_interdiction(z, w, 1)
    check_solution(z, w, 1, y, x, value, expected)
    assert value > (z * y0).sum()


def test_no_attack_gives_the_nominal_tour():
    rng = np.random.default_rng(2)
    z = rng.random((4, 7, 7))
    for w, budget in [(np.zeros_like(z), 2), (rng.random(z.shape), 0)]:
        y, x = tsp_interdiction(z, w, budget)
        np.testing.assert_array_equal(y, tsp(z))
        assert x.sum() == 0


def test_diagonal_of_w_ignored_and_large_budget():
    rng = np.random.default_rng(3)
    z, w = rng.random((2, 6, 6)), rng.random((2, 6, 6))
    w_diag = w + np.eye(6) * 100.0
    y, x, v = tsp_interdiction(z, w, 2, return_cost=True)
    y2, x2, v2 = tsp_interdiction(z, w_diag, 2, return_cost=True)
    np.testing.assert_array_equal(y, y2)
    np.testing.assert_array_equal(x, x2)
    np.testing.assert_allclose(v, v2)
    y, x = tsp_interdiction(z, w, 50)  # budget beyond the tour length: every tour edge with w > 0
    np.testing.assert_array_equal(x, y * (w > 0))


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_torch_in_torch_out(dtype):
    rng = np.random.default_rng(5)
    z, w = rng.random((2, 6, 6)), rng.random((2, 6, 6))
    zt, wt = torch.tensor(z, dtype=dtype), torch.tensor(w, dtype=dtype)
    y, x, v = tsp_interdiction(zt, wt, 1, return_cost=True)
    for t in (y, x, v):
        assert isinstance(t, torch.Tensor) and t.dtype == dtype and t.device == zt.device
    assert y.shape == (2, 6, 6) and v.shape == (2,)
    y1, _, v1 = tsp_interdiction(zt[0], wt[0], 1, return_cost=True)
    assert y1.shape == (6, 6) and v1.shape == ()
    expected, _ = brute_force_interdiction(z[0], w[0], 1)
    assert float(v1) == pytest.approx(expected, rel=1e-5)


Z, W = np.ones((5, 5)), np.ones((5, 5))


@pytest.mark.parametrize(
    "z,w,budget,exc,match",
    [
        (Z, W, -1, ValueError, "budget must be >= 0"),
        (Z, W, 1.0, TypeError, "budget must be an int"),
        (Z, np.ones((4, 4)), 1, ValueError, "z and w must have the same shape"),
        (Z, np.ones((2, 5, 5)), 1, ValueError, "z and w must have the same shape"),
        (Z, W.astype(np.float32), 1, TypeError, "z and w must have the same dtype"),
        (Z, -W, 1, ValueError, "w must be non-negative"),
        (Z, W * np.nan, 1, ValueError, "w must be finite"),
        (Z * np.inf, W, 1, ValueError, "z must be finite"),
        (np.ones((5, 4)), np.ones((5, 4)), 1, ValueError, "z must be square"),
        (np.ones(5), np.ones(5), 1, ValueError, "z must have shape"),
        (np.ones((31, 31)), np.ones((31, 31)), 1, ValueError, "z has n = 31 cities"),
        (np.ones((25, 25)), np.triu(np.ones((25, 25))), 1, ValueError, "z\\[0\\] is not symmetric"),
        (Z, W * 1e308, 1, ValueError, "z \\+ w is too large"),
        (Z.astype(int), W, 1, TypeError, "z must have dtype"),
    ],
)
def test_bad_inputs(z, w, budget, exc, match):
    with pytest.raises(exc, match=match):
        tsp_interdiction(z, w, budget)

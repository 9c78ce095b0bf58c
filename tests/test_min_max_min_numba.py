"""min_max_min with a numba-compiled oracle: same game values as the Python path and as brute force."""
from __future__ import annotations

from itertools import combinations

import numpy as np
import pytest

numba = pytest.importorskip("numba")

from bigrad.solvers import min_max_min
from bigrad.solvers.min_max_min_numba import is_numba_oracle
from reference.numba_oracles import cheapest

K = 3


cheapest_k = cheapest(K)  # nominal oracle: the K cheapest entries of each row


# numba compiles the oracles on first use (about 10 s here): run by make test-slow
pytestmark = pytest.mark.slow


@numba.njit
def cheapest_cell_per_row(c):
    """Grid oracle ([b, H, W]): one cell per grid row, the cheapest."""
    y = np.zeros_like(c)
    for b in range(c.shape[0]):
        for i in range(c.shape[1]):
            y[b, i, np.argmin(c[b, i])] = 1.0
    return y


def brute_force(z, w, budget):
    """min over K-subsets y of (sum z_y + the budget largest w on y)."""
    best = np.inf
    for s in combinations(range(len(z)), K):
        s = list(s)
        best = min(best, z[s].sum() + np.sort(w[s])[::-1][:budget].sum())
    return best


def test_detects_numba_dispatchers_only():
    assert is_numba_oracle(cheapest_k)
    assert not is_numba_oracle(cheapest_k.py_func) and not is_numba_oracle(lambda c: c)


@pytest.mark.parametrize("budget", [0, 1, 2, 4])
def test_numba_oracle_matches_python_oracle_and_brute_force(budget):
    rng = np.random.default_rng(budget)
    z, w = rng.uniform(0, 1, (40, 9)), rng.uniform(0, 1, (40, 9))
    w[:5] = np.round(w[:5])  # rows with w in {0, max w}
    y, x, value = min_max_min(cheapest_k, z, w, budget)
    _, _, value_py = min_max_min(lambda c: cheapest_k(c), z, w, budget)
    np.testing.assert_allclose(value, value_py, rtol=1e-12)
    np.testing.assert_allclose(value, [brute_force(z[b], w[b], budget) for b in range(40)], rtol=1e-12)
    assert (y.sum(1) == K).all() and (x.sum(1) <= budget).all()
    np.testing.assert_allclose(value, ((z + x * w) * y).sum(1), rtol=1e-12)


def test_numba_oracle_keeps_instance_shape():
    rng = np.random.default_rng(7)
    z, w = rng.uniform(0, 1, (6, 4, 5)), rng.uniform(0, 1, (6, 4, 5))
    y, x, value = min_max_min(cheapest_cell_per_row, z, w, 2)
    _, _, value_py = min_max_min(lambda c: cheapest_cell_per_row(c), z, w, 2)
    assert y.shape == x.shape == (6, 4, 5)
    np.testing.assert_allclose(value, value_py, rtol=1e-12)


def test_numba_oracle_bad_output_raises():
    @numba.njit
    def halves(c):
        return np.full(c.shape, 0.5)

    with pytest.raises(ValueError, match="0/1"):
        min_max_min(halves, np.ones((2, 3)), np.ones((2, 3)), 1)


def test_numba_oracle_rejects_torch_inputs():
    torch = pytest.importorskip("torch")
    with pytest.raises(TypeError, match="numpy"):
        min_max_min(cheapest_k, torch.ones(2, 5), torch.ones(2, 5), 1)

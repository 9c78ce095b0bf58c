"""Shortest path with interdiction against brute force and a HiGHS MILP."""
import itertools

import numpy as np
import pytest

from bigrad.solvers import min_max_min, shortest_path, shortest_path_interdiction
from bigrad.solvers.min_max_min import attacker_response
from reference.grid_paths import interdiction_brute_force
from reference.interdiction_milp import interdiction_milp_value

torch = pytest.importorskip("torch")


def game_value(z, w, y, x):
    return float(((z + x * w) * y).sum())


def check_solution(z, w, budget, y, x, expected, nbh=8, tol=1e-9):
    """y is optimal (value matches), x is a best response on y, and within budget."""
    assert x.sum() <= budget
    assert np.all(x <= y)  # only cells on the path are worth interdicting
    v = game_value(z, w, y, x)
    assert v == pytest.approx(expected, rel=tol, abs=tol)
    # x is a best response: no other interdiction of the path does better
    best_attack = np.sort((w * y).ravel())[::-1][:budget].sum()
    assert (x * w * y).sum() == pytest.approx(best_attack, abs=tol)
    # y is a path of the grid (its shortest path under costs that favour exactly y)
    assert y[0, 0] == 1 and y[-1, -1] == 1


@pytest.mark.parametrize("nbh,shape", [(8, (3, 3)), (4, (3, 4)), (4, (4, 4))])
@pytest.mark.parametrize("budget", [0, 1, 2, 3])
def test_brute_force(nbh, shape, budget):
    rng = np.random.default_rng(budget * 10 + nbh)
    for trial in range(6):
        z = rng.random(shape).round(1)
        w = rng.random(shape).round(1) if trial % 2 else np.ones(shape)
        y, x, v = shortest_path_interdiction(z, w, budget, neighbourhood=nbh, return_cost=True)
        ref = interdiction_brute_force(z, w, budget, nbh)
        check_solution(z, w, budget, y, x, ref, nbh)
        assert v == pytest.approx(ref)


@pytest.mark.parametrize("w_kind", ["ones", "random"])
def test_against_milp(w_kind):
    rng = np.random.default_rng(42)
    z = rng.random((6, 7, 7)) * 5
    w = np.ones_like(z) if w_kind == "ones" else rng.random(z.shape) * 3
    y, x = shortest_path_interdiction(z, w, 3)
    for b in range(len(z)):
        ref = interdiction_milp_value(z[b], w[b], 3)
        check_solution(z[b], w[b], 3, y[b], x[b], ref, tol=1e-6)


def test_budget_limits():
    rng = np.random.default_rng(0)
    z = rng.random((5, 8, 8))
    w = rng.random((5, 8, 8))
    y0, x0 = shortest_path_interdiction(z, w, 0)
    np.testing.assert_array_equal(y0, shortest_path(z))
    assert x0.sum() == 0
    # a budget covering every cell: the path player faces z + w everywhere
    y_all, _, v = shortest_path_interdiction(z, w, 64, return_cost=True)
    _, c = shortest_path(z + w, return_cost=True)
    np.testing.assert_allclose(v, c, rtol=1e-12)


def test_float32_and_torch():
    rng = np.random.default_rng(1)
    z = torch.tensor(rng.random((4, 6, 6)), dtype=torch.float32)
    w = torch.ones_like(z)
    y, x = shortest_path_interdiction(z, w, 2)
    assert isinstance(y, torch.Tensor) and y.dtype == torch.float32 and x.shape == z.shape
    for b in range(4):
        ref = interdiction_milp_value(z[b].double().numpy(), w[b].double().numpy(), 2)
        assert game_value(z[b].numpy(), w[b].numpy(), y[b].numpy(), x[b].numpy()) == pytest.approx(ref, rel=1e-5)


def test_min_max_min_generic_oracle_selection():
    """Choose exactly k of d items (oracle: the k cheapest) against an attacker with budget g."""
    rng = np.random.default_rng(3)
    d, k, g = 7, 3, 2

    def oracle(c):
        y = np.zeros_like(c)
        idx = np.argsort(c, axis=1, kind="stable")[:, :k]
        np.put_along_axis(y, idx, 1.0, axis=1)
        return y

    z = rng.random((20, d))
    w = rng.random((20, d))
    y, x, v = min_max_min(oracle, z, w, g)
    for b in range(20):
        ref = min(
            z[b, list(S)].sum() + np.sort(w[b, list(S)])[::-1][:g].sum()
            for S in itertools.combinations(range(d), k)
        )
        assert v[b] == pytest.approx(ref)
        assert y[b].sum() == k and x[b].sum() <= g
    np.testing.assert_array_equal(x, attacker_response(y, w, g))


def test_attacker_response_ties_and_zero_weights():
    y = np.array([[1.0, 1.0, 1.0, 0.0]])
    w = np.array([[2.0, 2.0, 0.0, 5.0]])
    np.testing.assert_array_equal(attacker_response(y, w, 1), [[1, 0, 0, 0]])
    np.testing.assert_array_equal(attacker_response(y, w, 3), [[1, 1, 0, 0]])  # w=0 not worth it


@pytest.mark.parametrize(
    "kwargs,exc,word",
    [
        (dict(budget=-1), ValueError, "budget"),
        (dict(budget=1.0), TypeError, "budget"),
        (dict(w=np.ones((3, 4))), ValueError, "same shape"),
        (dict(w=-np.ones((3, 3))), ValueError, "w must be non-negative"),
        (dict(w=np.ones((3, 3), dtype=np.float32)), TypeError, "same dtype"),
        (dict(z=np.full((3, 3), np.nan)), ValueError, "z must be finite"),
        (dict(neighbourhood=5), ValueError, "neighbourhood"),
    ],
)
def test_bad_input(kwargs, exc, word):
    args = dict(z=np.ones((3, 3)), w=np.ones((3, 3)), budget=1)
    args.update(kwargs)
    with pytest.raises(exc, match=word):
        shortest_path_interdiction(**args)


def test_min_max_min_bad_input():
    with pytest.raises(TypeError, match="oracle"):
        min_max_min(None, np.ones((1, 3)), np.ones((1, 3)), 1)
    with pytest.raises(ValueError, match="batch axis"):
        min_max_min(lambda c: c, np.ones(3), np.ones(3), 1)


def test_min_max_min_on_torch_tensors_matches_numpy():
    """The torch code path (used for CUDA tensors) gives exactly the numpy answers."""
    rng = np.random.default_rng(9)
    z = rng.random((40, 8, 8))
    w = rng.integers(0, 4, size=z.shape).astype(np.float64)  # repeated thresholds
    oracle_np = lambda c: shortest_path(c)
    y, x, v = min_max_min(oracle_np, z, w, 3)
    yt, xt, vt = min_max_min(lambda c: shortest_path(c), torch.from_numpy(z), torch.from_numpy(w), 3)
    assert isinstance(yt, torch.Tensor) and isinstance(vt, torch.Tensor)
    np.testing.assert_array_equal(yt.numpy(), y)
    np.testing.assert_array_equal(xt.numpy(), x)
    np.testing.assert_allclose(vt.numpy(), v, rtol=1e-13)  # sums may differ in the last ulp
    np.testing.assert_array_equal(attacker_response(torch.from_numpy(y.reshape(40, -1)),
                                                    torch.from_numpy(w.reshape(40, -1)), 3).numpy(),
                                  attacker_response(y.reshape(40, -1), w.reshape(40, -1), 3))


@pytest.mark.parametrize("nbh", [8, 4])
def test_native_loop_matches_python_min_max_min(nbh):
    # the native per-instance loop (the function the CUDA driver runs) against the Python oracle loop: with
    # integer costs every sum is exact, so the same rounds and tie rules give the same answers to the bit
    rng = np.random.default_rng(11)
    z = rng.integers(0, 6, (60, 7, 9)).astype(np.float64)
    w = rng.integers(0, 4, (60, 7, 9)).astype(np.float64)
    for budget in (0, 1, 2, 5, 100):
        y, x, v = shortest_path_interdiction(z, w, budget, nbh, return_cost=True)
        y2, x2, v2 = min_max_min(lambda c: shortest_path(c, nbh), z, w, budget)
        np.testing.assert_array_equal(y, y2)
        np.testing.assert_array_equal(x, x2)
        np.testing.assert_array_equal(v, v2)
    # real-valued costs: the same game values up to the order of the sums
    z, w = rng.random((40, 8, 8)) * 5, rng.random((40, 8, 8)) * 3
    _, _, v = shortest_path_interdiction(z, w, 3, nbh, return_cost=True)
    np.testing.assert_allclose(v, min_max_min(lambda c: shortest_path(c, nbh), z, w, 3)[2], rtol=1e-12)


def test_overflow_names_z_and_w():
    z = np.full((2, 4, 4), 3e38, np.float32)
    with pytest.raises(ValueError, match=r"z \+ w: a path cost overflows float32.*use float64"):
        shortest_path_interdiction(z, np.ones_like(z), 1)

"""Interdiction-game estimators (bb, bb_sep, bb1, pt, pt1) against the slow per-sample reference."""
from functools import partial

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import bigrad.solvers as solvers
from bigrad.gradients import InterdictionGame
from bigrad.solvers import shortest_path, shortest_path_interdiction
from reference import blackbox_reference as ref

BB_PT = ["bb", "bb_sep", "bb1", "pt", "pt1"]
BUDGET = 2


def instances(seed, shape, B=4):
    """z >= 1, w >= 0.6 and |lam * g| <= 0.5: perturbed inputs stay positive (no clamping, no ties)."""
    rng = np.random.default_rng(seed)
    z = 1 + rng.random((B,) + shape)
    w = 0.6 + rng.random((B,) + shape)
    gy, gx = rng.uniform(-1, 1, (2, B) + shape)
    return z, w, gy, gx


def sp_game():
    return InterdictionGame(shortest_path, partial(shortest_path_interdiction, budget=BUDGET), BUDGET)


def run_vjp(game, method, z, w, gy, gx, lam):
    t = [torch.from_numpy(a) for a in (z, w, gy, gx)]
    y, x = game.solve(t[0], t[1])
    gz, gw = game.vjp(method, (t[0], t[1]), (y, x), (t[2], t[3]), lam)
    return y.numpy(), x.numpy(), gz.numpy(), gw.numpy()


@pytest.mark.parametrize("seed", range(3))
def test_reference_game_solvers_agree(seed):
    """The theta-loop reference (used by the benchmark) equals brute-force enumeration."""
    z, w, _, _ = instances(seed, (3, 3), B=6)
    paths = ref.grid_paths(3, 3)
    for b in range(len(z)):
        y1, x1 = ref.game_enum(paths, z[b], w[b], BUDGET)
        y2, x2 = ref.game_theta(ref.dijkstra, z[b], w[b], BUDGET)
        np.testing.assert_array_equal(y1, y2)
        np.testing.assert_array_equal(x1, x2)


@pytest.mark.parametrize("method", BB_PT)
@pytest.mark.parametrize("lam", [0.25, 0.5])
def test_shortest_path_game_estimators_match_reference(method, lam):
    z, w, gy, gx = instances(1, (3, 4))
    paths = ref.grid_paths(3, 4)
    game = partial(ref.game_enum, paths, budget=BUDGET)
    y, x, gz, gw = run_vjp(sp_game(), method, z, w, gy, gx, lam)
    for b in range(len(z)):  # forward: the exact game solution
        np.testing.assert_array_equal((y[b], x[b]), game(z[b], w[b]))
    rz, rw = ref.interdiction_vjp(method, ref.dijkstra, game, BUDGET, z, w, y, x, gy, gx, lam)
    np.testing.assert_allclose(gz, rz, atol=1e-12)
    np.testing.assert_allclose(gw, rw, atol=1e-12)


def test_estimators_are_informative_and_differ():
    """On a fixed seed the BB-type estimators are non-zero and not all the same."""
    z, w, gy, gx = instances(3, (5, 5), B=16)
    grads = {m: run_vjp(sp_game(), m, z, w, gy, gx, 0.5)[2:] for m in BB_PT}
    for m, (gz, gw) in grads.items():
        assert np.abs(gz).sum() > 0, m
    assert not np.array_equal(grads["bb"][0], grads["bb_sep"][0])
    assert not np.array_equal(grads["bb_sep"][0], grads["bb1"][0])
    assert not np.array_equal(grads["pt"][1], grads["pt1"][1])


def test_pt_formulas():
    """Eq. 9 chained: grad_z = -gy, grad_w = y*gx - x*gy; PT-1: (-gy, gx)."""
    z, w, gy, gx = instances(4, (4, 4))
    y, x, gz, gw = run_vjp(sp_game(), "pt", z, w, gy, gx, 1.0)
    np.testing.assert_array_equal(gz, -gy)
    np.testing.assert_array_equal(gw, y * gx - x * gy)
    _, _, gz1, gw1 = run_vjp(sp_game(), "pt1", z, w, gy, gx, 1.0)
    np.testing.assert_array_equal(gz1, -gy)
    np.testing.assert_array_equal(gw1, gx)


def test_bb_full_vanishes_when_the_perturbation_keeps_the_solution():
    z, w, gy, gx = instances(5, (4, 4))
    _, _, gz, gw = run_vjp(sp_game(), "bb", z, w, 1e-9 * gy, 1e-9 * gx, 1.0)
    assert np.abs(gz).max() == 0 and np.abs(gw).max() == 0


def test_unknown_method_raises():
    z, w, gy, gx = (torch.from_numpy(a) for a in instances(0, (3, 3)))
    with pytest.raises(ValueError, match="method"):
        sp_game().vjp("bogus", (z, w), (z, w), (gy, gx), 1.0)


@pytest.mark.skipif(not hasattr(solvers, "tsp_interdiction"), reason="bigrad.solvers.tsp* not merged yet")
@pytest.mark.parametrize("method", BB_PT)
def test_tsp_game_estimators_match_reference(method):
    n, lam = 5, 0.4
    z, w, gy, gx = instances(2, (n, n))
    cycles = ref.tours(n)
    game = InterdictionGame(solvers.tsp, partial(solvers.tsp_interdiction, budget=1), 1)
    y, x, gz, gw = run_vjp(game, method, z, w, gy, gx, lam)
    ref_game = partial(ref.game_enum, cycles, budget=1)
    for b in range(len(z)):
        np.testing.assert_array_equal((y[b], x[b]), ref_game(z[b], w[b]))
    nominal = partial(ref.argmin_enum, cycles)
    rz, rw = ref.interdiction_vjp(method, nominal, ref_game, 1, z, w, y, x, gy, gx, lam)
    np.testing.assert_allclose(gz, rz, atol=1e-12)
    np.testing.assert_allclose(gw, rw, atol=1e-12)

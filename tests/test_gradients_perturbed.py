"""Perturbed optimizers (Berthet et al.): reference agreement and an analytic check."""
from functools import partial

import numpy as np
import pytest
from scipy.stats import norm

torch = pytest.importorskip("torch")

from bigrad.gradients import (
    AttackedTopK,
    InterdictionGame,
    MinProblem,
    draw_noise,
    perturbed_solve,
    perturbed_vjp,
)
from bigrad.solvers import shortest_path, shortest_path_interdiction
from reference import blackbox_reference as ref

SIGMA, M = 0.2, 6


def run(problem, params, grads, seed):
    noises = draw_noise(params, M, torch.Generator().manual_seed(seed))
    samples = perturbed_solve(problem.solve, params, noises, SIGMA, problem.lower)
    gin = perturbed_vjp(samples, grads, noises, SIGMA)
    return [s.mean(0).numpy() for s in samples], [g.numpy() for g in gin], [e.numpy() for e in noises]


def test_shortest_path_matches_reference():
    rng = np.random.default_rng(0)
    z, g = 2 + rng.random((3, 4, 4)), rng.normal(size=(3, 4, 4))
    means, gin, noises = run(MinProblem(shortest_path), (torch.from_numpy(z),), (torch.from_numpy(g),), 0)
    rmeans, rgin = ref.perturbed(lambda c: (ref.dijkstra(c),), (z,), noises, (g,), SIGMA)
    np.testing.assert_allclose(means[0], rmeans[0], atol=1e-12)
    np.testing.assert_allclose(gin[0], rgin[0], atol=1e-10)
    assert np.abs(gin[0]).sum() > 0


def test_interdiction_game_matches_reference():
    rng = np.random.default_rng(1)
    z, w = 2 + rng.random((3, 3, 3)), 1 + rng.random((3, 3, 3))
    gy, gx = rng.normal(size=(2, 3, 3, 3))
    game = InterdictionGame(shortest_path, partial(shortest_path_interdiction, budget=2), 2)
    t = [torch.from_numpy(a) for a in (z, w, gy, gx)]
    means, gin, noises = run(game, (t[0], t[1]), (t[2], t[3]), 1)
    solve_one = partial(ref.game_enum, ref.grid_paths(3, 3), budget=2)
    rmeans, rgin = ref.perturbed(solve_one, (z, w), noises, (gy, gx), SIGMA)
    for a, b in zip(means + gin, rmeans + rgin):
        np.testing.assert_allclose(a, b, atol=1e-10)


def test_stein_estimator_matches_analytic_top1_of_two():
    """y1 = [s1 + sigma e1 > s2 + sigma e2]: E[y1] = Phi(u), dE[y1]/ds1 = phi(u)/(sigma sqrt 2), u = (s1-s2)/(sigma sqrt 2)."""
    sigma, B, m = 1.0, 4000, 10
    s = torch.tensor([[0.5, 0.0]], dtype=torch.float64).expand(B, 2).contiguous()
    noises = draw_noise((s,), m, torch.Generator().manual_seed(3))
    samples = perturbed_solve(AttackedTopK(1).solve, (s,), noises, sigma, None)
    g = torch.tensor([[1.0, 0.0]], dtype=torch.float64).expand(B, 2)
    (grad,) = perturbed_vjp(samples, (g,), noises, sigma)
    u = 0.5 / (sigma * np.sqrt(2))
    assert abs(samples[0].mean((0, 1))[0].item() - norm.cdf(u)) < 0.01
    expected = norm.pdf(u) / (sigma * np.sqrt(2))
    assert abs(grad.mean(0)[0].item() - expected) < 0.02
    assert abs(grad.mean(0)[1].item() + expected) < 0.02


def test_noise_is_reproducible_and_shaped():
    p = (torch.zeros(2, 3, dtype=torch.float64), torch.zeros(2, 3, dtype=torch.float64))
    a = draw_noise(p, 4, torch.Generator().manual_seed(9))
    b = draw_noise(p, 4, torch.Generator().manual_seed(9))
    assert a[0].shape == (4, 2, 3) and a[0].dtype == torch.float64
    assert torch.equal(a[0], b[0]) and torch.equal(a[1], b[1]) and not torch.equal(a[0], a[1])

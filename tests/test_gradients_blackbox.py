"""Blackbox (BB) estimators are the exact gradients of their piecewise-linear interpolations.

For a min oracle, ``(y(c + lam g) - y(c)) / lam`` is the gradient of
``F(c) = (N(c + lam g) - N(c)) / lam`` (``N`` = optimal value); for a max
oracle ``(x(d) - x(d - lam g)) / lam`` is that of ``G(d) = (V(d) - V(d - lam g)) / lam``.
Checked by central finite differences in float64 on tiny instances, every
coordinate perturbed as its own batch element (one solver call).
"""
import numpy as np
import pytest

torch = pytest.importorskip("torch")

from bigrad.gradients import (
    InterdictionGame,
    blackbox_max,
    blackbox_min,
    budget_response,
    topk_mask,
)
from bigrad.solvers import shortest_path, shortest_path_interdiction
from bigrad.solvers.min_max_min import attacker_response

EPS = 1e-6


def sp_value(c):
    """Optimal path cost of each instance of ``c [N, H, W]``."""
    return shortest_path(c, return_cost=True)[1]


def budget_value(d, budget):
    """``max_x <d, x>`` s.t. ``sum(x) <= budget`` for ``d [N, ...]``."""
    return (budget_response(d, budget) * d).reshape(len(d), -1).sum(1)


def topk_value(s, k):
    return (topk_mask(s, k) * s).sum(-1)


def fd_grad(f, p):
    """Central differences of scalar ``f`` (batched: [N, *shape] -> [N]) at ``p [*shape]``."""
    n = p.numel()
    basis = torch.eye(n, dtype=p.dtype).reshape((n,) + p.shape) * EPS
    vals = f(torch.cat([p + basis, p - basis]))
    return ((vals[:n] - vals[n:]) / (2 * EPS)).reshape(p.shape)


def interdiction_instance(seed, H=4, W=5):
    g = torch.Generator().manual_seed(seed)
    z = 1 + torch.rand(H, W, generator=g, dtype=torch.float64)
    w = 0.5 + torch.rand(H, W, generator=g, dtype=torch.float64)
    gy = torch.rand(H, W, generator=g, dtype=torch.float64) * 2 - 1
    gx = torch.rand(H, W, generator=g, dtype=torch.float64) * 2 - 1
    return z, w, gy, gx


@pytest.mark.parametrize("lam", [0.3, 0.9])
def test_blackbox_min_is_gradient_of_interpolation(lam):
    informative = 0
    for seed in range(6):
        z, _, g, _ = interdiction_instance(seed)
        est = blackbox_min(shortest_path, z[None], g[None], lam)[0]
        fd = fd_grad(lambda c: (sp_value(c + lam * g) - sp_value(c)) / lam, z)
        torch.testing.assert_close(est, fd, atol=1e-6, rtol=0)
        informative += bool(est.abs().sum() > 0)  # the perturbed path differs
    assert informative >= 2


def test_blackbox_max_is_gradient_of_interpolation():
    lam, budget, informative = 0.6, 3, 0
    for seed in range(6):
        _, w, _, g = interdiction_instance(seed)
        est = blackbox_max(lambda d: budget_response(d, budget), w[None], g[None], lam)[0]
        fd = fd_grad(lambda d: (budget_value(d, budget) - budget_value(d - lam * g, budget)) / lam, w)
        torch.testing.assert_close(est, fd, atol=1e-6, rtol=0)
        informative += bool(est.abs().sum() > 0)
    assert informative >= 2


@pytest.mark.parametrize("seed", range(3))
def test_topk_blackbox_is_gradient_of_interpolation(seed):
    gen = torch.Generator().manual_seed(seed)
    s = torch.randn(9, generator=gen, dtype=torch.float64)
    g = torch.randn(9, generator=gen, dtype=torch.float64)
    lam, k = 0.8, 4
    est = blackbox_max(lambda t: topk_mask(t, k), s[None], g[None], lam)[0]
    fd = fd_grad(lambda t: (topk_value(t, k) - topk_value(t - lam * g, k)) / lam, s)
    torch.testing.assert_close(est, fd, atol=1e-6, rtol=0)


@pytest.mark.parametrize("seed", range(4))
def test_bb_sep_is_gradient_of_separate_interpolations(seed):
    """Eq. 7: with the forward (y, x) fixed, bb_sep = grad of F(z + x*w) + G(w*y)."""
    z, w, gy, gx = interdiction_instance(seed)
    lam, budget = 0.5, 2
    y, x = shortest_path_interdiction(z, w, budget)
    game = InterdictionGame(shortest_path, lambda a, b: shortest_path_interdiction(a, b, budget), budget)
    gz, gw = game.vjp("bb_sep", (z[None], w[None]), (y[None], x[None]), (gy[None], gx[None]), lam)

    def phi(zw):
        zz, ww = zw[:, 0], zw[:, 1]
        c, d = zz + x * ww, ww * y
        return (sp_value(c + lam * gy) - sp_value(c)) / lam + (budget_value(d, budget) - budget_value(d - lam * gx, budget)) / lam

    fd = fd_grad(phi, torch.stack([z, w]))
    torch.testing.assert_close(gz[0], fd[0], atol=1e-6, rtol=0)
    torch.testing.assert_close(gw[0], fd[1], atol=1e-6, rtol=0)


def test_blackbox_min_clamps_perturbed_costs_and_solves_once():
    calls = []

    def oracle(c):
        calls.append(c.clone())
        return torch.zeros_like(c)

    c = torch.ones(2, 3, 3)
    blackbox_min(oracle, c, -torch.ones_like(c), 5.0)
    assert len(calls) == 1 and calls[0].shape[0] == 4  # base and perturbed stacked
    assert calls[0].min() == 0  # 1 - 5 clamped at 0
    blackbox_min(oracle, c, -torch.ones_like(c), 5.0, lower=None, base=torch.zeros_like(c))
    assert len(calls) == 2 and calls[1].shape[0] == 2 and calls[1].min() == -4


def test_budget_response_matches_numpy_attacker_and_breaks_ties_low():
    rng = np.random.default_rng(0)
    d = rng.integers(0, 3, size=(50, 12)).astype(np.float64)  # many ties and zeros
    for budget in (0, 1, 3, 12, 20):
        ours = budget_response(torch.from_numpy(d), budget).numpy()
        np.testing.assert_array_equal(ours, attacker_response(np.ones_like(d), d, budget))


def test_topk_mask_ties_and_shapes():
    s = torch.tensor([[1.0, 3.0, 3.0, 2.0, 3.0]])
    assert topk_mask(s, 2).tolist() == [[0.0, 1.0, 1.0, 0.0, 0.0]]
    assert topk_mask(s, 0).sum() == 0
    s3 = torch.randn(2, 3, 7, dtype=torch.float64)
    m = topk_mask(s3, 3)
    assert m.shape == s3.shape and m.dtype == s3.dtype and (m.sum(-1) == 3).all()
    kth = torch.sort(s3, dim=-1, descending=True).values[..., 2:3]
    assert ((s3 >= kth) == m.bool()).all()

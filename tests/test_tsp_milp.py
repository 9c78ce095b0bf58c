"""The TSP's exact fallback (a cutting-plane MILP on HiGHS) and the node budget that hands instances to it."""
from __future__ import annotations

import importlib

import numpy as np
import pytest

from bigrad import _native
from bigrad.solvers import tsp
from bigrad.solvers.tsp_milp import tsp_milp
from reference.tsp_reference import brute_force_tsp, clustered, euclidean, highs_tsp, successors

tsp_module = importlib.import_module("bigrad.solvers.tsp")  # the module (bigrad.solvers.tsp is the function)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_milp_matches_references(dtype):
    rng = np.random.default_rng(7)
    small = euclidean(rng, 3, 7).astype(dtype)
    for d in small:
        mask, cost = tsp_milp(d)
        successors(mask)
        assert mask.dtype == dtype and cost.dtype == dtype
        assert float(cost) == pytest.approx(brute_force_tsp(d), rel=1e-6)
    large = np.concatenate([clustered(rng, 2, 24), np.round(euclidean(rng, 2, 24) * 1000)]).astype(dtype)
    for d in large:
        mask, cost = tsp_milp(d)
        successors(mask)
        assert float(cost) == pytest.approx(highs_tsp(d.astype(np.float64))[0], rel=1e-6 if dtype == np.float32 else 1e-12)


def test_native_node_limit_gives_inf_and_a_tour():
    rng = np.random.default_rng(8)
    dist = np.round(euclidean(rng, 6, 30) * 1000)
    _, exact = _native.core().tsp(dist)
    mask, cost = _native.core().tsp(dist, node_limit=1)
    assert np.isinf(cost).any() and np.isfinite(exact).all()
    for b in range(len(dist)):
        successors(mask[b])  # the best tour found so far
        assert np.isinf(cost[b]) or cost[b] == exact[b]
        assert (mask[b] * dist[b]).sum() >= exact[b]


def test_exhausted_instances_go_to_the_milp(monkeypatch):
    rng = np.random.default_rng(9)
    dist = np.concatenate([clustered(rng, 3, 28), np.round(euclidean(rng, 3, 28) * 1000), euclidean(rng, 2, 28)])
    mask, cost = tsp(dist, return_cost=True)
    monkeypatch.setattr(tsp_module, "NODE_LIMIT_30", 1)
    assert tsp_module.node_limit(28) == 1
    assert np.isinf(_native.core().tsp(dist, node_limit=1)[1]).sum() >= 2  # the fallback really runs below
    mask_fb, cost_fb = tsp(dist, return_cost=True)
    np.testing.assert_allclose(cost_fb, cost, rtol=1e-12)
    np.testing.assert_array_equal(mask_fb, mask)  # same tours, same canonical orientation
    for b in range(len(dist)):
        assert float(cost_fb[b]) == pytest.approx(highs_tsp(dist[b])[0], rel=1e-12)

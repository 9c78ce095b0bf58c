"""bigrad.solvers.tsp against enumeration, a HiGHS MILP, Held–Karp and TSPLIB optima."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import torch

import bigrad
from bigrad.solvers import MAX_TSP_N, tsp
from bigrad.solvers.tsp import HELD_KARP_N_LIMIT
from reference.tsp_reference import brute_force_tsp, clustered, euclidean, highs_tsp, successors

DATA = Path(__file__).resolve().parent / "data"
# TSPLIB instances up to 30 cities with published optima: the original files that the `bigrad bench tsp`
# tests read too (optima in their table), and full matrices with the optimum as JSON for the others
TSPLIB_FILES = DATA / "suite" / "tsplib"
TSPLIB_JSON = DATA / "tsplib"
TSPLIB = sorted([p.stem for p in TSPLIB_JSON.glob("*.json")] + [p.stem for p in TSPLIB_FILES.glob("*.tsp")])


def tsplib_instance(name: str) -> tuple[np.ndarray, float]:
    """``(dist [n, n] float64, published optimal tour length)`` of a TSPLIB instance in tests/data."""
    path = TSPLIB_JSON / f"{name}.json"
    if path.exists():
        data = json.loads(path.read_text())
        dist = np.array(data["distance_matrix"], dtype=np.float64)
        assert dist.shape == (data["dimension"],) * 2
        return dist, float(data["known_optimal_tour_length"])
    pytest.importorskip("tsplib95")
    from bigrad.suite.instances import load_tsplib, read_optima

    _, dist = load_tsplib(TSPLIB_FILES / f"{name}.tsp")
    return dist, read_optima(TSPLIB_FILES / "optima.txt")[name]


@pytest.mark.parametrize("n", range(2, 9))
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_matches_brute_force(n, dtype):
    rng = np.random.default_rng(n)
    dist = np.concatenate(
        [
            rng.random((4, n, n)),  # asymmetric
            euclidean(rng, 3, n),  # symmetric
            rng.normal(size=(3, n, n)),  # negative entries
            rng.integers(0, 3, size=(3, n, n)).astype(float),  # many ties
        ]
    ).astype(dtype)
    mask, cost = tsp(dist, return_cost=True)
    assert mask.shape == dist.shape and mask.dtype == dtype and cost.dtype == dtype and cost.shape == (len(dist),)
    for b in range(len(dist)):
        successors(mask[b])
        expected = brute_force_tsp(dist[b].astype(np.float64))
        assert cost[b] == pytest.approx(expected, rel=1e-5, abs=1e-5)
        assert (mask[b] * dist[b].astype(np.float64)).sum() == pytest.approx(cost[b], rel=1e-5, abs=1e-5)


def test_small_n_and_diagonal_ignored():
    d2 = np.array([[100.0, 2.0], [3.0, -50.0]])
    mask, cost = tsp(d2, return_cost=True)
    np.testing.assert_array_equal(mask, [[0, 1], [1, 0]])
    assert cost == 5.0
    d3 = np.array([[0.0, 1.0, 10.0], [10.0, 0.0, 1.0], [1.0, 10.0, 0.0]])
    np.testing.assert_array_equal(tsp(d3), [[0, 1, 0], [0, 0, 1], [1, 0, 0]])
    np.testing.assert_array_equal(tsp(d3.T), [[0, 0, 1], [1, 0, 0], [0, 1, 0]])
    noisy = d3 + np.diag([1e6, -1e6, 7.0])
    np.testing.assert_array_equal(tsp(noisy), tsp(d3))


def test_symmetric_orientation_is_canonical():
    rng = np.random.default_rng(5)
    dist = euclidean(rng, 20, 9)
    mask = tsp(dist)
    for b in range(len(dist)):
        succ = successors(mask[b])
        pred0 = int(np.nonzero(succ == 0)[0][0])
        assert succ[0] < pred0
        rev = tsp(dist[b].T.copy())  # same matrix: same answer
        np.testing.assert_array_equal(rev, mask[b])


@pytest.mark.parametrize("symmetric", [False, True])
def test_deterministic_across_batches_and_threads(symmetric):
    rng = np.random.default_rng(7)
    # ties everywhere; asymmetric n = 9 goes to Held-Karp, symmetric n = 14 to the branch and bound
    dist = symmetric_ints(rng, 24, 14, 4) if symmetric else rng.integers(0, 4, size=(24, 9, 9)).astype(np.float64)
    ref = tsp(dist)
    for b in (0, 5, 23):
        np.testing.assert_array_equal(tsp(dist[b]), ref[b])
    threads = bigrad.get_num_threads()
    try:
        bigrad.set_num_threads(1)
        np.testing.assert_array_equal(tsp(dist), ref)
    finally:
        bigrad.set_num_threads(threads)
    np.testing.assert_array_equal(tsp(np.ones((9, 9))), tsp(np.ones((9, 9))))
    for b in range(len(dist) if symmetric else 0):  # canonical orientation of symmetric tours
        succ = successors(ref[b])
        assert succ[0] < int(np.nonzero(succ == 0)[0][0])


@pytest.mark.parametrize("n", [10, 11, 12])
def test_matches_highs_milp(n):
    rng = np.random.default_rng(100 + n)
    dist = np.concatenate([euclidean(rng, 2, n), rng.random((2, n, n))])
    cost = tsp(dist, return_cost=True)[1]
    for b in range(len(dist)):
        expected, _ = highs_tsp(dist[b])
        assert cost[b] == pytest.approx(expected, rel=1e-9)


def test_tsplib_data_present():
    # the instances of TSPLIB up to 30 cities with published optima used below
    assert TSPLIB == sorted(["bayg29", "bays29", "burma14", "fri26", "gr17", "gr21", "gr24", "ulysses16", "ulysses22"])


@pytest.mark.parametrize("name", TSPLIB)
def test_tsplib_known_optima(name):
    matrix, optimum = tsplib_instance(name)
    # float32 is exact for these integer distances
    for dtype in (np.float32, np.float64):
        dist = matrix.astype(dtype)
        assert (dist == dist.T).all()
        mask, cost = tsp(dist, return_cost=True)
        successors(mask)
        assert float(cost) == optimum
        assert float((mask.astype(np.float64) * dist).sum()) == optimum


@pytest.mark.parametrize("name", ["gr24", "fri26"])
def test_tsplib_data_matches_highs(name):
    # the vendored matrices against the published optima by an independent solver (the rest: see the JSON)
    dist, optimum = tsplib_instance(name)
    assert highs_tsp(dist)[0] == optimum


def row_shifted(dist, rng):
    """An asymmetric copy with the same optimal tours: adding c_i to every edge leaving i adds sum(c) to every
    tour. Integer shifts keep integer costs exact. Returns (shifted, sum(c))."""
    n = dist.shape[-1]
    c = rng.integers(1, 50, size=dist.shape[:-1]).astype(dist.dtype)
    shifted = dist + c[..., :, None] * (1 - np.eye(n, dtype=dist.dtype))
    return shifted, c.sum(-1)


def symmetric_ints(rng, B, n, high):
    a = rng.integers(0, high, size=(B, n, n)).astype(np.float64)
    return np.triu(a, 1) + np.triu(a, 1).transpose(0, 2, 1)


@pytest.mark.parametrize("n", [12, 13, 15, 17])
def test_branch_and_bound_matches_held_karp(n):
    # symmetric instances go to the branch and bound, their row-shifted (asymmetric) copies to Held-Karp
    rng = np.random.default_rng(200 + n)
    dist = np.concatenate(
        [
            np.round(euclidean(rng, 6, n) * 1000),  # TSPLIB-like integer Euclidean
            symmetric_ints(rng, 3, n, 3),  # many ties
            symmetric_ints(rng, 2, n, 1000) - 500,  # negative entries
            np.ones((1, n, n)),  # every tour optimal
            np.round(clustered(rng, 2, n) * 1000),  # two clusters far apart: the 1-tree bound's hard case
            np.round(clustered(rng, 2, n, 3, 20.0) * 1000),
        ]
    )
    mask, cost = tsp(dist, return_cost=True)
    shifted, offset = row_shifted(dist, rng)
    assert not (shifted == shifted.transpose(0, 2, 1)).all(axis=(1, 2)).any()
    _, hk_cost = tsp(shifted, return_cost=True)
    for b in range(len(dist)):
        successors(mask[b])
    np.testing.assert_array_equal(cost, hk_cost - offset)
    np.testing.assert_array_equal((mask * dist).sum(axis=(1, 2)), cost)


@pytest.mark.parametrize("n", [14, 20])
def test_branch_and_bound_float_costs_match_highs(n):
    rng = np.random.default_rng(300 + n)
    dist = euclidean(rng, 2, n)
    for dtype in (np.float64, np.float32):
        d = dist.astype(dtype)
        mask, cost = tsp(d, return_cost=True)
        for b in range(len(d)):
            successors(mask[b])
            expected, _ = highs_tsp(d[b].astype(np.float64))
            assert float(cost[b]) == pytest.approx(expected, rel=1e-6 if dtype == np.float32 else 1e-9)


def test_random_30_city_instances_are_solved():
    rng = np.random.default_rng(30)
    dist = np.round(euclidean(rng, 3, 30) * 1000)
    mask, cost = tsp(dist, return_cost=True)
    for b in range(len(dist)):
        successors(mask[b])
        expected, _ = highs_tsp(dist[b])
        assert float(cost[b]) == expected


@pytest.mark.parametrize("n", [20, 25, 30])
def test_clustered_instances_match_highs(n):
    # Two or three clusters far apart (a 1-tree crosses between two clusters once, a tour twice): before
    # block moves at the root the search did not finish at n = 30. Integer and float costs.
    rng = np.random.default_rng(400 + n)
    dist = np.concatenate([clustered(rng, 1, n), clustered(rng, 1, n, 3, 100.0), clustered(rng, 1, n, 2, 1000.0)])
    dist = np.concatenate([dist, np.round(dist * 1000)])
    mask, cost = tsp(dist, return_cost=True)
    for b in range(len(dist)):
        successors(mask[b])
        expected, _ = highs_tsp(dist[b])
        assert float(cost[b]) == pytest.approx(expected, rel=1e-12, abs=0)
        assert float((mask[b] * dist[b]).sum()) == pytest.approx(expected, rel=1e-12)


def test_memory_limit_names_the_argument():
    rng = np.random.default_rng(1)
    dist = rng.random((2, 20, 20))  # asymmetric: Held-Karp, a 76 MiB table
    bigrad.set_memory_limit(1 << 20)
    try:
        with pytest.raises(MemoryError, match="dist: the TSP solver workspace needs"):
            tsp(dist)
        tsp(euclidean(rng, 2, 20))  # symmetric: the branch and bound needs well under 1 MiB
    finally:
        bigrad.set_memory_limit(None)


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_torch_in_torch_out(dtype):
    rng = np.random.default_rng(3)
    d = rng.random((3, 6, 6))
    t = torch.tensor(d, dtype=dtype)
    mask, cost = tsp(t, return_cost=True)
    assert isinstance(mask, torch.Tensor) and mask.dtype == dtype and mask.device == t.device
    assert mask.shape == (3, 6, 6) and cost.shape == (3,)
    np.testing.assert_array_equal(mask.numpy(), tsp(d.astype(mask.numpy().dtype)))
    single, c1 = tsp(t[0], return_cost=True)
    assert single.shape == (6, 6) and c1.shape == () and isinstance(c1, torch.Tensor)


@pytest.mark.parametrize(
    "dist,kwargs,exc,match",
    [
        (np.ones(5), {}, ValueError, "dist must have shape"),
        (np.ones((2, 2, 5, 5)), {}, ValueError, "dist must have shape"),
        (np.ones((4, 5)), {}, ValueError, "dist must be square"),
        (np.ones((1, 1)), {}, ValueError, "dist must have at least 2 cities"),
        (np.full((4, 4), np.nan), {}, ValueError, "dist must be finite"),
        (np.full((4, 4), np.inf), {}, ValueError, "dist must be finite"),
        (np.full((4, 4), 1e308), {}, ValueError, "dist is too large"),
        (np.ones((MAX_TSP_N + 1,) * 2), {}, ValueError, "dist has n = 31 cities.*MILP"),
        (np.triu(np.ones((HELD_KARP_N_LIMIT + 1,) * 2)), {}, ValueError, r"dist\[0\] is not symmetric and has n = 25"),
        (np.ones((12, 12)), {"max_n": 11}, ValueError, "dist has n = 12"),
        (np.ones((4, 4)), {"max_n": 99}, ValueError, "max_n must be <="),
        (np.ones((4, 4)), {"max_n": 3.0}, TypeError, "max_n must be an int"),
        (np.ones((4, 4), dtype=np.int64), {}, TypeError, "dist must have dtype"),
        (np.ones((4, 4), dtype=np.float16), {}, TypeError, "dist must have dtype"),
        ("abc", {}, TypeError, "dist must be"),
        (torch.ones(4, 4, dtype=torch.int32), {}, TypeError, "dist must have dtype"),
    ],
)
def test_bad_inputs(dist, kwargs, exc, match):
    with pytest.raises(exc, match=match):
        tsp(dist, **kwargs)


def test_batch_sliced_for_interrupts_gives_the_same_answer(monkeypatch):
    # long batches go to the native solver in slices (Ctrl-C is seen between them); force one instance per slice
    rng = np.random.default_rng(9)
    dist = np.concatenate([euclidean(rng, 3, 13), rng.random((2, 13, 13))])
    ref_mask, ref_cost = tsp(dist, return_cost=True)
    monkeypatch.setattr(bigrad._native, "get_num_threads", lambda: 0)
    mask, cost = tsp(dist, return_cost=True)
    np.testing.assert_array_equal(mask, ref_mask)
    np.testing.assert_array_equal(cost, ref_cost)

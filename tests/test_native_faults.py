"""Faults found by the input audit: overflow, memory guard, bad oracle outputs."""
import numpy as np
import pytest

import bigrad
from bigrad.solvers import min_max_min, shortest_path, shortest_path_interdiction

torch = pytest.importorskip("torch")

HUGE = {np.float32: 2e38, np.float64: 1e308}


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("nbh", [8, 4])
def test_overflowing_path_cost_raises(dtype, nbh):
    w = np.full((3, 3), HUGE[dtype], dtype)
    with pytest.raises(ValueError, match="weights: a path cost overflows"):
        shortest_path(w, nbh, return_cost=True)
    # one overflowing instance in a batch is enough
    batch = np.ones((40, 3, 3), dtype)
    batch[17] = w
    with pytest.raises(ValueError, match="weights"):
        shortest_path(batch, nbh)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_largest_finite_cost_still_solved(dtype):
    # the cheapest path costs exactly the largest finite sum: no false alarm
    w = np.full((3, 3), HUGE[dtype] / 8, dtype)
    mask, cost = shortest_path(w, 8, return_cost=True)
    assert np.isfinite(cost) and mask.sum() == 3 and mask[0, 0] == mask[1, 1] == mask[2, 2] == 1


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_overflow_in_interdiction_raises(dtype):
    z = np.full((3, 3), HUGE[dtype] / 4, dtype)
    w = np.full((3, 3), HUGE[dtype], dtype)
    with np.errstate(over="ignore"), pytest.raises(ValueError, match="z \\+ w: a path cost overflows"):
        shortest_path_interdiction(z, w, 1)


def test_overflow_in_torch_layer_raises():
    layer = bigrad.torch.ShortestPath()
    with pytest.raises(ValueError, match="weights"):
        layer(torch.full((2, 3, 3), 2e38))


def test_memory_limit_names_the_argument_and_bytes():
    bigrad.set_memory_limit(1 << 20)
    try:
        with pytest.raises(MemoryError, match=r"weights: the workspace needs [\d,]+ bytes"):
            shortest_path(np.ones((64, 64, 64)))
        shortest_path(np.ones((2, 8, 8)))  # small problems still run
    finally:
        bigrad.set_memory_limit(None)


@pytest.mark.parametrize(
    "oracle,match",
    [
        (lambda c: np.full(c.shape, 0.5), "0/1 choices, got values other than 0 and 1"),
        (lambda c: np.full(c.shape, np.nan), "0/1 choices, got NaN or inf"),
        (lambda c: np.full(c.shape, np.inf), "0/1 choices, got NaN or inf"),
        (lambda c: np.zeros(c.shape[:-1]), "oracle must return an array of shape"),
        (lambda c: torch.full(tuple(c.shape), 2.0), "values other than 0 and 1"),
    ],
)
def test_min_max_min_checks_the_oracle_output(oracle, match):
    z = np.ones((2, 3, 3))
    with pytest.raises(ValueError, match=match):
        min_max_min(oracle, z, np.ones_like(z), 1)


@pytest.mark.parametrize("shape", [(40, 12, 12), (1, 12, 12), (1, 70, 70)])  # lanes, one sweep, Dijkstra
@pytest.mark.parametrize("bad,word", [(np.nan, "finite"), (np.inf, "finite"), (-1.0, "non-negative")])
def test_bad_values_are_found_by_the_native_pass(shape, bad, word):
    # the CPU kernels check the values while transposing them (negative weights
    # would make the sweeps loop on negative cycles): ValueError, never a hang
    w = np.ones(shape, np.float32)
    w[-1, 5, 7] = bad
    with pytest.raises(ValueError, match=f"weights must be {word}"):
        shortest_path(w)

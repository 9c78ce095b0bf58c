"""topk_mask and topk_attacked against sorting by hand, brute force and hypothesis."""
from __future__ import annotations

import itertools

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from bigrad.solvers import topk_attacked, topk_mask
from bigrad.solvers.topk import _rank_mask


def ranked(row) -> list[int]:
    """Positions by descending score, lower index first among equal scores."""
    return sorted(range(len(row)), key=lambda i: (-float(row[i]), i))


def expected_mask(scores: np.ndarray, lo: int, hi: int) -> np.ndarray:
    out = np.zeros(scores.shape)
    for b, row in enumerate(scores.reshape(-1, scores.shape[-1])):
        out.reshape(-1, scores.shape[-1])[b, ranked(row)[lo:hi]] = 1
    return out


def test_topk_is_the_best_k_subset_brute_force():
    rng = np.random.default_rng(0)
    s = rng.normal(size=(20, 7))
    for k in range(8):
        mask = topk_mask(s, k)
        for b in range(len(s)):
            best = max(sum(s[b, list(c)]) for c in itertools.combinations(range(7), k)) if k else 0.0
            assert (mask[b] * s[b]).sum() == pytest.approx(best)
            assert mask[b].sum() == k


@settings(max_examples=150, deadline=None)
@given(
    arrays(np.float64, st.tuples(st.integers(1, 4), st.integers(1, 12)), elements=st.integers(-3, 3).map(float)),
    st.data(),
)
def test_topk_and_attack_match_reference_with_ties(scores, data):
    m = scores.shape[-1]
    k = data.draw(st.integers(0, m))
    q = data.draw(st.integers(0, k))
    mask = topk_mask(scores, k)
    np.testing.assert_array_equal(mask, expected_mask(scores, 0, k))
    y, x = topk_attacked(scores, k, q)
    np.testing.assert_array_equal(y, expected_mask(scores, q, k))
    np.testing.assert_array_equal(x, expected_mask(scores, 0, q))
    np.testing.assert_array_equal(x + y, mask)
    assert (y.sum(-1) == k - q).all() and (x.sum(-1) == q).all()
    # the torch implementation (used for CUDA tensors) gives the same masks
    t = torch.from_numpy(scores)
    np.testing.assert_array_equal(_rank_mask(t, q, k).numpy(), y)


def test_attacked_matches_paper_simulation():
    # sort by value, keep the first k, the attacker zeroes the first q: y = ranks q..k-1
    z = np.array([0.1, 0.9, 0.5, 0.7, 0.3, 0.8])
    y, x = topk_attacked(z, k=4, q=2)
    np.testing.assert_array_equal(x, [0, 1, 0, 0, 0, 1])  # 0.9 and 0.8
    np.testing.assert_array_equal(y, [0, 0, 1, 1, 0, 0])  # 0.7 and 0.5
    y0, x0 = topk_attacked(z, k=4, q=0)
    np.testing.assert_array_equal(y0, topk_mask(z, 4))
    assert x0.sum() == 0


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_shapes_and_dtypes(dtype):
    s = np.arange(10, dtype=dtype)[::-1].copy()
    m = topk_mask(s, 3)
    assert m.shape == (10,) and m.dtype == dtype
    np.testing.assert_array_equal(m, [1, 1, 1] + [0] * 7)
    assert topk_mask(s[None], 3).shape == (1, 10)


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_torch_in_torch_out(dtype):
    t = torch.tensor([[3.0, 1.0, 2.0, 2.0, 5.0], [0.0, 0.0, 0.0, 0.0, 1.0]], dtype=dtype)
    m = topk_mask(t, 2)
    assert isinstance(m, torch.Tensor) and m.dtype == dtype and m.device == t.device
    assert m.tolist() == [[1, 0, 0, 0, 1], [1, 0, 0, 0, 1]]
    y, x = topk_attacked(t[0], 3, 1)
    assert isinstance(y, torch.Tensor) and y.shape == (5,)
    assert y.tolist() == [1, 0, 1, 0, 0] and x.tolist() == [0, 0, 0, 0, 1]


@pytest.mark.parametrize(
    "call,exc,match",
    [
        (lambda: topk_mask(np.ones(4), 5), ValueError, r"k must be in \[0, 4\]"),
        (lambda: topk_mask(np.ones(4), -1), ValueError, "k must be >= 0"),
        (lambda: topk_mask(np.ones(4), 2.0), TypeError, "k must be an int"),
        (lambda: topk_mask(np.ones(4), True), TypeError, "k must be an int"),
        (lambda: topk_mask(np.ones((2, 2, 4)), 1), ValueError, "scores must have shape"),
        (lambda: topk_mask(np.ones(0), 0), ValueError, "scores must not be empty"),
        (lambda: topk_mask(np.array([1.0, np.nan]), 1), ValueError, "scores must be finite"),
        (lambda: topk_mask(np.arange(4), 1), TypeError, "scores must have dtype"),
        (lambda: topk_mask(torch.arange(4), 1), TypeError, "scores must have dtype"),
        (lambda: topk_attacked(np.ones(4), 2, 3), ValueError, r"q must be in \[0, 2\]"),
        (lambda: topk_attacked(np.ones(4), 5, 1), ValueError, r"k must be in \[0, 4\]"),
        (lambda: topk_attacked(np.ones(4), 2, -1), ValueError, "q must be >= 0"),
        (lambda: topk_attacked(np.ones(4), 2, None), TypeError, "q must be an int"),
    ],
)
def test_bad_inputs(call, exc, match):
    with pytest.raises(exc, match=match):
        call()

"""min_max_min: argument checks (issue 24, D3/D4) and game values against enumeration of the feasible set."""
from __future__ import annotations

from itertools import combinations

import numpy as np
import pytest

from bigrad.solvers import min_max_min
from reference.blackbox_reference import argmin_enum, game_enum

K = 2


def subsets(d: int, k: int = K) -> list[np.ndarray]:
    """Every 0/1 vector of length ``d`` with ``k`` ones: the feasible set Y of the tests."""
    out = []
    for s in combinations(range(d), k):
        y = np.zeros(d)
        y[list(s)] = 1.0
        out.append(y)
    return out


def enum_oracle(c):
    """Nominal oracle over :func:`subsets`, row by row, by enumeration (numpy or torch in, alike out)."""
    arr = c.cpu().numpy() if hasattr(c, "cpu") else np.asarray(c)
    ys = np.stack([argmin_enum(subsets(arr.shape[1]), row) for row in arr])
    if hasattr(c, "cpu"):
        import torch

        return torch.as_tensor(ys, dtype=c.dtype, device=c.device)
    return ys.astype(arr.dtype)


def game_value(z, w, budget):
    """min over Y of <z + x w, y> with the attacker's best x, by enumeration."""
    y, x = game_enum(subsets(len(z)), z, w, budget)
    return float(((z + x * w) * y).sum())


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_nonfinite_z_is_named(bad):
    """D3: NaN or inf in z gave a NaN game value without an error (w was checked, z not)."""
    z = np.array([[1.0, bad, 2.0], [0.0, 1.0, 2.0]])
    with pytest.raises(ValueError, match="z must be finite"):
        min_max_min(enum_oracle, z, np.ones_like(z), 1)
    torch = pytest.importorskip("torch")
    with pytest.raises(ValueError, match="z must be finite"):
        min_max_min(enum_oracle, torch.from_numpy(z), torch.ones(2, 3, dtype=torch.float64), 1)


@pytest.mark.parametrize("shape", [(0, 3), (2, 0), (0, 0), (3, 0, 2)])
def test_empty_batch_is_named(shape):
    """D4: an empty batch raised numpy's 'cannot reshape array of size 0', naming no argument."""
    with pytest.raises(ValueError, match=r"z must not be empty, got shape \(" + ", ".join(map(str, shape))):
        min_max_min(enum_oracle, np.zeros(shape), np.zeros(shape), 1)


def test_argument_kinds_and_dtypes_are_named():
    torch = pytest.importorskip("torch")
    z = np.ones((2, 3))
    with pytest.raises(TypeError, match="z must have a real floating dtype"):
        min_max_min(enum_oracle, z.astype(int), z, 1)  # an integer z would truncate z + max(w - theta, 0)
    with pytest.raises(TypeError, match="w must have a real floating dtype"):
        min_max_min(enum_oracle, z, z.astype(bool), 1)
    with pytest.raises(TypeError, match="z and w must both be numpy arrays or both torch tensors"):
        min_max_min(enum_oracle, z, torch.ones(2, 3), 1)
    with pytest.raises(ValueError, match="z is on the meta device"):
        min_max_min(enum_oracle, torch.ones(2, 3, device="meta"), torch.ones(2, 3, device="meta"), 1)
    with pytest.raises(TypeError, match="z must be a numpy array or torch tensor"):
        min_max_min(enum_oracle, "z", "w", 1)
    with pytest.raises(TypeError, match="budget must be an int"):
        min_max_min(enum_oracle, z, z, 1.0)
    with pytest.raises(ValueError, match="budget must be >= 0"):
        min_max_min(enum_oracle, z, z, -1)


def test_values_match_enumeration_also_for_huge_budgets():
    rng = np.random.default_rng(0)
    for trial in range(20):
        d = int(rng.integers(2, 6))
        z = rng.uniform(-2, 5, (3, d)).round(1)
        w = rng.choice([0.0, 0.5, 1.0, 2.5], (3, d))
        for budget in (0, 1, 2, d, 10**30):
            y, x, value = min_max_min(enum_oracle, z, w, budget)
            for b in range(3):
                assert value[b] == pytest.approx(game_value(z[b], w[b], min(budget, d)), abs=1e-12), (trial, budget)
                assert value[b] == pytest.approx(((z[b] + x[b] * w[b]) * y[b]).sum())

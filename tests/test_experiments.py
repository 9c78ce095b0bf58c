"""Experiment building blocks: maps, losses, metrics, and a tiny end-to-end run of each experiment."""
import json

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from bigrad.experiments import run  # noqa: E402
from bigrad.experiments.maps import TERRAIN_COSTS, make_maps  # noqa: E402
from bigrad.experiments.training import loss_for, mask_loss, optimal_fraction  # noqa: E402
from bigrad.solvers import shortest_path_interdiction  # noqa: E402


def test_maps_shapes_and_costs():
    m = make_maps(5, 7, patch=3, seed=1)
    assert m.images.shape == (5, 3, 21, 21) and m.images.dtype == np.float32
    np.testing.assert_array_equal(m.costs, TERRAIN_COSTS[m.terrain])
    # deterministic in the seed, different across seeds
    np.testing.assert_array_equal(make_maps(5, 7, patch=3, seed=1).images, m.images)
    assert not np.array_equal(make_maps(5, 7, patch=3, seed=2).terrain, m.terrain)
    with pytest.raises(ValueError, match="size"):
        make_maps(5, 1)


def test_mask_loss_values_and_gradients():
    pred = torch.tensor([[1.0, 0.0, 1.0, 0.0]], requires_grad=True)
    target = torch.tensor([[1.0, 1.0, 0.0, 0.0]])
    for kind in ("hamming", "l1"):
        assert mask_loss(pred, target, kind).item() == 2.0  # both count differing cells
    (g_h,) = torch.autograd.grad(mask_loss(pred, target, "hamming"), pred)
    (g_l,) = torch.autograd.grad(mask_loss(pred, target, "l1"), pred)
    np.testing.assert_array_equal(g_h.numpy(), [[-1, -1, 1, 1]])  # 1 - 2 * target everywhere
    np.testing.assert_array_equal(g_l.numpy(), [[0, -1, 1, 0]])  # only where they disagree
    assert loss_for("pt", "auto") == "l1" and loss_for("bb", "auto") == "hamming+l1"
    with pytest.raises(ValueError, match="loss"):
        loss_for("bb", "mse")


def test_optimal_fraction_against_the_solver():
    rng = np.random.default_rng(0)
    z = rng.random((6, 5, 5))
    w = np.ones_like(z)
    y, _, value = shortest_path_interdiction(z, w, 2, return_cost=True)
    assert optimal_fraction(y, z, w, value, 2) == 1.0
    bad = y.copy()
    bad[0] = 1.0  # every cell: never optimal with positive costs
    assert optimal_fraction(bad, z, w, value, 2) == pytest.approx(5 / 6)


def test_tiny_runs_write_tables(tmp_path):
    rows = run.warcraft((6,), tmp_path, log=lambda s: None, n_train=40, n_val=20, epochs=1, batch_size=20,
                        methods=("bb", "pt", "sl"))
    assert [r["method"] for r in rows] == ["bb", "pt", "sl"]
    saved = json.loads((tmp_path / "warcraft.json").read_text())
    assert len(saved) == 3 and all(0 <= r["val_accuracy"] <= 100 for r in saved)
    assert "| 6x6 | bb |" in (tmp_path / "warcraft.md").read_text()
    rows = run.tsp((5,), tmp_path, log=lambda s: None, n_cities=12, n_train=20, n_val=10, epochs=1,
                   batch_size=10, methods=("pt", "sl"))
    assert [r["method"] for r in rows] == ["pt", "sl"]
    assert (tmp_path / "tsp.md").exists()

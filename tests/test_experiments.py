"""Experiment building blocks, the quick run of Tables 3 and 4, the one-command runner and the demo's baseline."""
import json
import math
import types

import numpy as np
import pytest

torch = pytest.importorskip("torch")
pytest.importorskip("tqdm")

from bigrad import cli
from bigrad.experiments import report, run, tsp, warcraft
from bigrad.experiments.maps import TERRAIN_COSTS, make_maps
from bigrad.experiments.table import TableResult
from bigrad.experiments.training import loss_for, mask_loss, optimal_fraction
from bigrad.solvers import shortest_path, shortest_path_interdiction


def quiet(_line):
    pass


pytestmark = pytest.mark.usefixtures("one_torch_thread")  # tests/conftest.py


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


def test_mean_std_and_formatting():
    assert report.mean_std([1.0, 2.0, 3.0]) == (2.0, 1.0, 3)  # sample std
    assert report.fmt([90.0, 92.0]) == "91.0 ± 1.4"
    assert report.fmt([90.0]) == "90.0" and report.fmt([]) == "–"
    assert report.fmt_paper((94.5, 0.2)) == "94.5 ± 0.2" and report.fmt_paper(None) == "–"
    table = report.markdown_table(["a", "b"], [["1", "2"]])
    assert table.splitlines() == ["| a | b |", "|---|---|", "| 1 | 2 |"]


def test_warcraft_quick_beats_untrained(tmp_path):
    res = warcraft.run_table(quick=True, seeds=[0], out_dir=tmp_path, log=quiet)
    assert res.name == "warcraft" and res.higher_is_better
    assert len(res.rows) == len(warcraft.VARIANTS)
    for label in ("BiGrad (BB)", "BiGrad (PT)", "BB-1", "BiGrad (BB), learned w", "BiGrad (PT), learned w"):
        assert res.metric[label] > res.untrained + 5, (label, res.metric, res.untrained)
    assert "| BiGrad (BB) |" in res.markdown and "94.5 ± 0.2" in res.markdown  # the paper's figure beside ours
    assert all((tmp_path / p).stat().st_size > 0 for p in res.plots) and res.plots


@pytest.mark.slow
def test_tsp_quick_beats_untrained_and_records_curves(tmp_path):
    res = tsp.run_table(quick=True, seeds=[0], out_dir=tmp_path, log=quiet)
    assert res.name == "tsp" and res.higher_is_better
    for label in ("BiGrad (BB)", "BiGrad (PT)", "BB-1", "PT-1"):
        assert res.metric[label] > res.untrained + 10, (label, res.metric, res.untrained)
    for r in res.rows:  # a validation and a training point per epoch (SL is fitted at once: one point)
        epochs = 1 if r["method"] == "sl" else tsp.QUICK[8]["epochs"]
        assert len(r["curve_val"]) == epochs and len(r["curve_train"]) == epochs
    assert "tsp_curves.png" in res.plots and (tmp_path / "tsp_curves.png").exists()
    assert "89.4 ± 0.2" in res.markdown


def test_tsp_scale_run_row():
    row = tsp.scale_run(6, 30, 2, n_val=12, log=quiet)
    assert row["k"] == 6 and row["n_train"] == 30 and row["variant"] == "BiGrad (PT), 30 instances, 2 epochs"
    assert len(row["curve_val"]) == 2 and 0 <= row["val_accuracy"] <= 100


def _fake_module(name, calls, jobs_seen=None):
    jobs_seen = [] if jobs_seen is None else jobs_seen

    def run_table(*, quick, seeds, out_dir, log=print, jobs=1):
        calls.append((name, quick, list(seeds)))
        jobs_seen.append(jobs)
        (out_dir / f"{name}.png").write_bytes(b"png")
        return TableResult(name=name, title=f"Table {name}", markdown=f"| ours | paper |\n|---|---|\n| {name} | 1 |\n",
                           rows=[{"seed": s, "value": np.float64(1.5)} for s in seeds], plots=[f"{name}.png"],
                           notes=f"notes of {name}", metric={"m": 2.0}, untrained=1.0, seconds=3.0)

    return types.SimpleNamespace(run_table=run_table)


def test_runner_writes_report_with_every_table(tmp_path, monkeypatch):
    calls = []
    for name in run.EXPERIMENTS:
        monkeypatch.setitem(__import__("sys").modules, f"bigrad.experiments.{name}", _fake_module(name, calls))
    _results, skipped = run.experiments("all", quick=True, seeds=[0, 1], out_dir=tmp_path, log=quiet,
                                       command="bigrad experiments --quick")
    assert [c[0] for c in calls] == list(run.EXPERIMENTS) and skipped == {}
    assert all(c[1] is True and c[2] == [0, 1] for c in calls)
    text = (tmp_path / "REPORT.md").read_text()
    for name in run.EXPERIMENTS:
        assert f"## Table {name}" in text and f"| {name} | 1 |" in text and f"notes of {name}" in text
        assert f"]({name}.png)" in text
    assert "torch" in text and "cores" in text and "Wall time" in text and "total | 12 s" in text
    data = json.loads((tmp_path / "results.json").read_text())
    assert set(data["tables"]) == set(run.EXPERIMENTS)
    assert data["tables"]["tsp"]["rows"][1] == {"seed": 1, "value": 1.5}


def test_runner_skips_a_missing_experiment(tmp_path, monkeypatch):
    calls = []
    sys_modules = __import__("sys").modules
    monkeypatch.setitem(sys_modules, "bigrad.experiments.control", None)  # import fails: module missing
    monkeypatch.setitem(sys_modules, "bigrad.experiments.tsp", _fake_module("tsp", calls))
    results, skipped = run.experiments(["control", "tsp"], seeds=[0], out_dir=tmp_path, log=quiet)
    assert [r.name for r in results] == ["tsp"] and skipped == {"control": run.NOT_AVAILABLE}
    text = (tmp_path / "REPORT.md").read_text()
    assert "`control`: not available in this build" in text
    with pytest.raises(ValueError, match="which"):
        run.experiments("cifar", out_dir=tmp_path, log=quiet)
    with pytest.raises(ValueError, match="seeds"):
        run.experiments("tsp", seeds=[], out_dir=tmp_path, log=quiet)


def test_cli_experiments_options(tmp_path, monkeypatch, capsys):
    calls = []
    monkeypatch.setitem(__import__("sys").modules, "bigrad.experiments.tsp", _fake_module("tsp", calls))
    assert cli.main(["experiments", "tsp", "--quick", "--out", str(tmp_path)]) == 0
    assert calls == [("tsp", True, [0])]  # --quick: one seed by default
    assert cli.main(["experiments", "tsp", "--seeds", "2", "--out", str(tmp_path)]) == 0
    assert calls[-1] == ("tsp", False, [0, 1])
    assert cli.main(["experiments", "tsp", "--seeds", "0", "--out", str(tmp_path)]) == 2
    assert "--seeds" in capsys.readouterr().err
    jobs = []
    monkeypatch.setitem(__import__("sys").modules, "bigrad.experiments.tsp", _fake_module("tsp", calls, jobs))
    assert cli.main(["experiments", "tsp", "--jobs", "2", "--out", str(tmp_path)]) == 0
    assert jobs == [2]
    assert cli.main(["experiments", "tsp", "--out", str(tmp_path)]) == 0
    assert jobs[-1] == 1  # default without --full
    assert cli.main(["experiments", "tsp", "--jobs", "0", "--out", str(tmp_path)]) == 2
    assert "--jobs" in capsys.readouterr().err
    monkeypatch.setitem(__import__("sys").modules, "bigrad.experiments.warcraft", _fake_module("warcraft", calls))
    assert cli.main(["experiments", "warcraft", "tsp", "--seeds", "1", "--out", str(tmp_path)]) == 0
    assert calls[-2:] == [("warcraft", False, [0]), ("tsp", False, [0])]  # several tables, in the order given
    assert "Table warcraft" in (tmp_path / "REPORT.md").read_text()
    with pytest.raises(SystemExit):
        cli.main(["experiments", "nope"])


def test_cli_data_reaches_the_adversarial_table_only(tmp_path, monkeypatch, capsys):
    seen = {}

    def run_table(*, quick, seeds, out_dir, log=print, data=None):
        seen["data"] = data
        return TableResult(name="adversarial", title="Table 2", markdown="| a |\n|---|\n| 1 |\n")

    monkeypatch.setitem(__import__("sys").modules, "bigrad.experiments.adversarial",
                        types.SimpleNamespace(run_table=run_table))
    assert cli.main(["experiments", "adversarial", "--quick", "--data", str(tmp_path), "--out",
                     str(tmp_path / "o")]) == 2  # no CIFAR-10 batches there: refused before anything runs
    assert "no CIFAR-10 python batches" in capsys.readouterr().err
    (tmp_path / "data_batch_1").touch()
    (tmp_path / "test_batch").touch()
    assert cli.main(["experiments", "adversarial", "--quick", "--data", str(tmp_path), "--out",
                     str(tmp_path / "o")]) == 0
    assert seen["data"] == tmp_path
    assert cli.main(["experiments", "adversarial", "--data", str(tmp_path / "missing")]) == 2
    assert "no such folder" in capsys.readouterr().err


def test_demo_baseline_matches_the_solver():
    """The demo's scipy baseline (one block-diagonal csgraph.dijkstra call) agrees with shortest_path."""
    rng = np.random.default_rng(3)
    costs = rng.choice([0.0, 0.8, 1.2, 5.3, 9.2], size=(7, 5, 6))
    _, ours = shortest_path(costs, return_cost=True)
    np.testing.assert_allclose(run._scipy_block_diagonal(costs), ours, rtol=1e-12)


@pytest.mark.parametrize("old, new", [("control_lqr", "control.lqr"), ("adversarial_model", "adversarial.model")])
def test_old_flat_module_names_warn_and_alias(old, new, monkeypatch):
    import importlib
    import sys

    monkeypatch.delitem(sys.modules, f"bigrad.experiments.{old}", raising=False)
    with pytest.warns(DeprecationWarning, match=f"import bigrad.experiments.{new}"):
        module = importlib.import_module(f"bigrad.experiments.{old}")
    assert module is importlib.import_module(f"bigrad.experiments.{new}")


def test_tsp_sl_baseline_memorises_its_training_tours(one_torch_thread):
    """The SL baseline (PairMemoriser) fits its training set (the paper's SL: 91-100 % train), however it
    generalises."""
    cfg = tsp.TSPConfig(k=5, n_train=60, n_val=10, seed=0)
    world = tsp.World(cfg)
    train, val = world.instances(cfg.n_train), world.instances(cfg.n_val)
    res = tsp.train_method("sl", train, val, cfg, log=lambda *a: None)
    assert res["train_accuracy"] >= 90


def test_extrapolate_separates_epochs_from_evaluation(monkeypatch):
    """A fake clock: set-up and evaluation 1 s per instance evaluated, training 0.5 s per instance-epoch."""
    import time

    from bigrad.experiments.training import extrapolate

    clock = [0.0]
    monkeypatch.setattr(time, "perf_counter", lambda: clock[0])

    def trial(epochs, n=20, n_val=4):
        clock[0] += 1.0 * (n + n_val) + 0.5 * n * epochs

    seconds = extrapolate(trial, 20, 4, 1000, 100, 10)
    assert seconds == pytest.approx(0.5 * 1000 * 10 + 1.0 * 1100)


def test_full_and_quick_exclude_each_other(capsys):
    with pytest.raises(SystemExit):
        cli.main(["experiments", "--quick", "--full"])
    assert "not allowed with argument" in capsys.readouterr().err
    with pytest.raises(ValueError, match="exclude each other"):
        run.experiments("tsp", quick=True, full=True)


def test_pair_memoriser_is_kernel_ridge_regression():
    """Its predictions equal a dense solve of the same kernel ridge regression (targets ±1 on each instance's
    own ordered pairs, 0 elsewhere), on new instances; on its training instances it returns their masks."""
    import torch

    from bigrad.experiments.supervised import PairMemoriser

    cfg = tsp.TSPConfig(k=5, n_cities=12, seed=0)
    world = tsp.World(cfg)
    train, new = world.instances(40), world.instances(7)
    net = PairMemoriser(12, ridge=1e-6)
    with pytest.raises(RuntimeError, match="fit"):
        net(new["idx"])  # before it was fitted
    net.fit(train["idx"], train["y"], train["x"])
    ty, tx = net(train["idx"])
    assert torch.equal((ty > 0).double(), train["y"]) and torch.equal((tx > 0).double(), train["x"])

    def onehot(idx):
        return np.eye(12)[idx.numpy()].sum(1)

    A, Q = onehot(train["idx"]), onehot(new["idx"])
    K = np.exp(A @ A.T - 5)
    Y = np.zeros((40, 12, 12, 2))
    for t, idx in enumerate(train["idx"].numpy()):
        Y[t, idx[:, None], idx[None, :], 0] = 2 * train["y"][t].numpy() - 1
        Y[t, idx[:, None], idx[None, :], 1] = 2 * train["x"][t].numpy() - 1
    coef = np.linalg.solve(K + 1e-6 * np.eye(40), Y.reshape(40, -1))
    want = (np.exp(Q @ A.T - 5) @ coef).reshape(7, 12, 12, 2)
    ny, nx = net(new["idx"])
    for r, idx in enumerate(new["idx"].numpy()):
        np.testing.assert_allclose(ny[r].numpy(), want[r, idx[:, None], idx[None, :], 0], atol=1e-8)
        np.testing.assert_allclose(nx[r].numpy(), want[r, idx[:, None], idx[None, :], 1], atol=1e-8)


def test_cosine_schedule_decays_the_rate_to_zero(monkeypatch):
    """``schedule="cosine"``: step t of T runs at ``lr (1 + cos(pi t / T)) / 2``; unknown schedules are named."""
    from bigrad.experiments import training

    rates = []

    class Recording(torch.optim.Adam):
        def step(self, *args, **kwargs):
            rates.append(self.param_groups[0]["lr"])
            return super().step(*args, **kwargs)

    monkeypatch.setattr(training.torch.optim, "Adam", Recording)
    p = torch.zeros(1, requires_grad=True)
    loss = lambda idx: (p - 1).pow(2).sum()
    training.fit(loss, [p], 10, epochs=2, batch_size=3, lr=0.1, seed=0, desc="t", schedule="cosine")
    steps = 2 * 4
    assert rates == pytest.approx([0.05 * (1 + math.cos(math.pi * t / steps)) for t in range(steps)])
    with pytest.raises(ValueError, match="schedule must be 'onecycle', 'cosine' or 'constant'"):
        training.fit(loss, [p], 10, epochs=1, batch_size=3, lr=0.1, seed=0, desc="t", schedule="linear")


def test_learned_w_is_normalised_per_map_like_z():
    """With ``learn_w`` each map's ``w`` has the mean training ``w`` (and ``z`` the mean training ``z``), whatever
    the logits' scale; with ``w`` known the layer gets the true ``w``."""
    cfg = warcraft.WarcraftConfig(size=4, n_train=2, n_val=1, learn_w=True)
    data = warcraft.Dataset(2, cfg, seed=0)
    learner = warcraft.Learner("pt", cfg, z_scale=2.0, w_scale=1.5)
    out = torch.randn(2, 2, 4, 4, dtype=torch.float64, generator=torch.Generator().manual_seed(0)) * 5 + 3
    z, w = learner.game_inputs(out, data, slice(None))
    torch.testing.assert_close(z.mean(dim=(1, 2)), torch.full((2,), 2.0, dtype=torch.float64))
    torch.testing.assert_close(w.mean(dim=(1, 2)), torch.full((2,), 1.5, dtype=torch.float64))
    ratio = w / (torch.nn.functional.softplus(out[:, 1]) + 1e-6)  # one factor per map: its shape is kept
    assert torch.allclose(ratio, ratio[:, :1, :1].expand_as(ratio), rtol=1e-5)
    known = warcraft.Learner("pt", warcraft.WarcraftConfig(size=4, n_train=2, n_val=1), z_scale=2.0)
    assert torch.equal(known.game_inputs(out, data, slice(None))[1], data.w_tensor)

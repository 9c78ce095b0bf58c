"""Worker processes for the tables' independent runs, and where their time goes."""
import os

import pytest
import torch

from bigrad.experiments import report, tsp
from bigrad.experiments.table import TableResult
from bigrad.experiments.workers import SolverClock, run_units, split_time
from bigrad.torch.combinatorial import TSPInterdiction

pytestmark = pytest.mark.usefixtures("one_torch_thread")  # tests/conftest.py


def square_and_pid(x, *, log):
    log(f"unit {x}")
    return {"x": x * x, "pid": os.getpid()}


def test_run_units_keeps_the_order_and_uses_workers():
    lines = []
    serial = run_units(square_and_pid, [(i,) for i in range(5)], jobs=1, log=lines.append)
    assert [d["x"] for d in serial] == [0, 1, 4, 9, 16] and lines == [f"unit {i}" for i in range(5)]
    assert {d["pid"] for d in serial} == {os.getpid()}
    parallel = run_units(square_and_pid, [(i,) for i in range(5)], jobs=2, log=lines.append)
    assert [d["x"] for d in parallel] == [0, 1, 4, 9, 16]
    assert os.getpid() not in {d["pid"] for d in parallel}
    with pytest.raises(ValueError, match="jobs"):
        run_units(square_and_pid, [(1,)], jobs=0)


def test_tsp_rows_do_not_depend_on_the_worker_count(tmp_path):
    """Each unit seeds itself: two workers give the rows of one process, times aside."""
    def strip(rows):
        return [{k: v for k, v in r.items() if "seconds" not in k} for r in rows]

    sizes = {6: {"n_train": 12, "n_val": 6, "epochs": 1}}
    units = [(6, sizes[6], seed, True, False, seed == 0) for seed in (0, 1)]
    one = run_units(tsp.run_unit, units, jobs=1, log=lambda _: None)
    two = run_units(tsp.run_unit, units, jobs=2, log=lambda _: None)
    assert strip([r for d in one for r in d["rows"]]) == strip([r for d in two for r in d["rows"]])
    assert [d["untrained"] for d in one] == [d["untrained"] for d in two]


def test_solver_clock_counts_the_layer_only():
    layer = TSPInterdiction(1, method="bb")
    clock = SolverClock(layer)
    z = torch.rand(4, 6, 6, dtype=torch.float64, requires_grad=True)
    y, x = layer(z)
    after_forward = clock.seconds
    assert after_forward > 0
    (y.sum() + x.sum()).backward()  # BB re-solves in the backward pass
    assert clock.seconds > after_forward
    assert layer.budget == 1 and layer._problem.lower == 0.0  # other attributes still reach the problem
    assert SolverClock(None).seconds == 0.0


def test_split_time_and_the_report_table(tmp_path):
    rows = [{"seconds": 10.0, "solver_seconds": 4.0}, {"seconds": 6.0, "solver_seconds": 0.0}]
    t = split_time(rows, data_seconds=2.0)
    assert t == {"network": 12.0, "solver": 4.0, "data": 2.0, "runs": 18.0}
    res = TableResult(name="tsp", title="Table 4", markdown="| a |\n|---|\n| 1 |\n", seconds=9.0, timing=t)
    report.write_report([res], {}, tmp_path)
    text = (tmp_path / "REPORT.md").read_text()
    assert "Where the time went" in text and "| Table 4 | 12 s (67 %) | 4 s (22 %) | 2 s (11 %) | 18 s | 9 s |" in text


def sleep_or_fail(x, folder, *, log):
    import pathlib
    import time

    folder = pathlib.Path(folder)
    if x == 0:  # fail once the other unit runs
        for _ in range(600):
            if (folder / "1").exists():
                break
            time.sleep(0.05)
        raise ValueError("unit 0 failed")
    (folder / str(x)).write_text(str(os.getpid()))
    time.sleep(600)
    return {}


def _running(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/status") as f:
            return not any(line.startswith("State:") and "Z" in line.split()[1] for line in f)
    except FileNotFoundError:
        return False


@pytest.mark.skipif(not os.path.exists("/proc/self/status"), reason="reads /proc")
def test_a_failed_unit_stops_the_others_at_once(tmp_path):
    with pytest.raises(ValueError, match="unit 0 failed"):
        run_units(sleep_or_fail, [(0, str(tmp_path)), (1, str(tmp_path))], jobs=2, log=lambda _: None)
    pid = int((tmp_path / "1").read_text())
    assert not _running(pid)  # terminated, not waited for (it sleeps for 10 minutes)


def test_a_diverged_model_is_a_failed_row_not_a_lost_table(tmp_path, monkeypatch):
    import math

    from bigrad.experiments import training, warcraft

    real = warcraft.train_method

    def diverging(method, *args, **kwargs):
        if method == "bb1":
            return training.fit(lambda idx: torch.tensor(float("nan")), [torch.zeros(1, requires_grad=True)], 4,
                                epochs=1, batch_size=2, lr=0.1, seed=0, desc="bb1")
        return real(method, *args, **kwargs)

    monkeypatch.setattr(warcraft, "train_method", diverging)
    lines = []
    sizes = {6: {"n_train": 8, "n_val": 4, "epochs": 1}}
    monkeypatch.setattr(warcraft, "QUICK", sizes)
    res = warcraft.run_table(quick=True, seeds=[0], out_dir=tmp_path, log=lines.append)
    failed = [r for r in res.rows if r.get("failed")]
    assert [r["variant"] for r in failed] == ["BB-1"] and "training loss is nan" in failed[0]["failed"]
    assert math.isnan(failed[0]["val_accuracy"]) and any("failed" in line for line in lines)
    assert len(res.rows) == len(warcraft.VARIANTS)  # the other runs finished
    assert "| BB-1 | nan |" in res.markdown


def test_warcraft_costs_stay_finite_when_the_logits_drift_down():
    """softplus(-1000) is 0 in float64: without a floor the per-map normalisation was 0/0 (a run diverged so)."""
    from bigrad.experiments import warcraft

    cfg = warcraft.WarcraftConfig(size=6, n_train=4, n_val=2, learn_w=True)
    learner = warcraft.Learner("pt", cfg, z_scale=2.0)
    z, w = learner.game_inputs(torch.full((3, 2, 6, 6), -1000.0, dtype=torch.float64), None, slice(None))
    assert torch.isfinite(z).all() and torch.allclose(z, torch.full_like(z, 2.0)) and (w >= 0).all()

"""``bigrad bench``: discovery, isolated runs with limits, resumable results, report, Ray backend."""
from __future__ import annotations

import json
import math
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("tsplib95")

from bigrad import suite
from bigrad.suite import report
from bigrad.suite.instances import Instance, read_optima
from bigrad.suite.results import read_rows

DATA = Path(__file__).parent / "data"
TSPLIB = DATA / "suite" / "tsplib"
OPTIMA = TSPLIB / "optima.txt"


def write_euclidean_tsp(path: Path, n: int, seed: int = 0) -> Path:
    rng = np.random.default_rng(seed)
    xy = rng.integers(0, 1000, (n, 2))
    lines = [f"NAME: {path.stem}", "TYPE: TSP", f"DIMENSION: {n}", "EDGE_WEIGHT_TYPE: EUC_2D", "NODE_COORD_SECTION"]
    lines += [f"{i + 1} {x} {y}" for i, (x, y) in enumerate(xy)] + ["EOF"]
    path.write_text("\n".join(lines) + "\n")
    return path


def write_atsp(path: Path, n: int, seed: int = 0) -> Path:
    """An asymmetric instance: solved by Held-Karp (n = 24: seconds and a 1.5 GB table)."""
    rng = np.random.default_rng(seed)
    d = rng.integers(1, 1000, (n, n))
    lines = [f"NAME: {path.stem}", "TYPE: ATSP", f"DIMENSION: {n}", "EDGE_WEIGHT_TYPE: EXPLICIT",
             "EDGE_WEIGHT_FORMAT: FULL_MATRIX", "EDGE_WEIGHT_SECTION"]
    lines += [" ".join(str(int(v)) for v in row) for row in d] + ["EOF"]
    path.write_text("\n".join(lines) + "\n")
    return path


def hanging_instance(path: Path) -> Path:
    """A .tsp 'file' that is a FIFO nobody writes to: reading it blocks until the process is killed."""
    os.mkfifo(path)
    return path


def test_discover_tsplib_with_published_optima():
    found = suite.discover("tsp", [TSPLIB], OPTIMA)
    assert {i.name: i.reference for i in found} == {
        "burma14": 3323, "gr17": 2085, "gr21": 2707, "ulysses16": 6859, "ulysses22": 7013}
    assert all(i.key == f"tsp:{i.name}" for i in found)


def test_discover_miblp_pairs_and_bad_input(tmp_path):
    found = suite.discover("miblp", [DATA / "miblp"])
    names = {i.name for i in found}
    assert {"moore_bard", "denegre", "knapsack_interdiction"} <= names
    assert {"K5010W01.KNP", "2AP05-1"} <= names  # MibS's data folder names its AUX files NAME.txt
    for i in found:
        assert i.files[0].endswith(".mps") and i.files[1].endswith((".aux", ".txt")) and Path(i.files[1]).is_file()
        assert Path(i.files[1]).name in (f"{i.name}.aux", f"{i.name}.txt")
    with pytest.raises(ValueError, match="suite must be one of"):
        suite.discover("lp", [tmp_path])
    with pytest.raises(FileNotFoundError, match="no such file"):
        suite.discover("tsp", [tmp_path / "missing"])
    bad = tmp_path / "optima.txt"
    bad.write_text("burma14 3323\nulysses16\n")
    with pytest.raises(ValueError, match="optima.txt:2"):
        read_optima(bad)


def test_tsp_suite_two_workers_matches_published_optima(tmp_path):
    out = tmp_path / "r.jsonl"
    rows = suite.run_suite(suite.discover("tsp", [TSPLIB], OPTIMA), str(out), workers=2, time_limit=120,
                           progress=False)
    assert len(rows) == 5 and len(read_rows(out)) == 5
    for r in rows:
        assert r["status"] == "optimal" and r["reference_match"] is True, r
        assert r["objective"] == r["reference"] and r["machine"]["cores"] >= 1 and r["version"]


def test_resume_runs_only_missing_instances(tmp_path):
    out = tmp_path / "r.jsonl"
    inst = suite.discover("tsp", [TSPLIB / "burma14.tsp", TSPLIB / "gr17.tsp"], OPTIMA)
    suite.run_suite(inst, str(out), progress=False)
    assert suite.run_suite(inst, str(out), resume=True, progress=False) == []
    lines = out.read_text().splitlines()
    out.write_text(lines[0] + "\n" + lines[1][: len(lines[1]) // 2])  # a run killed mid-write
    again = suite.run_suite(inst, str(out), resume=True, progress=False)
    assert [r["key"] for r in again] == [json.loads(lines[1])["key"]]
    assert sorted(r["key"] for r in read_rows(out)) == ["tsp:burma14", "tsp:gr17"]


def test_limits_and_failures_become_status_rows(tmp_path):
    hang = hanging_instance(tmp_path / "hang.tsp")
    big = write_atsp(tmp_path / "big24.tsp", 24)
    broken = tmp_path / "broken.tsp"
    broken.write_text("NAME: broken\nTYPE: TSP\nDIMENSION: 3\nEDGE_WEIGHT_TYPE: EUC_2D\nNODE_COORD_SECTION\n1 0 0\nEOF\n")
    out = tmp_path / "r.jsonl"
    slow = Instance("tsp", "big24", "tsp:big24", (str(big),))
    rows = {r["instance"]: r for r in suite.run_suite(
        [Instance("tsp", "hang", "tsp:hang", (str(hang),)), Instance("tsp", "broken", "tsp:broken", (str(broken),))],
        str(out), workers=2, time_limit=0.5, progress=False)}
    assert rows["hang"]["status"] == "timeout" and rows["hang"]["seconds"] < 10
    assert rows["broken"]["status"] == "error" and rows["broken"]["message"]
    # 24 asymmetric cities need ~1.5 GB of Held-Karp table: a 300 MB address-space limit stops it, as a row
    mem = suite.run_suite([slow], str(tmp_path / "m.jsonl"), memory_limit=300 * 2**20, time_limit=60,
                          progress=False)[0]
    assert mem["status"] in ("memory_limit", "error", "crashed") and mem["status"] != "optimal"


def test_bad_run_arguments(tmp_path):
    inst = suite.discover("tsp", [TSPLIB / "burma14.tsp"])
    for kwargs, match in [(dict(workers=0), "workers"), (dict(time_limit=-1), "time_limit"),
                          (dict(memory_limit=0), "memory_limit"), (dict(backend="slurm"), "backend")]:
        with pytest.raises(ValueError, match=match):
            suite.run_suite(inst, str(tmp_path / "r.jsonl"), progress=False, **kwargs)


def test_ctrl_c_keeps_finished_rows_and_resume_completes(tmp_path):
    folder = tmp_path / "inst"
    folder.mkdir()
    (folder / "burma14.tsp").write_text((TSPLIB / "burma14.tsp").read_text())
    for k in range(3):
        hanging_instance(folder / f"slow{k}.tsp")
    out = tmp_path / "r.jsonl"
    cmd = [sys.executable, "-m", "bigrad", "bench", "tsp", str(folder), "--out", str(out), "--no-progress",
           "--time-limit", "300"]
    with subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) as proc:
        try:
            deadline = time.time() + 120
            while time.time() < deadline and not (out.exists() and out.read_text().strip()):
                time.sleep(0.1)
            assert out.read_text().strip(), "the first instance did not finish"
            # at once: the signal lands while the runner starts the next worker (the race that hung)
            proc.send_signal(signal.SIGINT)
            _, err = proc.communicate(timeout=60)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.communicate()
    assert proc.returncode == 130 and "--resume" in err and "Traceback" not in err
    kept = read_rows(out)
    assert [r["instance"] for r in kept] == ["burma14"] and kept[0]["status"] == "optimal"


def test_report_table_profile_and_mismatch(tmp_path):
    def row(key, status, seconds, objective=1.0, reference=None, match=None):
        return {"key": key, "instance": key, "suite": "tsp", "status": status, "seconds": seconds,
                "objective": objective, "reference": reference, "reference_match": match, "solver": "s",
                "version": "1", "settings": {"time_limit": 10}}

    a = [row("p1", "optimal", 1.0), row("p2", "optimal", 4.0), row("p3", "timeout", 10.0)]
    b = [row("p1", "optimal", 2.0), row("p2", "optimal", 1.0), row("p3", "optimal", 3.0, 5, 4, False)]
    paths = []
    for name, rows in (("fast", a), ("other", b)):
        p = tmp_path / f"{name}.jsonl"
        p.write_text("".join(json.dumps(r) + "\n" for r in rows))
        paths.append(p)
    keys, ratios = report.profile(report.load_runs(paths))
    # p1: fast 1 vs 2 -> (1, 2); p2: 4 vs 1 -> (4, 1); p3: neither solved (the other is wrong) -> inf
    assert keys == ["p1", "p2", "p3"]
    assert ratios["fast"][:2] == [1.0, 4.0] and ratios["other"][:2] == [2.0, 1.0]
    assert math.isinf(ratios["fast"][2]) and math.isinf(ratios["other"][2])
    md = suite.write_report(paths, tmp_path / "rep.md")
    text = md.read_text()
    assert "| fast | s 1 | 3 | 2 | 1 | 0 |" in text and "| other | s 1 | 3 | 2 | 1 | 1 |" in text
    assert "contradict a known optimum" in text and "| other | p3 | optimal | 5 | 4 |" in text
    pytest.importorskip("matplotlib")
    assert (tmp_path / "rep.png").stat().st_size > 1000
    # shifted geometric mean, by hand: fast = exp(mean(log(2), log(5), log(11))) - 1
    assert report.shifted_geomean([1.0, 4.0, 10.0]) == pytest.approx(math.exp(np.mean(np.log([2, 5, 11]))) - 1)


def test_cli_report_and_errors(tmp_path):
    out = tmp_path / "r.jsonl"
    run = subprocess.run([sys.executable, "-m", "bigrad", "bench", "tsp", str(TSPLIB / "burma14.tsp"), "--out",
                          str(out), "--optima", str(OPTIMA), "--no-progress"], capture_output=True, text=True,
                         timeout=300)
    assert run.returncode == 0 and "1 optimal" in run.stdout
    rep = subprocess.run([sys.executable, "-m", "bigrad", "bench", "report", str(out), "--out",
                          str(tmp_path / "rep.md")], capture_output=True, text=True, timeout=120)
    assert rep.returncode == 0 and "| r | bigrad" in rep.stdout
    none = subprocess.run([sys.executable, "-m", "bigrad", "bench", "miblp", str(tmp_path)], capture_output=True,
                          text=True, timeout=120)
    assert none.returncode == 2 and "no miblp instances" in none.stderr


def test_ray_backend_gives_the_same_rows_as_local_workers(tmp_path):
    ray = pytest.importorskip("ray")
    inst = suite.discover("tsp", [TSPLIB / "burma14.tsp", TSPLIB / "gr17.tsp", TSPLIB / "ulysses16.tsp"], OPTIMA)
    local = suite.run_suite(inst, str(tmp_path / "local.jsonl"), workers=2, progress=False)
    os.environ.setdefault("RAY_DISABLE_USAGE_STATS", "1")
    try:
        remote = suite.run_suite(inst, str(tmp_path / "ray.jsonl"), workers=2, backend="ray", progress=False)
    finally:
        ray.shutdown()

    def essence(rows):
        return sorted((r["key"], r["status"], r["objective"], r["reference_match"]) for r in rows)

    assert essence(remote) == essence(local) and len(local) == 3
    assert all(r["settings"]["backend"] == "ray" for r in read_rows(tmp_path / "ray.jsonl"))


def test_bolib_suite_reaches_published_values(tmp_path):
    bolib = pytest.importorskip("bigrad.bolib")
    names = ["HendersonQuandt1958", "MacalHurter1997"]  # two of the quick ones (some take seconds)
    inst = suite.discover("bolib", names)
    assert [i.key for i in inst] == [f"bolib:{n}" for n in names]
    assert [i.reference for i in inst] == [bolib.PROBLEMS[n].F_star for n in names]
    rows = suite.run_suite(inst, str(tmp_path / "b.jsonl"), workers=2, time_limit=120, progress=False)
    for r in rows:
        assert r["status"] in ("optimal", "not_converged") and r["objective"] is not None, r
    with pytest.raises(ValueError, match="unknown BOLIB problem"):
        suite.discover("bolib", ["no_such_problem"])


# --------------------------------------------------- malformed result files (issue 24, D5)
MALFORMED = [
    ('{"key": 3, "status": "optimal", "seconds": 1.0}', "key must be a non-empty string, got number 3"),
    ('{"key": "b", "status": "optimal", "seconds": "x"}', 'seconds must be a finite number >= 0, got string "x"'),
    ('{"key": "c", "status": "optimal", "seconds": NaN}', "seconds must be a finite number >= 0, got number NaN"),
    ('{"key": "d", "status": "optimal", "seconds": 1' + "0" * 400 + "}", "seconds must be a finite number >= 0"),
    ('{"key": "e", "status": "timeout", "seconds": 1, "settings": [1]}', "settings must be a JSON object"),
    ('{"key": "f", "status": "timeout", "seconds": 1, "settings": {"time_limit": "10"}}',
     "settings.time_limit must be a number > 0 or null"),
    ('{"key": "g", "status": 1}', "status must be a string"),
    ('{"status": "optimal"}', "no key"),
    ("[1, 2]", "not a result row (a JSON array, not an object)"),
    ('"key"', "not a result row (a JSON string, not an object)"),
    ('{"key": "h", "stat', "not JSON"),
]


def _malformed_file(path: Path) -> Path:
    good = {"key": "a", "instance": "a", "status": "optimal", "seconds": 2.0, "reference_match": False,
            "settings": {"time_limit": 10}}
    lines = [json.dumps(good)] + [line for line, _ in MALFORMED]
    path.write_bytes("\n".join(lines).encode() + b"\n\xff\xfe\n")
    return path


def test_report_skips_malformed_rows_with_file_and_line(tmp_path):
    """D5: a key that is not a string (sorting the keys) or seconds that are not a number crashed the report."""
    path = _malformed_file(tmp_path / "bad.jsonl")
    rep = subprocess.run([sys.executable, "-m", "bigrad", "bench", "report", str(path), "--out", str(tmp_path / "rep.md")],
                         capture_output=True, text=True, timeout=120)
    assert rep.returncode == 0, rep.stderr
    assert "Traceback" not in rep.stderr
    warned = [line for line in rep.stderr.splitlines() if line.startswith("bigrad bench: warning: ")]
    assert len(warned) == len(MALFORMED) + 1
    for lineno, (_, reason) in enumerate(MALFORMED, 2):
        assert f"{path}:{lineno}: {reason}" in warned[lineno - 2], warned[lineno - 2]
    assert f"{path}:{len(MALFORMED) + 2}: not UTF-8 text" in warned[-1]
    text = (tmp_path / "rep.md").read_text()
    # the one good row: optimal but contradicting its optimum, so failed, at the time limit (10 s)
    assert "| bad | ? | 1 | 0 | 1 | 1 | 10 |" in text
    assert f"Skipped {len(MALFORMED) + 1} malformed line(s)" in text


def test_resume_warns_about_malformed_lines(tmp_path):
    """D5: --resume kept malformed lines silently (and appended after them)."""
    out = _malformed_file(tmp_path / "r.jsonl")
    inst = [Instance("tsp", "a", "a", (), None)]
    logs = []
    assert suite.run_suite(inst, str(out), resume=True, progress=False, log=logs.append) == []
    warned = [line for line in logs if line.startswith("warning: ")]
    assert len(warned) == len(MALFORMED) + 1 and f"{out}:2: key must be a non-empty string" in warned[0]
    assert any("already in" in line for line in logs)


def test_unwritable_result_file_fails_before_solving(tmp_path):
    inst = suite.discover("tsp", [TSPLIB / "burma14.tsp"], OPTIMA)
    with pytest.raises(IsADirectoryError, match="is a directory"):
        suite.run_suite(inst, str(tmp_path), progress=False)
    (tmp_path / "file").write_text("")
    with pytest.raises(OSError):
        suite.run_suite(inst, str(tmp_path / "file" / "r.jsonl"), progress=False)

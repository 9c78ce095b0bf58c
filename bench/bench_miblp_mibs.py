"""MibS's whole public data folder, class by class, through ``bigrad bench miblp`` (issue 23).

Run (the data folder is not in the repository: export ``data/`` of github.com/coin-or/MibS,
EPL-2.0, to ``$MIBS_DATA``, default /tmp/mibs-data/data; ``MIBLP_MIBS_ROWS=FILE`` also keeps
every instance's row)::

    MIBLP_MIBS_TIME_LIMIT=60 PYTHONPATH=src .venv/bin/python -m pytest bench/bench_miblp_mibs.py \
        --benchmark-enable -s -q --benchmark-json=bench/results/bench_miblp_mibs.json

Every instance runs in its own process through the suite runner (:func:`bigrad.suite.run_suite`, one
worker, the time limit per instance, one HiGHS thread), so a crash or a hang is a row, never a failed
benchmark: each instance must end ``optimal``, ``time_limit`` (with its incumbent and bound),
``infeasible`` or ``error`` with a ``FILE:LINE`` message.  Per class the JSON holds those counts, the
geometric mean of bigrad's in-process solve time (reading excluded) over its optimal instances, and
the machine's load.  MibS (``$MIBS`` or /work/mibs-install/bin/mibs, see bench_miblp.py; ``MIBS=``
empty: without MibS), when built, runs each instance right after bigrad with the same limit (one
process, one thread); then the JSON also holds MibS's counts, its wall time, and the ratio over the
instances MibS solves.  ``MIBLP_MIBS_FIRST=1`` runs only the first instances of the MCDM classes
that issue 23 item 4 counts (10 of 30 items, 6 of 40, 4 of 50).  The runs behind RESULTS.md::

    MIBS=/root/mibs/install/bin/mibs MIBS_DATA=... MIBLP_MIBS_TIME_LIMIT=60 ... -k "general or assignment" \
        --benchmark-json=bench/results/bench_miblp_mibs.json
    MIBS=/root/mibs/install/bin/mibs MIBLP_MIBS_FIRST=1 MIBS_DATA=... MIBLP_MIBS_TIME_LIMIT=60 ... -k mcdm \
        --benchmark-json=bench/results/bench_miblp_mibs_knapsack.json
"""
from __future__ import annotations

import math
import os
import re
import tempfile
from pathlib import Path

import pytest

from bench.bench_miblp import _mibs_binary
from bench.conftest import machine_load
from bigrad import suite

DATA = Path(os.environ.get("MIBS_DATA", "/tmp/mibs-data/data"))
TIME_LIMIT = float(os.environ.get("MIBLP_MIBS_TIME_LIMIT", "60"))
#: class -> folders (relative to DATA, searched recursively) or ``FOLDER/*``: only that folder's own files
CLASSES = {
    "general": ["notInterdiction", "./*"],
    "assignment": ["interdiction/Assignment"],
    "knapsack_other": ["interdiction/*"],  # F5010W01
    **{f"mcdm_{k}": [f"interdiction/MCDM/NO_CORR/{k}_ITEMS_1000"] for k in (10, 20, 30, 40, 50)},
}
#: issue 23 item 4: the first instances of these MCDM classes must be proven optimal within 60 s
FIRST = {"mcdm_30": 10, "mcdm_40": 6, "mcdm_50": 4}
OUTCOMES = ("optimal", "time_limit", "infeasible", "error")
FIRST_ONLY = os.environ.get("MIBLP_MIBS_FIRST", "") not in ("", "0")


def _instances(cls: str):
    found = []
    for sub in CLASSES[cls]:
        folder = DATA / sub.removesuffix("/*")
        if sub.endswith("/*"):  # only the folder's own files, not its subfolders (other classes)
            files = [str(p) for p in folder.glob("*.mps")]
            found += suite.discover("miblp", files) if files else []
        elif folder.is_dir():
            found += suite.discover("miblp", [str(folder)])
    return sorted(found, key=lambda i: [int(t) if t.isdigit() else t for t in re.split(r"(\d+)", i.name)])


def _run_mibs(mibs: str, files) -> tuple[str, float | None, float]:
    from bench.bench_miblp import run_mibs

    obj, secs, status = run_mibs(mibs, Path(files[0]), Path(files[1]), time_limit=TIME_LIMIT)
    return status, obj, secs


def _geomean(values) -> float | None:
    values = [max(v, 1e-4) for v in values]
    return math.exp(sum(map(math.log, values)) / len(values)) if values else None


def _summary(cls: str, rows: list[dict], mibs_rows: dict) -> dict:
    counts = {k: sum(r["status"] == k for r in rows) for k in OUTCOMES}
    counts["other"] = len(rows) - sum(counts.values())
    solved = [r for r in rows if r["status"] == "optimal"]
    out = {"instances": len(rows), **counts, "time_limit_s": TIME_LIMIT,
           "bigrad_geomean_solve_s": _geomean([r["solve_seconds"] for r in solved]),
           "bigrad_geomean_solve_cpu_s": _geomean([r["solve_cpu_seconds"] for r in solved]),
           "bigrad_max_solve_s": max((r["solve_seconds"] for r in solved), default=None),
           "errors": "; ".join(r.get("message", "")[:160] for r in rows if r["status"] not in OUTCOMES[:3])}
    if cls in FIRST:
        first = rows[: FIRST[cls]]
        out[f"first_{FIRST[cls]}_optimal"] = sum(r["status"] == "optimal" for r in first)
    if mibs_rows:
        both = [r for r in rows if mibs_rows[r["key"]][0] == "optimal"]
        out.update(mibs_optimal=sum(m[0] == "optimal" for m in mibs_rows.values()),
                   mibs_time_limit=sum(m[0] == "time_limit" for m in mibs_rows.values()),
                   mibs_other=sum(m[0] not in ("optimal", "time_limit") for m in mibs_rows.values()),
                   bigrad_optimal_on_mibs_solved=sum(r["status"] == "optimal" for r in both),
                   mibs_geomean_s=_geomean([mibs_rows[r["key"]][2] for r in both]),
                   bigrad_geomean_on_mibs_solved_s=_geomean([r["solve_seconds"] for r in both]),
                   disagreements=[r["instance"] for r in both if r["status"] != "optimal" or abs(
                       r["objective"] - mibs_rows[r["key"]][1]) > 1e-6 * max(1.0, abs(r["objective"]))])
        if out["mibs_geomean_s"]:
            out["bigrad_over_mibs"] = out["bigrad_geomean_on_mibs_solved_s"] / out["mibs_geomean_s"]
    return out


@pytest.mark.parametrize("cls", list(CLASSES))
def test_bench_mibs_folder(benchmark, cls):
    if not DATA.is_dir():
        pytest.skip(f"MibS's data folder is not at {DATA} (export data/ of github.com/coin-or/MibS, set MIBS_DATA)")
    instances = _instances(cls)
    if FIRST_ONLY:  # MIBLP_MIBS_FIRST=1: only the classes and first instances of issue 23 item 4
        if cls not in FIRST:
            pytest.skip(f"MIBLP_MIBS_FIRST: {cls} is not one of {', '.join(FIRST)}")
        instances = instances[: FIRST[cls]]
    if not instances:
        pytest.skip(f"no {cls} instances under {DATA}")
    mibs = _mibs_binary()
    load_before = machine_load()
    rows, mibs_rows = [], {}

    def run_class():  # timed once: the benchmark's "median s" is the class's wall time (MibS's included)
        with tempfile.TemporaryDirectory() as tmp:
            # MIBLP_MIBS_ROWS: keep every instance's row (appended JSON lines), e.g. to compare two runs
            out = os.environ.get("MIBLP_MIBS_ROWS") or str(Path(tmp) / "rows.jsonl")
            for inst in instances:  # one process at a time; MibS right after bigrad on the same instance
                rows.extend(suite.run_suite([inst], out, workers=1, time_limit=TIME_LIMIT, progress=False,
                                            log=lambda s: None))
                if mibs:
                    mibs_rows[inst.key] = _run_mibs(mibs, inst.files)

    benchmark.pedantic(run_class, rounds=1, iterations=1)
    assert all(r["status"] in OUTCOMES for r in rows), [(r["instance"], r["status"], r.get("message")) for r in rows]
    located = re.compile(r"\S+\.(mps|txt|aux):\d+: ")
    assert all(located.search(r.get("message", "")) for r in rows if r["status"] == "error"), \
        [r.get("message") for r in rows if r["status"] == "error"]
    summary = _summary(cls, rows, mibs_rows)
    benchmark.extra_info.update(summary, figure="MibS data folder by class", load_before=load_before,
                                load_after=machine_load(), load1=load_before["load1"],
                                mibs="absent" if not mibs else "MibS 1.2.2, 1 thread")
    for r in rows:  # per instance (with -s): bigrad's status, objective, solve s; MibS's status, objective, wall s
        m = mibs_rows.get(r["key"], ("-", None, math.nan))
        print(f"\n  {r['instance']:28s} bigrad {r['status']:10s} {r.get('objective')!s:>12} "
              f"{r.get('solve_seconds') or math.nan:8.3f} s   MibS {m[0]:10s} {m[1]!s:>12} {m[2]:8.3f} s", end="")
    print(f"\nMibS folder {cls:10s} " + " ".join(f"{k}={summary[k]}" for k in ("instances", *OUTCOMES))
          + f" geomean solve {summary['bigrad_geomean_solve_s']} s  load {load_before['load1']}")

"""Compare result files: a Markdown table and a Dolan-Moré performance profile.

A run is one result file (labelled by its file name). An instance counts as
solved by a run when its status is ``optimal`` and its objective does not
contradict a known optimum. Times are summarised by the shifted geometric mean
(shift 1 s), unsolved instances counting at the run's time limit (or, without
one, at their own time). The performance profile (Dolan & Moré 2002) plots, for
each run, the share of instances solved within a factor tau of the fastest run
on that instance; it is drawn over the instances present in every run.
"""
from __future__ import annotations

import math
from pathlib import Path

from .results import read_rows

SHIFT_S = 1.0


def solved(row: dict) -> bool:
    return row.get("status") == "optimal" and row.get("reference_match") is not False


def shifted_geomean(values, shift: float = SHIFT_S) -> float:
    values = list(values)
    if not values:
        return math.nan
    return math.exp(sum(math.log(v + shift) for v in values) / len(values)) - shift


def _time(row: dict) -> float:
    t = float(row.get("seconds") or 0.0)
    if solved(row):
        return t
    limit = (row.get("settings") or {}).get("time_limit")
    return max(t, float(limit)) if limit else t


def load_runs(paths) -> dict[str, dict[str, dict]]:
    """``{label: {key: row}}``; a later row of the same key (a resumed run) replaces an earlier one."""
    runs: dict[str, dict[str, dict]] = {}
    stems = [Path(p).stem for p in paths]
    for p, stem in zip(paths, stems):
        label = stem if stems.count(stem) == 1 else str(p)
        runs[label] = {row["key"]: row for row in read_rows(p) if "key" in row}
    return runs


def profile(runs: dict[str, dict[str, dict]]) -> tuple[list[str], dict[str, list[float]]]:
    """Performance ratios per run over the instances present in every run (inf: not solved)."""
    keys = sorted(set.intersection(*(set(r) for r in runs.values()))) if runs else []
    ratios: dict[str, list[float]] = {label: [] for label in runs}
    for k in keys:
        times = {label: (runs[label][k]["seconds"] if solved(runs[label][k]) else math.inf) for label in runs}
        best = min(times.values())
        for label, t in times.items():
            ratios[label].append(math.inf if not math.isfinite(best) or not math.isfinite(t)
                                 else max(t, 1e-9) / max(best, 1e-9))
    return keys, ratios


def summary_table(runs) -> str:
    head = ("| run | solver | instances | solved | failed | wrong vs optimum | shifted geo. mean time (s) | "
            "mean gap | max gap |")
    lines = [head, "|---|---|---|---|---|---|---|---|---|"]
    for label, rows in runs.items():
        rs = list(rows.values())
        gaps = [r["gap"] for r in rs if isinstance(r.get("gap"), (int, float)) and math.isfinite(r["gap"])]
        solver = ", ".join(sorted({f"{r.get('solver', '?')} {r.get('version', '')}".strip() for r in rs}))
        lines.append(
            f"| {label} | {solver} | {len(rs)} | {sum(map(solved, rs))} | {sum(not solved(r) for r in rs)} | "
            f"{sum(r.get('reference_match') is False for r in rs)} | {shifted_geomean(map(_time, rs)):.3g} | "
            f"{(sum(gaps) / len(gaps)) if gaps else math.nan:.3g} | {max(gaps) if gaps else math.nan:.3g} |")
    return "\n".join(lines) + "\n"


def mismatch_table(runs) -> str:
    bad = [(label, r) for label, rows in runs.items() for r in rows.values() if r.get("reference_match") is False]
    if not bad:
        return "No objective contradicts a known optimum.\n"
    lines = ["| run | instance | status | objective | known optimum |", "|---|---|---|---|---|"]
    lines += [f"| {label} | {r['instance']} | {r['status']} | {r.get('objective')} | {r.get('reference')} |"
              for label, r in bad]
    return "**Objectives that contradict a known optimum:**\n\n" + "\n".join(lines) + "\n"


def plot_profile(runs, path: Path) -> Path | None:
    """Dolan-Moré profile as a PNG; None without matplotlib or without common instances."""
    keys, ratios = profile(runs)
    if not keys:
        return None
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return None
    finite = [r for rs in ratios.values() for r in rs if math.isfinite(r)]
    tau_max = max(2.0, max(finite) * 1.5) if finite else 2.0
    fig, ax = plt.subplots(figsize=(6, 4))
    for label, rs in ratios.items():
        taus = sorted(r for r in rs if math.isfinite(r))
        xs = [1.0] + [t for t in taus] + [tau_max]
        ys = [sum(r <= x for r in rs) / len(rs) for x in xs]
        ax.step(xs, ys, where="post", label=label)
    ax.set_xscale("log", base=2)
    ax.set_ylim(0, 1.02)
    ax.set_xlabel("tau (time / fastest run's time on the instance)")
    ax.set_ylabel("share of instances solved within tau")
    ax.set_title(f"Performance profile ({len(keys)} instances)")
    ax.legend(loc="lower right")
    ax.grid(True, alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path


def write_report(paths, out: str | Path = "bench-report.md") -> Path:
    """Write the Markdown report for the result files ``paths`` (and the profile plot beside it)."""
    if not paths:
        raise ValueError("give at least one result file")
    missing = [str(p) for p in paths if not Path(p).is_file()]
    if missing:
        raise FileNotFoundError(f"result file(s) not found: {', '.join(missing)}")
    runs = load_runs(paths)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    png = plot_profile(runs, out.with_suffix(".png"))
    parts = ["# Benchmark report", "", summary_table(runs), mismatch_table(runs)]
    if png is not None:
        parts += ["", f"![performance profile]({png.name})", "",
                  "Performance profile (Dolan & Moré 2002): for each run, the share of the instances present in "
                  "every run that it solved within a factor tau of the fastest run."]
    parts += ["", f"Solved: status `optimal` and no contradiction with a known optimum. Times: shifted geometric "
              f"mean (shift {SHIFT_S:g} s), unsolved instances at the time limit."]
    out.write_text("\n".join(parts) + "\n")
    return out

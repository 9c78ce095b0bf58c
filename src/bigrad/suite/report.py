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
from collections.abc import Callable
from pathlib import Path

from .results import number, scan_rows

SHIFT_S = 1.0


def solved(row: dict) -> bool:
    return row.get("status") == "optimal" and row.get("reference_match") is not False


def shifted_geomean(values, shift: float = SHIFT_S) -> float:
    values = list(values)
    if not values:
        return math.nan
    return math.exp(sum(math.log(v + shift) for v in values) / len(values)) - shift


def _seconds(row: dict) -> float:
    """The row's time (0 when it has none: a worker that died before reporting)."""
    return number(row.get("seconds")) or 0.0


def _time(row: dict) -> float:
    t = _seconds(row)
    if solved(row):
        return t
    limit = number((row.get("settings") or {}).get("time_limit"))
    return max(t, limit) if limit else t


def load_runs(paths, problems: list[str] | None = None) -> dict[str, dict[str, dict]]:
    """``{label: {key: row}}``; a later row of the same key (a resumed run) replaces an earlier one.

    Malformed lines are skipped; ``FILE:LINE: reason`` for each is appended to ``problems`` when given.
    """
    runs: dict[str, dict[str, dict]] = {}
    stems = [Path(p).stem for p in paths]
    for p, stem in zip(paths, stems):
        label = stem if stems.count(stem) == 1 else str(p)
        rows, bad = scan_rows(p)
        runs[label] = {row["key"]: row for row in rows}
        if problems is not None:
            problems.extend(bad)
    return runs


def profile(runs: dict[str, dict[str, dict]]) -> tuple[list[str], dict[str, list[float]]]:
    """Performance ratios per run over the instances present in every run (inf: not solved)."""
    keys = sorted(set.intersection(*(set(r) for r in runs.values()))) if runs else []
    ratios: dict[str, list[float]] = {label: [] for label in runs}
    for k in keys:
        times = {label: (_seconds(runs[label][k]) if solved(runs[label][k]) else math.inf) for label in runs}
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
        gaps = [g for g in (number(r.get("gap")) for r in rs) if g is not None]
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
    lines += [f"| {label} | {r.get('instance', r['key'])} | {r.get('status')} | {r.get('objective')} | {r.get('reference')} |"
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


def _shown(path) -> str:
    """A path for a one-line message (quoted when it holds a newline or another unprintable character)."""
    return str(path) if str(path).isprintable() else repr(str(path))


def write_report(paths, out: str | Path = "bench-report.md", *, warn: Callable[[str], None] | None = None) -> Path:
    """Write the Markdown report for the result files ``paths`` (and the profile plot beside it).

    Malformed lines of the result files are skipped: ``warn`` (when given) is called with
    ``FILE:LINE: reason`` for each, and the report lists them. Raises FileNotFoundError for a
    path that is not a file, OSError when ``out`` cannot be written (checked before the plot).
    """
    if not paths:
        raise ValueError("give at least one result file")
    missing = [_shown(p) for p in paths if not Path(p).exists()]
    if missing:
        raise FileNotFoundError(f"result file(s) not found: {', '.join(missing)}")
    not_files = [_shown(p) for p in paths if not Path(p).is_file()]
    if not_files:  # a folder, or a FIFO (never opened: reading it could block)
        raise FileNotFoundError(f"not a regular file (give .jsonl result files): {', '.join(not_files)}")
    out = Path(out)
    if out.is_dir():
        raise IsADirectoryError(f"report file {_shown(out)} is a directory: give the path of a .md file")
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("a"):  # writable? (before anything is read)
        pass
    problems: list[str] = []
    runs = load_runs(paths, problems)
    if warn is not None:
        for problem in problems:
            warn(f"{problem}; line skipped")
    png = plot_profile(runs, out.with_suffix(".png"))
    parts = ["# Benchmark report", "", summary_table(runs), mismatch_table(runs)]
    if problems:
        parts += ["", f"**Skipped {len(problems)} malformed line(s) of the result files:**", ""]
        parts += [f"- `{p}`" for p in problems[:50]] + ([f"- ... ({len(problems) - 50} more)"] if len(problems) > 50 else [])
    if png is not None:
        parts += ["", f"![performance profile]({png.name})", "",
                  "Performance profile (Dolan & Moré 2002): for each run, the share of the instances present in "
                  "every run that it solved within a factor tau of the fastest run."]
    parts += ["", f"Solved: status `optimal` and no contradiction with a known optimum. Times: shifted geometric "
              f"mean (shift {SHIFT_S:g} s), unsolved instances at the time limit."]
    out.write_text("\n".join(parts) + "\n")
    return out

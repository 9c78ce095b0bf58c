"""Tables (markdown), plots and the one-page ``REPORT.md`` of the experiment results.

Figures are aggregated over seeds as ``mean ± std`` (sample std, ``ddof=1``;
a single seed prints the mean alone). Plots need matplotlib; without it they
are skipped and the report says so.
"""
from __future__ import annotations

import json
import os
import platform
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np

from bigrad._machine import cpu_model
from bigrad.experiments.table import TableResult

PM = "±"


def mean_std(values: Iterable[float]) -> tuple[float, float, int]:
    """``(mean, std, n)`` of ``values`` (sample std; 0 for a single value, nan for none)."""
    v = np.asarray([float(x) for x in values], dtype=float)
    if v.size == 0:
        return float("nan"), float("nan"), 0
    return float(v.mean()), float(v.std(ddof=1)) if v.size > 1 else 0.0, int(v.size)


def fmt(values: Iterable[float], digits: int = 1) -> str:
    """``"93.1 ± 0.4"`` over seeds; ``"93.1"`` for one seed; ``"–"`` for none."""
    m, s, n = mean_std(values)
    if n == 0:
        return "–"
    return f"{m:.{digits}f}" if n == 1 else f"{m:.{digits}f} {PM} {s:.{digits}f}"


def fmt_paper(figure: tuple[float, float] | None) -> str:
    """A paper figure ``(mean, std)`` as ``"94.5 ± 0.2"``; ``"–"`` where the paper has none."""
    return "–" if figure is None else f"{figure[0]:.1f} {PM} {figure[1]:.1f}"


def markdown_table(header: Sequence[str], body: Sequence[Sequence[str]]) -> str:
    """A markdown table from a header row and body rows of strings."""
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in body]
    return "\n".join(lines) + "\n"


def select(rows: Sequence[dict], **where) -> list[dict]:
    """The rows whose items match every ``key=value`` of ``where``."""
    return [r for r in rows if all(r.get(k) == v for k, v in where.items())]


def _pyplot():
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return None
    return plt


def grouped_bars(groups: Sequence[str], series: dict[str, list[tuple[float, float]]], path: Path, *,
                 title: str, xlabel: str, ylabel: str, ylim: tuple[float, float] = (0, 100)) -> Path | None:
    """Grouped bar chart with error bars: ``series[label][g] = (mean, std)`` for each group ``g``.

    Returns ``path``, or None without matplotlib. Missing values are ``nan`` (no bar).
    """
    plt = _pyplot()
    if plt is None:
        return None
    fig, ax = plt.subplots(figsize=(4.0 + 1.0 * len(groups) * max(1, len(series)) / 3, 3.8))
    width = 0.8 / max(1, len(series))
    x = np.arange(len(groups))
    bases = list(dict.fromkeys(label.replace(" (paper)", "").replace(" (ours)", "") for label in series))
    for i, (label, vals) in enumerate(series.items()):
        mean = [v[0] for v in vals]
        std = [v[1] for v in vals]
        paper = label.endswith("(paper)")
        colour = f"C{bases.index(label.replace(' (paper)', '').replace(' (ours)', '')) % 10}"
        ax.bar(x + (i - (len(series) - 1) / 2) * width, mean, width, yerr=std, capsize=2, label=label,
               color=colour, alpha=0.45 if paper else 1.0, hatch="//" if paper else None, edgecolor=colour)
    ax.set_xticks(x, groups)
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_ylim(*ylim)
    ax.grid(axis="y", alpha=0.3)
    ax.legend(fontsize=7, bbox_to_anchor=(1.01, 1.0), loc="upper left", title="hatched: paper", title_fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return path


def curves(panels: dict[str, dict[str, list[list[float]]]], path: Path, *, title: str, xlabel: str,
           ylabel: str, ylim: tuple[float, float] | None = (0, 100)) -> Path | None:
    """Learning curves, one panel per key of ``panels``; ``panels[p][label]`` = per-seed curves.

    Each label is drawn as the mean over seeds with a ±std band. Returns ``path``,
    or None without matplotlib.
    """
    plt = _pyplot()
    if plt is None:
        return None
    fig, axes = plt.subplots(1, len(panels), figsize=(max(6.4, 4.4 * len(panels)), 3.8), squeeze=False)
    for ax, (name, lines) in zip(axes[0], panels.items()):
        for label, per_seed in lines.items():
            per_seed = [c for c in per_seed if len(c)]  # a failed run has no curve
            if not per_seed:
                continue
            n = min(len(c) for c in per_seed)
            arr = np.asarray([c[:n] for c in per_seed], dtype=float)
            epochs = np.arange(1, n + 1)
            m = arr.mean(0)
            (line,) = ax.plot(epochs, m, label=label, linestyle="--" if "," in label else "-")
            if len(arr) > 1:
                s = arr.std(0, ddof=1)
                ax.fill_between(epochs, m - s, m + s, alpha=0.15, color=line.get_color())
        ax.set_title(name)
        ax.set_xlabel(xlabel)
        ax.set_ylabel(ylabel)
        if ylim is not None:
            ax.set_ylim(*ylim)
        ax.grid(alpha=0.3)
        ax.legend(fontsize=7, loc="lower right")
    fig.suptitle(title)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return path


def hardware() -> dict:
    """CPU model, logical cores, OS, Python, torch and bigrad versions, torch threads."""
    info = {"cpu": cpu_model(), "cores": os.cpu_count(), "os": platform.platform(), "python": platform.python_version()}
    try:
        import torch

        info.update(torch=torch.__version__, torch_threads=torch.get_num_threads())
    except ImportError:  # pragma: no cover - torch is a dependency of the experiments
        pass
    import bigrad

    info["bigrad"] = bigrad.__version__
    try:
        info["load_average"] = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:  # pragma: no cover - not on every platform
        pass
    return info


def write_report(results: Sequence[TableResult], skipped: dict[str, str], out_dir: Path, *,
                 command: str = "", quick: bool = False, seeds: Sequence[int] = ()) -> Path:
    """Write ``REPORT.md`` and ``results.json`` (every row of every table) under ``out_dir``.

    ``skipped`` maps experiment names that did not run to the reason (e.g. "not
    available in this build"). Returns the path of ``REPORT.md``.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    hw = hardware()
    lines = ["# bigrad: the paper's experiments", ""]
    if command:
        lines += [f"Command: `{command}`" + ("  (quick configuration: smoke test, not the paper's scale)"
                                             if quick else ""), ""]
    lines += [f"Seeds: {list(seeds)}; figures are mean {PM} std over the seeds (sample std).", "",
              "## Hardware", ""]
    lines += [f"- {k}: {v}" for k, v in hw.items()]
    total = sum(r.seconds for r in results)
    lines += ["", "## Wall time", "", markdown_table(
        ["table", "wall time"],
        [[r.title, f"{r.seconds:.0f} s"] for r in results] + [[k, "not run"] for k in skipped]
        + [["total", f"{total:.0f} s"]])]
    for name, why in skipped.items():
        lines += [f"- `{name}`: {why}"]
    if skipped:
        lines.append("")
    lines += _timing_lines(results)
    for r in results:
        lines += [f"## {r.title}", "", r.markdown.rstrip(), ""]
        if r.plots:
            lines += ["Plots: " + ", ".join(f"[{Path(p).name}]({p})" for p in r.plots), ""]
            lines += [f"![{Path(p).stem}]({p})" for p in r.plots] + [""]
        if r.notes:
            lines += [r.notes.rstrip(), ""]
        lines += [f"Wall time: {r.seconds:.0f} s. Rows: `results.json` → `{r.name}`.", ""]
    lines += ["All rows (one per seed, method and setting): [results.json](results.json).", ""]
    path = out_dir / "REPORT.md"
    path.write_text("\n".join(lines))
    payload = {"hardware": hw, "command": command, "quick": quick, "seeds": list(seeds), "skipped": skipped,
               "tables": {r.name: {"title": r.title, "seconds": r.seconds, "metric": r.metric,
                                   "untrained": r.untrained, "higher_is_better": r.higher_is_better, "timing": r.timing,
                                   "plots": r.plots, "rows": r.rows} for r in results}}
    (out_dir / "results.json").write_text(json.dumps(payload, indent=1, default=_jsonable))
    return path


def _timing_lines(results: Sequence[TableResult]) -> list[str]:
    """The "where the time went" table of the tables that measured it (``TableResult.timing``)."""
    timed = [r for r in results if r.timing]
    if not timed:
        return []
    rows = []
    for r in timed:
        t, runs = r.timing, r.timing["runs"] or 1.0
        rows.append([r.title] + [f"{t[k]:.0f} s ({100 * t[k] / runs:.0f} %)" for k in ("network", "solver", "data")]
                    + [f"{t['runs']:.0f} s", f"{r.seconds:.0f} s"])
    head = ["table", "network (forward, backward, optimiser)", "solver and estimator", "data", "sum over runs",
            "wall time"]
    return ["### Where the time went", "", markdown_table(head, rows), "",
            "Summed over every training run (the evaluation passes included); with worker processes the sum "
            "exceeds the wall time.", ""]


def save(out_dir: Path, name: str, rows: list[dict], table: str) -> None:
    """Write one table's ``name.json`` (all rows) and ``name.md`` (the table) under ``out_dir``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / f"{name}.json").write_text(json.dumps(rows, indent=1, default=_jsonable))
    (out_dir / f"{name}.md").write_text(table)


def _jsonable(obj):
    if isinstance(obj, np.generic):
        return obj.item()
    if isinstance(obj, np.ndarray):
        return obj.tolist()
    if isinstance(obj, Path):
        return str(obj)
    raise TypeError(f"not JSON serialisable: {type(obj).__name__}")

"""Entry points: ``bigrad experiments`` (the paper's Tables 1-4, one ``REPORT.md``) and ``bigrad demo``.

Each experiment is a module ``bigrad.experiments.<name>`` exposing ``run_table``
(see :mod:`bigrad.experiments.table`). The runner imports them lazily: a
module missing from this build is skipped, and ``REPORT.md`` says so.
"""
from __future__ import annotations

import importlib
import shlex
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from bigrad.experiments import report
from bigrad.experiments.table import TableResult

#: every experiment, in the paper's order (Table 1, 2, 3, 4)
EXPERIMENTS = ("control", "adversarial", "warcraft", "tsp")
NOT_AVAILABLE = "not available in this build"


def load(name: str):
    """The module ``bigrad.experiments.<name>``, or the reason why it cannot run (a string)."""
    if name not in EXPERIMENTS:
        raise ValueError(f"experiment must be one of {EXPERIMENTS}, got {name!r}")
    module = f"bigrad.experiments.{name}"
    try:
        mod = importlib.import_module(module)
    except ModuleNotFoundError as exc:
        if exc.name == module:
            return NOT_AVAILABLE
        return f"needs the missing package `{exc.name}` (pip install {exc.name})"
    if not callable(getattr(mod, "run_table", None)):
        return f"{NOT_AVAILABLE} ({module} has no run_table)"
    return mod


def experiments(which: str | Sequence[str] = "all", *, quick: bool = False, seeds: Sequence[int] = (0, 1, 2),
                out_dir: str | Path = "out/experiments", log: Callable[[str], None] = print,
                command: str = "", data: str | Path | None = None,
                full: bool = False, jobs: int = 1) -> tuple[list[TableResult], dict[str, str]]:
    """Run the paper's experiments ``which`` (``"all"`` or names of :data:`EXPERIMENTS`) and write the report.

    Writes ``REPORT.md`` (each table beside the paper's figures, hardware, wall
    time, plots) and ``results.json`` (every row) under ``out_dir``. Returns the
    tables that ran and ``{name: reason}`` for those skipped. ``data``: each table's own data,
    found by its layout (:func:`table_data`): CIFAR-10 (python-pickle layout) for the adversarial
    table (default: the bundled digits), the Warcraft shortest-path dataset for the warcraft table
    (default: synthetic maps). ``full``: the paper-scale presets of the tables that have one
    (Tables 3 and 4), after printing the estimated wall time (:func:`estimate`). ``jobs``: worker
    processes for the tables made of independent runs (Tables 3 and 4: one per size or ``k`` and
    seed); the results do not depend on it.
    """
    names = list(EXPERIMENTS) if which == "all" else [which] if isinstance(which, str) else list(which)
    for name in names:
        if name not in EXPERIMENTS:
            raise ValueError(f"which must be 'all' or one of {EXPERIMENTS}, got {name!r}")
    seeds = [int(s) for s in seeds]
    if not seeds:
        raise ValueError("seeds must name at least one seed")
    if quick and full:
        raise ValueError("quick and full exclude each other")
    if isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 1:
        raise ValueError(f"jobs must be an int >= 1, got {jobs!r}")
    out_dir = writable_dir(out_dir, "out_dir")
    if full:
        estimate(names, seeds, log, jobs)
    results, skipped = [], {}
    for name in names:
        mod = load(name)
        if isinstance(mod, str):
            log(f"== {name}: skipped, {mod}")
            skipped[name] = mod
            continue
        scale = "quick" if quick else "paper-scale" if full and name in SCALED else "default"
        log(f"== {name} ({scale} configuration, seeds {seeds})")
        start = time.perf_counter()
        extra = table_data(name, data, explicit=len(names) == 1)
        if full and name in SCALED:
            extra["full"] = True
        if name in SCALED:
            extra["jobs"] = jobs
        if data is not None and not extra and name in DATA_TABLES:
            log(f"   (--data {data} holds no {DATA_TABLES[name]}: {name} runs on its default data)")
        result = mod.run_table(quick=quick, seeds=seeds, out_dir=out_dir, log=log, **extra)
        result.seconds = result.seconds or time.perf_counter() - start
        log(f"== {name}: {result.seconds:.0f} s")
        results.append(result)
        # rewrite after every table, so an interrupted run keeps what it finished
        report.write_report(results, skipped, out_dir, command=command, quick=quick, seeds=seeds)
    path = report.write_report(results, skipped, out_dir, command=command, quick=quick, seeds=seeds)
    log(f"report written to {path}")
    return results, skipped


#: the tables with a paper-scale preset (``--full``) and an estimate of their wall time
SCALED = ("warcraft", "tsp")


def estimate(names: Sequence[str], seeds: Sequence[int], log: Callable[[str], None] = print,
             jobs: int = 1) -> dict[str, float]:
    """Print and return the estimated wall time (s) of each paper-scale table in ``names`` on this machine:
    every method trained for one epoch on a few instances (seconds of calibration), extrapolated, and
    divided by ``jobs`` (the worker processes; at most the number of cores counts)."""
    import os

    load1 = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    parallel = max(1, min(jobs, os.cpu_count() or 1))
    log(f"--full: calibrating the wall-time estimate (load {load1:.2f}) ...")
    out = {}
    for name in names:
        mod = load(name) if name in SCALED else None
        if mod is None or isinstance(mod, str):
            continue
        out[name] = float(mod.estimate_seconds(quick=False, full=True, seeds=seeds)) / parallel
    total = sum(out.values())
    parts = ", ".join(f"{n} {s / 60:.0f} min" for n, s in out.items())
    others = [n for n in names if n not in out]
    log(f"--full: estimated wall time {total / 3600:.1f} h ({parts})"
        + (f"; not estimated: {', '.join(others)}" if others else "")
        + f" -- calibrated just now at load {load1:.2f}; a busier machine takes longer")
    return out


#: the tables that read user data (``--data``), and what they look for
DATA_TABLES = {"adversarial": "CIFAR-10 python batches (data_batch_1 .. 5, test_batch)",
               "warcraft": "Warcraft maps ({size}x{size}/train_maps.npy, ...)"}


def has_layout(name: str, data: Path) -> bool:
    """Whether ``data`` holds the files table ``name`` reads (see :data:`DATA_TABLES`), as its loader judges."""
    if name == "adversarial":
        from bigrad.experiments.cifar_layout import cifar_root

        try:
            cifar_root(data)
        except FileNotFoundError:
            return False
        return True
    from bigrad.experiments.warcraft_data import size_dir

    for size in (12, 18, 24, 30):
        try:
            size_dir(data, size)
            return True
        except ValueError:
            continue
    return False


def table_data(name: str, data: str | Path | None, explicit: bool) -> dict:
    """``{"data": DIR}`` when table ``name`` should read ``data``: it holds that table's layout, or the table was
    asked for alone (``explicit``; :func:`check_data` has then vetted it); else ``{}``."""
    if data is None or name not in DATA_TABLES:
        return {}
    return {"data": Path(data)} if explicit or has_layout(name, Path(data)) else {}


def check_data(which: str | Sequence[str], data: str | Path | None, quick: bool = False) -> None:
    """Raise ValueError (naming ``--data`` and the layout expected) when the table ``which``, asked for alone,
    cannot read ``data``; called before anything is computed (several tables: each finds its own data)."""
    if data is None or not isinstance(which, str) or which not in DATA_TABLES:
        return
    if which == "warcraft":
        from bigrad.experiments.warcraft import real_sizes

        real_sizes(Path(data), quick)
    elif not has_layout(which, Path(data)):
        raise ValueError(f"--data {data}: no {DATA_TABLES[which]}")


def writable_dir(path: str | Path, option: str = "out_dir") -> Path:
    """``path`` as a folder that files can be written in: created (with its parents) when missing.

    Called before anything is computed, so that a run never ends by losing its report. Raises
    NotADirectoryError (``"<option> PATH is not a directory"``) for an existing file, OSError naming
    ``option`` when the folder cannot be created or written (a read-only place), ValueError for a
    path the system rejects (a NUL byte).
    """
    path = Path(path)
    shown = str(path) if str(path).isprintable() else repr(str(path))  # the error stays one line
    try:
        other = path.exists() and not path.is_dir()
        if not other:
            path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:  # a name too long, a file in the way, a read-only parent, ...
        raise OSError(f"{option} {shown}: cannot create this folder ({exc.strerror})") from exc
    except ValueError as exc:  # a NUL byte
        raise ValueError(f"{option} {shown} is not a valid path ({exc})") from exc
    if other:
        raise NotADirectoryError(f"{option} {shown} is not a directory")
    try:
        with tempfile.TemporaryFile(dir=path):
            pass
    except OSError as exc:
        raise PermissionError(f"{option} {shown} is not writable ({exc.strerror})") from exc
    return path


def command_line() -> str:
    """The command line of this process, for the report."""
    return "bigrad " + " ".join(shlex.quote(a) for a in sys.argv[1:])


# ---------------------------------------------------------------------- demo
def _scipy_block_diagonal(costs: np.ndarray) -> np.ndarray:
    """Shortest-path costs of a batch ``[B, H, W]`` with ONE ``scipy.sparse.csgraph.dijkstra`` call.

    The batch is one block-diagonal graph (8-neighbourhood, edge u -> v weighs
    ``costs[v]``); ``min_only=True`` from all sources gives each map's distances
    from its own top-left cell. Returns ``[B]`` path costs including both ends.
    """
    import scipy.sparse as sp
    from scipy.sparse.csgraph import dijkstra

    B, H, W = costs.shape
    cell = np.arange(H * W).reshape(H, W)
    rows, cols = [], []
    for di in (-1, 0, 1):
        for dj in (-1, 0, 1):
            if di or dj:
                rows.append(cell[max(0, -di): H - max(0, di), max(0, -dj): W - max(0, dj)].ravel())
                cols.append(cell[max(0, di): H + min(0, di), max(0, dj): W + min(0, dj)].ravel())
    offsets = (np.arange(B) * H * W)[:, None]
    r = (np.concatenate(rows)[None] + offsets).ravel()
    c = (np.concatenate(cols)[None] + offsets).ravel()
    flat = costs.reshape(-1).astype(np.float64)
    graph = sp.csr_matrix((flat[c] + 1e-300, (r, c)), shape=(B * H * W, B * H * W))  # keep zero weights
    dist = dijkstra(graph, indices=offsets.ravel(), min_only=True)
    return dist[offsets.ravel() + H * W - 1] + flat[offsets.ravel()]


def _solver_showcase(log) -> str:
    """Solve a batch of maps and interdiction games; time against scipy on a block-diagonal batch graph."""
    from bigrad.experiments.maps import make_maps
    from bigrad.solvers import shortest_path, shortest_path_interdiction

    B = 1024
    maps = make_maps(B, 12, seed=1)
    ours, theirs = [], []
    for _ in range(3):  # interleaved, best of 3
        t = time.perf_counter()
        _, cost = shortest_path(maps.costs, return_cost=True)
        ours.append(time.perf_counter() - t)
        t = time.perf_counter()
        ref = _scipy_block_diagonal(maps.costs)
        theirs.append(time.perf_counter() - t)
    if not np.allclose(cost, ref, rtol=1e-9):
        raise RuntimeError("shortest_path disagrees with scipy.sparse.csgraph.dijkstra on the demo maps")
    t = time.perf_counter()
    _, x = shortest_path_interdiction(maps.costs, np.ones_like(maps.costs), 3)
    game = (time.perf_counter() - t) / B
    o, s = min(ours) / B, min(theirs) / B
    lines = [
        f"solver check (12x12 Warcraft-like maps, batch {B}; costs equal to scipy's):",
        (f"  shortest path            {o * 1e6:8.2f} us/map   (scipy.sparse.csgraph.dijkstra, one block-diagonal "
        f"graph of the batch: {s * 1e6:.2f} us/map; {s / o:.1f}x)"),
        f"  + interdiction (B = 3)   {game * 1e6:8.2f} us/map   (mean {x.sum((1, 2)).mean():.1f} cells interdicted)",
    ]
    for line in lines:
        log(line)
    return "\n".join(lines) + "\n"


#: what each method code of the demo means (the plot's legend)
METHOD_NAMES = {
    "bb": "bb: BiGrad blackbox (Eq. 8)",
    "pt": "pt: BiGrad straight-through (Eq. 9)",
    "bb1": "bb1: single-level blackbox",
    "pt1": "pt1: single-level straight-through",
    "sl": "sl: supervised, no solver",
}


def _demo_plot(rows: list[dict], path: Path) -> Path | None:
    plt = report._pyplot()
    if plt is None:
        return None
    fig, ax = plt.subplots(figsize=(8.4, 3.6))
    for i, r in enumerate(rows):
        ax.bar(i, r["val_accuracy"], color=f"C{i}", label=METHOD_NAMES.get(r["method"], r["method"]))
        ax.text(i, r["val_accuracy"] + 1, f"{r['val_accuracy']:.1f}", ha="center", fontsize=8)
    ax.set_xticks(range(len(rows)), [r["method"] for r in rows])
    ax.set_ylim(0, 105)
    ax.set_title("Demo: 12x12 shortest path with interdiction")
    ax.set_xlabel("gradient method")
    ax.set_ylabel("validation accuracy % (optimal paths)")
    ax.legend(fontsize=8, bbox_to_anchor=(1.01, 1.0), loc="upper left", title="method codes")
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return path


def demo(out_dir: str | Path = "out/demo", log=print) -> list[dict]:
    """The main job on embedded defaults: solver check, then a small 12x12 training run of every method.

    Writes ``demo.md`` (table), ``demo.json`` (rows) and ``demo.png`` under ``out_dir``.
    """
    import json

    import bigrad
    from bigrad.experiments.warcraft import WarcraftConfig, run

    out_dir = writable_dir(out_dir, "out_dir")
    log(f"bigrad {bigrad.__version__}  build: {bigrad.build_info()}")
    showcase = _solver_showcase(log)
    cfg = WarcraftConfig(size=12, n_train=300, n_val=150, epochs=5, lr=3e-3, lam=10.0, batch_size=10)
    log(f"learning run: {cfg.size}x{cfg.size} maps, budget {cfg.budget}, {cfg.n_train} train / {cfg.n_val} "
        f"validation maps, {cfg.epochs} epochs, every method")
    rows = run(cfg, log=log)
    table = report.markdown_table(
        ["method", "loss", "train acc %", "val acc %", "val cell acc %", "val exact %", "train s"],
        [[METHOD_NAMES[r["method"]], r["loss"], f"{r['train_accuracy']:.1f}", f"{r['val_accuracy']:.1f}",
          f"{r['val_cell_accuracy']:.1f}", f"{r['val_exact_match']:.1f}", f"{r['seconds']:.1f}"] for r in rows])
    (out_dir / "demo.md").write_text("```\n" + showcase + "```\n\n" + table)
    (out_dir / "demo.json").write_text(json.dumps(rows, indent=1))
    plot = _demo_plot(rows, out_dir / "demo.png")
    log("\n" + table)
    log(f"results written to {out_dir}/" + (f" (plot {plot.name})" if plot else ""))
    return rows

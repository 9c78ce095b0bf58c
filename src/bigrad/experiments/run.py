"""Entry points: the demo (the main job on embedded defaults) and the full experiments."""
from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path

import numpy as np

from bigrad.experiments import report
from bigrad.experiments.tsp import TSPConfig
from bigrad.experiments.tsp import run as run_tsp
from bigrad.experiments.warcraft import WarcraftConfig
from bigrad.experiments.warcraft import run as run_warcraft

WARCRAFT_COLUMNS = [
    ("size", "map"),
    ("method", "gradient"),
    ("loss", "loss"),
    ("train_accuracy", "train acc %"),
    ("val_accuracy", "val acc %"),
    ("val_cell_accuracy", "val cell acc %"),
    ("val_exact_match", "val exact %"),
    ("seconds", "train s"),
]


def _solver_showcase(log) -> str:
    """Solve a batch of interdiction games and time it against the heapq reference path solver."""
    import heapq

    from bigrad.experiments.maps import make_maps
    from bigrad.solvers import shortest_path, shortest_path_interdiction

    maps = make_maps(1024, 12, seed=1)
    t = time.perf_counter()
    shortest_path(maps.costs)
    ours = (time.perf_counter() - t) / 1024
    t = time.perf_counter()
    y, x = shortest_path_interdiction(maps.costs, np.ones_like(maps.costs), 3)
    game = (time.perf_counter() - t) / 1024

    def heapq_cost(w):
        H, W = w.shape
        dist = {(0, 0): w[0, 0]}
        heap, done = [(w[0, 0], 0, 0)], set()
        while heap:
            d, i, j = heapq.heappop(heap)
            if (i, j) in done:
                continue
            done.add((i, j))
            for a in (i - 1, i, i + 1):
                for b in (j - 1, j, j + 1):
                    if 0 <= a < H and 0 <= b < W and (a, b) not in done and d + w[a, b] < dist.get((a, b), np.inf):
                        dist[a, b] = d + w[a, b]
                        heapq.heappush(heap, (dist[a, b], a, b))
        return dist[H - 1, W - 1]

    t = time.perf_counter()
    for b in range(32):
        heapq_cost(maps.costs[b])
    ref = (time.perf_counter() - t) / 32
    lines = [
        "solver check (12x12 Warcraft-like maps, batch 1024):",
        f"  shortest path            {ours * 1e6:8.2f} us/map   (pure-Python heapq Dijkstra: {ref * 1e6:.0f} us/map,"
        f" {ref / ours:.0f}x)",
        f"  + interdiction (B = 3)   {game * 1e6:8.2f} us/map   (mean {x.sum((1, 2)).mean():.1f} cells interdicted)",
    ]
    for line in lines:
        log(line)
    return "\n".join(lines) + "\n"


def warcraft(sizes=(12,), out_dir: str | Path = "out/experiments", log=print, **overrides) -> list[dict]:
    """Run the Warcraft-like interdiction experiment for each map size; writes table, json and plot."""
    out_dir = Path(out_dir)
    rows = []
    for size in sizes:
        cfg = replace(WarcraftConfig(size=size), **overrides)
        for r in run_warcraft(cfg, log=log):
            rows.append({"size": f"{size}x{size}", **r})
    table = report.markdown_table(rows, WARCRAFT_COLUMNS, "Shortest path with interdiction (paper Table 3)")
    report.save(out_dir, "warcraft", rows, table)
    for size in sizes:
        sel = [r for r in rows if r["size"] == f"{size}x{size}"]
        report.bar_plot(sel, "val_accuracy", "validation accuracy %", out_dir / f"warcraft_{size}.png")
    log("\n" + table)
    log(f"results written to {out_dir}/")
    return rows


TSP_COLUMNS = [("k", "cities")] + WARCRAFT_COLUMNS[1:]


def tsp(ks=(8,), out_dir: str | Path = "out/experiments", log=print, **overrides) -> list[dict]:
    """Run the TSP-with-interdiction experiment for each instance size k; writes table, json and plot."""
    out_dir = Path(out_dir)
    rows = []
    for k in ks:
        for r in run_tsp(replace(TSPConfig(k=k), **overrides), log=log):
            rows.append({"k": k, **r})
    table = report.markdown_table(rows, TSP_COLUMNS, "TSP with interdiction (paper Table 4)")
    report.save(out_dir, "tsp", rows, table)
    for k in ks:
        report.bar_plot([r for r in rows if r["k"] == k], "val_accuracy", "validation accuracy %",
                        out_dir / f"tsp_{k}.png")
    log("\n" + table)
    log(f"results written to {out_dir}/")
    return rows


def experiments(out_dir: str | Path = "out/experiments", quick: bool = False, log=print) -> None:
    """All learning experiments: Warcraft-like maps 12/18/24 and TSP k = 8/10/12 (``quick``: smallest only)."""
    sizes, ks = ((12,), (8,)) if quick else ((12, 18, 24), (8, 10, 12))
    warcraft(sizes, out_dir, log, n_train=600 if quick else 1000, n_val=200 if quick else 300,
             epochs=8 if quick else 10, lr=3e-3, lam=10.0)
    tsp(ks, out_dir, log)


def demo(out_dir: str | Path = "out/demo", log=print) -> list[dict]:
    """The main job on embedded defaults: solver check, then a small 12x12 training run of every method."""
    import bigrad

    log(f"bigrad {bigrad.__version__}  build: {bigrad.build_info()}")
    _solver_showcase(log)
    return warcraft(sizes=(12,), out_dir=out_dir, log=log, n_train=600, n_val=200, epochs=8, lr=3e-3, lam=10.0)

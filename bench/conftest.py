"""Shared helpers for the benchmarks: peers are timed in the same run, ratios printed."""
from __future__ import annotations

import contextlib
import os
import statistics
import sys
import time


def per_call_seconds(fn, items, min_time=0.2):
    """Mean seconds of fn(item) over items, repeated until min_time has passed."""
    calls, start = 0, time.perf_counter()
    while True:
        for it in items:
            fn(it)
        calls += len(items)
        elapsed = time.perf_counter() - start
        if elapsed >= min_time:
            return elapsed / calls


def machine_load() -> dict:
    """The 1-minute load average before timing; ``loaded`` when it is above 1.

    A loaded machine favours the SIMD kernels (Python-heavy peers slow down
    more), so a loaded run is flagged in the JSON and in the printed row.
    """
    load1, _, _ = os.getloadavg()
    return {"load1": round(load1, 2), "cores": os.cpu_count(), "loaded": load1 > 1.0}


def interleaved(fns: dict, rounds: int = 5) -> dict:
    """Time each zero-argument callable once per round, interleaved.

    Returns {name: {"median", "min", "cpu_median", "cpu_min"}} in seconds: wall
    clock, and the process's CPU time (all its threads), which a loaded
    machine inflates far less than the wall clock for single-threaded work.
    """
    wall = {name: [] for name in fns}
    cpu = {name: [] for name in fns}
    for _ in range(rounds):
        for name, fn in fns.items():
            start, start_cpu = time.perf_counter(), time.process_time()
            fn()
            wall[name].append(time.perf_counter() - start)
            cpu[name].append(time.process_time() - start_cpu)
    return {
        name: {"median": statistics.median(wall[name]), "min": min(wall[name]),
               "cpu_median": statistics.median(cpu[name]), "cpu_min": min(cpu[name])}
        for name in fns
    }


@contextlib.contextmanager
def single_threaded():
    """bigrad and torch on one thread inside the block, the previous counts restored after it."""
    import bigrad

    old = bigrad.get_num_threads()
    torch = sys.modules.get("torch")
    old_torch = torch.get_num_threads() if torch is not None else None
    bigrad.set_num_threads(1)
    if torch is not None:
        torch.set_num_threads(1)
    try:
        yield
    finally:
        bigrad.set_num_threads(old)
        if torch is not None:
            torch.set_num_threads(old_torch)


def report(benchmark, row: dict):
    """Store the figures in the benchmark's extra_info and print one table row."""
    benchmark.extra_info.update(row)
    print("\n| " + " | ".join(f"{k}={v:.4g}" if isinstance(v, float) else f"{k}={v}" for k, v in row.items()) + " |")

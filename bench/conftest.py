"""Shared helpers for the benchmarks: peers are timed in the same run, ratios printed."""
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


def report(benchmark, row: dict):
    """Store the figures in the benchmark's extra_info and print one table row."""
    benchmark.extra_info.update(row)
    print("\n| " + " | ".join(f"{k}={v:.4g}" if isinstance(v, float) else f"{k}={v}" for k, v in row.items()) + " |")

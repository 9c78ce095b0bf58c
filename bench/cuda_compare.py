"""GPU against CPU in the same run, for the ``bench_*_cuda.py`` benchmarks (skipped without a GPU).

Each side is timed on its own batch (the CPU on a smaller one: it is the
slower side), the calls interleaved round by round, and both are reported as
instances per second (median and best round), with the machine's load, the
GPU's name and the CPU's core count and thread setting.
"""
from __future__ import annotations

from bench.conftest import interleaved, machine_load


def gpu_vs_cpu(gpu_fn, cpu_fn, gpu_batch: int, cpu_batch: int, rounds: int = 7) -> dict:
    """Time ``gpu_fn()`` (must synchronise) and ``cpu_fn()`` interleaved; one report row of throughputs."""
    import torch

    import bigrad

    gpu_fn()  # warm-up: module load, allocator, first launch
    cpu_fn()
    load = machine_load()
    t = interleaved({"gpu": gpu_fn, "cpu": cpu_fn}, rounds=rounds)
    gpu_per_s, cpu_per_s = gpu_batch / t["gpu"]["median"], cpu_batch / t["cpu"]["median"]
    return dict(
        gpu_instances_per_s=gpu_per_s, gpu_best_per_s=gpu_batch / t["gpu"]["min"],
        cpu_instances_per_s=cpu_per_s, cpu_best_per_s=cpu_batch / t["cpu"]["min"],
        speedup=gpu_per_s / cpu_per_s, gpu_batch=gpu_batch, cpu_batch=cpu_batch, rounds=rounds,
        device=torch.cuda.get_device_name(), cpu_threads=bigrad.get_num_threads(), **load,
    )

"""Where a table's time goes, and its independent runs spread over worker processes.

* :class:`SolverClock` counts the seconds a combinatorial layer spends in its
  solver and gradient estimator (forward solves, the BB re-solves, the
  straight-through VJPs), so a table can report network, solver and data time
  apart.
* :func:`run_units` runs a table's independent units (one map size or ``k`` and
  one seed each) in ``jobs`` worker processes. Every unit seeds itself, so the
  rows are the same, in the same order, for any ``jobs``.
"""
from __future__ import annotations

import os
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from typing import Any

__all__ = ["SolverClock", "run_units", "split_time"]


class _TimedProblem:
    """Forwards to ``problem``; its ``solve`` and ``vjp`` add their seconds to ``clock``."""

    def __init__(self, problem: Any, clock: SolverClock) -> None:
        self._problem, self._clock = problem, clock

    def __getattr__(self, name: str) -> Any:
        return getattr(self._problem, name)

    def solve(self, *args, **kwargs):
        return self._clock.time(self._problem.solve, *args, **kwargs)

    def vjp(self, *args, **kwargs):
        return self._clock.time(self._problem.vjp, *args, **kwargs)


class SolverClock:
    """Seconds in the solver and estimator of ``layer`` (a combinatorial layer, or None for SL: zero)."""

    def __init__(self, layer: Any = None) -> None:
        self.seconds = 0.0
        if layer is not None:
            layer._problem = _TimedProblem(layer._problem, self)

    def time(self, fn: Callable, *args, **kwargs):
        start = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            self.seconds += time.perf_counter() - start


def split_time(rows: Sequence[dict], data_seconds: float) -> dict[str, float]:
    """A table's time by part, summed over its training ``rows`` (each with ``seconds`` and
    ``solver_seconds``): network (forward, backward, optimiser, evaluation's network passes),
    solver and estimator, and data (instance generation); ``runs`` is their sum."""
    total = sum(r.get("seconds", 0.0) for r in rows)
    solver = sum(r.get("solver_seconds", 0.0) for r in rows)
    return {"network": total - solver, "solver": solver, "data": data_seconds, "runs": total + data_seconds}


def _say(message: str) -> None:
    print(message, flush=True)


def _init_worker(torch_threads: int) -> None:
    import signal

    import torch

    from bigrad import _native
    from bigrad.experiments import training

    torch.set_num_threads(torch_threads)
    _native.set_num_threads(1)  # one core per worker: the workers are the parallelism
    training.PROGRESS_BARS = False  # bars of several processes would overwrite each other
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's: it stops the workers
    _die_with_parent()


def _die_with_parent() -> None:
    """Linux: the worker gets SIGTERM when its parent dies (killed, not only interrupted). Elsewhere nothing."""
    try:
        import ctypes
        import signal

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, int(signal.SIGTERM), 0, 0, 0)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def run_units(fn: Callable[..., dict], units: Sequence[tuple], jobs: int = 1,
              log: Callable[[str], None] = print, cost: Callable[[tuple], float] | None = None) -> list[dict]:
    """``[fn(*unit, log=...) for unit in units]``, in ``jobs`` worker processes when ``jobs > 1``.

    ``fn`` must be a module-level function (it is pickled); in the workers it logs
    whole lines to stdout, and progress bars are off. ``cost(unit)``, if given, ranks
    the units: the costliest start first, so that the workers finish together. Results
    come back in the order of ``units``. Ctrl-C cancels the units not started.
    """
    if jobs < 1:
        raise ValueError(f"jobs must be >= 1, got {jobs}")
    if jobs == 1 or len(units) <= 1:
        return [fn(*unit, log=log) for unit in units]
    import torch

    log(f"   {len(units)} runs in {min(jobs, len(units))} worker processes (pid {os.getpid()})")
    with ProcessPoolExecutor(max_workers=min(jobs, len(units)), mp_context=get_context("spawn"),
                             initializer=_init_worker, initargs=(torch.get_num_threads(),)) as pool:
        order = sorted(range(len(units)), key=lambda i: -cost(units[i])) if cost else range(len(units))
        futures = {i: pool.submit(fn, *units[i], log=_say) for i in order}
        try:
            return [futures[i].result() for i in range(len(units))]
        except BaseException:  # Ctrl-C or a failed unit: stop the others now, not after their runs
            for f in futures.values():
                f.cancel()
            for process in list(getattr(pool, "_processes", {}).values()):
                process.terminate()
            raise

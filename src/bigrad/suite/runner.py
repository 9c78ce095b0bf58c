"""Run a suite: N local worker processes or a Ray cluster, rows written as instances finish."""
from __future__ import annotations

import contextlib
import signal
import threading
import time
from collections.abc import Callable, Iterator, Sequence

from .instances import Instance
from .isolate import Job, _context
from .results import OK_STATUSES, ResultFile, make_row, progress_bar

__all__ = ["OK_STATUSES", "run_suite"]


def run_suite(
    instances: Sequence[Instance],
    out: str,
    *,
    workers: int = 1,
    time_limit: float | None = None,
    memory_limit: int | None = None,
    resume: bool = False,
    backend: str = "local",
    ray_address: str | None = None,
    progress: bool = True,
    log: Callable[[str], None] = print,
) -> list[dict]:
    """Solve every instance (each in its own process under the limits) and append its row to ``out``.

    Args:
        instances: from :func:`~.instances.discover`.
        out: the JSON-lines result file (appended to; created if missing).
        workers: instances solved at the same time (processes, or Ray tasks).
        time_limit: seconds per instance (the solver's own limit; the process is killed past a grace period).
        memory_limit: bytes of address space per instance process (None: no limit).
        resume: skip the instances whose key is already in ``out`` (a malformed line there is logged
            with ``FILE:LINE`` and its reason, and ignored).
        backend: ``"local"`` or ``"ray"`` (``ray_address``: an existing cluster; None starts a local one).
    Returns:
        The rows written by this call. Ctrl-C stops the run: running instances are killed, every
        finished row stays in ``out``, and ``KeyboardInterrupt`` propagates.
    """
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
        raise ValueError(f"workers must be an int >= 1, got {workers!r}")
    if time_limit is not None and not time_limit > 0:
        raise ValueError(f"time_limit must be > 0 seconds, got {time_limit}")
    if memory_limit is not None and not memory_limit > 0:
        raise ValueError(f"memory_limit must be > 0 bytes, got {memory_limit}")
    if backend not in ("local", "ray"):
        raise ValueError(f"backend must be 'local' or 'ray', got {backend!r}")
    results = ResultFile(out)
    todo = list(instances)
    if resume:
        rows, problems = results.scan()
        for problem in problems:  # kept in the file, as found, but never silently
            log(f"warning: {problem}; line ignored (not a result row), new rows are appended after it")
        done = {row["key"] for row in rows}
        skipped = sum(i.key in done for i in todo)
        todo = [i for i in todo if i.key not in done]
        if skipped:
            log(f"resume: {skipped} instance(s) already in {out}, {len(todo)} to run")
    settings = {"time_limit": time_limit, "memory_limit": memory_limit, "workers": workers, "backend": backend}
    if backend == "ray":
        from .ray_backend import run_on_ray

        return run_on_ray(todo, results, settings, workers, time_limit, memory_limit, ray_address, progress)
    return _run_local(todo, results, settings, workers, time_limit, memory_limit, progress)


def _run_local(todo, results, settings, workers, time_limit, memory_limit, progress) -> list[dict]:
    rows: list[dict] = []
    running: list[Job] = []
    queue = list(todo)
    counts = {"solved": 0, "failed": 0}
    ctx = _context() if queue else None
    bar = progress_bar(len(queue), progress)
    with _deferred_sigint() as interrupted:
        try:
            while (queue or running) and not interrupted:
                while queue and len(running) < workers:
                    inst = queue.pop(0)
                    running.append(Job(inst.to_dict(), time_limit, memory_limit, ctx))
                for job in list(running):
                    fields = job.poll()
                    if fields is None:
                        continue
                    running.remove(job)
                    row = make_row(job.instance, fields, settings)
                    results.append(row)
                    rows.append(row)
                    counts["solved" if row["status"] in OK_STATUSES else "failed"] += 1
                    bar.update(1)
                bar.set_postfix(solved=counts["solved"], failed=counts["failed"], running=len(running), refresh=False)
                time.sleep(0.02)
            if interrupted:
                raise KeyboardInterrupt
        except KeyboardInterrupt:
            for job in running:
                job.kill()
            raise
        finally:
            bar.close()
    return rows


@contextlib.contextmanager
def _deferred_sigint() -> Iterator[list[int]]:
    """Ctrl-C only sets a flag (the yielded list) while the run loop is inside, so it is never
    raised halfway through starting a worker (which could leave a child nobody kills, and a
    process that waits for it at exit); the loop sees the flag within one poll (20 ms), kills
    the running workers and raises ``KeyboardInterrupt``.  Only on the main thread (where
    Python delivers signals); elsewhere Ctrl-C is raised where it lands, as before."""
    flag: list[int] = []
    if threading.current_thread() is not threading.main_thread() or \
            signal.getsignal(signal.SIGINT) is not signal.default_int_handler:
        yield flag
        return
    previous = signal.signal(signal.SIGINT, lambda signum, frame: flag.append(signum))
    try:
        yield flag
    finally:
        signal.signal(signal.SIGINT, previous)

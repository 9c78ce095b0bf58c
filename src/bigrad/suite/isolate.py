"""Run one instance in its own process, with a wall-time and a memory limit.

The child sets ``RLIMIT_AS`` to the memory limit, solves, and sends its row
back through a pipe. The parent kills it when the time limit (plus a grace
period for the solver's own limit to act) has passed. Whatever happens, the
outcome is a row: ``timeout``, ``memory_limit``, ``crashed`` (the signal or
exit code) or ``error`` (the exception) when the solver gave no answer.
"""
from __future__ import annotations

import multiprocessing as mp
import os
import signal
import time
import traceback

#: modules the fork server imports once, so that each instance starts fast
PRELOAD = ["numpy", "scipy.sparse", "highspy", "bigrad.miblp", "bigrad.solvers", "bigrad.suite.solve"]


def grace(time_limit: float | None) -> float:
    """Extra seconds a solver gets past ``time_limit`` to stop by itself before it is killed."""
    return 0.0 if time_limit is None else 2.0 + 0.1 * time_limit


def _context():
    ctx = mp.get_context("forkserver")
    ctx.set_forkserver_preload(PRELOAD)
    return ctx


def _child(conn, instance: dict, time_limit, memory_limit) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C and stops us
    if memory_limit:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (int(memory_limit), int(memory_limit)))
    from bigrad.suite.solve import solve_instance

    try:
        row = solve_instance(instance, time_limit)
    except MemoryError:
        row = {"status": "memory_limit", "message": "MemoryError"}
    except Exception as exc:
        row = {"status": "error", "message": f"{type(exc).__name__}: {exc}",
               "traceback": traceback.format_exc(limit=5)}
    conn.send(row)
    conn.close()


class Job:
    """One running instance: ``poll()`` returns its row when it has finished, else None."""

    def __init__(self, instance: dict, time_limit: float | None, memory_limit: int | None, ctx=None):
        ctx = ctx or _context()
        self.instance, self.time_limit = instance, time_limit
        self.recv, send = ctx.Pipe(duplex=False)
        self.proc = ctx.Process(target=_child, args=(send, instance, time_limit, memory_limit), daemon=True)
        self.start = time.perf_counter()
        self.proc.start()
        send.close()

    def elapsed(self) -> float:
        return time.perf_counter() - self.start

    def poll(self) -> dict | None:
        if self.recv.poll():
            try:
                row = self.recv.recv()
            except EOFError:
                row = None
            if row is not None:
                self.proc.join(5)
                return row
        if not self.proc.is_alive():
            self.proc.join()
            if self.recv.poll():
                try:
                    return self.recv.recv()
                except EOFError:
                    pass
            code = self.proc.exitcode
            if code is not None and code < 0:
                name = signal.Signals(-code).name
                return {"status": "crashed", "message": f"killed by {name}", "seconds": self.elapsed()}
            return {"status": "crashed", "message": f"exit code {code} without a result", "seconds": self.elapsed()}
        if self.time_limit is not None and self.elapsed() > self.time_limit + grace(self.time_limit):
            self.kill()
            return {"status": "timeout", "message": f"killed after {self.elapsed():.1f} s",
                    "seconds": self.elapsed()}
        return None

    def kill(self) -> None:
        if self.proc.is_alive():
            self.proc.terminate()
            self.proc.join(2)
            if self.proc.is_alive():
                os.kill(self.proc.pid, signal.SIGKILL)
                self.proc.join()


def run_isolated(instance: dict, time_limit: float | None, memory_limit: int | None, poll_s: float = 0.05) -> dict:
    """Solve ``instance`` in a child process under the limits; its row fields (used by the Ray backend)."""
    job = Job(instance, time_limit, memory_limit)
    try:
        while True:
            row = job.poll()
            if row is not None:
                return row
            time.sleep(poll_s)
    finally:
        job.kill()

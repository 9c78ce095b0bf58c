"""Result and progress-log records of :func:`bigrad.miblp.solve`."""
from __future__ import annotations

import math
import time
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

import numpy as np

__all__ = ["STATUSES", "IterationRecord", "MiblpResult", "TimeUp", "check_deadline", "deadline_scope", "time_left"]


class TimeUp(Exception):
    """Raised inside the solver when the wall-clock deadline has passed."""


_DEADLINE: ContextVar[float | None] = ContextVar("bigrad_miblp_deadline", default=None)


@contextmanager
def deadline_scope(deadline: float | None):
    """Within the block, :func:`check_deadline` and every HiGHS solve honour ``deadline``
    (a ``time.perf_counter()`` value; None: no limit)."""
    token = _DEADLINE.set(deadline)
    try:
        yield
    finally:
        _DEADLINE.reset(token)


def time_left() -> float | None:
    """Seconds until the current :func:`deadline_scope` deadline (None: no limit)."""
    d = _DEADLINE.get()
    return None if d is None else d - time.perf_counter()


def check_deadline() -> None:
    """Raise :class:`TimeUp` if the current :func:`deadline_scope` deadline has passed."""
    d = _DEADLINE.get()
    if d is not None and time.perf_counter() > d:
        raise TimeUp

#: possible values of :attr:`MiblpResult.status`
STATUSES = ("optimal", "infeasible", "unbounded", "time_limit", "iteration_limit", "interrupted")


def _fmt(v: float | None) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "-"
    if math.isinf(v):
        return "inf" if v > 0 else "-inf"
    return f"{v:.6g}"


@dataclass
class IterationRecord:
    """One iteration of the column-and-constraint generation.

    ``follower_value`` is the follower's optimal value (its own sense) at the
    master's leader decision (P6); ``optimistic_status`` the status of P7;
    ``new_column`` the follower integer choice added to the master (None if
    no column was added).
    """

    iteration: int
    lower_bound: float
    upper_bound: float
    gap: float
    master_objective: float
    follower_value: float
    optimistic_status: str
    new_column: tuple | None
    columns: int
    binaries: int
    elapsed: float

    @staticmethod
    def header() -> str:
        return f"{'iter':>4} {'LB':>12} {'UB':>12} {'gap':>9} {'theta':>10} {'P7':>10} {'cols':>5} {'bins':>5} {'time':>7}"

    def line(self) -> str:
        gap = "-" if math.isinf(self.gap) else f"{100 * self.gap:.3g}%"
        return (
            f"{self.iteration:>4} {_fmt(self.lower_bound):>12} {_fmt(self.upper_bound):>12} {gap:>9} "
            f"{_fmt(self.follower_value):>10} {self.optimistic_status:>10} {self.columns:>5} "
            f"{self.binaries:>5} {self.elapsed:>6.2f}s"
        )


@dataclass
class MiblpResult:
    """Outcome of :func:`bigrad.miblp.solve`.

    status: one of ``STATUSES``.
    objective: leader objective of the returned point (``+inf`` when
        infeasible or no point was found, ``-inf`` when unbounded).
    x: (n_leader,) leader values (in the order of ``Problem.leader_idx``) or None.
    y: (n_follower,) follower values (order of ``Problem.follower_idx``) or None.
    values: (n,) the full vector or None.
    lower_bound, upper_bound: proven bounds on the optimal value.
    gap: ``(upper_bound - lower_bound) / max(1, |upper_bound|)`` (inf if unknown).
    iterations: number of master problems solved.
    bilevel_feasible: the returned point was re-checked with an independent
        follower solve (None when there is no point).
    follower_objective: follower's optimal value at ``x`` from that re-solve.
    exact: False if a strict inequality needed the tolerance ``strict_tol``.
    columns: enumerated follower integer choices.
    log: list of :class:`IterationRecord`.
    """

    status: str
    objective: float
    x: np.ndarray | None
    y: np.ndarray | None
    lower_bound: float
    upper_bound: float
    iterations: int
    gap: float = math.inf
    bilevel_feasible: bool | None = None
    follower_objective: float | None = None
    values: np.ndarray | None = None
    exact: bool = True
    columns: list[tuple] = field(default_factory=list)
    log: list[IterationRecord] = field(default_factory=list)
    message: str = ""
    solve_time: float = 0.0
    method: str = "ccg"
    timings: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        """JSON-ready dict: status, objective, bounds, gap, solution, timings."""

        def num(v):
            if v is None:
                return None
            v = float(v) + 0.0  # no -0.0
            return v if math.isfinite(v) else ("inf" if v > 0 else "-inf" if v < 0 else "nan")

        def vec(a):
            return None if a is None else [num(t) for t in np.asarray(a, dtype=float)]

        return {
            "status": self.status,
            "objective": num(self.objective),
            "lower_bound": num(self.lower_bound),
            "upper_bound": num(self.upper_bound),
            "gap": num(self.gap),
            "iterations": self.iterations,
            "method": self.method,
            "x": vec(self.x),
            "y": vec(self.y),
            "bilevel_feasible": self.bilevel_feasible,
            "follower_objective": num(self.follower_objective),
            "exact": self.exact,
            "message": self.message,
            "solve_time": self.solve_time,
            "timings": {k: float(v) for k, v in self.timings.items()},
        }

    def summary(self) -> str:
        """Multi-line human-readable summary."""
        lines = [
            f"status             : {self.status}",
            f"objective          : {_fmt(self.objective)}",
            f"lower bound        : {_fmt(self.lower_bound)}",
            f"upper bound        : {_fmt(self.upper_bound)}",
            f"gap                : {'-' if math.isinf(self.gap) else f'{100 * self.gap:.4g}%'}",
            f"iterations         : {self.iterations}",
            f"follower choices   : {len(self.columns)}",
            f"exact reformulation: {self.exact}",
            f"time               : {self.solve_time:.3f}s",
        ]
        if self.x is not None:
            assert self.y is not None  # x and y are set together (outcome.build_result)
            lines.append(f"leader x           : {np.array2string(self.x, precision=6, max_line_width=100)}")
            lines.append(f"follower y         : {np.array2string(self.y, precision=6, max_line_width=100)}")
            lines.append(f"follower objective : {_fmt(self.follower_objective)}")
            lines.append(f"bilevel feasible   : {self.bilevel_feasible}")
        if self.message:
            lines.append(f"message            : {self.message}")
        return "\n".join(lines)

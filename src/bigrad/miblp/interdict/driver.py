"""Driver of the interdiction cut loop (see :mod:`.value_function_cuts`), with time limit and Ctrl-C handling."""
from __future__ import annotations

import math
import time

import numpy as np

from ..loop_state import LoopState, build_result
from ..problem import Problem
from ..result import MiblpResult, TimeUp, deadline_scope
from .master_search import Neighbourhood, make_neighbourhood, search
from .value_function_cuts import InterdictionLoop, InterdictionStructure, full_point

__all__ = ["InterdictionSolver"]

#: rounds of fractional separation (:meth:`~.value_function_cuts.InterdictionLoop.separate`) after each
#: master point (at the root: up to 200)
SEPARATE_EVERY = 20
#: stop each master solve at its first point below the cutoff (False: solve it to optimality)
FIRST_POINT = True
#: also add the substitution cut (:meth:`~.value_function_cuts.InterdictionLoop.substitution_cut`) of each response
SUBSTITUTION_CUTS = True
#: follower solves per master point spent on decisions whose master value is below the cutoff
#: (:func:`~.master_search.search`; 0: off), and the seconds they may take
MASTER_SEARCH_EVALS = 20
MASTER_SEARCH_SECONDS = 0.5
#: ... and at most this share of the last master solve's time, and this many tabu steps (the step
#: limit binds first on K5030W05/W08: K5030W08 12-16 s with 60 steps, 17-19 s with 200 steps and
#: 0.1 s, half the last master's time)
MASTER_SEARCH_SHARE = 1.0
MASTER_SEARCH_STEPS = 60


class InterdictionSolver(LoopState):
    """State of one value-function cut loop: bounds, incumbent, log, timings."""

    def __init__(self, problem: Problem, structure: InterdictionStructure, gap, abs_gap, max_iterations,
                 remaining, start, verbose, callback):
        super().__init__(problem, gap, abs_gap, max_iterations, remaining, start, verbose, callback)
        self.s = structure
        # master_search.Neighbourhood; None before the first search, False when the structure has none
        self.neighbourhood: Neighbourhood | bool | None = None
        self.last_master = 0.0  # seconds of the last master solve
        self.timings = {"setup": 0.0, "master": 0.0, "follower": 0.0}
        s, p = structure, problem
        coefs = np.concatenate([p.c[s.leader], s.lam * s.w, [p.objective_offset]])
        self.integral = bool(p.integer[s.follower].all() and p.integer[s.leader].all()
                             and np.all(coefs == np.round(coefs)))

    def solve(self, deadline: float | None) -> MiblpResult:
        try:
            with deadline_scope(deadline):
                return self._loop()
        except TimeUp:
            return self.finish("time_limit", "time limit reached")
        except KeyboardInterrupt:
            return self.finish("interrupted", "interrupted (Ctrl-C); the best point found so far is returned")

    def _loop(self) -> MiblpResult:
        t = time.perf_counter()
        loop = self.loop = InterdictionLoop(self.p, self.s)
        offset = self.p.objective_offset
        self.timings["setup"] += time.perf_counter() - t
        xl = np.zeros(self.s.leader.size)  # no interdiction: its response gives the first cut
        prev = None
        while True:
            if self.out_of_time():
                return self.finish("time_limit", "time limit reached")
            t = time.perf_counter()
            st, y, val = loop.solve_follower(xl, self.remaining())
            self.timings["follower"] += time.perf_counter() - t
            if st == "time_limit":
                return self.finish("time_limit", "time limit reached in the follower problem")
            if prev is not None:  # xl came from the master: (xl, y) is bilevel feasible
                obj = float(self.p.c[self.s.leader] @ xl) + self.s.lam * val + offset
                if obj < self.ub:
                    self.ub = obj
                    self.incumbent = full_point(self.p, self.s, xl, y)
                self._record(prev, val, loop.cuts)
                if self.converged():
                    return self.finish("optimal", "UB - LB within tolerance")
            ly = loop.lift(y)
            loop.add_cut(ly)
            if SUBSTITUTION_CUTS:
                loop.substitution_cut(ly, xl)
            if prev is not None:
                self._local_search(xl, y, offset)
                self._master_search(xl, offset)
            # cutting planes at fractional points tighten the master's LP relaxation (root: to the end)
            if prev is None or SEPARATE_EVERY:
                t = time.perf_counter()
                bound = loop.separate(self.remaining, rounds=200 if prev is None else SEPARATE_EVERY)
                self.timings["separation"] = self.timings.get("separation", 0.0) + time.perf_counter() - t
                if math.isfinite(bound):
                    self._raise_lb(bound + offset)
            if self.iterations >= self.max_iterations:
                return self.finish("iteration_limit", f"stopped after {self.iterations} master problems")
            t = time.perf_counter()
            cutoff = self.ub - offset - self._step() if math.isfinite(self.ub) else math.inf
            out = loop.solve_master(self.remaining(), cutoff=cutoff, first=FIRST_POINT)
            self.last_master = time.perf_counter() - t
            self.timings["master"] += self.last_master
            self.iterations += 1
            if out.status == "time_limit":
                if math.isfinite(out.dual_bound):
                    self._raise_lb(out.dual_bound + offset)
                return self.finish("time_limit", "time limit reached in the master problem")
            if out.status == "cutoff":  # no leader decision can beat the incumbent by more than the tolerance
                # (integral objective values: none is below UB - step > UB - 1, so UB is optimal exactly)
                self.lb = max(self.lb, self.ub if self.integral else self.ub - self._step())
                self._record(math.nan, math.nan, loop.cuts)
                return self.finish("optimal", "master has no point below the incumbent minus the tolerance")
            if out.status == "infeasible":
                self.lb = math.inf
                return self.finish("infeasible", "no leader decision satisfies the leader constraints")
            self._raise_lb(out.dual_bound + offset)  # 'feasible' (first point below the cutoff): -inf
            assert out.x is not None  # 'optimal' or 'feasible' (solve_master raises on other statuses)
            xl = np.where(self.p.integer[self.s.leader], np.round(out.x), out.x)
            prev = out.objective + offset
            if self.converged():
                self._record(prev, math.nan, loop.cuts)
                return self.finish("optimal", "UB - LB within tolerance")

    def _local_search(self, xl: np.ndarray, y: np.ndarray, offset: float) -> None:
        """Evaluate the swap neighbours of ``xl``: each gives an exact cut and maybe a better incumbent."""
        for x2 in self.loop.neighbours(xl, y):
            if not self._evaluate(x2, offset):
                return

    def _master_search(self, xl: np.ndarray, offset: float) -> None:
        """Evaluate decisions near ``xl`` that the master would accept (:func:`.master_search.search`)."""
        if not (MASTER_SEARCH_EVALS and math.isfinite(self.ub)):
            return
        if self.neighbourhood is None:
            self.neighbourhood = make_neighbourhood(self.loop) or False
        if not isinstance(self.neighbourhood, Neighbourhood):
            return
        loop, cL, lam = self.loop, self.p.c[self.s.leader], self.s.lam
        left = self.remaining()
        seconds = min(MASTER_SEARCH_SECONDS, MASTER_SEARCH_SHARE * self.last_master)
        seconds = seconds if left is None else min(seconds, max(left, 0.0))
        t = time.perf_counter()
        search(xl + 0.0, self.neighbourhood, lambda X: X @ cL + lam * loop.pool.eta(X),
               lambda: self.ub - offset - self._step(), lambda x: self._evaluate(x, offset),
               MASTER_SEARCH_EVALS, seconds, MASTER_SEARCH_STEPS)
        self.timings["search"] = self.timings.get("search", 0.0) + time.perf_counter() - t

    def _evaluate(self, x2: np.ndarray, offset: float) -> bool:
        """The follower's response at the leader decision ``x2``: its cuts and maybe a better incumbent
        (False if the follower's solve stopped at the time limit)."""
        loop = self.loop
        t = time.perf_counter()
        st, y2, val2 = loop.solve_follower(x2, self.remaining())
        self.timings["follower"] += time.perf_counter() - t
        if st != "optimal":
            return False
        obj = float(self.p.c[self.s.leader] @ x2) + self.s.lam * val2 + offset
        if obj < self.ub:
            self.ub = obj
            self.incumbent = full_point(self.p, self.s, x2, y2)
        ly2 = loop.lift(y2)
        loop.add_cut(ly2)
        if SUBSTITUTION_CUTS:
            loop.substitution_cut(ly2, x2)
        return True

    def _raise_lb(self, bound: float) -> None:
        """Raise the lower bound to a master's (or its LP's) bound; with integral objective values the
        optimum is an integer, so the bound is rounded up (within 1e-6: HiGHS' tolerances)."""
        if self.integral and math.isfinite(bound):
            bound = math.ceil(bound - 1e-6)
        self.lb = max(self.lb, bound)

    def _step(self) -> float:
        """Smallest improvement worth looking for: the tolerance, or 1 - 1e-6 when every
        objective value is an integer (integer follower variables, integer costs)."""
        tol = max(self.abs_gap, self.gap * abs(self.ub))
        return max(tol, 1.0 - 1e-6) if self.integral else tol

    def _record(self, master_obj: float, theta: float, cuts: int) -> None:
        self.emit(master_objective=master_obj, follower_value=theta, optimistic_status="-", new_column=None,
                  columns=cuts, binaries=self.s.leader.size)

    def finish(self, status: str, message: str) -> MiblpResult:
        return build_result(self.p, status, message, self.lb, self.ub, self.incumbent, self.iterations,
                            self.start, log=self.log, method="interdiction", timings=self.timings)

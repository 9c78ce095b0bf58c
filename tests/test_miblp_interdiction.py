"""The interdiction cut loop's HiGHS models (:class:`bigrad.miblp.highs_backend.HighsModel`): rows added
between solves, the cutoff / first-point statuses when HiGHS answers at or above the cutoff, and the
lower bound of the loop against a brute force."""
import time
from types import SimpleNamespace

import numpy as np
import pytest
import scipy.sparse as sp
from scipy.optimize import LinearConstraint, milp

from bigrad.miblp import solve
from bigrad.miblp.highs_backend import HighsModel
from bigrad.miblp.interdict.value_function_cuts import InterdictionLoop, detect_interdiction
from bigrad.miblp.result import TimeUp, deadline_scope
from tests.test_miblp_limits import _bruteforce, knapsack_interdiction

highspy = pytest.importorskip("highspy")
MS = highspy.HighsModelStatus


@pytest.mark.parametrize("n, seed", [(6, 39), (9, 8), (9, 12)])
def test_lower_bound_is_the_optimum_when_highs_stops_above_the_cutoff(n, seed):
    """On these instances HiGHS (1.16) answers the last master problem 'optimal' at a point above the
    cutoff; that point's objective was taken as the lower bound (above the optimum) before the master
    became a HighsModel, which reports 'cutoff' there."""
    prob, data = knapsack_interdiction(n, seed)
    res = solve(prob, method="interdiction")
    best = _bruteforce(*data)
    assert res.status == "optimal" and res.bilevel_feasible
    assert res.objective == res.upper_bound == best
    assert res.lower_bound == best  # integral objective: the bound closes exactly, never above


class _FakeHighs:
    """Proxy of a ``highspy.Highs`` whose runs listed in ``fake`` report ``fake[run] = (status, objective)``
    with a feasible point (HiGHS's answer is replaced after the real run); the other runs are real."""

    def __init__(self, h, fake: dict):
        self._h, self._fake, self.runs, self.options, self._refused = h, fake, 0, [], False

    def __getattr__(self, name):
        return getattr(self._h, name)

    def run(self):
        import highspy

        status = self._h.run()
        # a run HiGHS's global scheduler refused (it holds other threads: an earlier test's model) is not a
        # solve: the solver runs again on the scheduler as it is, and the fake's numbering counts solves
        self._refused = (status == highspy.HighsStatus.kError
                         and self._h.getModelStatus() == highspy.HighsModelStatus.kNotset)
        self.runs += not self._refused
        return status

    def setOptionValue(self, name, value):
        self.options.append((self.runs, name, value))
        return self._h.setOptionValue(name, value)

    def getModelStatus(self):
        if self._refused:
            return self._h.getModelStatus()
        return self._fake[self.runs][0] if self.runs in self._fake else self._h.getModelStatus()

    def getObjectiveValue(self):
        return self._fake[self.runs][1] if self.runs in self._fake else self._h.getObjectiveValue()

    def getInfo(self):
        if self.runs not in self._fake:
            return self._h.getInfo()
        return SimpleNamespace(objective_function_value=self._fake[self.runs][1], primal_solution_status=2,
                               mip_dual_bound=-np.inf)


@pytest.fixture
def objective_form_master(monkeypatch):
    """First-point masters with the objective bound (HiGHS' cutoff statuses), not the feasibility form
    that masters without leader costs use by default (tested in test_miblp_kip_cuts)."""
    from bigrad.miblp.interdict import value_function_cuts

    monkeypatch.setattr(value_function_cuts, "FEASIBILITY_MASTER", False)


def _master_after_one_cut(n=8, seed=0):
    """An interdiction loop whose master holds the cut of the uninterdicted follower response, and the
    master's optimum computed independently (scipy.optimize.milp on the model's arrays)."""
    prob, _ = knapsack_interdiction(n, seed)
    loop = InterdictionLoop(prob, detect_interdiction(prob))
    st, y, _ = loop.solve_follower(np.zeros(loop.nl), None)
    assert st == "optimal"
    loop.add_cut(loop.lift(y))
    m = loop.master
    ref = milp(m.c, constraints=LinearConstraint(m.A.toarray(), m.row_lower, m.row_upper),
               integrality=m.integer.astype(int), bounds=(m.lb, m.ub))
    assert ref.status == 0
    return loop, float(ref.fun)


@pytest.mark.usefixtures("objective_form_master")
def test_master_searches_on_when_highs_stops_at_a_first_point_above_the_cutoff():
    loop, best = _master_after_one_cut()
    cutoff = best + 1.0  # some master point lies below it
    fake = loop.master.h = _FakeHighs(loop.master.h, {1: (MS.kSolutionLimit, cutoff + 50.0)})
    out = loop.solve_master(None, cutoff=cutoff, first=True)
    assert fake.runs == 2  # re-run, without the solution limit
    assert (1, "mip_max_improving_sols", 2147483647) in fake.options  # set after the first run
    assert out.status in ("feasible", "optimal") and best - 1e-6 <= out.objective < cutoff
    assert out.x.shape == (loop.nl,)
    # the next first-point solve sets the solution limit again
    loop.master.solve(cutoff=cutoff, first=True)
    assert fake.options[-1] == (2, "mip_max_improving_sols", 1)


@pytest.mark.usefixtures("objective_form_master")
def test_master_re_run_reports_cutoff_when_no_point_is_below():
    loop, best = _master_after_one_cut()
    cutoff = best - 0.5
    fake = loop.master.h = _FakeHighs(loop.master.h, {1: (MS.kSolutionLimit, cutoff + 50.0)})
    out = loop.solve_master(None, cutoff=cutoff, first=True)
    assert fake.runs == 2 and out.status == "cutoff" and out.x is None


@pytest.mark.usefixtures("objective_form_master")
@pytest.mark.parametrize("above", [0.0, 7.0])
def test_master_reports_cutoff_when_highs_says_optimal_at_or_above_it(above):
    loop, best = _master_after_one_cut()
    cutoff = best + 1.0
    loop.master.h = _FakeHighs(loop.master.h, {1: (MS.kOptimal, cutoff + above)})
    out = loop.solve_master(None, cutoff=cutoff, first=True)
    assert out.status == "cutoff" and out.x is None
    # without the fake answer, the same master has a point below the cutoff
    out = loop.solve_master(None, cutoff=cutoff, first=True)
    assert out.status in ("feasible", "optimal") and out.objective < cutoff


def test_master_without_cutoff_is_optimal_with_its_dual_bound():
    loop, best = _master_after_one_cut()
    out = loop.solve_master(None)
    assert out.status == "optimal" and out.objective == pytest.approx(best, abs=1e-6)
    assert out.dual_bound <= out.objective + 1e-9 and out.dual_bound == pytest.approx(best, abs=1e-6)


def test_add_row_matches_a_model_built_with_all_rows():
    rng = np.random.default_rng(3)
    n = 6
    c = -rng.integers(1, 10, n).astype(float)
    A = rng.integers(0, 5, (2, n)).astype(float)
    integer = np.array([True, True, True, False, False, True])
    model = HighsModel(c, A, [-np.inf, 1.0], [12.0, np.inf], np.zeros(n), np.full(n, 4.0), integer)
    first = model.solve()
    rows = [(np.array([0, 2, 5]), np.array([1.0, 2.0, 1.0]), -np.inf, 3.0),
            (np.array([1, 3]), np.array([2.0, -1.0]), 0.5, 4.0),
            (np.array([], dtype=int), np.array([]), -np.inf, 1.0)]
    for index, value, lo, hi in rows:
        model.add_row(index, value, lo, hi)
    full = np.vstack([A] + [np.bincount(i, v, minlength=n) for i, v, _, _ in rows])
    lo = np.array([-np.inf, 1.0] + [r[2] for r in rows])
    hi = np.array([12.0, np.inf] + [r[3] for r in rows])
    assert model.m == 5 and sp.issparse(model.A)
    np.testing.assert_array_equal(model.A.toarray(), full)
    np.testing.assert_array_equal(model.row_lower, lo)
    np.testing.assert_array_equal(model.row_upper, hi)
    out = model.solve()
    ref = milp(c, constraints=LinearConstraint(full, lo, hi), integrality=integer.astype(int),
               bounds=(np.zeros(n), np.full(n, 4.0)))
    assert out.status == "optimal" and ref.status == 0
    assert out.objective == pytest.approx(ref.fun, abs=1e-7) and out.objective >= first.objective - 1e-9
    assert np.all(full @ out.x <= hi + 1e-7) and np.all(full @ out.x >= lo - 1e-7)


@pytest.mark.parametrize("index, value", [([0, 9], [1.0, 1.0]), ([1, 1], [1.0, 2.0]), ([-1], [1.0]),
                                          ([0, 1], [1.0])])
def test_add_row_rejects_bad_entries_and_keeps_the_model(index, value):
    model = HighsModel(np.ones(3), np.ones((1, 3)), [0.0], [2.0], np.zeros(3), np.ones(3), np.ones(3, bool))
    with pytest.raises(ValueError, match="index"):
        model.add_row(index, value, 0.0, 1.0)
    assert model.m == 1 and model.h.getNumRow() == 1 and model.row_lower.shape == (1,)
    assert model.solve().status == "optimal"


class _SlowTimeLimit(_FakeHighs):
    """Every run outlasts the deadline and reports HiGHS's time limit."""

    def run(self):
        time.sleep(0.03)
        return super().run()


@pytest.mark.parametrize("unwind", [True, False])
def test_solve_unwind_at_the_solver_deadline(unwind):
    model = HighsModel(-np.ones(4), np.ones((1, 4)), [-np.inf], [2.5], np.zeros(4), np.ones(4), np.ones(4, bool))
    model.h = _SlowTimeLimit(model.h, {1: (MS.kTimeLimit, -2.0)})
    with deadline_scope(time.perf_counter() + 0.01):
        if unwind:
            with pytest.raises(TimeUp):
                model.solve(unwind=True)
            return
        out = model.solve(unwind=False)
    assert out.status == "time_limit" and out.objective == -2.0 and out.x is not None


def test_continuous_leader_makes_an_lp_master_that_converges():
    """No interdiction rows and continuous leader variables: the master is an LP (HiGHS ignores the
    cutoff there; its optimum is the bound).  Follower: best knapsack 9 whatever x (y1 + y4 or y2 + y3);
    leader: min x1 - x2 with x1 + x2 <= 2.5, so -2 + 9 = 7 (by hand)."""
    from bigrad.miblp import Problem

    prob = Problem.from_blocks(
        leader_c_x=[1.0, -1.0], leader_c_y=[3.0, 4.0, 5.0, 6.0], follower_c_y=[3.0, 4.0, 5.0, 6.0],
        x_lb=[0, 0], x_ub=[1, 2], y_lb=np.zeros(4), y_ub=np.ones(4), x_integer=[False, False],
        y_integer=np.ones(4, bool), A_x=[[1.0, 1.0]], A_y=np.zeros((1, 4)), b=[2.5],
        Q_x=np.zeros((1, 2)), P_y=[[2.0, 3.0, 4.0, 5.0]], s=[7.0], follower_sense="max")
    res = solve(prob, method="interdiction")
    assert res.method == "interdiction" and res.status == "optimal", res.message
    assert res.objective == pytest.approx(7.0) and res.lower_bound == pytest.approx(7.0)
    np.testing.assert_allclose(res.x, [0.0, 2.0], atol=1e-9)

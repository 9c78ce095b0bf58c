"""MibS's own test instances (tests/data/miblp/mibs, from github.com/coin-or/MibS data/, EPL-2.0):
read as MibS reads them and solved to the values MibS 1.2.2 reports; the knapsack
interdiction optima are also checked by an independent brute force (dynamic programming)."""
import itertools
from pathlib import Path

import numpy as np
import pytest

from bigrad.miblp import MpsFormatError, read_mps, read_mps_aux, solve

MIBS = Path(__file__).parent / "data" / "miblp" / "mibs"

#: optimal value printed by MibS 1.2.2 ("Cost = ...") on this machine (see docs/miblp.md)
MIBS_VALUES = {
    "F5010W01.KNP": 115, "K5010W01.KNP": 1401, "K5010W02.KNP": 1060, "K5010W03.KNP": 526,
    "K5010W04.KNP": 1533, "K5010W05.KNP": 2114, "K5010W06.KNP": 1100, "K5010W07.KNP": 1135,
    "K5010W08.KNP": 1707, "K5010W09.KNP": 271, "K5010W10.KNP": 509, "K5010W11.KNP": 1759,
    "K5010W12.KNP": 1223, "K5010W13.KNP": 700, "K5010W14.KNP": 644, "K5010W15.KNP": 1723,
    "K5010W16.KNP": 1098, "K5010W17.KNP": 1465, "K5010W18.KNP": 1580, "K5010W19.KNP": 2055,
    "K5010W20.KNP": 1998, "K5020W03.KNP": 1550,
    "int0sum_i0_10": -170, "knapsack": 2, "linderoth": -2, "milp_4_20_10_0110": -375,
    "moore90": -22, "moore90WithName": -22, "moore90WithNameSection": -22, "moore90_2": 5,
}


def _read(name):
    return read_mps_aux(MIBS / f"{name}.mps", MIBS / f"{name}.txt")


@pytest.mark.parametrize("name", sorted(MIBS_VALUES))
def test_mibs_instance_solves_to_mibs_value(name):
    res = solve(_read(name), time_limit=120)
    assert res.status == "optimal"
    assert res.objective == pytest.approx(MIBS_VALUES[name], abs=1e-6)
    assert res.bilevel_feasible


def test_interdiction_file_is_numbered_after_the_added_columns_and_rows():
    """K5010W01: AUX says LC 10..19, LR 1..11 (MibS's augmented model), IC/IB the budget row."""
    p = _read("K5010W01.KNP")
    assert p.n == 20 and p.m == 1 + 1 + 10
    np.testing.assert_array_equal(p.follower_vars, [False] * 10 + [True] * 10)
    np.testing.assert_array_equal(p.follower_rows, [False] + [True] * 11)
    assert p.integer[:10].all() and (p.ub[:10] == 1).all()
    assert p.row_upper[0] == 3174  # IB
    np.testing.assert_array_equal(p.A[0, :10], [680, 635, 678, 837, 14, 755, 216, 769, 961, 802])  # IC
    mps = read_mps(MIBS / "K5010W01.KNP.mps")
    np.testing.assert_array_equal(p.c[10:], -mps.c)  # leader minimises minus the MPS objective
    np.testing.assert_array_equal(p.A[2:, :10], np.diag(mps.ub))  # VUB rows ub_j x_j + y_j <= ub_j
    np.testing.assert_array_equal(p.A[2:, 10:], np.eye(10))


def _knapsack_interdiction_bruteforce(name):
    """min over budget-feasible interdiction sets of the follower's best knapsack profit (DP)."""
    mps = read_mps(MIBS / f"{name}.mps")
    text = (MIBS / f"{name}.txt").read_text().split()
    cost = [float(text[i + 1]) for i, t in enumerate(text) if t == "IC"]
    budget = float(text[text.index("IB") + 1])
    profit = -mps.c
    weight = mps.A[0].astype(int)
    cap = int(mps.row_upper[0])
    n = profit.size
    best = np.inf
    for mask in itertools.product((0, 1), repeat=n):
        if np.dot(mask, cost) > budget:
            continue
        table = np.zeros(cap + 1)
        for j in range(n):
            if not mask[j] and profit[j] > 0:
                table[weight[j]:] = np.maximum(table[weight[j]:], table[:-weight[j] or None] + profit[j])
        best = min(best, table[-1])
    return best


@pytest.mark.parametrize("name", ["F5010W01.KNP", "K5010W01.KNP", "K5010W08.KNP"])
def test_knapsack_interdiction_matches_bruteforce(name):
    assert _knapsack_interdiction_bruteforce(name) == MIBS_VALUES[name]
    res = solve(_read(name), method="interdiction")
    assert res.status == "optimal" and res.objective == MIBS_VALUES[name]


def test_ccg_and_interdiction_methods_agree():
    data = MIBS.parent
    p = read_mps_aux(data / "knapsack_interdiction.mps", data / "knapsack_interdiction.aux")
    a, b = solve(p, method="ccg"), solve(p, method="interdiction")
    assert a.objective == 6
    assert a.status == b.status == "optimal" and a.objective == pytest.approx(b.objective)
    assert a.method == "ccg" and b.method == "interdiction"


def test_interdiction_method_refuses_other_structures():
    with pytest.raises(ValueError, match="interdiction"):
        solve(_read("moore90"), method="interdiction")


# ---- issue 23: MibS's Assignment interdiction class and its int0sum family (CI-sized subset)
def _assignment_interdiction_bruteforce(name):
    """Leader's optimum of a 2AP assignment interdiction file, by enumeration.

    The MPS file is the follower's assignment problem (agent rows, then task rows, each an
    ``x <= 1`` / ``-x <= -1`` pair; cost on the objective row); the leader removes arcs within the
    IC/IB budget and maximises the follower's cheapest complete assignment (a removal that leaves
    none is not bilevel feasible).  Every budget-feasible removal (a few thousand) is checked with
    scipy's linear_sum_assignment; the value is minus that maximum, as the leader minimises."""
    from scipy.optimize import linear_sum_assignment

    mps = read_mps(MIBS / f"{name}.mps")
    text = (MIBS / f"{name}.txt").read_text().split()
    cost = [int(float(text[i + 1])) for i, t in enumerate(text) if t == "IC"]
    budget = int(float(text[text.index("IB") + 1]))
    pos = np.array([np.flatnonzero(mps.A[:, j] > 0) // 2 for j in range(mps.c.size)])  # (agent, task pair)
    size = int(mps.A.shape[0] // 4)
    agent, task = pos[:, 0], pos[:, 1] - size
    best = -np.inf

    def visit(j, removed, spent):
        nonlocal best
        if j == len(cost):
            big = 1e6
            C = np.full((size, size), big)
            keep = [k for k in range(len(cost)) if k not in removed]
            C[agent[keep], task[keep]] = mps.c[keep]
            r, c = linear_sum_assignment(C)
            if C[r, c].max() < big:
                best = max(best, float(C[r, c].sum()))
            return
        visit(j + 1, removed, spent)
        if spent + cost[j] <= budget:
            visit(j + 1, removed | {j}, spent + cost[j])

    visit(0, frozenset(), 0)
    return -best


@pytest.mark.parametrize("name, value", [("2AP05-1", -36), ("2AP05-11", -36), ("2AP05-4", -25)])
def test_assignment_interdiction_matches_bruteforce(name, value):
    assert _assignment_interdiction_bruteforce(name) == value
    res = solve(_read(name), time_limit=120)
    assert res.status == "optimal" and res.bilevel_feasible
    assert res.objective == pytest.approx(value, abs=1e-6)


def test_malformed_assignment_aux_names_file_and_line():
    """MibS's 2AP05-12.txt has ``LO 1 4`` on line 91 (MibS refuses the file too)."""
    with pytest.raises(MpsFormatError, match=r"2AP05-12\.txt:91: unknown keyword '4'"):
        _read("2AP05-12")


def test_int0sum_optimum_is_certified_by_scipy():
    """int0sum_i0_60 (120 variables): the optimum equals the high-point relaxation's (scipy.optimize.milp,
    a lower bound of every bilevel point) and the returned point is follower optimal (scipy again)."""
    from scipy.optimize import Bounds, LinearConstraint, milp

    p = _read("int0sum_i0_60")
    res = solve(p, time_limit=120)
    assert res.status == "optimal" and res.bilevel_feasible
    hpr = milp(p.c, constraints=LinearConstraint(p.A_dense, p.row_lower, p.row_upper),
               integrality=p.integer.astype(int), bounds=Bounds(p.lb, p.ub))
    assert hpr.status == 0 and hpr.fun + p.objective_offset == pytest.approx(res.objective, abs=1e-6)
    F, rows = p.follower_idx, np.flatnonzero(p.follower_rows)
    shift = p.A_dense[rows][:, p.leader_idx] @ res.x
    sign = 1.0 if p.follower_sense == "min" else -1.0
    follower = milp(sign * p.follower_c[F], integrality=p.integer[F].astype(int), bounds=Bounds(p.lb[F], p.ub[F]),
                    constraints=LinearConstraint(p.A_dense[rows][:, F], p.row_lower[rows] - shift,
                                                 p.row_upper[rows] - shift))
    assert follower.status == 0 and sign * follower.fun == pytest.approx(p.follower_c[F] @ res.y, abs=1e-6)


def test_leader_decision_count_beyond_float_range_does_not_crash():
    """MibS's int0sum_i0_310 (310 linking variables in [0, 10]: 11**310 decisions) raised
    ``OverflowError: cannot convert float infinity to integer``.  Here 320 such variables; the
    follower maximises y <= sum(x), y <= 5, the leader minimises sum(x) - 2 y: optimum -5."""
    from bigrad.miblp import Problem
    from bigrad.miblp.projection.leader_enumeration import leader_choices

    k = 320
    p = Problem.from_blocks(
        leader_c_x=np.ones(k), leader_c_y=[-2.0], follower_c_y=[1.0], x_lb=np.zeros(k), x_ub=np.full(k, 10.0),
        y_lb=[0.0], y_ub=[5.0], x_integer=np.ones(k, bool), y_integer=[True],
        Q_x=-np.ones((1, k)), P_y=[[1.0]], s=[0.0], follower_sense="max")
    assert leader_choices(p) == 11 ** k
    res = solve(p, time_limit=120)
    assert res.status == "optimal" and res.objective == pytest.approx(-5.0) and res.bilevel_feasible

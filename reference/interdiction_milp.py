"""HiGHS MILP for the budgeted interdiction game on a grid (independent reference).

min  sum_v z_v u_v + budget * theta + sum_v p_v
s.t. p_v >= w_v u_v - theta,  p, theta >= 0          (LP dual of the attacker's knapsack)
     flow: out(v) - in(v) = [v = s] - [v = t],  arcs binary
     u_v = in(v) + [v = s]                             (vertex v is visited)
"""
from __future__ import annotations

import highspy
import numpy as np

from reference.grid_paths import grid_graph_structure


def interdiction_milp_value(z: np.ndarray, w: np.ndarray, budget: int, nbh: int = 8) -> float:
    H, W = z.shape
    n = H * W
    rows, cols = grid_graph_structure(H, W, nbh)
    m = len(rows)
    # variables: arcs f (m, binary), u (n), p (n), theta (1)
    nv = m + 2 * n + 1
    U, P, TH = m, m + n, m + 2 * n
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    inf = highspy.kHighsInf
    cost = np.zeros(nv)
    cost[U:U + n] = z.ravel()
    cost[P:P + n] = 1.0
    cost[TH] = budget
    lower = np.zeros(nv)
    upper = np.concatenate([np.ones(m), np.ones(n), np.full(n, inf), [inf]])
    h.addVars(nv, lower, upper)
    h.changeColsCost(nv, np.arange(nv, dtype=np.int32), cost)
    h.changeColsIntegrality(m, np.arange(m, dtype=np.int32), np.full(m, highspy.HighsVarType.kInteger))

    def add_row(idx, val, lo, hi):
        h.addRow(lo, hi, len(idx), np.asarray(idx, dtype=np.int32), np.asarray(val, dtype=np.float64))

    for v in range(n):
        out_arcs = np.nonzero(rows == v)[0]
        in_arcs = np.nonzero(cols == v)[0]
        rhs = (1.0 if v == 0 else 0.0) - (1.0 if v == n - 1 else 0.0)
        add_row(list(out_arcs) + list(in_arcs), [1.0] * len(out_arcs) + [-1.0] * len(in_arcs), rhs, rhs)
        # u_v - in(v) = [v = s]
        s = 1.0 if v == 0 else 0.0
        add_row([U + v] + list(in_arcs), [1.0] + [-1.0] * len(in_arcs), s, s)
        # p_v - w_v u_v + theta >= 0
        add_row([P + v, U + v, TH], [1.0, -float(w.ravel()[v]), 1.0], 0.0, inf)
    h.run()
    assert h.getModelStatus() == highspy.HighsModelStatus.kOptimal
    return float(h.getInfo().objective_function_value)

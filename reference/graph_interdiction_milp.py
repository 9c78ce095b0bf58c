"""Independent references for shortest-path interdiction on a general directed graph.

Edges are given as ``src [E]``, ``dst [E]`` (tail, head), ``num_nodes`` N; ``z``, ``w`` ``[E]``.

- ``path_first_milp``: the path player moves first (``min_y max_x``); the
  attacker's knapsack over the path is replaced by its LP dual::

      min  z @ y + budget * pi + sum_e rho_e
      s.t. out(v) - in(v) = [v = s] - [v = t]   (y binary, one unit of flow)
           rho_e >= w_e * y_e - pi,  pi, rho >= 0

- ``interdictor_first_milp``: the interdictor moves first (``max_x min_y``,
  Israeli & Wood 2002); the follower's shortest-path LP is totally unimodular,
  so it is replaced by its dual (node potentials u)::

      max  u_t - u_s
      s.t. u_v - u_u <= z_e + w_e * x_e   for every edge e = (u, v)
           sum_e x_e <= budget,  x binary,  u_s = 0

- ``simple_paths``, ``path_first_brute_force``, ``interdictor_first_brute_force``:
  enumeration of the simple s-t paths and of the interdiction sets (tiny graphs).
"""
from __future__ import annotations

import itertools

import highspy
import numpy as np


def _highs() -> highspy.Highs:
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    for opt, val in (("mip_rel_gap", 0.0), ("mip_abs_gap", 0.0),
                     ("primal_feasibility_tolerance", 1e-9), ("dual_feasibility_tolerance", 1e-9),
                     ("mip_feasibility_tolerance", 1e-9)):
        h.setOptionValue(opt, val)
    return h


def _row(h, idx, val, lo, hi):
    h.addRow(lo, hi, len(idx), np.asarray(idx, dtype=np.int32), np.asarray(val, dtype=np.float64))


def path_first_milp(src, dst, num_nodes, z, w, budget, source=0, target=None):
    """``(value, y [E])`` of ``min_y max_x <z + x * w, y>`` (HiGHS MILP, attacker dualised)."""
    src, dst = np.asarray(src), np.asarray(dst)
    z, w = np.asarray(z, float), np.asarray(w, float)
    target = num_nodes - 1 if target is None else target
    E = src.size
    inf = highspy.kHighsInf
    h = _highs()
    # columns: y (E, binary), rho (E), pi (1)
    h.addVars(2 * E + 1, np.zeros(2 * E + 1), np.concatenate([np.ones(E), np.full(E + 1, inf)]))
    h.changeColsCost(2 * E + 1, np.arange(2 * E + 1, dtype=np.int32),
                     np.concatenate([z, np.ones(E), [float(budget)]]))
    h.changeColsIntegrality(E, np.arange(E, dtype=np.int32), np.full(E, highspy.HighsVarType.kInteger))
    for v in range(num_nodes):
        out_e, in_e = np.flatnonzero(src == v), np.flatnonzero(dst == v)
        rhs = float(v == source) - float(v == target)
        _row(h, list(out_e) + list(in_e), [1.0] * len(out_e) + [-1.0] * len(in_e), rhs, rhs)
    for e in range(E):  # rho_e - w_e y_e + pi >= 0
        _row(h, [E + e, e, 2 * E], [1.0, -float(w[e]), 1.0], 0.0, inf)
    h.run()
    assert h.getModelStatus() == highspy.HighsModelStatus.kOptimal, h.modelStatusToString(h.getModelStatus())
    y = np.round(np.asarray(h.getSolution().col_value[:E]))
    return float(h.getInfo().objective_function_value), y


def interdictor_first_milp(src, dst, num_nodes, z, w, budget, source=0, target=None):
    """``(value, x [E])`` of ``max_x min_y <z + x * w, y>`` (HiGHS MILP over the follower's dual)."""
    src, dst = np.asarray(src), np.asarray(dst)
    z, w = np.asarray(z, float), np.asarray(w, float)
    target = num_nodes - 1 if target is None else target
    E, N = src.size, num_nodes
    inf = highspy.kHighsInf
    h = _highs()
    # columns: x (E, binary), u (N, free; u_source fixed at 0)
    lower = np.concatenate([np.zeros(E), np.full(N, -inf)])
    upper = np.concatenate([np.ones(E), np.full(N, inf)])
    lower[E + source] = upper[E + source] = 0.0
    h.addVars(E + N, lower, upper)
    cost = np.zeros(E + N)
    cost[E + target] += 1.0
    cost[E + source] -= 1.0
    h.changeColsCost(E + N, np.arange(E + N, dtype=np.int32), cost)
    h.changeObjectiveSense(highspy.ObjSense.kMaximize)
    h.changeColsIntegrality(E, np.arange(E, dtype=np.int32), np.full(E, highspy.HighsVarType.kInteger))
    for e in range(E):  # u_v - u_u - w_e x_e <= z_e
        _row(h, [E + int(dst[e]), E + int(src[e]), e], [1.0, -1.0, -float(w[e])], -inf, float(z[e]))
    _row(h, list(range(E)), [1.0] * E, -inf, float(budget))
    h.run()
    assert h.getModelStatus() == highspy.HighsModelStatus.kOptimal, h.modelStatusToString(h.getModelStatus())
    x = np.round(np.asarray(h.getSolution().col_value[:E]))
    return float(h.getInfo().objective_function_value), x


def simple_paths(src, dst, num_nodes, source=0, target=None):
    """Every simple path from ``source`` to ``target``, as a list of edge-index lists (depth-first)."""
    target = num_nodes - 1 if target is None else target
    out = [[] for _ in range(num_nodes)]
    for e, (u, v) in enumerate(zip(src, dst)):
        out[int(u)].append((e, int(v)))
    paths = []

    def extend(node, edges, seen):
        if node == target:
            paths.append(list(edges))
            return
        for e, v in out[node]:
            if v not in seen:
                seen.add(v)
                edges.append(e)
                extend(v, edges, seen)
                edges.pop()
                seen.discard(v)

    extend(source, [], {source})
    return paths


def path_first_brute_force(src, dst, num_nodes, z, w, budget, source=0, target=None) -> float:
    """``min`` over simple paths of ``z(P)`` plus the ``budget`` largest positive ``w`` on P."""
    best = np.inf
    for p in simple_paths(src, dst, num_nodes, source, target):
        gains = np.sort(np.maximum(np.asarray(w, float)[p], 0.0))[::-1][:budget]
        best = min(best, float(np.asarray(z, float)[p].sum() + gains.sum()))
    return best


def interdictor_first_brute_force(src, dst, num_nodes, z, w, budget, source=0, target=None) -> float:
    """``max`` over interdiction sets of size <= budget of the shortest simple path under ``z + x * w``."""
    z, w = np.asarray(z, float), np.asarray(w, float)
    paths = [np.asarray(p, dtype=np.int64) for p in simple_paths(src, dst, num_nodes, source, target)]
    if not paths:
        return np.inf
    best = -np.inf
    for size in range(min(budget, len(z)) + 1):
        for chosen in itertools.combinations(range(len(z)), size):
            cost = z.copy()
            cost[list(chosen)] += w[list(chosen)]
            best = max(best, min(float(cost[p].sum()) for p in paths))
    return best

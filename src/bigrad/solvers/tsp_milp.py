"""Exact symmetric TSP by a cutting-plane MILP on HiGHS: the fallback of :func:`bigrad.solvers.tsp`.

The branch and bound gives up on an instance after a node budget (its 1-tree
bounds can be weak on structured instances); such an instance is solved here
instead. Model: a binary ``x_e`` per edge ``i < j``, degree 2 at every city;
solved to proven optimality (relative and absolute gap 0, fixed seed), then,
while the solution has several cycles, one subtour-elimination cut
``sum_{e inside S} x_e <= |S| - 1`` per cycle ``S`` is added and the model
re-solved. The first solution that is one cycle is an optimal tour (up to
HiGHS's feasibility and integrality tolerances, 1e-6 by default).
"""
from __future__ import annotations

import numpy as np

from bigrad._highs import new_highs

__all__ = ["tsp_milp"]


def _cycles(succ_of: dict[int, list[int]], n: int) -> list[list[int]]:
    """Cycles of a 2-regular graph given as adjacency lists."""
    seen = [False] * n
    cycles = []
    for start in range(n):
        if seen[start]:
            continue
        cycle, prev, cur = [], -1, start
        while not seen[cur]:
            seen[cur] = True
            cycle.append(cur)
            a, b = succ_of[cur]
            prev, cur = cur, (b if a == prev else a)
        cycles.append(cycle)
    return cycles


def tsp_milp(dist: np.ndarray) -> tuple[np.ndarray, np.generic]:
    """Optimal tour of one symmetric instance.

    Args:
        dist: ``[n, n]`` symmetric float32/float64 costs, ``n >= 3`` (diagonal ignored).

    Returns:
        ``(mask, cost)`` as :func:`bigrad.solvers.tsp` returns them for one instance: the directed
        ``[n, n]`` tour mask in ``dist``'s dtype, oriented so that the successor of city 0 has the
        smaller index of its two neighbours, and the cost summed in that dtype in tour order from city 0.
    """
    import highspy  # imported on first use: most TSP calls never need the fallback

    n = dist.shape[-1]
    iu, ju = np.triu_indices(n, 1)
    E = len(iu)
    h = new_highs()
    # no "threads" option: HiGHS's thread pool is global, and a Highs object asking for another size fails to run
    for option, value in [("output_flag", False), ("random_seed", 0), ("mip_rel_gap", 0.0), ("mip_abs_gap", 0.0)]:
        h.setOptionValue(option, value)
    h.addVars(E, np.zeros(E), np.ones(E))
    h.changeColsCost(E, np.arange(E, dtype=np.int32), dist[iu, ju].astype(np.float64))
    h.changeColsIntegrality(E, np.arange(E, dtype=np.int32), np.array([highspy.HighsVarType.kInteger] * E))
    for v in range(n):
        cols = np.flatnonzero((iu == v) | (ju == v)).astype(np.int32)
        h.addRow(2.0, 2.0, len(cols), cols, np.ones(len(cols)))
    while True:
        h.run()
        status = h.getModelStatus()
        if status != highspy.HighsModelStatus.kOptimal:
            raise RuntimeError(f"tsp fallback MILP (HiGHS) failed: {h.modelStatusToString(status)}")
        chosen = np.flatnonzero(np.asarray(h.getSolution().col_value) > 0.5)
        adjacent: dict[int, list[int]] = {v: [] for v in range(n)}
        for e in chosen:
            adjacent[int(iu[e])].append(int(ju[e]))
            adjacent[int(ju[e])].append(int(iu[e]))
        cycles = _cycles(adjacent, n)
        if len(cycles) == 1:
            break
        for cycle in cycles:
            inside = np.zeros(n, bool)
            inside[cycle] = True
            cols = np.flatnonzero(inside[iu] & inside[ju]).astype(np.int32)
            h.addRow(-highspy.kHighsInf, len(cycle) - 1.0, len(cols), cols, np.ones(len(cols)))
    tour = cycles[0]
    k = tour.index(0)
    tour = tour[k:] + tour[:k]
    if tour[1] > tour[-1]:
        tour = [0] + tour[1:][::-1]
    mask = np.zeros((n, n), dist.dtype)
    cost = dist.dtype.type(0)
    for a, b in zip(tour, tour[1:] + tour[:1]):
        mask[a, b] = 1
        cost = dist.dtype.type(cost + dist[a, b])
    return mask, cost

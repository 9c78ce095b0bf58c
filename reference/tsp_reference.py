"""Independent references for the TSP solvers (no bigrad code used).

* :func:`all_tours` / :func:`brute_force_tsp` -- enumeration over permutations.
* :func:`successors` -- checks that a mask is one directed Hamiltonian cycle.
* :func:`euclidean` -- random symmetric instances; :func:`clustered` -- points
  in unit squares far apart (the 1-tree bound's hard case).
* :func:`brute_force_interdiction` -- every tour against every interdiction of
  at most ``budget`` edges.
* :func:`highs_tsp` -- MILP on highspy: assignment constraints plus
  Dantzig–Fulkerson–Johnson subtour cuts added until the solution is one
  cycle; with ``w`` and ``budget`` it solves the robust (interdiction) problem
  through the Bertsimas–Sim dualisation of the attacker's knapsack:
  ``min z.y + budget * theta + sum_e p_e``, ``p_e >= w_e y_e - theta``, ``p, theta >= 0``.
"""
from __future__ import annotations

import itertools

import highspy
import numpy as np


def successors(mask: np.ndarray) -> np.ndarray:
    """Check that mask is one directed Hamiltonian cycle; return succ[i]."""
    n = mask.shape[-1]
    assert set(np.unique(mask)) <= {0.0, 1.0}
    assert (mask.sum(0) == 1).all() and (mask.sum(1) == 1).all(), mask
    assert np.diagonal(mask).sum() == 0
    succ = mask.argmax(1)
    seen, i = set(), 0
    while i not in seen:
        seen.add(i)
        i = succ[i]
    assert len(seen) == n, f"not a single cycle: {succ}"
    return succ


def euclidean(rng, B: int, n: int) -> np.ndarray:
    """Distances between n uniform random points in the unit square, [B, n, n]."""
    p = rng.random((B, n, 2))
    return np.linalg.norm(p[:, :, None] - p[:, None], axis=-1)


def clustered(rng, B: int, n: int, clusters: int = 2, spread: float = 50.0) -> np.ndarray:
    """Distances between n points in ``clusters`` unit squares (sizes as equal as possible) whose corners are
    uniform in ``[0, spread]^2``, the cities in random order, [B, n, n]. With two clusters 50 apart a tour
    crosses between them twice and a 1-tree once."""
    sizes = [n // clusters + (k < n % clusters) for k in range(clusters)]
    out = []
    for _ in range(B):
        corners = rng.random((clusters, 2)) * spread
        p = np.concatenate([rng.random((m, 2)) + corners[k] for k, m in enumerate(sizes)])[rng.permutation(n)]
        out.append(np.linalg.norm(p[:, None] - p[None], axis=-1))
    return np.array(out)


def all_tours(n: int) -> np.ndarray:
    """Every directed Hamiltonian cycle on ``n`` cities as edge masks ``[(n-1)!, n, n]``."""
    masks = []
    for perm in itertools.permutations(range(1, n)):
        order = (0,) + perm
        m = np.zeros((n, n))
        for a, b in zip(order, order[1:] + (0,)):
            m[a, b] = 1
        masks.append(m)
    return np.array(masks)


def tour_costs(dist: np.ndarray, tours: np.ndarray) -> np.ndarray:
    """Cost of each tour mask in float64."""
    return (tours * np.asarray(dist, np.float64)).sum(axis=(1, 2))


def brute_force_tsp(dist: np.ndarray) -> float:
    """Optimal tour cost by enumeration (n <= 9 or so)."""
    return float(tour_costs(dist, all_tours(len(dist))).min())


def brute_force_interdiction(z: np.ndarray, w: np.ndarray, budget: int) -> tuple[float, np.ndarray]:
    """``min_y max_x <z + x * w, y>`` by enumerating tours y and every off-diagonal
    edge set x with ``|x| <= budget``. Returns the value and the game value of every tour."""
    n = len(z)
    tours = all_tours(n)
    z = np.asarray(z, np.float64)
    w = np.asarray(w, np.float64)
    edges = [(i, j) for i in range(n) for j in range(n) if i != j]
    attacks = [np.zeros((n, n))]
    for size in range(1, budget + 1):
        for chosen in itertools.combinations(edges, size):
            x = np.zeros((n, n))
            for e in chosen:
                x[e] = 1
            attacks.append(x)
    attacks = np.array(attacks)
    # value[t, a] = <z + x_a * w, y_t>
    values = np.einsum("tij,ij->t", tours, z)[:, None] + np.einsum("tij,aij->ta", tours, attacks * w)
    per_tour = values.max(axis=1)
    return float(per_tour.min()), per_tour


def robust_value(z: np.ndarray, w: np.ndarray, tour: np.ndarray, budget: int) -> float:
    """Game value of a fixed tour: its cost plus its ``budget`` largest ``w``."""
    gains = np.sort((np.asarray(w, np.float64) * tour).ravel())[::-1]
    return float((np.asarray(z, np.float64) * tour).sum() + gains[:budget].sum())


def _cycles(succ: list[int]) -> list[list[int]]:
    seen, cycles = set(), []
    for start in range(len(succ)):
        if start in seen:
            continue
        cycle, i = [], start
        while i not in seen:
            seen.add(i)
            cycle.append(i)
            i = succ[i]
        cycles.append(cycle)
    return cycles


def highs_tsp(z: np.ndarray, w: np.ndarray | None = None, budget: int = 0) -> tuple[float, np.ndarray]:
    """Optimal (robust when ``w``/``budget`` are given) tour by MILP; returns (value, mask)."""
    z = np.asarray(z, np.float64)
    n = len(z)
    edges = [(i, j) for i in range(n) for j in range(n) if i != j]
    index = {e: k for k, e in enumerate(edges)}
    E = len(edges)
    robust = w is not None and budget > 0
    ncols = E + (1 + E if robust else 0)  # edges, then theta and p_e
    cost = [z[e] for e in edges] + ([float(budget)] + [1.0] * E if robust else [])
    upper = [1.0] * E + [highspy.kHighsInf] * (ncols - E)
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("mip_rel_gap", 0.0)  # proven optimal, not within HiGHS's default 1e-4
    h.setOptionValue("mip_abs_gap", 0.0)
    h.addVars(ncols, np.zeros(ncols), np.array(upper))
    h.changeColsCost(ncols, np.arange(ncols, dtype=np.int32), np.array(cost))
    h.changeColsIntegrality(E, np.arange(E, dtype=np.int32), np.array([highspy.HighsVarType.kInteger] * E))

    def add_row(lo, hi, cols, vals):
        h.addRow(lo, hi, len(cols), np.array(cols, dtype=np.int32), np.array(vals, dtype=np.float64))

    for i in range(n):
        add_row(1, 1, [index[i, j] for j in range(n) if j != i], [1.0] * (n - 1))
        add_row(1, 1, [index[j, i] for j in range(n) if j != i], [1.0] * (n - 1))
    if robust:
        w = np.asarray(w, np.float64)
        for k, e in enumerate(edges):  # p_e - w_e y_e + theta >= 0
            add_row(0, highspy.kHighsInf, [E + 1 + k, k, E], [1.0, -w[e], 1.0])
    while True:
        h.run()
        if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            raise RuntimeError(f"HiGHS failed: {h.modelStatusToString(h.getModelStatus())}")
        y = np.array(h.getSolution().col_value[:E])
        succ = [0] * n
        for k, (i, j) in enumerate(edges):
            if y[k] > 0.5:
                succ[i] = j
        cycles = _cycles(succ)
        if len(cycles) == 1:
            break
        for cycle in cycles:  # DFJ: sum_{i, j in S} y_ij <= |S| - 1
            cols = [index[i, j] for i in cycle for j in cycle if i != j]
            add_row(-highspy.kHighsInf, len(cycle) - 1, cols, [1.0] * len(cols))
    mask = np.zeros((n, n))
    for i in range(n):
        mask[i, succ[i]] = 1
    return float(h.getInfo().objective_function_value), mask

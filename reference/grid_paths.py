"""Slow, independent references for grid path problems.

- ``dijkstra_heapq``: plain heapq Dijkstra on the vertex-weighted grid, the way
  blackbox-backprop's reference solves it (a Python loop per instance).
- ``scipy_cost``: scipy.sparse.csgraph.dijkstra on an explicit CSR graph.
- ``simple_paths``: every simple path (for brute force on tiny grids).
"""
from __future__ import annotations

import heapq
import itertools

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import dijkstra

MOVES = {
    8: [(di, dj) for di in (-1, 0, 1) for dj in (-1, 0, 1) if (di, dj) != (0, 0)],
    4: [(-1, 0), (0, -1), (0, 1), (1, 0)],
}


def neighbours(i, j, H, W, nbh):
    for di, dj in MOVES[nbh]:
        a, b = i + di, j + dj
        if 0 <= a < H and 0 <= b < W:
            yield a, b


def dijkstra_heapq(w: np.ndarray, nbh: int = 8):
    """Return (path mask, cost) for one [H, W] grid; cost includes both ends."""
    H, W = w.shape
    dist = np.full((H, W), np.inf)
    prev = {}
    dist[0, 0] = w[0, 0]
    heap = [(w[0, 0], 0, 0)]
    done = np.zeros((H, W), dtype=bool)
    while heap:
        d, i, j = heapq.heappop(heap)
        if done[i, j]:
            continue
        done[i, j] = True
        if (i, j) == (H - 1, W - 1):
            break
        for a, b in neighbours(i, j, H, W, nbh):
            nd = d + w[a, b]
            if nd < dist[a, b]:
                dist[a, b] = nd
                prev[a, b] = (i, j)
                heapq.heappush(heap, (nd, a, b))
    mask = np.zeros((H, W))
    node = (H - 1, W - 1)
    while True:
        mask[node] = 1
        if node == (0, 0):
            break
        node = prev[node]
    return mask, dist[H - 1, W - 1]


def grid_graph_structure(H: int, W: int, nbh: int = 8):
    """(rows, cols) of the directed edges u -> v of the grid (edge weight = w[v])."""
    idx = np.arange(H * W).reshape(H, W)
    rows, cols = [], []
    for di, dj in MOVES[nbh]:
        a = idx[max(0, -di) : H - max(0, di), max(0, -dj) : W - max(0, dj)]
        b = idx[max(0, di) : H + min(0, di), max(0, dj) : W + min(0, dj)]
        rows.append(a.ravel())
        cols.append(b.ravel())
    return np.concatenate(rows), np.concatenate(cols)


def scipy_cost(w: np.ndarray, nbh: int = 8, structure=None) -> float:
    """Shortest path cost with scipy's Dijkstra on an explicit CSR graph (graph build included)."""
    H, W = w.shape
    rows, cols = structure if structure is not None else grid_graph_structure(H, W, nbh)
    flat = np.asarray(w, dtype=np.float64).ravel()
    # csgraph drops explicit zeros: shift by a tiny epsilon to keep zero-weight edges
    data = flat[cols] + 1e-300
    g = sp.csr_matrix((data, (rows, cols)), shape=(H * W, H * W))
    return float(dijkstra(g, indices=0)[H * W - 1] + flat[0])


def simple_paths(H: int, W: int, nbh: int = 8):
    """Yield every simple path from (0, 0) to (H-1, W-1) as a list of cells."""
    target = (H - 1, W - 1)

    def extend(path, seen):
        node = path[-1]
        if node == target:
            yield list(path)
            return
        for nb in neighbours(*node, H, W, nbh):
            if nb not in seen:
                seen.add(nb)
                path.append(nb)
                yield from extend(path, seen)
                path.pop()
                seen.discard(nb)

    yield from extend([(0, 0)], {(0, 0)})


def interdiction_brute_force(z: np.ndarray, w: np.ndarray, budget: int, nbh: int = 8) -> float:
    """min over simple paths y, max over interdictions x (sum x <= budget) of <z + x*w, y>."""
    H, W = z.shape
    best = np.inf
    for path in simple_paths(H, W, nbh):
        cells = list(path)
        base = sum(z[c] for c in cells)
        worst = base
        for k in range(1, budget + 1):
            for combo in itertools.combinations(cells, k):
                worst = max(worst, base + sum(w[c] for c in combo))
        best = min(best, worst)
    return best

"""Slow per-sample reference solvers and gradient estimators (numpy, Python loops).

Written independently of ``bigrad.gradients``: heapq Dijkstra on vertex-weighted
grids, brute-force enumeration of paths/tours for tiny instances, the
Bertsimas-Sim theta loop for the interdiction game, and every estimator of
docs/gradients.md evaluated one sample at a time. Inputs with a batch axis are
numpy arrays ``[B, ...]``.
"""
from __future__ import annotations

import heapq

import numpy as np

from reference.tsp_reference import all_tours

MOVES = {
    8: [(-1, -1), (-1, 0), (-1, 1), (0, -1), (0, 1), (1, -1), (1, 0), (1, 1)],
    4: [(-1, 0), (0, -1), (0, 1), (1, 0)],
}


# ---------------------------------------------------------------- single-instance solvers
def dijkstra(weights: np.ndarray, neighbourhood: int = 8) -> np.ndarray:
    """Min-cost top-left -> bottom-right path mask, cost = sum of vertex weights incl. both ends."""
    H, W = weights.shape
    dist = np.full((H, W), np.inf)
    prev = {}
    dist[0, 0] = weights[0, 0]
    heap = [(weights[0, 0], 0, 0)]
    while heap:
        d, i, j = heapq.heappop(heap)
        if d > dist[i, j]:
            continue
        if (i, j) == (H - 1, W - 1):
            break
        for di, dj in MOVES[neighbourhood]:
            a, b = i + di, j + dj
            if 0 <= a < H and 0 <= b < W and d + weights[a, b] < dist[a, b]:
                dist[a, b] = d + weights[a, b]
                prev[(a, b)] = (i, j)
                heapq.heappush(heap, (dist[a, b], a, b))
    mask = np.zeros((H, W))
    node = (H - 1, W - 1)
    mask[node] = 1
    while node != (0, 0):
        node = prev[node]
        mask[node] = 1
    return mask


def grid_paths(H: int, W: int, neighbourhood: int = 8) -> list:
    """All simple top-left -> bottom-right paths of a tiny grid, as masks."""
    out = []

    def extend(path, seen):
        i, j = path[-1]
        if (i, j) == (H - 1, W - 1):
            m = np.zeros((H, W))
            for c in path:
                m[c] = 1
            out.append(m)
            return
        for di, dj in MOVES[neighbourhood]:
            c = (i + di, j + dj)
            if 0 <= c[0] < H and 0 <= c[1] < W and c not in seen:
                extend(path + [c], seen | {c})

    extend([(0, 0)], {(0, 0)})
    return out


def tours(n: int) -> list:
    """All directed Hamiltonian cycles on n cities, as [n, n] edge masks."""
    return list(all_tours(n))


def argmin_enum(candidates: list, c: np.ndarray) -> np.ndarray:
    """The candidate with the least <c, y>."""
    return candidates[int(np.argmin([(c * y).sum() for y in candidates]))]


def topk(s: np.ndarray, k: int) -> np.ndarray:
    """Mask of the k largest entries of a 1-d array (ties to the lower index)."""
    m = np.zeros_like(s, dtype=float)
    m[sorted(range(len(s)), key=lambda i: (-s[i], i))[:k]] = 1
    return m


def attacker(d: np.ndarray, budget: int) -> np.ndarray:
    """Top-``budget`` positive entries of ``d`` (any shape), ties to the lower flat index."""
    flat = d.ravel()
    x = topk(flat, budget) * (flat > 0)
    return x.reshape(d.shape)


def game_enum(candidates: list, z, w, budget):
    """min_y max_x <z + x*w, y> by enumeration of y: returns (y, x)."""
    values = [(z * y).sum() + (w * y * attacker(w * y, budget)).sum() for y in candidates]
    y = candidates[int(np.argmin(values))]
    return y, attacker(w * y, budget)


def game_theta(nominal, z, w, budget):
    """Same game via min over theta of budget*theta + N(z + max(w - theta, 0)) (any nominal oracle)."""
    best, y_best = np.inf, None
    for theta in sorted({0.0, *w.ravel().tolist()}):
        c = z + np.maximum(w - theta, 0)
        y = nominal(c)
        value = budget * theta + (c * y).sum()
        if value < best - 1e-12:
            best, y_best = value, y
    return y_best, attacker(w * y_best, budget)


# ---------------------------------------------------------------- estimators, one sample at a time
def _bb_min(nominal, c, g, lam):
    return (nominal(np.maximum(c + lam * g, 0)) - nominal(c)) / lam


def _bb_max(respond, d, g, lam):
    return (respond(d) - respond(d - lam * g)) / lam


def single_min_vjp(method, nominal, c, y, g, lam):
    """Batched ``grad_c`` for ``y = argmin <c, y>``: BB uses the forward ``y`` as base."""
    if method in ("pt", "pt1"):
        return -g
    return np.stack([(nominal(np.maximum(c[b] + lam * g[b], 0)) - y[b]) / lam for b in range(len(c))])


def interdiction_vjp(method, nominal, game, budget, z, w, y, x, gy, gx, lam):
    """Batched ``(grad_z, grad_w)`` of the interdiction game for each method (docs/gradients.md)."""
    respond = lambda d: attacker(d, budget)
    gz, gw = np.zeros_like(z), np.zeros_like(w)
    for b in range(len(z)):
        if method in ("bb", "bb_sep", "pt"):
            c, d = z[b] + x[b] * w[b], w[b] * y[b]
            if method == "bb":  # Eq. 8: the full game re-solved; its changes stand for the costs' gradients
                y1, x1 = game(np.maximum(z[b] + lam * gy[b], 0), np.maximum(w[b] - lam * gx[b], 0))
                gc, gd = (y1 - y[b]) / lam, (x[b] - x1) / lam
            elif method == "bb_sep":
                gc, gd = _bb_min(nominal, c, gy[b], lam), _bb_max(respond, d, gx[b], lam)
            else:
                gc, gd = -gy[b], gx[b]
            gz[b], gw[b] = gc, gc * x[b] + gd * y[b]
        elif method == "bb1":
            gz[b], gw[b] = _bb_min(nominal, z[b], gy[b], lam), _bb_max(respond, w[b], gx[b], lam)
        elif method == "pt1":
            gz[b], gw[b] = -gy[b], gx[b]
        else:
            raise ValueError(method)
    return gz, gw


def topk_attacked(s, k, q):
    """(y, x) of the attacked top-k for one 1-d score vector."""
    x = topk(s, q)
    return topk(s, k) - x, x


def topk_vjp(method, k, q, s, gy, gx, lam):
    """Batched ``grad_s`` of the attacked top-k (``q = 0``: pass ``gx = 0``)."""
    out = np.zeros_like(s)
    for b in range(len(s)):
        top = lambda m: (lambda t: topk(t, m))
        if method in ("pt", "pt1"):
            out[b] = gy[b] + gx[b]
        elif method == "bb" or q == 0:
            out[b] = _bb_max(top(k), s[b], gy[b] + gx[b], lam)
        elif method == "bb_sep":
            blocked = topk(s[b], q).astype(bool)
            sel = lambda t: topk(np.where(blocked, -np.inf, t), k - q)
            out[b] = _bb_max(sel, s[b], gy[b], lam) + _bb_max(top(q), s[b], gx[b], lam)
        elif method == "bb1":
            out[b] = _bb_max(top(k - q), s[b], gy[b], lam) + _bb_max(top(q), s[b], gx[b], lam)
        else:
            raise ValueError(method)
    return out


def perturbed(solve_one, params, noises, grads, sigma, lower=0.0):
    """Mean perturbed outputs and the Stein gradient, looping over samples and noise draws.

    ``solve_one(*inputs) -> tuple of outputs`` for one instance; ``params`` per
    input ``[B, ...]``; ``noises`` per input ``[M, B, ...]``; ``grads`` per output ``[B, ...]``.
    """
    M, B = noises[0].shape[:2]
    means = [np.zeros_like(g) for g in grads]
    grad_in = [np.zeros_like(p) for p in params]
    for b in range(B):
        for m in range(M):
            inputs = [p[b] + sigma * e[m, b] for p, e in zip(params, noises)]
            if lower is not None:
                inputs = [np.maximum(v, lower) for v in inputs]
            outs = solve_one(*inputs)
            score = sum((o * g[b]).sum() for o, g in zip(outs, grads))
            for i, o in enumerate(outs):
                means[i][b] += o / M
            for i, e in enumerate(noises):
                grad_in[i][b] += score * e[m, b] / (M * sigma)
    return means, grad_in

"""Shortest-path interdiction on a general directed graph (:class:`bigrad.graphs.Graph`).

Two games on the edge costs ``z + x * w`` of an s-t path ``y``, with an
interdiction ``x`` of at most ``budget`` edges:

- ``order="path-first"``: ``min_y max_x <z + x * w, y>`` (the grid game of
  :func:`bigrad.solvers.shortest_path_interdiction`). For a fixed path the
  attacker takes the ``budget`` largest ``w`` on it; dualising that knapsack
  gives ``OPT = min over theta in {0} ∪ {w_e} of budget * theta + SP(z +
  max(w - theta, 0))``, searched by the branch and bound of
  :func:`bigrad.solvers.min_max_min`: every step is one batched native
  shortest-path call over all instances.
- ``order="interdictor-first"``: ``max_x min_y <z + x * w, y>``, the network
  interdiction problem of Israeli & Wood (2002), solved per instance by a
  path-hitting branch and bound (the scheme of Malik, Mittal & Gupta (1989)
  for the most vital arcs): an interdiction that beats the follower's current
  shortest path P must block an edge of P, so a node ``(S, F)`` (blocked
  edges S, forbidden edges F) branches on the free edges ``a_1, a_2, ...`` of
  its path, child i blocking ``a_i`` and forbidding ``a_<i`` (a partition:
  each set is reached once). A level of nodes is evaluated in batches of
  native shortest-path calls. Subtrees are pruned by upper bounds from paths
  the follower may keep: the node's own path (``v(S) + w_{a_i}`` plus the
  ``r - 1`` largest later ``w`` on it), and a pool of good paths found so far
  (with one edge left to block, the exact max-min over the pool's cheapest
  paths). A greedy interdiction gives the first incumbent.
"""
from __future__ import annotations

import re
from functools import partial
from typing import Any

import numpy as np

from bigrad._arrays import as_batch, check_int, check_pair
from bigrad._limits import check_workspace
from bigrad.graphs import Graph
from bigrad.solvers.graph_shortest_path import _check_graph, endpoints, graph_shortest_path
from bigrad.solvers.min_max_min import min_max_min

__all__ = ["graph_shortest_path_interdiction", "ORDERS"]

ORDERS = ("path-first", "interdictor-first")

#: interdictor-first: a subtree is pruned when its bound is within this (relative, absolute below 1) of the incumbent
GAP_TOL = 1e-9
#: interdictor-first: the pool of follower paths used for bounds, and the cheapest of them in the one-edge look-ahead
POOL, LOOKAHEAD = 128, 8
#: interdictor-first: children evaluated per native call
WAVE = 1024


def graph_shortest_path_interdiction(graph: Graph, z: Any, w: Any, budget: int, *, source: int = 0,
                                     target: int | None = None, return_cost: bool = False,
                                     order: str = "path-first") -> tuple:
    """Solve the budgeted shortest-path interdiction game on a directed graph, exactly, for a batch.

    Args:
        graph: the structure, N nodes and E edges (:class:`bigrad.graphs.Graph`).
        z: ``[E]`` or ``[B, E]`` edge costs, float32 or float64, numpy, torch
            or any DLPack array. Finite; non-negative unless the graph is a DAG.
        w: like ``z`` (same shape and dtype), finite and non-negative: the
            cost increase of interdicting each edge.
        budget: int >= 0, the number of edges the interdictor may block.
        source, target: int nodes (default 0 and N - 1), the same for every instance.
        return_cost: also return the game value ``<z + x * w, y>`` (``[]`` or ``[B]``).
        order: ``"path-first"`` (``min_y max_x``) or ``"interdictor-first"`` (``max_x min_y``).

    Returns:
        ``(path_mask, interdiction_mask)`` and the value when ``return_cost``;
        masks shaped and typed like ``z``, in the user's edge numbering; an
        unreachable target gives all-zero masks and value +inf.

        Path-first: a path minimising ``z(P)`` plus the ``budget`` largest
        ``w`` on P (ties between paths as in :func:`bigrad.solvers.min_max_min`:
        the smallest value, then the smallest threshold), and the attacker's
        best response, the ``budget`` edges of the path with the largest
        positive ``w`` (ties to the lower edge number). Interdictor-first: an
        optimal interdiction (up to a relative ``GAP_TOL``; it may block edges
        off the path, never edges with ``w = 0``) and the follower's shortest
        path under ``z + x * w`` (ties as in
        :func:`bigrad.solvers.shortest_path`). Both are deterministic: the same
        answer on every run and batch composition.
    """
    graph = _check_graph(graph)
    if order not in ORDERS:
        raise ValueError(f"order must be one of {ORDERS}, got {order!r}")
    budget = check_int(budget, "budget", minimum=0)
    zb = as_batch(z, "z", 1, "[E]")
    wb = as_batch(w, "w", 1, "[E]")
    check_pair(zb, wb, "z", "w")
    zs, ws = zb.array, wb.array
    if zs.shape[1] != graph.num_edges:
        raise ValueError(f"z must have num_edges = {graph.num_edges} values per instance, got {zs.shape[1]}")
    _check_costs(graph, zs, ws)
    s = _endpoint(source, "source", graph, 0)
    t = _endpoint(target, "target", graph, graph.num_nodes - 1)
    sp = partial(_shortest_path, graph, s, t)
    solve = _path_first if order == "path-first" else _interdictor_first
    y, x, value = solve(sp, zs, ws, budget)
    outs = (zb.out(y.astype(zs.dtype)), zb.out(x.astype(zs.dtype)))
    return outs + (zb.out(value.astype(zs.dtype)),) if return_cost else outs


def _shortest_path(graph: Graph, source: int, target: int, weights: np.ndarray):
    """``(mask [b, E], cost [b])`` of the native solver; its overflow error names ``z + w``."""
    try:
        return graph_shortest_path(graph, weights, source=source, target=target, return_cost=True)
    except ValueError as exc:
        if not str(exc).startswith("weights: a path cost overflows"):
            raise
        detail = re.sub(r" \(instance \d+\)", "", str(exc)[len("weights"):])  # a row of the internal batch
        raise ValueError("z + w" + detail.replace("scale the weights", "scale z and w")) from exc


def _check_costs(graph: Graph, z: np.ndarray, w: np.ndarray) -> None:
    """Finite z (non-negative on a graph with a cycle), finite non-negative w; errors name the edge."""
    for name, a in (("z", z), ("w", w)):
        if not np.isfinite(a).all():
            b, e = np.argwhere(~np.isfinite(a))[0]
            raise ValueError(f"{name} must be finite (found {a[b, e]} at instance {b}, edge {e})")
    if (w < 0).any():
        b, e = np.argwhere(w < 0)[0]
        raise ValueError(f"w must be non-negative (found {w[b, e]} at instance {b}, edge {e})")
    if (z < 0).any() and not graph.is_dag:
        b, e = np.argwhere(z < 0)[0]
        raise ValueError(
            f"z must be non-negative on a graph with a cycle (found {z[b, e]} at instance {b}, edge {e}, "
            f"{int(graph.src[e])} -> {int(graph.dst[e])}); on a DAG any sign is allowed"
        )


def _endpoint(value: Any, name: str, graph: Graph, default: int) -> int:
    """``source``/``target``: one int node for the whole batch."""
    if value is not None and np.ndim(value) != 0:
        raise ValueError(f"{name} must be an int (the same node for every instance), got shape {np.shape(value)}")
    return int(endpoints(value, name, 1, graph.num_nodes, default)[0])


def _path_first(sp, z: np.ndarray, w: np.ndarray, budget: int):
    """``min_y max_x``: ``(y, x, value)``, each ``[B, E]`` / ``[B]`` (value in float64)."""
    B, E = z.shape
    y, cost = sp(z)
    reached = np.isfinite(cost)
    x = np.zeros_like(z)
    value = np.full(B, np.inf)
    if reached.any():
        def oracle(c):
            return sp(c)[0]

        rows = np.flatnonzero(reached)
        y[rows], x[rows], _ = min_max_min(oracle, z[rows], w[rows], budget)
        value[rows] = _game_value(z[rows], w[rows], y[rows], x[rows])
    return y, x, value


def _game_value(z: np.ndarray, w: np.ndarray, y: np.ndarray, x: np.ndarray) -> np.ndarray:
    """``<z + x * w, y>`` per row, summed in float64."""
    return ((z.astype(np.float64) + x * w.astype(np.float64)) * y).sum(1)


def _interdictor_first(sp, z: np.ndarray, w: np.ndarray, budget: int):
    """``max_x min_y``: ``(y, x, value)``, one branch and bound per instance (in float64)."""
    B, E = z.shape
    x = np.zeros_like(z)
    for b in range(B):
        x[b] = _interdict_one(sp, z[b].astype(np.float64), w[b].astype(np.float64), budget)
    y, cost = sp(z + x * w)
    value = np.where(np.isfinite(cost), _game_value(z, w, y, x), np.inf)
    return y, x, value


def _greedy(sp, z: np.ndarray, w: np.ndarray, budget: int, y: np.ndarray, cost: float) -> tuple[float, np.ndarray]:
    """A first incumbent: block, one at a time, the path edge that raises the follower's cost most.

    ``y [1, E]``, ``cost``: the follower's path and its cost with nothing
    blocked. Returns the value and the blocked edges (int array).
    """
    x = np.zeros_like(z)
    best, chosen = cost, np.zeros(0, np.int64)
    for _ in range(budget):
        path = np.flatnonzero(y[0])
        free = path[(w[path] > 0) & (x[path] == 0)]
        if free.size == 0:
            break
        trial = np.repeat(x[None], free.size, axis=0)
        trial[np.arange(free.size), free] = 1.0
        ys, costs = sp(z + trial * w)
        j = int(np.argmax(costs))
        x, y = trial[j], ys[j:j + 1]
        if costs[j] > best:
            best, chosen = float(costs[j]), np.flatnonzero(x)
    return best, chosen


class _Pool:
    """Follower paths for upper bounds: of the distinct paths found, the ``POOL`` with the smallest
    ``z(q)`` plus the ``budget`` largest ``w`` on q (robust paths), as masks ``[T, E]``."""

    def __init__(self, z: np.ndarray, w: np.ndarray, budget: int) -> None:
        self.z, self.w, self.budget = z, w, budget
        self.keys: set[bytes] = set()
        self.masks, self.score = np.zeros((0, z.size), bool), np.zeros(0)

    def add(self, Y: np.ndarray) -> None:
        """Offer the paths ``Y [m, E]`` (bool masks)."""
        new = []
        for row, packed in zip(Y, np.packbits(Y, axis=1)):
            key = packed.tobytes()
            if key not in self.keys:
                self.keys.add(key)
                new.append(row)
        if not new:
            return
        Y = np.asarray(new, bool)
        zc = Y @ self.z
        if self.score.size == POOL:  # a full pool: a path whose z alone scores worse cannot enter
            Y, zc = Y[zc < self.score[-1]], zc[zc < self.score[-1]]
            if not zc.size:
                return
        k = min(self.budget, Y.shape[1])
        top = -np.partition(-np.where(Y, self.w, 0.0), k - 1, axis=1)[:, :k].sum(1)
        masks = np.concatenate([self.masks, Y])
        score = np.concatenate([self.score, zc + top])
        keep = np.argsort(score, kind="stable")[:POOL]
        if keep.size == self.score.size and (keep < self.score.size).all():
            return  # no new path entered
        self.masks, self.score = masks[keep], score[keep]
        Q = self.masks
        self.base, self.wq = Q @ self.z, np.where(Q, self.w, 0.0)  # [T]: z(q); [T, E]: w on q
        lengths = Q.sum(1)
        self.edges = np.full((Q.shape[0], int(lengths.max())), Q.shape[1])  # [T, L]: q's edges, padded with E
        rows, cols = np.nonzero(Q)
        self.edges[rows, np.arange(rows.size) - np.repeat(np.cumsum(lengths) - lengths, lengths)] = cols
        self.Qx = np.concatenate([Q, np.zeros((Q.shape[0], 1), bool)], axis=1)
        wx = np.concatenate([self.w, [0.0]])
        self.by_w = np.take_along_axis(self.edges, np.argsort(-wx[self.edges], axis=1, kind="stable"), 1)

    def bounds(self, kids: np.ndarray, r1: int, blockable, parent=None) -> np.ndarray:
        """Bounds ``[nc]`` of the subtrees of the children ``kids`` (edge sets ``[nc, d]``), ``r1`` edges to come.

        ``blockable(b, rows)``: for edges ``b [m, L]`` of the children ``rows``,
        whether each may still block them (not in its S or F). ``parent``:
        ``(cost [nc], edges [nc, L], member(b, rows))``, each child's parent's
        path (its cost under the child's set, its edges padded with E, and
        membership), an extra path for the one-edge look-ahead.
        """
        wq = self.wq
        part = self.base[None, :] + wq[:, kids].sum(2).T  # [nc, T]: cost of q under the child's set
        if r1 == 1:
            return self._lookahead(part, blockable, parent)
        if r1 > 0:  # the r1 largest w of q outside the set
            top = self.by_w[:, :r1 + kids.shape[1]]  # [T, r1 + d]: q's edges, largest w first
            inS = (top[None, :, :, None] == kids[:, None, None, :]).any(3)  # [nc, T, r1 + d]
            ok = ~inS & (np.cumsum(~inS, axis=2) <= r1)
            part = part + (ok * np.concatenate([self.w, [0.0]])[top][None]).sum(2)
        return part.min(1)

    def _lookahead(self, part: np.ndarray, blockable, parent) -> np.ndarray:
        """One edge to come: ``max_b min_q cost_{S + b}(q)`` over the parent's path and the ``LOOKAHEAD``
        cheapest pool paths q.

        The best b lies on the cheapest q (blocking any other edge leaves that
        path's cost), so only its edges are tried; ``part [nc, T]`` holds each
        pool path's cost under each child's set.
        """
        edges, Qx = self.edges, self.Qx
        p_cost, p_edges, p_member = parent
        width = max(edges.shape[1], p_edges.shape[1])
        edges = np.pad(edges, ((0, 0), (0, width - edges.shape[1])), constant_values=self.w.size)
        p_edges = np.pad(p_edges, ((0, 0), (0, width - p_edges.shape[1])), constant_values=self.w.size)
        wx = np.concatenate([self.w, [0.0]])
        out = np.empty(part.shape[0])
        near = min(LOOKAHEAD, part.shape[1])
        for lo in range(0, part.shape[0], 4096):
            rows = slice(lo, lo + 4096)
            c = part[rows]  # [m, T]
            qs = np.argpartition(c, near - 1, axis=1)[:, :near] if near < c.shape[1] else np.argsort(c, axis=1)
            cq = np.take_along_axis(c, qs, 1)  # [m, near]: the cheapest paths (dropping others loosens the bound)
            cp = p_cost[rows]
            b = np.where((cp < cq.min(1))[:, None], p_edges[rows],  # [m, L]: the edges of the cheapest path
                         edges[qs[np.arange(qs.shape[0]), np.argmin(cq, axis=1)]])
            gain = wx[b] * blockable(b, rows)  # [m, L]
            raised = (cq[:, :, None] + gain[:, None, :] * Qx[qs[:, :, None], b[:, None, :]]).min(1)  # [m, L]
            out[rows] = np.minimum(raised, cp[:, None] + gain * p_member(b, rows)).max(1)
        return out


def _children(Sidx, Fm, Y, val, w, grank, r):
    """The children of a level's nodes, partitioned: ``(node jc, edge ec, first, bound)``.

    The free edges ``a_1, a_2, ...`` of a node's path (``w > 0``, not in S or F),
    largest ``w`` first, give the children ``S + a_i`` with ``a_<i`` forbidden,
    which split the sets that hit the path without repeats. ``first`` is the
    flat index of each node's first child (its ``a_<i`` are ``ec[first:i]``);
    the bound: the follower keeps the node's path P, so a child's subtree has
    value at most ``v(S) + w_{a_i} + (the r - 1 largest w of a_>i)``.
    """
    rows, cols = np.nonzero(Y)
    ok = (w[cols] > 0) & ~Fm[rows, cols]
    if Sidx.shape[1]:
        ok &= ~(Sidx[rows] == cols[:, None]).any(1)
    rows, cols = rows[ok], cols[ok]
    srt = np.lexsort((grank[cols], rows))
    jc, ec = rows[srt], cols[srt]
    wc = w[ec]
    csum = np.concatenate([[0.0], np.cumsum(wc)])
    first = np.searchsorted(jc, jc, side="left")
    ends = np.searchsorted(jc, jc, side="right")
    t = np.arange(jc.size)
    bound = val[jc] + wc + csum[np.minimum(t + r, ends)] - csum[t + 1]
    return jc, ec, first, bound


def _blockable(S, Fm, Y, w, grank, j, e):
    """``blockable(b, rows)``: whether children ``(S, parents j, edges e)`` may block the edges ``b``.

    Not when b is in the child's S, in its parent's F, or a free edge of the
    parent's path ranked before ``e`` (the child's own forbidden edges).
    """
    E = w.size

    def blockable(b, rows):
        bb = np.minimum(b, E - 1)
        jj = j[rows, None]
        earlier = Y[jj, bb] & (w[bb] > 0) & (grank[bb] < grank[e[rows], None])
        return ~(Fm[jj, bb] | earlier | (S[rows, :, None] == b[:, None, :]).any(1)) & (b < E)

    return blockable


def _padded_rows(Y: np.ndarray, pad: int) -> np.ndarray:
    """``[n, L]``: the columns of each row's True entries, in order, padded with ``pad``."""
    lengths = Y.sum(1)
    out = np.full((Y.shape[0], max(int(lengths.max()), 1)), pad)
    rows, cols = np.nonzero(Y)
    out[rows, np.arange(rows.size) - np.repeat(np.cumsum(lengths) - lengths, lengths)] = cols
    return out


def _member(Y: np.ndarray, j: np.ndarray, E: int):
    """``member(b, rows)``: whether the edges ``b [m, L]`` lie on the paths ``Y[j[rows]]`` (padding E: no)."""
    def member(b, rows):
        return Y[j[rows, None], np.minimum(b, E - 1)] & (b < E)

    return member


def _forbidden(Fm, jc, ec, first, pick):
    """``[m, E]`` forbidden masks of the picked children: the parent's, plus its earlier free edges."""
    F = Fm[jc[pick]]
    counts = pick - first[pick]
    rows = np.repeat(np.arange(pick.size), counts)
    flat = np.repeat(first[pick] - np.cumsum(counts) + counts, counts) + np.arange(int(counts.sum()))
    F[rows, ec[flat]] = True
    return F


def _interdict_one(sp, z: np.ndarray, w: np.ndarray, budget: int) -> np.ndarray:
    """An optimal interdiction ``[E]`` (0/1) of one instance (float64 ``z``, ``w``), by path-hitting branch and bound."""
    x = np.zeros_like(z)
    budget = min(budget, z.size)  # no more than every edge: the same game
    y, cost = sp(z[None])
    if budget == 0 or not (w > 0).any() or not np.isfinite(cost[0]):
        return x
    lower, x_best = _greedy(sp, z, w, budget, y, float(cost[0]))
    tol = GAP_TOL * max(1.0, abs(lower))
    E = z.size
    grank = np.empty(E, np.int64)
    grank[np.argsort(-w, kind="stable")] = np.arange(E)
    pool = _Pool(z, w, budget)
    pool.add(y > 0)
    Sidx, Fm, Y, val = np.zeros((1, 0), np.int64), np.zeros((1, E), bool), y > 0, cost.astype(float)
    buffer = np.empty((WAVE, E))
    for d in range(budget):
        r = budget - d
        jc, ec, first, bound = _children(Sidx, Fm, Y, val, w, grank, r)
        path_edges = _padded_rows(Y, E) if r == 2 else None  # for the one-edge look-ahead
        newS, newF, newY, newV = [], [], [], []
        held = 0
        ranked = np.argsort(-bound, kind="stable")
        for lo in range(0, ranked.size, WAVE):
            pick = ranked[lo:lo + WAVE]
            pick = pick[bound[pick] > lower + tol]
            if pick.size:
                S = np.concatenate([Sidx[jc[pick]], ec[pick, None]], axis=1)
                j = jc[pick]
                parent = None if path_edges is None else (val[j] + w[ec[pick]], path_edges[j], _member(Y, j, E))
                keep = pool.bounds(S, r - 1, _blockable(S, Fm, Y, w, grank, j, ec[pick]), parent) > lower + tol
                pick, S = pick[keep], S[keep]
            if not pick.size:
                continue
            W = buffer[:S.shape[0]]  # reused: a fresh [WAVE, E] array per call costs more than the solve
            W[...] = z
            W[np.arange(S.shape[0])[:, None], S] += w[S]
            ys, costs = sp(W)
            ys = ys > 0
            k = int(np.argmax(costs))
            if costs[k] > lower + tol:
                lower, x_best = float(costs[k]), S[k].copy()
            pool.add(ys)
            if d + 1 < budget:  # the next level: its nodes' F and path masks, E bytes each
                held += 2 * E * S.shape[0]
                check_workspace(held, "budget", "interdictor-first search (one level of nodes)")
                newS.append(S)
                newF.append(_forbidden(Fm, jc, ec, first, pick))
                newY.append(ys)
                newV.append(costs)
        if not newS:
            break
        Sidx, Fm, Y, val = (np.concatenate(a) for a in (newS, newF, newY, newV))
    x[x_best] = 1.0
    return x

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
  interdiction problem of Israeli & Wood (2002), solved per instance by the
  native path-hitting branch and bound of ``csrc/graph_interdiction.cpp``
  (the scheme of Malik, Mittal & Gupta (1989) for the most vital arcs): an
  interdiction that beats the follower's current shortest path P must block an
  edge of P, so a node ``(S, F)`` (blocked edges S, forbidden edges F)
  branches on the free edges ``a_1, a_2, ...`` of its path, child i blocking
  ``a_i`` and forbidding ``a_<i`` (a partition: each set is reached once).
  Subtrees are pruned by upper bounds from paths the follower may keep: the
  node's own path (``v(S) + w_{a_i}`` plus the ``r - 1`` largest later ``w``
  on it) and a pool of good paths found so far. A greedy interdiction gives
  the first incumbent; the follower's problems are A* searches whose
  potentials are the distances to the target under ``z``. Instances run in
  parallel on the native thread pool, each on one thread (the same answer on
  any thread count).
"""
from __future__ import annotations

import re
from functools import partial
from typing import Any

import numpy as np

from bigrad import _native
from bigrad._arrays import as_batch, check_int, check_pair
from bigrad.graphs import Graph
from bigrad.solvers.graph_shortest_path import _check_graph, endpoints, graph_shortest_path, to_positions, to_user
from bigrad.solvers.min_max_min import min_max_min

__all__ = ["graph_shortest_path_interdiction", "ORDERS"]

ORDERS = ("path-first", "interdictor-first")

#: interdictor-first: a subtree is pruned when its bound is within this (relative, absolute below 1) of the incumbent
GAP_TOL = 1e-9


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
    if order == "path-first":
        y, x, value = _path_first(sp, zs, ws, budget)
    else:
        y, x, value = _interdictor_first(graph, s, t, sp, zs, ws, budget)
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


def _interdictor_first(graph: Graph, source: int, target: int, sp, z: np.ndarray, w: np.ndarray, budget: int):
    """``max_x min_y``: ``(y, x, value)``, the native branch and bound per instance (in float64)."""
    # the native search numbers edges by CSR position and works in float64
    z64, w64 = (np.ascontiguousarray(to_positions(graph, a), np.float64) for a in (z, w))
    budget = min(budget, graph.num_edges)
    xs, _, _ = _native.core().graph_interdiction(graph.native, z64, w64, budget, source, target, GAP_TOL)
    x = to_user(graph, xs).astype(z.dtype)
    y, cost = sp(z + x * w)
    value = np.where(np.isfinite(cost), _game_value(z, w, y, x), np.inf)
    return y, x, value

"""Batched shortest paths on a general directed graph (:class:`bigrad.graphs.Graph`).

The native solver (``csrc/graph_shortest_path.cpp``) runs 16 float32 (8
float64) instances per SIMD group: Gauss–Seidel push passes over the out-edges
until no label changes, a single pass in topological order on a DAG (any
weight sign), and Dijkstra for a lane that needs more than
``_core.graph_max_passes(N)`` passes, for graphs of more than 32768 nodes and
for the instances left over after the full groups. All reach the same labels,
the minimum over paths of the sums formed from the source outwards, and the
path is read from the labels by one rule (docs/graphs.md, "Ties").
"""
from __future__ import annotations

from typing import Any

import numpy as np

from bigrad import _native
from bigrad._arrays import Batch, as_batch
from bigrad._limits import check_workspace
from bigrad.graphs import Graph
from bigrad.solvers import _cuda_dispatch

__all__ = ["graph_shortest_path", "endpoints", "edge_weights"]

_STATUS_BAD, _STATUS_OVERFLOW = 2, 3


def endpoints(value: Any, name: str, batch: int, num_nodes: int, default: int) -> np.ndarray:
    """``source``/``target`` as ``[B]`` int32: an int for every instance, or one per instance."""
    if value is None:
        value = default
    if type(value) is int and 0 <= value < num_nodes:  # the common case in few steps
        return np.full(batch, value, np.int32)
    if hasattr(value, "detach") and hasattr(value, "cpu"):
        value = value.detach().cpu().numpy()
    a = np.asarray(value)
    if a.dtype.kind not in "iu" or isinstance(value, bool):
        raise TypeError(f"{name} must be an int or an integer array, got {type(value).__name__} of dtype {a.dtype}")
    if a.ndim == 0:
        a = np.full(batch, int(a), np.int64)
    elif a.shape != (batch,):
        raise ValueError(f"{name} must be an int or have shape [B] = [{batch}], got shape {a.shape}")
    if a.size and (a.min() < 0 or a.max() >= num_nodes):
        bad = int(np.flatnonzero((a < 0) | (a >= num_nodes))[0])
        raise ValueError(f"{name} must lie in [0, num_nodes = {num_nodes}), got {int(a[bad])} (instance {bad})")
    return np.ascontiguousarray(a, dtype=np.int32)


def edge_weights(graph: Graph, batch: Batch, weights_on: str) -> np.ndarray:
    """The ``[B, E]`` edge weights in CSR order (for ``weights_on="nodes"``: each edge weighs its head)."""
    w = batch.array
    if weights_on == "nodes":
        return np.ascontiguousarray(np.take(w, graph.indices, axis=1))
    return to_positions(graph, w)


def to_positions(graph: Graph, a: np.ndarray) -> np.ndarray:
    """``[B, E]`` per-edge values in the user's numbering -> in CSR position order (what the native code takes)."""
    if graph.edge_order is not None:
        return np.ascontiguousarray(np.take(a, graph.edge_order, axis=1))
    return a


def to_user(graph: Graph, a: np.ndarray) -> np.ndarray:
    """``[B, E]`` per-edge values in CSR position order -> in the user's numbering (inverse of :func:`to_positions`)."""
    if graph.edge_order is not None:
        out = np.empty_like(a)
        out[:, graph.edge_order] = a
        return out
    return a


def _check_graph(graph: Any) -> Graph:
    if not isinstance(graph, Graph):
        raise TypeError(f"graph must be a bigrad.graphs.Graph, got {type(graph).__name__}")
    if graph.num_nodes == 0:
        raise ValueError("graph must have at least one node")
    return graph


def graph_shortest_path(graph: Graph, weights: Any, *, source: Any = 0, target: Any = None,
                        weights_on: str = "edges", return_cost: bool = False) -> Any:
    """Minimum-cost path from ``source`` to ``target`` in a directed graph, for a batch of weight vectors.

    Args:
        graph: the structure (:class:`bigrad.graphs.Graph`), N nodes and E edges.
        weights: ``[E]`` or ``[B, E]`` edge weights (``weights_on="edges"``),
            or ``[N]`` / ``[B, N]`` node weights (``"nodes"``: a path costs the
            weights of all the nodes it visits, both ends included); float32 or
            float64, numpy, torch or any DLPack array. Finite, and non-negative
            unless the graph is a DAG (then any sign: one pass in topological order).
        source, target: an int, or one per instance (``[B]``); default 0 and N - 1.
        weights_on: ``"edges"`` or ``"nodes"``.
        return_cost: also return the cost ``[]`` / ``[B]``.

    Returns:
        The path mask, shaped and typed like ``weights`` (1 on the path's
        edges, or nodes), and the cost when ``return_cost``. An unreachable
        target gives cost +inf and an all-zero mask. Ties between equal-cost
        paths follow one rule on the labels (walking back from the target, the
        lowest-numbered tight in-edge whose tail has a smaller label; see
        docs/graphs.md), so the path is the same on every run, batch
        composition, thread count, instruction set and device.
    """
    graph = _check_graph(graph)
    if weights_on not in ("edges", "nodes"):
        raise ValueError(f"weights_on must be 'edges' or 'nodes', got {weights_on!r}")
    size = graph.num_edges if weights_on == "edges" else graph.num_nodes
    if size == 0:  # a graph without edges: the only paths are the empty ones
        return _without_edges(graph, weights, source, target, return_cost)
    core_desc = "[E]" if weights_on == "edges" else "[N]"
    batch = as_batch(weights, "weights", 1, core_desc, allow_cuda=_cuda_dispatch.available())
    B, width = batch.array.shape
    if width != size:
        what = f"num_edges = {graph.num_edges}" if weights_on == "edges" else f"num_nodes = {graph.num_nodes}"
        raise ValueError(f"weights must have {what} values per instance (weights_on={weights_on!r}), got {width}")
    src = endpoints(source, "source", B, graph.num_nodes, 0)
    dst = endpoints(target, "target", B, graph.num_nodes, graph.num_nodes - 1)
    if batch.on_cuda:
        return _on_cuda(graph, batch, weights_on, src, dst, return_cost)
    w = edge_weights(graph, batch, weights_on)
    init = None
    if weights_on == "nodes":  # the source's own weight starts its label: checked like the edges' weights
        init = np.ascontiguousarray(batch.array[np.arange(B), src])
        if not (np.isfinite(init).all() and (graph.is_dag or (init >= 0).all())):
            b = int(np.flatnonzero(~(np.isfinite(init) & ((init >= 0) | graph.is_dag)))[0])
            raise ValueError(f"weights must be finite, and non-negative on a graph with a cycle "
                             f"(instance {b}: {init[b]} on its source node {int(src[b])})")
    item = w.dtype.itemsize
    check_workspace(float(B) * graph.num_edges * item * 2 + 64.0 * graph.num_nodes * item, "weights")
    mask, cost, status = _native.core().graph_shortest_path(graph.native, w, src, dst, init)
    if status.max() >= _STATUS_BAD:
        _raise_for_status(graph, batch, w, status)
    mask = _to_user_mask(graph, mask, weights_on, src, cost)
    out = batch.out(mask)
    return (out, batch.out(cost)) if return_cost else out


def _without_edges(graph: Graph, weights: Any, source: Any, target: Any, return_cost: bool) -> Any:
    """Edge weights ``[0]`` / ``[B, 0]`` of a graph with no edge: cost 0 where source == target, else +inf."""
    torch_in = hasattr(weights, "detach") and hasattr(weights, "dtype")
    shape = tuple(weights.shape) if torch_in else np.asarray(weights).shape
    dtype = str(weights.dtype).replace("torch.", "")
    if dtype not in ("float32", "float64"):
        raise TypeError(f"weights must have dtype float32 or float64, got {dtype}")
    if len(shape) not in (1, 2) or shape[-1] != 0:
        raise ValueError(f"weights must have shape [E] or [B, E] with E = num_edges = 0, got shape {shape}")
    B = shape[0] if len(shape) == 2 else 1
    src = endpoints(source, "source", B, graph.num_nodes, 0)
    dst = endpoints(target, "target", B, graph.num_nodes, graph.num_nodes - 1)
    cost = np.where(src == dst, 0.0, np.inf).astype(dtype)
    mask = np.zeros(shape, dtype)
    if len(shape) == 1:
        cost = cost[0]
    if torch_in:
        import torch

        mask_t, cost_t = torch.from_numpy(mask).to(weights.device), torch.as_tensor(cost).to(weights.device)
        return (mask_t, cost_t) if return_cost else mask_t
    return (mask, cost) if return_cost else mask


def _on_cuda(graph: Graph, batch: Batch, weights_on: str, src: np.ndarray, dst: np.ndarray, return_cost: bool):
    """The CUDA kernel (one thread per instance) on a CUDA batch; the masks stay on the device."""
    import torch

    a = batch.array
    if not bool(torch.isfinite(a).all()):
        raise ValueError("weights must be finite (found NaN or inf)")
    if not graph.is_dag and bool((a < 0).any()):
        raise ValueError("weights must be non-negative on a graph with a cycle; on a DAG any sign is allowed")
    dev = a.device
    if weights_on == "nodes":
        w = a.index_select(1, torch.from_numpy(graph.indices.astype(np.int64)).to(dev)).contiguous()
        init = a[torch.arange(a.shape[0], device=dev), torch.from_numpy(src.astype(np.int64)).to(dev)].contiguous()
    else:
        order = graph.edge_order
        w = a if order is None else a.index_select(1, torch.from_numpy(order).to(dev)).contiguous()
        init = None
    check_workspace(float(w.numel()) * w.element_size() * 2 + 17.0 * graph.num_nodes * a.shape[0], "weights")
    mask, cost = _cuda_dispatch.graph_shortest_path(graph, w, src, dst, init)
    infinite = torch.nonzero(~torch.isfinite(cost)).flatten().cpu().numpy()
    if infinite.size:  # unreachable (fine) or an overflow (an error): the CPU solver tells which
        _, _, status = _native.core().graph_shortest_path(graph.native, w[infinite].cpu().numpy(), src[infinite],
                                                           dst[infinite], None if init is None else init[infinite].cpu().numpy())
        _raise_for_status(graph, batch, w[infinite].cpu().numpy(), status)
    if weights_on == "nodes":
        nodes = torch.zeros(a.shape, dtype=a.dtype, device=dev)
        rows, cols = torch.nonzero(mask, as_tuple=True)
        nodes[rows, torch.from_numpy(graph.indices.astype(np.int64)).to(dev)[cols]] = 1
        reached = torch.isfinite(cost)
        nodes[reached, torch.from_numpy(src.astype(np.int64)).to(dev)[reached]] = 1
        mask = nodes
    elif graph.edge_order is not None:
        out = torch.empty_like(mask)
        out[:, torch.from_numpy(graph.edge_order).to(dev)] = mask
        mask = out
    out_mask = batch.out(mask)
    return (out_mask, batch.out(cost)) if return_cost else out_mask


def _to_user_mask(graph: Graph, mask: np.ndarray, weights_on: str, src: np.ndarray, cost: np.ndarray) -> np.ndarray:
    """The native mask (CSR positions) in the user's numbering, or as a node mask."""
    if weights_on == "nodes":
        nodes = np.zeros((mask.shape[0], graph.num_nodes), mask.dtype)
        rows, cols = np.nonzero(mask)
        nodes[rows, graph.indices[cols]] = 1
        reached = np.isfinite(cost)
        nodes[np.flatnonzero(reached), src[reached]] = 1
        return nodes
    return to_user(graph, mask)


def _raise_for_status(graph: Graph, batch: Batch, w: np.ndarray, status: np.ndarray) -> None:
    bad = np.flatnonzero(status == _STATUS_BAD)
    if bad.size:
        b = int(bad[0])
        row = w[b]
        if not np.isfinite(row).all():
            raise ValueError(f"weights must be finite (instance {b} has NaN or inf)")
        k = int(np.argmin(row))
        e = k if graph.edge_order is None else int(graph.edge_order[k])
        raise ValueError(
            f"weights must be non-negative on a graph with a cycle (instance {b}: {row[k]} on edge {e}, "
            f"{int(graph.src[e])} -> {int(graph.dst[e])}); on a DAG any sign is allowed"
        )
    over = np.flatnonzero(status == _STATUS_OVERFLOW)
    if over.size:
        dtype = str(batch.dtype)
        fix = "scale the weights down" + (" or use float64" if dtype == "float32" else "")
        raise ValueError(f"weights: a path cost overflows {dtype} (instance {int(over[0])}); {fix}")

"""Batched shortest path: vertex-weighted grids, and any directed graph (``shortest_path(graph, weights)``)."""
from __future__ import annotations

from typing import Any

import numpy as np

from bigrad import _native
from bigrad._arrays import Batch, as_batch, check_int, check_values
from bigrad._limits import check_workspace
from bigrad._typing import ArrayT
from bigrad.graphs import GRID_DIRECTIONS, Graph
from bigrad.solvers import _cuda_dispatch
from bigrad.solvers.graph_shortest_path import graph_shortest_path

__all__ = ["shortest_path", "grid_shortest_path", "GRID_DIRECTIONS"]

_FLOATS = (np.dtype(np.float32), np.dtype(np.float64))

def shortest_path(*args: Any, **kwargs: Any) -> Any:
    """Minimum-cost paths, batched: on a grid, or on a general directed graph.

    ``shortest_path(weights[B, H, W], neighbourhood=8, return_cost=False,
    return_edges=False)``: the grid form (see :func:`grid_shortest_path`).

    ``shortest_path(graph, weights[B, E], *, source=0, target=N - 1,
    weights_on="edges", return_cost=False)``: any directed graph given as a
    :class:`bigrad.graphs.Graph` (see
    :func:`bigrad.solvers.graph_shortest_path.graph_shortest_path`).
    """
    first = args[0] if args else kwargs.get("graph")
    if isinstance(first, Graph) or "graph" in kwargs:
        return graph_shortest_path(*args, **kwargs)
    return grid_shortest_path(*args, **kwargs)


def grid_shortest_path(
    weights: ArrayT, neighbourhood: int = 8, return_cost: bool = False, return_edges: bool = False
) -> ArrayT | tuple[ArrayT, ...]:
    """Minimum-cost path from the top-left to the bottom-right cell of a grid.

    The cost of a path is the sum of the vertex weights of all the cells it
    visits, both ends included; moves go to the 8 (or 4) neighbouring cells.

    Args:
        weights: ``[H, W]`` or ``[B, H, W]`` non-negative finite weights,
            float32 or float64, numpy array or torch tensor (kept on its device:
            the CUDA kernel runs there; a CUDA input to a build without
            ``bigrad._cuda`` raises ValueError saying how to rebuild).
        neighbourhood: 8 (king moves) or 4 (rook moves).
        return_cost: also return the path cost, shape ``[]`` or ``[B]``.
        return_edges: also return the move indicator ``[..., H, W, K]``:
            entry ``[i, j, k]`` is 1 when the path leaves cell ``(i, j)`` in
            direction ``GRID_DIRECTIONS[neighbourhood][k]``.

    Returns:
        The path mask (same shape and dtype as ``weights``, 1 on the path,
        0 elsewhere), or a tuple ``(mask, cost?, edges?)`` when extra outputs
        are requested, in that order. Ties between equal-cost paths are broken
        deterministically (the same answer on every run, thread count and device).
    """
    if type(neighbourhood) is not int or neighbourhood not in (4, 8):
        neighbourhood = check_int(neighbourhood, "neighbourhood", choices=(4, 8))
    if type(weights) is np.ndarray and weights.ndim == 3 and weights.dtype in _FLOATS and weights.flags.c_contiguous:
        # the common case in few Python steps (each costs microseconds when the caches are cold)
        if weights.size:
            batch = Batch(weights, True)
            mask, cost, edges = solve(weights, neighbourhood, bool(return_edges), False, "weights",
                                      on_invalid=lambda: check_values(batch, "weights"))
            return _pack(batch, mask, cost if return_cost else None, edges if return_edges else None)
    _cuda_dispatch.require_module(weights, "weights", "shortest_path")
    batch = as_batch(weights, "weights", 2, "[H, W]", allow_cuda=_cuda_dispatch.available())
    if batch.on_cuda:  # the CPU kernels check the values while they read them (one pass over the input)
        check_values(batch, "weights")
    mask, cost, edges = solve(batch.array, neighbourhood, bool(return_edges), batch.on_cuda, "weights",
                              on_invalid=lambda: check_values(batch, "weights"))
    return _pack(batch, mask, cost if return_cost else None, edges if return_edges else None)


def solve(array, neighbourhood: int, want_edges: bool, on_cuda: bool, name: str, on_invalid=None):
    """Checked native solve of a contiguous ``[B, H, W]`` batch: ``(mask, cost, edges | None)``.

    Raises ``MemoryError`` (naming ``name``) when the outputs and workspace
    exceed ``bigrad.set_memory_limit``, and ``ValueError`` when a path cost
    overflows the dtype (the kernels then return +inf and an empty mask) or a
    weight is negative or not finite (the CPU kernels return NaN; ``on_invalid()``
    may raise a more precise error first).
    """
    B, H, W = array.shape
    item = array.element_size() if on_cuda else array.dtype.itemsize
    outputs = B * H * W * item * (1 + (neighbourhood if want_edges else 0)) + B * item
    if on_cuda:
        work = _native.cuda().shortest_path_workspace_bytes(B, H, W, item)
        check_workspace(outputs + work, name)
        mask, cost, edges = _cuda_dispatch.shortest_path(array, neighbourhood, want_edges)
        overflow = bool((cost == float("inf")).any())
    else:
        core = _native.core()
        check_workspace(outputs + core.shortest_path_workspace_bytes(B, H, W, item), name)
        mask, cost, edges, status = core.shortest_path(array, neighbourhood, want_edges)
        overflow = status != 0
        if status == 2:  # a NaN cost: invalid weights
            if on_invalid is not None:
                on_invalid()
            raise ValueError(f"{name} must be finite and non-negative (instance {int(np.isnan(cost).argmax())})")
    if overflow:
        dtype = str(array.dtype).replace("torch.", "")
        fix = "scale the weights down" + (" or use float64" if dtype == "float32" else "")
        raise ValueError(f"{name}: a path cost overflows {dtype} (the cheapest path's sum of weights is not finite); {fix}")
    return mask, cost, edges


def _pack(batch, first, *extras):
    """Return ``first`` alone or with the requested extras (None entries are left out)."""
    outs = [batch.out(first)] + [batch.out(e) for e in extras if e is not None]
    return outs[0] if len(outs) == 1 else tuple(outs)

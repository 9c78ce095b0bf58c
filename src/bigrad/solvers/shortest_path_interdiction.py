"""Shortest path with interdiction: vertex-weighted grids (paper Sec. 5.3), and any directed graph."""
from __future__ import annotations

from typing import Any

import numpy as np

from bigrad import _native
from bigrad._arrays import as_batch, check_int, check_pair, check_values
from bigrad._limits import check_workspace
from bigrad._typing import ArrayT
from bigrad.graphs import Graph
from bigrad.solvers import _cuda_dispatch
from bigrad.solvers.graph_interdiction import graph_shortest_path_interdiction

__all__ = ["shortest_path_interdiction", "grid_shortest_path_interdiction"]

# budgets are C ints in the native loop; no grid path is that long
_BUDGET_LIMIT = 2**31 - 1


def shortest_path_interdiction(*args: Any, **kwargs: Any) -> tuple:
    """Shortest path with interdiction, batched: on a grid, or on a general directed graph.

    ``shortest_path_interdiction(z[B, H, W], w, budget, neighbourhood=8,
    return_cost=False)``: the grid form (see :func:`grid_shortest_path_interdiction`).

    ``shortest_path_interdiction(graph, z[B, E], w[B, E], budget, *, source=0,
    target=N - 1, return_cost=False, order="path-first")``: any directed graph
    given as a :class:`bigrad.graphs.Graph`, either player first (see
    :func:`bigrad.solvers.graph_interdiction.graph_shortest_path_interdiction`).
    """
    first = args[0] if args else kwargs.get("graph")
    if isinstance(first, Graph) or "graph" in kwargs:
        return graph_shortest_path_interdiction(*args, **kwargs)
    return grid_shortest_path_interdiction(*args, **kwargs)


def grid_shortest_path_interdiction(
    z: ArrayT, w: ArrayT, budget: int, neighbourhood: int = 8, return_cost: bool = False
) -> tuple[ArrayT, ...]:
    """Solve ``min_y max_x <z + x * w, y>`` over grid paths y and interdictions x.

    ``y`` is a top-left to bottom-right path (vertex indicator, as in
    :func:`bigrad.solvers.shortest_path`), ``x`` a binary mask of at most
    ``budget`` cells whose cost rises from ``z`` to ``z + w``. The path player
    moves first; the interdictor answers with the ``budget`` cells of the path
    with the largest ``w``. Solved exactly by the oracle loop of
    :func:`bigrad.solvers.min_max_min` (same rounds, same tie rules) with the
    grid shortest path as oracle, run natively per instance: on the CPU by
    the batch thread pool, on a CUDA device (``bigrad._cuda`` built) in one
    kernel launch, one thread per instance, with no host synchronisation
    between oracle calls. Both run the same code and agree to the bit.

    Args:
        z: ``[H, W]`` or ``[B, H, W]`` non-negative path costs (float32/float64, numpy or torch).
        w: same shape and dtype as ``z``, non-negative interdiction costs
            (the paper uses ``w = 1``).
        budget: int >= 0, the number of cells the interdictor may block.
        neighbourhood: 8 or 4.
        return_cost: also return the game value ``<z + x * w, y>`` (``[]`` or ``[B]``).

    Returns:
        ``(path_mask, interdiction_mask)`` (and the value when requested), each
        shaped like ``z``. The interdiction mask only marks cells on the path
        with ``w > 0``; ties go to the lower row-major index.
    """
    neighbourhood = check_int(neighbourhood, "neighbourhood", choices=(4, 8))
    budget = check_int(budget, "budget", minimum=0)
    if budget > _BUDGET_LIMIT:
        raise ValueError(f"budget must be <= {_BUDGET_LIMIT}, got {budget}")
    _cuda_dispatch.require_module(z, "z", "shortest_path_interdiction")
    _cuda_dispatch.require_module(w, "w", "shortest_path_interdiction")
    cuda = _cuda_dispatch.available()
    zb = as_batch(z, "z", 2, "[H, W]", allow_cuda=cuda)
    wb = as_batch(w, "w", 2, "[H, W]", allow_cuda=cuda)
    check_pair(zb, wb, "z", "w")
    check_values(zb, "z")
    check_values(wb, "w")
    B, H, W = zb.array.shape
    if zb.on_cuda:  # the whole loop in one launch, no host synchronisation until the overflow check
        y, x, value = _cuda_dispatch.shortest_path_interdiction(zb.array, wb.array, budget, neighbourhood, "z")
        overflow = bool(_has_inf(value))
    else:
        core = _native.core()
        per_thread = core.shortest_path_interdiction_workspace_bytes(H, W, zb.array.dtype.itemsize)
        check_workspace(per_thread * min(B, _native.get_num_threads()), "z", "interdiction workspace")
        y, x, value = core.shortest_path_interdiction(zb.array, wb.array, budget, neighbourhood)
        overflow = not np.isfinite(value).all()
    if overflow:
        fix = "scale z and w down" + (" or use float64" if zb.dtype == np.float32 else "")
        raise ValueError(f"z + w: a path cost overflows {zb.dtype} (the cheapest path's sum of costs is not finite); {fix}")
    outs = (zb.out(y), zb.out(x))
    return outs + (zb.out(value),) if return_cost else outs


def _has_inf(t) -> bool:
    """Whether a torch tensor holds an infinity (one host synchronisation)."""
    import torch

    return bool(torch.isinf(t).any())

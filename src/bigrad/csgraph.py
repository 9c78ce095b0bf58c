"""A drop-in for ``scipy.sparse.csgraph.dijkstra``, natively threaded, plus batched weights.

``from bigrad.csgraph import dijkstra`` takes scipy's arguments and returns
scipy's results: float64 distances equal to scipy's to the last bit (both sum
the weights from the source outwards along the path), predecessors that form
valid shortest paths (where several paths tie, the one chosen may differ from
scipy's, as it may between scipy versions), ``-9999`` for none. Sources run
in parallel on :func:`bigrad.set_num_threads` threads.

Beyond scipy: ``weights=[B, nnz]`` solves one structure (the graph's stored
entries, in CSR order) under B weight vectors in one call; the outputs gain a
leading batch axis. Negative weights raise ``ValueError`` (scipy only warns
and may return wrong distances).
"""
from __future__ import annotations

from typing import Any

import numpy as np

from bigrad import _native
from bigrad._arrays import check_tensor_data, is_torch_tensor
from bigrad._limits import check_workspace
from bigrad.graphs import Graph, as_csr

__all__ = ["dijkstra"]

_NONE = -9999


def _structure(csgraph: Any, directed: bool) -> tuple[Graph, np.ndarray]:
    """The graph and its ``[nnz]`` float64 entries (each stored entry is an edge; dense: non-zero finite entries)."""
    csr = as_csr(csgraph)
    data = np.asarray(csr.data, dtype=np.float64)
    if directed:
        return Graph(csr.indptr, csr.indices, csr.shape[0]), data
    return Graph.from_scipy(csr, directed=False), np.concatenate([data, data])


def _sources(indices: Any, n: int) -> tuple[np.ndarray, bool]:
    """``[S]`` int32 sources and whether ``indices`` was a scalar."""
    if indices is None:
        return np.arange(n, dtype=np.int32), False
    a = np.asarray(indices)
    if a.dtype.kind not in "iu":
        raise TypeError(f"indices must be an int or integer array, got dtype {a.dtype}")
    scalar = a.ndim == 0
    a = a.reshape(-1).astype(np.int64)
    if a.size and (a.min() < -n or a.max() >= n):
        raise ValueError(f"indices must lie in [0, N = {n}), got {int(a[(a < -n) | (a >= n)][0])}")
    a = np.where(a < 0, a + n, a)  # scipy accepts negative indices, counted from the end
    return a.astype(np.int32), scalar


def _batch_weights(weights: Any, data: np.ndarray, directed: bool) -> tuple[np.ndarray, bool]:
    """``[B, E]`` float64 edge weights and whether a batch axis was given."""
    if weights is None:
        return data[None], False
    if is_torch_tensor(weights):
        check_tensor_data(weights, "weights")  # meta or sparse tensors: an error naming the argument
        weights = weights.detach().cpu().resolve_neg().resolve_conj().numpy()
    try:
        w = np.asarray(weights)
    except (ValueError, TypeError) as exc:
        raise TypeError(f"weights must be a numeric array, got {type(weights).__name__} ({exc})") from exc
    if w.dtype.kind not in "biuf":
        raise TypeError(f"weights must hold numbers, got dtype {w.dtype}")
    nnz = data.size if directed else data.size // 2
    if w.ndim not in (1, 2) or w.shape[-1] != nnz:
        raise ValueError(f"weights must have shape [nnz] or [B, nnz] with nnz = {nnz}, got shape {w.shape}")
    batched = w.ndim == 2
    w = np.atleast_2d(w).astype(np.float64)
    if not directed:
        w = np.concatenate([w, w], axis=1)
    return np.ascontiguousarray(w), batched


def dijkstra(csgraph: Any, directed: bool = True, indices: Any = None, return_predecessors: bool = False,
             unweighted: bool = False, limit: float = np.inf, min_only: bool = False, *, weights: Any = None) -> Any:
    """Shortest-path distances by Dijkstra's algorithm, as ``scipy.sparse.csgraph.dijkstra``.

    Args:
        csgraph: ``[N, N]`` scipy sparse matrix or array (every stored entry is
            an edge, explicit zeros included) or dense array (non-zero finite
            entries are edges).
        directed, indices, return_predecessors, unweighted, limit, min_only: as in scipy.
        weights: optional ``[nnz]`` or ``[B, nnz]`` edge weights replacing the
            stored values (the entries in CSR order: ``csgraph.tocsr().data``'s order).

    Returns:
        ``dist`` ``[S, N]`` (``[N]`` for a scalar ``indices`` or ``min_only``),
        with ``predecessors`` alike (int32) when ``return_predecessors``, and
        ``sources`` ``[N]`` when also ``min_only``. With a ``[B, nnz]``
        ``weights`` every output has a leading ``[B]`` axis.
    """
    graph, data = _structure(csgraph, bool(directed))
    n = graph.num_nodes
    src, scalar = _sources(indices, n)
    limit = float(limit)
    if not limit >= 0:
        raise ValueError(f"limit must be >= 0, got {limit}")
    w, batched = _batch_weights(weights, data, bool(directed))
    if unweighted:
        w = np.ones_like(w)
    if graph.edge_order is not None:  # the native solver walks the edges in CSR order
        w = np.ascontiguousarray(w[:, graph.edge_order])
    B, S = w.shape[0], src.size
    rows = 1 if min_only else S
    check_workspace(float(B) * rows * n * 12 + float(B) * n * 4, "csgraph")
    if S == 0:
        out = np.zeros((B, rows, n))
        found = (out, np.full(out.shape, _NONE, np.int32), np.full((B, n), _NONE, np.int32))
    else:
        found = _native.core().graph_dijkstra(graph.native_out, w, src, bool(min_only), limit)
        if found is None:
            b, k = np.argwhere(~(w >= 0))[0]
            u, v = int(np.searchsorted(graph.indptr, k, side="right") - 1), int(graph.indices[k])
            what = "weights" if weights is not None else "csgraph"
            raise ValueError(
                f"{what} must be non-negative and not NaN (found {w[b, k]} on edge {u} -> {v}); "
                "for negative weights use scipy's bellman_ford or johnson"
            )
    dist, pred, origin = found
    if min_only or scalar:
        dist, pred = dist[:, 0], pred[:, 0]
    if not batched:
        dist, pred, origin = dist[0], pred[0], origin[0]
    if not return_predecessors:
        return dist
    return (dist, pred, origin) if min_only else (dist, pred)

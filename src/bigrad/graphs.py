"""Graph structures for the solvers: an immutable directed graph in CSR form.

A :class:`Graph` holds only the structure; the weights of a batch of instances
come with each solver call (``weights[B, E]`` on the edges, or ``[B, N]`` on
the nodes), so one graph serves any number of weight vectors.

Edges are numbered as the user gave them: by the CSR's stored entries for
:meth:`Graph.from_scipy` (explicit zeros are edges, as in
``scipy.sparse.csgraph``), by position in ``src``/``dst`` for
:meth:`Graph.from_edges`. Internally the solvers walk the edges grouped by
tail (the out-edge CSR) and by head (the in-edge CSR); both are derived once
and cached.
"""
from __future__ import annotations

import copy
from functools import cached_property
from typing import Any

import numpy as np

__all__ = ["Graph", "GRID_DIRECTIONS"]

#: (row step, column step) of direction k, for ``neighbourhood`` 8 and 4; the
#: last axis of the ``return_edges`` output follows this order.
GRID_DIRECTIONS = {
    8: ((-1, -1), (-1, 0), (-1, 1), (0, -1), (0, 1), (1, -1), (1, 0), (1, 1)),
    4: ((-1, 0), (0, -1), (0, 1), (1, 0)),
}

_MAX_INDEX = 2**31 - 1


def _index_array(x: Any, name: str) -> np.ndarray:
    """A 1-D integer array (numpy, torch or array-like), as int64."""
    if hasattr(x, "detach") and hasattr(x, "cpu"):
        x = x.detach().cpu().numpy()
    a = np.asarray(x)
    if a.ndim != 1:
        raise ValueError(f"{name} must be 1-D, got shape {a.shape}")
    if a.size and a.dtype.kind not in "iu":
        raise TypeError(f"{name} must hold integers, got dtype {a.dtype}")
    return a.astype(np.int64, copy=False)


def _frozen(a: np.ndarray) -> np.ndarray:
    a = np.ascontiguousarray(a)
    a.setflags(write=False)
    return a


class Graph:
    """An immutable directed graph: CSR ``indptr [N + 1]``, ``indices [E]`` (heads), ``num_nodes`` N.

    Build one with :meth:`from_scipy`, :meth:`from_edges` or :meth:`grid`.
    Edge ``e`` runs from its tail ``src[e]`` to its head ``dst[e]``; the CSR
    lists the edges of node ``u`` at positions ``indptr[u]:indptr[u + 1]``
    (``edge_order`` maps those positions to the user's edge numbers when the
    edges were not given grouped by tail).
    """

    def __init__(self, indptr: Any, indices: Any, num_nodes: int | None = None, *, edge_order: Any = None,
                 device: Any = "cpu") -> None:
        indptr = _index_array(indptr, "indptr")
        indices = _index_array(indices, "indices")
        if indptr.size == 0:
            raise ValueError("indptr must have num_nodes + 1 entries, got an empty array")
        n = indptr.size - 1 if num_nodes is None else _check_count(num_nodes, "num_nodes")
        if indptr.size != n + 1:
            raise ValueError(f"indptr must have num_nodes + 1 = {n + 1} entries, got {indptr.size}")
        if n > _MAX_INDEX or indices.size > _MAX_INDEX:
            raise ValueError(f"graph too large: at most {_MAX_INDEX} nodes and edges, got {n} and {indices.size}")
        if indptr[0] != 0 or indptr[-1] != indices.size or (np.diff(indptr) < 0).any():
            raise ValueError(
                f"indptr must start at 0, never decrease and end at len(indices) = {indices.size}, "
                f"got {indptr[0]} .. {indptr[-1]}"
            )
        if indices.size and (indices.min() < 0 or indices.max() >= n):
            bad = int(np.flatnonzero((indices < 0) | (indices >= n))[0])
            raise ValueError(f"indices must lie in [0, num_nodes = {n}), got {int(indices[bad])} at position {bad}")
        self._indptr = _frozen(indptr)
        self._indices = _frozen(indices.astype(np.int32))
        self._n = int(n)
        if edge_order is not None:
            edge_order = _frozen(_index_array(edge_order, "edge_order"))
            if edge_order.size != indices.size or not np.array_equal(np.sort(edge_order), np.arange(indices.size)):
                raise ValueError("edge_order must be a permutation of the edges")
        self._edge_order = edge_order
        self._device = device

    # ---- constructors -------------------------------------------------------------------------
    @classmethod
    def from_scipy(cls, csgraph: Any, directed: bool = True) -> Graph:
        """The graph of a square scipy sparse matrix (or dense array, where non-zero finite entries are edges).

        Edges are the stored entries in CSR order (explicit zeros included, as
        in ``scipy.sparse.csgraph``), so ``csr.data`` is a valid edge-weight
        vector. ``directed=False`` adds the reverse of every entry: edges
        ``E .. 2E - 1`` are the entries again, from head to tail, and the
        weights are then ``np.concatenate([csr.data, csr.data])``.
        """
        csr = as_csr(csgraph)
        if directed:
            return cls(csr.indptr, csr.indices, csr.shape[0])
        n = csr.shape[0]
        rows = np.repeat(np.arange(n), np.diff(csr.indptr))
        return cls.from_edges(np.concatenate([rows, csr.indices]), np.concatenate([csr.indices, rows]), n)

    @classmethod
    def from_edges(cls, src: Any, dst: Any, num_nodes: int) -> Graph:
        """The graph with edges ``src[e] -> dst[e]`` (``[E]`` each), numbered by position.

        Edges need not be grouped by tail; when they are (``src``
        non-decreasing), no reordering is needed at solve time.
        """
        n = _check_count(num_nodes, "num_nodes")
        src = _index_array(src, "src")
        dst = _index_array(dst, "dst")
        if src.size != dst.size:
            raise ValueError(f"src and dst must have the same length, got {src.size} and {dst.size}")
        for name, a in (("src", src), ("dst", dst)):
            if a.size and (a.min() < 0 or a.max() >= n):
                bad = int(np.flatnonzero((a < 0) | (a >= n))[0])
                raise ValueError(f"{name} must lie in [0, num_nodes = {n}), got {int(a[bad])} at position {bad}")
        order = np.argsort(src, kind="stable")
        indptr = np.zeros(n + 1, np.int64)
        np.cumsum(np.bincount(src, minlength=n), out=indptr[1:])
        sorted_already = bool((np.diff(src) >= 0).all())
        return cls(indptr, dst[order], n, edge_order=None if sorted_already else order)

    @classmethod
    def grid(cls, rows: int, cols: int, neighbourhood: int = 8, arcs: str = "both") -> Graph:
        """The ``rows x cols`` grid graph; node ``r * cols + c`` is cell ``(r, c)``.

        ``neighbourhood`` 8 (king moves) or 4 (rook moves); ``arcs="both"``
        links neighbours both ways, ``"right-down"`` only towards larger row or
        column (a DAG: right, down, and with 8 the down-right diagonal).
        Edges are grouped by tail, each node's in the order of
        :data:`GRID_DIRECTIONS` (row step, column step).
        """
        rows = _check_count(rows, "rows", minimum=1)
        cols = _check_count(cols, "cols", minimum=1)
        if neighbourhood not in (4, 8) or isinstance(neighbourhood, bool):
            raise ValueError(f"neighbourhood must be 4 or 8, got {neighbourhood!r}")
        if arcs not in ("both", "right-down"):
            raise ValueError(f"arcs must be 'both' or 'right-down', got {arcs!r}")
        steps = [d for d in GRID_DIRECTIONS[neighbourhood] if arcs == "both" or (d[0] >= 0 and d[1] >= 0)]
        r, c = np.divmod(np.arange(rows * cols), cols)
        heads = []
        for dr, dc in steps:
            rr, cc = r + dr, c + dc
            ok = (rr >= 0) & (rr < rows) & (cc >= 0) & (cc < cols)
            heads.append(np.where(ok, rr * cols + cc, -1))
        table = np.stack(heads, axis=1)  # [N, K], -1 where the move leaves the grid
        keep = table >= 0
        indptr = np.zeros(rows * cols + 1, np.int64)
        np.cumsum(keep.sum(axis=1), out=indptr[1:])
        return cls(indptr, table[keep], rows * cols)

    # ---- structure ----------------------------------------------------------------------------
    @property
    def indptr(self) -> np.ndarray:
        """``[N + 1]`` int64: the edges of node ``u`` sit at CSR positions ``indptr[u]:indptr[u + 1]``."""
        return self._indptr

    @property
    def indices(self) -> np.ndarray:
        """``[E]`` int32: the head of the edge at each CSR position."""
        return self._indices

    @property
    def num_nodes(self) -> int:
        return self._n

    @property
    def num_edges(self) -> int:
        return int(self._indices.size)

    @property
    def device(self) -> Any:
        """Where the solvers return results for this graph (the structure itself lives on the host)."""
        return self._device

    @property
    def edge_order(self) -> np.ndarray | None:
        """``[E]``: the user's edge number at each CSR position, or None when they coincide."""
        return self._edge_order

    @cached_property
    def src(self) -> np.ndarray:
        """``[E]`` int32 tails, in the user's edge numbering."""
        return _frozen(self._to_user(self.tails))

    @cached_property
    def dst(self) -> np.ndarray:
        """``[E]`` int32 heads, in the user's edge numbering."""
        return _frozen(self._to_user(self._indices))

    def _to_user(self, per_position: np.ndarray) -> np.ndarray:
        if self._edge_order is None:
            return per_position
        out = np.empty_like(per_position)
        out[self._edge_order] = per_position
        return out

    @cached_property
    def topological_order(self) -> np.ndarray | None:
        """``[N]`` int32 nodes in a topological order, or None when the graph has a directed cycle.

        Kahn's algorithm by levels: the nodes without remaining in-edges, in
        increasing index, then those they free, and so on.
        """
        indeg = np.bincount(self._indices, minlength=self._n)
        indptr, indices = self._indptr, self._indices
        levels = []
        frontier = np.flatnonzero(indeg == 0)
        while frontier.size:
            levels.append(frontier)
            starts, stops = indptr[frontier], indptr[frontier + 1]
            lengths = stops - starts
            positions = np.repeat(stops - np.cumsum(lengths), lengths) + np.arange(int(lengths.sum()))
            heads = indices[positions]
            indeg -= np.bincount(heads, minlength=self._n)
            touched = np.unique(heads)
            frontier = touched[indeg[touched] == 0]
        order = np.concatenate(levels) if levels else np.zeros(0, np.int64)
        if order.size < self._n:
            return None
        return _frozen(order.astype(np.int32))

    @property
    def is_dag(self) -> bool:
        """Whether the graph has no directed cycle (self-loops count as cycles)."""
        return self.topological_order is not None

    @cached_property
    def tails(self) -> np.ndarray:
        """``[E]`` int32: the tail of the edge at each CSR position."""
        return _frozen(np.repeat(np.arange(self._n, dtype=np.int32), np.diff(self._indptr)))

    @property
    def native_out(self) -> tuple:
        """The out-edge structure alone, ``(indptr, indices, tails)``: what Dijkstra needs."""
        return (self._indptr, self._indices, self.tails)

    @cached_property
    def native(self) -> tuple:
        """The structure arrays the native solvers take: the out-edge CSR ``(indptr, indices)``, the tail
        of each CSR position, a topological order or None, and the in-edge CSR ``(in_ptr, in_src, in_eid)``."""
        tails = self.tails
        # CSR positions grouped by head, each head's in the order of the user's edge numbers (the tie rule's order)
        number = np.arange(self.num_edges) if self._edge_order is None else self._edge_order
        by_head = np.lexsort((number, self._indices))
        in_ptr = np.zeros(self._n + 1, np.int64)
        np.cumsum(np.bincount(self._indices, minlength=self._n), out=in_ptr[1:])
        return (self._indptr, self._indices, tails, self.topological_order, _frozen(in_ptr),
                _frozen(tails[by_head]), _frozen(by_head.astype(np.int64)))

    # ---- conversions --------------------------------------------------------------------------
    def to(self, device: Any) -> Graph:
        """This graph for solves whose weights live on ``device`` ('cpu', 'cuda', a torch.device).

        The structure is shared (it is immutable); only the device tag differs.
        """
        name = str(device)
        if name != "cpu" and not name.startswith("cuda"):
            raise ValueError(f"device must be 'cpu' or a CUDA device, got {device!r}")
        if name == str(self._device):
            return self
        g = copy.copy(self)
        g._device = device
        return g

    def to_scipy(self):
        """The graph as a ``scipy.sparse.csr_array`` with the user's edge numbers + 1 as values (0 would vanish)."""
        import scipy.sparse as sp

        data = np.arange(1, self.num_edges + 1, dtype=np.float64)
        if self._edge_order is not None:
            data = data[self._edge_order]
        return sp.csr_array((data, self._indices, self._indptr), shape=(self._n, self._n))

    def __repr__(self) -> str:
        return f"Graph(num_nodes={self._n}, num_edges={self.num_edges}, device={str(self._device)!r})"


def as_csr(csgraph: Any):
    """A square scipy CSR matrix of numbers from a scipy sparse matrix (its stored entries, explicit zeros
    included) or a dense array (its non-zero finite entries), as ``scipy.sparse.csgraph`` reads them."""
    import scipy.sparse as sp

    if sp.issparse(csgraph):
        csr = csgraph.tocsr()
    else:
        dense = np.asarray(csgraph)
        if dense.ndim != 2:
            raise ValueError(f"csgraph must be a square matrix, got shape {dense.shape}")
        if dense.dtype.kind not in "biuf":
            raise TypeError(f"csgraph must hold numbers, got dtype {dense.dtype}")
        dense = dense.astype(np.float64)
        csr = sp.csr_matrix(np.where(np.isfinite(dense), dense, 0.0))
    if csr.ndim != 2 or csr.shape[0] != csr.shape[1]:
        raise ValueError(f"csgraph must be a square matrix, got shape {csr.shape}")
    if csr.dtype.kind not in "biuf":
        raise TypeError(f"csgraph must hold numbers, got dtype {csr.dtype}")
    return csr


def _check_count(value: Any, name: str, minimum: int = 0) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name} must be an int, got {type(value).__name__}")
    if int(value) < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {int(value)}")
    return int(value)

"""PyEPO adapter: bigrad's exact solvers as PyEPO ``optModel`` subclasses.

PyEPO's training losses (``pyepo.func.SPOPlus``, ``blackboxOpt`` (DBB),
``perturbedFenchelYoung`` (PFYL), ...) call ``optmodel.setObj(c)`` and
``optmodel.solve()`` for every instance; with these models each call is one
native bigrad solve instead of an LP/MILP::

    import pyepo
    from bigrad.pyepo import ShortestPathModel

    optmodel = ShortestPathModel((12, 12))            # vertex-weighted, 8-neighbour grid
    spop = pyepo.func.SPOPlus(optmodel, processes=1)
    loss = spop(pred_cost, true_cost, true_sol, true_obj)   # costs [B, 144]

:class:`shortestPathModel` (PyEPO's class name) is PyEPO's own form of the grid
shortest path, a drop-in for ``pyepo.model.ort.shortestPathModel`` and its
Gurobi/Pyomo/COPT twins: edge costs on PyEPO's arcs (``self.arcs``), the same
``(sol, obj)``, solved exactly on a :class:`bigrad.graphs.Graph`.

Negative costs (SPO+ solves with ``2 * pred - true``, and PyEPO's noisy or
predicted costs can be negative):

- :class:`ShortestPathModel`: a path's cost is the sum of its *vertex* weights
  on a grid whose moves go both ways, so a negative weight makes the shortest
  walk unbounded (and the shortest simple path NP-hard). ``negative="clip"``
  (the default) solves with the costs clipped at 0 and reports the objective
  with the original costs; ``negative="raise"`` raises ``ValueError`` instead.
- :class:`shortestPathModel`: the arcs point right or down, so the graph is a
  DAG and any sign is solved exactly (one pass in topological order).
- :class:`TSPModel`: every tour has exactly ``n`` edges, so the costs are
  shifted by their minimum, which leaves the optimal tour unchanged; the
  objective uses the original costs. Exact for any sign.

Parameter names, bigrad vs PyEPO: bigrad's ``lam`` is PyEPO's ``lambd`` (DBB),
``num_samples`` is ``n_samples`` and ``sigma`` is ``sigma`` (perturbed losses).
"""
from __future__ import annotations

from itertools import combinations
from typing import Any

import numpy as np

from bigrad._optional import require
from bigrad.graphs import Graph
from bigrad.solvers import shortest_path, tsp

_pyepo_opt = require("pyepo.model.opt", "bigrad.pyepo")
_EPO = require("pyepo.EPO", "bigrad.pyepo")
_pyepo_utils = require("pyepo.utils", "bigrad.pyepo")

__all__ = ["ShortestPathModel", "shortestPathModel", "TSPModel", "grid_arcs"]


def _costs(c, n: int, name: str = "c") -> np.ndarray:
    """``c`` (list, numpy or torch, ``[n]``) as float64 numpy, checked."""
    if hasattr(c, "detach"):
        c = c.detach().cpu().numpy()
    a = np.asarray(c, dtype=np.float64).reshape(-1)
    if a.size != n:
        raise ValueError(f"{name} must have {n} costs, got {a.size}")
    if not np.isfinite(a).all():
        raise ValueError(f"{name} must be finite (found NaN or inf)")
    return a


#: PyEPO's base class (from the module require() imported: opaque to a type checker)
_OptModel: Any = _pyepo_opt.optModel


class _Model(_OptModel):
    """What bigrad's models share: the variables, float64 costs in ``self._c``, minimisation.

    A subclass sets its attributes, then calls :meth:`_start` with its variables.
    """

    def _start(self, variables: list) -> None:
        self._variables = variables
        self._c = np.zeros(len(variables))
        super().__init__()
        self.modelSense = _EPO.MINIMIZE

    def _getModel(self) -> tuple:
        return None, list(self._variables)

    def setObj(self, c) -> None:
        self._c = _costs(c, self.num_cost)


def _grid(grid) -> tuple[int, int]:
    """``(rows, cols)`` as two ints with at least 2 cells (ValueError naming ``grid`` otherwise)."""
    try:
        rows, cols = (int(v) for v in grid)
    except (TypeError, ValueError):
        raise ValueError(f"grid must be two positive ints (rows, cols), got {grid!r}") from None
    if rows < 1 or cols < 1 or rows * cols < 2:
        raise ValueError(f"grid must be two positive ints with at least 2 cells, got {tuple(grid)}")
    return rows, cols


def grid_arcs(grid: tuple[int, int]) -> list[tuple[int, int]]:
    """PyEPO's arcs of the ``rows x cols`` grid (``pyepo.model.utils._get_grid_arcs``), as ``(tail, head)``.

    Node ``r * cols + c`` is cell ``(r, c)``; row by row, the arcs to the right
    neighbour, then (except on the last row) the arcs to the cell below.
    """
    rows, cols = _grid(grid)
    arcs = []
    for r in range(rows):
        arcs += [(r * cols + c, r * cols + c + 1) for c in range(cols - 1)]
        if r < rows - 1:
            arcs += [(r * cols + c, (r + 1) * cols + c) for c in range(cols)]
    return arcs


class shortestPathModel(_Model):  # PyEPO's class name
    """PyEPO's grid shortest path in PyEPO's own form: edge costs on its arcs, solved exactly.

    A drop-in for ``pyepo.model.ort.shortestPathModel(grid)`` (and the
    Gurobi/Pyomo/COPT versions): the cost and solution vectors have one entry
    per arc of :attr:`arcs`, in PyEPO's order (:func:`grid_arcs`); the path runs
    from node 0 (top-left) to the last node (bottom-right). ``solve()`` returns
    ``(sol [num_cost] float64 0/1, obj float)``. The arcs point right or down,
    so the graph is a DAG and costs of any sign are exact.

    ``setObj`` converts the costs as PyEPO's own models do
    (``pyepo.utils.costToNumpy``: numpy arrays and lists to float32, torch
    tensors keep their dtype), so that ``(sol, obj)`` are PyEPO's; the solve
    and the objective are then computed in float64.

    Args:
        grid: ``(rows, cols)``.
    Attributes:
        grid, arcs: as in PyEPO. graph: the :class:`bigrad.graphs.Graph`, edges numbered as ``arcs``.
    """

    def __init__(self, grid: tuple[int, int]) -> None:
        self.grid = _grid(grid)
        self.arcs = grid_arcs(self.grid)
        src, dst = np.array(self.arcs, dtype=np.int64).T
        self.graph = Graph.from_edges(src, dst, self.grid[0] * self.grid[1])
        self._start(self.arcs)

    def setObj(self, c) -> None:
        super().setObj(_pyepo_utils.costToNumpy(c))

    def solve(self) -> tuple[np.ndarray, float]:
        sol = shortest_path(self.graph, self._c)
        return sol, float(self._c @ sol)


class ShortestPathModel(_Model):
    """Vertex-weighted grid shortest path, top-left to bottom-right, as a PyEPO model.

    Costs and solutions are vectors of ``rows * cols`` entries, one per cell in
    row-major order; the path's cost is the sum of the weights of the cells it
    visits, both ends included (:func:`bigrad.solvers.shortest_path`).

    Args:
        grid: ``(rows, cols)``.
        neighbourhood: 8 (king moves, the Warcraft benchmark) or 4.
        negative: ``"clip"`` or ``"raise"``: what to do with negative costs (see the module doc).
    """

    def __init__(self, grid: tuple[int, int], neighbourhood: int = 8, negative: str = "clip") -> None:
        rows, cols = _grid(grid)
        if neighbourhood not in (4, 8):
            raise ValueError(f"neighbourhood must be 4 or 8, got {neighbourhood}")
        if negative not in ("clip", "raise"):
            raise ValueError(f"negative must be 'clip' or 'raise', got {negative!r}")
        self.grid, self.neighbourhood, self.negative = (rows, cols), neighbourhood, negative
        self._start(list(range(rows * cols)))

    def solve(self) -> tuple[np.ndarray, float]:
        c = self._c
        if (c < 0).any():
            if self.negative == "raise":
                raise ValueError(f"c must be non-negative for the grid shortest path (found {c.min():.6g}); "
                                 "use negative='clip' to solve with the costs clipped at 0")
            c = np.maximum(c, 0.0)
        mask = shortest_path(c.reshape(self.grid), self.neighbourhood).reshape(-1)
        return mask, float(self._c @ mask)


class TSPModel(_Model):
    """Exact symmetric TSP (:func:`bigrad.solvers.tsp`) as a PyEPO model.

    Costs and solutions are vectors over the undirected edges ``(i, j)``,
    ``i < j``, in ``itertools.combinations`` order (PyEPO's TSP convention,
    ``self.edges``); the solution marks the tour's ``num_nodes`` edges.
    """

    def __init__(self, num_nodes: int) -> None:
        n = int(num_nodes)
        if n < 3:
            raise ValueError(f"num_nodes must be >= 3, got {num_nodes}")
        self.num_nodes = n
        self.nodes = list(range(n))
        self.edges = list(combinations(self.nodes, 2))
        self._i, self._j = (np.array(v) for v in zip(*self.edges))
        self._start(self.edges)

    def solve(self) -> tuple[np.ndarray, float]:
        d = np.zeros((self.num_nodes, self.num_nodes))
        d[self._i, self._j] = d[self._j, self._i] = self._c - self._c.min()  # every tour has n edges
        mask = tsp(d)
        sol = np.maximum(mask[self._i, self._j], mask[self._j, self._i])
        return sol, float(self._c @ sol)

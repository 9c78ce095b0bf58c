"""Exact batched solvers (numpy in/out, torch tensors kept on their device)."""
from bigrad.solvers.min_max_min import min_max_min
from bigrad.solvers.shortest_path import GRID_DIRECTIONS, shortest_path
from bigrad.solvers.shortest_path_interdiction import shortest_path_interdiction
from bigrad.solvers.topk import topk_attacked, topk_mask
from bigrad.solvers.tsp import MAX_TSP_N, tsp
from bigrad.solvers.tsp_interdiction import tsp_interdiction

__all__ = [
    "shortest_path",
    "GRID_DIRECTIONS",
    "shortest_path_interdiction",
    "tsp",
    "MAX_TSP_N",
    "tsp_interdiction",
    "topk_mask",
    "topk_attacked",
    "min_max_min",
]

"""Exact batched solvers (numpy in/out, torch tensors kept on their device)."""
from bigrad.solvers.shortest_path import GRID_DIRECTIONS, shortest_path

__all__ = ["shortest_path", "GRID_DIRECTIONS"]

"""torch layers: combinatorial bilevel layers and the continuous BilevelLayer."""
from bigrad.torch.combinatorial import ShortestPath, ShortestPathInterdiction, TopK, TSPInterdiction

__all__ = ["ShortestPath", "ShortestPathInterdiction", "TopK", "TSPInterdiction"]

"""torch layers: combinatorial bilevel layers and the continuous BilevelLayer."""
from bigrad.torch.bilevel import BilevelLayer
from bigrad.torch.combinatorial import ShortestPath, ShortestPathInterdiction, TopK, TSPInterdiction

__all__ = ["BilevelLayer", "ShortestPath", "ShortestPathInterdiction", "TopK", "TSPInterdiction"]

"""torch layers: combinatorial bilevel layers and the continuous BilevelLayer."""
from bigrad._optional import require_torch as _require_torch

_require_torch("bigrad.torch")
from bigrad.implicit.options import BilevelOptions
from bigrad.torch.bilevel import BilevelLayer
from bigrad.torch.combinatorial import ShortestPath, ShortestPathInterdiction, TopK, TSPInterdiction

__all__ = ["BilevelLayer", "BilevelOptions", "ShortestPath", "ShortestPathInterdiction", "TopK", "TSPInterdiction"]

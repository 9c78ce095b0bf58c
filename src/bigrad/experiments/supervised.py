"""The supervised (SL) baselines: networks that predict the solution masks directly, no solver.

As the paper's SL (a ResNet18 trained on the masks), they have the capacity to
memorise their training set, however they generalise: the contrast between
their training and validation accuracy is the paper's point.

* :class:`MaskMLP` (Tables 3): the map's tiles averaged to one colour per cell
  (``[B, 3, H, W]``), flattened, then a wide two-layer MLP to the logits of
  both masks ``[B, 2, H, W]`` (path and interdiction). On 400 synthetic 12x12
  maps it reaches 99 % exact training paths after 70 epochs (20 s of one core).
* :class:`PairMLP` (Table 4): an MLP over (city, city) pair features, the two
  cities' embeddings and the instance's (the sum of its cities' context
  embeddings, which identifies the subset), to the logits of "on the tour" and
  "interdicted" per ordered pair. It memorises 95-100 % of the training tours
  in 30 epochs (800 instances of k = 12 at batch 10, lr 2e-3; 3000 of k = 8).
"""
from __future__ import annotations

import torch
from torch import nn

__all__ = ["MaskMLP", "PairMLP", "SL_EPOCHS"]

#: epochs the SL baselines train for: memorising takes far more passes than the solver-based methods need
SL_EPOCHS = 70


class MaskMLP(nn.Module):
    """Images ``[B, 3, H*P, W*P]`` -> mask logits ``[B, outputs, H, W]`` (tiles averaged, then an MLP)."""

    def __init__(self, grid: tuple[int, int], outputs: int = 2, hidden: int = 2048) -> None:
        super().__init__()
        self.grid, self.outputs = grid, outputs
        cells = grid[0] * grid[1]
        self.mlp = nn.Sequential(nn.Flatten(), nn.Linear(3 * cells, hidden), nn.ReLU(), nn.Linear(hidden, outputs * cells))

    def forward(self, images: torch.Tensor) -> torch.Tensor:
        tiles = nn.functional.adaptive_avg_pool2d(images, self.grid)
        return self.mlp(tiles).view(-1, self.outputs, *self.grid)


class PairMLP(nn.Module):
    """City subsets ``idx [B, k]`` (of ``n_cities``) -> logits ``(tour, interdicted)``, each ``[B, k, k]``."""

    def __init__(self, n_cities: int, dim: int = 64, hidden: int = 512) -> None:
        super().__init__()
        self.city = nn.Embedding(n_cities, dim)
        self.context = nn.Embedding(n_cities, dim)
        self.mlp = nn.Sequential(nn.Linear(3 * dim, hidden), nn.ReLU(), nn.Linear(hidden, hidden), nn.ReLU(),
                                 nn.Linear(hidden, 2))

    def forward(self, idx: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        e = self.city(idx)  # [B, k, dim]
        c = self.context(idx).sum(1)  # [B, dim]: the instance
        # the first layer on the pair (e_i, e_j, c) is W_i e_i + W_j e_j + W_c c + b: applied per city and
        # broadcast over the pairs, not to k * k concatenations (a third fewer operations, the same function)
        first, rest = self.mlp[0], self.mlp[1:]
        assert isinstance(first, nn.Linear)
        w_i, w_j, w_c = first.weight.split(e.shape[-1], dim=1)
        hidden = (e @ w_i.T)[:, :, None] + (e @ w_j.T)[:, None, :] + (c @ w_c.T + first.bias)[:, None, None]
        out = rest(hidden)
        return out[..., 0], out[..., 1]

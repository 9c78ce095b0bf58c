"""The supervised (SL) baselines: networks that predict the solution masks directly, no solver.

As the paper's SL (a ResNet18 trained on the masks), they have the capacity to
memorise their training set, however they generalise: the contrast between
their training and validation accuracy is the paper's point.

* :class:`MaskMemoriser` (Table 3): the map's tiles averaged to one colour per
  cell, a fixed random ReLU layer wider than the training set, and a linear
  read-out to the logits of both masks ``[B, 2, H, W]`` (path and
  interdiction) fitted by least squares. It recovers every training map's
  masks exactly, in about a second for 3000 24x24 maps. (A two-layer MLP
  trained by Adam memorised 400 12x12 maps in 70 epochs, but under 1 % of
  3000 24x24 maps in 70 epochs, 13 minutes of one core each.)
* :class:`PairMemoriser` (Table 4): kernel ridge regression on the city subsets
  (the kernel counts shared cities), every ordered pair's "on the tour" and
  "interdicted" as ``±1`` targets, fitted in closed form. It recovers every
  training tour: 8000 instances of k = 12 fit in 6 s and are predicted in
  30 s. (An MLP over pair features trained by Adam memorised 800-3000
  instances in 30 epochs, 13 minutes of one core at 8000 instances of k = 12.)
"""
from __future__ import annotations

from typing import Any

import torch
from torch import nn

__all__ = ["MaskMemoriser", "PairMemoriser"]

class MaskMemoriser(nn.Module):
    """Images ``[B, 3, H*P, W*P]`` -> mask logits ``[B, outputs, H, W]``, fitted in closed form (:meth:`fit`).

    The tiles are averaged to one colour per cell and standardised, a fixed random
    ReLU layer of ``width`` features follows (``width`` at least the number of
    training maps: enough capacity to interpolate them), and the linear read-out is
    the least-squares fit of the masks as ``±1`` targets (ridge ``1e-8``, solved in
    the dual: one ``N x N`` system). Every training map's masks are then recovered
    exactly; what it predicts elsewhere is the point of the baseline.
    """

    proj: torch.Tensor
    bias: torch.Tensor
    mean: torch.Tensor
    scale: torch.Tensor
    readout: torch.Tensor

    def __init__(self, grid: tuple[int, int], outputs: int = 2, width: int = 2048, seed: int = 0) -> None:
        super().__init__()
        self.grid, self.outputs, self.width = grid, outputs, int(width)
        cells = grid[0] * grid[1]
        gen = torch.Generator().manual_seed(seed)
        self.register_buffer("proj", torch.randn(3 * cells, self.width, generator=gen, dtype=torch.float64)
                             / (3 * cells) ** 0.5)
        self.register_buffer("bias", torch.randn(self.width, generator=gen, dtype=torch.float64))
        self.register_buffer("mean", torch.zeros(3 * cells, dtype=torch.float64))
        self.register_buffer("scale", torch.ones(3 * cells, dtype=torch.float64))
        self.register_buffer("readout", torch.zeros(self.width, outputs * cells, dtype=torch.float64))

    def features(self, images: torch.Tensor) -> torch.Tensor:
        """``[B, width]`` random ReLU features of the cells' mean colours (in chunks of 256 maps)."""
        out = []
        for i in range(0, len(images), 256):
            tiles = nn.functional.adaptive_avg_pool2d(images[i:i + 256].double(), self.grid).flatten(1)
            out.append(torch.relu(((tiles - self.mean) / self.scale) @ self.proj + self.bias))
        return torch.cat(out) if out else images.new_zeros((0, self.width), dtype=torch.float64)

    @torch.no_grad()
    def fit(self, images: torch.Tensor, masks: torch.Tensor) -> float:
        """Fit the read-out to ``masks [N, outputs, H, W]`` (0/1) of ``images``; returns the training MSE."""
        tiles = nn.functional.adaptive_avg_pool2d(images.double(), self.grid).flatten(1)
        self.mean.copy_(tiles.mean(0))
        self.scale.copy_(tiles.std(0).clamp_min(1e-6) if len(tiles) > 1 else torch.ones_like(self.scale))
        phi = self.features(images)
        target = 2 * masks.double().flatten(1) - 1
        gram = phi @ phi.T
        ridge = 1e-8 * float(gram.diagonal().mean()) + 1e-12
        alpha = torch.linalg.solve(gram + ridge * torch.eye(len(phi), dtype=gram.dtype), target)
        self.readout.copy_(phi.T @ alpha)
        return float(((phi @ self.readout - target) ** 2).mean())

    def forward(self, images: torch.Tensor) -> torch.Tensor:
        return (self.features(images) @ self.readout).view(-1, self.outputs, *self.grid)


class PairMemoriser:
    """City subsets ``idx [B, k]`` (of ``n_cities``) -> logits ``(tour, interdicted)``, each ``[B, k, k]``.

    Kernel ridge regression on the subsets (an infinitely wide random-feature
    network): the kernel of two instances is ``exp(shared cities - k)``, the
    targets are every training instance's tour and interdiction masks as ``±1``
    on the ordered pairs of its own cities (0 on the others), and the read-out is
    the least-squares fit (ridge ``1e-8``, a Cholesky factor of the ``N x N``
    kernel matrix). A training instance's own pairs are then recovered exactly.
    """

    def __init__(self, n_cities: int, ridge: float = 1e-8, chunk: int = 512) -> None:
        self.n, self.ridge, self.chunk, self.k = int(n_cities), float(ridge), int(chunk), 0
        self.hot: torch.Tensor | None = None
        self.factor: torch.Tensor | None = None
        self.targets: Any = None

    def _onehot(self, idx: torch.Tensor) -> torch.Tensor:
        return torch.zeros(len(idx), self.n, dtype=torch.float64).scatter_(1, idx.long(), 1.0)

    def _kernel(self, a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
        return torch.exp(a @ b.T - self.k)  # 1 on the diagonal, e^-1 or less elsewhere

    @torch.no_grad()
    def fit(self, idx: torch.Tensor, y: torch.Tensor, x: torch.Tensor) -> float:
        """Fit to the masks ``y, x [N, k, k]`` of the subsets ``idx [N, k]``; returns the ridge's relative size."""
        import scipy.sparse as sp

        self.k = idx.shape[1]
        self.hot = self._onehot(idx)
        gram = self._kernel(self.hot, self.hot)
        ridge = self.ridge * float(gram.diagonal().mean())
        self.factor = torch.linalg.cholesky(gram + ridge * torch.eye(len(gram), dtype=gram.dtype))
        N, k = idx.shape
        rows = torch.arange(N).repeat_interleave(2 * k * k)
        cols = [(idx[:, :, None] * self.n + idx[:, None, :]) * 2 + c for c in (0, 1)]  # (i, j, mask) per pair
        col = torch.stack(cols, -1).reshape(-1)
        val = torch.stack([2 * y.double() - 1, 2 * x.double() - 1], -1).reshape(-1)
        self.targets = sp.csc_matrix((val.numpy(), (rows.numpy(), col.numpy())), shape=(N, self.n * self.n * 2))
        return ridge

    @torch.no_grad()
    def __call__(self, idx: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        if self.hot is None or self.factor is None:
            raise RuntimeError("PairMemoriser: call fit() first")
        B, k = idx.shape
        out = torch.empty(B, k, k, 2, dtype=torch.float64)
        for s in range(0, B, self.chunk):
            part = idx[s:s + self.chunk]
            beta = torch.cholesky_solve(self._kernel(self.hot, self._onehot(part)), self.factor)  # [N, b]
            cols = ((part[:, :, None] * self.n + part[:, None, :])[..., None] * 2 + torch.arange(2)).reshape(len(part), -1)
            for r in range(len(part)):  # each instance reads its own pairs' columns: ~N (k/n)^2 entries each
                sub = self.targets[:, cols[r].numpy()]
                out[s + r] = torch.from_numpy(sub.T @ beta[:, r].numpy()).view(k, k, 2)
        return out[..., 0], out[..., 1]

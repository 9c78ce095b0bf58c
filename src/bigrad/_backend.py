"""The few array operations the host-side algorithms need, for numpy and for torch.

Lets one implementation (e.g. :func:`bigrad.solvers.min_max_min`) run on numpy
arrays or on torch tensors on any device, without copying data to the host.
"""
from __future__ import annotations

import numpy as np

from bigrad._arrays import is_torch_tensor


class NumpyOps:
    """Operations on numpy arrays (``like`` arguments give dtype and device of new arrays)."""

    @staticmethod
    def asarray(a):
        return np.asarray(a)

    @staticmethod
    def cast(a, like):
        return a.astype(like.dtype, copy=False)

    @staticmethod
    def argsort(a):
        """Stable argsort along the last axis."""
        return np.argsort(a, axis=-1, kind="stable")

    @staticmethod
    def sort(a):
        return np.sort(a, axis=-1)

    @staticmethod
    def gather(a, idx):
        return np.take_along_axis(a, idx, axis=-1)

    @staticmethod
    def cat(arrays):
        return np.concatenate(arrays, axis=-1)

    @staticmethod
    def zeros(shape, like):
        return np.zeros(shape, dtype=like.dtype)

    @staticmethod
    def arange(n, like=None):
        return np.arange(n)

    @staticmethod
    def clamp(a, lo=None, hi=None):
        return np.clip(a, lo, hi)

    @staticmethod
    def row_max(a):
        return a.max(axis=1, keepdims=True)

    @staticmethod
    def all_finite(a):
        return bool(np.isfinite(a).all())


class TorchOps:
    """The same operations on torch tensors, kept on their device."""

    def __init__(self):
        import torch

        self.torch = torch

    def asarray(self, a):
        return a

    def cast(self, a, like):
        return a.to(like.dtype)

    def argsort(self, a):
        if a.dtype == self.torch.bool:
            a = a.to(self.torch.uint8)
        return self.torch.argsort(a, dim=-1, stable=True)

    def sort(self, a):
        return self.torch.sort(a, dim=-1).values

    def gather(self, a, idx):
        return self.torch.gather(a, -1, idx)

    def cat(self, arrays):
        return self.torch.cat(arrays, dim=-1)

    def zeros(self, shape, like):
        return self.torch.zeros(shape, dtype=like.dtype, device=like.device)

    def arange(self, n, like):
        return self.torch.arange(n, device=like.device)

    def clamp(self, a, lo=None, hi=None):
        return self.torch.clamp(a, min=lo, max=hi)

    def row_max(self, a):
        return a.amax(dim=1, keepdim=True)

    def all_finite(self, a):
        return bool(self.torch.isfinite(a).all())


def ops_for(*arrays):
    """TorchOps if any argument is a torch tensor, else NumpyOps."""
    return TorchOps() if any(is_torch_tensor(a) for a in arrays) else NumpyOps()

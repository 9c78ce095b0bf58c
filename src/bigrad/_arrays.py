"""Input checking and numpy/torch round-tripping shared by the solvers.

Solvers accept numpy arrays (or array-likes) and torch tensors. A torch
tensor's results come back as tensors on the same device with the same dtype;
numpy in gives numpy out. Nothing is silently cast: a wrong dtype raises.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

FLOAT_DTYPES = (np.dtype(np.float32), np.dtype(np.float64))


def is_torch_tensor(x: Any) -> bool:
    """True for torch tensors, without importing torch."""
    return type(x).__module__.startswith("torch") and hasattr(x, "data_ptr")


@dataclass
class Batch:
    """A checked input in batched form, with what is needed to return outputs alike.

    ``array`` is a C-contiguous numpy array with a leading batch axis, or a
    contiguous CUDA tensor when ``on_cuda`` is true (only then).
    """

    array: Any
    batched: bool
    torch_device: Any = None  # None for numpy inputs
    on_cuda: bool = False

    @property
    def dtype(self) -> np.dtype:
        if self.on_cuda:
            import torch

            return np.dtype(np.float32 if self.array.dtype == torch.float32 else np.float64)
        return self.array.dtype

    def out(self, value):
        """Give a result (numpy array with batch axis, or CUDA tensor) back like the input came."""
        if value is None:
            return None
        if not self.batched:
            value = value[0]
        if self.torch_device is None:
            return value
        import torch

        if isinstance(value, torch.Tensor):
            return value
        # np.ascontiguousarray would turn a 0-d result (the cost of one instance) into [1]
        value = np.ascontiguousarray(value) if np.ndim(value) else np.array(value)
        return torch.from_numpy(value).to(self.torch_device)


def _check_float_dtype(dtype_name: str, name: str) -> None:
    if dtype_name not in ("float32", "float64"):
        raise TypeError(f"{name} must have dtype float32 or float64, got {dtype_name}")


def _check_ndim(shape: tuple, core_ndim: int, name: str, core_desc: str) -> None:
    if len(shape) not in (core_ndim, core_ndim + 1):
        raise ValueError(
            f"{name} must have shape {core_desc} or [B, {core_desc[1:-1]}], got shape {tuple(shape)}"
        )
    if any(int(s) == 0 for s in shape):
        raise ValueError(f"{name} must not be empty, got shape {tuple(shape)}")


def as_batch(x: Any, name: str, core_ndim: int, core_desc: str, *, allow_cuda: bool = False) -> Batch:
    """Check ``x`` (float32/float64, ``core_ndim`` or ``core_ndim + 1`` dims, non-empty).

    CUDA tensors stay on the device when ``allow_cuda`` (the CUDA module is built
    and the op has a kernel); otherwise they are copied to the host and results
    are copied back.
    """
    if is_torch_tensor(x):
        _check_float_dtype(str(x.dtype).replace("torch.", ""), name)
        _check_ndim(tuple(x.shape), core_ndim, name, core_desc)
        t = x.detach()
        batched = t.dim() == core_ndim + 1
        if not batched:
            t = t.unsqueeze(0)
        if t.is_cuda and allow_cuda:
            return Batch(t.contiguous(), batched, t.device, on_cuda=True)
        return Batch(np.ascontiguousarray(t.cpu().numpy()), batched, t.device)
    if isinstance(x, (str, bytes)) or x is None:
        raise TypeError(f"{name} must be a numpy array or torch tensor, got {type(x).__name__}")
    a = np.asarray(x)
    _check_float_dtype(str(a.dtype), name)
    _check_ndim(a.shape, core_ndim, name, core_desc)
    batched = a.ndim == core_ndim + 1
    if not batched:
        a = a[None]
    return Batch(np.ascontiguousarray(a), batched)


def check_values(b: Batch, name: str, *, nonnegative: bool = True) -> None:
    """Reject NaN/inf (and negative values when ``nonnegative``) with a ValueError naming ``name``."""
    a = b.array
    if b.on_cuda:
        import torch

        bad_finite = bool((~torch.isfinite(a)).any())
        bad_sign = nonnegative and bool((a < 0).any())
    else:
        bad_finite = not np.isfinite(a).all()
        bad_sign = nonnegative and bool((a < 0).any())
    if bad_finite:
        raise ValueError(f"{name} must be finite (found NaN or inf)")
    if bad_sign:
        raise ValueError(f"{name} must be non-negative (found a negative value)")


def check_int(value: Any, name: str, *, minimum: int | None = None, choices: tuple | None = None) -> int:
    """An int argument (bool and float rejected) with an optional lower bound or set of choices."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name} must be an int, got {type(value).__name__}")
    value = int(value)
    if choices is not None and value not in choices:
        raise ValueError(f"{name} must be one of {choices}, got {value}")
    if minimum is not None and value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value}")
    return value


def check_pair(a: Batch, b: Batch, name_a: str, name_b: str) -> None:
    """Two inputs that go together: same device, shape and dtype (ValueError/TypeError naming both)."""
    if a.on_cuda != b.on_cuda:
        raise ValueError(f"{name_a} and {name_b} must be on the same device")
    if tuple(a.array.shape) != tuple(b.array.shape):
        raise ValueError(
            f"{name_a} and {name_b} must have the same shape, got {tuple(a.array.shape)} and {tuple(b.array.shape)}"
        )
    if a.dtype != b.dtype:
        raise TypeError(f"{name_a} and {name_b} must have the same dtype, got {a.dtype} and {b.dtype}")

"""Input checking and array round-tripping shared by the solvers.

Solvers accept numpy arrays (or array-likes), torch tensors, and any array
that speaks DLPack (``__dlpack__``: CuPy, JAX, ...) or the CUDA array interface
(``__cuda_array_interface__``: CuPy, numba). Results come back as the kind that
was given, on its device, with its dtype: numpy in gives numpy out, a torch
tensor gives tensors, CuPy gives CuPy (through DLPack, without a host copy when
``bigrad._cuda`` is built). Nothing is silently cast: a wrong dtype raises.

A torch tensor that requires grad warns (once per call site): the solvers are
not differentiable; the layers in :mod:`bigrad.torch` are.
"""
from __future__ import annotations

import importlib
import warnings
from collections.abc import Callable
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
    wrap: Callable[[Any], Any] | None = None  # turns an output back into the caller's array kind

    @property
    def shape(self) -> tuple:
        """The shape the caller gave (without the batch axis added to an unbatched input)."""
        shape = tuple(self.array.shape)
        return shape if self.batched else shape[1:]

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
        if self.torch_device is not None:
            import torch

            if not isinstance(value, torch.Tensor):
                # np.ascontiguousarray would turn a 0-d result (the cost of one instance) into [1]
                value = np.ascontiguousarray(value) if np.ndim(value) else np.array(value)
                value = torch.from_numpy(value).to(self.torch_device)
        if self.wrap is None:
            return value
        return self.wrap(np.asarray(value) if isinstance(value, np.generic) else value)


def _check_float_dtype(dtype_name: str, name: str) -> None:
    if dtype_name not in ("float32", "float64"):
        raise TypeError(f"{name} must have dtype float32 or float64, got {dtype_name}")


def check_tensor_data(t: Any, name: str) -> None:
    """A torch tensor whose values can be read: dense, and on a device that holds data.

    A ``meta`` tensor has a shape and a dtype but no values (torch's own error, "Cannot copy out
    of meta tensor", names neither the argument nor the device); a sparse tensor has no dense
    buffer. Both are refused here, naming ``name`` (ValueError for the device, TypeError for the layout).
    """
    if t.device.type == "meta":
        raise ValueError(
            f"{name} is on the meta device, which holds a shape and a dtype but no values: "
            f"pass {name} with its values, on the CPU or a CUDA device"
        )
    layout = str(getattr(t, "layout", "torch.strided"))
    if layout != "torch.strided":
        raise TypeError(f"{name} must be a dense tensor, got layout {layout.replace('torch.', '')} (use {name}.to_dense())")


def native_order(a: np.ndarray) -> np.ndarray:
    """``a`` in the machine's byte order (a copy when swapped; a big-endian float64 stays float64, values kept)."""
    return a if a.dtype.isnative else a.astype(a.dtype.newbyteorder("="))


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
    are copied back. DLPack / CUDA-array-interface arrays of other libraries are
    viewed without a copy (numpy for host memory, torch for device memory) and
    their results are handed back through the library's own ``from_dlpack``.
    """
    if is_torch_tensor(x):
        return _torch_batch(x, name, core_ndim, core_desc, allow_cuda)
    if isinstance(x, (str, bytes)) or x is None:
        raise TypeError(f"{name} must be a numpy array or torch tensor, got {type(x).__name__}")
    if not isinstance(x, np.ndarray) and (hasattr(x, "__dlpack__") or hasattr(x, "__cuda_array_interface__")):
        return _foreign_batch(x, name, core_ndim, core_desc, allow_cuda)
    a = np.asarray(x)
    if a.dtype.kind == "f":
        a = native_order(a)
    _check_float_dtype(str(a.dtype), name)
    _check_ndim(a.shape, core_ndim, name, core_desc)
    batched = a.ndim == core_ndim + 1
    if not batched:
        a = a[None]
    return Batch(np.ascontiguousarray(a), batched)


def _torch_batch(x: Any, name: str, core_ndim: int, core_desc: str, allow_cuda: bool) -> Batch:
    _check_float_dtype(str(x.dtype).replace("torch.", ""), name)
    check_tensor_data(x, name)
    _check_ndim(tuple(x.shape), core_ndim, name, core_desc)
    if x.requires_grad:
        import torch

        if torch.is_grad_enabled():
            warnings.warn(
                f"{name} requires grad, but bigrad.solvers are not differentiable: the result is detached. "
                "Use the layers in bigrad.torch (ShortestPath, ShortestPathInterdiction, TopK, "
                "TSPInterdiction) for gradients.",
                UserWarning,
                stacklevel=4,
            )
    t = x.detach().resolve_neg()  # a negative view (torch._neg_view) has no numpy form until resolved
    batched = t.dim() == core_ndim + 1
    if not batched:
        t = t.unsqueeze(0)
    if t.is_cuda and allow_cuda:
        return Batch(t.contiguous(), batched, t.device, on_cuda=True)
    return Batch(np.ascontiguousarray(t.cpu().numpy()), batched, t.device)


# DLPack device types (dlpack.h): CPU, CUDA host-pinned and CPU-shared count as host memory.
_DLPACK_HOST = (1, 3, 8)


def _foreign_device(x: Any) -> tuple[str, int]:
    if hasattr(x, "__dlpack_device__"):
        dev_type, dev_id = x.__dlpack_device__()
        return ("cpu" if int(dev_type) in _DLPACK_HOST else "cuda"), int(dev_id)
    if hasattr(x, "__cuda_array_interface__"):
        return "cuda", -1
    return "cpu", 0


def _wrapper_for(x: Any) -> Callable[[Any], Any] | None:
    """The array library's own converter back from DLPack (``cupy.from_dlpack``, ``jax.numpy.from_dlpack``...)."""
    root = type(x).__module__.split(".")[0]
    for mod_name in (root, f"{root}.numpy", f"{root}.dlpack"):
        try:
            mod = importlib.import_module(mod_name)
        except ImportError:
            continue
        fn = getattr(mod, "from_dlpack", None)
        if callable(fn):
            return fn
    if root == "numba":  # numba device arrays: no from_dlpack, but the CUDA array interface
        from numba import cuda as numba_cuda

        return numba_cuda.as_cuda_array
    return None


def _foreign_batch(x: Any, name: str, core_ndim: int, core_desc: str, allow_cuda: bool) -> Batch:
    device, _ = _foreign_device(x)
    wrap = _wrapper_for(x)
    if device == "cpu":
        try:
            a = np.from_dlpack(x)
        except (TypeError, RuntimeError, BufferError) as exc:
            raise TypeError(f"{name}: cannot read this {type(x).__name__} through DLPack ({exc})") from exc
        b = as_batch(a, name, core_ndim, core_desc)
        b.wrap = wrap
        return b
    try:
        import torch
    except ModuleNotFoundError as exc:
        from bigrad._optional import missing_message

        raise ModuleNotFoundError(missing_message("torch", f"{name} on a CUDA device"), name="torch") from exc
    if not torch.cuda.is_available():
        raise ValueError(
            f"{name} is a CUDA array ({type(x).__name__}), but this torch build sees no CUDA device "
            f"(torch {torch.__version__}, torch.cuda.is_available() is False)"
        )
    t = torch.from_dlpack(x) if hasattr(x, "__dlpack__") else torch.as_tensor(x, device="cuda")
    b = _torch_batch(t, name, core_ndim, core_desc, allow_cuda)
    b.wrap = wrap
    return b


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
    if tuple(a.array.shape) != tuple(b.array.shape) or a.batched != b.batched:
        raise ValueError(f"{name_a} and {name_b} must have the same shape, got {a.shape} and {b.shape}")
    if a.dtype != b.dtype:
        raise TypeError(f"{name_a} and {name_b} must have the same dtype, got {a.dtype} and {b.dtype}")

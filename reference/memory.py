"""Peak-memory measurement helpers (CPU), independent of bigrad.

* :func:`peak_rss_delta` -- peak resident set size reached while running a
  function, minus the resident size before it (Linux: resets ``VmHWM`` through
  ``/proc/self/clear_refs``; glibc's mmap threshold is pinned so that large
  buffers are returned to the OS when freed and show up in the RSS).
* :class:`LargestTensor` -- a ``TorchDispatchMode`` recording the largest
  tensor (in elements) produced by any aten op inside the context.
"""
from __future__ import annotations

import ctypes
import gc
import os

import torch
from torch.utils._python_dispatch import TorchDispatchMode
from torch.utils._pytree import tree_flatten

_M_MMAP_THRESHOLD = -3


def rss_supported() -> bool:
    return os.path.exists("/proc/self/clear_refs") and os.path.exists("/proc/self/status")


def _pin_mmap_threshold(nbytes: int = 1 << 16) -> None:
    try:
        ctypes.CDLL("libc.so.6").mallopt(_M_MMAP_THRESHOLD, nbytes)
    except (OSError, AttributeError):  # pragma: no cover - non-glibc
        pass


def _status_kb(field: str) -> int:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise RuntimeError(f"{field} not found in /proc/self/status")


def peak_rss_delta(fn, *args, **kwargs):
    """Run ``fn`` and return ``(result, peak_bytes)`` (peak RSS minus RSS before)."""
    _pin_mmap_threshold()
    gc.collect()
    with open("/proc/self/clear_refs", "w") as fh:
        fh.write("5")
    before = _status_kb("VmRSS")
    result = fn(*args, **kwargs)
    peak = _status_kb("VmHWM")
    return result, max(0, peak - before) * 1024


class LargestTensor(TorchDispatchMode):
    """Records ``self.max_numel``: the largest tensor produced by an aten op in the context."""

    def __init__(self):
        super().__init__()
        self.max_numel = 0
        self.max_shape = None

    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        out = func(*args, **(kwargs or {}))
        for t in tree_flatten(out)[0]:
            if isinstance(t, torch.Tensor) and t.numel() > self.max_numel:
                self.max_numel, self.max_shape = t.numel(), tuple(t.shape)
        return out

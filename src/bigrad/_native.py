"""Access to the compiled modules ``bigrad._core`` (always) and ``bigrad._cuda`` (optional)."""
from __future__ import annotations

import functools
import importlib


@functools.cache
def core():
    """Return the compiled CPU module, with a clear error if the package was not built."""
    try:
        return importlib.import_module("bigrad._core")
    except ImportError as exc:  # pragma: no cover - only without a build
        raise ImportError(
            "bigrad._core is not built: install the package with `pip install .` "
            "(or `make test`), which compiles the native extension"
        ) from exc


@functools.cache
def cuda():
    """Return the compiled CUDA module, or None when it was not built or cannot load."""
    try:
        return importlib.import_module("bigrad._cuda")
    except ImportError:
        return None


def build_info() -> dict:
    """What was built and what it can use, truthfully.

    Keys from the CPU module (version, compiler, SIMD, threads), plus:
    ``cuda_built`` (the optional ``bigrad._cuda`` module is present), ``cuda_devices``
    (CUDA devices it sees, 0 without a driver or GPU), ``cuda_runtime_version`` (the
    CUDA runtime it was built with, e.g. ``"13.0"``, or None) and ``cuda`` (the CUDA
    kernels can run here: built and at least one device).
    """
    info = dict(core().build_info())
    mod = cuda()
    devices, runtime = 0, None
    if mod is not None:
        rt = mod.build_info()
        devices = max(0, int(rt.get("device_count", 0)))
        ver = int(rt.get("runtime_version", 0))
        runtime = f"{ver // 1000}.{(ver % 1000) // 10}" if ver > 0 else None
    info.update(cuda=mod is not None and devices > 0, cuda_built=mod is not None, cuda_devices=devices,
                cuda_runtime_version=runtime)
    return info


def set_num_threads(n: int) -> None:
    """Set the number of threads the batched CPU solvers use (results do not depend on it)."""
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f"n must be an int, got {type(n).__name__}")
    if n < 1:
        raise ValueError(f"n must be >= 1, got {n}")
    core().set_num_threads(n)


def get_num_threads() -> int:
    """Number of threads the batched CPU solvers use."""
    return int(core().get_num_threads())

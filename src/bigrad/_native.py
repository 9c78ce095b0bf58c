"""Access to the compiled modules ``bigrad._core`` (always) and ``bigrad._cuda`` (optional)."""
from __future__ import annotations

import functools
import importlib


@functools.lru_cache(maxsize=None)
def core():
    """Return the compiled CPU module, with a clear error if the package was not built."""
    try:
        return importlib.import_module("bigrad._core")
    except ImportError as exc:  # pragma: no cover - only without a build
        raise ImportError(
            "bigrad._core is not built: install the package with `pip install .` "
            "(or `make test`), which compiles the native extension"
        ) from exc


@functools.lru_cache(maxsize=None)
def cuda():
    """Return the compiled CUDA module, or None when it was not built or cannot load."""
    try:
        return importlib.import_module("bigrad._cuda")
    except ImportError:
        return None


def build_info() -> dict:
    """What was built: version, compiler, SIMD width, threads, and whether the CUDA module is present."""
    info = dict(core().build_info())
    mod = cuda()
    info["cuda"] = mod is not None
    if mod is not None:
        info.update({f"cuda_{k}": v for k, v in mod.build_info().items()})
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

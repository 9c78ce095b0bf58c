"""bigrad: differentiable bilevel optimization.

Submodules are imported lazily so that ``import bigrad`` stays cheap and the
pure-Python parts (``bigrad.miblp``, ``bigrad.krylov``) work even when the
compiled extension is unavailable.
"""
from __future__ import annotations

import importlib

__version__ = "0.1.0"

_SUBMODULES = (
    "graphs",
    "csgraph",
    "solvers",
    "gradients",
    "torch",
    "krylov",
    "implicit",
    "miblp",
    "experiments",
    "bolib",
    "suite",
    "pyepo",
    "cli",
)

__all__ = [
    "__version__",
    "build_info",
    "set_num_threads",
    "get_num_threads",
    "set_memory_limit",
    "get_memory_limit",
    *_SUBMODULES,
]


def __getattr__(name: str):
    if name in _SUBMODULES:
        return importlib.import_module(f"bigrad.{name}")
    if name in ("build_info", "set_num_threads", "get_num_threads"):
        from bigrad import _native

        return getattr(_native, name)
    if name in ("set_memory_limit", "get_memory_limit"):
        from bigrad import _limits

        return getattr(_limits, name)
    raise AttributeError(f"module 'bigrad' has no attribute {name!r}")

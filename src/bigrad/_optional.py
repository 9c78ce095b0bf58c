"""Optional dependencies, with an error that says which extra to install."""
from __future__ import annotations

import importlib
from types import ModuleType

#: module name -> (pip extra, what it is)
EXTRAS = {
    "torch": ("torch", "PyTorch"),
    "matplotlib": ("plots", "matplotlib"),
    "torchattacks": ("experiments", "torchattacks"),
    "numba": ("numba", "numba"),
    "pyepo": ("pyepo", "PyEPO"),
    "tsplib95": ("suite", "tsplib95"),
    "ray": ("ray", "Ray"),
}


def require(module: str, feature: str) -> ModuleType:
    """Import ``module`` for ``feature``, or raise ``ModuleNotFoundError`` naming the extra to install."""
    try:
        return importlib.import_module(module)
    except ModuleNotFoundError as exc:
        if exc.name != module:
            raise
        raise ModuleNotFoundError(missing_message(module, feature), name=module) from exc


def missing_message(module: str, feature: str) -> str:
    """``"{feature} needs {what}, an optional dependency of bigrad: install it with ..."``."""
    extra, what = EXTRAS.get(module, (module, module))
    return (f"{feature} needs {what}, an optional dependency of bigrad: "
            f"install it with `pip install 'bigrad[{extra}]'`")


def require_torch(feature: str) -> ModuleType:
    """``require("torch", feature)``: torch is optional; the solvers and the MIBLP code run without it."""
    return require("torch", feature)

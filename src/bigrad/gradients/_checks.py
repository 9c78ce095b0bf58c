"""Argument checks shared by the estimators and the torch layers."""
from __future__ import annotations

import math
from numbers import Real

#: Estimator names accepted by the combinatorial layers (see docs/gradients.md).
METHODS = ("bb", "bb_sep", "bb1", "pt", "pt1", "perturbed")


def check_method(method, allowed=METHODS) -> str:
    """Return ``method`` if it is one of ``allowed``; ValueError/TypeError naming it otherwise."""
    if not isinstance(method, str):
        raise TypeError(f"method must be a str, got {type(method).__name__}")
    if method not in allowed:
        raise ValueError(f"method must be one of {', '.join(map(repr, allowed))}; got {method!r}")
    return method


def check_positive(value, name: str) -> float:
    """A finite real number > 0 (bool rejected), returned as float."""
    if isinstance(value, bool) or not isinstance(value, Real):
        raise TypeError(f"{name} must be a real number, got {type(value).__name__}")
    value = float(value)
    if not math.isfinite(value) or value <= 0:
        raise ValueError(f"{name} must be finite and > 0, got {value}")
    return value


def check_same(a, b, name_a: str, name_b: str) -> None:
    """Tensors ``a`` and ``b`` must agree in shape, dtype and device."""
    if a.shape != b.shape:
        raise ValueError(f"{name_a} and {name_b} must have the same shape, got {tuple(a.shape)} and {tuple(b.shape)}")
    if a.dtype != b.dtype:
        raise TypeError(f"{name_a} and {name_b} must have the same dtype, got {a.dtype} and {b.dtype}")
    if a.device != b.device:
        raise ValueError(f"{name_a} and {name_b} must be on the same device, got {a.device} and {b.device}")

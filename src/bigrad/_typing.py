"""Types of the public API.

Every solver returns the kind of array it was given (numpy in, numpy out; a torch
tensor gives tensors on its device; CuPy gives CuPy, ...), so the signatures use
one type variable for "the caller's array kind". Array-likes (lists, scalars)
come back as numpy arrays.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar, Union

import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:  # torch is optional: only for the type checker
    import torch

    Tensor = torch.Tensor
else:
    Tensor = Any

#: numpy arrays and array-likes, torch tensors, or any ``__dlpack__`` / ``__cuda_array_interface__`` array
ArrayLike = Union[npt.ArrayLike, "Tensor", Any]
#: the caller's array kind, given back by the solvers
ArrayT = TypeVar("ArrayT", np.ndarray, "Tensor", Any)
#: a nominal oracle ``oracle(c) -> y`` for :func:`bigrad.solvers.min_max_min`
Oracle = Callable[[Any], Any]

__all__ = ["ArrayLike", "ArrayT", "Oracle", "Tensor"]

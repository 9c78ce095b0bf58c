"""Batched MATLAB semantics for the generated BOLIB problems (:mod:`bigrad.bolib.collection`).

A MATLAB value is a torch tensor ``[B, r, c]`` (or a constant ``[r, c]``, or a
Python number): ``x [B, n]`` becomes the column ``[B, n, 1]``.  ``*`` is a
matrix product unless one side is a scalar (``[..., 1, 1]``), ``'`` a transpose,
``sum``/``prod`` reduce along the first non-singleton dimension, and ``[a b; c d]``
concatenates with the batch dimension broadcast.  Everything is float64 unless
the inputs are of another floating type.
"""
from __future__ import annotations

import functools
import math

import torch
from torch import Tensor

__all__ = [
    "cat", "col", "constraints", "eye", "index", "mfun", "mpower", "mprod", "msum", "mtimes", "pi",
    "span", "tr", "value",
]

pi = math.pi


def _t(a, like: Tensor | None = None) -> Tensor:
    if isinstance(a, Tensor):
        return a
    dtype = like.dtype if like is not None else torch.float64
    device = like.device if like is not None else None
    return torch.as_tensor(a, dtype=dtype, device=device).reshape(1, 1) if not isinstance(a, list) else \
        torch.as_tensor(a, dtype=dtype, device=device)


def _scalar(a) -> bool:
    return not isinstance(a, Tensor) or a.dim() < 2 or tuple(a.shape[-2:]) == (1, 1)


def col(v: Tensor) -> Tensor:
    """``[B, n] -> [B, n, 1]`` (MATLAB column vectors, batched)."""
    return v.unsqueeze(-1)


def tr(a):
    """MATLAB ``a'`` (real transpose)."""
    return a.transpose(-1, -2) if isinstance(a, Tensor) and a.dim() >= 2 else a


def mtimes(a, b):
    """MATLAB ``a * b``: elementwise with a scalar side, else a (batched) matrix product."""
    if _scalar(a) or _scalar(b):
        return a * b
    return torch.matmul(a, b)


def mpower(a, b):
    """MATLAB ``a ^ b`` for scalars ``a`` and ``b``."""
    if not (_scalar(a) and _scalar(b)):
        raise ValueError("matrix powers are not supported (only scalar ^ scalar)")
    return a**b


def _reduce_dim(a: Tensor) -> int:
    return -2 if a.shape[-2] != 1 else -1


def msum(a):
    """MATLAB ``sum(a)``: along the first non-singleton dimension (kept)."""
    a = _t(a)
    return a.sum(_reduce_dim(a), keepdim=True)


def mprod(a):
    """MATLAB ``prod(a)``: along the first non-singleton dimension (kept)."""
    a = _t(a)
    return a.prod(_reduce_dim(a), keepdim=True)


def mfun(name: str, a):
    """Elementwise MATLAB function (``exp``, ``log``, ``sqrt``, ``cos``, ``sin``, ``abs``)."""
    return getattr(torch, name)(_t(a))


def eye(n) -> Tensor:
    return torch.eye(int(n), dtype=torch.float64)


def span(a, b) -> Tensor:
    """MATLAB ``a:b`` as a row ``[1, b - a + 1]``."""
    return torch.arange(float(a), float(b) + 0.5, dtype=torch.float64).reshape(1, -1)


def index(a: Tensor, i) -> Tensor:
    """MATLAB linear index ``a(i)`` of a vector (``i`` 1-based int or 1-based index row)."""
    along = -2 if a.shape[-2] != 1 else -1
    if isinstance(i, Tensor):
        idx = i.flatten().long() - 1
        return a.index_select(a.dim() + along, idx.to(a.device))
    k = int(i) - 1
    return a.narrow(a.dim() + along, k, 1)


def cat(rows: list) -> Tensor:
    """MATLAB ``[a b; c d]``: ``rows`` is a list of rows, each a list of items."""
    like = next((v for r in rows for v in r if isinstance(v, Tensor)), None)
    if like is None:  # a constant matrix (data of a problem): built once
        try:
            return _constant(tuple(tuple(float(v) for v in r) for r in rows))
        except (TypeError, ValueError):
            pass
    items = [[_t(v, like) for v in r if not (isinstance(v, Tensor) and v.numel() == 0)] for r in rows]
    items = [r for r in items if r]
    flat = [v for r in items for v in r]
    batch = max((tuple(v.shape[:-2]) for v in flat), key=len)  # () or (B,): no general broadcast
    dtype = flat[0].dtype
    if any(v.dtype != dtype for v in flat):
        dtype = functools.reduce(torch.promote_types, [v.dtype for v in flat])
    out = [torch.cat([v if v.dtype == dtype and tuple(v.shape[:-2]) == batch else
                      v.to(dtype).expand(*batch, *v.shape[-2:]) for v in r], dim=-1) if len(r) > 1 else
           (r[0] if r[0].dtype == dtype and tuple(r[0].shape[:-2]) == batch else
            r[0].to(dtype).expand(*batch, *r[0].shape[-2:])) for r in items]
    return torch.cat(out, dim=-2) if len(out) > 1 else out[0]


@functools.lru_cache(maxsize=1024)
def _constant(rows: tuple) -> Tensor:
    """A constant float64 matrix ``[r, c]`` (cached: the generated code never writes into it)."""
    return torch.tensor(rows, dtype=torch.float64)


def value(w, x: Tensor) -> Tensor:
    """An objective value ``[B, 1, 1] | [1, 1] | number -> [B]``."""
    w = _t(w, x)
    return w.reshape(*w.shape[:-2], 1).expand(x.shape[0], 1).reshape(x.shape[0])


def constraints(w, x: Tensor) -> Tensor:
    """Constraint values ``[B, k, 1] | [k, 1] -> [B, k]`` (feasible where ``<= 0``)."""
    w = _t(w, x)
    k = w.shape[-2] * w.shape[-1]
    return w.reshape(*w.shape[:-2], k).expand(x.shape[0], k)

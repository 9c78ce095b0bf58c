"""Turn what scipy's ``aslinearoperator`` accepts (and torch tensors) into a batched torch matvec.

An :class:`Operator` maps ``X [c, n]`` (``c`` rows of the batch) to ``A X`` row-wise.
``rows(sl)`` restricts it to the batch rows ``sl`` so that a solve can run in
cache-sized chunks of systems; it is ``None`` when that is not known to be
valid (a user callable may capture per-system data).
"""
from __future__ import annotations

import inspect
from collections.abc import Callable

import numpy as np
import torch
from torch import Tensor

from bigrad._arrays import native_order

__all__ = ["Operator", "as_operator", "is_scipy_linear_operator"]


def is_scipy_linear_operator(obj) -> bool:
    """True for ``scipy.sparse.linalg.LinearOperator`` instances (scipy imported only if needed)."""
    if not type(obj).__module__.startswith("scipy"):
        return False
    from scipy.sparse.linalg import LinearOperator

    return isinstance(obj, LinearOperator)


def _is_scipy_sparse(obj) -> bool:
    if not type(obj).__module__.startswith("scipy"):
        return False
    import scipy.sparse as sp

    return sp.issparse(obj)


class Operator:
    """A row-wise batched linear map ``X [c, n] -> A X [c, n]`` on torch tensors."""

    def __init__(self, fn: Callable[[Tensor], Tensor], slicer: Callable[[slice], Operator] | None):
        self.fn = fn
        self._slicer = slicer

    def __call__(self, x: Tensor) -> Tensor:
        return self.fn(x)

    @property
    def sliceable(self) -> bool:
        return self._slicer is not None

    def rows(self, sl: slice) -> Operator:
        return self._slicer(sl) if self._slicer is not None else self


def _shared(fn: Callable[[Tensor], Tensor]) -> Operator:
    """One operator for every row: a chunk is multiplied exactly like the whole batch."""
    op = Operator(fn, None)
    op._slicer = lambda sl: op
    return op


def _host_matmat(apply: Callable[[np.ndarray], np.ndarray], name: str, n: int) -> Callable[[Tensor], Tensor]:
    """``X [c, n] -> apply(X^T)^T`` for host (numpy/scipy) operators; CPU tensors only."""

    def fn(x: Tensor) -> Tensor:
        if x.device.type != "cpu":
            raise ValueError(f"{name} is a scipy/numpy operator: b must be on the CPU, got device {x.device}")
        out = np.asarray(apply(x.numpy().T))
        if out.shape != (n, x.shape[0]):
            raise ValueError(f"{name} returned shape {out.shape[::-1]}, expected {tuple(x.shape)}")
        return torch.from_numpy(np.ascontiguousarray(out.T, dtype=x.numpy().dtype))

    return fn


def _numpy_matrix(A: np.ndarray, name: str) -> Tensor:
    """A numpy matrix as a torch tensor: real dtypes only; copied when read-only or byte-swapped."""
    if A.dtype.kind not in "fiu":
        raise TypeError(f"{name} must have a real dtype, got {A.dtype}")
    A = native_order(A)
    if not A.flags.writeable:  # torch warns on a read-only array (nothing writes into it)
        A = A.copy()
    return torch.from_numpy(A)


def _check_finite_values(values, name: str) -> None:
    """ValueError naming ``name`` when a matrix (its stored values, for a sparse one) holds NaN or inf."""
    ok = bool(torch.isfinite(values).all()) if isinstance(values, Tensor) else bool(np.isfinite(values).all())
    if not ok:
        raise ValueError(f"{name} must be finite (found NaN or inf)")


def _stored_values(A: Tensor) -> Tensor:
    """The entries a torch tensor stores: all of a dense one, the values of a sparse one."""
    if A.layout == torch.strided:
        return A
    return A._values() if A.layout == torch.sparse_coo else A.values()


def _tensor_operator(A: Tensor, name: str, B: int, n: int, dtype, device) -> Operator:
    if A.is_complex() or not (A.is_floating_point() or A.dtype in (torch.int32, torch.int64)):
        raise TypeError(f"{name} must have a real dtype, got {A.dtype}")
    if A.device != device:
        raise ValueError(f"{name} must be on the device of b ({device}), got {A.device}")
    values = _stored_values(A)
    _check_finite_values(values, name)
    A = A.to(dtype)
    if values.numel() and not bool(torch.isfinite(values.to(dtype)).all()):
        top = float(values.abs().max())
        raise ValueError(f"{name} overflows {str(dtype).replace('torch.', '')}, the dtype of b (entries up to {top:.3g})")
    if A.dim() == 2 and tuple(A.shape) == (n, n):
        if A.layout != torch.strided:
            return _shared(lambda x: (A @ x.T).T.contiguous())
        At = A.T
        return _shared(lambda x: x @ At)
    if A.dim() == 3 and tuple(A.shape) == (B, n, n) and A.layout == torch.strided:
        def batched(M: Tensor) -> Operator:
            return Operator(lambda x: torch.bmm(M, x.unsqueeze(-1)).squeeze(-1), lambda sl: batched(M[sl]))

        return batched(A)
    raise ValueError(f"{name} must have shape [n, n] = [{n}, {n}] or [B, n, n] = [{B}, {n}, {n}], got {tuple(A.shape)}")


def as_operator(A, name: str, *, B: int, n: int, dtype: torch.dtype, device: torch.device,
                numpy_io: bool, squeeze: bool) -> Operator:
    """Batched torch operator for ``A``.

    ``A`` may be a callable (called with tensors shaped like ``b``, or numpy arrays
    when ``b`` was numpy), a torch tensor or numpy array ``[n, n]`` (shared by all
    systems) or ``[B, n, n]`` (one per system), a torch sparse ``[n, n]`` tensor, a
    scipy sparse matrix/array or a scipy ``LinearOperator`` (CPU only); or one sparse matrix per
    system (:mod:`bigrad.krylov.batched_csr`: a BatchedCSR, a list of scipy sparse matrices, a torch
    sparse CSR ``[B, n, n]``; for ``M`` also ``"jacobi"`` or ``"ilu0"``), solved natively.
    """
    from .batched_csr import csr_operator, is_batched_sparse

    if is_batched_sparse(A) or (isinstance(A, str) and name == "M"):
        return csr_operator(A, name, B=B, n=n)
    if isinstance(A, Tensor):
        return _tensor_operator(A, name, B, n, dtype, device)
    if isinstance(A, np.ndarray):
        return _tensor_operator(_numpy_matrix(A, name), name, B, n, dtype, device)
    if _is_scipy_sparse(A) or is_scipy_linear_operator(A):
        if tuple(A.shape) != (n, n):
            raise ValueError(f"{name} must have shape [n, n] = [{n}, {n}], got {tuple(A.shape)}")
        if _is_scipy_sparse(A) and getattr(A, "data", None) is not None and np.asarray(A.data).dtype.kind in "fc":
            _check_finite_values(np.asarray(A.data), name)
        apply = (lambda X: A @ X) if _is_scipy_sparse(A) else A.matmat
        return _shared(_host_matmat(apply, name, n))
    if callable(A):
        if not squeeze and _takes_rows(A):
            return _rows_operator(A, name, numpy_io, np.arange(B), device)
        return Operator(_user_callable(A, name, numpy_io, squeeze), None)
    raise TypeError(
        f"{name} must be a callable, a torch tensor, a numpy array, a scipy sparse matrix or a "
        f"scipy LinearOperator, got {type(A).__name__}"
    )


def _user_callable(fn, name: str, numpy_io: bool, squeeze: bool) -> Callable[[Tensor], Tensor]:
    """Wrap a user callable: called in the user's shape and array kind, checked on its first call."""
    checked: list[bool] = []

    def check(out, arg: Tensor, x: Tensor) -> None:
        if not isinstance(out, Tensor):
            kind = "a numpy array" if numpy_io else "a torch.Tensor"
            raise TypeError(f"{name} must return {kind}, got {type(out).__name__}")
        if out.shape != arg.shape:
            raise ValueError(f"{name} must return the shape of its input {tuple(arg.shape)}, got {tuple(out.shape)}")
        if not checked:
            if out.dtype != x.dtype or out.device != x.device:
                raise ValueError(f"{name} must return dtype/device {x.dtype}/{x.device}, got {out.dtype}/{out.device}")
            checked.append(True)

    if not (numpy_io or squeeze):  # the common case, called once per iteration: no reshape, no conversion
        def call_batched(x: Tensor) -> Tensor:
            out = fn(x)
            if not checked or not isinstance(out, Tensor) or out.shape != x.shape:
                check(out, x, x)
            return out

        return call_batched

    def call(x: Tensor) -> Tensor:
        arg = x[0] if squeeze else x
        out = fn(arg.numpy() if numpy_io else arg)
        if numpy_io and isinstance(out, np.ndarray):
            out = torch.from_numpy(np.asarray(out, dtype=arg.numpy().dtype))
        check(out, arg, x)
        return out.reshape(x.shape)

    return call


def _takes_rows(fn) -> bool:
    """Whether a callable takes a second positional argument (the chunk's member indices)."""
    try:
        params = inspect.signature(fn).parameters.values()
    except (TypeError, ValueError):
        return False
    positional = [p for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    return len(positional) >= 2


def _rows_operator(fn, name: str, numpy_io: bool, rows: np.ndarray, device) -> Operator:
    """A callable ``A(x, rows)``: called with the rows' member indices (``[c]`` int64, numpy or torch
    like ``b``), so it can be chunked like a matrix."""
    index = rows if numpy_io else torch.from_numpy(rows).to(device)
    call = _user_callable(lambda x: fn(x, index), name, numpy_io, False)
    return Operator(call, lambda sl: _rows_operator(fn, name, numpy_io, rows[sl], device))

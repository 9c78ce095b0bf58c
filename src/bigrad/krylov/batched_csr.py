"""Per-system sparse matrices for the batched Krylov solvers, iterated natively.

:class:`BatchedCSR` is one sparsity structure (CSR ``indptr [n + 1]``,
``indices [nnz]``) with per-member values ``data [B, nnz]``. The solvers
(``cg``, ``gmres``, ``minres``, ``bicgstab``) also take a list or tuple of
scipy sparse matrices (one per member) or a torch sparse CSR batch
``[B, n, n]`` as ``A`` (or ``M``); members with different patterns share the
union of their patterns (missing entries stored as zeros).

Such a system runs whole iterations in C++ (``csrc/krylov_csr.cpp``, per-member
kernels in ``csrc/include/bigrad/krylov_csr.hpp``): members in parallel on
:func:`bigrad.set_num_threads` threads, the GIL released, each member by the
same sequential code (bit-identical for every thread count) and with its own
stop. ``M`` may also be ``"jacobi"`` or ``"ilu0"``: the preconditioner is then
built natively per member from ``A``.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from ._operator import Operator

__all__ = ["BatchedCSR", "as_batched_csr", "is_batched_sparse", "NATIVE_PRECONDITIONERS"]

NATIVE_PRECONDITIONERS = ("jacobi", "ilu0")


def _is_torch_sparse_csr(x: Any) -> bool:
    return type(x).__module__.startswith("torch") and str(getattr(x, "layout", "")) == "torch.sparse_csr"


def is_batched_sparse(A: Any) -> bool:
    """True for the per-system sparse forms: BatchedCSR, a list/tuple of scipy sparse, a 3-D torch sparse CSR."""
    if isinstance(A, BatchedCSR):
        return True
    if isinstance(A, (list, tuple)) and A:
        import scipy.sparse as sp

        return all(sp.issparse(a) for a in A)
    return _is_torch_sparse_csr(A) and A.dim() == 3


class BatchedCSR:
    """B sparse ``n x n`` matrices sharing one CSR structure: ``indptr [n + 1]``, ``indices [nnz]``, ``data [B, nnz]``.

    Column indices are sorted within each row (the data columns are permuted
    alike) and duplicates summed, as scipy's canonical format. ``data`` may be
    ``[nnz]`` for one matrix shared by every member (broadcast when solving).
    """

    def __init__(self, indptr: Any, indices: Any, data: Any) -> None:
        indptr = np.asarray(indptr)
        indices = np.asarray(indices)
        if hasattr(data, "detach"):
            data = data.detach().cpu().numpy()
        data = np.asarray(data)
        for name, a in (("indptr", indptr), ("indices", indices)):
            if a.ndim != 1:
                raise ValueError(f"{name} must be 1-D, got shape {a.shape}")
            if a.size and a.dtype.kind not in "iu":
                raise TypeError(f"{name} must hold integers, got dtype {a.dtype}")
        if data.dtype not in (np.float32, np.float64):
            raise TypeError(f"data must have dtype float32 or float64, got {data.dtype}")
        if data.ndim not in (1, 2) or data.shape[-1] != indices.size:
            raise ValueError(f"data must have shape [nnz] or [B, nnz] with nnz = {indices.size}, got {data.shape}")
        n = indptr.size - 1
        if n < 1 or indptr[0] != 0 or indptr[-1] != indices.size or (np.diff(indptr) < 0).any():
            raise ValueError("indptr must start at 0, never decrease and end at nnz, with n >= 1 rows")
        if indices.size and (indices.min() < 0 or indices.max() >= n):
            bad = int(np.flatnonzero((indices < 0) | (indices >= n))[0])
            raise ValueError(f"indices must lie in [0, n = {n}) (square matrices), got {int(indices[bad])} at {bad}")
        data2 = np.atleast_2d(data)
        finite = np.isfinite(data2).all(axis=1)
        if not finite.all():
            raise ValueError(f"data must be finite (member {int(np.flatnonzero(~finite)[0])} has NaN or inf)")
        self.indptr, self.indices, self.data = _canonical(indptr.astype(np.int64), indices.astype(np.int64), data2)
        self.shared = data.ndim == 1
        self.n = int(n)

    @property
    def batch(self) -> int:
        """Members (1 for a shared matrix)."""
        return int(self.data.shape[0])

    @property
    def dtype(self) -> np.dtype:
        return self.data.dtype

    @property
    def nnz(self) -> int:
        return int(self.indices.size)

    @property
    def diagonal_positions(self) -> np.ndarray:
        """``[n]`` int64: where each row's diagonal entry sits in ``data``'s columns (-1 where it is not stored)."""
        rows = np.repeat(np.arange(self.n), np.diff(self.indptr))
        pos = np.full(self.n, -1, np.int64)
        hit = np.flatnonzero(rows == self.indices)
        pos[rows[hit]] = hit
        return pos

    @classmethod
    def from_scipy(cls, matrices: Any) -> BatchedCSR:
        """One member per scipy sparse matrix (same square shape); patterns are merged into their union."""
        import scipy.sparse as sp

        mats = list(matrices)
        if not mats:
            raise ValueError("A must hold at least one matrix")
        shape = mats[0].shape
        for i, a in enumerate(mats):
            if not sp.issparse(a):
                raise TypeError(f"A[{i}] must be a scipy sparse matrix, got {type(a).__name__}")
            if a.shape[0] != a.shape[1]:
                raise ValueError(f"A[{i}] must be square, got shape {a.shape}")
            if a.shape != shape:
                raise ValueError(f"A[{i}] must have the shape of A[0] {shape} (one n for every system), got {a.shape}")
        dtype = np.result_type(*[a.dtype for a in mats])
        if dtype not in (np.float32, np.float64):
            raise TypeError(f"A must hold float32 or float64 values, got {dtype}")
        csr = [sp.csr_array(a, dtype=dtype) for a in mats]
        for a in csr:
            a.sum_duplicates()
        first = csr[0]
        if all(np.array_equal(a.indptr, first.indptr) and np.array_equal(a.indices, first.indices) for a in csr[1:]):
            return cls(first.indptr, first.indices, np.stack([a.data for a in csr]))  # one pattern: no merging
        union = sp.csr_array((np.ones(sum(a.nnz for a in csr)),
                              (np.concatenate([a.tocoo().row for a in csr]), np.concatenate([a.indices for a in csr]))),
                             shape=shape)
        union.sum_duplicates()
        data = np.zeros((len(csr), union.nnz), dtype)
        for i, a in enumerate(csr):
            data[i] = _values_on(union, a)
        return cls(union.indptr, union.indices, data)

    @classmethod
    def from_torch(cls, t: Any) -> BatchedCSR:
        """A torch sparse CSR batch ``[B, n, n]`` (patterns merged into their union)."""
        import scipy.sparse as sp

        if t.dim() != 3 or t.shape[1] != t.shape[2]:
            raise ValueError(f"A must have shape [B, n, n], got {tuple(t.shape)}")
        crow, col, val = (t.crow_indices().cpu().numpy(), t.col_indices().cpu().numpy(), t.values().cpu().numpy())
        n = int(t.shape[1])
        return cls.from_scipy([sp.csr_array((val[i], col[i], crow[i]), shape=(n, n)) for i in range(t.shape[0])])

    def transpose(self) -> BatchedCSR:
        """Every member transposed (one structure, its data columns permuted)."""
        rows = np.repeat(np.arange(self.n), np.diff(self.indptr))
        order = np.lexsort((rows, self.indices))  # by the new row (old column), then the new column
        indptr = np.zeros(self.n + 1, np.int64)
        np.cumsum(np.bincount(self.indices, minlength=self.n), out=indptr[1:])
        data = self.data[:, order]
        return BatchedCSR(indptr, rows[order], data[0] if self.shared else data)

    def matvec(self, x: np.ndarray) -> np.ndarray:
        """``[B, n] -> [B, n]``: every member's product (numpy, for checks and callbacks)."""
        rows = np.repeat(np.arange(self.n), np.diff(self.indptr))
        out = np.zeros((x.shape[0], self.n), np.result_type(x, self.data))
        np.add.at(out, (slice(None), rows), self.data * x[:, self.indices])  # type: ignore[arg-type]  # numpy's stub omits tuple indices
        return out


def _values_on(union, a) -> np.ndarray:
    """a's values at the union pattern's positions (zeros where a stores nothing)."""
    rows = np.repeat(np.arange(union.shape[0]), np.diff(union.indptr))
    key_u = rows.astype(np.int64) * union.shape[1] + union.indices
    arows = np.repeat(np.arange(a.shape[0]), np.diff(a.indptr))
    key_a = arows.astype(np.int64) * a.shape[1] + a.indices
    out = np.zeros(union.nnz, a.dtype)
    out[np.searchsorted(key_u, key_a)] = a.data
    return out


def _canonical(indptr: np.ndarray, indices: np.ndarray, data: np.ndarray):
    """Sorted columns within rows, duplicates summed; indices as int32."""
    n = indptr.size - 1
    rows = np.repeat(np.arange(n), np.diff(indptr))
    key = rows * n + indices
    order = np.argsort(key, kind="stable")
    key = key[order]
    first = np.ones(key.size, bool)
    first[1:] = key[1:] != key[:-1]
    data = data[:, order]
    if not first.all():
        starts = np.flatnonzero(first)
        data = np.add.reduceat(data, starts, axis=1)
        key = key[starts]
    rows, cols = np.divmod(key, n)
    new_ptr = np.zeros(n + 1, np.int64)
    np.cumsum(np.bincount(rows, minlength=n), out=new_ptr[1:])
    return new_ptr, cols.astype(np.int32), np.ascontiguousarray(data)


def as_batched_csr(A: Any, name: str) -> BatchedCSR:
    """``A`` in its BatchedCSR form (errors name ``name``)."""
    try:
        if isinstance(A, BatchedCSR):
            return A
        if _is_torch_sparse_csr(A):
            return BatchedCSR.from_torch(A)
        return BatchedCSR.from_scipy(A)
    except (ValueError, TypeError) as exc:
        msg = str(exc)
        raise type(exc)(msg if msg.startswith(name) else f"{name}: {msg}") from exc


_METHODS = {"cg": 0, "bicgstab": 1, "minres": 2, "gmres": 3}
_STATUS_ZERO_PIVOT = 2


def csr_operator(A: Any, name: str, *, B: int, n: int):
    """The Krylov operator of a per-system sparse ``A`` (or a native preconditioner name for ``M``)."""
    if isinstance(A, str):
        if name != "M" or A not in NATIVE_PRECONDITIONERS:
            raise ValueError(f"{name} as a string must be one of {NATIVE_PRECONDITIONERS} (M only), got {A!r}")
        return CsrOperator(None, name, B, n, kind=A)
    csr = as_batched_csr(A, name)
    if csr.n != n:
        raise ValueError(f"{name} must have n = {n} rows and columns (the length of b's rows), got {csr.n}")
    if not csr.shared and csr.batch != B:
        raise ValueError(f"{name} must hold one matrix per system: B = {B}, got {csr.batch}")
    return CsrOperator(csr, name, B, n)


class CsrOperator(Operator):
    """An Operator over a BatchedCSR (torch fallback for callbacks and CUDA; the solvers go native)."""

    def __init__(self, csr, name, B, n, *, kind: str = "matrix", rows=None):
        super().__init__(self._apply, self._slice)
        self.csr, self.name, self.kind, self.n = csr, name, kind, n
        self._rows = slice(0, B) if rows is None else rows

    def data(self, np_dtype) -> np.ndarray:
        """``[rows, nnz]`` values of this operator's members, in ``np_dtype``."""
        d = self.csr.data.astype(np_dtype, copy=False)
        if self.csr.shared:
            return np.broadcast_to(d, (self._rows.stop - self._rows.start, d.shape[1]))
        return d[self._rows]

    def _apply(self, x):
        import torch

        if self.csr is None:
            raise ValueError(f"{self.name}={self.kind!r} runs natively only: CPU tensors and no callback")
        rows = torch.from_numpy(np.repeat(np.arange(self.n), np.diff(self.csr.indptr))).to(x.device)
        cols = torch.from_numpy(self.csr.indices.astype(np.int64)).to(x.device)
        np_dtype = np.float32 if x.dtype == torch.float32 else np.float64
        vals = torch.from_numpy(np.ascontiguousarray(self.data(np_dtype))).to(x.device, x.dtype)
        out = torch.zeros_like(x)
        out.index_add_(1, rows, vals * x[:, cols])
        return out

    def _slice(self, sl: slice):
        start = self._rows.start + (sl.start or 0)
        stop = self._rows.start + (sl.stop if sl.stop is not None else self._rows.stop - self._rows.start)
        return CsrOperator(self.csr, self.name, self._rows.stop, self.n, kind=self.kind,
                           rows=slice(start, min(stop, self._rows.stop)))


def native_applies(A_op, M_op, b2, callback) -> bool:
    """Whether the solve runs whole in C++: a per-system sparse A on the CPU, no callback, a native-able M."""
    return (isinstance(A_op, CsrOperator) and A_op.csr is not None and callback is None and b2.device.type == "cpu"
            and b2.dtype.is_floating_point and str(b2.dtype) in ("torch.float32", "torch.float64")
            and (M_op is None or isinstance(M_op, CsrOperator)))


def solve_native(problem, restart: int):
    """Run ``problem`` (bigrad.krylov._common._Problem) natively; returns ``(x, iterations, residual, converged)``."""
    import torch

    from bigrad import _native

    A_op, M_op = problem.A, problem._M
    b = problem.b.contiguous().numpy()
    np_dtype = b.dtype
    # x0 is the driver's own tensor (zeros, or a copy of the user's guess), solved in place; it and
    # b are finite there (the driver has set non-finite members aside)
    x = problem.x0.contiguous().numpy()
    thr = problem.threshold.numpy().astype(np_dtype)
    csr = A_op.csr
    kind, m_ptr, m_idx, m_val = 0, None, None, None
    if M_op is not None:
        if M_op.csr is None:
            kind = 1 if M_op.kind == "jacobi" else 2
        else:
            kind = 3
            m_ptr, m_idx = M_op.csr.indptr, M_op.csr.indices
            m_val = np.ascontiguousarray(M_op.data(np_dtype))
    method = _METHODS[problem.method]
    iters, res, status = _native.core().krylov_csr(
        method, csr.indptr, csr.indices, np.ascontiguousarray(A_op.data(np_dtype)), b, x, thr,
        int(problem.maxiter), max(1, int(restart)), kind, csr.diagonal_positions, m_ptr, m_idx, m_val)
    pivots = np.flatnonzero(status == _STATUS_ZERO_PIVOT)
    if pivots.size:
        what = "a zero or missing diagonal entry" if kind == 1 else "a zero pivot in its incomplete LU factors"
        raise ValueError(f"M={M_op.kind!r}: member {int(pivots[0])} of A has {what}; "
                         "use another preconditioner (or none) for it")
    converged = res <= thr
    return (torch.from_numpy(x), torch.from_numpy(iters), torch.from_numpy(res.astype(np_dtype)),
            torch.from_numpy(converged))

"""Shared machinery of the batched Krylov solvers: argument checks, info, driver loop.

Conventions (all solvers):

* ``b`` has shape ``[B, n]`` (a batch of ``B`` independent systems) or ``[n]``,
  a torch tensor (any device) or a numpy array (numpy in, numpy out).
* ``A`` and ``M``: anything :func:`~bigrad.krylov._operator.as_operator` accepts
  (callable, dense/sparse matrix, ``LinearOperator``, tensor ``[n, n]`` or ``[B, n, n]``).
* Member ``i`` has converged when ``||b_i - A x_i|| <= max(rtol * ||b_i||, atol)``
  (Euclidean norms, computed with the *true* residual at the end) and that residual is finite.
  A member whose ``b_i`` holds NaN or inf is never converged: it is left at ``x0`` while the
  others are solved (:func:`_nonfinite_members`); a non-finite ``x0`` row starts from 0; ``A``
  and ``M`` given as arrays must be finite (ValueError).
* Everything follows ``b.device`` / ``b.dtype``; nothing is moved to the CPU.
  Finished members are frozen by a device-side mask; on an accelerator the host
  reads "anybody still active?" only every ``SYNC_EVERY`` iterations (on the CPU
  that read costs nothing, so it happens every iteration).
* On the CPU, a batch whose operator is known to act row by row is solved in
  chunks of systems of about ``CHUNK_ELEMENTS`` entries per vector (``chunk_size``).
  From ``PARALLEL_ELEMENTS`` entries per batch vector on, the chunks (a multiple of the
  threads) run on ``torch.get_num_threads()`` Python threads (torch, numpy and the native
  CG step release the GIL inside their kernels).  Torch then runs with one intra-op thread
  in the workers and in the calling thread (``torch.set_num_threads(1)`` during the solve,
  restored after): otherwise every op of every worker opens its own OpenMP team, and MKL (used by
  ``bmm``) in a non-main thread ignores torch's thread count altogether; both
  oversubscribe the cores (a ``bmm`` in a worker took 10-25x the CPU time, measured).
* CG without preconditioner or callback pipelines instead (``pipelined=True``): from
  ``PIPELINE_BYTES`` per batch vector on, with ``torch.get_num_threads() > 1`` and
  chunking allowed, this thread computes the matvecs chunk after chunk while native worker threads
  (``bigrad._core.CgPipeline``, csrc/krylov_pipeline.hpp) run each chunk's fused CG step, so the
  Python matvec and the vector updates overlap; Python threads passed the GIL back and forth
  several times per chunk and iteration, and a second thread gained nothing (bench_krylov).
  When the first round shows matvecs costing more than ``MATVEC_RATIO`` times the steps, the
  loop continues on the whole batch with torch's threads (see there).
* The solvers run under ``torch.no_grad()``: the returned ``x`` is not
  differentiable.  Use :func:`bigrad.implicit.custom_root` for differentiable
  solutions of (non-)linear equations.
"""
from __future__ import annotations

import math
import warnings
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace

import numpy as np
import torch
from torch import Tensor

from bigrad._arrays import check_tensor_data, native_order

from ._operator import Operator, as_operator
from .batched_csr import native_applies, solve_native

__all__ = [
    "KrylovConvergenceError",
    "KrylovConvergenceWarning",
    "KrylovInfo",
    "default_tol",
]

_ON_FAIL = ("warn", "raise", "ignore")
#: dtypes whose per-member bookkeeping may live in numpy on the CPU (numpy has no bfloat16)
_NUMPY_FLOATS = (torch.float16, torch.float32, torch.float64)
#: iterations between two host reads of the "still active" mask on an accelerator
SYNC_EVERY = 8
#: entries of one ``[rows, n]`` vector of a chunk: large enough to amortise torch's
#: per-call overhead, small enough to keep a chunk's vectors in the L2/L3 caches
#: (measured, bench/bench_krylov.py: at n = 1e4 chunks of 7-16 systems beat the whole
#: batch of 64; at n = 1e3 the whole batch is fastest)
CHUNK_ELEMENTS = 1 << 16
#: entries of the whole batch ``B n`` from which automatic chunks are spread over several threads:
#: below, a thread pool cost more than it saved (bench_krylov, batch 64: n = 1e3 took 8.0 ms on 2
#: threads and 5.3 ms on 1; n = 1e4, 43 vs 49 ms)
PARALLEL_ELEMENTS = 1 << 18
#: bytes of a whole batch vector (``B n`` entries) from which CG pipelines its steps on worker threads
#: (see above); below, starting and syncing the workers cost about what they saved (bench_krylov's
#: systems, batch 64: n = 1e3 in float64, 500 KB, gains 1.47x; in float32, 250 KB, it lost 14%)
PIPELINE_BYTES = 3 << 17
#: a pipelined CG goes on only while its matvecs took at most this many times its steps (timed in its
#: first round); otherwise the matvec dominates (a dense ``bmm``): the pipeline would run every matvec
#: on one thread, so the loop continues on the whole batch with torch's threads instead (measured,
#: batch 256 of dense 200 x 200: 356 ms pipelined, 128 ms whole; the tridiagonal bench's ratio is
#: about 2.5 at n = 1e3 and below 1 at n = 1e4, where the pipeline gains 1.4x and 1.6x)
MATVEC_RATIO = 4.0
#: native step workers of a pipelined CG at most: a step costs about one matvec, and this thread
#: computes every matvec, so more workers than that would only wait
MAX_PIPELINE_WORKERS = 2

def sync_due(device: torch.device, k: int) -> bool:
    """Whether iteration ``k`` (0-based) reads the active mask on the host."""
    return device.type == "cpu" or (k + 1) % SYNC_EVERY == 0


class KrylovConvergenceWarning(RuntimeWarning):
    """Emitted when some batch members did not reach the requested tolerance."""


class KrylovConvergenceError(RuntimeError):
    """Raised (``on_fail="raise"``) when some batch members did not converge.

    The solution and diagnostics are attached as ``.x`` and ``.info``.
    """

    def __init__(self, message: str, x: Tensor | np.ndarray, info: KrylovInfo):
        super().__init__(message)
        self.x = x
        self.info = info


@dataclass(frozen=True)
class KrylovInfo:
    """Per-batch-member diagnostics of a Krylov solve.

    Attributes (shape ``[B]``, or ``[]`` when ``b`` was 1-D; torch tensors, or
    numpy arrays when ``b`` was a numpy array):
        iterations: int64, iterations used (GMRES: Arnoldi steps summed over
            restart cycles; BiCGSTAB: full iterations of two matvecs each).
        residual: true residual norm ``||b - A x||`` of the returned ``x``.
        converged: bool, ``residual <= max(rtol * ||b||, atol)`` with a finite residual (never for a
            member whose ``b`` holds NaN or inf: its ``x`` is ``x0``, its residual and threshold inf or NaN).
        threshold: the residual threshold ``max(rtol * ||b||, atol)``.
        method: ``"cg"``, ``"gmres"``, ``"bicgstab"`` or ``"minres"``.
    """

    iterations: Tensor
    residual: Tensor
    converged: Tensor
    threshold: Tensor
    method: str

    @property
    def all_converged(self) -> bool:
        """True when every batch member converged (one host sync)."""
        return bool(self.converged.all())


def default_tol(dtype: torch.dtype) -> float:
    """Default relative tolerance: 1e-10 (float64), 1e-5 (float32), 1e-2 (half types)."""
    if dtype == torch.float64:
        return 1e-10
    if dtype == torch.float32:
        return 1e-5
    return 1e-2


def _check_nonneg_float(value, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"{name} must be a real number, got {type(value).__name__}")
    value = float(value)
    if not math.isfinite(value) or value < 0:
        raise ValueError(f"{name} must be finite and >= 0, got {value}")
    return value


def _check_pos_int(value, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an int, got {type(value).__name__}")
    if value < 1:
        raise ValueError(f"{name} must be >= 1, got {value}")
    return value


def _dot(a: Tensor, b: Tensor) -> Tensor:
    """Row-wise inner product of ``[B, n]`` tensors -> ``[B]``."""
    return torch.linalg.vecdot(a, b)


def _safe_div(num: Tensor, den: Tensor) -> Tensor:
    """``num / den`` where ``den != 0``, else 0 (no inf/nan from the division)."""
    nz = den != 0
    return torch.where(nz, num / torch.where(nz, den, torch.ones_like(den)), torch.zeros_like(num))


def _resolve_rtol(rtol, tol, dtype) -> float:
    """``rtol`` (scipy's name); ``tol`` is its older alias."""
    if rtol is not None and tol is not None and rtol != tol:
        raise ValueError(f"rtol and its alias tol disagree ({rtol} vs {tol}); pass only rtol")
    value = rtol if rtol is not None else tol
    return default_tol(dtype) if value is None else _check_nonneg_float(value, "rtol")


def _as_tensor(v, name: str) -> Tensor:
    """``v`` as a dense torch tensor sharing its memory where it can (TypeError/ValueError naming ``name``).

    A numpy array is copied when torch cannot view it safely: read-only (torch would warn, and a
    solver must never write into the caller's array), strided, or in the other byte order.
    """
    if isinstance(v, np.ndarray):
        if v.dtype.kind != "f":
            raise TypeError(f"{name} must have a real floating dtype, got {v.dtype}")
        v = native_order(v)
        if not (v.flags.writeable and v.flags.c_contiguous):
            v = np.array(v, order="C")
        return torch.from_numpy(v)
    if not isinstance(v, Tensor):
        raise TypeError(f"{name} must be a torch.Tensor or a numpy array, got {type(v).__name__}")
    check_tensor_data(v, name)
    return v


def _nonfinite_members(b2: Tensor, threshold: Tensor) -> tuple[Tensor, Tensor, Tensor | None]:
    """Set aside the members whose ``b`` row holds NaN or inf: ``(b, threshold, bad)`` to solve with.

    Such a member has no solution to look for, and its threshold ``rtol ||b||`` is itself inf or
    NaN (with ``inf <= inf`` it passed as converged at ``x = 0``).  It is solved as ``b = 0`` with an
    infinite threshold, so it is never active (in the Python cycles and in the native per-system
    solvers alike) and no inf enters the arithmetic that the solvers share across rows (``0 * inf``
    put NaN into the ``x`` of frozen members); afterwards :func:`_solve` puts back its ``x0``, its
    real residual and threshold and marks it not converged.  The other members are solved as
    usual.  ``bad`` is None when every row is finite (one host read, free on the CPU).
    A finite threshold (``rtol ||b||`` clamped) proves its row finite, since a NaN or inf entry
    makes the norm NaN or inf: the rows are scanned only when some threshold is not finite.
    """
    if bool(torch.isfinite(threshold).all()):
        return b2, threshold, None
    finite = torch.isfinite(b2).all(dim=1)
    if bool(finite.all()):
        return b2, threshold, None
    bad = ~finite
    b_safe = torch.where(bad[:, None], torch.zeros((), dtype=b2.dtype, device=b2.device), b2)
    return b_safe, threshold.masked_fill(bad, math.inf), bad


class _Problem:
    """Validated, batched (2-D) view of a linear-solve request on torch tensors."""

    def __init__(self, method, b2, x0, threshold, maxiter, A: Operator, M: Operator | None, callback, on_fail):
        self.method = method
        self.on_fail = on_fail
        self.b = b2
        self.n = b2.shape[1]
        self.x0 = x0
        self.threshold = threshold
        self.maxiter = maxiter
        self.A = A
        self.has_M = M is not None
        self._M = M
        self.callback = callback
        self.zero_x0 = False
        #: ``(operators, bounds, workers, threads)`` of a pipelined CG: chunk ``c`` is rows
        #: ``bounds[c]:bounds[c + 1]`` with operator ``operators[c]``; ``threads``: torch's own count
        self.pipeline: tuple[list[Operator], list[int], int, int] | None = None

    def M(self, x: Tensor) -> Tensor:
        return x if self._M is None else self._M(x)

    def residual(self, x: Tensor) -> Tensor:
        return self.b - self.A(x)

    def rows(self, sl: slice) -> _Problem:
        part = _Problem(self.method, self.b[sl], self.x0[sl].clone(), self.threshold[sl], self.maxiter,
                        self.A.rows(sl), None if self._M is None else self._M.rows(sl), None, "ignore")
        part.zero_x0 = self.zero_x0
        return part

    def report(self, x: Tensor) -> None:
        if self.callback is not None:
            self.callback(x)


def krylov_solve(method: str, cycle: Callable, max_cycles: int | None, A, b, x0, *, rtol, atol, maxiter, M,
                 callback, on_fail, chunk_size, tol, chunk_elements: int = CHUNK_ELEMENTS, pipelined: bool = False):
    """Validate, convert, chunk and run ``cycle`` (see :func:`run_cycles`); returns ``(x, info)``.

    ``chunk_elements``: target entries of one chunk vector (sizes the automatic chunks).
    ``pipelined``: ``cycle`` can run ``problem.pipeline`` (CG without ``M``; see the module notes).
    """
    numpy_io = isinstance(b, np.ndarray)
    b = _as_tensor(b, "b")
    if not b.is_floating_point():
        raise TypeError(f"b must have a real floating dtype, got {b.dtype}")
    if b.dim() not in (1, 2):
        raise ValueError(f"b must have shape [n] or [B, n], got {tuple(b.shape)}")
    if b.shape[-1] == 0:
        raise ValueError("b must have n >= 1 entries per system")
    if on_fail not in _ON_FAIL:
        raise ValueError(f"on_fail must be one of {_ON_FAIL}, got {on_fail!r}")
    if callback is not None and not callable(callback):
        raise TypeError(f"callback must be callable or None, got {type(callback).__name__}")
    squeeze, shape = b.dim() == 1, tuple(b.shape)
    b2 = b.detach().reshape(-1, shape[-1])
    B, n = b2.shape
    kw = {"B": B, "n": n, "dtype": b.dtype, "device": b.device, "numpy_io": numpy_io, "squeeze": squeeze}
    A_op = as_operator(A, "A", **kw)
    M_op = None if M is None else as_operator(M, "M", **kw)
    size = _chunk_rows(chunk_size, B, n, chunk_elements, A_op, M_op, callback, b.device)
    threads = torch.get_num_threads()
    workers = _workers(chunk_size, B, n, size)
    pipeline = None
    if pipelined and M_op is None and _pipelines(chunk_size, B, n, A_op, callback, b, threads):
        rows = size if chunk_size is not None and chunk_size != "auto" else -(-chunk_elements // n)
        rows = min(rows, -(-B // 2))  # two chunks at least: one multiplied while the other is stepped
        parts = -(-B // rows)
        bounds = [B * c // parts for c in range(parts + 1)]
        steppers = min(threads - 1, MAX_PIPELINE_WORKERS)
        pipeline = ([A_op.rows(slice(lo, hi)) for lo, hi in zip(bounds, bounds[1:])], bounds, steppers, threads)
        size, workers = B, threads  # torch on one thread during the solve, as for Python workers
    args = (method, cycle, max_cycles, b, b2, x0, A_op, M_op, rtol, atol, maxiter, callback, on_fail, tol, size,
            numpy_io, pipeline)
    if workers <= 1:
        return _solve(*args, workers=1)
    # the Python workers run torch with one intra-op thread each, and so does this thread meanwhile:
    # its own large ops (zeros, norms, the final cat) would otherwise open OpenMP teams whose
    # barriers spin while the workers hold the cores (2 threads used 2.4x the CPU time of 1)
    torch.set_num_threads(1)
    try:
        return _solve(*args, workers=workers)
    finally:
        torch.set_num_threads(threads)


def _solve(method, cycle, max_cycles, b, b2, x0, A_op, M_op, rtol, atol, maxiter, callback, on_fail, tol, size,
           numpy_io, pipeline, *, workers: int):
    """The rest of :func:`krylov_solve`: initial guess, tolerances, then the (chunked) driver."""
    shape = tuple(b.shape)
    squeeze = len(shape) == 1
    B, n = b2.shape
    zero_x0 = x0 is None
    if zero_x0:
        x0 = torch.zeros_like(b2)
    else:
        x0 = _as_tensor(x0, "x0")
        if tuple(x0.shape) != shape:
            raise ValueError(f"x0 must have the shape of b {shape}, got {tuple(x0.shape)}")
        if x0.dtype != b.dtype or x0.device != b.device:
            raise ValueError(f"x0 must have the dtype/device of b ({b.dtype}, {b.device}), got ({x0.dtype}, {x0.device})")
        x0 = x0.detach().reshape(b2.shape).clone()
        # a guess that is not finite is no guess: that member starts from 0 (its solution is unchanged)
        x0.masked_fill_(~torch.isfinite(x0).all(dim=1, keepdim=True), 0.0)
    rtol = _resolve_rtol(rtol, tol, b.dtype)
    atol = _check_nonneg_float(atol, "atol")
    maxiter = 10 * n if maxiter is None else _check_pos_int(maxiter, "maxiter")
    threshold = torch.clamp(rtol * b2.norm(dim=1), min=atol)
    b_real, threshold_real = b2, threshold
    b2, threshold, bad = _nonfinite_members(b2, threshold)
    x0_kept = None if bad is None else x0.clone()  # the solvers may update x0 in place
    user_cb = None
    if callback is not None:
        def user_cb(x):
            xs = x[0] if squeeze else x
            callback(xs.numpy().copy() if numpy_io else xs.clone())
    problem = _Problem(method, b2, x0, threshold, maxiter, A_op, M_op, user_cb, on_fail)
    problem.zero_x0 = zero_x0
    problem.pipeline = pipeline
    if native_applies(A_op, M_op, b2, callback):  # one sparse matrix per system: whole iterations in C++
        x, iters, res, conv = solve_native(problem, getattr(cycle, "restart", 20))
    else:
        with torch.no_grad():
            if size >= B:
                x, iters, res, conv = run_cycles(problem, cycle, max_cycles)
            else:
                x, iters, res, conv = _run_chunked(problem, cycle, max_cycles, B, size, workers)
    if bad is not None and x0_kept is not None:  # (None together) report the real b's: residual ||b - A x||
        # and threshold are inf or NaN, not converged
        x = torch.where(bad[:, None], x0_kept, x)
        res = torch.where(bad, torch.linalg.vector_norm(b_real, dim=1), res)
        conv = conv & ~bad
        problem.threshold = threshold_real
    return _finish(problem, x, iters, res, conv, shape, numpy_io, bad)


def _chunk_rows(chunk_size, B, n, chunk_elements, A_op, M_op, callback, device) -> int:
    if chunk_size is not None and chunk_size != "auto":
        return _check_pos_int(chunk_size, "chunk_size")
    sliceable = A_op.sliceable and (M_op is None or M_op.sliceable)
    if callback is not None or device.type != "cpu" or not (sliceable or chunk_size == "auto"):
        return B
    rows = -(-chunk_elements // n)
    threads = torch.get_num_threads()
    if threads > 1 and B * n >= PARALLEL_ELEMENTS:  # a multiple of the threads, balanced (see _run_chunked)
        rows = min(rows, -(-B // threads))
        parts = -(-B // rows)
        parts = -(-parts // threads) * threads
        return -(-B // parts)
    if rows >= B:
        return B
    parts = -(-B // rows)
    return -(-B // parts)  # balanced chunks


def _pipelines(chunk_size, B: int, n: int, A_op: Operator, callback, b: Tensor, threads: int) -> bool:
    """Whether a CG solve pipelines (module notes): several (torch) threads, chunks allowed, a batch
    large enough (``PIPELINE_BYTES``), on the CPU in float32/float64."""
    if threads < 2 or B < 2 or callback is not None:
        return False
    if b.device.type != "cpu" or b.dtype not in (torch.float32, torch.float64):
        return False
    large = B * n * b.element_size() >= PIPELINE_BYTES
    if chunk_size is None:
        return A_op.sliceable and large
    return chunk_size != "auto" or large


def _workers(chunk_size, B: int, n: int, size: int) -> int:
    """Python threads for the chunks: ``torch.get_num_threads()``, but one for automatic chunks of a
    batch too small to split (``B n < PARALLEL_ELEMENTS``), and never more than the chunks."""
    threads = torch.get_num_threads()
    if (chunk_size is None or chunk_size == "auto") and B * n < PARALLEL_ELEMENTS:
        return 1
    return min(threads, -(-B // size))


def _run_chunked(problem: _Problem, cycle, max_cycles, B: int, size: int, workers: int):
    slices = [slice(i, min(i + size, B)) for i in range(0, B, size)]

    def run(sl):
        with torch.no_grad():
            return run_cycles(problem.rows(sl), cycle, max_cycles)

    if workers > 1:  # the caller set torch to one intra-op thread; so do the workers
        with ThreadPoolExecutor(max_workers=workers, initializer=torch.set_num_threads, initargs=(1,)) as pool:
            futures = [pool.submit(run, sl) for sl in slices]
            try:
                parts = [f.result() for f in futures]
            except BaseException:
                for f in futures:
                    f.cancel()
                raise
    else:
        parts = [run(sl) for sl in slices]
    return tuple(torch.cat(p) for p in zip(*parts))


def run_cycles(problem: _Problem, cycle: Callable, max_cycles: int | None):
    """Drive ``cycle`` until every member converged, broke down or ran out of iterations.

    ``cycle(problem, x, r, active, budget) -> (x, iters_used, broke)`` runs one
    restart cycle (GMRES) or one recursion until its own residual estimate is
    small (CG, BiCGSTAB, MINRES) on the members flagged in ``active``; the driver
    then recomputes the true residual, which decides convergence.  Members whose
    estimate said "converged" but whose true residual did not are restarted from
    the true residual (residual replacement), at most ``max_cycles`` times.
    Returns ``(x, iterations, residual, converged)``.
    """
    B = problem.b.shape[0]
    device = problem.b.device
    x = problem.x0
    r = problem.b.clone() if problem.zero_x0 else problem.residual(x)  # x0 = 0: no matvec needed
    if device.type == "cpu" and problem.b.dtype in _NUMPY_FLOATS:
        return _run_cycles_host(problem, cycle, max_cycles, x, r)
    iters = torch.zeros(B, dtype=torch.long, device=device)
    stuck = torch.zeros(B, dtype=torch.bool, device=device)
    res = torch.linalg.vector_norm(r, dim=1)
    cycles = 0
    while max_cycles is None or cycles < max_cycles:
        active = (res > problem.threshold) & (iters < problem.maxiter) & ~stuck
        active &= torch.isfinite(res)
        if not bool(active.any()):
            break
        budget = problem.maxiter - iters
        x, used, broke = cycle(problem, x, r, active, budget)
        iters = iters + used
        stuck |= broke | (active & (used == 0))
        r = problem.residual(x)
        res = torch.linalg.vector_norm(r, dim=1)
        cycles += 1
    return x, iters, res, _converged(res, problem.threshold)


def _converged(res: Tensor, threshold: Tensor) -> Tensor:
    """``res <= threshold`` for a finite residual: an inf residual never passes (also not an inf threshold,
    e.g. ``rtol ||b||`` overflowing in half precision)."""
    return (res <= threshold) & torch.isfinite(res)


def _run_cycles_host(problem: _Problem, cycle: Callable, max_cycles: int | None, x: Tensor, r: Tensor):
    """:func:`run_cycles` on the CPU, its per-member bookkeeping in numpy (a handful of calls)."""
    B = problem.b.shape[0]
    thr = problem.threshold.numpy()
    iters = np.zeros(B, dtype=np.int64)
    stuck = np.zeros(B, dtype=bool)
    res_t = torch.linalg.vector_norm(r, dim=1)
    cycles = 0
    while max_cycles is None or cycles < max_cycles:
        res = res_t.numpy()
        active = (res > thr) & (iters < problem.maxiter) & ~stuck & np.isfinite(res)
        if not active.any():
            break
        x, used, broke = cycle(problem, x, r, torch.from_numpy(active), torch.from_numpy(problem.maxiter - iters))
        used = used.numpy()
        iters += used
        stuck |= broke.numpy() | (active & (used == 0))
        r = problem.residual(x)
        res_t = torch.linalg.vector_norm(r, dim=1)
        cycles += 1
    return x, torch.from_numpy(iters), res_t, _converged(res_t, problem.threshold)


def _finish(problem: _Problem, x: Tensor, iters, res, converged, shape, numpy_io: bool, bad: Tensor | None = None):
    squeeze = (lambda t: t[0]) if len(shape) == 1 else (lambda t: t)
    info = KrylovInfo(
        iterations=squeeze(iters),
        residual=squeeze(res),
        converged=squeeze(converged),
        threshold=squeeze(problem.threshold),
        method=problem.method,
    )
    x_shaped = x.reshape(shape)
    x_out: Tensor | np.ndarray = x_shaped
    if numpy_io:
        x_out = x_shaped.numpy()
        info = replace(info, **{f: getattr(info, f).numpy() for f in ("iterations", "residual", "converged", "threshold")})
    if problem.on_fail != "ignore":
        n_bad = int((~converged).sum())
        if n_bad:
            details = _failure_details(problem, iters, res, converged, bad)
            msg = f"{problem.method}: {n_bad} of {converged.numel()} system(s) did not converge ({details})"
            if problem.on_fail == "raise":
                raise KrylovConvergenceError(msg, x_out, info)
            # the caller of cg/gmres/...: _finish <- _solve <- krylov_solve <- the solver <- caller
            warnings.warn(msg, KrylovConvergenceWarning, stacklevel=5)
    return x_out, info


def _failure_details(problem: _Problem, iters: Tensor, res: Tensor, converged: Tensor, bad: Tensor | None) -> str:
    """The parenthesis of the non-convergence message: NaN/inf members of ``b``, the worst ratio of the others."""
    parts = []
    failed = ~converged
    if bad is not None:
        rows = torch.nonzero(bad).flatten().tolist()
        shown = ", ".join(map(str, rows[:5])) + (", ..." if len(rows) > 5 else "")
        parts.append(f"{len(rows)} with NaN or inf in b (row {shown}), left at x0: b must be finite")
        failed = failed & ~bad
    if bool(failed.any()):
        ratio = res[failed] / problem.threshold[failed].clamp_min(torch.finfo(res.dtype).tiny)
        parts.append(f"worst residual / threshold = {float(ratio.max()):.3g}")
    parts.append(f"max iterations = {int(iters.max())}")
    return "; ".join(parts)

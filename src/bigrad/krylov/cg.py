"""Batched preconditioned conjugate gradient for symmetric positive definite systems."""
from __future__ import annotations

import time

import numpy as np
import torch
from torch import Tensor

from bigrad import _native

from ._common import MATVEC_RATIO, KrylovInfo, _dot, _Problem, _resolve_rtol, krylov_solve, sync_due
from ._operator import Operator

__all__ = ["cg", "cg_unchecked"]

_np_vecdot = getattr(np, "vecdot", None)
_np_min = np.minimum.reduce  # without ndarray.min's Python wrapper
# residual replacements after the recursive residual reported convergence
_MAX_REFINEMENTS = 4


def _cg_cycle(problem: _Problem, x: Tensor, r: Tensor, active: Tensor, budget: Tensor):
    """CG with in-place vector updates; finished members are frozen by ``alpha = beta = 0``."""
    if x.device.type == "cpu" and x.dtype in (torch.float32, torch.float64):
        return _cg_cycle_host(problem, x, r, active, budget)
    B = x.shape[0]
    it = torch.zeros(B, dtype=torch.long, device=x.device)
    broke = torch.zeros(B, dtype=torch.bool, device=x.device)
    act = active.clone()
    x, r = x.clone(), r.clone()
    z = problem.M(r) if problem.has_M else r
    p = z.clone()
    rz = _dot(r, z)
    thr2 = problem.threshold.square()
    zero = torch.zeros_like(rz)
    kmax = int(budget[active].max())
    for k in range(kmax):
        Ap = problem.A(p)
        pAp = _dot(p, Ap)
        ok = pAp > 0  # indefinite operator / nan
        broke |= act & ~ok
        act &= ok
        alpha = torch.where(act, rz / pAp, zero).unsqueeze(1)  # where() drops the 0/0 of frozen members
        x.addcmul_(alpha, p)
        r.addcmul_(alpha, Ap, value=-1.0)
        problem.report(x)
        if problem.has_M:
            z = problem.M(r)
            rz_new, rr = _dot(r, z), _dot(r, r)
        else:
            z = r
            rz_new = rr = torch.linalg.vector_norm(r, dim=1).square()  # one fused pass
        it += act
        act &= (rr > thr2) & (it < budget)
        if sync_due(x.device, k) and not bool(act.any()):
            break
        beta = torch.where(act, rz_new / rz, zero).unsqueeze(1)
        torch.addcmul(z, beta, p, out=p)  # p = z + beta p in one pass
        rz = rz_new
    return x, it, broke


def _np_dot(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    if _np_vecdot is None:  # numpy < 2.0
        return np.einsum("ij,ij->i", a, b)
    return _np_vecdot(a, b)


def _cg_cycle_host(problem: _Problem, x: Tensor, r: Tensor, active: Tensor, budget: Tensor):
    """:func:`_cg_cycle` on the CPU: the per-member scalars live in numpy.

    A torch call on ``[B]`` numbers costs several times a numpy call; the loop makes about
    ten calls per iteration (a matvec, two row-wise dots, three fused vector updates and four
    small numpy calls) while every member is active, and masks only once some stopped.
    Row-wise dots use ``np.vecdot`` (BLAS, no temporary; ``torch.linalg.vecdot`` materialises
    the product and took several times as long, measured in bench/bench_krylov.py).
    Vector updates stay in torch (``addcmul``: one pass, no temporary, intra-op threads).
    ``x`` and ``r`` are updated in place (the driver owns them and recomputes ``r``).
    """
    B = x.shape[0]
    A = problem.A.fn
    M = problem._M
    report = problem.callback
    act = active.numpy().copy()
    budget_s = budget.numpy()
    rn = r.numpy()
    z = r if M is None else M(r)
    p = z.clone()
    pn = p.numpy()
    rz = _np_dot(rn, z.numpy())
    thr2 = np.square(problem.threshold.numpy())
    thr2_max = thr2.max()
    alpha = np.zeros(B, dtype=rz.dtype)
    beta = np.zeros(B, dtype=rz.dtype)
    alpha_t, beta_t = torch.from_numpy(alpha).unsqueeze(1), torch.from_numpy(beta).unsqueeze(1)
    it = np.zeros(B, dtype=np.int64)
    broke = np.zeros(B, dtype=bool)
    if M is None and report is None:
        if problem.pipeline is not None:
            rz, thr2 = np.ascontiguousarray(rz), np.ascontiguousarray(thr2, dtype=rz.dtype)
            x, it, broke, dominated = _cg_loop_pipelined(problem.pipeline, x, r, p, rz, thr2, act, budget_s)
            if not dominated:
                return x, it, broke
            # the matvec dominates: on with the whole batch and torch's own threads, for the rest of the
            # solve (krylov_solve restores the count at its end anyway)
            torch.set_num_threads(problem.pipeline[3])
            problem.pipeline = None
            if act.any():
                x, it_rest, broke_rest = _cg_loop_native(A, x, r, p, rz, thr2, act, budget_s - it.numpy())
                it += it_rest
                broke |= broke_rest
            return x, it, broke
        return _cg_loop_native(A, x, r, p, rz, thr2, act, budget_s)
    fast = bool(act.all())
    live = budget_s if fast else budget_s[act]
    kmax = int(live.max())
    # members stop for a budget only from iteration `k_budget` on; until then, while every member
    # is active, the loop needs no masks (``fast``)
    k_budget = int(live.min())
    k = 0
    with np.errstate(divide="ignore", invalid="ignore"):
        while k < kmax:
            Ap = A(p)
            pAp = _np_dot(pn, Ap.numpy())
            np.divide(rz, pAp, out=alpha)
            if not fast or not _np_min(pAp) > 0:  # indefinite operator / nan: freeze those members
                if fast:  # every member ran the k iterations so far
                    it += k
                    fast = False
                ok = pAp > 0
                broke |= act & ~ok
                act &= ok
                alpha[~act] = 0.0
            x.addcmul_(alpha_t, p)
            r.addcmul_(alpha_t, Ap, value=-1.0)
            k += 1
            if report is not None:
                report(x)
            if M is None:
                z = r
                rz_new = rr = _np_dot(rn, rn)
            else:
                z = M(r)
                rz_new, rr = _np_dot(rn, z.numpy()), _np_dot(rn, rn)
            if fast and k < k_budget and _np_min(rr) > thr2_max:
                np.divide(rz_new, rz, out=beta)
            else:  # somebody stopped (or may have): per-member masks from now on
                if fast:
                    it += k - 1
                    fast = False
                it += act
                act &= (rr > thr2) & (it < budget_s)
                if not act.any():
                    break
                np.divide(rz_new, rz, out=beta)
                beta[~act] = 0.0
            torch.addcmul(z, beta_t, p, out=p)  # p = z + beta p in one pass
            rz = rz_new
    if fast:  # every member ran all k iterations
        it += k
    return x, torch.from_numpy(it), torch.from_numpy(broke)


def _host_product(A, p: Tensor) -> np.ndarray:
    """``A p`` as the C-contiguous numpy array that the native CG step reads."""
    Apn = A(p).numpy()
    return Apn if Apn.flags.c_contiguous else np.ascontiguousarray(Apn)


def _cg_loop_native(A, x: Tensor, r: Tensor, p: Tensor, rz: np.ndarray, thr2: np.ndarray, act: np.ndarray,
                    budget: np.ndarray):
    """The loop of :func:`_cg_cycle_host` without preconditioner or callback: per iteration the
    matvec and one native call (``bigrad._core.cg_step``, csrc/krylov_update.cpp) that fuses the
    dot ``p.Ap``, the updates of ``x`` and ``r`` with ``r.r`` and the update of ``p``, row by row
    (a row stays in the L1/L2 cache across the passes), with the per-member bookkeeping; the GIL
    is released meanwhile.  Ten numpy/torch calls per iteration became one."""
    core = _native.core()
    step = core.cg_step if x.dtype == torch.float64 else core.cg_step_f32
    xn, rn, pn = x.numpy(), r.numpy(), p.numpy()
    rz = np.ascontiguousarray(rz)
    thr2 = np.ascontiguousarray(thr2, dtype=rz.dtype)
    budget = np.ascontiguousarray(budget, dtype=np.int64)
    it = np.zeros(act.shape[0], dtype=np.int64)
    broke = np.zeros(act.shape[0], dtype=bool)
    kmax = int(budget[act].max())
    for _ in range(kmax):
        if step(xn, rn, pn, _host_product(A, p), rz, thr2, it, budget, act, broke) == 0:
            break
    return x, torch.from_numpy(it), torch.from_numpy(broke)


def _cg_loop_pipelined(pipeline, x: Tensor, r: Tensor, p: Tensor, rz: np.ndarray, thr2: np.ndarray,
                       act: np.ndarray, budget: np.ndarray):
    """:func:`_cg_loop_native` on several threads: this thread computes the matvecs chunk after
    chunk, native workers (``bigrad._core.CgPipeline``) run each chunk's ``cg_step`` meanwhile.

    Round robin over the chunks with active rows: wait for chunk ``c``'s previous step, multiply
    its rows of ``p``, queue its step; a chunk leaves once its step reports no active row.  Every
    row goes through the same ``cg_step`` code as on one thread (identical results); torch runs
    on one intra-op thread during the solve.  ``rz`` and ``act`` (contiguous) are updated in place.
    Returns ``(x, iterations, broke, dominated)``: ``dominated`` when the first round's matvecs
    took more than ``MATVEC_RATIO`` times its steps; the loop then stopped after that round.
    """
    operators, bounds, workers, _threads = pipeline
    core = _native.core()
    make = core.CgPipeline if x.dtype == torch.float64 else core.CgPipelineF32
    it = np.zeros(act.shape[0], dtype=np.int64)
    broke = np.zeros(act.shape[0], dtype=bool)
    live = [(c, operators[c], p[lo:hi]) for c, (lo, hi) in enumerate(zip(bounds, bounds[1:]))]
    pipe = make(x.numpy(), r.numpy(), p.numpy(), rz, thr2, it, np.ascontiguousarray(budget, dtype=np.int64), act,
                broke, bounds, workers)
    matvec_s = 0.0
    first = True
    dominated = False
    try:
        while live:
            still = []
            for chunk in live:
                c, A, rows = chunk
                if pipe.wait(c) == 0:
                    continue
                start = time.perf_counter()
                Apn = _host_product(A, rows)
                matvec_s += time.perf_counter() - start
                pipe.submit(c, Apn)
                still.append(chunk)
            live = still
            if first:  # time the first round's steps too, then decide
                first = False
                for c, _, _ in live:
                    pipe.wait(c)
                if matvec_s > MATVEC_RATIO * pipe.step_seconds():
                    dominated = True
                    break
    finally:
        pipe.close()  # the queued steps finish before x, r and p are read or freed
    return x, torch.from_numpy(it), torch.from_numpy(broke), dominated


def cg_unchecked(matvec, b: Tensor, *, rtol: float | None = None, atol: float = 0.0,
                 maxiter: int | None = None) -> tuple[Tensor, Tensor, Tensor, Tensor]:
    """One CG recursion from ``x0 = 0`` on ``b [B, n]``, stopped by the *recursive* residual.

    For callers that compute ``A x`` anyway right after the solve (``custom_root`` gets it from the
    same autograd replay as the parameter gradients) and then check the true residual themselves:
    it saves :func:`cg`'s final matvec and argument handling.  ``matvec`` maps ``[B, n]`` to
    ``[B, n]`` row-wise; no validation, no chunking.  Returns ``(x, iterations, broke, threshold)``
    (``threshold = max(rtol ||b_i||, atol)``); call :func:`cg` with ``x0=x`` when the true
    residual ``||b - A x||`` misses ``threshold``.
    """
    B, n = b.shape
    bnorm = torch.linalg.vector_norm(b, dim=1)
    threshold = torch.clamp(_resolve_rtol(rtol, None, b.dtype) * bnorm, min=atol)
    maxiter = 10 * n if maxiter is None else maxiter
    problem = _Problem("cg", b, None, threshold, maxiter, Operator(matvec, None), None, None, "ignore")
    active = bnorm > threshold
    budget = torch.full((B,), maxiter, dtype=torch.long, device=b.device)
    with torch.no_grad():
        if not bool(active.any()):
            return torch.zeros_like(b), torch.zeros_like(budget), torch.zeros_like(active), threshold
        x, it, broke = _cg_cycle(problem, torch.zeros_like(b), b.clone(), active, budget)
    return x, it, broke, threshold


def cg(
    A,
    b: Tensor | np.ndarray,
    x0=None,
    *,
    rtol: float | None = None,
    atol: float = 0.0,
    maxiter: int | None = None,
    M=None,
    callback=None,
    tol: float | None = None,
    on_fail: str = "warn",
    chunk_size=None,
) -> tuple[Tensor, KrylovInfo]:
    """Solve ``A x = b`` for symmetric positive definite ``A`` (batched CG).

    scipy's calling convention (``scipy.sparse.linalg.cg``), batched over the rows of ``b``.

    Args:
        A: the operator: a callable ``x -> A x`` (called with arrays shaped like ``b``,
            ``[B, n]`` or ``[n]``, of ``b``'s kind, acting row-wise on a batch), a
            matrix ``[n, n]`` shared by all systems (torch dense or sparse, numpy,
            scipy sparse, scipy ``LinearOperator``) or a tensor/array ``[B, n, n]``.
        b: right-hand side(s), ``[B, n]`` or ``[n]``, real floating dtype, a torch
            tensor on any device or a numpy array (then ``x`` and ``info`` are numpy).
            A member whose ``b`` holds NaN or inf is not solved: it stays at ``x0``, not converged.
        x0: initial guess shaped like ``b`` (default zeros).
        rtol: relative tolerance on the residual norm (default
            :func:`~bigrad.krylov.default_tol` of ``b.dtype``: 1e-10 in float64,
            tighter than scipy's 1e-5).  ``tol`` is an alias.
        atol: absolute tolerance; member ``i`` stops at
            ``||r_i|| <= max(rtol * ||b_i||, atol)``.
        maxiter: maximum CG iterations per member (default ``10 * n``).
        M: optional SPD preconditioner ``r -> M r`` (approximates ``A^{-1}``), any form ``A`` takes.
        callback: ``callback(xk)`` after every iteration with the current iterate
            (shaped like ``b``; disables chunking).
        on_fail: ``"warn"`` (default), ``"raise"`` or ``"ignore"`` when some member
            does not converge (including a detected non-positive curvature).
        chunk_size: systems solved together on the CPU.  Default: chunks of
            about 65k entries per vector when ``A`` is not a callable, the whole
            batch for a callable;
            ``"auto"`` also chunks a callable (it must then treat every row
            alike, for any number of rows).

    Returns:
        ``(x, info)``: ``x`` shaped like ``b``; :class:`~bigrad.krylov.KrylovInfo`
        with per-member ``iterations``, true ``residual`` and ``converged``.
    """
    return krylov_solve("cg", _cg_cycle, 1 + _MAX_REFINEMENTS, A, b, x0, rtol=rtol, atol=atol, maxiter=maxiter,
                        M=M, callback=callback, on_fail=on_fail, chunk_size=chunk_size, tol=tol, pipelined=True)

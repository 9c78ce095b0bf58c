"""Shared machinery of the batched Krylov solvers: argument checks, info, driver loop.

Conventions (all solvers):

* ``b`` has shape ``[B, n]`` (a batch of ``B`` independent systems) or ``[n]``.
  ``matvec`` is called with tensors of the same shape as ``b`` and must return
  that shape; for a batch it must act on each row independently.
* Member ``i`` has converged when ``||b_i - A x_i|| <= max(tol * ||b_i||, atol)``
  (Euclidean norms, computed with the *true* residual at the end).
* Everything follows ``b.device`` / ``b.dtype``; nothing is moved to the CPU.
  The loops do one host sync per iteration (the "anybody still active?" check).
* The solvers run under ``torch.no_grad()``: the returned ``x`` is not
  differentiable.  Use :func:`bigrad.implicit.custom_root` for differentiable
  solutions of (non-)linear equations.
"""
from __future__ import annotations

import math
import warnings
from dataclasses import dataclass
from typing import Callable, Optional

import torch
from torch import Tensor

__all__ = [
    "KrylovInfo",
    "KrylovConvergenceWarning",
    "KrylovConvergenceError",
    "default_tol",
]

_ON_FAIL = ("warn", "raise", "ignore")


class KrylovConvergenceWarning(RuntimeWarning):
    """Emitted when some batch members did not reach the requested tolerance."""


class KrylovConvergenceError(RuntimeError):
    """Raised (``on_fail="raise"``) when some batch members did not converge.

    The solution and diagnostics are attached as ``.x`` and ``.info``.
    """

    def __init__(self, message: str, x: Tensor, info: "KrylovInfo"):
        super().__init__(message)
        self.x = x
        self.info = info


@dataclass(frozen=True)
class KrylovInfo:
    """Per-batch-member diagnostics of a Krylov solve.

    Attributes (shape ``[B]``, or ``[]`` when ``b`` was 1-D):
        iterations: int64, iterations used (GMRES: Arnoldi steps summed over
            restart cycles; BiCGSTAB: full iterations of two matvecs each).
        residual: true residual norm ``||b - A x||`` of the returned ``x``.
        converged: bool, ``residual <= max(tol * ||b||, atol)``.
        threshold: the residual threshold ``max(tol * ||b||, atol)``.
        method: ``"cg"``, ``"gmres"`` or ``"bicgstab"``.
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
    return (a * b).sum(dim=1)


def _safe_div(num: Tensor, den: Tensor) -> Tensor:
    """``num / den`` where ``den != 0``, else 0 (no inf/nan from the division)."""
    nz = den != 0
    return torch.where(nz, num / torch.where(nz, den, torch.ones_like(den)), torch.zeros_like(num))


class _Problem:
    """Validated, batched (2-D) view of a linear-solve request."""

    def __init__(self, method, matvec, b, x0, tol, atol, maxiter, M, on_fail):
        if not callable(matvec):
            raise TypeError(f"matvec must be callable, got {type(matvec).__name__}")
        if not isinstance(b, Tensor):
            raise TypeError(f"b must be a torch.Tensor, got {type(b).__name__}")
        if not b.is_floating_point():
            raise TypeError(f"b must have a real floating dtype, got {b.dtype}")
        if b.dim() not in (1, 2):
            raise ValueError(f"b must have shape [n] or [B, n], got {tuple(b.shape)}")
        if b.shape[-1] == 0:
            raise ValueError("b must have n >= 1 entries per system")
        if M is not None and not callable(M):
            raise TypeError(f"M must be callable or None, got {type(M).__name__}")
        if on_fail not in _ON_FAIL:
            raise ValueError(f"on_fail must be one of {_ON_FAIL}, got {on_fail!r}")
        self.method = method
        self.on_fail = on_fail
        self.squeeze = b.dim() == 1
        self.shape = tuple(b.shape)
        b2 = b.detach().reshape(-1, b.shape[-1])
        self.b = b2
        self.n = b2.shape[1]
        if x0 is None:
            self.x0 = torch.zeros_like(b2)
        else:
            if not isinstance(x0, Tensor):
                raise TypeError(f"x0 must be a torch.Tensor or None, got {type(x0).__name__}")
            if tuple(x0.shape) != self.shape:
                raise ValueError(f"x0 must have the shape of b {self.shape}, got {tuple(x0.shape)}")
            if x0.dtype != b.dtype or x0.device != b.device:
                raise ValueError(
                    f"x0 must have the dtype/device of b ({b.dtype}, {b.device}), "
                    f"got ({x0.dtype}, {x0.device})"
                )
            self.x0 = x0.detach().reshape(b2.shape).clone()
        tol = default_tol(b.dtype) if tol is None else _check_nonneg_float(tol, "tol")
        atol = _check_nonneg_float(atol, "atol")
        self.maxiter = 10 * self.n if maxiter is None else _check_pos_int(maxiter, "maxiter")
        self.threshold = torch.clamp(tol * b2.norm(dim=1), min=atol)
        self._user_matvec = matvec
        self._user_M = M
        self._checked = set()

    def _call(self, fn, x: Tensor, name: str) -> Tensor:
        arg = x[0] if self.squeeze else x
        out = fn(arg)
        if name not in self._checked:
            if not isinstance(out, Tensor):
                raise TypeError(f"{name} must return a torch.Tensor, got {type(out).__name__}")
            if tuple(out.shape) != tuple(arg.shape):
                raise ValueError(
                    f"{name} must return the shape of its input {tuple(arg.shape)}, got {tuple(out.shape)}"
                )
            if out.dtype != x.dtype or out.device != x.device:
                raise ValueError(
                    f"{name} must return dtype/device {x.dtype}/{x.device}, got {out.dtype}/{out.device}"
                )
            self._checked.add(name)
        return out.reshape(x.shape)

    def A(self, x: Tensor) -> Tensor:
        return self._call(self._user_matvec, x, "matvec")

    def M(self, x: Tensor) -> Tensor:
        if self._user_M is None:
            return x
        return self._call(self._user_M, x, "M")

    def residual(self, x: Tensor) -> Tensor:
        return self.b - self.A(x)


def run_cycles(problem: _Problem, cycle: Callable, max_cycles: Optional[int]):
    """Drive ``cycle`` until every member converged, broke down or ran out of iterations.

    ``cycle(problem, x, r, active, budget) -> (x, iters_used, broke)`` runs one
    restart cycle (GMRES) or one recursion until its own residual estimate is
    small (CG, BiCGSTAB) on the members flagged in ``active``; the driver then
    recomputes the true residual, which decides convergence.  Members whose
    estimate said "converged" but whose true residual did not are restarted from
    the true residual (residual replacement), at most ``max_cycles`` times.
    """
    with torch.no_grad():
        B = problem.b.shape[0]
        device = problem.b.device
        x = problem.x0
        iters = torch.zeros(B, dtype=torch.long, device=device)
        stuck = torch.zeros(B, dtype=torch.bool, device=device)
        r = problem.residual(x)
        res = r.norm(dim=1)
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
            res = r.norm(dim=1)
            cycles += 1
        converged = res <= problem.threshold
        return _finish(problem, x, iters, res, converged)


def _finish(problem: _Problem, x: Tensor, iters, res, converged):
    squeeze = (lambda t: t[0]) if problem.squeeze else (lambda t: t)
    info = KrylovInfo(
        iterations=squeeze(iters),
        residual=squeeze(res),
        converged=squeeze(converged),
        threshold=squeeze(problem.threshold),
        method=problem.method,
    )
    x_out = x.reshape(problem.shape)
    if problem.on_fail != "ignore":
        n_bad = int((~converged).sum())
        if n_bad:
            worst = float((res / problem.threshold.clamp_min(torch.finfo(res.dtype).tiny)).max())
            msg = (
                f"{problem.method}: {n_bad} of {converged.numel()} system(s) did not converge "
                f"(worst residual / threshold = {worst:.3g}, max iterations = {int(iters.max())})"
            )
            if problem.on_fail == "raise":
                raise KrylovConvergenceError(msg, x_out, info)
            warnings.warn(msg, KrylovConvergenceWarning, stacklevel=3)
    return x_out, info

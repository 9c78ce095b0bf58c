"""Hypergradient (Theorem 2 backward) time and peak memory vs n: implicit (matrix-free) vs dense vs unrolled.

Problem (float64, x, y, z in R^n, diagonal + rank-r structure so that n = 1e6 fits)::

    g(x, y, z) = 1/2 y' (Dg + U U') y - y' (x + z)         inner, y*(x) = H^{-1} (x + z)
    f(x, y, z) = 1/2 ||y - t||^2 + 1/2 x' (Df + V V') x      outer

Loss ``L = wx' x* + wy' y*``.  The exact ``dL/dz`` is evaluated in closed form
(Woodbury for ``H^{-1}``, CG for the outer Schur complement) and every method is
checked against it before it is timed.

``--nonlinear c`` adds ``c * sum(log cosh(y))`` to ``g`` (non-zero third
derivatives; unrolled differentiation must then store every inner iterate).
There is no closed form: the solution comes from
:func:`bigrad.implicit.solve_bilevel` (warm-started at the quadratic solution)
and the reference gradient from the dense solve (n <= 2000) or from ``kkt`` at
``tol = 1e-13`` (so ``kkt``'s own error is not measured then).

Methods (all compute ``dL/dz`` at the solution ``(x*, y*)``):

* ``kkt``: :func:`bigrad.implicit.bilevel_vjp` on the symmetric KKT system with
  MINRES (the default); ``kkt-gmres``: the same system with GMRES(30);
  ``reduced``: the paper's ``(n + m)`` system, GMRES(30) with an inner CG per product.
* ``dense``: the Jacobian ``K`` of the stationarity system (size 3n) is built
  column block by column block from VJPs and solved with ``torch.linalg.solve``
  (``O(n^2)`` memory; skipped above ``DENSE_MAX_N``).
* ``unrolled``: ``T`` outer gradient steps, each differentiating through ``K``
  inner gradient steps (``create_graph=True``), then backprop of ``L`` to ``z``
  through the whole trajectory (forward + backward timed; truncated, so it is
  inexact; skipped when its estimated memory exceeds ``UNROLL_MAX_BYTES``).

Timing: best of ``rounds`` wall-clock runs on one intra-op thread (the 2-core
machine is shared; one thread gives stable figures).  Memory: peak RSS increase
during one run (``reference/memory.py``).

Run: ``PYTHONPATH=src .venv/bin/python bench/run_implicit_scaling.py [--sizes 100 1000 ...]``
"""
from __future__ import annotations

import argparse
import math
import sys
import time
from pathlib import Path

import torch

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bigrad.implicit import BilevelOptions, StationarySystem, bilevel_vjp, solve_bilevel
from bigrad.krylov import cg
from reference.memory import _pin_mmap_threshold as pin_mmap_threshold
from reference.memory import peak_rss_delta

D = torch.float64
RANK = 4
DENSE_MAX_N = 2_000  # K is (3n)^2 float64: 288 MB at n = 2000, 7.2 GB at n = 1e4
UNROLL_T, UNROLL_K = 10, 10
UNROLL_MAX_BYTES = 6e9
KRYLOV = dict(backward_tol=1e-10, backward_restart=30, backward_maxiter=2000)


class LowRankBilevel:
    """The benchmark problem; ``solve()`` gives the exact solution, ``exact_grad`` the exact dL/dz."""

    def __init__(self, n: int, seed: int = 0, nonlinear: float = 0.0):
        gen = torch.Generator().manual_seed(seed)
        self.nonlinear = float(nonlinear)
        r = lambda *s: torch.randn(*s, generator=gen, dtype=D)
        self.n = n
        self.dg = 1 + torch.rand(n, generator=gen, dtype=D)
        self.df = 0.5 + torch.rand(n, generator=gen, dtype=D)
        self.U = r(n, RANK) / math.sqrt(n)
        self.V = r(n, RANK) / math.sqrt(n)
        self.t = r(n)
        self.z = r(1, n)
        self.wx, self.wy = r(1, n), r(1, n)
        Ud = self.U / self.dg[:, None]
        self._cap = torch.linalg.inv(torch.eye(RANK, dtype=D) + self.U.T @ Ud)  # Woodbury capacitance

    # objectives (batched [B, n] -> [B])
    def g(self, x, y, z):
        val = 0.5 * (self.dg * y * y).sum(-1) + 0.5 * ((y @ self.U) ** 2).sum(-1) - (y * (x + z)).sum(-1)
        if self.nonlinear:
            val = val + self.nonlinear * torch.log(torch.cosh(y)).sum(-1)
        return val

    def f(self, x, y, z):
        return 0.5 * ((y - self.t) ** 2).sum(-1) + 0.5 * (self.df * x * x).sum(-1) + 0.5 * ((x @ self.V) ** 2).sum(-1)

    # closed-form pieces
    def H_inv(self, v):
        w = v / self.dg
        return w - ((w @ self.U) @ self._cap @ self.U.T) / self.dg

    def P(self, v):
        return self.df * v + (v @ self.V) @ self.V.T

    def S_inv(self, v):
        x, info = cg(lambda u: self.H_inv(self.H_inv(u)) + self.P(u), v, tol=1e-13, maxiter=5000)
        return x

    def solve(self):
        Hi = self.H_inv
        x = self.S_inv(Hi(self.t[None]) - Hi(Hi(self.z)))
        y = Hi(x + self.z)
        if self.nonlinear:
            x, y, info = solve_bilevel(self.f, self.g, self.z, x, y)
            assert info.outer.converged.all()
        return x, y

    def exact_grad(self, x=None, y=None):
        if self.nonlinear:
            if self.n <= DENSE_MAX_N:
                return grad_dense(self, x, y)[0]
            gz, _, _ = bilevel_vjp(self.f, self.g, x, y, self.z, self.wx, self.wy,
                                   options=BilevelOptions(backward_tol=1e-13, backward_maxiter=5000))
            return gz
        Hi = self.H_inv
        hy = Hi(self.wy)
        return hy - Hi(Hi(self.S_inv(self.wx + hy)))

    def lipschitz(self):
        Lg = float(self.dg.max()) + float(torch.linalg.matrix_norm(self.U, 2)) ** 2 + self.nonlinear
        Lphi = 1.0 / float(self.dg.min()) ** 2 + float(self.df.max()) + float(torch.linalg.matrix_norm(self.V, 2)) ** 2
        return Lg, Lphi


def grad_implicit(pb, x, y, method, solve=None):
    """Theorem 2, matrix-free: returns ``(dL/dz, adjoint Krylov iterations)``."""
    gz, _, info = bilevel_vjp(pb.f, pb.g, x, y, pb.z, pb.wx, pb.wy,
                             options=BilevelOptions(backward=method, backward_solver=solve, **KRYLOV))
    return gz, int(info.adjoint.iterations.max())


def grad_dense(pb, x, y, chunk=512):
    """Theorem 2 with the dense ``3n x 3n`` Jacobian (batched VJPs) and ``torch.linalg.solve``."""
    S = StationarySystem(pb.f, pb.g, x, y, pb.z)
    n = pb.n
    N = 3 * n
    K = torch.empty(N, N, dtype=D)
    eye = torch.eye(N, dtype=D)
    outs = [e for e in S.E if e.requires_grad]
    idx = [i for i, e in enumerate(S.E) if e.requires_grad]
    with torch.enable_grad():
        for s in range(0, N, chunk):  # K is symmetric: block of rows = block of VJPs
            parts = eye[s:s + chunk].split(n, dim=1)
            cots = [parts[i][:, None, :] for i in idx]
            gx, gy, gq = torch.autograd.grad(outs, (S.x, S.y, S.q), cots, retain_graph=True,
                                             is_grads_batched=True, allow_unused=True, materialize_grads=True)
            K[s:s + chunk] = torch.cat([gx[:, 0], gy[:, 0], gq[:, 0]], dim=1)
        del eye
        lam = torch.linalg.solve(K, -torch.cat([pb.wx, pb.wy, torch.zeros_like(pb.wy)], dim=1)[0])
        (gz,) = S.param_vjp(S.split(lam[None], (n, n, n)), [S.z])
    return gz, 0


def grad_unrolled(pb, T=UNROLL_T, K=UNROLL_K):
    """Unrolled differentiation: T outer steps through K inner gradient steps each, then backprop."""
    Lg, Lphi = pb.lipschitz()
    eta, alpha = 1.0 / Lg, 1.0 / Lphi
    with torch.enable_grad():
        z = pb.z.clone().requires_grad_(True)
        x = torch.zeros_like(z).requires_grad_(True)
        y = torch.zeros_like(z).requires_grad_(True)

        def inner(x, y):
            for _ in range(K):
                (gy,) = torch.autograd.grad(pb.g(x, y, z).sum(), y, create_graph=True)
                y = y - eta * gy
            return y

        for _ in range(T):
            y = inner(x, y)
            (gx,) = torch.autograd.grad(pb.f(x, y, z).sum(), x, create_graph=True)
            x = x - alpha * gx
        y = inner(x, y)
        L = (pb.wx * x).sum() + (pb.wy * y).sum()
        (gz,) = torch.autograd.grad(L, z)
    return gz, T * K


METHODS = {
    "kkt": lambda pb, x, y: grad_implicit(pb, x, y, "kkt"),
    "kkt-gmres": lambda pb, x, y: grad_implicit(pb, x, y, "kkt", "gmres"),
    "reduced": lambda pb, x, y: grad_implicit(pb, x, y, "reduced"),
    "dense": grad_dense,
    "unrolled": lambda pb, x, y: grad_unrolled(pb),
}


def rel_err(a, b):
    return float((a - b).norm() / b.norm())


def unrolled_bytes_estimate(n, nonlinear, probe_n=10_000):
    """Peak memory of the unrolled baseline measured at ``probe_n``, extrapolated linearly."""
    pb = LowRankBilevel(probe_n, nonlinear=nonlinear)
    _, peak = peak_rss_delta(grad_unrolled, pb)
    return peak * n / probe_n


def skip_reason(method, n, nonlinear=0.0):
    if method == "dense" and n > DENSE_MAX_N:
        return f"skipped: K needs {(3 * n) ** 2 * 8 / 1e9:.3g} GB"
    if method == "unrolled":
        est = unrolled_bytes_estimate(n, nonlinear)
        if est > UNROLL_MAX_BYTES:
            return f"skipped: ~{est / 1e9:.3g} GB estimated"
    return None


def measure(method, pb, x, y, exact, rounds=3):
    """``dict(time_s, peak_mb, rel_err, iters)``: correctness first, then best-of-``rounds`` time."""
    fn = METHODS[method]
    fn(pb, x, y)  # warm-up: allocator and autograd caches
    (gz, iters), peak = peak_rss_delta(fn, pb, x, y)
    err = rel_err(gz, exact)
    best = math.inf
    for _ in range(rounds):
        t0 = time.perf_counter()
        fn(pb, x, y)
        best = min(best, time.perf_counter() - t0)
    return dict(time_s=best, peak_mb=peak / 1e6, rel_err=err, iters=iters)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[100, 1_000, 10_000, 100_000, 1_000_000])
    ap.add_argument("--methods", nargs="+", default=list(METHODS), choices=list(METHODS))
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--nonlinear", type=float, default=0.0, help="weight of sum(log cosh(y)) in g")
    args = ap.parse_args(argv)
    torch.set_num_threads(args.threads)
    pin_mmap_threshold()
    print(f"threads={args.threads}, krylov={KRYLOV}, unrolled T={UNROLL_T} K={UNROLL_K}, "
          f"nonlinear={args.nonlinear}")
    print("| n | method | time s | peak MB | rel. err | iters | time / kkt | mem / kkt |")
    print("|---|---|---|---|---|---|---|---|")
    for n in args.sizes:
        pb = LowRankBilevel(n, nonlinear=args.nonlinear)
        t0 = time.perf_counter()
        x, y = pb.solve()
        solve_s = time.perf_counter() - t0
        exact = pb.exact_grad(x, y)
        base = None
        for method in args.methods:
            reason = skip_reason(method, n, args.nonlinear)
            if reason:
                print(f"| {n:.0e} | {method} | {reason} | | | | | |", flush=True)
                continue
            rounds = 1 if (method == "dense" and n > 1000) or n >= 1_000_000 else args.rounds
            r = measure(method, pb, x, y, exact, rounds=rounds)
            if method == "kkt":
                base = r
            ratio_t = f"{r['time_s'] / base['time_s']:.3g}" if base else ""
            # below ~1 MB the RSS (page granularity, allocator caches) says nothing
            ratio_m = f"{r['peak_mb'] / base['peak_mb']:.3g}" if base and base["peak_mb"] > 1 else ""
            print(f"| {n:.0e} | {method} | {r['time_s']:.4g} | {r['peak_mb']:.4g} | {r['rel_err']:.1e} | "
                  f"{r['iters']} | {ratio_t} | {ratio_m} |", flush=True)
        print(f"|  | (forward solve: {solve_s:.3g} s) | | | | | | |", flush=True)


if __name__ == "__main__":
    main()

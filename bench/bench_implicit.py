"""Hypergradient (Theorem 2 backward) time and peak memory: matrix-free implicit vs dense vs unrolled.

Problem and methods: see ``bench/run_implicit_scaling.py`` (diagonal + rank-4
quadratic bilevel problem with closed-form gradient; ``kkt`` = MINRES on the
symmetric KKT system, ``kkt-gmres``, ``reduced`` = the paper's (n+m) system,
``dense`` = full Jacobian + ``torch.linalg.solve``, ``unrolled`` = 10 outer x
10 inner differentiated gradient steps).  Every method is checked against the
closed-form gradient before it is timed; ``dense`` is skipped above n = 2000
(its (3n)^2 Jacobian would need 7.2 GB at n = 1e4).

Default sizes n = 1e2, 1e3, 1e4 (about a minute); ``BIGRAD_BENCH_LARGE=1`` adds
1e5 and 1e6 (several minutes).  One intra-op thread (shared 2-core machine).

``test_bench_custom_root_vs_torchopt``: hypergradient through ``custom_root`` against torchopt's
(needs ``pip install torchopt --no-deps optree graphviz``; skipped without it), see below.

Run: PYTHONPATH=src .venv/bin/python -m pytest bench/bench_implicit.py --benchmark-enable -s -q \
        --benchmark-json bench/results/bench_implicit.json
"""
import os
import statistics
import time

import pytest

torch = pytest.importorskip("torch")

from bench.conftest import report
from bench.run_implicit_scaling import (
    DENSE_MAX_N,
    METHODS,
    LowRankBilevel,
    pin_mmap_threshold,
    rel_err,
)
from reference.memory import peak_rss_delta, rss_supported

SIZES = [100, 1_000, 10_000] + ([100_000, 1_000_000] if os.environ.get("BIGRAD_BENCH_LARGE") else [])
TOL = {"kkt": 1e-7, "kkt-gmres": 1e-7, "reduced": 1e-7, "dense": 1e-9, "unrolled": 0.1}
_CACHE = {}


def problem(n):
    if n not in _CACHE:
        _CACHE.clear()
        pb = LowRankBilevel(n)
        x, y = pb.solve()
        _CACHE[n] = (pb, x, y, pb.exact_grad())
    return _CACHE[n]


@pytest.fixture(autouse=True)
def one_thread():
    old = torch.get_num_threads()
    torch.set_num_threads(1)
    pin_mmap_threshold()
    yield
    torch.set_num_threads(old)


@pytest.mark.parametrize("method", list(METHODS))
@pytest.mark.parametrize("n", SIZES)
def test_bench_hypergradient(benchmark, n, method):
    if method == "dense" and n > DENSE_MAX_N:
        pytest.skip(f"dense Jacobian (3n)^2 float64 needs {(3 * n) ** 2 * 8 / 1e9:.3g} GB")
    pb, x, y, exact = problem(n)
    fn = METHODS[method]
    gz, iters = fn(pb, x, y)  # warm-up + correctness before timing
    err = rel_err(gz, exact)
    assert err < TOL[method], f"{method}: relative error {err:.2e} vs closed form"
    peak_mb = peak_rss_delta(fn, pb, x, y)[1] / 1e6 if rss_supported() else float("nan")
    rounds = 1 if (method == "dense" and n > 1000) or n >= 1_000_000 else 3
    benchmark.pedantic(fn, args=(pb, x, y), rounds=rounds, iterations=1, warmup_rounds=0)
    report(benchmark, {"n": n, "method": method, "peak_mb": peak_mb, "rel_err": err, "iters": iters})


# ------------------------------------------------------------------------------------------------
# Hypergradient through ``custom_root``: bigrad vs torchopt, side by side in the same run.
#
# Quadratic bilevel problem, batch 8 (float64): inner ``g(x, y) = 1/2 y'(D + U U')y - y'x`` (D > 0
# diagonal, U n x 4), so ``y*(x) = H^{-1} x`` (Woodbury, the same closed-form inner solver for both
# libraries); outer ``F = 1/2 ||y* - t||^2 + 1/2 ||x||^2``.  Timed: inner solve + ``dF/dx`` through
# the library's ``custom_root`` (optimality ``T(y, x) = H y - x``, adjoint by CG with rtol 1e-10,
# atol 0 for both).  Both gradients are checked against the closed form ``x + H^{-1}(y* - t)``
# (relative error < 1e-8) before timing; rounds alternate bigrad / torchopt.  ``x_torchopt`` is the
# ratio of medians, ``x_torchopt_min`` of minima, ``x_torchopt_cpu`` of median thread CPU times (the
# robust figures on a loaded machine: both libraries run on this one thread).
# ------------------------------------------------------------------------------------------------
HG_BATCH, HG_RANK, HG_RTOL, HG_ROUNDS = 8, 4, 1e-10, 41


class QuadHG:
    def __init__(self, n, seed=0):
        gen = torch.Generator().manual_seed(seed)
        B = HG_BATCH
        self.d = 1.0 + torch.rand(B, n, generator=gen, dtype=torch.float64)
        self.U = torch.randn(B, n, HG_RANK, generator=gen, dtype=torch.float64) / n**0.5
        self.t = torch.randn(B, n, generator=gen, dtype=torch.float64)
        self.x = torch.randn(B, n, generator=gen, dtype=torch.float64)
        Ud = self.U / self.d[..., None]
        self.cap = torch.linalg.inv(torch.eye(HG_RANK, dtype=torch.float64) + self.U.transpose(1, 2) @ Ud)

    def hmv(self, y):  # H y, batched [B, n]
        return self.d * y + (self.U @ (self.U.transpose(1, 2) @ y.unsqueeze(-1))).squeeze(-1)

    def hsolve(self, r):  # H^{-1} r (Woodbury)
        Ud = self.U / self.d[..., None]
        rd = r / self.d
        return rd - (Ud @ (self.cap @ (Ud.transpose(1, 2) @ r.unsqueeze(-1)))).squeeze(-1)

    def optimality(self, y, x):
        return self.hmv(y) - x

    def outer(self, x, y):
        return 0.5 * ((y - self.t) ** 2).sum() + 0.5 * (x**2).sum()

    def exact_grad(self):
        return self.x + self.hsolve(self.hsolve(self.x) - self.t)


def bigrad_hypergradient(pb, solver):
    x = pb.x.clone().requires_grad_(True)
    y = solver(torch.zeros_like(x), x)
    (gx,) = torch.autograd.grad(pb.outer(x, y), x)
    return gx


def make_bigrad(pb):
    from bigrad.implicit import custom_root

    @custom_root(pb.optimality, solve="cg", batched=True, tol=HG_RTOL)
    def inner(y0, x):
        return pb.hsolve(x)

    return inner


def make_torchopt(pb):
    torchopt = pytest.importorskip("torchopt")

    @torchopt.diff.implicit.custom_root(
        pb.optimality, argnums=1, solve=torchopt.linear_solve.solve_cg(rtol=HG_RTOL, atol=0.0)
    )
    def inner(y0, x):
        return pb.hsolve(x)

    return inner


@pytest.mark.parametrize("n", [10, 100, 1_000])
def test_bench_custom_root_vs_torchopt(benchmark, n):
    torchopt = pytest.importorskip("torchopt")
    pb = QuadHG(n)
    exact = pb.exact_grad()
    ours, peer = make_bigrad(pb), make_torchopt(pb)
    err = float((bigrad_hypergradient(pb, ours) - exact).norm() / exact.norm())
    err_peer = float((bigrad_hypergradient(pb, peer) - exact).norm() / exact.norm())
    assert err < 1e-8 and err_peer < 1e-8, (err, err_peer)
    peer_times, peer_cpu, ours_cpu = [], [], []

    def time_peer():
        start, cpu = time.perf_counter(), time.thread_time()
        bigrad_hypergradient(pb, peer)
        peer_times.append(time.perf_counter() - start)
        peer_cpu.append(time.thread_time() - cpu)

    def timed_ours():  # also the thread CPU time: robust to other processes on a shared machine
        cpu = time.thread_time()
        bigrad_hypergradient(pb, ours)
        ours_cpu.append(time.thread_time() - cpu)

    benchmark.pedantic(timed_ours, setup=time_peer, rounds=HG_ROUNDS, iterations=1, warmup_rounds=2)
    if benchmark.stats is None:
        return
    stats = benchmark.stats.stats
    peer_med = statistics.median(peer_times[2:] or peer_times)
    report(benchmark, {
        "n": n, "batch": HG_BATCH, "rel_err": err, "rel_err_torchopt": err_peer,
        "bigrad_us": stats.median * 1e6, "bigrad_min_us": stats.min * 1e6,
        "torchopt_us": peer_med * 1e6, "torchopt_min_us": min(peer_times) * 1e6, "x_torchopt": peer_med / stats.median,
        "x_torchopt_min": min(peer_times) / stats.min,
        "x_torchopt_cpu": statistics.median(peer_cpu[2:] or peer_cpu) / statistics.median(ours_cpu[2:] or ours_cpu),
        "iterations": int(ours.backward_info().iterations.max()),
        "adjoint": ours.backward_info().method,
        "torchopt": torchopt.__version__, "torch": torch.__version__, "load": os.getloadavg()[0],
    })

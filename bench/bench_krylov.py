"""Batched Krylov solvers: bigrad.krylov vs scipy.sparse.linalg, in the same run, interleaved.

Systems: batch 64 of tridiagonal SPD systems ``tridiag(-1, 3, -1) x = b_i`` (n = 1e3, 1e4),
random right-hand sides, rtol 1e-10, atol 0; CG and GMRES(20).
- bigrad: ``A`` given as a batched torch matvec (``chunk_size="auto"``: cache-sized
  chunks of systems, on ``torch.get_num_threads()`` threads), float64, CPU.
- scipy (the peer used well): a Python loop over the 64 systems with the operator as a CSR
  matrix; and one block-diagonal call (64 n unknowns; its tolerance is on the stacked residual,
  so it is a looser criterion than the per-system one above).
Correctness first (every system converged, solutions agree with scipy's to 1e-7 relative),
then rounds alternate scipy loop / bigrad (pedantic ``setup`` times scipy's loop just before each
bigrad round); medians and minima of both are stored in ``extra_info``; the 2-thread rows also
give the second thread's gain, bigrad on 1 and 2 threads alternating call by call
(``x_one_thread``); with bigrad's process CPU
time (``bigrad_cpu_ms``, all threads: with 2 threads, close to the 1-thread figure means the work
split without overhead; the wall-clock gain then depends on a free second core).
Run: .venv/bin/python -m pytest bench/bench_krylov.py --benchmark-enable -s \
        --benchmark-json bench/results/bench_krylov.json
"""
import os
import time

import numpy as np
import pytest
import scipy
import scipy.sparse as sp
import scipy.sparse.linalg as spla
import torch

from bench.conftest import report, single_threaded
from bigrad.krylov import cg, gmres

BATCH, RTOL, RESTART, ROUNDS = 64, 1e-10, 20, 7
GAIN_ROUNDS = 15  # alternations of 1 and 2 threads for the second thread's gain


def systems(n, seed=0):
    rng = np.random.default_rng(seed)
    S = sp.diags([-np.ones(n - 1), np.full(n, 3.0), -np.ones(n - 1)], [-1, 0, 1], format="csr")
    return S, rng.standard_normal((BATCH, n))


def tridiagonal_matvec(x):
    """``tridiag(-1, 3, -1) x`` row-wise for ``x [c, n]``: three fused torch ops."""
    y = 3.0 * x
    y[:, 1:] -= x[:, :-1]
    y[:, :-1] -= x[:, 1:]
    return y


def run_bigrad(method, b):
    if method == "cg":
        return cg(tridiagonal_matvec, b, rtol=RTOL, atol=0.0, chunk_size="auto")
    return gmres(tridiagonal_matvec, b, rtol=RTOL, atol=0.0, restart=RESTART, chunk_size="auto")


def run_scipy(method, S, b):
    if method == "cg":
        return [spla.cg(S, bi, rtol=RTOL, atol=0.0) for bi in b]
    return [spla.gmres(S, bi, rtol=RTOL, atol=0.0, restart=RESTART, maxiter=10 * S.shape[0]) for bi in b]


def run_scipy_block(method, S_block, b):
    if method == "cg":
        return spla.cg(S_block, b.reshape(-1), rtol=RTOL, atol=0.0)
    return spla.gmres(S_block, b.reshape(-1), rtol=RTOL, atol=0.0, restart=RESTART, maxiter=10 * S_block.shape[0])


def second_thread_gain(call, set_threads, get_threads, rounds=GAIN_ROUNDS):
    """``call()`` on 1 and on 2 threads (``set_threads``: torch's for the torch path, bigrad's for the native
    one), alternating call by call (the machine's state drifts between tests): medians and their ratio
    ``x_one_thread`` (> 1: the second thread gains)."""
    old = get_threads()
    times = {1: [], 2: []}
    try:
        for _ in range(rounds):
            for threads in (1, 2):
                set_threads(threads)
                start = time.perf_counter()
                call()
                times[threads].append(time.perf_counter() - start)
    finally:
        set_threads(old)
    one, two = float(np.median(times[1])), float(np.median(times[2]))
    return {"one_thread_ms": one * 1e3, "two_threads_ms": two * 1e3, "x_one_thread": one / two,
            "x_one_thread_min": min(times[1]) / min(times[2])}


@pytest.mark.parametrize("threads", [1, 2])
@pytest.mark.parametrize("method", ["cg", "gmres"])
@pytest.mark.parametrize("n", [1_000, 10_000])
def test_krylov(benchmark, n, method, threads):
    S, b_np = systems(n)
    b = torch.from_numpy(b_np)
    old = torch.get_num_threads()
    torch.set_num_threads(threads)
    try:
        x, info = run_bigrad(method, b)  # correctness (and warm-up) before timing
        assert bool(info.converged.all())
        ref = run_scipy(method, S, b_np)
        assert all(flag == 0 for _, flag in ref)
        ref = np.stack([r for r, _ in ref])
        err = float(np.abs(x.numpy() - ref).max() / np.abs(ref).max())
        assert err < 1e-7, err
        peer = []

        def time_scipy():
            start = time.perf_counter()
            run_scipy(method, S, b_np)
            peer.append(time.perf_counter() - start)

        cpu = []

        def timed_bigrad():  # also the process CPU time (all threads): parallel efficiency on a shared machine
            start = time.process_time()
            run_bigrad(method, b)
            cpu.append(time.process_time() - start)

        benchmark.pedantic(timed_bigrad, setup=time_scipy, rounds=ROUNDS, iterations=1, warmup_rounds=0)
    finally:
        torch.set_num_threads(old)
    if benchmark.stats is None:  # --benchmark-disable (the default addopts): correctness only
        return
    gain = second_thread_gain(lambda: run_bigrad(method, b), torch.set_num_threads,
                              torch.get_num_threads) if threads == 2 else {}
    S_block = sp.block_diag([S] * BATCH, format="csr")
    block = []
    for _ in range(3):
        start = time.perf_counter()
        run_scipy_block(method, S_block, b_np)
        block.append(time.perf_counter() - start)
    stats = benchmark.stats.stats
    report(benchmark, {
        "method": method if method == "cg" else f"gmres({RESTART})", "n": n, "batch": BATCH, "threads": threads,
        "iterations": int(info.iterations.max()), "max_rel_diff": err,
        "bigrad_ms": stats.median * 1e3, "bigrad_min_ms": stats.min * 1e3, "bigrad_cpu_ms": float(np.median(cpu)) * 1e3,
        "scipy_loop_ms": float(np.median(peer)) * 1e3, "scipy_loop_min_ms": min(peer) * 1e3,
        "scipy_block_ms": float(np.median(block)) * 1e3,
        "x_scipy_loop": float(np.median(peer)) / stats.median, "x_scipy_loop_min": min(peer) / stats.min,
        "x_scipy_block": float(np.median(block)) / stats.median, **gain,
        "scipy": scipy.__version__, "torch": torch.__version__, "load": os.getloadavg()[0],
    })


def per_system(n, dtype, seed=0):
    """The issue's per-system batch: 1-D Laplacian plus a random diagonal per member (SPD, tridiagonal)."""
    rng = np.random.default_rng(seed)
    mats = [sp.diags([-np.ones(n - 1), 2 + rng.random(n), -np.ones(n - 1)], [-1, 0, 1], format="csr", dtype=dtype)
            for _ in range(BATCH)]
    return mats, rng.standard_normal((BATCH, n)).astype(dtype)


def scipy_loop_per_system(method, mats, b, rtol):
    solve = spla.cg if method == "cg" else spla.gmres
    kw = {"restart": RESTART} if method == "gmres" else {}
    return np.stack([solve(m, bi, rtol=rtol, maxiter=10 * len(bi), **kw)[0] for m, bi in zip(mats, b)])


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("method", ["cg", "gmres"])
@pytest.mark.parametrize("n", [1_000, 10_000])
def test_krylov_per_system_sparse(benchmark, n, method, dtype):
    """One sparse matrix per member (a list of scipy CSR matrices), iterated natively, vs a scipy loop with a
    CSR matrix per system (scipy's fastest form); 1 thread, then bigrad's 2-thread gain."""
    import bigrad
    from bigrad.krylov import BatchedCSR

    mats, b = per_system(n, np.dtype(dtype))
    csr = BatchedCSR.from_scipy(mats)
    solve = cg if method == "cg" else gmres
    kw = {"restart": RESTART} if method == "gmres" else {}
    rtol = RTOL if dtype == "float64" else 1e-5
    x, info = solve(csr, b, rtol=rtol, **kw)
    assert info.converged.all()
    ref = np.stack([spla.spsolve(m.astype(np.float64).tocsc(), bi.astype(np.float64)) for m, bi in zip(mats, b)])
    assert np.allclose(x, ref, rtol=0, atol=1e-7 if dtype == "float64" else 1e-2)
    if benchmark.disabled:
        return
    load1 = os.getloadavg()[0]
    t_big, t_sci = [], []
    with single_threaded():
        for _ in range(ROUNDS):
            start = time.perf_counter()
            scipy_loop_per_system(method, mats, b, rtol)  # in the members' dtype, as bigrad
            t_sci.append(time.perf_counter() - start)
            start = time.perf_counter()
            solve(csr, b, rtol=rtol, **kw)
            t_big.append(time.perf_counter() - start)
        # the second thread's gain from calls alternating 1 and 2 threads, not right after scipy's single-
        # threaded loop, which leaves the second vCPU idle for ~0.1 s and its wake-up in the 2-thread call
        # (1.23-1.90x there against 1.76-1.79x here, float32 CG at n = 1e4)
        gain = second_thread_gain(lambda: solve(csr, b, rtol=rtol, **kw), bigrad.set_num_threads,
                                  bigrad.get_num_threads)
    big, sci = np.median(t_big), np.median(t_sci)
    two = big / gain["x_one_thread"]  # big / two = the alternation's gain
    report(benchmark, {
        "figure": "per-system sparse matrices (one CSR per member), batch 64, 1 thread",
        "n": n, "method": method, "dtype": dtype, "bigrad_ms": big * 1e3, "scipy_loop_ms": sci * 1e3,
        "x_scipy_loop": sci / big, "x_2_threads": big / two, "iterations_mean": float(np.mean(info.iterations)),
        "peers": {"scipy": scipy.__version__}, "load1": round(load1, 2), "loaded": load1 > 1.0,
    })
    benchmark.pedantic(lambda: solve(csr, b, rtol=rtol, **kw), rounds=3, iterations=1)


def _tridiagonal_stencil(x, d):
    """``A x`` for ``A = tridiag(-1, d, -1)`` per row of ``d`` (torch, differentiable)."""
    out = d * x
    out[:, 1:] = out[:, 1:] - x[:, :-1]
    out[:, :-1] = out[:, :-1] - x[:, 1:]
    return out


def test_sparse_jacobian_adjoint(benchmark):
    """A batched sparse quadratic bilevel layer, n = 1e4, batch 64: ``x*(theta, d) = A(d)^-1 theta`` with
    ``A(d) = tridiag(-1, d, -1)`` per member (the systems above). Backward of ``<c, x*>``: the adjoint CG
    matrix-free (an autograd replay of the stationarity per iteration) against ``custom_root(jacobian=)``
    (the per-member CSR on the native path), 1 thread, interleaved; both checked against scipy's spsolve."""
    from bench.conftest import interleaved
    from bigrad.implicit import custom_root

    n = 10_000
    mats, theta_np = per_system(n, np.dtype("float64"), seed=1)
    d_np = np.stack([m.diagonal() for m in mats])

    def csr_of(d):
        return [sp.diags([-np.ones(n - 1), row, -np.ones(n - 1)], [-1, 0, 1], format="csr") for row in d.numpy()]

    def stationarity(x, theta, d):
        return _tridiagonal_stencil(x, d) - theta

    def inner(x0, theta, d):
        return cg(csr_of(d), theta, rtol=RTOL)[0]

    layers = {"matrix_free": custom_root(stationarity, solve="cg", batched=True, tol=RTOL)(inner),
              "sparse_jacobian": custom_root(stationarity, solve="cg", batched=True, tol=RTOL,
                                             jacobian=lambda x, theta, d: csr_of(d))(inner)}
    theta = torch.tensor(theta_np, requires_grad=True)
    d = torch.tensor(d_np, requires_grad=True)
    c = torch.tensor(np.random.default_rng(2).standard_normal((BATCH, n)))
    x = layers["matrix_free"](torch.zeros_like(theta), theta, d).detach()

    def backward(name):
        theta.grad = d.grad = None
        (layers[name](torch.zeros_like(theta), theta, d) * c).sum().backward()
        return theta.grad.clone(), d.grad.clone()

    u_ref = np.stack([spla.spsolve(m.tocsc(), ci) for m, ci in zip(mats, c.numpy())])  # A symmetric: A^-T c
    for name in layers:
        g_theta, g_d = backward(name)
        assert np.allclose(g_theta.numpy(), u_ref, rtol=0, atol=1e-7)
        assert np.allclose(g_d.numpy(), -u_ref * x.numpy(), rtol=0, atol=1e-7)
    if benchmark.disabled:
        return
    load1 = os.getloadavg()[0]
    with single_threaded():
        t = interleaved({name: (lambda name=name: backward(name)) for name in layers}, rounds=ROUNDS)
    free, sparse = t["matrix_free"], t["sparse_jacobian"]
    report(benchmark, {
        "figure": "sparse quadratic bilevel layer, adjoint through custom_root(jacobian=), n = 1e4, batch 64, 1 thread",
        "matrix_free_ms": free["median"] * 1e3, "sparse_jacobian_ms": sparse["median"] * 1e3,
        "x_matrix_free": free["median"] / sparse["median"], "x_matrix_free_cpu": free["cpu_median"] / sparse["cpu_median"],
        "iterations": int(layers["sparse_jacobian"].backward_info().iterations.max()),
        "load1": round(load1, 2), "loaded": load1 > 1.0,
    })
    benchmark.pedantic(lambda: backward("sparse_jacobian"), rounds=3, iterations=1)

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

Run: PYTHONPATH=src .venv/bin/python -m pytest bench/bench_implicit.py --benchmark-enable -s -q
"""
import os

import pytest

torch = pytest.importorskip("torch")

from bench.conftest import report  # noqa: E402
from bench.run_implicit_scaling import (  # noqa: E402
    DENSE_MAX_N,
    METHODS,
    LowRankBilevel,
    pin_mmap_threshold,
    rel_err,
)
from tests.reference.memory import peak_rss_delta, rss_supported  # noqa: E402

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
    report(benchmark, dict(n=n, method=method, peak_mb=peak_mb, rel_err=err, iters=iters))

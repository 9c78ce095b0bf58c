"""min_max_min with a numba-compiled oracle (whole loop compiled) vs the same oracle as a Python callable.

The oracle picks the K cheapest of d entries per row (an ``@njit`` function). Passed
as is, ``min_max_min`` runs its whole search compiled; wrapped in a Python lambda,
the vectorised Python loop calls it once per bisection step for all open instances.
Same run, interleaved rounds; median and minimum per instance.
Run: .venv/bin/python -m pytest bench/bench_min_max_min_numba.py --benchmark-enable -s
"""
from __future__ import annotations

import os
import statistics
import time

import numpy as np
import pytest

numba = pytest.importorskip("numba")

from bench.conftest import report
from bigrad.solvers import min_max_min
from reference.numba_oracles import cheapest

K, D, ROUNDS = 5, 40, 9


cheapest_k = cheapest(K)


def seconds(fn, *args, reps):
    start = time.perf_counter()
    for _ in range(reps):
        fn(*args)
    return (time.perf_counter() - start) / reps


@pytest.mark.parametrize("batch", [1, 16, 256])
def test_min_max_min_numba(benchmark, batch):
    rng = np.random.default_rng(batch)
    z, w = rng.uniform(0, 1, (batch, D)), rng.uniform(0, 1, (batch, D))
    python_oracle = lambda c: cheapest_k(c)
    a, b = min_max_min(cheapest_k, z, w, 3), min_max_min(python_oracle, z, w, 3)  # also compiles
    np.testing.assert_allclose(a[2], b[2], rtol=1e-12)  # correctness first
    if benchmark.disabled:
        return
    reps = max(1, 256 // batch)
    t_nb, t_py = [], []
    for _ in range(ROUNDS):
        t_nb.append(seconds(min_max_min, cheapest_k, z, w, 3, reps=reps) / batch)
        t_py.append(seconds(min_max_min, python_oracle, z, w, 3, reps=reps) / batch)
    benchmark.pedantic(min_max_min, args=(cheapest_k, z, w, 3), rounds=3, iterations=1)
    med = statistics.median
    report(benchmark, dict(batch=batch, numba_us=med(t_nb) * 1e6, python_us=med(t_py) * 1e6,
                           x_median=med(t_py) / med(t_nb), x_min=min(t_py) / min(t_nb),
                           numba=numba.__version__, load1=os.getloadavg()[0]))

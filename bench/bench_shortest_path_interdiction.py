"""Grid shortest path with interdiction: bigrad vs the HiGHS MILP formulation, per instance.

Budget 3 (paper Sec. 5.3), 12x12 and 18x18, w = 1 (the paper's setting) and
random w, batch 256. The MILP (tests/reference/interdiction_milp.py: flow
formulation with the LP dual of the attacker) is timed on a few instances in
the same run after checking that both give the same game value.
"""
import numpy as np
import pytest

from bench.conftest import per_call_seconds, report
from bigrad.solvers import shortest_path_interdiction
from tests.reference.interdiction_milp import interdiction_milp_value

BATCH = 256


@pytest.mark.parametrize("w_kind", ["ones", "random"])
@pytest.mark.parametrize("size", [12, 18])
def test_shortest_path_interdiction(benchmark, size, w_kind):
    rng = np.random.default_rng(size)
    z = rng.choice([0.8, 1.2, 5.3, 7.7, 9.2], size=(BATCH, size, size))
    w = np.ones_like(z) if w_kind == "ones" else rng.uniform(0.0, 5.0, z.shape)
    _, _, value = shortest_path_interdiction(z, w, 3, return_cost=True)
    milp = [interdiction_milp_value(z[b], w[b], 3) for b in range(3)]
    np.testing.assert_allclose(value[:3], milp, rtol=1e-6)
    if benchmark.disabled:
        return
    benchmark.pedantic(shortest_path_interdiction, args=(z, w, 3), rounds=5, iterations=1, warmup_rounds=1)
    ours = benchmark.stats.stats.median / BATCH
    highs = per_call_seconds(lambda b: interdiction_milp_value(z[b], w[b], 3), [0, 1, 2], min_time=0.5)
    report(benchmark, dict(size=size, w=w_kind, bigrad_us=ours * 1e6, highs_ms=highs * 1e3, x_highs=highs / ours))

"""KKT form of the "in the projection set" blocks (bigrad.miblp.projection.kkt_blocks) against the
vertex enumeration and an independent brute force (follower integer choices x LP subproblems)."""
import numpy as np
import pytest
from scipy.optimize import linprog

from bigrad.miblp import solve
from bigrad.miblp.projection.dual_polyhedron import enumerate_dual
from bigrad.miblp.projection.kkt_blocks import NormalizedKkt
from bigrad.miblp.projection.reformulation import Reformulation
from reference.miblp_bruteforce import random_instance
from reference.miblp_covering import bruteforce_follower_lp, close, covering_instance


@pytest.mark.parametrize("seed", range(10))
@pytest.mark.parametrize("nI", [1, 2])
def test_kkt_matches_enumeration_and_brute_force(seed, nI):
    p = covering_instance(seed, k=3, nI=nI, ymax=3 if nI == 1 else 2)
    assert Reformulation(p, dual="kkt").kkt is not None
    ref = bruteforce_follower_lp(p)
    assert ref.status == "optimal"
    for res in (solve(p, method="ccg", dual=d) for d in ("kkt", "regions", "enumerate")):
        assert res.status == "optimal", res.message
        assert close(res.objective, ref.objective), (res.objective, ref.objective)
        assert res.bilevel_feasible
        assert p.max_violation(res.values) <= 1e-6


def test_twenty_continuous_follower_variables():
    p = covering_instance(1, k=22, nI=2, rows=6)
    k = int((p.follower_vars & ~p.integer).sum())
    assert k >= 20
    ref = bruteforce_follower_lp(p)
    res = solve(p, method="ccg", dual="auto", time_limit=120)
    assert res.status == "optimal", res.message
    assert close(res.objective, ref.objective), (res.objective, ref.objective)
    assert res.bilevel_feasible
    # the vertex enumeration cannot even be set up at the default limit
    with pytest.raises(ValueError, match="max_enumeration"):
        Reformulation(p, dual="enumerate")


def test_auto_uses_a_polynomial_form_when_the_dual_has_rays():
    p = next(random_instance(s) for s in range(20) if (random_instance(s).follower_vars
                                                        & ~random_instance(s).integer).any())
    ref = Reformulation(p, dual="auto")
    assert ref.kkt is None and ref.dual_form == "regions"
    # the KKT form is available too: the normalised one (multipliers in [0, 1]), since the dual has rays
    assert isinstance(Reformulation(p, dual="kkt").kkt, NormalizedKkt)


def test_kkt_big_m_are_valid_bounds():
    """P_i bounds every dual vertex, S_i every slack of an optimal vertex response (brute force check)."""
    p = covering_instance(3, k=3)
    ref = Reformulation(p, dual="kkt")
    d = ref.kkt
    V, R = enumerate_dual(ref.G, ref.w[ref.fcont])
    assert R.shape[0] == 0 and V.shape[0] > 0
    assert np.all(V <= d.P[None, :] + 1e-9)
    assert np.isclose(d.P, V.max(axis=0), rtol=1e-5, atol=1e-5).all()  # the LP bound is the vertex maximum
    L = ref.leader
    for x0 in range(4):
        for x1 in range(4):
            for y in range(3):
                x = np.zeros(p.n)
                x[L] = (x0, x1)
                h = d.h0 - d.TL @ x - d.TI @ np.array([float(y)])
                out = linprog(-d.wC, A_ub=d.G, b_ub=h, bounds=[(None, None)] * d.G.shape[1], method="highs-ds")
                assert out.status == 0
                assert np.all(h - d.G @ out.x <= d.S + 1e-7)


def test_bad_dual_argument():
    p = covering_instance(0)
    with pytest.raises(ValueError, match="dual must be"):
        solve(p, dual="vertices")


def test_cli_dual_option(capsys):
    from pathlib import Path

    from bigrad.cli import main

    data = Path(__file__).resolve().parent / "data" / "miblp"
    args = ["miblp", str(data / "moore_bard.mps"), str(data / "moore_bard.aux"), "--method", "ccg", "--quiet"]
    assert main(args + ["--dual", "enumerate"]) == 0
    # Moore & Bard has no continuous follower variable: dual='kkt' is refused with the reason
    assert main(args + ["--dual", "kkt"]) == 2
    assert "dual='kkt' is not available" in capsys.readouterr().err
    assert main(args + ["--dual", "regions"]) == 2
    assert "dual='regions' is not available" in capsys.readouterr().err

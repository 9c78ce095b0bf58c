"""Critical-region cuts (bigrad.miblp.projection.critical_regions, dual="regions") on followers whose dual polyhedron
has rays: two finite bounds on every continuous follower variable and follower LPs that are
infeasible for some leader/follower choices.  References: the brute force over leader x follower
integer choices with scipy LPs (reference/miblp_covering.py), the exact vertex enumeration,
and scipy LPs for the region/basis algebra."""
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from bigrad.miblp import Problem, solve
from bigrad.miblp.projection.reformulation import Reformulation
from reference.miblp_covering import agree, boxed_instance, bruteforce_follower_lp, close


def has_infeasible_choice(p) -> bool:
    """Whether some (leader, follower integer) choice makes the follower's LP infeasible (scipy)."""
    L, FI, FC = (np.flatnonzero(~p.follower_vars), np.flatnonzero(p.follower_vars & p.integer),
                 np.flatnonzero(p.follower_vars & ~p.integer))
    fr = p.follower_rows
    for x in np.ndindex(*(int(p.ub[j]) + 1 for j in L)):
        for y in np.ndindex(*(int(p.ub[j]) + 1 for j in FI)):
            shift = p.A[fr][:, L] @ np.array(x, float) + p.A[fr][:, FI] @ np.array(y, float)
            out = linprog(np.zeros(FC.size), A_ub=-p.A[fr][:, FC], b_ub=shift - p.row_lower[fr],
                          bounds=list(zip(p.lb[FC], p.ub[FC])), method="highs")
            if out.status == 2:
                return True
    return False


@pytest.mark.parametrize("seed", range(16))
def test_regions_match_brute_force_and_enumeration(seed):
    p = boxed_instance(seed, k=5, nI=1 + seed % 2, rows=3 + seed % 3)
    ref = Reformulation(p, dual="enumerate")
    assert ref.R.shape[0] > 0  # the dual polyhedron has rays: only the normalised KKT form applies
    assert Reformulation(p, dual="auto").dual_form == "regions"
    brute = bruteforce_follower_lp(p, tol=1e-9)
    for dual in ("regions", "enumerate"):
        res = solve(p, method="ccg", dual=dual)
        assert agree(res, brute), (dual, res.status, res.objective, brute.status, brute.objective, res.message)


def test_instances_exercise_infeasible_follower_lps():
    """The random family really has follower LPs that are infeasible for some choices, and both
    feasible and infeasible bilevel problems (else the tests above could not fail on them)."""
    family = [boxed_instance(s, k=5, nI=1 + s % 2, rows=3 + s % 3) for s in range(16)]
    assert sum(has_infeasible_choice(p) for p in family) >= 6
    statuses = {bruteforce_follower_lp(p, tol=1e-9).status for p in family}
    assert statuses == {"optimal", "infeasible"}


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10**6), k=st.integers(1, 5), nI=st.integers(0, 2), rows=st.integers(1, 4),
       coupling=st.booleans())
def test_regions_random(seed, k, nI, rows, coupling):
    p = boxed_instance(seed, k=k, nI=nI, rows=rows, xmax=2, coupling=coupling)
    brute = bruteforce_follower_lp(p, tol=1e-9)
    res = solve(p, method="ccg", dual="regions")
    assert agree(res, brute), (res.status, res.objective, brute.status, brute.objective, res.message)


def test_twenty_continuous_follower_variables_with_rays():
    p = boxed_instance(7, k=22, nI=2, rows=5)
    assert int((p.follower_vars & ~p.integer).sum()) >= 20
    ref = Reformulation(p)
    assert ref.dual_form == "regions" and ref.kkt is None
    brute = bruteforce_follower_lp(p, tol=1e-9)
    assert brute.status == "optimal"
    res = solve(p, time_limit=120)
    assert res.status == "optimal", res.message
    assert close(res.objective, brute.objective), (res.objective, brute.objective)
    assert res.bilevel_feasible
    with pytest.raises(ValueError, match="max_enumeration"):
        Reformulation(p, dual="enumerate")


@pytest.mark.slow
def test_twenty_continuous_follower_variables_with_rays_kkt_form():
    """The same instance through the normalised KKT form (dual with rays): about a minute of HiGHS."""
    p = boxed_instance(7, k=22, nI=2, rows=5)
    brute = bruteforce_follower_lp(p, tol=1e-9)
    kkt = solve(p, dual="kkt", method="ccg", time_limit=120)
    assert kkt.status == "optimal" and close(kkt.objective, brute.objective), (kkt.message, kkt.objective)


def test_continuous_linking_variables_agree_with_enumeration():
    """Continuous leader variables in the follower rows (strict inequalities use strict_tol)."""
    for seed in range(8):
        p = boxed_instance(seed, k=3, nI=1 + seed % 2, rows=2 + seed % 3, leader_integer=False)
        a = solve(p, method="ccg", dual="regions")
        b = solve(p, method="ccg", dual="enumerate")
        assert a.status == b.status, (seed, a.message, b.message)
        if a.status == "optimal":
            assert close(a.objective, b.objective), (seed, a.objective, b.objective)


def test_region_cut_algebra_against_scipy():
    """On its critical region the basis' primal solution is LP-optimal with value p @ h(x); the
    LP value never exceeds p @ h(x) (weak duality) and is reproduced by scipy."""
    p = boxed_instance(4, k=4, nI=1, rows=3)
    ref = Reformulation(p, dual="regions")
    assert not ref.infeasible
    rng = np.random.default_rng(0)
    L = ref.leader
    G, wC = ref.G, ref.w[ref.fcont]
    checked = inside = 0
    for _ in range(40):
        x = rng.integers(ref.lower[L], ref.upper[L] + 1).astype(float)
        ybar = rng.integers(ref.lower[ref.fint], ref.upper[ref.fint] + 1).astype(float)
        hy = ref.h0 - ref.TIy @ ybar
        status, phi, _, basis = ref.regions.solve(hy[: ref.mf] - ref.TLx[: ref.mf] @ x)
        lp = linprog(-wC, A_ub=G, b_ub=hy - ref.TLx @ x, bounds=[(None, None)] * G.shape[1], method="highs")
        if status == "infeasible":
            assert lp.status == 2
            continue
        assert lp.status == 0 and close(phi, -lp.fun)
        cut = ref.regions.region_cut(basis, ref.TLx, hy, x, phi)
        assert cut is not None
        checked += 1
        for _ in range(10):  # other leader decisions
            x2 = rng.integers(ref.lower[L], ref.upper[L] + 1).astype(float)
            h2 = hy - ref.TLx @ x2
            lp2 = linprog(-wC, A_ub=G, b_ub=h2, bounds=[(None, None)] * G.shape[1], method="highs")
            if lp2.status == 0:
                assert -lp2.fun <= cut.p @ h2 + 1e-7 * (1 + abs(lp2.fun))
            if np.all(cut.a @ x2 <= cut.beta + 1e-9):
                inside += 1
                assert lp2.status == 0 and close(-lp2.fun, float(cut.p @ h2))
    assert checked >= 10 and inside >= 10


def _rank_deficient(extra_row: bool) -> Problem:
    """leader x in [0, 3] integer; follower u1 in [0, 5], u2 free (in the leader row only)::

        min -x - u1 + u2  s.t.  u2 >= x - 1 (leader),  u1 in argmax{u1 : u1 <= x + 1}

    ``extra_row`` adds a follower variable u3 in the row ``u3 <= 3`` only (no lower bound, not in
    the objectives): along u3 -> -inf that row's slack grows without bound at optimal responses."""
    A = np.array([[-1.0, 0.0, 1.0], [-1.0, 1.0, 0.0]])
    rl, ru = np.array([-1.0, -np.inf]), np.array([np.inf, 1.0])
    lb, ub = np.array([0.0, 0.0, -np.inf]), np.array([3.0, 5.0, np.inf])
    fr = np.array([False, True])
    if extra_row:
        A = np.vstack([np.hstack([A, np.zeros((2, 1))]), [0.0, 0.0, 0.0, 1.0]])
        rl, ru, fr = np.append(rl, -np.inf), np.append(ru, 3.0), np.append(fr, True)
        lb, ub = np.append(lb, -np.inf), np.append(ub, np.inf)
    n = A.shape[1]
    return Problem(c=np.array([-1.0, -1.0, 1.0, 0.0][:n]), A=A, row_lower=rl, row_upper=ru, lb=lb, ub=ub,
                   integer=np.arange(n) == 0, follower_vars=np.arange(n) > 0, follower_rows=fr,
                   follower_c=np.array([0.0, 1.0, 0.0, 0.0][:n]), follower_sense="max")


def test_rank_deficient_follower_uses_the_normalised_kkt_form():
    """A continuous follower variable in no follower row (rank-deficient follower LP, and u1's two
    bounds give the dual polyhedron a ray): the critical-region cuts do not apply, the normalised
    KKT form does."""
    p = _rank_deficient(False)
    ref = Reformulation(p)
    assert ref.dual_form == "kkt" and "rank" in ref.dual_note
    with pytest.raises(ValueError, match="dual='regions' is not available"):
        Reformulation(p, dual="regions")
    res = solve(p, method="ccg")
    assert res.status == "optimal" and close(res.objective, -3.0 - 4.0 + 2.0)


def test_fallback_to_enumeration_is_reported():
    """Rank-deficient follower LP and a row whose slack has no bound at optimal responses: neither
    polynomial form applies; the enumeration is used and the result's message says why."""
    p = _rank_deficient(True)
    ref = Reformulation(p)
    assert ref.dual_form == "enumerate" and "rank" in ref.dual_note and "slack" in ref.dual_note
    res = solve(p, method="ccg")
    assert res.status == "optimal" and close(res.objective, -3.0 - 4.0 + 2.0)
    assert "dual vertices enumerated because" in res.message


def test_solve_mip_cutoff_semantics():
    """``cutoff`` (used by the lazy cut loop): 'cutoff' iff no point is below it, else a point below
    it; the objective offset is included.  Reference: the same MILP solved to optimality."""
    from bigrad.miblp.highs_backend import solve_mip

    rng = np.random.default_rng(0)
    n = 30
    w, p = rng.integers(10, 60, n).astype(float), rng.integers(10, 60, n).astype(float)
    args = (-p, w[None, :], np.array([-np.inf]), np.array([w.sum() / 3]), np.zeros(n), np.ones(n), np.ones(n, bool))
    opt = solve_mip(*args).objective
    for off in (0.0, 1000.0, -1000.0):
        assert solve_mip(*args, offset=off, cutoff=opt + off - 0.5).status == "cutoff"
        for gap in (0.5, 30.0):
            out = solve_mip(*args, offset=off, cutoff=opt + off + gap)
            assert out.status in ("optimal", "feasible")
            assert out.objective < opt + off + gap and out.objective >= opt + off - 1e-6
            assert w @ out.x <= w.sum() / 3 + 1e-6

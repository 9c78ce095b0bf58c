"""The normalised KKT form (bigrad.miblp.projection.kkt_blocks.NormalizedKkt) for followers whose dual polyhedron has
rays: two finite bounds on the continuous follower variables, equality rows, follower LPs that are
infeasible for some leader/follower choices.  References: the brute force over leader x follower
integer choices with scipy LPs (reference/miblp_covering.py), the exact vertex enumeration
(continuous linking variables), and scipy LPs for the block's algebra."""
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from bigrad.miblp import Problem, solve
from bigrad.miblp.highs_backend import solve_mip
from bigrad.miblp.projection.kkt_blocks import NormalizedKkt
from bigrad.miblp.projection.reformulation import Reformulation
from reference.miblp_covering import agree, boxed_instance, bruteforce_follower_lp, close


def with_equality(p: Problem, rows: int = 1) -> Problem:
    """``p`` with its first ``rows`` follower rows turned into equalities (at their lower side)."""
    hi = p.row_upper.copy()
    fr = np.flatnonzero(p.follower_rows)[:rows]
    hi[fr] = p.row_lower[fr]
    return Problem(c=p.c, A=p.A, row_lower=p.row_lower, row_upper=hi, lb=p.lb, ub=p.ub, integer=p.integer,
                   follower_vars=p.follower_vars, follower_rows=p.follower_rows, follower_c=p.follower_c,
                   follower_sense=p.follower_sense, name=p.name + "-eq")


@pytest.mark.parametrize("seed", range(16))
def test_normalised_kkt_matches_brute_force(seed):
    p = boxed_instance(seed, k=5, nI=1 + seed % 2, rows=3 + seed % 3)
    ref = Reformulation(p, dual="kkt")
    if ref.infeasible:  # the high-point relaxation is infeasible: nothing to set up
        assert bruteforce_follower_lp(p, tol=1e-9).status == "infeasible"
        return
    assert isinstance(ref.kkt, NormalizedKkt)
    assert Reformulation(p, dual="enumerate").R.shape[0] > 0  # the dual polyhedron has rays
    res = solve(p, method="ccg", dual="kkt")
    brute = bruteforce_follower_lp(p, tol=1e-9)
    assert agree(res, brute), (res.status, res.objective, brute.status, brute.objective, res.message)


@pytest.mark.parametrize("seed", range(12))
def test_equality_rows_get_free_multipliers(seed):
    p = with_equality(boxed_instance(seed, k=4, nI=1 + seed % 2, rows=2 + seed % 3))
    ref = Reformulation(p, dual="kkt")
    brute = bruteforce_follower_lp(p, tol=1e-9)
    if ref.infeasible:
        assert brute.status == "infeasible"
        return
    assert ref.kkt.eq.size == 1  # the equality row: one row with a free multiplier, not a pair
    res = solve(p, method="ccg", dual="kkt")
    assert agree(res, brute), (res.status, res.objective, brute.status, brute.objective, res.message)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10**6), k=st.integers(1, 5), nI=st.integers(0, 2), rows=st.integers(1, 4),
       coupling=st.booleans(), equality=st.booleans())
def test_normalised_kkt_random(seed, k, nI, rows, coupling, equality):
    p = boxed_instance(seed, k=k, nI=nI, rows=rows, xmax=2, coupling=coupling)
    if equality:
        p = with_equality(p)
    brute = bruteforce_follower_lp(p, tol=1e-9)
    res = solve(p, method="ccg", dual="kkt")
    assert agree(res, brute), (res.status, res.objective, brute.status, brute.objective, res.message)


def test_kkt_form_reports_infeasible_when_no_follower_point_exists():
    """Found by the random test above: the follower rows have no point over the leader's box, which the
    normalised KKT set-up proves; ``dual="kkt"`` said "not available" (ValueError) instead of reporting the
    problem infeasible, as the other forms and the brute force do."""
    p = boxed_instance(17318, k=1, nI=0, rows=2, xmax=2, coupling=True)
    assert bruteforce_follower_lp(p, tol=1e-9).status == "infeasible"
    assert Reformulation(p, dual="kkt").infeasible
    for dual in ("kkt", "auto", "enumerate"):
        assert solve(p, method="ccg", dual=dual).status == "infeasible", dual


def test_continuous_linking_variables_use_kkt_not_enumeration():
    """Continuous leader variables in the follower rows: ``dual="auto"`` now takes the normalised
    KKT form (before: the exponential enumeration); same answers as the enumeration."""
    for seed in range(8):
        p = boxed_instance(seed, k=3, nI=1 + seed % 2, rows=2 + seed % 3, leader_integer=False)
        ref = Reformulation(p)
        assert ref.infeasible or ref.dual_form == "kkt"
        a = solve(p)
        b = solve(p, method="ccg", dual="enumerate")
        assert a.status == b.status, (seed, a.message, b.message)
        if a.status == "optimal":
            assert close(a.objective, b.objective), (seed, a.objective, b.objective)
            assert "enumerated" not in a.message


def test_pinned_points_are_cut_by_region_cuts(monkeypatch):
    """Where the follower's LP is pinned (empty interior) the normalised block is weaker than the
    condition; the column generation then adds a critical-region cut.  The family exercises it."""
    calls = []
    orig = Reformulation.stall_cut

    def counting(self, ybar, v):
        cut = orig(self, ybar, v)
        calls.append(cut is not None)
        return cut

    monkeypatch.setattr(Reformulation, "stall_cut", counting)
    for seed in (6, 7, 9):
        p = boxed_instance(seed, k=5, nI=1 + seed % 2, rows=3 + seed % 3)
        res = solve(p, method="ccg", dual="kkt")
        assert agree(res, bruteforce_follower_lp(p, tol=1e-9)), (seed, res.message)
    assert sum(calls) >= 1


def _block_feasible(block, v) -> bool:
    """Whether the block's new variables can satisfy its rows at the master point ``v`` (HiGHS)."""
    shift = block.A_v @ v
    out = solve_mip(np.zeros(block.A_e.shape[1]), block.A_e, block.lo - shift, block.hi - shift,
                    block.lb_e, block.ub_e, block.int_e)
    assert out.status in ("optimal", "infeasible"), out.status
    return out.status == "optimal"


def test_block_is_the_condition():
    """At points in the box, the block of ``ybar`` is satisfiable iff the follower's LP at ``ybar`` is
    infeasible or ``w @ v >= w_I @ ybar + phi(x, ybar)`` (scipy), except where the LP's feasible set
    has an empty interior (then only the 'if' direction is claimed)."""
    checked = {"infeasible": 0, "holds": 0, "fails": 0}
    for seed in range(12):
        _check_block(seed, checked)
    assert min(checked.values()) >= 5, checked


def _check_block(seed, checked):
    p = boxed_instance(seed, k=4, nI=1, rows=2)
    if seed % 2:
        p = with_equality(p)
    ref = Reformulation(p, dual="kkt")
    if ref.infeasible:
        return
    d = ref.kkt
    L, C = ref.leader, ref.fcont
    j = C[np.flatnonzero(ref.w[C])[0]]  # a follower variable carrying the follower's value
    rng = np.random.default_rng(seed)
    for _ in range(20):
        x = rng.integers(ref.lower[L], ref.upper[L] + 1).astype(float)
        ybar = rng.integers(ref.lower[ref.fint], ref.upper[ref.fint] + 1).astype(float)
        h = d.h0 - d.TL[:, L] @ x - d.TI @ ybar
        Aeq = d.G[d.eq] if d.eq.size else None
        beq = h[d.eq] if d.eq.size else None
        lp = linprog(-d.wC, A_ub=d.G[d.ineq], b_ub=h[d.ineq], A_eq=Aeq, b_eq=beq,
                     bounds=[(None, None)] * d.G.shape[1], method="highs")
        block = d.block(ybar)
        wIy = float(d.wI @ ybar)
        for psi_shift in (-0.5, 0.0, 1.0):
            v = np.zeros(p.n)
            v[L] = x
            if lp.status == 2:
                target, expect = wIy, True
                checked["infeasible"] += psi_shift == 0.0
            else:
                assert lp.status == 0
                target, expect = wIy - lp.fun + psi_shift, psi_shift >= 0
            if not (ref.theta_min <= target <= ref.theta_max):
                continue  # outside the master's valid value range
            v[j] = target / ref.w[j]
            got = _block_feasible(block, v)
            if expect:
                assert got, (x, ybar, psi_shift)
                checked["holds"] += lp.status == 0
            else:
                # interior of the LP's feasible set (relative to its equality rows)
                k = d.G.shape[1]
                inner = linprog(np.append(np.zeros(k), -1.0), A_ub=np.hstack([d.G[d.ineq], np.ones((d.ineq.size, 1))]),
                                b_ub=h[d.ineq], A_eq=None if Aeq is None else np.hstack([Aeq, np.zeros((d.eq.size, 1))]),
                                b_eq=beq, bounds=[(None, None)] * k + [(None, 1.0)], method="highs")
                if inner.status == 0 and -inner.fun > 1e-7:
                    assert not got, (x, ybar, psi_shift)
                    checked["fails"] += 1

"""bigrad.miblp.solve against brute-force enumeration on seeded random instances."""
import numpy as np
import pytest

from bigrad.miblp import solve
from bigrad.miblp.projection import leader_enumeration
from reference.miblp_bruteforce import bruteforce_enumerate, bruteforce_highs, random_instance

SEEDS = list(range(20))


def agree(res, ref):
    if ref.status == "infeasible":
        return res.status == "infeasible"
    return res.status == "optimal" and abs(res.objective - ref.objective) <= 1e-6 * max(1.0, abs(ref.objective))


def _solve(p, variant, monkeypatch):
    """variant: 'auto' (leader enumeration on these small leader spaces), 'ccg', or 'highs'
    (the enumeration with its numpy grid evaluation switched off: HiGHS subproblems only)."""
    if variant == "highs":
        monkeypatch.setattr(leader_enumeration, "GRID_MAX", 0)
        return solve(p, method="enumerate")
    return solve(p, method=variant)


@pytest.mark.parametrize("variant", ["auto", "ccg", "highs"])
@pytest.mark.parametrize("seed", SEEDS)
def test_random_instance_matches_brute_force(seed, variant, monkeypatch):
    p = random_instance(seed)
    ref = bruteforce_highs(p)
    res = _solve(p, variant, monkeypatch)
    if variant == "auto":
        assert res.method == "enumerate"
    assert agree(res, ref), (res.status, res.objective, ref.status, ref.objective)
    if res.status == "optimal":
        assert res.bilevel_feasible
        assert p.max_violation(res.values) <= 1e-6
        assert res.lower_bound <= ref.objective + 1e-6 <= res.upper_bound + 2e-6
        assert p.leader_objective(res.values) == pytest.approx(res.objective)


def test_random_set_covers_the_interesting_cases():
    """The seeded set must contain continuous follower parts, unbounded ones and infeasible instances."""
    probs = [random_instance(s) for s in SEEDS]
    cont = [p for p in probs if (p.follower_vars & ~p.integer).any()]
    assert len(cont) >= 5
    assert any(np.isinf(p.ub[p.follower_vars & ~p.integer]).any() for p in cont)
    statuses = {bruteforce_highs(p).status for p in probs}
    assert statuses == {"optimal", "infeasible"}


@pytest.mark.parametrize("variant", ["auto", "ccg", "highs"])
@pytest.mark.parametrize("seed", range(100, 112))
def test_pure_integer_instances_match_enumeration(seed, variant, monkeypatch):
    p = random_instance(seed, max_follower_cont=0, allow_leader_cont=False)
    ref = bruteforce_enumerate(p)  # independent of any LP/MILP solver
    assert ref.status == bruteforce_highs(p).status  # the two references agree
    if ref.status == "optimal":
        assert bruteforce_highs(p).objective == pytest.approx(ref.objective)
    res = _solve(p, variant, monkeypatch)
    assert agree(res, ref), (res.status, res.objective, ref.status, ref.objective)
    assert res.exact  # integer linking variables with integer data: no tolerance needed


@pytest.mark.parametrize("seed", [1, 4, 10])
def test_medium_instances_use_the_lp_bounded_enumeration(seed):
    """45-100 leader decisions, continuous follower variables: the LP-bound order, the P7 cutoff
    and the polishing of the follower band all take part (the bench's random_medium set)."""
    p = random_instance(seed, leader_int=(3, 3), follower_int=(3, 3), max_follower_cont=2,
                        follower_rows=(4, 5), leader_rows=(1, 2))
    ref = bruteforce_highs(p)
    res = solve(p)
    assert res.method == "enumerate" and leader_enumeration.leader_choices(p) >= leader_enumeration.LP_ORDER_MIN
    assert agree(res, ref), (res.status, res.objective, ref.status, ref.objective)
    assert res.status != "optimal" or (res.bilevel_feasible and res.lower_bound <= res.objective)

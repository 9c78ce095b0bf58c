"""time_limit covers preprocessing too; Ctrl-C (KeyboardInterrupt) returns the incumbent as 'interrupted';
the interdiction cut loop agrees with brute force on random knapsack interdiction."""
import itertools
import time

import numpy as np
import pytest

from bigrad.miblp import Problem, solve


def _many_continuous_followers(k=24, rows=30, seed=0):
    """One integer leader variable, ``k`` continuous follower variables: the exact dual enumeration
    of the CCG method needs C(rows + 2k, k) subsets, far beyond any time limit."""
    rng = np.random.default_rng(seed)
    P = rng.integers(1, 9, (rows, k)).astype(float)
    return Problem.from_blocks(
        leader_c_x=[1.0], leader_c_y=-rng.integers(1, 5, k).astype(float), follower_c_y=rng.integers(1, 5, k),
        x_lb=[0], x_ub=[3], y_lb=np.zeros(k), y_ub=np.full(k, 4.0), x_integer=[True],
        y_integer=np.zeros(k, bool), A_x=np.zeros((0, 1)), A_y=np.zeros((0, k)), b=np.zeros(0),
        Q_x=np.ones((rows, 1)), P_y=P, s=np.full(rows, 40.0), follower_sense="max",
    )


def test_time_limit_covers_the_dual_enumeration():
    t = time.perf_counter()
    res = solve(_many_continuous_followers(), time_limit=0.5, max_enumeration=10**30, method="ccg",
                dual="enumerate")
    elapsed = time.perf_counter() - t
    assert res.status == "time_limit" and "preprocessing" in res.message
    assert elapsed < 30  # functional check (the enumeration itself would take hours), not a timing test


def test_many_continuous_followers_need_no_enumeration():
    """The default (critical-region cuts) solves the same instance; brute-force reference."""
    from reference.miblp_bruteforce import bruteforce_highs

    p = _many_continuous_followers()
    res = solve(p, time_limit=60, method="ccg")
    ref = bruteforce_highs(p)
    assert res.status == ref.status == "optimal", res.message
    assert abs(res.objective - ref.objective) <= 1e-6 * max(1.0, abs(ref.objective))


def knapsack_interdiction_problem(W, p, c, caps, budget):
    """Interdiction of the 0-1 knapsack with rows ``W (k, n) y <= caps (k,)`` and profits ``p``: the
    leader interdicts items of cost ``c`` within ``budget`` and minimises the follower's profit."""
    k, n = W.shape
    return Problem.from_blocks(
        leader_c_x=np.zeros(n), leader_c_y=p, follower_c_y=p,
        x_lb=np.zeros(n), x_ub=np.ones(n), y_lb=np.zeros(n), y_ub=np.ones(n),
        x_integer=np.ones(n, bool), y_integer=np.ones(n, bool),
        A_x=c[None, :], A_y=np.zeros((1, n)), b=[budget],
        Q_x=np.vstack([np.zeros((k, n)), np.eye(n)]), P_y=np.vstack([W, np.eye(n)]),
        s=np.concatenate([caps, np.ones(n)]), follower_sense="max")


def knapsack_interdiction(n, seed, budget_frac=0.5):
    """DeNegre's generator: weights, profits, costs uniform in 1..999; capacity, budget = half the totals."""
    rng = np.random.default_rng(seed)
    w, p, c = (rng.integers(1, 1000, n).astype(float) for _ in range(3))
    cap, budget = np.floor(w.sum() / 2), np.floor(c.sum() * budget_frac)
    return knapsack_interdiction_problem(w[None, :], p, c, [cap], budget), (w, p, c, cap, budget)


def _bruteforce(w, p, c, cap, budget):
    best = np.inf
    n = w.size
    for x in itertools.product((0, 1), repeat=n):
        if np.dot(x, c) > budget:
            continue
        free = [j for j in range(n) if not x[j]]
        val = max(sum(p[list(S)]) for r in range(len(free) + 1) for S in itertools.combinations(free, r)
                  if sum(w[list(S)]) <= cap)
        best = min(best, val)
    return best


@pytest.mark.parametrize("seed", range(4))
def test_interdiction_loop_matches_bruteforce(seed):
    prob, data = knapsack_interdiction(7, seed)
    res = solve(prob)
    assert res.method == "interdiction" and res.status == "optimal"
    assert res.objective == _bruteforce(*data)
    assert res.bilevel_feasible and res.lower_bound <= res.objective <= res.upper_bound + 1e-9


def test_interdiction_with_continuous_follower_matches_ccg_and_bruteforce():
    """Fractional knapsack follower (continuous y): still monotone, cuts still valid."""
    prob, data = knapsack_interdiction(5, 11)
    prob.integer[prob.follower_idx] = False
    a, b = solve(prob), solve(prob, method="ccg")
    assert a.method == "interdiction" and a.status == b.status == "optimal"
    assert a.objective == pytest.approx(b.objective, abs=1e-6)
    w, p, c, cap, budget = data
    best = np.inf
    for x in itertools.product((0, 1), repeat=5):  # fractional knapsack by ratio (Dantzig)
        if np.dot(x, c) > budget:
            continue
        room, val = cap, 0.0
        for j in sorted((j for j in range(5) if not x[j]), key=lambda j: -p[j] / w[j]):
            take = min(1.0, room / w[j])
            val, room = val + take * p[j], room - take * w[j]
        best = min(best, val)
    assert a.objective == pytest.approx(best, abs=1e-6)


@pytest.mark.parametrize("method", ["interdiction", "ccg"])
def test_keyboard_interrupt_returns_the_incumbent(method):
    # the interdiction loop closes (8, 3) at its first master point: (20, 4) needs two
    prob, _ = knapsack_interdiction(*((8, 3) if method == "ccg" else (20, 4)))
    seen = []

    def stop(rec):
        seen.append(rec)
        if len(seen) == 2:
            raise KeyboardInterrupt

    res = solve(prob, method=method, callback=stop)
    assert res.status == "interrupted" and "Ctrl-C" in res.message
    assert res.x is not None and res.bilevel_feasible
    assert res.objective == res.upper_bound and res.lower_bound <= res.upper_bound


def test_time_limit_in_the_interdiction_loop_keeps_honest_bounds():
    prob, _ = knapsack_interdiction(30, 5)
    res = solve(prob, time_limit=0.3)
    assert res.status in ("time_limit", "optimal")
    assert res.lower_bound <= res.upper_bound
    if res.x is not None:
        assert res.bilevel_feasible and res.objective == res.upper_bound


def test_enumeration_solves_many_continuous_followers_like_the_bruteforce():
    """24 continuous follower variables, 4 leader decisions: the auto method enumerates them."""
    from reference.miblp_bruteforce import bruteforce_highs

    prob = _many_continuous_followers()
    res = solve(prob)
    ref = bruteforce_highs(prob)
    assert res.method == "enumerate" and res.status == ref.status == "optimal"
    assert res.objective == pytest.approx(ref.objective, abs=1e-6) and res.bilevel_feasible

"""Cuts of the interdiction loop (bigrad.miblp.interdict.value_function_cuts): separation at fractional master points
(knapsack by dynamic programming) and the substitution cut, each checked against brute force over
every leader decision, and whole solves against the brute-force optimum (one- and two-row followers)."""
import itertools

import numpy as np
import pytest
from scipy.optimize import LinearConstraint, milp

from bigrad.miblp import solve
from bigrad.miblp.interdict.value_function_cuts import InterdictionLoop, detect_interdiction
from tests.test_miblp_limits import knapsack_interdiction, knapsack_interdiction_problem


def two_row_interdiction(n, seed):
    """Interdiction of a two-dimensional 0-1 knapsack: data ``(W (2, n), p, c, caps (2,), budget)``."""
    rng = np.random.default_rng(seed)
    W = rng.integers(1, 100, (2, n)).astype(float)
    p, c = rng.integers(1, 100, n).astype(float), rng.integers(1, 100, n).astype(float)
    caps, budget = np.floor(W.sum(axis=1) / 2), np.floor(c.sum() / 3)
    return knapsack_interdiction_problem(W, p, c, caps, budget), (W, p, c, caps, budget)


def follower_values(W, p, caps):
    """``phi[x]`` for every interdiction ``x`` (tuple of 0/1): the follower's best profit (brute force)."""
    n = p.size
    subsets = np.array(list(itertools.product((0, 1), repeat=n)), float)
    fits = np.all(subsets @ W.T <= caps + 1e-9, axis=1)
    vals = subsets @ p
    out = {}
    for x in itertools.product((0, 1), repeat=n):
        ok = fits & np.all(subsets[:, np.array(x, bool)] == 0, axis=1)
        out[x] = float(vals[ok].max())
    return out


def brute_optimum(W, p, c, caps, budget):
    phi = follower_values(W, p, caps)
    return min(v for x, v in phi.items() if np.dot(x, c) <= budget)


@pytest.mark.parametrize("n", [6, 8])
@pytest.mark.parametrize("seed", range(8))
@pytest.mark.parametrize("frac", [0.3, 0.5])
def test_knapsack_interdiction_matches_brute_force(n, seed, frac):
    prob, (w, p, c, cap, budget) = knapsack_interdiction(n, seed, budget_frac=frac)
    res = solve(prob)
    assert res.method == "interdiction" and res.status == "optimal"
    assert res.objective == brute_optimum(w[None, :], p, c, np.array([cap]), budget)
    assert res.lower_bound == res.objective and res.bilevel_feasible


@pytest.mark.parametrize("seed", range(8))
def test_two_row_knapsack_interdiction_matches_brute_force(seed):
    prob, data = two_row_interdiction(7, seed)
    res = solve(prob)
    assert res.method == "interdiction" and res.status == "optimal"
    assert res.objective == brute_optimum(*data)


def _last_cut(loop):
    """(x-coefficients (nl,), rhs) of the master's last row ``eta + coef @ x >= rhs``."""
    A = loop.master.A.tocsr()
    row = A[A.shape[0] - 1].toarray().ravel()
    assert row[loop.nl] == 1.0
    return row[: loop.nl], float(loop.master.row_lower[-1])


@pytest.mark.parametrize("two_rows", [False, True])
def test_substitution_cut_is_valid_everywhere_and_never_above_phi(two_rows):
    assert sum(_check_substitution(seed, two_rows) for seed in range(6)) >= 6


def _check_substitution(seed, two_rows) -> int:
    n = 7
    if two_rows:
        prob, (W, p, c, caps, _) = two_row_interdiction(n, seed)
    else:
        prob, (w, p, c, cap, _) = knapsack_interdiction(n, seed)
        W, caps = w[None, :], np.array([cap])
    phi = follower_values(W, p, caps)
    loop = InterdictionLoop(prob, detect_interdiction(prob))
    rng = np.random.default_rng(seed)
    added = 0
    for _ in range(10):
        xl = rng.integers(0, 2, loop.nl).astype(float)
        st, y, val = loop.solve_follower(xl, None)
        assert st == "optimal" and val == phi[tuple(int(t) for t in xl)]
        ly = loop.lift(y)
        loop.add_cut(ly)
        basic = _last_cut(loop)
        if not loop.substitution_cut(ly, xl):
            continue
        added += 1
        coef, rhs = _last_cut(loop)
        for x, value in phi.items():  # eta >= rhs - coef @ x must hold at eta = phi(x)
            assert rhs - coef @ np.array(x, float) <= value + 1e-9, (x, value)
        # both cuts are tight at xl (the response's own decision)
        x0 = tuple(int(t) for t in xl)
        assert basic[1] - basic[0] @ xl == pytest.approx(phi[x0])
        assert rhs - coef @ xl == pytest.approx(phi[x0])
    return added


@pytest.mark.parametrize("seed", range(10))
def test_dynamic_programming_knapsack_matches_milp(seed):
    prob, (w, p, c, cap, _) = knapsack_interdiction(12, seed)
    loop = InterdictionLoop(prob, detect_interdiction(prob))
    assert loop._dp is not None
    rng = np.random.default_rng(seed)
    profit = p * rng.uniform(0, 1, p.size) * (rng.uniform(size=p.size) > 0.2)
    value, y = loop._knapsack_dp(profit)
    ref = milp(-profit, constraints=LinearConstraint(w[None, :], -np.inf, cap), integrality=np.ones(p.size),
               bounds=(0, 1))
    assert value == pytest.approx(-ref.fun) and profit @ y == pytest.approx(value) and w @ y <= cap


def test_root_separation_bound_is_valid_and_tighter():
    """The LP bound after separation at fractional points is below the optimum and above the bound
    of the master with the first cut only."""
    prob, (w, p, c, cap, budget) = knapsack_interdiction(8, 3)
    loop = InterdictionLoop(prob, detect_interdiction(prob))
    _, y, _ = loop.solve_follower(np.zeros(loop.nl), None)
    loop.add_cut(loop.lift(y))
    first = loop.lp_master.solve().objective
    bound = loop.separate(lambda: None)
    assert first - 1e-9 <= bound <= brute_optimum(w[None, :], p, c, np.array([cap]), budget) + 1e-6
    assert bound > first + 1.0


def small_value_interdiction(n, seed, top=6):
    """Knapsack interdiction with data in 1..top (many dominated and identical items), budget and
    capacity about half the totals: ``(prob, (W (1, n), p, c, caps (1,), budget))``."""
    rng = np.random.default_rng(seed)
    w, p, c = (rng.integers(1, top + 1, n).astype(float) for _ in range(3))
    cap, budget = np.floor(w.sum() / 2), np.floor(c.sum() / 2)
    W, caps = w[None, :], np.array([cap])
    return knapsack_interdiction_problem(W, p, c, caps, budget), (W, p, c, caps, budget)


@pytest.mark.parametrize("seed", range(12))
@pytest.mark.parametrize("two_rows", [False, True])
def test_reduction_rows_keep_an_optimal_leader_decision(seed, two_rows):
    """The dominance and maximality rows (leader_reductions) cut leader decisions off, but the best
    follower value over the decisions that satisfy them equals the brute-force optimum over all."""
    from bigrad.miblp.interdict.leader_reductions import reduction_rows

    if two_rows:
        prob, data = two_row_interdiction(8, seed)
    else:
        prob, data = small_value_interdiction(10, seed, top=4 if seed % 2 else 8)
    W, p, c, caps, budget = data
    phi = follower_values(W, p, caps)
    loop = InterdictionLoop(prob, detect_interdiction(prob))
    rows = reduction_rows(prob, loop.s, loop.A_lead, loop.P.toarray())
    loop.add_reductions()
    loop.add_reductions()  # once only
    assert rows and loop.reductions == len(rows) == len(loop.reduction_list)
    xs = np.array(list(phi), float)
    ok = xs @ c <= budget + 1e-9
    best = min(phi[tuple(int(t) for t in x)] for x in xs[ok])
    for idx, vals, lo, hi in rows:
        act = xs[:, idx] @ vals
        ok &= (act >= lo - 1e-9) & (act <= hi + 1e-9)
    assert ok.any() and ok.sum() < xs.shape[0]
    assert min(phi[tuple(int(t) for t in x)] for x in xs[ok]) == best
    res = solve(prob)
    assert res.status == "optimal" and res.objective == best == res.lower_bound


def _master_value(loop, x):
    """Brute-force master value at the leader decision ``x``: ``lam * max(0, rhs - coef @ x)`` over
    the master's cut rows (rows with an ``eta`` entry), read from the HiGHS model's arrays."""
    A = loop.master.A.tocsr()
    eta_col = A[:, loop.nl].toarray().ravel()
    cut = eta_col != 0
    vals = loop.master.row_lower[cut] - A[cut][:, : loop.nl] @ x
    return loop.s.lam * max(0.0, float(vals.max()) if vals.size else 0.0)


@pytest.mark.parametrize("seed", range(6))
def test_cut_pool_and_feasibility_master_agree_with_brute_force(seed):
    """CutPool.eta is the master's value at every leader decision; the feasibility-form master returns
    a point below the cutoff exactly when brute force over the reduced decisions finds one."""
    prob, (W, p, c, caps, budget) = small_value_interdiction(9, seed, top=9)
    loop = InterdictionLoop(prob, detect_interdiction(prob))
    loop.add_reductions()
    rng = np.random.default_rng(seed)
    for _ in range(6):
        xl = rng.integers(0, 2, loop.nl).astype(float)
        _, y, _ = loop.solve_follower(xl, None)
        ly = loop.lift(y)
        loop.add_cut(ly)
        loop.substitution_cut(ly, xl)
    xs = np.array(list(itertools.product((0, 1), repeat=loop.nl)), float)
    master = np.array([_master_value(loop, x) for x in xs])
    assert np.allclose(loop.s.lam * loop.pool.eta(xs), master)
    ok = xs @ c <= budget + 1e-9
    for idx, vals, lo, hi in loop.reduction_list:
        act = xs[:, idx] @ vals
        ok &= (act >= lo - 1e-9) & (act <= hi + 1e-9)
    best = master[ok].min()
    for cutoff in (best - 0.5, best + 0.5, best + 3.5):
        out = loop.solve_master(None, cutoff=cutoff, first=True)
        if cutoff < best:
            assert out.status == "cutoff"
        else:
            assert out.status == "feasible"
            x = np.round(out.x) + 0.0
            assert x @ c <= budget + 1e-9 and out.objective == pytest.approx(_master_value(loop, x))
            assert out.objective <= cutoff + 1e-6


@pytest.mark.parametrize("seed", range(6))
def test_neighbourhood_and_search_by_brute_force(seed):
    """Swap neighbours are within the budget, maximal and satisfy the reduction rows; the search
    evaluates only decisions whose master value is below the cutoff, each once."""
    from bigrad.miblp.interdict.master_search import make_neighbourhood, search

    prob, (W, p, c, caps, budget) = small_value_interdiction(10, seed, top=9)
    loop = InterdictionLoop(prob, detect_interdiction(prob))
    phi = follower_values(W, p, caps)
    nb = make_neighbourhood(loop)
    assert nb is not None
    x0 = nb.fill(np.zeros((1, loop.nl)))[0]
    _, y, _ = loop.solve_follower(x0, None)
    loop.add_cut(loop.lift(y))
    X = nb(x0)
    assert X.shape[0] > 0
    for x in X:
        assert x @ c <= budget + 1e-9
        assert all(x[v] or x @ c + c[v] > budget for v in range(loop.nl))  # maximal
        for idx, vals, lo, hi in loop.reduction_list:
            assert lo - 1e-9 <= x[idx] @ vals <= hi + 1e-9
    cutoff = phi[tuple(int(t) for t in x0)] - 1.0
    seen = []

    def evaluate(x):
        assert loop.pool.eta(x[None, :])[0] * loop.s.lam < cutoff
        seen.append(x.tobytes())
        _, y2, _ = loop.solve_follower(x, None)
        loop.add_cut(loop.lift(y2))
        return True

    n = search(x0, nb, lambda Z: loop.s.lam * loop.pool.eta(Z), lambda: cutoff, evaluate, 15, 5.0)
    assert n == len(seen) == len(set(seen))


def test_neighbourhood_of_a_large_budget_stays_bounded():
    """3000 unit-cost items, 1500 interdicted: 2.25 million swaps (54 GB as dense rows); the neighbourhood
    builds the first MAX_CELLS // 3000 of them, each a valid swap of one interdiction."""
    from bigrad.miblp.interdict.master_search import MAX_CELLS, Neighbourhood

    n = 3000
    nb = Neighbourhood(np.ones(n), n / 2, np.arange(n, dtype=float), [])
    x = (np.arange(n) < n // 2).astype(float)
    X = nb(x)
    assert 0 < X.shape[0] <= MAX_CELLS // n
    assert np.all(X.sum(axis=1) == n // 2) and np.all((X != x).sum(axis=1) == 2)


def test_solver_with_reductions_search_and_feasibility_master_matches_brute_force(monkeypatch):
    """Whole solves against brute force, with the reduction rows in the master and the master search
    running between master problems."""
    from bigrad.miblp.interdict import master_search

    added, searched = [], []
    add = InterdictionLoop.add_reductions
    monkeypatch.setattr(InterdictionLoop, "add_reductions", lambda self: (add(self), added.append(self.reductions)))
    run = master_search.search
    monkeypatch.setattr("bigrad.miblp.interdict.driver.search", lambda *a: searched.append(run(*a)))
    for seed in range(10):
        prob, (W, p, c, caps, budget) = small_value_interdiction(11, seed, top=20 if seed % 2 else 999)
        res = solve(prob)
        assert res.method == "interdiction" and res.status == "optimal"
        assert res.objective == res.lower_bound == brute_optimum(W, p, c, caps, budget)
    assert any(added) and searched  # the search ran (what it evaluates: test_neighbourhood_and_search)

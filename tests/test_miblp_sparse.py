"""scipy.sparse constraint matrices end to end: Problem, reader, every method, HiGHS models."""
import tracemalloc

import numpy as np
import pytest
import scipy.sparse as sp

from bigrad.miblp import Problem, read_mps_aux, solve
from reference.miblp_bruteforce import random_instance

FIELDS = ("c", "row_lower", "row_upper", "lb", "ub", "integer", "follower_vars", "follower_rows", "follower_c")


def sparse_copy(p: Problem, fmt: str = "csr") -> Problem:
    """The same instance with ``A`` as a scipy.sparse matrix of format ``fmt``."""
    return Problem(A=sp.csr_matrix(p.A).asformat(fmt), follower_sense=p.follower_sense,
                   objective_offset=p.objective_offset, **{f: getattr(p, f).copy() for f in FIELDS})


@pytest.mark.parametrize("fmt", ["csr", "csc", "coo"])
def test_problem_keeps_sparse_matrices(fmt):
    p = random_instance(3)
    q = sparse_copy(p, fmt)
    assert q.is_sparse and sp.issparse(q.A) and q.A.format == "csr" and not p.is_sparse
    np.testing.assert_array_equal(q.A_dense, p.A)
    np.testing.assert_array_equal(q.A_csr.toarray(), p.A_csr.toarray())
    np.testing.assert_array_equal(q.linking_idx, p.linking_idx)
    v = np.arange(p.n, dtype=float)
    assert q.max_violation(v) == pytest.approx(p.max_violation(v))


def test_sparse_matrix_errors_name_the_argument():
    p = random_instance(3)
    bad = sp.csr_matrix(p.A)
    bad.data[0] = np.nan
    with pytest.raises(ValueError, match="A contains NaN"):
        Problem(A=bad, **{f: getattr(p, f) for f in FIELDS})
    with pytest.raises(ValueError, match=r"A must be 2-D with \d+ columns"):
        Problem(A=sp.csr_matrix((p.m, p.n + 1)), **{f: getattr(p, f) for f in FIELDS})


@pytest.mark.parametrize("method", ["auto", "ccg"])
@pytest.mark.parametrize("seed", range(8))
def test_dense_and_sparse_give_the_same_result(seed, method):
    p = random_instance(seed)
    dense, sparse = solve(p, method=method), solve(sparse_copy(p), method=method)
    assert dense.status == sparse.status and dense.method == sparse.method
    if dense.status == "optimal":
        assert sparse.objective == pytest.approx(dense.objective, abs=1e-6) and sparse.bilevel_feasible


def _knapsack_interdiction_files(tmp_path, n: int, rows: int, seed: int, budget: int, fill: float):
    """A ``rows``-dimensional knapsack interdiction instance with ``n`` items in MibS's format
    (follower: max profit, capacities ``fill`` times the total weights; the leader interdicts
    items of total cost <= ``budget``, costs 500..999)."""
    rng = np.random.default_rng(seed)
    w = rng.integers(1, 1000, (rows, n))
    profit, cost = rng.integers(1, 1000, n), rng.integers(500, 1000, n)
    mps = ["NAME K", "ROWS", " N OBJ"] + [f" L R{i}" for i in range(rows)] + ["COLUMNS"]
    for j in range(n):  # at most two entries per MPS line
        entries = [("OBJ", -profit[j])] + [(f"R{i}", w[i, j]) for i in range(rows)]
        for k in range(0, len(entries), 2):
            mps.append(f" C{j} " + " ".join(f"{r} {v}" for r, v in entries[k:k + 2]))
    mps += ["RHS"] + [f" RHS R{i} {int(w[i].sum() * fill)}" for i in range(rows)]
    mps += ["BOUNDS"] + [f" BV BND C{j}" for j in range(n)] + ["ENDATA"]
    aux = [f"N {n}", f"M {rows + n}"] + [f"LC {n + j}" for j in range(n)]
    aux += [f"LR {i}" for i in range(1, rows + 1 + n)] + [f"LO {-profit[j]}" for j in range(n)]
    aux += ["OS 1"] + [f"IC {c}" for c in cost] + [f"IB {budget}"]
    (tmp_path / "k.mps").write_text("\n".join(mps) + "\n")
    (tmp_path / "k.aux").write_text("\n".join(aux) + "\n")
    return tmp_path / "k.mps", tmp_path / "k.aux"


def test_large_sparse_interdiction_reads_and_solves_in_little_memory(tmp_path):
    """2,500 items, 2 knapsack rows: MibS's model has 5,000 columns and 2,503 rows (100 MB dense).
    Reading, detecting the structure, building both HiGHS models and solving stay sparse.
    Every item fits and the budget pays for one interdiction, so the optimum is the total profit
    minus the largest one."""
    n, rows = 2500, 2
    mps, aux = _knapsack_interdiction_files(tmp_path, n, rows, seed=0, budget=999, fill=1.0)
    dense_bytes = (1 + rows + n) * 2 * n * 8
    tracemalloc.start()
    try:
        p = read_mps_aux(mps, aux)
        res = solve(p, time_limit=120)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert p.is_sparse and p.A.shape == (1 + rows + n, 2 * n) and p.A.nnz == n * (rows + 3)
    assert peak < dense_bytes / 10, (peak, dense_bytes)
    assert res.method == "interdiction" and res.status == "optimal" and res.bilevel_feasible
    profit = p.c[p.follower_vars]  # the leader minimises the follower's profit
    assert res.objective == profit.sum() - profit.max() and res.x.sum() == 1


def test_dense_and_sparse_interdiction_agree():
    from pathlib import Path

    data = Path(__file__).parent / "data" / "miblp" / "mibs"
    p = read_mps_aux(data / "K5010W01.KNP.mps", data / "K5010W01.KNP.txt")
    dense, sparse = solve(p), solve(sparse_copy(p, "csc"))
    assert dense.method == sparse.method == "interdiction"
    assert dense.status == sparse.status == "optimal" and dense.objective == sparse.objective == 1401

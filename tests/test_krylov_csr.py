"""Per-system sparse matrices in the Krylov solvers (BatchedCSR, lists of scipy matrices, torch sparse CSR),
iterated natively: against dense solves, scipy, the torch path, and across threads and instruction sets."""
import numpy as np
import pytest
import scipy.sparse as sp
import scipy.sparse.linalg as sla

torch = pytest.importorskip("torch")

import bigrad
from bigrad.krylov import BatchedCSR, bicgstab, cg, gmres, minres
from tests.interrupts import interrupt_child

SOLVERS = {"cg": cg, "gmres": gmres, "minres": minres, "bicgstab": bicgstab}


def laplacians(rng, B, n, dtype=np.float64):
    """SPD tridiagonal systems: the 1-D Laplacian plus a random diagonal per member (the issue's systems)."""
    return [sp.diags([-np.ones(n - 1), 2 + rng.random(n), -np.ones(n - 1)], [-1, 0, 1], format="csr", dtype=dtype)
            for _ in range(B)]


def nonsymmetric(rng, B, n):
    """Diagonally dominant, nonsymmetric, with different patterns per member."""
    out = []
    for _ in range(B):
        a = sp.random(n, n, density=3 / n, random_state=int(rng.integers(2**31)), format="csr")
        out.append((a + sp.diags(2 + a.sum(axis=1).A1 + rng.random(n))).tocsr())
    return out


def dense_solve(mats, b):
    return np.stack([np.linalg.solve(m.toarray(), b[i]) for i, m in enumerate(mats)])


@pytest.mark.parametrize("method", ["cg", "gmres", "minres", "bicgstab"])
@pytest.mark.parametrize("M", [None, "jacobi", "ilu0"])
def test_solutions_match_dense_solves(method, M):
    rng = np.random.default_rng(0)
    mats = laplacians(rng, 6, 60)
    b = rng.random((6, 60))
    x, info = SOLVERS[method](mats, b, M=M, rtol=1e-12)
    assert isinstance(x, np.ndarray) and info.converged.all()
    assert np.allclose(x, dense_solve(mats, b), rtol=0, atol=1e-9)
    r = np.stack([b[i] - mats[i] @ x[i] for i in range(6)])
    assert np.allclose(info.residual, np.linalg.norm(r, axis=1), rtol=1e-6, atol=1e-14)


@pytest.mark.parametrize("method", ["gmres", "bicgstab"])
def test_nonsymmetric_members_with_different_patterns(method):
    rng = np.random.default_rng(1)
    mats = nonsymmetric(rng, 5, 50)
    b = rng.random((5, 50))
    for M in (None, "ilu0"):
        x, info = SOLVERS[method](mats, b, M=M, rtol=1e-11)
        assert info.converged.all()
        assert np.allclose(x, dense_solve(mats, b), atol=1e-8)


def test_float32_and_torch_in_torch_out():
    rng = np.random.default_rng(2)
    mats = laplacians(rng, 4, 40, np.float32)
    b = torch.from_numpy(rng.random((4, 40)).astype(np.float32))
    x, info = cg(mats, b)
    assert isinstance(x, torch.Tensor) and x.dtype == torch.float32 and bool(info.converged.all())
    assert np.allclose(x.numpy(), dense_solve(mats, b.numpy().astype(np.float64)), atol=1e-4)


@pytest.mark.filterwarnings("ignore:Sparse CSR tensor support is in beta state:UserWarning")
def test_torch_sparse_csr_batch_and_batched_csr_agree_with_the_list():
    rng = np.random.default_rng(3)
    mats = laplacians(rng, 3, 30)
    b = rng.random((3, 30))
    ref, _ = cg(mats, b)
    dense = torch.from_numpy(np.stack([m.toarray() for m in mats]))
    x_t, _ = cg(dense.to_sparse_csr(), b)
    csr = BatchedCSR.from_scipy(mats)
    x_c, _ = cg(BatchedCSR(csr.indptr, csr.indices, csr.data), b)
    assert np.array_equal(x_t, ref) and np.array_equal(x_c, ref)


def test_close_to_the_torch_path_and_to_scipy():
    rng = np.random.default_rng(4)
    mats = laplacians(rng, 4, 80)
    b = rng.random((4, 80))
    x, info = cg(mats, b, rtol=1e-10)
    x_dense, _ = cg(np.stack([m.toarray() for m in mats]), b, rtol=1e-10)
    assert np.allclose(x, x_dense, atol=1e-8)
    for i in range(4):
        xs, _ = sla.cg(mats[i], b[i], rtol=1e-10)
        assert np.allclose(x[i], xs, atol=1e-8)


def test_bit_identical_across_threads_and_instruction_sets():
    rng = np.random.default_rng(5)
    mats = nonsymmetric(rng, 16, 70)
    b = rng.random((16, 70))
    core = bigrad._native.core()
    isa, old = core.build_info()["isa"], bigrad.get_num_threads()
    ref = gmres(mats, b, M="ilu0")[0]
    try:
        for t in (1, 2):
            bigrad.set_num_threads(t)
            for name in core.build_info()["isa_available"]:
                core.set_isa(name)
                assert np.array_equal(gmres(mats, b, M="ilu0")[0], ref), (t, name)
    finally:
        core.set_isa(isa)
        bigrad.set_num_threads(old)


def test_explicit_preconditioner_matrix_equals_jacobi():
    rng = np.random.default_rng(6)
    mats = laplacians(rng, 3, 40)
    b = rng.random((3, 40))
    inv_diag = [sp.diags(1 / m.diagonal(), format="csr") for m in mats]
    x1, i1 = cg(mats, b, M="jacobi")
    x2, i2 = cg(mats, b, M=inv_diag)
    assert np.array_equal(i1.iterations, i2.iterations)
    assert np.allclose(x1, x2, atol=1e-12)


def test_member_with_non_finite_b_is_left_alone():
    rng = np.random.default_rng(7)
    mats = laplacians(rng, 3, 20)
    b = rng.random((3, 20))
    b[1, 4] = np.inf
    with pytest.warns(bigrad.krylov.KrylovConvergenceWarning):
        x, info = cg(mats, b)
    assert info.converged.tolist() == [True, False, True]
    assert np.array_equal(x[1], np.zeros(20)) and info.iterations[1] == 0
    assert np.allclose(x[[0, 2]], dense_solve([mats[0], mats[2]], b[[0, 2]]), atol=1e-8)


def test_non_finite_x0_restarts_from_zero_and_the_users_arrays_are_kept():
    """The native path solves x0 in place: a NaN in a member's x0 makes that member start from 0, a member
    with an infinite b keeps its (finite) x0 and is not converged, and the caller's x0 is not written."""
    rng = np.random.default_rng(8)
    mats = laplacians(rng, 3, 20)
    b = rng.random((3, 20))
    b[2, 0] = np.inf
    x0 = rng.random((3, 20))
    x0[0, 3] = np.nan
    x0_copy = x0.copy()
    with pytest.warns(bigrad.krylov.KrylovConvergenceWarning):
        x, info = cg(mats, b, x0=x0)
    assert np.array_equal(x0, x0_copy, equal_nan=True)
    assert info.converged.tolist() == [True, True, False]
    assert np.allclose(x[:2], dense_solve(mats[:2], b[:2]), atol=1e-8)
    assert np.array_equal(x[2], x0_copy[2]) and info.iterations[2] == 0


def test_callback_uses_the_torch_path_with_the_same_matrices():
    rng = np.random.default_rng(8)
    mats = laplacians(rng, 2, 15)
    b = rng.random((2, 15))
    seen = []
    x, info = cg(mats, b, callback=lambda xk: seen.append(1))
    assert seen and info.converged.all()
    assert np.allclose(x, dense_solve(mats, b), atol=1e-8)


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda m, b: cg([m[0], sp.eye(5, format="csr")], b), r"A\[1\] must have the shape of A\[0\] \(4, 4\)"),
        (lambda m, b: cg([sp.random(4, 5, format="csr")] * 2, b), r"A\[0\] must be square, got shape \(4, 5\)"),
        (lambda m, b: cg(m[:1], b), r"A must hold one matrix per system: B = 2, got 1"),
        (lambda m, b: cg(BatchedCSR([0, 1, 2, 3, 4], [0, 1, 2, 9], np.ones((2, 4))), b),
         r"indices must lie in \[0, n = 4\)"),
        (lambda m, b: BatchedCSR([0, 1], [0], np.array([[1.0], [np.nan]])), r"data must be finite \(member 1"),
        (lambda m, b: cg(m, b, M="ilu"), r"M as a string must be one of \('jacobi', 'ilu0'\)"),
        (lambda m, b: cg([m[0], sp.csr_matrix((4, 4))], b[:, :4], M="ilu0"), r"M='ilu0': member 1 of A has a zero pivot"),
        (lambda m, b: cg([m[0], sp.csr_matrix((4, 4))], b[:, :4], M="jacobi"), r"member 1 of A has a zero or missing diag"),
    ],
)
def test_bad_input_names_the_argument_and_member(call, match):
    rng = np.random.default_rng(9)
    mats = laplacians(rng, 2, 4)
    b = rng.random((2, 4))
    with pytest.raises((ValueError, TypeError), match=match):
        call(mats, b)


def test_callable_with_rows_is_chunked_per_member():
    rng = np.random.default_rng(10)
    B, n = 3000, 40
    diag = 2 + rng.random((B, n))
    seen = set()

    def A(x, rows):  # a per-member operator: it needs to know which members a chunk holds
        seen.add(len(rows))
        return diag[rows] * x

    b = rng.random((B, n))
    x, info = cg(A, b, rtol=1e-12)
    assert info.converged.all() and np.allclose(x, b / diag, atol=1e-10)
    assert min(seen) < B  # the iterations run on chunks, not the whole batch at once
    xt, _ = cg(lambda x, rows: torch.from_numpy(diag)[rows] * x, torch.from_numpy(b), rtol=1e-12)
    assert np.allclose(xt.numpy(), b / diag, atol=1e-10)


def _off_band_zeros(mats):
    """The same matrices with an explicit zero beside every other row's band (no longer banded; same values)."""
    out = []
    for m in mats:
        n = m.shape[0]
        coo = m.tocoo()
        rows = np.arange(0, n, 2)
        cols = (rows + n // 2) % n
        a = sp.csr_matrix((np.concatenate([coo.data, np.zeros(rows.size, m.dtype)]),
                           (np.concatenate([coo.row, rows]), np.concatenate([coo.col, cols]))), shape=m.shape)
        a.sum_duplicates()
        a.sort_indices()
        out.append(a)
    return out


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("offsets", [(-1, 0, 1), (-7, -2, 0, 2, 7), (0,)])
def test_banded_matrices_take_the_band_path_with_the_same_bits(dtype, offsets):
    """A banded structure (the interior rows share one pattern of column offsets) is multiplied without its
    indices; the solutions equal, bit for bit, those of the same matrices with explicit zeros that break the
    band, and a dense solve."""
    rng = np.random.default_rng(7)
    n, B = 301, 5
    mats = []
    for _ in range(B):
        diags = [(-1 - rng.random(n - abs(k))) * 0.3 if k else 4 + rng.random(n) for k in offsets]
        a = sp.diags(diags, list(offsets), format="csr", dtype=dtype)
        mats.append(((a + a.T) * 0.5).tocsr().astype(dtype))
    b = rng.random((B, n)).astype(dtype)
    broken = _off_band_zeros(mats)
    assert BatchedCSR.from_scipy(broken).indices.size > BatchedCSR.from_scipy(mats).indices.size  # zeros kept
    # not ILU(0): it fills the explicit zeros
    for solve, M in ((cg, None), (cg, "jacobi"), (gmres, None), (bicgstab, "jacobi"), (minres, None)):
        rtol = 1e-12 if dtype == np.float64 else 1e-5
        x, info = solve(mats, b, M=M, rtol=rtol)
        y, _ = solve(broken, b, M=M, rtol=rtol)
        assert info.converged.all()
        assert np.array_equal(x, y), (solve.__name__, M)
        atol = 1e-8 if dtype == np.float64 else 1e-3
        assert np.allclose(x, dense_solve([m.astype(np.float64) for m in mats], b.astype(np.float64)), atol=atol)


CSR_CTRL_C = """
import time, numpy as np, scipy.sparse as sp, bigrad
from bigrad.krylov import BatchedCSR, cg
threads, members = {threads}, {members}
bigrad.set_num_threads(threads)
n = 20000  # tridiag(-1, 2.0001, -1): CG needs thousands of iterations; rtol 0 and 10^6 of them: minutes
A = sp.diags([-np.ones(n - 1), np.full(n, 2.0001), -np.ones(n - 1)], [-1, 0, 1], format="csr")
csr = BatchedCSR.from_scipy([A] * members)
b = np.ones((members, n))
print("ready", flush=True)
try:
    cg(csr, b, rtol=0.0, atol=0.0, maxiter=10**6, on_fail="ignore")
    print("finished", flush=True)
except KeyboardInterrupt:
    print("interrupted", time.perf_counter(), flush=True)
x, info = cg(csr, b[:, :], rtol=1e-6, maxiter=10**5)
print("reusable", bool(info.converged.all()), flush=True)
"""


@pytest.mark.parametrize("threads,members", [(1, 1), (2, 1), (2, 3)])
def test_per_system_solve_honours_ctrl_c(threads, members):
    """Ctrl-C during a long native per-system CG raises KeyboardInterrupt promptly, also while the calling
    thread is itself inside a member's solve (one member, one thread); the next solve works."""
    lines, out, sent = interrupt_child(CSR_CTRL_C.format(threads=threads, members=members), timeout=120)
    assert lines[0].split()[0] == "interrupted", out
    assert float(lines[0].split()[1]) - sent < 0.5, out
    assert lines[1] == "reusable True", out

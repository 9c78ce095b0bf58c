"""custom_root with solve="cg": the adjoint solve whose true residual comes from the gradient replay."""
from __future__ import annotations

import pytest
import torch

from bigrad.implicit import custom_root
from bigrad.krylov import KrylovConvergenceWarning

D = torch.float64


def rand(*shape, seed=0):
    return torch.randn(*shape, generator=torch.Generator().manual_seed(seed), dtype=D)


def spd_batch(B, n, seed):
    M = rand(B, n, n, seed=seed)
    return M @ M.mT / n + torch.eye(n, dtype=D)


def make_root(A, **kw):
    def stationarity(x, b, scale, unused):  # gradient of 1/2 scale x'Ax - b'x; `unused` is not used
        return scale[:, None] * (A @ x.unsqueeze(-1)).squeeze(-1) - b

    @custom_root(stationarity, solve="cg", batched=True, **kw)
    def solver(x0, b, scale, unused):
        return torch.linalg.solve(scale[:, None, None] * A, b)

    return solver


def test_cg_adjoint_matches_dense_solve_and_reports_the_true_residual():
    from bigrad.implicit.custom_root import DIRECT_MAX_N

    B, n = 3, DIRECT_MAX_N + 9  # above the direct-solve size: the Krylov path runs
    A = spd_batch(B, n, seed=1)
    b = rand(B, n, seed=2).requires_grad_(True)
    scale = (1.0 + torch.rand(B, dtype=D, generator=torch.Generator().manual_seed(3))).requires_grad_(True)
    unused = rand(B, seed=4).requires_grad_(True)
    w = rand(B, n, seed=5)
    solver = make_root(A, tol=1e-12)
    x = solver(torch.zeros(B, n, dtype=D), b, scale, unused)
    (x * w).sum().backward()
    info = solver.backward_info()
    assert info.method == "cg" and bool(info.converged.all()) and bool((info.iterations > 0).all())
    # dense reference: x = (s A)^{-1} b, so dL/db = u = (s A)^{-T} w and dL/ds = -u' A x
    K = scale.detach()[:, None, None] * A
    u = torch.linalg.solve(K.mT, w)
    torch.testing.assert_close(b.grad, u, rtol=1e-10, atol=1e-11)
    ds = -(u * (A @ x.detach().unsqueeze(-1)).squeeze(-1)).sum(1)
    torch.testing.assert_close(scale.grad, ds, rtol=1e-10, atol=1e-11)
    assert torch.equal(unused.grad, torch.zeros(B, dtype=D))
    # the reported residual is the true one of a solution that meets the tolerance
    assert bool((info.residual <= info.threshold).all())
    assert torch.allclose(info.threshold, 1e-12 * w.norm(dim=1))


def test_cg_adjoint_continues_with_checks_when_the_budget_runs_out():
    from bigrad.implicit.custom_root import DIRECT_MAX_N

    B, n = 2, DIRECT_MAX_N + 9
    A = spd_batch(B, n, seed=6)
    b = rand(B, n, seed=7).requires_grad_(True)
    scale = torch.ones(B, dtype=D)
    solver = make_root(A, tol=1e-12, maxiter=3)
    x = solver(torch.zeros(B, n, dtype=D), b, scale, torch.zeros(B, dtype=D))
    with pytest.warns(KrylovConvergenceWarning, match="did not converge"):
        x.sum().backward()
    info = solver.backward_info()
    # 3 unchecked iterations, then cg from that point with its own budget of 3
    assert info.method == "cg" and not bool(info.converged.any())
    assert info.iterations.tolist() == [6, 6]
    assert torch.isfinite(b.grad).all()


def test_cg_adjoint_with_unbatched_solution():
    from bigrad.implicit.custom_root import DIRECT_MAX_N

    n = DIRECT_MAX_N + 9
    A = spd_batch(1, n, seed=8)[0]

    def stationarity(x, b):
        return A @ x - b

    @custom_root(stationarity, solve="cg", tol=1e-12)
    def solver(x0, b):
        return torch.linalg.solve(A, b)

    b = rand(n, seed=9).requires_grad_(True)
    w = rand(n, seed=10)
    (solver(torch.zeros(n, dtype=D), b) * w).sum().backward()
    assert solver.backward_info().method == "cg" and solver.backward_info().iterations.shape == (1,)
    torch.testing.assert_close(b.grad, torch.linalg.solve(A.T, w), rtol=1e-10, atol=1e-11)

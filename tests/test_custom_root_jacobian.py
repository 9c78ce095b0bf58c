"""custom_root(jacobian=): the adjoint systems on the native per-system CSR path, against dense solves."""
import numpy as np
import pytest
import scipy.sparse as sp
import torch

from bigrad.implicit import custom_root
from bigrad.krylov import BatchedCSR


def tridiagonal(d: torch.Tensor, lower: float, upper: float) -> BatchedCSR:
    """``A_b = tridiag(lower, d_b, upper)`` for each row of ``d [B, n]``."""
    B, n = d.shape
    mats = [sp.diags([np.full(n - 1, lower), d[b].numpy(), np.full(n - 1, upper)], [-1, 0, 1], format="csr")
            for b in range(B)]
    return BatchedCSR.from_scipy(mats)


def stencil(x, d, lower, upper):
    """``A x`` for the tridiagonal ``A`` of :func:`tridiagonal` (torch, differentiable)."""
    out = d * x
    out[:, 1:] = out[:, 1:] + lower * x[:, :-1]
    out[:, :-1] = out[:, :-1] + upper * x[:, 1:]
    return out


@pytest.mark.parametrize("solve, lower, upper", [("cg", -1.0, -1.0), ("minres", -1.0, -1.0),
                                                 ("gmres", -1.3, -0.6), ("bicgstab", -1.3, -0.6)])
def test_gradients_match_dense_adjoint(solve, lower, upper):
    rng = np.random.default_rng(3)
    B, n = 4, 30
    theta = torch.tensor(rng.standard_normal((B, n)), requires_grad=True)
    d = torch.tensor(3.0 + rng.random((B, n)), requires_grad=True)
    weight = torch.tensor(rng.standard_normal((B, n)))

    def optimality(x, theta, d):
        return stencil(x, d, lower, upper) - theta

    def dense(d):
        return [tridiagonal(d[b:b + 1].detach(), lower, upper) for b in range(B)]

    def inner(x0, theta, d):  # exact: a dense solve per member
        mats = [torch.tensor(sp.csr_matrix((m.data[0], m.indices, m.indptr)).toarray()) for m in dense(d)]
        return torch.stack([torch.linalg.solve(mats[b], theta[b]) for b in range(B)])

    layer = custom_root(optimality, solve=solve, batched=True, tol=1e-12, maxiter=500,
                        jacobian=lambda x, theta, d: tridiagonal(d, lower, upper))(inner)
    x = layer(torch.zeros(B, n, dtype=torch.float64), theta, d)
    (x * weight).sum().backward()
    assert layer.backward_info().method == solve and bool(layer.backward_info().converged.all())
    for b in range(B):  # dL/dtheta = A^-T c, dL/dd = -u * x
        A = np.diag(d[b].detach().numpy()) + np.diag(np.full(n - 1, lower), -1) + np.diag(np.full(n - 1, upper), 1)
        u = np.linalg.solve(A.T, weight[b].numpy())
        np.testing.assert_allclose(theta.grad[b].numpy(), u, rtol=1e-8, atol=1e-10)
        np.testing.assert_allclose(d.grad[b].numpy(), -u * x[b].detach().numpy(), rtol=1e-8, atol=1e-10)


def test_bad_jacobian_arguments():
    def optimality(x, theta):
        return x - theta

    with pytest.raises(TypeError, match="jacobian must be callable"):
        custom_root(optimality, solve="cg", batched=True, jacobian=3)
    with pytest.raises(ValueError, match="jacobian= needs batched=True"):
        custom_root(optimality, solve="cg", jacobian=lambda x, t: None)
    eye = BatchedCSR(np.arange(6), np.arange(5), np.ones((2, 5)))  # 2 members of n = 5
    layer = custom_root(optimality, solve="cg", batched=True, jacobian=lambda x, t: eye)(lambda x0, t: t.clone())
    theta = torch.ones(3, 5, dtype=torch.float64, requires_grad=True)
    with pytest.raises(ValueError, match="jacobian must return dT/dx: 3 matrices"):
        layer(torch.zeros(3, 5, dtype=torch.float64), theta).sum().backward()

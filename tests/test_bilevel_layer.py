"""bigrad.torch.BilevelLayer vs closed-form / dense / finite-difference references (float64)."""
from __future__ import annotations

import numpy as np
import pytest
import torch
from torch import nn

from bigrad.implicit import (
    BilevelConvergenceWarning,
    BilevelOptions,
    BilevelSolveInfo,
    BilevelVJPInfo,
    newton_cg,
    solve_bilevel,
)
from bigrad.torch.bilevel import BilevelLayer
from reference.dense_bilevel import (
    QuadraticBilevel,
    SmoothBilevel,
    dense_FG,
    dense_newton_bilevel,
    dense_thm2,
)

D = torch.float64
DEVICES = ["cpu", pytest.param("cuda", marks=pytest.mark.skipif(not torch.cuda.is_available(), reason="no CUDA"))]


def T(a, device="cpu"):
    return torch.as_tensor(a, dtype=D, device=device)


@pytest.fixture(scope="module")
def quad():
    return QuadraticBilevel(5, 4, 3, seed=3)


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("backward", ["kkt", "reduced"])
def test_quadratic_closed_form(quad, backward, device):
    f, g = quad.torch_objectives(device=device)
    layer = BilevelLayer(f, g, x_dim=5, y_dim=4, options=BilevelOptions(backward=backward))
    rng = np.random.default_rng(0)
    Z, WX, WY = rng.standard_normal((3, 3)), rng.standard_normal((3, 5)), rng.standard_normal((3, 4))
    z = T(Z, device).requires_grad_(True)
    x, y = layer(z)
    assert x.shape == (3, 5) and y.shape == (3, 4) and x.device == z.device
    ((x * T(WX, device)).sum() + (y * T(WY, device)).sum()).backward()
    for b in range(3):
        xs, ys, _, _ = quad.solution(Z[b])
        np.testing.assert_allclose(x[b].detach().cpu().numpy(), xs, atol=1e-9)
        np.testing.assert_allclose(y[b].detach().cpu().numpy(), ys, atol=1e-9)
        np.testing.assert_allclose(z.grad[b].cpu().numpy(), quad.loss_grad(Z[b], WX[b], WY[b]), atol=1e-9)
    assert isinstance(layer.last_forward_info, BilevelSolveInfo) and layer.last_forward_info.outer.converged.all()
    info = layer.last_backward_info
    assert isinstance(info, BilevelVJPInfo) and info.method == backward and info.adjoint.converged.all()


def test_unbatched_input_and_warm_start(quad):
    f, g = quad.torch_objectives()
    layer = BilevelLayer(f, g, x_dim=5, y_dim=4)
    Z = np.array([0.3, -1.0, 2.0])
    z = T(Z).requires_grad_(True)
    x, y = layer(z)
    assert x.shape == (5,) and y.shape == (4,)
    xs, ys, _, _ = quad.solution(Z)
    np.testing.assert_allclose(x.detach().numpy(), xs, atol=1e-9)
    x.sum().backward()
    np.testing.assert_allclose(z.grad.numpy(), quad.loss_grad(Z, np.ones(5), np.zeros(4)), atol=1e-9)
    iters_cold = int(layer.last_forward_info.outer.iterations.max())
    layer(z, x0=T(xs), y0=T(ys))  # warm start at the solution: nothing to do
    assert int(layer.last_forward_info.outer.iterations.max()) < iters_cold


def test_gradcheck():
    quad = QuadraticBilevel(3, 2, 2, seed=5)
    f, g = quad.torch_objectives()
    layer = BilevelLayer(f, g, x_dim=3, y_dim=2)
    z = torch.randn(2, 2, dtype=D, requires_grad=True)
    assert torch.autograd.gradcheck(lambda zz: layer(zz), (z,), atol=1e-6)


@pytest.mark.parametrize("backward", ["kkt", "reduced"])
def test_nonquadratic_vs_dense_theorem2_and_finite_differences(backward):
    pb = SmoothBilevel(4, 3, 2, seed=0)
    layer = BilevelLayer(pb.f, pb.g, x_dim=4, y_dim=3, options=BilevelOptions(backward=backward))
    z = torch.randn(2, 2, dtype=D, generator=torch.Generator().manual_seed(1)).requires_grad_(True)
    x, y = layer(z)
    wx, wy = torch.randn(4, dtype=D), torch.randn(3, dtype=D)
    (x @ wx + y @ wy).sum().backward()
    for b in range(2):
        ref, _ = dense_thm2(pb.f, pb.g, x[b], y[b], z[b], wx, wy)
        torch.testing.assert_close(z.grad[b], ref, rtol=1e-8, atol=1e-9)
        # independent forward solver (dense Newton on (F, G) = 0) + central differences
        xr, yr = dense_newton_bilevel(pb.f, pb.g, z[b].detach(), torch.zeros(4, dtype=D), torch.zeros(3, dtype=D))
        torch.testing.assert_close(x[b].detach(), xr, rtol=1e-8, atol=1e-9)
        h, fd = 1e-5, []
        for i in range(2):
            e = torch.zeros(2, dtype=D)
            e[i] = h
            xp, yp = dense_newton_bilevel(pb.f, pb.g, z[b].detach() + e, xr, yr)
            xm, ym = dense_newton_bilevel(pb.f, pb.g, z[b].detach() - e, xr, yr)
            fd.append(((xp - xm) @ wx + (yp - ym) @ wy) / (2 * h))
        torch.testing.assert_close(z.grad[b], torch.stack(fd), rtol=1e-6, atol=1e-8)


def test_minmax_closed_form():
    """min_x max_y 1/2 x'Px + x'Ry - 1/2 y'Qy + (Az)'x + (Cz)'y  (saddle point in closed form)."""
    rng = np.random.default_rng(2)
    n, m, p = 3, 4, 2
    P = np.eye(n) * 2 + 0.1 * rng.standard_normal((n, n))
    P = (P + P.T) / 2
    Q = np.eye(m) * 1.5
    R, A, C = rng.standard_normal((n, m)), rng.standard_normal((n, p)), rng.standard_normal((m, p))
    Pt, Qt, Rt, At, Ct = map(T, (P, Q, R, A, C))

    def f(x, y, z):
        return (0.5 * ((x @ Pt) * x).sum(-1) + ((x @ Rt) * y).sum(-1) - 0.5 * ((y @ Qt) * y).sum(-1)
                + ((z @ At.T) * x).sum(-1) + ((z @ Ct.T) * y).sum(-1))

    layer = BilevelLayer(f, x_dim=n, y_dim=m, minmax=True)
    Z = rng.standard_normal((2, p))
    z = T(Z).requires_grad_(True)
    x, y = layer(z)
    wx, wy = rng.standard_normal(n), rng.standard_normal(m)
    (x @ T(wx) + y @ T(wy)).sum().backward()
    # x: (P + R Q^-1 R') x = -(A + R Q^-1 C) z ;  y = Q^-1 (R' x + C z)
    Qi = np.linalg.inv(Q)
    S = P + R @ Qi @ R.T
    dx = -np.linalg.solve(S, A + R @ Qi @ C)
    dy = Qi @ (R.T @ dx + C)
    for b in range(2):
        np.testing.assert_allclose(x[b].detach().numpy(), dx @ Z[b], atol=1e-9)
        np.testing.assert_allclose(y[b].detach().numpy(), dy @ Z[b], atol=1e-9)
        np.testing.assert_allclose(z.grad[b].numpy(), dx.T @ wx + dy.T @ wy, atol=1e-9)
    assert layer.last_backward_info.q is None  # min-max shortcut q* = 0 was used


def test_equality_constraints_closed_form(quad):
    f, g = quad.torch_objectives()
    rng = np.random.default_rng(1)
    A_eq, b_eq = rng.standard_normal((2, 5)), rng.standard_normal((2, 2))  # batched b_eq
    B_eq, c_eq = rng.standard_normal((1, 4)), rng.standard_normal(1)
    layer = BilevelLayer(f, g, x_dim=5, y_dim=4, A_eq=T(A_eq), b_eq=T(b_eq), B_eq=T(B_eq), c_eq=T(c_eq))
    Z = rng.standard_normal((2, 3))
    z = T(Z).requires_grad_(True)
    x, y = layer(z)
    torch.testing.assert_close(x.detach() @ T(A_eq).T, T(b_eq))
    wx, wy = rng.standard_normal(5), rng.standard_normal(4)
    (x @ T(wx) + y @ T(wy)).sum().backward()
    for b in range(2):
        cons = dict(A_eq=A_eq, b_eq=b_eq[b], B_eq=B_eq, c_eq=c_eq)
        xs, ys, _, _ = quad.solution(Z[b], **cons)
        np.testing.assert_allclose(x[b].detach().numpy(), xs, atol=1e-9)
        np.testing.assert_allclose(y[b].detach().numpy(), ys, atol=1e-9)
        np.testing.assert_allclose(z.grad[b].numpy(), quad.loss_grad(Z[b], wx, wy, **cons), atol=1e-9)


def _box_problem():
    """Inner: min_y 1/2||y - (Mx + z)||^2 s.t. y < 1; outer: min_x 1/2||x - z_x||^2 + 1/2||y||^2 s.t. x > -2."""
    M = T([[1.0, 0.5], [-0.3, 1.0]])

    def f(x, y, z):
        return 0.5 * ((x - z) ** 2).sum(-1) + 0.5 * (y**2).sum(-1) * 0.2

    def g(x, y, z):
        return 0.5 * ((y - x @ M.T - z) ** 2).sum(-1)

    return f, g, (lambda x, y, z: -2.0 - x), (lambda x, y, z: y - 1.0)


def test_inequality_barrier_vs_dense_and_limit():
    f, g, hx, hy = _box_problem()
    z = T([[1.2, 0.4], [0.1, -0.5]]).requires_grad_(True)
    t = 50.0
    layer = BilevelLayer(f, g, x_dim=2, y_dim=2, ineq_x=hx, ineq_y=hy,
                         options=BilevelOptions(barrier_t=t, barrier_t0=1.0))
    x, y = layer(z)
    assert (y < 1).all() and (x > -2).all()
    w = torch.tensor([1.0, -2.0], dtype=D)
    ((x + y) @ w).sum().backward()

    def fb(x, y, z):  # barrier objectives written out independently
        return f(x, y, z) - torch.log(2.0 + x).sum(-1) / t

    def gb(x, y, z):
        return g(x, y, z) - torch.log(1.0 - y).sum(-1) / t

    for b in range(2):
        ref, _ = dense_thm2(fb, gb, x[b], y[b], z[b], w, w)
        torch.testing.assert_close(z.grad[b], ref, rtol=1e-7, atol=1e-9)
        # the layer output solves the barrier problem: dense Theorem 1 residual (F, G) = 0
        xr, yr = x[b].detach().clone().requires_grad_(True), y[b].detach().clone().requires_grad_(True)
        F, G = dense_FG(fb, gb, xr, yr, z[b].detach())
        assert float(torch.cat([F, G]).detach().abs().max()) < 1e-9
    # large t approaches the constrained solution: y = min(Mx + z, 1) and x solves the outer problem
    big = BilevelLayer(f, g, x_dim=2, y_dim=2, ineq_x=hx, ineq_y=hy,
                       options=BilevelOptions(barrier_t=1e6, barrier_t0=1.0))
    zz = T([[2.0, 0.5]])
    xb, yb = big(zz)
    M = T([[1.0, 0.5], [-0.3, 1.0]])
    torch.testing.assert_close(yb, torch.clamp(xb @ M.T + zz, max=1.0), atol=1e-4, rtol=0)


def test_barrier_infeasible_y0_is_restored_and_infeasible_x0_gets_phase1():
    f, g, hx, hy = _box_problem()
    z = T([[0.0, 0.0]])
    layer = BilevelLayer(f, g, x_dim=2, y_dim=2, ineq_y=hy, ineq_x=hx)
    x_ref, y_ref = layer(z)
    x, y = layer(z, y0=T([2.0, 0.0]))  # y0 outside y < 1: moved inside first, same solution
    assert (y < 1).all()
    torch.testing.assert_close(x, x_ref, atol=1e-7, rtol=0)
    torch.testing.assert_close(y, y_ref, atol=1e-7, rtol=0)
    x, y = layer(z, x0=T([-3.0, 0.0]))  # violates x > -2: phase 1 moves it inside, same solution
    assert layer.last_forward_status == ["converged"]
    torch.testing.assert_close(x, x_ref, atol=1e-6, rtol=0)
    torch.testing.assert_close(y, y_ref, atol=1e-6, rtol=0)


def _shimizu_aiyoshi_ex1():
    """BOLIB ShimizuAiyoshi1981Ex1 as a user writes it (the reproduction of issue 12, item 1)."""
    def F(x, y, z):
        return x[:, 0] ** 2 + (y[:, 0] - 10) ** 2

    def f(x, y, z):
        return (x[:, 0] + 2 * y[:, 0] - 30) ** 2

    def G(x, y, z):
        return torch.stack([x[:, 0] - 15, -x[:, 0] + y[:, 0], -x[:, 0]], dim=1)

    def g(x, y, z):
        return torch.stack([x[:, 0] + y[:, 0] - 20, y[:, 0] - 20, -y[:, 0]], dim=1)

    return F, f, G, g


@pytest.mark.parametrize("outer", ["lbfgs", "bb"])
def test_coupled_upper_constraint_feasible_after_inner_resolve(outer):
    """G(x, y*(x)) <= 0 must hold at the returned point, with y the follower's optimum there."""
    F, f, G, g = _shimizu_aiyoshi_ex1()
    layer = BilevelLayer(F, f, x_dim=1, y_dim=1, ineq_x=G, ineq_y=g,
                         options=BilevelOptions(outer_solver=outer, maxiter=2000))
    z = T([[0.0]])
    x, y = layer(z, x0=T([12.0]), y0=T([5.0]))
    assert float((G(x, y, z)).max()) < 0  # -x + y <= 0 holds (the old solver returned y - x = +2.25)
    ys = min((30 - float(x[0, 0])) / 2, 20 - float(x[0, 0]))  # the follower's optimum at x
    assert abs(float(y[0, 0]) - ys) < 1e-3
    if outer == "lbfgs":  # "bb" has no sufficient-decrease test: feasible, but no convergence guarantee
        assert abs(float(F(x, y, z)[0]) - 100.0) < 0.1  # F* = 100 at (10, 10)
        assert bool(layer.last_forward_info.converged.all())


def test_follower_constraint_depending_on_x_does_not_stall():
    """Bard 1988 Ex. 1: the follower's active constraint y <= 3x - 3 moves with x; F* = 17 at x = 1."""
    def F(x, y, z):
        return (x[:, 0] - 5) ** 2 + (2 * y[:, 0] + 1) ** 2

    def f(x, y, z):
        return (y[:, 0] - 1) ** 2 - 1.5 * x[:, 0] * y[:, 0]

    def g(x, y, z):
        x, y = x[:, 0], y[:, 0]
        return torch.stack([-3 * x + y + 3, x - 0.5 * y - 4, x + y - 7, -y], dim=1)

    layer = BilevelLayer(F, f, x_dim=1, y_dim=1, ineq_x=lambda x, y, z: -x, ineq_y=g)
    x, y = layer(T([[0.0]]), x0=T([2.0]), y0=T([0.5]))
    assert abs(float(F(x, y, None)[0]) - 17.0) < 17e-3
    assert abs(float(x[0, 0]) - 1.0) < 1e-3
    assert bool(layer.last_forward_info.converged.all())


def test_continuation_restarts_failed_stage_from_last_feasible_point():
    f, g, hx, hy = _box_problem()
    starts, calls = [], {"n": 0}

    def solver(fi, gi, z, x0, y0):
        calls["n"] += 1
        starts.append((x0.clone(), y0.clone()))
        x, y, _ = solve_bilevel(fi, gi, z, x0, y0)
        if calls["n"] == 2:  # a failing stage: returns a point outside y < 1
            return x, y + 10.0
        return x, y

    layer = BilevelLayer(f, g, x_dim=2, y_dim=2, ineq_x=hx, ineq_y=hy,
                         options=BilevelOptions(barrier_t=100.0, barrier_t0=1.0, forward_solver=solver))
    x, y = layer(T([[1.2, 0.4]]))
    assert (y < 1).all() and (x > -2).all()
    assert calls["n"] >= 4  # t = 1, (10: failed), 10 again from the last feasible point, ..., 100
    torch.testing.assert_close(starts[2][0], starts[1][0])  # the restart began where stage 2 began
    ref = BilevelLayer(f, g, x_dim=2, y_dim=2, ineq_x=hx, ineq_y=hy,
                       options=BilevelOptions(barrier_t=100.0, barrier_t0=1.0))
    xr, yr = ref(T([[1.2, 0.4]]))
    torch.testing.assert_close(x, xr, atol=1e-6, rtol=0)


def test_bad_input_messages():
    f, g, hx, hy = _box_problem()
    layer = BilevelLayer(f, g, x_dim=2, y_dim=2, ineq_y=hy)
    with pytest.raises(ValueError, match="z must be finite"):
        layer(T([[float("nan"), 0.0]]))
    with pytest.raises(ValueError, match="tol must be a finite number >= 0"):
        BilevelLayer(f, g, x_dim=2, y_dim=2, options=BilevelOptions(tol=-1))
    with pytest.raises(ValueError, match="y_dim"):
        BilevelLayer(f, g, x_dim=2, y_dim=3)(T([[0.0, 0.0]]))
    layer(T([[0.3, 0.1]]))
    info = layer.last_forward_info
    assert info.converged.dtype == torch.bool and bool(info.converged.all())  # the documented attribute


def test_concave_inner_problem_is_not_reported_converged():
    """A concave g has a stationary point at y = 0 (a maximum): warn, never claim convergence."""
    def f(x, y, z):
        return ((x - 1) ** 2).sum(-1) + (y**2).sum(-1)

    def g(x, y, z):
        return -((y - 0 * x) ** 2).sum(-1)

    layer = BilevelLayer(f, g, x_dim=2, y_dim=2)
    with pytest.warns(BilevelConvergenceWarning, match="not positive definite"):
        layer(T([[0.0, 0.0]]))
    assert not bool(layer.last_forward_info.converged.any())
    assert float(layer.last_forward_info.inner.curvature.max()) < 0


class ParamObjective(nn.Module):
    def __init__(self, pb):
        super().__init__()
        self.pb = pb
        self.theta = nn.Parameter(torch.tensor([0.5, -0.2], dtype=D))

    def forward(self, x, y, z):
        return self.pb.f(x, y, z) + (x[:, :2] * self.theta).sum(-1) * y[:, 0]


def test_module_parameters_receive_gradients():
    pb = SmoothBilevel(4, 3, 2, seed=4)
    fmod = ParamObjective(pb)
    layer = BilevelLayer(fmod, pb.g, x_dim=4, y_dim=3)
    assert [n for n, _ in layer.named_parameters()] == ["f.theta"]
    z = torch.randn(2, 2, dtype=D, generator=torch.Generator().manual_seed(3))
    x, y = layer(z)
    wx = torch.randn(4, dtype=D)
    (x @ wx).sum().backward()
    grad = fmod.theta.grad.clone()
    h, fd = 1e-6, []
    for i in range(2):
        vals = []
        for s in (1, -1):
            with torch.no_grad():
                fmod.theta[i] += s * h
            tot = 0.0
            for b in range(2):
                xr, _ = dense_newton_bilevel(fmod, pb.g, z[b], x[b].detach(), y[b].detach())
                tot = tot + xr @ wx
            vals.append(tot)
            with torch.no_grad():
                fmod.theta[i] -= s * h
        fd.append((vals[0] - vals[1]) / (2 * h))
    torch.testing.assert_close(grad, torch.stack(fd), rtol=1e-6, atol=1e-8)


def test_custom_solvers(quad):
    f, g = quad.torch_objectives()
    calls = {"inner": 0, "solver": 0}

    def inner(fun, y0, **kw):
        calls["inner"] += 1
        return newton_cg(fun, y0, **kw)

    layer = BilevelLayer(f, g, x_dim=5, y_dim=4, options=BilevelOptions(
        inner_solver=inner, outer_solver="gd", outer_lr=0.3, maxiter=3000))
    Z = np.array([[0.5, 0.1, -0.2]])
    x, _ = layer(T(Z))
    assert calls["inner"] > 0
    np.testing.assert_allclose(x[0].numpy(), quad.solution(Z[0])[0], atol=1e-8)

    def solver(fi, gi, z, x0, y0):  # dense Newton per sample on the internal problem
        calls["solver"] += 1
        out = [dense_newton_bilevel(fi, gi, z[b], x0[b], y0[b]) for b in range(z.shape[0])]
        return torch.stack([o[0] for o in out]), torch.stack([o[1] for o in out])

    layer = BilevelLayer(f, g, x_dim=5, y_dim=4, options=BilevelOptions(forward_solver=solver))
    z = T(Z).requires_grad_(True)
    x, y = layer(z)
    x.sum().backward()
    assert calls["solver"] == 1 and layer.last_forward_info is None
    np.testing.assert_allclose(z.grad[0].numpy(), quad.loss_grad(Z[0], np.ones(5), np.zeros(4)), atol=1e-9)


def test_float32(quad):
    f, g = quad.torch_objectives(dtype=torch.float32)
    layer = BilevelLayer(f, g, x_dim=5, y_dim=4)
    Z = np.array([[0.5, 0.1, -0.2]])
    z = torch.tensor(Z, dtype=torch.float32, requires_grad=True)
    x, y = layer(z)
    x.sum().backward()
    assert x.dtype == torch.float32 and z.grad.dtype == torch.float32
    np.testing.assert_allclose(x[0].detach().numpy(), quad.solution(Z[0])[0], atol=1e-3)
    np.testing.assert_allclose(z.grad[0].numpy(), quad.loss_grad(Z[0], np.ones(5), np.zeros(4)), atol=1e-3)


def test_non_convergence_warns(quad):
    f, g = quad.torch_objectives()
    layer = BilevelLayer(f, g, x_dim=5, y_dim=4, options=BilevelOptions(maxiter=1))
    with pytest.warns(BilevelConvergenceWarning):
        layer(T([[0.5, 0.1, -0.2]]))
    layer = BilevelLayer(f, g, x_dim=5, y_dim=4, options=BilevelOptions(maxiter=1), on_fail="raise")
    with pytest.raises(RuntimeError, match="not converged"):
        layer(T([[0.5, 0.1, -0.2]]))


def test_argument_validation(quad):
    f, g = quad.torch_objectives()
    A = T(np.ones((1, 5)))
    cases = [
        (TypeError, "f must be callable", dict(f=3, g=g)),
        (TypeError, "g must be callable", dict(f=f, g=None)),
        (ValueError, "g must be None", dict(f=f, g=g, minmax=True)),
        (TypeError, "x_dim", dict(f=f, g=g, x_dim=5.0)),
        (ValueError, "y_dim", dict(f=f, g=g, y_dim=0)),
        (ValueError, "A_eq and b_eq", dict(f=f, g=g, A_eq=A)),
        (ValueError, "A_eq must be a tensor of shape", dict(f=f, g=g, A_eq=T(np.ones((1, 3))), b_eq=T([1.0]))),
        (ValueError, "inconsistent", dict(f=f, g=g, A_eq=T(np.ones((2, 5))), b_eq=T([1.0, 2.0]))),
        (ValueError, "full column rank", dict(f=f, g=g, A_eq=T(np.eye(5)), b_eq=T(np.ones(5)))),
        (TypeError, "ineq_x", dict(f=f, g=g, ineq_x=1)),
        (ValueError, "on_fail", dict(f=f, g=g, on_fail="panic")),
        (ValueError, "maxiter must be >= 1", dict(f=f, g=g, options=BilevelOptions(maxiter=0))),
        (TypeError, "options must be a BilevelOptions", dict(f=f, g=g, options={"tol": 1.0})),
        (TypeError, "unexpected keyword argument 'barrier'", dict(f=f, g=g, barrier=1.0)),
    ]
    for exc, match, kw in cases:
        kw = {"x_dim": 5, "y_dim": 4, **kw}
        with pytest.raises(exc, match=match):
            BilevelLayer(kw.pop("f"), kw.pop("g", None), **kw)
    option_cases = [
        (ValueError, "barrier_t", dict(barrier_t=-1.0)),
        (ValueError, "barrier_t0", dict(barrier_t=1.0, barrier_t0=10.0)),
        (ValueError, "barrier_mu", dict(barrier_mu=1.0)),
        (ValueError, "inner_solver", dict(inner_solver="lbfgs")),
        (ValueError, "outer_solver", dict(outer_solver="adam")),
        (ValueError, "stage_tol", dict(stage_tol=float("nan"))),
        (ValueError, "backward", dict(backward="dense")),
        (TypeError, "backward_solver", dict(backward_solver=1)),
        (TypeError, "forward_solver", dict(forward_solver="newton")),
        (TypeError, "inner_options", dict(inner_options=3)),
        (TypeError, "backward_maxiter", dict(backward_maxiter=2.5)),
    ]
    for exc, match, kw in option_cases:
        with pytest.raises(exc, match=match):
            BilevelOptions(**kw)
    layer = BilevelLayer(f, g, x_dim=5, y_dim=4)
    with pytest.raises(TypeError, match="z must be"):
        layer(torch.ones(2, 3, dtype=torch.long))
    with pytest.raises(ValueError, match="x0"):
        layer(T(np.ones((2, 3))), x0=T(np.ones(4)))
    with pytest.raises(ValueError, match="f must return per-sample"):
        BilevelLayer(lambda x, y, z: f(x, y, z).sum(), g, x_dim=5, y_dim=4)(T(np.ones((2, 3))))
    assert "x_dim=5" in repr(layer)

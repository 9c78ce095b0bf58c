"""custom_root, Theorem 1/2 machinery, forward solvers and constraints of bigrad.implicit."""
from __future__ import annotations

import json
import subprocess
import sys
import warnings
from pathlib import Path

import numpy as np
import pytest
import scipy.optimize
import torch

from bigrad.implicit import (
    BilevelConvergenceWarning,
    BilevelOptions,
    NullSpace,
    StationarySystem,
    bilevel_vjp,
    custom_root,
    feasibility_restorer,
    gradient_descent,
    hypergradient,
    log_barrier,
    min_curvature,
    newton_cg,
    solve_bilevel,
    with_barrier,
)
from bigrad.krylov import KrylovInfo
from reference.dense_bilevel import (
    SmoothBilevel,
    dense_FG,
    dense_newton_bilevel,
    dense_thm2,
)
from reference.memory import LargestTensor, peak_rss_delta, rss_supported

D = torch.float64


def rand(*shape, seed=0):
    return torch.randn(*shape, generator=torch.Generator().manual_seed(seed), dtype=D)


# ----------------------------------------------------------------------------- custom_root
def linear_stationarity(x, A, b):
    return x @ A.T - b


@pytest.mark.parametrize("solve", ["gmres", "bicgstab", "cg", "minres", "callable"])
def test_custom_root_linear_closed_form(solve):
    n = 6
    M = rand(n, n, seed=1)
    A = (M @ M.T / n + torch.eye(n, dtype=D)).requires_grad_(True)
    b = rand(n, seed=2).requires_grad_(True)
    if solve == "callable":
        solve = lambda mv, rhs: torch.linalg.solve(
            torch.stack([mv(e[None])[0] for e in torch.eye(rhs.shape[1], dtype=D)], 1), rhs[0]
        )[None]

    @custom_root(linear_stationarity, solve=solve)
    def solver(x0, A, b):
        return torch.linalg.solve(A, b)

    x = solver(torch.zeros(n, dtype=D), A, b)
    w = rand(n, seed=3)
    (x @ w).backward()
    Ad = A.detach()
    u = torch.linalg.solve(Ad.T, w)
    torch.testing.assert_close(b.grad, u)
    torch.testing.assert_close(A.grad, -torch.outer(u, torch.linalg.solve(Ad, b.detach())))


def cubic(x, a, c):  # x^3 + a x - c = 0, elementwise, unique root for a > 0
    return x**3 + a * x - c


@custom_root(cubic, batched=True)
def cubic_root(x0, a, c):
    x = x0.clone()
    for _ in range(60):
        x = x - cubic(x, a, c) / (3 * x**2 + a)
    return x


def test_custom_root_batched_closed_form_and_gradcheck():
    a = (1.0 + rand(4, 3, seed=1).abs()).requires_grad_(True)
    c = rand(4, 3, seed=2).requires_grad_(True)
    x = cubic_root(torch.zeros(4, 3, dtype=D), a, c)
    assert torch.allclose(cubic(x, a, c), torch.zeros_like(x), atol=1e-12)
    x.sum().backward()
    den = 3 * x.detach() ** 2 + a.detach()
    torch.testing.assert_close(c.grad, 1 / den)
    torch.testing.assert_close(a.grad, -x.detach() / den)
    info = cubic_root.backward_info()
    assert isinstance(info, KrylovInfo) and info.converged.shape == (4,) and info.converged.all()
    assert torch.autograd.gradcheck(lambda a, c: cubic_root(torch.zeros(4, 3, dtype=D), a, c), (a, c))


class _Scale(torch.autograd.Function):
    """``2 x`` with a backward that has no vmap rule (``is_grads_batched`` replays fail)."""

    @staticmethod
    def forward(ctx, x):
        return 2 * x

    @staticmethod
    def backward(ctx, g):
        return torch.from_numpy(2 * g.numpy())  # not vmappable


@pytest.mark.parametrize("case", ["direct", "large", "no-vmap-rule"])
def test_custom_root_direct_and_krylov_adjoints_agree_with_dense(case):
    """Small adjoint systems are solved directly (LU of the Jacobian), others by the Krylov
    method; both give the dense-solve gradient, and the direct path falls back when it cannot run."""
    from bigrad.implicit.custom_root import DIRECT_MAX_N

    n = DIRECT_MAX_N + 1 if case == "large" else 7
    B = 3
    M = rand(B, n, n, seed=4)
    A = M @ M.mT / n + torch.eye(n, dtype=D)
    wrap = _Scale.apply if case == "no-vmap-rule" else (lambda v: v)

    def stationarity(x, b):
        return wrap((A @ x.unsqueeze(-1)).squeeze(-1) - b)

    @custom_root(stationarity, batched=True, tol=1e-12)
    def solver(x0, b):
        return torch.linalg.solve(A, b)

    b = rand(B, n, seed=5)
    w = rand(B, n, seed=6)
    b.requires_grad_(True)
    (solver(torch.zeros(B, n, dtype=D), b) * w).sum().backward()
    info = solver.backward_info()
    assert info.method == ("direct" if case == "direct" else "gmres") and info.converged.all()
    expected = torch.linalg.solve(A.mT, w)  # dL/db = A^{-T} w
    torch.testing.assert_close(b.grad, expected, rtol=1e-9, atol=1e-10)


def test_custom_root_fixed_point_gradcheck_nontensor_params():
    """Equilibrium x = tanh(W x + b) (DEQ-style); a non-tensor parameter passes through."""
    n = 5

    def T(x, W, b, scale):
        return x - torch.tanh(scale * (x @ W.T) + b)

    @custom_root(T)
    def fixed_point(x0, W, b, scale):
        x = x0
        for _ in range(200):
            x = torch.tanh(scale * (x @ W.T) + b)
        return x

    W = (0.3 * rand(n, n, seed=4)).requires_grad_(True)
    b = rand(2, n, seed=5).requires_grad_(True)
    fn = lambda W, b: fixed_point(torch.zeros(2, n, dtype=D), W, b, 0.9)
    assert torch.autograd.gradcheck(fn, (W, b))


def test_custom_root_validation():
    with pytest.raises(TypeError, match="optimality_fn"):
        custom_root(3)
    with pytest.raises(ValueError, match="solve"):
        custom_root(cubic, solve="lu")
    with pytest.raises(TypeError, match="solve"):
        custom_root(cubic, solve=3)
    with pytest.raises(TypeError, match="batched"):
        custom_root(cubic, batched=1)
    with pytest.raises(TypeError, match="solver"):
        custom_root(cubic)(None)
    bad = custom_root(lambda x, c: (x - c).sum())(lambda x0, c: c.clone())
    c = rand(3).requires_grad_(True)
    with pytest.raises(ValueError, match="optimality_fn must return"):
        bad(torch.zeros(3, dtype=D), c).sum().backward()


def test_custom_root_has_aux_and_argnums_vs_dense_solve():
    """``has_aux`` returns the solver's extra output undifferentiated; ``argnums`` picks the parameters."""
    n = 5
    M = rand(n, n, seed=11)
    A = (M @ M.T / n + torch.eye(n, dtype=D)).requires_grad_(True)
    b = rand(n, seed=12).requires_grad_(True)
    calls = []

    @custom_root(linear_stationarity, solve="cg", has_aux=True, argnums=1)
    def solver(x0, A, b):
        calls.append(1)
        x = torch.linalg.solve(A, b)
        return x, {"residual": (A @ x - b).norm(), "iterations": 1}

    x, aux = solver(torch.zeros(n, dtype=D), A, b)
    assert set(aux) == {"residual", "iterations"} and float(aux["residual"]) < 1e-12 and not aux["residual"].requires_grad
    w = rand(n, seed=13)
    (x @ w).backward()
    assert A.grad is None  # not in argnums
    torch.testing.assert_close(b.grad, torch.linalg.solve(A.detach().T, w))  # dense adjoint solve
    assert len(calls) == 1

    @custom_root(linear_stationarity, solve="cg", argnums=(0,))
    def solver_a(x0, A, b):
        return torch.linalg.solve(A, b)

    A.grad = b.grad = None
    (solver_a(torch.zeros(n, dtype=D), A, b) @ w).backward()
    assert b.grad is None
    u = torch.linalg.solve(A.detach().T, w)
    torch.testing.assert_close(A.grad, -torch.outer(u, torch.linalg.solve(A.detach(), b.detach())))
    with pytest.raises(ValueError, match="argnums"):
        solver_a(torch.zeros(n, dtype=D))
    with pytest.raises(TypeError, match="argnums"):
        custom_root(cubic, argnums="a")
    with pytest.raises(ValueError, match="argnums"):
        custom_root(cubic, argnums=(0, 0))
    with pytest.raises(TypeError, match="has_aux"):
        custom_root(cubic, has_aux=1)
    bad = custom_root(linear_stationarity, has_aux=True)(lambda x0, A, b: torch.linalg.solve(A, b))
    with pytest.raises(TypeError, match="has_aux"):
        bad(torch.zeros(n, dtype=D), A, b)


def test_custom_root_finite_differences():
    """Gradients w.r.t. the selected parameter agree with float64 central differences."""
    a = 1.0 + rand(3, seed=21).abs()
    c = rand(3, seed=22)
    root = custom_root(cubic, batched=False, argnums=1)(cubic_root.__wrapped__)
    c_leaf = c.clone().requires_grad_(True)
    (g,) = torch.autograd.grad(root(torch.zeros(3, dtype=D), a, c_leaf).sum(), c_leaf)
    eps = 1e-6
    for i in range(3):
        e = torch.zeros(3, dtype=D)
        e[i] = eps
        fd = (cubic_root.__wrapped__(torch.zeros(3, dtype=D), a, c + e).sum()
              - cubic_root.__wrapped__(torch.zeros(3, dtype=D), a, c - e).sum()) / (2 * eps)
        torch.testing.assert_close(g[i], fd, rtol=1e-6, atol=1e-8)


# ----------------------------------------------------------------------------- Theorem 1 / 2
@pytest.fixture(scope="module")
def smooth():
    pb = SmoothBilevel(4, 3, 2, seed=0)
    z = rand(2, 2, seed=7)
    x, y, info = solve_bilevel(pb.f, pb.g, z, torch.zeros(2, 4, dtype=D), torch.zeros(2, 3, dtype=D))
    assert info.outer.converged.all()
    return pb, z, x, y


def test_hypergradient_matches_dense_and_total_derivative(smooth):
    pb, z, _, _ = smooth
    x = rand(2, 4, seed=8)
    y, _ = newton_cg(lambda yy: pb.g(x, yy, z), torch.zeros(2, 3, dtype=D))
    F, q, info = hypergradient(pb.f, pb.g, x, y, z)
    assert info.converged.all() and F.shape == (2, 4) and q.shape == (2, 3)
    for b in range(2):
        xr, yr = x[b].clone().requires_grad_(True), y[b].clone().requires_grad_(True)
        F_ref, G_ref = dense_FG(pb.f, pb.g, xr, yr, z[b])
        torch.testing.assert_close(F[b], F_ref.detach(), rtol=1e-9, atol=1e-10)
        assert float(G_ref.detach().norm()) < 1e-10

    # F is the total derivative of phi(x) = f(x, y*(x)): central differences
    def phi(xx):
        yy, _ = newton_cg(lambda v: pb.g(xx, v, z), y)
        return pb.f(xx, yy, z)

    h = 1e-6
    for i in range(4):
        e = torch.zeros(2, 4, dtype=D)
        e[:, i] = h
        fd = (phi(x + e) - phi(x - e)) / (2 * h)
        torch.testing.assert_close(F[:, i], fd, rtol=1e-6, atol=1e-7)


def test_stationary_system_is_hessian_of_phi(smooth):
    pb, z, x, y = smooth
    S = StationarySystem(pb.f, pb.g, x[:1], y[:1], z[:1])
    n, m = 4, 3
    N = n + 2 * m
    K = torch.cat([S.kkt_matvec(e[None]) for e in torch.eye(N, dtype=D)], 0)
    torch.testing.assert_close(K, K.T, rtol=1e-12, atol=1e-12)
    q = S.q.detach()[0]

    def phi(v):
        xv, yv, qv = v[:n], v[n:n + m], v[n + m:]
        yv = yv.clone()
        gy = torch.autograd.grad(pb.g(xv[None], yv[None], z[:1]).sum(), yv, create_graph=True)[0] \
            if yv.requires_grad else None
        return pb.f(xv[None], yv[None], z[:1]).sum() - (gy * qv).sum()

    v0 = torch.cat([x[0], y[0], q])
    H = torch.autograd.functional.hessian(lambda v: phi(v), v0, create_graph=False)
    torch.testing.assert_close(K, H, rtol=1e-10, atol=1e-10)
    # the reduced product equals J^T of the dense Theorem 1 Jacobian
    _, J = dense_thm2(pb.f, pb.g, x[0], y[0], z[0], torch.zeros(n, dtype=D), torch.zeros(m, dtype=D))
    JT = torch.cat([S.reduced_matvec(e[None]) for e in torch.eye(n + m, dtype=D)], 0)
    torch.testing.assert_close(JT, J, rtol=1e-9, atol=1e-10)


@pytest.mark.parametrize(
    "method,solve", [("kkt", None), ("kkt", "gmres"), ("kkt", "bicgstab"), ("reduced", None), ("reduced", "bicgstab")]
)
def test_bilevel_vjp_matches_dense_theorem2(smooth, method, solve):
    pb, z, x, y = smooth
    vx, vy = rand(2, 4, seed=9), rand(2, 3, seed=10)
    gz, gp, info = bilevel_vjp(pb.f, pb.g, x, y, z, vx, vy,
                               options=BilevelOptions(backward=method, backward_solver=solve))
    assert gp == [] and info.adjoint.converged.all() and info.method == method
    assert info.adjoint.method == (solve or {"kkt": "minres", "reduced": "gmres"}[method])
    for b in range(2):
        ref, _ = dense_thm2(pb.f, pb.g, x[b], y[b], z[b], vx[b], vy[b])
        torch.testing.assert_close(gz[b], ref, rtol=1e-8, atol=1e-9)


def test_bilevel_vjp_parameter_gradient_vs_finite_differences(smooth):
    pb, z, _, _ = smooth
    theta = torch.tensor(0.7, dtype=D, requires_grad=True)

    def f(x, y, zz):  # a shared parameter inside the outer objective
        return pb.f(x, y, zz) + theta * (x * y[:, :1]).sum(-1)

    x0, y0 = torch.zeros(4, dtype=D), torch.zeros(3, dtype=D)
    x, y = dense_newton_bilevel(f, pb.g, z[0], x0, y0)
    vx, vy = rand(4, seed=11), rand(3, seed=12)
    gz, (gtheta,), _ = bilevel_vjp(f, pb.g, x[None], y[None], z[:1], vx[None], vy[None], [theta])
    h = 1e-6
    with torch.no_grad():
        theta += h
    xp, yp = dense_newton_bilevel(f, pb.g, z[0], x, y)
    with torch.no_grad():
        theta -= 2 * h
    xm, ym = dense_newton_bilevel(f, pb.g, z[0], x, y)
    fd = ((xp - xm) @ vx + (yp - ym) @ vy) / (2 * h)
    torch.testing.assert_close(gtheta, fd, rtol=1e-6, atol=1e-8)


def test_bilevel_vjp_validation(smooth):
    pb, z, x, y = smooth
    with pytest.raises(ValueError, match="backward"):
        bilevel_vjp(pb.f, pb.g, x, y, z, x, y, options=BilevelOptions(backward="dense"))
    with pytest.raises(ValueError, match="g must return per-sample"):
        bilevel_vjp(pb.f, lambda a, b, c: pb.g(a, b, c).sum(), x, y, z, x, y)
    with pytest.raises(TypeError, match="backward_solver"):
        bilevel_vjp(pb.f, pb.g, x, y, z, x, y, options=BilevelOptions(backward_solver=1))


# ----------------------------------------------------------------------------- memory O(n)
def lowrank_problem(n, r=3, seed=0):
    gen = torch.Generator().manual_seed(seed)
    dg = 1 + torch.rand(n, generator=gen, dtype=D)
    U = torch.randn(n, r, generator=gen, dtype=D) / n**0.5
    t = torch.randn(n, generator=gen, dtype=D)

    def g(x, y, z):
        return (0.5 * (dg * y * y).sum(-1) + 0.5 * ((y @ U) ** 2).sum(-1) - (y * (x + z)).sum(-1)
                + 0.1 * torch.log(torch.cosh(y)).sum(-1))

    def f(x, y, z):
        return 0.5 * ((y - t) ** 2).sum(-1) + 0.5 * (x * x).sum(-1)

    return f, g


def _vjp_at(n, restart=10, maxiter=40, solve="gmres"):
    f, g = lowrank_problem(n)
    x, y, z, vx, vy = (rand(1, n, seed=s) for s in range(5))
    options = BilevelOptions(backward_solver=solve, backward_restart=restart, backward_tol=1e-8,
                             backward_maxiter=maxiter)
    return lambda: bilevel_vjp(f, g, x, y, z, vx, vy, options=options, on_fail="ignore")


@pytest.mark.parametrize("solve,ratio", [("gmres", 11 * 3), ("minres", 3)])
def test_hypergradient_creates_no_quadratic_tensor(solve, ratio):
    for n in (500, 2000, 8000):
        with LargestTensor() as rec:
            _vjp_at(n, maxiter=12, solve=solve)()
        assert rec.max_numel < n * n / 10
        # GMRES: the basis [B, restart + 1, n + 2m]; MINRES: vectors [B, n + 2m] -- linear in n
        assert rec.max_numel == ratio * n, rec.max_shape


RSS_SIZES = (10_000, 20_000, 40_000, 80_000)


def measure_rss_peaks():
    """Peak RSS growth of the Theorem 2 backward at each of RSS_SIZES (run in a fresh interpreter)."""
    torch.set_num_threads(1)  # memory does not depend on it; keeps the measurement quick on a busy machine
    _vjp_at(2_000, maxiter=12)()  # warm-up (allocator, autograd engine), small to leave no cache
    return [peak_rss_delta(_vjp_at(n, maxiter=12))[1] for n in RSS_SIZES]


@pytest.mark.slow
@pytest.mark.skipif(not rss_supported(), reason="needs /proc/self/clear_refs (Linux)")
def test_hypergradient_peak_memory_grows_linearly():
    """Peak RSS of the Theorem 2 backward (graph + Krylov vectors) per unknown is constant.

    Measured in a fresh interpreter: memory that earlier tests left in the
    allocator's pools would otherwise hide part of the growth.
    """
    code = "import json; from tests.test_implicit import measure_rss_peaks; print(json.dumps(measure_rss_peaks()))"
    root = Path(__file__).resolve().parents[1]
    out = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr[-2000:]
    peaks = json.loads(out.stdout.strip().splitlines()[-1])
    per_var = [p / n for p, n in zip(peaks, RSS_SIZES)]
    # a dense Jacobian would multiply the peak by 4 per doubling of n (and by 64 overall)
    assert max(per_var) / min(per_var) < 1.5, per_var
    assert peaks[-1] / peaks[0] < 8 * 1.5, peaks
    assert max(per_var) < 8 * 200, per_var  # fewer than 200 float64 vectors of length n


# ----------------------------------------------------------------------------- forward solvers
def test_newton_cg_and_gd_match_scipy():
    gen = torch.Generator().manual_seed(0)
    A = torch.randn(5, 5, generator=gen, dtype=D)
    H = A @ A.T / 5 + torch.eye(5, dtype=D)
    c = torch.randn(2, 5, generator=gen, dtype=D)

    def fun(y):
        return 0.5 * ((y @ H) * y).sum(-1) + torch.logsumexp(y, -1) - (c * y).sum(-1)

    y, info = newton_cg(fun, torch.zeros(2, 5, dtype=D))
    assert info.converged.all() and (info.iterations <= 10).all()
    yg, ginfo = gradient_descent(fun, torch.zeros(2, 5, dtype=D), lr=0.3, maxiter=2000, tol=1e-10)
    assert ginfo.converged.all()
    for b in range(2):
        def f_np(v, b=b):
            yv = torch.tensor(v)[None]
            return float(0.5 * ((yv @ H) * yv).sum() + torch.logsumexp(yv, -1).sum() - (c[b] * yv).sum())

        ref = scipy.optimize.minimize(f_np, np.zeros(5), method="BFGS", options={"gtol": 1e-10}).x
        np.testing.assert_allclose(y[b].numpy(), ref, atol=1e-6)
        np.testing.assert_allclose(yg[b].numpy(), ref, atol=1e-6)
    with pytest.raises(ValueError, match="lr"):
        gradient_descent(fun, y, lr=-1.0)


def test_solve_bilevel_options_and_warning(smooth):
    pb, z, x_ref, y_ref = smooth
    x0, y0 = torch.zeros(2, 4, dtype=D), torch.zeros(2, 3, dtype=D)
    calls = []

    def my_inner(fun, y, **kw):
        calls.append(1)
        return newton_cg(fun, y, **kw)

    x, y, info = solve_bilevel(pb.f, pb.g, z, x0, y0, options=BilevelOptions(
        inner_solver=my_inner, outer_solver="gd", outer_lr=0.2, maxiter=2000))
    assert calls and info.outer.converged.all()
    torch.testing.assert_close(x, x_ref, rtol=1e-8, atol=1e-8)
    x, y, info = solve_bilevel(pb.f, pb.g, z, x0, y0, options=BilevelOptions(
        inner_solver="gd", inner_options={"lr": 0.2, "maxiter": 5000}))
    torch.testing.assert_close(y, y_ref, rtol=1e-8, atol=1e-8)
    with pytest.warns(BilevelConvergenceWarning, match="outer"):
        solve_bilevel(pb.f, pb.g, z, x0, y0, options=BilevelOptions(maxiter=1))
    with pytest.raises(RuntimeError, match="outer"):
        solve_bilevel(pb.f, pb.g, z, x0, y0, options=BilevelOptions(maxiter=1), on_fail="raise")
    with pytest.raises(ValueError, match="outer_solver"):
        BilevelOptions(outer_solver="adam")
    with pytest.raises(ValueError, match="inner_solver"):
        BilevelOptions(inner_solver="lbfgs")
    with pytest.raises(ValueError, match="outer_lr"):
        BilevelOptions(outer_lr=0.0)
    with pytest.raises(ValueError, match="on_fail"):
        solve_bilevel(pb.f, pb.g, z, x0, y0, on_fail="panic")


# ----------------------------------------------------------------------------- constraints
def test_nullspace():
    A = rand(2, 5, seed=1)
    A = torch.cat([A, A[:1] + A[1:]])  # rank 2 with 3 rows
    b_true = rand(4, 5, seed=2)
    b = b_true @ A.T  # consistent, batched
    ns = NullSpace(A, b)
    assert ns.rank == 2 and ns.dim == 3 and ns.basis.shape == (5, 3)
    torch.testing.assert_close(A @ ns.basis, torch.zeros(3, 3, dtype=D), atol=1e-12, rtol=0)
    torch.testing.assert_close(ns.basis.T @ ns.basis, torch.eye(3, dtype=D))
    u = rand(4, 3, seed=3)
    x = ns.expand(u)
    torch.testing.assert_close(x @ A.T, b)
    torch.testing.assert_close(ns.reduce(x), u)
    with pytest.raises(ValueError, match="inconsistent"):
        NullSpace(A, torch.tensor([1.0, 1.0, 0.0], dtype=D))
    with pytest.raises(ValueError, match="shape"):
        NullSpace(A, torch.ones(2, dtype=D))
    with pytest.raises(TypeError):
        NullSpace(A.numpy(), b)


def test_log_barrier_and_with_barrier():
    h = torch.tensor([[-1.0, -2.0], [0.5, -1.0]], dtype=D, requires_grad=True)
    val = log_barrier(h)
    assert torch.isinf(val[1]) and torch.isclose(val[0], -torch.log(torch.tensor(2.0, dtype=D)))
    val[0].backward()
    assert torch.isfinite(h.grad).all()  # no NaN leaks from the infeasible row
    torch.testing.assert_close(h.grad[0], torch.tensor([1.0, 0.5], dtype=D))
    f = with_barrier(lambda x, y, z: (x**2).sum(-1), lambda x, y, z: x - 1.0, t=10.0)
    x = torch.tensor([[0.5], [2.0]], dtype=D)
    out = f(x, None, None)
    torch.testing.assert_close(out[0], torch.tensor(0.25 - np.log(0.5) / 10, dtype=D))
    assert torch.isinf(out[1])
    with pytest.raises(ValueError, match="barrier t"):
        with_barrier(f, f, t=0)
    with pytest.raises(ValueError, match="inequality"):
        with_barrier(lambda x, y, z: x.sum(-1), lambda x, y, z: x.sum(-1), t=1.0)(x, None, None)


def test_no_warnings_on_well_posed_problem(smooth):
    pb, z, x, y = smooth
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        bilevel_vjp(pb.f, pb.g, x, y, z, x, y)


def test_hypergradient_rejects_points_outside_the_barrier_domain():
    """Where the barrier objective is +inf the hypergradient does not exist: ValueError, not finite numbers."""
    f = with_barrier(lambda x, y, z: ((x - 1) ** 2).sum(-1) + (y**2).sum(-1), lambda x, y, z: x - 0.5, t=10.0)
    g = with_barrier(lambda x, y, z: ((y - x) ** 2).sum(-1), lambda x, y, z: y - 1.0, t=10.0)
    y = torch.zeros(2, 1, dtype=D)
    F, _, _ = hypergradient(f, g, torch.tensor([[0.0], [0.2]], dtype=D), y)
    assert torch.isfinite(F).all()
    with pytest.raises(ValueError, match=r"f is not finite .* member\(s\) \[1\]"):
        hypergradient(f, g, torch.tensor([[0.0], [0.7]], dtype=D), y)  # x = 0.7 violates x < 0.5
    with pytest.raises(ValueError, match="g is not finite"):
        hypergradient(f, g, torch.zeros(1, 1, dtype=D), torch.full((1, 1), 2.0, dtype=D))


def test_min_curvature_matches_eigvalsh():
    gen = torch.Generator().manual_seed(0)
    A = torch.randn(3, 6, 6, dtype=D, generator=gen)
    H = A @ A.transpose(1, 2) - 2.0 * torch.eye(6, dtype=D)  # indefinite for some members
    lam = min_curvature(lambda y: 0.5 * (y[:, None, :] @ H @ y[:, :, None])[:, 0, 0], torch.zeros(3, 6, dtype=D))
    torch.testing.assert_close(lam, torch.linalg.eigvalsh(H)[:, 0])
    assert float(min_curvature(lambda y: y.sum(-1), torch.zeros(2, 3, dtype=D)).abs().max()) == 0.0


def test_newton_cg_flags_concave_stationary_point():
    y, info = newton_cg(lambda y: -(y**2).sum(-1), torch.zeros(2, 3, dtype=D))
    assert not bool(info.converged.any()) and bool((info.curvature < 0).all())
    y, info = newton_cg(lambda y: ((y - 1) ** 2).sum(-1), torch.zeros(2, 3, dtype=D))
    assert bool(info.converged.all()) and bool((info.curvature > 0).all())


def test_feasibility_restorer_moves_inside():
    restore = feasibility_restorer(lambda x, y: torch.cat([y - x, -y - 1.0], dim=1))  # -1 < y < x
    x = torch.tensor([[0.5, 2.0], [1.0, 1.0]], dtype=D)
    y = torch.tensor([[3.0, 0.0], [-4.0, 0.0]], dtype=D)
    out = restore(x, y)
    assert bool((out < x).all() and (out > -1).all())
    torch.testing.assert_close(out[:, 1], y[:, 1])  # feasible coordinates stay put (proximal term)


def test_solve_bilevel_validation_of_tol_and_infeasible_start(smooth):
    pb, z, _, _ = smooth
    x0, y0 = torch.zeros(2, 4, dtype=D), torch.zeros(2, 3, dtype=D)
    for bad in (-1, float("nan"), float("inf")):
        with pytest.raises(ValueError, match="tol must be a finite number >= 0"):
            solve_bilevel(pb.f, pb.g, z, x0, y0, options=BilevelOptions(tol=bad))
    f = with_barrier(pb.f, lambda x, y, z: x[:, :1] - 10.0, t=1.0)
    with pytest.raises(ValueError, match=r"x0 is not strictly feasible for member\(s\) \[1\]"):
        solve_bilevel(f, pb.g, z, torch.tensor([[0.0] * 4, [20.0] * 4], dtype=D), y0)


def test_nullspace_to_returns_a_converted_copy():
    A = torch.tensor([[1.0, 1.0, 0.0]], dtype=torch.float64)
    ns = NullSpace(A, torch.tensor([1.0], dtype=torch.float64))
    ns32 = ns.to(dtype=torch.float32)
    assert ns32 is not ns and ns.basis.dtype == torch.float64 and ns.particular.dtype == torch.float64
    assert all(t.dtype == torch.float32 for t in (ns32.basis, ns32.particular, ns32.A, ns32.b))
    u = torch.randn(4, ns.dim, dtype=torch.float64)
    torch.testing.assert_close(ns32.expand(u.float()), ns.expand(u).float())

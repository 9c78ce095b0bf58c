"""Table 1 (control with an adversarial disturbance): references for each piece and the quick run."""
from __future__ import annotations

import numpy as np
import pytest
import scipy.linalg
import scipy.optimize
import torch

from bigrad.experiments.control import ControlConfig, run_table
from bigrad.experiments.control.attack import BilevelAttacker, value_model
from bigrad.experiments.control.lqr import adp_init, dare, lqr_gain, make_system
from bigrad.experiments.control.policy import ADPController, ball_qp, qp_layer
from bigrad.experiments.control.solver import solve_attack
from bigrad.implicit import hypergradient, with_barrier


def _controller(seed=0, n=2, m=3):
    sys = make_system(n, m, seed)
    return sys, ADPController(**adp_init(sys, dare(sys.A, sys.B, sys.Qc, sys.Rc)))


@pytest.mark.parametrize("n,m,seed", [(2, 3, 0), (3, 2, 1), (4, 4, 2)])
def test_dare_matches_scipy(n, m, seed):
    sys = make_system(n, m, seed)
    S = dare(sys.A, sys.B, sys.Qc, sys.Rc)
    ref = scipy.linalg.solve_discrete_are(sys.A, sys.B, sys.Qc, sys.Rc)
    np.testing.assert_allclose(S, ref, rtol=1e-9, atol=1e-9)
    closed = sys.A - sys.B @ lqr_gain(sys, S)
    assert np.abs(np.linalg.eigvals(closed)).max() < 1  # stabilising


def test_dare_rejects_unstabilisable():
    A = np.diag([2.0, 0.5])
    B = np.array([[0.0], [1.0]])  # the unstable mode is not controllable
    with pytest.raises(RuntimeError, match="not stabilisable"):
        dare(A, B, np.eye(2), np.eye(1), maxiter=2000)


def test_ball_qp_matches_scipy():
    rng = np.random.default_rng(0)
    m = 3
    G = rng.standard_normal((m, m))
    P = G @ G.T + 0.1 * np.eye(m)
    c = rng.standard_normal((12, m)) * np.linspace(0.1, 6, 12)[:, None]  # inactive and active constraints
    u, lam = ball_qp(torch.tensor(P), torch.tensor(c))
    for b, cb in enumerate(c):
        res = scipy.optimize.minimize(
            lambda v, cb=cb: v @ P @ v + cb @ v, np.zeros(m), jac=lambda v, cb=cb: 2 * P @ v + cb, method="SLSQP",
            constraints=[{"type": "ineq", "fun": lambda v: 1 - v @ v, "jac": lambda v: -2 * v}],
            options={"ftol": 1e-14, "maxiter": 500},
        )
        np.testing.assert_allclose(u[b].numpy(), res.x, atol=1e-6)
    # KKT: stationarity, feasibility, complementarity
    un, ln = u.numpy(), lam.numpy()
    np.testing.assert_allclose(2 * un @ P + c + 2 * ln[:, None] * un, 0, atol=1e-10)
    assert (np.linalg.norm(un, axis=1) <= 1 + 1e-12).all() and (ln >= 0).all()
    assert 0 < (ln > 0).sum() < len(c)
    np.testing.assert_allclose(ln * (np.linalg.norm(un, axis=1) - 1), 0, atol=1e-10)


def test_ball_qp_rejects_indefinite_P():
    with pytest.raises(ValueError, match="P must be positive definite"):
        ball_qp(torch.diag(torch.tensor([1.0, -1.0], dtype=torch.float64)), torch.ones(1, 2, dtype=torch.float64))


def test_qp_layer_gradient_matches_finite_differences():
    torch.manual_seed(0)
    m = 3
    G = torch.randn(m, m, dtype=torch.float64, requires_grad=True)
    c = (3 * torch.randn(6, m, dtype=torch.float64)).requires_grad_()
    weights = torch.randn(6, m, dtype=torch.float64)

    def fn(G, c):
        return (qp_layer(G @ G.T + 0.1 * torch.eye(m, dtype=torch.float64), c) * weights).sum()

    assert torch.autograd.gradcheck(fn, (G, c), eps=1e-6, atol=1e-6)


@pytest.mark.parametrize("general", [False, True])
def test_attack_solver_is_a_stationary_point_of_the_layer_problem(general):
    """The structured forward solver returns F = G = 0 for the library's own barrier objectives (Theorem 1).

    ``general``: the leader maximises the LQR model of a perturbed controller's response (a general
    bilevel problem); otherwise min-max on the controller's own model (Eq. 12).
    """
    _, ctrl = _controller()
    leader = None
    if general:
        _, leader = _controller()
        with torch.no_grad():
            g = torch.Generator().manual_seed(7)
            ctrl.Q += 0.3 * torch.randn(ctrl.Q.shape, generator=g, dtype=torch.float64)
            ctrl.q += 0.2 * torch.randn(ctrl.q.shape, generator=g, dtype=torch.float64)
    lead = ctrl if leader is None else leader
    sigma, t = 0.3, 1e3
    x = np.random.default_rng(1).standard_normal((16, 2))
    e, u, info = solve_attack(value_model(ctrl), x, sigma, t, leader=None if leader is None else value_model(leader))
    assert info["converged"].all()
    assert (np.linalg.norm(e, axis=1) < sigma).all() and (np.linalg.norm(u, axis=1) < 1).all()
    with torch.no_grad():
        f = with_barrier(lambda ee, uu, z: -lead.value(z + ee, uu),
                         lambda ee, uu, z: (ee * ee).sum(1, keepdim=True) - sigma**2, t)
        g = with_barrier(lambda ee, uu, z: ctrl.value(z + ee, uu),
                         lambda ee, uu, z: (uu * uu).sum(1, keepdim=True) - 1, t)
    E, U, X = (torch.tensor(a) for a in (e, u, x))
    F, _, _ = hypergradient(f, g, E, U, X)
    Ul = U.clone().requires_grad_()
    (G,) = torch.autograd.grad(g(E, Ul, X).sum(), Ul)
    assert float(F.norm(dim=1).max()) < 1e-7
    assert float(G.norm(dim=1).max()) < 1e-9
    if general:
        return
    # the attack is a local maximiser of the model's value: restarts nearby return to it
    vm = value_model(ctrl)
    for k in range(8):
        ang = 2 * np.pi * k / 8
        e2 = e + 1e-3 * np.array([np.cos(ang), np.sin(ang)])
        e2 *= np.minimum(1.0, sigma * (1 - 1e-6) / np.linalg.norm(e2, axis=1, keepdims=True))
        e3, _, _ = solve_attack(vm, x, sigma, t, e0=e2)
        np.testing.assert_allclose(e3, e, atol=1e-6)


def test_bilevel_attacker_gradient_matches_finite_differences():
    _, ctrl = _controller()
    sigma, t = 0.3, 1e3
    att = BilevelAttacker(ctrl, sigma, barrier_t=t)
    x = torch.randn(5, 2, dtype=torch.float64, generator=torch.Generator().manual_seed(3), requires_grad=True)
    weights = torch.randn(5, 2, dtype=torch.float64, generator=torch.Generator().manual_seed(4))
    eps, _ = att(x)
    (eps * weights).sum().backward()
    grad_x, grad_q = x.grad.numpy(), ctrl.q.grad.numpy().copy()

    def loss(xn, q_shift=None):
        with torch.no_grad():
            if q_shift is not None:
                ctrl.q += q_shift
            vm = value_model(ctrl)
            if q_shift is not None:
                ctrl.q -= q_shift
        e, _, _ = solve_attack(vm, xn, sigma, t)
        return float((e * weights.numpy()).sum())

    xn, h = x.detach().numpy(), 1e-6
    for j in range(2):
        dx = np.zeros(2)
        dx[j] = h
        fd = [(loss(xn + dx * (np.arange(5) == b)[:, None]) - loss(xn - dx * (np.arange(5) == b)[:, None])) / (2 * h)
              for b in range(5)]
        np.testing.assert_allclose(grad_x[:, j], fd, rtol=1e-5, atol=1e-6)
    for j in range(3):
        dq = torch.zeros(3, dtype=torch.float64)
        dq[j] = h
        fd = (loss(xn, dq) - loss(xn, -dq)) / (2 * h)
        np.testing.assert_allclose(grad_q[j], fd, rtol=1e-5, atol=1e-6)


@pytest.mark.slow
def test_quick_run_beats_untrained(tmp_path):
    res = run_table(quick=True, seeds=[0], out_dir=tmp_path, log=lambda s: None)
    assert res.name == "control" and not res.higher_is_better
    assert res.metric["bilevel"] < res.untrained
    assert "bilevel attacker" in res.markdown and "paper" in res.markdown
    assert {r["method"] for r in res.rows} == {"lqr", "two-step", "bilevel"}
    for p in res.plots:
        assert (tmp_path / p).stat().st_size > 0


def test_config_and_bad_arguments(tmp_path):
    with pytest.raises(ValueError, match="seeds"):
        run_table(quick=True, seeds=[], out_dir=tmp_path)
    with pytest.raises(ValueError, match="sigma"):
        BilevelAttacker(_controller()[1], 0.0)
    assert ControlConfig.quick().epochs < ControlConfig().epochs

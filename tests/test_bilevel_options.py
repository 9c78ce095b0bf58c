"""BilevelOptions: one naming for solve_bilevel, bilevel_vjp / bilevel_solution and BilevelLayer.

The former keywords of each still work, with a DeprecationWarning naming the field that
replaces them, and give the same numbers (bit for bit) as the options object.
"""
from __future__ import annotations

import contextlib
import dataclasses
import inspect

import pytest
import torch

from bigrad.bolib import PROBLEMS
from bigrad.implicit import BilevelOptions, bilevel_solution, bilevel_vjp, solve_bilevel
from bigrad.implicit.bilevel import BILEVEL_VJP_NAMES
from bigrad.implicit.optim import SOLVE_BILEVEL_NAMES
from bigrad.torch import BilevelLayer
from bigrad.torch.bilevel import LAYER_NAMES
from reference.dense_bilevel import SmoothBilevel

D = torch.float64


@pytest.fixture(scope="module")
def smooth():
    pb = SmoothBilevel(4, 3, 2, seed=0)
    z = torch.randn(2, 2, dtype=D, generator=torch.Generator().manual_seed(7))
    return pb, z, torch.zeros(2, 4, dtype=D), torch.zeros(2, 3, dtype=D)


def _same(a, b):
    for u, v in zip(a, b):
        assert torch.equal(u, v)


def test_equality_replace_hash_and_copy():
    a = BilevelOptions(tol=1e-8, inner_options={"maxiter": 5})
    b = BilevelOptions(tol=1e-8, inner_options={"maxiter": 5})
    assert a == b and hash(a) == hash(b)
    c = a.replace(maxiter=3)
    assert c != a and c.maxiter == 3 and a.maxiter == 500 and c.tol == 1e-8
    assert dataclasses.replace(a, maxiter=3) == c
    assert BilevelOptions(inner_options={"maxiter": 6}) != a
    with pytest.raises(dataclasses.FrozenInstanceError):
        a.tol = 1.0  # type: ignore[misc]
    d = {"maxiter": 5}
    e = BilevelOptions(inner_options=d)
    d["maxiter"] = 6  # the options hold their own copy
    assert e.inner_options == {"maxiter": 5}
    assert BilevelOptions(outer_lr=1, tol=0) == BilevelOptions(outer_lr=1.0, tol=0.0)
    assert BilevelOptions(stage_tol=None).stage_tol == 1e-6
    with pytest.raises(TypeError):
        BilevelOptions(lr=1.0)  # type: ignore[call-arg]


def test_one_naming_and_a_short_layer_signature():
    names = {f.name for f in dataclasses.fields(BilevelOptions)}
    for renames in (SOLVE_BILEVEL_NAMES, BILEVEL_VJP_NAMES, LAYER_NAMES):
        assert set(renames.values()) <= names
    params = [p for p in inspect.signature(BilevelLayer.__init__).parameters if p not in ("self", "deprecated")]
    assert len(params) < 15 and "options" in params
    for fun in (solve_bilevel, bilevel_vjp, bilevel_solution):
        assert "options" in inspect.signature(fun).parameters


def test_solve_bilevel_former_keywords(smooth):
    pb, z, x0, y0 = smooth
    new = solve_bilevel(pb.f, pb.g, z, x0, y0, options=BilevelOptions(
        outer_solver="bb", outer_lr=0.5, tol=1e-9, maxiter=200, memory=5, inner_solver="newton",
        inner_options={"tol": 1e-13}, hypergradient_options={"tol": 1e-12}))
    with pytest.warns(DeprecationWarning, match=r"outer= \(now outer_solver=\).*lr= \(now outer_lr=\)"):
        old = solve_bilevel(pb.f, pb.g, z, x0, y0, outer="bb", lr=0.5, tol=1e-9, maxiter=200, memory=5,
                            inner="newton", inner_options={"tol": 1e-13}, hypergradient_options={"tol": 1e-12})
    _same(new[:2], old[:2])
    assert torch.equal(new[2].iterations, old[2].iterations)
    # a former keyword overrides the options object
    with pytest.warns(DeprecationWarning, match="maxiter"):
        over = solve_bilevel(pb.f, pb.g, z, x0, y0, options=BilevelOptions(maxiter=1), maxiter=500)
    _same(over[:2], solve_bilevel(pb.f, pb.g, z, x0, y0)[:2])
    with pytest.raises(TypeError, match="unexpected keyword argument 'outer_lr'"):
        solve_bilevel(pb.f, pb.g, z, x0, y0, outer_lr=0.5)
    with pytest.raises(TypeError, match="options must be a BilevelOptions"):
        solve_bilevel(pb.f, pb.g, z, x0, y0, options={"tol": 1e-3})


def test_bilevel_vjp_and_solution_former_keywords(smooth):
    pb, z, x0, y0 = smooth
    x, y, _ = solve_bilevel(pb.f, pb.g, z, x0, y0)
    wx, wy = torch.ones_like(x), torch.ones_like(y)
    opts = BilevelOptions(backward="reduced", backward_solver="gmres", backward_tol=1e-11, backward_maxiter=80,
                          backward_restart=7)
    new = bilevel_vjp(pb.f, pb.g, x, y, z, wx, wy, options=opts)
    with pytest.warns(DeprecationWarning, match=r"method= \(now backward=\)"):
        old = bilevel_vjp(pb.f, pb.g, x, y, z, wx, wy, method="reduced", solve="gmres", tol=1e-11, maxiter=80,
                          restart=7)
    assert torch.equal(new[0], old[0]) and new[2].method == old[2].method == "reduced"
    with pytest.raises(TypeError, match="unexpected keyword argument 'backward_tol'"):
        bilevel_vjp(pb.f, pb.g, x, y, z, wx, wy, backward_tol=1e-3)

    def solver(zz):
        return solve_bilevel(pb.f, pb.g, zz, x0, y0)[:2]

    grads = []
    for kw in ({"options": opts}, {"method": "reduced", "solve": "gmres", "tol": 1e-11, "maxiter": 80, "restart": 7}):
        zz = z.clone().requires_grad_(True)
        with pytest.warns(DeprecationWarning) if "method" in kw else contextlib.nullcontext():
            xs, ys, _ = bilevel_solution(pb.f, pb.g, solver, zz, **kw)
        (xs.sum() + ys.sum()).backward()
        grads.append(zz.grad)
    assert torch.equal(grads[0], grads[1])
    with pytest.raises(TypeError, match="unexpected keyword argument 'q_zeros'"):
        bilevel_solution(pb.f, pb.g, solver, z, q_zeros=True)


def _box():
    M = torch.tensor([[1.0, 0.5], [-0.3, 1.0]], dtype=D)

    def f(x, y, z):
        return 0.5 * ((x - z) ** 2).sum(-1) + 0.1 * (y**2).sum(-1)

    def g(x, y, z):
        return 0.5 * ((y - x @ M.T - z) ** 2).sum(-1)

    return f, g, (lambda x, y, z: -2.0 - x), (lambda x, y, z: y - 1.0)


def _run(layer):
    z = torch.tensor([[1.2, 0.4], [0.1, -0.5]], dtype=D, requires_grad=True)
    x, y = layer(z)
    ((x + 2 * y) ** 2).sum().backward()
    return x.detach(), y.detach(), z.grad


def test_layer_former_keywords_same_numbers():
    f, g, hx, hy = _box()
    knobs = dict(barrier_t=1e4, barrier_t0=1.0, barrier_mu=5.0, stage_tol=1e-5, outer_solver="lbfgs", outer_lr=0.8,
                 tol=1e-9, maxiter=300, inner_solver="newton", inner_options={"tol": 1e-13},
                 hypergradient_options={"tol": 1e-12}, backward="reduced", backward_solver="gmres",
                 backward_tol=1e-11, backward_maxiter=200)
    new = BilevelLayer(f, g, x_dim=2, y_dim=2, ineq_x=hx, ineq_y=hy, on_fail="raise",
                       options=BilevelOptions(backward_restart=9, **knobs))
    with pytest.warns(DeprecationWarning, match=r"BilevelLayer\(.*restart= \(now backward_restart=\)"):
        old = BilevelLayer(f, g, x_dim=2, y_dim=2, ineq_x=hx, ineq_y=hy, on_fail="raise", restart=9, **knobs)
    assert old.options == new.options
    _same(_run(new), _run(old))
    assert new.last_forward_status == old.last_forward_status == ["converged"] * 2
    with pytest.raises(TypeError, match="unexpected keyword argument 'barrier'"):
        BilevelLayer(f, g, x_dim=2, y_dim=2, barrier=1.0)
    with pytest.raises(TypeError, match="unexpected keyword argument 'forward_solver'"):
        BilevelLayer(f, g, x_dim=2, y_dim=2, forward_solver=None)  # a field goes into options, not here


def test_layer_former_solver_keyword():
    f, g, _, _ = _box()
    calls = []

    def solver(fi, gi, z, x0, y0):
        calls.append(1)
        return solve_bilevel(fi, gi, z, x0, y0)[:2]

    with pytest.warns(DeprecationWarning, match=r"solver= \(now forward_solver=\)"):
        layer = BilevelLayer(f, g, x_dim=2, y_dim=2, solver=solver)
    assert layer.options.forward_solver is solver
    _run(layer)
    assert calls and layer.last_forward_info is None


def test_bolib_flat_keywords_still_reach_the_layer():
    p = PROBLEMS["ShimizuAiyoshi1981Ex1"]
    layer = p.layer(barrier_t=1e5, maxiter=50, on_fail="ignore", time_limit=2.0)
    assert layer.options == BilevelOptions(barrier_t=1e5, maxiter=50)
    assert layer.on_fail == "ignore" and layer.time_limit == 2.0
    layer = p.layer(options=BilevelOptions(maxiter=7, barrier_t=1e6), barrier_t=1e5)
    assert layer.options == BilevelOptions(maxiter=7, barrier_t=1e5)


def test_phase1_former_solve_options():
    from bigrad.implicit import with_barrier
    from bigrad.implicit.phase1 import bilevel_phase1

    f, g, hx, hy = _box()
    g_t = with_barrier(g, hy, 1e8)
    z = torch.tensor([[1.2, 0.4]], dtype=D)
    x0, y0 = torch.tensor([[-3.0, 0.0]], dtype=D), torch.zeros(1, 2, dtype=D)
    new = bilevel_phase1(g_t, hx, hy, z, x0, y0, restore=None, options=BilevelOptions(outer_lr=0.5))
    with pytest.warns(DeprecationWarning, match="solve_options"):
        old = bilevel_phase1(g_t, hx, hy, z, x0, y0, restore=None,
                             solve_options={"lr": 0.5, "on_fail": "warn", "deadline": None})
    _same(new, old)
    assert bool(new[2].all()) and bool((new[0] > -2).all())

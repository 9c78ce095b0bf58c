"""torch.func (vmap, grad, jacrev) and torch.compile through every autograd.Function of bigrad.

References: a Python loop over the vmapped axis (the layers are exact and
deterministic, so vmap must reproduce the loop bit for bit), plain autograd, and
finite differences / dense solves for the implicit layers.
"""
import pytest

torch = pytest.importorskip("torch")

from torch.func import grad, jacrev, vmap

from bigrad.graphs import Graph
from bigrad.torch.combinatorial import (
    ShortestPath,
    ShortestPathInterdiction,
    TopK,
    TSPInterdiction,
)

GRAPH = Graph.grid(3, 4, 8)  # edge weights on a graph with cycles
DAG = Graph.grid(3, 4, 8, arcs="right-down")  # node weights on a DAG


def seeded(*shape, seed=0, low=0.5):
    return low + torch.rand(*shape, generator=torch.Generator().manual_seed(seed), dtype=torch.float64)


LAYERS = {
    "shortest_path": (lambda m: ShortestPath(method=m, lam=3.0), (5, 6), 1),
    "shortest_path_interdiction": (lambda m: ShortestPathInterdiction(1, method=m, lam=3.0), (4, 5), 2),
    "tsp_interdiction": (lambda m: TSPInterdiction(1, method=m, lam=3.0), (5, 5), 2),
    "topk": (lambda m: TopK(3, q=1, method=m, lam=3.0), (7,), 1),
    "graph_shortest_path": (lambda m: ShortestPath(method=m, lam=3.0, graph=GRAPH), (GRAPH.num_edges,), 1),
    "graph_shortest_path_nodes": (lambda m: ShortestPath(method=m, lam=3.0, graph=DAG, weights_on="nodes"),
                                  (DAG.num_nodes,), 1),
    "graph_shortest_path_interdiction": (lambda m: ShortestPathInterdiction(1, method=m, lam=3.0, graph=GRAPH),
                                         (GRAPH.num_edges,), 2),
}
METHODS = ["bb", "bb_sep", "pt"]


def make(name, method):
    if name == "graph_shortest_path_interdiction":
        pytest.importorskip("bigrad.solvers.graph_interdiction")
    factory, core, n_inputs = LAYERS[name]
    return factory(method), core, n_inputs


def first(out):
    return out[0] if isinstance(out, tuple) else out


def loss_weights(core):
    return torch.linspace(-1.0, 1.0, int(torch.tensor(core).prod()), dtype=torch.float64).reshape(core)


@pytest.mark.parametrize("name", sorted(LAYERS))
def test_vmap_matches_loop(name):
    layer, core, n = make(name, "bb")
    xs = [seeded(3, 2, *core, seed=s) for s in range(n)]  # vmapped axis 3, batch 2
    out = vmap(layer)(*xs)
    for i in range(3):
        ref = layer(*[x[i] for x in xs])
        for o, r in zip(out if isinstance(out, tuple) else (out,), ref if isinstance(ref, tuple) else (ref,)):
            torch.testing.assert_close(o[i], r, rtol=0, atol=0)
    # vmapped axis elsewhere, unbatched core inputs, an input without the vmapped axis
    out2 = vmap(layer, in_dims=(1,) + (None,) * (n - 1))(xs[0][0].movedim(0, 1), *[x[0, 0] for x in xs[1:]])
    ref2 = layer(xs[0][0], *[x[0, 0].expand_as(xs[0][0]) for x in xs[1:]])
    torch.testing.assert_close(first(out2), first(ref2), rtol=0, atol=0)


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("name", sorted(LAYERS))
def test_grad_and_vmap_grad_match_autograd(name, method):
    layer, core, n = make(name, method)
    W = loss_weights(core)
    xs = [seeded(2, *core, seed=s + 10) for s in range(n)]

    def loss(*inputs):
        return (first(layer(*inputs)) * W).sum()

    leaves = [x.clone().requires_grad_() for x in xs]
    ref = torch.autograd.grad(loss(*leaves), leaves)
    got = grad(loss, argnums=tuple(range(n)))(*xs)
    for g, r in zip(got, ref):
        torch.testing.assert_close(g, r, rtol=0, atol=0)
    # per-sample gradients: vmap(grad) equals a loop of autograd calls
    per = vmap(grad(loss, argnums=tuple(range(n))))(*[x.unsqueeze(1) for x in xs])
    for i in range(2):
        leaves = [x[i : i + 1].clone().requires_grad_() for x in xs]
        r = torch.autograd.grad(loss(*leaves), leaves)
        for g, ri in zip(per, r):
            torch.testing.assert_close(g[i], ri, rtol=0, atol=0)


@pytest.mark.parametrize("name", sorted(LAYERS))
def test_jacrev_rows_are_vjps(name):
    layer, core, n = make(name, "bb")
    x = seeded(*core, seed=3)
    rest = [seeded(*core, seed=4 + s) for s in range(n - 1)]
    J = jacrev(lambda a: first(layer(a, *rest)))(x)
    assert J.shape == tuple(core) * 2
    leaf = x.clone().requires_grad_()
    out = first(layer(leaf, *rest))
    for idx in [(0,) * len(core), tuple(s - 1 for s in core)]:
        e = torch.zeros_like(out)
        e[idx] = 1.0
        (row,) = torch.autograd.grad(out, leaf, e, retain_graph=True)
        torch.testing.assert_close(J[idx], row, rtol=0, atol=0)


def test_perturbed_under_vmap():
    """The vmap rule draws independent noise for every vmapped sample (as ``randomness="different"``)."""
    layer = ShortestPath(method="perturbed", num_samples=200, sigma=0.5, generator=torch.Generator().manual_seed(1))
    x = seeded(2, 3, 4, 4)
    out = vmap(layer)(x)
    assert out.shape == x.shape and ((out >= 0) & (out <= 1)).all()
    g = vmap(grad(lambda a: (layer(a) * loss_weights((4, 4))).sum()))(x)
    assert g.shape == x.shape and torch.isfinite(g).all() and g.abs().sum() > 0


@pytest.mark.parametrize("name", sorted(LAYERS))
def test_compile_fullgraph(name):
    """The native solvers are custom ops with fake implementations: no graph break, same values and gradients."""
    torch._dynamo.reset()
    layer, core, n = make(name, "bb")
    W = loss_weights(core)
    xs = [seeded(2, *core, seed=s + 20) for s in range(n)]

    def loss(*inputs):
        return (first(layer(*inputs)) * W).sum()

    compiled = torch.compile(loss, fullgraph=True, backend="aot_eager")
    leaves = [x.clone().requires_grad_() for x in xs]
    value = compiled(*leaves)
    got = torch.autograd.grad(value, leaves)
    leaves_ref = [x.clone().requires_grad_() for x in xs]
    ref_value = loss(*leaves_ref)
    ref = torch.autograd.grad(ref_value, leaves_ref)
    torch.testing.assert_close(value, ref_value, rtol=0, atol=0)
    for g, r in zip(got, ref):
        torch.testing.assert_close(g, r, rtol=1e-12, atol=1e-12)


def test_custom_ops_are_registered_with_fake_kernels():
    from torch._subclasses.fake_tensor import FakeTensorMode

    with FakeTensorMode():
        w = torch.empty(2, 5, 5, dtype=torch.float64)
        assert torch.ops.bigrad.shortest_path(w, 8).shape == (2, 5, 5)
        y, x = torch.ops.bigrad.shortest_path_interdiction(w, w, 1, 8)
        assert y.shape == x.shape == (2, 5, 5)
        assert torch.ops.bigrad.tsp(w).shape == (2, 5, 5)
        assert torch.ops.bigrad.tsp_interdiction(w, w, 1)[0].shape == (2, 5, 5)
    torch.library.opcheck(torch.ops.bigrad.shortest_path.default, (seeded(2, 4, 4), 8),
                          test_utils=("test_schema", "test_faketensor"))
    from bigrad.torch.combinatorial import _graph_key

    key, E = _graph_key(GRAPH), GRAPH.num_edges
    with FakeTensorMode():
        w = torch.empty(2, E, dtype=torch.float64)
        assert torch.ops.bigrad.graph_shortest_path(w, key, 0, 11, "edges").shape == (2, E)
        y, x = torch.ops.bigrad.graph_shortest_path_interdiction(w, w, key, 1, 0, 11)
        assert y.shape == x.shape == (2, E)
    torch.library.opcheck(torch.ops.bigrad.graph_shortest_path.default, (seeded(2, E), key, 0, 11, "edges"),
                          test_utils=("test_schema", "test_faketensor"))


# ------------------------------------------------------------------ custom_root (implicit layer)
def _linear_root(**options):
    from bigrad.implicit import custom_root

    @custom_root(lambda x, A, b: x @ A.T - b, solve="gmres", **options)
    def solve(x0, A, b):
        return torch.linalg.solve(A, b)

    return solve


def _spd(n, seed):
    M = seeded(n, n, seed=seed, low=-0.5)
    return M @ M.T / n + torch.eye(n, dtype=torch.float64)


def test_custom_root_vmap_grad_jacrev_vs_dense():
    solve = _linear_root()
    n = 4
    A, x0 = _spd(n, 1), torch.zeros(n, dtype=torch.float64)
    bs = seeded(3, n, seed=2, low=-0.5)
    # vmap: one solve per sample, equal to a loop
    out = vmap(solve, in_dims=(None, None, 0))(x0, A, bs)
    torch.testing.assert_close(out, torch.linalg.solve(A, bs.T).T, rtol=1e-10, atol=1e-12)
    # jacrev: dx/db = A^{-1}, dx/dA from the dense formula
    J = jacrev(solve, argnums=2)(x0, A, bs[0])
    torch.testing.assert_close(J, torch.linalg.inv(A), rtol=1e-8, atol=1e-10)
    JA = jacrev(solve, argnums=1)(x0, A, bs[0])
    x = torch.linalg.solve(A, bs[0])
    ref = -torch.einsum("ij,k->ijk", torch.linalg.inv(A), x)  # dx_i/dA_jk = -(A^{-1})_ij x_k
    torch.testing.assert_close(JA, ref, rtol=1e-8, atol=1e-10)
    # grad and per-sample grads: d(w.x)/db = A^{-T} w
    w = seeded(n, seed=3, low=-0.5)
    g = grad(lambda b: solve(x0, A, b) @ w)(bs[0])
    torch.testing.assert_close(g, torch.linalg.solve(A.T, w), rtol=1e-8, atol=1e-10)
    per = vmap(grad(lambda b: solve(x0, A, b) @ w))(bs)
    torch.testing.assert_close(per, torch.linalg.solve(A.T, w).expand(3, n), rtol=1e-8, atol=1e-10)
    # argnums under torch.func: the excluded parameter gets a zero gradient
    only_b = _linear_root(argnums=1)
    gA = grad(lambda A_: only_b(x0, A_, bs[0]).sum())(A)
    assert (gA == 0).all()


def test_custom_root_second_derivative_is_a_clear_error():
    solve = _linear_root()
    n = 4
    A, x0 = _spd(n, 1), torch.zeros(n, dtype=torch.float64)
    b = seeded(n, seed=4, low=-0.5).requires_grad_()
    (g,) = torch.autograd.grad(solve(x0, A, b).sum(), b, create_graph=True)
    torch.testing.assert_close(g.detach(), torch.linalg.solve(A.T, torch.ones(n, dtype=torch.float64)))
    with pytest.raises(RuntimeError, match="custom_root: the implicit gradient is not differentiable again"):
        torch.autograd.grad(g.sum(), b)


def test_custom_root_has_aux_under_vmap_is_refused():
    from bigrad.implicit import custom_root

    @custom_root(lambda x, b: x - b, has_aux=True)
    def solve(x0, b):
        return b.clone(), None

    with pytest.raises(NotImplementedError, match="has_aux"):
        vmap(solve, in_dims=(None, 0))(torch.zeros(2, dtype=torch.float64), torch.ones(3, 2, dtype=torch.float64))


# ------------------------------------------------------------------ BilevelLayer (Theorem 2 layer)
def test_bilevel_layer_vmap_grad_jacrev_vs_closed_form():
    import numpy as np

    from bigrad.torch.bilevel import BilevelLayer
    from reference.dense_bilevel import QuadraticBilevel

    quad = QuadraticBilevel(3, 2, 2, seed=3)
    f, g = quad.torch_objectives()
    layer = BilevelLayer(f, g, x_dim=3, y_dim=2)
    Z = np.random.default_rng(0).standard_normal((3, 2))
    WX = np.random.default_rng(1).standard_normal(3)
    WY = np.random.default_rng(2).standard_normal(2)
    wx, wy = torch.from_numpy(WX), torch.from_numpy(WY)
    z = torch.from_numpy(Z)

    def loss(zb):
        x, y = layer(zb)
        return x @ wx + y @ wy

    x, y = vmap(layer)(z)  # one solve per vmapped sample
    for b in range(3):
        xs, ys, _, _ = quad.solution(Z[b])
        np.testing.assert_allclose(x[b].numpy(), xs, atol=1e-9)
        np.testing.assert_allclose(y[b].numpy(), ys, atol=1e-9)
    g1 = grad(loss)(z[0])
    np.testing.assert_allclose(g1.numpy(), quad.loss_grad(Z[0], WX, WY), atol=1e-8)
    per = vmap(grad(loss))(z)
    for b in range(3):
        np.testing.assert_allclose(per[b].numpy(), quad.loss_grad(Z[b], WX, WY), atol=1e-8)
    J = jacrev(lambda zb: layer(zb)[0])(z[0])  # rows = gradients of x_i
    for i in range(3):
        e = np.zeros(3)
        e[i] = 1.0
        np.testing.assert_allclose(J[i].numpy(), quad.loss_grad(Z[0], e, np.zeros(2)), atol=1e-8)

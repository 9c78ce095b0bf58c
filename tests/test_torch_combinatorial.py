"""torch layers ShortestPath, ShortestPathInterdiction, TopK, TSPInterdiction."""
from functools import partial

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import bigrad.solvers as solvers
from bigrad.gradients import InterdictionGame, MinProblem
from bigrad.solvers import shortest_path, shortest_path_interdiction
from bigrad.torch.combinatorial import ShortestPath, ShortestPathInterdiction, TopK, TSPInterdiction
from reference import blackbox_reference as ref

ALL = ["bb", "bb_sep", "bb1", "pt", "pt1", "perturbed"]
DTYPES = [torch.float32, torch.float64]


def seeded(*shape, dtype=torch.float64, seed=0, low=0.5):
    return low + torch.rand(*shape, generator=torch.Generator().manual_seed(seed), dtype=dtype)


def gen():
    return torch.Generator().manual_seed(0)


# ---------------------------------------------------------------- shapes, dtypes, gradients
@pytest.mark.parametrize("method", ALL)
@pytest.mark.parametrize("dtype", DTYPES)
def test_shortest_path_layer(method, dtype):
    z = seeded(3, 5, 6, dtype=dtype).requires_grad_()
    y = ShortestPath(method=method, lam=3.0, generator=gen())(z)
    assert y.shape == z.shape and y.dtype == dtype and y.device == z.device
    if method != "perturbed":
        assert torch.equal(y, shortest_path(z.detach()))
    (y * torch.linspace(-1, 1, 30, dtype=dtype).reshape(5, 6)).sum().backward()
    assert z.grad.shape == z.shape and z.grad.dtype == dtype and z.grad.abs().sum() > 0
    y1 = ShortestPath(method=method, lam=3.0, generator=gen())(z.detach()[0])  # unbatched
    assert y1.shape == (5, 6)


@pytest.mark.parametrize("method", ALL)
@pytest.mark.parametrize("dtype", DTYPES)
def test_interdiction_layer(method, dtype):
    z = seeded(4, 5, 5, dtype=dtype).requires_grad_()
    w = seeded(4, 5, 5, dtype=dtype, seed=1).requires_grad_()
    y, x = ShortestPathInterdiction(2, method=method, lam=2.0, generator=gen())(z, w)
    assert y.shape == x.shape == z.shape and y.dtype == x.dtype == dtype
    if method != "perturbed":
        y_ref, x_ref = shortest_path_interdiction(z.detach(), w.detach(), 2)
        assert torch.equal(y, y_ref) and torch.equal(x, x_ref)
    gy, gx = seeded(2, 5, 5, dtype=dtype, seed=2, low=-0.5)
    ((y * gy).sum() + (x * gx).sum()).backward()
    assert z.grad.dtype == w.grad.dtype == dtype and z.grad.abs().sum() > 0


@pytest.mark.parametrize("method", ["bb", "bb_sep", "bb1", "pt", "pt1"])
def test_layer_gradients_equal_estimators(method):
    """The autograd plumbing hands the upstream gradients to the estimator unchanged."""
    z, w = seeded(3, 4, 4), seeded(3, 4, 4, seed=1)
    gy, gx = seeded(2, 3, 4, 4, seed=2, low=-0.5)
    zz, ww = z.clone().requires_grad_(), w.clone().requires_grad_()
    y, x = ShortestPathInterdiction(2, method=method, lam=0.7)(zz, ww)
    ((y * gy).sum() + (x * gx).sum()).backward()
    game = InterdictionGame(shortest_path, lambda a, b: shortest_path_interdiction(a, b, 2), 2)
    ez, ew = game.vjp(method, (z, w), (y.detach(), x.detach()), (gy, gx), 0.7)
    assert torch.equal(zz.grad, ez) and torch.equal(ww.grad, ew)
    c = z.clone().requires_grad_()
    p = ShortestPath(method=method, lam=0.7)(c)
    (p * gy).sum().backward()
    (ec,) = MinProblem(shortest_path).vjp(method, (z,), (p.detach(),), (gy,), 0.7)
    assert torch.equal(c.grad, ec)


def test_interdiction_default_w_is_ones():
    z = seeded(2, 4, 4)
    y, x = ShortestPathInterdiction(1)(z)
    y2, x2 = shortest_path_interdiction(z, torch.ones_like(z), 1)
    assert torch.equal(y, y2) and torch.equal(x, x2) and x.sum() == 2


@pytest.mark.parametrize("method", ALL)
def test_topk_layer(method):
    s = torch.randn(2, 3, 9, generator=gen()).requires_grad_()
    y, x = TopK(5, q=2, method=method, generator=gen())(s)
    assert y.shape == x.shape == s.shape and y.dtype == s.dtype
    if method != "perturbed":
        assert (y.sum(-1) == 3).all() and (x.sum(-1) == 2).all() and (x * y).sum() == 0
        assert (s.detach() * x).sum(-1).min() >= (s.detach() * y).amax(-1).min()
    (y * torch.arange(9.0)).sum().backward()
    assert s.grad.shape == s.shape and s.grad.abs().sum() > 0
    y0 = TopK(3, method=method, generator=gen())(s.detach()[0, 0])
    assert y0.shape == (9,) and torch.is_tensor(y0)


@pytest.mark.skipif(not hasattr(solvers, "tsp_interdiction"), reason="bigrad.solvers.tsp* not merged yet")
@pytest.mark.parametrize("method", ["bb", "bb_sep", "pt", "perturbed"])
def test_tsp_interdiction_layer(method):
    z = seeded(3, 6, 6).requires_grad_()
    y, x = TSPInterdiction(1, method=method, lam=1.0, generator=gen())(z)
    assert y.shape == x.shape == z.shape and y.dtype == z.dtype
    if method != "perturbed":
        assert (y.sum((1, 2)) == 6).all() and (x.sum((1, 2)) == 1).all()
    (y * seeded(6, 6, seed=4, low=-0.5)).sum().backward()
    assert z.grad.abs().sum() > 0


@pytest.mark.parametrize("method", ["bb", "bb_sep", "bb1", "pt", "pt1"])
def test_tsp_interdiction_with_brute_force_solvers(monkeypatch, method):
    """The TSP code path, run against enumerated tours standing in for bigrad.solvers.tsp*."""
    n, lam = 5, 0.4
    cycles = ref.tours(n)

    def fake_tsp(dist):
        return torch.from_numpy(np.stack([ref.argmin_enum(cycles, d.numpy()) for d in dist]))

    def fake_tsp_interdiction(z, w, budget):
        sols = [ref.game_enum(cycles, a.numpy(), b.numpy(), budget) for a, b in zip(z, w)]
        return tuple(torch.from_numpy(np.stack(o)) for o in zip(*sols))

    monkeypatch.setattr(solvers, "tsp", fake_tsp, raising=False)
    monkeypatch.setattr(solvers, "tsp_interdiction", fake_tsp_interdiction, raising=False)
    z, w = seeded(3, n, n, low=1.0), seeded(3, n, n, seed=1, low=0.6)
    gy, gx = seeded(2, 3, n, n, seed=2, low=-0.5)
    zz, ww = z.clone().requires_grad_(), w.clone().requires_grad_()
    y, x = TSPInterdiction(1, method=method, lam=lam)(zz, ww)
    ((y * gy).sum() + (x * gx).sum()).backward()
    game = partial(ref.game_enum, cycles, budget=1)
    args = [a.numpy() for a in (z, w, y.detach(), x.detach(), gy, gx)]
    rz, rw = ref.interdiction_vjp(method, partial(ref.argmin_enum, cycles), game, 1, *args, lam)
    np.testing.assert_allclose(zz.grad.numpy(), rz, atol=1e-12)
    np.testing.assert_allclose(ww.grad.numpy(), rw, atol=1e-12)


# ---------------------------------------------------------------- perturbed specifics
def test_perturbed_is_reproducible_and_fractional():
    z = seeded(2, 6, 6, low=0.1)
    a = ShortestPath(method="perturbed", sigma=0.5, num_samples=20, generator=gen())(z)
    b = ShortestPath(method="perturbed", sigma=0.5, num_samples=20, generator=gen())(z)
    assert torch.equal(a, b)
    assert ((a > 0) & (a < 1)).any() and a.min() >= 0 and a.max() <= 1


# ---------------------------------------------------------------- batching: one solver call per batch
def test_solvers_called_once_per_batch(monkeypatch):
    calls = []
    real = solvers.shortest_path

    def counting(c, *args, **kw):
        calls.append(c.shape[0])
        return real(c, *args, **kw)

    monkeypatch.setattr(solvers, "shortest_path", counting)
    z = seeded(7, 5, 5).requires_grad_()
    ShortestPath(method="bb")(z).sum().backward()
    assert calls == [7, 7]
    calls.clear()
    ShortestPath(method="perturbed", num_samples=4)(z).sum().backward()
    assert calls == [28]
    calls.clear()
    y, x = ShortestPathInterdiction(2, method="bb_sep")(z)
    (y.sum() + x.sum()).backward()
    assert calls == [14]  # backward only: base and perturbed y-problems stacked


# ---------------------------------------------------------------- argument checking
@pytest.mark.parametrize(
    "make, exc, match",
    [
        (lambda: ShortestPath(method="blackbox"), ValueError, "method"),
        (lambda: ShortestPath(method=1), TypeError, "method"),
        (lambda: ShortestPath(lam=0), ValueError, "lam"),
        (lambda: ShortestPath(lam=-1.0), ValueError, "lam"),
        (lambda: ShortestPath(lam="1"), TypeError, "lam"),
        (lambda: ShortestPath(lam=float("nan")), ValueError, "lam"),
        (lambda: ShortestPath(sigma=0.0), ValueError, "sigma"),
        (lambda: ShortestPath(num_samples=0), ValueError, "num_samples"),
        (lambda: ShortestPath(neighbourhood=6), ValueError, "neighbourhood"),
        (lambda: ShortestPath(generator=0), TypeError, "generator"),
        (lambda: ShortestPathInterdiction(-1), ValueError, "budget"),
        (lambda: ShortestPathInterdiction(1.5), TypeError, "budget"),
        (lambda: TopK(3, q=3), ValueError, "q"),
        (lambda: TopK(0), ValueError, "k"),
        (lambda: TSPInterdiction(budget=-2), ValueError, "budget"),
    ],
)
def test_constructor_errors(make, exc, match):
    with pytest.raises(exc, match=match):
        make()


def test_forward_errors():
    z = seeded(2, 4, 4)
    with pytest.raises(TypeError, match="weights"):
        ShortestPath()(z.numpy())
    with pytest.raises(TypeError, match="weights"):
        ShortestPath()(z.to(torch.int64))
    with pytest.raises(ValueError, match="weights"):
        ShortestPath()(z[None, None])
    with pytest.raises(ValueError, match="z and w"):
        ShortestPathInterdiction(1)(z, z[:, :3])
    with pytest.raises(TypeError, match="z and w"):
        ShortestPathInterdiction(1)(z, z.float())
    with pytest.raises(ValueError, match="k"):
        TopK(5)(torch.randn(3, 4))
    with pytest.raises(ValueError, match="scores"):
        TopK(1)(torch.tensor(1.0))
    with pytest.raises(TypeError, match="scores"):
        TopK(1)(torch.arange(4))
    with pytest.raises(ValueError, match="non-negative"):
        ShortestPath()(-z)


# ---------------------------------------------------------------- devices
@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs CUDA")
@pytest.mark.parametrize("method", ["bb", "pt", "perturbed"])
def test_cuda_device_preserved(method):
    z = seeded(4, 6, 6).cuda().requires_grad_()
    g = torch.Generator(device="cuda").manual_seed(0)
    y = ShortestPath(method=method, generator=g)(z)
    assert y.is_cuda
    y.sum().backward()
    assert z.grad.is_cuda
    s = torch.randn(3, 8, device="cuda", requires_grad=True)
    yk, xk = TopK(4, q=1, method="bb" if method == "perturbed" else method)(s)
    (yk.sum() + xk.sum()).backward()
    assert yk.is_cuda and s.grad.is_cuda
    y2, x2 = ShortestPathInterdiction(2, method=method, generator=g)(z)
    assert y2.is_cuda and x2.is_cuda


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs CUDA")
@pytest.mark.parametrize("method", ["bb", "pt", "perturbed"])
def test_graph_layer_cuda_device_preserved(method):
    from bigrad.graphs import Graph

    graph = Graph.grid(6, 6, 8)
    z = seeded(4, graph.num_edges).cuda().requires_grad_()
    y = ShortestPath(method=method, generator=torch.Generator(device="cuda").manual_seed(0), graph=graph)(z)
    y.sum().backward()
    assert y.is_cuda and z.grad.is_cuda
    if method != "perturbed":
        assert torch.equal(y.cpu(), shortest_path(graph, z.detach().cpu()))


# ---------------------------------------------------------------- learning
def _hamming(y, target):
    return (y * (1 - target) + (1 - y) * target).sum((1, 2)).mean()


def _learn(layer, solve, steps=150, H=8, F=5):
    """Fit a linear per-cell cost model through ``layer`` on Hamming loss; held-out accuracy before/after.

    ``solve(costs) -> tuple of 0/1 targets`` (the exact solver); the ground-truth costs
    are ``softplus(2 f @ a) + 0.05`` of random per-cell features ``f``. Returns
    (exact-match accuracy of the first output before, after, early loss, late loss).
    """
    g = torch.Generator().manual_seed(0)
    a_true = torch.randn(F, generator=g, dtype=torch.float64)

    def data(n):
        f = torch.randn(n, H, H, F, generator=g, dtype=torch.float64)
        return f, solve(torch.nn.functional.softplus(2 * f @ a_true) + 0.05)

    (ftr, ttr), (fte, tte) = data(200), data(200)
    torch.manual_seed(0)
    model = torch.nn.Linear(F, 1, dtype=torch.float64)

    def costs(f):
        return torch.nn.functional.softplus(model(f).squeeze(-1)) + 0.05

    def accuracy():
        with torch.no_grad():
            return (solve(costs(fte))[0] == tte[0]).all(-1).all(-1).double().mean().item()

    acc0, losses = accuracy(), []
    opt = torch.optim.Adam(model.parameters(), lr=0.05)
    for _ in range(steps):
        idx = torch.randint(0, 200, (32,), generator=g)
        outs = layer(costs(ftr[idx]))
        outs = outs if isinstance(outs, tuple) else (outs,)
        loss = sum(_hamming(o, t[idx]) for o, t in zip(outs, ttr))
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    return acc0, accuracy(), np.mean(losses[:5]), np.mean(losses[-20:])


def test_learning_grid_costs_from_paths():
    """ShortestPath(bb) on Hamming loss: loss falls, held-out exact-path accuracy rises from ~0."""
    acc0, acc1, early, late = _learn(ShortestPath(method="bb", lam=5.0), lambda c: (shortest_path(c),))
    assert late < 0.5 * early
    assert acc0 <= 0.1 and acc1 >= 0.4, (acc0, acc1)


@pytest.mark.parametrize("method", ["bb", "bb_sep"])
def test_learning_interdicted_paths(method):
    """ShortestPathInterdiction(budget=2, w=1): Hamming loss on (y, x) falls; held-out path accuracy rises."""
    layer = ShortestPathInterdiction(2, method=method, lam=5.0)
    acc0, acc1, early, late = _learn(layer, lambda c: shortest_path_interdiction(c, torch.ones_like(c), 2))
    assert late < 0.5 * early, (early, late)
    assert acc0 <= 0.05 and acc1 >= 0.4, (acc0, acc1)


# ---------------------------------------------------------------- layers on a general graph
def small_graph():
    """6 nodes, 13 edges with cycles, tails not grouped (the edges keep this numbering)."""
    from bigrad.graphs import Graph

    edges = [(0, 1), (1, 2), (2, 5), (0, 3), (3, 4), (4, 5), (1, 4), (4, 1), (3, 1), (2, 4), (4, 2), (1, 0), (5, 3)]
    src, dst = (np.array(v) for v in zip(*edges))
    return Graph.from_edges(src, dst, 6)


def path_masks(graph, source=0, target=None):
    """Edge masks of every simple source-target path (networkx, independent of bigrad's solver)."""
    import networkx as nx

    target = graph.num_nodes - 1 if target is None else target
    g = nx.MultiDiGraph()
    g.add_edges_from((int(u), int(v), e) for e, (u, v) in enumerate(zip(graph.src, graph.dst)))
    masks = []
    for path in nx.all_simple_edge_paths(g, source, target):
        m = np.zeros(graph.num_edges)
        m[[k for _, _, k in path]] = 1
        masks.append(m)
    return masks


@pytest.mark.parametrize("method", ALL)
def test_graph_node_weights_equal_the_grid_layer(method):
    """On Graph.grid(H, W, 8) with node weights, values and gradients are the grid layer's, bit for bit.

    ``g >= 0`` and a small ``sigma`` keep the perturbed weights positive: no zeros, hence no
    equal-cost paths, which the two solvers may break differently."""
    from bigrad.graphs import Graph

    H, W = 5, 6
    z = seeded(3, H, W)
    g = seeded(3, H, W, seed=5, low=0.0)
    options = dict(method=method, lam=3.0, sigma=0.1, num_samples=5)
    grid = ShortestPath(generator=gen(), **options)
    on_graph = ShortestPath(generator=gen(), graph=Graph.grid(H, W, 8), weights_on="nodes", **options)
    a, b = z.clone().requires_grad_(), z.reshape(3, -1).clone().requires_grad_()
    ya, yb = grid(a), on_graph(b)
    (ya * g).sum().backward()
    (yb * g.reshape(3, -1)).sum().backward()
    assert yb.shape == (3, H * W) and torch.equal(ya.reshape(3, -1), yb)
    assert torch.equal(a.grad.reshape(3, -1), b.grad) and b.grad.abs().sum() > 0


@pytest.mark.parametrize("method", ["bb", "bb_sep", "bb1", "pt", "pt1"])
def test_graph_edge_gradients_match_enumeration(method):
    """Edge weights on a graph with cycles: forward and BB/PT gradients against enumerated simple paths.

    ``gy >= 0``: the perturbed costs stay positive, so no zero-cost ties between paths."""
    graph, lam = small_graph(), 3.0
    masks = path_masks(graph)
    nominal = partial(ref.argmin_enum, masks)
    c = seeded(4, graph.num_edges, low=0.2)
    gy = seeded(4, graph.num_edges, seed=3, low=0.0)
    leaf = c.clone().requires_grad_()
    y = ShortestPath(method=method, lam=lam, graph=graph)(leaf)
    (y * gy).sum().backward()
    y_ref = np.stack([nominal(ci) for ci in c.numpy()])
    np.testing.assert_array_equal(y.detach().numpy(), y_ref)
    expected = ref.single_min_vjp(method, nominal, c.numpy(), y_ref, gy.numpy(), lam)
    np.testing.assert_allclose(leaf.grad.numpy(), expected, atol=1e-12)
    assert np.abs(expected).sum() > 0


def test_graph_dag_any_sign_and_no_clamp():
    """On a DAG the costs may be negative and BB's perturbed costs are not clamped at 0."""
    from bigrad.graphs import Graph

    graph, lam = Graph.grid(3, 4, 8, arcs="right-down"), 2.0
    masks = path_masks(graph)
    c = seeded(3, graph.num_edges, low=-0.6)
    gy = seeded(3, graph.num_edges, seed=4, low=-0.5)
    leaf = c.clone().requires_grad_()
    y = ShortestPath(method="bb", lam=lam, graph=graph)(leaf)
    (y * gy).sum().backward()
    y_ref = np.stack([ref.argmin_enum(masks, ci) for ci in c.numpy()])
    y_lam = np.stack([ref.argmin_enum(masks, ci) for ci in (c + lam * gy).numpy()])
    np.testing.assert_array_equal(y.detach().numpy(), y_ref)
    np.testing.assert_allclose(leaf.grad.numpy(), (y_lam - y_ref) / lam, atol=1e-12)
    assert (c + lam * gy).min() < 0 and np.abs(y_lam - y_ref).sum() > 0


def test_graph_perturbed_matches_reference():
    graph, sigma, M = small_graph(), 0.1, 5  # small sigma: no clamped zeros, no ties
    masks = path_masks(graph)
    c = seeded(2, graph.num_edges, low=0.6)
    gy = seeded(2, graph.num_edges, seed=6, low=-0.5)
    leaf = c.clone().requires_grad_()
    y = ShortestPath(method="perturbed", sigma=sigma, num_samples=M, generator=gen(), graph=graph)(leaf)
    (y * gy).sum().backward()
    noise = torch.randn(M, *c.shape, generator=gen(), dtype=c.dtype).numpy()
    (mean,), (grad_c,) = ref.perturbed(lambda ci: (ref.argmin_enum(masks, ci),), [c.numpy()], [noise],
                                       [gy.numpy()], sigma)
    np.testing.assert_allclose(y.detach().numpy(), mean, atol=1e-12)
    np.testing.assert_allclose(leaf.grad.numpy(), grad_c, atol=1e-12)


@pytest.mark.parametrize("weights_on", ["edges", "nodes"])
def test_graph_bb_gradcheck_of_path_cost(weights_on):
    """``<c, y(c)>`` is locally linear with gradient ``y(c)``; BB's term vanishes there (``y((1 + lam) c) = y(c)``),
    so the layer's gradient of the path cost is the true one: torch.autograd.gradcheck applies."""
    from bigrad.graphs import Graph

    graph = small_graph() if weights_on == "edges" else Graph.grid(3, 4, 8)
    layer = ShortestPath(method="bb", lam=2.0, graph=graph, weights_on=weights_on)
    size = graph.num_edges if weights_on == "edges" else graph.num_nodes
    c = seeded(2, size, low=0.3).requires_grad_()
    assert torch.autograd.gradcheck(lambda t: (t * layer(t)).sum(), (c,), eps=1e-6, atol=1e-7)


def test_graph_layer_copies_and_errors():
    import copy
    import pickle

    graph = small_graph()
    layer = ShortestPath(graph=graph, source=1, target=5, lam=2.0)
    c = seeded(2, graph.num_edges)
    expected = shortest_path(graph, c, source=1, target=5)
    assert torch.equal(layer(c), expected) and "source=1" in repr(layer)
    for other in (copy.deepcopy(layer), pickle.loads(pickle.dumps(layer))):
        assert torch.equal(other(c), expected) and other.graph is not graph
    with pytest.raises(TypeError, match="graph"):
        ShortestPath(graph=np.eye(3))
    with pytest.raises(ValueError, match="weights_on"):
        ShortestPath(graph=graph, weights_on="cells")
    with pytest.raises(ValueError, match="target"):
        ShortestPath(graph=graph, target=6)
    with pytest.raises(TypeError, match="source"):
        ShortestPath(graph=graph, source=0.0)
    with pytest.raises(ValueError, match="num_edges = 13"):
        ShortestPath(graph=graph)(seeded(2, 6))
    with pytest.raises(ValueError, match="num_nodes = 6"):
        ShortestPath(graph=graph, weights_on="nodes")(seeded(2, 13))
    with pytest.raises(ValueError, match="weights"):
        ShortestPath(graph=graph)(seeded(2, 1, 13))
    with pytest.raises(TypeError, match="weights_on"):
        ShortestPathInterdiction(1, graph=graph, weights_on="nodes")  # edge weights only
    with pytest.raises(ValueError, match="non-negative"):
        ShortestPath(graph=graph)(-c)


@pytest.mark.parametrize("method", ["bb", "bb_sep", "bb1", "pt", "pt1"])
def test_graph_interdiction_layer_matches_enumeration(method):
    """ShortestPathInterdiction(graph=...): the game and every estimator against enumerated simple paths."""
    pytest.importorskip("bigrad.solvers.graph_interdiction")
    graph, lam, budget = small_graph(), 0.6, 1
    masks = path_masks(graph)
    z, w = seeded(3, graph.num_edges, low=0.2), seeded(3, graph.num_edges, seed=1, low=0.1)
    gy, gx = seeded(2, 3, graph.num_edges, seed=2, low=0.0)
    gx = -gx  # z + lam gy and w - lam gx stay positive: no clamped zeros, no ties
    zz, ww = z.clone().requires_grad_(), w.clone().requires_grad_()
    y, x = ShortestPathInterdiction(budget, method=method, lam=lam, graph=graph)(zz, ww)
    ((y * gy).sum() + (x * gx).sum()).backward()
    game = partial(ref.game_enum, masks, budget=budget)
    solved = [game(a, b) for a, b in zip(z.numpy(), w.numpy())]
    np.testing.assert_array_equal(y.detach().numpy(), np.stack([s[0] for s in solved]))
    np.testing.assert_array_equal(x.detach().numpy(), np.stack([s[1] for s in solved]))
    args = [a.numpy() for a in (z, w, y.detach(), x.detach(), gy, gx)]
    rz, rw = ref.interdiction_vjp(method, partial(ref.argmin_enum, masks), game, budget, *args, lam)
    np.testing.assert_allclose(zz.grad.numpy(), rz, atol=1e-12)
    np.testing.assert_allclose(ww.grad.numpy(), rw, atol=1e-12)
    assert np.abs(rz).sum() + np.abs(rw).sum() > 0

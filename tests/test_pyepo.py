"""bigrad's PyEPO models against independent references, and PyEPO's losses training on them."""
from __future__ import annotations

from itertools import combinations, permutations

import numpy as np
import pytest

torch = pytest.importorskip("torch")
pyepo = pytest.importorskip("pyepo")
scipy_sparse = pytest.importorskip("scipy.sparse")
from scipy.sparse.csgraph import dijkstra

from bigrad.pyepo import ShortestPathModel, TSPModel, grid_arcs, shortestPathModel


def vertex_dijkstra(w: np.ndarray) -> float:
    """Cheapest top-left -> bottom-right 8-neighbour path cost (vertex weights, both ends) by scipy."""
    H, W = w.shape
    rows, cols, vals = [], [], []
    for i in range(H):
        for j in range(W):
            for di in (-1, 0, 1):
                for dj in (-1, 0, 1):
                    a, b = i + di, j + dj
                    if (di or dj) and 0 <= a < H and 0 <= b < W:
                        rows.append(i * W + j), cols.append(a * W + b), vals.append(w[a, b] + 1e-300)
    g = scipy_sparse.csr_matrix((vals, (rows, cols)), shape=(H * W, H * W))
    return float(dijkstra(g, indices=0)[H * W - 1] + w[0, 0])


def test_shortest_path_model_matches_dijkstra():
    rng = np.random.default_rng(0)
    m = ShortestPathModel((6, 7))
    assert m.num_cost == 42
    for _ in range(10):
        c = rng.uniform(0.1, 5, 42)
        m.setObj(c)
        sol, obj = m.solve()
        assert sol.shape == (42,) and set(np.unique(sol)) <= {0.0, 1.0}
        assert obj == pytest.approx(vertex_dijkstra(c.reshape(6, 7)), rel=1e-12)
        assert obj == pytest.approx(c @ sol)


def test_shortest_path_negative_costs():
    c = np.ones(9)
    c[4] = -2.0
    m = ShortestPathModel((3, 3))
    m.setObj(c)
    sol, obj = m.solve()  # clipped at 0: the centre is free, the path goes through it
    assert sol[4] == 1 and obj == pytest.approx(c @ sol) and obj == pytest.approx(0.0)
    strict = ShortestPathModel((3, 3), negative="raise")
    strict.setObj(c)
    with pytest.raises(ValueError, match="non-negative"):
        strict.solve()
    with pytest.raises(ValueError, match="9 costs"):
        m.setObj(np.ones(8))
    with pytest.raises(ValueError, match="negative must be"):
        ShortestPathModel((3, 3), negative="shift")


def brute_force_tour(n: int, c: np.ndarray, edges) -> float:
    idx = {e: k for k, e in enumerate(edges)}
    best = np.inf
    for perm in permutations(range(1, n)):
        tour = (0, *perm, 0)
        best = min(best, sum(c[idx[tuple(sorted(e))]] for e in zip(tour, tour[1:])))
    return best


@pytest.mark.parametrize("n", [4, 6, 7])
def test_tsp_model_matches_brute_force_any_sign(n):
    rng = np.random.default_rng(n)
    m = TSPModel(n)
    for _ in range(3):
        c = rng.normal(size=m.num_cost)  # negative costs too: the shift keeps the optimum
        m.setObj(c)
        sol, obj = m.solve()
        assert sol.sum() == n
        deg = np.zeros(n)
        for k, (i, j) in enumerate(m.edges):
            deg[i] += sol[k]
            deg[j] += sol[k]
        assert (deg == 2).all()
        assert obj == pytest.approx(brute_force_tour(n, c, m.edges), rel=1e-12)


@pytest.mark.parametrize("loss_name", ["spo+", "dbb", "pfyl"])
def test_pyepo_losses_train_on_bigrad(loss_name):
    # a linear model predicting 5x5 vertex costs from features; PyEPO's losses drive it to better decisions
    torch.manual_seed(0)
    rng = np.random.default_rng(0)
    n, p, grid = 64, 5, (5, 5)
    B = rng.normal(size=(p, 25))
    x = rng.normal(size=(n, p))
    c = np.exp(0.5 * x @ B)  # positive true costs
    m = ShortestPathModel(grid)
    sols, objs = zip(*(m.setObj(ci) or m.solve() for ci in c))
    c_t, x_t = torch.tensor(c), torch.tensor(x)
    w_t, z_t = torch.tensor(np.stack(sols)), torch.tensor(objs)[:, None]
    model = torch.nn.Linear(p, 25).double()
    loss_fn = {
        "spo+": lambda: pyepo.func.SPOPlus(m, processes=1),
        "dbb": lambda: pyepo.func.blackboxOpt(m, lambd=10, processes=1),
        "pfyl": lambda: pyepo.func.perturbedFenchelYoung(m, n_samples=3, sigma=1.0, processes=1, seed=0),
    }[loss_name]()

    def regret() -> float:
        with torch.no_grad():
            pred = model(x_t).numpy()
        total = 0.0
        for k in range(n):
            m.setObj(pred[k])
            sol, _ = m.solve()
            total += c[k] @ sol - objs[k]
        return total / sum(objs)

    before = regret()
    opt = torch.optim.Adam(model.parameters(), lr=0.05)
    for _ in range(40):
        pred = model(x_t)
        if loss_name == "spo+":
            loss = loss_fn(pred, c_t, w_t, z_t)
        elif loss_name == "dbb":
            loss = ((loss_fn(pred) - w_t).abs()).sum(1).mean()
        else:
            loss = loss_fn(pred, w_t)
        opt.zero_grad()
        loss.backward()
        opt.step()
    assert regret() < before


# ---------------------------------------------------------------- PyEPO's own form: edge costs on its arcs
def monotone_paths(grid, arcs) -> np.ndarray:
    """Arc masks ``[P, num_arcs]`` of every right/down path from the top-left to the bottom-right cell."""
    rows, cols = grid
    index = {a: k for k, a in enumerate(arcs)}
    moves = rows + cols - 2
    masks = []
    for downs in combinations(range(moves), rows - 1):
        m, node = np.zeros(len(arcs)), 0
        for step in range(moves):
            nxt = node + cols if step in downs else node + 1
            m[index[(node, nxt)]] = 1
            node = nxt
        masks.append(m)
    return np.array(masks)


GRIDS = [(5, 5), (3, 7), (1, 4), (4, 1)]


@pytest.mark.parametrize("grid", GRIDS)
def test_pyepo_form_arcs_and_graph(grid):
    from pyepo.model.utils import _get_grid_arcs

    m = shortestPathModel(grid)
    assert grid_arcs(grid) == m.arcs == _get_grid_arcs(grid)
    assert m.num_cost == m.graph.num_edges == len(m.arcs)
    assert [tuple(a) for a in zip(m.graph.src.tolist(), m.graph.dst.tolist())] == m.arcs
    with pytest.raises(ValueError, match="grid"):
        shortestPathModel((1, 1))
    with pytest.raises(ValueError, match="grid"):
        shortestPathModel(5)
    with pytest.raises(ValueError, match=f"{m.num_cost} costs"):
        m.setObj(np.ones(m.num_cost + 1))


@pytest.mark.parametrize("grid", GRIDS)
def test_pyepo_form_matches_enumeration_any_sign(grid):
    """Optimal over every right/down path, for costs of both signs (the grid's arcs form a DAG)."""
    rng = np.random.default_rng(sum(grid))
    m = shortestPathModel(grid)
    paths = monotone_paths(grid, m.arcs)
    for _ in range(10):
        c = rng.normal(size=m.num_cost)
        m.setObj(c)
        sol, obj = m.solve()
        c32 = c.astype(np.float32).astype(np.float64)  # numpy costs are read as PyEPO reads them
        values = paths @ c32
        assert obj == values.min() == c32 @ sol
        assert np.array_equal(sol, paths[np.argmin(values)])


def test_pyepo_form_equals_pyepo_ortools_model():
    """The same (sol, obj) as PyEPO's own OR-Tools model: objectives exactly, solutions where the optimum is unique."""
    pytest.importorskip("ortools")
    from pyepo.model.ort import shortestPathModel as OrtoolsModel

    rng = np.random.default_rng(1)
    for grid in [(5, 5), (3, 6)]:
        ours, peer = shortestPathModel(grid), OrtoolsModel(grid)
        paths = monotone_paths(grid, ours.arcs)
        costs = [rng.normal(size=ours.num_cost) for _ in range(20)] + [np.ones(ours.num_cost)]  # last: all tied
        for c in costs:
            results = []
            for model in (ours, peer):
                model.setObj(c)
                results.append(model.solve())
            (sol, obj), (peer_sol, peer_obj) = results
            assert obj == peer_obj
            values = np.sort(paths @ c.astype(np.float32))
            if values[1] > values[0]:
                np.testing.assert_array_equal(sol, peer_sol)
        ours.setObj(torch.from_numpy(c))  # a float64 tensor keeps its precision in both
        peer.setObj(torch.from_numpy(c))
        assert ours.solve()[1] == pytest.approx(peer.solve()[1], rel=1e-12)


@pytest.mark.parametrize("loss_name", ["spo+", "dbb", "pfyl"])
def test_pyepo_form_losses_on_pyepo_data(loss_name):
    """PyEPO's losses on PyEPO's 5x5 shortest-path data run on shortestPathModel; with ortools installed,
    the loss and its gradient are those of PyEPO's own model."""
    from pyepo.data.shortestpath import genData

    x, c = genData(16, 5, (5, 5), deg=4, noise_width=0.5, seed=3)
    models = [shortestPathModel((5, 5))]
    try:
        from pyepo.model.ort import shortestPathModel as OrtoolsModel

        models.append(OrtoolsModel((5, 5)))
    except ImportError:  # pragma: no cover - ortools is a bench extra
        pass
    out = []
    for m in models:
        sols, objs = zip(*(m.setObj(ci) or m.solve() for ci in c))
        c_t, w_t = torch.tensor(c), torch.tensor(np.stack(sols), dtype=torch.float32)
        z_t = torch.tensor(objs, dtype=torch.float32)[:, None]
        torch.manual_seed(0)
        model = torch.nn.Linear(5, m.num_cost)
        pred = model(torch.tensor(x, dtype=torch.float32))
        if loss_name == "spo+":
            loss = pyepo.func.SPOPlus(m, processes=1)(pred, c_t, w_t, z_t)
        elif loss_name == "dbb":
            loss = (pyepo.func.blackboxOpt(m, lambd=10, processes=1)(pred) - w_t).abs().mean()
        else:
            loss = pyepo.func.perturbedFenchelYoung(m, n_samples=3, sigma=1.0, processes=1, seed=0)(pred, w_t)
        loss.backward()
        assert torch.isfinite(loss) and model.weight.grad.abs().sum() > 0
        out.append((loss.detach(), model.weight.grad))
    for loss, grad in out[1:]:
        torch.testing.assert_close(loss, out[0][0], rtol=1e-6, atol=1e-7)
        torch.testing.assert_close(grad, out[0][1], rtol=1e-6, atol=1e-7)

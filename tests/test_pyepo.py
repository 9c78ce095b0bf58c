"""bigrad's PyEPO models against independent references, and PyEPO's losses training on them."""
from __future__ import annotations

from itertools import permutations

import numpy as np
import pytest

torch = pytest.importorskip("torch")
pyepo = pytest.importorskip("pyepo")
scipy_sparse = pytest.importorskip("scipy.sparse")
from scipy.sparse.csgraph import dijkstra

from bigrad.pyepo import ShortestPathModel, TSPModel


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

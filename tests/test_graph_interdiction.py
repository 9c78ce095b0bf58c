"""Shortest-path interdiction on general directed graphs, both orders, against brute force and HiGHS MILPs."""
import numpy as np
import pytest

from bigrad.graphs import Graph
from bigrad.solvers import shortest_path, shortest_path_interdiction
from reference.graph_interdiction_milp import (
    interdictor_first_brute_force,
    interdictor_first_milp,
    path_first_brute_force,
    path_first_milp,
)

ORDERS = {
    "path-first": (path_first_brute_force, path_first_milp),
    "interdictor-first": (interdictor_first_brute_force, interdictor_first_milp),
}


def random_digraph(rng, n, m, dag=False):
    src, dst = rng.integers(0, n, m), rng.integers(0, n, m)
    keep = src < dst if dag else src != dst
    return Graph.from_edges(np.append(src[keep], 0), np.append(dst[keep], 1), n)  # never edgeless


def check_answer(g, z, w, budget, y, x, value, order, s=0, t=None):
    """y is an s-t path, x a feasible interdiction, value their game value, and y the follower's best reply."""
    t = g.num_nodes - 1 if t is None else t
    flow = np.bincount(g.src, weights=y, minlength=g.num_nodes) - np.bincount(g.dst, weights=y, minlength=g.num_nodes)
    expected = np.zeros(g.num_nodes)
    if s != t:
        expected[s], expected[t] = 1, -1
    np.testing.assert_array_equal(flow, expected)
    assert set(np.unique(x)) <= {0, 1} and x.sum() <= budget and not (x * (w == 0)).any()
    assert value == pytest.approx(float(((z + x * w) * y).sum()), rel=1e-9, abs=1e-9)
    if order == "path-first":  # x: the budget largest w of the path, ties to the lower edge number
        gains = np.where(y > 0, w, 0.0)
        top = np.argsort(-gains, kind="stable")[:budget]
        np.testing.assert_array_equal(np.flatnonzero(x), np.sort(top[gains[top] > 0]))
    else:  # y: a shortest path under the interdicted costs
        _, cost = shortest_path(g, z + x * w, source=s, target=t, return_cost=True)
        assert value == pytest.approx(float(cost), rel=1e-9, abs=1e-9)


@pytest.mark.parametrize("order", ORDERS)
@pytest.mark.parametrize("dag", [False, True])
def test_brute_force(order, dag):
    rng = np.random.default_rng(7 + dag)
    brute, _ = ORDERS[order]
    for trial in range(25):
        n = int(rng.integers(3, 7))
        g = random_digraph(rng, n, int(rng.integers(n, 3 * n + 1)), dag)
        z = rng.integers(-2 if dag else 0, 4, g.num_edges).astype(float)  # integers: many ties
        w = rng.integers(0, 4, g.num_edges).astype(float)
        budget = int(rng.integers(0, 4))
        y, x, v = shortest_path_interdiction(g, z, w, budget, order=order, return_cost=True)
        ref = brute(g.src, g.dst, n, z, w, budget)
        if np.isinf(ref):
            assert np.isinf(v) and not y.any() and not x.any()
            continue
        assert v == pytest.approx(ref, abs=1e-12)
        check_answer(g, z, w, budget, y, x, v, order)


@pytest.mark.parametrize("order", ORDERS)
def test_against_milp(order):
    """5x5 king-move grid and a random sparse digraph (from scipy), batched, real-valued costs."""
    rng = np.random.default_rng(3)
    sp = pytest.importorskip("scipy.sparse")
    dense = rng.random((18, 18)) * (rng.random((18, 18)) < 0.25)
    np.fill_diagonal(dense, 0)
    for g, budget in ((Graph.grid(5, 5, 8), 3), (Graph.from_scipy(sp.csr_matrix(dense)), 2)):
        z, w = rng.random((2, g.num_edges)) * 3, rng.random((2, g.num_edges)) * 2
        y, x, v = shortest_path_interdiction(g, z, w, budget, order=order, return_cost=True)
        for b in range(2):
            ref, _ = ORDERS[order][1](g.src, g.dst, g.num_nodes, z[b], w[b], budget)
            assert v[b] == pytest.approx(ref, rel=1e-7)
            check_answer(g, z[b], w[b], budget, y[b], x[b], v[b], order)


def test_orders_bracket_and_endpoints():
    """max-min <= min-max; other endpoints; batch results equal one-by-one results."""
    rng = np.random.default_rng(11)
    g = Graph.grid(4, 5, 4)
    z, w = rng.random((4, g.num_edges)), rng.random((4, g.num_edges))
    s, t = 7, 12
    out = {o: shortest_path_interdiction(g, z, w, 2, source=s, target=t, order=o, return_cost=True) for o in ORDERS}
    assert (out["interdictor-first"][2] <= out["path-first"][2] + 1e-12).all()
    for order, (y, x, v) in out.items():
        for b in range(4):
            ref, _ = ORDERS[order][1](g.src, g.dst, g.num_nodes, z[b], w[b], 2, s, t)
            assert v[b] == pytest.approx(ref, rel=1e-7)
            one = shortest_path_interdiction(g, z[b], w[b], 2, source=s, target=t, order=order, return_cost=True)
            np.testing.assert_array_equal(one[0], y[b])
            np.testing.assert_array_equal(one[1], x[b])
            check_answer(g, z[b], w[b], 2, y[b], x[b], v[b], order, s, t)


@pytest.mark.parametrize("order", ORDERS)
def test_special_cases(order):
    rng = np.random.default_rng(5)
    g = Graph.grid(4, 4, 8)
    z, w = rng.random(g.num_edges), rng.random(g.num_edges)
    y0, x0, v0 = shortest_path_interdiction(g, z, w, 0, order=order, return_cost=True)
    y_sp, c_sp = shortest_path(g, z, return_cost=True)
    np.testing.assert_array_equal(y0, y_sp)
    assert not x0.any() and v0 == pytest.approx(c_sp)
    _, x_all, v_all = shortest_path_interdiction(g, z, w, g.num_edges + 5, order=order, return_cost=True)
    if order == "path-first":  # the path player then faces z + w everywhere
        assert v_all == pytest.approx(float(shortest_path(g, z + w, return_cost=True)[1]))
    _, _, v_same = shortest_path_interdiction(g, z, w, 2, source=5, target=5, order=order, return_cost=True)
    assert v_same == 0
    cut = Graph.from_edges([0, 2], [1, 3], 4)  # node 3 unreachable from 0
    y, x, v = shortest_path_interdiction(cut, np.ones(2), np.ones(2), 1, order=order, return_cost=True)
    assert np.isinf(v) and not y.any() and not x.any()


def test_torch_float32():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(2)
    g = Graph.grid(4, 4, 8, arcs="right-down")
    z = torch.tensor(rng.random((3, g.num_edges)) - 0.3, dtype=torch.float32)  # a DAG: negative z allowed
    w = torch.tensor(rng.random((3, g.num_edges)), dtype=torch.float32)
    for order, (_, milp) in ORDERS.items():
        y, x, v = shortest_path_interdiction(g, z, w, 2, order=order, return_cost=True)
        assert all(isinstance(a, torch.Tensor) and a.dtype == torch.float32 for a in (y, x, v))
        assert y.shape == z.shape and v.shape == (3,)
        for b in range(3):
            ref, _ = milp(g.src, g.dst, g.num_nodes, z[b].double().numpy(), w[b].double().numpy(), 2)
            assert float(v[b]) == pytest.approx(ref, rel=1e-5, abs=1e-5)


def test_grid_call_unchanged():
    z = np.random.default_rng(0).random((2, 4, 4))
    y, x = shortest_path_interdiction(z, np.ones_like(z), 1)
    assert y.shape == z.shape and x.sum() == 2


@pytest.mark.parametrize("kwargs, exc, match", [
    (dict(z=np.ones(5), w=np.ones(5)), ValueError, "z must have num_edges = 4"),
    (dict(w=np.ones((2, 4))), ValueError, "z and w"),
    (dict(z=np.ones(4, np.int64)), TypeError, "z must have dtype"),
    (dict(w=np.ones(4, np.float32)), TypeError, "z and w must have the same dtype"),
    (dict(budget=-1), ValueError, "budget"),
    (dict(budget=1.5), TypeError, "budget"),
    (dict(z=np.array([1.0, np.nan, 1.0, 1.0])), ValueError, "z must be finite"),
    (dict(w=np.array([1.0, 1.0, np.inf, 1.0])), ValueError, "w must be finite"),
    (dict(w=np.array([1.0, -1.0, 1.0, 1.0])), ValueError, "w must be non-negative"),
    (dict(z=np.array([1.0, -1.0, 1.0, 1.0])), ValueError, "z must be non-negative on a graph with a cycle"),
    (dict(source=4), ValueError, "source must lie in"),
    (dict(target=-1), ValueError, "target must lie in"),
    (dict(source=np.array([0, 1])), ValueError, "source must be an int"),
    (dict(target=1.0), TypeError, "target must be an int"),
    (dict(order="both"), ValueError, "order must be one of"),
])
def test_bad_input(kwargs, exc, match):
    g = Graph.from_edges([0, 1, 2, 3], [1, 2, 3, 0], 4)  # a cycle
    args = dict(z=np.ones(4), w=np.ones(4), budget=1) | kwargs
    z, w, budget = args.pop("z"), args.pop("w"), args.pop("budget")
    with pytest.raises(exc, match=match):
        shortest_path_interdiction(g, z, w, budget, **args)


@pytest.mark.parametrize("order", ORDERS)
def test_overflow_names_z_and_w(order):
    g = Graph.from_edges([0, 1, 2], [1, 2, 3], 4)
    z = np.full(3, 2e38, np.float32)
    with pytest.raises(ValueError, match=r"z \+ w: a path cost overflows float32"):
        shortest_path_interdiction(g, z, np.ones(3, np.float32), 1, order=order)


def test_negative_z_on_a_dag_is_allowed():
    g = Graph.from_edges([0, 0, 1], [1, 2, 2], 3)
    y, x, v = shortest_path_interdiction(g, np.array([-1.0, 0.5, -1.0]), np.array([3.0, 0.0, 1.0]), 1,
                                         order="interdictor-first", return_cost=True)
    assert v == pytest.approx(0.5)  # blocking 0->1 (w 3) makes the direct edge (0.5) the cheapest
    np.testing.assert_array_equal(y, [0, 1, 0])


def test_interdictor_first_threads_and_size():
    """An 8x8 king-move grid, budget 4: the MILP's value; the same answer on 1 and 2 threads."""
    import bigrad

    rng = np.random.default_rng(21)
    g = Graph.grid(8, 8, 8)
    z, w = rng.random((6, g.num_edges)), rng.random((6, g.num_edges)) * 2
    before = bigrad.get_num_threads()
    try:
        out = []
        for threads in (1, 2):
            bigrad.set_num_threads(threads)
            out.append(shortest_path_interdiction(g, z, w, 4, order="interdictor-first", return_cost=True))
    finally:
        bigrad.set_num_threads(before)
    for a, b in zip(*out):
        np.testing.assert_array_equal(a, b)
    y, x, v = out[0]
    ref, _ = interdictor_first_milp(g.src, g.dst, g.num_nodes, z[0], w[0], 4)
    assert v[0] == pytest.approx(ref, rel=1e-7)
    check_answer(g, z[0], w[0], 4, y[0], x[0], v[0], "interdictor-first")

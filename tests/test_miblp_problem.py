"""Problem data model and dual-polyhedron enumeration of bigrad.miblp."""
import numpy as np
import pytest

from bigrad.miblp import Problem
from bigrad.miblp.projection.dual_polyhedron import enumerate_dual

INF = np.inf


def small(**over):
    kw = dict(
        c=[1.0, -1.0],
        A=[[1.0, 1.0]],
        row_lower=[-INF],
        row_upper=[3.0],
        lb=[0.0, 0.0],
        ub=[2.0, 2.0],
        integer=[True, True],
        follower_vars=[False, True],
        follower_rows=[True],
        follower_c=[0.0, 1.0],
        follower_sense="max",
    )
    kw.update(over)
    return Problem(**kw)


def test_valid_problem_properties():
    p = small()
    assert (p.n, p.m) == (2, 1)
    assert list(p.leader_idx) == [0] and list(p.follower_idx) == [1]
    assert list(p.linking_idx) == [0]
    assert p.leader_objective([1, 2]) == -1.0
    assert p.follower_objective([1, 2]) == 2.0
    assert p.max_violation([1, 2]) == 0.0
    assert p.max_violation([2, 2]) == pytest.approx(1.0)
    assert p.max_violation([0.5, 0]) == pytest.approx(0.5)  # integrality


@pytest.mark.parametrize(
    "over, exc, word",
    [
        (dict(c="ab"), TypeError, "c"),
        (dict(A=[[1.0, 1.0, 1.0]]), ValueError, "A"),
        (dict(row_upper=[1.0, 2.0]), ValueError, "row_upper"),
        (dict(lb=[0.0]), ValueError, "lb"),
        (dict(ub=[np.nan, 1.0]), ValueError, "ub"),
        (dict(integer=[2, 1]), TypeError, "integer"),
        (dict(follower_vars=[False, False]), ValueError, "follower_vars"),
        (dict(follower_rows=[True, False]), ValueError, "follower_rows"),
        (dict(follower_c=[1.0, 1.0]), ValueError, "follower_c"),
        (dict(follower_sense="maximize"), ValueError, "follower_sense"),
        (dict(lb=[3.0, 0.0]), ValueError, "lb > ub"),
        (dict(row_lower=[5.0]), ValueError, "row_lower > row_upper"),
        (dict(lb=[0.2, 0.0], ub=[0.8, 2.0]), ValueError, "integral"),
        (dict(A=[[1.0, np.inf]]), ValueError, "A"),
        (dict(var_names=["a"]), ValueError, "var_names"),
    ],
)
def test_bad_arguments_are_named(over, exc, word):
    with pytest.raises(exc, match=word):
        small(**over)


def test_integer_bounds_rounded_inwards():
    p = small(lb=[0.5, 0.0], ub=[2.7, 2.0])
    assert p.lb[0] == 1.0 and p.ub[0] == 2.0


def test_from_blocks_layout():
    p = Problem.from_blocks(
        leader_c_x=[1, 2], leader_c_y=[3], follower_c_y=[4],
        x_lb=[0, 0], x_ub=[1, 1], y_lb=[0], y_ub=[5],
        x_integer=[True, False], y_integer=[True],
        A_x=[[1, 0]], A_y=[[1]], b=[2],
        Q_x=[[0, 1], [1, 1]], P_y=[[1], [2]], s=[3, 4],
        follower_sense="max",
    )
    assert p.A.shape == (3, 3)
    np.testing.assert_array_equal(p.row_upper, [2, 3, 4])
    np.testing.assert_array_equal(p.follower_rows, [False, True, True])
    np.testing.assert_array_equal(p.follower_vars, [False, False, True])
    np.testing.assert_array_equal(p.follower_c, [0, 0, 4])
    np.testing.assert_array_equal(p.integer, [True, False, True])
    with pytest.raises(ValueError, match="Q_x"):
        Problem.from_blocks(leader_c_x=[1], leader_c_y=[1], follower_c_y=[1], x_lb=[0], x_ub=[1], y_lb=[0],
                            y_ub=[1], x_integer=[True], y_integer=[True], Q_x=[[1, 1]], P_y=[[1]], s=[1])


def test_dual_enumeration_pure_integer_follower():
    # no continuous follower variable: D = {pi >= 0}, vertex 0, rays = unit vectors
    V, R = enumerate_dual(np.zeros((3, 0)), np.zeros(0))
    np.testing.assert_array_equal(V, np.zeros((1, 3)))
    assert sorted(map(tuple, R)) == sorted(map(tuple, np.eye(3)))


def test_dual_enumeration_box():
    # max u s.t. u <= h1, -u <= h2 : D = {pi >= 0: pi1 - pi2 = 1}
    G = np.array([[1.0], [-1.0]])
    V, R = enumerate_dual(G, np.array([1.0]))
    np.testing.assert_allclose(V, [[1.0, 0.0]])
    np.testing.assert_allclose(R, [[1.0, 1.0]])  # infeasible iff h1 + h2 < 0
    # unbounded LP (max u s.t. -u <= h): no dual point
    V, _ = enumerate_dual(np.array([[-1.0]]), np.array([1.0]))
    assert V.shape[0] == 0


def test_dual_enumeration_matches_lp_values():
    rng = np.random.default_rng(3)
    G = np.vstack([rng.integers(-3, 4, (4, 2)), np.eye(2), -np.eye(2)]).astype(float)
    w = np.array([2.0, -1.0])
    V, R = enumerate_dual(G, w)
    from scipy.optimize import linprog

    for _ in range(30):
        h = np.concatenate([rng.integers(-4, 8, 4), [3, 3, 0, 0]]).astype(float)
        res = linprog(-w, A_ub=G, b_ub=h, bounds=[(None, None)] * 2, method="highs")
        if res.status == 0:
            assert min(V @ h) == pytest.approx(-res.fun, abs=1e-7)
            assert (R @ h >= -1e-9).all()
        else:
            assert res.status == 2 and (R @ h < 0).any()


def test_dual_enumeration_limit():
    with pytest.raises(ValueError, match="max_enumeration"):
        enumerate_dual(np.ones((40, 6)), np.ones(6), limit=100)

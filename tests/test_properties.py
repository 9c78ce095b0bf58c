"""One property over every public solver and Krylov function (issue 24).

Every public solver: the grid and general-graph forms of ``shortest_path`` and
``shortest_path_interdiction``, ``tsp``, ``tsp_interdiction``, ``topk_mask``/``topk_attacked``,
``min_max_min``, and the Krylov ``cg``, ``gmres``, ``bicgstab``, ``minres``.  For arbitrary arrays
(shapes, dtypes, NaN/inf, empty, strided, read-only, byte-swapped, torch, meta and sparse tensors,
non-arrays) every call either returns a result that is correct against a
small, independent reference (brute force, heapq Dijkstra, dense ``numpy.linalg``), or raises a
ValueError/TypeError whose message names one of the function's arguments.  Nothing else: no other
exception, no warning but a Krylov non-convergence warning for a member that did not converge, no
NaN in a Krylov solution.

How a case is made: a small valid problem is drawn, then at most one argument is *altered*.  Some
alterations keep the values (a strided or read-only view, another byte order, a torch tensor, a
sparse matrix for Krylov's ``A``, ...): the call must then succeed.  The others (NaN, inf, a
negative entry, another dtype, an empty axis, a wrong shape, the ``meta`` device, a non-array) may
be refused; when the call succeeds all the same, its result is checked against the reference on
the values it was actually given.

Each test labels its cases with ``hypothesis.event`` (``pytest --hypothesis-show-statistics``
prints the counts: solved / refused per alteration).
"""
from __future__ import annotations

import functools
import json
import os
import re
import warnings
from collections import Counter
from dataclasses import dataclass
from itertools import combinations

import numpy as np
import pytest
import scipy.sparse as sp
import scipy.sparse.linalg as spla
import torch
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from scipy.sparse.csgraph import dijkstra as scipy_dijkstra

from bigrad import csgraph
from bigrad.graphs import Graph
from bigrad.krylov import SOLVERS, BatchedCSR, KrylovConvergenceWarning
from bigrad.solvers import (
    min_max_min,
    shortest_path,
    shortest_path_interdiction,
    topk_attacked,
    topk_mask,
    tsp,
    tsp_interdiction,
)
from reference.blackbox_reference import argmin_enum, game_enum
from reference.blackbox_reference import topk as topk_reference
from reference.grid_paths import MOVES, dijkstra_heapq, interdiction_brute_force
from reference.tsp_reference import brute_force_interdiction, brute_force_tsp

#: examples per function; each example makes one case per alteration (every alteration meets every function)
EXAMPLES = 5
#: cases run, by outcome (written as JSON to $BIGRAD_PROPERTY_CASES at the end of the module, for reports)
CASES: Counter = Counter()
#: deterministic (CI), no deadline (a shared, loaded machine)
PROPERTY = settings(derandomize=True, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])


# ------------------------------------------------------------------------ alterations of one argument
#: alterations that keep every value: the call must succeed
KEEP = ("none", "strided", "fortran", "read-only", "byte-swapped", "torch", "torch-strided", "list")
#: alterations after which a call may be refused (a ValueError/TypeError naming the argument)
BREAK = ("nan", "inf", "-inf", "negative", "float32", "float16", "int64", "bool", "complex", "object", "empty",
         "extra-axis", "fewer-axes", "crop", "meta", "sparse", "scalar", "none-value", "string")


def alter(a: np.ndarray, how: str, draw):
    """``a`` (float64 numpy) altered by ``how``; numpy, torch or something else."""
    if how == "none":
        return a
    if how == "strided":
        big = np.zeros(a.shape[:-1] + (2 * a.shape[-1],) if a.ndim else (2,), a.dtype)
        big[..., ::2] = a
        return big[..., ::2]
    if how == "fortran":
        return np.asfortranarray(a)
    if how == "read-only":
        a = a.copy()
        a.setflags(write=False)
        return a
    if how == "byte-swapped":
        return a.astype(a.dtype.newbyteorder(">" if a.dtype.isnative and np.little_endian else "<"))
    if how == "torch":
        return torch.from_numpy(a.copy())
    if how == "torch-strided":
        return torch.from_numpy(np.stack([a, a], axis=-1).copy())[..., 0]
    if how == "list":
        return a.tolist() if a.size else a  # an empty list would lose the shape
    if how in ("nan", "inf", "-inf", "negative"):
        a = a.copy()
        if a.size:
            a.flat[draw(st.integers(0, a.size - 1))] = {"nan": np.nan, "inf": np.inf, "-inf": -np.inf,
                                                       "negative": -1.5}[how]
        return a
    if how in ("float32", "float16", "int64", "bool", "complex", "object"):
        with np.errstate(invalid="ignore"):  # NaN -> int64 (a NaN x0)
            return a.astype({"float32": np.float32, "float16": np.float16, "int64": np.int64, "bool": bool,
                             "complex": np.complex128, "object": object}[how])
    if how == "empty":
        axis = draw(st.integers(0, max(a.ndim - 1, 0)))
        return np.take(a, [], axis=axis) if a.ndim else np.zeros(0)
    if how == "extra-axis":
        return a[None, None]
    if how == "fewer-axes":
        return a[0] if a.ndim and len(a) else np.float64(1.0)
    if how == "crop":
        return a[..., :-1] if a.ndim else a
    if how == "meta":
        return torch.empty(a.shape, dtype=torch.float64, device="meta")
    if how == "sparse":
        t = torch.from_numpy(a.copy())
        return t.to_sparse() if t.dim() else t
    if how == "scalar":
        return 1.5
    if how == "none-value":
        return None
    if how == "string":
        return "abc"
    raise AssertionError(how)


def as_float64(v) -> np.ndarray | None:
    """The values a call was given, as float64 numpy (None when they are not numbers)."""
    if isinstance(v, torch.Tensor):
        if v.device.type == "meta" or v.is_complex():
            return None
        return (v.to_dense() if v.layout != torch.strided else v).detach().cpu().double().numpy()
    if isinstance(v, (np.ndarray, list, float, int)):
        a = np.asarray(v)
        return a.astype(np.float64) if a.dtype.kind in "fiub" else None
    return None


def to_numpy(r):
    return r.detach().cpu().numpy() if isinstance(r, torch.Tensor) else np.asarray(r)


def tolerance(dtype) -> float:
    return 1e-9 if np.dtype(dtype) == np.float64 else 1e-4


@dataclass
class Case:
    """A call with its arguments (as given) and the names an error may use."""

    args: dict
    names: tuple
    altered: str
    how: str


def names_an_argument(message: str, names) -> bool:
    return any(re.search(rf"(?<![\w.]){re.escape(n)}(?![\w(])", message) for n in names)


def run(case: Case, call, check, allowed_warning=None):
    """Call, then check: a correct result, or a ValueError/TypeError naming an argument."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            result = call(**case.args)
        except (ValueError, TypeError) as exc:
            assert case.how not in KEEP, f"refused although {case.altered} kept its values ({case.how}): {exc!r}"
            assert names_an_argument(str(exc), case.names), f"{exc!r} names none of {case.names}"
            event(f"refused: {case.how}")
            CASES["refused"] += 1
            return
    unexpected = [w for w in caught if allowed_warning is None or not issubclass(w.category, allowed_warning)]
    assert not unexpected, [str(w.message) for w in unexpected]
    values = {k: as_float64(v) for k, v in case.args.items()}
    check(result, values, [w for w in caught if w not in unexpected])
    event(f"solved: {case.how}")
    CASES["solved"] += 1


@pytest.fixture(scope="module", autouse=True)
def case_count():
    """Write the number of cases to ``$BIGRAD_PROPERTY_CASES`` (JSON) when set."""
    yield
    target = os.environ.get("BIGRAD_PROPERTY_CASES")
    if target:
        with open(target, "a") as f:
            f.write(json.dumps({"module": __name__, **CASES}) + "\n")


#: every alteration a test is run with ("bad-scalar": a scalar argument such as a budget gets a bad value)
ALTERATIONS = KEEP + BREAK + ("bad-scalar",)


def pick(data, how: str, arrays: tuple, scalars: dict | None = None):
    """``(which, value)``: the argument that ``how`` alters (None for "none"), and for "bad-scalar"
    a bad value drawn from ``scalars[which]``."""
    if how == "none" or (how == "bad-scalar" and not scalars):
        return None, None
    if how == "bad-scalar":
        which = data.draw(st.sampled_from(sorted(scalars)))
        return which, data.draw(st.sampled_from(scalars[which]))
    return data.draw(st.sampled_from(arrays)), None


def alter_one(args: dict, which, how: str, bad, draw) -> dict:
    """The argument ``which`` altered: ``bad`` for a scalar one, :func:`alter` for an array."""
    if which is None:
        return {}
    if how == "bad-scalar":
        return {which: bad}
    return {which: alter(args[which], how, draw)}


def finite_nonneg(*arrays) -> bool:
    return all(a is not None and a.size and np.isfinite(a).all() and (a >= 0).all() for a in arrays)


# -------------------------------------------------------------------------------- grid shortest path
def path_ok(mask: np.ndarray, nbh: int) -> bool:
    """0/1 mask holding both corners, its cells connected by ``nbh`` moves."""
    H, W = mask.shape
    if not np.isin(mask, (0, 1)).all() or mask[0, 0] != 1 or mask[-1, -1] != 1:
        return False
    seen, todo = {(0, 0)}, [(0, 0)]
    while todo:
        i, j = todo.pop()
        for di, dj in MOVES[nbh]:
            c = (i + di, j + dj)
            if 0 <= c[0] < H and 0 <= c[1] < W and mask[c] == 1 and c not in seen:
                seen.add(c)
                todo.append(c)
    return (H - 1, W - 1) in seen


def batched(values: np.ndarray, core: int) -> np.ndarray:
    return values if values.ndim == core + 1 else values[None]


@st.composite
def grids(draw, max_side=4):
    batch = draw(st.sampled_from([None, 1, 2]))
    H, W = draw(st.integers(1, max_side)), draw(st.integers(1, max_side))
    shape = (H, W) if batch is None else (batch, H, W)
    return np.asarray(draw(st.lists(st.sampled_from([0.0, 0.5, 1.0, 2.0, 3.25, 7.0]), min_size=H * W * (batch or 1),
                                     max_size=H * W * (batch or 1)))).reshape(shape)


def _case_shortest_path(how, data):
    weights = data.draw(grids())
    args = {"weights": weights, "neighbourhood": data.draw(st.sampled_from([8, 4]))}
    which, bad = pick(data, how, ("weights",), {"neighbourhood": [0, 5, 8.0, -4, True, "8", None]})
    args.update(alter_one(args, which, how, bad, data.draw))

    def check(result, values, _):
        w = values["weights"]
        assert finite_nonneg(w) and args["neighbourhood"] in (4, 8), f"accepted {how} weights"
        mask, cost = map(to_numpy, result)
        for k, wk in enumerate(batched(w, 2)):
            mk, ck = batched(mask, 2)[k], np.atleast_1d(cost)[k]
            _, ref = dijkstra_heapq(wk, args["neighbourhood"])
            assert path_ok(mk, args["neighbourhood"]) and ck == pytest.approx(ref, rel=tolerance(mask.dtype))
            assert (mk * wk).sum() == pytest.approx(ref, rel=tolerance(mask.dtype))

    run(Case(args, ("weights", "neighbourhood"), which, how),
        lambda **kw: shortest_path(kw["weights"], kw["neighbourhood"], return_cost=True), check)


def _case_shortest_path_interdiction(how, data):
    z = data.draw(grids(max_side=3))
    w = np.asarray(data.draw(st.lists(st.sampled_from([0.0, 1.0, 2.5]), min_size=z.size, max_size=z.size))).reshape(z.shape)
    args = {"z": z, "w": w, "budget": data.draw(st.integers(0, 2)), "neighbourhood": data.draw(st.sampled_from([8, 4]))}
    which, bad = pick(data, how, ("z", "w"), {"budget": [-1, 1.0, None, 2**40, np.int64(1)], "neighbourhood": [6, None]})
    args.update(alter_one(args, which, how, bad, data.draw))

    def check(result, values, _):
        z64, w64, budget = values["z"], values["w"], args["budget"]
        assert finite_nonneg(z64, w64) and z64.shape == w64.shape, f"accepted {which}: {how}"
        y, x, value = map(to_numpy, result)
        for k, (zk, wk) in enumerate(zip(batched(z64, 2), batched(w64, 2))):
            yk, xk, vk = batched(y, 2)[k], batched(x, 2)[k], np.atleast_1d(value)[k]
            ref = interdiction_brute_force(zk, wk, min(int(budget), zk.size), args["neighbourhood"])
            assert path_ok(yk, args["neighbourhood"]) and (xk <= yk).all() and xk.sum() <= budget
            assert vk == pytest.approx(ref, rel=tolerance(y.dtype), abs=1e-12)
            assert ((zk + xk * wk) * yk).sum() == pytest.approx(ref, rel=tolerance(y.dtype), abs=1e-12)

    run(Case(args, ("z", "w", "budget", "neighbourhood"), which, how),
        lambda **kw: shortest_path_interdiction(**kw, return_cost=True), check)


# ------------------------------------------------------------------------------ general graphs
@st.composite
def graphs(draw):
    """``(graph, src, dst)``: up to 5 nodes and 8 edges, self-loops and parallel edges included."""
    N, E = draw(st.integers(1, 5)), draw(st.integers(1, 8))  # E = 0: weights [0] are refused as empty (reported)
    src = draw(st.lists(st.integers(0, N - 1), min_size=E, max_size=E))
    dst = draw(st.lists(st.integers(0, N - 1), min_size=E, max_size=E))
    return Graph.from_edges(np.array(src, np.int64), np.array(dst, np.int64), N), src, dst


def simple_paths(src, dst, s: int, t: int) -> list[list[int]]:
    """Every node-simple path from ``s`` to ``t``, as lists of edge indices (``[]`` when ``s == t``)."""
    out = []

    def extend(node, seen, path):
        if node == t:
            out.append(list(path))
            return
        for e, (a, b) in enumerate(zip(src, dst)):
            if a == node and b not in seen:
                seen.add(b)
                path.append(e)
                extend(b, seen, path)
                path.pop()
                seen.discard(b)

    extend(s, {s}, [])
    return out


def graph_case(data, how, arrays: tuple, extra_scalars: dict):
    """A graph, its endpoints, ``[B?, E]`` arrays named ``arrays``, and the alteration applied."""
    graph, src, dst = data.draw(graphs())
    N, E = graph.num_nodes, graph.num_edges
    batch = data.draw(st.sampled_from([None, 1, 2]))
    shape = (E,) if batch is None else (batch, E)
    args = {name: np.asarray(data.draw(st.lists(st.sampled_from([0.0, 0.5, 1.0, 2.0, 3.25]), min_size=int(np.prod(shape)),
                                                max_size=int(np.prod(shape))))).reshape(shape) for name in arrays}
    args.update(source=data.draw(st.integers(0, N - 1)), target=data.draw(st.integers(0, N - 1)))
    bad_node = [-1, N, 1.5, "0", True]
    which, bad = pick(data, how, arrays, {"source": bad_node, "target": bad_node, **extra_scalars})
    args.update(alter_one(args, which, how, bad, data.draw))
    return graph, (src, dst), args, which


def edge_path_ok(mask: np.ndarray, paths: list[list[int]]) -> bool:
    return sorted(np.flatnonzero(mask).tolist()) in [sorted(p) for p in paths]


def _case_graph_shortest_path(how, data):
    graph, (src, dst), args, which = graph_case(data, how, ("weights",), {})

    def check(result, values, _):
        w = values["weights"]
        assert w is not None and np.isfinite(w).all() and ((w >= 0).all() or graph.is_dag), f"accepted {how}"
        mask, cost = map(to_numpy, result)
        paths = simple_paths(src, dst, args["source"], args["target"])
        for k, wk in enumerate(batched(w, 1)):
            mk, ck = batched(mask, 1)[k], np.atleast_1d(cost)[k]
            ref = min((wk[p].sum() for p in paths), default=np.inf)
            assert ck == pytest.approx(ref, rel=tolerance(mask.dtype)), (ck, ref)
            assert (not mk.any()) if np.isinf(ref) else (edge_path_ok(mk, paths) and (mk * wk).sum() == pytest.approx(ref))

    run(Case(args, ("graph", "weights", "source", "target"), which, how),
        lambda **kw: shortest_path(graph, **kw, return_cost=True), check)


def _case_csgraph_dijkstra(how, data):
    """bigrad.csgraph.dijkstra on the graph's CSR with altered ``weights`` (and ``indices`` = the source)."""
    graph, _, args, which = graph_case(data, how, ("weights",), {})
    csr = sp.csr_matrix((np.ones(graph.num_edges), graph.indices, graph.indptr), shape=(graph.num_nodes,) * 2)
    args = {"weights": args["weights"], "indices": args["source"]}
    which = {"source": "indices"}.get(which, which)

    def check(result, values, _):
        w = values["weights"]
        if w is None:  # None is csgraph.dijkstra's default: the matrix's own entries
            w = np.ones(graph.num_edges)
        assert not np.isnan(w).any() and (w >= 0).all(), f"accepted {how}"
        dist = to_numpy(result)
        for k, wk in enumerate(batched(w, 1)):  # the weights are the CSR entries, in CSR order
            ref = scipy_dijkstra(sp.csr_matrix((wk, graph.indices, graph.indptr), shape=csr.shape),
                                 indices=args["indices"])
            assert np.array_equal(batched(dist, 1)[k], ref)

    run(Case(args, ("weights", "indices", "csgraph"), which, how),
        lambda **kw: csgraph.dijkstra(csr, **kw), check)


def _case_graph_shortest_path_interdiction(how, data):
    graph, (src, dst), args, which = graph_case(data, how, ("z", "w"), {"budget": [-1, 1.5, None]})
    args.setdefault("budget", data.draw(st.integers(0, 2)))

    def check(result, values, _):
        z64, w64, budget = values["z"], values["w"], int(args["budget"])
        assert z64 is not None and w64 is not None and z64.shape == w64.shape, f"accepted {which}: {how}"
        assert np.isfinite(z64).all() and ((z64 >= 0).all() or graph.is_dag) and finite_nonneg(w64), f"accepted {how}"
        y, x, value = map(to_numpy, result)
        paths = simple_paths(src, dst, args["source"], args["target"])
        for k, (zk, wk) in enumerate(zip(batched(z64, 1), batched(w64, 1))):
            yk, xk, vk = batched(y, 1)[k], batched(x, 1)[k], np.atleast_1d(value)[k]
            ref = min((zk[p].sum() + np.sort(wk[p])[::-1][:budget].sum() for p in paths), default=np.inf)
            assert vk == pytest.approx(ref, rel=tolerance(y.dtype)), (vk, ref)
            if np.isfinite(ref):
                assert edge_path_ok(yk, paths) and (xk <= yk).all() and xk.sum() <= budget
                assert ((zk + xk * wk) * yk).sum() == pytest.approx(ref, rel=tolerance(y.dtype))

    run(Case(args, ("graph", "z", "w", "budget", "source", "target"), which, how),
        lambda **kw: shortest_path_interdiction(graph, **kw, return_cost=True), check)


# --------------------------------------------------------------------------------------------- TSP
def tour_ok(mask: np.ndarray) -> bool:
    n = len(mask)
    if not np.isin(mask, (0, 1)).all() or not (mask.sum(0) == 1).all() or not (mask.sum(1) == 1).all():
        return False
    city, seen = 0, set()
    for _ in range(n):
        seen.add(city)
        city = int(np.argmax(mask[city]))
    return city == 0 and len(seen) == n


@st.composite
def costs(draw, n_max: int, low: float = -3.0):
    batch = draw(st.sampled_from([None, 1, 2]))
    n = draw(st.integers(2, n_max))
    shape = (n, n) if batch is None else (batch, n, n)
    size = int(np.prod(shape))
    values = np.asarray(draw(st.lists(st.integers(int(low), 9), min_size=size, max_size=size)), np.float64)
    if draw(st.booleans()):  # symmetric instances take the branch and bound
        values = values.reshape(shape)
        values = (values + np.swapaxes(values, -1, -2)) / 2
    return values.reshape(shape)


def _case_tsp(how, data):
    args = {"dist": data.draw(costs(6)), "max_n": 30}
    which, bad = pick(data, how, ("dist",), {"max_n": [1, 31, 6.0, None]})
    args.update(alter_one(args, which, how, bad, data.draw))

    def check(result, values, _):
        d = values["dist"]
        assert d is not None and np.isfinite(d).all(), f"accepted {how}"
        mask, cost = map(to_numpy, result)
        for k, dk in enumerate(batched(d, 2)):
            mk = batched(mask, 2)[k]
            ref = brute_force_tsp(dk)
            assert tour_ok(mk)
            assert np.atleast_1d(cost)[k] == pytest.approx(ref, rel=tolerance(mask.dtype), abs=1e-9)
            assert (mk * dk).sum() == pytest.approx(ref, rel=tolerance(mask.dtype), abs=1e-9)

    run(Case(args, ("dist", "max_n"), which, how), lambda **kw: tsp(**kw, return_cost=True), check)


def _case_tsp_interdiction(how, data):
    z = data.draw(costs(4, low=0.0))
    w = np.asarray(data.draw(st.lists(st.sampled_from([0.0, 1.0, 4.0]), min_size=z.size, max_size=z.size))).reshape(z.shape)
    args = {"z": z, "w": w, "budget": data.draw(st.integers(0, 2))}
    which, bad = pick(data, how, ("z", "w"), {"budget": [-1, 0.5, None, 10**30]})
    args.update(alter_one(args, which, how, bad, data.draw))

    def check(result, values, _):
        z64, w64 = values["z"], values["w"]
        assert z64 is not None and np.isfinite(z64).all() and finite_nonneg(w64), f"accepted {which}: {how}"
        y, x, value = map(to_numpy, result)
        budget = min(int(args["budget"]), z64.shape[-1])  # a tour has n edges: a larger budget plays like n
        for k, (zk, wk) in enumerate(zip(batched(z64, 2), batched(w64, 2))):
            ref, _ = brute_force_interdiction(zk, wk, budget)  # the diagonal is never a tour edge
            yk, xk = batched(y, 2)[k], batched(x, 2)[k]
            assert tour_ok(yk) and (xk <= yk).all() and xk.sum() <= budget
            assert np.atleast_1d(value)[k] == pytest.approx(ref, rel=tolerance(y.dtype), abs=1e-9)

    run(Case(args, ("z", "w", "budget"), which, how), lambda **kw: tsp_interdiction(**kw, return_cost=True), check)


# -------------------------------------------------------------------------------------------- top-k
def _case_topk(how, data):
    batch = data.draw(st.sampled_from([None, 1, 3]))
    m = data.draw(st.integers(1, 6))
    shape = (m,) if batch is None else (batch, m)
    scores = np.asarray(data.draw(st.lists(st.sampled_from([-2.0, 0.0, 0.5, 1.0, 3.0]), min_size=int(np.prod(shape)),
                                           max_size=int(np.prod(shape))))).reshape(shape)
    k = data.draw(st.integers(0, m))
    args = {"scores": scores, "k": k, "q": data.draw(st.integers(0, k))}
    attacked = data.draw(st.booleans())
    bad_ranks = [-1, m + 1, 1.0, None, True]
    which, bad = pick(data, how, ("scores",), {"k": bad_ranks, **({"q": bad_ranks} if attacked else {})})
    args.update(alter_one(args, which, how, bad, data.draw))

    def check(result, values, _):
        s = values["scores"]
        assert s is not None and s.size and np.isfinite(s).all(), f"accepted {how}"
        outs = result if attacked else (result,)
        for k_row, srow in enumerate(batched(s, 1)):
            got = [batched(to_numpy(r), 1)[k_row] for r in outs]
            if attacked:
                want = (topk_reference(srow, args["k"]) - topk_reference(srow, args["q"]), topk_reference(srow, args["q"]))
            else:
                want = (topk_reference(srow, args["k"]),)
            for g, ref in zip(got, want):
                np.testing.assert_array_equal(g, ref)

    if attacked:
        run(Case(args, ("scores", "k", "q"), which, how), topk_attacked, check)
    else:
        run(Case({k: v for k, v in args.items() if k != "q"}, ("scores", "k"), which, how), topk_mask, check)


# ---------------------------------------------------------------------------------------- min_max_min
def pick_two(c):
    """Nominal oracle: the ``min(2, d)`` cheapest entries of each row, by enumeration of the subsets."""
    arr = to_numpy(c)
    d = arr.shape[1]
    subsets = [np.isin(np.arange(d), s).astype(float) for s in combinations(range(d), min(2, d))]
    ys = np.stack([argmin_enum(subsets, row) for row in arr]).astype(arr.dtype)
    return torch.from_numpy(ys).to(c.device) if isinstance(c, torch.Tensor) else ys


def _case_min_max_min(how, data):
    B, d = data.draw(st.integers(1, 3)), data.draw(st.integers(1, 5))
    z = np.asarray(data.draw(st.lists(st.sampled_from([-1.0, 0.0, 1.0, 2.5]), min_size=B * d, max_size=B * d))).reshape(B, d)
    w = np.asarray(data.draw(st.lists(st.sampled_from([0.0, 1.0, 2.0]), min_size=B * d, max_size=B * d))).reshape(B, d)
    args = {"oracle": pick_two, "z": z, "w": w, "budget": data.draw(st.integers(0, 3))}
    which, bad = pick(data, how, ("z", "w"), {"budget": [-1, 1.5, None, 10**30], "oracle": [None, "oracle"]})
    args.update(alter_one(args, which, how, bad, data.draw))
    if which in ("z", "w") and how in ("torch", "torch-strided"):  # both or neither: the other as a tensor too
        other = "w" if which == "z" else "z"
        args[other] = torch.from_numpy(args[other])

    def check(result, values, _):
        z64, w64 = values["z"], values["w"]
        assert z64 is not None and np.isfinite(z64).all() and finite_nonneg(w64), f"accepted {which}: {how}"
        y, x, value = map(to_numpy, result)
        for k in range(len(z64)):
            yk, xk = game_enum([np.isin(np.arange(z64.shape[1]), s).astype(float)
                                for s in combinations(range(z64.shape[1]), min(2, z64.shape[1]))],
                               z64[k], w64[k], min(int(args["budget"]), z64.shape[1]))
            ref = ((z64[k] + xk * w64[k]) * yk).sum()
            assert value[k] == pytest.approx(ref, rel=tolerance(y.dtype), abs=1e-12)
            assert ((z64[k] + x[k] * w64[k]) * y[k]).sum() == pytest.approx(ref, rel=tolerance(y.dtype), abs=1e-12)

    run(Case(args, ("oracle", "z", "w", "budget"), which, how), min_max_min, check)


# ---------------------------------------------------------------------------------------------- Krylov
def system(draw, solver: str, n: int, batch: int | None):
    """``A`` (shared ``[n, n]`` or one per member) fitting the solver, and ``b``, float64, well-conditioned."""
    rng = np.random.default_rng(draw(st.integers(0, 2**16)))
    per_member = batch is not None and batch > 0 and draw(st.booleans())
    count = batch if per_member else 1
    M = rng.standard_normal((count, n, n)) / np.sqrt(n)
    if solver == "cg":
        A = M @ np.swapaxes(M, 1, 2) + np.eye(n)
    elif solver == "minres":  # symmetric indefinite, |eigenvalues| in [1, 3]
        Q = np.linalg.qr(M)[0]
        lam = np.linspace(1.0, 3.0, n) * np.where(np.arange(n) % 2, -1.0, 1.0)
        A = Q @ (lam[:, None] * np.swapaxes(Q, 1, 2))
    else:
        A = 3.0 * np.eye(n) + 0.5 * M
    b = rng.standard_normal((n,) if batch is None else (batch, n))
    return (A if per_member else A[0]), b


def as_operator_form(A: np.ndarray, form: str, b_is_torch: bool):
    """The same matrix as another kind of operator (all valid); the per-system forms take ``A [B, n, n]``."""
    if form == "scipy-list":
        return [sp.csr_matrix(a) for a in A]
    if form == "batched-csr":  # every entry stored (explicit zeros too)
        B, n, _ = A.shape
        return BatchedCSR(np.arange(0, n * n + 1, n), np.tile(np.arange(n), n), A.reshape(B, n * n))
    if form == "scipy-csr":
        return sp.csr_matrix(A)
    if form == "linear-operator":
        return spla.aslinearoperator(A)
    if form == "torch-sparse":
        return torch.from_numpy(A).to_sparse()
    if form == "callable":
        At = torch.from_numpy(A) if b_is_torch else A
        return (lambda x: torch.einsum("...ij,...j->...i", At, x)) if b_is_torch else (lambda x: np.einsum(
            "...ij,...j->...i", At, x))
    return A


KRYLOV_FORMS = ("dense", "scipy-csr", "linear-operator", "torch-sparse", "callable")
#: one matrix per system: dense [B, n, n], a list of scipy matrices, bigrad.krylov.BatchedCSR (issue 25)
PER_SYSTEM_FORMS = ("dense", "scipy-list", "batched-csr")


def check_krylov(result, values, caught, A64: np.ndarray, must_converge: bool):
    """Every member with a finite ``b``: converged means ``||b - A x|| <= threshold`` (recomputed in float64);
    a member with NaN/inf in ``b`` never converged (D1/D2); ``x`` finite; a warning for any non-converged one."""
    x, info = result
    x = to_numpy(x)
    assert np.isfinite(x).all(), "NaN or inf leaked into x"
    b64 = values["b"]
    assert b64 is not None and b64.ndim in (1, 2) and b64.shape[-1] >= 1
    n = b64.shape[-1]
    conv = np.atleast_1d(to_numpy(info.converged))
    thr = np.atleast_1d(to_numpy(info.threshold)).astype(np.float64)
    xs, bs = x.reshape(-1, n).astype(np.float64), b64.reshape(-1, n)
    assert x.shape == b64.shape
    if not len(bs):  # an empty batch: nothing to solve (a callable A is never called, so never checked)
        return
    As = A64 if A64.ndim == 3 else np.broadcast_to(A64, (len(bs), n, n))
    eps = float(np.finfo(x.dtype).eps)
    for i in range(len(bs)):
        if not np.isfinite(bs[i]).all():
            assert not conv[i], f"member {i} has NaN/inf in b but reported converged"
            continue
        res = np.linalg.norm(bs[i] - As[i] @ xs[i])
        slack = 50 * eps * (np.linalg.norm(As[i], 2) * np.linalg.norm(xs[i]) + np.linalg.norm(bs[i]))
        if conv[i]:
            assert res <= thr[i] + slack, (i, res, thr[i])
        else:
            assert not must_converge, f"member {i} did not converge on a well-conditioned system"
    if not conv.all():
        assert any(issubclass(w.category, KrylovConvergenceWarning) for w in caught), "no warning for non-convergence"


def _case_krylov(solver, how, data):
    n = data.draw(st.integers(1, 5))
    batch = data.draw(st.sampled_from([None, 0, 1, 3]))
    A, b = system(data.draw, solver, n, batch)
    args = {"A": A, "b": b}
    if data.draw(st.booleans()):
        args["x0"] = np.full_like(b, np.nan if data.draw(st.booleans()) else 0.25)  # a NaN guess starts from 0
    which, bad = pick(data, how, ("A", "b") + (("x0",) if "x0" in args else ()),
                      {"rtol": [-1.0, np.nan, np.inf, "1e-5", None], "atol": [-1.0, np.nan, None], "maxiter": [0, 2.5, -3]})
    args.update(alter_one(args, which, how, bad, data.draw))
    if which == "b" and "x0" in args and isinstance(args["b"], torch.Tensor):
        args["x0"] = torch.from_numpy(args["x0"])  # x0 follows b's kind (the dtype/device check is tested apart)
    # a callable is the user's code: it cannot be asked to name b when b no longer fits it
    forms = KRYLOV_FORMS if which != "b" or how in KEEP else KRYLOV_FORMS[:-1]
    if which == "A":
        form = "dense"
    else:
        form = data.draw(st.sampled_from(forms if A.ndim == 2 else PER_SYSTEM_FORMS))
    args["A"] = as_operator_form(args["A"], form, isinstance(args["b"], torch.Tensor))
    # float32/64 b and A's values as drawn: the well-conditioned systems must all converge
    b_dtype = str(getattr(args["b"], "dtype", "float64"))
    must_converge = b_dtype in ("float64", "float32", ">f8", "torch.float64", "torch.float32") and (
        which not in ("A", "rtol", "atol", "maxiter") or how in KEEP or how == "float32")

    def check(result, values, caught):
        A_actual = values["A"] if values.get("A") is not None else A  # an operator form: the drawn matrix
        assert np.isfinite(A_actual).all(), f"accepted A with {how}"
        check_krylov(result, values, caught, A_actual, must_converge)

    event(f"A as {form}")
    # Krylov takes arrays and tensors, not lists (TypeError naming the argument): "list" may be refused here
    run(Case(args, ("A", "b", "x0", "rtol", "atol", "maxiter"), which, "list (refused)" if how == "list" else how),
        SOLVERS[solver], check, allowed_warning=KrylovConvergenceWarning)


#: every public solver and Krylov function: ``case(how, data)`` draws a problem, alters it, calls and checks
FUNCTIONS = {
    "shortest_path": _case_shortest_path,
    "shortest_path_interdiction": _case_shortest_path_interdiction,
    "shortest_path(graph)": _case_graph_shortest_path,
    "csgraph.dijkstra": _case_csgraph_dijkstra,
    "shortest_path_interdiction(graph)": _case_graph_shortest_path_interdiction,
    "tsp": _case_tsp,
    "tsp_interdiction": _case_tsp_interdiction,
    "topk_mask/topk_attacked": _case_topk,
    "min_max_min": _case_min_max_min,
    **{f"krylov.{name}": functools.partial(_case_krylov, name) for name in sorted(SOLVERS)},
}


@pytest.mark.parametrize("function", sorted(FUNCTIONS))
@settings(PROPERTY, max_examples=EXAMPLES)
@given(data=st.data())
def test_result_is_correct_or_the_error_names_the_argument(function, data):
    """The property, for one function: each example draws problems and meets them with every alteration."""
    for how in ALTERATIONS:
        FUNCTIONS[function](how, data)


# ------------------------------------------------------------------ D9: meta tensors, named with the device
@pytest.mark.parametrize("call, name", [
    (lambda t: shortest_path(t), "weights"),
    (lambda t: tsp(t), "dist"),
    (lambda t: topk_mask(t[0], 1), "scores"),
    (lambda t: shortest_path_interdiction(t, t, 1), "z"),
    (lambda t: tsp_interdiction(t, t, 1), "z"),
    (lambda t: min_max_min(pick_two, t, t, 1), "z"),
    (lambda t: SOLVERS["cg"](torch.eye(3), t[0]), "b"),
])
def test_meta_tensors_name_the_argument_and_the_device(call, name):
    """D9: torch's own "Cannot copy out of meta tensor" named neither the argument nor the device."""
    with pytest.raises(ValueError, match=rf"^{name} is on the meta device"):
        call(torch.ones(3, 3, dtype=torch.float64, device="meta"))

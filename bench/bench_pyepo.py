"""PyEPO: bigrad's ShortestPathModel vs PyEPO's own shortestPathModel on OR-Tools (GLOP), same run.

Both are PyEPO ``optModel``s solving one instance per ``setObj`` + ``solve`` (the way
PyEPO's losses call them), timed interleaved round by round; median and minimum of
the per-instance time are reported. The problems differ in form, as each library
defines the grid shortest path: PyEPO's is an LP over the right/down arcs of the grid
(edge costs), bigrad's the vertex-weighted 8-neighbour path (exact native solve).
Also one SPO+ training step (batch 32) through ``pyepo.func.SPOPlus`` with each model.

``test_pyepo_form_shortest_path``: the same problem in the same form, PyEPO's own
(edge costs on the grid's right/down arcs): ``bigrad.pyepo.shortestPathModel`` vs
``pyepo.model.ort.shortestPathModel`` on PyEPO's 5x5 benchmark data
(``pyepo.data.shortestpath.genData(1000, 5, (5, 5), deg=4, noise_width=0.5)``).
Correctness first (the same ``(sol, obj)`` on every instance, and the same SPO+
losses over one epoch from the same start), then, interleaved round by round, the
time per ``setObj`` + ``solve`` and per SPO+ training epoch (linear model, Adam,
batch 32, the data as tensors: the solves, the loss and the optimizer step).
Run: .venv/bin/python -m pytest bench/bench_pyepo.py --benchmark-enable -s
     --benchmark-json bench/results/bench_pyepo.json
"""
from __future__ import annotations

import os
import statistics
import time

import numpy as np
import pytest

torch = pytest.importorskip("torch")
pyepo = pytest.importorskip("pyepo")
pytest.importorskip("ortools")
from pyepo.model.ort import shortestPathModel

from bench.conftest import interleaved, machine_load, report
from bigrad.pyepo import ShortestPathModel

ROUNDS, N = 7, 64


def per_instance(model, costs) -> float:
    start = time.perf_counter()
    for c in costs:
        model.setObj(c)
        model.solve()
    return (time.perf_counter() - start) / len(costs)


def spo_step(model, costs) -> float:
    c = torch.tensor(costs)
    sols, objs = zip(*(model.setObj(ci) or model.solve() for ci in costs))
    w, z = torch.tensor(np.stack(sols)), torch.tensor(objs)[:, None]
    pred = (c + 0.3 * torch.randn_like(c)).requires_grad_()
    loss_fn = pyepo.func.SPOPlus(model, processes=1)
    start = time.perf_counter()
    loss_fn(pred, c, w.to(c.dtype), z.to(c.dtype)).backward()
    return time.perf_counter() - start


@pytest.mark.parametrize("grid", [5, 12])
def test_pyepo_shortest_path(benchmark, grid):
    rng = np.random.default_rng(grid)
    ours, peer = ShortestPathModel((grid, grid)), shortestPathModel((grid, grid))
    c_ours = rng.uniform(0.5, 5.0, (N, ours.num_cost))
    c_peer = rng.uniform(0.5, 5.0, (N, peer.num_cost))
    # correctness first: ours is optimal (brute-force check on the pattern is in tests/test_pyepo.py);
    # the peer's LP solution is a 0/1 path whose cost is its objective
    for c in c_peer[:4]:
        peer.setObj(c)
        sol, obj = peer.solve()
        assert np.allclose(np.round(sol), sol, atol=1e-6) and obj == pytest.approx(float(c @ sol))
    for c in c_ours[:4]:
        ours.setObj(c)
        sol, obj = ours.solve()
        assert obj == pytest.approx(float(c @ sol)) and sol[0] == 1 and sol[-1] == 1
    if benchmark.disabled:
        return
    t_ours, t_peer, s_ours, s_peer = [], [], [], []
    for _ in range(ROUNDS):  # interleaved
        t_ours.append(per_instance(ours, c_ours))
        t_peer.append(per_instance(peer, c_peer))
        s_ours.append(spo_step(ours, c_ours[:32]))
        s_peer.append(spo_step(peer, c_peer[:32]))
    benchmark.pedantic(per_instance, args=(ours, c_ours), rounds=3, iterations=1)
    med = statistics.median
    import ortools

    report(benchmark, dict(
        grid=grid, bigrad_us=med(t_ours) * 1e6, ortools_us=med(t_peer) * 1e6, x_median=med(t_peer) / med(t_ours),
        x_min=min(t_peer) / min(t_ours), spo_step_bigrad_ms=med(s_ours) * 1e3, spo_step_ortools_ms=med(s_peer) * 1e3,
        x_spo_step=med(s_peer) / med(s_ours), pyepo=pyepo.__version__, ortools=ortools.__version__,
        load1=os.getloadavg()[0]))


EPOCH_DATA, BATCH = 1000, 32


def true_solutions(model, costs):
    """``(sol [n, num_cost], obj [n])`` of ``model`` for each cost vector."""
    sols, objs = zip(*(model.setObj(c) or model.solve() for c in costs))
    return np.stack(sols).astype(np.float64), np.array(objs)


def spo_epoch(model, x, c, sol, obj, seed=0) -> list[float]:
    """One SPO+ training epoch of a linear cost model on ``model``; the batch losses."""
    torch.manual_seed(seed)
    net = torch.nn.Linear(x.shape[1], c.shape[1])
    opt = torch.optim.Adam(net.parameters(), lr=1e-2)
    spop = pyepo.func.SPOPlus(model, processes=1)
    order = torch.randperm(len(x), generator=torch.Generator().manual_seed(seed))
    losses = []
    for start in range(0, len(x), BATCH):
        idx = order[start:start + BATCH]
        loss = spop(net(x[idx]), c[idx], sol[idx], obj[idx])
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    return losses


def test_pyepo_form_shortest_path(benchmark):
    from pyepo.data.shortestpath import genData

    from bigrad.pyepo import shortestPathModel as BigradModel

    feats, costs = genData(EPOCH_DATA, 5, (5, 5), deg=4, noise_width=0.5, seed=135)
    ours, peer = BigradModel((5, 5)), shortestPathModel((5, 5))
    # correctness first: the same (sol, obj) on every instance (the costs are continuous: no ties)
    (s_ours, o_ours), (s_peer, o_peer) = true_solutions(ours, costs), true_solutions(peer, costs)
    assert np.array_equal(o_ours, o_peer) and np.array_equal(s_ours, s_peer)
    x, c = torch.tensor(feats, dtype=torch.float32), torch.tensor(costs)
    sol, obj = torch.tensor(s_ours, dtype=torch.float32), torch.tensor(o_ours, dtype=torch.float32)[:, None]
    np.testing.assert_allclose(spo_epoch(ours, x, c, sol, obj), spo_epoch(peer, x, c, sol, obj), rtol=1e-5)
    if benchmark.disabled:
        return
    load = machine_load()
    times = interleaved({
        "solve_bigrad": lambda: per_instance(ours, costs), "solve_ortools": lambda: per_instance(peer, costs),
        "epoch_bigrad": lambda: spo_epoch(ours, x, c, sol, obj), "epoch_ortools": lambda: spo_epoch(peer, x, c, sol, obj),
    }, rounds=ROUNDS)
    benchmark.pedantic(per_instance, args=(ours, costs), rounds=3, iterations=1)
    med = {k: v["median"] for k, v in times.items()}
    cpu = {k: v["cpu_median"] for k, v in times.items()}
    n = len(costs)  # a "solve" round is n setObj + solve calls
    import ortools

    report(benchmark, dict(
        grid=5, instances=n, bigrad_us=med["solve_bigrad"] / n * 1e6, ortools_us=med["solve_ortools"] / n * 1e6,
        x_median=med["solve_ortools"] / med["solve_bigrad"],
        x_min=times["solve_ortools"]["min"] / times["solve_bigrad"]["min"],
        x_cpu=cpu["solve_ortools"] / cpu["solve_bigrad"],
        spo_epoch_bigrad_s=med["epoch_bigrad"], spo_epoch_ortools_s=med["epoch_ortools"],
        x_spo_epoch=med["epoch_ortools"] / med["epoch_bigrad"],
        x_spo_epoch_cpu=cpu["epoch_ortools"] / cpu["epoch_bigrad"], pyepo=pyepo.__version__,
        ortools=ortools.__version__, **load))

"""Benchmark of bigrad.miblp.solve against brute force, MibS and PAO (issues 7, 11).

Run (timings are only collected with --benchmark-enable; -s shows the table)::

    PYTHONPATH=src .venv/bin/python -m pytest bench/bench_miblp.py --benchmark-enable -s -q \
        --benchmark-json=bench/results/bench_miblp.json

* ``test_bench_miblp``: general instances; the solver's answer is first
  checked against the brute-force reference (reference/miblp_bruteforce.py),
  then solver, brute force and PAO (if installed) are timed in the same run.
* ``test_bench_knapsack_interdiction``: knapsack interdiction generated as
  DeNegre did (weights, profits, costs uniform in 1..999; capacity and budget
  half the totals), 10 to 25 items, written as MibS MPS + AUX files; bigrad
  reads and solves those files; answers are checked by brute force up to
  ``BRUTE_MAX`` items and against MibS; bigrad and MibS run interleaved,
  ``ROUNDS`` times, wall time of the whole run (read included; MibS: the process).
* ``test_bench_mibs_files``: MibS's own K50 instances, same comparison.

MibS is taken from ``$MIBS`` or /work/mibs-install/bin/mibs (built by
shared/tools/build-mibs.sh) and skipped when absent; PAO likewise when not
importable.  Both are benchmark peers only.
"""
from __future__ import annotations

import os
import re
import shutil
import statistics
import subprocess
import time
from pathlib import Path

import numpy as np
import pytest

from bench.pao_peer import pao_available, solve_with_pao
from bigrad.miblp import Problem, read_mps_aux, solve
from reference.miblp_bruteforce import bruteforce_highs, random_instance

DATA = Path(__file__).resolve().parent.parent / "tests" / "data" / "miblp"
ROUNDS = 3


def knapsack_interdiction(n: int, seed: int, budget: int) -> Problem:
    """Random knapsack interdiction: the leader removes up to ``budget`` items
    (binary x), the follower packs the rest (binary y) maximising profit, the
    leader minimises that profit."""
    rng = np.random.default_rng(seed)
    profit = rng.integers(5, 20, n).astype(float)
    weight = rng.integers(3, 12, n).astype(float)
    cap = float(weight.sum() // 2)
    return Problem.from_blocks(
        leader_c_x=np.zeros(n), leader_c_y=profit, follower_c_y=profit,
        x_lb=np.zeros(n), x_ub=np.ones(n), y_lb=np.zeros(n), y_ub=np.ones(n),
        x_integer=np.ones(n, bool), y_integer=np.ones(n, bool),
        A_x=np.ones((1, n)), A_y=np.zeros((1, n)), b=[budget],
        Q_x=np.vstack([np.zeros((1, n)), np.eye(n)]), P_y=np.vstack([weight, np.eye(n)]),
        s=np.concatenate([[cap], np.ones(n)]), follower_sense="max", name=f"kip{n}_{seed}",
    )


def _large(seed):
    return random_instance(seed, leader_int=(4, 4), follower_int=(4, 4), max_follower_cont=2,
                           follower_rows=(5, 6), leader_rows=(1, 2))


def _medium(seed):
    return random_instance(seed, leader_int=(3, 3), follower_int=(3, 3), max_follower_cont=2,
                           follower_rows=(4, 5), leader_rows=(1, 2))


def _moore_bard():
    p = read_mps_aux(DATA / "moore_bard.mps", DATA / "moore_bard.aux")
    p.ub[:] = 10.0  # implied by x + 2y <= 10, x, y >= 0; the brute force needs explicit bounds
    return p


CASES = {
    "moore_bard": _moore_bard,
    "denegre": lambda: read_mps_aux(DATA / "denegre.mps", DATA / "denegre.aux"),
    "kip4_file": lambda: read_mps_aux(DATA / "knapsack_interdiction.mps", DATA / "knapsack_interdiction.aux"),
    "kip8": lambda: knapsack_interdiction(8, 0, 3),
    "kip10": lambda: knapsack_interdiction(10, 1, 3),
    **{f"random_small_{s}": (lambda s=s: random_instance(s)) for s in range(4)},
    **{f"random_medium_{s}": (lambda s=s: _medium(s)) for s in (1, 4, 10)},
    **{f"random_large_{s}": (lambda s=s: _large(s)) for s in (0, 1, 5)},
}


def _agree(res, ref) -> bool:
    if ref.status == "infeasible":
        return res.status == "infeasible"
    return res.status == "optimal" and abs(res.objective - ref.objective) <= 1e-6 * max(1.0, abs(ref.objective))


def _rounds(seconds: float) -> int:
    """Rounds for an instance whose first solve took ``seconds``: at least ``ROUNDS``, more for
    millisecond instances (up to 25) so that scheduler noise on the shared machine averages out."""
    return int(min(25, max(ROUNDS, 0.25 / max(seconds, 1e-4))))


@pytest.mark.parametrize("name", list(CASES))
def test_bench_miblp(benchmark, name):
    problem = CASES[name]()
    # correctness first
    ref = bruteforce_highs(problem)
    t0 = time.perf_counter()
    res = solve(problem)
    first = time.perf_counter() - t0
    assert _agree(res, ref), (res.status, res.objective, ref.status, ref.objective)
    assert res.status != "optimal" or res.bilevel_feasible

    own_times, ref_times = [], []
    for _ in range(_rounds(first)):  # interleaved: solver, then brute force, same load
        t0 = time.perf_counter()
        out = solve(problem)
        own_times.append(time.perf_counter() - t0)
        assert out.status == res.status
        t0 = time.perf_counter()
        bruteforce_highs(problem)
        ref_times.append(time.perf_counter() - t0)
    benchmark.pedantic(lambda: solve(problem), rounds=1, iterations=1, warmup_rounds=0)
    t_solver = statistics.median(own_times)
    t_ref = statistics.median(ref_times)
    benchmark.extra_info.update(solver_s=t_solver, solver_min_s=min(own_times), brute_force_s=t_ref,
                                brute_force_min_s=min(ref_times), ratio=t_ref / t_solver, rounds=len(own_times),
                                iterations=res.iterations, leader_choices=ref.leader_choices,
                                objective=res.objective, method=res.method, load=os.getloadavg()[0])
    pao_txt = "PAO: absent"
    if pao_available() and ref.status == "optimal":
        pao_times, pao_obj, term = [], None, ""
        for _ in range(ROUNDS):
            pao_obj, secs, term = solve_with_pao(problem)
            pao_times.append(secs)
        right = pao_obj is not None and abs(pao_obj - ref.objective) <= 1e-6 * max(1.0, abs(ref.objective))
        benchmark.extra_info.update(pao_s=statistics.median(pao_times), pao_objective=pao_obj, pao_right=right,
                                    pao_termination=term)
        pao_txt = f"PAO={1e3 * statistics.median(pao_times):9.1f} ms ({'right' if right else f'WRONG: {pao_obj}, {term}'})"
    print(f"\nMIBLP {name:18s} n={problem.n:3d} m={problem.m:3d} status={res.status:10s} method={res.method:12s} "
          f"obj={res.objective:10.4g} iters={res.iterations:3d} cols={len(res.columns):3d} "
          f"solver={1e3 * t_solver:9.1f} ms  brute({ref.leader_choices:4d} leader choices)="
          f"{1e3 * t_ref:9.1f} ms  brute/solver={t_ref / t_solver:6.2f}  {pao_txt}"
          + ("  SLOWER THAN BRUTE FORCE" if t_solver > t_ref and t_solver > 0.05 else ""))


# ----------------------------------------------------------- knapsack interdiction vs MibS
MIBS_DATA = DATA / "mibs"
BRUTE_MAX = 20
MIBS_TIME_LIMIT = 600


def _mibs_binary() -> str | None:
    if os.environ.get("MIBS") == "":  # MIBS= (empty): run without MibS
        return None
    cand = os.environ.get("MIBS") or "/work/mibs-install/bin/mibs"
    return cand if os.path.isfile(cand) and os.access(cand, os.X_OK) else shutil.which("mibs")


def denegre_instance(n: int, seed: int):
    """(weights, profits, costs, capacity, budget): uniform 1..999, capacity/budget half the totals."""
    rng = np.random.default_rng(1000 * n + seed)
    w, p, c = (rng.integers(1, 1000, n) for _ in range(3))
    return w, p, c, int(w.sum() // 2), int(c.sum() // 2)


def write_mibs_files(folder: Path, name: str, w, p, c, cap, budget) -> tuple[Path, Path]:
    """MibS interdiction format: MPS = the follower's knapsack (min -p), AUX numbered after MibS's
    added interdiction columns and budget row (LC n..2n-1, LR 1..n+1)."""
    n = len(w)
    cols = [f"C{j:07d}" for j in range(n)]
    mps = [f"NAME          {name}", "ROWS", " N  OBJROW", " L  R0000000", "COLUMNS"]
    mps += [f"    {cols[j]}  OBJROW  {-int(p[j])}  R0000000  {int(w[j])}" for j in range(n)]
    mps += ["RHS", f"    RHS  R0000000  {cap}", "BOUNDS"] + [f" BV BOUND  {cols[j]}" for j in range(n)] + ["ENDATA"]
    aux = [f"N {n}", f"M {n + 1}"] + [f"LC {n + j}" for j in range(n)] + [f"LR {i}" for i in range(1, n + 2)]
    aux += [f"LO {-int(p[j])}" for j in range(n)] + ["OS 1"] + [f"IC {int(c[j])}" for j in range(n)] + [f"IB {budget}"]
    (folder / f"{name}.mps").write_text("\n".join(mps) + "\n")
    (folder / f"{name}.aux").write_text("\n".join(aux) + "\n")
    return folder / f"{name}.mps", folder / f"{name}.aux"


def knapsack_interdiction_bruteforce(w, p, c, cap, budget) -> float:
    """min over maximal budget-feasible interdiction sets of the 0-1 knapsack optimum (DP on capacity).
    Interdicting more never helps the follower, so maximal sets suffice."""
    n = len(w)
    order = np.argsort(-np.asarray(c))
    best = np.inf

    def knap(free):
        table = np.zeros(cap + 1)
        for j in free:
            wj = int(w[j])
            if wj <= cap:
                table[wj:] = np.maximum(table[wj:], table[:cap + 1 - wj] + p[j])
        return table[-1]

    def rec(k, chosen, spent):
        nonlocal best
        if k == n:
            if all(spent + c[j] > budget for j in range(n) if j not in chosen):  # maximal
                best = min(best, knap([j for j in range(n) if j not in chosen]))
            return
        j = int(order[k])
        if spent + c[j] <= budget:
            chosen.add(j)
            rec(k + 1, chosen, spent + c[j])
            chosen.discard(j)
        rec(k + 1, chosen, spent)

    rec(0, set(), 0)
    return float(best)


def run_mibs(mibs: str, mps: Path, aux: Path, time_limit: float | None = None) -> tuple[float | None, float, str]:
    """(objective or None, wall seconds of the process, status) of one MibS run (one process, one thread).

    status as in shared/tools/run-mibs.sh: 'optimal', 'time_limit', 'infeasible' or 'rc=N'."""
    limit = MIBS_TIME_LIMIT if time_limit is None else time_limit
    t0 = time.perf_counter()
    try:
        proc = subprocess.run([mibs, "-Alps_instance", str(mps), "-MibS_auxiliaryInfoFile", str(aux),
                               "-Alps_timeLimit", str(limit)],
                              capture_output=True, text=True, timeout=limit + 60, check=False)
    except subprocess.TimeoutExpired:
        return None, time.perf_counter() - t0, "time_limit"
    secs = time.perf_counter() - t0
    costs = re.findall(r"^Cost = (\S+)", proc.stdout, flags=re.MULTILINE)
    if "Optimal solution" in proc.stdout:
        status = "optimal"
    elif re.search("time limit", proc.stdout, flags=re.IGNORECASE):
        status = "time_limit"
    elif re.search("infeasible", proc.stdout, flags=re.IGNORECASE):
        status = "infeasible"
    else:
        status = f"rc={proc.returncode}"
    return (float(costs[-1]) if costs else None), secs, status


def _bigrad_files(mps: Path, aux: Path):
    t0 = time.perf_counter()
    res = solve(read_mps_aux(mps, aux), time_limit=MIBS_TIME_LIMIT)
    return res, time.perf_counter() - t0


def _compare_with_mibs(benchmark, name: str, mps: Path, aux: Path, brute: float | None):
    mibs = _mibs_binary()
    res, _ = _bigrad_files(mps, aux)
    assert res.status == "optimal" and res.bilevel_feasible
    if brute is not None:
        assert res.objective == brute, (res.objective, brute)
    own, peer, peer_obj = [], [], None
    for _ in range(ROUNDS):  # interleaved
        own.append(_bigrad_files(mps, aux)[1])
        if mibs:
            peer_obj, secs, status = run_mibs(mibs, mps, aux)
            assert status == "optimal" and peer_obj == res.objective, (peer_obj, status, res.objective)
            peer.append(secs)
    benchmark.pedantic(lambda: _bigrad_files(mps, aux), rounds=1, iterations=1, warmup_rounds=0)
    row = {"instance": name, "objective": res.objective, "brute_force": brute, "iterations": res.iterations,
           "bigrad_median_s": statistics.median(own), "bigrad_min_s": min(own)}
    if peer:
        row.update(mibs_median_s=statistics.median(peer), mibs_min_s=min(peer),
                   bigrad_over_mibs=statistics.median(own) / statistics.median(peer))
    benchmark.extra_info.update(row, load=os.getloadavg()[0])
    print(f"\nKIP {name:16s} obj={res.objective:8.0f} iters={res.iterations:4d} "
          f"bigrad med={statistics.median(own):7.3f}s min={min(own):7.3f}s"
          + (f"  MibS med={statistics.median(peer):7.3f}s min={min(peer):7.3f}s "
             f"bigrad/MibS={statistics.median(own) / statistics.median(peer):5.2f}" if peer else "  MibS: absent")
          + f"  load={os.getloadavg()[0]:.1f}")


KIP_CASES = [(n, s) for n in (10, 15, 20, 25) for s in range(3)]


@pytest.mark.parametrize("n, seed", KIP_CASES, ids=[f"kip{n}_{s}" for n, s in KIP_CASES])
def test_bench_knapsack_interdiction(benchmark, tmp_path, n, seed):
    data = denegre_instance(n, seed)
    brute = knapsack_interdiction_bruteforce(*data) if n <= BRUTE_MAX and (n < 20 or seed == 0) else None
    mps, aux = write_mibs_files(tmp_path, f"kip{n}_{seed}", *data)
    _compare_with_mibs(benchmark, f"kip{n}_{seed}", mps, aux, brute)


MIBS_FILES = ["K5010W01.KNP", "K5010W05.KNP", "K5010W11.KNP", "K5020W01.KNP", "K5020W03.KNP", "K5020W05.KNP"]


@pytest.mark.parametrize("name", MIBS_FILES)
def test_bench_mibs_files(benchmark, tmp_path, name):
    mps, aux = tmp_path / f"{name}.mps", tmp_path / f"{name}.aux"
    shutil.copy(MIBS_DATA / f"{name}.mps", mps)
    shutil.copy(MIBS_DATA / f"{name}.txt", aux)
    _compare_with_mibs(benchmark, name, mps, aux, None)

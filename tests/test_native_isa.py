"""Every compiled instruction set gives bit-identical shortest paths (equal to scipy's costs) and tours."""
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

import bigrad
from bigrad import _native
from bigrad.solvers import shortest_path, tsp
from reference.grid_paths import scipy_cost
from reference.tsp_reference import brute_force_tsp

core = _native.core()
ISAS = core.build_info()["isa_available"]


@pytest.fixture
def restore_isa():
    yield
    core.set_isa("auto")


def test_build_info_reports_the_chosen_isa():
    info = bigrad.build_info()
    assert info["isa"] in info["isa_available"]
    assert info["isa"] == info["isa_available"][-1]  # the best one unless BIGRAD_ISA says otherwise
    assert info["march_native"] in (True, False)


def test_unknown_isa_is_rejected(restore_isa):
    with pytest.raises(ValueError, match="not available"):
        core.set_isa("mmx")
    core.set_isa("scalar")  # alias of the portable baseline
    assert bigrad.build_info()["isa"] == ISAS[0]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("nbh", [8, 4])
def test_all_isas_identical_and_match_scipy(restore_isa, dtype, nbh):
    rng = np.random.default_rng(1)
    cases = [
        rng.choice([0.8, 1.2, 5.3, 7.7, 9.2], size=(37, 13, 11)),  # Warcraft-like, ties
        rng.integers(0, 3, size=(21, 9, 12)).astype(float),  # zero weights: plateaus, the fallback
        rng.random((5, 40, 3)),
    ]
    for w in cases:
        w = w.astype(dtype)
        results = []
        for isa in ISAS:
            core.set_isa(isa)
            results.append(shortest_path(w, nbh, return_cost=True, return_edges=True))
        for other in results[1:]:
            for a, b in zip(results[0], other):
                np.testing.assert_array_equal(a, b)
        mask, cost, _ = results[0]
        for b in range(0, len(w), 5):
            assert cost[b] == pytest.approx(scipy_cost(w[b].astype(np.float64), nbh), rel=1e-5)
            assert (mask[b] * w[b]).sum(dtype=np.float64) == pytest.approx(cost[b], rel=1e-5)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_all_isas_give_the_same_tours(restore_isa, dtype):
    rng = np.random.default_rng(3)
    x = rng.random((6, 18, 2))
    euclid = np.sqrt(((x[:, :, None] - x[:, None]) ** 2).sum(-1))
    cases = [rng.random((9, 8, 8)), rng.random((5, 13, 13)), euclid]  # Held-Karp; branch and bound
    results = []
    for isa in ISAS:
        core.set_isa(isa)
        results.append([tsp(d.astype(dtype), return_cost=True) for d in cases])
    for other in results[1:]:
        for (mask_a, cost_a), (mask_b, cost_b) in zip(results[0], other):
            np.testing.assert_array_equal(mask_a, mask_b)
            np.testing.assert_array_equal(cost_a, cost_b)
    d = cases[0].astype(dtype)
    for b in range(0, 9, 4):
        assert results[0][0][1][b] == pytest.approx(brute_force_tsp(d[b].astype(np.float64)), rel=1e-5)


def test_lanes_and_single_instance_paths_agree():
    # a batch in SIMD lanes and the same instances one at a time (the large-grid path)
    rng = np.random.default_rng(4)
    w = rng.integers(1, 4, size=(40, 17, 19)).astype(np.float32)
    batch = shortest_path(w)
    for b in (0, 13, 39):
        np.testing.assert_array_equal(shortest_path(w[b]), batch[b])


@pytest.mark.parametrize("nbh", [8, 4])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_dijkstra_for_large_single_grids_agrees_with_lanes(nbh, dtype):
    # alone, a grid of >= 64x64 cells is solved by Dijkstra; in a batch, by sweeps in lanes
    rng = np.random.default_rng(6)
    w = rng.choice([0.8, 1.2, 5.3, 7.7, 9.2], size=(16, 70, 66)).astype(dtype)
    w[3] = rng.integers(0, 3, size=(70, 66))  # zero weights: the plateau fallback
    batch, costs = shortest_path(w, nbh, return_cost=True)
    for b in (0, 3, 15):
        mask, cost = shortest_path(w[b], nbh, return_cost=True)
        if b != 3:  # on a plateau each records its own steps: maybe another optimal path
            np.testing.assert_array_equal(mask, batch[b])
        assert cost == costs[b]
        assert float(w[b][mask == 1].sum(dtype=np.float64)) == pytest.approx(float(cost), rel=1e-6)
    assert costs[0] == pytest.approx(scipy_cost(w[0].astype(np.float64), nbh), rel=1e-5)


CROSS = {"cxx": shutil.which("aarch64-linux-gnu-g++"), "qemu": shutil.which("qemu-aarch64")}


@pytest.mark.skipif(None in CROSS.values(),
                    reason="needs an aarch64 cross compiler and qemu-user (Debian: g++-aarch64-linux-gnu qemu-user)")
def test_neon_kernels_match_the_generic_ones_on_aarch64(tmp_path):
    # cross-build the two aarch64 tables as CMakeLists.txt does (generic: no Advanced SIMD; NEON) and the
    # import-time choice, run under qemu: NEON chosen, bit-identical labels and tours, and the TSP kernels
    # (NEON LaneVec) against brute force and each other
    root = Path(__file__).resolve().parents[1]
    inc = [f"-I{root / 'csrc' / 'include'}", f"-I{root / 'csrc'}"]
    cxx = [CROSS["cxx"], "-std=c++17", "-O2", "-Wall", "-Wextra", "-Werror", *inc]
    jobs = []
    for stem in ("shortest_path", "tsp"):  # the tables as CMakeLists.txt builds them
        src = str(root / "csrc" / "isa" / f"{stem}.cpp")
        for suffix, flags in (("Baseline", ["-march=armv8-a+nosimd", "-Wno-psabi"]), ("Neon", [])):
            tables = [f"-DBIGRAD_ISA_TABLE=kShortestPath{suffix}", f"-DBIGRAD_TSP_TABLE=kTsp{suffix}"]
            jobs.append(cxx + flags + tables + ["-c", src, "-o", str(tmp_path / f"{stem}_{suffix}.o")])
    jobs += [
        cxx + ["-DBIGRAD_HAVE_NEON=1", "-c", str(root / "csrc" / "isa.cpp"), "-o", str(tmp_path / "choice.o")],
        cxx + ["-DBIGRAD_HAVE_NEON=1", "-c", str(root / "tests" / "native" / "isa_equality.cpp"), "-o",
               str(tmp_path / "main.o")],
    ]
    exe = tmp_path / "isa_equality"
    objects = [cmd[-1] for cmd in jobs]
    for cmd in jobs + [[CROSS["cxx"], "-static", *objects, "-o", str(exe)]]:
        built = subprocess.run(cmd, capture_output=True, text=True)
        assert built.returncode == 0, " ".join(cmd) + "\n" + built.stderr
    run = subprocess.run([CROSS["qemu"], str(exe)], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout + run.stderr
    assert run.stdout.split()[0] == "ok" and run.stdout.split()[2:] == ["generic", "neon"], run.stdout

"""Arrays of other libraries (DLPack, CUDA array interface), the CLI entry points, optional torch."""
from __future__ import annotations

import subprocess
import sys
import types
import warnings

import numpy as np
import pytest

import bigrad
from bigrad import solvers as S


class HostArray:
    """An array type that only speaks DLPack (like a CPU JAX array), from a fake library ``fakearr``."""

    def __init__(self, a):
        self._a = np.asarray(a)

    def __dlpack__(self, **kwargs):
        return self._a.__dlpack__(**kwargs)

    def __dlpack_device__(self):
        return self._a.__dlpack_device__()


HostArray.__module__ = "fakearr"


@pytest.fixture
def fakearr(monkeypatch):
    mod = types.ModuleType("fakearr")
    mod.HostArray = HostArray
    mod.from_dlpack = lambda x: HostArray(np.from_dlpack(x))
    monkeypatch.setitem(sys.modules, "fakearr", mod)
    return mod


def test_dlpack_array_in_gives_same_kind_out(fakearr):
    rng = np.random.default_rng(0)
    w = rng.uniform(0.1, 2, (3, 6, 7))
    mask = S.shortest_path(HostArray(w))
    assert isinstance(mask, HostArray)
    np.testing.assert_array_equal(mask._a, S.shortest_path(w))
    mask1, cost1 = S.shortest_path(HostArray(w[0]), return_cost=True)
    assert isinstance(mask1, HostArray) and mask1._a.shape == (6, 7)
    assert float(cost1._a) == pytest.approx(float(S.shortest_path(w[0], return_cost=True)[1]))


def test_dlpack_interdiction_and_topk(fakearr):
    rng = np.random.default_rng(1)
    z, w = rng.uniform(0.1, 2, (2, 5, 5)), np.ones((2, 5, 5))
    y, x = S.shortest_path_interdiction(HostArray(z), HostArray(w), 2)
    y_ref, x_ref = S.shortest_path_interdiction(z, w, 2)
    assert isinstance(y, HostArray) and isinstance(x, HostArray)
    np.testing.assert_array_equal(y._a, y_ref)
    np.testing.assert_array_equal(x._a, x_ref)
    s = rng.normal(size=(4, 9))
    np.testing.assert_array_equal(S.topk_mask(HostArray(s), 3)._a, S.topk_mask(s, 3))


def test_unknown_dlpack_library_gives_numpy():
    class Bare:  # no importable library behind it: results come back as numpy
        def __init__(self, a):
            self._a = a

        def __dlpack__(self, **kw):
            return self._a.__dlpack__(**kw)

        def __dlpack_device__(self):
            return self._a.__dlpack_device__()

    Bare.__module__ = "no_such_library_xyz"
    w = np.ones((4, 4))
    out = S.shortest_path(Bare(w))
    assert isinstance(out, np.ndarray)
    np.testing.assert_array_equal(out, S.shortest_path(w))


def test_dlpack_bad_dtype_names_argument(fakearr):
    with pytest.raises(TypeError, match="weights must have dtype float32 or float64, got int64"):
        S.shortest_path(HostArray(np.ones((3, 3), dtype=np.int64)))


def test_cuda_array_interface_without_device_is_a_clear_error():
    torch = pytest.importorskip("torch")
    if torch.cuda.is_available():
        pytest.skip("a CUDA device is present")

    class DeviceArray:  # like a numba device array: only the CUDA array interface
        __cuda_array_interface__ = {"shape": (3, 3), "typestr": "<f4", "data": (0, False), "version": 3}

    with pytest.raises(ValueError, match="weights is a CUDA array .* no CUDA device"):
        S.shortest_path(DeviceArray())


def test_cupy_round_trip_on_gpu():
    cupy = pytest.importorskip("cupy")
    torch = pytest.importorskip("torch")
    if not torch.cuda.is_available():
        pytest.skip("needs a CUDA device")
    w = cupy.random.rand(8, 6, 6).astype(cupy.float32)
    mask = S.shortest_path(w)
    assert isinstance(mask, cupy.ndarray) and mask.device == w.device
    np.testing.assert_array_equal(cupy.asnumpy(mask), S.shortest_path(cupy.asnumpy(w)))


def test_tensor_requiring_grad_warns_and_points_to_layers():
    torch = pytest.importorskip("torch")
    w = torch.rand(5, 5, requires_grad=True)
    with pytest.warns(UserWarning, match="bigrad.torch"):
        S.shortest_path(w)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        S.shortest_path(w.detach())  # no warning without grad
        with torch.no_grad():
            S.shortest_path(w)


def run_module(*args, env_code: str = ""):
    code = env_code + "import sys; from bigrad.cli import main; sys.exit(main(sys.argv[1:]))"
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=120)


def test_python_dash_m_and_version():
    out = subprocess.run([sys.executable, "-m", "bigrad", "--version"], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0 and out.stdout.strip() == f"bigrad {bigrad.__version__}"
    helped = subprocess.run([sys.executable, "-m", "bigrad", "--help"], capture_output=True, text=True, timeout=120)
    assert helped.returncode == 0 and "miblp" in helped.stdout


def test_without_torch_clear_install_hint():
    block = "import sys; sys.modules['torch'] = None; "
    code = block + (
        "import numpy as np, bigrad.solvers as S; assert S.shortest_path(np.ones((3, 3))).sum() == 3\n"
        "try:\n    import bigrad.krylov\nexcept ModuleNotFoundError as e:\n    print(e)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert "bigrad.krylov needs PyTorch" in out.stdout and "pip install 'bigrad[torch]'" in out.stdout
    demo = run_module("demo", env_code=block)
    assert demo.returncode == 2 and "pip install 'bigrad[torch]'" in demo.stderr and "Traceback" not in demo.stderr


def test_build_info_is_truthful():
    info = bigrad.build_info()
    assert info["cuda"] == (info["cuda_built"] and info["cuda_devices"] > 0)
    assert isinstance(info["version"], str) and info["version"] == bigrad.__version__

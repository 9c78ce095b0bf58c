"""The CUDA module: built optionally; GPU tests run only where a GPU is present."""
import numpy as np
import pytest

import bigrad
from bigrad import _native
from bigrad.solvers import shortest_path

torch = pytest.importorskip("torch")
needs_gpu = pytest.mark.skipif(not torch.cuda.is_available() or _native.cuda() is None,
                               reason="needs a CUDA device and the bigrad._cuda module")


def test_build_info_reports_cuda_module():
    info = bigrad.build_info()
    mod = _native.cuda()
    assert info["cuda_built"] == (mod is not None)
    # "cuda" means the kernels can run here: built, and a device present (torch agrees on the count)
    assert info["cuda"] == (mod is not None and info["cuda_devices"] > 0)
    if torch.cuda.is_available() and mod is not None:
        assert info["cuda_devices"] == torch.cuda.device_count()
    if mod is None:
        assert info["cuda_devices"] == 0 and info["cuda_runtime_version"] is None
    else:
        major, minor = info["cuda_runtime_version"].split(".")
        assert int(major) >= 11 and int(minor) >= 0


@needs_gpu
@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
@pytest.mark.parametrize("nbh", [8, 4])
def test_gpu_matches_cpu_exactly(dtype, nbh):
    g = torch.Generator().manual_seed(0)
    w = torch.randint(0, 4, (513, 13, 11), generator=g).to(dtype)  # ties: tie-breaking must agree too
    mask_c, cost_c, edges_c = shortest_path(w, nbh, return_cost=True, return_edges=True)
    mask_g, cost_g, edges_g = shortest_path(w.cuda(), nbh, return_cost=True, return_edges=True)
    assert mask_g.is_cuda and mask_g.dtype == dtype
    np.testing.assert_array_equal(mask_g.cpu().numpy(), mask_c.numpy())
    np.testing.assert_array_equal(edges_g.cpu().numpy(), edges_c.numpy())
    np.testing.assert_array_equal(cost_g.cpu().numpy(), cost_c.numpy())


@needs_gpu
def test_gpu_rejects_bad_values():
    with pytest.raises(ValueError, match="non-negative"):
        shortest_path(-torch.ones(3, 3, device="cuda"))

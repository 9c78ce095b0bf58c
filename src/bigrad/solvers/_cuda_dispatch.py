"""Launch the kernels of ``bigrad._cuda`` on torch CUDA tensors.

The CUDA module takes raw device pointers and the current stream, so it never
links against torch; outputs and workspaces are allocated here with torch so
they come from torch's caching allocator. Every launch is asynchronous: no
host synchronisation happens here (callers that check results, e.g. for an
overflow, synchronise once per call).
"""
from __future__ import annotations

from typing import Any

from bigrad import _native
from bigrad._arrays import is_torch_tensor
from bigrad._limits import check_workspace, get_memory_limit

# DLPack device types of host memory (CPU, CUDA host-pinned, CPU-shared), as in bigrad._arrays.
_DLPACK_HOST = (1, 3, 8)


def available() -> bool:
    """True when the CUDA module is built and loadable."""
    return _native.cuda() is not None


def is_cuda_array(x: Any) -> bool:
    """True for a torch CUDA tensor or another library's array in CUDA device memory."""
    if is_torch_tensor(x):
        return bool(getattr(x, "is_cuda", False))
    if hasattr(x, "__dlpack_device__"):
        try:
            return int(x.__dlpack_device__()[0]) not in _DLPACK_HOST
        except (TypeError, ValueError, IndexError):
            return False
    return hasattr(x, "__cuda_array_interface__")


def require_module(x: Any, name: str, op: str) -> None:
    """Refuse a CUDA input to ``op`` when ``bigrad._cuda`` is not built (ValueError naming ``name`` and the fix)."""
    if is_cuda_array(x) and not available():
        raise ValueError(
            f"{name} is on a CUDA device, but this bigrad was built without its CUDA module "
            f"(bigrad.build_info()['cuda_built'] is False), so {op} cannot run there: rebuild bigrad where the "
            "CUDA toolkit (nvcc) is installed, e.g. `BIGRAD_CUDA=ON pip install --no-build-isolation .`, "
            f"or move {name} to the CPU first"
        )


def _stream(t) -> int:
    import torch

    return int(torch.cuda.current_stream(t.device).cuda_stream)


def _workspace(nbytes: int, like):
    import torch

    return torch.empty(max(int(nbytes), 1), dtype=torch.uint8, device=like.device)


def shortest_path(w, neighbourhood: int, want_edges: bool):
    """w: contiguous CUDA tensor [B, H, W] -> (mask [B,H,W], cost [B], edges [B,H,W,K] or None)."""
    import torch

    mod = _native.cuda()
    B, H, W = w.shape
    mask = torch.empty_like(w)
    cost = torch.empty(B, dtype=w.dtype, device=w.device)
    edges = torch.empty((B, H, W, neighbourhood), dtype=w.dtype, device=w.device) if want_edges else None
    ws = _workspace(mod.shortest_path_workspace_bytes(B, H, W, w.element_size()), w)
    with torch.cuda.device(w.device):
        mod.shortest_path(
            w.data_ptr(), B, H, W, neighbourhood, w.element_size(),
            mask.data_ptr(), cost.data_ptr(), edges.data_ptr() if edges is not None else 0,
            ws.data_ptr(), _stream(w),
        )
    return mask, cost, edges


def shortest_path_interdiction(z, w, budget: int, neighbourhood: int, name: str = "z"):
    """z, w: contiguous CUDA tensors [B, H, W] -> (y [B,H,W], x [B,H,W], value [B]; +inf where a path overflows).

    The whole min-max-min loop runs in one launch (one thread per instance).
    Raises ``MemoryError`` naming ``name`` when outputs and workspace exceed
    ``bigrad.set_memory_limit``.
    """
    import torch

    mod = _native.cuda()
    B, H, W = z.shape
    item = z.element_size()
    work = mod.shortest_path_interdiction_workspace_bytes(B, H, W, item)
    check_workspace(work + (2 * B * H * W + B) * item, name, "interdiction workspace")
    y, x = torch.empty_like(z), torch.empty_like(z)
    value = torch.empty(B, dtype=z.dtype, device=z.device)
    ws = _workspace(work, z)
    with torch.cuda.device(z.device):
        mod.shortest_path_interdiction(
            z.data_ptr(), w.data_ptr(), B, H, W, neighbourhood, budget, item,
            y.data_ptr(), x.data_ptr(), value.data_ptr(), ws.data_ptr(), _stream(z),
        )
    return y, x, value


def tsp_max_n() -> int:
    """Largest number of cities the CUDA Held–Karp driver takes (0 without the module)."""
    mod = _native.cuda()
    return int(mod.tsp_max_n) if mod is not None else 0


def tsp(dist, name: str = "dist"):
    """dist: contiguous CUDA tensor [B, n, n], n <= tsp_max_n() -> (mask [B,n,n], cost [B]).

    Held–Karp, one block per instance; the table lives in shared memory when
    it fits, else in per-block slices of a global workspace (as many slices as
    keep two blocks per multiprocessor busy, fewer under the memory limit).
    """
    import torch

    mod = _native.cuda()
    B, n = dist.shape[0], dist.shape[-1]
    item = dist.element_size()
    check_workspace((B * n * n + B) * item, name, "TSP outputs")
    with torch.cuda.device(dist.device):
        slices = mod.tsp_global_slices(B, n, item) if B else 0  # 0: the tables fit in shared memory
        per_slice = mod.tsp_slice_bytes(n, item)
        if slices:
            slices = max(1, min(slices, get_memory_limit() // per_slice))
            check_workspace(slices * per_slice, name, "TSP solver workspace")
        mask = torch.empty_like(dist)
        cost = torch.empty(B, dtype=dist.dtype, device=dist.device)
        ws = _workspace(slices * per_slice, dist) if slices else None
        mod.tsp(dist.data_ptr(), B, n, item, mask.data_ptr(), cost.data_ptr(),
                ws.data_ptr() if ws is not None else 0, slices, _stream(dist))
    return mask, cost


def topk_max_m() -> int:
    """Longest row the CUDA top-k driver takes (0 without the module)."""
    mod = _native.cuda()
    return int(mod.topk_max_m) if mod is not None else 0


def topk_attacked(scores, k: int, q: int):
    """scores: contiguous CUDA tensor [B, m], m <= topk_max_m() -> (y, x): ranks q..k-1 and 0..q-1."""
    import torch

    mod = _native.cuda()
    B, m = scores.shape
    y, x = torch.empty_like(scores), torch.empty_like(scores)
    with torch.cuda.device(scores.device):
        mod.topk_attacked(scores.data_ptr(), B, m, k, q, scores.element_size(), y.data_ptr(), x.data_ptr(),
                          _stream(scores))
    return y, x


def _graph_structure(graph, device):
    """The graph's native arrays as tensors on ``device``, cached on the graph (its structure never changes)."""
    import torch

    cache = graph.__dict__.setdefault("_device_structure", {})
    key = str(device)
    if key not in cache:
        cache[key] = tuple(None if a is None else torch.from_numpy(a.copy()).to(device) for a in graph.native)
    return cache[key]


def graph_shortest_path(graph, w, source, target, init):
    """w: contiguous CUDA tensor [B, E] (CSR edge order); source, target: [B] int32 numpy; init: [B] tensor or None.

    Returns (mask [B, E], cost [B]) on w's device; cost +inf where unreachable or overflowing.
    """
    import torch

    mod = _native.cuda()
    B, E = w.shape
    ptr, dst, src, order, in_ptr, in_src, in_eid = _graph_structure(graph, w.device)
    s = torch.from_numpy(source).to(w.device)
    t = torch.from_numpy(target).to(w.device)
    mask = torch.empty_like(w)
    cost = torch.empty(B, dtype=w.dtype, device=w.device)
    ws = _workspace(mod.graph_shortest_path_workspace_bytes(B, graph.num_nodes, w.element_size()), w)
    with torch.cuda.device(w.device):
        mod.graph_shortest_path(
            ptr.data_ptr(), dst.data_ptr(), src.data_ptr(), order.data_ptr() if order is not None else 0,
            in_ptr.data_ptr(), in_src.data_ptr(), in_eid.data_ptr(), graph.num_nodes, E,
            w.data_ptr(), B, s.data_ptr(), t.data_ptr(), init.data_ptr() if init is not None else 0,
            w.element_size(), mask.data_ptr(), cost.data_ptr(),
            ws.data_ptr(), _stream(w),
        )
    return mask, cost

"""Launch the kernels of ``bigrad._cuda`` on torch CUDA tensors.

The CUDA module takes raw device pointers and the current stream, so it never
links against torch; outputs and workspaces are allocated here with torch so
they come from torch's caching allocator.
"""
from __future__ import annotations

from bigrad import _native


def available() -> bool:
    """True when the CUDA module is built and loadable."""
    return _native.cuda() is not None


def _stream(t) -> int:
    import torch

    return int(torch.cuda.current_stream(t.device).cuda_stream)


def shortest_path(w, neighbourhood: int, want_edges: bool):
    """w: contiguous CUDA tensor [B, H, W] -> (mask [B,H,W], cost [B], edges [B,H,W,K] or None)."""
    import torch

    mod = _native.cuda()
    B, H, W = w.shape
    mask = torch.empty_like(w)
    cost = torch.empty(B, dtype=w.dtype, device=w.device)
    edges = torch.empty((B, H, W, neighbourhood), dtype=w.dtype, device=w.device) if want_edges else None
    nbytes = mod.shortest_path_workspace_bytes(B, H, W, w.element_size())
    ws = torch.empty(nbytes, dtype=torch.uint8, device=w.device)
    with torch.cuda.device(w.device):
        mod.shortest_path(
            w.data_ptr(), B, H, W, neighbourhood, w.element_size(),
            mask.data_ptr(), cost.data_ptr(), edges.data_ptr() if edges is not None else 0,
            ws.data_ptr(), _stream(w),
        )
    return mask, cost, edges

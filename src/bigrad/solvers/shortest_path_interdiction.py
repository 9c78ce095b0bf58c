"""Shortest path with interdiction on vertex-weighted grids (paper Sec. 5.3)."""
from __future__ import annotations

from bigrad._arrays import as_batch, check_int, check_pair, check_values
from bigrad._typing import ArrayT
from bigrad.solvers import _cuda_dispatch
from bigrad.solvers.min_max_min import min_max_min
from bigrad.solvers.shortest_path import solve

__all__ = ["shortest_path_interdiction"]


def shortest_path_interdiction(
    z: ArrayT, w: ArrayT, budget: int, neighbourhood: int = 8, return_cost: bool = False
) -> tuple[ArrayT, ...]:
    """Solve ``min_y max_x <z + x * w, y>`` over grid paths y and interdictions x.

    ``y`` is a top-left to bottom-right path (vertex indicator, as in
    :func:`bigrad.solvers.shortest_path`), ``x`` a binary mask of at most
    ``budget`` cells whose cost rises from ``z`` to ``z + w``. The path player
    moves first; the interdictor answers with the ``budget`` cells of the path
    with the largest ``w``. Solved exactly by :func:`bigrad.solvers.min_max_min`
    with the native batched shortest path as oracle; CUDA tensors stay on the
    GPU (torch operations and the CUDA oracle) when ``bigrad._cuda`` is built.

    Args:
        z: ``[H, W]`` or ``[B, H, W]`` non-negative path costs (float32/float64, numpy or torch).
        w: same shape and dtype as ``z``, non-negative interdiction costs
            (the paper uses ``w = 1``).
        budget: int >= 0, the number of cells the interdictor may block.
        neighbourhood: 8 or 4.
        return_cost: also return the game value ``<z + x * w, y>`` (``[]`` or ``[B]``).

    Returns:
        ``(path_mask, interdiction_mask)`` (and the value when requested), each
        shaped like ``z``. The interdiction mask only marks cells on the path
        with ``w > 0``; ties go to the lower row-major index.
    """
    neighbourhood = check_int(neighbourhood, "neighbourhood", choices=(4, 8))
    budget = check_int(budget, "budget", minimum=0)
    cuda = _cuda_dispatch.available()
    zb = as_batch(z, "z", 2, "[H, W]", allow_cuda=cuda)
    wb = as_batch(w, "w", 2, "[H, W]", allow_cuda=cuda)
    check_pair(zb, wb, "z", "w")
    check_values(zb, "z")
    check_values(wb, "w")
    # on CUDA the whole loop stays on the GPU: torch ops and the CUDA oracle;
    # a path cost that overflows the dtype raises ValueError naming z and w
    if zb.on_cuda:

        def oracle(cost):
            return solve(cost.contiguous(), neighbourhood, False, True, "z + w")[0]

    else:

        def oracle(cost):
            return solve(cost, neighbourhood, False, False, "z + w")[0]

    y, x, value = min_max_min(oracle, zb.array, wb.array, budget)
    outs = (zb.out(y), zb.out(x))
    return outs + (zb.out(value),) if return_cost else outs

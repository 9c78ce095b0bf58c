"""Travelling salesman with edge interdiction (paper Sec. 5.4, Eq. 15)."""
from __future__ import annotations

import numpy as np

from bigrad._arrays import as_batch, check_int, check_pair, check_values
from bigrad._typing import ArrayT
from bigrad.solvers.min_max_min import min_max_min
from bigrad.solvers.tsp import MAX_TSP_N, check_dist, check_tsp_workspace, solve_native, symmetric_instances

__all__ = ["tsp_interdiction"]


def tsp_interdiction(
    z: ArrayT, w: ArrayT, budget: int, return_cost: bool = False, *, max_n: int = MAX_TSP_N
) -> tuple[ArrayT, ...]:
    """Solve ``min_y max_x <z + x * w, y>`` over directed tours y and edge interdictions x.

    ``y`` is a directed tour edge mask (as returned by
    :func:`bigrad.solvers.tsp`), ``x`` a 0/1 mask of at most ``budget``
    directed edges, each raising its cost from ``z[i, j]`` to
    ``z[i, j] + w[i, j]``. The salesman moves first; the interdictor answers
    with the ``budget`` tour edges of largest ``w``. Solved exactly by
    :func:`bigrad.solvers.min_max_min` with the native exact TSP solver as
    the nominal oracle (one batched call over all the candidate thresholds
    of all instances). Symmetric ``z`` and ``w`` keep every oracle call
    symmetric, so the branch and bound of :func:`bigrad.solvers.tsp` serves
    instances of 12 to 30 cities; asymmetric ones use Held–Karp (at most
    :data:`bigrad.solvers.tsp.HELD_KARP_N_LIMIT` cities).

    Args:
        z: ``[n, n]`` or ``[B, n, n]`` finite float32/float64 travel costs
            (numpy or torch; asymmetric and negative allowed; diagonal ignored).
        w: same shape and dtype, finite, ``w >= 0``: the interdiction
            penalties. Its diagonal is ignored (treated as 0: no tour uses it).
        budget: int >= 0, the number of edges the interdictor may block.
        return_cost: also return the game value ``<z + x * w, y>``, shape
            ``[]`` or ``[B]``.
        max_n: largest number of cities allowed, as in :func:`bigrad.solvers.tsp`.

    Returns:
        ``(tour_mask, interdiction_mask)`` (and the value when requested), each
        shaped and typed like ``z``. The interdiction mask marks only tour
        edges with ``w > 0`` (ties: lower row-major index), so it has
        ``min(budget, #{tour edges with w > 0})`` ones. Among optimal tours
        the one of the smallest optimal threshold is returned; its
        orientation follows :func:`bigrad.solvers.tsp`.

    Complexity: one exact tour per candidate threshold; at most
    ``n (n - 1) + 2`` per instance, usually far fewer after pruning.
    """
    budget = check_int(budget, "budget", minimum=0)
    zb = check_dist(z, "z", max_n)
    wb = as_batch(w, "w", 2, "[n, n]")
    check_pair(zb, wb, "z", "w")
    check_values(wb, "w")
    n = zb.array.shape[-1]
    if float((np.abs(zb.array) + wb.array).max()) * n >= float(np.finfo(zb.dtype).max):
        raise ValueError(f"z + w is too large in magnitude: tour costs would overflow {zb.dtype}")
    z_arr = zb.array
    w_arr = wb.array.copy()
    w_arr[:, np.arange(n), np.arange(n)] = 0
    # every oracle cost z + max(w - theta, 0) is symmetric exactly when z and w are
    symmetric = symmetric_instances(z_arr) & symmetric_instances(w_arr)
    check_tsp_workspace(z_arr, symmetric, "z")
    y, x, value = min_max_min(lambda cost: solve_native(cost, bool(symmetric.all()))[0], z_arr, w_arr, budget)
    outs = (zb.out(y), zb.out(x))
    return outs + (zb.out(value),) if return_cost else outs

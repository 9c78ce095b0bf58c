"""Exact batched travelling salesman tours (Held–Karp dynamic programming)."""
from __future__ import annotations

import numpy as np

from bigrad import _native
from bigrad._arrays import Batch, as_batch, check_int, check_values

__all__ = ["tsp", "MAX_TSP_N", "TSP_N_LIMIT"]

#: Default largest number of cities: the DP table has ``(n - 1) * 2^(n - 1)``
#: entries per thread (n = 16: 3.9 MiB in float64) and the time grows as ``n^2 2^n``.
MAX_TSP_N = 16
#: Largest ``max_n`` accepted (n = 24: 1.5 GiB per thread in float64).
TSP_N_LIMIT = 24


def tsp(dist, return_cost: bool = False, *, max_n: int = MAX_TSP_N):
    """Exact shortest tour through all cities, for every instance of a batch.

    Held–Karp dynamic programming over subsets of cities in native code
    (OpenMP over the batch): time ``O(n^2 2^n)`` and memory ``O(n 2^n)`` per
    instance, so it is meant for small ``n`` (up to ``max_n``); use a MILP
    formulation for larger instances.

    Args:
        dist: ``[n, n]`` or ``[B, n, n]`` finite float32/float64 costs,
            ``dist[i, j]`` the cost of travelling ``i -> j``; numpy array or
            torch tensor (results come back as tensors on its device). May be
            asymmetric or negative; the diagonal is ignored. ``n >= 2``.
        return_cost: also return the tour cost (shape ``[]`` or ``[B]``), the
            sum of ``dist`` over the tour's edges accumulated in tour order
            from city 0, in the dtype of ``dist``.
        max_n: largest ``n`` allowed (default :data:`MAX_TSP_N`; at most
            :data:`TSP_N_LIMIT`), a guard against accidental huge tables.

    Returns:
        The directed tour mask, same shape and dtype as ``dist``:
        ``mask[i, j] = 1`` iff the tour goes from ``i`` to ``j``. Every row and
        every column has exactly one 1 and the edges form a single cycle
        through all cities (for ``n = 2``: ``0 -> 1 -> 0``). With
        ``return_cost``, the tuple ``(mask, cost)``.

    Conventions (deterministic, independent of batch size and thread count):
        Tours are built from city 0; among equal-cost choices the DP keeps the
        lowest city index. When ``dist`` is exactly symmetric the tour and
        its reverse cost the same, and the orientation returned is the one in
        which the successor of city 0 has a smaller index than its
        predecessor (``argmax(mask[0]) < argmax(mask[:, 0])``, for ``n >= 3``).
    """
    batch = check_dist(dist, "dist", max_n)
    mask, cost = _native.core().tsp(batch.array)
    return (batch.out(mask), batch.out(cost)) if return_cost else batch.out(mask)


def check_dist(dist, name: str, max_n) -> Batch:
    """Check a ``[n, n]`` / ``[B, n, n]`` cost matrix (and ``max_n``) for :func:`tsp`; return it batched."""
    max_n = check_int(max_n, "max_n", minimum=2)
    if max_n > TSP_N_LIMIT:
        raise ValueError(f"max_n must be <= {TSP_N_LIMIT}, got {max_n}")
    batch = as_batch(dist, name, 2, "[n, n]")
    shape = batch.array.shape
    n = shape[-1]
    if shape[-2] != n:
        raise ValueError(f"{name} must be square in its last two axes, got shape {shape[1:]}")
    if n < 2:
        raise ValueError(f"{name} must have at least 2 cities, got n = {n}")
    if n > max_n:
        raise ValueError(
            f"{name} has n = {n} cities, more than max_n = {max_n}: the exact Held-Karp solver needs "
            f"O(n 2^n) memory and O(n^2 2^n) time; pass a larger max_n (up to {TSP_N_LIMIT}) or use a "
            "MILP formulation (e.g. subtour elimination with highspy) for larger instances"
        )
    check_values(batch, name, nonnegative=False)
    finfo = np.finfo(batch.dtype)
    if float(np.abs(batch.array).max()) * n >= float(finfo.max):
        raise ValueError(f"{name} is too large in magnitude: tour costs would overflow {batch.dtype}")
    return batch

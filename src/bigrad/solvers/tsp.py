"""Exact batched travelling salesman tours: Held–Karp, or branch and bound on 1-tree bounds."""
from __future__ import annotations

from typing import Literal, overload

import numpy as np

from bigrad import _native
from bigrad._arrays import Batch, as_batch, check_int, check_values
from bigrad._limits import check_workspace
from bigrad._typing import ArrayT
from bigrad.solvers import _cuda_dispatch
from bigrad.solvers.tsp_milp import tsp_milp

__all__ = ["HELD_KARP_N_LIMIT", "MAX_TSP_N", "NODE_LIMIT_30", "TSP_N_LIMIT", "node_limit", "tsp"]

#: Default largest number of cities (and the largest accepted, :data:`TSP_N_LIMIT`).
MAX_TSP_N = 30
#: Largest ``max_n`` accepted.
TSP_N_LIMIT = 30
#: Largest ``n`` of an asymmetric instance: those are solved by Held–Karp, whose
#: table has ``(n - 1) * 2^(n - 1)`` entries per thread (n = 24: 1.5 GiB in float64).
HELD_KARP_N_LIMIT = 24
#: Branch-and-bound nodes an instance of 30 cities may use before it is handed to
#: the MILP fallback (:func:`bigrad.solvers.tsp_milp.tsp_milp`); ``(30 / n)^3`` times
#: as many at ``n`` cities (a node costs about ``n^3`` operations). Tens of
#: milliseconds; the instances measured so far need at most about a thousand.
NODE_LIMIT_30 = 3000


def node_limit(n: int) -> int:
    """The branch and bound's node budget for instances of ``n`` cities."""
    return int(NODE_LIMIT_30 * (30 / n) ** 3)


@overload
def tsp(dist: ArrayT, return_cost: Literal[False] = False, *, max_n: int = MAX_TSP_N) -> ArrayT: ...
@overload
def tsp(dist: ArrayT, return_cost: Literal[True], *, max_n: int = MAX_TSP_N) -> tuple[ArrayT, ArrayT]: ...
@overload
def tsp(dist: ArrayT, return_cost: bool = False, *, max_n: int = MAX_TSP_N) -> ArrayT | tuple[ArrayT, ArrayT]: ...
def tsp(dist: ArrayT, return_cost: bool = False, *, max_n: int = MAX_TSP_N) -> ArrayT | tuple[ArrayT, ArrayT]:
    """Exact shortest tour through all cities, for every instance of a batch.

    Native code, one instance per thread (``bigrad.set_num_threads``), the
    algorithm chosen per instance:

    * symmetric ``dist`` with ``n >= 12``: depth-first branch and bound on
      Held–Karp 1-tree bounds (subgradient-optimised multipliers, reduced-cost
      edge elimination, a 2-opt/Or-opt incumbent); tens of microseconds at
      ``n = 16``, milliseconds at ``n = 30`` for random Euclidean instances
      (the worst case is exponential: an instance that needs more than
      :func:`node_limit` nodes is solved instead by a cutting-plane MILP on
      HiGHS, :func:`bigrad.solvers.tsp_milp.tsp_milp`, tens of milliseconds);
    * otherwise Held–Karp dynamic programming: time ``O(n^2 2^n)`` and memory
      ``O(n 2^n)`` per instance, so asymmetric instances are limited to
      :data:`HELD_KARP_N_LIMIT` cities.

    Args:
        dist: ``[n, n]`` or ``[B, n, n]`` finite float32/float64 costs,
            ``dist[i, j]`` the cost of travelling ``i -> j``; numpy array or
            torch tensor (results come back as tensors on its device; on a CUDA
            device instances of up to 16 cities are solved there by Held–Karp,
            one thread block per instance, larger ones on the CPU). May be
            asymmetric (up to :data:`HELD_KARP_N_LIMIT` cities) or negative; the
            diagonal is ignored. ``n >= 2``.
        return_cost: also return the tour cost (shape ``[]`` or ``[B]``), the
            sum of ``dist`` over the tour's edges accumulated in tour order
            from city 0, in the dtype of ``dist``.
        max_n: largest ``n`` allowed (default and at most :data:`TSP_N_LIMIT`).

    Returns:
        The directed tour mask, same shape and dtype as ``dist``:
        ``mask[i, j] = 1`` iff the tour goes from ``i`` to ``j``. Every row and
        every column has exactly one 1 and the edges form a single cycle
        through all cities (for ``n = 2``: ``0 -> 1 -> 0``). With
        ``return_cost``, the tuple ``(mask, cost)``.

    Raises:
        ValueError: bad shapes or values, ``n > max_n``, or an asymmetric
            instance of more than :data:`HELD_KARP_N_LIMIT` cities.
        MemoryError: the workspaces (Held–Karp tables) exceed
            ``bigrad.set_memory_limit``.

    Conventions (deterministic, independent of batch size and thread count):
        Held–Karp builds tours from city 0 and keeps the lowest city index
        among equal-cost choices; the branch and bound is exact up to a
        rounding margin of ``1e-12`` relative to the costs' scale (integer
        costs: exact) and returns the first optimal tour its fixed search order
        meets. When ``dist`` is exactly symmetric the tour and its reverse cost
        the same, and the orientation returned is the one in which the
        successor of city 0 has a smaller index than its predecessor
        (``argmax(mask[0]) < argmax(mask[:, 0])``, for ``n >= 3``).
    """
    _cuda_dispatch.require_module(dist, "dist", "tsp")
    batch = check_dist(dist, "dist", max_n, allow_cuda=True)
    if batch.on_cuda:
        if batch.array.shape[-1] <= _cuda_dispatch.tsp_max_n():
            mask, cost = _cuda_dispatch.tsp(batch.array, "dist")
            return (batch.out(mask), batch.out(cost)) if return_cost else batch.out(mask)
        batch.array = batch.array.cpu().numpy()  # beyond the GPU's Held–Karp: the CPU solvers, results sent back
        batch.on_cuda = False
    symmetric = symmetric_instances(batch.array)
    check_tsp_workspace(batch.array, symmetric, "dist")
    mask, cost = solve_native(batch.array, bool(symmetric.all()))
    return (batch.out(mask), batch.out(cost)) if return_cost else batch.out(mask)


def solve_native(dist: np.ndarray, symmetric: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """The native solver on checked ``[B, n, n]`` costs, in slices of about a second of work.

    Between slices Python runs, so Ctrl-C interrupts a long batch. ``symmetric``
    (all instances symmetric) only sizes the slices. Instances on which the branch
    and bound exhausts its node budget (cost ``inf``) are re-solved exactly by
    :func:`~bigrad.solvers.tsp_milp.tsp_milp`. Returns ``(mask, cost)``.
    """
    B, n = dist.shape[0], dist.shape[-1]
    core = _native.core()
    # rough seconds per instance on one core (measured figures in docs/combinatorial_solvers.md, rounded up)
    held_karp = not symmetric or n < core.tsp_branch_bound_min_n
    seconds = 5e-11 * n * n * 2.0**n if held_karp else 2e-9 * n**4
    step = max(1, int(_native.get_num_threads() / seconds))
    limit = node_limit(n)
    if step >= B:
        mask, cost = core.tsp(dist, limit)
    else:
        parts = [core.tsp(dist[i : i + step], limit) for i in range(0, B, step)]
        mask, cost = np.concatenate([m for m, _ in parts]), np.concatenate([c for _, c in parts])
    for b in np.flatnonzero(np.isinf(cost)):  # finite inputs: only an exhausted node budget gives inf
        mask[b], cost[b] = tsp_milp(dist[b])
    return mask, cost


def symmetric_instances(dist: np.ndarray) -> np.ndarray:
    """``[B]`` bool: which instances of a ``[B, n, n]`` array are exactly symmetric."""
    return (dist == dist.transpose(0, 2, 1)).all(axis=(1, 2))


def check_tsp_workspace(dist: np.ndarray, symmetric: np.ndarray, name: str) -> None:
    """Refuse asymmetric instances beyond Held–Karp's limit and workspaces beyond the memory limit.

    Args:
        dist: ``[B, n, n]`` checked costs (only the shape and dtype are used).
        symmetric: ``[B]`` bool, which instances the native solver will see as symmetric.
        name: the argument named in errors.
    """
    B, n = dist.shape[0], dist.shape[-1]
    core = _native.core()
    if n > HELD_KARP_N_LIMIT and not symmetric.all():
        b = int(np.argmin(symmetric))
        raise ValueError(
            f"{name}[{b}] is not symmetric and has n = {n} cities: asymmetric instances are solved by Held-Karp, "
            f"limited to n <= {HELD_KARP_N_LIMIT} (O(n 2^n) memory); the branch and bound for larger n needs "
            "dist[i, j] == dist[j, i]"
        )
    kinds = {bool(s) for s in symmetric.tolist()}
    per_thread = sum(core.tsp_workspace_bytes(n, s, dist.dtype.itemsize) for s in kinds)
    check_workspace(per_thread * min(B, _native.get_num_threads()), name, "TSP solver workspace")


def check_dist(dist, name: str, max_n, *, allow_cuda: bool = False) -> Batch:
    """Check a ``[n, n]`` / ``[B, n, n]`` cost matrix (and ``max_n``) for :func:`tsp`; return it batched.

    With ``allow_cuda`` (and ``bigrad._cuda`` built) a CUDA tensor stays on its device.
    """
    max_n = check_int(max_n, "max_n", minimum=2)
    if max_n > TSP_N_LIMIT:
        raise ValueError(f"max_n must be <= {TSP_N_LIMIT}, got {max_n}")
    batch = as_batch(dist, name, 2, "[n, n]", allow_cuda=allow_cuda and _cuda_dispatch.available())
    shape = batch.array.shape
    n = shape[-1]
    if shape[-2] != n:
        raise ValueError(f"{name} must be square in its last two axes, got shape {shape[1:]}")
    if n < 2:
        raise ValueError(f"{name} must have at least 2 cities, got n = {n}")
    if n > max_n:
        raise ValueError(
            f"{name} has n = {n} cities, more than max_n = {max_n}: pass a larger max_n (up to {TSP_N_LIMIT}); "
            "the exact solvers' time grows exponentially with n, so use a MILP formulation (e.g. subtour "
            "elimination with highspy) or a heuristic (LKH) for larger instances"
        )
    check_values(batch, name, nonnegative=False)
    finfo = np.finfo(batch.dtype)
    if float(abs(batch.array).max()) * n >= float(finfo.max):
        raise ValueError(f"{name} is too large in magnitude: tour costs would overflow {batch.dtype}")
    return batch

"""Exact oracle loop for budgeted binary interdiction games.

Solves, for every instance of a batch,

    min_{y in Y} max_{x in {0,1}^d, sum(x) <= budget} <z + x * w, y>,   w >= 0,

where ``Y`` (binary vectors: paths, tours, selections, ...) is known only
through a *nominal oracle* ``oracle(c) = argmin_{y in Y} <c, y>``.

Method (why): for a fixed ``y`` the attacker's best response is the
``budget`` largest entries of ``w * y``. Dualising that inner knapsack
(Bertsimas & Sim 2003) gives the exact identity

    OPT = min_{theta in {0} ∪ {w_i}} budget * theta + N(z + max(w - theta, 0)),

with ``N`` the nominal optimum. So the game needs only the nominal oracle,
called once per candidate ``theta``. This is the oracle-based scheme of
Kämmerling & Kurtz (2020) specialised to budgeted interdiction: every call is
a batched native solve, no MILP solver is involved, and the number of calls is
bounded by ``d + 2``. Candidates are visited in increasing order and an
instance stops as soon as the lower bound ``budget * theta + N(z)`` reaches
its incumbent (the bound grows with ``theta``), so with ``w`` constant (the
paper's experiments) only two or three oracle calls are made.
"""
from __future__ import annotations

from typing import Callable

import numpy as np

__all__ = ["min_max_min", "attacker_response"]


def attacker_response(y: np.ndarray, w: np.ndarray, budget: int) -> np.ndarray:
    """Best interdiction for fixed choices: the ``budget`` largest positive entries of ``w * y``.

    Args:
        y, w: ``[B, d]`` arrays. budget: int >= 0.
    Returns:
        ``[B, d]`` 0/1 array of the dtype of ``w``; ties go to the lower index.
    """
    v = w * y
    x = np.zeros_like(w)
    k = min(budget, v.shape[1])
    if k == 0:
        return x
    order = np.argsort(-v, axis=1, kind="stable")[:, :k]
    rows = np.arange(v.shape[0])[:, None]
    x[rows, order] = (v[rows, order] > 0).astype(w.dtype)
    return x


def min_max_min(oracle: Callable[[np.ndarray], np.ndarray], z, w, budget: int):
    """Solve the budgeted interdiction game exactly with a nominal oracle.

    Args:
        oracle: ``oracle(c) -> y``, ``c`` of shape ``[b, *shape]`` (any
            ``b <= B``), returning the 0/1 minimiser of ``<c, y>`` over the
            feasible set for each row, same shape. It is called with costs
            ``z + max(w - theta, 0)``, so it must accept whatever values those
            take (e.g. non-negative when ``z`` is).
        z: ``[B, *shape]`` float array, the nominal costs.
        w: ``[B, *shape]`` float array, ``w >= 0``, the cost increase of interdicting each entry.
        budget: int >= 0, the number of entries the attacker may interdict.

    Returns:
        ``(y, x, value)``: the minimiser's choice ``y`` and the attacker's best
        response ``x`` (both ``[B, *shape]``, dtype of ``z``; ties in ``x`` go to
        the lower flat index) and the game value ``<z + x * w, y>`` of shape ``[B]``.
    """
    if not callable(oracle):
        raise TypeError(f"oracle must be callable, got {type(oracle).__name__}")
    z = np.asarray(z)
    w = np.asarray(w)
    if z.shape != w.shape:
        raise ValueError(f"z and w must have the same shape, got {z.shape} and {w.shape}")
    if z.ndim < 2:
        raise ValueError(f"z must have a batch axis: shape [B, ...], got {z.shape}")
    if isinstance(budget, bool) or not isinstance(budget, (int, np.integer)):
        raise TypeError(f"budget must be an int, got {type(budget).__name__}")
    if budget < 0:
        raise ValueError(f"budget must be >= 0, got {budget}")
    if not np.isfinite(w).all() or (w < 0).any():
        raise ValueError("w must be finite and non-negative")
    shape = z.shape
    B = shape[0]
    zf = z.reshape(B, -1)
    wf = w.reshape(B, -1).astype(z.dtype, copy=False)

    def solve(rows: np.ndarray, cost: np.ndarray) -> np.ndarray:
        y = np.asarray(oracle(cost.reshape((len(rows),) + shape[1:])))
        return y.reshape(len(rows), -1).astype(z.dtype, copy=False)

    all_rows = np.arange(B)
    y_best = solve(all_rows, zf)
    if budget == 0:
        x = np.zeros_like(zf)
        return y_best.reshape(shape), x.reshape(shape), (zf * y_best).sum(1)
    nominal = (zf * y_best).sum(1)
    # incumbent: the nominal choice, evaluated against the attacker
    best = nominal + _topk_sum(wf * y_best, budget)
    thetas = np.concatenate([np.zeros((B, 1), dtype=z.dtype), np.sort(wf, axis=1)], axis=1)
    for r in range(thetas.shape[1]):
        theta = thetas[:, r]
        fresh = np.ones(B, dtype=bool) if r == 0 else theta != thetas[:, r - 1]
        active = fresh & (budget * theta + nominal < best)
        if not active.any():
            if (budget * theta + nominal >= best).all():
                break
            continue
        rows = all_rows[active]
        th = theta[rows, None]
        cost = zf[rows] + np.maximum(wf[rows] - th, 0)
        y = solve(rows, cost)
        g = budget * theta[rows] + (cost * y).sum(1)
        better = g < best[rows]
        best[rows[better]] = g[better]
        y_best[rows[better]] = y[better]
    x = attacker_response(y_best, wf, budget)
    value = ((zf + x * wf) * y_best).sum(1)
    return y_best.reshape(shape), x.reshape(shape), value


def _topk_sum(v: np.ndarray, k: int) -> np.ndarray:
    """Sum of the k largest entries of each row of v (v >= 0)."""
    k = min(k, v.shape[1])
    return -np.sort(-v, axis=1)[:, :k].sum(1)

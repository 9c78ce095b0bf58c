"""Exact oracle loop for budgeted binary interdiction games.

Solves, for every instance of a batch,

    min_{y in Y} max_{x in {0,1}^d, sum(x) <= budget} <z + x * w, y>,   w >= 0,

where ``Y`` (binary vectors: paths, tours, selections, ...) is known only
through a *nominal oracle* ``oracle(c) = argmin_{y in Y} <c, y>``.

Method (why): for a fixed ``y`` the attacker's best response is the
``budget`` largest entries of ``w * y``. Dualising that inner knapsack
(Bertsimas & Sim 2003) gives the exact identity

    OPT = min_{theta in {0} ∪ {w_i}} budget * theta + N(z + max(w - theta, 0)),

with ``N`` the nominal optimum. So the game needs only the nominal oracle.
This is the oracle-based scheme of Kämmerling & Kurtz (2020) specialised to
budgeted interdiction: every call is a batched native solve and no MILP solver
is involved.

The candidates are searched by branch and bound: ``N(z + max(w - theta, 0))``
does not increase with ``theta``, so on an interval ``[theta_a, theta_b]``
``g(theta) >= budget * theta_a + N(theta_b)``. Starting from the two ends
(``theta = 0`` and ``theta = max w``, the nominal problem), each open interval
is split at the median candidate value strictly inside it, all instances
together, and dropped once that bound reaches the instance's incumbent or no
candidate is left inside. Rows whose ``w`` only takes the values 0 and
``max w`` (``w = 1`` in the paper's experiments) are done after the two ends;
at worst every distinct candidate is evaluated once.
"""
from __future__ import annotations

import numpy as np

from bigrad._arrays import check_int, check_tensor_data, is_torch_tensor, native_order
from bigrad._backend import NumpyOps, ops_for
from bigrad._typing import ArrayT, Oracle
from bigrad.solvers.min_max_min_numba import is_numba_oracle, min_max_min_numba

__all__ = ["min_max_min", "attacker_response", "budget_best_response"]


def budget_best_response(v: ArrayT, budget: int) -> ArrayT:
    """The ``budget`` largest *positive* entries of each row of ``v`` (the interdictor's gains).

    Args:
        v: ``[B, d]`` numpy array or torch tensor. budget: int >= 0.
    Returns:
        ``[B, d]`` 0/1 array like ``v``; ties go to the lower index.
    """
    xp = ops_for(v)
    x = xp.zeros(v.shape, v)
    k = min(budget, v.shape[1])
    if k == 0:
        return x
    order = xp.argsort(-v)[:, :k]
    rows = xp.arange(v.shape[0], v)[:, None]
    x[rows, order] = xp.cast(v[rows, order] > 0, v)
    return x


def attacker_response(y: ArrayT, w: ArrayT, budget: int) -> ArrayT:
    """Best interdiction for fixed choices ``y``: :func:`budget_best_response` of ``w * y``.

    Args:
        y, w: ``[B, d]`` numpy arrays or torch tensors. budget: int >= 0.
    Returns:
        ``[B, d]`` 0/1 array of the dtype of ``w``; ties go to the lower index.
    """
    return budget_best_response(w * y, budget)


def min_max_min(oracle: Oracle, z: ArrayT, w: ArrayT, budget: int) -> tuple[ArrayT, ArrayT, ArrayT]:
    """Solve the budgeted interdiction game exactly with a nominal oracle.

    Args:
        oracle: ``oracle(c) -> y`` (a Python callable, or a numba ``@njit``
            function: then the whole loop runs compiled, see
            :mod:`bigrad.solvers.min_max_min_numba`), ``c`` of shape ``[b, *shape]`` (any
            ``b <= B``), returning the 0/1 minimiser of ``<c, y>`` over the
            feasible set for each row, same shape. It is called with costs
            ``z + max(w - theta, 0)``, so it must accept whatever values those
            take (e.g. non-negative when ``z`` is).
        z: ``[B, *shape]`` float array, the nominal costs: numpy, or a torch
            tensor on any device (then everything, the oracle's input and
            output included, stays a tensor on that device).
        w: ``[B, *shape]`` like ``z``, ``w >= 0``, the cost increase of interdicting each entry.
        budget: int >= 0, the number of entries the attacker may interdict.

    Returns:
        ``(y, x, value)``: the minimiser's choice ``y`` and the attacker's best
        response ``x`` (both ``[B, *shape]``, dtype of ``z``; ties in ``x`` go to
        the lower flat index) and the game value ``<z + x * w, y>`` of shape ``[B]``.
    """
    if not callable(oracle):
        raise TypeError(f"oracle must be callable, got {type(oracle).__name__}")
    xp, z, w = _check_costs(z, w)
    budget = check_int(budget, "budget", minimum=0)
    shape = tuple(z.shape)
    B = shape[0]
    zf = z.reshape(B, -1)
    wf = xp.cast(w.reshape(B, -1), zf)
    budget = min(budget, zf.shape[1])  # no more than every entry: the same game, and no integer overflow

    if is_numba_oracle(oracle):  # the whole loop compiled, no Python call per step
        if not isinstance(zf, np.ndarray):  # xp is TorchOps: z and w are tensors
            raise TypeError("a numba-compiled oracle needs numpy z and w (got torch tensors)")
        return _with_attack(min_max_min_numba(oracle, zf, wf, budget, shape), zf, wf, budget, shape)

    def solve(cost):
        want = (len(cost),) + shape[1:]
        y = xp.asarray(oracle(cost.reshape(want)))
        _check_oracle_output(y, want)
        return xp.cast(y.reshape(len(cost), -1), zf)

    y_best = solve(zf)
    if budget == 0:
        x = xp.zeros(zf.shape, zf)
        return y_best.reshape(shape), x.reshape(shape), (zf * y_best).sum(1)
    w_max = xp.row_max(wf)[:, 0]
    # theta = max(w) leaves the nominal costs: N(z), already solved
    n_hi = (zf * y_best).sum(1)
    best = budget * w_max + n_hi
    # theta = 0: the attacker's raise applies everywhere
    y0 = solve(zf + wf)
    g0 = ((zf + wf) * y0).sum(1)
    take = g0 < best
    best[take], y_best[take] = g0[take], y0[take]
    # rows whose w takes only the values 0 and max(w) (w = 1 in the paper) have
    # no candidate between the two ends: they are solved
    open_rows = ~((wf == 0) | (wf == w_max[:, None])).all(1)
    inst = xp.arange(B, zf)[open_rows]
    if len(inst):
        thetas = xp.sort(xp.cat([xp.zeros((B, 1), wf), wf]))
        # open intervals (instance, t_lo, t_hi) of threshold values with N(t_hi) known
        t_lo, t_hi, n_hi = xp.zeros((len(inst),), wf), w_max[open_rows], n_hi[open_rows]
    while len(inst):
        # on [t_lo, t_hi]: g >= budget * t_lo + N(t_hi); bisect the candidates strictly inside
        rows = thetas[inst]
        first = (rows <= t_lo[:, None]).sum(1)  # index of the first candidate > t_lo
        last = (rows < t_hi[:, None]).sum(1) - 1  # index of the last candidate < t_hi
        keep = (first <= last) & (budget * t_lo + n_hi < best[inst])
        inst, t_lo, t_hi, n_hi = inst[keep], t_lo[keep], t_hi[keep], n_hi[keep]
        if not len(inst):
            break
        th = xp.gather(rows[keep], ((first[keep] + last[keep]) // 2)[:, None])
        cost = zf[inst] + xp.clamp(wf[inst] - th, lo=0)
        y = solve(cost)
        n_mid = (cost * y).sum(1)
        g = budget * th[:, 0] + n_mid
        cand = _first_per_instance(xp, inst, g, th[:, 0])
        better = g[cand] < best[inst[cand]]
        rows_better = inst[cand][better]
        best[rows_better], y_best[rows_better] = g[cand][better], y[cand][better]
        inst = xp.cat([inst, inst])
        t_lo, t_hi = xp.cat([t_lo, th[:, 0]]), xp.cat([th[:, 0], t_hi])
        n_hi = xp.cat([n_mid, n_hi])
    return _with_attack(y_best, zf, wf, budget, shape)


def _check_costs(z, w):
    """``(xp, z, w)`` after the checks of :func:`min_max_min` (errors name ``z`` or ``w``).

    Both numpy (or array-likes) or both torch tensors on one device with values; a real floating
    dtype (an integer ``z`` would truncate ``z + max(w - theta, 0)``); the same shape ``[B, ...]``
    with no empty axis; finite, and ``w >= 0``.
    """
    xp = ops_for(z, w)
    if isinstance(xp, NumpyOps):
        z, w = _numpy_costs(z, "z"), _numpy_costs(w, "w")
    else:
        if not (is_torch_tensor(z) and is_torch_tensor(w)):
            raise TypeError(f"z and w must both be numpy arrays or both torch tensors, got {type(z).__name__} "
                            f"and {type(w).__name__}")
        check_tensor_data(z, "z")
        check_tensor_data(w, "w")
        if z.device != w.device:
            raise ValueError(f"z and w must be on the same device, got {z.device} and {w.device}")
    for v, name in ((z, "z"), (w, "w")):
        if not (v.is_floating_point() if is_torch_tensor(v) else v.dtype.kind == "f"):
            raise TypeError(f"{name} must have a real floating dtype, got {v.dtype}")
    if tuple(z.shape) != tuple(w.shape):
        raise ValueError(f"z and w must have the same shape, got {tuple(z.shape)} and {tuple(w.shape)}")
    if z.ndim < 2:
        raise ValueError(f"z must have a batch axis: shape [B, ...], got {tuple(z.shape)}")
    if any(int(s) == 0 for s in z.shape):
        raise ValueError(f"z must not be empty, got shape {tuple(z.shape)}")
    if not xp.all_finite(z):
        raise ValueError("z must be finite (found NaN or inf)")
    if not xp.all_finite(w) or bool((w < 0).any()):
        raise ValueError("w must be finite and non-negative")
    return xp, z, w


def _numpy_costs(v, name: str) -> np.ndarray:
    """A numpy array for ``v`` (TypeError naming ``name`` for what numpy cannot read as numbers)."""
    if isinstance(v, (str, bytes)) or v is None:
        raise TypeError(f"{name} must be a numpy array or torch tensor, got {type(v).__name__}")
    try:
        a = np.asarray(v)
    except (TypeError, ValueError) as exc:  # ragged nested lists, ...
        raise TypeError(f"{name} must be a numpy array or torch tensor ({exc})") from exc
    return native_order(a) if a.dtype.kind == "f" else a


def _with_attack(y, zf, wf, budget: int, shape: tuple):
    """``(y, x, value)`` for the minimiser's flat choices ``y [B, d]``: the attacker's best response and the game value."""
    x = attacker_response(y, wf, budget)
    return y.reshape(shape), x.reshape(shape), ((zf + x * wf) * y).sum(1)


def _check_oracle_output(y, want: tuple) -> None:
    """The oracle must return a finite 0/1 array of the shape of its input (ValueError naming ``oracle``)."""
    if tuple(y.shape) != want:
        raise ValueError(f"oracle must return an array of shape {want} (the shape of its input), got {tuple(y.shape)}")
    if y.dtype == bool or str(y.dtype) == "torch.bool":
        return
    if not bool(((y == 0) | (y == 1)).all()):
        finite = bool((abs(y) < float("inf")).all())  # False for NaN too
        kind = "values other than 0 and 1" if finite else "NaN or inf"
        raise ValueError(f"oracle must return 0/1 choices, got {kind}")


def _first_per_instance(xp, inst, g, theta):
    """Index of the smallest g (then smallest theta) for each instance appearing in inst."""
    order = xp.argsort(theta)
    order = order[xp.argsort(g[order])]
    order = order[xp.argsort(inst[order])]
    s = inst[order]
    first = xp.cat([s[:1] == s[:1], s[1:] != s[:-1]])
    return order[first]

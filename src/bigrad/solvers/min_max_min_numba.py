"""The :func:`~bigrad.solvers.min_max_min` loop compiled with numba, for numba-compiled oracles.

When the nominal oracle is a numba ``@njit`` function, the whole search (both
ends, the bisection over threshold values, the bounds) runs in one compiled
function that calls the oracle directly: no Python call per step. The method
is the one described in :mod:`bigrad.solvers.min_max_min`, run instance by
instance (depth-first over the threshold intervals).

Oracle contract (as for a Python oracle): ``oracle(c) -> y`` with ``c`` of
shape ``[b, *shape]`` (here ``b = 1``) and ``y`` the 0/1 minimiser of
``<c, y>`` per row, same shape. Game values are identical to the Python path;
when several choices tie at the optimum, the one returned may differ.
"""
from __future__ import annotations

import functools

import numpy as np

__all__ = ["is_numba_oracle", "min_max_min_numba"]


def is_numba_oracle(oracle) -> bool:
    """True for a numba CPU dispatcher (``@numba.njit`` function), without importing numba otherwise."""
    if not type(oracle).__module__.startswith("numba"):
        return False
    from numba.core.registry import CPUDispatcher

    return isinstance(oracle, CPUDispatcher)


@functools.cache
def _compiled():
    import numba

    @numba.njit(cache=False)
    def solve_one(oracle, cost, shape):
        y = np.ascontiguousarray(oracle(cost.reshape(shape))).reshape(-1)
        if y.size != cost.size:
            raise ValueError("oracle(c) must return an array of the shape of c")
        out = np.empty(cost.size, dtype=cost.dtype)
        for i in range(cost.size):
            v = y[i]
            if v != 0 and v != 1:  # NaN fails both
                raise ValueError("oracle(c) must return 0/1 values (found another value, or NaN)")
            out[i] = v
        return out

    @numba.njit(cache=False)
    def loop(oracle, zf, wf, budget, shape):
        B, d = zf.shape
        y_best = np.zeros_like(zf)
        best = np.empty(B, dtype=zf.dtype)
        for b in range(B):
            z, w = zf[b], wf[b]
            w_max = w.max()
            y = solve_one(oracle, z.copy(), shape)
            n_top = (z * y).sum()
            best[b] = budget * w_max + n_top
            y_best[b] = y
            c0 = z + w
            y0 = solve_one(oracle, c0, shape)
            g0 = (c0 * y0).sum()
            if g0 < best[b]:
                best[b] = g0
                y_best[b] = y0
            thetas = np.unique(np.concatenate((np.zeros(1, dtype=w.dtype), w)))
            # stack of open intervals: indices (lo, hi) into thetas with N(thetas[hi]) known
            lo_s = [0]
            hi_s = [len(thetas) - 1]
            nh_s = [n_top]
            while len(lo_s):
                lo, hi, n_hi = lo_s.pop(), hi_s.pop(), nh_s.pop()
                if hi - lo < 2 or budget * thetas[lo] + n_hi >= best[b]:
                    continue
                mid = (lo + hi) // 2
                th = thetas[mid]
                cost = z + np.maximum(w - th, 0)
                ym = solve_one(oracle, cost, shape)
                n_mid = (cost * ym).sum()
                g = budget * th + n_mid
                if g < best[b]:
                    best[b] = g
                    y_best[b] = ym
                lo_s.append(mid)
                hi_s.append(hi)
                nh_s.append(n_hi)
                lo_s.append(lo)
                hi_s.append(mid)
                nh_s.append(n_mid)
        return y_best

    return loop


def min_max_min_numba(oracle, zf: np.ndarray, wf: np.ndarray, budget: int, shape: tuple) -> np.ndarray:
    """The minimiser's choices ``[B, d]`` for flat costs ``zf``, ``wf`` ``[B, d]``; ``shape`` = ``(B, *inst)``."""
    return _compiled()(oracle, np.ascontiguousarray(zf), np.ascontiguousarray(wf), int(budget),
                       (1,) + tuple(int(s) for s in shape[1:]))

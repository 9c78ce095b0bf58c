"""Vertices and extreme rays of the follower's dual polyhedron.

For the follower's LP in its continuous variables (max form)::

    max  w @ u   s.t.  G @ u <= h,            G: (M, k),  h: (M,)

the dual feasible set ``D = {pi >= 0 : G.T @ pi = w}`` does not depend on
``h``.  Its vertices ``V`` and the extreme rays ``R`` of its recession cone
``C = {d >= 0 : G.T @ d = 0}`` give, for every right-hand side ``h``:

* the LP is infeasible  <=>  ``r @ h < 0`` for some ``r`` in ``R`` (Farkas);
* if feasible (and ``D`` is nonempty) its optimum is ``min_{v in V} v @ h``.

Both sets are found by enumerating column subsets of ``G.T`` (basic solutions
for vertices, circuits for rays), which is exact but exponential; it is meant
for followers with few continuous variables.  ``D`` empty means the follower
LP is unbounded whenever it is feasible.
"""
from __future__ import annotations

import itertools
import math

import numpy as np

from ..result import check_deadline

__all__ = ["enumerate_dual", "enumeration_size"]


def enumeration_size(M: int, rank: int) -> int:
    """Number of column subsets examined for ``M`` dual variables and ``rank(G)``."""
    return math.comb(M, rank) + sum(math.comb(M, s) for s in range(1, min(rank + 1, M) + 1))


def _dedup(rows: list[np.ndarray], M: int) -> np.ndarray:
    seen: dict[tuple[float, ...], np.ndarray] = {}
    for r in rows:
        key = tuple(np.round(r, 9))
        seen.setdefault(key, r)
    return np.array(list(seen.values()), dtype=float).reshape(-1, M)


def enumerate_dual(G, w, *, limit: int = 200_000, tol: float = 1e-9) -> tuple[np.ndarray, np.ndarray]:
    """Vertices and extreme rays of ``{pi >= 0 : G.T @ pi = w}``.

    Parameters
    ----------
    G : (M, k) array
    w : (k,) array
    limit : maximal number of column subsets to examine (ValueError beyond).

    Honours the deadline of :func:`~bigrad.miblp.result.deadline_scope` (raises :class:`~bigrad.miblp.result.TimeUp`).

    Returns
    -------
    V : (nv, M) array of vertices (``nv == 0`` iff the polyhedron is empty)
    R : (nr, M) array of extreme rays of the recession cone, each scaled to
        maximum entry 1.
    """
    G = np.asarray(G, dtype=float)
    w = np.asarray(w, dtype=float)
    if G.ndim != 2:
        raise ValueError(f"G must be 2-D, got shape {G.shape}")
    M, k = G.shape
    if w.shape != (k,):
        raise ValueError(f"w must have shape ({k},), got {w.shape}")
    Gt = G.T  # (k, M)
    scale = max(1.0, float(np.abs(G).max(initial=0.0)), float(np.abs(w).max(initial=0.0)))
    rank = int(np.linalg.matrix_rank(Gt, tol=tol * scale * max(M, k, 1))) if k and M else 0
    size = enumeration_size(M, rank)
    if size > limit:
        raise ValueError(
            f"exact reformulation needs {size} subset checks for the follower's continuous part "
            f"({k} continuous follower variables, {M} follower inequalities); this exceeds "
            f"max_enumeration={limit}. Increase max_enumeration or reduce the continuous follower part."
        )

    vertices: list[np.ndarray] = []
    for count, comb in enumerate(itertools.combinations(range(M), rank)):
        if count % 64 == 0:
            check_deadline()
        S = list(comb)
        if rank == 0:
            if np.abs(w).max(initial=0.0) <= tol * scale:
                vertices.append(np.zeros(M))
            continue
        B = Gt[:, S]
        sv = np.linalg.svd(B, compute_uv=False)
        if sv[-1] <= tol * scale:
            continue
        sol, *_ = np.linalg.lstsq(B, w, rcond=None)
        if np.abs(B @ sol - w).max() > 1e-7 * scale:
            continue
        if sol.min() < -1e-9 * max(1.0, np.abs(sol).max()):
            continue
        v = np.zeros(M)
        v[S] = np.maximum(sol, 0.0)
        vertices.append(v)

    rays: list[np.ndarray] = []
    for s in range(1, min(rank + 1, M) + 1):
        for count, comb in enumerate(itertools.combinations(range(M), s)):
            if count % 64 == 0:
                check_deadline()
            S = list(comb)
            B = Gt[:, S]
            if k == 0:
                z = np.ones(1)
            else:
                _, sv, vt = np.linalg.svd(B)
                nonzero = int((sv > tol * scale).sum())
                if s - nonzero != 1:
                    continue
                z = vt[-1]
            if np.all(z > 1e-12):
                pass
            elif np.all(z < -1e-12):
                z = -z
            else:
                continue
            z = z / z.max()
            if z.min() <= 1e-9:
                continue
            d = np.zeros(M)
            d[S] = z
            rays.append(d)
    return _dedup(vertices, M), _dedup(rays, M)

"""Polynomial "in the projection set" blocks: KKT of the follower's LP with big-M.

For an enumerated follower integer choice ``ybar`` Yue et al. (2019) add a
copy ``u`` of the follower's continuous variables and the KKT system of the
follower's LP at ``(x, ybar)`` (notation of :mod:`.reformulation`)::

    G @ u <= h(x, ybar) = h0 - TL @ x - TI @ ybar          (M rows, primal)
    G.T @ pi = w_C,  pi >= 0                               (dual)
    pi_i * (h_i(x, ybar) - G_i @ u) = 0                    (complementarity)
    w @ v >= w_I @ ybar + w_C @ u                          (value of the choice)

The complementarity is linearised with one binary ``b_i`` per row and big-M
constants ``P_i >= pi_i`` and ``S_i >= slack_i`` derived from LPs:

* ``P_i = max {pi_i : G.T @ pi = w_C, pi >= 0}``.  All finite iff the dual
  polyhedron is bounded, i.e. has no extreme rays; then (Farkas) the
  follower's LP is feasible for every right-hand side, so no
  "infeasible choice" alternative is needed and the block is always imposed.
* ``phi_lo = sum_i min(0, P_i * min h_i)`` is a lower bound of the follower's
  LP value over the box of ``(x, ybar)``; every optimal ``u`` satisfies
  ``w_C @ u >= phi_lo``.
* ``S_i = max {h_i - G_i @ u : G @ u <= h, w_C @ u >= phi_lo, (x, y) in box}``.
* the follower's value lies in ``[min_box w_I @ y + phi_lo, LP bound]``
  (every integer ``y`` in its box is feasible for the follower, as its LP in
  ``u`` is feasible for every right-hand side); these bounds keep the master
  bounded, like the vertex bounds of the enumeration.

Size per block: ``k + 2 M`` variables (``M`` binaries), ``3 M + k + 1`` rows,
with ``O(M)`` LPs once at setup: polynomial, in place of the exponential
vertex enumeration of :mod:`.dual_polyhedron`.  When some bound is infinite
(the dual polyhedron has rays, e.g. a continuous follower variable with both
bounds finite, or an unbounded slack) :func:`build_kkt` returns the reason
and the caller falls back to the exact enumeration.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .highs_backend import solve_mip
from .result import check_deadline

__all__ = ["KktData", "KktBlock", "build_kkt"]


@dataclass
class KktBlock:
    """Rows ``lo <= A_v @ v + A_e @ e <= hi`` over new variables ``e`` (ne,)
    with bounds ``[lb_e, ub_e]`` and integrality ``int_e``."""

    y: tuple
    A_v: np.ndarray  # (r, n)
    A_e: np.ndarray  # (r, ne)
    lo: np.ndarray
    hi: np.ndarray
    lb_e: np.ndarray
    ub_e: np.ndarray
    int_e: np.ndarray


@dataclass
class KktData:
    """Per-problem data of the KKT blocks (see module docstring)."""

    G: np.ndarray  # (M, k)
    wC: np.ndarray  # (k,)
    TL: np.ndarray  # (M, n): leader columns of the follower rows, zero elsewhere
    TI: np.ndarray  # (M, nI)
    h0: np.ndarray  # (M,)
    P: np.ndarray  # (M,) dual bounds
    S: np.ndarray  # (M,) slack bounds
    w: np.ndarray  # (n,) follower objective (max form) on v
    wI: np.ndarray  # (nI,)
    theta_min: float  # valid bounds on the follower's optimal value
    theta_max: float

    def block(self, ybar: np.ndarray) -> KktBlock:
        """The KKT block of the follower integer choice ``ybar`` (nI,)."""
        G, P, S = self.G, self.P, self.S
        M, k = G.shape
        n = self.TL.shape[1]
        rhs = self.h0 - self.TI @ ybar
        Z = np.zeros
        I_M = np.eye(M)
        # columns of e: [u (k), pi (M), b (M)]
        A_e = np.vstack([
            np.hstack([G, Z((M, M)), Z((M, M))]),  # primal feasibility
            np.hstack([G, Z((M, M)), -np.diag(S)]),  # slack <= S (1 - b)
            np.hstack([Z((M, k)), I_M, -np.diag(P)]),  # pi <= P b
            np.hstack([Z((k, k)), G.T, Z((k, M))]),  # dual feasibility
            np.hstack([-self.wC, Z(M), Z(M)])[None, :],  # value
        ])
        A_v = np.vstack([self.TL, self.TL, Z((M, n)), Z((k, n)), self.w[None, :]])
        inf = np.inf
        lo = np.concatenate([np.full(M, -inf), rhs - S, np.full(M, -inf), self.wC, [float(self.wI @ ybar)]])
        hi = np.concatenate([rhs, np.full(M, inf), np.zeros(M), self.wC, [inf]])
        lb_e = np.concatenate([np.full(k, -inf), Z(M), Z(M)])
        ub_e = np.concatenate([np.full(k, inf), P, np.ones(M)])
        int_e = np.concatenate([np.zeros(k + M, bool), np.ones(M, bool)])
        return KktBlock(tuple(float(t) for t in ybar), A_v, A_e, lo, hi, lb_e, ub_e, int_e)


def _pad(val: float) -> float:
    return val * (1.0 + 1e-6) + 1e-6


def build_kkt(G, wC, TL, TI, h0, w, wI, lo_x, hi_x, lo_y, hi_y, leader) -> tuple[KktData | None, str]:
    """KKT data, or ``(None, reason)`` when a big-M bound is infinite.

    ``G`` (M, k), ``TL`` (M, n) (nonzero on the ``leader`` columns only), ``TI``
    (M, nI), ``h0`` (M,); ``lo_x, hi_x`` bounds of the leader columns, ``lo_y,
    hi_y`` of the follower integer ones.  Returns ``(None, "empty")`` if the dual
    polyhedron is empty (the follower's problem is unbounded).
    """
    M, k = G.shape
    nI = TI.shape[1]
    nL = leader.size
    P = np.zeros(M)
    for i in range(M):
        check_deadline()
        c = np.zeros(M)
        c[i] = -1.0
        out = solve_mip(c, G.T, wC, wC, np.zeros(M), np.full(M, np.inf), np.zeros(M, bool))
        if out.status == "infeasible":
            return None, "empty"
        if out.status != "optimal":
            return None, ("the follower's dual polyhedron is unbounded (it has extreme rays, e.g. a continuous "
                          "follower variable with two finite bounds), so the dual multipliers have no LP bound")
        P[i] = _pad(max(0.0, -out.objective))
    TLx = TL[:, leader]
    hmin = h0.copy()
    for i in range(M):
        for g, lo, hi in ((TLx[i], lo_x, hi_x), (TI[i], lo_y, hi_y)):
            nz = g != 0
            hmin[i] -= float(np.maximum(g[nz] * lo[nz], g[nz] * hi[nz]).sum())
    if not np.all(np.isfinite(hmin)):
        return None, "a follower row has no finite bound over the leader's box"
    phi_lo = float(np.minimum(0.0, P * hmin).sum())
    # slack LP over (x_L, y, u): G u + TLx x + TI y <= h0, wC u >= phi_lo
    A = np.vstack([np.hstack([TLx, TI, G]), np.concatenate([np.zeros(nL + nI), wC])[None, :]])
    rl = np.append(np.full(M, -np.inf), phi_lo)
    ru = np.append(h0, np.inf)
    lb = np.concatenate([lo_x, lo_y, np.full(k, -np.inf)])
    ub = np.concatenate([hi_x, hi_y, np.full(k, np.inf)])
    cont = np.zeros(nL + nI + k, bool)
    S = np.zeros(M)
    for i in range(M):
        check_deadline()
        out = solve_mip(A[i, :], A, rl, ru, lb, ub, cont)  # min row_i = max slack_i - h0_i
        if out.status == "infeasible":
            return None, "no follower point exists over the leader's box"
        if out.status != "optimal":
            return None, f"the slack of follower row {i} has no finite bound over the leader's box"
        S[i] = _pad(max(0.0, h0[i] - out.objective))
    # follower value: theta = max_y (wI @ y + phi(x, y)) lies in
    # [min_box wI @ y + phi_lo, max of the LP relaxation of the follower]
    out = solve_mip(-np.concatenate([np.zeros(nL), wI, wC]), A[:M], rl[:M], ru[:M], lb, ub, cont)
    if out.status != "optimal":
        return None, "the follower's value has no finite upper bound over the leader's box"
    nz = wI != 0
    ymin = float(np.minimum(wI[nz] * lo_y[nz], wI[nz] * hi_y[nz]).sum())
    tmin = ymin + phi_lo
    tmax = -out.objective
    tmin, tmax = tmin - 1e-6 * (1 + abs(tmin)), tmax + 1e-6 * (1 + abs(tmax))
    return KktData(G, wC, TL, TI, h0, P, S, w, wI, tmin, tmax), ""

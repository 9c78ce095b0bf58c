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
vertex enumeration of :mod:`.dual_polyhedron`.  When the dual polyhedron has rays (a
continuous follower variable with two finite bounds, an equality row, a
follower LP that is infeasible for some leader decision) the ``P_i`` are
infinite and :func:`build_kkt` uses the *normalised* form instead.

Normalised form (dual polyhedron with rays).  Yue et al.'s condition for the
choice ``ybar`` ("the LP at ``ybar`` is infeasible, or ``psi >= phi(x, ybar)``
with ``psi = w @ v - w_I @ ybar``") is ``z* <= 0`` for the LP::

    z* = max z   s.t.  G_In @ u + z <= h_In(x, ybar),   G_Eq @ u = h_Eq(x, ybar),
                       z <= w_C @ u - psi

whose dual is ``min pi @ h_In + mu @ h_Eq - tau * psi`` over
``Q = {G_In.T @ pi + G_Eq.T @ mu = tau * w_C, 1 @ pi + tau = 1, pi, tau >= 0}``.
Equality rows (pairs of opposite rows of ``G`` with opposite right-hand sides,
kept while linearly independent, so that ``G_Eq @ u = h_Eq`` is solvable for
every ``h_Eq``) get free multipliers ``mu``; every other row is in ``In``.
``Q`` contains the vertices ``v`` of the dual polyhedron scaled to
``(v, 1) / (1 + 1 @ v)`` and its rays ``r`` scaled to ``(r, 0) / (1 @ r)``, so

* LP infeasible (a ray with ``r @ h < 0``)  =>  ``z* < 0``;
* LP feasible with ``phi(x, ybar) <= psi`` (a vertex with ``v @ h <= psi``)  =>  ``z* <= 0``;
* ``z* <= 0``  =>  no ``u`` with ``G_In @ u < h_In``, ``G_Eq @ u = h_Eq`` and
  ``w_C @ u > psi``: the condition holds unless the LP's feasible set has an
  empty relative interior at ``(x, ybar)`` (an inequality row pinned to
  equality there).

The block is the KKT system of this LP with ``z <= 0``.  Its multipliers are
bounded *exactly* by the normalisation (``0 <= pi, tau <= 1``), so the block
is valid (no bilevel feasible point is cut off) whatever rays the dual
polyhedron has; the slack bounds ``S`` come from LPs as above (over
``z in [z_lo, 0]`` and the range of ``psi`` given by valid bounds on the
follower's value).  Size: ``k + 2 Mi + Me + 3`` variables (``Mi + 1``
binaries), ``3 Mi + Me + k + 3`` rows.  At a pinned point the block may
accept a master point that is not in the projection set; the
column-and-constraint generation then meets a known column again and adds a
critical-region cut for it (see :mod:`.column_generation`).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..highs_backend import solve_mip
from ..result import check_deadline

__all__ = ["KktData", "KktBlock", "NO_FOLLOWER_POINT", "NormalizedKkt", "build_kkt"]

#: :func:`build_kkt`'s reason when the follower rows have no point at all over the leader's box (the LP
#: relaxation of the high-point problem's follower part is empty): the bilevel problem is infeasible
NO_FOLLOWER_POINT = "no follower point exists over the leader's box"


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


@dataclass
class NormalizedKkt:
    """Per-problem data of the normalised KKT blocks (dual polyhedron with rays; module docstring).

    Rows of ``G`` are split into inequality rows ``ineq`` (Mi,) and equality rows ``eq`` (Me,)."""

    G: np.ndarray  # (M, k)
    wC: np.ndarray  # (k,)
    TL: np.ndarray  # (M, n)
    TI: np.ndarray  # (M, nI)
    h0: np.ndarray  # (M,)
    ineq: np.ndarray  # (Mi,) row indices
    eq: np.ndarray  # (Me,) row indices
    S: np.ndarray  # (Mi,) slack bounds of the inequality rows
    S_value: float  # slack bound of the value row
    z_lo: float  # lower bound of z* over the master's domain
    w: np.ndarray  # (n,)
    wI: np.ndarray  # (nI,)
    theta_min: float
    theta_max: float

    def block(self, ybar: np.ndarray) -> KktBlock:
        """The normalised KKT block of the follower integer choice ``ybar`` (nI,)."""
        G, S = self.G, self.S
        Gi, Ge = G[self.ineq], G[self.eq]
        mi, me, k = self.ineq.size, self.eq.size, G.shape[1]
        n = self.TL.shape[1]
        hy = self.h0 - self.TI @ ybar
        wIy = float(self.wI @ ybar)
        Z = np.zeros
        one = np.ones((mi, 1))
        # columns of e: [u (k), z, pi (mi), mu (me), tau, b (mi), bt]
        A_e = np.vstack([
            np.hstack([Gi, one, Z((mi, mi + me + 1)), Z((mi, mi + 1))]),  # primal rows (upper side)
            np.hstack([Gi, one, Z((mi, mi + me + 1)), -np.diag(S), Z((mi, 1))]),  # slack <= S (1 - b)
            np.hstack([Ge, Z((me, 1)), Z((me, mi + me + 1)), Z((me, mi + 1))]),  # equality rows
            np.hstack([-self.wC, [1.0], Z(mi + me + 1), Z(mi), [0.0]])[None, :],  # value row
            np.hstack([-self.wC, [1.0], Z(mi + me + 1), Z(mi), [-self.S_value]])[None, :],  # its slack
            np.hstack([Z((mi, k + 1)), np.eye(mi), Z((mi, me + 1)), -np.eye(mi), Z((mi, 1))]),  # pi <= b
            np.hstack([Z(k + 1 + mi + me), [1.0], Z(mi), [-1.0]])[None, :],  # tau <= bt
            np.hstack([Z((k, k + 1)), Gi.T, Ge.T, -self.wC[:, None], Z((k, mi + 1))]),  # dual feasibility
            np.hstack([Z(k + 1), np.ones(mi), Z(me), [1.0], Z(mi + 1)])[None, :],  # normalisation
        ])
        A_v = np.vstack([self.TL[self.ineq], self.TL[self.ineq], self.TL[self.eq], self.w[None, :],
                         self.w[None, :], Z((mi + 1 + k + 1, n))])
        inf = np.inf
        lo = np.concatenate([np.full(mi, -inf), hy[self.ineq] - S, hy[self.eq], [-inf], [wIy - self.S_value],
                             np.full(mi + 1, -inf), Z(k), [1.0]])
        hi = np.concatenate([hy[self.ineq], np.full(mi, inf), hy[self.eq], [wIy], [inf], Z(mi + 1), Z(k), [1.0]])
        lb_e = np.concatenate([np.full(k, -inf), [self.z_lo], Z(mi), np.full(me, -inf), [0.0], Z(mi + 1)])
        ub_e = np.concatenate([np.full(k, inf), [0.0], np.ones(mi), np.full(me, inf), [1.0], np.ones(mi + 1)])
        int_e = np.concatenate([np.zeros(k + 1 + mi + me + 1, bool), np.ones(mi + 1, bool)])
        return KktBlock(tuple(float(t) for t in ybar), A_v, A_e, lo, hi, lb_e, ub_e, int_e)


def equality_rows(G, TL, TI, h0) -> tuple[np.ndarray, np.ndarray]:
    """``(ineq, eq)``: rows of ``G`` whose opposite row (``-G_i``, ``-TL_i``, ``-TI_i``, ``-h0_i``) is
    also present form equalities ``eq`` (one row per pair, kept while the kept rows of ``G`` are
    linearly independent); all other rows (and both rows of a dropped pair) are in ``ineq``."""
    M = G.shape[0]
    rows = np.hstack([G, TL, TI, h0[:, None]])
    scale = 1.0 + np.abs(rows).max(initial=0.0)
    keys: dict[tuple[float, ...], int] = {}
    for i in range(M):
        keys.setdefault(tuple(np.round(rows[i] / scale, 12)), i)
    paired = np.zeros(M, bool)
    eq: list[int] = []
    for i in range(M):
        j = keys.get(tuple(np.round(-rows[i] / scale, 12)))
        if j is None or j == i or paired[i] or paired[j]:
            continue
        if np.linalg.matrix_rank(G[eq + [i]]) == len(eq) + 1:
            eq.append(i)
            paired[i] = paired[j] = True
    return np.flatnonzero(~paired), np.array(eq, dtype=int)


def build_normalized_kkt(G, wC, TL, TI, h0, w, wI, lo_x, hi_x, lo_y, hi_y, leader, theta_lo: float,
                         theta_hi: float) -> tuple[NormalizedKkt | None, str]:
    """Normalised KKT data (module docstring), or ``(None, reason)``.

    ``theta_lo <= w @ v <= theta_hi`` must hold at every bilevel feasible point (and is imposed on
    the master); the other arguments are those of :func:`build_kkt`.
    """
    M, k = G.shape
    nI, nL = TI.shape[1], leader.size
    if not (np.isfinite(theta_lo) and np.isfinite(theta_hi)):
        return None, "the follower's value has no finite bounds over the high-point relaxation"
    TLx = TL[:, leader]
    ineq, eq = equality_rows(G, TLx, TI, h0)
    nz = wI != 0
    psi_lo = theta_lo - float(np.maximum(wI[nz] * lo_y[nz], wI[nz] * hi_y[nz]).sum())
    psi_hi = theta_hi - float(np.minimum(wI[nz] * lo_y[nz], wI[nz] * hi_y[nz]).sum())
    # z* >= its value at u_p = pinv(G_Eq) @ h_Eq (solves the equality rows): each term affine in (x, y, psi)
    Pinv = np.linalg.pinv(G[eq]) if eq.size else np.zeros((k, 0))
    Cx = -TLx + G @ Pinv @ TLx[eq]  # (M, nL): h_i - G_i u_p as a function of x ...
    Cy = -TI + G @ Pinv @ TI[eq]  # ... and of y
    c0 = h0 - G @ Pinv @ h0[eq]

    def box_min(g, lo, hi):
        nzg = g != 0
        return float(np.minimum(g[nzg] * lo[nzg], g[nzg] * hi[nzg]).sum())

    terms = [c0[i] + box_min(Cx[i], lo_x, hi_x) + box_min(Cy[i], lo_y, hi_y) for i in ineq]
    gv = wC @ Pinv  # w_C @ u_p - psi
    terms.append(float(gv @ h0[eq]) + box_min(-gv @ TLx[eq], lo_x, hi_x) + box_min(-gv @ TI[eq], lo_y, hi_y) - psi_hi)
    z_lo = min(terms)
    if not np.isfinite(z_lo):
        return None, "a follower row has no finite bound over the leader's box"
    z_lo = z_lo - 1e-6 * (1.0 + abs(z_lo))
    # slack LPs over (x_L, y, u, z, psi): G_In u + z + TL x + TI y <= h0, G_Eq ... = h0, z - wC u + psi <= 0
    mi = ineq.size
    A = np.vstack([
        np.hstack([TLx[ineq], TI[ineq], G[ineq], np.ones((mi, 1)), np.zeros((mi, 1))]),
        np.hstack([TLx[eq], TI[eq], G[eq], np.zeros((eq.size, 2))]),
        np.concatenate([np.zeros(nL + nI), -wC, [1.0, 1.0]])[None, :],
    ])
    rl = np.concatenate([np.full(mi, -np.inf), h0[eq], [-np.inf]])
    ru = np.concatenate([h0[ineq], h0[eq], [0.0]])
    lb = np.concatenate([lo_x, lo_y, np.full(k, -np.inf), [z_lo, psi_lo]])
    ub = np.concatenate([hi_x, hi_y, np.full(k, np.inf), [0.0, psi_hi]])
    cont = np.zeros(A.shape[1], bool)
    S = np.zeros(mi)
    for r in range(mi + 1):
        check_deadline()
        out = solve_mip(A[-1 if r == mi else r], A, rl, ru, lb, ub, cont)  # min row = -(slack) + const
        if out.status == "infeasible":
            return None, NO_FOLLOWER_POINT
        if out.status != "optimal":
            return None, ("the slack of a follower row has no finite bound over the leader's box (the follower's "
                          "LP has a recession direction along which the row loosens)")
        if r < mi:
            S[r] = _pad(max(0.0, h0[ineq[r]] - out.objective))
        else:
            S_value = _pad(max(0.0, -out.objective))
    return NormalizedKkt(G, wC, TL, TI, h0, ineq, eq, S, S_value, z_lo, w, wI, theta_lo, theta_hi), ""


def _pad(val: float) -> float:
    return val * (1.0 + 1e-6) + 1e-6


def build_kkt(G, wC, TL, TI, h0, w, wI, lo_x, hi_x, lo_y, hi_y, leader, value_bounds=None
              ) -> tuple[KktData | NormalizedKkt | None, str]:
    """KKT data, or ``(None, reason)`` when a big-M bound is infinite.

    ``G`` (M, k), ``TL`` (M, n) (nonzero on the ``leader`` columns only), ``TI``
    (M, nI), ``h0`` (M,); ``lo_x, hi_x`` bounds of the leader columns, ``lo_y,
    hi_y`` of the follower integer ones.  Returns ``(None, "empty")`` if the dual
    polyhedron is empty (the follower's problem is unbounded).  When the dual
    polyhedron has rays, ``value_bounds()`` (a callable returning valid bounds
    ``(lo, hi)`` of ``w @ v`` at bilevel feasible points) enables the normalised
    form (:class:`NormalizedKkt`); without it the reason is returned.
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
            if value_bounds is not None:  # rays: the normalised form has multipliers in [0, 1]
                return build_normalized_kkt(G, wC, TL, TI, h0, w, wI, lo_x, hi_x, lo_y, hi_y, leader,
                                            *value_bounds())
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
            return None, NO_FOLLOWER_POINT
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

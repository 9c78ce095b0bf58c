"""Rows that restrict the interdiction master to leader decisions among which an optimal one lies.

Both families rest on the follower's *monotonicity*: interdicting more never raises the follower's
value ``Phi(x)`` (a response at ``x + e_v`` is one at ``x``).  They are added to the master (and its
LP copy) as ordinary rows; they are not valid for every leader decision, only for at least one
optimal one, which is all the cut loop needs: the master stays a relaxation of the bilevel problem
*restricted* to the decisions that satisfy them, and that restriction has the same optimal value.

* **dominance** (knapsack-interdiction preprocessing): a binary follower item ``i`` *dominates* ``k``
  when ``w_i >= w_k`` (profit), ``P[:, i] <= P[:, k]`` (uses no more of any packing row), and its
  interdictor ``u`` is no dearer than ``k``'s ``v`` (``A_L[:, u] <= A_L[:, v]`` on the leader's
  packing rows, ``c_L[u] <= c_L[v]``); identical items are ordered by index.  Then ``x_u >= x_v``:
  from a decision with ``x_v = 1, x_u = 0``, swapping the two (interdict ``i`` instead of ``k``)
  stays feasible, costs no more, and every response ``T`` at the swapped decision maps to a response
  at the original one (``T - k + i`` if ``k`` is in ``T``, else ``T``) with no less profit.
* **maximality**: with a single leader packing row ``a @ x <= b`` (integer data) and ``c_L[v] <= 0``,
  a decision to which ``v`` can be added within the budget is no better than the one with it, so
  ``x_v = 0`` implies ``a @ x >= b - a_v + 1``, the row ``a @ x + (b - a_v + 1) x_v >= b - a_v + 1``.

Both together: from any optimal decision, swaps (same count, strictly higher rank in a linear
extension of the dominance order) and additions (one more interdiction) never raise the objective
and cannot go on forever (the pair (count, rank sum) grows), so they end at an optimal decision that
satisfies every row.
"""
from __future__ import annotations

import numpy as np

from ..problem import Problem

__all__ = ["binary", "leader_packing", "reduction_rows"]

Row = tuple[np.ndarray, np.ndarray, float, float]  # (leader positions, values, lower, upper)

#: most leader variables for which the rows are made: the dominance test is quadratic (its reduction
#: cubic) in them and the maximality rows are dense, so large instances go without (they stay sparse)
MAX_LEADERS = 400


def binary(p: Problem, cols: np.ndarray) -> bool:
    """Are the variables ``cols`` all binary (integer with bounds 0 and 1)?"""
    return bool(np.all(p.integer[cols]) and np.all(p.lb[cols] == 0) and np.all(p.ub[cols] == 1))


def leader_packing(p: Problem, leader_rows: np.ndarray, A_lead) -> np.ndarray | None:
    """Dense (rows, n_leader) leader matrix when every leader row is a packing row
    (coefficients >= 0, no lower side, finite upper side), else None."""
    if leader_rows.size == 0:
        return np.zeros((0, A_lead.shape[1]))
    lo, hi = p.row_lower[leader_rows], p.row_upper[leader_rows]
    if np.any(np.isfinite(lo)) or not np.all(np.isfinite(hi)):
        return None
    dense = np.asarray(A_lead.toarray(), dtype=float)
    if np.any(dense < 0):
        return None
    return dense


def reduction_rows(p: Problem, s, A_lead, P_dense: np.ndarray | None) -> list[Row]:
    """Dominance and maximality rows (see the module docstring) over the master's leader positions;
    empty when the structure they need (binary leader and follower variables, one interdictor per
    item, leader packing rows) is not there.  ``s``: the :class:`~.value_function_cuts.InterdictionStructure`;
    ``P_dense``: the follower's (packing rows, n_follower) matrix."""
    L, F = s.leader, s.follower
    if P_dense is None or L.size > MAX_LEADERS or not binary(p, L):
        return []
    if not (np.all(p.integer[F]) and np.all(p.ub[F] == 1)):
        return []
    AL = leader_packing(p, s.leader_rows, A_lead)
    if AL is None:
        return []
    lpos = -np.ones(p.n, int)
    lpos[L] = np.arange(L.size)
    cL = p.c[L]
    rows: list[Row] = []
    v = s.vub
    items = np.flatnonzero(v >= 0)
    pos = lpos[v[items]]
    if np.unique(pos).size == pos.size:  # one interdictor per item, one item per interdictor
        rows += _dominance_rows(items, pos, s.w, P_dense, AL, cL)
    rows += _maximality_rows(p, s.leader_rows, AL, cL)
    return rows


def _dominance_rows(items, pos, w, P, AL, cL) -> list[Row]:
    """``x_u - x_v >= 0`` for each pair where the item interdicted by ``u`` dominates that of ``v``,
    less the pairs implied by two others (``u`` over ``t`` over ``v``: the order is transitive)."""
    m = items.size
    W, Pc, A, c = w[items], P[:, items], AL[:, pos], cL[pos]
    D = (W[:, None] >= W[None, :]) & (c[:, None] <= c[None, :])
    D &= np.all(Pc[:, :, None] <= Pc[:, None, :], axis=0) & np.all(A[:, :, None] <= A[:, None, :], axis=0)
    same = D & D.T  # identical items: only the lower index dominates
    D &= ~same | np.triu(np.ones((m, m), bool), 1)
    np.fill_diagonal(D, False)
    implied = (D.astype(np.int64) @ D.astype(np.int64)) > 0
    out: list[Row] = []
    for a, b in zip(*np.nonzero(D & ~implied)):
        out.append((np.array([pos[a], pos[b]], np.int32), np.array([1.0, -1.0]), 0.0, np.inf))
    return out


def _maximality_rows(p: Problem, leader_rows, AL, cL) -> list[Row]:
    """``a @ x + (b - a_v + 1) x_v >= b - a_v + 1`` for each leader position ``v`` with ``c_L[v] <= 0``
    and ``a_v <= b`` (one leader packing row ``a @ x <= b``, integer data)."""
    if AL.shape[0] != 1:
        return []
    a, b = AL[0], float(p.row_upper[leader_rows[0]])
    if np.any(a != np.round(a)) or b != np.round(b):
        return []
    out: list[Row] = []
    nz = np.flatnonzero(a)
    for v in range(a.size):
        if cL[v] > 0 or a[v] > b:
            continue
        r = b - a[v] + 1.0
        coef = a.copy()
        coef[v] += r
        idx = np.union1d(nz, [v]).astype(np.int32)
        out.append((idx, coef[idx], r, np.inf))
    return out

"""Build a :class:`~bigrad.miblp.problem.Problem` from an MPS file plus a MibS/BOBILib aux file."""
from __future__ import annotations

import os

import numpy as np

from .. import _sparse as sp
from ..problem import Problem
from .aux_file import AuxData, read_aux
from .mps_file import DENSE_MAX_ENTRIES, MpsData, MpsFormatError, read_mps

__all__ = ["read_mps_aux"]


def _resolve(aux: AuxData, refs, names: list[str], what: str, where: str = "") -> list[int]:
    index = {nm: i for i, nm in enumerate(names)}
    out: list[int] = []
    seen: dict[int, int] = {}
    for r, line in refs:
        if isinstance(r, int):
            if not 0 <= r < len(names):
                has = where or f"the MPS file has {len(names)} {what}s"
                raise MpsFormatError(aux.path, line, f"{what} index {r} out of range ({has})")
            i = r
        else:
            if r not in index:
                raise MpsFormatError(aux.path, line, f"unknown {what} {r!r} (not in the MPS file)")
            i = index[r]
        if i in seen:
            raise MpsFormatError(aux.path, line, f"{what} {names[i]!r} listed twice (first on line {seen[i]})")
        seen[i] = line
        out.append(i)
    return out


def read_mps_aux(mps, aux, *, mps_format: str = "free") -> Problem:
    """Read a bilevel instance in MibS/BOBILib format.

    Parameters
    ----------
    mps : str or os.PathLike
        MPS file: leader objective, all variables and all constraints
        (for interdiction instances: the follower's problem only).
    aux : str or os.PathLike
        Auxiliary file, index-based (``N M LC LR LO OS [IC IB]``) or
        name-based (``@NUMVARS @NUMCONSTRS @VARSBEGIN ... @CONSTSBEGIN ...``).
    mps_format : {"free", "fixed"}
        MPS dialect, see :func:`bigrad.miblp.reading.mps_file.read_mps`.

    Returns
    -------
    Problem
        Leader objective minimised (an ``OBJSENSE MAX`` objective is negated and
        noted in ``Problem.notes``).  Interdiction instances (``IC``/``IB``) are
        expanded as in MibS: one binary leader variable ``x_j`` per MPS column
        ``y_j``, budget row ``IC @ x <= IB`` (leader), follower rows of the MPS
        file plus ``ub_j x_j + y_j <= ub_j``, leader objective ``-`` (MPS objective).

    Raises
    ------
    MpsFormatError (a ValueError)
        Malformed file; the message starts with ``FILE:LINE:``.
    """
    for nm, val in (("mps", mps), ("aux", aux)):
        if not isinstance(val, (str, os.PathLike)):
            raise TypeError(f"{nm} must be a path (str or os.PathLike), got {type(val).__name__}")
    data = read_mps(mps, fmt=mps_format)
    info = read_aux(aux)
    sense = "min" if info.sense == 1 else "max"
    name = info.name or data.name or os.path.splitext(os.path.basename(os.fspath(mps)))[0]
    if info.interdiction_budget is not None:
        return _interdiction(data, info, sense, name)
    cols = _resolve(info, info.cols, data.col_names, "column")
    rows = _resolve(info, info.rows, data.row_names, "row")
    coefs = np.array([v for v, _ in info.obj], dtype=float)
    n, m = data.c.size, data.row_lower.size
    fvars = np.zeros(n, bool)
    fvars[cols] = True
    frows = np.zeros(m, bool)
    frows[rows] = True
    fc = np.zeros(n)
    fc[cols] = coefs
    notes = list(data.notes)
    if data.maximize:
        notes.append("leader objective was MAX in the MPS file; it is negated (minimised)")
    try:
        return Problem(
            c=data.c,
            A=data.A,
            row_lower=data.row_lower,
            row_upper=data.row_upper,
            lb=data.lb,
            ub=data.ub,
            integer=data.integer,
            follower_vars=fvars,
            follower_rows=frows,
            follower_c=fc,
            follower_sense=sense,
            var_names=data.col_names,
            row_names=data.row_names,
            name=name,
            objective_offset=data.objective_offset,
            notes=notes,
        )
    except ValueError as exc:
        line = info.cols[0][1] if info.cols else 1
        raise MpsFormatError(info.path, line, f"instance rejected ({data.path}): {exc}") from None


def _interdiction(data: MpsData, info: AuxData, sense: str, name: str) -> Problem:
    """MibS's interdiction model (MibSModel::loadProblemData).

    Columns: ``x_0 .. x_{n-1}`` (binary interdiction decisions, leader), then
    the ``n`` MPS columns.  Rows: the budget row ``IC @ x <= IB``, then the
    ``m`` MPS rows (on the MPS columns), then the VUB rows
    ``ub_j x_j + y_j <= ub_j``.  ``LC``/``LR`` indices refer to this augmented
    model, exactly as in MibS (so a 10-item knapsack lists ``LC 10 .. 19`` and
    ``LR 1 .. 11``); names refer to the MPS columns/rows.  The leader
    minimises minus the MPS objective.  MibS's extra auxiliary column (index
    ``2n``, in no row, zero cost) is not modelled.
    """
    n, m = data.c.size, data.row_lower.size
    aug_cols = [f"interdict_{c}" for c in data.col_names] + list(data.col_names)
    aug_rows = ["interdiction_budget"] + list(data.row_names) + [f"interdict_{c}_vub" for c in data.col_names]
    where = f"MibS's interdiction model: {n} interdiction columns, then the {n} MPS columns"
    cols = _resolve(info, info.cols, aug_cols, "column", where)
    where = f"MibS's interdiction model: budget row, the {m} MPS rows, then {n} VUB rows"
    rows = _resolve(info, info.rows, aug_rows, "row", where)
    if len(info.interdiction_costs) != n:
        line = info.interdiction_costs[min(n, len(info.interdiction_costs) - 1)][1]
        raise MpsFormatError(info.path, line, f"{len(info.interdiction_costs)} interdiction costs (IC) "
                                              f"for {n} MPS columns (MibS needs one per column)")
    ub = data.ub
    bad = np.flatnonzero(~np.isfinite(ub))
    if bad.size:
        j = int(bad[0])
        raise MpsFormatError(data.path, data.bound_lines.get(j, data.col_lines[j]),
                             f"interdiction (IC/IB in {info.path}) needs a finite upper bound on every column; "
                             f"column {data.col_names[j]!r} has none")
    cost = np.array([v for v, _ in info.interdiction_costs], dtype=float)
    fc = np.zeros(2 * n)
    fc[cols] = [v for v, _ in info.obj]
    raw_c = -data.c if data.maximize else data.c
    raw_off = -data.objective_offset if data.maximize else data.objective_offset
    fvars = np.zeros(2 * n, bool)
    fvars[cols] = True
    frows = np.zeros(1 + m + n, bool)
    frows[rows] = True
    A = sp.bmat([[sp.csr_matrix(cost[None, :]), sp.csr_matrix((1, n))],
                 [sp.csr_matrix((m, n)), sp.csr_matrix(data.A)],
                 [sp.diags(ub), sp.identity(n)]], format="csr")
    if not sp.issparse(data.A) and A.shape[0] * A.shape[1] <= DENSE_MAX_ENTRIES:
        A = A.toarray()  # small instance: dense, like the MPS matrix
    row_lower = np.concatenate([[-np.inf], data.row_lower, np.full(n, -np.inf)])
    row_upper = np.concatenate([[info.interdiction_budget], data.row_upper, ub])
    try:
        return Problem(
            c=np.concatenate([np.zeros(n), -raw_c]),
            A=A,
            row_lower=row_lower,
            row_upper=row_upper,
            lb=np.concatenate([np.zeros(n), data.lb]),
            ub=np.concatenate([np.ones(n), ub]),
            integer=np.concatenate([np.ones(n, bool), data.integer]),
            follower_vars=fvars,
            follower_rows=frows,
            follower_c=fc,
            follower_sense=sense,
            var_names=aug_cols,
            row_names=aug_rows,
            name=name,
            objective_offset=-raw_off,
            notes=list(data.notes) + ["interdiction instance expanded as in MibS (leader objective = -MPS objective)"],
        )
    except ValueError as exc:
        raise MpsFormatError(info.path, info.budget_line, f"interdiction model rejected: {exc}") from None

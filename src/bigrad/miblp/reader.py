"""Build a :class:`~bigrad.miblp.problem.Problem` from an MPS file plus a MibS/BOBILib aux file."""
from __future__ import annotations

import os

import numpy as np

from .auxfile import AuxData, read_aux
from .mps import MpsData, MpsFormatError, read_mps
from .problem import Problem

__all__ = ["read_mps_aux"]


def _resolve(aux: AuxData, refs, names: list[str], what: str) -> list[int]:
    index = {nm: i for i, nm in enumerate(names)}
    out: list[int] = []
    seen: dict[int, int] = {}
    for r, line in refs:
        if isinstance(r, int):
            if not 0 <= r < len(names):
                raise MpsFormatError(aux.path, line, f"{what} index {r} out of range (the MPS file has {len(names)} {what}s)")
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
        MPS dialect, see :func:`bigrad.miblp.mps.read_mps`.

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
    cols = _resolve(info, info.cols, data.col_names, "column")
    rows = _resolve(info, info.rows, data.row_names, "row")
    coefs = np.array([v for v, _ in info.obj], dtype=float)
    sense = "min" if info.sense == 1 else "max"
    name = info.name or data.name or os.path.splitext(os.path.basename(os.fspath(mps)))[0]
    if info.interdiction_budget is not None:
        return _interdiction(data, info, cols, rows, coefs, sense, name)

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
        raise ValueError(f"{data.path} + {info.path}: {exc}") from None


def _interdiction(data: MpsData, info: AuxData, cols, rows, coefs, sense, name) -> Problem:
    n, m = data.c.size, data.row_lower.size
    if sorted(cols) != list(range(n)):
        raise MpsFormatError(info.path, None, "interdiction instances (IC/IB) must list every MPS column as a follower variable")
    ub = data.ub
    bad = np.flatnonzero(~np.isfinite(ub))
    if bad.size:
        raise ValueError(
            f"{data.path}: interdiction needs a finite upper bound on every column; "
            f"column {data.col_names[bad[0]]!r} is unbounded"
        )
    cost = np.zeros(n)
    cost[cols] = [v for v, _ in info.interdiction_costs]
    fc = np.zeros(n)
    fc[cols] = coefs
    raw_c = -data.c if data.maximize else data.c
    raw_off = -data.objective_offset if data.maximize else data.objective_offset
    frows = np.zeros(m, bool)
    frows[rows] = True
    # variables: [x (interdiction, leader binaries), y (MPS columns, follower)]
    A = np.zeros((1 + m + n, 2 * n))
    A[0, :n] = cost
    A[1 : 1 + m, n:] = data.A
    A[1 + m :, :n] = np.diag(ub)
    A[1 + m :, n:] = np.eye(n)
    row_lower = np.concatenate([[-np.inf], data.row_lower, np.full(n, -np.inf)])
    row_upper = np.concatenate([[info.interdiction_budget], data.row_upper, ub])
    return Problem(
        c=np.concatenate([np.zeros(n), -raw_c]),
        A=A,
        row_lower=row_lower,
        row_upper=row_upper,
        lb=np.concatenate([np.zeros(n), data.lb]),
        ub=np.concatenate([np.ones(n), ub]),
        integer=np.concatenate([np.ones(n, bool), data.integer]),
        follower_vars=np.concatenate([np.zeros(n, bool), np.ones(n, bool)]),
        follower_rows=np.concatenate([[False], frows, np.ones(n, bool)]),
        follower_c=np.concatenate([np.zeros(n), fc]),
        follower_sense=sense,
        var_names=[f"interdict_{c}" for c in data.col_names] + list(data.col_names),
        row_names=["interdiction_budget"] + list(data.row_names) + [f"interdict_{c}_vub" for c in data.col_names],
        name=name,
        objective_offset=-raw_off,
        notes=list(data.notes) + ["interdiction instance expanded as in MibS (leader objective = -MPS objective)"],
    )

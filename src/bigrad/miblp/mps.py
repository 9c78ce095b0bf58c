"""Reader for MPS files (fixed and free format) with line-numbered errors.

Supported sections: NAME, OBJSENSE (MIN/MAX, value on the same or the next
line), ROWS, COLUMNS (with ``'MARKER' 'INTORG'/'INTEND'``), RHS, RANGES,
BOUNDS (UP LO FX FR MI PL BV LI UI) and ENDATA.  Conventions:

* the first ``N`` row is the objective; further ``N`` rows are dropped;
* an RHS entry on the objective row ``r`` gives the objective constant ``-r``;
* integer columns from a MARKER block whose upper bound is never set in
  BOUNDS get the bounds [0, 1] (the original IBM convention, also used by
  HiGHS); ``LI``/``UI`` columns are integer with the given bound;
* ``UP`` with a negative value on a column whose lower bound is still the
  default 0 sets the lower bound to ``-inf`` (CPLEX/Gurobi convention) and
  records a note;
* values with magnitude >= 1e30 mean infinity.

Free format (the default, ``fmt="free"``) splits lines at whitespace, so names
must not contain spaces; ``fmt="fixed"`` reads the classic fixed columns
(fields start at columns 2, 5, 15, 25, 40, 50) and allows spaces in names.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field

import numpy as np

from . import _sparse as sp

__all__ = ["HIGHS_MAX_COEFFICIENT", "MpsData", "MpsFormatError", "read_mps"]

_INF = np.inf
#: largest matrix (m * n entries) read as a dense array; larger ones are scipy.sparse CSR
DENSE_MAX_ENTRIES = 1_000_000
#: HiGHS rejects a model with a matrix entry of this magnitude or more (its option
#: ``large_matrix_value``); bigrad puts objective coefficients (the leader's and the
#: follower's) into constraint rows too, so they must stay below it as well
HIGHS_MAX_COEFFICIENT = 1e15


def coefficient_range_error(what: str, value: float) -> str | None:
    """Why ``value`` (a finite coefficient) cannot be given to HiGHS, or None when it can."""
    if abs(value) < HIGHS_MAX_COEFFICIENT:
        return None
    return (f"{what} is {value:g}, too large: HiGHS accepts coefficients of magnitude below {HIGHS_MAX_COEFFICIENT:g} "
            f"(its large_matrix_value; bigrad also puts objective coefficients into constraint rows), "
            f"so rescale the instance")

_SECTIONS = ("NAME", "OBJSENSE", "OBJSENS", "ROWS", "COLUMNS", "RHS", "RANGES", "BOUNDS", "ENDATA")
_UNSUPPORTED = ("SOS", "QUADOBJ", "QMATRIX", "QSECTION", "QCMATRIX", "CSECTION", "INDICATORS", "OBJNAME")


class MpsFormatError(ValueError):
    """Malformed input file; the message starts with ``FILE:LINE:``."""

    def __init__(self, path: str, line: int | None, message: str):
        self.path = str(path)
        self.line = line
        self.reason = message
        where = f"{self.path}:{line}" if line is not None else self.path
        super().__init__(f"{where}: {message}")


@dataclass
class MpsData:
    """Contents of an MPS file (``n`` columns, ``m`` constraint rows).

    ``c`` (n,) is the objective as minimisation (negated if OBJSENSE MAX),
    ``A`` (m, n) dense or ``scipy.sparse`` CSR (large files), ``row_lower``/``row_upper`` (m,), ``lb``/``ub`` (n,),
    ``integer`` (n,) bool.
    """

    path: str
    name: str
    c: np.ndarray
    A: np.ndarray | sp.csr_matrix
    row_lower: np.ndarray
    row_upper: np.ndarray
    lb: np.ndarray
    ub: np.ndarray
    integer: np.ndarray
    col_names: list[str]
    row_names: list[str]
    objective_offset: float = 0.0
    col_lines: list[int] = field(default_factory=list)
    bound_lines: dict[int, int] = field(default_factory=dict)
    maximize: bool = False
    notes: list[str] = field(default_factory=list)


def _num(path: str, lineno: int, tok: str, what: str) -> float:
    try:
        val = float(tok)
    except ValueError:
        raise MpsFormatError(path, lineno, f"{what}: {tok!r} is not a number") from None
    if np.isnan(val):
        raise MpsFormatError(path, lineno, f"{what} is NaN")
    if val >= 1e30:
        return _INF
    if val <= -1e30:
        return -_INF
    return val


def _fixed_tokens(section: str, line: str) -> list[str]:
    """Fields of a fixed-format data line, arranged like the free-format tokens."""
    spans = ((1, 3), (4, 12), (14, 22), (24, 36), (39, 47), (49, 61))
    f = [line[a:b].strip() for a, b in spans]
    if section == "ROWS":
        return [t for t in f[:2] if t]
    if section == "COLUMNS":
        toks = f[1:4]
    elif section in ("RHS", "RANGES"):
        toks = [f[1] or "SET"] + f[2:4]
    else:  # BOUNDS
        toks = [f[0], f[1] or "BND", f[2]] + ([f[3]] if f[3] else [])
        return toks
    if f[4] or f[5]:
        toks += f[4:6]
    return toks


def read_lines(path) -> tuple[str, list[str]]:
    """``(path as str, its lines)``; a bad ``path`` type raises TypeError, an unreadable file MpsFormatError."""
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"path must be a str or os.PathLike, got {type(path).__name__}")
    path = os.fspath(path)
    try:
        with open(path, encoding="utf-8", errors="replace") as fh:
            return path, fh.read().splitlines()
    except OSError as exc:
        raise MpsFormatError(path, None, f"cannot read file: {exc.strerror or exc}") from None


def read_mps(path, *, fmt: str = "free", max_dense_entries: int = DENSE_MAX_ENTRIES) -> MpsData:
    """Parse an MPS file.  Raises :class:`MpsFormatError` ("FILE:LINE: ...").

    ``A`` is a dense array when it has at most ``max_dense_entries`` entries (m * n), else a
    ``scipy.sparse`` CSR matrix (memory proportional to the nonzeros).
    """
    if fmt not in ("free", "fixed"):
        raise ValueError(f"fmt must be 'free' or 'fixed', got {fmt!r}")
    path, lines = read_lines(path)

    name = ""
    section = None
    maximize = False
    obj_row: str | None = None
    dropped_rows: set[str] = set()
    row_index: dict[str, int] = {}
    row_type: list[str] = []
    row_names: list[str] = []
    col_index: dict[str, int] = {}
    col_names: list[str] = []
    col_int: list[bool] = []
    entries: dict[tuple[int, int], float] = {}
    obj: dict[int, float] = {}
    rhs: dict[int, float] = {}
    ranges: dict[int, float] = {}
    offset = 0.0
    in_int = False
    bounds_lb: dict[int, float] = {}
    bounds_ub: dict[int, float] = {}
    bound_int: set[int] = set()
    col_lines: list[int] = []
    bound_lines: dict[int, int] = {}
    notes: list[str] = []
    ended = False
    expect_sense = False

    def err(lineno: int, msg: str) -> MpsFormatError:
        return MpsFormatError(path, lineno, msg)

    def row_of(lineno: int, rname: str) -> int | None:
        """Index of a constraint row, None for the objective/dropped rows."""
        if rname == obj_row or rname in dropped_rows:
            return None
        if rname not in row_index:
            raise err(lineno, f"unknown row {rname!r}")
        return row_index[rname]

    def col_of(lineno: int, cname: str) -> int:
        if cname not in col_index:
            raise err(lineno, f"unknown column {cname!r}")
        return col_index[cname]

    for lineno, raw in enumerate(lines, start=1):
        line = raw.rstrip()
        if not line.strip() or line.lstrip().startswith("*"):
            continue
        if not line[0].isspace():  # section header
            toks = line.split()
            head = toks[0].upper()
            if head in _UNSUPPORTED:
                raise err(lineno, f"section {head} is not supported")
            if head not in _SECTIONS:
                raise err(lineno, f"unknown section {toks[0]!r}")
            if ended:
                break
            section = head
            expect_sense = False
            if head == "NAME":
                name = line[4:].strip() if len(line) > 4 else ""
            elif head in ("OBJSENSE", "OBJSENS"):
                if len(toks) > 1:
                    maximize = _sense(path, lineno, toks[1])
                else:
                    expect_sense = True
            elif head in ("RHS", "RANGES", "BOUNDS") and len(toks) > 1 and fmt == "free":
                raise err(lineno, f"unexpected text after section name {head}")
            elif head == "ENDATA":
                ended = True
                break
            continue

        if section is None:
            raise err(lineno, "data line before the first section header")
        toks = line.split()
        is_marker = section == "COLUMNS" and len(toks) >= 3 and toks[1].strip("'\"").upper() == "MARKER"
        if fmt == "fixed" and section not in ("OBJSENSE", "OBJSENS") and not is_marker:
            toks = _fixed_tokens(section, line)
        if section in ("OBJSENSE", "OBJSENS"):
            if not expect_sense:
                raise err(lineno, "OBJSENSE section has more than one entry")
            maximize = _sense(path, lineno, toks[0])
            expect_sense = False
        elif section == "NAME":
            raise err(lineno, "unexpected data line in NAME section")
        elif section == "ROWS":
            if len(toks) != 2:
                raise err(lineno, f"ROWS entry needs 2 fields (type name), got {len(toks)}")
            rtype, rname = toks[0].upper(), toks[1]
            if rtype not in ("N", "L", "G", "E"):
                raise err(lineno, f"unknown row type {toks[0]!r} (expected N, L, G or E)")
            if rname in row_index or rname == obj_row or rname in dropped_rows:
                raise err(lineno, f"duplicate row name {rname!r}")
            if rtype == "N":
                if obj_row is None:
                    obj_row = rname
                else:
                    dropped_rows.add(rname)
                    notes.append(f"free row {rname!r} dropped")
            else:
                row_index[rname] = len(row_names)
                row_names.append(rname)
                row_type.append(rtype)
        elif section == "COLUMNS":
            if is_marker:
                kind = toks[2].strip("'\"").upper()
                if kind == "INTORG":
                    if in_int:
                        raise err(lineno, "INTORG marker inside an integer block")
                    in_int = True
                elif kind == "INTEND":
                    if not in_int:
                        raise err(lineno, "INTEND marker without INTORG")
                    in_int = False
                else:
                    raise err(lineno, f"unknown marker {toks[2]!r}")
                continue
            if len(toks) not in (3, 5):
                raise err(lineno, f"COLUMNS entry needs 3 or 5 fields (column row value [row value]), got {len(toks)}")
            cname = toks[0]
            if cname not in col_index:
                col_index[cname] = len(col_names)
                col_names.append(cname)
                col_int.append(in_int)
                col_lines.append(lineno)
            j = col_index[cname]
            if col_int[j] != in_int:
                raise err(lineno, f"column {cname!r} appears both inside and outside an integer block")
            for rname, vtok in zip(toks[1::2], toks[2::2]):
                val = _num(path, lineno, vtok, f"coefficient of column {cname!r} in row {rname!r}")
                if not np.isfinite(val):
                    raise err(lineno, f"infinite coefficient for column {cname!r} in row {rname!r}")
                what = "objective coefficient" if rname == obj_row else "coefficient"
                problem = coefficient_range_error(f"the {what} of column {cname!r} in row {rname!r}", val)
                if problem is not None:
                    raise err(lineno, problem)
                if rname == obj_row:
                    if j in obj:
                        raise err(lineno, f"duplicate objective entry for column {cname!r}")
                    obj[j] = val
                    continue
                i = row_of(lineno, rname)
                if i is None:
                    continue
                if (i, j) in entries:
                    raise err(lineno, f"duplicate entry for column {cname!r} in row {rname!r}")
                entries[(i, j)] = val
        elif section in ("RHS", "RANGES"):
            if len(toks) in (3, 5):
                pairs = toks[1:]
            elif len(toks) in (2, 4):
                pairs = toks
            else:
                raise err(lineno, f"{section} entry needs 2 to 5 fields, got {len(toks)}")
            for rname, vtok in zip(pairs[0::2], pairs[1::2]):
                val = _num(path, lineno, vtok, f"{section} value of row {rname!r}")
                if section == "RHS" and rname == obj_row:
                    if not np.isfinite(val):
                        raise err(lineno, f"infinite RHS value for the objective row {rname!r} (objective constant)")
                    offset = -val
                    continue
                i = row_of(lineno, rname)
                if i is None:
                    continue
                target = rhs if section == "RHS" else ranges
                if i in target:
                    raise err(lineno, f"duplicate {section} entry for row {rname!r}")
                if not np.isfinite(val):
                    raise err(lineno, f"infinite {section} value for row {rname!r}")
                target[i] = val
        elif section == "BOUNDS":
            if not toks:
                continue
            btype = toks[0].upper()
            needs_value = btype in ("UP", "LO", "FX", "LI", "UI")
            if btype not in ("UP", "LO", "FX", "LI", "UI", "FR", "MI", "PL", "BV"):
                if btype == "SC":
                    raise err(lineno, "semi-continuous bounds (SC) are not supported")
                raise err(lineno, f"unknown bound type {toks[0]!r}")
            if needs_value:
                if len(toks) == 4:
                    cname, vtok = toks[2], toks[3]
                elif len(toks) == 3:
                    cname, vtok = toks[1], toks[2]
                else:
                    raise err(lineno, f"bound {btype} needs a column and a value")
                val = _num(path, lineno, vtok, f"{btype} bound of column {cname!r}")
            else:
                if len(toks) == 2:
                    cname = toks[1]
                elif len(toks) in (3, 4):
                    cname = toks[2]
                else:
                    raise err(lineno, f"bound {btype} needs a column name")
                val = 0.0
            j = col_of(lineno, cname)
            if (btype in ("LO", "LI", "FX") and val == _INF) or (btype in ("UP", "UI", "FX") and val == -_INF):
                raise err(lineno, f"{btype} bound {vtok} of column {cname!r} is infinite in the wrong direction")
            bound_lines[j] = lineno
            if btype == "UP":
                bounds_ub[j] = val
                if val < 0 and j not in bounds_lb:
                    bounds_lb[j] = -_INF
                    notes.append(f"column {cname!r}: negative UP bound with default lower bound; lower bound set to -inf")
            elif btype == "LO":
                bounds_lb[j] = val
            elif btype == "FX":
                bounds_lb[j] = bounds_ub[j] = val
            elif btype == "FR":
                bounds_lb[j], bounds_ub[j] = -_INF, _INF
            elif btype == "MI":
                bounds_lb[j] = -_INF
            elif btype == "PL":
                bounds_ub[j] = _INF
            elif btype == "BV":
                bounds_lb[j], bounds_ub[j] = 0.0, 1.0
                bound_int.add(j)
            elif btype == "LI":
                bounds_lb[j] = val
                bound_int.add(j)
            elif btype == "UI":
                bounds_ub[j] = val
                bound_int.add(j)
                if val < 0 and j not in bounds_lb:
                    bounds_lb[j] = -_INF
        else:  # pragma: no cover - section names are validated above
            raise err(lineno, f"unexpected data in section {section}")

    last = max(1, len(lines))
    if not any(ln.strip() for ln in lines):
        raise MpsFormatError(path, 1, "empty MPS file")
    if not ended:
        raise MpsFormatError(path, last, "missing ENDATA")
    if in_int:
        raise MpsFormatError(path, last, "integer MARKER block not closed (missing INTEND)")
    if obj_row is None and not row_names and not col_names:
        raise MpsFormatError(path, last, "file contains no ROWS/COLUMNS")
    if obj_row is None:
        notes.append("no objective (N) row: objective is zero")

    n, m = len(col_names), len(row_names)
    if n == 0:
        raise MpsFormatError(path, last, "no columns")
    c = np.zeros(n)
    for j, v in obj.items():
        c[j] = v
    ij = np.array(list(entries.keys()), dtype=np.int64).reshape(-1, 2)
    vals = np.fromiter(entries.values(), dtype=float, count=len(entries))
    if n * m <= max_dense_entries:  # entries are distinct (duplicates were refused above)
        A = np.zeros((m, n))
        A[ij[:, 0], ij[:, 1]] = vals
    else:
        A = sp.csr_matrix((vals, (ij[:, 0], ij[:, 1])), shape=(m, n))
    row_lower = np.full(m, -_INF)
    row_upper = np.full(m, _INF)
    for i, t in enumerate(row_type):
        r = rhs.get(i, 0.0)
        rng = ranges.get(i)
        if t == "L":
            row_upper[i] = r
            if rng is not None:
                row_lower[i] = r - abs(rng)
        elif t == "G":
            row_lower[i] = r
            if rng is not None:
                row_upper[i] = r + abs(rng)
        else:
            row_lower[i] = row_upper[i] = r
            if rng is not None:
                if rng > 0:
                    row_upper[i] = r + rng
                else:
                    row_lower[i] = r + rng
    integer = np.array(col_int, dtype=bool)
    for j in bound_int:
        integer[j] = True
    lb = np.zeros(n)
    ub = np.full(n, _INF)
    for j in range(n):
        if col_int[j] and j not in bounds_ub:
            ub[j] = 1.0  # IBM convention for MARKER integers without an upper bound
    for j, v in bounds_lb.items():
        lb[j] = v
    for j, v in bounds_ub.items():
        ub[j] = v
    for j in range(n):
        if lb[j] > ub[j]:
            raise MpsFormatError(path, bound_lines.get(j, col_lines[j]),
                                 f"column {col_names[j]!r} has lower bound {lb[j]:g} > upper bound {ub[j]:g}")
    if maximize:
        c = -c
        offset = -offset
    return MpsData(
        path=path,
        name=name,
        c=c,
        A=A,
        row_lower=row_lower,
        row_upper=row_upper,
        lb=lb,
        ub=ub,
        integer=integer,
        col_names=col_names,
        row_names=row_names,
        objective_offset=offset,
        col_lines=col_lines,
        bound_lines=bound_lines,
        maximize=maximize,
        notes=notes,
    )


def _sense(path: str, lineno: int, tok: str) -> bool:
    t = tok.upper()
    if t in ("MAX", "MAXIMIZE", "MAXIMISE"):
        return True
    if t in ("MIN", "MINIMIZE", "MINIMISE"):
        return False
    raise MpsFormatError(path, lineno, f"unknown objective sense {tok!r} (expected MIN or MAX)")

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

from .. import _sparse as sp

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
    parser = _MpsParser(path, fmt)
    for lineno, raw in enumerate(lines, start=1):
        line = raw.rstrip()
        if not line.strip() or line.lstrip().startswith("*"):
            continue
        if not line[0].isspace():  # section header
            if parser.header(lineno, line):
                break
        else:
            parser.data(lineno, line)
    return parser.finish(lines, max_dense_entries)


_BOUND_TYPES = ("UP", "LO", "FX", "LI", "UI", "FR", "MI", "PL", "BV")


class _MpsParser:
    """The state of one MPS file being read, with one method per section (as HiGHS's ``HMpsFF``)."""

    def __init__(self, path: str, fmt: str) -> None:
        self.path, self.fmt = path, fmt
        self.name = ""
        self.section: str | None = None
        self.maximize = self.in_int = self.ended = self.expect_sense = False
        self.obj_row: str | None = None
        self.dropped_rows: set[str] = set()
        self.row_index: dict[str, int] = {}
        self.row_type: list[str] = []
        self.row_names: list[str] = []
        self.col_index: dict[str, int] = {}
        self.col_names: list[str] = []
        self.col_int: list[bool] = []
        self.col_lines: list[int] = []
        self.entries: dict[tuple[int, int], float] = {}
        self.obj: dict[int, float] = {}
        self.rhs: dict[int, float] = {}
        self.ranges: dict[int, float] = {}
        self.offset = 0.0
        self.bounds_lb: dict[int, float] = {}
        self.bounds_ub: dict[int, float] = {}
        self.bound_int: set[int] = set()
        self.bound_lines: dict[int, int] = {}
        self.notes: list[str] = []

    def err(self, lineno: int, msg: str) -> MpsFormatError:
        return MpsFormatError(self.path, lineno, msg)

    def row_of(self, lineno: int, rname: str) -> int | None:
        """Index of a constraint row, None for the objective/dropped rows."""
        if rname == self.obj_row or rname in self.dropped_rows:
            return None
        if rname not in self.row_index:
            raise self.err(lineno, f"unknown row {rname!r}")
        return self.row_index[rname]

    def col_of(self, lineno: int, cname: str) -> int:
        if cname not in self.col_index:
            raise self.err(lineno, f"unknown column {cname!r}")
        return self.col_index[cname]

    # ---- lines ------------------------------------------------------------------------------
    def header(self, lineno: int, line: str) -> bool:
        """A section header line; True when reading stops (ENDATA, or a section after it)."""
        toks = line.split()
        head = toks[0].upper()
        if head in _UNSUPPORTED:
            raise self.err(lineno, f"section {head} is not supported")
        if head not in _SECTIONS:
            raise self.err(lineno, f"unknown section {toks[0]!r}")
        if self.ended:
            return True
        self.section = head
        self.expect_sense = False
        if head == "NAME":
            self.name = line[4:].strip() if len(line) > 4 else ""
        elif head in ("OBJSENSE", "OBJSENS"):
            if len(toks) > 1:
                self.maximize = _sense(self.path, lineno, toks[1])
            else:
                self.expect_sense = True
        elif head in ("RHS", "RANGES", "BOUNDS") and len(toks) > 1 and self.fmt == "free":
            raise self.err(lineno, f"unexpected text after section name {head}")
        elif head == "ENDATA":
            self.ended = True
            return True
        return False

    def data(self, lineno: int, line: str) -> None:
        """A data line of the current section."""
        section = self.section
        if section is None:
            raise self.err(lineno, "data line before the first section header")
        toks = line.split()
        is_marker = section == "COLUMNS" and len(toks) >= 3 and toks[1].strip("'\"").upper() == "MARKER"
        if self.fmt == "fixed" and section not in ("OBJSENSE", "OBJSENS") and not is_marker:
            toks = _fixed_tokens(section, line)
        if section in ("OBJSENSE", "OBJSENS"):
            if not self.expect_sense:
                raise self.err(lineno, "OBJSENSE section has more than one entry")
            self.maximize = _sense(self.path, lineno, toks[0])
            self.expect_sense = False
        elif section == "NAME":
            raise self.err(lineno, "unexpected data line in NAME section")
        elif section == "ROWS":
            self.rows(lineno, toks)
        elif section == "COLUMNS":
            if is_marker:
                self.marker(lineno, toks)
            else:
                self.columns(lineno, toks)
        elif section in ("RHS", "RANGES"):
            self.rhs_or_ranges(lineno, section, toks)
        elif section == "BOUNDS":
            if toks:
                self.bounds(lineno, toks)
        else:  # pragma: no cover - section names are validated above
            raise self.err(lineno, f"unexpected data in section {section}")

    # ---- sections ---------------------------------------------------------------------------
    def rows(self, lineno: int, toks: list[str]) -> None:
        if len(toks) != 2:
            raise self.err(lineno, f"ROWS entry needs 2 fields (type name), got {len(toks)}")
        rtype, rname = toks[0].upper(), toks[1]
        if rtype not in ("N", "L", "G", "E"):
            raise self.err(lineno, f"unknown row type {toks[0]!r} (expected N, L, G or E)")
        if rname in self.row_index or rname == self.obj_row or rname in self.dropped_rows:
            raise self.err(lineno, f"duplicate row name {rname!r}")
        if rtype == "N":
            if self.obj_row is None:
                self.obj_row = rname
            else:
                self.dropped_rows.add(rname)
                self.notes.append(f"free row {rname!r} dropped")
        else:
            self.row_index[rname] = len(self.row_names)
            self.row_names.append(rname)
            self.row_type.append(rtype)

    def marker(self, lineno: int, toks: list[str]) -> None:
        kind = toks[2].strip("'\"").upper()
        if kind == "INTORG":
            if self.in_int:
                raise self.err(lineno, "INTORG marker inside an integer block")
            self.in_int = True
        elif kind == "INTEND":
            if not self.in_int:
                raise self.err(lineno, "INTEND marker without INTORG")
            self.in_int = False
        else:
            raise self.err(lineno, f"unknown marker {toks[2]!r}")

    def columns(self, lineno: int, toks: list[str]) -> None:
        if len(toks) not in (3, 5):
            raise self.err(lineno, f"COLUMNS entry needs 3 or 5 fields (column row value [row value]), got {len(toks)}")
        cname = toks[0]
        if cname not in self.col_index:
            self.col_index[cname] = len(self.col_names)
            self.col_names.append(cname)
            self.col_int.append(self.in_int)
            self.col_lines.append(lineno)
        j = self.col_index[cname]
        if self.col_int[j] != self.in_int:
            raise self.err(lineno, f"column {cname!r} appears both inside and outside an integer block")
        for rname, vtok in zip(toks[1::2], toks[2::2]):
            val = _num(self.path, lineno, vtok, f"coefficient of column {cname!r} in row {rname!r}")
            if not np.isfinite(val):
                raise self.err(lineno, f"infinite coefficient for column {cname!r} in row {rname!r}")
            what = "objective coefficient" if rname == self.obj_row else "coefficient"
            problem = coefficient_range_error(f"the {what} of column {cname!r} in row {rname!r}", val)
            if problem is not None:
                raise self.err(lineno, problem)
            if rname == self.obj_row:
                if j in self.obj:
                    raise self.err(lineno, f"duplicate objective entry for column {cname!r}")
                self.obj[j] = val
                continue
            i = self.row_of(lineno, rname)
            if i is None:
                continue
            if (i, j) in self.entries:
                raise self.err(lineno, f"duplicate entry for column {cname!r} in row {rname!r}")
            self.entries[(i, j)] = val

    def rhs_or_ranges(self, lineno: int, section: str, toks: list[str]) -> None:
        if len(toks) in (3, 5):
            pairs = toks[1:]
        elif len(toks) in (2, 4):
            pairs = toks
        else:
            raise self.err(lineno, f"{section} entry needs 2 to 5 fields, got {len(toks)}")
        for rname, vtok in zip(pairs[0::2], pairs[1::2]):
            val = _num(self.path, lineno, vtok, f"{section} value of row {rname!r}")
            if section == "RHS" and rname == self.obj_row:
                if not np.isfinite(val):
                    raise self.err(lineno, f"infinite RHS value for the objective row {rname!r} (objective constant)")
                self.offset = -val
                continue
            i = self.row_of(lineno, rname)
            if i is None:
                continue
            target = self.rhs if section == "RHS" else self.ranges
            if i in target:
                raise self.err(lineno, f"duplicate {section} entry for row {rname!r}")
            if not np.isfinite(val):
                raise self.err(lineno, f"infinite {section} value for row {rname!r}")
            target[i] = val

    def bounds(self, lineno: int, toks: list[str]) -> None:
        btype = toks[0].upper()
        if btype not in _BOUND_TYPES:
            if btype == "SC":
                raise self.err(lineno, "semi-continuous bounds (SC) are not supported")
            raise self.err(lineno, f"unknown bound type {toks[0]!r}")
        vtok = ""
        if btype in ("UP", "LO", "FX", "LI", "UI"):
            if len(toks) not in (3, 4):
                raise self.err(lineno, f"bound {btype} needs a column and a value")
            cname, vtok = toks[-2], toks[-1]
            val = _num(self.path, lineno, vtok, f"{btype} bound of column {cname!r}")
        else:
            if len(toks) not in (2, 3, 4):
                raise self.err(lineno, f"bound {btype} needs a column name")
            cname, val = toks[1] if len(toks) == 2 else toks[2], 0.0
        j = self.col_of(lineno, cname)
        if (btype in ("LO", "LI", "FX") and val == _INF) or (btype in ("UP", "UI", "FX") and val == -_INF):
            raise self.err(lineno, f"{btype} bound {vtok} of column {cname!r} is infinite in the wrong direction")
        self.bound_lines[j] = lineno
        self.set_bound(btype, j, cname, val)

    def set_bound(self, btype: str, j: int, cname: str, val: float) -> None:
        lb, ub = self.bounds_lb, self.bounds_ub
        if btype in ("UP", "UI"):
            ub[j] = val
            if val < 0 and j not in lb:
                lb[j] = -_INF
                if btype == "UP":
                    self.notes.append(
                        f"column {cname!r}: negative UP bound with default lower bound; lower bound set to -inf")
        elif btype in ("LO", "LI"):
            lb[j] = val
        elif btype == "FX":
            lb[j] = ub[j] = val
        elif btype == "FR":
            lb[j], ub[j] = -_INF, _INF
        elif btype == "MI":
            lb[j] = -_INF
        elif btype == "PL":
            ub[j] = _INF
        else:  # BV
            lb[j], ub[j] = 0.0, 1.0
        if btype in ("BV", "LI", "UI"):
            self.bound_int.add(j)

    # ---- the model --------------------------------------------------------------------------
    def finish(self, lines: list[str], max_dense_entries: int) -> MpsData:
        """Checks at the end of the file, then the arrays."""
        last = max(1, len(lines))
        if not any(ln.strip() for ln in lines):
            raise MpsFormatError(self.path, 1, "empty MPS file")
        if not self.ended:
            raise MpsFormatError(self.path, last, "missing ENDATA")
        if self.in_int:
            raise MpsFormatError(self.path, last, "integer MARKER block not closed (missing INTEND)")
        if self.obj_row is None and not self.row_names and not self.col_names:
            raise MpsFormatError(self.path, last, "file contains no ROWS/COLUMNS")
        if self.obj_row is None:
            self.notes.append("no objective (N) row: objective is zero")
        n = len(self.col_names)
        if n == 0:
            raise MpsFormatError(self.path, last, "no columns")
        c = np.zeros(n)
        for j, v in self.obj.items():
            c[j] = v
        row_lower, row_upper = self.row_bounds()
        lb, ub, integer = self.column_bounds()
        offset = self.offset
        if self.maximize:
            c, offset = -c, -offset
        return MpsData(path=self.path, name=self.name, c=c, A=self.matrix(max_dense_entries), row_lower=row_lower,
                       row_upper=row_upper, lb=lb, ub=ub, integer=integer, col_names=self.col_names,
                       row_names=self.row_names, objective_offset=offset, col_lines=self.col_lines,
                       bound_lines=self.bound_lines, maximize=self.maximize, notes=self.notes)

    def matrix(self, max_dense_entries: int) -> np.ndarray | sp.csr_matrix:
        n, m = len(self.col_names), len(self.row_names)
        ij = np.array(list(self.entries.keys()), dtype=np.int64).reshape(-1, 2)
        vals = np.fromiter(self.entries.values(), dtype=float, count=len(self.entries))
        if n * m <= max_dense_entries:  # entries are distinct (duplicates were refused above)
            A = np.zeros((m, n))
            A[ij[:, 0], ij[:, 1]] = vals
            return A
        return sp.csr_matrix((vals, (ij[:, 0], ij[:, 1])), shape=(m, n))

    def row_bounds(self) -> tuple[np.ndarray, np.ndarray]:
        m = len(self.row_names)
        row_lower = np.full(m, -_INF)
        row_upper = np.full(m, _INF)
        for i, t in enumerate(self.row_type):
            r = self.rhs.get(i, 0.0)
            rng = self.ranges.get(i)
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
        return row_lower, row_upper

    def column_bounds(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        n = len(self.col_names)
        integer = np.array(self.col_int, dtype=bool)
        for j in self.bound_int:
            integer[j] = True
        lb = np.zeros(n)
        ub = np.full(n, _INF)
        for j in range(n):
            if self.col_int[j] and j not in self.bounds_ub:
                ub[j] = 1.0  # IBM convention for MARKER integers without an upper bound
        for j, v in self.bounds_lb.items():
            lb[j] = v
        for j, v in self.bounds_ub.items():
            ub[j] = v
        for j in range(n):
            if lb[j] > ub[j]:
                raise MpsFormatError(self.path, self.bound_lines.get(j, self.col_lines[j]),
                                     f"column {self.col_names[j]!r} has lower bound {lb[j]:g} > upper bound {ub[j]:g}")
        return lb, ub, integer


def _sense(path: str, lineno: int, tok: str) -> bool:
    t = tok.upper()
    if t in ("MAX", "MAXIMIZE", "MAXIMISE"):
        return True
    if t in ("MIN", "MINIMIZE", "MINIMISE"):
        return False
    raise MpsFormatError(path, lineno, f"unknown objective sense {tok!r} (expected MIN or MAX)")

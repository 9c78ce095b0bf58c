"""Reader for MibS / BOBILib auxiliary (``.aux``) files.

Index-based keys (one per line, value after the key)::

    N  <number of follower variables>      M  <number of follower rows>
    LC <column>   (N times)                LR <row>   (M times)
    LO <coef>     (N times, same order as LC)
    OS <1|-1>     follower objective sense: 1 minimise (default), -1 maximise
    IC <cost>     (N times) and IB <budget>: interdiction problem

``LC``/``LR`` hold 0-based column / constraint-row indices in MPS order (the
objective row does not count); a name is accepted too.

Name-based keys (BOBILib / MibS "name-based" format)::

    @NUMVARS <n>      @NUMCONSTRS <m>   (also @NUMCONSTR; value on the same or next line)
    @VARSBEGIN  <name> <coef> ...  @VARSEND
    @CONSTSBEGIN <name> ...  @CONSTSEND       (also @CONSTRBEGIN / @CONSTREND)
    @NAME <instance name>   @MPS <mps file name>

In the name-based format the follower objective is minimised unless an
``OS -1`` line says otherwise.  Lines starting with ``#`` or ``*`` are comments.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .mps import MpsFormatError, coefficient_range_error, read_lines

__all__ = ["AuxData", "read_aux"]

_BEGIN_VARS = ("@VARSBEGIN",)
_END_VARS = ("@VARSEND",)
_BEGIN_CONS = ("@CONSTSBEGIN", "@CONSTRBEGIN", "@CONSTRSBEGIN")
_END_CONS = ("@CONSTSEND", "@CONSTREND", "@CONSTRSEND")


@dataclass
class AuxData:
    """Raw contents of an aux file; column/row references are unresolved.

    ``cols`` / ``rows`` hold ``(reference, line)`` pairs where ``reference`` is
    an ``int`` index or a ``str`` name.  ``obj`` holds ``(coef, line)`` pairs in
    the order of ``cols``.  ``sense`` is ``1`` (min) or ``-1`` (max).
    """

    path: str
    num_vars: int | None = None
    num_rows: int | None = None
    cols: list[tuple[int | str, int]] = field(default_factory=list)
    rows: list[tuple[int | str, int]] = field(default_factory=list)
    obj: list[tuple[float, int]] = field(default_factory=list)
    sense: int = 1
    interdiction_costs: list[tuple[float, int]] = field(default_factory=list)
    interdiction_budget: float | None = None
    budget_line: int = 1
    name: str = ""
    mps_name: str = ""
    index_based: bool = False
    name_based: bool = False


def read_aux(path) -> AuxData:
    """Parse an aux file.  Raises :class:`MpsFormatError` ("FILE:LINE: ...")."""
    path, lines = read_lines(path)

    # (token, line) stream; "rest of line" is kept for @NAME
    tokens: list[tuple[str, int]] = []
    line_text: dict[int, str] = {}
    for lineno, raw in enumerate(lines, start=1):
        s = raw.strip()
        if not s or s.startswith("#") or s.startswith("*"):
            continue
        line_text[lineno] = s
        tokens.extend((tok, lineno) for tok in s.split())

    aux = AuxData(path=path)
    pos = 0

    def err(lineno: int | None, msg: str) -> MpsFormatError:
        return MpsFormatError(path, lineno, msg)

    def take(key: str, key_line: int) -> tuple[str, int]:
        nonlocal pos
        if pos >= len(tokens):
            raise err(key_line, f"{key} needs a value")
        tok, ln = tokens[pos]
        if tok.startswith("@") or (tok.upper() in _INDEX_KEYS and ln != key_line):
            raise err(key_line, f"{key} needs a value")
        pos += 1
        return tok, ln

    def as_int(tok: str, ln: int, key: str) -> int:
        try:
            v = int(tok)
        except ValueError:
            raise err(ln, f"{key}: {tok!r} is not an integer") from None
        if v < 0:
            raise err(ln, f"{key}: {v} is negative")
        return v

    def as_float(tok: str, ln: int, key: str) -> float:
        try:
            v = float(tok)
        except ValueError:
            raise err(ln, f"{key}: {tok!r} is not a number") from None
        if v != v or v in (float("inf"), float("-inf")):
            raise err(ln, f"{key}: {tok!r} is not a finite number")
        if key not in ("IB", "OS"):  # LO, IC and @VARSBEGIN coefficients become entries of HiGHS' matrices
            problem = coefficient_range_error(key, v)
            if problem is not None:
                raise err(ln, problem)
        return v

    def ref(tok: str) -> int | str:
        try:
            return int(tok)
        except ValueError:
            return tok

    while pos < len(tokens):
        tok, ln = tokens[pos]
        pos += 1
        key = tok.upper()
        if key == "N":
            aux.index_based = True
            aux.num_vars = as_int(*take("N", ln), "N")
        elif key == "M":
            aux.index_based = True
            aux.num_rows = as_int(*take("M", ln), "M")
        elif key == "LC":
            aux.index_based = True
            t, l2 = take("LC", ln)
            aux.cols.append((ref(t), l2))
        elif key == "LR":
            aux.index_based = True
            t, l2 = take("LR", ln)
            aux.rows.append((ref(t), l2))
        elif key == "LO":
            aux.index_based = True
            t, l2 = take("LO", ln)
            aux.obj.append((as_float(t, l2, "LO"), l2))
        elif key == "OS":
            t, l2 = take("OS", ln)
            v = as_float(t, l2, "OS")
            if v not in (1.0, -1.0):
                raise err(l2, f"OS must be 1 (minimise) or -1 (maximise), got {t!r}")
            aux.sense = int(v)
        elif key == "IC":
            t, l2 = take("IC", ln)
            aux.interdiction_costs.append((as_float(t, l2, "IC"), l2))
        elif key == "IB":
            t, l2 = take("IB", ln)
            if aux.interdiction_budget is not None:
                raise err(l2, "IB given twice")
            aux.interdiction_budget = as_float(t, l2, "IB")
            aux.budget_line = l2
        elif key == "@NUMVARS":
            aux.name_based = True
            aux.num_vars = as_int(*_next_any(tokens, pos, path, ln, key), key)
            pos += 1
        elif key in ("@NUMCONSTRS", "@NUMCONSTR", "@NUMCONSTS"):
            aux.name_based = True
            aux.num_rows = as_int(*_next_any(tokens, pos, path, ln, key), key)
            pos += 1
        elif key in ("@NAME", "@MPS"):
            if pos < len(tokens) and tokens[pos][1] == ln:  # value on the same line
                value_line = ln
            elif pos < len(tokens) and not tokens[pos][0].startswith("@"):
                value_line = tokens[pos][1]
            else:
                raise err(ln, f"{key} needs a value")
            text = line_text[value_line]
            if value_line == ln:
                text = text.split(None, 1)[1] if len(text.split(None, 1)) > 1 else ""
            while pos < len(tokens) and tokens[pos][1] == value_line:
                pos += 1
            if key == "@NAME":
                aux.name = text.strip()
            else:
                aux.mps_name = text.strip()
        elif key == "@LP":
            raise err(ln, "@LP instance files are not supported (use an MPS file)")
        elif key in _BEGIN_VARS:
            # MibS reads exactly N entries and needs no end keyword; BOBILib closes with @VARSEND
            aux.name_based = True
            count = 0
            while True:
                if aux.num_vars is not None and count == aux.num_vars:
                    if pos < len(tokens) and tokens[pos][0].upper() in _END_VARS:
                        pos += 1
                    break
                if pos >= len(tokens):
                    if aux.num_vars is None:
                        raise err(ln, "@VARSBEGIN without @VARSEND")
                    raise err(ln, f"@VARSBEGIN section has {count} entries, N/@NUMVARS declared {aux.num_vars}")
                t, l2 = tokens[pos]
                if t.upper() in _END_VARS:
                    pos += 1
                    break
                if t.startswith("@"):
                    if aux.num_vars is None:
                        raise err(l2, f"unexpected {t} inside the variables section (missing @VARSEND?)")
                    raise err(l2, f"@VARSBEGIN section has {count} entries, N/@NUMVARS declared {aux.num_vars}")
                count += 1
                if pos + 1 >= len(tokens) or tokens[pos + 1][1] != l2:
                    raise err(l2, f"variable entry needs 'name coefficient', got {t!r} alone")
                coef = as_float(tokens[pos + 1][0], l2, f"coefficient of {t!r}")
                if pos + 2 < len(tokens) and tokens[pos + 2][1] == l2:
                    raise err(l2, "variable entry has more than 2 fields")
                aux.cols.append((t, l2))
                aux.obj.append((coef, l2))
                pos += 2
        elif key in _BEGIN_CONS:
            aux.name_based = True
            count = 0
            while True:
                if aux.num_rows is not None and count == aux.num_rows:
                    if pos < len(tokens) and tokens[pos][0].upper() in _END_CONS:
                        pos += 1
                    break
                if pos >= len(tokens):
                    if aux.num_rows is None:
                        raise err(ln, f"{tok} without matching end keyword")
                    raise err(ln, f"{tok} section has {count} entries, M/@NUMCONSTRS declared {aux.num_rows}")
                t, l2 = tokens[pos]
                pos += 1
                count += 1
                if t.upper() in _END_CONS:
                    break
                if t.startswith("@"):
                    raise err(l2, f"unexpected {t} inside the constraints section")
                aux.rows.append((t, l2))
        elif key in _END_VARS or key in _END_CONS:
            raise err(ln, f"{tok} without matching begin keyword")
        else:
            raise err(ln, f"unknown keyword {tok!r}")

    last = max(line_text) if line_text else max(1, len(lines))
    if not aux.cols:
        raise err(last, "no follower variables (expected LC lines or an @VARSBEGIN section)")
    if aux.num_vars is not None and aux.num_vars != len(aux.cols):
        raise err(last, f"declared {aux.num_vars} follower variables (N/@NUMVARS) but listed {len(aux.cols)}")
    if aux.num_rows is not None and aux.num_rows != len(aux.rows):
        raise err(last, f"declared {aux.num_rows} follower rows (M/@NUMCONSTRS) but listed {len(aux.rows)}")
    if len(aux.obj) != len(aux.cols):
        raise err(last, f"{len(aux.cols)} follower variables but {len(aux.obj)} follower objective coefficients (LO)")
    if aux.interdiction_costs or aux.interdiction_budget is not None:
        first_ic = aux.interdiction_costs[0][1] if aux.interdiction_costs else last
        if aux.interdiction_budget is None:
            raise err(first_ic, "interdiction costs (IC) given without a budget (IB)")
        if not aux.interdiction_costs:
            raise err(aux.budget_line, "interdiction budget (IB) given without interdiction costs (IC)")
    return aux


_INDEX_KEYS = ("N", "M", "LC", "LR", "LO", "OS", "IC", "IB")


def _next_any(tokens, pos, path, ln, key):
    """Value of a name-based count key: on the same line or the next one."""
    if pos >= len(tokens) or tokens[pos][0].startswith("@"):
        raise MpsFormatError(path, ln, f"{key} needs a value")
    return tokens[pos]

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

from .mps_file import MpsFormatError, coefficient_range_error, read_lines

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
    parser = _AuxParser(path, lines)
    while parser.pos < len(parser.tokens):
        tok, ln = parser.tokens[parser.pos]
        parser.pos += 1
        key = tok.upper()
        if key in _INDEX_KEYS:
            parser.index_key(key, ln)
        elif key in ("@NUMVARS", "@NUMCONSTRS", "@NUMCONSTR", "@NUMCONSTS"):
            parser.count_key(key, ln)
        elif key in ("@NAME", "@MPS"):
            parser.text_key(key, ln)
        elif key == "@LP":
            raise parser.err(ln, "@LP instance files are not supported (use an MPS file)")
        elif key in _BEGIN_VARS:
            parser.variables(ln)
        elif key in _BEGIN_CONS:
            parser.constraints(tok, ln)
        elif key in _END_VARS or key in _END_CONS:
            raise parser.err(ln, f"{tok} without matching begin keyword")
        else:
            raise parser.err(ln, f"unknown keyword {tok!r}")
    return parser.finish(lines)


class _AuxParser:
    """A token stream ``(token, line)`` over an aux file, with one method per kind of key."""

    def __init__(self, path: str, lines: list[str]) -> None:
        self.tokens: list[tuple[str, int]] = []
        self.line_text: dict[int, str] = {}  # the text of each line ("rest of line" values: @NAME, @MPS)
        for lineno, raw in enumerate(lines, start=1):
            s = raw.strip()
            if not s or s.startswith("#") or s.startswith("*"):
                continue
            self.line_text[lineno] = s
            self.tokens.extend((tok, lineno) for tok in s.split())
        self.path = path
        self.pos = 0
        self.aux = AuxData(path=path)

    def err(self, lineno: int | None, msg: str) -> MpsFormatError:
        return MpsFormatError(self.path, lineno, msg)

    def take(self, key: str, key_line: int) -> tuple[str, int]:
        if self.pos >= len(self.tokens):
            raise self.err(key_line, f"{key} needs a value")
        tok, ln = self.tokens[self.pos]
        if tok.startswith("@") or (tok.upper() in _INDEX_KEYS and ln != key_line):
            raise self.err(key_line, f"{key} needs a value")
        self.pos += 1
        return tok, ln

    def as_int(self, tok: str, ln: int, key: str) -> int:
        try:
            v = int(tok)
        except ValueError:
            raise self.err(ln, f"{key}: {tok!r} is not an integer") from None
        if v < 0:
            raise self.err(ln, f"{key}: {v} is negative")
        return v

    def as_float(self, tok: str, ln: int, key: str) -> float:
        try:
            v = float(tok)
        except ValueError:
            raise self.err(ln, f"{key}: {tok!r} is not a number") from None
        if v != v or v in (float("inf"), float("-inf")):
            raise self.err(ln, f"{key}: {tok!r} is not a finite number")
        if key not in ("IB", "OS"):  # LO, IC and @VARSBEGIN coefficients become entries of HiGHS' matrices
            problem = coefficient_range_error(key, v)
            if problem is not None:
                raise self.err(ln, problem)
        return v

    # ---- keys -------------------------------------------------------------------------------
    def index_key(self, key: str, ln: int) -> None:
        """``N M LC LR LO`` (index-based format), ``OS``, ``IC``, ``IB``."""
        aux = self.aux
        t, l2 = self.take(key, ln)
        if key in ("N", "M", "LC", "LR", "LO"):
            aux.index_based = True
        if key == "N":
            aux.num_vars = self.as_int(t, l2, key)
        elif key == "M":
            aux.num_rows = self.as_int(t, l2, key)
        elif key in ("LC", "LR"):
            (aux.cols if key == "LC" else aux.rows).append((_ref(t), l2))
        elif key == "LO":
            aux.obj.append((self.as_float(t, l2, key), l2))
        elif key == "OS":
            v = self.as_float(t, l2, key)
            if v not in (1.0, -1.0):
                raise self.err(l2, f"OS must be 1 (minimise) or -1 (maximise), got {t!r}")
            aux.sense = int(v)
        elif key == "IC":
            aux.interdiction_costs.append((self.as_float(t, l2, key), l2))
        else:  # IB
            if aux.interdiction_budget is not None:
                raise self.err(l2, "IB given twice")
            aux.interdiction_budget = self.as_float(t, l2, key)
            aux.budget_line = l2

    def count_key(self, key: str, ln: int) -> None:
        """``@NUMVARS`` / ``@NUMCONSTRS``: the value on the same line or the next one."""
        if self.pos >= len(self.tokens) or self.tokens[self.pos][0].startswith("@"):
            raise self.err(ln, f"{key} needs a value")
        value = self.as_int(*self.tokens[self.pos], key)
        self.pos += 1
        self.aux.name_based = True
        if key == "@NUMVARS":
            self.aux.num_vars = value
        else:
            self.aux.num_rows = value

    def text_key(self, key: str, ln: int) -> None:
        """``@NAME`` / ``@MPS``: the rest of the line, or the next line."""
        tokens, pos = self.tokens, self.pos
        if pos < len(tokens) and tokens[pos][1] == ln:  # value on the same line
            value_line = ln
        elif pos < len(tokens) and not tokens[pos][0].startswith("@"):
            value_line = tokens[pos][1]
        else:
            raise self.err(ln, f"{key} needs a value")
        text = self.line_text[value_line]
        if value_line == ln:
            text = text.split(None, 1)[1] if len(text.split(None, 1)) > 1 else ""
        while self.pos < len(tokens) and tokens[self.pos][1] == value_line:
            self.pos += 1
        if key == "@NAME":
            self.aux.name = text.strip()
        else:
            self.aux.mps_name = text.strip()

    # ---- sections ---------------------------------------------------------------------------
    def variables(self, ln: int) -> None:
        """``@VARSBEGIN``: ``name coefficient`` lines. MibS reads exactly N entries and needs no end
        keyword; BOBILib closes with ``@VARSEND``."""
        aux, tokens = self.aux, self.tokens
        aux.name_based = True
        count = 0
        while True:
            if aux.num_vars is not None and count == aux.num_vars:
                if self.pos < len(tokens) and tokens[self.pos][0].upper() in _END_VARS:
                    self.pos += 1
                return
            if self.pos >= len(tokens):
                if aux.num_vars is None:
                    raise self.err(ln, "@VARSBEGIN without @VARSEND")
                raise self.err(ln, f"@VARSBEGIN section has {count} entries, N/@NUMVARS declared {aux.num_vars}")
            t, l2 = tokens[self.pos]
            if t.upper() in _END_VARS:
                self.pos += 1
                return
            if t.startswith("@"):
                if aux.num_vars is None:
                    raise self.err(l2, f"unexpected {t} inside the variables section (missing @VARSEND?)")
                raise self.err(l2, f"@VARSBEGIN section has {count} entries, N/@NUMVARS declared {aux.num_vars}")
            count += 1
            if self.pos + 1 >= len(tokens) or tokens[self.pos + 1][1] != l2:
                raise self.err(l2, f"variable entry needs 'name coefficient', got {t!r} alone")
            coef = self.as_float(tokens[self.pos + 1][0], l2, f"coefficient of {t!r}")
            if self.pos + 2 < len(tokens) and tokens[self.pos + 2][1] == l2:
                raise self.err(l2, "variable entry has more than 2 fields")
            aux.cols.append((t, l2))
            aux.obj.append((coef, l2))
            self.pos += 2

    def constraints(self, begin: str, ln: int) -> None:
        """``@CONSTSBEGIN``: row names, up to M entries or the end keyword."""
        aux, tokens = self.aux, self.tokens
        aux.name_based = True
        count = 0
        while True:
            if aux.num_rows is not None and count == aux.num_rows:
                if self.pos < len(tokens) and tokens[self.pos][0].upper() in _END_CONS:
                    self.pos += 1
                return
            if self.pos >= len(tokens):
                if aux.num_rows is None:
                    raise self.err(ln, f"{begin} without matching end keyword")
                raise self.err(ln, f"{begin} section has {count} entries, M/@NUMCONSTRS declared {aux.num_rows}")
            t, l2 = tokens[self.pos]
            self.pos += 1
            count += 1
            if t.upper() in _END_CONS:
                return
            if t.startswith("@"):
                raise self.err(l2, f"unexpected {t} inside the constraints section")
            aux.rows.append((t, l2))

    def finish(self, lines: list[str]) -> AuxData:
        """Consistency checks at the end of the file."""
        aux = self.aux
        last = max(self.line_text) if self.line_text else max(1, len(lines))
        if not aux.cols:
            raise self.err(last, "no follower variables (expected LC lines or an @VARSBEGIN section)")
        if aux.num_vars is not None and aux.num_vars != len(aux.cols):
            raise self.err(last, f"declared {aux.num_vars} follower variables (N/@NUMVARS) but listed {len(aux.cols)}")
        if aux.num_rows is not None and aux.num_rows != len(aux.rows):
            raise self.err(last, f"declared {aux.num_rows} follower rows (M/@NUMCONSTRS) but listed {len(aux.rows)}")
        if len(aux.obj) != len(aux.cols):
            raise self.err(last, f"{len(aux.cols)} follower variables but {len(aux.obj)} follower objective "
                                 "coefficients (LO)")
        if aux.interdiction_costs or aux.interdiction_budget is not None:
            first_ic = aux.interdiction_costs[0][1] if aux.interdiction_costs else last
            if aux.interdiction_budget is None:
                raise self.err(first_ic, "interdiction costs (IC) given without a budget (IB)")
            if not aux.interdiction_costs:
                raise self.err(aux.budget_line, "interdiction budget (IB) given without interdiction costs (IC)")
        return aux


def _ref(tok: str) -> int | str:
    """A column/row reference: an int index, else a name."""
    try:
        return int(tok)
    except ValueError:
        return tok


_INDEX_KEYS = ("N", "M", "LC", "LR", "LO", "OS", "IC", "IB")


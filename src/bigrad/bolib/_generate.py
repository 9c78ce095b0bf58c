"""Generator of :mod:`bigrad.bolib.collection` from BOLIB's public MATLAB files.

Usage (the ``.m`` files are read, never committed)::

    git clone https://github.com/ShenglongZhou/BOLIB /tmp/bolib
    python -m bigrad.bolib._generate /tmp/bolib/BOLIB/BLIBExamples

Each ``<name>.m`` has a fixed pattern: a comment ``[dim_x dim_y dim_G dim_g] = [...]``,
optional parameters, then ``switch keyf`` with ``case 'F'; w = ...`` (values; the
derivative branches are ignored: bigrad differentiates with autograd), and
optional local ``data()`` functions returning constant matrices.  The value
expressions are translated by a small MATLAB expression compiler into calls of
:mod:`bigrad.bolib._matlab` (batched, column-vector semantics).  A file whose
pattern is not understood is recorded in ``NOT_TRANSLATED`` with the reason.
"""
from __future__ import annotations

import math
import re
import sys
from pathlib import Path

from bigrad.bolib._published import PUBLISHED

_OUT = Path(__file__).with_name("collection.py")
_FUNS = {"exp", "log", "sqrt", "cos", "sin", "abs"}
_TOKEN = re.compile(
    r"(?P<ws>[ \t]+)|(?P<num>(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)|(?P<id>[A-Za-z_]\w*)"
    r"|(?P<op>\.\*|\./|\.\^|\.'|[-+*/^'()\[\];,:~=\n])"
)
# binary operators: precedence, python helper or infix
_BIN = {"+": (10, "+"), "-": (10, "-"), "*": (20, "mtimes"), "/": (20, "/"), ".*": (20, "*"),
        "./": (20, "/"), ":": (5, "span")}
_POW = {"^": "mpower", ".^": "**"}


class TranslationError(ValueError):
    """A construct the translator does not handle."""


def _tokens(src: str) -> list[tuple[str, str, bool]]:
    """``(kind, text, space_before)``; inside ``[]`` whitespace separates elements as in MATLAB."""
    out: list = []
    pos, space = 0, False
    while pos < len(src):
        m = _TOKEN.match(src, pos)
        if m is None:
            raise TranslationError(f"unexpected character {src[pos]!r} in {src!r}")
        pos = m.end()
        kind = m.lastgroup
        if kind == "ws":
            space = True
            continue
        text = m.group()
        if kind == "op" and text == "'" and not (out and _ends_operand(out[-1]) and not space):
            raise TranslationError(f"string literal in expression {src!r}")
        out.append((kind, text, space))
        space = False
    return _bracket_separators(out)


def _ends_operand(tok) -> bool:
    kind, text, _ = tok
    return kind in ("num", "id") or text in (")", "]", "'", ".'")


def _bracket_separators(toks):
    """Insert ``,`` between whitespace-separated elements and ``;`` for newlines inside ``[]``."""
    out, stack = [], []
    for i, (kind, text, space) in enumerate(toks):
        if stack and stack[-1] == "[" and out:
            nxt = toks[i + 1] if i + 1 < len(toks) else None
            if text == "\n":
                out.append(("op", ";", False))
                continue
            starts = kind in ("num", "id") or text in ("(", "[")
            unary = text in ("+", "-") and nxt is not None and not nxt[2]
            if space and _ends_operand(out[-1]) and (starts or unary):
                out.append(("op", ",", False))
        elif text == "\n":
            continue
        if text in ("(", "["):
            stack.append(text)
        elif text in (")", "]"):
            stack.pop()
        out.append((kind, text, space))
    return out


class _Parser:
    """Pratt parser emitting Python source over :mod:`bigrad.bolib._matlab`."""

    def __init__(self, toks, variables: set[str]):
        self.toks, self.i, self.vars = toks, 0, variables

    def peek(self):
        return self.toks[self.i][1] if self.i < len(self.toks) else None

    def take(self, expect=None):
        if self.i >= len(self.toks):
            raise TranslationError("unexpected end of expression")
        tok = self.toks[self.i]
        if expect is not None and tok[1] != expect:
            raise TranslationError(f"expected {expect!r}, got {tok[1]!r}")
        self.i += 1
        return tok

    def expr(self, min_prec=0) -> str:
        left = self.unary()
        while (op := self.peek()) in _BIN and _BIN[op][0] > min_prec:
            self.take()
            prec, fn = _BIN[op]
            right = self.expr(prec)
            left = f"{fn}({left}, {right})" if fn.isalpha() else f"({left} {fn} {right})"
        return left

    def unary(self) -> str:
        if self.peek() in ("-", "+"):
            op = self.take()[1]
            inner = self.expr(15)  # binds looser than ^ and tighter than * (as in MATLAB)
            return f"(-{inner})" if op == "-" else inner
        return self.postfix(self.atom())

    def postfix(self, base: str) -> str:
        while True:
            op = self.peek()
            if op in ("'", ".'"):
                self.take()
                base = f"tr({base})"
            elif op in _POW:
                self.take()
                if self.peek() in ("-", "+"):
                    sign = self.take()[1]
                    exp = self.postfix(self.atom())
                    exp = f"(-{exp})" if sign == "-" else exp
                else:
                    exp = self.postfix_no_pow(self.atom())
                base = f"mpower({base}, {exp})" if _POW[op] == "mpower" else f"({base} ** {exp})"
            else:
                return base

    def postfix_no_pow(self, base: str) -> str:
        while self.peek() in ("'", ".'"):
            self.take()
            base = f"tr({base})"
        return base

    def args(self) -> list[str]:
        self.take("(")
        out = []
        if self.peek() != ")":
            out.append(_bare(self.expr()))
            while self.peek() == ",":
                self.take()
                out.append(_bare(self.expr()))
        self.take(")")
        return out

    def atom(self) -> str:
        kind, text, _ = self.take()
        if kind == "num":
            return repr(float(text))
        if text == "(":
            e = self.expr()
            self.take(")")
            return e  # emitted binary operations are parenthesised already
        if text == "[":
            return self.matrix()
        if kind != "id":
            raise TranslationError(f"unexpected token {text!r}")
        if text in self.vars:
            if self.peek() == "(":
                (i,) = self.args()
                return f"index({_var(text)}, {i})"
            return _var(text)
        if text == "pi":
            return "pi"
        if self.peek() != "(":
            raise TranslationError(f"unknown name {text!r}")
        a = self.args()
        if text in _FUNS and len(a) == 1:
            return f"mfun({text!r}, {a[0]})"
        if text in ("sum", "prod") and len(a) == 1:
            return f"m{text}({a[0]})"
        if text == "eye" and len(a) == 1:
            return f"eye({a[0]})"
        if text == "diag" and len(a) == 1:
            return f"torch.diag_embed(cat([[{a[0]}]]).reshape(-1))"
        raise TranslationError(f"unsupported function {text}({', '.join(a)})")

    def matrix(self) -> str:
        rows: list = []
        row: list = []
        while self.peek() != "]":
            if self.peek() == ";":
                self.take()
                rows.append(row)
                row = []
            elif self.peek() == ",":
                self.take()
            else:
                row.append(_bare(self.expr()))
        self.take("]")
        rows.append(row)
        rows = [r for r in rows if r]
        if not rows:
            return "torch.zeros(0, 1, dtype=torch.float64)"
        return "cat([" + ", ".join("[" + ", ".join(r) + "]" for r in rows) + "])"


def _bare(code: str) -> str:
    """Drop one pair of enclosing parentheses (``(a + b)`` -> ``a + b``) when they enclose everything."""
    if not (code.startswith("(") and code.endswith(")")):
        return code
    depth = 0
    for k, ch in enumerate(code):
        depth += (ch == "(") - (ch == ")")
        if depth == 0 and k < len(code) - 1:
            return code
    return code[1:-1]


def _var(name: str) -> str:
    return name if name in ("x", "y") else f"v_{name}"


def _strip_comments(text: str) -> str:
    return "\n".join(re.sub(r"%.*", "", line) for line in text.splitlines())


def _statements(body: str) -> list[str]:
    """Split at ``;``/newline outside brackets and parentheses."""
    out, depth, cur = [], 0, ""
    for ch in body:
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
        if ch in ";\n" and depth == 0:
            if cur.strip():
                out.append(cur.strip())
            cur = ""
        else:
            cur += ch
    if cur.strip():
        out.append(cur.strip())
    return out


def _assign(stmt: str, variables: set[str], data_outputs: list[str] | None) -> list[str]:
    """One MATLAB statement -> Python lines (``variables`` grows with assigned names)."""
    m = re.fullmatch(r"\[([^\]]*)\]\s*=\s*data\s*\(\s*\)", stmt)
    if m:
        if data_outputs is None:
            raise TranslationError("data() is called but not defined")
        names = [n.strip() for n in re.split(r"[,\s]+", m.group(1).strip()) if n.strip()]
        lines = ["_d = _data()"]
        for k, n in enumerate(names):
            if n != "~":
                variables.add(n)
                lines.append(f"{_var(n)} = _d[{k}]")
        return lines
    m = re.fullmatch(r"([A-Za-z_]\w*)\s*=(?!=)\s*(.+)", stmt, flags=re.S)
    if not m:
        raise TranslationError(f"unsupported statement {stmt!r}")
    name, rhs = m.group(1), m.group(2)
    p = _Parser(_tokens(rhs.strip()), variables)
    code = _bare(p.expr())
    if p.i != len(p.toks):
        raise TranslationError(f"trailing tokens in {rhs!r}")
    variables.add(name)
    return [f"{_var(name)} = {code}"]


def _block(stmts: list[str], data_outputs) -> list[str]:
    variables = {"x", "y"}
    lines = []
    for s in stmts:
        lines += _assign(s, variables, data_outputs)
    return lines


def _data_function(text: str):
    """``function [a, b] = data() ... end`` -> (outputs, python lines) or (None, [])."""
    m = re.search(r"^\s*function\s*\[([^\]]*)\]\s*=\s*data\s*\(\s*\)(.*?)^\s*end\s*$", text, flags=re.S | re.M)
    if not m:
        return None, []
    outs = [n for n in re.split(r"[,\s]+", m.group(1).strip()) if n]
    variables: set[str] = set()
    lines = []
    for s in _statements(m.group(2)):
        lines += _assign(s, variables, [])
    lines.append("return (" + ", ".join(_var(n) for n in outs) + ",)")
    return outs, lines


def translate_file(path: Path) -> dict:
    """Translate one ``<name>.m`` -> ``{name, dims, source}`` (Python source of ``_make_<name>``)."""
    text = _strip_comments_keep_dims(path.read_text(errors="replace"))
    name = path.stem
    dims_m = re.search(r"\[dim_x dim_y dim_G dim_g\]\s*=\s*\[([\d\s]+)\]", path.read_text(errors="replace"))
    if not dims_m:
        raise TranslationError("no [dim_x dim_y dim_G dim_g] comment")
    dims = tuple(int(v) for v in dims_m.group(1).split())
    main_end = re.search(r"^\s*function\b", text[1:], flags=re.M)
    main = text if main_end is None else text[: main_end.start() + 1]
    rest = "" if main_end is None else text[main_end.start() + 1:]
    if re.search(r"^\s*function\s+w\s*=", rest, flags=re.M):
        raise TranslationError("the objective calls a local function with branches (if/elseif): "
                               "piecewise definition not translated")
    head, _, tail = main.partition("if nargin<4")
    values = tail.split("\nelse", 1)[0]
    pre = _statements(head.split("\n", 1)[1]) if "\n" in head else []
    outs, data_lines = _data_function(rest)
    cases = dict(re.findall(r"case\s*'([FGfg])'\s*;?(.*?)(?=case\s*'[FGfg]'|\n\s*end\s*$|\Z)", values,
                            flags=re.S | re.M))
    if sorted(cases) != sorted("FGfg"):
        raise TranslationError(f"cases found: {sorted(cases)}")
    src = [f"def _make_{name}():"]
    if data_lines:
        src.append("    def _data():")
        src += ["        " + ln for ln in data_lines]
    for key in "FfGg":
        stmts = [s for s in _statements(cases[key].replace("||", "")) if s not in ("end",)]
        lines = _block(pre + stmts, outs)
        lines = lines[len(pre):] if not any(_uses(ln, lines) for ln in lines[:len(pre)]) else lines
        if lines[-1] == "v_w = torch.zeros(0, 1, dtype=torch.float64)":
            src.append(f"    {key}_ = None")
            continue
        out = "value" if key in "Ff" else "constraints"
        src.append(f"    def {key}_(x, y):")
        src.append("        x, y = col(x), col(y)")
        src += ["        " + ln for ln in lines]
        src.append(f"        return {out}(v_w, x)")
    src.append("    return F_, f_, G_, g_")
    return {"name": name, "dims": dims, "source": "\n".join(src)}


def _uses(line: str, lines: list[str]) -> bool:
    """Is the variable assigned by ``line`` read in ``lines``?"""
    name = line.split(" = ", 1)[0]
    return any(re.search(rf"\b{name}\b", ln.split(" = ", 1)[1]) for ln in lines)


def _strip_comments_keep_dims(text: str) -> str:
    return _strip_comments(text).replace("\r", "")


def _namespace() -> dict:
    import torch

    from bigrad.bolib import _matlab

    ns = {k: getattr(_matlab, k) for k in _matlab.__all__}
    ns["torch"] = torch
    return ns


def simple_bounds(funs, nx: int, ny: int):
    """``(lb, ub)`` lists over ``(x, y)`` from rows of ``G``/``g`` of the form ``a v_i + c`` (probed numerically)."""
    import torch

    n = nx + ny
    lb, ub = [-float("inf")] * n, [float("inf")] * n
    gen = torch.Generator().manual_seed(0)
    z = (torch.rand(3, n, generator=gen, dtype=torch.float64) * 4 - 2).requires_grad_(True)
    for h in funs:
        if h is None:
            continue
        vals = h(z[:, :nx], z[:, nx:])
        for r in range(vals.shape[1]):
            (grad,) = torch.autograd.grad(vals[:, r].sum(), z, retain_graph=True)
            nz = (grad.abs() > 1e-12).any(0).nonzero().flatten().tolist()
            if len(nz) != 1 or not torch.allclose(grad, grad[:1].expand_as(grad)):
                continue
            i, a = nz[0], float(grad[0, nz[0]])
            c = float(vals[0, r].detach() - a * z[0, i].detach())
            if float((vals[:, r] - a * z[:, i] - c).detach().abs().max()) > 1e-9:
                continue
            bound = float(f"{-c / a:.12g}")
            if a > 0:
                ub[i] = min(ub[i], bound)
            else:
                lb[i] = max(lb[i], bound)
    return lb, ub


def check_point(funs, dims, F_star, point) -> dict:
    """``F``, ``f`` and the largest constraint value at the published point."""
    import torch

    F, f, G, g = funs
    nx = dims[0]
    z = torch.tensor([point], dtype=torch.float64)
    x, y = z[:, :nx], z[:, nx:]
    viol = [float(h(x, y).max()) for h in (G, g) if h is not None]
    return {"F": float(F(x, y)[0]), "f": float(f(x, y)[0]), "viol": max(viol) if viol else 0.0}


def point_verdict(F_star, point, ev) -> tuple[bool, str]:
    """Is the published point consistent (``F`` within 1e-2 relative, constraints within 1e-3)?"""
    if F_star is None or point is None:
        return False, "no F* or no point published"
    tolF = 1e-2 * max(1.0, abs(F_star))
    bad = []
    if not abs(ev["F"] - F_star) <= tolF:
        bad.append(f"F(x*, y*) = {ev['F']:.6g} differs from F* = {F_star:g}")
    if not ev["viol"] <= 1e-3:
        bad.append(f"the point violates a constraint by {ev['viol']:.3g}")
    return (not bad), "; ".join(bad)


def generate(folder: Path, out: Path = _OUT) -> dict:
    """Translate every ``folder/*.m`` and write ``out``; returns ``{name: error}`` of those not translated."""
    ns = _namespace()
    sources, specs, failed = [], [], {}
    for path in sorted(folder.glob("*.m"), key=lambda p: p.stem.lower()):
        try:
            r = translate_file(path)
            exec(r["source"], ns)  # our own generated code, run once to check it
            funs = ns[f"_make_{r['name']}"]()
        except TranslationError as err:
            failed[path.stem] = str(err)
            continue
        nx, ny = r["dims"][:2]
        F_star, f_star, point, note = PUBLISHED[r["name"]]
        lb, ub = simple_bounds(funs[2:], nx, ny)
        ev = check_point(funs, r["dims"], F_star, point) if point is not None else None
        ok, why = point_verdict(F_star, point, ev) if ev else (False, "no point published")
        sources.append(r["source"])
        specs.append((r["name"], r["dims"], F_star, f_star, point, note, ok, why, lb, ub))
    out.write_text(_module(sources, specs, failed))
    return failed


def _fmt(v):
    if v is None:
        return "None"
    if isinstance(v, (list, tuple)):
        return "(" + ", ".join(_fmt(a) for a in v) + ("," if len(v) == 1 else "") + ")"
    if isinstance(v, float) and not math.isfinite(v):
        return "INF" if v > 0 else "-INF"
    return repr(float(v)) if isinstance(v, (int, float)) and not isinstance(v, bool) else repr(v)


def _module(sources, specs, failed) -> str:
    head = [
        '"""BOLIB problems translated from the public MATLAB files (GENERATED: do not edit).',
        "",
        "Written by ``python -m bigrad.bolib._generate BOLIB/BLIBExamples`` from",
        "github.com/ShenglongZhou/BOLIB (``BOLIB/BLIBExamples/<name>.m``; function values",
        "only, the derivatives come from autograd) and :mod:`bigrad.bolib._published`.",
        "Each ``_make_<name>()`` returns batched ``F, f, G, g`` (``x [B, n], y [B, m] ->",
        "[B]`` or ``[B, k]``, feasible where ``<= 0``; ``G``/``g`` None when empty).",
        '"""',
        "# ruff: noqa: E501",
        "from __future__ import annotations",
        "",
        "import torch",
        "",
        "from ._matlab import cat, col, constraints, eye, index, mfun, mpower, mprod, msum, mtimes, pi, span, tr, value",
        "",
        "INF = float('inf')",
        "",
    ]
    body = []
    for src in sources:
        body += ["", src, ""]
    table = ["", "#: ``(name, (nx, ny, nG, ng), F*, f*, point (x, y), note, point consistent, check, lb, ub)``",
             "SPECS = ["]
    for s in specs:
        table.append("    (" + ", ".join(_fmt(v) if i not in (1,) else repr(tuple(v)) for i, v in enumerate(s)) + "),")
    table.append("]")
    table.append("")
    table.append("#: problems whose MATLAB file was not translated, with the reason")
    table.append("NOT_TRANSLATED = {")
    table += [f"    {k!r}: {v!r}," for k, v in failed.items()]
    table.append("}")
    return "\n".join(head + body + table) + "\n"


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 1 or not Path(argv[0]).is_dir():
        print("usage: python -m bigrad.bolib._generate BOLIB/BLIBExamples", file=sys.stderr)
        return 2
    failed = generate(Path(argv[0]))
    print(f"wrote {_OUT}; not translated: {sorted(failed)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Every ```python block in README.md and docs/*.md runs.

The blocks of one file run in order in one namespace (a later block may use an
earlier one's names), from the repository root, with matplotlib on its
non-interactive backend. Signatures and shell sessions belong in ```text or
```bash blocks, which are not run.
"""
from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FILES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
BLOCK = re.compile(r"^```python[ \t]*\n(.*?)^```[ \t]*$", re.S | re.M)


def python_blocks(path: Path) -> list[tuple[int, str]]:
    """``(line, code)`` of each ```python block of ``path``."""
    text = path.read_text(encoding="utf-8")
    return [(text[: m.start()].count("\n") + 1, m.group(1)) for m in BLOCK.finditer(text)]


def test_block_pattern_finds_blocks():
    # the extractor itself: a file with two python blocks and one text block gives two
    sample = "x\n```python\na = 1\n```\n```text\nnot python\n```\n```python\nb = a + 1\n```\n"
    tmp = ROOT / "build" / "_docs_pattern_check.md"
    tmp.parent.mkdir(exist_ok=True)
    tmp.write_text(sample)
    try:
        assert python_blocks(tmp) == [(2, "a = 1\n"), (8, "b = a + 1\n")]
    finally:
        tmp.unlink()


#: pages whose examples train models for many seconds: run by `make test-slow` (CI runs both)
SLOW_PAGES = {"experiments_control.md", "combinatorial_solvers.md"}  # model training; numba JIT


@pytest.mark.parametrize("path", [pytest.param(p, marks=pytest.mark.slow) if p.name in SLOW_PAGES else p
                                  for p in FILES if python_blocks(p)], ids=lambda p: p.name)
def test_python_blocks_run(path, monkeypatch):
    pytest.importorskip("torch")
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("MPLBACKEND", "Agg")
    namespace: dict = {"__name__": f"docs_{path.stem}"}
    for line, code in python_blocks(path):
        try:
            exec(compile(code, f"{path.relative_to(ROOT)}:{line}", "exec"), namespace)
        except Exception as exc:  # pragma: no cover - the failure message is the point
            raise AssertionError(f"{path.name}, block at line {line} fails: {exc!r}") from exc
    assert os.getcwd() == str(ROOT)

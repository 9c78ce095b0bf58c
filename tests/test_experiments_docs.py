"""The committed paper-scale run (docs/experiments/) is what docs/experiments.md shows, and its tables follow from
its own rows."""
import json
import pathlib

import pytest

from bigrad.experiments import report, tsp

ROOT = pathlib.Path(__file__).resolve().parents[1]
RUN = ROOT / "docs" / "experiments"

pytestmark = pytest.mark.skipif(not (RUN / "results.json").exists(), reason="no committed paper-scale run")


def _tables(text: str) -> list[str]:
    """The Markdown table rows of ``text``."""
    return [line for line in text.splitlines() if line.startswith("| ") and not line.startswith("|---")]


def test_the_docs_show_the_committed_report():
    run_rows = set(_tables((RUN / "REPORT.md").read_text()))
    doc = (ROOT / "docs" / "experiments.md").read_text()
    start = doc.index("<!-- from docs/experiments/REPORT.md -->")
    end = doc.index("<!-- end of docs/experiments/REPORT.md -->")
    shown = _tables(doc[start:end])
    assert shown, "no table between the markers"
    missing = [row for row in shown if row not in run_rows]
    assert not missing, missing[:3]


def test_the_report_tables_follow_from_the_rows():
    data = json.loads((RUN / "results.json").read_text())
    text = (RUN / "REPORT.md").read_text()
    for name, key in (("warcraft", "size"), ("tsp", "k")):
        table = data["tables"][name]
        rows = table["rows"]
        assert rows, name
        section = text[text.index(f"## {table['title']}"):]
        section = section[:section.find("\n## ", 3) if "\n## " in section[3:] else len(section)]
        for value in dict.fromkeys(r[key] for r in rows):
            for variant in dict.fromkeys(r["variant"] for r in rows):
                sel = report.select(rows, variant=variant, **{key: value})
                cell = report.fmt(r["val_accuracy"] for r in sel)
                label = tsp.LABELS.get(variant, variant) if name == "tsp" else variant
                line = next(ln for ln in _tables(section) if ln.startswith(f"| {label} |"))
                assert f" {cell} |" in line, (name, value, variant, cell)
        assert data["tables"][name]["timing"]["runs"] > 0

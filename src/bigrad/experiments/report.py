"""Tables (markdown) and plots for the experiment results."""
from __future__ import annotations

import json
from pathlib import Path


def markdown_table(rows: list[dict], columns: list[tuple[str, str]], title: str = "") -> str:
    """Render ``rows`` as a markdown table; ``columns`` = [(key, header)], floats with one decimal."""
    head = "| " + " | ".join(h for _, h in columns) + " |"
    rule = "|" + "|".join("---" for _ in columns) + "|"
    body = []
    for r in rows:
        cells = [f"{r[k]:.1f}" if isinstance(r.get(k), float) else str(r.get(k, "")) for k, _ in columns]
        body.append("| " + " | ".join(cells) + " |")
    return "\n".join(([f"### {title}", ""] if title else []) + [head, rule] + body) + "\n"


def bar_plot(rows: list[dict], key: str, label: str, path: Path, group: str = "method") -> Path | None:
    """Bar chart of ``key`` per ``group``; returns the path, or None without matplotlib."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return None
    fig, ax = plt.subplots(figsize=(5, 3))
    ax.bar([str(r[group]) for r in rows], [r[key] for r in rows], color="tab:blue")
    ax.set_ylabel(label)
    ax.set_ylim(0, 100)
    for i, r in enumerate(rows):
        ax.text(i, r[key] + 1, f"{r[key]:.1f}", ha="center", fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return path


def save(out_dir: Path, name: str, rows: list[dict], table: str) -> None:
    """Write ``name.json`` (all figures) and ``name.md`` (the table) under ``out_dir``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / f"{name}.json").write_text(json.dumps(rows, indent=2))
    (out_dir / f"{name}.md").write_text(table)

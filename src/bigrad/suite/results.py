"""Result rows: one JSON object per line, appended and flushed as each instance finishes."""
from __future__ import annotations

import json
import os
import platform
import socket
import time
from functools import lru_cache
from pathlib import Path

from bigrad._machine import cpu_model, physical_memory


@lru_cache(maxsize=1)
def machine() -> dict:
    """Where the rows were made: host, CPU, cores, memory, Python, platform."""
    return {"host": socket.gethostname(), "cpu": cpu_model(), "cores": os.cpu_count(), "memory_bytes": physical_memory(),
            "python": platform.python_version(), "platform": platform.platform()}


def make_row(instance: dict, fields: dict, settings: dict) -> dict:
    """A complete row: the instance, the outcome ``fields``, the settings, bigrad's version and the machine."""
    from bigrad import __version__

    row = {"suite": instance["suite"], "instance": instance["name"], "key": instance["key"],
           "reference": instance.get("reference"), "solver": "bigrad", "version": __version__}
    row.update(fields)
    row.setdefault("reference_match", None)
    row["settings"] = settings
    row["machine"] = machine()
    row["finished_at"] = time.strftime("%Y-%m-%dT%H:%M:%S%z")
    return row


class ResultFile:
    """Append-only JSON-lines file; every row is flushed and fsynced when written."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)

    def done_keys(self) -> set[str]:
        """Keys of the instances already in the file (a torn last line is ignored)."""
        return {row["key"] for row in read_rows(self.path) if "key" in row} if self.path.exists() else set()

    def append(self, row: dict) -> None:
        with self.path.open("a+b") as f:
            torn = False
            if f.seek(0, os.SEEK_END) > 0:
                f.seek(-1, os.SEEK_END)
                torn = f.read(1) != b"\n"
            # a run killed mid-write leaves a torn last line: start on a new line, keep it skippable
            f.write((b"\n" if torn else b"") + json.dumps(row, sort_keys=True, default=str).encode() + b"\n")
            f.flush()
            os.fsync(f.fileno())


def read_rows(path: str | Path) -> list[dict]:
    """All rows of a result file; a line that is not JSON (a run killed mid-write) is skipped."""
    rows = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if line.strip():
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError:
                continue
    return rows

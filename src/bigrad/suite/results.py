"""Result rows: one JSON object per line, appended and flushed as each instance finishes."""
from __future__ import annotations

import json
import math
import os
import platform
import socket
import time
from functools import lru_cache
from pathlib import Path

from bigrad._machine import cpu_model, physical_memory

#: the statuses counted as solved (shared by the local runner and the Ray backend)
OK_STATUSES = ("optimal",)


def progress_bar(total: int, enabled: bool):
    """A tqdm bar over ``total`` instances (disabled when not ``enabled``)."""
    from tqdm.auto import tqdm

    return tqdm(total=total, disable=not enabled, unit="inst", dynamic_ncols=True)


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
    """Append-only JSON-lines file; every row is flushed and fsynced when written.

    Opened for appending at once, so a result file that cannot be written (a folder, a read-only
    place) fails before any instance is solved, with an OSError naming the path.
    """

    def __init__(self, path: str | Path):
        self.path = Path(path)
        if self.path.is_dir():
            raise IsADirectoryError(f"result file {self.path} is a directory: give the path of a .jsonl file")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("ab"):
            pass

    def scan(self) -> tuple[list[dict], list[str]]:
        """The well-formed rows already in the file and ``FILE:LINE: reason`` for each malformed line."""
        return scan_rows(self.path) if self.path.exists() else ([], [])

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
    """The well-formed rows of a result file (see :func:`scan_rows`; malformed lines are skipped)."""
    return scan_rows(path)[0]


def scan_rows(path: str | Path) -> tuple[list[dict], list[str]]:
    """``(rows, problems)``: the well-formed rows of a result file, and ``FILE:LINE: reason`` for every
    other non-blank line (not UTF-8, not JSON, e.g. a line torn by a killed run, or not a row: see
    :func:`row_problem`). A report or a resumed run skips those lines and says so."""
    rows: list[dict] = []
    problems: list[str] = []
    why: str | None
    for lineno, raw in enumerate(Path(path).read_bytes().split(b"\n"), 1):
        if not raw.strip():
            continue
        try:
            row = json.loads(raw.decode("utf-8"))
        except UnicodeDecodeError:
            why = "not UTF-8 text"
        except json.JSONDecodeError as exc:
            why = f"not JSON ({exc.msg}; a line torn by an interrupted run?)"
        except RecursionError:
            why = "not a result row (JSON nested too deeply)"
        else:
            why = row_problem(row)
            if why is None:
                rows.append(row)
                continue
        problems.append(f"{path if str(path).isprintable() else repr(str(path))}:{lineno}: {why}")
    return rows, problems


def row_problem(row) -> str | None:
    """Why a parsed line cannot be used as a result row (None when it can).

    A row is a JSON object with a non-empty string ``key``; ``seconds`` (when given) a finite
    number ``>= 0``; ``status`` a string; ``settings`` an object whose ``time_limit`` is a number
    ``> 0`` or null.
    """
    if not isinstance(row, dict):
        return f"not a result row (a JSON {_json_type(row)}, not an object)"
    if "key" not in row:
        return "no key"
    if not isinstance(row["key"], str) or not row["key"]:
        return f"key must be a non-empty string, got {_show(row['key'])}"
    if row.get("seconds") is not None and not _number_at_least(row["seconds"], 0.0):
        return f"seconds must be a finite number >= 0, got {_show(row['seconds'])}"
    if row.get("status") is not None and not isinstance(row["status"], str):
        return f"status must be a string, got {_show(row['status'])}"
    settings = row.get("settings")
    if settings is not None:
        if not isinstance(settings, dict):
            return f"settings must be a JSON object, got {_show(settings)}"
        limit = settings.get("time_limit")
        if limit is not None and not (_number_at_least(limit, 0.0) and float(limit) > 0):
            return f"settings.time_limit must be a number > 0 or null, got {_show(limit)}"
    return None


def number(value) -> float | None:
    """``value`` as a finite float when it is a JSON number (not a bool) that fits one, else None."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    try:
        value = float(value)
    except OverflowError:  # an integer beyond float's range
        return None
    return value if math.isfinite(value) else None


def _number_at_least(value, low: float) -> bool:
    v = number(value)
    return v is not None and v >= low


def _json_type(value) -> str:
    names = {list: "array", str: "string", bool: "boolean", type(None): "null", int: "number", float: "number"}
    return names.get(type(value), type(value).__name__)


def _show(value) -> str:
    """A short description of a JSON value for an error message."""
    try:
        text = json.dumps(value)
    except (RecursionError, ValueError):
        text = "..."
    return f"{_json_type(value)} {text[:40]}{'...' if len(text) > 40 else ''}"

"""Memory limit for the native solvers' workspaces: ``bigrad.set_memory_limit(bytes)``.

Solvers estimate their workspace before allocating and call
:func:`check_workspace`, which raises ``MemoryError`` naming the argument and
the bytes needed when the estimate is above the limit (default: half of the
physical memory).
"""
from __future__ import annotations

from bigrad._machine import physical_memory

_limit: int | None = None


def _physical_memory() -> int:
    return physical_memory() or 8 << 30


def set_memory_limit(nbytes: int | None) -> None:
    """Set the largest workspace (bytes) a solver may allocate; ``None`` restores the default (half of RAM)."""
    global _limit
    if nbytes is None:
        _limit = None
        return
    if isinstance(nbytes, bool) or not isinstance(nbytes, int):
        raise TypeError(f"nbytes must be an int or None, got {type(nbytes).__name__}")
    if nbytes <= 0:
        raise ValueError(f"nbytes must be > 0, got {nbytes}")
    _limit = nbytes


def get_memory_limit() -> int:
    """The workspace limit in bytes now in force."""
    return _limit if _limit is not None else _physical_memory() // 2


def check_workspace(nbytes: float, argument: str, what: str = "workspace") -> None:
    """Raise ``MemoryError`` if ``nbytes`` exceeds the limit, naming ``argument`` and the bytes needed."""
    limit = get_memory_limit()
    if nbytes > limit:
        raise MemoryError(
            f"{argument}: the {what} needs {int(nbytes):,} bytes, above the memory limit of {limit:,} bytes "
            f"(raise it with bigrad.set_memory_limit(nbytes), or solve a smaller batch)"
        )

"""One way to create ``highspy.Highs`` objects, shared by the MIBLP solver and the TSP fallback."""
from __future__ import annotations

import os
import sys

__all__ = ["new_highs"]

_banner_silenced = False


def new_highs():
    """A fresh ``highspy.Highs``; the copyright banner that HiGHS writes to the
    process's stdout on first construction is discarded (once per process)."""
    import highspy

    global _banner_silenced
    if _banner_silenced:
        return highspy.Highs()
    _banner_silenced = True
    try:
        sys.stdout.flush()
        saved = os.dup(1)
    except (OSError, ValueError):
        return highspy.Highs()
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 1)
        return highspy.Highs()
    finally:
        os.dup2(saved, 1)
        os.close(saved)
        os.close(devnull)

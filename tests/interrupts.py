"""Ctrl-C sent to a child interpreter: the protocol the interrupt tests share."""
from __future__ import annotations

import signal
import subprocess
import sys
import time


def interrupt_child(script: str, *, wait: float = 1.0, timeout: float = 60) -> tuple[list[str], str, float]:
    """Run ``script`` (``python -c``); once it prints ``ready``, wait ``wait`` s and send SIGINT.

    Returns its stdout lines, stdout + stderr (for assertion messages) and when the signal was sent
    (``time.perf_counter``: CLOCK_MONOTONIC, comparable with the child's own readings).
    """
    p = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert p.stdout is not None and p.stdout.readline().strip() == "ready"
        time.sleep(wait)
        sent = time.perf_counter()
        p.send_signal(signal.SIGINT)
        out, err = p.communicate(timeout=timeout)
    finally:
        p.kill()
    return out.splitlines(), out + err, sent

"""Benchmark suites: ``bigrad bench SUITE PATH...`` runs instance collections in parallel.

- :mod:`.instances`: find the instances of a suite (``miblp``: MibS/BOBILib MPS+AUX pairs;
  ``tsp``: TSPLIB ``.tsp`` files with optima from ``.opt.tour`` files or a table;
  ``bolib``: the BOLIB problems shipped in :mod:`bigrad.bolib`).
- :mod:`.solve`: solve one instance and describe the outcome as a result row.
- :mod:`.isolate`: run one instance in its own process with a time and memory limit;
  a crash or a limit becomes a status row.
- :mod:`.runner`: run a suite with N local workers or on a Ray cluster; rows are
  appended to a JSON-lines file as each instance finishes; ``resume`` skips finished ones.
- :mod:`.report`: Markdown table and Dolan-Moré performance profile over result files.
"""
from .instances import SUITES, Instance, discover
from .report import write_report
from .runner import run_suite

__all__ = ["SUITES", "Instance", "discover", "run_suite", "write_report"]

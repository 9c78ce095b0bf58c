"""bigrad.miblp: global optimisation of mixed-integer bilevel linear programs.

Implements the projection-based reformulation and decomposition algorithm of
Yue, Gao, Zeng and You (J. Global Optim. 73, 2019) with an exact
(epsilon-free where integrality allows) disjunctive reformulation of the
"in the projection set" condition.  See ``docs/miblp.md``.

Main entry points::

    from bigrad import miblp
    problem = miblp.read_mps_aux("inst.mps", "inst.aux")   # or miblp.Problem(...)
    result = miblp.solve(problem, time_limit=60)
    print(result.status, result.objective, result.x, result.y)

Only numpy, scipy and highspy are used (no compiled bigrad extension, no torch).
"""
from .auxfile import read_aux
from .mps import MpsFormatError, read_mps
from .problem import Problem
from .reader import read_mps_aux
from .result import STATUSES, IterationRecord, MiblpResult
from .solver import solve

__all__ = [
    "Problem",
    "read_mps_aux",
    "read_mps",
    "read_aux",
    "MpsFormatError",
    "solve",
    "MiblpResult",
    "IterationRecord",
    "STATUSES",
]

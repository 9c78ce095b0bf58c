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

Layout: :mod:`.problem` (the data model), :mod:`.result` (what ``solve`` returns),
:mod:`.reading` (MPS and aux files), :mod:`.projection` (the projection-based reformulation
and decomposition, and ``solve``), :mod:`.interdict` (the value-function cut loop for
interdiction problems); shared by the methods: :mod:`.responses` (the follower's problem at a
fixed leader decision), :mod:`.loop_state` (bounds, log and final result of a main loop) and
:mod:`.highs_backend`.  The flat module names of earlier releases (``bigrad.miblp.mps``,
``bigrad.miblp.solver``, ...) still import, with a ``DeprecationWarning``.
"""
from bigrad._moved import alias_moved

from .problem import Problem
from .projection.column_generation import solve
from .reading.aux_file import read_aux
from .reading.mps_aux import read_mps_aux
from .reading.mps_file import MpsFormatError, read_mps
from .result import STATUSES, IterationRecord, MiblpResult

#: old flat module name -> its place now
_MOVED = {
    "mps": "reading.mps_file",
    "auxfile": "reading.aux_file",
    "reader": "reading.mps_aux",
    "solver": "projection.column_generation",
    "master": "projection.master_problem",
    "reformulation": "projection.reformulation",
    "kkt": "projection.kkt_blocks",
    "regions": "projection.critical_regions",
    "dual_polyhedron": "projection.dual_polyhedron",
    "enumeration": "projection.leader_enumeration",
    "subproblems": "responses",
    "outcome": "loop_state",
    "interdiction": "interdict.value_function_cuts",
    "interdiction_solver": "interdict.driver",
}

alias_moved(__name__, _MOVED)

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

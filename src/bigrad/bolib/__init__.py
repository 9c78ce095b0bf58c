"""BOLIB test problems for continuous bilevel solvers.

``PROBLEMS: dict[str, BolibProblem]`` -- twenty problems from BOLIB (Zhou, Zemkoho,
Tin: "BOLIB: Bilevel Optimization LIBrary of test problems") with their exact
formulas, published ``F*``/``f*`` and a solution point; ``problem.solve()``
solves one with :class:`bigrad.torch.BilevelLayer` at its defaults and returns a
:class:`BolibResult` (``F, f, x, y, iterations, converged, seconds``).

``BOLIB: dict[str, BolibProblem]`` -- the whole collection (122 of 124 problems,
translated from the MATLAB files by :mod:`bigrad.bolib._generate`; see
:mod:`bigrad.bolib.library`), ``VERIFIABLE`` the names whose published point
reproduces the published ``F*``, ``NOT_TRANSLATED`` the others with the reason.
"""
from .library import BOLIB, NOT_TRANSLATED, VERIFIABLE
from .problem import BolibProblem, BolibResult
from .problems import PROBLEMS

__all__ = ["BOLIB", "NOT_TRANSLATED", "PROBLEMS", "VERIFIABLE", "BolibProblem", "BolibResult"]

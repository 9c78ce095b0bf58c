"""BOLIB test problems for continuous bilevel solvers.

``PROBLEMS: dict[str, BolibProblem]`` -- twenty problems from BOLIB (Zhou, Zemkoho,
Tin: "BOLIB: Bilevel Optimization LIBrary of test problems") with their exact
formulas, published ``F*``/``f*`` and a solution point; ``problem.solve()``
solves one with :class:`bigrad.torch.BilevelLayer` at its defaults and returns a
:class:`BolibResult` (``F, f, x, y, iterations, converged, seconds``).
"""
from .problem import BolibProblem, BolibResult
from .problems import PROBLEMS

__all__ = ["PROBLEMS", "BolibProblem", "BolibResult"]

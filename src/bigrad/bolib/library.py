"""The whole BOLIB collection as :class:`BolibProblem` objects (built from :mod:`bigrad.bolib.collection`).

``BOLIB: dict[str, BolibProblem]`` -- the 122 of BOLIB's 124 problems whose MATLAB
files are translated (``NOT_TRANSLATED`` names the others and why);
``VERIFIABLE`` -- the names with a published ``F*`` and a point at which the
formulas reproduce it (``F`` within 1e-2 relative, constraints within 1e-3;
the paper prints rounded values).  Starting points are zeros clipped into the
simple bounds (rows of ``G``/``g`` that bound one variable).
"""
from __future__ import annotations

from . import collection
from ._published import BETTER
from .problem import BolibProblem

__all__ = ["BOLIB", "NOT_TRANSLATED", "VERIFIABLE"]

_SOURCE = ("Zhou, Zemkoho, Tin (2018), BOLIB: Bilevel Optimization LIBrary of test problems; formulas translated "
           "from github.com/ShenglongZhou/BOLIB, BOLIB/BLIBExamples/{}.m; F*, f*, point from its "
           "BOLIB_test_examples_library.pdf (Table 3 and Section 3)")

NOT_TRANSLATED: dict[str, str] = dict(collection.NOT_TRANSLATED)


def _clip0(lo, hi) -> tuple:
    return tuple(min(max(0.0, a), b) for a, b in zip(lo, hi))


def _build() -> dict[str, BolibProblem]:
    out = {}
    for name, dims, F_star, f_star, point, note, ok, why, lb, ub in collection.SPECS:
        nx, ny = dims[:2]
        F, f, G, g = getattr(collection, f"_make_{name}")()
        start = _clip0(lb, ub)
        better = BETTER.get(name)
        out[name] = BolibProblem(
            name=name, F_star=F_star, f_star=f_star, x0=start[:nx], y0=start[nx:],
            x_star=None if point is None else tuple(point[:nx]),
            y_star=None if point is None else tuple(point[nx:]),
            source=_SOURCE.format(name), F=F, f=f, G=G, g=g,
            start_note="zeros clipped into the simple bounds",
            solution_note=note, point_consistent=ok, point_check=why,
            lower=tuple(lb), upper=tuple(ub),
            local_note="" if better is None else f"feasible point better than F*: {better[0]}, F = {better[1]:g}; "
                                                 + better[2],
            F_known=() if better is None else (better[1],),
        )
    return out


BOLIB: dict[str, BolibProblem] = _build()
VERIFIABLE: tuple[str, ...] = tuple(n for n, p in BOLIB.items() if p.point_consistent and p.F_star is not None)

"""BOLIB test problems (Zhou, Zemkoho, Tin, "BOLIB: Bilevel Optimization LIBrary of test problems", 2018/2020).

Formulas follow BOLIB's MATLAB files (``BOLIB/BLIBExamples/<name>.m`` in
github.com/ShenglongZhou/BOLIB), in its sign convention: constraints are
feasible when ``<= 0``.  ``F*``, ``f*`` and the starting points are BOLIB's
(``Ff_optimal`` / ``xy_init`` of BOLIBver2).  Every function is batched:
``x [B, n]``, ``y [B, m]`` -> ``[B]`` (objectives) or ``[B, k]`` (constraints).
"""
from __future__ import annotations

import torch

from .problem import BolibProblem

__all__ = ["PROBLEMS"]

_REPO = "github.com/ShenglongZhou/BOLIB, BOLIB/BLIBExamples/{}.m; F*, f*, xy_init of BOLIBver2"


def _c(*cols):
    """Stack per-sample constraint columns ``[B]`` into ``[B, k]``."""
    return torch.stack(cols, dim=1)


def _p(name, cite, **kw) -> BolibProblem:
    return BolibProblem(name=name, source=f"{cite}; BOLIB (Zhou, Zemkoho, Tin 2018): " + _REPO.format(name), **kw)


def _problems():
    P = []
    P.append(_p(
        "AiyoshiShimizu1984Ex2", "Aiyoshi and Shimizu (1984), Example 2",
        F=lambda x, y: 2 * x[:, 0] + 2 * x[:, 1] - 3 * y[:, 0] - 3 * y[:, 1] - 60,
        G=lambda x, y: _c(x[:, 0] + x[:, 1] + y[:, 0] - 2 * y[:, 1] - 40, x[:, 0] - 50, x[:, 1] - 50,
                          -x[:, 0], -x[:, 1]),
        f=lambda x, y: (y[:, 0] - x[:, 0] + 20) ** 2 + (y[:, 1] - x[:, 1] + 20) ** 2,
        g=lambda x, y: _c(2 * y[:, 0] - x[:, 0] + 10, 2 * y[:, 1] - x[:, 1] + 10, -y[:, 0] - 10, -y[:, 1] - 10,
                          y[:, 0] - 20, y[:, 1] - 20),
        F_star=5.0, f_star=0.0, x0=(10.0, 10.0), y0=(20.0, 20.0), x_star=(25.0, 30.0), y_star=(5.0, 10.0),
        local_note="the formulas as published admit x = (0, 0), y = (-10, -10) with F = 0 < F* = 5: G holds "
                   "(x1 + x2 + y1 - 2 y2 = -30 <= 40) and y is the follower's optimum (y1 <= -5, y >= -10); "
                   "the default solve finds this better point (F* = 5 at (25, 30, 5, 10) is a local optimum)",
        F_known=(0.0,),
        tags=("coupled-G",),
    ))
    P.append(_p(
        "AllendeStill2013", "Allende and Still (2013)",
        F=lambda x, y: (x[:, 0] - 1) ** 2 + (x[:, 1] - 1) ** 2 + (y**2).sum(1),
        G=lambda x, y: _c(-x[:, 0], -x[:, 1], x[:, 0] - 2, -y[:, 0], -y[:, 1]),
        f=lambda x, y: (y**2).sum(1) - 2 * (x * y).sum(1),
        g=lambda x, y: (y - 1) ** 2 - 0.25,
        F_star=1.0, f_star=-0.5, x0=(0.2, 0.2), y0=(0.0, 0.0), x_star=(0.5, 0.5), y_star=(0.5, 0.5),
        start_note="xy_init (0, 0, 0, 0) puts x on the boundary x >= 0; moved to x0 = (0.2, 0.2)",
        tags=("coupled-G",),
    ))
    P.append(_p(
        "Bard1988Ex1", "Bard (1988), Example 1",
        F=lambda x, y: (x[:, 0] - 5) ** 2 + (2 * y[:, 0] + 1) ** 2,
        G=lambda x, y: _c(-x[:, 0]),
        f=lambda x, y: (y[:, 0] - 1) ** 2 - 1.5 * x[:, 0] * y[:, 0],
        g=lambda x, y: _c(-3 * x[:, 0] + y[:, 0] + 3, x[:, 0] - 0.5 * y[:, 0] - 4, x[:, 0] + y[:, 0] - 7, -y[:, 0]),
        F_star=17.0, f_star=1.0, x0=(4.0,), y0=(0.0,), x_star=(1.0,), y_star=(0.0,),
        local_note="from BOLIB's start x0 = 4 the reduced objective decreases towards x = 5 (y* = 7 - x, "
                   "dF/dx = 10x - 70 < 0), where the follower's feasible set shrinks to the point y = 2: "
                   "a local optimum with F = 25; starts with x0 < 3.4 reach F* = 17 at x = 1",
        F_known=(25.0,),
        tags=("x-dependent-g",),
    ))

    def bard2_F(x, y):
        a, b = y[:, 0] + y[:, 2], y[:, 1] + y[:, 3]
        return -(200 - a) * a - (160 - b) * b

    def bard2_g(x, y):
        Ay = _c(0.4 * y[:, 0] + 0.7 * y[:, 1], 0.6 * y[:, 0] + 0.3 * y[:, 1],
                0.4 * y[:, 2] + 0.7 * y[:, 3], 0.6 * y[:, 2] + 0.3 * y[:, 3])
        ub = torch.tensor([20.0, 20.0, 40.0, 40.0], dtype=y.dtype, device=y.device)
        return torch.cat([Ay - x, y - ub, -y], dim=1)

    P.append(_p(
        "Bard1988Ex2", "Bard (1988), Example 2",
        F=bard2_F,
        G=lambda x, y: torch.cat(
            [x.sum(1, keepdim=True) - 40, x - torch.tensor([10.0, 5.0, 15.0, 20.0], dtype=x.dtype, device=x.device),
             -x], dim=1),
        f=lambda x, y: ((y - torch.tensor([4.0, 13.0, 35.0, 2.0], dtype=y.dtype, device=y.device)) ** 2).sum(1),
        g=bard2_g,
        F_star=-6600.0, f_star=54.0, x0=(5.0, 4.0, 14.0, 16.0), y0=(1.0, 1.0, 1.0, 1.0),
        x_star=(7.0, 3.0, 12.0, 18.0), y_star=(0.0, 10.0, 30.0, 0.0),
        start_note="xy_init (5, 5, 15, 15, 0, 0, 0, 0) has x2 = 5 and x3 = 15 on their bounds; moved inside",
        solution_note="y* = (0, 10, 30, 0) satisfies the lower-level KKT conditions at x* (checked in the tests)",
    ))
    P.append(_p(
        "Bard1988Ex3", "Bard (1988), Example 3",
        F=lambda x, y: -x[:, 0] ** 2 - 3 * x[:, 1] - 4 * y[:, 0] + y[:, 1] ** 2,
        G=lambda x, y: _c(x[:, 0] ** 2 + 2 * x[:, 1] - 4, -x[:, 0], -x[:, 1]),
        f=lambda x, y: 2 * x[:, 0] ** 2 + y[:, 0] ** 2 - 5 * y[:, 1],
        g=lambda x, y: _c(-x[:, 0] ** 2 + 2 * x[:, 0] - x[:, 1] ** 2 + 2 * y[:, 0] - y[:, 1] - 3,
                          -x[:, 1] - 3 * y[:, 0] + 4 * y[:, 1] + 4, -y[:, 0], -y[:, 1]),
        F_star=-12.68, f_star=-1.02, x0=(0.1, 1.8), y0=(4.0, 1.0), x_star=(0.0, 2.0), y_star=(1.875, 0.9063),
        start_note="xy_init (0, 2, 4, 1) has x on the bounds x1 >= 0 and x1^2 + 2 x2 <= 4; moved inside",
        solution_note="published point, rounded to 4 digits",
    ))
    P.append(_p(
        "BardBook1998", "Bard (1998), Practical Bilevel Optimization, Example 8.1.1 (linear lower level)",
        F=lambda x, y: (y[:, 0] - x[:, 0] + 20) ** 2 + (y[:, 1] - x[:, 1] + 20) ** 2,
        G=lambda x, y: _c(x[:, 0] - 50, x[:, 1] - 50, -x[:, 0], -x[:, 1]),
        f=lambda x, y: 2 * x[:, 0] + 2 * x[:, 1] - 3 * y[:, 0] - 3 * y[:, 1] - 60,
        g=lambda x, y: _c(x[:, 0] + x[:, 1] + y[:, 0] - 2 * y[:, 1] - 40, 2 * y[:, 0] - x[:, 0] + 10,
                          2 * y[:, 1] - x[:, 1] + 10, y[:, 0] - 20, y[:, 1] - 20, -y[:, 0] - 10, -y[:, 1] - 10),
        F_star=0.0, f_star=5.0, x0=(20.0, 20.0), y0=(0.0, 0.0), x_star=(25.0, 30.0), y_star=(5.0, 10.0),
        start_note="xy_init (1, 1, 1, 1): at x = (1, 1) the follower's set (y1 <= -4.5, y1 - 2 y2 <= 38, "
                   "y >= -10) is fine but y0 = (1, 1) is outside it; x0 = (20, 20) keeps the original "
                   "x-direction and gives a comfortable interior",
        tags=("lp-lower",),
    ))
    P.append(_p(
        "ClarkWesterberg1990a", "Clark and Westerberg (1990), Example 1",
        F=lambda x, y: (x[:, 0] - 3) ** 2 + (y[:, 0] - 2) ** 2,
        G=lambda x, y: _c(-x[:, 0], x[:, 0] - 8),
        f=lambda x, y: (y[:, 0] - 5) ** 2,
        g=lambda x, y: _c(-2 * x[:, 0] + y[:, 0] - 1, x[:, 0] - 2 * y[:, 0] + 2, x[:, 0] + 2 * y[:, 0] - 14),
        F_star=5.0, f_star=4.0, x0=(1.0,), y0=(1.0,), x_star=(1.0,), y_star=(3.0,),
        tags=("x-dependent-g",),
    ))
    P.append(_p(
        "DeSilva1978", "De Silva (1978)",
        F=lambda x, y: (x[:, 0] - 1) ** 2 + (x[:, 1] - 1) ** 2 + (y**2).sum(1) - 2,
        f=lambda x, y: ((x - y) ** 2).sum(1),
        g=lambda x, y: torch.cat([0.5 - y, y - 1.5], dim=1),
        F_star=-1.0, f_star=0.0, x0=(0.0, 0.0), y0=(1.0, 1.0), x_star=(0.5, 0.5), y_star=(0.5, 0.5),
    ))
    P.append(_p(
        "Dempe1992b", "Dempe (1992)",
        F=lambda x, y: (x[:, 0] - 3.5) ** 2 + (y[:, 0] + 4) ** 2,
        f=lambda x, y: (y[:, 0] - 3) ** 2,
        g=lambda x, y: _c(y[:, 0] ** 2 - x[:, 0]),
        F_star=31.25, f_star=4.0, x0=(2.0,), y0=(1.0,), x_star=(1.0,), y_star=(1.0,),
        start_note="xy_init (-1, -1) has an empty lower-level feasible set (y^2 <= -1); moved to x0 = 2",
        tags=("x-dependent-g",),
    ))
    P.append(_p(
        "FloudasEtal2013", "Floudas et al. (2013)",
        F=lambda x, y: 2 * x[:, 0] + 2 * x[:, 1] - 3 * y[:, 0] - 3 * y[:, 1] - 60,
        G=lambda x, y: _c(x[:, 0] - 50, x[:, 1] - 50, -x[:, 0], -x[:, 1]),
        f=lambda x, y: (y[:, 0] - x[:, 0] + 20) ** 2 + (y[:, 1] - x[:, 1] + 20) ** 2,
        g=lambda x, y: _c(2 * y[:, 0] - x[:, 0] + 10, 2 * y[:, 1] - x[:, 1] + 10,
                          x[:, 0] + x[:, 1] + y[:, 0] - 2 * y[:, 1] - 40, -y[:, 0] - 10, -y[:, 1] - 10,
                          y[:, 0] - 20, y[:, 1] - 20),
        F_star=0.0, f_star=200.0, x0=(10.0, 10.0), y0=(20.0, 20.0), x_star=(0.0, 0.0), y_star=(-10.0, -10.0),
        tags=("x-dependent-g",),
    ))
    P.append(_p(
        "GumusFloudas2001Ex1", "Gumus and Floudas (2001), Example 1",
        F=lambda x, y: 16 * x[:, 0] ** 2 + 9 * y[:, 0] ** 2,
        G=lambda x, y: _c(-x[:, 0], x[:, 0] - 12.5, -4 * x[:, 0] + y[:, 0]),
        f=lambda x, y: (x[:, 0] + y[:, 0] - 20) ** 4,
        g=lambda x, y: _c(-y[:, 0], y[:, 0] - 50, 4 * x[:, 0] + y[:, 0] - 50),
        F_star=2250.0, f_star=197.75, x0=(11.0,), y0=(1.0,), x_star=(11.25,), y_star=(5.0,),
        start_note="xy_init (1, 1) violates -4x + y <= 0 at y*(1) = 19; moved to x0 = 11",
        local_note="the reduced objective has a second local minimum at x = 7.2 (F = 2304) where the "
                   "follower's constraint 4x + y <= 50 is inactive; starts with x < 10 end there",
        F_known=(2304.0,),
        tags=("coupled-G", "x-dependent-g"),
    ))
    P.append(_p(
        "GumusFloudas2001Ex4", "Gumus and Floudas (2001), Example 4",
        F=lambda x, y: (x[:, 0] - 3) ** 2 + (y[:, 0] - 2) ** 2,
        G=lambda x, y: _c(-x[:, 0], x[:, 0] - 8, -2 * x[:, 0] + y[:, 0] - 1, x[:, 0] - 2 * y[:, 0] + 2,
                          x[:, 0] + 2 * y[:, 0] - 14),
        f=lambda x, y: (y[:, 0] - 5) ** 2,
        g=lambda x, y: _c(-y[:, 0], y[:, 0] - 10),
        F_star=9.0, f_star=0.0, x0=(3.5,), y0=(1.0,), x_star=(3.0,), y_star=(5.0,),
        start_note="xy_init (1, 1) violates -2x + y <= 1 at y*(1) = 5; moved to x0 = 3.5",
        tags=("coupled-G",),
    ))
    P.append(_p(
        "HatzEtal2013", "Hatz et al. (2013)",
        F=lambda x, y: -x[:, 0] + 2 * y[:, 0] + y[:, 1],
        f=lambda x, y: (x[:, 0] - y[:, 0]) ** 2 + y[:, 1] ** 2,
        g=lambda x, y: -y,
        F_star=0.0, f_star=0.0, x0=(1.0,), y0=(1.0, 1.0), x_star=(0.0,), y_star=(0.0, 0.0),
    ))
    P.append(_p(
        "HendersonQuandt1958", "Henderson and Quandt (1958)",
        F=lambda x, y: (0.5 * (x[:, 0] + y[:, 0]) - 95) * x[:, 0],
        G=lambda x, y: _c(x[:, 0] - 200, -x[:, 0]),
        f=lambda x, y: (y[:, 0] + 0.5 * x[:, 0] - 100) * y[:, 0],
        g=lambda x, y: _c(-y[:, 0]),
        F_star=-3266.67, f_star=-711.11, x0=(1.0,), y0=(1.0,), x_star=(280.0 / 3,), y_star=(80.0 / 3,),
        start_note="xy_init (0, 0) is on the bounds x >= 0, y >= 0; moved to (1, 1)",
        solution_note="x* = 280/3, y* = 50 - x*/4 (first-order conditions of the reduced problem)",
    ))
    P.append(_p(
        "LamparielloSagratella2017Ex32", "Lampariello and Sagratella (2017), Example 3.2",
        F=lambda x, y: x[:, 0] ** 2 + y[:, 0] ** 2,
        f=lambda x, y: (x[:, 0] + y[:, 0] - 1) ** 2,
        F_star=0.5, f_star=0.0, x0=(1.0,), y0=(1.0,), x_star=(0.5,), y_star=(0.5,),
    ))
    P.append(_p(
        "LamparielloSagratella2017Ex35", "Lampariello and Sagratella (2017), Example 3.5 (linear lower level)",
        F=lambda x, y: x[:, 0] ** 2 + y[:, 0] ** 2,
        G=lambda x, y: _c(-1 - x[:, 0], x[:, 0] - 1),
        f=lambda x, y: -y[:, 0],
        g=lambda x, y: _c(2 * x[:, 0] + y[:, 0] - 2, -y[:, 0], y[:, 0] - 1),
        F_star=0.8, f_star=-0.4, x0=(0.9,), y0=(0.1,), x_star=(0.8,), y_star=(0.4,),
        start_note="xy_init (1, 1) is on the bound x <= 1 and leaves no interior for y (2x + y <= 2, y >= 0); "
                   "moved to (0.9, 0.1)",
        local_note="x = 0 (F = 1, y = 1) is a local minimum of the reduced problem; starts with x < 0.5 end there",
        F_known=(1.0,),
        tags=("lp-lower", "x-dependent-g"),
    ))
    P.append(_p(
        "MacalHurter1997", "Macal and Hurter (1997)",
        F=lambda x, y: (x[:, 0] - 1) ** 2 + (y[:, 0] - 1) ** 2,
        f=lambda x, y: 0.5 * y[:, 0] ** 2 + 500 * y[:, 0] - 50 * x[:, 0] * y[:, 0],
        F_star=81.327, f_star=-0.333, x0=(1.0,), y0=(1.0,), x_star=(25051.0 / 2501,), y_star=(2050.0 / 2501,),
        solution_note="x* = 25051/2501, y* = 50 x* - 500 (first-order conditions of the reduced problem)",
    ))
    P.append(_p(
        "ShimizuAiyoshi1981Ex1", "Shimizu and Aiyoshi (1981), Example 1",
        F=lambda x, y: x[:, 0] ** 2 + (y[:, 0] - 10) ** 2,
        G=lambda x, y: _c(x[:, 0] - 15, -x[:, 0] + y[:, 0], -x[:, 0]),
        f=lambda x, y: (x[:, 0] + 2 * y[:, 0] - 30) ** 2,
        g=lambda x, y: _c(x[:, 0] + y[:, 0] - 20, y[:, 0] - 20, -y[:, 0]),
        F_star=100.0, f_star=0.0, x0=(12.0,), y0=(5.0,), x_star=(10.0,), y_star=(10.0,),
        start_note="xy_init (1, 1) violates -x + y <= 0 at y*(1) = 14.5; x0 = 12 as in bigrad issue 12",
        tags=("coupled-G", "x-dependent-g"),
    ))
    P.append(_p(
        "ShimizuAiyoshi1981Ex2", "Shimizu and Aiyoshi (1981), Example 2",
        F=lambda x, y: (x[:, 0] - 30) ** 2 + (x[:, 1] - 20) ** 2 - 20 * y[:, 0] + 20 * y[:, 1],
        G=lambda x, y: _c(30 - x[:, 0] - 2 * x[:, 1], x[:, 0] + x[:, 1] - 25, x[:, 1] - 15),
        f=lambda x, y: ((x - y) ** 2).sum(1),
        g=lambda x, y: torch.cat([-y, y - 10], dim=1),
        F_star=225.0, f_star=100.0, x0=(15.0, 9.0), y0=(1.0, 1.0), x_star=(20.0, 5.0), y_star=(10.0, 5.0),
        start_note="xy_init (1, 1, 1, 1) violates x1 + 2 x2 >= 30; moved to x0 = (15, 9)",
    ))
    P.append(_p(
        "SinhaMaloDeb2014TP8", "Sinha, Malo and Deb (2014), test problem 8",
        F=lambda x, y: (2 * x[:, 0] + 2 * x[:, 1] - 3 * y[:, 0] - 3 * y[:, 1] - 60) ** 2,
        G=lambda x, y: _c(-x[:, 0], -x[:, 1], x[:, 0] - 50, x[:, 1] - 50,
                          x[:, 0] + x[:, 1] + y[:, 0] - 2 * y[:, 1] - 40),
        f=lambda x, y: (y[:, 0] - x[:, 0] + 20) ** 2 + (y[:, 1] - x[:, 1] + 20) ** 2,
        g=lambda x, y: _c(2 * y[:, 0] - x[:, 0] + 10, 2 * y[:, 1] - x[:, 1] + 10, y[:, 0] - 20, y[:, 1] - 20,
                          -y[:, 0] - 10, -y[:, 1] - 10),
        F_star=0.0, f_star=100.0, x0=(1.0, 1.0), y0=(1.0, 1.0), x_star=(0.0, 30.0), y_star=(-10.0, 10.0),
        solution_note="F = 0 is attained on a set of points; (0, 30, -10, 10) gives f = 100",
        tags=("coupled-G", "x-dependent-g"),
    ))
    return {p.name: p for p in P}


PROBLEMS: dict = _problems()

"""Best known values and points of BOLIB, transcribed from its library paper.

Source: S. Zhou, A. B. Zemkoho, A. Tin, "BOLIB: Bilevel Optimization LIBrary of
test problems" (``BOLIB_test_examples_library.pdf`` in github.com/ShenglongZhou/BOLIB,
version of May 15, 2019): ``F*``, ``f*`` from its Table 3, the point ``(x, y)``
(concatenated, as printed) from the "Comment" of each problem in its Section 3.
``None`` where the paper gives no value (``x`` in Table 3) or no point.  The
third field ``note`` says where a point was derived here or is ambiguous; the
generator adds what the formulas say about each point.

``PUBLISHED[name] = (F_star, f_star, point, note)``.
"""
from __future__ import annotations

import math

__all__ = ["PUBLISHED"]

_S3 = math.sqrt(3) / 2
_R2 = math.sqrt(0.5)
_P = "point printed as {!r} in the paper's text; read as shown"

PUBLISHED = {
    "AiyoshiShimizu1984Ex2": (5, 0, (25, 30, 5, 10), ""),
    "AllendeStill2013": (1, -0.5, (0.5, 0.5, 0.5, 0.5), ""),
    "AnEtal2009": (2251.6, 565.8, (0.200001, 1.999997, 3.999998, 4.600005), ""),
    "Bard1988Ex1": (17, 1, (1, 0), ""),
    "Bard1988Ex2": (-6600, 54, (7, 3, 12, 18, 0, 10, 30, 0),
                    "no point in the paper; the point of bigrad.bolib.PROBLEMS (Bard 1988)"),
    "Bard1988Ex3": (-12.68, -1.02, (0, 2, 1.875, 0.9063),
                    "no point in the paper; the rounded point of bigrad.bolib.PROBLEMS"),
    "Bard1991Ex1": (2, 12, (2, 6, 0), ""),
    "BardBook1998": (0, 5, (25, 30, 5, 10), _P.format("(2530510)")),
    "CalamaiVicente1994a": (0, 0, (1, 0), "parametric (rho >= 1); values and point for rho = 1"),
    "CalamaiVicente1994b": (0.3125, -0.4063, (1.25, 0.5, 1, 1, 0.25, 0.5), _P.format("(1.250.5110.250.5)")),
    "CalamaiVicente1994c": (0.3125, -0.4063, (0.13085, 0.05195, 0.1022, 0.0674, 0.025, 0.05),
                            "the paper's text says f* is unknown; Table 3 gives -0.4063"),
    "CalveteGale1999P1": (-29.2, 0.31, (0, 0.9, 0, 0.6, 0.4), ""),
    "ClarkWesterberg1990a": (5, 4, (1, 3), ""),
    "Colson2002BIPA1": (250, 0, (5, 5), ""),
    "Colson2002BIPA2": (17, 2, (1, 0), ""),
    "Colson2002BIPA3": (2, 24.02, (4, 0), ""),
    "Colson2002BIPA4": (88.79, -0.77, (0, 0.6039), ""),
    "Colson2002BIPA5": (2.75, 0.57, (1.94, 0, 1.21), ""),
    "DeSilva1978": (-1, 0, (0.5, 0.5, 0.5, 0.5), ""),
    "Dempe1992a": (None, None, (0, 0, 0, -0.5), "no F*, f* in the paper ('one possible solution')"),
    "Dempe1992b": (31.25, 4, (1, 1), "no point in the paper; the point of bigrad.bolib.PROBLEMS"),
    "DempeDutta2012Ex24": (0, 0, (1, 0), ""),
    "DempeDutta2012Ex31": (-1, 4, (_R2, _R2, 0, 1), "printed rounded as (0.71, 0.71, 0, 1), which violates g by "
                           "0.008; x = (1/sqrt 2, 1/sqrt 2) used"),
    "DempeEtal2012": (-1, -1, (-1, 1), ""),
    "DempeFranke2011Ex41": (5, -2, (0, -1, 1, 2), ""),
    "DempeFranke2011Ex42": (2.13, -3.5, (1, -1, 0, 1), ""),
    "DempeFranke2014Ex38": (-1, -4, (-1, -1, 2, 2), ""),
    "DempeLohse2011Ex31a": (-5.5, 0, (0, 0, 1, 1), ""),
    "DempeLohse2011Ex31b": (-12, 0, (0.5, 0.5, 0, 0, 0, 2), ""),
    "FalkLiu1995": (-2.1962, 0, (_S3, _S3, _S3, _S3), ""),
    "FloudasEtal2013": (0, 200, (0, 0, -10, -10), ""),
    "FloudasZlobec1998": (1, -1, (1, 0, 1), ""),
    "GumusFloudas2001Ex1": (2250, 197.75, (11.25, 5), ""),
    "GumusFloudas2001Ex3": (-29.2, 0.31, (0, 0.9, 0, 0.6, 0.4), ""),
    "GumusFloudas2001Ex4": (9, 0, (3, 5), ""),
    "GumusFloudas2001Ex5": (0.19, -7.23, (0.193616, 9.9667667, 10), ""),
    "HatzEtal2013": (0, 0, (0, 0, 0), ""),
    "HendersonQuandt1958": (-3266.7, -711.11, (93.33333, 26.667), ""),
    "HenrionSurowiec2011": (0, 0, (0, 0), "parametric: F* = -c^2/4, f* = -c^2/8 at -c/2 (1, 1); the file has c = 0"),
    "IshizukaAiyoshi1992a": (0, -4, (4, -4, 0), "parametric (M > 1; the file has M = 4); the paper gives (x, -M, 0) "
                             "with x in [0, M], but y1 >= -x makes y1 = -M feasible only at x = M: point (M, -M, 0)"),
    "KleniatiAdjiman2014Ex3": (-1, 0, (0, 1), ""),
    "KleniatiAdjiman2014Ex4": (-10, -3.1, (1, -1, -1, -1, -1, -1, -1, -1, -1, -1), _P.format("(1.0, -(1.0)9)")),
    "LamparielloSagratella2017Ex23": (-1, 1, (-1, -1, 0), ""),
    "LamparielloSagratella2017Ex31": (1, 0, (1, 0), ""),
    "LamparielloSagratella2017Ex32": (0.5, 0, (0.5, 0.5), ""),
    "LamparielloSagratella2017Ex33": (0.5, 0, (0.5, 0, 0.5), ""),
    "LamparielloSagratella2017Ex35": (0.8, -0.4, (0.8, 0.4), ""),
    "LucchettiEtal1987": (0, 0, (1, 0), ""),
    "LuDebSinha2016a": (1.14, 1.69, (0.2, 1.4), ""),
    "LuDebSinha2016b": (0, 1.66, (0.5, 1), ""),
    "LuDebSinha2016c": (1.12, 0.06, (0.26, 1), ""),
    "LuDebSinha2016d": (None, None, (10, 192, 10, 192), "solutions unknown ('a possible solution')"),
    "LuDebSinha2016e": (None, None, None, "solutions unknown"),
    "LuDebSinha2016f": (None, None, None, "solutions unknown"),
    "MacalHurter1997": (81.33, -0.33, (10.0163, 0.8197), ""),
    "Mirrlees1999": (1, 0.06, (1, 0.95753), ""),
    "MitsosBarton2006Ex38": (0, 0, (-0.567, 0), ""),
    "MitsosBarton2006Ex39": (-1, -1, (-1, -1), ""),
    "MitsosBarton2006Ex310": (0.5, -0.1, (0.1, 0.5), "solution set [0.1, 1] x {0.5}; f* = -0.1 at x = 0.1"),
    "MitsosBarton2006Ex311": (-0.8, 0, (0, -0.8), ""),
    "MitsosBarton2006Ex312": (0, 0, (0, 0), ""),
    "MitsosBarton2006Ex313": (-1, 0, (0, 1), ""),
    "MitsosBarton2006Ex314": (0.25, -0.08, (0.25, 0.5), ""),
    "MitsosBarton2006Ex315": (0, -0.83, (-1, 1), ""),
    "MitsosBarton2006Ex316": (-2, 0, (-1, 0), ""),
    "MitsosBarton2006Ex317": (0.19, -0.02, (-0.25, 0.5), ""),
    "MitsosBarton2006Ex318": (-0.25, 0, (0.5, 0), ""),
    "MitsosBarton2006Ex319": (-0.26, 0, (0.189, 0.4343), ""),
    "MitsosBarton2006Ex320": (0.31, -0.08, (0.5, 0.5), ""),
    "MitsosBarton2006Ex321": (0.21, -0.07, (-0.5545, 0.4554), ""),
    "MitsosBarton2006Ex322": (0.21, -0.07, (-0.5545, 0.4554), ""),
    "MitsosBarton2006Ex323": (0.18, -1, (-0.4191, -1), ""),
    "MitsosBarton2006Ex324": (-1.75, 0, (0.2106, 1.799), ""),
    "MitsosBarton2006Ex325": (-1, -2, (-1, -1, -1, 1, 1), ""),
    "MitsosBarton2006Ex326": (-2.35, -2, (-1, -1, 1, 1, -0.707), ""),
    "MitsosBarton2006Ex327": (2, -1.1, (0, 0, 0, 0, 0, -1, 0, -1, 0, 0), _P.format("(05, -1, 0, -1, 0, 0)")),
    "MitsosBarton2006Ex328": (-10, -3.1, (1, -1, -1, -1, -1, -1, 1, -1, -1, 1),
                              _P.format("(1, (-1)5, 1, -1, -1, 1)")),
    "MorganPatrone2006a": (-1, 0, (0, 1), ""),
    "MorganPatrone2006b": (-1.25, 0, (0.25, 1), ""),
    "MorganPatrone2006c": (-1, -0.25, (2, -1), ""),
    "MuuQuy2003Ex1": (-2.08, -0.59, (0.8438, 0.7657, 0), ""),
    "MuuQuy2003Ex2": (0.64, 1.67, (0.609, 0.391, 0, 0, 1.828), ""),
    "NieWangYe2017Ex34": (2, 0, (2, 0, 0), ""),
    "NieWangYe2017Ex52": (-1.71, -2.23, (-1, -1, 1.1097, 0.3143, -0.8184), ""),
    "NieWangYe2017Ex54": (-0.44, -1.19, (0, 0, -0.7071, -0.7071, 0.6180, 0, -0.5559, -0.5559), ""),
    "NieWangYe2017Ex57": (-2, -1, (1, 1, 0, 0, 1), ""),
    "NieWangYe2017Ex58": (-3.49, -0.86, (0.5135, 0.5050, 0.4882, 0.4929, -0.8346, -0.4104, -0.2106, -0.2887), ""),
    "NieWangYe2017Ex61": (-1.02, -1.08, (0.5708, -1, -0.1639, 0.9865), ""),
    "Outrata1990Ex1a": (-8.92, -6.05, (0.97, 3.14, 2.6, 1.8), ""),
    "Outrata1990Ex1b": (-7.56, -0.58, (0.28, 0.48, 2.34, 1.03), ""),
    "Outrata1990Ex1c": (-12, -112.71, (20.26, 42.81, 3, 3), ""),
    "Outrata1990Ex1d": (-3.6, -2, (2, 0.06, 2, 0), ""),
    "Outrata1990Ex1e": (-3.15, -16.29, (2.42, -3.65, 0, 1.58), ""),
    "Outrata1990Ex2a": (0.5, -14.53, (2.07, 3, 3), ""),
    "Outrata1990Ex2b": (0.5, -4.5, (0, 3, 3), ""),
    "Outrata1990Ex2c": (1.86, -10.93, (3.456, 1.707, 2.569), ""),
    "Outrata1990Ex2d": (0.92, -19.47, (2.498, 3.632, 2.8), ""),
    "Outrata1990Ex2e": (0.90, -14.94, (3.999, 1.665, 3.887), ""),
    "Outrata1993Ex31": (1.56, -11.67, (1.90910, 2.97836, 2.23182), ""),
    "Outrata1993Ex32": (3.21, -20.53, (4.06095, 2.68227, 1.48710), ""),
    "Outrata1994Ex31": (3.21, -20.53, (4.0604, 2.6822, 1.4871), ""),
    "OutrataCervinka2009": (0, 0, (0, 0, 0, 0), _P.format("04")),
    "PaulaviciusAdjiman2017a": (0.25, 0, (0.5, 0), ""),
    "PaulaviciusAdjiman2017b": (-2, -1.5, (-1, -1), ""),
    "SahinCiric1998Ex2": (5, 4, (1, 3), ""),
    "ShimizuAiyoshi1981Ex1": (100, 0, (10, 10), ""),
    "ShimizuAiyoshi1981Ex2": (225, 100, (20, 5, 10, 5), ""),
    "ShimizuEtal1997a": (None, None, (5, 2), "solutions unknown ('a possible solution')"),
    "ShimizuEtal1997b": (2250, 197.75, (11.25, 5), ""),
    "SinhaMaloDeb2014TP3": (-18.6787, -1.0156, None, "values only"),
    "SinhaMaloDeb2014TP6": (-1.2091, 7.6145, None, "values only"),
    "SinhaMaloDeb2014TP7": (-1.96, 1.96, None, "values only"),
    "SinhaMaloDeb2014TP8": (0, 100, (0, 30, -10, 10), "no point in the paper; the point of bigrad.bolib.PROBLEMS"),
    "SinhaMaloDeb2014TP9": (0, 1, (1,) * 10 + (0,) * 10, "no point in the paper; derived: x = 1, y = 0"),
    "SinhaMaloDeb2014TP10": (0, 1, (1,) * 10 + (0,) * 10, "no point in the paper; derived: x = 1, y = 0"),
    "TuyEtal2007": (22.5, -1.52, (4.492188, 1.523438), ""),
    "Vogel2012": (1, -2, (-2, -2), "the paper names it Vogel2002"),
    "WanWangLv2011": (10.63, -0.5, (0, 0.75, 0, 0.5, 0), ""),
    "YeZhu2010Ex42": (1, -2, (1, 1), ""),
    "YeZhu2010Ex43": (1.25, -2, (1, 1), ""),
    "Yezza1996Ex31": (1.5, -2.5, (0.25, 0), ""),
    "Yezza1996Ex41": (0.5, 2.5, (3, 1), ""),
    "Zlobec2001a": (-1, -1, (1, 1, 0), ""),
    "Zlobec2001b": (None, None, None, "no optimal solution (the feasible set is not closed)"),
}

#: Feasible points better than the published ``F*`` (found by bigrad's solve, checked in the tests:
#: constraints hold, ``y`` is the follower's optimum, ``F < F*``): ``name -> (point (x, y), F, note)``.
BETTER = {
    "AiyoshiShimizu1984Ex2": ((0, 0, -10, -10), 0.0,
                              "G holds (x1 + x2 + y1 - 2 y2 = -30 <= 40) and y1 <= -5, y >= -10 make y = (-10, -10) "
                              "the follower's optimum; the paper lists this point as a local optimum of [27]"),
    "Dempe1992b": ((0, 0), 28.25, "g = y^2 - x <= 0 leaves the follower y = 0 at x = 0; F(x, y*(x)) = (x - 3.5)^2 + "
                                  "(sqrt x + 4)^2 has an inflection, not a minimum, at the published x = 1"),
    "DempeDutta2012Ex31": ((1, 1, 0, 2), -2.0, "at x = (1, 1) the two discs of g touch at y = (0, 2), the follower's "
                                               "only feasible point; G (y1 y2 = 0, x >= 0) holds"),
    "DempeLohse2011Ex31a": ((0, 0.5, 2, 0), -5.75, "at x1 = 0 the follower is indifferent in y1 (optimistic choice "
                                                   "y = (2, 0)); x2 = 0.5 removes the (x2 - 0.5)^2 term"),
    "FalkLiu1995": ((0.75, 0.75, 0.75, 0.75), -2.25, "with y*(x) = x on [0.5, 1.5], F = 2 ((x - 1.5)^2 + x^2) - 4.5 is "
                                                     "least at x = 0.75; the published sqrt(3)/2 gives -2.1962"),
    "MitsosBarton2006Ex318": ((1, 0), -1.0, "at x = 1, f = y^2 - y^4 / 2 >= 0 on [-1, 1] with equality only at y = 0"),
    "Outrata1990Ex1b": ((0.27905105758967247, 0.4748914252726004, 2.3437925135660445, 1.0325144332219398),
                        -7.578319214316607, "the published point, to more digits: F* is printed as -7.56 (F at "
                                            "the printed point is -7.563)"),
    "Outrata1990Ex1e": ((-0.4000619198087727, 0.8001238398413245, 1.9999705098883696, 1.0416280499446257e-09),
                        -3.919945743743698, "another point than the published (2.42, -3.65, 0, 1.58), F = -3.92"),
    "Outrata1990Ex2d": ((2.8563430603109126, 3.8807455744246386, 3.040157261593317), 0.8485054246703134,
                        "another point than the published (2.498, 3.632, 2.8), F = 0.849"),
    "WanWangLv2011": ((0.5, 0.5, 0, 0, 0), 7.5, "at x = (0.5, 0.5) f = 2 y1 - y2 + y3 >= 1.5 y1 + 0.75 y3 >= 0 on "
                                                "the follower's set, so y = 0; F = 1 * 7.5"),
}

#: Verifiable problems whose follower value at the published point differs from the printed ``f*``
#: (``F`` agrees): ``name -> note`` (checked in the tests).
FOLLOWER_VALUE_NOTES = {
    "Colson2002BIPA5": "f(x*, y*) = 0.5482 at the printed (rounded) point; f* printed as 0.57",
    "LuDebSinha2016a": "f(x*, y*) = 1.1838; f* printed as 1.69 (misprinted follower value)",
    "Mirrlees1999": "f(x*, y*) = -1.0199; f* printed as 0.06 (misprinted follower value)",
    "MitsosBarton2006Ex319": "f(x*, y*) = -0.0179; f* printed as 0 (rounded point; f* rounded)",
}

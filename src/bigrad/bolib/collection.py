"""BOLIB problems translated from the public MATLAB files (GENERATED: do not edit).

Written by ``python -m bigrad.bolib._generate BOLIB/BLIBExamples`` from
github.com/ShenglongZhou/BOLIB (``BOLIB/BLIBExamples/<name>.m``; function values
only, the derivatives come from autograd) and :mod:`bigrad.bolib._published`.
Each ``_make_<name>()`` returns batched ``F, f, G, g`` (``x [B, n], y [B, m] ->
[B]`` or ``[B, k]``, feasible where ``<= 0``; ``G``/``g`` None when empty).
"""
# ruff: noqa: E501
from __future__ import annotations

import torch

from ._matlab import cat, col, constraints, eye, index, mfun, mpower, mprod, msum, mtimes, pi, span, tr, value

INF = float('inf')


def _make_AiyoshiShimizu1984Ex2():
    def F_(x, y):
        x, y = col(x), col(y)
        v_w = (((mtimes(2.0, index(x, 1.0)) + mtimes(2.0, index(x, 2.0))) - mtimes(3.0, index(y, 1.0))) - mtimes(3.0, index(y, 2.0))) - 60.0
        return value(v_w, x)
    def f_(x, y):
        x, y = col(x), col(y)
        v_w = mpower(((index(y, 1.0) - index(x, 1.0)) + 20.0), 2.0) + mpower(((index(y, 2.0) - index(x, 2.0)) + 20.0), 2.0)
        return value(v_w, x)
    def G_(x, y):
        x, y = col(x), col(y)
        v_w = cat([[(((index(x, 1.0) + index(x, 2.0)) + index(y, 1.0)) - mtimes(2.0, index(y, 2.0))) - 40.0], [x - 50.0], [-x]])
        return constraints(v_w, x)
    def g_(x, y):
        x, y = col(x), col(y)
        v_w = cat([[(mtimes(2.0, y) - x) + 10.0], [(-y) - 10.0], [y - 20.0]])
        return constraints(v_w, x)
    return F_, f_, G_, g_


def _make_AllendeStill2013():
    def F_(x, y):
        x, y = col(x), col(y)
        v_w = (mpower((index(x, 1.0) - 1.0), 2.0) + mpower((index(x, 2.0) - 1.0), 2.0)) + mtimes(tr(y), y)
        return value(v_w, x)
    def f_(x, y):
        x, y = col(x), col(y)
        v_w = mtimes(tr(y), y) - mtimes(mtimes(2.0, tr(x)), y)
        return value(v_w, x)
    def G_(x, y):
        x, y = col(x), col(y)
        v_w = cat([[-x], [index(x, 1.0) - 2.0], [-y]])
        return constraints(v_w, x)
    def g_(x, y):
        x, y = col(x), col(y)
        v_w = ((y - 1.0) ** 2.0) - 0.25
        return constraints(v_w, x)
    return F_, f_, G_, g_


def _make_AnEtal2009():
    def _data():
        v_H = cat([[-3.8, 4.4, 1.2, -2.2], [4.4, -2.2, 0.6, 1.8], [1.2, 0.6, 0.0, 0.4], [-2.2, 1.8, 0.4, 0.0]])
        v_c = cat([[935.74474], [87.53654], [121.96196], [299.24825]])
        v_A = cat([[0.0, 3.88889], [-2.0, 8.77778]])
        v_B = cat([[4.88889, 7.44444], [-5.11111, 0.88889]])
        v_d = cat([[-61.57778], [-0.8]])
        v_P = cat([[-17.85, 6.575], [30.325, 30.325]])
        v_Q = cat([[21.10204, 11.81633], [11.81633, -14.44898]])
        v_q = cat([[-18.21053], [13.05263]])
        v_D = cat([[5.0, 7.44444], [-8.33333, 3.0], [-8.66667, -8.55556], [6.44444, -5.11111]])
        v_E = cat([[3.88889, 1.77778], [6.88889, 6.11111], [-5.33333, -7.0], [1.44444, 4.44444]])
        v_b = cat([[-39.62222], [-60.0], [72.37778], [-17.28889]])
        return (v_H, v_c, v_A, v_B, v_d, v_P, v_Q, v_q, v_D, v_E, v_b,)
    def F_(x, y):
        x, y = col(x), col(y)
        _d = _data()
        v_H = _d[0]
        v_c = _d[1]
        v_w = mtimes(cat([[tr(x), tr(y)]]), ((mtimes(v_H, cat([[x], [y]])) / 2.0) + v_c))
        return value(v_w, x)
    def f_(x, y):
        x, y = col(x), col(y)
        _d = _data()
        v_P = _d[5]
        v_Q = _d[6]
        v_q = _d[7]
        v_w = mtimes(tr(y), (mtimes(v_P, x) + v_q)) + (mtimes(mtimes(tr(y), v_Q), y) / 2.0)
        return value(v_w, x)
    def G_(x, y):
        x, y = col(x), col(y)
        _d = _data()
        v_A = _d[2]
        v_B = _d[3]
        v_d = _d[4]
        v_w = cat([[-x], [-y], [(mtimes(v_A, x) + mtimes(v_B, y)) + v_d]])
        return constraints(v_w, x)
    def g_(x, y):
        x, y = col(x), col(y)
        _d = _data()
        v_D = _d[8]
        v_E = _d[9]
        v_b = _d[10]
        v_w = (mtimes(v_D, x) + mtimes(v_E, y)) + v_b
        return constraints(v_w, x)
    return F_, f_, G_, g_


def _make_Bard1988Ex1():
    def F_(x, y):
        x, y = col(x), col(y)
        v_w = mpower((x - 5.0), 2.0) + mpower((mtimes(2.0, y) + 1.0), 2.0)
        return value(v_w, x)
    def f_(x, y):
        x, y = col(x), col(y)
        v_w = mpower((y - 1.0), 2.0) - mtimes(mtimes(1.5, x), y)
        return value(v_w, x)
    def G_(x, y):
        x, y = col(x), col(y)
        v_w = -x
        return constraints(v_w, x)
    def g_(x, y):
        x, y = col(x), col(y)
        v_w = cat([[((-mtimes(3.0, x)) + y) + 3.0], [(x - mtimes(0.5, y)) - 4.0], [(x + y) - 7.0], [-y]])
        return constraints(v_w, x)
    return F_, f_, G_, g_


def _make_Bard1988Ex2():
    def F_(x, y):
        x, y = col(x), col(y)
        v_a = cat([[1.0, 0.0, 1.0, 0.0]])
        v_b = cat([[0.0, 1.0, 0.0, 1.0]])
        v_w = (-mtimes((200.0 - mtimes(v_a, y)), mtimes(v_a, y))) - mtimes((160.0 - mtimes(v_b, y)), mtimes(v_b, y))
        return value(v_w, x)
    def f_(x, y):
        x, y = col(x), col(y)
        v_w = msum((y - tr(cat([[4.0, 13.0, 35.0, 2.0]]))) ** 2.0)
        return value(v_w, x)
    def G_(x, y):
        x, y = col(x), col(y)
        v_w = cat([[msum(x) - 40.0], [x - tr(cat([[10.0, 5.0, 15.0, 20.0]]))], [-x]])
        return constraints(v_w, x)
    def g_(x, y):
        x, y = col(x), col(y)
        v_A = cat([[0.4, 0.7, 0.0, 0.0], [0.6, 0.3, 0.0, 0.0], [0.0, 0.0, 0.4, 0.7], [0.0, 0.0, 0.6, 0.3]])
        v_w = cat([[mtimes(v_A, y) - x], [y - tr(cat([[20.0, 20.0, 40.0, 40.0]]))], [-y]])
        return constraints(v_w, x)
    return F_, f_, G_, g_


def _make_Bard1988Ex3():
    def F_(x, y):
        x, y = col(x), col(y)
        v_w = (((-mpower(index(x, 1.0), 2.0)) - mtimes(3.0, index(x, 2.0))) - mtimes(4.0, index(y, 1.0))) + mpower(index(y, 2.0), 2.0)
        return value(v_w, x)
    def f_(x, y):
        x, y = col(x), col(y)
        v_w = (mtimes(2.0, mpower(index(x, 1.0), 2.0)) + mpower(index(y, 1.0), 2.0)) - mtimes(5.0, index(y, 2.0))
        return value(v_w, x)
    def G_(x, y):
        x, y = col(x), col(y)
        v_w = cat([[(mpower(index(x, 1.0), 2.0) + mtimes(2.0, index(x, 2.0))) - 4.0], [-x]])
        return constraints(v_w, x)
    def g_(x, y):
        x, y = col(x), col(y)
        v_w = cat([[(((((-mpower(index(x, 1.0), 2.0)) + mtimes(2.0, index(x, 1.0))) - mpower(index(x, 2.0), 2.0)) + mtimes(2.0, index(y, 1.0))) - index(y, 2.0)) - 3.0], [(((-index(x, 2.0)) - mtimes(3.0, index(y, 1.0))) + mtimes(4.0, index(y, 2.0))) + 4.0], [-y]])
        return constraints(v_w, x)
    return F_, f_, G_, g_


def _make_Bard1991Ex1():
    def F_(x, y):
        x, y = col(x), col(y)
        v_w = x + index(y, 2.0)
        return value(v_w, x)
    def f_(x, y):
        x, y = col(x), col(y)
        v_w = mtimes(2.0, index(y, 1.0)) + mtimes(x, index(y, 2.0))
        return value(v_w, x)
    def G_(x, y):
        x, y = col(x), col(y)
        v_w = cat([[(-x) + 2.0], [x - 4.0]])
        return constraints(v_w, x)
    def g_(x, y):
        x, y = col(x), col(y)
        v_w = cat([[((x - index(y, 1.0)) - index(y, 2.0)) + 4.0], [-y]])
        return constraints(v_w, x)
    return F_, f_, G_, g_


def _make_BardBook1998():
    def F_(x, y):
        x, y = col(x), col(y)
        v_w = msum(((y - x) + 20.0) ** 2.0)
        return value(v_w, x)
    def f_(x, y):
        x, y = col(x), col(y)
        v_w = (mtimes(cat([[2.0, 2.0]]), x) - mtimes(cat([[3.0, 3.0]]), y)) - 60.0
        return value(v_w, x)
    def G_(x, y):
        x, y = col(x), col(y)
        v_w = cat([[x - 50.0], [-x]])
        return constraints(v_w, x)
    def g_(x, y):
        x, y = col(x), col(y)
        v_w = cat([[(mtimes(cat([[1.0, 1.0]]), x) + mtimes(cat([[1.0, -2.0]]), y)) - 40.0], [(mtimes(2.0, y) - x) + 10.0], [y - 20.0], [(-y) - 10.0]])
        return constraints(v_w, x)
    return F_, f_, G_, g_


def _make_CalamaiVicente1994a():
    def _data():
        v_A = cat([[eye(2.0)], [eye(2.0)], [-eye(2.0)]])
        v_B = cat([[-eye(2.0)], [eye(2.0)], [-eye(2.0)]])
        v_b = cat([[-1.0], [-1.0], [-1.5], [-3.0], [1.0], [1.0]])
        return (v_A, v_B, v_b,)
    def F_(x, y):
        x, y = col(x), col(y)
        v_w = (mpower((x - 1.0), 2.0) / 2.0) + (mpower(y, 2.0) / 2.0)
        return value(v_w, x)
    def f_(x, y):
        x, y = col(x), col(y)
        v_w = (y / 2.0) - mtimes(x, y)
        return value(v_w, x)
    G_ = None
    def g_(x, y):
        x, y = col(x), col(y)
        v_rho = 1.0
        v_w = cat([[(x - y) - 1.0], [((-x) - y) + 1.0], [(x + y) - v_rho]])
        return constraints(v_w, x)
    return F_, f_, G_, g_


def _make_CalamaiVicente1994b():
    def _data():
        v_A = cat([[eye(2.0)], [eye(2.0)], [-eye(2.0)]])
        v_B = cat([[-eye(2.0)], [eye(2.0)], [-eye(2.0)]])
        v_b = cat([[-1.0], [-1.0], [-1.5], [-3.0], [1.0], [1.0]])
        return (v_A, v_B, v_b,)
    def F_(x, y):
        x, y = col(x), col(y)
        v_w = (msum((x - 1.0) ** 2.0) / 2.0) + (msum(y ** 2.0) / 2.0)
        return value(v_w, x)
    def f_(x, y):
        x, y = col(x), col(y)
        v_w = (msum(y ** 2.0) / 2.0) - mtimes(cat([[index(x, 1.0), index(x, 2.0)]]), y)
        return value(v_w, x)
    G_ = None
    def g_(x, y):
        x, y = col(x), col(y)
        _d = _data()
        v_A = _d[0]
        v_B = _d[1]
        v_b = _d[2]
        v_w = (mtimes(v_A, cat([[index(x, 1.0)], [index(x, 2.0)]])) + mtimes(v_B, y)) + v_b
        return constraints(v_w, x)
    return F_, f_, G_, g_


def _make_CalamaiVicente1994c():
    def _data():
        v_A = cat([[197.2, 32.4, -129.6, -43.2], [32.4, 110.8, -43.2, -14.4], [-129.6, -43.2, 302.8, -32.4], [-43.2, -14.4, -32.4, 389.2]])
        v_B = cat([[100.0, 0.0], [0.0, 100.0]])
        v_a = cat([[-8.56], [-9.52], [-9.92], [-16.64]])
        v_C = cat([[-132.4, -10.8], [-10.8, -103.6], [43.2, 14.4], [14.4, 4.8]])
        v_D = cat([[13.24, 1.08, -4.32, -1.44], [1.08, 10.36, -1.44, -0.48], [13.24, 1.08, -4.32, -1.44], [1.08, 10.36, -1.44, -0.48], [-13.24, -1.08, 4.32, 1.44], [-1.08, -10.36, 1.44, 0.48]])
        v_E = cat([[-10.0, 0.0], [0.0, -10.0], [10.0, 0.0], [0.0, 10.0], [-10.0, 0.0], [0.0, -10.0]])
        v_d = cat([[-1.0], [-1.0], [-1.5], [-3.0], [1.0], [1.0]])
        return (v_A, v_B, v_a, v_C, v_D, v_E, v_d,)
    def F_(x, y):
        x, y = col(x), col(y)
        _d = _data()
        v_A = _d[0]
        v_B = _d[1]
        v_a = _d[2]
        v_w = (((mtimes(mtimes(tr(x), v_A), x) + mtimes(mtimes(tr(y), v_B), y)) / 2.0) + mtimes(tr(v_a), x)) + 2.0
        return value(v_w, x)
    def f_(x, y):
        x, y = col(x), col(y)
        _d = _data()
        v_B = _d[1]
        v_C = _d[3]
        v_w = mtimes(mtimes(tr(x), v_C), y) + (mtimes(mtimes(tr(y), v_B), y) / 2.0)
        return value(v_w, x)
    G_ = None
    def g_(x, y):
        x, y = col(x), col(y)
        _d = _data()
        v_D = _d[4]
        v_E = _d[5]
        v_d = _d[6]
        v_w = (mtimes(v_D, x) + mtimes(v_E, y)) + v_d
        return constraints(v_w, x)
    return F_, f_, G_, g_


def _make_CalveteGale1999P1():
    def F_(x, y):
        x, y = col(x), col(y)
        v_w = ((((-mtimes(8.0, index(x, 1.0))) - mtimes(4.0, index(x, 2.0))) + mtimes(4.0, index(y, 1.0))) - mtimes(40.0, index(y, 2.0))) - mtimes(4.0, index(y, 3.0))
        return value(v_w, x)
    def f_(x, y):
        x, y = col(x), col(y)
        v_w = (((((1.0 + index(x, 1.0)) + index(x, 2.0)) + mtimes(2.0, index(y, 1.0))) - index(y, 2.0)) + index(y, 3.0)) / ((((6.0 + mtimes(2.0, index(x, 1.0))) + index(y, 1.0)) + index(y, 2.0)) - mtimes(3.0, index(y, 3.0)))
        return value(v_w, x)
    def G_(x, y):
        x, y = col(x), col(y)
        v_w = -x
        return constraints(v_w, x)
    def g_(x, y):
        x, y = col(x), col(y)
        v_w = cat([[-y], [(((-index(y, 1.0)) + index(y, 2.0)) + index(y, 3.0)) - 1.0], [(((mtimes(2.0, index(x, 1.0)) - index(y, 1.0)) + mtimes(2.0, index(y, 2.0))) - mtimes(0.5, index(y, 3.0))) - 1.0], [(((mtimes(2.0, index(x, 2.0)) + mtimes(2.0, index(y, 1.0))) - index(y, 2.0)) - mtimes(0.5, index(y, 3.0))) - 1.0]])
        return constraints(v_w, x)
    return F_, f_, G_, g_


def _make_ClarkWesterberg1990a():
    def F_(x, y):
        x, y = col(x), col(y)
        v_w = mpower((x - 3.0), 2.0) + mpower((y - 2.0), 2.0)
        return value(v_w, x)
    def f_(x, y):
        x, y = col(x), col(y)
        v_w = mpower((y - 5.0), 2.0)
        return value(v_w, x)
    def G_(x, y):
        x, y = col(x), col(y)
        v_w = cat([[x - 8.0], [-x]])
        return constraints(v_w, x)
    def g_(x, y):
        x, y = col(x), col(y)
        v_w = cat([[((-mtimes(2.0, x)) + y) - 1.0], [(x - mtimes(2.0, y)) + 2.0], [(x + mtimes(2.0, y)) - 14.0]])
        return constraints(v_w, x)
    return F_, f_, G_, g_


def _make_Colson2002BIPA1():
    def F_(x, y):
        x, y = col(x), col(y)
        v_w = mpower((10.0 - x), 3.0) + mpower((10.0 - y), 3.0)
        return value(v_w, x)
    def f_(x, y):
        x, y = col(x), col(y)
        v_w = mpower(((x + mtimes(2.0, y)) - 15.0), 4.0)
        return value(v_w, x)
    def G_(x, y):
        x, y = col(x), col(y)
        v_w = cat([[x - 5.0], [(-x) + y], [-x]])
        return constraints(v_w, x)
    def g_(x, y):
        x, y = col(x), col(y)
        v_w = cat([[(x + y) - 20.0], [y - 20.0], [-y]])
        return constraints(v_w, x)
    return F_, f_, G_, g_


def _make_Colson2002BIPA2():
    def F_(x, y):
        x, y = col(x), col(y)
        v_w = mpower((x - 5.0), 2.0) + mpower((mtimes(2.0, y) + 1.0), 2.0)
        return value(v_w, x)
    def f_(x, y):
        x, y = col(x), col(y)
        v_w = (mpower((y - 1.0), 2.0) - mtimes(mtimes(1.5, x), y)) + mpower(x, 3.0)
        return value(v_w, x)
    def G_(x, y):
        x, y = col(x), col(y)
        v_w = -x
        return constraints(v_w, x)
    def g_(x, y):
        x, y = col(x), col(y)
        v_w = cat([[((-mtimes(3.0, x)) + y) + 3.0], [(x - mtimes(0.5, y)) - 4.0], [(x + y) - 7.0], [-y]])
        return constraints(v_w, x)
    return F_, f_, G_, g_


def _make_Colson2002BIPA3():
    def F_(x, y):
        x, y = col(x), col(y)
        v_w = mpower((x - 5.0), 4.0) + mpower((mtimes(2.0, y) + 1.0), 4.0)
        return value(v_w, x)
    def f_(x, y):
        x, y = col(x), col(y)
        v_w = ((((mfun('exp', (-x) + y) + mpower(x, 2.0)) + mtimes(mtimes(2.0, x), y)) + mpower(y, 2.0)) + mtimes(2.0, x)) + mtimes(6.0, y)
        return value(v_w, x)
    def G_(x, y):
        x, y = col(x), col(y)
        v_w = cat([[(x + y) - 4.0], [-x]])
        return constraints(v_w, x)
    def g_(x, y):
        x, y = col(x), col(y)
        v_w = cat([[((-x) + y) - 2.0], [-y]])
        return constraints(v_w, x)
    return F_, f_, G_, g_


def _make_Colson2002BIPA4():
    def F_(x, y):
        x, y = col(x), col(y)
        v_w = mpower(x, 2.0) + mpower((y - 10.0), 2.0)
        return value(v_w, x)
    def f_(x, y):
        x, y = col(x), col(y)
        v_w = (((mpower(x, 3.0) + mtimes(2.0, mpower(y, 3.0))) + x) - mtimes(2.0, y)) - mpower(x, 2.0)
        return value(v_w, x)
    def G_(x, y):
        x, y = col(x), col(y)
        v_w = cat([[(x + mtimes(2.0, y)) - 6.0], [-x]])
        return constraints(v_w, x)
    def g_(x, y):
        x, y = col(x), col(y)
        v_w = cat([[((-x) + mtimes(2.0, y)) - 3.0], [-y]])
        return constraints(v_w, x)
    return F_, f_, G_, g_


def _make_Colson2002BIPA5():
    def F_(x, y):
        x, y = col(x), col(y)
        v_w = (mpower((x - index(y, 2.0)), 4.0) + mpower((index(y, 1.0) - 1.0), 2.0)) + mpower((index(y, 1.0) - index(y, 2.0)), 2.0)
        return value(v_w, x)
    def f_(x, y):
        x, y = col(x), col(y)
        v_w = ((((mtimes(2.0, x) + mfun('exp', index(y, 1.0))) + mpower(index(y, 1.0), 2.0)) + mtimes(4.0, index(y, 1.0))) + mtimes(2.0, mpower(index(y, 2.0), 2.0))) - mtimes(6.0, index(y, 2.0))
        return value(v_w, x)
    def G_(x, y):
        x, y = col(x), col(y)
        v_w = -x
        return constraints(v_w, x)
    def g_(x, y):
        x, y = col(x), col(y)
        v_w = cat([[((mtimes(6.0, x) + mpower(index(y, 1.0), 2.0)) + mfun('exp', index(y, 2.0))) - 15.0], [((mtimes(5.0, x) + mpower(index(y, 1.0), 4.0)) - index(y, 2.0)) - 25.0], [index(y, 1.0) - 4.0], [index(y, 2.0) - 2.0], [-y]])
        return constraints(v_w, x)
    return F_, f_, G_, g_


def _make_Dempe1992a():
    def F_(x, y):
        x, y = col(x), col(y)
        v_w = index(y, 2.0)
        return value(v_w, x)
    def f_(x, y):
        x, y = col(x), col(y)
        v_w = mtimes(0.5, msum((y - cat([[1.0], [0.0]])) ** 2.0))
        return value(v_w, x)
    def G_(x, y):
        x, y = col(x), col(y)
        v_w = msum((x + cat([[0.0], [1.0]])) ** 2.0) - 1.0
        return constraints(v_w, x)
    def g_(x, y):
        x, y = col(x), col(y)
        v_w = cat([[(index(y, 1.0) + mtimes(index(y, 2.0), index(x, 1.0))) + index(x, 2.0)], [index(y, 1.0)]])
        return constraints(v_w, x)
    return F_, f_, G_, g_


def _make_Dempe1992b():
    def F_(x, y):
        x, y = col(x), col(y)
        v_w = mpower((x - 3.5), 2.0) + mpower((y + 4.0), 2.0)
        return value(v_w, x)
    def f_(x, y):
        x, y = col(x), col(y)
        v_w = mpower((y - 3.0), 2.0)
        return value(v_w, x)
    G_ = None
    def g_(x, y):
        x, y = col(x), col(y)
        v_w = mpower(y, 2.0) - x
        return constraints(v_w, x)
    return F_, f_, G_, g_


def _make_DempeDutta2012Ex24():
    def F_(x, y):
        x, y = col(x), col(y)
        v_w = mpower((x - 1.0), 2.0) + mpower(y, 2.0)
        return value(v_w, x)
    def f_(x, y):
        x, y = col(x), col(y)
        v_w = mtimes(mpower(x, 2.0), y)
        return value(v_w, x)
    G_ = None
    def g_(x, y):
        x, y = col(x), col(y)
        v_w = mpower(y, 2.0)
        return constraints(v_w, x)
    return F_, f_, G_, g_


def _make_DempeDutta2012Ex31():
    def F_(x, y):
        x, y = col(x), col(y)
        v_w = -index(y, 2.0)
        return value(v_w, x)
    def f_(x, y):
        x, y = col(x), col(y)
        v_w = msum((y + cat([[0.0], [1.0]])) ** 2.0)
        return value(v_w, x)
    def G_(x, y):
        x, y = col(x), col(y)
        v_w = cat([[-x], [mtimes(index(y, 1.0), index(y, 2.0))], [-mtimes(index(y, 1.0), index(y, 2.0))]])
        return constraints(v_w, x)
    def g_(x, y):
        x, y = col(x), col(y)
        v_w = cat([[(mpower((index(y, 1.0) - index(x, 1.0)), 2.0) + mpower(((index(y, 2.0) - index(x, 1.0)) - 1.0), 2.0)) - 1.0], [(mpower((index(y, 1.0) + index(x, 2.0)), 2.0) + mpower(((index(y, 2.0) - index(x, 2.0)) - 1.0), 2.0)) - 1.0]])
        return constraints(v_w, x)
    return F_, f_, G_, g_


def _make_DempeEtal2012():
    def F_(x, y):
        x, y = col(x), col(y)
        v_w = x
        return value(v_w, x)
    def f_(x, y):
        x, y = col(x), col(y)
        v_w = mtimes(x, y)
        return value(v_w, x)
    def G_(x, y):
        x, y = col(x), col(y)
        v_w = cat([[(-1.0) - x], [x - 1.0]])
        return constraints(v_w, x)
    def g_(x, y):
        x, y = col(x), col(y)
        v_w = cat([[-y], [y - 1.0]])
        return constraints(v_w, x)
    return F_, f_, G_, g_


def _make_DempeFranke2011Ex41():
    def F_(x, y):
        x, y = col(x), col(y)
        v_w = index(x, 1.0) + mtimes(tr(y), y)
        return value(v_w, x)
    def f_(x, y):
        x, y = col(x), col(y)
        v_w = mtimes(tr(x), y)
        return value(v_w, x)
    def G_(x, y):
        x, y = col(x), col(y)
        v_w = cat([[(-1.0) - index(x, 1.0)], [(-1.0) + index(x, 1.0)], [(-1.0) - index(x, 2.0)], [1.0 + index(x, 2.0)]])
        return constraints(v_w, x)
    def g_(x, y):
        x, y = col(x), col(y)
        v_w = cat([[(-mtimes(2.0, index(y, 1.0))) + index(y, 2.0)], [y - 2.0], [-index(y, 2.0)]])
        return constraints(v_w, x)
    return F_, f_, G_, g_


def _make_DempeFranke2011Ex42():
    def F_(x, y):
        x, y = col(x), col(y)
        v_w = index(x, 1.0) + msum((y - cat([[1.0], [0.0]])) ** 2.0)
        return value(v_w, x)
    def f_(x, y):
        x, y = col(x), col(y)
        v_w = mtimes(tr(x), y)
        return value(v_w, x)
    def G_(x, y):
        x, y = col(x), col(y)
        v_w = cat([[(-1.0) - index(x, 1.0)], [(-1.0) + index(x, 1.0)], [(-1.0) - index(x, 2.0)], [1.0 + index(x, 2.0)]])
        return constraints(v_w, x)
    def g_(x, y):
        x, y = col(x), col(y)
        v_w = cat([[((-index(y, 1.0)) + index(y, 2.0)) - 1.0], [(index(y, 1.0) + index(y, 2.0)) - 3.5], [index(y, 2.0) - 2.0]])
        return constraints(v_w, x)
    return F_, f_, G_, g_


def _make_DempeFranke2014Ex38():
    def F_(x, y):
        x, y = col(x), col(y)
        v_w = mtimes(cat([[2.0, 1.0]]), x) + mtimes(cat([[2.0, -1.0]]), y)
        return value(v_w, x)
    def f_(x, y):
        x, y = col(x), col(y)
        v_w = mtimes(tr(x), y)
        return value(v_w, x)
    def G_(x, y):
        x, y = col(x), col(y)
        v_w = cat([[(-1.0) - index(x, 1.0)], [(-1.0) + index(x, 1.0)], [(-1.0) - index(x, 2.0)], [0.75 + index(x, 2.0)]])
        return constraints(v_w, x)
    def g_(x, y):
        x, y = col(x), col(y)
        v_w = cat([[(-mtimes(2.0, index(y, 1.0))) + index(y, 2.0)], [y - 2.0], [-index(y, 2.0)]])
        return constraints(v_w, x)
    return F_, f_, G_, g_


def _make_DempeLohse2011Ex31a():
    def F_(x, y):
        x, y = col(x), col(y)
        v_w = msum((x - 0.5) ** 2.0) - mtimes(cat([[3.0, 3.0]]), y)
        return value(v_w, x)
    def f_(x, y):
        x, y = col(x), col(y)
        v_w = msum(x * y)
        return value(v_w, x)
    G_ = None
    def g_(x, y):
        x, y = col(x), col(y)
        v_w = cat([[msum(y) - 2.0], [(-index(y, 1.0)) + index(y, 2.0)], [-y]])
        return constraints(v_w, x)
    return F_, f_, G_, g_


def _make_DempeLohse2011Ex31b():
    def F_(x, y):
        x, y = col(x), col(y)
        v_w = msum((x - cat([[0.5], [0.5], [0.0]])) ** 2.0) - mtimes(cat([[3.0, 3.0, 6.0]]), y)
        return value(v_w, x)
    def f_(x, y):
        x, y = col(x), col(y)
        v_w = msum(x * y)
        return value(v_w, x)
    G_ = None
    def g_(x, y):
        x, y = col(x), col(y)
        v_w = mtimes(cat([[1.0, 1.0, 1.0], [-1.0, 1.0, 0.0], [-eye(3.0)]]), y) - cat([[2.0], [0.0], [0.0], [0.0], [0.0]])
        return constraints(v_w, x)
    return F_, f_, G_, g_


def _make_DeSilva1978():
    def F_(x, y):
        x, y = col(x), col(y)
        v_w = msum(((x - 1.0) ** 2.0) + (y ** 2.0)) - 2.0
        return value(v_w, x)
    def f_(x, y):
        x, y = col(x), col(y)
        v_w = msum((y - x) ** 2.0)
        return value(v_w, x)
    G_ = None
    def g_(x, y):
        x, y = col(x), col(y)
        v_w = cat([[(-y) + 0.5], [y - 1.5]])
        return constraints(v_w, x)
    return F_, f_, G_, g_


def _make_FalkLiu1995():
    def F_(x, y):
        x, y = col(x), col(y)
        v_w = msum(((x - 1.5) ** 2.0) + (y ** 2.0)) - 4.5
        return value(v_w, x)
    def f_(x, y):
        x, y = col(x), col(y)
        v_w = msum((y - x) ** 2.0)
        return value(v_w, x)
    G_ = None
    def g_(x, y):
        x, y = col(x), col(y)
        v_w = cat([[(-y) + 0.5], [y - 1.5]])
        return constraints(v_w, x)
    return F_, f_, G_, g_


def _make_FloudasEtal2013():
    def F_(x, y):
        x, y = col(x), col(y)
        v_w = (mtimes(cat([[2.0, 2.0]]), x) - mtimes(cat([[3.0, 3.0]]), y)) - 60.0
        return value(v_w, x)
    def f_(x, y):
        x, y = col(x), col(y)
        v_w = msum(((y - x) + 20.0) ** 2.0)
        return value(v_w, x)
    def G_(x, y):
        x, y = col(x), col(y)
        v_w = cat([[x - 50.0], [-x]])
        return constraints(v_w, x)
    def g_(x, y):
        x, y = col(x), col(y)
        v_w = cat([[(mtimes(2.0, y) - x) + 10.0], [(mtimes(cat([[1.0, 1.0]]), x) + mtimes(cat([[1.0, -2.0]]), y)) - 40.0], [(-y) - 10.0], [y - 20.0]])
        return constraints(v_w, x)
    return F_, f_, G_, g_


def _make_FloudasZlobec1998():
    def F_(x, y):
        x, y = col(x), col(y)
        v_w = mtimes(cat([[mpower(x, 3.0), 1.0]]), y)
        return value(v_w, x)
    def f_(x, y):
        x, y = col(x), col(y)
        v_w = -index(y, 2.0)
        return value(v_w, x)
    def G_(x, y):
        x, y = col(x), col(y)
        v_w = cat([[-x], [x - 1.0]])
        return constraints(v_w, x)
    def g_(x, y):
        x, y = col(x), col(y)
        v_w = cat([[(-y) - cat([[1.0], [0.0]])], [y - cat([[1.0], [100.0]])], [mtimes(x, index(y, 1.0)) - 10.0], [(mpower(index(y, 1.0), 2.0) + mtimes(x, index(y, 2.0))) - 1.0]])
        return constraints(v_w, x)
    return F_, f_, G_, g_


def _make_GumusFloudas2001Ex1():
    def F_(x, y):
        x, y = col(x), col(y)
        v_w = mtimes(16.0, mpower(x, 2.0)) + mtimes(9.0, mpower(y, 2.0))
        return value(v_w, x)
    def f_(x, y):
        x, y = col(x), col(y)
        v_w = mpower(((x + y) - 20.0), 4.0)
        return value(v_w, x)
    def G_(x, y):
        x, y = col(x), col(y)
        v_w = cat([[-x], [x - 12.5], [(-mtimes(4.0, x)) + y]])
        return constraints(v_w, x)
    def g_(x, y):
        x, y = col(x), col(y)
        v_w = cat([[-y], [y - 50.0], [(mtimes(4.0, x) + y) - 50.0]])
        return constraints(v_w, x)
    return F_, f_, G_, g_


def _make_GumusFloudas2001Ex3():
    def F_(x, y):
        x, y = col(x), col(y)
        v_w = ((((-mtimes(8.0, index(x, 1.0))) - mtimes(4.0, index(x, 2.0))) + mtimes(4.0, index(y, 1.0))) - mtimes(40.0, index(y, 2.0))) - mtimes(4.0, index(y, 3.0))
        return value(v_w, x)
    def f_(x, y):
        x, y = col(x), col(y)
        v_w = (((((1.0 + index(x, 1.0)) + index(x, 2.0)) + mtimes(2.0, index(y, 1.0))) - index(y, 2.0)) + index(y, 3.0)) / ((((6.0 + mtimes(2.0, index(x, 1.0))) + index(y, 1.0)) + index(y, 2.0)) - mtimes(3.0, index(y, 3.0)))
        return value(v_w, x)
    def G_(x, y):
        x, y = col(x), col(y)
        v_w = cat([[-x], [x - 2.0]])
        return constraints(v_w, x)
    def g_(x, y):
        x, y = col(x), col(y)
        v_w = cat([[-y], [y - 2.0], [(((-index(y, 1.0)) + index(y, 2.0)) + index(y, 3.0)) - 1.0], [(((mtimes(2.0, index(x, 1.0)) - index(y, 1.0)) + mtimes(2.0, index(y, 2.0))) - mtimes(0.5, index(y, 3.0))) - 1.0], [(((mtimes(2.0, index(x, 2.0)) + mtimes(2.0, index(y, 1.0))) - index(y, 2.0)) - mtimes(0.5, index(y, 3.0))) - 1.0]])
        return constraints(v_w, x)
    return F_, f_, G_, g_


def _make_GumusFloudas2001Ex4():
    def F_(x, y):
        x, y = col(x), col(y)
        v_w = mpower((x - 3.0), 2.0) + mpower((y - 2.0), 2.0)
        return value(v_w, x)
    def f_(x, y):
        x, y = col(x), col(y)
        v_w = mpower((y - 5.0), 2.0)
        return value(v_w, x)
    def G_(x, y):
        x, y = col(x), col(y)
        v_w = cat([[-x], [x - 8.0], [((-mtimes(2.0, x)) + y) - 1.0], [(x - mtimes(2.0, y)) + 2.0], [(x + mtimes(2.0, y)) - 14.0]])
        return constraints(v_w, x)
    def g_(x, y):
        x, y = col(x), col(y)
        v_w = cat([[-y], [y - 10.0]])
        return constraints(v_w, x)
    return F_, f_, G_, g_


def _make_GumusFloudas2001Ex5():
    def F_(x, y):
        x, y = col(x), col(y)
        v_w = x
        return value(v_w, x)
    def f_(x, y):
        x, y = col(x), col(y)
        v_w = (-index(y, 1.0)) + mtimes(0.5864, mpower(index(y, 1.0), 0.67))
        return value(v_w, x)
    def G_(x, y):
        x, y = col(x), col(y)
        v_w = cat([[(-x) + 0.1], [x - 10.0]])
        return constraints(v_w, x)
    def g_(x, y):
        x, y = col(x), col(y)
        v_a = 0.0332333
        v_w = cat([[(-y) + 0.1], [y - 10.0], [((v_a / index(y, 2.0)) + mtimes(0.1, index(y, 1.0))) - 1.0], [(((mtimes(4.0, x) + mtimes(2.0, mpower(x, (-0.71)))) / index(y, 2.0)) + mtimes(v_a, mpower(x, (-1.3)))) - 1.0]])
        return constraints(v_w, x)
    return F_, f_, G_, g_


def _make_HatzEtal2013():
    def F_(x, y):
        x, y = col(x), col(y)
        v_w = ((-x) + mtimes(2.0, index(y, 1.0))) + index(y, 2.0)
        return value(v_w, x)
    def f_(x, y):
        x, y = col(x), col(y)
        v_w = mpower((x - index(y, 1.0)), 2.0) + mpower(index(y, 2.0), 2.0)
        return value(v_w, x)
    G_ = None
    def g_(x, y):
        x, y = col(x), col(y)
        v_w = -y
        return constraints(v_w, x)
    return F_, f_, G_, g_


def _make_HendersonQuandt1958():
    def F_(x, y):
        x, y = col(x), col(y)
        v_w = mtimes((mtimes(0.5, (x + y)) - 95.0), x)
        return value(v_w, x)
    def f_(x, y):
        x, y = col(x), col(y)
        v_w = mtimes(((y + mtimes(0.5, x)) - 100.0), y)
        return value(v_w, x)
    def G_(x, y):
        x, y = col(x), col(y)
        v_w = mtimes(cat([[1.0], [-1.0]]), x) - cat([[200.0], [0.0]])
        return constraints(v_w, x)
    def g_(x, y):
        x, y = col(x), col(y)
        v_w = -y
        return constraints(v_w, x)
    return F_, f_, G_, g_


def _make_HenrionSurowiec2011():
    def F_(x, y):
        x, y = col(x), col(y)
        v_c = 0.0
        v_w = mpower(x, 2.0) + mtimes(v_c, y)
        return value(v_w, x)
    def f_(x, y):
        x, y = col(x), col(y)
        v_w = mtimes(((y / 2.0) - x), y)
        return value(v_w, x)
    G_ = None
    g_ = None
    return F_, f_, G_, g_


def _make_IshizukaAiyoshi1992a():
    def F_(x, y):
        x, y = col(x), col(y)
        v_w = mtimes(x, mpower(index(y, 2.0), 2.0))
        return value(v_w, x)
    def f_(x, y):
        x, y = col(x), col(y)
        v_w = index(y, 1.0)
        return value(v_w, x)
    def G_(x, y):
        x, y = col(x), col(y)
        v_M = 4.0
        v_w = (-x) - v_M
        return constraints(v_w, x)
    def g_(x, y):
        x, y = col(x), col(y)
        v_M = 4.0
        v_w = ((-mtimes(cat([[1.0], [1.0], [1.0], [0.0], [0.0]]), x)) + mtimes(cat([[0.0, 0.0], [-1.0, 0.0], [1.0, 0.0], [-1.0, -1.0], [1.0, 1.0]]), y)) - cat([[0.0], [0.0], [0.0], [v_M], [v_M]])
        return constraints(v_w, x)
    return F_, f_, G_, g_


def _make_KleniatiAdjiman2014Ex3():
    def F_(x, y):
        x, y = col(x), col(y)
        v_w = x - y
        return value(v_w, x)
    def f_(x, y):
        x, y = col(x), col(y)
        v_w = (mtimes(x, mpower(y, 2.0)) / 2.0) - mtimes(x, mpower(y, 3.0))
        return value(v_w, x)
    def G_(x, y):
        x, y = col(x), col(y)
        v_w = cat([[(-x) - 1.0], [x - 1.0]])
        return constraints(v_w, x)
    def g_(x, y):
        x, y = col(x), col(y)
        v_w = cat([[(-y) - 1.0], [y - 1.0]])
        return constraints(v_w, x)
    return F_, f_, G_, g_


def _make_KleniatiAdjiman2014Ex4():
    def F_(x, y):
        x, y = col(x), col(y)
        v_w = -msum((x * x) + (y * y))
        return value(v_w, x)
    def f_(x, y):
        x, y = col(x), col(y)
        v_w = ((mpower(index(y, 1.0), 3.0) + mtimes((index(x, 1.0) + index(x, 2.0)), mpower(index(y, 2.0), 2.0))) + mtimes(0.1, index(y, 3.0))) + mtimes(mtimes(mtimes((mpower(index(y, 4.0), 2.0) + mpower(index(y, 5.0), 2.0)), index(x, 3.0)), index(x, 4.0)), index(x, 5.0))
        return value(v_w, x)
    def G_(x, y):
        x, y = col(x), col(y)
        v_w = cat([[(-x) - 1.0], [x - 1.0], [mtimes(index(y, 1.0), index(y, 2.0)) - index(x, 1.0)], [(index(x, 1.0) - mfun('exp', index(x, 2.0))) + index(y, 3.0)], [mtimes(index(x, 2.0), mpower(index(y, 1.0), 2.0))]])
        return constraints(v_w, x)
    def g_(x, y):
        x, y = col(x), col(y)
        v_w = cat([[(-y) - 1.0], [y - 1.0], [(index(x, 1.0) - 0.2) - mpower(index(y, 3.0), 2.0)]])
        return constraints(v_w, x)
    return F_, f_, G_, g_


def _make_LamparielloSagratella2017Ex23():
    def F_(x, y):
        x, y = col(x), col(y)
        v_w = x
        return value(v_w, x)
    def f_(x, y):
        x, y = col(x), col(y)
        v_w = mpower((x - index(y, 1.0)), 2.0) + mpower((index(y, 2.0) + 1.0), 2.0)
        return value(v_w, x)
    def G_(x, y):
        x, y = col(x), col(y)
        v_w = mtimes(cat([[-1.0], [1.0]]), x) - 1.0
        return constraints(v_w, x)
    def g_(x, y):
        x, y = col(x), col(y)
        v_w = cat([[mpower(index(y, 1.0), 3.0) - index(y, 2.0)], [-index(y, 2.0)]])
        return constraints(v_w, x)
    return F_, f_, G_, g_


def _make_LamparielloSagratella2017Ex31():
    def F_(x, y):
        x, y = col(x), col(y)
        v_w = mpower(x, 2.0) + mpower(y, 2.0)
        return value(v_w, x)
    def f_(x, y):
        x, y = col(x), col(y)
        v_w = y
        return value(v_w, x)
    def G_(x, y):
        x, y = col(x), col(y)
        v_w = 1.0 - x
        return constraints(v_w, x)
    def g_(x, y):
        x, y = col(x), col(y)
        v_w = (1.0 - x) - y
        return constraints(v_w, x)
    return F_, f_, G_, g_


def _make_LamparielloSagratella2017Ex32():
    def F_(x, y):
        x, y = col(x), col(y)
        v_w = mpower(x, 2.0) + mpower(y, 2.0)
        return value(v_w, x)
    def f_(x, y):
        x, y = col(x), col(y)
        v_w = mpower(((x + y) - 1.0), 2.0)
        return value(v_w, x)
    G_ = None
    g_ = None
    return F_, f_, G_, g_


def _make_LamparielloSagratella2017Ex33():
    def F_(x, y):
        x, y = col(x), col(y)
        v_w = mpower(x, 2.0) + mpower(msum(y), 2.0)
        return value(v_w, x)
    def f_(x, y):
        x, y = col(x), col(y)
        v_w = index(y, 1.0)
        return value(v_w, x)
    def G_(x, y):
        x, y = col(x), col(y)
        v_w = 0.5 - x
        return constraints(v_w, x)
    def g_(x, y):
        x, y = col(x), col(y)
        v_w = cat([[(1.0 - x) - msum(y)], [-y]])
        return constraints(v_w, x)
    return F_, f_, G_, g_


def _make_LamparielloSagratella2017Ex35():
    def F_(x, y):
        x, y = col(x), col(y)
        v_w = mpower(x, 2.0) + mpower(y, 2.0)
        return value(v_w, x)
    def f_(x, y):
        x, y = col(x), col(y)
        v_w = -y
        return value(v_w, x)
    def G_(x, y):
        x, y = col(x), col(y)
        v_w = cat([[(-1.0) - x], [x - 1.0]])
        return constraints(v_w, x)
    def g_(x, y):
        x, y = col(x), col(y)
        v_w = cat([[(mtimes(2.0, x) + y) - 2.0], [-y], [y - 1.0]])
        return constraints(v_w, x)
    return F_, f_, G_, g_


def _make_LucchettiEtal1987():
    def F_(x, y):
        x, y = col(x), col(y)
        v_w = ((1.0 - x) / 2.0) + mtimes(x, y)
        return value(v_w, x)
    def f_(x, y):
        x, y = col(x), col(y)
        v_w = mtimes((x - 1.0), y)
        return value(v_w, x)
    def G_(x, y):
        x, y = col(x), col(y)
        v_w = cat([[-x], [x - 1.0]])
        return constraints(v_w, x)
    def g_(x, y):
        x, y = col(x), col(y)
        v_w = cat([[-y], [y - 1.0]])
        return constraints(v_w, x)
    return F_, f_, G_, g_


def _make_LuDebSinha2016a():
    def F_(x, y):
        x, y = col(x), col(y)
        v_a = ((mtimes(0.2, y) - x) + 0.6) / 0.055
        v_w = (2.0 - mfun('exp', -mpower(v_a, 0.4))) - mtimes(0.8, mfun('exp', -mpower((((mtimes(0.15, y) + x) - 0.4) / 0.3), 2.0)))
        return value(v_w, x)
    def f_(x, y):
        x, y = col(x), col(y)
        v_a = (mtimes(1.5, y) - x) / 0.055
        v_w = (2.0 - mfun('exp', -mpower(v_a, 0.4))) - mtimes(0.8, mfun('exp', -mpower((((mtimes(2.0, y) + x) - 3.0) / 0.5), 2.0)))
        return value(v_w, x)
    def G_(x, y):
        x, y = col(x), col(y)
        v_w = cat([[-x], [x - 1.0], [-y], [y - 2.0]])
        return constraints(v_w, x)
    g_ = None
    return F_, f_, G_, g_


def _make_LuDebSinha2016b():
    def F_(x, y):
        x, y = col(x), col(y)
        v_w = mpower((x - 0.5), 2.0) + mpower((y - 1.0), 2.0)
        return value(v_w, x)
    def f_(x, y):
        x, y = col(x), col(y)
        v_a = (mtimes(1.5, y) - x) / 0.055
        v_w = (2.0 - mfun('exp', -mpower(v_a, 0.4))) - mtimes(0.8, mfun('exp', -mpower((((mtimes(2.0, y) + x) - 3.0) / 0.5), 2.0)))
        return value(v_w, x)
    def G_(x, y):
        x, y = col(x), col(y)
        v_w = cat([[-x], [x - 1.0], [-y], [y - 2.0]])
        return constraints(v_w, x)
    g_ = None
    return F_, f_, G_, g_


def _make_LuDebSinha2016c():
    def F_(x, y):
        x, y = col(x), col(y)
        v_a = ((mtimes(0.2, y) - x) + 0.6) / 0.055
        v_w = (2.0 - mfun('exp', -mpower(v_a, 0.4))) - mtimes(0.8, mfun('exp', -mpower((((mtimes(0.15, y) + x) - 0.4) / 0.3), 2.0)))
        return value(v_w, x)
    def f_(x, y):
        x, y = col(x), col(y)
        v_w = mpower((x - 0.5), 2.0) + mpower((y - 1.0), 2.0)
        return value(v_w, x)
    def G_(x, y):
        x, y = col(x), col(y)
        v_w = cat([[-x], [x - 1.0], [-y], [y - 2.0]])
        return constraints(v_w, x)
    g_ = None
    return F_, f_, G_, g_


def _make_LuDebSinha2016d():
    def F_(x, y):
        x, y = col(x), col(y)
        v_w = -index(x, 2.0)
        return value(v_w, x)
    def f_(x, y):
        x, y = col(x), col(y)
        v_w = -index(y, 2.0)
        return value(v_w, x)
    def G_(x, y):
        x, y = col(x), col(y)
        v_y1 = (index(y, 1.0) / 14.0) + (16.0 / 7.0)
        v_w = cat([[(-cat([[4.0], [100.0]])) - x], [x - cat([[10.0], [200.0]])], [(-cat([[4.0], [100.0]])) - y], [y - cat([[10.0], [200.0]])], [(-mtimes(v_y1, mpower((index(x, 1.0) - 2.0), 2.0))) + index(x, 2.0)], [mtimes(mtimes(12.5, v_y1), (index(x, 1.0) - 5.0)) - index(x, 2.0)], [(-mtimes(mtimes(5.0, ((index(x, 1.0) + 4.0) - v_y1)), ((index(x, 1.0) + 8.0) - v_y1))) + index(x, 2.0)]])
        return constraints(v_w, x)
    def g_(x, y):
        x, y = col(x), col(y)
        v_x1 = (index(x, 1.0) / 14.0) + (16.0 / 7.0)
        v_w = cat([[(-mtimes(v_x1, mpower((index(y, 1.0) - 2.0), 2.0))) + index(y, 2.0)], [mtimes(mtimes(12.5, v_x1), (index(y, 1.0) - 5.0)) - index(y, 2.0)], [(-mtimes(mtimes(5.0, ((index(y, 1.0) + 4.0) - v_x1)), ((index(y, 1.0) + 8.0) - v_x1))) + index(y, 2.0)]])
        return constraints(v_w, x)
    return F_, f_, G_, g_


def _make_LuDebSinha2016e():
    def F_(x, y):
        x, y = col(x), col(y)
        v_w = (mpower((x - 2.5), 2.0) / 0.04) + (mpower((index(y, 2.0) - 50.0), 2.0) / 900.0)
        return value(v_w, x)
    def f_(x, y):
        x, y = col(x), col(y)
        v_w = -index(y, 2.0)
        return value(v_w, x)
    def G_(x, y):
        x, y = col(x), col(y)
        v_w = cat([[2.0 - x], [x - 3.0], [(-cat([[4.0], [100.0]])) - y], [y - cat([[10.0], [200.0]])]])
        return constraints(v_w, x)
    def g_(x, y):
        x, y = col(x), col(y)
        v_w = cat([[(-mtimes(x, mpower((index(y, 1.0) - 2.0), 2.0))) + index(y, 2.0)], [mtimes(mtimes(12.5, x), (index(y, 1.0) - 5.0)) - index(y, 2.0)], [(-mtimes(mtimes(5.0, ((index(y, 1.0) + 4.0) - x)), ((index(y, 1.0) + 8.0) - x))) + index(y, 2.0)]])
        return constraints(v_w, x)
    return F_, f_, G_, g_


def _make_LuDebSinha2016f():
    def F_(x, y):
        x, y = col(x), col(y)
        v_w = -index(x, 2.0)
        return value(v_w, x)
    def f_(x, y):
        x, y = col(x), col(y)
        v_w = (mpower((index(x, 1.0) - 50.0), 2.0) / 784.0) + (mpower((y - 2.5), 2.0) / 0.04)
        return value(v_w, x)
    def G_(x, y):
        x, y = col(x), col(y)
        v_x1 = index(x, 1.0) / 20.0
        v_w = cat([[2.0 - y], [y - 4.0], [(-cat([[80.0], [100.0]])) - x], [x - cat([[200.0], [200.0]])], [(-mtimes(y, mpower((v_x1 - 2.0), 2.0))) + index(x, 2.0)], [mtimes(mtimes(12.5, y), (v_x1 - 5.0)) - index(x, 2.0)], [(-mtimes(mtimes(5.0, ((v_x1 + 4.0) - y)), ((v_x1 + 8.0) - y))) + index(x, 2.0)]])
        return constraints(v_w, x)
    g_ = None
    return F_, f_, G_, g_


def _make_MacalHurter1997():
    def F_(x, y):
        x, y = col(x), col(y)
        v_w = mpower((x - 1.0), 2.0) + mpower((y - 1.0), 2.0)
        return value(v_w, x)
    def f_(x, y):
        x, y = col(x), col(y)
        v_w = (mtimes(0.5, mpower(y, 2.0)) + mtimes(500.0, y)) - mtimes(mtimes(50.0, x), y)
        return value(v_w, x)
    G_ = None
    g_ = None
    return F_, f_, G_, g_


def _make_Mirrlees1999():
    def F_(x, y):
        x, y = col(x), col(y)
        v_w = mpower((x - 2.0), 2.0) + mpower((y - 1.0), 2.0)
        return value(v_w, x)
    def f_(x, y):
        x, y = col(x), col(y)
        v_w = (-mtimes(x, mfun('exp', -mpower((y + 1.0), 2.0)))) - mfun('exp', -mpower((y - 1.0), 2.0))
        return value(v_w, x)
    G_ = None
    def g_(x, y):
        x, y = col(x), col(y)
        v_w = cat([[y - 2.0], [(-y) - 2.0]])
        return constraints(v_w, x)
    return F_, f_, G_, g_


def _make_MitsosBarton2006Ex310():
    def F_(x, y):
        x, y = col(x), col(y)
        v_w = y
        return value(v_w, x)
    def f_(x, y):
        x, y = col(x), col(y)
        v_w = mtimes(x, ((((mtimes(16.0, mpower(y, 4.0)) + mtimes(2.0, mpower(y, 3.0))) - mtimes(8.0, mpower(y, 2.0))) - mtimes(1.5, y)) + 0.5))
        return value(v_w, x)
    def G_(x, y):
        x, y = col(x), col(y)
        v_w = cat([[(-x) + 0.1], [x - 1.0]])
        return constraints(v_w, x)
    def g_(x, y):
        x, y = col(x), col(y)
        v_w = cat([[(-y) - 1.0], [y - 1.0]])
        return constraints(v_w, x)
    return F_, f_, G_, g_


def _make_MitsosBarton2006Ex311():
    def F_(x, y):
        x, y = col(x), col(y)
        v_w = y
        return value(v_w, x)
    def f_(x, y):
        x, y = col(x), col(y)
        v_w = mtimes(x, ((((mtimes(16.0, mpower(y, 4.0)) + mtimes(2.0, mpower(y, 3.0))) - mtimes(8.0, mpower(y, 2.0))) - mtimes(1.5, y)) + 0.5))
        return value(v_w, x)
    def G_(x, y):
        x, y = col(x), col(y)
        v_w = cat([[(-x) - 1.0], [x - 1.0]])
        return constraints(v_w, x)
    def g_(x, y):
        x, y = col(x), col(y)
        v_w = cat([[(-y) - 0.8], [y - 1.0]])
        return constraints(v_w, x)
    return F_, f_, G_, g_


def _make_MitsosBarton2006Ex312():
    def F_(x, y):
        x, y = col(x), col(y)
        v_w = ((-x) + mtimes(x, y)) + mtimes(10.0, mpower(y, 2.0))
        return value(v_w, x)
    def f_(x, y):
        x, y = col(x), col(y)
        v_w = (-mtimes(x, mpower(y, 2.0))) + mtimes(0.5, mpower(y, 4.0))
        return value(v_w, x)
    def G_(x, y):
        x, y = col(x), col(y)
        v_w = cat([[(-x) - 1.0], [x - 1.0]])
        return constraints(v_w, x)
    def g_(x, y):
        x, y = col(x), col(y)
        v_w = cat([[(-y) - 1.0], [y - 1.0]])
        return constraints(v_w, x)
    return F_, f_, G_, g_


def _make_MitsosBarton2006Ex313():
    def F_(x, y):
        x, y = col(x), col(y)
        v_w = x - y
        return value(v_w, x)
    def f_(x, y):
        x, y = col(x), col(y)
        v_w = mtimes(mtimes(x, y), ((y / 2.0) - mpower(x, 2.0)))
        return value(v_w, x)
    def G_(x, y):
        x, y = col(x), col(y)
        v_w = cat([[(-x) - 1.0], [x - 1.0]])
        return constraints(v_w, x)
    def g_(x, y):
        x, y = col(x), col(y)
        v_w = cat([[(-y) - 1.0], [y - 1.0]])
        return constraints(v_w, x)
    return F_, f_, G_, g_


def _make_MitsosBarton2006Ex314():
    def F_(x, y):
        x, y = col(x), col(y)
        v_w = mpower((x - 0.25), 2.0) + mpower(y, 2.0)
        return value(v_w, x)
    def f_(x, y):
        x, y = col(x), col(y)
        v_w = (mpower(y, 3.0) / 3.0) - mtimes(x, y)
        return value(v_w, x)
    def G_(x, y):
        x, y = col(x), col(y)
        v_w = cat([[(-x) - 1.0], [x - 1.0]])
        return constraints(v_w, x)
    def g_(x, y):
        x, y = col(x), col(y)
        v_w = cat([[(-y) - 1.0], [y - 1.0]])
        return constraints(v_w, x)
    return F_, f_, G_, g_


def _make_MitsosBarton2006Ex315():
    def F_(x, y):
        x, y = col(x), col(y)
        v_w = x + y
        return value(v_w, x)
    def f_(x, y):
        x, y = col(x), col(y)
        v_w = (mtimes(x, mpower(y, 2.0)) / 2.0) - (mpower(y, 3.0) / 3.0)
        return value(v_w, x)
    def G_(x, y):
        x, y = col(x), col(y)
        v_w = cat([[(-x) - 1.0], [x - 1.0]])
        return constraints(v_w, x)
    def g_(x, y):
        x, y = col(x), col(y)
        v_w = cat([[(-y) - 1.0], [y - 1.0]])
        return constraints(v_w, x)
    return F_, f_, G_, g_


def _make_MitsosBarton2006Ex316():
    def F_(x, y):
        x, y = col(x), col(y)
        v_w = mtimes(2.0, x) + y
        return value(v_w, x)
    def f_(x, y):
        x, y = col(x), col(y)
        v_w = (-(mtimes(x, mpower(y, 2.0)) / 2.0)) - (mpower(y, 4.0) / 4.0)
        return value(v_w, x)
    def G_(x, y):
        x, y = col(x), col(y)
        v_w = cat([[(-x) - 1.0], [x - 1.0]])
        return constraints(v_w, x)
    def g_(x, y):
        x, y = col(x), col(y)
        v_w = cat([[(-y) - 1.0], [y - 1.0]])
        return constraints(v_w, x)
    return F_, f_, G_, g_


def _make_MitsosBarton2006Ex317():
    def F_(x, y):
        x, y = col(x), col(y)
        v_w = mpower((x + 0.5), 2.0) + (mpower(y, 2.0) / 2.0)
        return value(v_w, x)
    def f_(x, y):
        x, y = col(x), col(y)
        v_w = (mtimes(x, mpower(y, 2.0)) / 2.0) + (mpower(y, 4.0) / 4.0)
        return value(v_w, x)
    def G_(x, y):
        x, y = col(x), col(y)
        v_w = cat([[(-x) - 1.0], [x - 1.0]])
        return constraints(v_w, x)
    def g_(x, y):
        x, y = col(x), col(y)
        v_w = cat([[(-y) - 1.0], [y - 1.0]])
        return constraints(v_w, x)
    return F_, f_, G_, g_


def _make_MitsosBarton2006Ex318():
    def F_(x, y):
        x, y = col(x), col(y)
        v_w = (-mpower(x, 2.0)) + mpower(y, 2.0)
        return value(v_w, x)
    def f_(x, y):
        x, y = col(x), col(y)
        v_w = mtimes(x, mpower(y, 2.0)) - (mpower(y, 4.0) / 2.0)
        return value(v_w, x)
    def G_(x, y):
        x, y = col(x), col(y)
        v_w = cat([[(-x) - 1.0], [x - 1.0]])
        return constraints(v_w, x)
    def g_(x, y):
        x, y = col(x), col(y)
        v_w = cat([[(-y) - 1.0], [y - 1.0]])
        return constraints(v_w, x)
    return F_, f_, G_, g_


def _make_MitsosBarton2006Ex319():
    def F_(x, y):
        x, y = col(x), col(y)
        v_w = mtimes(((x - 1.0) + (y / 2.0)), y)
        return value(v_w, x)
    def f_(x, y):
        x, y = col(x), col(y)
        v_w = mtimes(((-x) + (mpower(y, 2.0) / 2.0)), mpower(y, 2.0))
        return value(v_w, x)
    def G_(x, y):
        x, y = col(x), col(y)
        v_w = cat([[(-x) - 1.0], [x - 1.0]])
        return constraints(v_w, x)
    def g_(x, y):
        x, y = col(x), col(y)
        v_w = cat([[(-y) - 1.0], [y - 1.0]])
        return constraints(v_w, x)
    return F_, f_, G_, g_


def _make_MitsosBarton2006Ex320():
    def F_(x, y):
        x, y = col(x), col(y)
        v_w = mpower((x - 0.25), 2.0) + mpower(y, 2.0)
        return value(v_w, x)
    def f_(x, y):
        x, y = col(x), col(y)
        v_w = (mpower(y, 3.0) / 3.0) - mtimes(mpower(x, 2.0), y)
        return value(v_w, x)
    def G_(x, y):
        x, y = col(x), col(y)
        v_w = cat([[(-x) - 1.0], [x - 1.0]])
        return constraints(v_w, x)
    def g_(x, y):
        x, y = col(x), col(y)
        v_w = cat([[(-y) - 1.0], [y - 1.0]])
        return constraints(v_w, x)
    return F_, f_, G_, g_


def _make_MitsosBarton2006Ex321():
    def F_(x, y):
        x, y = col(x), col(y)
        v_w = mpower((x + 0.6), 2.0) + mpower(y, 2.0)
        return value(v_w, x)
    def f_(x, y):
        x, y = col(x), col(y)
        v_w = ((mpower(y, 4.0) + mtimes(mtimes((4.0 / 30.0), (1.0 - x)), mpower(y, 3.0))) + mtimes((((-mtimes(0.02, mpower(x, 2.0))) + mtimes(0.16, x)) - 0.4), mpower(y, 2.0))) + mtimes(((mtimes(0.004, mpower(x, 3.0)) - mtimes(0.036, mpower(x, 2.0))) + mtimes(0.08, x)), y)
        return value(v_w, x)
    def G_(x, y):
        x, y = col(x), col(y)
        v_w = cat([[(-x) - 1.0], [x - 1.0]])
        return constraints(v_w, x)
    def g_(x, y):
        x, y = col(x), col(y)
        v_w = cat([[(-y) - 1.0], [y - 1.0]])
        return constraints(v_w, x)
    return F_, f_, G_, g_


def _make_MitsosBarton2006Ex322():
    def F_(x, y):
        x, y = col(x), col(y)
        v_w = mpower((x + 0.6), 2.0) + mpower(y, 2.0)
        return value(v_w, x)
    def f_(x, y):
        x, y = col(x), col(y)
        v_w = ((mpower(y, 4.0) + mtimes(mtimes((4.0 / 30.0), (1.0 - x)), mpower(y, 3.0))) + mtimes((((-mtimes(0.02, mpower(x, 2.0))) + mtimes(0.16, x)) - 0.4), mpower(y, 2.0))) + mtimes(((mtimes(0.004, mpower(x, 3.0)) - mtimes(0.036, mpower(x, 2.0))) + mtimes(0.08, x)), y)
        return value(v_w, x)
    def G_(x, y):
        x, y = col(x), col(y)
        v_w = cat([[(-x) - 1.0], [x - 1.0]])
        return constraints(v_w, x)
    def g_(x, y):
        x, y = col(x), col(y)
        v_w = cat([[(-y) - 1.0], [y - 1.0], [mtimes(0.01, (1.0 + mpower(x, 2.0))) - mpower(y, 2.0)]])
        return constraints(v_w, x)
    return F_, f_, G_, g_


def _make_MitsosBarton2006Ex323():
    def F_(x, y):
        x, y = col(x), col(y)
        v_w = mpower(x, 2.0)
        return value(v_w, x)
    def f_(x, y):
        x, y = col(x), col(y)
        v_w = y
        return value(v_w, x)
    def G_(x, y):
        x, y = col(x), col(y)
        v_w = cat([[(-x) - 1.0], [x - 1.0], [((1.0 + x) - mtimes(9.0, mpower(x, 2.0))) - y]])
        return constraints(v_w, x)
    def g_(x, y):
        x, y = col(x), col(y)
        v_w = cat([[(-y) - 1.0], [y - 1.0], [mtimes(mpower(y, 2.0), (x - 0.5))]])
        return constraints(v_w, x)
    return F_, f_, G_, g_


def _make_MitsosBarton2006Ex324():
    def F_(x, y):
        x, y = col(x), col(y)
        v_w = mpower(x, 2.0) - y
        return value(v_w, x)
    def f_(x, y):
        x, y = col(x), col(y)
        v_w = mpower(((mpower(((y - 1.0) - mtimes(0.1, x)), 2.0) - 0.5) - mtimes(0.5, x)), 2.0)
        return value(v_w, x)
    def G_(x, y):
        x, y = col(x), col(y)
        v_w = cat([[-x], [x - 1.0]])
        return constraints(v_w, x)
    def g_(x, y):
        x, y = col(x), col(y)
        v_w = cat([[-y], [y - 3.0]])
        return constraints(v_w, x)
    return F_, f_, G_, g_


def _make_MitsosBarton2006Ex325():
    def F_(x, y):
        x, y = col(x), col(y)
        v_w = (mtimes(index(x, 1.0), index(y, 1.0)) + mtimes(index(x, 2.0), mpower(index(y, 1.0), 2.0))) - mtimes(mtimes(index(x, 1.0), index(x, 2.0)), index(y, 3.0))
        return value(v_w, x)
    def f_(x, y):
        x, y = col(x), col(y)
        v_w = mtimes(index(x, 1.0), mpower(index(y, 1.0), 2.0)) + mtimes(mtimes(index(x, 2.0), index(y, 2.0)), index(y, 3.0))
        return value(v_w, x)
    def G_(x, y):
        x, y = col(x), col(y)
        v_w = cat([[(-x) - 1.0], [x - 1.0], [mtimes(mtimes(0.1, index(y, 1.0)), index(y, 2.0)) - mpower(index(x, 1.0), 2.0)], [mtimes(index(x, 2.0), mpower(index(y, 1.0), 2.0))]])
        return constraints(v_w, x)
    def g_(x, y):
        x, y = col(x), col(y)
        v_w = cat([[(-y) - 1.0], [y - 1.0], [mpower(index(y, 1.0), 2.0) - mtimes(index(y, 2.0), index(y, 3.0))], [mtimes(mpower(index(y, 2.0), 2.0), index(y, 3.0)) - mtimes(index(y, 1.0), index(x, 1.0))], [(-mpower(index(y, 3.0), 2.0)) + 0.1]])
        return constraints(v_w, x)
    return F_, f_, G_, g_


def _make_MitsosBarton2006Ex326():
    def F_(x, y):
        x, y = col(x), col(y)
        v_w = (mtimes(index(x, 1.0), index(y, 1.0)) + mtimes(index(x, 2.0), mpower(index(y, 2.0), 2.0))) + mtimes(mtimes(index(x, 1.0), index(x, 2.0)), mpower(index(y, 3.0), 3.0))
        return value(v_w, x)
    def f_(x, y):
        x, y = col(x), col(y)
        v_w = (mtimes(index(x, 1.0), mpower(index(y, 1.0), 2.0)) + mtimes(index(x, 2.0), mpower(index(y, 2.0), 2.0))) + mtimes((index(x, 1.0) - index(x, 2.0)), mpower(index(y, 3.0), 2.0))
        return value(v_w, x)
    def G_(x, y):
        x, y = col(x), col(y)
        v_w = cat([[(-x) - 1.0], [x - 1.0], [0.1 - mpower(index(x, 1.0), 2.0)], [1.5 - msum(y * y)], [(-2.5) + msum(y * y)]])
        return constraints(v_w, x)
    def g_(x, y):
        x, y = col(x), col(y)
        v_w = cat([[(-y) - 1.0], [y - 1.0]])
        return constraints(v_w, x)
    return F_, f_, G_, g_


def _make_MitsosBarton2006Ex327():
    def F_(x, y):
        x, y = col(x), col(y)
        v_w = msum((x * x) + (y * y))
        return value(v_w, x)
    def f_(x, y):
        x, y = col(x), col(y)
        v_w = ((mpower(index(y, 1.0), 3.0) + mtimes((index(x, 1.0) + index(x, 2.0)), mpower(index(y, 2.0), 2.0))) + mtimes(0.1, index(y, 3.0))) + mtimes(mtimes(mtimes((mpower(index(y, 4.0), 2.0) + mpower(index(y, 5.0), 2.0)), index(x, 3.0)), index(x, 4.0)), index(x, 5.0))
        return value(v_w, x)
    def G_(x, y):
        x, y = col(x), col(y)
        v_w = cat([[(-x) - 1.0], [x - 1.0], [mtimes(index(y, 1.0), index(y, 2.0)) - index(x, 1.0)], [(index(x, 1.0) - mfun('exp', index(x, 2.0))) + index(y, 3.0)], [mtimes(index(x, 2.0), mpower(index(y, 1.0), 2.0))]])
        return constraints(v_w, x)
    def g_(x, y):
        x, y = col(x), col(y)
        v_w = cat([[(-y) - 1.0], [y - 1.0], [mtimes(index(y, 1.0), index(y, 2.0)) - 0.3], [(index(x, 1.0) - 0.2) - mpower(index(y, 3.0), 2.0)], [((-mfun('exp', index(y, 3.0))) + mtimes(index(y, 4.0), index(y, 5.0))) - 0.1]])
        return constraints(v_w, x)
    return F_, f_, G_, g_


def _make_MitsosBarton2006Ex328():
    def F_(x, y):
        x, y = col(x), col(y)
        v_w = -msum((x * x) + (y * y))
        return value(v_w, x)
    def f_(x, y):
        x, y = col(x), col(y)
        v_w = ((mpower(index(y, 1.0), 3.0) + mtimes((index(x, 1.0) + index(x, 2.0)), mpower(index(y, 2.0), 2.0))) + mtimes(0.1, index(y, 3.0))) + mtimes(mtimes(mtimes((mpower(index(y, 4.0), 2.0) + mpower(index(y, 5.0), 2.0)), index(x, 3.0)), index(x, 4.0)), index(x, 5.0))
        return value(v_w, x)
    def G_(x, y):
        x, y = col(x), col(y)
        v_w = cat([[(-x) - 1.0], [x - 1.0], [mtimes(index(y, 1.0), index(y, 2.0)) - index(x, 1.0)], [(index(x, 1.0) - mfun('exp', index(x, 2.0))) + index(y, 3.0)], [mtimes(index(x, 2.0), mpower(index(y, 1.0), 2.0))]])
        return constraints(v_w, x)
    def g_(x, y):
        x, y = col(x), col(y)
        v_w = cat([[(-y) - 1.0], [y - 1.0], [mtimes(index(y, 1.0), index(y, 2.0)) - 0.3], [(index(x, 1.0) - 0.2) - mpower(index(y, 3.0), 2.0)], [((-mfun('exp', index(y, 3.0))) + mtimes(index(y, 4.0), index(y, 5.0))) - 0.1]])
        return constraints(v_w, x)
    return F_, f_, G_, g_


def _make_MitsosBarton2006Ex38():
    def F_(x, y):
        x, y = col(x), col(y)
        v_w = mpower(y, 2.0)
        return value(v_w, x)
    def f_(x, y):
        x, y = col(x), col(y)
        v_w = mtimes(x, y) + mtimes(mfun('exp', x), y)
        return value(v_w, x)
    def G_(x, y):
        x, y = col(x), col(y)
        v_w = cat([[(-x) - 1.0], [x - 1.0], [(-y) - 0.1], [y - 0.1]])
        return constraints(v_w, x)
    def g_(x, y):
        x, y = col(x), col(y)
        v_w = cat([[(-y) - 1.0], [y - 1.0]])
        return constraints(v_w, x)
    return F_, f_, G_, g_


def _make_MitsosBarton2006Ex39():
    def F_(x, y):
        x, y = col(x), col(y)
        v_w = x
        return value(v_w, x)
    def f_(x, y):
        x, y = col(x), col(y)
        v_w = mpower(y, 3.0)
        return value(v_w, x)
    def G_(x, y):
        x, y = col(x), col(y)
        v_w = mtimes(cat([[-1.0, 1.0], [-1.0, 0.0], [1.0, 0.0]]), cat([[x], [y]])) - cat([[0.0], [10.0], [10.0]])
        return constraints(v_w, x)
    def g_(x, y):
        x, y = col(x), col(y)
        v_w = cat([[(-y) - 1.0], [y - 1.0]])
        return constraints(v_w, x)
    return F_, f_, G_, g_


def _make_MorganPatrone2006a():
    def F_(x, y):
        x, y = col(x), col(y)
        v_w = -(x + y)
        return value(v_w, x)
    def f_(x, y):
        x, y = col(x), col(y)
        v_w = mtimes(x, y)
        return value(v_w, x)
    def G_(x, y):
        x, y = col(x), col(y)
        v_w = cat([[(-x) - 0.5], [x - 0.5]])
        return constraints(v_w, x)
    def g_(x, y):
        x, y = col(x), col(y)
        v_w = cat([[(-y) - 1.0], [y - 1.0]])
        return constraints(v_w, x)
    return F_, f_, G_, g_


def _make_MuuQuy2003Ex1():
    def F_(x, y):
        x, y = col(x), col(y)
        v_w = (mpower(x, 2.0) - mtimes(4.0, x)) + mtimes(tr(y), y)
        return value(v_w, x)
    def f_(x, y):
        x, y = col(x), col(y)
        v_w = ((mpower(index(y, 1.0), 2.0) + (mpower(index(y, 2.0), 2.0) / 2.0)) + mtimes(index(y, 1.0), index(y, 2.0))) + mtimes(cat([[1.0 - mtimes(3.0, x), 1.0 + x]]), y)
        return value(v_w, x)
    def G_(x, y):
        x, y = col(x), col(y)
        v_w = cat([[-x], [x - 2.0]])
        return constraints(v_w, x)
    def g_(x, y):
        x, y = col(x), col(y)
        v_w = cat([[(mtimes(cat([[2.0, 1.0]]), y) - mtimes(2.0, x)) - 1.0], [-y]])
        return constraints(v_w, x)
    return F_, f_, G_, g_


def _make_MuuQuy2003Ex2():
    def F_(x, y):
        x, y = col(x), col(y)
        v_w = (((mtimes(cat([[-7.0, 4.0]]), x) + mpower(index(y, 1.0), 2.0)) + mpower(index(y, 3.0), 2.0)) - mtimes(index(y, 1.0), index(y, 3.0))) - mtimes(4.0, index(y, 2.0))
        return value(v_w, x)
    def f_(x, y):
        x, y = col(x), col(y)
        v_w = ((((mpower(index(y, 1.0), 2.0) + (mpower(index(y, 2.0), 2.0) / 2.0)) + (mpower(index(y, 3.0), 2.0) / 2.0)) + mtimes(index(y, 1.0), index(y, 2.0))) + mtimes((1.0 - mtimes(3.0, index(x, 1.0))), index(y, 1.0))) + mtimes((1.0 + index(x, 2.0)), index(y, 2.0))
        return value(v_w, x)
    def G_(x, y):
        x, y = col(x), col(y)
        v_w = cat([[-x], [msum(x) - 1.0]])
        return constraints(v_w, x)
    def g_(x, y):
        x, y = col(x), col(y)
        v_w = cat([[(mtimes(cat([[2.0, 1.0, -1.0]]), y) + mtimes(cat([[1.0, -2.0]]), x)) + 2.0], [-y]])
        return constraints(v_w, x)
    return F_, f_, G_, g_


def _make_NieWangYe2017Ex34():
    def F_(x, y):
        x, y = col(x), col(y)
        v_w = x + msum(y)
        return value(v_w, x)
    def f_(x, y):
        x, y = col(x), col(y)
        v_w = mtimes(x, msum(y))
        return value(v_w, x)
    def G_(x, y):
        x, y = col(x), col(y)
        v_w = cat([[(-x) + 2.0], [x - 3.0]])
        return constraints(v_w, x)
    def g_(x, y):
        x, y = col(x), col(y)
        v_w = cat([[((-mpower(index(y, 1.0), 2.0)) + mpower(index(y, 2.0), 2.0)) + mpower((mpower(index(y, 1.0), 2.0) + mpower(index(y, 2.0), 2.0)), 2.0)], [-index(y, 1.0)]])
        return constraints(v_w, x)
    return F_, f_, G_, g_


def _make_NieWangYe2017Ex52():
    def F_(x, y):
        x, y = col(x), col(y)
        v_w = mtimes(tr(x), cat([[index(y, 1.0)], [index(y, 2.0)]])) + mtimes(mprod(x), mprod(y))
        return value(v_w, x)
    def f_(x, y):
        x, y = col(x), col(y)
        v_w = (mtimes(index(x, 1.0), mpower(index(y, 1.0), 2.0)) + mtimes(mtimes(mpower(index(x, 2.0), 2.0), index(y, 2.0)), index(y, 3.0))) - mtimes(index(y, 1.0), mpower(index(y, 3.0), 2.0))
        return value(v_w, x)
    def G_(x, y):
        x, y = col(x), col(y)
        v_w = cat([[(-x) - 1.0], [x - 1.0], [mtimes(index(y, 1.0), index(y, 2.0)) - mpower(index(x, 1.0), 2.0)]])
        return constraints(v_w, x)
    def g_(x, y):
        x, y = col(x), col(y)
        v_w = cat([[1.0 - mtimes(tr(y), y)], [mtimes(tr(y), y) - 2.0]])
        return constraints(v_w, x)
    return F_, f_, G_, g_


def _make_NieWangYe2017Ex54():
    def F_(x, y):
        x, y = col(x), col(y)
        v_w = ((mtimes(mpower(index(x, 1.0), 2.0), index(y, 1.0)) + mtimes(index(x, 2.0), index(y, 2.0))) + mtimes(index(x, 3.0), mpower(index(y, 3.0), 2.0))) + mtimes(index(x, 4.0), mpower(index(y, 4.0), 2.0))
        return value(v_w, x)
    def f_(x, y):
        x, y = col(x), col(y)
        v_w = (mpower(index(y, 1.0), 2.0) - mtimes(index(y, 2.0), (index(x, 1.0) + index(x, 2.0)))) - mtimes((index(y, 3.0) + index(y, 4.0)), (index(x, 3.0) + index(x, 4.0)))
        return value(v_w, x)
    def G_(x, y):
        x, y = col(x), col(y)
        v_w = cat([[mtimes(tr(x), x) - 1.0], [mtimes(index(y, 1.0), index(y, 2.0)) - index(x, 1.0)], [mtimes(index(y, 3.0), index(y, 4.0)) - mpower(index(x, 3.0), 2.0)]])
        return constraints(v_w, x)
    def g_(x, y):
        x, y = col(x), col(y)
        v_w = cat([[mtimes(tr(y), y) - 1.0], [(mtimes(tr(y), y) - mpower(index(y, 1.0), 2.0)) - index(y, 1.0)]])
        return constraints(v_w, x)
    return F_, f_, G_, g_


def _make_NieWangYe2017Ex57():
    def F_(x, y):
        x, y = col(x), col(y)
        v_w = ((mtimes(mpower(index(x, 1.0), 2.0), index(y, 1.0)) / 2.0) + mtimes(index(x, 2.0), mpower(index(y, 2.0), 2.0))) - mtimes((index(x, 1.0) + mpower(index(x, 2.0), 2.0)), index(y, 3.0))
        return value(v_w, x)
    def f_(x, y):
        x, y = col(x), col(y)
        v_w = mtimes(index(x, 2.0), ((mprod(y) + mpower(index(y, 2.0), 2.0)) - mpower(index(y, 3.0), 3.0)))
        return value(v_w, x)
    def G_(x, y):
        x, y = col(x), col(y)
        v_w = cat([[x - 1.0], [(-x) - 1.0], [(((-msum(x)) + mpower(index(x, 1.0), 2.0)) + mpower(index(y, 1.0), 2.0)) + mpower(index(y, 2.0), 2.0)]])
        return constraints(v_w, x)
    def g_(x, y):
        x, y = col(x), col(y)
        v_w = cat([[mtimes(tr(y), y) - index(x, 1.0)], [mtimes(mtimes(2.0, index(y, 2.0)), index(y, 3.0)) - 1.0]])
        return constraints(v_w, x)
    return F_, f_, G_, g_


def _make_NieWangYe2017Ex58():
    def F_(x, y):
        x, y = col(x), col(y)
        v_w = mtimes(msum(x), msum(y))
        return value(v_w, x)
    def f_(x, y):
        x, y = col(x), col(y)
        v_w = (((mtimes(index(x, 1.0), index(y, 1.0)) + mtimes(index(x, 2.0), index(y, 2.0))) + mtimes(0.1, index(y, 3.0))) + mtimes(0.5, index(y, 4.0))) - mtimes(index(y, 3.0), index(y, 4.0))
        return value(v_w, x)
    def G_(x, y):
        x, y = col(x), col(y)
        v_w = cat([[mtimes(tr(x), x) - 1.0], [mpower(index(y, 3.0), 2.0) - index(x, 4.0)], [mtimes(index(y, 2.0), index(y, 4.0)) - index(x, 1.0)]])
        return constraints(v_w, x)
    def g_(x, y):
        x, y = col(x), col(y)
        v_w = cat([[(((mtimes(cat([[1.0, 2.0, 3.0, 4.0]]), (y * y)) - mpower(index(x, 1.0), 2.0)) - mpower(index(x, 3.0), 2.0)) - index(x, 2.0)) - index(x, 4.0)], [mtimes(index(y, 2.0), index(y, 3.0)) - mtimes(index(y, 1.0), index(y, 4.0))]])
        return constraints(v_w, x)
    return F_, f_, G_, g_


def _make_NieWangYe2017Ex61():
    def F_(x, y):
        x, y = col(x), col(y)
        v_w = (mtimes(mpower(index(y, 1.0), 3.0), (mpower(index(x, 1.0), 2.0) - mtimes(mtimes(3.0, index(x, 1.0)), index(x, 2.0)))) - mtimes(mpower(index(y, 1.0), 2.0), index(y, 2.0))) + mtimes(index(y, 2.0), mpower(index(x, 2.0), 3.0))
        return value(v_w, x)
    def f_(x, y):
        x, y = col(x), col(y)
        v_w = (mtimes(index(y, 1.0), mpower(index(y, 2.0), 2.0)) - mpower(index(y, 2.0), 3.0)) - mtimes(mpower(index(y, 1.0), 2.0), (index(x, 2.0) - mpower(index(x, 1.0), 2.0)))
        return value(v_w, x)
    def G_(x, y):
        x, y = col(x), col(y)
        v_w = cat([[x - 1.0], [(-x) - 1.0], [(-index(y, 2.0)) - mtimes(index(y, 1.0), (1.0 - mpower(index(x, 1.0), 2.0)))]])
        return constraints(v_w, x)
    def g_(x, y):
        x, y = col(x), col(y)
        v_w = mtimes(tr(y), y) - 1.0
        return constraints(v_w, x)
    return F_, f_, G_, g_


def _make_Outrata1990Ex1a():
    def F_(x, y):
        x, y = col(x), col(y)
        v_w = (mtimes(0.1, mtimes(tr(x), x)) + mtimes(0.5, msum((y - cat([[3.0], [4.0]])) ** 2.0))) - 12.5
        return value(v_w, x)
    def f_(x, y):
        x, y = col(x), col(y)
        v_w = mtimes(0.5, mtimes(mtimes(tr(y), cat([[1.0, -2.0], [-2.0, 5.0]])), y)) - mtimes(tr(x), y)
        return value(v_w, x)
    G_ = None
    def g_(x, y):
        x, y = col(x), col(y)
        v_w = cat([[mtimes(cat([[-0.333, 1.0]]), y) - 2.0], [mtimes(cat([[1.0, -0.333]]), y) - 2.0], [-y]])
        return constraints(v_w, x)
    return F_, f_, G_, g_


def _make_Outrata1990Ex1b():
    def F_(x, y):
        x, y = col(x), col(y)
        v_w = (mtimes(tr(x), x) + mtimes(0.5, msum((y - cat([[3.0], [4.0]])) ** 2.0))) - 12.5
        return value(v_w, x)
    def f_(x, y):
        x, y = col(x), col(y)
        v_w = mtimes(0.5, mtimes(mtimes(tr(y), cat([[1.0, -2.0], [-2.0, 5.0]])), y)) - mtimes(tr(x), y)
        return value(v_w, x)
    G_ = None
    def g_(x, y):
        x, y = col(x), col(y)
        v_w = cat([[mtimes(cat([[-0.333, 1.0]]), y) - 2.0], [mtimes(cat([[1.0, -0.333]]), y) - 2.0], [-y]])
        return constraints(v_w, x)
    return F_, f_, G_, g_


def _make_Outrata1990Ex1c():
    def F_(x, y):
        x, y = col(x), col(y)
        v_w = mtimes(0.5, msum((y - cat([[3.0], [4.0]])) ** 2.0)) - 12.5
        return value(v_w, x)
    def f_(x, y):
        x, y = col(x), col(y)
        v_w = mtimes(0.5, mtimes(mtimes(tr(y), cat([[1.0, 3.0], [3.0, 10.0]])), y)) - mtimes(tr(x), y)
        return value(v_w, x)
    G_ = None
    def g_(x, y):
        x, y = col(x), col(y)
        v_w = cat([[mtimes(cat([[-0.333, 1.0]]), y) - 2.0], [mtimes(cat([[1.0, -0.333]]), y) - 2.0], [-y]])
        return constraints(v_w, x)
    return F_, f_, G_, g_


def _make_Outrata1990Ex1d():
    def F_(x, y):
        x, y = col(x), col(y)
        v_w = (mtimes(0.1, mtimes(tr(x), x)) + mtimes(0.5, msum((y - cat([[3.0], [4.0]])) ** 2.0))) - 12.5
        return value(v_w, x)
    def f_(x, y):
        x, y = col(x), col(y)
        v_w = mtimes(0.5, mtimes(mtimes(tr(y), cat([[1.0, 3.0], [3.0, 10.0]])), y)) - mtimes(tr(x), y)
        return value(v_w, x)
    G_ = None
    def g_(x, y):
        x, y = col(x), col(y)
        v_w = cat([[mtimes(cat([[-0.333, 1.0]]), y) - 2.0], [mtimes(cat([[1.0, -0.333]]), y) - 2.0], [-y]])
        return constraints(v_w, x)
    return F_, f_, G_, g_


def _make_Outrata1990Ex1e():
    def F_(x, y):
        x, y = col(x), col(y)
        v_w = (mtimes(0.1, mtimes(tr(x), x)) + mtimes(0.5, msum((y - cat([[3.0], [4.0]])) ** 2.0))) - 12.5
        return value(v_w, x)
    def f_(x, y):
        x, y = col(x), col(y)
        v_w = mtimes(0.5, mtimes(mtimes(tr(y), cat([[1.0, 3.0], [3.0, 10.0]])), y)) - mtimes(mtimes(tr(y), cat([[-1.0, 2.0], [3.0, -3.0]])), x)
        return value(v_w, x)
    G_ = None
    def g_(x, y):
        x, y = col(x), col(y)
        v_w = cat([[mtimes(cat([[-0.333, 1.0]]), y) - 2.0], [mtimes(cat([[1.0, -0.333]]), y) - 2.0], [-y]])
        return constraints(v_w, x)
    return F_, f_, G_, g_


def _make_Outrata1990Ex2a():
    def F_(x, y):
        x, y = col(x), col(y)
        v_w = mtimes(0.5, msum((y - cat([[3.0], [4.0]])) ** 2.0))
        return value(v_w, x)
    def f_(x, y):
        x, y = col(x), col(y)
        v_w = mtimes(0.5, mtimes(tr(y), y)) - mtimes(cat([[3.0 + mtimes(1.333, x), x]]), y)
        return value(v_w, x)
    def G_(x, y):
        x, y = col(x), col(y)
        v_w = -x
        return constraints(v_w, x)
    def g_(x, y):
        x, y = col(x), col(y)
        v_w = cat([[mtimes(cat([[-0.333, 1.0]]), y) - 2.0], [mtimes(cat([[1.0, -0.333]]), y) - 2.0], [-y]])
        return constraints(v_w, x)
    return F_, f_, G_, g_


def _make_Outrata1990Ex2b():
    def F_(x, y):
        x, y = col(x), col(y)
        v_w = mtimes(0.5, msum((y - cat([[3.0], [4.0]])) ** 2.0))
        return value(v_w, x)
    def f_(x, y):
        x, y = col(x), col(y)
        v_w = mtimes(0.5, mtimes(mtimes(tr(y), cat([[1.0 + x, 0.0], [0.0, 0.0]])), y)) - mtimes(cat([[3.0 + mtimes(1.333, x), x]]), y)
        return value(v_w, x)
    def G_(x, y):
        x, y = col(x), col(y)
        v_w = -x
        return constraints(v_w, x)
    def g_(x, y):
        x, y = col(x), col(y)
        v_w = cat([[mtimes(cat([[-0.333, 1.0]]), y) - 2.0], [mtimes(cat([[1.0, -0.333]]), y) - 2.0], [-y]])
        return constraints(v_w, x)
    return F_, f_, G_, g_


def _make_Outrata1990Ex2c():
    def F_(x, y):
        x, y = col(x), col(y)
        v_w = mtimes(0.5, msum((y - cat([[3.0], [4.0]])) ** 2.0))
        return value(v_w, x)
    def f_(x, y):
        x, y = col(x), col(y)
        v_w = mtimes(0.5, mtimes(mtimes(tr(y), cat([[1.0 + x, 0.0], [0.0, 1.0 + mtimes(0.1, x)]])), y)) - mtimes(cat([[3.0 + mtimes(1.333, x), x]]), y)
        return value(v_w, x)
    def G_(x, y):
        x, y = col(x), col(y)
        v_w = -x
        return constraints(v_w, x)
    def g_(x, y):
        x, y = col(x), col(y)
        v_w = cat([[mtimes(cat([[-0.333, 1.0]]), y) - 2.0], [mtimes(cat([[1.0, -0.333]]), y) - 2.0], [-y]])
        return constraints(v_w, x)
    return F_, f_, G_, g_


def _make_Outrata1990Ex2d():
    def F_(x, y):
        x, y = col(x), col(y)
        v_w = mtimes(0.5, msum((y - cat([[3.0], [4.0]])) ** 2.0))
        return value(v_w, x)
    def f_(x, y):
        x, y = col(x), col(y)
        v_w = mtimes(0.5, mtimes(tr(y), y)) - mtimes(cat([[3.0 + mtimes(1.333, x), x]]), y)
        return value(v_w, x)
    def G_(x, y):
        x, y = col(x), col(y)
        v_w = -x
        return constraints(v_w, x)
    def g_(x, y):
        x, y = col(x), col(y)
        v_w = cat([[mtimes(cat([[(-0.333) + mtimes(0.1, x), 1.0]]), y) - x], [mtimes(cat([[1.0, (-0.333) - mtimes(0.1, x)]]), y) - 2.0], [-y]])
        return constraints(v_w, x)
    return F_, f_, G_, g_


def _make_Outrata1990Ex2e():
    def F_(x, y):
        x, y = col(x), col(y)
        v_w = mtimes(0.5, msum((y - cat([[3.0], [4.0]])) ** 2.0))
        return value(v_w, x)
    def f_(x, y):
        x, y = col(x), col(y)
        v_w = mtimes(0.5, mtimes(mtimes(tr(y), cat([[1.0 + x, 0.0], [0.0, 1.0]])), y)) - mtimes(cat([[3.0 + mtimes(1.333, x), x]]), y)
        return value(v_w, x)
    def G_(x, y):
        x, y = col(x), col(y)
        v_w = -x
        return constraints(v_w, x)
    def g_(x, y):
        x, y = col(x), col(y)
        v_w = cat([[mtimes(cat([[(-0.333) + mtimes(0.1, x), 1.0]]), y) - x], [mtimes(cat([[1.0, (-0.333) - mtimes(0.1, x)]]), y) - 2.0], [-y]])
        return constraints(v_w, x)
    return F_, f_, G_, g_


def _make_Outrata1993Ex31():
    def F_(x, y):
        x, y = col(x), col(y)
        v_w = mtimes(0.5, msum((y - cat([[3.0], [4.0]])) ** 2.0))
        return value(v_w, x)
    def f_(x, y):
        x, y = col(x), col(y)
        v_w = (mtimes(mtimes(0.5, (1.0 + mtimes(0.2, x))), mpower(index(y, 1.0), 2.0)) + mtimes(mtimes(0.5, (1.0 + mtimes(0.1, x))), mpower(index(y, 2.0), 2.0))) - mtimes(cat([[3.0 + mtimes(1.333, x), x]]), y)
        return value(v_w, x)
    def G_(x, y):
        x, y = col(x), col(y)
        v_w = -x
        return constraints(v_w, x)
    def g_(x, y):
        x, y = col(x), col(y)
        v_w = cat([[(mtimes(cat([[(-0.333) + mtimes(0.1, x), 1.0]]), y) + mtimes(0.1, x)) - 2.0], [(mtimes(cat([[1.0, (-0.333) - mtimes(0.1, x)]]), y) + mtimes(0.1, x)) - 2.0], [-y]])
        return constraints(v_w, x)
    return F_, f_, G_, g_


def _make_Outrata1993Ex32():
    def F_(x, y):
        x, y = col(x), col(y)
        v_w = mtimes(0.5, msum((y - cat([[3.0], [4.0]])) ** 2.0))
        return value(v_w, x)
    def f_(x, y):
        x, y = col(x), col(y)
        v_w = ((mtimes(mtimes(0.5, (1.0 + mtimes(0.2, x))), mpower(index(y, 1.0), 2.0)) + mtimes(mtimes(0.5, (1.0 + mtimes(0.1, x))), mpower(index(y, 2.0), 2.0))) - mtimes((3.0 + mtimes(1.333, x)), index(y, 1.0))) - mtimes(x, index(y, 2.0))
        return value(v_w, x)
    def G_(x, y):
        x, y = col(x), col(y)
        v_w = -x
        return constraints(v_w, x)
    def g_(x, y):
        x, y = col(x), col(y)
        v_w = cat([[(mtimes(cat([[-0.333, 1.0]]), y) + mtimes(0.1, x)) - 1.0], [(mtimes(tr(y), y) - mtimes(0.1, x)) - 9.0], [-y]])
        return constraints(v_w, x)
    return F_, f_, G_, g_


def _make_Outrata1994Ex31():
    def F_(x, y):
        x, y = col(x), col(y)
        v_w = mtimes(0.5, msum((y - cat([[3.0], [4.0]])) ** 2.0))
        return value(v_w, x)
    def f_(x, y):
        x, y = col(x), col(y)
        v_w = ((mtimes(mtimes(0.5, (1.0 + mtimes(0.2, x))), mpower(index(y, 1.0), 2.0)) + mtimes(mtimes(0.5, (1.0 + mtimes(0.1, x))), mpower(index(y, 2.0), 2.0))) - mtimes((3.0 + mtimes(1.333, x)), index(y, 1.0))) - mtimes(x, index(y, 2.0))
        return value(v_w, x)
    def G_(x, y):
        x, y = col(x), col(y)
        v_w = cat([[x - 10.0], [-x]])
        return constraints(v_w, x)
    def g_(x, y):
        x, y = col(x), col(y)
        v_w = cat([[(mtimes(cat([[-0.333, 1.0]]), y) + mtimes(0.1, x)) - 1.0], [(mtimes(tr(y), y) - mtimes(0.1, x)) - 9.0], [-y]])
        return constraints(v_w, x)
    return F_, f_, G_, g_


def _make_OutrataCervinka2009():
    def F_(x, y):
        x, y = col(x), col(y)
        v_w = (-mtimes(cat([[2.0, 0.5]]), x)) - mtimes(cat([[0.0, 1.0]]), y)
        return value(v_w, x)
    def f_(x, y):
        x, y = col(x), col(y)
        v_w = (mtimes(cat([[1.0, -1.0]]), y) + mtimes(tr(x), y)) + (mtimes(tr(y), y) / 2.0)
        return value(v_w, x)
    def G_(x, y):
        x, y = col(x), col(y)
        v_w = mtimes(cat([[1.0, 0.0]]), x)
        return constraints(v_w, x)
    def g_(x, y):
        x, y = col(x), col(y)
        v_w = mtimes(cat([[0.0, 1.0], [-1.0, 1.0], [1.0, 1.0]]), y)
        return constraints(v_w, x)
    return F_, f_, G_, g_


def _make_PaulaviciusAdjiman2017a():
    def F_(x, y):
        x, y = col(x), col(y)
        v_w = mpower(x, 2.0) + mpower(y, 2.0)
        return value(v_w, x)
    def f_(x, y):
        x, y = col(x), col(y)
        v_w = mtimes(x, mpower(y, 2.0)) - (mpower(y, 4.0) / 2.0)
        return value(v_w, x)
    def G_(x, y):
        x, y = col(x), col(y)
        v_w = cat([[(-x) - 1.0], [x - 1.0], [(-y) - 1.0], [y - 1.0]])
        return constraints(v_w, x)
    def g_(x, y):
        x, y = col(x), col(y)
        v_w = cat([[(-y) - 1.0], [y - 1.0]])
        return constraints(v_w, x)
    return F_, f_, G_, g_


def _make_PaulaviciusAdjiman2017b():
    def F_(x, y):
        x, y = col(x), col(y)
        v_w = x + y
        return value(v_w, x)
    def f_(x, y):
        x, y = col(x), col(y)
        v_w = mtimes(mtimes(0.5, x), mpower(y, 2.0)) - mtimes(mpower(x, 3.0), y)
        return value(v_w, x)
    def G_(x, y):
        x, y = col(x), col(y)
        v_w = cat([[(-x) - 1.0], [x - 1.0], [(-y) - 1.0], [y - 1.0]])
        return constraints(v_w, x)
    def g_(x, y):
        x, y = col(x), col(y)
        v_w = cat([[(-y) - 1.0], [y - 1.0]])
        return constraints(v_w, x)
    return F_, f_, G_, g_


def _make_SahinCiric1998Ex2():
    def F_(x, y):
        x, y = col(x), col(y)
        v_w = mpower((x - 3.0), 2.0) + mpower((y - 2.0), 2.0)
        return value(v_w, x)
    def f_(x, y):
        x, y = col(x), col(y)
        v_w = mpower((y - 5.0), 2.0)
        return value(v_w, x)
    def G_(x, y):
        x, y = col(x), col(y)
        v_w = cat([[-x], [x - 8.0]])
        return constraints(v_w, x)
    def g_(x, y):
        x, y = col(x), col(y)
        v_w = cat([[((-mtimes(2.0, x)) + y) - 1.0], [(x - mtimes(2.0, y)) + 2.0], [(x + mtimes(2.0, y)) - 14.0]])
        return constraints(v_w, x)
    return F_, f_, G_, g_


def _make_ShimizuAiyoshi1981Ex1():
    def F_(x, y):
        x, y = col(x), col(y)
        v_w = mpower(x, 2.0) + mpower((y - 10.0), 2.0)
        return value(v_w, x)
    def f_(x, y):
        x, y = col(x), col(y)
        v_w = mpower(((x + mtimes(2.0, y)) - 30.0), 2.0)
        return value(v_w, x)
    def G_(x, y):
        x, y = col(x), col(y)
        v_w = cat([[x - 15.0], [(-x) + y], [-x]])
        return constraints(v_w, x)
    def g_(x, y):
        x, y = col(x), col(y)
        v_w = cat([[(x + y) - 20.0], [y - 20.0], [-y]])
        return constraints(v_w, x)
    return F_, f_, G_, g_


def _make_ShimizuAiyoshi1981Ex2():
    def F_(x, y):
        x, y = col(x), col(y)
        v_w = msum((x - cat([[30.0], [20.0]])) ** 2.0) + mtimes(cat([[-20.0, 20.0]]), y)
        return value(v_w, x)
    def f_(x, y):
        x, y = col(x), col(y)
        v_w = msum((x - y) ** 2.0)
        return value(v_w, x)
    def G_(x, y):
        x, y = col(x), col(y)
        v_w = cat([[(-mtimes(cat([[1.0, 2.0]]), x)) + 30.0], [mtimes(cat([[1.0, 1.0]]), x) - 25.0], [mtimes(cat([[0.0, 1.0]]), x) - 15.0]])
        return constraints(v_w, x)
    def g_(x, y):
        x, y = col(x), col(y)
        v_w = cat([[y - 10.0], [-y]])
        return constraints(v_w, x)
    return F_, f_, G_, g_


def _make_ShimizuEtal1997a():
    def F_(x, y):
        x, y = col(x), col(y)
        v_w = mpower((x - 5.0), 2.0) + mpower((mtimes(2.0, y) + 1.0), 2.0)
        return value(v_w, x)
    def f_(x, y):
        x, y = col(x), col(y)
        v_w = mpower((y - 1.0), 2.0) - mtimes(mtimes(1.5, x), y)
        return value(v_w, x)
    G_ = None
    def g_(x, y):
        x, y = col(x), col(y)
        v_w = cat([[((-mtimes(3.0, x)) + y) + 3.0], [(x - mtimes(0.5, y)) - 4.0], [(x + y) - 7.0]])
        return constraints(v_w, x)
    return F_, f_, G_, g_


def _make_ShimizuEtal1997b():
    def F_(x, y):
        x, y = col(x), col(y)
        v_w = mtimes(16.0, mpower(x, 2.0)) + mtimes(9.0, mpower(y, 2.0))
        return value(v_w, x)
    def f_(x, y):
        x, y = col(x), col(y)
        v_w = mpower(((x + y) - 20.0), 4.0)
        return value(v_w, x)
    def G_(x, y):
        x, y = col(x), col(y)
        v_w = cat([[-x], [(-mtimes(4.0, x)) + y]])
        return constraints(v_w, x)
    def g_(x, y):
        x, y = col(x), col(y)
        v_w = cat([[-y], [(mtimes(4.0, x) + y) - 50.0]])
        return constraints(v_w, x)
    return F_, f_, G_, g_


def _make_SinhaMaloDeb2014TP10():
    def F_(x, y):
        x, y = col(x), col(y)
        v_w = msum(((x - 1.0) ** 2.0) + (y ** 2.0))
        return value(v_w, x)
    def f_(x, y):
        x, y = col(x), col(y)
        v_t = tr(mfun('sqrt', span(1.0, 10.0)))
        v_xy = x * y
        v_w = mfun('exp', (1.0 + (msum(v_xy * v_xy) / 4000.0)) - mprod(mfun('cos', v_xy / v_t)))
        return value(v_w, x)
    G_ = None
    def g_(x, y):
        x, y = col(x), col(y)
        v_w = cat([[y - pi], [(-y) - pi]])
        return constraints(v_w, x)
    return F_, f_, G_, g_


def _make_SinhaMaloDeb2014TP3():
    def F_(x, y):
        x, y = col(x), col(y)
        v_w = (mtimes(mtimes(tr(x), torch.diag_embed(cat([[cat([[-1.0, -3.0]])]]).reshape(-1))), x) - mtimes(4.0, index(y, 1.0))) + mpower(index(y, 2.0), 2.0)
        return value(v_w, x)
    def f_(x, y):
        x, y = col(x), col(y)
        v_w = (mtimes(2.0, mpower(index(x, 1.0), 2.0)) + mpower(index(y, 1.0), 2.0)) - mtimes(5.0, index(y, 2.0))
        return value(v_w, x)
    def G_(x, y):
        x, y = col(x), col(y)
        v_w = cat([[-x], [(mpower(index(x, 1.0), 2.0) + mtimes(2.0, index(x, 2.0))) - 4.0]])
        return constraints(v_w, x)
    def g_(x, y):
        x, y = col(x), col(y)
        v_w = cat([[-y], [(mtimes(cat([[0.0, -1.0]]), x) + mtimes(cat([[-3.0, 4.0]]), y)) + 4.0], [((((-mpower(index(x, 1.0), 2.0)) + mtimes(2.0, index(x, 1.0))) - mpower(index(x, 2.0), 2.0)) + mtimes(cat([[2.0, -1.0]]), y)) - 3.0]])
        return constraints(v_w, x)
    return F_, f_, G_, g_


def _make_SinhaMaloDeb2014TP6():
    def F_(x, y):
        x, y = col(x), col(y)
        v_w = (mpower((x - 1.0), 2.0) - mtimes(2.0, x)) + mtimes(2.0, index(y, 1.0))
        return value(v_w, x)
    def f_(x, y):
        x, y = col(x), col(y)
        v_w = msum((mtimes(2.0, y) - cat([[4.0], [1.0]])) ** 2.0) + mtimes(x, index(y, 1.0))
        return value(v_w, x)
    def G_(x, y):
        x, y = col(x), col(y)
        v_w = -x
        return constraints(v_w, x)
    def g_(x, y):
        x, y = col(x), col(y)
        v_w = cat([[-y], [(mtimes(4.0, x) + mtimes(cat([[5.0, 4.0]]), y)) - 12.0], [((-mtimes(4.0, x)) + mtimes(cat([[-5.0, 4.0]]), y)) + 4.0], [(mtimes(4.0, x) + mtimes(cat([[-4.0, 5.0]]), y)) - 4.0], [((-mtimes(4.0, x)) + mtimes(cat([[4.0, 5.0]]), y)) - 4.0]])
        return constraints(v_w, x)
    return F_, f_, G_, g_


def _make_SinhaMaloDeb2014TP7():
    def F_(x, y):
        x, y = col(x), col(y)
        v_w = -(mtimes((index(x, 1.0) + index(y, 1.0)), (index(x, 2.0) + index(y, 2.0))) / (1.0 + msum(x * y)))
        return value(v_w, x)
    def f_(x, y):
        x, y = col(x), col(y)
        v_w = mtimes((index(x, 1.0) + index(y, 1.0)), (index(x, 2.0) + index(y, 2.0))) / (1.0 + msum(x * y))
        return value(v_w, x)
    def G_(x, y):
        x, y = col(x), col(y)
        v_w = cat([[-x], [mtimes(cat([[1.0, -1.0]]), x)], [msum(x * x) - 100.0]])
        return constraints(v_w, x)
    def g_(x, y):
        x, y = col(x), col(y)
        v_w = cat([[-y], [y - x]])
        return constraints(v_w, x)
    return F_, f_, G_, g_


def _make_SinhaMaloDeb2014TP8():
    def F_(x, y):
        x, y = col(x), col(y)
        v_w = mpower(((mtimes(cat([[2.0, 2.0]]), x) + mtimes(cat([[-3.0, -3.0]]), y)) - 60.0), 2.0)
        return value(v_w, x)
    def f_(x, y):
        x, y = col(x), col(y)
        v_w = msum(((y - x) + 20.0) ** 2.0)
        return value(v_w, x)
    def G_(x, y):
        x, y = col(x), col(y)
        v_w = cat([[-x], [x - 50.0], [(mtimes(cat([[1.0, 1.0]]), x) + mtimes(cat([[1.0, -2.0]]), y)) - 40.0]])
        return constraints(v_w, x)
    def g_(x, y):
        x, y = col(x), col(y)
        v_w = cat([[(mtimes(2.0, y) - x) + 10.0], [y - 20.0], [(-y) - 10.0]])
        return constraints(v_w, x)
    return F_, f_, G_, g_


def _make_SinhaMaloDeb2014TP9():
    def F_(x, y):
        x, y = col(x), col(y)
        v_w = msum(((x - 1.0) ** 2.0) + (y ** 2.0))
        return value(v_w, x)
    def f_(x, y):
        x, y = col(x), col(y)
        v_t = tr(mfun('sqrt', span(1.0, 10.0)))
        v_w = mfun('exp', mtimes(((1.0 + (msum(y ** 2.0) / 4000.0)) - mprod(mfun('cos', y / v_t))), msum(x ** 2.0)))
        return value(v_w, x)
    G_ = None
    def g_(x, y):
        x, y = col(x), col(y)
        v_w = cat([[y - pi], [(-y) - pi]])
        return constraints(v_w, x)
    return F_, f_, G_, g_


def _make_TuyEtal2007():
    def F_(x, y):
        x, y = col(x), col(y)
        v_w = mpower(x, 2.0) + mpower(y, 2.0)
        return value(v_w, x)
    def f_(x, y):
        x, y = col(x), col(y)
        v_w = -y
        return value(v_w, x)
    def G_(x, y):
        x, y = col(x), col(y)
        v_w = cat([[-x], [-y]])
        return constraints(v_w, x)
    def g_(x, y):
        x, y = col(x), col(y)
        v_w = mtimes(cat([[3.0, 1.0], [1.0, 1.0], [1.0, 3.0]]), cat([[x], [y]])) - cat([[15.0], [7.0], [15.0]])
        return constraints(v_w, x)
    return F_, f_, G_, g_


def _make_Vogel2012():
    def F_(x, y):
        x, y = col(x), col(y)
        v_w = mpower((y + 1.0), 2.0)
        return value(v_w, x)
    def f_(x, y):
        x, y = col(x), col(y)
        v_w = mpower(y, 3.0) - mtimes(3.0, y)
        return value(v_w, x)
    def G_(x, y):
        x, y = col(x), col(y)
        v_w = cat([[(-3.0) - x], [x - 2.0]])
        return constraints(v_w, x)
    def g_(x, y):
        x, y = col(x), col(y)
        v_w = x - y
        return constraints(v_w, x)
    return F_, f_, G_, g_


def _make_WanWangLv2011():
    def F_(x, y):
        x, y = col(x), col(y)
        v_w = mtimes(((1.0 + mtimes(cat([[1.0, -1.0]]), x)) + mtimes(2.0, index(y, 2.0))), ((8.0 - index(x, 1.0)) + mtimes(cat([[-2.0, 1.0, 5.0]]), y)))
        return value(v_w, x)
    def f_(x, y):
        x, y = col(x), col(y)
        v_w = mtimes(cat([[2.0, -1.0, 1.0]]), y)
        return value(v_w, x)
    G_ = None
    def g_(x, y):
        x, y = col(x), col(y)
        v_w = cat([[mtimes(cat([[-1.0, 1.0, 1.0]]), y) - 1.0], [(mtimes(2.0, index(x, 1.0)) + mtimes(cat([[-1.0, 2.0, -0.5]]), y)) - 1.0], [(mtimes(2.0, index(x, 2.0)) + mtimes(cat([[2.0, -1.0, -0.5]]), y)) - 1.0], [-x], [-y]])
        return constraints(v_w, x)
    return F_, f_, G_, g_


def _make_YeZhu2010Ex42():
    def F_(x, y):
        x, y = col(x), col(y)
        v_w = mpower((x - 1.0), 2.0) + mpower(y, 2.0)
        return value(v_w, x)
    def f_(x, y):
        x, y = col(x), col(y)
        v_w = mpower(y, 3.0) - mtimes(3.0, y)
        return value(v_w, x)
    def G_(x, y):
        x, y = col(x), col(y)
        v_w = cat([[(-3.0) - x], [x - 2.0]])
        return constraints(v_w, x)
    def g_(x, y):
        x, y = col(x), col(y)
        v_w = x - y
        return constraints(v_w, x)
    return F_, f_, G_, g_


def _make_YeZhu2010Ex43():
    def F_(x, y):
        x, y = col(x), col(y)
        v_w = mpower((x - (1.0 / 2.0)), 2.0) + mpower((y - 2.0), 2.0)
        return value(v_w, x)
    def f_(x, y):
        x, y = col(x), col(y)
        v_w = mpower(y, 3.0) - mtimes(3.0, y)
        return value(v_w, x)
    def G_(x, y):
        x, y = col(x), col(y)
        v_w = cat([[-x], [x - 4.0]])
        return constraints(v_w, x)
    def g_(x, y):
        x, y = col(x), col(y)
        v_w = (x - y) - 3.0
        return constraints(v_w, x)
    return F_, f_, G_, g_


def _make_Yezza1996Ex31():
    def F_(x, y):
        x, y = col(x), col(y)
        v_w = ((-mtimes((mtimes(4.0, x) - 3.0), y)) + mtimes(2.0, x)) + 1.0
        return value(v_w, x)
    def f_(x, y):
        x, y = col(x), col(y)
        v_w = ((-mtimes((1.0 - mtimes(4.0, x)), y)) - mtimes(2.0, x)) - 2.0
        return value(v_w, x)
    def G_(x, y):
        x, y = col(x), col(y)
        v_w = cat([[-x], [x - 1.0]])
        return constraints(v_w, x)
    def g_(x, y):
        x, y = col(x), col(y)
        v_w = cat([[-y], [y - 1.0]])
        return constraints(v_w, x)
    return F_, f_, G_, g_


def _make_Yezza1996Ex41():
    def F_(x, y):
        x, y = col(x), col(y)
        v_w = mtimes(0.5, mpower((y - 2.0), 2.0)) + mtimes(0.5, mpower(((x - y) - 2.0), 2.0))
        return value(v_w, x)
    def f_(x, y):
        x, y = col(x), col(y)
        v_w = (mtimes(0.5, mpower(y, 2.0)) + x) - y
        return value(v_w, x)
    G_ = None
    def g_(x, y):
        x, y = col(x), col(y)
        v_w = cat([[-y], [y - x]])
        return constraints(v_w, x)
    return F_, f_, G_, g_


def _make_Zlobec2001a():
    def F_(x, y):
        x, y = col(x), col(y)
        v_w = -(index(y, 1.0) / x)
        return value(v_w, x)
    def f_(x, y):
        x, y = col(x), col(y)
        v_w = mtimes(cat([[-1.0, -1.0]]), y)
        return value(v_w, x)
    G_ = None
    def g_(x, y):
        x, y = col(x), col(y)
        v_w = cat([[((-1.0) + index(y, 1.0)) + mtimes(x, index(y, 2.0))], [-y]])
        return constraints(v_w, x)
    return F_, f_, G_, g_


def _make_Zlobec2001b():
    def F_(x, y):
        x, y = col(x), col(y)
        v_w = x + y
        return value(v_w, x)
    def f_(x, y):
        x, y = col(x), col(y)
        v_w = -y
        return value(v_w, x)
    def G_(x, y):
        x, y = col(x), col(y)
        v_w = cat([[-x], [x - 1.0]])
        return constraints(v_w, x)
    def g_(x, y):
        x, y = col(x), col(y)
        v_w = cat([[-y], [y - 1.0], [-mtimes(x, y)], [mtimes(x, y)]])
        return constraints(v_w, x)
    return F_, f_, G_, g_


#: ``(name, (nx, ny, nG, ng), F*, f*, point (x, y), note, point consistent, check, lb, ub)``
SPECS = [
    ('AiyoshiShimizu1984Ex2', (2, 2, 5, 6), 5.0, 0.0, (25.0, 30.0, 5.0, 10.0), '', True, '', (0.0, 0.0, -10.0, -10.0), (50.0, 50.0, 20.0, 20.0)),
    ('AllendeStill2013', (2, 2, 5, 2), 1.0, -0.5, (0.5, 0.5, 0.5, 0.5), '', True, '', (0.0, 0.0, 0.0, 0.0), (2.0, INF, INF, INF)),
    ('AnEtal2009', (2, 2, 6, 4), 2251.6, 565.8, (0.200001, 1.999997, 3.999998, 4.600005), '', True, '', (0.0, 0.0, 0.0, 0.0), (INF, INF, INF, INF)),
    ('Bard1988Ex1', (1, 1, 1, 4), 17.0, 1.0, (1.0, 0.0), '', True, '', (0.0, 0.0), (INF, INF)),
    ('Bard1988Ex2', (4, 4, 9, 12), -6600.0, 54.0, (7.0, 3.0, 12.0, 18.0, 0.0, 10.0, 30.0, 0.0), 'no point in the paper; the point of bigrad.bolib.PROBLEMS (Bard 1988)', True, '', (0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0), (10.0, 5.0, 15.0, 20.0, 20.0, 20.0, 40.0, 40.0)),
    ('Bard1988Ex3', (2, 2, 3, 4), -12.68, -1.02, (0.0, 2.0, 1.875, 0.9063), 'no point in the paper; the rounded point of bigrad.bolib.PROBLEMS', True, '', (0.0, 0.0, 0.0, 0.0), (INF, INF, INF, INF)),
    ('Bard1991Ex1', (1, 2, 2, 3), 2.0, 12.0, (2.0, 6.0, 0.0), '', True, '', (2.0, 0.0, 0.0), (4.0, INF, INF)),
    ('BardBook1998', (2, 2, 4, 7), 0.0, 5.0, (25.0, 30.0, 5.0, 10.0), "point printed as '(2530510)' in the paper's text; read as shown", True, '', (0.0, 0.0, -10.0, -10.0), (50.0, 50.0, 20.0, 20.0)),
    ('CalamaiVicente1994a', (1, 1, 0, 3), 0.0, 0.0, (1.0, 0.0), 'parametric (rho >= 1); values and point for rho = 1', True, '', (-INF, -INF), (INF, INF)),
    ('CalamaiVicente1994b', (4, 2, 0, 6), 0.3125, -0.4063, (1.25, 0.5, 1.0, 1.0, 0.25, 0.5), "point printed as '(1.250.5110.250.5)' in the paper's text; read as shown", True, '', (-INF, -INF, -INF, -INF, -INF, -INF), (INF, INF, INF, INF, INF, INF)),
    ('CalamaiVicente1994c', (4, 2, 0, 6), 0.3125, -0.4063, (0.13085, 0.05195, 0.1022, 0.0674, 0.025, 0.05), "the paper's text says f* is unknown; Table 3 gives -0.4063", True, '', (-INF, -INF, -INF, -INF, -INF, -INF), (INF, INF, INF, INF, INF, INF)),
    ('CalveteGale1999P1', (2, 3, 2, 6), -29.2, 0.31, (0.0, 0.9, 0.0, 0.6, 0.4), '', True, '', (0.0, 0.0, 0.0, 0.0, 0.0), (INF, INF, INF, INF, INF)),
    ('ClarkWesterberg1990a', (1, 1, 2, 3), 5.0, 4.0, (1.0, 3.0), '', True, '', (0.0, -INF), (8.0, INF)),
    ('Colson2002BIPA1', (1, 1, 3, 3), 250.0, 0.0, (5.0, 5.0), '', True, '', (0.0, 0.0), (5.0, 20.0)),
    ('Colson2002BIPA2', (1, 1, 1, 4), 17.0, 2.0, (1.0, 0.0), '', True, '', (0.0, 0.0), (INF, INF)),
    ('Colson2002BIPA3', (1, 1, 2, 2), 2.0, 24.02, (4.0, 0.0), '', True, '', (0.0, 0.0), (INF, INF)),
    ('Colson2002BIPA4', (1, 1, 2, 2), 88.79, -0.77, (0.0, 0.6039), '', True, '', (0.0, 0.0), (INF, INF)),
    ('Colson2002BIPA5', (1, 2, 1, 6), 2.75, 0.57, (1.94, 0.0, 1.21), '', True, '', (0.0, 0.0, 0.0), (INF, 4.0, 2.0)),
    ('Dempe1992a', (2, 2, 1, 2), None, None, (0.0, 0.0, 0.0, -0.5), "no F*, f* in the paper ('one possible solution')", False, 'no F* or no point published', (-INF, -INF, -INF, -INF), (INF, INF, -0.0, INF)),
    ('Dempe1992b', (1, 1, 0, 1), 31.25, 4.0, (1.0, 1.0), 'no point in the paper; the point of bigrad.bolib.PROBLEMS', True, '', (-INF, -INF), (INF, INF)),
    ('DempeDutta2012Ex24', (1, 1, 0, 1), 0.0, 0.0, (1.0, 0.0), '', True, '', (-INF, -INF), (INF, INF)),
    ('DempeDutta2012Ex31', (2, 2, 4, 2), -1.0, 4.0, (0.7071067811865476, 0.7071067811865476, 0.0, 1.0), 'printed rounded as (0.71, 0.71, 0, 1), which violates g by 0.008; x = (1/sqrt 2, 1/sqrt 2) used', True, '', (0.0, 0.0, -INF, -INF), (INF, INF, INF, INF)),
    ('DempeEtal2012', (1, 1, 2, 2), -1.0, -1.0, (-1.0, 1.0), '', True, '', (-1.0, 0.0), (1.0, 1.0)),
    ('DempeFranke2011Ex41', (2, 2, 4, 4), 5.0, -2.0, (0.0, -1.0, 1.0, 2.0), '', True, '', (-1.0, -1.0, -INF, 0.0), (1.0, -1.0, 2.0, 2.0)),
    ('DempeFranke2011Ex42', (2, 2, 4, 3), 2.13, -3.5, (1.0, -1.0, 0.0, 1.0), '', False, 'F(x*, y*) = 3 differs from F* = 2.13', (-1.0, -1.0, -INF, -INF), (1.0, -1.0, INF, 2.0)),
    ('DempeFranke2014Ex38', (2, 2, 4, 4), -1.0, -4.0, (-1.0, -1.0, 2.0, 2.0), '', True, '', (-1.0, -1.0, -INF, 0.0), (1.0, -0.75, 2.0, 2.0)),
    ('DempeLohse2011Ex31a', (2, 2, 0, 4), -5.5, 0.0, (0.0, 0.0, 1.0, 1.0), '', True, '', (-INF, -INF, 0.0, 0.0), (INF, INF, INF, INF)),
    ('DempeLohse2011Ex31b', (3, 3, 0, 5), -12.0, 0.0, (0.5, 0.5, 0.0, 0.0, 0.0, 2.0), '', True, '', (-INF, -INF, -INF, 0.0, 0.0, 0.0), (INF, INF, INF, INF, INF, INF)),
    ('DeSilva1978', (2, 2, 0, 4), -1.0, 0.0, (0.5, 0.5, 0.5, 0.5), '', True, '', (-INF, -INF, 0.5, 0.5), (INF, INF, 1.5, 1.5)),
    ('FalkLiu1995', (2, 2, 0, 4), -2.1962, 0.0, (0.8660254037844386, 0.8660254037844386, 0.8660254037844386, 0.8660254037844386), '', True, '', (-INF, -INF, 0.5, 0.5), (INF, INF, 1.5, 1.5)),
    ('FloudasEtal2013', (2, 2, 4, 7), 0.0, 200.0, (0.0, 0.0, -10.0, -10.0), '', True, '', (0.0, 0.0, -10.0, -10.0), (50.0, 50.0, 20.0, 20.0)),
    ('FloudasZlobec1998', (1, 2, 2, 6), 1.0, -1.0, (1.0, 0.0, 1.0), '', True, '', (0.0, -1.0, 0.0), (1.0, 1.0, 100.0)),
    ('GumusFloudas2001Ex1', (1, 1, 3, 3), 2250.0, 197.75, (11.25, 5.0), '', True, '', (0.0, 0.0), (12.5, 50.0)),
    ('GumusFloudas2001Ex3', (2, 3, 4, 9), -29.2, 0.31, (0.0, 0.9, 0.0, 0.6, 0.4), '', True, '', (0.0, 0.0, 0.0, 0.0, 0.0), (2.0, 2.0, 2.0, 2.0, 2.0)),
    ('GumusFloudas2001Ex4', (1, 1, 5, 2), 9.0, 0.0, (3.0, 5.0), '', True, '', (0.0, 0.0), (8.0, 10.0)),
    ('GumusFloudas2001Ex5', (1, 2, 2, 6), 0.19, -7.23, (0.193616, 9.9667667, 10.0), '', True, '', (0.1, -INF, -INF), (10.0, INF, INF)),
    ('HatzEtal2013', (1, 2, 0, 2), 0.0, 0.0, (0.0, 0.0, 0.0), '', True, '', (-INF, 0.0, 0.0), (INF, INF, INF)),
    ('HendersonQuandt1958', (1, 1, 2, 1), -3266.7, -711.11, (93.33333, 26.667), '', True, '', (0.0, 0.0), (200.0, INF)),
    ('HenrionSurowiec2011', (1, 1, 0, 0), 0.0, 0.0, (0.0, 0.0), 'parametric: F* = -c^2/4, f* = -c^2/8 at -c/2 (1, 1); the file has c = 0', True, '', (-INF, -INF), (INF, INF)),
    ('IshizukaAiyoshi1992a', (1, 2, 1, 5), 0.0, -4.0, (4.0, -4.0, 0.0), 'parametric (M > 1; the file has M = 4); the paper gives (x, -M, 0) with x in [0, M], but y1 >= -x makes y1 = -M feasible only at x = M: point (M, -M, 0)', True, '', (0.0, -INF, -INF), (INF, INF, INF)),
    ('KleniatiAdjiman2014Ex3', (1, 1, 2, 2), -1.0, 0.0, (0.0, 1.0), '', True, '', (-1.0, -1.0), (1.0, 1.0)),
    ('KleniatiAdjiman2014Ex4', (5, 5, 13, 11), -10.0, -3.1, (1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0), "point printed as '(1.0, -(1.0)9)' in the paper's text; read as shown", True, '', (-1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0), (1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0)),
    ('LamparielloSagratella2017Ex23', (1, 2, 2, 2), -1.0, 1.0, (-1.0, -1.0, 0.0), '', True, '', (-1.0, -INF, 0.0), (1.0, INF, INF)),
    ('LamparielloSagratella2017Ex31', (1, 1, 1, 1), 1.0, 0.0, (1.0, 0.0), '', True, '', (1.0, -INF), (INF, INF)),
    ('LamparielloSagratella2017Ex32', (1, 1, 0, 0), 0.5, 0.0, (0.5, 0.5), '', True, '', (-INF, -INF), (INF, INF)),
    ('LamparielloSagratella2017Ex33', (1, 2, 1, 3), 0.5, 0.0, (0.5, 0.0, 0.5), '', True, '', (0.5, 0.0, 0.0), (INF, INF, INF)),
    ('LamparielloSagratella2017Ex35', (1, 1, 2, 3), 0.8, -0.4, (0.8, 0.4), '', True, '', (-1.0, 0.0), (1.0, 1.0)),
    ('LucchettiEtal1987', (1, 1, 2, 2), 0.0, 0.0, (1.0, 0.0), '', True, '', (0.0, 0.0), (1.0, 1.0)),
    ('LuDebSinha2016a', (1, 1, 4, 0), 1.14, 1.69, (0.2, 1.4), '', True, '', (0.0, 0.0), (1.0, 2.0)),
    ('LuDebSinha2016b', (1, 1, 4, 0), 0.0, 1.66, (0.5, 1.0), '', True, '', (0.0, 0.0), (1.0, 2.0)),
    ('LuDebSinha2016c', (1, 1, 4, 0), 1.12, 0.06, (0.26, 1.0), '', True, '', (0.0, 0.0), (1.0, 2.0)),
    ('LuDebSinha2016d', (2, 2, 11, 3), None, None, (10.0, 192.0, 10.0, 192.0), "solutions unknown ('a possible solution')", False, 'no F* or no point published', (-4.0, -100.0, -4.0, -100.0), (10.0, 200.0, 10.0, 200.0)),
    ('LuDebSinha2016e', (1, 2, 6, 3), None, None, None, 'solutions unknown', False, 'no point published', (2.0, -4.0, -100.0), (3.0, 10.0, 200.0)),
    ('LuDebSinha2016f', (2, 1, 9, 0), None, None, None, 'solutions unknown', False, 'no point published', (-80.0, -100.0, 2.0), (200.0, 200.0, 4.0)),
    ('MacalHurter1997', (1, 1, 0, 0), 81.33, -0.33, (10.0163, 0.8197), '', True, '', (-INF, -INF), (INF, INF)),
    ('Mirrlees1999', (1, 1, 0, 2), 1.0, 0.06, (1.0, 0.95753), '', True, '', (-INF, -2.0), (INF, 2.0)),
    ('MitsosBarton2006Ex310', (1, 1, 2, 2), 0.5, -0.1, (0.1, 0.5), 'solution set [0.1, 1] x {0.5}; f* = -0.1 at x = 0.1', True, '', (0.1, -1.0), (1.0, 1.0)),
    ('MitsosBarton2006Ex311', (1, 1, 2, 2), -0.8, 0.0, (0.0, -0.8), '', True, '', (-1.0, -0.8), (1.0, 1.0)),
    ('MitsosBarton2006Ex312', (1, 1, 2, 2), 0.0, 0.0, (0.0, 0.0), '', True, '', (-1.0, -1.0), (1.0, 1.0)),
    ('MitsosBarton2006Ex313', (1, 1, 2, 2), -1.0, 0.0, (0.0, 1.0), '', True, '', (-1.0, -1.0), (1.0, 1.0)),
    ('MitsosBarton2006Ex314', (1, 1, 2, 2), 0.25, -0.08, (0.25, 0.5), '', True, '', (-1.0, -1.0), (1.0, 1.0)),
    ('MitsosBarton2006Ex315', (1, 1, 2, 2), 0.0, -0.83, (-1.0, 1.0), '', True, '', (-1.0, -1.0), (1.0, 1.0)),
    ('MitsosBarton2006Ex316', (1, 1, 2, 2), -2.0, 0.0, (-1.0, 0.0), '', True, '', (-1.0, -1.0), (1.0, 1.0)),
    ('MitsosBarton2006Ex317', (1, 1, 2, 2), 0.19, -0.02, (-0.25, 0.5), '', True, '', (-1.0, -1.0), (1.0, 1.0)),
    ('MitsosBarton2006Ex318', (1, 1, 2, 2), -0.25, 0.0, (0.5, 0.0), '', True, '', (-1.0, -1.0), (1.0, 1.0)),
    ('MitsosBarton2006Ex319', (1, 1, 2, 2), -0.26, 0.0, (0.189, 0.4343), '', True, '', (-1.0, -1.0), (1.0, 1.0)),
    ('MitsosBarton2006Ex320', (1, 1, 2, 2), 0.31, -0.08, (0.5, 0.5), '', True, '', (-1.0, -1.0), (1.0, 1.0)),
    ('MitsosBarton2006Ex321', (1, 1, 2, 2), 0.21, -0.07, (-0.5545, 0.4554), '', True, '', (-1.0, -1.0), (1.0, 1.0)),
    ('MitsosBarton2006Ex322', (1, 1, 2, 3), 0.21, -0.07, (-0.5545, 0.4554), '', True, '', (-1.0, -1.0), (1.0, 1.0)),
    ('MitsosBarton2006Ex323', (1, 1, 3, 3), 0.18, -1.0, (-0.4191, -1.0), '', True, '', (-1.0, -1.0), (1.0, 1.0)),
    ('MitsosBarton2006Ex324', (1, 1, 2, 2), -1.75, 0.0, (0.2106, 1.799), '', True, '', (0.0, 0.0), (1.0, 3.0)),
    ('MitsosBarton2006Ex325', (2, 3, 6, 9), -1.0, -2.0, (-1.0, -1.0, -1.0, 1.0, 1.0), '', True, '', (-1.0, -1.0, -1.0, -1.0, -1.0), (1.0, 1.0, 1.0, 1.0, 1.0)),
    ('MitsosBarton2006Ex326', (2, 3, 7, 6), -2.35, -2.0, (-1.0, -1.0, 1.0, 1.0, -0.707), '', True, '', (-1.0, -1.0, -1.0, -1.0, -1.0), (1.0, 1.0, 1.0, 1.0, 1.0)),
    ('MitsosBarton2006Ex327', (5, 5, 13, 13), 2.0, -1.1, (0.0, 0.0, 0.0, 0.0, 0.0, -1.0, 0.0, -1.0, 0.0, 0.0), "point printed as '(05, -1, 0, -1, 0, 0)' in the paper's text; read as shown", True, '', (-1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0), (1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0)),
    ('MitsosBarton2006Ex328', (5, 5, 13, 13), -10.0, -3.1, (1.0, -1.0, -1.0, -1.0, -1.0, -1.0, 1.0, -1.0, -1.0, 1.0), "point printed as '(1, (-1)5, 1, -1, -1, 1)' in the paper's text; read as shown", True, '', (-1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0), (1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0)),
    ('MitsosBarton2006Ex38', (1, 1, 4, 2), 0.0, 0.0, (-0.567, 0.0), '', True, '', (-1.0, -0.1), (1.0, 0.1)),
    ('MitsosBarton2006Ex39', (1, 1, 3, 2), -1.0, -1.0, (-1.0, -1.0), '', True, '', (-10.0, -1.0), (10.0, 1.0)),
    ('MorganPatrone2006a', (1, 1, 2, 2), -1.0, 0.0, (0.0, 1.0), '', True, '', (-0.5, -1.0), (0.5, 1.0)),
    ('MuuQuy2003Ex1', (1, 2, 2, 3), -2.08, -0.59, (0.8438, 0.7657, 0.0), '', True, '', (0.0, 0.0, 0.0), (2.0, INF, INF)),
    ('MuuQuy2003Ex2', (2, 3, 3, 4), 0.64, 1.67, (0.609, 0.391, 0.0, 0.0, 1.828), '', True, '', (0.0, 0.0, 0.0, 0.0, 0.0), (INF, INF, INF, INF, INF)),
    ('NieWangYe2017Ex34', (1, 2, 2, 2), 2.0, 0.0, (2.0, 0.0, 0.0), '', True, '', (2.0, 0.0, -INF), (3.0, INF, INF)),
    ('NieWangYe2017Ex52', (2, 3, 5, 2), -1.71, -2.23, (-1.0, -1.0, 1.1097, 0.3143, -0.8184), '', True, '', (-1.0, -1.0, -INF, -INF, -INF), (1.0, 1.0, INF, INF, INF)),
    ('NieWangYe2017Ex54', (4, 4, 3, 2), -0.44, -1.19, (0.0, 0.0, -0.7071, -0.7071, 0.618, 0.0, -0.5559, -0.5559), '', True, '', (-INF, -INF, -INF, -INF, -INF, -INF, -INF, -INF), (INF, INF, INF, INF, INF, INF, INF, INF)),
    ('NieWangYe2017Ex57', (2, 3, 5, 2), -2.0, -1.0, (1.0, 1.0, 0.0, 0.0, 1.0), '', True, '', (-1.0, -1.0, -INF, -INF, -INF), (1.0, 1.0, INF, INF, INF)),
    ('NieWangYe2017Ex58', (4, 4, 3, 2), -3.49, -0.86, (0.5135, 0.505, 0.4882, 0.4929, -0.8346, -0.4104, -0.2106, -0.2887), '', True, '', (-INF, -INF, -INF, -INF, -INF, -INF, -INF, -INF), (INF, INF, INF, INF, INF, INF, INF, INF)),
    ('NieWangYe2017Ex61', (2, 2, 5, 1), -1.02, -1.08, (0.5708, -1.0, -0.1639, 0.9865), '', True, '', (-1.0, -1.0, -INF, -INF), (1.0, 1.0, INF, INF)),
    ('Outrata1990Ex1a', (2, 2, 0, 4), -8.92, -6.05, (0.97, 3.14, 2.6, 1.8), '', True, '', (-INF, -INF, 0.0, 0.0), (INF, INF, INF, INF)),
    ('Outrata1990Ex1b', (2, 2, 0, 4), -7.56, -0.58, (0.28, 0.48, 2.34, 1.03), '', True, '', (-INF, -INF, 0.0, 0.0), (INF, INF, INF, INF)),
    ('Outrata1990Ex1c', (2, 2, 0, 4), -12.0, -112.71, (20.26, 42.81, 3.0, 3.0), '', True, '', (-INF, -INF, 0.0, 0.0), (INF, INF, INF, INF)),
    ('Outrata1990Ex1d', (2, 2, 0, 4), -3.6, -2.0, (2.0, 0.06, 2.0, 0.0), '', True, '', (-INF, -INF, 0.0, 0.0), (INF, INF, INF, INF)),
    ('Outrata1990Ex1e', (2, 2, 0, 4), -3.15, -16.29, (2.42, -3.65, 0.0, 1.58), '', True, '', (-INF, -INF, 0.0, 0.0), (INF, INF, INF, INF)),
    ('Outrata1990Ex2a', (1, 2, 1, 4), 0.5, -14.53, (2.07, 3.0, 3.0), '', True, '', (0.0, 0.0, 0.0), (INF, INF, INF)),
    ('Outrata1990Ex2b', (1, 2, 1, 4), 0.5, -4.5, (0.0, 3.0, 3.0), '', True, '', (0.0, 0.0, 0.0), (INF, INF, INF)),
    ('Outrata1990Ex2c', (1, 2, 1, 4), 1.86, -10.93, (3.456, 1.707, 2.569), '', True, '', (0.0, 0.0, 0.0), (INF, INF, INF)),
    ('Outrata1990Ex2d', (1, 2, 1, 4), 0.92, -19.47, (2.498, 3.632, 2.8), '', True, '', (0.0, 0.0, 0.0), (INF, INF, INF)),
    ('Outrata1990Ex2e', (1, 2, 1, 4), 0.9, -14.94, (3.999, 1.665, 3.887), '', True, '', (0.0, 0.0, 0.0), (INF, INF, INF)),
    ('Outrata1993Ex31', (1, 2, 1, 4), 1.56, -11.67, (1.9091, 2.97836, 2.23182), '', True, '', (0.0, 0.0, 0.0), (INF, INF, INF)),
    ('Outrata1993Ex32', (1, 2, 1, 4), 3.21, -20.53, (4.06095, 2.68227, 1.4871), '', True, '', (0.0, 0.0, 0.0), (INF, INF, INF)),
    ('Outrata1994Ex31', (1, 2, 2, 4), 3.21, -20.53, (4.0604, 2.6822, 1.4871), '', True, '', (0.0, 0.0, 0.0), (10.0, INF, INF)),
    ('OutrataCervinka2009', (2, 2, 1, 3), 0.0, 0.0, (0.0, 0.0, 0.0, 0.0), "point printed as '04' in the paper's text; read as shown", True, '', (-INF, -INF, -INF, -INF), (-0.0, INF, INF, -0.0)),
    ('PaulaviciusAdjiman2017a', (1, 1, 4, 2), 0.25, 0.0, (0.5, 0.0), '', True, '', (-1.0, -1.0), (1.0, 1.0)),
    ('PaulaviciusAdjiman2017b', (1, 1, 4, 2), -2.0, -1.5, (-1.0, -1.0), '', True, '', (-1.0, -1.0), (1.0, 1.0)),
    ('SahinCiric1998Ex2', (1, 1, 2, 3), 5.0, 4.0, (1.0, 3.0), '', True, '', (0.0, -INF), (8.0, INF)),
    ('ShimizuAiyoshi1981Ex1', (1, 1, 3, 3), 100.0, 0.0, (10.0, 10.0), '', True, '', (0.0, 0.0), (15.0, 20.0)),
    ('ShimizuAiyoshi1981Ex2', (2, 2, 3, 4), 225.0, 100.0, (20.0, 5.0, 10.0, 5.0), '', True, '', (-INF, -INF, 0.0, 0.0), (INF, 15.0, 10.0, 10.0)),
    ('ShimizuEtal1997a', (1, 1, 0, 3), None, None, (5.0, 2.0), "solutions unknown ('a possible solution')", False, 'no F* or no point published', (-INF, -INF), (INF, INF)),
    ('ShimizuEtal1997b', (1, 1, 2, 2), 2250.0, 197.75, (11.25, 5.0), '', True, '', (0.0, 0.0), (INF, INF)),
    ('SinhaMaloDeb2014TP10', (10, 10, 0, 20), 0.0, 1.0, (1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0), 'no point in the paper; derived: x = 1, y = 0', True, '', (-INF, -INF, -INF, -INF, -INF, -INF, -INF, -INF, -INF, -INF, -3.14159265359, -3.14159265359, -3.14159265359, -3.14159265359, -3.14159265359, -3.14159265359, -3.14159265359, -3.14159265359, -3.14159265359, -3.14159265359), (INF, INF, INF, INF, INF, INF, INF, INF, INF, INF, 3.14159265359, 3.14159265359, 3.14159265359, 3.14159265359, 3.14159265359, 3.14159265359, 3.14159265359, 3.14159265359, 3.14159265359, 3.14159265359)),
    ('SinhaMaloDeb2014TP3', (2, 2, 3, 4), -18.6787, -1.0156, None, 'values only', False, 'no point published', (0.0, 0.0, 0.0, 0.0), (INF, INF, INF, INF)),
    ('SinhaMaloDeb2014TP6', (1, 2, 1, 6), -1.2091, 7.6145, None, 'values only', False, 'no point published', (0.0, 0.0, 0.0), (INF, INF, INF)),
    ('SinhaMaloDeb2014TP7', (2, 2, 4, 4), -1.96, 1.96, None, 'values only', False, 'no point published', (0.0, 0.0, 0.0, 0.0), (INF, INF, INF, INF)),
    ('SinhaMaloDeb2014TP8', (2, 2, 5, 6), 0.0, 100.0, (0.0, 30.0, -10.0, 10.0), 'no point in the paper; the point of bigrad.bolib.PROBLEMS', True, '', (0.0, 0.0, -10.0, -10.0), (50.0, 50.0, 20.0, 20.0)),
    ('SinhaMaloDeb2014TP9', (10, 10, 0, 20), 0.0, 1.0, (1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0), 'no point in the paper; derived: x = 1, y = 0', True, '', (-INF, -INF, -INF, -INF, -INF, -INF, -INF, -INF, -INF, -INF, -3.14159265359, -3.14159265359, -3.14159265359, -3.14159265359, -3.14159265359, -3.14159265359, -3.14159265359, -3.14159265359, -3.14159265359, -3.14159265359), (INF, INF, INF, INF, INF, INF, INF, INF, INF, INF, 3.14159265359, 3.14159265359, 3.14159265359, 3.14159265359, 3.14159265359, 3.14159265359, 3.14159265359, 3.14159265359, 3.14159265359, 3.14159265359)),
    ('TuyEtal2007', (1, 1, 2, 3), 22.5, -1.52, (4.492188, 1.523438), '', True, '', (0.0, 0.0), (INF, INF)),
    ('Vogel2012', (1, 1, 2, 1), 1.0, -2.0, (-2.0, -2.0), 'the paper names it Vogel2002', True, '', (-3.0, -INF), (2.0, INF)),
    ('WanWangLv2011', (2, 3, 0, 8), 10.63, -0.5, (0.0, 0.75, 0.0, 0.5, 0.0), '', True, '', (0.0, 0.0, 0.0, 0.0, 0.0), (INF, INF, INF, INF, INF)),
    ('YeZhu2010Ex42', (1, 1, 2, 1), 1.0, -2.0, (1.0, 1.0), '', True, '', (-3.0, -INF), (2.0, INF)),
    ('YeZhu2010Ex43', (1, 1, 2, 1), 1.25, -2.0, (1.0, 1.0), '', True, '', (0.0, -INF), (4.0, INF)),
    ('Yezza1996Ex31', (1, 1, 2, 2), 1.5, -2.5, (0.25, 0.0), '', True, '', (0.0, 0.0), (1.0, 1.0)),
    ('Yezza1996Ex41', (1, 1, 0, 2), 0.5, 2.5, (3.0, 1.0), '', True, '', (-INF, 0.0), (INF, INF)),
    ('Zlobec2001a', (1, 2, 0, 3), -1.0, -1.0, (1.0, 1.0, 0.0), '', True, '', (-INF, 0.0, 0.0), (INF, INF, INF)),
    ('Zlobec2001b', (1, 1, 2, 4), None, None, None, 'no optimal solution (the feasible set is not closed)', False, 'no point published', (0.0, 0.0), (1.0, 1.0)),
]

#: problems whose MATLAB file was not translated, with the reason
NOT_TRANSLATED = {
    'MorganPatrone2006b': 'the objective calls a local function with branches (if/elseif): piecewise definition not translated',
    'MorganPatrone2006c': 'the objective calls a local function with branches (if/elseif): piecewise definition not translated',
}

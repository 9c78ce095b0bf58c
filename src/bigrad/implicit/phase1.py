"""Phase 1 for continuous bilevel problems: a strictly feasible start from any start.

The barrier method of :func:`bigrad.implicit.solve_bilevel` needs ``(x0, y*(x0))``
strictly inside the upper-level constraints ``G < 0`` and ``y0`` strictly inside
the lower-level ones ``g < 0``.  :func:`bilevel_phase1` gets there in two steps,
member by member of the batch:

1. *Joint restoration* (single level): where ``y0`` cannot be moved inside ``g``
   at ``x0``, or ``G(x0, y0) >= 0``, minimise ``1/2 sum max(0, h + margin)^2``
   over ``(x, y)`` jointly, ``h = (G, g)`` (Newton-CG).  A positive minimum means
   that no ``(x, y)`` satisfies the upper and lower constraints together (locally):
   the member is reported infeasible.
2. *Upper-level phase 1* (bilevel): where ``G(x, y*(x)) >= 0`` at the follower's
   (barrier) response, solve the auxiliary bilevel problem
   ``min_{x, s} s  s.t.  G(x, y*(x)) < s,  s > -1`` with the same lower level,
   by :func:`solve_bilevel` from ``s0 = max G + 1`` (strictly feasible by
   construction), for outer barrier parameters ``t = 10, 100, ..., 1e10`` until
   ``max G(x, y*(x)) < 0``.  Members for which the auxiliary minimum stays
   ``>= 0`` are reported infeasible.

"Infeasible" is reported only where it is proven: step 1 fails and the
constraints are affine (checked numerically), so that the penalty is convex and
its positive minimum a certificate.  Any other failure only means that no start
was found (``"phase1_failed"`` in :class:`~bigrad.torch.BilevelLayer`).
"""
from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import replace

import torch
from torch import Tensor

from .constraints import with_barrier
from .options import DEFAULT, BilevelOptions, merge_deprecated

__all__ = ["bilevel_phase1", "joint_restore"]

_PHASE1_TS = (10.0, 1e2, 1e3, 1e4, 1e6, 1e8, 1e10)


def joint_restore(ineq: Callable, x: Tensor, y: Tensor, *, margins=(1e-4, 1e-6, 1e-8), maxiter: int = 200):
    """Move ``(x [B, n], y [B, m])`` to ``ineq(x, y) < 0`` (``[B, k]``) by a penalty Newton-CG.

    Minimises ``1/2 sum max(0, h + margin)^2`` (plus a ``1e-12`` proximal term) for
    each margin in turn until a member is strictly inside (a feasible set with a
    thin interior needs a small margin).  Returns ``(x, y, ok [B])``; ``ok`` is
    False where no strictly feasible point was reached (those members keep their start).
    """
    from .optim import newton_cg

    n = x.shape[1]
    w0 = torch.cat([x, y], dim=1).detach()
    out = w0.clone()
    ok = torch.zeros(w0.shape[0], dtype=torch.bool, device=w0.device)
    for margin in margins:

        def penalty(w, margin=margin):
            viol = torch.relu(ineq(w[:, :n], w[:, n:]) + margin)
            return 0.5 * (viol**2).sum(-1) + 0.5e-12 * ((w - w0) ** 2).sum(-1)

        w, _ = newton_cg(penalty, w0, maxiter=maxiter, check_curvature=False)
        with torch.no_grad():
            now = (ineq(w[:, :n], w[:, n:]) < 0).all(dim=1) & ~ok
        out = torch.where(now[:, None], w, out)
        ok |= now
        if bool(ok.all()):
            break
    return out[:, :n].detach(), out[:, n:].detach(), ok


def _affine(ineq: Callable, x: Tensor, y: Tensor, probes: int = 3) -> Tensor:
    """``[B]``: ``ineq`` is affine around each member (midpoint test at random pairs, relative 1e-9)."""
    gen = torch.Generator().manual_seed(0)
    w = torch.cat([x, y], dim=1)
    n = x.shape[1]
    ok = torch.ones(w.shape[0], dtype=torch.bool, device=w.device)
    with torch.no_grad():
        for _ in range(probes):
            a = w + torch.randn(w.shape, generator=gen, dtype=w.dtype).to(w.device) * (1 + w.abs())
            b = w + torch.randn(w.shape, generator=gen, dtype=w.dtype).to(w.device) * (1 + w.abs())
            m = 0.5 * (a + b)
            ha, hb, hm = ineq(a[:, :n], a[:, n:]), ineq(b[:, :n], b[:, n:]), ineq(m[:, :n], m[:, n:])
            err = (hm - 0.5 * (ha + hb)).abs()
            scale = 1 + ha.abs() + hb.abs()
            ok &= (err <= 1e-9 * scale).all(dim=1)
    return ok


def _take(z, idx: Tensor):
    return z[idx] if isinstance(z, Tensor) and z.dim() > 0 and z.shape[0] == idx.shape[0] else z


def bilevel_phase1(
    g_inner: Callable,
    ineq_x: Callable | None,
    ineq_y: Callable | None,
    z,
    x: Tensor,
    y: Tensor,
    *,
    restore: Callable | None,
    options: BilevelOptions | None = None,
    deadline: float | None = None,
    solve_options: dict | None = None,
):
    """Strictly feasible ``(x, y)`` (``y = y*(x)`` where ``ineq_x`` exists) from any start.

    Args:
        g_inner: the lower-level objective *with* its barrier, ``(x, y, z) -> [B]``
            (the same ``y*(x)`` as the main solve).
        ineq_x, ineq_y: ``(x, y, z) -> [B, k]`` or None (internal coordinates).
        x, y: starts ``[B, n]``, ``[B, m]``.
        restore: the lower-level restorer ``(x, y) -> y'`` or None.
        options: :class:`~bigrad.implicit.BilevelOptions` of the :func:`solve_bilevel` calls
            (None: the defaults); they run with ``on_fail="ignore"``.
        deadline: ``time.perf_counter()`` value after which they stop.
        solve_options: deprecated: a dict of :func:`solve_bilevel` keywords (the former
            names, ``deadline`` and ``on_fail``) in place of ``options`` and ``deadline``.

    Returns:
        ``(x, y, feasible [B], joint [B])``: ``joint`` is False where step 1 proved that
        no ``(x, y)`` satisfies ``G`` and ``g`` together (affine constraints only),
        ``feasible`` False wherever no start was found; those members keep their start.
    """
    from .optim import SOLVE_BILEVEL_NAMES, solve_bilevel

    if solve_options is not None:
        old = {k: v for k, v in solve_options.items() if k not in ("deadline", "on_fail")}
        deadline = solve_options.get("deadline", deadline)
        warnings.warn("bilevel_phase1(solve_options=) is deprecated: pass options=BilevelOptions(...) and "
                      "deadline=", DeprecationWarning, stacklevel=2)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            options = merge_deprecated(options, old, SOLVE_BILEVEL_NAMES, "bilevel_phase1")
    options = DEFAULT if options is None else options
    B = x.shape[0]
    feasible = torch.ones(B, dtype=torch.bool, device=x.device)
    if ineq_y is not None and restore is not None:
        with torch.no_grad():
            inside = (ineq_y(x, y, z) < 0).all(dim=1)
        if not bool(inside.all()):
            y = torch.where(inside[:, None], y, restore(x, y))
    both = [h for h in (ineq_x, ineq_y) if h is not None]
    if not both:
        return x, y, feasible, feasible.clone()
    with torch.no_grad():
        bad = ~torch.cat([h(x, y, z) for h in both], dim=1).lt(0).all(dim=1)
    if bool(bad.any()):
        idx = bad.nonzero().flatten()
        zb = _take(z, bad)

        def joint_ineq(a, b, zb=zb):
            return torch.cat([h(a, b, zb) for h in both], dim=1)

        xb, yb, ok = joint_restore(joint_ineq, x[idx], y[idx])
        x, y = x.index_copy(0, idx, xb), y.index_copy(0, idx, yb)
        feasible = feasible.index_fill(0, idx[~ok], False)
        # a failed restoration proves infeasibility only for affine constraints (the penalty is then convex)
        proven = _affine(joint_ineq, xb, yb)
        joint = torch.ones_like(feasible).index_fill(0, idx[~ok & proven], False)
    else:
        joint = torch.ones_like(feasible)
    if ineq_x is None:
        return x, y, feasible, joint
    if not bool(feasible.any()):
        return x, y, feasible, joint
    idx = feasible.nonzero().flatten()
    _, y_star, _ = solve_bilevel(lambda a, b, c: a.sum(1) * 0, g_inner, _take(z, feasible), x[idx], y[idx],
                                 options=replace(options, maxiter=0), on_fail="ignore", restore=restore,
                                 deadline=deadline)
    y = y.index_copy(0, idx, y_star)
    with torch.no_grad():
        G = ineq_x(x, y, z).max(dim=1).values
    todo = feasible & ~(G < 0)
    if bool(todo.any()):
        idx = todo.nonzero().flatten()
        xb, yb, ok = _upper_phase1(g_inner, ineq_x, _take(z, todo), x[idx], y[idx], G[idx], restore,
                                   replace(options, maxiter=200), deadline)
        x, y = x.index_copy(0, idx, xb), y.index_copy(0, idx, yb)
        feasible = feasible.index_fill(0, idx[~ok], False)
    return x, y, feasible, joint


def _upper_phase1(g_inner, ineq_x, z, x, y, G0, restore, options, deadline):
    """``min_{x, s} s  s.t.  G(x, y*(x)) < s, s > -1`` until ``max G < 0`` (see the module docstring)."""
    from .optim import _past_deadline, solve_bilevel

    def aux_ineq(xs, yy, zz):
        xx, s = xs[:, :-1], xs[:, -1:]
        return torch.cat([ineq_x(xx, yy, zz) - s, -s - 1.0], dim=1)

    def g_aux(xs, yy, zz):
        return g_inner(xs[:, :-1], yy, zz)

    xs = torch.cat([x, (G0 + 1.0)[:, None]], dim=1)
    ok = torch.zeros(x.shape[0], dtype=torch.bool, device=x.device)
    x_ok, y_ok = x.clone(), y.clone()
    aux_restore = None if restore is None else (lambda a, b: restore(a[:, :-1], b))
    for t in _PHASE1_TS:
        if _past_deadline():
            break
        f_aux = with_barrier(lambda a, b, c: a[:, -1], aux_ineq, t)
        xs, y, _ = solve_bilevel(f_aux, g_aux, z, xs, y, options=options, on_fail="ignore", restore=aux_restore,
                                 deadline=deadline)
        with torch.no_grad():
            now = (ineq_x(xs[:, :-1], y, z) < 0).all(dim=1) & ~ok
        x_ok = torch.where(now[:, None], xs[:, :-1], x_ok)
        y_ok = torch.where(now[:, None], y, y_ok)
        ok |= now
        if bool(ok.all()):
            break
    return x_ok.detach(), y_ok.detach(), ok

"""The single-level KKT stage of :meth:`BolibProblem.solve`: the follower replaced by its KKT conditions, solved by SLSQP.

Variables ``w = (x, y, lam)``; the problem

    min F(x, y)  s.t.  grad_y f + J_y g^T lam = 0,  g <= 0,  G <= 0,  lam >= 0,  -lam_i g_i <= eps

is solved by scipy's SLSQP for a decreasing ``eps`` (Scholtes 2001; ``eps = 0`` last:
the final polish, to ``ftol = 1e-12``), warm-started.  Every derivative comes from
autograd in one batched forward and two backward passes per point: the batch holds
one copy of the point per row of a Jacobian, and the gradient of the sum of the
diagonal entries gives all rows at once (the problem's functions treat rows
independently).  A KKT point need not be a bilevel solution (the follower may be
nonconvex): :meth:`BolibProblem.solve` verifies every candidate.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, replace

import numpy as np
import torch

from bigrad.implicit.optim import current_deadline

__all__ = ["KKTPoint", "kkt_solve", "stationarity"]

#: the Scholtes path of the complementarity relaxation (the last, 0, is the exact KKT system)
EPS_PATH = (1e-3, 0.0)
#: the path on from the last relaxed stage's end when the exact stage left it (see :func:`kkt_solve`)
REFINE_PATH = (1e-5, 1e-7, 0.0)
#: how far (relative and absolute, in ``x`` and ``y``) the exact stage may move from the relaxed end, to a
#: higher ``F``, before the finer path is tried from there; the finer path's point must stay that near
MOVED_TOL = 1e-2
#: SLSQP iterations per stage of the finer path
REFINE_MAXITER = 20
#: SLSQP's ``ftol`` on the relaxed stages (``eps > 0``; the last stage uses ``kkt_solve``'s ``ftol``)
STAGE_FTOL = 1e-12


#: slack of a value-function cut (relative)
_CUT_TOL = 1e-9


class _Deadline(Exception):
    pass


@dataclass
class KKTPoint:
    """A point of the KKT stage: ``x [n], y [m], lam [k]`` (numpy), ``F``, ``max_violation`` (of ``G``, ``g``,
    the follower's stationarity and complementarity), ``iterations`` (SLSQP, all ``eps``), ``success``,
    ``timed_out`` (stopped at the deadline)."""

    x: np.ndarray
    y: np.ndarray
    lam: np.ndarray
    F: float
    max_violation: float
    iterations: int
    success: bool
    timed_out: bool = False
    #: ``w = (x, y, lam)`` where the last relaxed stage ended (None when there was none)
    relaxed: np.ndarray | None = None
    #: the index in ``known`` of the relaxed end this start's relaxed stage repeated (its exact stage was skipped)
    repeats: int | None = None
    #: a second candidate with a lower ``F``: the finer path's point near the relaxed end (see ``refine``)
    alternative: KKTPoint | None = None


class _Functions:
    """``F``, the constraints of the KKT reformulation and their Jacobians at ``w``, one evaluation per point."""

    def __init__(self, p, n: int, m: int, kg: int, kG: int, deadline: float | None, record: dict | None = None,
                 cuts=()):
        self.p, self.n, self.m, self.kg, self.kG = p, n, m, kg, kG
        self.cuts = torch.as_tensor(np.asarray(cuts, float).reshape(-1, m), dtype=torch.float64)
        self.deadline = deadline
        self.record = record
        self.eps = 0.0
        self._w: np.ndarray | None = None
        self._vals: tuple = ()  # the values and derivatives at _w
        self._graph: tuple | None = None  # _forward's graph at _w, until _derivatives used it
        self.best = None  # (F, w): the best point seen that satisfies every constraint to 1e-6 (eps = 0)

    def _eval(self, w: np.ndarray, jac: bool = False):
        """``(F, gF, g0, G0, eq, Jeq, Jg, JG, lam, cut, Jc)`` at ``w``; the derivatives ``gF, Jeq, Jg, JG, Jc``
        are None unless ``jac`` (or asked for at ``w`` before).  A new point costs the batched forward pass
        and the first backward pass (the follower's stationarity ``eq`` is a gradient); the derivatives then
        cost the second backward pass on the same graph, which a point rejected by SLSQP's line search
        never needs."""
        if self._w is None or w.tobytes() != self._w.tobytes():
            if self.deadline is not None and time.perf_counter() > self.deadline:
                raise _Deadline
            self._forward(w.copy())
        if jac and self._vals[1] is None:
            self._vals = self._derivatives()
        return self._vals

    def _forward(self, w: np.ndarray) -> None:
        """The values at ``w``, and the graph that :meth:`_derivatives` differentiates (see the module)."""
        p, n, m, kg, kG = self.p, self.n, self.m, self.kg, self.kG
        wt = torch.as_tensor(w, dtype=torch.float64)
        nc = self.cuts.shape[0]
        rows = 1 + kg + kG + m + (1 + nc if nc else 0)  # F, g, G, eq rows; then f at (x, y) and at each cut
        X = wt[:n].expand(rows, n).clone().requires_grad_(True)
        Yv = wt[n:n + m].expand(rows, m)
        if nc:
            Yv = torch.cat([Yv[:rows - nc], self.cuts])
        Y = Yv.clone().requires_grad_(True)
        lam = wt[n + m:]
        with torch.enable_grad():
            Fv = p.F(X, Y)
            gv = p.g(X, Y) if kg else X.new_zeros(rows, 0)
            Gv = p.G(X, Y) if kG else X.new_zeros(rows, 0)
            fv = p.f(X, Y)
            L = fv + (gv * lam).sum(1) if kg else fv
            gy = _grad(L.sum(), [Y], create_graph=True)[0]
        F = float(Fv[0].detach())
        g0 = gv[0].detach().numpy() if kg else np.zeros(0)
        G0 = Gv[0].detach().numpy() if kG else np.zeros(0)
        eq = gy[0].detach().numpy()
        if nc:  # value-function cuts f(x, y_j) - f(x, y) >= 0
            fvals = fv.detach().numpy()
            cut = fvals[rows - nc:] - fvals[rows - nc - 1]
        else:
            cut = np.zeros(0)
        lam_np = w[n + m:]
        self._w, self._graph = w, (X, Y, Fv, gv, Gv, fv, gy)
        self._vals = (F, None, g0, G0, eq, None, None, None, lam_np, cut, None)
        self._track(F, g0, G0, eq, lam_np, w)

    def _derivatives(self) -> tuple:
        """The values and derivatives at ``self._w``: the second backward pass on :meth:`_forward`'s graph."""
        n, m, kg, kG = self.n, self.m, self.kg, self.kG
        nc = self.cuts.shape[0]
        assert self._graph is not None  # _forward ran at self._w
        X, Y, Fv, gv, Gv, fv, gy = self._graph
        with torch.enable_grad():
            terms = [Fv[0]]
            if kg:
                terms.append(torch.diagonal(gv[1:1 + kg]).sum())
            if kG:
                terms.append(torch.diagonal(Gv[1 + kg:1 + kg + kG]).sum())
            r0 = 1 + kg + kG
            terms.append(torch.diagonal(gy[r0:r0 + m]).sum())
            if nc:
                terms.append(fv[r0 + m:].sum())
            JX, JY = _grad(sum(terms), [X, Y])
        self._graph = None
        J = torch.cat([JX, JY], 1).detach()
        gF = J[0].numpy()
        Jg = J[1:1 + kg].numpy()
        JG = J[1 + kg:1 + kg + kG].numpy()
        Je = J[1 + kg + kG:1 + kg + kG + m].numpy()
        # d eq_j / d lam_i = d g_i / d y_j
        Jeq = np.concatenate([Je, Jg[:, n:].T], 1)
        if nc:  # the cuts' gradient: in x at y_j; in x and y at y
            r = 1 + kg + kG + m
            Jc = np.concatenate([J[r + 1:, :n].numpy() - J[r, :n].numpy(), -np.repeat(J[r:r + 1, n:].numpy(), nc, 0),
                                 np.zeros((nc, kg))], 1)
        else:
            Jc = np.zeros((0, n + m + kg))
        F, _, g0, G0, eq, _, _, _, lam, cut, _ = self._vals
        return (F, np.concatenate([gF, np.zeros(kg)]), g0, G0, eq, Jeq, Jg, JG, lam, cut, Jc)

    def _track(self, F, g0, G0, eq, lam, w):
        viol = _violation(g0, G0, eq, lam)
        if np.isfinite(F) and viol <= 1e-6 and (self.best is None or F < self.best[0]):
            self.best = (F, w.copy())
            rec = self.record
            if rec is not None and ("best" not in rec or F < rec["best"][0]):
                n, m = self.n, self.m
                rec["best"] = (F, w[:n].copy(), w[n:n + m].copy(), viol)

    def objective(self, w):
        return self._eval(w)[0]

    def objective_grad(self, w):
        return self._eval(w, jac=True)[1]

    def equalities(self, w):
        return self._eval(w)[4]

    def equalities_jac(self, w):
        return self._eval(w, jac=True)[5]

    def inequalities(self, w):  # >= 0
        _, _, g0, G0, _, _, _, _, lam, cut, _ = self._eval(w)
        with np.errstate(invalid="ignore"):  # 0 * inf outside a constraint's domain: NaN, which SLSQP rejects
            return np.concatenate([-g0, -G0, self.eps + lam * g0, cut + _CUT_TOL * (1 + np.abs(cut))])

    def inequalities_jac(self, w):
        _, _, g0, G0, _, _, Jg, JG, lam, _, Jc = self._eval(w, jac=True)
        kg, kG, d = self.kg, self.kG, self.n + self.m
        zg = np.zeros((kg, kg))
        return np.concatenate([
            np.concatenate([-Jg, zg], 1),
            np.concatenate([-JG, np.zeros((kG, kg))], 1),
            np.concatenate([lam[:, None] * Jg, np.diag(g0)], 1),
            Jc,
        ], 0).reshape(2 * kg + kG + Jc.shape[0], d + kg)


def _grad(out, inputs, create_graph=False, retain_graph=None):
    """``torch.autograd.grad`` with zeros for inputs ``out`` does not depend on (and for a constant ``out``)."""
    if not out.requires_grad:
        return [torch.zeros_like(t) for t in inputs]
    gs = torch.autograd.grad(out, inputs, create_graph=create_graph, retain_graph=retain_graph, allow_unused=True)
    return [torch.zeros_like(t) if g is None else g for g, t in zip(gs, inputs)]


def _violation(g0, G0, eq, lam) -> float:
    """The largest of ``g0``, ``G0``, ``|eq|``, ``|lam * g0|`` and 0; infinite where any is NaN or infinite
    (``lam_i = 0`` counts as complementary whatever ``g0_i``)."""
    with np.errstate(invalid="ignore"):
        comp = np.abs(np.where(lam == 0.0, 0.0, lam * g0))
    v = float(np.concatenate([g0, G0, np.abs(eq), comp]).max(initial=0.0))
    return v if np.isfinite(v) else np.inf


def stationarity(p, x, y, lam) -> float:
    """The largest violation of the KKT system of ``p`` at ``(x, y, lam)`` (constraints, the follower's
    stationarity, complementarity; not the leader's stationarity)."""
    n, m = p.x_dim, p.y_dim
    kg = len(lam)
    kG = 0 if p.G is None else int(p.G(torch.zeros(1, n, dtype=torch.float64),
                                       torch.zeros(1, m, dtype=torch.float64)).shape[1])
    fn = _Functions(p, n, m, kg, kG, None)
    w = np.concatenate([np.asarray(x, float), np.asarray(y, float), np.asarray(lam, float)])
    _, _, g0, G0, eq, _, _, _, lam_np, _, _ = fn._eval(w)
    return _violation(g0, G0, eq, lam_np)


def kkt_solve(p, x0, y0, *, lam0: float | np.ndarray = 1.0, eps_path=EPS_PATH, maxiter: int = 200,
              ftol: float = 1e-12, cutoff: float = np.inf, record: dict | None = None,
              cuts=(), known=(), refine: bool = True) -> KKTPoint | None:
    """Solve the KKT reformulation of ``p`` from ``(x0, y0)`` with SLSQP along ``eps_path`` (see the module).

    Stops at :func:`bigrad.implicit.optim.current_deadline` (then returns the best point
    seen that satisfies the constraints, or None).  Returns None when no finite point came out,
    and when a relaxed stage (``eps > 0``) ends feasible with ``F > cutoff`` (a multistart
    member that will not beat the best point so far).  ``record["best"]``: ``(F, x, y, residual)`` of
    the best point seen that satisfies the KKT system to ``1e-6`` (kept over calls sharing ``record``:
    what an interrupt returns).  ``cuts``: follower points ``y_j [m]`` feasible for every ``x`` (``g``
    independent of ``x``): the value-function cuts ``f(x, y) <= f(x, y_j)`` are added (a nonconvex
    follower's better points, found by the check, exclude the KKT points that are not its optimum).
    ``known``: ``(w, tol)`` pairs, where earlier starts' last relaxed stages ended (same ``cuts``); a start
    whose last relaxed stage ends at one of them (to ``tol``, relative and absolute) would repeat that
    start's exact stage, so it stops and returns its point with ``repeats`` set to the index in ``known``.
    ``refine``: when the exact stage ends more than :data:`MOVED_TOL` away from the last relaxed stage's
    end, at a higher ``F`` (near a degenerate point, where some ``g_i = lam_i = 0``, the jump from
    ``eps = 1e-3`` to ``0`` can land on another, worse KKT point), also follow :data:`REFINE_PATH` from
    that end; a KKT point it finds near the end with a lower ``F`` is returned as ``alternative``, a
    second candidate for the caller to verify (LamparielloSagratella2017Ex35: relaxed end at x = 0.7996;
    exact stage at x = 0.5, F = 1.25; the finer path at the published x = 0.8, F = 0.8; on
    MitsosBarton2006Ex312 the finer path's lower point is not the follower's optimum, and the exact
    stage's is the answer).
    """
    from scipy.optimize import minimize

    n, m = p.x_dim, p.y_dim
    x0 = np.asarray(x0, float).reshape(n)
    y0 = np.asarray(y0, float).reshape(m)
    with torch.no_grad():
        xt, yt = torch.as_tensor(x0)[None], torch.as_tensor(y0)[None]
        kg = 0 if p.g is None else int(p.g(xt, yt).shape[1])
        kG = 0 if p.G is None else int(p.G(xt, yt).shape[1])
    fn = _Functions(p, n, m, kg, kG, current_deadline(), record, cuts)
    lo = list(p.lower) if p.lower else [-np.inf] * (n + m)
    hi = list(p.upper) if p.upper else [np.inf] * (n + m)
    # (no bounds on x, y: they are rows of G, g already, and the duplicate active constraints can make
    # scipy 1.16's SLSQP crash)
    bounds = [(None, None)] * (n + m) + [(0.0, None)] * kg
    w = np.concatenate([np.clip(x0, lo[:n], hi[:n]), np.clip(y0, lo[n:], hi[n:]), np.full(kg, lam0)])
    cons = [{"type": "eq", "fun": fn.equalities, "jac": fn.equalities_jac}]
    if kg or kG or len(cuts):
        cons.append({"type": "ineq", "fun": fn.inequalities, "jac": fn.inequalities_jac})
    nit, success, timed_out, relaxed = 0, False, False, None
    for stage, eps in enumerate(eps_path):
        fn.eps = eps
        try:
            res = minimize(fn.objective, w, jac=fn.objective_grad, method="SLSQP", bounds=bounds,
                           constraints=cons, options={"maxiter": maxiter, "ftol": ftol if eps == 0.0 else STAGE_FTOL})
        except _Deadline:
            timed_out = True
            break
        except (ValueError, ArithmeticError, RuntimeError):
            return None
        nit += int(res.nit)
        if not np.all(np.isfinite(res.x)):
            return None
        w, success = res.x, bool(res.success)
        if eps > 0.0 and res.fun > cutoff:
            F, _, g0, G0, eq, _, _, _, lam, _, _ = fn._eval(w)
            if _violation(g0, G0, eq, np.zeros_like(lam)) <= 1e-6:  # feasible for the relaxed system
                return None
        if eps > 0.0 and stage == len(eps_path) - 2:  # the last relaxed stage: has an earlier start been here?
            relaxed = w.copy()
            same = [j for j, (k, tol) in enumerate(known) if np.allclose(w, k, rtol=tol, atol=tol)]
            if same:
                F = fn._eval(w)[0]
                return KKTPoint(x=w[:n].copy(), y=w[n:n + m].copy(), lam=w[n + m:].copy(), F=float(F),
                                max_violation=np.inf, iterations=nit, success=False, relaxed=relaxed,
                                repeats=same[0])
    fn.deadline = None
    try:
        F, _, g0, G0, eq, _, _, _, lam, _, _ = fn._eval(w)
        if fn.best is not None and (_violation(g0, G0, eq, lam) > 1e-6 or fn.eps != 0.0):
            w = fn.best[1]
            F, _, g0, G0, eq, _, _, _, lam, _, _ = fn._eval(w)
    except (ValueError, ArithmeticError, RuntimeError):
        return None
    if not np.isfinite(F):
        return None
    viol = _violation(g0, G0, eq, lam)
    if POLISH_TOL < viol <= 1e-4:  # the final polish: Newton on the follower's active KKT system at this x
        try:
            w2 = _polish_follower(p, w, n, m, kg)
            F2, _, g2, G2, eq2, _, _, _, lam2, _, _ = fn._eval(w2)
            if np.isfinite(F2) and _violation(g2, G2, eq2, lam2) < viol:
                w, F, viol = w2, F2, _violation(g2, G2, eq2, lam2)
        except (ValueError, ArithmeticError, RuntimeError, np.linalg.LinAlgError):
            pass
    pt = KKTPoint(x=w[:n].copy(), y=w[n:n + m].copy(), lam=w[n + m:].copy(), F=float(F),
                  max_violation=viol, iterations=nit, success=success, timed_out=timed_out, relaxed=relaxed)
    if refine and relaxed is not None and not timed_out and _left_worse(fn, relaxed, w, F, n + m):
        pt = _with_alternative(p, pt, relaxed, min(maxiter, REFINE_MAXITER), ftol, record, cuts)
    return pt


def _with_alternative(p, pt: KKTPoint, relaxed: np.ndarray, maxiter: int, ftol: float, record, cuts) -> KKTPoint:
    """``pt`` with the finer path's point from the relaxed end ``relaxed`` as its ``alternative`` (see
    :func:`kkt_solve`'s ``refine``), when that point is a KKT point near the end with a lower ``F``."""
    n, m = p.x_dim, p.y_dim
    alt = kkt_solve(p, relaxed[:n], relaxed[n:n + m], lam0=relaxed[n + m:], eps_path=REFINE_PATH, maxiter=maxiter,
                    ftol=ftol, record=record, cuts=cuts, refine=False)
    if alt is None:
        return pt
    near = np.allclose(relaxed[:n + m], np.concatenate([alt.x, alt.y]), rtol=MOVED_TOL, atol=MOVED_TOL)
    better = near and alt.max_violation <= 1e-6 and \
        (pt.max_violation > 1e-6 or alt.F < pt.F - 1e-9 * (1 + abs(pt.F)))
    return replace(pt, iterations=pt.iterations + alt.iterations, timed_out=alt.timed_out,
                   alternative=alt if better else None)


def _left_worse(fn, relaxed: np.ndarray, w: np.ndarray, F: float, k: int) -> bool:
    """Did the exact stage end more than :data:`MOVED_TOL` away from the relaxed end ``relaxed`` (in the
    first ``k`` entries, ``x`` and ``y``), at a higher ``F`` than there?"""
    if np.allclose(relaxed[:k], w[:k], rtol=MOVED_TOL, atol=MOVED_TOL):
        return False
    try:
        F_relaxed = float(fn._eval(relaxed)[0])
    except (ValueError, ArithmeticError, RuntimeError):
        return False
    return bool(np.isfinite(F_relaxed) and F > F_relaxed + 1e-6 * (1 + abs(F_relaxed)))


#: the residual of the KKT system below which the final polish is not run
POLISH_TOL = 1e-10


def _polish_follower(p, w: np.ndarray, n: int, m: int, kg: int, iters: int = 4) -> np.ndarray:
    """Newton steps on ``grad_y f + J_A^T lam_A = 0, g_A = 0`` at fixed ``x`` (``A``: the constraints with
    ``g_i > -1e-6``; the others get ``lam_i = 0``); least squares where singular."""
    x = torch.as_tensor(w[:n], dtype=torch.float64)[None]
    y = torch.as_tensor(w[n:n + m], dtype=torch.float64).clone()
    lam = torch.as_tensor(w[n + m:], dtype=torch.float64).clone()
    for _ in range(iters):
        Y = y[None].clone().requires_grad_(True)
        with torch.enable_grad():
            fv = p.f(x, Y)[0]
            gv = p.g(x, Y)[0] if kg else torch.zeros(0, dtype=torch.float64)
            gy = _grad(fv + (gv * lam).sum(), [Y], create_graph=True)[0][0]
            H = torch.stack([_grad(gy[j], [Y], retain_graph=True)[0][0] for j in range(m)])
            Jg = torch.stack([_grad(gv[i], [Y], retain_graph=True)[0][0] for i in range(kg)]) if kg else \
                torch.zeros(0, m, dtype=torch.float64)
        gv, gy = gv.detach(), gy.detach()
        act = torch.nonzero(gv > -1e-6).flatten()
        JA = Jg[act].detach()
        k = act.numel()
        K = torch.zeros(m + k, m + k, dtype=torch.float64)
        K[:m, :m] = H.detach()
        K[:m, m:] = JA.T
        K[m:, :m] = JA
        r = torch.cat([gy, gv[act]])
        if not (bool(torch.isfinite(K).all()) and bool(torch.isfinite(r).all())):
            break
        step = torch.as_tensor(np.linalg.lstsq(K.numpy(), -r.numpy(), rcond=None)[0])
        y = y + step[:m]
        new = torch.zeros_like(lam)
        new[act] = (lam[act] + step[m:]).clamp(min=0.0)
        lam = new
    return np.concatenate([w[:n], y.numpy(), lam.numpy()])

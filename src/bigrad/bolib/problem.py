"""``BolibProblem``: one BOLIB test problem and its solution by :class:`bigrad.torch.BilevelLayer`."""
from __future__ import annotations

import math
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field, fields, replace

import numpy as np
import torch
from torch import Tensor

from bigrad.implicit.optim import current_deadline, deadline_scope
from bigrad.implicit.options import DEFAULT, FIELDS

__all__ = ["BolibProblem", "BolibResult", "Constraint", "Objective"]


def _flat_options(options: dict) -> dict:
    """``options`` with a :class:`~bigrad.implicit.BilevelOptions` under ``"options"`` spread into its fields
    (those not at their defaults; the flat keywords win), so that the budget logic reads ``barrier_t``..."""
    obj = options.get("options")
    if obj is None:
        return options
    spread = {f.name: getattr(obj, f.name) for f in fields(obj) if getattr(obj, f.name) != getattr(DEFAULT, f.name)}
    return {**spread, **{k: v for k, v in options.items() if k != "options"}}


def _layer_keywords(options: dict) -> dict:
    """:class:`~bigrad.torch.BilevelLayer` keywords from flat ones: the fields of ``BilevelOptions`` go into ``options``."""
    rest = {k: v for k, v in options.items() if k not in FIELDS}
    knobs = {k: v for k, v in options.items() if k in FIELDS}
    if knobs:
        rest["options"] = replace(rest.get("options") or DEFAULT, **knobs)
    return rest

#: multistart: barrier parameter of the screening batch, and how many of its best members the
#: lower-level check may examine before the refinement of one of them to the final barrier_t
_SCREEN_T = 1e4
_SCREEN_MAXITER = 100
_LOWER_CANDIDATES = 3
#: the screening batch may take this multiple of the first solve's time (at least of _SCREEN_MIN_SECONDS)
_SCREEN_BUDGET = 2.0
_SCREEN_MIN_SECONDS = 0.5
_NO_START = ("infeasible", "phase1_failed")
#: seconds of a time limit kept for the lower-level checks and the bookkeeping after a layer call
_RESERVE = 0.3
#: the KKT stage may take this share of a time limit; restarts of the KKT stage from a better follower point
_KKT_SHARE = 0.5
_KKT_RETRIES = 3
#: SLSQP iterations per stage of the KKT stage; a start after the first may take this multiple of the first
#: start's iterations per stage (at least the minimum): deterministic, unlike a time budget
_MAXITER = 200
_START_BUDGET = 2.0
_START_MIN_ITERS = 100
#: ... and at most this multiple of the first start's time (at least the minimum; binds only where an SLSQP
#: iteration is slow, e.g. SinhaMaloDeb2014TP9)
_START_TIME_BUDGET = 4.0
_START_MIN_SECONDS = 1.0
#: the KKT stage stops once a second start ends at the best verified point
_EARLY_EXIT = True
#: a start's relaxed end repeats an earlier one's within these (relative and absolute; see _kkt_stage)
_REPEAT_TOL = 1e-6
_SAME_TOL = 1e-12
#: largest constraint value of an accepted point
_FEAS_TOL = 1e-6

#: ``(x [B, n], y [B, m]) -> [B]``
Objective = Callable[[Tensor, Tensor], Tensor]
#: ``(x [B, n], y [B, m]) -> [B, k]``, feasible where every entry is ``<= 0``
Constraint = Callable[[Tensor, Tensor], Tensor]


@dataclass
class BolibResult:
    """Outcome of :meth:`BolibProblem.solve` (float64, one instance).

    ``status``: ``"converged"``, ``"not_converged"``, ``"infeasible"`` (proven for
    affine constraints that no point satisfies together, also loosened),
    ``"phase1_failed"`` (no feasible start found), ``"time_limit"`` or
    ``"interrupted"``; ``lower_ok``: the lower-level multistart check at ``x``
    (None when not run); ``starts``: multistart size; ``relaxed``: the loosening
    ``delta`` of the constraints (``h <= delta``) used, 0 when none; ``method``:
    ``"kkt"`` (a verified point of the KKT stage) or ``"implicit"`` (BilevelLayer);
    ``stationarity``: the largest residual of the KKT system (follower's
    stationarity, complementarity, constraints) at the returned point with its
    multipliers, when the KKT stage or its polish produced it.
    """

    F: float
    f: float
    x: list
    y: list
    iterations: int
    converged: bool
    seconds: float
    max_violation: float
    stages: int = 0
    status: str = ""
    lower_ok: bool | None = None
    starts: int = 1
    relaxed: float = 0.0
    method: str = "implicit"
    stationarity: float | None = None


@dataclass
class BolibProblem:
    r"""``min_x F(x, y)  s.t. G(x, y) <= 0,  y in argmin_y { f(x, y) : g(x, y) <= 0 }``.

    Attributes:
        name: BOLIB's name (``Bard1988Ex1``...).
        F_star, f_star: published (best known) upper and lower objective values.
        x0, y0: starting point used by :meth:`solve` (BOLIB's ``xy_init`` unless
            ``start_note`` says why it was moved, e.g. to make ``x0`` strictly
            feasible for ``G`` at ``y*(x0)``).
        x_star, y_star: a solution point with ``F(x*, y*) = F_star`` (published or
            derived in ``solution_note``); tests evaluate the formulas there.
        source: citation and where the formulas were taken from.
        F, G, f, g: batched torch functions; ``G``/``g`` may be None.
        local_note: documents another optimum the default solve may reach
            (a local optimum from ``x0``, or a point better than ``F_star``).
        F_known: the ``F`` values of those documented optima.
        point_consistent: whether ``F(x*, y*)`` reproduces ``F_star`` (``point_check``
            says why not); ``x_star``/``y_star``/``F_star`` are None where unknown.
        lower, upper: simple bounds over ``(x, y)`` (``n + m`` entries, +-inf where
            none; empty = unknown), used for starts and multistart sampling.
    """

    name: str
    F_star: float | None
    f_star: float | None
    x0: tuple
    y0: tuple
    x_star: tuple | None
    y_star: tuple | None
    source: str
    F: Objective
    f: Objective
    G: Constraint | None = None
    g: Constraint | None = None
    start_note: str = ""
    solution_note: str = ""
    local_note: str = ""
    F_known: tuple = ()
    tags: tuple = field(default_factory=tuple)
    point_consistent: bool = True
    point_check: str = ""
    lower: tuple = ()
    upper: tuple = ()

    @property
    def x_dim(self) -> int:
        return len(self.x0)

    @property
    def y_dim(self) -> int:
        return len(self.y0)

    def evaluate(self, x, y) -> dict:
        """``F, f`` and the largest constraint value at one point ``x [n], y [m]`` (floats)."""
        xt = torch.as_tensor(x, dtype=torch.float64).reshape(1, -1)
        yt = torch.as_tensor(y, dtype=torch.float64).reshape(1, -1)
        viol = [float(c(xt, yt).max()) for c in (self.G, self.g) if c is not None]
        return {
            "F": float(self.F(xt, yt)[0]),
            "f": float(self.f(xt, yt)[0]),
            "max_violation": max(viol) if viol else float("-inf"),
        }

    def layer(self, **options):
        """The :class:`bigrad.torch.BilevelLayer` of this problem (``z`` is unused).

        ``options``: the layer's keywords (``on_fail``, ``time_limit``, ``options``) and, as
        keywords of their own, the fields of :class:`~bigrad.implicit.BilevelOptions`
        (``barrier_t``, ``maxiter``...), which update ``options``.
        """
        from bigrad.torch.bilevel import BilevelLayer

        F, f, G, g = self.F, self.f, self.G, self.g
        options = _layer_keywords(options)
        return BilevelLayer(
            lambda x, y, z: F(x, y),
            lambda x, y, z: f(x, y),
            x_dim=self.x_dim,
            y_dim=self.y_dim,
            ineq_x=None if G is None else (lambda x, y, z: G(x, y)),
            ineq_y=None if g is None else (lambda x, y, z: g(x, y)),
            **options,
        )

    def start_points(self, x0, y0, starts: int, seed: int) -> tuple[Tensor, Tensor]:
        """``[starts, n]``, ``[starts, m]``: ``(x0, y0)`` first, then uniform draws in the simple bounds.

        Unbounded sides use ``start -+ max(10, 2 |start|)``; deterministic for a ``seed``.
        """
        n, m = self.x_dim, self.y_dim
        first = torch.tensor(list(x0) + list(y0), dtype=torch.float64)
        lo = torch.tensor(self.lower or [-math.inf] * (n + m), dtype=torch.float64)
        hi = torch.tensor(self.upper or [math.inf] * (n + m), dtype=torch.float64)
        width = torch.clamp(2 * first.abs(), min=10.0)
        lo = torch.where(torch.isfinite(lo), lo, torch.minimum(first, hi) - width)
        hi = torch.where(torch.isfinite(hi), hi, torch.maximum(first, lo) + width)
        gen = torch.Generator().manual_seed(seed)
        draws = lo + (hi - lo) * torch.rand(max(starts - 1, 0), n + m, generator=gen, dtype=torch.float64)
        w = torch.cat([first[None], draws])
        return w[:, :n].contiguous(), w[:, n:].contiguous()

    def relaxed(self, delta: float) -> BolibProblem:
        """This problem with every constraint loosened to ``h <= delta`` (for feasible sets without interior)."""
        G, g = self.G, self.g
        return replace(self, G=None if G is None else (lambda x, y: G(x, y) - delta),
                       g=None if g is None else (lambda x, y: g(x, y) - delta))

    def solve(self, x0=None, y0=None, *, starts: int = 8, seed: int = 0, relax: float = 1e-6,
              check_lower: bool = True, method: str = "auto", **options) -> BolibResult:
        """Solve from ``(x0, y0)`` (default the problem's; it may be infeasible) and ``starts - 1`` other starts.

        ``method="auto"`` (default): first the KKT stage (:mod:`bigrad.bolib.kkt`): the
        follower replaced by its KKT conditions, solved by SLSQP from each start in
        turn (``(x0, y0)``, then deterministic draws in the simple bounds, ``seed``),
        along a relaxation of the complementarity down to the exact system, then the
        final polish (Newton on the follower's active KKT system; ``stationarity``).
        Each candidate that improves on the best one is verified: the constraints
        within ``1e-6`` and ``y`` optimal for the follower at ``x``
        (:func:`bigrad.bolib.check.follower_check`, a multistart on the lower level;
        ``lower_ok``).  When the check finds a better follower point, the stage
        restarts from it (three times at most), with the value-function cut
        ``f(x, y) <= f(x, y_better)`` where ``g`` does not depend on ``x``.  A start
        after the first may take as many SLSQP iterations per stage as the first one took
        in all, twice (100 at least), and four times its time (1 s at least); a start
        whose relaxed stage ends above the best verified ``F`` is dropped; a start whose
        relaxed stage ends where an earlier start's did (to 1e-6 when that start's exact stage
        only corrected its relaxed end to a strictly complementary point, else to 1e-12) ends
        where that start did without an exact stage of its own; the stage
        stops once a second start ends at the best verified point, and takes half of
        ``time_limit`` at most.  The best verified candidate is returned
        (``method="kkt"``); when there is none, the implicit method runs
        (``method="implicit"`` alone skips the KKT stage), and its result is polished
        on the KKT system and kept polished when the polish is verified and no worse.

        The implicit method: :class:`~bigrad.torch.BilevelLayer` (float64) from the
        given start (phase 1 moves an infeasible start inside), its ``y`` checked
        against the follower (:func:`bigrad.bolib.check.lower_level_multistart`),
        then the other starts screened in one batch at a loose barrier (``t = 1e4``,
        at most 100 outer iterations, at most twice the first solve's time, 1 s at
        least); the best feasible member whose ``y`` passes the check is refined up to
        ``barrier_t`` and replaces the first result when its ``F`` is lower.  When
        phase 1 finds no strictly feasible start (a feasible set without interior,
        e.g. ``g = y^2 <= 0``), the problem is solved again with every constraint
        loosened by ``relax`` (``relaxed``).  ``options`` go to ``BilevelLayer``
        (``time_limit`` covers everything, ``on_fail``, ``options=BilevelOptions(...)``),
        the fields of :class:`~bigrad.implicit.BilevelOptions` also as keywords of their
        own (``barrier_t``, ``maxiter``...; see :meth:`layer`).
        ``status``: see :class:`BolibResult`.
        """
        if isinstance(starts, bool) or not isinstance(starts, int) or starts < 1:
            raise ValueError(f"starts must be an int >= 1, got {starts!r}")
        if method not in ("auto", "implicit"):
            raise ValueError(f"method must be 'auto' or 'implicit', got {method!r}")
        x0 = self.x0 if x0 is None else x0
        y0 = self.y0 if y0 is None else y0
        options = _flat_options(options)
        t0 = time.perf_counter()
        limit = options.get("time_limit")
        with deadline_scope(None if limit is None else t0 + limit):  # the checks stop at the limit too
            kkt = None
            found: dict = {}
            if method == "auto":
                stage_end = None if limit is None else t0 + _KKT_SHARE * limit
                try:
                    with deadline_scope(stage_end):
                        kkt = self._kkt_stage(x0, y0, starts, seed, check_lower, found)
                except KeyboardInterrupt:
                    return replace(self._interrupted(found, x0, y0, starts), seconds=time.perf_counter() - t0)
                if kkt is not None and kkt.status == "converged":
                    over = limit is not None and time.perf_counter() - t0 >= limit
                    return replace(kkt, status="time_limit" if over else "converged", converged=not over,
                                   seconds=time.perf_counter() - t0)
                if limit is not None:
                    options = {**options, "time_limit": max(limit - (time.perf_counter() - t0), 1e-3)}
            res = self._solve_relaxing(x0, y0, starts, seed, relax, check_lower, options, time.perf_counter())
            if method == "auto" and res.status != "interrupted":
                res = self._polish(res, check_lower, seed)
                if kkt is not None and self._better_result(kkt, res):
                    res = kkt
        seconds = time.perf_counter() - t0
        if limit is not None and seconds >= limit and res.status == "not_converged":
            res = replace(res, status="time_limit")
        return replace(res, seconds=seconds)

    def _verify(self, x, y, seed, check_lower):
        """``(feasible, lower_ok, y_better)`` of a point (numpy): constraints within 1e-6, follower check."""
        from .check import follower_check

        ev = self.evaluate(x, y)
        if not (math.isfinite(ev["F"]) and ev["max_violation"] <= _FEAS_TOL):
            return False, None, None
        if not check_lower:
            return True, None, None
        ok, y_best, _ = follower_check(self, x, y, seed=seed)
        return True, ok, None if ok else y_best

    def _kkt_stage(self, x0, y0, starts, seed, check_lower, found: dict) -> BolibResult | None:
        """The KKT stage of :meth:`solve`: the best verified KKT point over the starts (see there), or None;
        a result with status ``not_converged`` when only unverified points came out.  ``found["verified"]``
        holds the best verified result so far, ``found["best"]`` the best KKT point seen (for an interrupt)."""
        from .kkt import kkt_solve

        xs, ys = self.start_points(x0, y0, starts, seed)
        best = None  # (F, x, y, lam, lower_ok)
        fallback = None
        seen: list = []
        # (w where the last relaxed stage ended, x, y, number of cuts, tolerance) of the starts so far: a start
        # whose relaxed stage ends at the same w (to the tolerance) would end at the same point.  _REPEAT_TOL
        # where the exact stage only corrected the relaxed end, to a strictly complementary point (stable
        # there); _SAME_TOL, rounding only, elsewhere: near a degenerate point, where some g_i = lam_i = 0,
        # relaxed ends 1e-7 apart can branch (LamparielloSagratella2017Ex35: F = 1.25 and the published 0.8)
        ends: list = []
        its = retries = 0
        stage_end = current_deadline()
        first_its, first_seconds = None, 0.0
        cuts: list = []  # value-function cuts: better follower points found by the check (when g does not depend on x)
        cuts_valid = self._follower_set_fixed(xs, ys)
        queue = [(xs[k].numpy(), ys[k].numpy()) for k in range(xs.shape[0])]
        k = 0
        while k < len(queue) and not (stage_end is not None and time.perf_counter() > stage_end):
            xk, yk = queue[k]
            k += 1
            cutoff = math.inf if best is None else best[0] + 1e-6 * (1 + abs(best[0]))
            # after the first start, each SLSQP stage may take a multiple of the first start's iterations, and
            # (a safeguard for slow SLSQP iterations) a multiple of its time
            maxiter, end, t1 = _MAXITER, stage_end, time.perf_counter()
            if first_its is not None:
                maxiter = min(_MAXITER, max(_START_MIN_ITERS, int(_START_BUDGET * first_its)))
                own = t1 + max(_START_MIN_SECONDS, _START_TIME_BUDGET * first_seconds)
                end = own if end is None else min(end, own)
            mine = [e for e in ends if e[3] == len(cuts)]  # earlier starts' relaxed ends, same cuts
            with deadline_scope(end):
                pt = kkt_solve(self, xk, yk, cutoff=cutoff, record=found, cuts=cuts, maxiter=maxiter,
                               known=[(e[0], e[4]) for e in mine])
            if first_its is None:
                first_its, first_seconds = (0 if pt is None else pt.iterations), time.perf_counter() - t1
            if pt is None:
                continue
            its += pt.iterations
            if pt.repeats is not None:  # its exact stage would repeat an earlier start's: that start's point
                _, x_end, y_end, _, _ = mine[pt.repeats]
                pt = replace(pt, x=x_end, y=y_end)
            elif pt.relaxed is not None and not pt.timed_out:
                ends.append((pt.relaxed, pt.x, pt.y, len(cuts), _REPEAT_TOL if self._stable_end(pt) else _SAME_TOL))
            confirmed = False
            for cand in (pt.alternative, pt):  # the finer path's lower point first, when there is one
                if cand is None:
                    continue
                if any(np.allclose(cand.x, a, atol=1e-7) and np.allclose(cand.y, b, atol=1e-7) for a, b in seen):
                    # a second start confirms the best verified point (a value alone is not enough: two
                    # starts often share a local optimum's value at different points)
                    confirmed = confirmed or (best is not None and np.allclose(cand.x, best[1], atol=1e-6)
                                              and np.allclose(cand.y, best[2], atol=1e-6))
                    continue
                seen.append((cand.x, cand.y))
                if best is not None and not cand.F < best[0] - 1e-9 * (1 + abs(best[0])):
                    continue
                feasible, lower_ok, y_better = self._verify(cand.x, cand.y, seed, check_lower)
                if feasible and lower_ok is not False:
                    best = (cand.F, cand.x, cand.y, cand.max_violation, lower_ok)
                    found["verified"] = self._result(cand.x, cand.y, "converged", its, lower_ok, starts,
                                                     cand.max_violation)
                elif feasible and fallback is None:
                    fallback = (cand.x, cand.y, cand.max_violation)
                if y_better is not None and retries < _KKT_RETRIES:  # the follower has a better y: start there
                    retries += 1
                    if cuts_valid:
                        cuts.append(np.asarray(y_better, float))
                    queue.insert(k, (cand.x, np.asarray(y_better, float)))
            if _EARLY_EXIT and confirmed:
                break
        if best is not None:
            return self._result(best[1], best[2], "converged", its, best[4], starts, best[3])
        if fallback is not None:
            return self._result(fallback[0], fallback[1], "not_converged", its, False, starts, fallback[2])
        return None

    def _stable_end(self, pt, tol: float = 1e-6, near: float = 1e-2) -> bool:
        """Did the exact stage of a KKT point only correct its relaxed end (within ``near``), and is the
        point strictly complementary (every follower constraint inactive, ``g_i < -tol``, or ``lam_i > tol``)?"""
        n, m = self.x_dim, self.y_dim
        if not np.allclose(pt.relaxed[:n + m], np.concatenate([pt.x, pt.y]), rtol=near, atol=near):
            return False
        if self.g is None:
            return True
        with torch.no_grad():
            g = self.g(torch.as_tensor(pt.x, dtype=torch.float64)[None],
                       torch.as_tensor(pt.y, dtype=torch.float64)[None])[0].numpy()
        return bool(np.all((g < -tol) | (pt.lam > tol)))

    def _follower_set_fixed(self, xs, ys) -> bool:
        """Does the follower's feasible set not depend on ``x`` (``g`` None, or ``d g / d x = 0`` at the starts)?"""
        if self.g is None:
            return True
        X = xs.clone().requires_grad_(True)
        with torch.enable_grad():
            out = self.g(X, ys)
            if not out.requires_grad:
                return True
            (J,) = torch.autograd.grad(out.sum(), X, allow_unused=True)
        return J is None or bool((J == 0).all())

    def _interrupted(self, found: dict, x0, y0, starts) -> BolibResult:
        """What Ctrl-C in the KKT stage returns: the best verified point, else the best KKT point seen
        (constraints within 1e-6), else the start; status ``interrupted``."""
        if "verified" in found:
            return replace(found["verified"], status="interrupted", converged=False)
        if "best" in found:
            _, x, y, res = found["best"]
            return self._result(x, y, "interrupted", 0, None, starts, res)
        return self._result(x0, y0, "interrupted", 0, None, starts, None)

    def _result(self, x, y, status, its, lower_ok, starts, stationarity, method="kkt") -> BolibResult:
        ev = self.evaluate(x, y)
        return BolibResult(F=ev["F"], f=ev["f"], x=[float(v) for v in x], y=[float(v) for v in y],
                           iterations=its, converged=status == "converged", seconds=0.0,
                           max_violation=ev["max_violation"], stages=1, status=status, lower_ok=lower_ok,
                           starts=starts, method=method, stationarity=stationarity)

    def _better_result(self, a: BolibResult, b: BolibResult) -> bool:
        """Is result ``a`` better than ``b`` (feasible and follower-optimal first, then feasible, then lower F)?"""
        def key(r):  # verified, then feasible (y not the follower's optimum), then the least infeasible
            feasible = r.status not in _NO_START and r.max_violation <= _FEAS_TOL and math.isfinite(r.F)
            rank = 0 if feasible and r.lower_ok is not False else 1 if feasible else 2
            return (rank, r.F if feasible else r.max_violation)

        ka, kb = key(a), key(b)
        return ka[0] < kb[0] or (ka[0] == kb[0] and ka[1] < kb[1] - 1e-9 * (1 + abs(kb[1])))

    def _polish(self, res: BolibResult, check_lower: bool, seed: int) -> BolibResult:
        """The final polish of an implicit result on the exact KKT system (kept when verified and no worse)."""
        from .kkt import kkt_solve

        if res.status in _NO_START or not all(math.isfinite(v) for v in res.x + res.y):
            return res
        try:
            pt = kkt_solve(self, res.x, res.y, eps_path=(0.0,))
        except KeyboardInterrupt:
            return replace(res, status="interrupted")
        if pt is None:
            return res
        feasible, lower_ok, _ = self._verify(pt.x, pt.y, seed, check_lower)
        if not feasible or lower_ok is False:
            return res
        tol = 1e-6 * max(1.0, abs(res.F))
        if res.max_violation <= _FEAS_TOL and res.lower_ok is not False and pt.F > res.F + tol:
            return res
        ev = self.evaluate(pt.x, pt.y)
        status = "converged" if res.status == "not_converged" else res.status
        return replace(res, F=ev["F"], f=ev["f"], x=pt.x.tolist(), y=pt.y.tolist(),
                       max_violation=ev["max_violation"], status=status, converged=status == "converged",
                       lower_ok=lower_ok, stationarity=pt.max_violation, relaxed=0.0)

    def _solve_relaxing(self, x0, y0, starts, seed, relax, check_lower, options, t0) -> BolibResult:
        res = self._solve_batch(x0, y0, starts, seed, check_lower, options)
        rest = options.get("time_limit")
        left = math.inf if rest is None else rest - (time.perf_counter() - t0)
        if res.status in _NO_START and relax and (self.G is not None or self.g is not None) and left > 4 * _RESERVE:
            if rest is not None:
                options = {**options, "time_limit": left}
            res2 = self.relaxed(relax)._solve_batch(x0, y0, starts, seed, check_lower, options)
            if res2.status not in _NO_START:
                ev = self.evaluate(res2.x, res2.y)
                res = replace(res2, F=ev["F"], f=ev["f"], max_violation=ev["max_violation"], relaxed=relax)
        return replace(res, seconds=time.perf_counter() - t0)

    def _run_layer(self, xs, ys, options):
        layer = self.layer(**{"on_fail": "ignore", **options})
        z = torch.zeros(xs.shape[0], 1, dtype=torch.float64)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with torch.no_grad():
                x, y = layer(z, x0=xs, y0=ys)
        status = layer.last_forward_status or ["not_converged"] * xs.shape[0]
        its = int(sum(int(s.iterations.sum()) for s in layer.last_forward_stages))
        return x, y, status, its, len(layer.last_forward_stages)

    def _solve_batch(self, x0, y0, starts, seed, check_lower, options) -> BolibResult:
        """The given start, then a budgeted multistart screening and refinement (see :meth:`solve`)."""
        t0, limit = time.perf_counter(), options.get("time_limit")

        def left(reserve=0.0):  # seconds left for a step that must leave ``reserve`` for what follows
            return math.inf if limit is None else limit - (time.perf_counter() - t0) - reserve

        def opts(reserve, **extra):
            o = {**options, **extra}
            if limit is not None:
                o["time_limit"] = max(left(reserve), 1e-3)
            return o

        xs, ys = self.start_points(x0, y0, starts, seed)
        x, y, status, its, nst = self._run_layer(xs[:1], ys[:1], opts(_RESERVE))
        first_seconds = time.perf_counter() - t0
        check = check_lower and status[0] not in _NO_START and left() > _RESERVE / 2
        lower_ok = self._lower_ok(x[0], y[0], seed) if check else None
        best = (x[0], y[0], status[0], lower_ok)
        budget = min(_SCREEN_BUDGET * max(first_seconds, _SCREEN_MIN_SECONDS), left(2 * _RESERVE))
        if starts > 1 and budget > 0 and status[0] != "interrupted":
            cand = self._screen(xs[1:], ys[1:], seed, check_lower, options, budget, left)
            if cand is not None and self._better(cand, best) and left(_RESERVE) > 0:
                t_screen = min(_SCREEN_T, options.get("barrier_t", 1e8))
                x1, y1, s1, its1, nst1 = self._run_layer(cand[0][None], cand[1][None],
                                                         opts(_RESERVE / 2, barrier_t0=t_screen))
                its, nst = its + its1, nst + nst1
                refined = (x1[0], y1[0], s1[0], cand[3])
                best = refined if self._better(refined, best) else best
        xb, yb, st, lower_ok = best
        ev = self.evaluate(xb, yb)
        return BolibResult(
            F=ev["F"], f=ev["f"], x=xb.tolist(), y=yb.tolist(), iterations=its,
            converged=st == "converged", seconds=0.0, max_violation=ev["max_violation"],
            stages=nst, status=st, lower_ok=lower_ok, starts=xs.shape[0],
        )

    def _lower_ok(self, x, y, seed) -> bool:
        from .check import lower_level_multistart

        return lower_level_multistart(self, x, y, seed=seed)

    def _screen(self, xs, ys, seed, check_lower, options, budget, left):
        """One batch of starts at a loose barrier within ``budget`` seconds -> the best ``(x, y, status, lower_ok)``."""
        screen = {"maxiter": _SCREEN_MAXITER, **options, "barrier_t": min(_SCREEN_T, options.get("barrier_t", 1e8)),
                  "time_limit": budget}
        x, y, status, _, _ = self._run_layer(xs, ys, screen)
        for k in self._ranking(x, y, status)[:_LOWER_CANDIDATES]:
            if status[k] in _NO_START + ("interrupted",):
                return None
            lower_ok = self._lower_ok(x[k], y[k], seed) if check_lower and left(_RESERVE) > 0 else None
            if lower_ok is not False:
                return x[k], y[k], status[k], lower_ok
        return None

    def _better(self, a, b) -> bool:
        """Is candidate ``a = (x, y, status, lower_ok)`` better than ``b`` (feasible, follower-optimal, lower F)?"""
        def key(c):
            ev = self.evaluate(c[0], c[1])
            ok = c[2] not in _NO_START and ev["max_violation"] <= 1e-6 and c[3] is not False
            return (0 if ok else 1, ev["F"] if ok else ev["max_violation"])

        ka, kb = key(a), key(b)
        return ka[0] < kb[0] or (ka[0] == kb[0] and ka[1] < kb[1] - 1e-9 * (1 + abs(kb[1])))

    def _ranking(self, x, y, status) -> list[int]:
        """Members ordered: feasible (constraints <= 1e-6) by F, then the others by violation."""
        with torch.no_grad():
            F = self.F(x, y)
            viol = torch.stack([c(x, y).max(dim=1).values for c in (self.G, self.g) if c is not None]).max(0).values \
                if (self.G is not None or self.g is not None) else torch.full_like(F, -1.0)
        keys = []
        for k, st in enumerate(status):
            ok = st not in _NO_START and bool(viol[k] <= 1e-6) and bool(torch.isfinite(F[k]))
            keys.append((0 if ok else 1, float(F[k]) if ok else float(viol[k]), k))
        return [k for *_, k in sorted(keys)]

"""Measure the BOLIB collection: bigrad and the SLSQP-KKT peer from the same starts (``bigrad bench bolib``).

For every problem (default: :data:`bigrad.bolib.VERIFIABLE`) both methods start
from the problem's ``x0, y0`` (zeros clipped into the simple bounds), in this
process, one after the other.  A result is *solved* when

* ``F`` is within ``1e-3 * max(1, |F*|)`` of the published ``F*`` (or below it:
  a better point, reported as such),
* every upper- and lower-level constraint is ``<= 1e-5``, and
* ``y`` is optimal for the follower at the returned ``x``: a multistart SLSQP on
  the lower level (:func:`bigrad.bolib.peer.lower_level_check`) finds nothing
  better by more than ``1e-4 * max(1, |f|)``.

Writes ``results.jsonl`` (one row per problem and method), ``REPORT.md`` and
``profile.png`` (a performance profile over solved problems) to ``out``.
Usage: ``bigrad bench bolib [NAME...] --out DIR --time-limit 30``.
"""
from __future__ import annotations

import json
import math
import os
import platform
import statistics
import time
from pathlib import Path

import torch

from .library import BOLIB, VERIFIABLE
from .peer import kkt_slsqp, lower_level_check

__all__ = ["judge", "run_collection", "write_report"]

F_RTOL, VIOL_TOL = 1e-3, 1e-5


def printed_tolerance(value: float) -> float:
    """Half a unit of the last decimal BOLIB printed (``0.19`` -> 0.005); 0 for integers (taken as exact)."""
    text = repr(float(value))
    decimals = len(text.split(".")[1].rstrip("0")) if "." in text and "e" not in text else 0
    return 0.5 * 10.0 ** (-decimals) if decimals else 0.0


def judge(p, F: float, x, y, max_violation: float) -> tuple[bool, str]:
    """``(solved, reason)`` for a returned point (see the module docstring).

    A point below ``F*`` by more than the tolerance is *better than F*-- only when it is
    also beyond the rounding of the printed ``F*`` (:func:`printed_tolerance`);
    otherwise the reason says ``below the rounded F*``.
    """
    if not math.isfinite(F):
        return False, "no finite result"
    if not max_violation <= VIOL_TOL:
        return False, f"infeasible point (max constraint {max_violation:.2g})"
    tol = F_RTOL * max(1.0, abs(p.F_star))
    if F > p.F_star + tol:
        if F <= p.F_star + max(tol, printed_tolerance(p.F_star)):
            return False, f"F = {F:.6g} above F* = {p.F_star:g}, within the rounding of the printed F*"
        return False, f"F = {F:.6g} above F* = {p.F_star:g}"
    ll = lower_level_check(p, x, y)
    if not ll["ok"]:
        return False, f"y not optimal for the follower (f = {ll['f']:.6g}, multistart finds {ll['f_best']:.6g})"
    if F < p.F_star - max(tol, printed_tolerance(p.F_star)):
        return True, f"better than F* = {p.F_star:g} (feasible, follower optimal)"
    if F < p.F_star - tol:
        return True, f"below the rounded F* = {p.F_star:g} (F = {F:.6g})"
    return True, ""


def _bigrad_row(p, time_limit, options):
    try:
        r = p.solve(time_limit=time_limit, **options)
    except Exception as exc:  # a bug must show up in the report, not stop the run
        return {"status": "error", "F": None, "seconds": None, "solved": False, "reason": f"{type(exc).__name__}: {exc}"}
    ok, why = judge(p, r.F, r.x, r.y, r.max_violation)
    if r.status in ("infeasible", "phase1_failed"):
        why = f"{r.status}: phase 1 found no feasible start" + (f"; {why}" if why else "")
    return {"status": r.status, "F": r.F, "f": r.f, "x": r.x, "y": r.y, "seconds": r.seconds,
            "max_violation": r.max_violation, "solved": ok, "reason": why, "lower_ok": r.lower_ok,
            "relaxed": r.relaxed, "stage": r.method, "stationarity": r.stationarity}


def _peer_row(p):
    try:
        r = kkt_slsqp(p)
    except Exception as exc:
        return {"status": "error", "F": None, "seconds": None, "solved": False, "reason": f"{type(exc).__name__}: {exc}"}
    ok, why = judge(p, r["F"], r["x"], r["y"], r["max_violation"])
    return {"status": "success" if r["success"] else "failure", "F": r["F"], "f": r["f"], "x": r["x"], "y": r["y"],
            "seconds": r["seconds"], "max_violation": r["max_violation"], "solved": ok, "reason": why}


def run_collection(names=None, out: str | Path = "bolib-bench", *, time_limit: float = 30.0,
                   peer: bool = True, progress: bool = True, options: dict | None = None,
                   resume: bool = False) -> list[dict]:
    """Solve ``names`` (default: the verifiable problems) with bigrad and the peer; rows are also written to
    ``out/results.jsonl`` as they come (``resume``: keep the rows already there, solve the rest)."""
    names = list(VERIFIABLE if not names else names)
    unknown = [n for n in names if n not in BOLIB]
    if unknown:
        raise ValueError(f"unknown BOLIB problem(s) {unknown}")
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    env = {"torch_threads": torch.get_num_threads(), "load": os.getloadavg()[0], "machine": platform.machine(),
           "time_limit": time_limit}
    rows = []
    path = out / "results.jsonl"
    if resume and path.exists():
        rows = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    done = {(r["problem"], r["method"]) for r in rows}
    with open(path, "a" if resume else "w") as fh:
        for k, name in enumerate(names):
            p = BOLIB[name]
            methods = [("bigrad", lambda p=p: _bigrad_row(p, time_limit, options or {}))]
            if peer:
                methods.append(("kkt-slsqp", lambda p=p: _peer_row(p)))
            for method, fn in methods:
                if (name, method) in done:
                    continue
                row = {"problem": name, "method": method, "F_star": p.F_star, **fn(), **env}
                rows.append(row)
                fh.write(json.dumps(row) + "\n")
                fh.flush()
                if progress:
                    print(f"[{k + 1}/{len(names)}] {name:32s} {method:9s} {row['status']:13s} "
                          f"{'solved' if row['solved'] else 'no':6s} {row['seconds'] or 0:.3f}s {row['reason']}",
                          flush=True)
    write_report(rows, out)
    return rows


def summarize(rows: list[dict]) -> dict:
    """Per method: ``solved``, ``problems``, ``infeasible`` verdicts, ``errors``, ``past_limit``, median seconds."""
    out = {}
    for method in dict.fromkeys(r["method"] for r in rows):
        rs = [r for r in rows if r["method"] == method]
        secs = [r["seconds"] for r in rs if r["seconds"] is not None]
        limit = rs[0].get("time_limit") or math.inf
        out[method] = {
            "problems": len(rs), "solved": sum(r["solved"] for r in rs),
            "infeasible": sum(r["status"] in ("infeasible", "phase1_failed") for r in rs),
            "errors": sum(r["status"] == "error" for r in rs),
            "past_limit": sum(s > limit + 0.5 for s in secs),
            "median_seconds": statistics.median(secs) if secs else None,
            "better_than_published": sum(r["solved"] and r["reason"].startswith("better") for r in rs),
            "within_rounding": sum(r["solved"] or "within the rounding" in r["reason"] for r in rs),
        }
    return out


def _profile(rows, path: Path) -> bool:
    """Performance profile (Dolan-More) over the problems: time ratio to the best method, unsolved = inf."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return False
    methods = list(dict.fromkeys(r["method"] for r in rows))
    by = {(r["problem"], r["method"]): r for r in rows}
    problems = list(dict.fromkeys(r["problem"] for r in rows))
    ratios: dict[str, list[float]] = {m: [] for m in methods}
    for pname in problems:
        t = {m: by[pname, m]["seconds"] if (pname, m) in by and by[pname, m]["solved"] else math.inf for m in methods}
        best = min(t.values())
        for m in methods:
            ratios[m].append(t[m] / best if math.isfinite(t[m]) else math.inf)
    fig, ax = plt.subplots(figsize=(6, 4))
    taus = [2 ** (k / 4) for k in range(0, 60)]
    for m in methods:
        ax.step(taus, [sum(r <= tau for r in ratios[m]) / len(problems) for tau in taus], where="post", label=m)
    ax.set_xscale("log", base=2)
    ax.set_xlabel("time ratio to the fastest method that solved the problem (tau)")
    ax.set_ylabel("fraction of problems solved within tau")
    ax.set_ylim(0, 1)
    ax.legend()
    ax.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return True


def write_report(rows: list[dict], out: str | Path) -> Path:
    """``out/REPORT.md`` (summary, unsolved problems with reasons, per-problem table) and ``out/profile.png``."""
    out = Path(out)
    summ = summarize(rows)
    lines = ["# BOLIB: bigrad vs the SLSQP-KKT peer", "",
             f"Problems: {len(dict.fromkeys(r['problem'] for r in rows))}; start: zeros clipped into the simple "
             f"bounds; time limit {rows[0].get('time_limit') if rows else '-'} s per problem; load at start "
             f"{rows[0].get('load', float('nan')) if rows else float('nan'):.2f}; torch threads "
             f"{rows[0].get('torch_threads') if rows else '-'}.", "",
             "| method | solved | solved up to the rounding of F* | no feasible start | errors | past limit | "
             "median s | better than F* |",
             "|---|---|---|---|---|---|---|---|"]
    for m, s in summ.items():
        med = "-" if s["median_seconds"] is None else f"{s['median_seconds']:.3f}"
        lines.append(f"| {m} | {s['solved']}/{s['problems']} | {s['within_rounding']} | {s['infeasible']} | "
                     f"{s['errors']} | {s['past_limit']} | {med} | {s['better_than_published']} |")
    if _profile(rows, out / "profile.png"):
        lines += ["", "![performance profile](profile.png)"]
    lines += ["", "## Not solved", "", "| problem | method | status | F | F* | reason |", "|---|---|---|---|---|---|"]
    for r in rows:
        if not r["solved"]:
            F = "-" if r["F"] is None else f"{r['F']:.6g}"
            lines.append(f"| {r['problem']} | {r['method']} | {r['status']} | {F} | {r['F_star']:g} | {r['reason']} |")
    lines += ["", "## All results", "", "| problem | method | solved | F | F* | seconds |", "|---|---|---|---|---|---|"]
    for r in rows:
        F = "-" if r["F"] is None else f"{r['F']:.6g}"
        sec = "-" if r["seconds"] is None else f"{r['seconds']:.3f}"
        lines.append(f"| {r['problem']} | {r['method']} | {'yes' if r['solved'] else 'no'} | {F} | "
                     f"{r['F_star']:g} | {sec} |")
    path = out / "REPORT.md"
    path.write_text("\n".join(lines) + "\n")
    return path


def main(argv=None) -> int:
    import argparse

    ap = argparse.ArgumentParser(prog="python -m bigrad.bolib.runner", description=__doc__.split("\n")[0])
    ap.add_argument("names", nargs="*")
    ap.add_argument("--out", default="bolib-bench")
    ap.add_argument("--time-limit", type=float, default=30.0)
    ap.add_argument("--no-peer", action="store_true")
    ap.add_argument("--starts", type=int, default=None, help="multistart size of bigrad (default: its default)")
    ap.add_argument("--resume", action="store_true", help="keep the rows of OUT/results.jsonl, solve the rest")
    args = ap.parse_args(argv)
    torch.set_num_threads(1)
    t0 = time.perf_counter()
    options = {} if args.starts is None else {"starts": args.starts}
    rows = run_collection(args.names, args.out, time_limit=args.time_limit, peer=not args.no_peer, options=options,
                          resume=args.resume)
    for m, s in summarize(rows).items():
        print(m, s)
    print(f"total {time.perf_counter() - t0:.1f} s; report in {Path(args.out) / 'REPORT.md'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Command-line interface: ``bigrad <subcommand> ...``.

Subcommands register themselves in :data:`SUBCOMMANDS` as
``(name, add_arguments, run)`` where ``add_arguments(parser)`` declares the
options and ``run(args) -> int`` returns the exit code.  New subcommands (e.g.
``demo``, ``experiments``) are added by appending to that list.

``bigrad miblp FILE.mps FILE.aux`` solves a mixed-integer bilevel linear
program in MibS/BOBILib format; exit code 0 when solved to optimality, 1 for
any other final status (infeasible, unbounded, limits), 2 for bad input, 3 for
a solver failure, 130 when interrupted by Ctrl-C (the best point found so far
is printed first).  ``--json`` prints one JSON object instead of the report.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

__all__ = ["main", "SUBCOMMANDS"]


# --------------------------------------------------------------------- miblp
def _miblp_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("mps", metavar="FILE.mps", help="instance in MPS format")
    parser.add_argument("aux", metavar="FILE.aux", help="MibS/BOBILib auxiliary file (index- or name-based)")
    parser.add_argument("--time-limit", type=float, default=None, metavar="SECONDS",
                        help="wall-clock limit for the solve (default: none)")
    parser.add_argument("--gap", type=float, default=1e-6, help="relative optimality gap (default 1e-6)")
    parser.add_argument("--abs-gap", type=float, default=1e-6, help="absolute optimality gap (default 1e-6)")
    parser.add_argument("--max-iterations", type=int, default=1000, help="maximal number of master problems")
    parser.add_argument("--fixed-mps", action="store_true", help="read the MPS file in fixed (column) format")
    parser.add_argument("--quiet", action="store_true", help="do not print the per-iteration progress")
    parser.add_argument("--json", action="store_true",
                        help="print one JSON object (status, objective, bounds, gap, solution, timings) and nothing else")
    parser.add_argument("--method", choices=["auto", "ccg", "interdiction", "enumerate"], default="auto",
                        help="auto (default): interdiction cut loop when the structure allows, enumeration "
                             "of small integer linking-decision spaces (<= 400), else ccg")
    parser.add_argument("--dual", choices=["auto", "kkt", "regions", "enumerate"], default="auto",
                        help="ccg's projection-set blocks: auto (default): KKT blocks when the follower's dual "
                             "polyhedron is bounded, else critical-region cuts, else vertex enumeration")


#: exit code of ``bigrad miblp`` after Ctrl-C (128 + SIGINT, as shells report it)
EXIT_INTERRUPTED = 130


def _miblp_run(args: argparse.Namespace) -> int:
    import os

    # HiGHS runs on one thread and the numpy work is small: OpenBLAS's thread pool would only
    # add about 50 ms to the start-up (measured on 2 cores); the user's own setting wins
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS"):
        os.environ.setdefault(var, "1")
    try:
        return _miblp_solve(args)
    except KeyboardInterrupt:  # Ctrl-C outside the solver (reading the files, importing)
        print("bigrad miblp: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED


def _miblp_solve(args: argparse.Namespace) -> int:
    import json
    import time

    from bigrad import miblp

    t0 = time.perf_counter()
    try:
        problem = miblp.read_mps_aux(args.mps, args.aux, mps_format="fixed" if args.fixed_mps else "free")
    except (OSError, ValueError) as exc:
        print(f"bigrad miblp: error: {exc}", file=sys.stderr)
        return 2
    read_time = time.perf_counter() - t0
    n_f = int(problem.follower_vars.sum())
    if not args.json:
        print(f"instance {problem.name}: {problem.n} variables ({problem.n - n_f} leader, {n_f} follower), "
              f"{problem.m} rows ({int(problem.follower_rows.sum())} follower), "
              f"follower {problem.follower_sense}imises")
        for note in problem.notes:
            print(f"note: {note}")
    try:
        result = miblp.solve(problem, time_limit=args.time_limit, gap=args.gap, abs_gap=args.abs_gap,
                             max_iterations=args.max_iterations, verbose=not (args.quiet or args.json),
                             method=args.method, dual=args.dual)
    except (TypeError, ValueError) as exc:
        print(f"bigrad miblp: error: {exc}", file=sys.stderr)
        return 2
    except RuntimeError as exc:
        print(f"bigrad miblp: solver failure: {exc}", file=sys.stderr)
        return 3
    names = problem.var_names or [f"v{j}" for j in range(problem.n)]
    if args.json:
        out = result.to_dict()
        out["instance"] = problem.name
        out["timings"]["read"] = read_time
        out["leader_names"] = [names[j] for j in problem.leader_idx]
        out["follower_names"] = [names[j] for j in problem.follower_idx]
        print(json.dumps(out, indent=1))
    else:
        print(result.summary())
        if result.values is not None:
            nonzero = [(names[j], result.values[j]) for j in range(problem.n) if abs(result.values[j]) > 1e-9]
            shown = ", ".join(f"{nm}={val:.6g}" for nm, val in nonzero[:30])
            more = f" ... ({len(nonzero) - 30} more)" if len(nonzero) > 30 else ""
            print(f"nonzero values     : {shown or '(all zero)'}{more}")
    if result.status == "interrupted":
        print(f"bigrad miblp: interrupted ({result.message})", file=sys.stderr)
        return EXIT_INTERRUPTED
    if result.status != "optimal":
        print(f"bigrad miblp: not solved to optimality: {result.status} ({result.message})", file=sys.stderr)
        return 1
    return 0


#: (name, help, add_arguments, run)
# ------------------------------------------------------------ demo, experiments
def _torch_threads_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--torch-threads", type=int, default=1, metavar="N",
                        help="torch intra-op threads (default 1: the models are tiny, and torch's OpenMP "
                             "spin-waiting slows everything down when the cores are shared)")


def _set_torch_threads(n: int) -> None:
    from bigrad._optional import require_torch

    torch = require_torch("this command")

    if n < 1:
        raise SystemExit("bigrad: error: --torch-threads must be >= 1")
    torch.set_num_threads(n)


def _demo_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", default="out/demo", help="folder for the tables and plots (default out/demo)")
    _torch_threads_argument(parser)


def _demo_run(args: argparse.Namespace) -> int:
    from bigrad.experiments.run import demo, writable_dir

    _set_torch_threads(args.torch_threads)
    try:  # before the run, as for experiments
        writable_dir(args.out, "--out")
    except (OSError, ValueError) as exc:
        print(f"bigrad demo: error: {exc}", file=sys.stderr)
        return 2
    demo(out_dir=args.out)
    return 0


def _experiments_arguments(parser: argparse.ArgumentParser) -> None:
    from bigrad.experiments.run import EXPERIMENTS

    parser.add_argument("which", nargs="*", default=["all"], choices=["all", *EXPERIMENTS], metavar="TABLE",
                        help="which tables, one or more of control (1), adversarial (2), warcraft (3), tsp (4); "
                             "default all")
    parser.add_argument("--out", default="out/experiments", help="folder for REPORT.md, results.json and plots")
    scale = parser.add_mutually_exclusive_group()
    scale.add_argument("--quick", action="store_true",
                       help="smallest configuration, one seed unless --seeds says otherwise (a CI smoke test)")
    scale.add_argument("--full", action="store_true",
                       help="the paper-scale presets of Tables 3 and 4 (prints the estimated wall time first; "
                            "Tables 3 and 4 took 40 minutes with 2 jobs on an idle 2-core machine)")
    parser.add_argument("--seeds", type=int, default=None, metavar="N",
                        help="average over seeds 0..N-1 (default 3; 1 with --quick)")
    parser.add_argument("--data", default=None, metavar="DIR",
                        help="each table's own data, found by its layout: CIFAR-10 in its python-pickle layout "
                             "(data_batch_1..5, test_batch) for the adversarial table (default: scikit-learn's bundled "
                             "digits); the Warcraft shortest-path dataset (12x12/{train,val,test}_{maps,shortest_paths,"
                             "vertex_weights}.npy, ...) for the warcraft table (default: synthetic maps)")
    parser.add_argument("--jobs", type=int, default=None, metavar="N",
                        help="worker processes for Tables 3 and 4 (one size or k and seed each; the results do not "
                             "depend on it; default: the number of cores with --full, else 1)")
    _torch_threads_argument(parser)


def _experiments_run(args: argparse.Namespace) -> int:
    from bigrad.experiments import run

    _set_torch_threads(args.torch_threads)
    n = args.seeds if args.seeds is not None else (1 if args.quick else 3)
    if n < 1:
        print("bigrad experiments: error: --seeds must be >= 1", file=sys.stderr)
        return 2
    if args.data is not None and not Path(args.data).is_dir():
        print(f"bigrad experiments: error: --data {args.data}: no such folder", file=sys.stderr)
        return 2
    jobs = args.jobs if args.jobs is not None else (os.cpu_count() or 1) if args.full else 1
    if jobs < 1:
        print(f"bigrad experiments: error: --jobs must be >= 1, got {jobs}", file=sys.stderr)
        return 2
    try:  # before any table is computed: a run that cannot write its report would be lost
        run.writable_dir(args.out, "--out")
        which = "all" if "all" in args.which else args.which[0] if len(args.which) == 1 else args.which
        run.check_data(which, args.data, args.quick)
    except (OSError, ValueError) as exc:
        print(f"bigrad experiments: error: {exc}", file=sys.stderr)
        return 2
    run.experiments(which, quick=args.quick, seeds=range(n), out_dir=args.out, command=run.command_line(),
                    data=args.data, full=args.full, jobs=jobs)
    return 0


# ------------------------------------------------------------------- bench
def _bench_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("suite", choices=["miblp", "tsp", "bolib", "report"],
                        help="miblp: MPS+AUX pairs; tsp: TSPLIB .tsp files; bolib: BOLIB problem names (or none: the "
                             "verifiable ones of bigrad.bolib.BOLIB, with the SLSQP-KKT peer; --out is a folder);"
                             " report: compare result files (PATH... are .jsonl files)")
    parser.add_argument("paths", nargs="*", metavar="PATH", help="files or folders (searched recursively)")
    parser.add_argument("--out", default=None,
                        help="result file (default results.jsonl); for report: the Markdown file (default "
                             "bench-report.md, the profile plot beside it)")
    parser.add_argument("--time-limit", type=float, default=None, metavar="S", help="seconds per instance")
    parser.add_argument("--memory-limit", type=float, default=None, metavar="MB",
                        help="memory per instance process in MB (default: half of RAM / workers)")
    parser.add_argument("--workers", type=int, default=1, help="instances solved at once (default 1)")
    parser.add_argument("--resume", action="store_true", help="skip the instances already in the result file")
    parser.add_argument("--optima", default=None, metavar="FILE", help="known optima: 'NAME VALUE' per line")
    parser.add_argument("--backend", choices=["local", "ray"], default="local",
                        help="local worker processes (default) or a Ray cluster")
    parser.add_argument("--ray-address", default=None, help="Ray cluster address (default: start a local one)")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")


def _bench_bolib(args: argparse.Namespace) -> int:
    """``bigrad bench bolib [NAME...]``: the BOLIB collection, bigrad and the SLSQP-KKT peer side by side."""
    try:
        from bigrad.bolib import runner
    except ImportError as exc:  # torch missing
        print(f"bigrad bench: error: {exc}", file=sys.stderr)
        return 2
    if args.time_limit is not None and not args.time_limit > 0:
        print(f"bigrad bench: error: --time-limit must be > 0 s, got {args.time_limit}", file=sys.stderr)
        return 2
    import torch

    torch.set_num_threads(1)
    out = args.out or "bolib-bench"
    try:
        rows = runner.run_collection(args.paths or None, out, time_limit=args.time_limit or 30.0,
                                     resume=args.resume, progress=not args.no_progress)
    except (OSError, ValueError) as exc:
        print(f"bigrad bench: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"\nbigrad bench: interrupted; finished rows are in {out}/results.jsonl (run again with --resume)",
              file=sys.stderr)
        return 130
    for method, s in runner.summarize(rows).items():
        print(f"{method}: solved {s['solved']}/{s['problems']}, median {s['median_seconds']:.3f} s, "
              f"no feasible start {s['infeasible']}, errors {s['errors']}, past the limit {s['past_limit']}")
    print(f"report: {out}/REPORT.md, profile: {out}/profile.png")
    return 0


def _bench_run(args: argparse.Namespace) -> int:
    from bigrad import suite

    if args.suite == "bolib":
        return _bench_bolib(args)
    try:
        if args.suite == "report":
            report = suite.write_report(args.paths, args.out or "bench-report.md",
                                        warn=lambda msg: print(f"bigrad bench: warning: {msg}", file=sys.stderr))
            print(report.read_text())
            print(f"report written to {report}")
            return 0
        if args.workers < 1:
            raise ValueError(f"--workers must be >= 1, got {args.workers}")
        if args.memory_limit is not None and args.memory_limit <= 0:
            raise ValueError(f"--memory-limit must be > 0 MB, got {args.memory_limit}")
        instances = suite.discover(args.suite, args.paths, args.optima)
        if not instances:
            raise ValueError(f"no {args.suite} instances found under {' '.join(args.paths) or '(nothing)'}")
    except (OSError, ValueError) as exc:
        print(f"bigrad bench: error: {exc}", file=sys.stderr)
        return 2
    from bigrad._limits import _physical_memory

    memory = (int(args.memory_limit * 2**20) if args.memory_limit is not None
              else _physical_memory() // 2 // args.workers)
    out = args.out or "results.jsonl"
    print(f"bigrad bench {args.suite}: {len(instances)} instance(s), {args.workers} worker(s), "
          f"time limit {args.time_limit or 'none'} s, memory limit {memory / 2**20:.0f} MB -> {out}")
    try:
        rows = suite.run_suite(instances, out, workers=args.workers, time_limit=args.time_limit,
                               memory_limit=memory, resume=args.resume, backend=args.backend,
                               ray_address=args.ray_address, progress=not args.no_progress)
    except KeyboardInterrupt:
        print(f"\nbigrad bench: interrupted; finished rows are in {out} (run again with --resume)", file=sys.stderr)
        return 130
    except (OSError, ValueError) as exc:  # the result file cannot be written (checked before any solve)
        print(f"bigrad bench: error: --out: {exc}", file=sys.stderr)
        return 2
    solved = sum(r["status"] == "optimal" for r in rows)
    wrong = sum(r.get("reference_match") is False for r in rows)
    print(f"{len(rows)} row(s) written to {out}: {solved} optimal, {len(rows) - solved} other"
          + (f", {wrong} contradicting a known optimum" if wrong else ""))
    return 0


SUBCOMMANDS = [
    ("miblp", "solve a mixed-integer bilevel linear program (MPS + AUX files)", _miblp_arguments, _miblp_run),
    ("demo", "the main job on embedded defaults: solver check and a small learning run", _demo_arguments,
     _demo_run),
    ("experiments", "reproduce the paper's Tables 1-4 (REPORT.md, results.json, plots)", _experiments_arguments,
     _experiments_run),
    ("bench", "run a benchmark suite (miblp, tsp, bolib) in parallel, or compare result files (report)",
     _bench_arguments, _bench_run),
]


def build_parser(argv=None) -> argparse.ArgumentParser:
    """The top-level parser with one sub-parser per entry of :data:`SUBCOMMANDS`.

    With ``argv`` (the arguments about to be parsed) only the sub-parser of the command named
    there gets its arguments: declaring some (``experiments``) imports numpy and more, which
    ``bigrad miblp`` on a small file would otherwise pay for at every start.
    """
    from bigrad import __version__

    parser = argparse.ArgumentParser(prog="bigrad", description="bigrad command-line tools")
    parser.add_argument("--version", action="version", version=f"bigrad {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    names = [entry[0] for entry in SUBCOMMANDS]
    chosen = None if argv is None else next((a for a in argv if a in names), None)
    for name, help_text, add_arguments, run in SUBCOMMANDS:
        p = sub.add_parser(name, help=help_text, description=help_text)
        if argv is None or name == chosen:
            add_arguments(p)
        p.set_defaults(_run=run)
    return parser


def main(argv=None) -> int:
    """Entry point of the ``bigrad`` script; returns the exit code."""
    parser = build_parser(sys.argv[1:] if argv is None else list(argv))
    args = parser.parse_args(argv)
    try:
        return int(args._run(args))
    except ModuleNotFoundError as exc:
        from bigrad._optional import EXTRAS, missing_message

        if exc.name not in EXTRAS:
            raise
        print(f"bigrad {args.command}: error: {missing_message(exc.name, f'bigrad {args.command}')}",
              file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

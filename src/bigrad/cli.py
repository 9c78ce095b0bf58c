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
import sys

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
                             "of tiny integer leader spaces, else ccg")


#: exit code of ``bigrad miblp`` after Ctrl-C (128 + SIGINT, as shells report it)
EXIT_INTERRUPTED = 130


def _miblp_run(args: argparse.Namespace) -> int:
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
                             method=args.method)
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
    import torch

    if n < 1:
        raise SystemExit("bigrad: error: --torch-threads must be >= 1")
    torch.set_num_threads(n)


def _demo_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", default="out/demo", help="folder for the tables and plots (default out/demo)")
    _torch_threads_argument(parser)


def _demo_run(args: argparse.Namespace) -> int:
    from bigrad.experiments.run import demo

    _set_torch_threads(args.torch_threads)
    demo(out_dir=args.out)
    return 0


def _experiments_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("which", nargs="?", default="all", choices=["all", "warcraft", "tsp"],
                        help="which experiment to run (default all)")
    parser.add_argument("--out", default="out/experiments", help="folder for the tables, json and plots")
    parser.add_argument("--quick", action="store_true", help="smallest sizes and fewer epochs (a few minutes)")
    _torch_threads_argument(parser)


def _experiments_run(args: argparse.Namespace) -> int:
    from bigrad.experiments import run

    _set_torch_threads(args.torch_threads)
    if args.which == "all":
        run.experiments(out_dir=args.out, quick=args.quick)
    elif args.which == "warcraft":
        run.warcraft((12,) if args.quick else (12, 18, 24), out_dir=args.out)
    else:
        run.tsp((8,) if args.quick else (8, 10, 12), out_dir=args.out)
    return 0


SUBCOMMANDS = [
    ("miblp", "solve a mixed-integer bilevel linear program (MPS + AUX files)", _miblp_arguments, _miblp_run),
    ("demo", "the main job on embedded defaults: solver check and a small learning run", _demo_arguments,
     _demo_run),
    ("experiments", "reproduce the paper's learning experiments (tables and plots)", _experiments_arguments,
     _experiments_run),
]


def build_parser() -> argparse.ArgumentParser:
    """The top-level parser with one sub-parser per entry of :data:`SUBCOMMANDS`."""
    parser = argparse.ArgumentParser(prog="bigrad", description="bigrad command-line tools")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for name, help_text, add_arguments, run in SUBCOMMANDS:
        p = sub.add_parser(name, help=help_text, description=help_text)
        add_arguments(p)
        p.set_defaults(_run=run)
    return parser


def main(argv=None) -> int:
    """Entry point of the ``bigrad`` script; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    return int(args._run(args))


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

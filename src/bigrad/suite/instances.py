"""Find the instances of a suite under the given paths."""
from __future__ import annotations

import math
from dataclasses import asdict, dataclass, replace
from pathlib import Path

SUITES = ("miblp", "tsp", "bolib")
#: the AUX file of ``NAME.mps`` is the first of ``NAME.aux`` (BOBILib), ``NAME.txt`` (MibS's data folder) found
MIBLP_AUX_SUFFIXES = (".aux", ".txt")


@dataclass(frozen=True)
class Instance:
    """One instance: ``key`` identifies it across runs and machines (``SUITE:NAME``).

    ``files`` are the paths the solver reads; ``reference`` is a known optimum (None if unknown).
    """

    suite: str
    name: str
    key: str
    files: tuple[str, ...] = ()
    reference: float | None = None

    def to_dict(self) -> dict:
        return asdict(self)


def read_optima(path: str | Path | None) -> dict[str, float]:
    """A table of known optima: one ``NAME VALUE`` per line; ``#`` starts a comment.

    Raises ValueError naming the file and line for a malformed line.
    """
    if path is None:
        return {}
    table = {}
    for i, line in enumerate(Path(path).read_text().splitlines(), 1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        parts = line.split()
        try:
            value = float(parts[1])
        except (IndexError, ValueError):
            raise ValueError(f"{path}:{i}: expected 'NAME VALUE', got {line!r}") from None
        if not math.isfinite(value):
            raise ValueError(f"{path}:{i}: the optimum of {parts[0]} must be finite, got {parts[1]}")
        table[parts[0]] = value
    return table


def _files(paths, patterns: tuple[str, ...]) -> list[Path]:
    found = []
    for p in map(Path, paths):
        if p.is_dir():
            for pat in patterns:
                found.extend(sorted(p.rglob(pat)))
        elif p.is_file():
            found.append(p)
        else:
            raise FileNotFoundError(f"{p}: no such file or directory")
    return sorted(set(found))


def _stem(path: Path, suffix: str) -> str:
    name = path.name
    return name[: -len(suffix)] if name.endswith(suffix) else path.stem


def discover(suite: str, paths, optima: str | Path | None = None) -> list[Instance]:
    """The instances of ``suite`` under ``paths`` (files or folders, searched recursively).

    ``miblp``: every ``NAME.mps`` (or ``.mps.gz``) with a ``NAME.aux`` (or MibS's ``NAME.txt``) beside it.
    ``tsp``: every ``NAME.tsp``; the reference optimum is the length of ``NAME.opt.tour``
    beside it when present, else the ``optima`` table's entry.
    ``bolib``: ``paths`` are problem names of :data:`bigrad.bolib.PROBLEMS` (none or ``all``: every one).
    """
    if suite not in SUITES:
        raise ValueError(f"suite must be one of {SUITES}, got {suite!r}")
    table = read_optima(optima)
    if suite == "bolib":
        from bigrad.bolib import PROBLEMS

        names = list(PROBLEMS) if not paths or list(paths) == ["all"] else list(paths)
        unknown = [n for n in names if n not in PROBLEMS]
        if unknown:
            raise ValueError(f"unknown BOLIB problem(s) {unknown}; known: {sorted(PROBLEMS)}")
        return [Instance("bolib", n, f"bolib:{n}", (), table.get(n, PROBLEMS[n].F_star)) for n in names]
    if not paths:
        raise ValueError(f"the {suite} suite needs at least one PATH (a file or folder)")
    out = []
    if suite == "miblp":
        for mps in _files(paths, ("*.mps", "*.mps.gz")):
            if not (mps.name.endswith(".mps") or mps.name.endswith(".mps.gz")):
                continue
            name = _stem(mps, ".mps.gz") if mps.name.endswith(".gz") else mps.stem
            # MibS names its AUX files NAME.txt (data/ of github.com/coin-or/MibS), BOBILib NAME.aux
            aux = next((a for a in (mps.with_name(name + ext) for ext in MIBLP_AUX_SUFFIXES) if a.is_file()), None)
            if aux is not None:
                out.append(Instance("miblp", name, "", (str(mps), str(aux)), table.get(name)))
    else:
        for tsp in _files(paths, ("*.tsp",)):
            if tsp.suffix != ".tsp":
                continue
            tour = tsp.with_name(tsp.stem + ".opt.tour")
            ref = tour_length(tsp, tour) if tour.is_file() else table.get(tsp.stem)
            out.append(Instance("tsp", tsp.stem, "", (str(tsp),), ref))
    return _unique_keys(out)


def _unique_keys(found: list[Instance]) -> list[Instance]:
    """Key each instance ``SUITE:NAME`` (the same on every machine, so runs compare); ``SUITE:DIR/NAME``
    where two files share a name."""
    names = [i.name for i in found]
    return [replace(i, key=f"{i.suite}:{i.name}" if names.count(i.name) == 1
                    else f"{i.suite}:{Path(i.files[0]).parent.name}/{i.name}") for i in found]


def load_tsplib(path: str | Path):
    """``(name, dist)``: a TSPLIB file's full distance matrix ``[n, n]`` (float64), read with tsplib95."""
    import numpy as np

    from bigrad._optional import require

    tsplib95 = require("tsplib95", "the tsp suite")
    problem = tsplib95.load(str(path))
    nodes = list(problem.get_nodes())
    if len(nodes) < 2:
        raise ValueError(f"{path}: a TSP needs at least 2 nodes, got {len(nodes)}")
    dist = np.array([[problem.get_weight(i, j) if i != j else 0 for j in nodes] for i in nodes], dtype=np.float64)
    return problem.name or Path(path).stem, dist


def tour_length(tsp_path: str | Path, tour_path: str | Path) -> float:
    """Length of the tour in a TSPLIB ``.opt.tour`` file on the instance ``tsp_path``."""
    from bigrad._optional import require

    tsplib95 = require("tsplib95", "the tsp suite")
    problem, solution = tsplib95.load(str(tsp_path)), tsplib95.load(str(tour_path))
    return float(problem.trace_tours(solution.tours)[0])

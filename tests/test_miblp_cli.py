"""The ``bigrad miblp`` command line."""
import subprocess
import sys
from pathlib import Path

import pytest

from bigrad.cli import build_parser, main

DATA = Path(__file__).parent / "data" / "miblp"


def test_cli_solves_moore_bard(capsys):
    rc = main(["miblp", str(DATA / "moore_bard.mps"), str(DATA / "moore_bard.aux")])
    out = capsys.readouterr().out
    assert rc == 0
    assert "status             : optimal" in out and "objective          : -22" in out
    assert "x=2, y=2" in out
    # one progress line per iteration after the header
    lines = out.splitlines()
    header = next(i for i, l in enumerate(lines) if l.split()[:3] == ["iter", "LB", "UB"])
    assert lines[header + 1].split()[0] == "1"


def test_cli_quiet_and_limits(capsys):
    rc = main(["miblp", str(DATA / "moore_bard.mps"), str(DATA / "moore_bard_named.aux"),
               "--quiet", "--max-iterations", "1"])
    captured = capsys.readouterr()
    assert rc == 1
    assert "iteration_limit" in captured.out and "not solved to optimality" in captured.err
    assert "iter" not in captured.out.split("status")[0].split("\n", 1)[1]


def test_cli_bad_input_names_file_and_line(tmp_path, capsys):
    bad = tmp_path / "bad.aux"
    bad.write_text("N 1\nM 1\nLC 1\nLR 0\nLO x\n")
    rc = main(["miblp", str(DATA / "moore_bard.mps"), str(bad)])
    err = capsys.readouterr().err
    assert rc == 2 and f"{bad}:5:" in err


def test_cli_missing_file(tmp_path, capsys):
    rc = main(["miblp", str(tmp_path / "none.mps"), str(DATA / "moore_bard.aux")])
    assert rc == 2 and "cannot read" in capsys.readouterr().err


def test_cli_requires_subcommand():
    with pytest.raises(SystemExit) as info:
        main([])
    assert info.value.code == 2
    assert "miblp" in build_parser().format_help()


def test_cli_as_module_interdiction():
    import os

    import bigrad

    src = str(Path(bigrad.__file__).resolve().parent.parent)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([src, os.environ.get("PYTHONPATH", "")]))
    proc = subprocess.run(
        [sys.executable, "-m", "bigrad.cli", "miblp", str(DATA / "knapsack_interdiction.mps"),
         str(DATA / "knapsack_interdiction.aux"), "--fixed-mps"],
        capture_output=True, text=True, timeout=120, env=env,
    )
    assert proc.returncode == 0, proc.stderr
    assert "objective          : 6" in proc.stdout
    assert "Running HiGHS" not in proc.stdout  # the HiGHS banner is suppressed

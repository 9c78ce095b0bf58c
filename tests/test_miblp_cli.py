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


def test_cli_json_output(capsys):
    import json

    mibs = DATA / "mibs"
    rc = main(["miblp", str(mibs / "K5010W01.KNP.mps"), str(mibs / "K5010W01.KNP.txt"), "--json"])
    out = json.loads(capsys.readouterr().out)  # nothing but the JSON object on stdout
    assert rc == 0
    assert out["status"] == "optimal" and out["objective"] == 1401 == out["upper_bound"] == out["lower_bound"]
    assert out["method"] == "interdiction" and len(out["x"]) == len(out["y"]) == 10
    assert out["leader_names"][0] == "interdict_C0000000" and out["follower_names"][0] == "C0000000"
    assert {"read", "setup", "master", "follower", "total"} <= set(out["timings"])
    assert out["bilevel_feasible"] is True


def test_cli_ctrl_c_prints_incumbent_and_exits_130():
    """SIGINT during the solve: no traceback, status 'interrupted', documented exit code."""
    import os
    import signal

    import bigrad

    src = str(Path(bigrad.__file__).resolve().parent.parent)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([src, os.environ.get("PYTHONPATH", "")]),
               PYTHONUNBUFFERED="1")
    mibs = DATA / "mibs"
    # the CCG method needs many iterations on this 10-item instance: time to interrupt it
    proc = subprocess.Popen(
        [sys.executable, "-m", "bigrad.cli", "miblp", str(mibs / "K5010W01.KNP.mps"),
         str(mibs / "K5010W01.KNP.txt"), "--method", "ccg"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )
    lines = []
    for line in proc.stdout:  # wait for the second progress line: the solver holds an incumbent
        lines.append(line)
        if line.split()[:1] == ["2"]:
            break
    proc.send_signal(signal.SIGINT)
    rest, err = proc.communicate(timeout=120)
    out = "".join(lines) + rest
    assert proc.returncode == 130, (out, err)
    assert "Traceback" not in err and "interrupted" in err
    assert "status             : interrupted" in out
    assert "leader x" in out and "bilevel feasible   : True" in out


def test_cli_start_up_imports_only_what_a_small_instance_needs():
    """Issue 23 item 3 (start-up <= 0.25 s): ``bigrad miblp`` on a small dense file imports neither
    torch, scipy, the compiled extension nor the experiments (whose argument list used to import
    numpy and more for every command); checked by module, not by a timing."""
    import os

    import bigrad

    src = str(Path(bigrad.__file__).resolve().parent.parent)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([src, os.environ.get("PYTHONPATH", "")]))
    code = ("import sys\nfrom bigrad.cli import main\n"
            f"rc = main(['miblp', {str(DATA / 'moore_bard.mps')!r}, {str(DATA / 'moore_bard.aux')!r}, '--quiet'])\n"
            "heavy = ('torch', 'scipy', 'bigrad._core', 'bigrad.experiments', 'bigrad.solvers')\n"
            "print('RC', rc, 'LOADED', [m for m in heavy if m in sys.modules])\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120, check=False)
    assert "RC 0 LOADED []" in out.stdout, (out.stdout, out.stderr)

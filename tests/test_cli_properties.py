"""The CLI on bad paths, bad files and unwritable outputs (issue 24, D5-D7).

Property: whatever the paths and the contents of the result files, ``bigrad bench report`` and
``bigrad experiments`` / ``bigrad demo`` either do their work, or exit with code 2 and a one-line
error that names the option or the file; a malformed result line is skipped with ``FILE:LINE`` and
its reason; nothing ends in a traceback.  The commands run in this process (``bigrad.cli.main``);
the experiments themselves are replaced by a stub that records that they would have run, so a
case costs milliseconds.  Unwritable outputs are tested for real in one subprocess without root's
capabilities (``setpriv``), where permissions apply.
"""
from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

import bigrad.experiments.run as experiments_run
from bigrad import cli
from bigrad.suite import report

#: the settings of every property here: deterministic (CI), no deadline (a shared, loaded machine)
PROPERTY = settings(derandomize=True, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
#: CLI runs made by this module (written as JSON to $BIGRAD_PROPERTY_CASES at its end, for reports)
CASES: Counter = Counter()


@pytest.fixture(scope="module", autouse=True)
def case_count():
    yield
    target = os.environ.get("BIGRAD_PROPERTY_CASES")
    if target:
        with open(target, "a") as f:
            f.write(json.dumps({"module": __name__, **CASES}) + "\n")


def count(name: str) -> None:
    """Label the case for ``pytest --hypothesis-show-statistics`` (the counts reported in issue 24)."""
    event(name)
    CASES[name.split(":")[0]] += 1


def run_main(argv: list[str]) -> tuple[int, str, str]:
    """``bigrad ARGV`` in this process: ``(exit code, stdout, stderr)``; argparse's exits count as codes."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = cli.main(argv)
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 2
    return code, out.getvalue(), err.getvalue()


def one_line_error(err: str, prefix: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(prefix), err
    assert "Traceback" not in err
    return lines[0]


# ----------------------------------------------------------------------------- path strategies
@contextlib.contextmanager
def playground():
    """A folder with one of each kind of path: a file, a folder, a FIFO, links (to a file, a loop, nowhere)."""
    with tempfile.TemporaryDirectory() as root:
        root = Path(root)
        (root / "file").write_text("not a folder\n")
        (root / "dir").mkdir()
        (root / "dir" / "inner").write_text("x\n")
        os.mkfifo(root / "fifo")
        os.symlink(root / "file", root / "link_to_file")
        os.symlink(root / "loop", root / "loop")
        os.symlink(root / "nowhere", root / "dangling")
        yield root


COMPONENTS = st.one_of(
    st.sampled_from(["file", "dir", "fifo", "link_to_file", "loop", "dangling", "new", "..", ".", "inner"]),
    st.just("n" * 300),  # longer than a file name may be (ENAMETOOLONG)
    st.text(st.sampled_from("ab\x00\n -"), min_size=1, max_size=4),  # NUL bytes, newlines, spaces
)


def path_in(root: Path, parts: list[str]) -> str:
    return str(root.joinpath(*parts))


def writable_folder(path: str) -> bool:
    """Independent of bigrad: could files be created in ``path`` (made if missing)?"""
    if "\x00" in path:
        return False
    try:
        os.makedirs(path, exist_ok=True)
        with tempfile.TemporaryFile(dir=path):
            return True
    except OSError:
        return False


# ------------------------------------------------------------------ experiments / demo --out
@settings(PROPERTY, max_examples=150)
@given(parts=st.lists(COMPONENTS, min_size=1, max_size=3), command=st.sampled_from(["experiments", "demo"]))
def test_out_is_a_writable_folder_or_a_one_line_error(parts, command):
    """D6/D7: ``--out`` that is a file gave a FileExistsError traceback; now checked before anything runs."""
    with playground() as root, stubbed_runs() as calls:
        out = path_in(root, parts)
        argv = [command, "--out", out] + (["control", "--quick"] if command == "experiments" else [])
        code, _, err = run_main(argv)
        if code == 0:
            count("out: ran")
            assert calls == [out] and writable_folder(out), (out, err)
        else:
            count("out: refused")
            line = one_line_error(err, f"bigrad {command}: error: --out ")
            assert code == 2 and calls == [], line
            if os.path.exists(out.replace("\x00", "")) and "\x00" not in out and not os.path.isdir(out):
                assert line.endswith("is not a directory"), line


@contextlib.contextmanager
def stubbed_runs():
    """The experiments and the demo replaced by stubs that record their ``out_dir`` (yielded list)."""
    calls: list[str] = []

    def stub(*args, out_dir, **kw):
        calls.append(str(out_dir))
        return [], {}

    with mock.patch.object(experiments_run, "experiments", stub), mock.patch.object(experiments_run, "demo", stub), \
            mock.patch.object(cli, "_set_torch_threads", lambda n: None):
        yield calls


def test_out_that_is_a_file_names_it(tmp_path):
    """D6, as the issue gives it: a one-line error ``--out PATH is not a directory``, exit code 2."""
    path = tmp_path / "results.txt"
    path.write_text("")
    code, _, err = run_main(["experiments", "control", "--quick", "--out", str(path)])
    assert code == 2 and one_line_error(err, "bigrad experiments: error: ") == \
        f"bigrad experiments: error: --out {path} is not a directory"


# ------------------------------------------------------------------ bench report: result files
KEYS = st.sampled_from(["tsp:a", "tsp:b", "miblp:c", "bolib:d"])
NUMBER = st.one_of(st.integers(0, 10**6), st.floats(0, 1e300, allow_nan=False))
GOOD_ROW = st.fixed_dictionaries(
    {"key": KEYS, "status": st.sampled_from(["optimal", "timeout", "error", "crashed"])},
    optional={"seconds": st.one_of(st.none(), NUMBER), "gap": st.one_of(st.none(), NUMBER, st.text(max_size=3)),
              "reference_match": st.sampled_from([None, True, False]), "objective": st.one_of(st.none(), NUMBER),
              "settings": st.one_of(st.none(), st.fixed_dictionaries({}, optional={
                  "time_limit": st.one_of(st.none(), st.floats(1e-3, 1e6))})),
              "instance": st.text("abc", max_size=5), "solver": st.text("xyz", max_size=5)},
)
JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=5),
                    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner, max_size=3),
                    max_leaves=8)
#: a row made malformed in one field (the reason must mention that field)
BROKEN_FIELD = st.sampled_from([
    ("key", st.one_of(st.integers(), st.floats(), st.none(), st.just(""), st.lists(st.integers(), max_size=2),
                      st.dictionaries(st.text(max_size=2), st.integers(), max_size=2))),
    ("seconds", st.one_of(st.text(max_size=3), st.booleans(), st.floats(max_value=-1e-9), st.just(float("nan")),
                          st.just(float("inf")), st.integers(max_value=-1), st.just(10**400), st.lists(st.integers()))),
    ("status", st.one_of(st.integers(), st.floats(), st.lists(st.text(max_size=2), max_size=2))),
    ("settings", st.one_of(st.integers(), st.text(min_size=1, max_size=3), st.lists(st.integers(), min_size=1))),
    ("time_limit", st.one_of(st.text(max_size=3), st.just(0), st.floats(max_value=0.0), st.just(float("inf")),
                             st.booleans())),
])


@st.composite
def result_line(draw):
    """``(bytes, malformed)`` for one line of a result file."""
    kind = draw(st.sampled_from(["good", "good", "good", "field", "json", "torn", "bytes", "blank"]))
    if kind == "good":
        return json.dumps(draw(GOOD_ROW)).encode(), False
    if kind == "field":
        row = draw(GOOD_ROW)
        field, values = draw(BROKEN_FIELD)
        value = draw(values)
        if field == "time_limit":
            row["settings"] = {"time_limit": value}
        else:
            row[field] = value
        return json.dumps(row).encode(), True
    if kind == "json":  # any JSON value that is not an object, or an object without a key
        value = draw(JSON)
        if isinstance(value, dict):
            value.pop("key", None)
        return json.dumps(value).encode(), True
    if kind == "torn":
        text = json.dumps(draw(GOOD_ROW))
        return text[: draw(st.integers(1, len(text) - 1))].encode(), True
    if kind == "bytes":
        raw = draw(st.binary(min_size=1, max_size=8).filter(lambda b: b"\n" not in b and b.strip()))
        try:
            json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            return raw, True
        return b"[" + raw + b"", True  # valid JSON by chance (a number): make it invalid
    return draw(st.sampled_from([b"", b"   ", b"\t"])), False


def expected_instances(lines) -> int:
    return len({json.loads(raw)["key"] for raw, bad in lines if not bad and raw.strip()})


@contextlib.contextmanager
def no_plot():
    """The profile's arithmetic without drawing it (matplotlib costs 0.1 s a report; drawn in its own test)."""

    def check_profile(runs, path):
        keys, ratios = report.profile(runs)
        assert all(r >= 1.0 for rs in ratios.values() for r in rs)  # ratios >= 1 (inf: not solved)

    with mock.patch.object(report, "plot_profile", check_profile):
        yield


@settings(PROPERTY, max_examples=120)
@given(files=st.lists(st.lists(result_line(), max_size=8), min_size=1, max_size=3))
def test_report_skips_malformed_lines_with_file_and_line(files):
    """D5: a row whose key is not a string, or whose seconds are not a number, crashed the report."""
    with tempfile.TemporaryDirectory() as root, no_plot():
        paths = []
        for i, lines in enumerate(files):
            path = Path(root) / f"run{i}.jsonl"
            path.write_bytes(b"\n".join(raw for raw, _ in lines))
            paths.append(path)
        code, out, err = run_main(["bench", "report", *map(str, paths), "--out", f"{root}/rep.md"])
        assert code == 0 and "Traceback" not in err, err
        warned = err.strip().splitlines()
        expected = [f"{p}:{n}: " for p, lines in zip(paths, files) for n, (_, bad) in enumerate(lines, 1) if bad]
        assert len(warned) == len(expected), (expected, warned)
        for line, where in zip(warned, expected):
            assert line.startswith(f"bigrad bench: warning: {where}") and line.endswith("; line skipped"), line
        for path, lines in zip(paths, files):  # each run counts exactly its well-formed instances
            assert f"| {path.stem} | " in out
            row = next(r for r in out.splitlines() if r.startswith(f"| {path.stem} | "))
            assert row.split(" | ")[2] == str(expected_instances(lines)), (row, lines)
        count("report: files")
        event(f"report: {len(expected)} malformed line(s)" if len(expected) < 3 else "report: >= 3 malformed lines")


def test_report_plot_on_extreme_times(tmp_path):
    """The real profile plot with zero, tiny and huge times (ratios that overflow to inf) draws without a warning."""
    pytest.importorskip("matplotlib")
    rows = {"a": [("k1", 0.0), ("k2", 1e300), ("k3", 1e-300)], "b": [("k1", 1e300), ("k2", 0), ("k3", 5.0)]}
    paths = []
    for label, items in rows.items():
        p = tmp_path / f"{label}.jsonl"
        p.write_text("".join(json.dumps({"key": k, "status": "optimal", "seconds": s}) + "\n" for k, s in items))
        paths.append(p)
    code, out, err = run_main(["bench", "report", *map(str, paths), "--out", str(tmp_path / "rep.md")])
    assert code == 0 and err == "" and (tmp_path / "rep.png").stat().st_size > 1000


@settings(PROPERTY, max_examples=60)
@given(inputs=st.lists(st.lists(COMPONENTS, min_size=1, max_size=2), min_size=1, max_size=2),
       out=st.lists(COMPONENTS, min_size=1, max_size=2))
def test_report_bad_paths_are_one_line_errors(inputs, out):
    """Result files that are missing, folders, FIFOs (never opened: that would block) or bad names, and
    report paths that cannot be written: exit 2 and one line, or a report when everything is usable."""
    with playground() as root, no_plot():
        (root / "dir" / "inner").write_text(json.dumps({"key": "k", "status": "optimal", "seconds": 1}) + "\n")
        paths = [path_in(root, p) for p in inputs]
        target = path_in(root, out)
        code, _, err = run_main(["bench", "report", *paths, "--out", target])
        usable = all("\x00" not in p and os.path.isfile(p) for p in paths)
        if code == 0:
            count("report paths: written")
            assert usable and os.path.isfile(target), (paths, target, err)
        else:
            count("report paths: refused")
            one_line_error(err, "bigrad bench: error: ")
            assert code == 2


# ------------------------------------------------------------------ unwritable outputs, without root's capabilities
UNWRITABLE = r"""
import contextlib, io, json, os, sys
from pathlib import Path
import bigrad.experiments.run as run
from bigrad import cli
root = Path(sys.argv[1])
def stub(*a, out_dir, **k):
    raise SystemExit("computed although --out is not writable")
run.experiments = run.demo = stub
cases = {
    "experiments": ["experiments", "control", "--quick", "--out", str(root / "ro")],
    "experiments-new": ["experiments", "control", "--quick", "--out", str(root / "ro" / "new")],
    "demo": ["demo", "--out", str(root / "ro" / "new")],
    "report-out": ["bench", "report", str(root / "ok.jsonl"), "--out", str(root / "ro" / "rep.md")],
    "report-unreadable": ["bench", "report", str(root / "secret.jsonl"), "--out", str(root / "rep.md")],
    "bench-out": ["bench", "tsp", sys.argv[2], "--out", str(root / "ro" / "r.jsonl"), "--no-progress"],
}
for name, argv in cases.items():
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        try:
            code = cli.main(argv)
        except SystemExit as exc:
            code = exc.code
    print(json.dumps([name, code, err.getvalue()]))
"""


def test_unwritable_outputs_fail_before_computing(tmp_path):
    """D7: ``--out`` in a read-only folder computed for the whole run, then lost everything to a
    PermissionError.  Root ignores permissions, so the commands run without its capabilities."""
    if os.geteuid() == 0 and shutil.which("setpriv") is None:
        pytest.skip("root, and no setpriv to drop its capabilities")
    (tmp_path / "ro").mkdir()
    (tmp_path / "ok.jsonl").write_text(json.dumps({"key": "k", "status": "optimal", "seconds": 1}) + "\n")
    (tmp_path / "secret.jsonl").write_text("{}\n")
    os.chmod(tmp_path / "secret.jsonl", 0o000)
    os.chmod(tmp_path / "ro", 0o555)
    tsp = Path(__file__).parent / "data" / "suite" / "tsplib" / "burma14.tsp"
    prefix = ["setpriv", "--inh-caps=-all", "--bounding-set=-all"] if os.geteuid() == 0 else []
    try:
        run = subprocess.run(prefix + [sys.executable, "-c", UNWRITABLE, str(tmp_path), str(tsp)],
                             capture_output=True, text=True, timeout=300)
    finally:
        os.chmod(tmp_path / "ro", 0o755)
    assert run.returncode == 0, run.stderr
    results = {name: (code, err) for name, code, err in map(json.loads, run.stdout.splitlines())}
    assert set(results) == {"experiments", "experiments-new", "demo", "report-out", "report-unreadable", "bench-out"}
    for name, (code, err) in results.items():
        assert code == 2, (name, code, err)
        line = one_line_error(err, "bigrad ")
        assert "Permission denied" in line and str(tmp_path) in line, (name, line)
    assert results["experiments"][1].strip() == f"bigrad experiments: error: --out {tmp_path / 'ro'} is not writable " \
                                                "(Permission denied)"
    assert not list((tmp_path / "ro").iterdir())

"""Every malformed MPS/AUX input raises MpsFormatError with ``FILE:LINE:`` (issue 11 list + a fuzz test)."""
import re
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bigrad.miblp import MpsFormatError, read_mps, read_mps_aux

DATA = Path(__file__).parent / "data" / "miblp"
KIP_MPS = (DATA / "knapsack_interdiction.mps").read_text()
KIP_AUX = (DATA / "knapsack_interdiction.aux").read_text()
LOCATED = re.compile(r"^(?P<file>.+):(?P<line>[1-9]\d*): \S")


def write(tmp_path, name, text):
    p = tmp_path / name
    p.write_text(text)
    return p


def assert_located(info, path, line):
    msg = str(info.value)
    m = LOCATED.match(msg)
    assert m, msg
    assert m["file"] == str(path) and int(m["line"]) == line, msg


def test_interdiction_column_without_finite_upper_bound(tmp_path):
    mps = write(tmp_path, "k.mps", KIP_MPS.replace(" BV BND       y3\n", " LI BND       y3  0\n"))
    aux = write(tmp_path, "k.aux", KIP_AUX)
    with pytest.raises(MpsFormatError, match="finite upper bound") as info:
        read_mps_aux(mps, aux)
    line = KIP_MPS.splitlines().index(" BV BND       y3") + 1
    assert_located(info, mps, line)


@pytest.mark.parametrize("bound", [" LO BND y1 1e30", " UP BND y1 -1e31", " FX BND y1 1e30"])
def test_infinite_bound_in_the_wrong_direction(tmp_path, bound):
    text = KIP_MPS.replace(" BV BND       y1\n", bound + "\n")
    mps = write(tmp_path, "k.mps", text)
    with pytest.raises(MpsFormatError, match="infinite") as info:
        read_mps(mps)
    assert_located(info, mps, text.splitlines().index(bound) + 1)


def test_infinite_objective_constant(tmp_path):
    text = KIP_MPS.replace("    RHS       CAP                  5", "    RHS       CAP  5  OBJ  1e30")
    mps = write(tmp_path, "k.mps", text)
    with pytest.raises(MpsFormatError, match="objective") as info:
        read_mps(mps)
    assert_located(info, mps, text.splitlines().index("    RHS       CAP  5  OBJ  1e30") + 1)


def test_lower_bound_above_upper_bound_names_the_bound_line(tmp_path):
    text = KIP_MPS.replace(" BV BND       y2\n", " UP BND y2 1\n LO BND y2 3\n")
    mps = write(tmp_path, "k.mps", text)
    with pytest.raises(MpsFormatError, match="lower bound 3 > upper bound 1") as info:
        read_mps(mps)
    assert_located(info, mps, text.splitlines().index(" LO BND y2 3") + 1)


def test_empty_files(tmp_path):
    mps = write(tmp_path, "e.mps", "")
    with pytest.raises(MpsFormatError, match="empty") as info:
        read_mps(mps)
    assert_located(info, mps, 1)
    aux = write(tmp_path, "e.aux", "")
    with pytest.raises(MpsFormatError, match="no follower variables") as info:
        read_mps_aux(DATA / "knapsack_interdiction.mps", aux)
    assert_located(info, aux, 1)


@pytest.mark.parametrize(
    "edit, line, words",
    [
        (lambda t: t.replace("IB 2\n", ""), 17, "without a budget"),
        (lambda t: t.replace("IC 1\n", ""), 17, "without interdiction costs"),
        (lambda t: t.replace("IC 1\nIB", "IB"), 19, "3 interdiction costs"),
        (lambda t: t.replace("LC 7", "LC 8"), 6, "MibS's interdiction model"),
        (lambda t: t.replace("LR 5", "LR 6"), 11, "VUB rows"),
    ],
)
def test_interdiction_lists(tmp_path, edit, line, words):
    aux = write(tmp_path, "k.aux", edit(KIP_AUX))
    with pytest.raises(MpsFormatError, match=words) as info:
        read_mps_aux(DATA / "knapsack_interdiction.mps", aux)
    assert_located(info, aux, line)


def test_large_matrix_is_read_sparse(tmp_path):
    """Beyond ``max_dense_entries`` the matrix is scipy.sparse CSR, with the same entries."""
    import scipy.sparse as sp

    mps = write(tmp_path, "k.mps", KIP_MPS)
    dense, sparse = read_mps(mps), read_mps(mps, max_dense_entries=3)
    assert isinstance(dense.A, np.ndarray) and sp.issparse(sparse.A)
    np.testing.assert_array_equal(sparse.A.toarray(), dense.A)


# ------------------------------------------------------------------ fuzzing
_TOKENS = ["", "x", "-1", "1e30", "-1e30", "nan", "0", "7", "ROWS", "COLUMNS", "RHS", "BOUNDS", "ENDATA",
           "'MARKER'", "'INTORG'", "N", "L", "G", "E", "UP", "LO", "BV", "FR", "LC", "LR", "LO", "IC", "IB",
           "@VARSBEGIN", "@VARSEND", "@CONSTSBEGIN", "y1", "CAP", "OBJ", "100"]


def _mutate(text: str, edits) -> str:
    lines = text.splitlines()
    for kind, i, j, tok in edits:
        if not lines:
            lines = [tok]
            continue
        i %= len(lines)
        words = lines[i].split()
        if kind == 0:  # replace a token
            if words:
                words[j % len(words)] = tok
                lines[i] = (" " if lines[i][:1].isspace() else "") + "  ".join(words)
        elif kind == 1:  # delete a line
            del lines[i]
        elif kind == 2:  # duplicate a line
            lines.insert(i, lines[i])
        else:  # insert a token line
            lines.insert(i, tok if j % 2 else " " + tok)
    return "\n".join(lines) + "\n"


_EDITS = st.lists(st.tuples(st.integers(0, 3), st.integers(0, 60), st.integers(0, 9), st.sampled_from(_TOKENS)),
                  min_size=1, max_size=4)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(mps_edits=_EDITS, aux_edits=_EDITS, which=st.integers(0, 2))
def test_fuzz_reader_fails_only_with_located_errors(tmp_path, mps_edits, aux_edits, which):
    mps_text = _mutate(KIP_MPS, mps_edits) if which != 1 else KIP_MPS
    aux_text = _mutate(KIP_AUX, aux_edits) if which != 0 else KIP_AUX
    mps = write(tmp_path, "f.mps", mps_text)
    aux = write(tmp_path, "f.aux", aux_text)
    try:
        p = read_mps_aux(mps, aux)
    except MpsFormatError as exc:
        m = LOCATED.match(str(exc))
        assert m, str(exc)
        assert m["file"] in (str(mps), str(aux))
        n_lines = len((mps_text if m["file"] == str(mps) else aux_text).splitlines())
        assert 1 <= int(m["line"]) <= max(1, n_lines)
    else:
        assert p.n > 0


# ---- issue 24, D8: coefficients HiGHS rejects (>= 1e15, its large_matrix_value) are refused by the reader
MB_MPS = (DATA / "moore_bard.mps").read_text()
MB_AUX = (DATA / "moore_bard.aux").read_text()


@pytest.mark.parametrize("old, new, in_aux", [
    ("    x         OBJ                 -1 ", "    x         OBJ              -1e15 ", False),  # leader objective
    ("    y         R1                   2 ", "    y         R1                 3e16 ", False),  # matrix entry
    ("LO 1\n", "LO 1e15\n", True),  # follower objective: before the fix HiGHS rejected the master (RuntimeError)
], ids=["leader_objective", "matrix", "follower_objective"])
def test_coefficient_beyond_highs_range_names_file_line_and_value(tmp_path, old, new, in_aux):
    mps_text, aux_text = MB_MPS, MB_AUX
    if in_aux:
        assert old in aux_text
        aux_text = aux_text.replace(old, new)
    else:
        assert old in mps_text
        mps_text = mps_text.replace(old, new)
    mps, aux = write(tmp_path, "mb.mps", mps_text), write(tmp_path, "mb.aux", aux_text)
    with pytest.raises(MpsFormatError, match=r"e\+1[56], too large: HiGHS accepts coefficients of magnitude "
                                             r"below 1e\+15") as info:
        read_mps_aux(mps, aux)
    bad, text = (aux, aux_text) if in_aux else (mps, mps_text)
    assert_located(info, bad, next(i for i, ln in enumerate(text.splitlines(), 1) if new.strip() in ln))


def test_coefficient_below_highs_range_still_solves(tmp_path):
    """1e14 * the follower objective: the same follower optima, so Moore & Bard's optimum -22 is unchanged."""
    from bigrad.miblp import solve

    aux = write(tmp_path, "mb.aux", MB_AUX.replace("LO 1\n", "LO 1e14\n"))
    res = solve(read_mps_aux(DATA / "moore_bard.mps", aux))
    assert res.status == "optimal" and res.objective == pytest.approx(-22.0)


def test_problem_refuses_coefficients_beyond_highs_range():
    from bigrad.miblp import Problem

    with pytest.raises(ValueError, match=r"follower_c\[1\] is 1e\+15, too large"):
        Problem.from_blocks(leader_c_x=[-1], leader_c_y=[-10], follower_c_y=[1e15], x_lb=[0], x_ub=[9], y_lb=[0],
                            y_ub=[9], x_integer=[True], y_integer=[True], Q_x=[[-25]], P_y=[[20]], s=[30])

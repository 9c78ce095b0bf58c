"""MPS / AUX readers of bigrad.miblp: formats, conventions and error messages."""
import os
from pathlib import Path

import numpy as np
import pytest

from bigrad.miblp import MpsFormatError, read_aux, read_mps, read_mps_aux

DATA = Path(__file__).parent / "data" / "miblp"
INF = np.inf


def write(tmp_path, name, text):
    p = tmp_path / name
    p.write_text(text)
    return p


def test_moore_bard_index_and_name_formats_agree():
    a = read_mps_aux(DATA / "moore_bard.mps", DATA / "moore_bard.aux")
    b = read_mps_aux(DATA / "moore_bard.mps", DATA / "moore_bard_named.aux")
    for p in (a, b):
        np.testing.assert_array_equal(p.c, [-1, -10])
        np.testing.assert_array_equal(p.A, [[-25, 20], [1, 2], [2, -1], [2, 10]])
        np.testing.assert_array_equal(p.row_upper, [30, 10, 15, INF])
        np.testing.assert_array_equal(p.row_lower, [-INF, -INF, -INF, 15])
        np.testing.assert_array_equal(p.lb, [0, 0])
        np.testing.assert_array_equal(p.ub, [INF, INF])  # explicit PL bounds
        np.testing.assert_array_equal(p.integer, [True, True])
        np.testing.assert_array_equal(p.follower_vars, [False, True])
        np.testing.assert_array_equal(p.follower_rows, [True] * 4)
        np.testing.assert_array_equal(p.follower_c, [0, 1])
        assert p.follower_sense == "min"
    assert b.name == "moore_bard"


def test_fixed_and_free_reading_agree_and_match_highspy():
    highspy = pytest.importorskip("highspy")
    fixed = read_mps(DATA / "denegre.mps", fmt="fixed")
    free = read_mps(DATA / "denegre.mps")
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.readModel(str(DATA / "denegre.mps"))
    lp = h.getLp()
    A = np.zeros((lp.num_row_, lp.num_col_))
    for j in range(lp.num_col_):
        for k in range(lp.a_matrix_.start_[j], lp.a_matrix_.start_[j + 1]):
            A[lp.a_matrix_.index_[k], j] = lp.a_matrix_.value_[k]
    def hinf(a):
        a = np.asarray(a, dtype=float)
        return np.where(a >= 1e30, INF, np.where(a <= -1e30, -INF, a))
    for d in (fixed, free):
        np.testing.assert_array_equal(d.c, lp.col_cost_)
        np.testing.assert_array_equal(d.A, A)
        np.testing.assert_array_equal(d.lb, hinf(lp.col_lower_))
        np.testing.assert_array_equal(d.ub, hinf(lp.col_upper_))
        np.testing.assert_array_equal(d.row_lower, hinf(lp.row_lower_))
        np.testing.assert_array_equal(d.row_upper, hinf(lp.row_upper_))
        np.testing.assert_array_equal(d.integer, [int(t) == 1 for t in lp.integrality_])
        assert d.col_names == ["X", "Y"] and d.row_names == ["U1", "U2", "L1", "L2"]


def test_fixed_format_names_with_spaces(tmp_path):
    text = "\n".join([
        "NAME          SPACES",
        "ROWS",
        " N  COST",
        " L  LIM 1",
        "COLUMNS",
        "    MY X      COST               1.0   LIM 1              2.0",
        "RHS",
        "    RHS       LIM 1              4.0",
        "BOUNDS",
        " UP BND       MY X               1.5",
        "ENDATA",
    ])
    d = read_mps(write(tmp_path, "s.mps", text), fmt="fixed")
    assert d.col_names == ["MY X"] and d.row_names == ["LIM 1"]
    assert d.A[0, 0] == 2.0 and d.row_upper[0] == 4.0 and d.ub[0] == 1.5


def test_sections_ranges_bounds_objsense(tmp_path):
    text = """NAME t
OBJSENSE
    MAX
ROWS
 L r1
 G r2
 E r3
 E r4
 N obj
 N free
COLUMNS
    MARKER 'MARKER' 'INTORG'
    a obj 1 r1 1
    a free 5
    MARKER 'MARKER' 'INTEND'
    b obj 2 r2 1
    b r3 1 r4 1
    c r1 1
RHS
    rhs r1 10 r2 1
    rhs r3 4 r4 4
    rhs obj 7
RANGES
    rng r1 3 r2 2
    rng r3 2 r4 -2
BOUNDS
 UP bnd b -1
 MI bnd c
 LI bnd c -5
ENDATA
"""
    d = read_mps(write(tmp_path, "t.mps", text))
    assert d.maximize
    np.testing.assert_array_equal(d.c, [-1, -2, 0])  # negated to minimisation
    assert d.objective_offset == 7.0  # RHS on the objective row r gives constant -r, negated for MAX
    np.testing.assert_array_equal(d.row_lower, [7, 1, 4, 2])
    np.testing.assert_array_equal(d.row_upper, [10, 3, 6, 4])
    np.testing.assert_array_equal(d.lb, [0, -INF, -5])
    np.testing.assert_array_equal(d.ub, [1, -1, INF])  # 'a': MARKER integer without UP -> binary
    np.testing.assert_array_equal(d.integer, [True, False, True])
    assert any("free row" in n for n in d.notes) and any("negative UP" in n for n in d.notes)


def test_interdiction_expansion():
    p = read_mps_aux(DATA / "knapsack_interdiction.mps", DATA / "knapsack_interdiction.aux")
    assert p.n == 8 and p.m == 1 + 1 + 4
    np.testing.assert_array_equal(p.c, [0, 0, 0, 0, 7, 5, 4, 2])
    np.testing.assert_array_equal(p.A[0], [1, 1, 1, 1, 0, 0, 0, 0])
    assert p.row_upper[0] == 2 and not p.follower_rows[0]
    np.testing.assert_array_equal(p.A[2], [1, 0, 0, 0, 1, 0, 0, 0])  # ub x1 + y1 <= ub
    assert p.follower_rows[1:].all()
    assert p.integer.all() and (p.ub == 1).all()


@pytest.mark.parametrize(
    "text, line, words",
    [
        ("NAME x\nROWS\n N obj\n L r\nCOLUMNS\n    x obj 1 r abc\nRHS\nENDATA\n", 6, "not a number"),
        ("NAME x\nROWS\n N obj\n L r\nCOLUMNS\n    x obj 1 q 1\nENDATA\n", 6, "unknown row 'q'"),
        ("NAME x\nROWS\n N obj\n Q r\nENDATA\n", 4, "unknown row type"),
        ("NAME x\nROWS\n N obj\n L r\n L r\nENDATA\n", 5, "duplicate row"),
        ("NAME x\nROWS\n N obj\nCOLUMNS\n    x obj 1\nBOUNDS\n UP b y 1\nENDATA\n", 7, "unknown column 'y'"),
        ("NAME x\nROWS\n N obj\nCOLUMNS\n    x obj 1\nBOUNDS\n XX b x 1\nENDATA\n", 7, "unknown bound type"),
        ("NAME x\nROWS\n N obj\nCOLUMNS\n    x obj 1\n", 5, "missing ENDATA"),
        ("NAME x\nFOO\nENDATA\n", 2, "unknown section"),
        ("NAME x\nROWS\n N obj\nCOLUMNS\n    x obj\nENDATA\n", 5, "3 or 5 fields"),
        ("NAME x\nROWS\n N obj\nCOLUMNS\n    MARKER 'MARKER' 'INTORG'\n    x obj 1\nENDATA\n", 7, "INTEND"),
        ("NAME x\nSOS\nENDATA\n", 2, "not supported"),
    ],
)
def test_malformed_mps_names_file_and_line(tmp_path, text, line, words):
    path = write(tmp_path, "bad.mps", text)
    with pytest.raises(MpsFormatError) as info:
        read_mps(path)
    msg = str(info.value)
    assert msg.startswith(f"{path}:{line}:"), msg
    assert words in msg


@pytest.mark.parametrize(
    "text, line, words",
    [
        ("N 1\nM 4\nLC 7\nLR 0\nLR 1\nLR 2\nLR 3\nLO 1\n", 3, "out of range"),
        ("N 1\nM 1\nLC 1\nLR r9\nLO 1\n", 4, "unknown row 'r9'"),
        ("N 1\nM 1\nLC 1\nLR 0\nLO one\n", 5, "not a number"),
        ("N 1\nM 1\nLC 1\nLR 0\nLO 1\nOS 2\n", 6, "OS must be"),
        ("N 1\nM 1\nLC 1\nLR 0\nLO 1\nXX 3\n", 6, "unknown keyword"),
        ("N 2\nM 1\nLC 1\nLR 0\nLO 1\n", 5, "declared 2 follower variables"),
        ("N 1\nM 1\nLC 1\nLR 0\n", 4, "objective coefficients"),
        ("N 1\nM 2\nLC 1\nLR 0\nLR 0\nLO 1\n", 5, "listed twice"),
        ("@NUMVARS\n1\n@VARSBEGIN\ny\n@VARSEND\n", 4, "name coefficient"),
        ("@NUMVARS\n1\n@VARSBEGIN\nzz 1\n@VARSEND\n", 4, "unknown column 'zz'"),
        ("@VARSBEGIN\ny 1\n", 1, "without @VARSEND"),
        ("N\n", 1, "N needs a value"),
    ],
)
def test_malformed_aux_names_file_and_line(tmp_path, text, line, words):
    path = write(tmp_path, "bad.aux", text)
    with pytest.raises(MpsFormatError) as info:
        read_mps_aux(DATA / "moore_bard.mps", path)
    msg = str(info.value)
    assert msg.startswith(f"{path}:{line}:"), msg
    assert words in msg


def test_aux_mixed_keys_and_comments(tmp_path):
    path = write(tmp_path, "m.aux", "# comment\nN 1\nM 2\nOS -1\n@VARSBEGIN\ny 3.5\n@VARSEND\nLR R0\nLR 3\n")
    aux = read_aux(path)
    assert aux.sense == -1 and aux.cols == [("y", 6)] and aux.obj == [(3.5, 6)]
    p = read_mps_aux(DATA / "moore_bard.mps", path)
    assert p.follower_sense == "max" and list(np.flatnonzero(p.follower_rows)) == [0, 3]


def test_reader_argument_types(tmp_path):
    with pytest.raises(TypeError, match="mps"):
        read_mps_aux(3, DATA / "moore_bard.aux")
    with pytest.raises(MpsFormatError, match="cannot read"):
        read_mps_aux(tmp_path / "missing.mps", DATA / "moore_bard.aux")
    with pytest.raises(ValueError, match="fmt"):
        read_mps(DATA / "moore_bard.mps", fmt="weird")
    assert os.path.exists(DATA / "moore_bard.mps")

"""The flat module names of bigrad.miblp before its subpackages still import (issue 26, item 3)."""
import importlib
import sys
import warnings

import pytest

import bigrad.miblp

#: old flat module -> a name it defined (the moved module must still define it)
OLD = {
    "mps": "read_mps",
    "auxfile": "read_aux",
    "reader": "read_mps_aux",
    "solver": "solve",
    "master": "MasterProblem",
    "reformulation": "Reformulation",
    "kkt": "build_kkt",
    "regions": "FollowerLP",
    "dual_polyhedron": "enumerate_dual",
    "enumeration": "solve_by_enumeration",
    "subproblems": "follower_response",
    "outcome": "build_result",
    "interdiction": "detect_interdiction",
    "interdiction_solver": "InterdictionSolver",
}
#: old modules that kept their place
STAYED = ["problem", "result", "highs_backend", "_sparse"]


def test_every_old_module_name_is_kept():
    assert sorted(bigrad.miblp._MOVED) == sorted(OLD)
    assert not set(OLD) & set(STAYED)


@pytest.mark.parametrize("old, defined", sorted(OLD.items()))
def test_old_module_name_warns_and_is_the_moved_module(old, defined, monkeypatch):
    new = bigrad.miblp._MOVED[old]
    monkeypatch.delitem(sys.modules, f"bigrad.miblp.{old}", raising=False)
    monkeypatch.delattr(bigrad.miblp, old, raising=False)
    with pytest.warns(DeprecationWarning, match=f"bigrad.miblp.{old} is deprecated; import bigrad.miblp.{new}$"):
        module = importlib.import_module(f"bigrad.miblp.{old}")
    assert module is importlib.import_module(f"bigrad.miblp.{new}")
    assert module.__name__ == f"bigrad.miblp.{new}" and hasattr(module, defined)


@pytest.mark.parametrize("name", STAYED)
def test_modules_that_stayed_import_without_a_warning(name):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert importlib.import_module(f"bigrad.miblp.{name}").__name__ == f"bigrad.miblp.{name}"


def test_public_names_keep_working():
    from bigrad.miblp.projection.column_generation import solve
    from bigrad.miblp.reading.mps_aux import read_mps_aux

    assert sorted(bigrad.miblp.__all__) == sorted(
        ["Problem", "read_mps_aux", "read_mps", "read_aux", "MpsFormatError", "solve", "MiblpResult",
         "IterationRecord", "STATUSES"])
    assert all(hasattr(bigrad.miblp, name) for name in bigrad.miblp.__all__)
    assert bigrad.miblp.solve is solve and bigrad.miblp.read_mps_aux is read_mps_aux

"""Old module paths that still import, as the module now in their place, with a DeprecationWarning.

A package whose modules moved calls :func:`alias_moved` from its ``__init__`` with the old names::

    alias_moved(__name__, {"control_lqr": "control.lqr"})

Then ``import <package>.control_lqr`` warns and gives the module ``<package>.control.lqr`` itself (the
same object, so attribute patches reach it).
"""
from __future__ import annotations

import importlib
import importlib.abc
import importlib.util
import sys
import warnings
from collections.abc import Mapping


class MovedModules(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Imports ``<package>.<old name>`` as the moved module, with a DeprecationWarning."""

    def __init__(self, package: str, moved: Mapping[str, str]) -> None:
        self.package = package
        self.moved = dict(moved)  # old name -> new name, both relative to the package

    def find_spec(self, fullname, path=None, target=None):
        prefix, _, name = fullname.rpartition(".")
        if prefix != self.package or name not in self.moved:
            return None
        return importlib.util.spec_from_loader(fullname, self)

    def create_module(self, spec):
        new = f"{self.package}.{self.moved[spec.name.rpartition('.')[2]]}"
        warnings.warn(f"{spec.name} is deprecated; import {new}", DeprecationWarning, stacklevel=2)
        return importlib.import_module(new)

    def exec_module(self, module):
        pass  # the moved module is already executed


def alias_moved(package: str, moved: Mapping[str, str]) -> None:
    """Let ``package.<old>`` import as ``package.<moved[old]>`` (once per package, however often called)."""
    if not any(isinstance(f, MovedModules) and f.package == package for f in sys.meta_path):
        sys.meta_path.insert(0, MovedModules(package, moved))  # before the editable install's map of the old files

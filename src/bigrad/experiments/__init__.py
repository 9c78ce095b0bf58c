"""bigrad.experiments: the paper's four tables (``bigrad experiments``).

Table 1 lives in the subpackage ``control`` (``lqr``, ``policy``, ``attack``,
``solver``), Table 2 in ``adversarial`` (``data``, ``model``), Tables 3 and 4 in
``warcraft`` and ``tsp``. The flat module names of earlier releases
(``bigrad.experiments.control_lqr``, ``adversarial_model``, ...) still import,
with a ``DeprecationWarning``.
"""
from __future__ import annotations

import importlib
import importlib.abc
import importlib.util
import sys
import warnings

#: old flat module name -> its place in the subpackages
_MOVED = {
    "control_attack": "control.attack",
    "control_lqr": "control.lqr",
    "control_policy": "control.policy",
    "control_solver": "control.solver",
    "adversarial_data": "adversarial.data",
    "adversarial_model": "adversarial.model",
}


class _MovedModules(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Imports ``bigrad.experiments.<old name>`` as the moved module, with a DeprecationWarning."""

    def find_spec(self, fullname, path=None, target=None):
        prefix, _, name = fullname.rpartition(".")
        if prefix != __name__ or name not in _MOVED:
            return None
        return importlib.util.spec_from_loader(fullname, self)

    def create_module(self, spec):
        new = f"{__name__}.{_MOVED[spec.name.rpartition('.')[2]]}"
        warnings.warn(f"{spec.name} is deprecated; import {new}", DeprecationWarning, stacklevel=2)
        return importlib.import_module(new)

    def exec_module(self, module):
        pass  # the moved module is already executed


if not any(isinstance(f, _MovedModules) for f in sys.meta_path):
    sys.meta_path.insert(0, _MovedModules())  # before the editable install's map of the old files

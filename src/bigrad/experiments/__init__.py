"""bigrad.experiments: the paper's four tables (``bigrad experiments``).

Table 1 lives in the subpackage ``control`` (``lqr``, ``policy``, ``attack``,
``solver``), Table 2 in ``adversarial`` (``data``, ``model``), Tables 3 and 4 in
``warcraft`` and ``tsp``. The flat module names of earlier releases
(``bigrad.experiments.control_lqr``, ``adversarial_model``, ...) still import,
with a ``DeprecationWarning``.
"""
from __future__ import annotations

from bigrad._moved import alias_moved

#: old flat module name -> its place in the subpackages
_MOVED = {
    "control_attack": "control.attack",
    "control_lqr": "control.lqr",
    "control_policy": "control.policy",
    "control_solver": "control.solver",
    "adversarial_data": "adversarial.data",
    "adversarial_model": "adversarial.model",
}

alias_moved(__name__, _MOVED)

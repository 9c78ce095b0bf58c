"""``scipy.sparse``, imported on first use.

Small instances are dense end to end, so ``bigrad miblp`` on them never pays
for importing scipy (about 0.1 s of the command's start-up).  The modules of
this package write ``from . import _sparse as sp`` (``from .. import`` in its
subpackages) and use ``sp`` as they would use ``scipy.sparse``: :func:`issparse`
answers without importing scipy (an object cannot be a scipy sparse matrix
before scipy.sparse is imported), and any other attribute imports scipy.sparse
and returns its member.
"""
from __future__ import annotations

import sys


def issparse(a) -> bool:
    """``scipy.sparse.issparse(a)``, without importing scipy."""
    mod = sys.modules.get("scipy.sparse")
    return mod is not None and bool(mod.issparse(a))


def __getattr__(name: str):
    import scipy.sparse

    return getattr(scipy.sparse, name)

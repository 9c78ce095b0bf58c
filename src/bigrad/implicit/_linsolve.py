"""Resolution of the ``solve=`` argument shared by the implicit-differentiation code."""
from __future__ import annotations

import functools
from collections.abc import Callable

from torch import Tensor

from bigrad.krylov import SOLVERS

__all__ = ["resolve_solve", "LinearSolve"]

#: ``solve(matvec, b) -> x`` or ``-> (x, info)``; ``b`` is ``[B, N]`` and ``matvec`` row-wise.
LinearSolve = Callable[..., Tensor | tuple]


def resolve_solve(solve, name: str = "solve", **defaults) -> Callable:
    """Return ``solve(matvec, b) -> (x, info_or_None)``.

    ``solve`` is a name (``"gmres"``, ``"minres"``, ``"bicgstab"``, ``"cg"``), in which case
    ``defaults`` (``tol``, ``maxiter``, ``on_fail``, ``restart`` for GMRES, ...)
    are bound, or a callable ``solve(matvec, b)`` returning ``x`` or ``(x, info)``.
    """
    if isinstance(solve, str):
        if solve not in SOLVERS:
            raise ValueError(f"{name} must be one of {sorted(SOLVERS)} or a callable, got {solve!r}")
        kwargs = {k: v for k, v in defaults.items() if v is not None}
        if solve != "gmres":
            kwargs.pop("restart", None)
        fn = functools.partial(SOLVERS[solve], **kwargs)
    elif callable(solve):
        fn = solve
    else:
        raise TypeError(f"{name} must be a string or a callable, got {type(solve).__name__}")

    def wrapped(matvec, b):
        out = fn(matvec, b)
        if isinstance(out, tuple):
            return out[0], (out[1] if len(out) > 1 else None)
        return out, None

    return wrapped

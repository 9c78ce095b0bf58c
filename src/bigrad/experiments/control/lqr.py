"""The linear system of the control experiment (paper Sec. 5.1) and its LQR solution.

``x_{t+1} = A x_t + B u_t + w_t`` with stage cost ``||x||^2 + ||u||^2`` (Eq. 10a).
The LQR value matrix ``S`` solves the discrete algebraic Riccati equation
``S = Qc + A'SA - A'SB (Rc + B'SB)^{-1} B'SA``; the ADP proxy of Eq. 11 starts
from the Bellman one-step look-ahead of ``V(x) = x'Sx``::

    ||x||^2 + ||u||^2 + V(Ax + Bu) = x'Wx + u'Pu + x'Qu     (q = 0)
    P = Rc + B'SB,   Q = 2 A'SB,   W = Qc + A'SA
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass
class LinearSystem:
    """``A [n, n]``, ``B [n, m]`` (float64) and the stage-cost weights ``Qc [n, n]``, ``Rc [m, m]``."""

    A: np.ndarray
    B: np.ndarray
    Qc: np.ndarray
    Rc: np.ndarray

    @property
    def n(self) -> int:
        return self.A.shape[0]

    @property
    def m(self) -> int:
        return self.B.shape[1]


def make_system(n: int, m: int, seed: int, *, spread: float = 0.3) -> LinearSystem:
    """A random, slightly unstable system: ``A = I + spread * G / sqrt(n)``, ``B = G' / sqrt(n)``.

    As in the cvxpylayers control example (``A`` near the identity, Gaussian ``B``)
    but with control authority large enough that the norm bound ``||u|| <= 1`` matters.
    """
    if n < 1 or m < 1:
        raise ValueError(f"n and m must be >= 1, got n={n}, m={m}")
    rng = np.random.default_rng(seed)
    A = np.eye(n) + spread * rng.standard_normal((n, n)) / np.sqrt(n)
    B = rng.standard_normal((n, m)) / np.sqrt(n)
    return LinearSystem(A, B, np.eye(n), np.eye(m))


def dare(A: np.ndarray, B: np.ndarray, Qc: np.ndarray, Rc: np.ndarray, *, tol: float = 1e-12,
         maxiter: int = 100_000) -> np.ndarray:
    """Stabilising solution ``S [n, n]`` of the discrete algebraic Riccati equation (value iteration).

    Raises ``RuntimeError`` when the iteration does not converge (e.g. ``(A, B)`` not stabilisable).
    """
    S = Qc.copy()
    for _ in range(maxiter):
        BS = B.T @ S
        with np.errstate(over="ignore", invalid="ignore"):
            S_new = Qc + A.T @ S @ A - (BS @ A).T @ np.linalg.solve(Rc + BS @ B, BS @ A)
        S_new = 0.5 * (S_new + S_new.T)
        if not np.isfinite(S_new).all() or np.abs(S_new).max() > 1e150:
            raise RuntimeError("dare: the Riccati iteration diverged ((A, B) is not stabilisable)")
        if np.abs(S_new - S).max() <= tol * max(1.0, np.abs(S_new).max()):
            return S_new
        S = S_new
    raise RuntimeError(f"dare: Riccati iteration did not converge in {maxiter} iterations")


def lqr_gain(sys: LinearSystem, S: np.ndarray) -> np.ndarray:
    """``K [m, n]`` with the LQR control ``u = -K x``."""
    BS = sys.B.T @ S
    return np.linalg.solve(sys.Rc + BS @ sys.B, BS @ sys.A)


def adp_init(sys: LinearSystem, S: np.ndarray) -> dict[str, np.ndarray]:
    """The ADP proxy from the LQR value ``S``: ``P [m, m]``, ``Q [n, m]``, ``q [m]`` and the state term ``W [n, n]``."""
    A, B = sys.A, sys.B
    return {
        "P": sys.Rc + B.T @ S @ B,
        "Q": 2.0 * A.T @ S @ B,
        "q": np.zeros(sys.m),
        "W": sys.Qc + A.T @ S @ A,
    }

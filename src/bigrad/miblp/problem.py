"""Data model of a mixed-integer bilevel linear program (MIBLP).

Problem class (all variables in one vector ``v`` of length ``n``)::

    min_v   c @ v + objective_offset                         (leader)
    s.t.    row_lower[i] <= A[i] @ v <= row_upper[i]         (rows not in follower_rows)
            lb <= v <= ub,  v[integer] integral
            v[F] in argopt_{u} { follower_c[F] @ u :             (opt = min or max)
                    row_lower[i] <= A[i, L] @ v[L] + A[i, F] @ u <= row_upper[i]
                                                             (rows in follower_rows)
                    lb[F] <= u <= ub[F],  u[integer[F]] integral }

``L`` are the leader (upper-level) variables, ``F = follower_vars`` the
follower (lower-level) ones.  Ties in the follower's problem are broken in
the leader's favour (optimistic bilevel solution).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from . import _sparse as sp
from .reading.mps_file import HIGHS_MAX_COEFFICIENT, coefficient_range_error

__all__ = ["Problem"]

_SENSES = ("min", "max")


def _float_array(name: str, value, shape: tuple[int, ...]) -> np.ndarray:
    if isinstance(value, (str, bytes)) or value is None:
        raise TypeError(f"{name} must be an array of numbers, got {type(value).__name__}")
    try:
        arr = np.array(value, dtype=float)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"{name} must be an array of numbers: {exc}") from None
    if arr.shape != shape:
        raise ValueError(f"{name} must have shape {shape}, got {arr.shape}")
    if np.isnan(arr).any():
        raise ValueError(f"{name} contains NaN")
    return arr


def _bool_array(name: str, value, size: int) -> np.ndarray:
    if isinstance(value, (str, bytes)) or value is None:
        raise TypeError(f"{name} must be a boolean array, got {type(value).__name__}")
    arr = np.asarray(value)
    if arr.shape != (size,):
        raise ValueError(f"{name} must have shape ({size},), got {arr.shape}")
    if arr.dtype != bool:
        if not np.issubdtype(arr.dtype, np.number) or not np.isin(arr, (0, 1)).all():
            raise TypeError(f"{name} must be a boolean array (True/False or 0/1)")
        arr = arr.astype(bool)
    return arr.copy()


@dataclass
class Problem:
    """A MIBLP instance in "one vector" form (see module docstring).

    Shapes (``n`` variables, ``m`` constraint rows):

    ============== ========= ===================================================
    field          shape     meaning
    ============== ========= ===================================================
    c              (n,)      leader objective (always minimised)
    A              (m, n)    constraint matrix: dense array, or any ``scipy.sparse``
                             matrix (kept sparse as CSR; see ``A_csr``/``A_dense``)
    row_lower      (m,)      row lower bounds (``-inf`` allowed)
    row_upper      (m,)      row upper bounds (``+inf`` allowed)
    lb, ub         (n,)      variable bounds (``-inf`` / ``+inf`` allowed)
    integer        (n,)      bool, variable must be integral
    follower_vars  (n,)      bool, variable belongs to the follower
    follower_rows  (m,)      bool, row belongs to the follower's problem
    follower_c     (n,)      follower objective, zero on leader variables
    ============== ========= ===================================================

    ``follower_sense`` is ``"min"`` or ``"max"``.  ``var_names`` / ``row_names``
    are optional lists of length ``n`` / ``m`` used in messages.

    Leader rows may contain follower variables ("coupling constraints");
    follower rows may contain leader variables (the "linking" variables).
    """

    c: np.ndarray
    A: Any  # np.ndarray, or a scipy.sparse matrix (CSR after __post_init__); scipy is untyped
    row_lower: np.ndarray
    row_upper: np.ndarray
    lb: np.ndarray
    ub: np.ndarray
    integer: np.ndarray
    follower_vars: np.ndarray
    follower_rows: np.ndarray
    follower_c: np.ndarray
    follower_sense: str = "min"
    var_names: list[str] | None = None
    row_names: list[str] | None = None
    name: str = "miblp"
    objective_offset: float = 0.0
    notes: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        if isinstance(self.c, (str, bytes)) or self.c is None:
            raise TypeError(f"c must be an array of numbers, got {type(self.c).__name__}")
        n = int(np.size(self.c))
        self.c = _float_array("c", self.c, (n,))
        if n == 0:
            raise ValueError("c must have at least one entry (the problem has no variables)")
        if isinstance(self.A, (str, bytes)) or self.A is None:
            raise TypeError(f"A must be a 2-D array of numbers, got {type(self.A).__name__}")
        if sp.issparse(self.A):
            self._init_sparse(n)
            return
        if hasattr(self.A, "toarray"):
            self.A = self.A.toarray()
        A = np.asarray(self.A, dtype=float) if not isinstance(self.A, np.ndarray) else self.A
        if A.ndim != 2:
            if A.size == 0:
                A = np.zeros((0, n))
            else:
                raise ValueError(f"A must be 2-D with {n} columns, got shape {np.shape(A)}")
        m = A.shape[0]
        self.A = _float_array("A", A, (m, n))
        if not np.isfinite(self.A).all():
            raise ValueError("A must contain only finite numbers")
        self._check_rest(n, m)

    def _check_magnitudes(self) -> None:
        """c, follower_c and A enter HiGHS' constraint matrices: each entry below HIGHS_MAX_COEFFICIENT."""
        arr: Any  # c, follower_c: arrays; A: array or scipy.sparse matrix
        for nm, arr in (("c", self.c), ("follower_c", self.follower_c), ("A", self.A)):
            data = arr.data if sp.issparse(arr) else arr
            if data.size and np.abs(data).max() >= HIGHS_MAX_COEFFICIENT:
                where: tuple[int, ...]
                if sp.issparse(arr):
                    coo = arr.tocoo()
                    k = int(np.argmax(np.abs(coo.data)))
                    where, val = (int(coo.row[k]), int(coo.col[k])), float(coo.data[k])
                else:
                    pos = np.unravel_index(int(np.argmax(np.abs(arr))), arr.shape)
                    val = float(arr[pos])
                    where = tuple(int(i) for i in pos)
                raise ValueError(coefficient_range_error(f"{nm}[{', '.join(map(str, where))}]", val))

    def _init_sparse(self, n: int) -> None:
        """``A`` given as a ``scipy.sparse`` matrix: kept sparse (CSR, float64, explicit zeros removed)."""
        A = self.A
        if A.ndim != 2 or A.shape[1] != n:
            raise ValueError(f"A must be 2-D with {n} columns, got shape {A.shape}")
        try:
            A = sp.csr_matrix(A, dtype=float)
        except (TypeError, ValueError) as exc:
            raise TypeError(f"A must be a sparse matrix of numbers: {exc}") from None
        A.sum_duplicates()
        if np.isnan(A.data).any():
            raise ValueError("A contains NaN")
        if not np.isfinite(A.data).all():
            raise ValueError("A must contain only finite numbers")
        A.eliminate_zeros()
        self.A = A
        self._check_rest(n, A.shape[0])

    def _check_rest(self, n: int, m: int) -> None:
        self.row_lower = _float_array("row_lower", self.row_lower, (m,))
        self.row_upper = _float_array("row_upper", self.row_upper, (m,))
        self.lb = _float_array("lb", self.lb, (n,))
        self.ub = _float_array("ub", self.ub, (n,))
        self.follower_c = _float_array("follower_c", self.follower_c, (n,))
        if not np.isfinite(self.c).all():
            raise ValueError("c must contain only finite numbers")
        if not np.isfinite(self.follower_c).all():
            raise ValueError("follower_c must contain only finite numbers")
        self._check_magnitudes()
        self.integer = _bool_array("integer", self.integer, n)
        self.follower_vars = _bool_array("follower_vars", self.follower_vars, n)
        self.follower_rows = _bool_array("follower_rows", self.follower_rows, m)
        if not isinstance(self.follower_sense, str) or self.follower_sense.lower() not in _SENSES:
            raise ValueError(f"follower_sense must be 'min' or 'max', got {self.follower_sense!r}")
        self.follower_sense = self.follower_sense.lower()
        if not self.follower_vars.any():
            raise ValueError("follower_vars selects no variable: the follower has nothing to decide")
        bad = np.flatnonzero(self.lb > self.ub)
        if bad.size:
            raise ValueError(f"lb > ub for variable {self._vname(int(bad[0]))}")
        bad = np.flatnonzero(self.row_lower > self.row_upper)
        if bad.size:
            raise ValueError(f"row_lower > row_upper for row {self._rname(int(bad[0]))}")
        bad = np.flatnonzero((self.lb == np.inf) | (self.ub == -np.inf))
        if bad.size:
            raise ValueError(f"variable {self._vname(int(bad[0]))} has an impossible infinite bound")
        bad = np.flatnonzero(~self.follower_vars & (self.follower_c != 0))
        if bad.size:
            raise ValueError(
                f"follower_c must be zero on leader variables; "
                f"{self._vname(int(bad[0]))} is a leader variable with coefficient "
                f"{self.follower_c[bad[0]]:g}"
            )
        if self.var_names is not None:
            self.var_names = [str(s) for s in self.var_names]
            if len(self.var_names) != n:
                raise ValueError(f"var_names must have length {n}, got {len(self.var_names)}")
        if self.row_names is not None:
            self.row_names = [str(s) for s in self.row_names]
            if len(self.row_names) != m:
                raise ValueError(f"row_names must have length {m}, got {len(self.row_names)}")
        if not isinstance(self.name, str):
            raise TypeError(f"name must be a string, got {type(self.name).__name__}")
        try:
            self.objective_offset = float(self.objective_offset)
        except (TypeError, ValueError):
            raise TypeError("objective_offset must be a number") from None
        if not np.isfinite(self.objective_offset):
            raise ValueError("objective_offset must be finite")
        # integer variables: round their bounds inwards
        self.lb = np.where(self.integer & np.isfinite(self.lb), np.ceil(self.lb - 1e-9), self.lb)
        self.ub = np.where(self.integer & np.isfinite(self.ub), np.floor(self.ub + 1e-9), self.ub)
        bad = np.flatnonzero(self.lb > self.ub)
        if bad.size:
            raise ValueError(f"integer variable {self._vname(int(bad[0]))} has no integral value in its bounds")

    # ------------------------------------------------------------------ helpers
    @classmethod
    def from_blocks(
        cls,
        *,
        leader_c_x,
        leader_c_y,
        follower_c_y,
        x_lb,
        x_ub,
        y_lb,
        y_ub,
        x_integer,
        y_integer,
        A_x=None,
        A_y=None,
        b=None,
        Q_x=None,
        P_y=None,
        s=None,
        follower_sense: str = "min",
        name: str = "miblp",
    ) -> Problem:
        """Build the textbook block form (inequalities ``<=`` only)::

            min_{x,y} leader_c_x @ x + leader_c_y @ y
            s.t.      A_x @ x + A_y @ y <= b                       (leader rows, k rows)
                      x_lb <= x <= x_ub, x[x_integer] integral
                      y in argopt { follower_c_y @ y :  Q_x @ x + P_y @ y <= s   (p rows)
                                    y_lb <= y <= y_ub, y[y_integer] integral }

        Shapes: x has ``nx`` entries, y has ``ny``; ``A_x`` (k, nx), ``A_y`` (k, ny),
        ``b`` (k,), ``Q_x`` (p, nx), ``P_y`` (p, ny), ``s`` (p,).  Omitted row blocks
        mean "no rows".  The variable vector of the result is ``[x, y]``.
        """
        cx = np.atleast_1d(_float_array("leader_c_x", leader_c_x, (np.size(leader_c_x),)))
        cy = np.atleast_1d(_float_array("leader_c_y", leader_c_y, (np.size(leader_c_y),)))
        nx, ny = cx.size, cy.size
        if ny == 0:
            raise ValueError("leader_c_y must have at least one entry (the follower needs variables)")

        def block(nm: str, val, rows: int, cols: int) -> np.ndarray:
            if val is None:
                return np.zeros((rows, cols))
            if isinstance(val, (str, bytes)):
                raise TypeError(f"{nm} must be a 2-D array of numbers")
            arr = np.asarray(val, dtype=float)
            if arr.size == 0 and rows * cols == 0:
                arr = arr.reshape(rows, cols)
            if arr.shape != (rows, cols):
                raise ValueError(f"{nm} must have shape {(rows, cols)}, got {arr.shape}")
            return arr

        k = 0 if b is None else int(np.size(b))
        p = 0 if s is None else int(np.size(s))
        b_arr = _float_array("b", np.zeros(0) if b is None else b, (k,))
        s_arr = _float_array("s", np.zeros(0) if s is None else s, (p,))
        A_x_arr = block("A_x", A_x, k, nx)
        A_y_arr = block("A_y", A_y, k, ny)
        Q_arr = block("Q_x", Q_x, p, nx)
        P_arr = block("P_y", P_y, p, ny)
        A = np.vstack([np.hstack([A_x_arr, A_y_arr]), np.hstack([Q_arr, P_arr])])
        n = nx + ny
        wy = _float_array("follower_c_y", follower_c_y, (ny,))
        return cls(
            c=np.concatenate([cx, cy]),
            A=A.reshape(k + p, n),
            row_lower=np.full(k + p, -np.inf),
            row_upper=np.concatenate([b_arr, s_arr]),
            lb=np.concatenate([_float_array("x_lb", x_lb, (nx,)), _float_array("y_lb", y_lb, (ny,))]),
            ub=np.concatenate([_float_array("x_ub", x_ub, (nx,)), _float_array("y_ub", y_ub, (ny,))]),
            integer=np.concatenate([_bool_array("x_integer", x_integer, nx), _bool_array("y_integer", y_integer, ny)]),
            follower_vars=np.concatenate([np.zeros(nx, bool), np.ones(ny, bool)]),
            follower_rows=np.concatenate([np.zeros(k, bool), np.ones(p, bool)]),
            follower_c=np.concatenate([np.zeros(nx), wy]),
            follower_sense=follower_sense,
            var_names=[f"x{i}" for i in range(nx)] + [f"y{j}" for j in range(ny)],
            row_names=[f"leader{i}" for i in range(k)] + [f"follower{j}" for j in range(p)],
            name=name,
        )

    @property
    def n(self) -> int:
        """Number of variables."""
        return self.c.size

    @property
    def m(self) -> int:
        """Number of constraint rows."""
        return self.A.shape[0]

    @property
    def is_sparse(self) -> bool:
        """``A`` is stored as a ``scipy.sparse`` CSR matrix (it was given sparse)."""
        return sp.issparse(self.A)

    @property
    def A_csr(self) -> sp.csr_matrix:
        """``A`` (m, n) as a CSR matrix (converted once and cached for a dense ``A``)."""
        if sp.issparse(self.A):
            return self.A
        cache = self.__dict__.get("_csr_cache")
        if cache is None or cache[0] is not self.A:
            cache = (self.A, sp.csr_matrix(self.A))
            self.__dict__["_csr_cache"] = cache
        return cache[1]

    @property
    def A_dense(self) -> np.ndarray:
        """``A`` (m, n) as a dense array (a new array for a sparse ``A``: mind the memory)."""
        return self.A.toarray() if sp.issparse(self.A) else self.A

    @property
    def leader_idx(self) -> np.ndarray:
        """Indices of leader variables, shape (n_leader,)."""
        return np.flatnonzero(~self.follower_vars)

    @property
    def follower_idx(self) -> np.ndarray:
        """Indices of follower variables, shape (n_follower,)."""
        return np.flatnonzero(self.follower_vars)

    @property
    def linking_idx(self) -> np.ndarray:
        """Leader variables with a nonzero coefficient in some follower row."""
        if self.m == 0:
            return np.zeros(0, dtype=int)
        return np.flatnonzero(self.columns_used(self.follower_rows) & ~self.follower_vars)

    def columns_used(self, rows) -> np.ndarray:
        """(n,) bool: columns with a nonzero coefficient in the rows ``rows`` ((m,) bool or indices)."""
        rows = np.flatnonzero(rows) if np.asarray(rows).dtype == bool else np.asarray(rows, dtype=int)
        if not sp.issparse(self.A):
            return (self.A[rows] != 0).any(axis=0)
        sub = self.A[rows]
        used = np.zeros(self.n, bool)
        used[sub.indices[sub.data != 0]] = True
        return used

    def row(self, i: int | np.integer) -> np.ndarray:
        """Row ``i`` of ``A`` as a dense (n,) array."""
        return self.A[i].toarray().ravel() if sp.issparse(self.A) else self.A[i]

    def A_with_rows(self, *rows) -> np.ndarray | sp.csr_matrix:
        """``A`` with the dense rows ``rows`` (each (n,) or (k, n)) appended, dense or sparse like ``A``."""
        extra = [np.asarray(r, dtype=float).reshape(-1, self.n) for r in rows]
        if sp.issparse(self.A):
            return sp.vstack([self.A, *(sp.csr_matrix(r) for r in extra)], format="csr")
        return np.vstack([self.A, *extra])

    def rows_used(self, cols) -> np.ndarray:
        """(m,) bool: rows with a nonzero coefficient in the columns ``cols`` (indices)."""
        sub = self.A[:, np.asarray(cols, dtype=int)]
        if not sp.issparse(sub):
            return (sub != 0).any(axis=1)
        return np.diff(sub.tocsr().indptr) > 0

    def _vname(self, j: int | np.integer) -> str:
        return repr(self.var_names[j]) if self.var_names else f"#{j}"

    def _rname(self, i: int) -> str:
        return repr(self.row_names[i]) if self.row_names else f"#{i}"

    def var_name(self, j: int | np.integer) -> str:
        """Display name of variable ``j``."""
        return self._vname(j)

    def leader_objective(self, v) -> float:
        """Leader objective ``c @ v + objective_offset`` of a full vector ``v`` (n,)."""
        return float(self.c @ np.asarray(v, dtype=float) + self.objective_offset)

    def follower_objective(self, v) -> float:
        """Follower objective (in the follower's own sense) of a full vector ``v`` (n,)."""
        return float(self.follower_c @ np.asarray(v, dtype=float))

    def max_violation(self, v) -> float:
        """Largest violation of rows, bounds and integrality by a full vector ``v`` (n,)."""
        v = np.asarray(v, dtype=float)
        if v.shape != (self.n,):
            raise ValueError(f"v must have shape ({self.n},), got {v.shape}")
        act = self.A @ v if self.m else np.zeros(0)
        viol = [0.0]
        if self.m:
            viol.append(float(np.max(np.maximum(self.row_lower - act, act - self.row_upper), initial=0.0)))
        viol.append(float(np.max(np.maximum(self.lb - v, v - self.ub))))
        if self.integer.any():
            viol.append(float(np.max(np.abs(v[self.integer] - np.round(v[self.integer])))))
        return max(viol)

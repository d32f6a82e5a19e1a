"""The lowest and highest value of a sum of counts over the reader's equations.

One HiGHS model (through highspy, HiGHS's own Python binding) answers both ends: the
minimum, then the maximum from the minimum's basis. SciPy's ``linprog`` gives the
same answers (the reference, kept beside this in ``tests/test_ranges.py``) but checks
and converts its inputs on every call, which cost three times the solve itself when a
published report asks for thousands of ranges.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from highspy._core import _Highs


@dataclass(frozen=True)
class End:
    """One end of a range: the optimum, or None when there is none (unbounded)."""

    value: float | None
    at: np.ndarray | None = None
    """The counts that reach it (a vertex); None for an integer programme."""
    duals: np.ndarray | None = None
    """Each equation's dual value at the optimum; None for an integer programme."""


class Infeasible(ValueError):
    """No counts satisfy the equations: the figures contradict each other."""


def extremes(
    a_eq: np.ndarray, b_eq: np.ndarray, objective: np.ndarray, *, integer: bool
) -> tuple[End, End]:
    """Minimum and maximum of ``objective @ x`` subject to ``a_eq @ x == b_eq``,
    ``x >= 0`` (and whole numbers when ``integer``)."""
    import highspy
    from highspy._core import _Highs

    # The base class: the wrapper's constructor installs callbacks, which prints
    # HiGHS's banner on standard output before output can be switched off.
    h = _Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("threads", 1)
    rows, cols = a_eq.shape
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = cols, rows
    lp.col_cost_ = np.asarray(objective, dtype=float)
    lp.col_lower_ = np.zeros(cols)
    lp.col_upper_ = np.full(cols, highspy.kHighsInf)
    lp.row_lower_ = lp.row_upper_ = np.asarray(b_eq, dtype=float)
    by_column = np.asarray(a_eq, dtype=float).T
    nonzero = by_column != 0
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = np.concatenate(([0], np.cumsum(nonzero.sum(axis=1)))).astype(np.int32)
    lp.a_matrix_.index_ = np.nonzero(nonzero)[1].astype(np.int32)
    lp.a_matrix_.value_ = by_column[nonzero]
    if integer:
        lp.integrality_ = [highspy.HighsVarType.kInteger] * cols
    h.passModel(lp)
    low = _solve(h, integer, sign=1.0)
    if low.value is None:
        raise Infeasible(h.modelStatusToString(h.getModelStatus()))
    h.changeColsCost(cols, np.arange(cols, dtype=np.int32), -lp.col_cost_)
    high = _solve(h, integer, sign=-1.0)
    return low, high


def _solve(h: _Highs, integer: bool, *, sign: float) -> End:
    import highspy

    h.run()
    if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        return End(None)
    value = sign * float(h.getInfo().objective_function_value)
    if integer:
        return End(value)
    solution = h.getSolution()
    return End(value, np.asarray(solution.col_value), np.asarray(solution.row_dual))

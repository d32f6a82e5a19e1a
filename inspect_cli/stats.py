"""Small statistics for reports: rounding, Wilson intervals, chi-square of independence.

The distribution functions come from ``scipy.special`` (a quarter of a second to
import, where ``scipy.stats`` or statsmodels take over a second and would make
every report command slow). The formulas around them are the textbook ones and are
checked against ``statsmodels`` and ``scipy.stats`` in tests/test_stats.py.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
import numpy.typing as npt


def pct(part: int, whole: int) -> int | None:
    """100 × part / whole rounded half up to a whole number, exactly (no float error)."""
    if whole <= 0:
        return None
    return int((Fraction(100 * part, whole) + Fraction(1, 2)) // 1)


@dataclass(frozen=True)
class Interval:
    """A 95% interval for a share, in percent (0–100), one decimal place."""

    low: float
    high: float


def wilson(count: int, total: int, confidence: float = 0.95) -> Interval | None:
    """Wilson score interval for ``count`` of ``total`` (as statsmodels' method='wilson')."""
    if total <= 0:
        return None
    from scipy.special import ndtri

    z = float(ndtri(1 - (1 - confidence) / 2))
    p = count / total
    denom = 1 + z * z / total
    centre = (p + z * z / (2 * total)) / denom
    half = z * math.sqrt(p * (1 - p) / total + z * z / (4 * total * total)) / denom
    return Interval(
        round(100 * max(0.0, centre - half), 1), round(100 * min(1.0, centre + half), 1)
    )


@dataclass(frozen=True)
class ChiSquare:
    """Pearson's chi-square test of independence on a rows × grades table."""

    statistic: float
    dof: int
    p_value: float
    min_expected: float
    small_expected_cells: int  # expected count below 5
    cells: int

    @property
    def reliable(self) -> bool:
        """The usual rule: no expected count below 1, and at most a fifth below 5."""
        return self.min_expected >= 1 and self.small_expected_cells <= self.cells / 5


def chi_square(table: npt.ArrayLike) -> ChiSquare | None:
    """Test whether the grade shares differ between rows more than chance would explain.

    Rows or columns that are all zero are dropped first (as they carry no information);
    None when fewer than two rows or two columns remain.
    """
    observed = np.asarray(table, dtype=float)
    observed = observed[observed.sum(axis=1) > 0][:, observed.sum(axis=0) > 0]
    if observed.ndim != 2 or min(observed.shape) < 2:
        return None
    from scipy.special import chdtrc

    expected = np.outer(observed.sum(axis=1), observed.sum(axis=0)) / observed.sum()
    statistic = float(((observed - expected) ** 2 / expected).sum())
    dof = (observed.shape[0] - 1) * (observed.shape[1] - 1)
    return ChiSquare(
        statistic=round(statistic, 3),
        dof=dof,
        p_value=float(chdtrc(dof, statistic)),
        min_expected=round(float(expected.min()), 2),
        small_expected_cells=int((expected < 5).sum()),
        cells=int(expected.size),
    )

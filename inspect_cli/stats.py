"""Small statistics for reports: rounding, Wilson intervals, chi-square of independence.

Every report command needs these, and importing ``scipy.stats`` or statsmodels takes
over a second (``scipy.special`` alone 0.2 s), which would make the tool feel slow
on every run. So the normal quantile comes from the standard library
(``statistics.NormalDist``) and the chi-square tail probability from its closed form
for whole degrees of freedom (Abramowitz and Stegun 26.4.4-5, with ``math.erfc``).
So are the Mann–Whitney U test (auditor drift) and the two-proportion z-test
(trends). All are checked against statsmodels and ``scipy.stats`` in
tests/test_stats.py; the heavier statistics of moderation use those libraries directly.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from statistics import NormalDist

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
    z = NormalDist().inv_cdf(1 - (1 - confidence) / 2)
    p = count / total
    denom = 1 + z * z / total
    centre = (p + z * z / (2 * total)) / denom
    half = z * math.sqrt(p * (1 - p) / total + z * z / (4 * total * total)) / denom
    return Interval(
        round(100 * max(0.0, centre - half), 1), round(100 * min(1.0, centre + half), 1)
    )


def significant(p: float, digits: int = 6) -> float:
    """A probability to ``digits`` significant figures: the last digits of a float tail
    probability differ between libraries and platforms, and mean nothing."""
    return float(f"{p:.{digits}g}")


def chi2_sf(x: float, dof: int) -> float:
    """P(X >= x) for a chi-square variable with ``dof`` (a whole number) degrees of freedom."""
    if x <= 0:
        return 1.0
    half = x / 2
    if dof % 2 == 0:  # exp(-x/2) * sum_{i < dof/2} (x/2)^i / i!
        term = total = 1.0
        for i in range(1, dof // 2):
            term *= half / i
            total += term
        return min(1.0, math.exp(-half) * total)
    # odd: erfc(sqrt(x/2)) + exp(-x/2) * sum_{i=1}^{(dof-1)/2} x^(i-1/2) / (1*3*...*(2i-1)) * sqrt(2/pi)
    total = math.erfc(math.sqrt(half))
    term = math.sqrt(2 * x / math.pi) * math.exp(-half)
    for i in range(1, (dof + 1) // 2):
        total += term
        term *= x / (2 * i + 1)
    return min(1.0, total)


def mann_whitney_p(x: npt.ArrayLike, y: npt.ArrayLike) -> float:
    """Two-sided p-value of the Mann–Whitney U test, by the normal approximation with
    the tie correction and the continuity correction: what ``scipy.stats.mannwhitneyu``
    gives (its default, ``method='auto'``) when both samples have more than 8 values,
    without the 0.35 s its import costs every force report. Smaller samples, where
    SciPy enumerates the exact distribution instead, are refused."""
    a, b = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    n1, n2 = len(a), len(b)
    if n1 <= 8 or n2 <= 8:
        raise ValueError("the normal approximation needs more than 8 values in each sample")
    if np.isnan(a).any() or np.isnan(b).any():
        raise ValueError("a sample holds NaN: drop the missing values first")
    _, where, ties = np.unique(np.concatenate([a, b]), return_inverse=True, return_counts=True)
    average_rank = np.cumsum(ties) - (ties - 1) / 2  # tied values share their mean rank
    u1 = float(average_rank[where[:n1]].sum()) - n1 * (n1 + 1) / 2
    u = max(u1, n1 * n2 - u1)
    n = n1 + n2
    tie_term = float((ties.astype(float) ** 3 - ties).sum())
    spread = math.sqrt(n1 * n2 / 12 * ((n + 1) - tie_term / (n * (n - 1))))
    if spread == 0:  # every value the same: nothing differs
        return 1.0
    z = (u - n1 * n2 / 2 - 0.5) / spread
    return min(1.0, math.erfc(z / math.sqrt(2)))


_MAX_LOG = 709.782712893384  # log of the largest double (Cephes' MAXLOG)


def two_proportion_p(counts: tuple[int, int], totals: tuple[int, int]) -> float | None:
    """Two-sided p-value of the pooled two-proportion z-test of ``counts[0]`` of
    ``totals[0]`` against ``counts[1]`` of ``totals[1]``: what statsmodels'
    ``proportions_ztest`` gives (its default, the pooled variance), without the
    0.9 s its import costs every ``trend`` run. None when there is nothing to test (an
    empty side, or every case one way in both), where statsmodels gives NaN."""
    (a, b), (n1, n2) = counts, totals
    if n1 <= 0 or n2 <= 0 or not 0 < a + b < n1 + n2:
        return None
    if not (0 <= a <= n1 and 0 <= b <= n2):
        raise ValueError("a count is more than its total")
    pooled = (a + b) / (n1 + n2)
    spread = math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    x = abs(a / n1 - b / n2) / spread / math.sqrt(2)
    if x * x > _MAX_LOG:  # as SciPy's normal tail: 0 where erfc leaves the normal floats
        return 0.0
    return min(1.0, math.erfc(x))


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
    expected = np.outer(observed.sum(axis=1), observed.sum(axis=0)) / observed.sum()
    statistic = float(((observed - expected) ** 2 / expected).sum())
    dof = (observed.shape[0] - 1) * (observed.shape[1] - 1)
    return ChiSquare(
        statistic=round(statistic, 3),
        dof=dof,
        p_value=significant(chi2_sf(statistic, dof)),
        min_expected=round(float(expected.min()), 2),
        small_expected_cells=int((expected < 5).sum()),
        cells=int(expected.size),
    )

"""Exact tests for small counts: Fisher's exact test on a 2 × k table (Freeman and
Halton's extension when k > 2) and Holm's adjustment for several tests at once.

SciPy's ``fisher_exact`` is exact only for 2 × 2 tables; for larger ones it samples
permutations, so its p-value changes from run to run. A report must say the same
thing every time, so the 2 × k test is computed here by enumerating every table with
the observed margins (a few thousand tables for a team's readings; past
:data:`MAX_TABLES`, where counts are large, Pearson's chi-square test instead).
"""

from __future__ import annotations

from collections.abc import Sequence
from math import lgamma

import numpy as np

MAX_TABLES = 2_000_000
"""Most first rows the exact test enumerates; beyond, the chi-square test (see
:func:`_chi_square`): for three grades, a smaller row of over 1,413 readings."""
_TOLERANCE = 1 + 1e-7
"""A table counts as 'as extreme' when its probability is within this factor of the
observed one (floating-point ties), as in R's ``fisher.test`` and SciPy."""


def _log_comb(n: int, k: np.ndarray) -> np.ndarray:
    """log C(n, k) for each k in 0..n (other k are never passed)."""
    lg = np.vectorize(lgamma, otypes=[float])
    return np.asarray(lgamma(n + 1) - lg(k + 1) - lg(n - k + 1), dtype=float)


def fisher_2xk(first: Sequence[int], second: Sequence[int]) -> float | None:
    """Two-sided exact p-value of independence in the 2 × k table (``first`` row,
    ``second`` row): the probability, with both margins fixed, of a table no more
    likely than the one observed. None when a row or every column is empty (nothing
    to test)."""
    if len(first) != len(second) or any(x < 0 for x in (*first, *second)):
        raise ValueError("two rows of non-negative counts, of equal length")
    cols = [int(a) + int(b) for a, b in zip(first, second, strict=True) if a + b > 0]
    row = [int(a) for a, b in zip(first, second, strict=True) if a + b > 0]
    n1, total = sum(row), sum(cols)
    if n1 == 0 or n1 == total or len(cols) < 2:
        return None
    if 2 * n1 > total:  # enumerate the smaller row: the same test, fewer tables
        row, n1 = [c - x for c, x in zip(cols, row, strict=True)], total - n1
    if (n1 + 1) ** (len(cols) - 1) > MAX_TABLES:
        return _chi_square(row, cols)
    # Every possible first row, as its running sum and log-weight, built a column at a
    # time (vectorised); the last column is whatever the row's total leaves.
    logs = [_log_comb(c, np.arange(c + 1)) for c in cols]
    observed = sum(float(lw[x]) for lw, x in zip(logs, row, strict=True))
    sums, weights = np.zeros(1, dtype=np.int64), np.zeros(1)
    for lw, c in zip(logs[:-1], cols[:-1], strict=True):
        top = min(c, n1)  # a cell of the row never exceeds the row's total
        sums = (sums[:, None] + np.arange(top + 1)[None, :]).ravel()
        weights = (weights[:, None] + lw[None, : top + 1]).ravel()
        keep = sums <= n1
        sums, weights = sums[keep], weights[keep]
    last = n1 - sums
    fits = (last >= 0) & (last <= cols[-1])
    every = weights[fits] + logs[-1][last[fits]]
    norm = lgamma(total + 1) - lgamma(n1 + 1) - lgamma(total - n1 + 1)
    probs = np.exp(every - norm)
    limit = np.exp(observed - norm) * _TOLERANCE
    return float(min(1.0, probs[probs <= limit].sum()))


def _chi_square(row: list[int], cols: list[int]) -> float:
    """Pearson's chi-square test of the 2 × k table, for tables too large to enumerate
    (more first rows than :data:`MAX_TABLES`): with counts that large it agrees
    with the exact test to the precision a report shows."""
    from scipy.stats import chi2_contingency

    table = np.array([row, [c - x for c, x in zip(cols, row, strict=True)]])
    return float(chi2_contingency(table, correction=False).pvalue)


def holm(p_values: Sequence[float]) -> list[float]:
    """Holm's step-down adjustment: each p-value made comparable with the level
    wanted for the whole family of tests (so that, over all of them, the chance of
    any false alarm stays at that level). Order kept."""
    m = len(p_values)
    order = sorted(range(m), key=lambda i: p_values[i])
    adjusted = [0.0] * m
    running = 0.0
    for rank, i in enumerate(order):
        running = max(running, min(1.0, (m - rank) * p_values[i]))
        adjusted[i] = running
    return adjusted

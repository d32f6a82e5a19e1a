"""The light statistics in inspect_cli.stats agree with statsmodels and scipy.stats."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import chi2_contingency, mannwhitneyu
from statsmodels.stats.proportion import proportion_confint, proportions_ztest

from inspect_cli.stats import (
    chi_square,
    mann_whitney_p,
    pct,
    significant,
    two_proportion_p,
    wilson,
)


@given(st.integers(0, 500), st.integers(1, 500))
def test_wilson_matches_statsmodels(count: int, total: int) -> None:
    count = min(count, total)
    ours = wilson(count, total)
    low, high = proportion_confint(count, total, alpha=0.05, method="wilson")
    assert ours is not None
    assert ours.low == pytest.approx(round(100 * low, 1), abs=0.051)
    assert ours.high == pytest.approx(round(100 * high, 1), abs=0.051)


def test_wilson_textbook_value() -> None:
    # 24 of 115 (Force C's good cases in the published table): 14.4% to 29.2%.
    assert wilson(24, 115) is not None
    assert (wilson(24, 115).low, wilson(24, 115).high) == (14.4, 29.2)  # type: ignore[union-attr]
    assert wilson(0, 0) is None


@given(
    st.lists(
        st.lists(st.integers(0, 60), min_size=3, max_size=3).filter(lambda r: sum(r) > 0),
        min_size=2,
        max_size=9,
    )
)
def test_chi_square_matches_scipy(rows: list[list[int]]) -> None:
    table = np.array(rows)
    ours = chi_square(table)
    kept = table[:, table.sum(axis=0) > 0]
    if kept.shape[1] < 2:
        assert ours is None
        return
    statistic, p, dof, expected = chi2_contingency(kept, correction=False)
    assert ours is not None
    assert ours.statistic == pytest.approx(statistic, abs=1e-3)
    assert ours.p_value == pytest.approx(p, rel=1e-5, abs=1e-12)  # to 6 significant figures
    assert ours.dof == dof
    assert ours.min_expected == pytest.approx(expected.min(), abs=0.01)


def test_published_table_2_is_significant_and_reliable() -> None:
    table = [
        [37, 20, 24],
        [24, 34, 57],
        [37, 49, 28],
        [26, 27, 44],
        [13, 9, 13],
        [20, 23, 20],
        [20, 17, 34],
    ]
    result = chi_square(table)
    assert result is not None and result.reliable and result.p_value < 0.001


def test_small_tables_are_flagged_unreliable() -> None:
    result = chi_square([[1, 0, 2], [0, 3, 1]])
    assert result is not None and not result.reliable


@pytest.mark.parametrize(
    ("part", "whole", "expected"),
    [(37, 81, 46), (24, 115, 21), (57, 115, 50), (1, 8, 13), (1, 200, 1), (0, 5, 0), (1, 0, None)],
)
def test_pct_rounds_half_up_exactly(part: int, whole: int, expected: int | None) -> None:
    assert pct(part, whole) == expected


@given(st.floats(0, 200, allow_nan=False), st.integers(1, 60))
def test_chi2_tail_matches_scipy(x: float, dof: int) -> None:
    from scipy.stats import chi2

    from inspect_cli.stats import chi2_sf

    assert chi2_sf(x, dof) == pytest.approx(chi2.sf(x, dof), rel=1e-9, abs=1e-15)


@given(
    st.lists(
        st.sampled_from([0.0, 0.1, 0.25, 0.5, 1.0]) | st.floats(0, 1), min_size=9, max_size=60
    ),
    st.lists(
        st.sampled_from([0.0, 0.1, 0.25, 0.5, 1.0]) | st.floats(0, 1), min_size=9, max_size=60
    ),
)
def test_mann_whitney_matches_scipy(x: list[float], y: list[float]) -> None:
    # Shares of worst answers: many ties (a few values drawn often) and unique values.
    if len(set(x + y)) < 2:
        assert mann_whitney_p(x, y) == 1.0
        return
    expected = mannwhitneyu(x, y, alternative="two-sided").pvalue
    assert mann_whitney_p(x, y) == pytest.approx(expected, rel=1e-9, abs=1e-15)


def test_mann_whitney_textbook_value() -> None:
    # 9 against 10 values, no ties, completely separated: U = 90 (all 9 x 10 pairs),
    # mean 45, sd sqrt(9 * 10 * 20 / 12) = sqrt(150); z = (90 - 45 - 0.5) / sqrt(150)
    # = 3.6334; two-sided p = erfc(z / sqrt(2)) = 0.000280.
    first, second = list(range(10, 19)), list(range(10))
    assert mann_whitney_p(first, second) == pytest.approx(0.000280, abs=5e-7)


def test_mann_whitney_refuses_samples_scipy_would_test_exactly() -> None:
    with pytest.raises(ValueError, match="more than 8"):
        mann_whitney_p(range(8), range(20))


def test_mann_whitney_refuses_missing_values() -> None:
    # SciPy would give NaN; a report must not test a sample with holes in it.
    with pytest.raises(ValueError, match="NaN"):
        mann_whitney_p([1.0] * 20, [1.0] * 19 + [float("nan")])


@settings(max_examples=300, derandomize=True, deadline=None)
@given(
    st.integers(1, 2_000)
    .flatmap(lambda n1: st.tuples(st.integers(0, n1), st.just(n1), st.integers(1, 2_000)))
    .flatmap(lambda t: st.tuples(st.just(t[0]), st.just(t[1]), st.integers(0, t[2]), st.just(t[2])))
)
def test_two_proportion_z_test_matches_statsmodels(drawn: tuple[int, int, int, int]) -> None:
    a, n1, b, n2 = drawn
    got = two_proportion_p((a, b), (n1, n2))
    if not 0 < a + b < n1 + n2:  # nothing to test: statsmodels gives NaN
        assert got is None
        return
    _, expected = proportions_ztest(np.array([a, b]), np.array([n1, n2]))
    assert got is not None
    assert got == pytest.approx(float(expected), rel=1e-9, abs=1e-300)
    assert significant(got) == significant(float(expected))  # what a trend report shows


def test_two_proportion_textbook_value() -> None:
    # 30 of 100 against 15 of 100: pooled 0.225, se sqrt(0.225 * 0.775 * 0.02) = 0.05906,
    # z = 0.15 / 0.05906 = 2.5399; two-sided p = 0.01109.
    assert two_proportion_p((30, 15), (100, 100)) == pytest.approx(0.01109, abs=5e-6)


def test_two_proportion_refuses_counts_past_their_totals() -> None:
    with pytest.raises(ValueError, match="more than its total"):
        two_proportion_p((5, 12), (10, 10))


@pytest.mark.parametrize(
    ("counts", "totals"), [((0, 0), (10, 10)), ((10, 10), (10, 10)), ((0, 3), (0, 5))]
)
def test_two_proportion_has_nothing_to_test(
    counts: tuple[int, int], totals: tuple[int, int]
) -> None:
    # No case either way, every case one way, an empty round: statsmodels gives NaN.
    assert two_proportion_p(counts, totals) is None

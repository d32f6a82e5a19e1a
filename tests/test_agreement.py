"""Agreement coefficients (inspect_cli.agreement) against published worked examples and
reference libraries, and properties that hold for any ratings.

The irrCAC package (Gwet's coefficients in Python) is not a test dependency: it pins
scipy 1.12 and pandas < 3 and cannot be installed beside this project's versions
(docs/dependencies.md). Its published doctest values are used instead.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from inspect_cli.agreement import (
    ALTMAN,
    benchmark,
    cohen_weighted_kappa,
    fleiss_kappa,
    gwet_ac,
    krippendorff_ordinal,
    linear_weights,
    percent_agreement,
    rating_counts,
)

NA = np.nan
# irrCAC's raw_4raters (Gwet 2014, ch. 2): 12 units, 4 raters, 5 categories, missing
# ratings; categories 1-5 as codes 0-4.
RAW_4RATERS = (
    np.array(
        [
            [1, 1, NA, 1],
            [2, 2, 3, 2],
            [3, 3, 3, 3],
            [3, 3, 3, 3],
            [2, 2, 2, 2],
            [1, 2, 3, 4],
            [4, 4, 4, 4],
            [1, 1, 2, 1],
            [2, 2, 2, 2],
            [NA, 5, 5, 5],
            [NA, NA, 1, 1],
            [NA, NA, 3, NA],
        ]
    )
    - 1
)


def test_gwet_ac1_four_raters_published() -> None:
    # irrCAC raw.py doctest: AC1 0.77544, SE 0.14295, CI (0.46081, 1), pa 0.81818, pe 0.19032.
    ac1 = gwet_ac(rating_counts(RAW_4RATERS, 5))
    assert ac1.name == "AC1"
    assert ac1.value == pytest.approx(0.77544, abs=5e-6)
    assert ac1.se == pytest.approx(0.14295, abs=5e-6)
    assert ac1.ci is not None and ac1.ci[0] == pytest.approx(0.46081, abs=5e-6)
    assert ac1.ci[1] == 1.0
    assert ac1.observed == pytest.approx(0.81818, abs=5e-6)
    assert ac1.chance == pytest.approx(0.19032, abs=5e-6)
    assert ac1.units == 11  # unit 12 has one rating: out of the agreement term


def test_gwet_benchmark_four_raters_published() -> None:
    # The reference note: AC1 0.7754 (SE 0.1430) is benchmarked "moderate" on the
    # Landis-Koch scale, cumulative probability 0.995 - not "substantial", which the
    # point estimate alone would suggest.
    b = benchmark(0.7754, 0.1430)
    assert b is not None and b.level == "moderate"
    assert b.probability == pytest.approx(0.995, abs=5e-4)
    levels = dict(b.cumulative)
    assert levels["substantial"] == pytest.approx(0.8832, abs=5e-4)


def test_altman_benchmark_published() -> None:
    # irrCAC benchmark.py doctest: kappa 0.67, SE 0.15 on the Altman scale.
    b = benchmark(0.67, 0.15, ALTMAN, "Altman")
    assert b is not None and b.level == "moderate"
    got = [round(p, 5) for _, p in b.cumulative]
    assert got == [0.18168, 0.67511, 0.96356, 0.99912, 1.0]


def test_gwet_ac2_linear_four_raters() -> None:
    # irrCAC CAC(raw_4raters(), weights="linear", categories=[1, 2, 3, 4, 5]).gwet().
    ac2 = gwet_ac(rating_counts(RAW_4RATERS, 5), linear_weights(5))
    assert ac2.name == "AC2"
    assert ac2.value == pytest.approx(0.85874, abs=5e-6)
    assert ac2.se == pytest.approx(0.11733, abs=5e-6)
    assert ac2.ci is not None and ac2.ci[0] == pytest.approx(0.6005, abs=5e-6)
    assert ac2.observed == pytest.approx(0.93939, abs=5e-6)


def test_fleiss_kappa_four_raters_published() -> None:
    # irrCAC raw.py doctest: Fleiss' kappa 0.76117, SE 0.15302, CI (0.42438, 1), pe 0.23872.
    k = fleiss_kappa(rating_counts(RAW_4RATERS, 5))
    assert k.value == pytest.approx(0.76117, abs=5e-6)
    assert k.se == pytest.approx(0.15302, abs=5e-6)
    assert k.ci is not None and k.ci[0] == pytest.approx(0.42438, abs=5e-6)
    assert k.chance == pytest.approx(0.23872, abs=5e-6)


# Fleiss (1971), as worked in Wikipedia's "Fleiss' kappa": 10 subjects, 14 raters each,
# 5 categories; P-bar 0.378, P-bar-e 0.213, kappa 0.210.
FLEISS_1971 = np.array(
    [
        [0, 0, 0, 0, 14],
        [0, 2, 6, 4, 2],
        [0, 0, 3, 5, 6],
        [0, 3, 9, 2, 0],
        [2, 2, 8, 1, 1],
        [7, 7, 0, 0, 0],
        [3, 2, 6, 3, 0],
        [2, 5, 3, 2, 2],
        [6, 5, 2, 1, 0],
        [0, 2, 2, 3, 7],
    ],
    dtype=float,
)


def test_fleiss_kappa_fleiss_1971_and_statsmodels() -> None:
    from statsmodels.stats.inter_rater import fleiss_kappa as sm_fleiss

    k = fleiss_kappa(FLEISS_1971)
    assert k.value == pytest.approx(0.210, abs=5e-4)
    assert k.observed == pytest.approx(0.378, abs=5e-4)
    assert k.chance == pytest.approx(0.213, abs=5e-4)
    assert k.value == pytest.approx(sm_fleiss(FLEISS_1971), abs=1e-12)


def test_percent_agreement_by_hand() -> None:
    # Of the 11 units rated twice or more, 8 agree fully (1.0), units 2 and 8 have 3 of
    # 6 agreeing pairs (0.5), unit 6 none: (8 + 0.5 + 0.5 + 0) / 11 = 9 / 11 = 0.81818.
    assert percent_agreement(rating_counts(RAW_4RATERS, 5)) == pytest.approx(9 / 11)


def test_krippendorff_ordinal_matches_package_with_full_domain() -> None:
    import krippendorff

    got = krippendorff_ordinal(RAW_4RATERS, 5)
    data = np.where(RAW_4RATERS < 0, np.nan, RAW_4RATERS).T
    want = krippendorff.alpha(
        reliability_data=data, level_of_measurement="ordinal", value_domain=list(range(5))
    )
    assert got == pytest.approx(want)
    assert krippendorff_ordinal(np.zeros((5, 2)), 3) is None  # one value: alpha is 0/0


def _pairs(confusion: list[list[int]]) -> np.ndarray:
    rows = [(a, b) for a in range(3) for b in range(3) for _ in range(confusion[a][b])]
    return np.array(rows, dtype=float)


def test_kappa_paradox_96_of_100() -> None:
    # The case: 96 of 100 agree, nearly all 'good'. Kappa -0.02 and alpha
    # -0.015 (both 'no better than chance'); AC2 0.979, AC1 0.959.
    confusion = [[96, 2, 0], [2, 0, 0], [0, 0, 0]]
    kappa, _, _ = cohen_weighted_kappa(np.array(confusion))
    assert kappa == pytest.approx(-0.0204, abs=1e-4)
    pairs = _pairs(confusion)
    assert krippendorff_ordinal(pairs, 3) == pytest.approx(-0.0153, abs=1e-4)
    counts = rating_counts(pairs, 3)
    ac2 = gwet_ac(counts, linear_weights(3))
    assert ac2.value == pytest.approx(0.9793, abs=1e-4)
    assert ac2.se == pytest.approx(0.0105, abs=1e-4)
    assert gwet_ac(counts).value == pytest.approx(0.9592, abs=1e-4)
    b = benchmark(ac2.value, ac2.se)
    assert b is not None and b.level == "almost perfect"


def test_two_raters_ac1_equals_gwet_closed_form() -> None:
    # Gwet (2008), two raters, two categories: AC1 = (pa - pe) / (1 - pe) with
    # pe = 2 pi (1 - pi), pi the mean share of the first category over both raters.
    confusion = [[20, 5, 0], [10, 15, 0], [0, 0, 0]]
    pairs = _pairs(confusion)
    two = np.array([[20, 5], [10, 15]])
    pa = 35 / 50
    pi = (two.sum(axis=1)[0] + two.sum(axis=0)[0]) / 100
    pe = 2 * pi * (1 - pi) / 2  # q = 3 grades: divided by q - 1 = 2
    ac1 = gwet_ac(rating_counts(pairs, 3))
    assert ac1.value == pytest.approx((pa - pe) / (1 - pe))


ratings = st.integers(min_value=2, max_value=12).flatmap(
    lambda n: st.lists(
        st.lists(st.sampled_from([-1, 0, 1, 2]), min_size=3, max_size=3), min_size=n, max_size=n
    )
)


@given(ratings)
def test_coefficients_bounded(rows: list[list[int]]) -> None:
    counts = rating_counts(np.array(rows), 3)
    for c in (gwet_ac(counts), gwet_ac(counts, linear_weights(3)), fleiss_kappa(counts)):
        if c.value is None:
            continue
        assert c.value <= 1 + 1e-9
        assert c.observed is not None and 0 <= c.observed <= 1 + 1e-9
        if c.se is not None:
            assert c.se >= 0 and not math.isnan(c.se)
        if c.ci is not None:
            assert -1 <= c.ci[0] <= c.value + 1e-9 and c.value - 1e-9 <= c.ci[1] <= 1
    pa = percent_agreement(counts)
    assert pa is None or 0 <= pa <= 1


@given(ratings)
def test_gwet_ac_does_not_depend_on_rater_order(rows: list[list[int]]) -> None:
    a = np.array(rows)
    one = gwet_ac(rating_counts(a, 3), linear_weights(3))
    other = gwet_ac(rating_counts(a[:, ::-1], 3), linear_weights(3))
    assert (one.value is None) == (other.value is None)
    if one.value is not None:
        assert one.value == pytest.approx(other.value)
        assert one.se == pytest.approx(other.se)


@given(st.floats(-1, 1), st.floats(0.001, 0.5))
def test_benchmark_cumulative_is_monotone_and_reaches_95(value: float, se: float) -> None:
    b = benchmark(value, se)
    assert b is not None
    probs = [p for _, p in b.cumulative]
    assert all(x <= y + 1e-12 for x, y in itertools.pairwise(probs))
    assert probs[-1] == pytest.approx(1.0)
    assert b.probability >= 0.95 - 1e-9
    # The level named is never above the one the point estimate falls in.
    names = [lvl for lvl, _ in b.cumulative]
    point = next(
        lvl for lvl, low in zip(names, (0.8, 0.6, 0.4, 0.2, 0.0, -1.0), strict=True) if value >= low
    )
    assert names.index(b.level) >= names.index(point)

"""Agreement coefficients as moderation reports show them: rounded, benchmarked, and
with the rule that decides which coefficient a report leads with.

The rule (docs/moderation.md, "Which coefficient leads"): lead with Gwet's AC2 when
prevalence is skewed (one grade holds at least 80% of all the grades given), when
Cohen's kappa cannot be measured (a side used a single grade), or when kappa and AC2
reach different benchmark levels; otherwise lead with kappa. When every grade is the
same but for a few, the chance agreement kappa subtracts is nearly the observed
agreement, so kappa and Krippendorff's alpha fall towards zero or below at 96%
agreement ("the kappa paradox"); AC2 stays close to the observed agreement
(reference note: agreement-statistics.md; Gwet 2014, ch. 4).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from inspect_cli.agreement import (
    Benchmark,
    Coefficient,
    benchmark,
    cohen_weighted_kappa,
    fleiss_kappa,
    gwet_ac,
    krippendorff_ordinal,
    linear_weights,
    rating_counts,
)
from inspect_cli.frameworks import GRADES
from inspect_cli.stats import pct

SKEWED_SHARE_PCT = 80
NOT_ENOUGH = "not enough cases to say"


@dataclass(frozen=True)
class Rated:
    """A coefficient as reported: three decimals, its benchmark level and words."""

    name: str
    value: float | None
    se: float | None
    ci: tuple[float, float] | None
    level: str | None  # Landis-Koch benchmark level, or None when not benchmarked
    level_probability: float | None  # cumulative membership probability of ``level``
    words: str


@dataclass(frozen=True)
class Lead:
    """Which coefficient a report leads with, and why."""

    coefficient: str  # "ac2" or "kappa"
    skewed: bool
    top_grade: str | None
    top_grade_share_pct: int | None
    reason: str | None  # plain words, when AC2 leads


def _round(x: float | None) -> float | None:
    return None if x is None else round(x, 3)


def benchmark_words(b: Benchmark | None) -> str:
    """'at least substantial agreement (97.1% sure, Landis-Koch)'."""
    if b is None:
        return NOT_ENOUGH
    if b.level == "poor":
        return "not shown to be better than chance (Landis-Koch benchmark)"
    return f"at least {b.level} agreement ({probability_text(b.probability)} sure, Landis-Koch)"


def probability_text(p: float) -> str:
    """'99.6%'; 'over 99.9%' rather than a rounded 100%."""
    return "over 99.9%" if p >= 0.9995 else f"{100 * p:.1f}%"


def rated(c: Coefficient, agree: int, units: int) -> Rated:
    """Round and benchmark a coefficient. With no disagreement at all its standard
    error is 0, which is no measure of precision: no benchmark then, and the words
    say so (the Wilson interval of the share agreeing is the honest measure)."""
    if c.value is None or units < 2:
        return Rated(c.name, _round(c.value), None, None, None, None, NOT_ENOUGH)
    if agree == units and (c.se is None or c.se == 0):
        words = f"every case agreed ({agree} of {units}): no spread to benchmark against"
        return Rated(c.name, _round(c.value), _round(c.se), None, None, None, words)
    b = benchmark(c.value, c.se)
    ci = (round(c.ci[0], 3), round(c.ci[1], 3)) if c.ci else None
    return Rated(
        c.name,
        _round(c.value),
        _round(c.se),
        ci,
        b.level if b else None,
        round(b.probability, 4) if b else None,
        benchmark_words(b),
    )


def single_grade_side(confusion: npt.NDArray[np.int_]) -> int | None:
    """0 (rows) or 1 (columns) when that side gave every case one grade: Cohen's
    kappa is then 0 by construction, whatever the agreement."""
    for side, axis in ((0, 1), (1, 0)):
        if (confusion.sum(axis=axis) > 0).sum() == 1:
            return side
    return None


def two_rater_kappa(confusion: npt.NDArray[np.int_], sides: tuple[str, str]) -> Rated:
    """Cohen's linearly weighted kappa (statsmodels), benchmarked; None where a side
    used one grade only (statsmodels then gives 0 with a zero-width interval)."""
    agree, n = int(np.trace(confusion)), int(confusion.sum())
    single = single_grade_side(confusion)
    if single is not None and n >= 2:
        words = f"cannot be measured: {sides[single]} gave every case the same grade"
        return Rated("Cohen's weighted kappa", None, None, None, None, None, words)
    kappa, se, ci = cohen_weighted_kappa(confusion)
    c = Coefficient("Cohen's weighted kappa", kappa, se, ci, None, None, n)
    return rated(c, agree, n)


def gwet_pair(counts: npt.NDArray[np.float64], agree: int, units: int) -> tuple[Rated, Rated]:
    """AC1 (nominal) and AC2 (linear weights) on the three grades."""
    q = len(GRADES)
    return (
        rated(gwet_ac(counts), agree, units),
        rated(gwet_ac(counts, linear_weights(q)), agree, units),
    )


def fleiss(counts: npt.NDArray[np.float64], agree: int, units: int) -> Rated:
    return rated(fleiss_kappa(counts), agree, units)


def alpha(ratings: npt.NDArray[np.float64]) -> float | None:
    return _round(krippendorff_ordinal(ratings, len(GRADES)))


def pair_counts(first: npt.ArrayLike, second: npt.ArrayLike) -> npt.NDArray[np.float64]:
    """Two raters' grade codes → units × grades counts."""
    return rating_counts(np.column_stack([first, second]), len(GRADES))


def choose_lead(
    counts: npt.NDArray[np.float64],
    kappa: Rated,
    ac2: Rated,
    agree: int,
    units: int,
    *,
    who: str = "the two sides",
) -> Lead:
    """The documented rule (module docstring); ``counts`` units × grades."""
    per_grade = counts.sum(axis=0)
    total = int(per_grade.sum())
    if total == 0:
        return Lead("kappa", False, None, None, None)
    top = int(per_grade.argmax())
    share = pct(int(per_grade[top]), total)
    skewed = share is not None and share >= SKEWED_SHARE_PCT
    grade = GRADES[top]
    if skewed:
        reason = (
            f"{share}% of the grades given were {grade}. When one grade dominates, the "
            "agreement kappa expects by chance is itself nearly the observed agreement, so "
            "kappa (and Krippendorff's alpha) fall towards zero, or below, even though "
            f"{who} agree on {agree} of {units} cases. Gwet's AC2 is not distorted "
            "this way, so it is the better guide here."
        )
    elif kappa.value is None and ac2.value is not None and units >= 2:
        reason = f"Kappa {kappa.words}; Gwet's AC2 can still be measured."
    elif kappa.level is not None and ac2.level is not None and kappa.level != ac2.level:
        reason = (
            "Kappa and Gwet's AC2 reach different benchmark levels; AC2 is less affected "
            "by uneven grade shares, so it leads."
        )
    else:
        return Lead("kappa", False, grade, share, None)
    return Lead("ac2", skewed, grade, share, reason)

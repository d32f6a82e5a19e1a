"""Sentences that say what report numbers mean, shared by every report format."""

from __future__ import annotations

from inspect_cli.aggregate import Findings
from inspect_cli.stats import ChiSquare

_FRACTION_WORDS = {"1/3": "a third", "1/2": "a half", "1/4": "a quarter", "2/3": "two thirds"}


def threshold_words(threshold: str) -> str:
    return _FRACTION_WORDS.get(threshold, threshold)


def findings_sentences(f: Findings) -> list[str]:
    if not f.forces_recorded:
        return ["No force has cases of this audit type, so there are no findings."]
    out = []
    if f.good_pct_range:
        low, high = f.good_pct_range
        out.append(f"The share of cases graded good ranged from {low}% to {high}% across forces.")
    if f.inadequate_pct_range:
        low, high = f.inadequate_pct_range
        out.append(f"The share of cases graded inadequate ranged from {low}% to {high}%.")
    n = f.forces_at_least_75pct_adequate_or_better
    out.append(
        f"{n} of {f.forces_recorded} force{'s' if f.forces_recorded != 1 else ''} had at least "
        "75% of cases adequate or better."
    )
    if f.overall_inadequate_pct is not None:
        out.append(f"Overall, {f.overall_inadequate_pct}% of cases were inadequate.")
    words = threshold_words(f.serious_concern_threshold)
    if f.serious_concern:
        out.append(
            f"More than {words} of cases were inadequate in {', '.join(f.serious_concern)}: "
            "a serious cause for concern."
        )
    else:
        out.append(f"No force had more than {words} of its cases inadequate.")
    return out


def p_value_text(p: float) -> str:
    return "< 0.001" if p < 0.001 else f"{p:.3g}"


def chi_square_sentence(cs: ChiSquare | None) -> str:
    if cs is None:
        return "Too few forces with cases to test whether the grades vary between forces."
    verdict = (
        "more than chance would explain"
        if cs.p_value < 0.05
        else "no more than chance could explain"
    )
    text = (
        f"Chi-square test of force × grade: χ² = {cs.statistic:.2f}, {cs.dof} degrees of freedom, "
        f"p {'=' if cs.p_value >= 0.001 else ''}{p_value_text(cs.p_value)}: the grades vary between "
        f"forces {verdict}."
    )
    if not cs.reliable:
        text += (
            f" Caution: some expected counts are small (smallest {cs.min_expected:g}; "
            f"{cs.small_expected_cells} of {cs.cells} below 5), so the test cannot be trusted."
        )
    return text

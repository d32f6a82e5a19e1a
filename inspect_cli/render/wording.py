"""Sentences that say what report numbers mean, shared by every report format."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from fractions import Fraction
from typing import TYPE_CHECKING

from inspect_cli.reports.suppress import SYMBOL

if TYPE_CHECKING:  # the models' modules import pandas; wording needs only their types
    from inspect_cli.reports.coefficients import Rated
    from inspect_cli.reports.common import GradeRow, ReportMeta
    from inspect_cli.reports.judgement import JudgementRow
    from inspect_cli.reports.moderation import Agreement
    from inspect_cli.reports.thematic import Findings
    from inspect_cli.reports.trend import Change
    from inspect_cli.stats import ChiSquare

_FRACTION_WORDS = {
    "1/2": "a half",
    "1/3": "a third",
    "2/3": "two thirds",
    "1/4": "a quarter",
    "3/4": "three quarters",
    "1/5": "a fifth",
}
_NUMBER_WORDS = (
    "no",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
)


def threshold_words(threshold: str) -> str:
    """'1/3' → 'a third'; a fraction without a name stays as it is ('2/5')."""
    return _FRACTION_WORDS.get(threshold.strip(), threshold)


def count_words(n: int, noun: str) -> str:
    """'one force', 'seven forces', '12 forces'."""
    word = _NUMBER_WORDS[n] if 0 <= n < len(_NUMBER_WORDS) else f"{n:,}"
    return f"{word} {noun}{'' if n == 1 else 's'}"


def join_words(items: Sequence[str]) -> str:
    """'A', 'A and B', 'A, B and C'."""
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def share_hidden(rows: Sequence[GradeRow], grade: str) -> bool:
    """Whether some force's share of ``grade`` is hidden by small-number suppression."""
    return any(r.recorded and f"{grade}_pct" in r.suppressed for r in rows)


def findings_sentences(f: Findings, rows: Sequence[GradeRow] = ()) -> list[str]:
    """The key findings of a thematic report, in words.

    ``rows`` are the force rows of the report: when a force's share is hidden by
    small-number suppression, the ranges say they cover only the shares shown.
    """
    if not f.forces_recorded:
        return ["No force has cases of this audit type, so there are no findings."]
    out = []
    forces = count_words(f.forces_recorded, "force")
    if f.good_pct_range is not None:
        low, high = f.good_pct_range
        among = (
            f"among the forces whose share is shown (others are shown as '{SYMBOL}')"
            if share_hidden(rows, "good")
            else f"across the {forces} with recorded assessments"
        )
        out.append(f"The share of cases graded good ranged from {low}% to {high}% {among}.")
    if f.inadequate_pct_range is not None:
        low, high = f.inadequate_pct_range
        among = " among the forces whose share is shown" if share_hidden(rows, "inadequate") else ""
        out.append(f"The share of cases graded inadequate ranged from {low}% to {high}%{among}.")
    n = f.forces_at_least_75pct_adequate_or_better
    left_out = list(f.forces_not_assessed)
    if left_out:
        assessed = f.forces_recorded - len(left_out)
        out.append(
            f"{count_words(n, 'force').split(' ')[0].capitalize() if n else 'None'} of the "
            f"{count_words(assessed, 'force')} whose figures are shown had at least 75% of "
            "cases graded adequate or better; "
            f"{join_words(left_out)} {'is' if len(left_out) == 1 else 'are'} left out because "
            "the inadequate count or total is hidden."
        )
    elif f.forces_recorded == 1:
        verb = "had" if n else "did not have"
        out.append(
            f"The one force with recorded assessments {verb} at least 75% of cases graded "
            "adequate or better."
        )
    else:
        subject = "None" if n == 0 else count_words(n, "force").split(" ")[0].capitalize()
        out.append(
            f"{subject} of the {forces} had at least 75% of cases graded adequate or better."
        )
    if f.overall_inadequate_pct is not None:
        out.append(f"Overall, {f.overall_inadequate_pct}% of cases were inadequate.")
    more_than = f"more than {threshold_words(f.serious_concern_threshold)}"
    view = concern_line(f.serious_concern_threshold)
    concern = list(f.serious_concern)
    by_label = {r.label: r for r in rows}
    hidden = (
        f" Whether {join_words(left_out)} {'does' if len(left_out) == 1 else 'do'} is not "
        "shown: the inadequate count or total is hidden."
        if left_out
        else ""
    )
    if concern:
        who = count_words(len(concern), "force").capitalize()
        verb = "has" if len(concern) == 1 else "have"
        named = [
            flag_text(by_label[n], f.serious_concern_threshold) if n in by_label else n
            for n in concern
        ]
        view += (
            f" {who} {verb} {more_than} of the cases audited inadequate (marked ▲ in the "
            f"table): {join_words(named)}."
        )
    else:
        view += f" No force {'whose figures are shown ' if left_out else ''}reached that level."
    out.append(view + hidden + " " + NOT_A_RATING)
    return out


NOT_A_RATING = (
    "The ▲ marks are this tool's reading of the audited cases, not a rating of the force: "
    "the 2014 force inspection reports did not rate forces individually."
)
INTERVAL_MEANING = (
    "The 95% interval (Wilson) is the range of shares that fits the cases audited, as "
    "sampled; with fewer cases it is wider. Cases were drawn by area of practice, not at "
    "random from all of a force's cases, so it is not an interval for the force's whole "
    "caseload."
)


def concern_line(threshold: str) -> str:
    """The serious-concern line as the source words it (HMIC, *In harm's way*, 2015),
    or, for another threshold, as the framework's own setting."""
    if Fraction(threshold.replace(" ", "")) == Fraction(1, 3):
        return (
            "There is no national benchmark for these shares; in its 2015 thematic "
            "report the inspectorate gave its view that more than a third of cases "
            "inadequate is a serious cause for concern."
        )
    return (
        "There is no national benchmark for these shares; this framework marks more "
        f"than {threshold_words(threshold)} of cases inadequate as a serious cause for concern."
    )


def flag_text(row: GradeRow, threshold: str) -> str:
    """'Force C (50%, 95% interval 41–59%)', saying when the interval reaches down to the
    threshold: the cases audited then do not show the force's share is above it."""
    ci = row.inadequate_ci
    if ci is None or row.inadequate_pct is None:
        return row.label
    text = f"{row.label} ({row.inadequate_pct}%, 95% interval {ci.low:.0f}–{ci.high:.0f}%"
    if Fraction(ci.low).limit_denominator(10_000) / 100 <= Fraction(threshold.replace(" ", "")):
        words = threshold_words(threshold)
        text += f", which includes {'one ' + words[2:] if words.startswith('a ') else words}"
    return text + ")"


def p_value_text(p: float) -> str:
    return "< 0.001" if p < 0.001 else f"{p:.3g}"


def p_value(p: float) -> str:
    """'< 0.001' or '= ' and three significant figures, to follow a 'p'."""
    text = p_value_text(p)
    return text if text.startswith("<") else f"= {text}"


def chi_square_sentences(cs: ChiSquare | None, *, withheld: bool = False) -> list[str]:
    """The test of whether the grades vary between forces, in words."""
    if withheld:
        return [
            "The chi-square test of whether the grades differ between forces is left out of "
            "this published report: it is worked out from every count of the table, hidden "
            "ones included, so it would give them away."
        ]
    if cs is None:
        return [
            "There are too few forces with recorded assessments to test whether the "
            "grades differ between forces."
        ]
    verdict = (
        "differences this large between forces are unlikely to be chance alone"
        if cs.p_value < 0.05
        else "differences this large between forces could well be chance"
    )
    out = [
        "A chi-square test of whether the shares of good, adequate and inadequate cases "
        f"differ between forces gives χ² = {cs.statistic:.2f} with {cs.dof} degrees of "
        f"freedom, p {p_value(cs.p_value)}: {verdict}.",
        "The test says whether the forces differ, not which forces differ or why.",
    ]
    if not cs.reliable:
        out.append(
            "Some expected counts are too small for the test to be trusted "
            f"(smallest expected count {cs.min_expected:g}; "
            f"{cs.small_expected_cells} of {cs.cells} cells below 5)."
        )
    return out


def chi_square_sentence(cs: ChiSquare | None, *, withheld: bool = False) -> str:
    """:func:`chi_square_sentences` as one paragraph."""
    return " ".join(chi_square_sentences(cs, withheld=withheld))


def kappa_text(a: Agreement) -> str:
    """Weighted kappa, its SE and interval, and Gwet's benchmark in words; where kappa
    cannot be measured, why ('–' when there are too few cases)."""
    if a.weighted_kappa is None:
        return "–" if a.kappa_words == "not enough cases to say" else a.kappa_words
    ci = a.kappa_ci
    return rated_text(replace(a.kappa, value=a.weighted_kappa, ci=ci, words=a.kappa_words))


def rated_text(r: Rated) -> str:
    """'0.98 (SE 0.01; 95% CI 0.96 to 1.00): at least almost perfect agreement (…)'."""
    if r.value is None:
        return "–" if r.words == "not enough cases to say" else r.words
    se = f"SE {r.se:.2f}" if r.se is not None else ""
    ci = f"95% CI {r.ci[0]:.2f} to {r.ci[1]:.2f}" if r.ci else ""
    detail = "; ".join(x for x in (se, ci) if x)
    return f"{r.value:.2f}{f' ({detail})' if detail else ''}: {r.words}"


def lead_text(a: Agreement) -> str | None:
    """Why a moderation report leads with Gwet's AC2, when it does."""
    return a.lead.reason if a.lead.coefficient == "ac2" else None


def direction_text(a: Agreement) -> str:
    text = f"force higher in {a.self_higher}, lower in {a.self_lower}, same in {a.same}"
    if a.sign_test_p is not None:
        verdict = (
            "the force marks itself higher more often than chance would explain"
            if a.sign_test_p < 0.05
            else "no evidence that the force marks itself higher more often than lower"
        )
        text += f"; {verdict} (sign test p {p_value_text(a.sign_test_p)})"
    return text


def points_text(points: int | None, exact: Fraction | None = None) -> str:
    """A change in percentage points: '+3', '-18', '0'; '+0' or '-0' for a change
    that rounds to no points but is not none (``exact``); a dash when there is none."""
    if points is None:
        return "–"
    if points or not exact:
        return f"{points:+d}" if points else "0"
    return "+0" if exact > 0 else "-0"


def change_text(c: Change) -> str:
    if c.inadequate_points is None:
        return "fewer than two rounds with cases: no change to test"
    return change_words(
        "inadequate",
        c.inadequate_points,
        c.inadequate_change,
        c.inadequate_z_p,
        c.chi_square,
        "grades by round",
    )


def change_words(
    share: str,
    points: int,
    exact: Fraction | None,
    z_p: float | None,
    chi: ChiSquare | None,
    table: str,
) -> str:
    """A change in ``share`` between two rounds and its tests, as every report words one
    (the trend's grades, a re-inspection's answers): the direction, the points, and what
    the two-proportion test and the chi-square over ``table`` say."""
    moved = exact if exact is not None else points
    direction = "down" if moved < 0 else "up" if moved > 0 else "unchanged"
    text = f"{share} share {direction}"
    if points:
        n = abs(points)
        text += f" {n} point{'s' if n != 1 else ''}"
    elif moved:
        text += " less than half a point"
    if z_p is not None:
        verdict = (
            "more than chance would explain" if z_p < 0.05 else "within what chance could explain"
        )
        text += f" ({verdict}; two-proportion test p {p_value_text(z_p)})"
    if chi is not None:
        text += f"; {table}: chi-square p {p_value_text(chi.p_value)}"
        if not chi.reliable:
            text += " (too few cases for the test to be trusted)"
    return text


def grades_used_text(meta: ReportMeta) -> str:
    """Which grades the report counted, and how many of each (without counts when
    published: a count of cases is a figure)."""
    used = dict(meta.grades_used)
    recorded, computed = used.get("recorded"), used.get("computed")
    if meta.grade_source == "computed":
        return "Grades: the framework's suggested grade for every case (recorded grades not used)."
    if meta.grade_source == "recorded":
        n = "" if recorded is None else f" ({recorded:,} cases)"
        return f"Grades: the auditor's recorded grade{n}; cases without one are not counted."
    if recorded is None or computed is None:
        return (
            "Grades: the auditor's recorded grade where given, else the framework's "
            "suggested grade."
        )
    if not computed:
        return f"Grades: the auditor's recorded grade, for all {recorded:,} cases."
    if not recorded:
        return (
            f"Grades: the framework's suggested grade, for all {computed:,} cases (no "
            "auditor recorded a grade)."
        )
    return (
        f"Grades: {recorded:,} recorded by the auditor; {computed:,} suggested by the "
        "framework's rules, where no grade was recorded."
    )


JUDGEMENT_TITLE = "Judgement and rule"
JUDGEMENT_INTRO = (
    "Cases were judged by auditors, not scored: the grade the framework's rules suggest "
    "(points, thresholds and limiting indicators of this tool's own, see docs/scoring.md) "
    "is a prompt to look again, and the auditor's recorded grade is the grade of record. "
    "Only overall grades are recorded, so stages are not compared."
)
JUDGEMENT_COLUMNS = ("Force", "Compared", "Agree", "%", "Higher", "Lower", "No rationale")
"""Cases with both grades; agreeing (number, share); recorded higher or lower than the
suggestion; differing without a rationale."""


def judgement_sentences(row: JudgementRow) -> list[str]:
    """One row of the judgement-and-rule section, in words."""
    if not row.compared:
        return ["No case has both a recorded grade and a suggested one."]
    out = [
        f"The recorded grade agreed with the framework's suggestion in {row.agree:,} of "
        f"{row.compared:,} cases ({row.agree_pct}%)."
    ]
    differ = row.compared - row.agree
    if differ:
        out.append(
            f"Of the {differ:,} that differ, the auditor recorded a higher grade in "
            f"{row.recorded_higher:,} and a lower one in {row.recorded_lower:,}; "
            f"{row.without_rationale:,} have no rationale recorded."
        )
    return out


def judgement_cells(row: JudgementRow) -> tuple[str, ...]:
    """A row of the judgement table as text cells, in :data:`JUDGEMENT_COLUMNS` order."""
    share = "–" if row.agree_pct is None else f"{row.agree_pct}%"
    numbers = (row.compared, row.agree)
    tail = (row.recorded_higher, row.recorded_lower, row.without_rationale)
    return (row.label, *(f"{n:,}" for n in numbers), share, *(f"{n:,}" for n in tail))

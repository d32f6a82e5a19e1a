"""Self-contained HTML reports: the thematic (cross-force) page and the one-force page.

Formatting only: every number comes from the report models in
:mod:`inspect_cli.aggregate`; this module turns them into words, table cells and
chart geometry. Safety rules (see docs on HTML report injection):

- the jinja2 environment is created with ``autoescape=True`` (never extension
  sniffing), and no template marks input as safe;
- input text is only ever put into element content, never into attributes
  (CSS classes are picked from a fixed list);
- the page loads nothing: inline CSS, inline SVG charts, no script, no URLs, and a
  Content-Security-Policy meta tag so that even an escaping bug could not run script
  or fetch anything.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from inspect_cli.aggregate import (
    AnswerCounts,
    Findings,
    ForceReport,
    GradeRow,
    GradeShare,
    ReportMeta,
    ThematicReport,
)
from inspect_cli.frameworks import GRADES
from inspect_cli.resources import data_dir
from inspect_cli.stats import ChiSquare, Interval

CASE_LIST_LIMIT = 200
SMALL_GROUP = 10  # groups with fewer cases are marked as too small to draw conclusions

# Chart geometry (SVG user units; the charts scale to the page width).
LABEL_W = 170.0
BAR_W = 470.0
NOTE_W = 190.0
ROW_H = 26.0
BAR_H = 18.0
TOP = 8.0
MIN_LABEL_SEGMENT = 34.0  # narrower bar segments get no percentage inside them
MAX_CHART_LABEL = 24

_AUDIT_TYPE = {
    "inspector": "inspectors' case assessments",
    "self-assessment": "forces' self-assessments",
    "all": "all case assessments (inspectors' and forces' self-assessments)",
}
_GRADE_SOURCE = {
    "recorded": "the overall grade the auditor recorded for each case",
    "computed": "the grade computed from the indicator answers by the framework's rules",
}
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


# --------------------------------------------------------------------------- formatting


def number(n: int) -> str:
    return f"{n:,}"


def percent(p: int | None) -> str:
    return "–" if p is None else f"{p}%"


def count_pct(n: int, p: int | None) -> str:
    """A published-table cell: "24 (21%)"."""
    return number(n) if p is None else f"{number(n)} ({p}%)"


def interval(ci: Interval | None) -> str:
    return "–" if ci is None else f"{ci.low:.1f}–{ci.high:.1f}%"


def p_value(p: float) -> str:
    """'< 0.001' or '= ' and three significant figures."""
    if p < 0.001:
        return "< 0.001"
    return f"= {p:.3g}"


def days(value: float | int | None) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if float(value).is_integer():
        return number(int(value))
    return f"{value:,.1f}"


def grade_class(grade: str) -> str:
    """A CSS class from a fixed list: never input text in an attribute."""
    return f"grade-{grade}" if grade in GRADES else "grade-other"


def grade_word(grade: str) -> str:
    return grade.capitalize()


def count_words(n: int, noun: str) -> str:
    word = _NUMBER_WORDS[n] if 0 <= n < len(_NUMBER_WORDS) else number(n)
    return f"{word} {noun}{'' if n == 1 else 's'}"


def join_words(items: Sequence[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def threshold_words(threshold: str) -> str:
    """'1/3' → 'more than a third'."""
    return f"more than {_FRACTION_WORDS.get(threshold.strip(), threshold)}"


def how_to_read(meta: ReportMeta) -> str:
    kind = _AUDIT_TYPE.get(meta.audit_type, meta.audit_type)
    source = _GRADE_SOURCE.get(meta.grade_source, meta.grade_source)
    text = (
        f"Counts are of {kind}, graded by {source}. Percentages are whole numbers, "
        "rounded half up, of each row's own total, so a row may not add up to exactly 100%."
    )
    if meta.anonymised:
        text += " Force names have been replaced by letters."
    return text


def finding_sentences(findings: Findings) -> list[str]:
    out: list[str] = []
    forces = count_words(findings.forces_recorded, "force")
    if findings.good_pct_range is not None:
        low, high = findings.good_pct_range
        out.append(
            f"The share of cases graded good ranged from {low}% to {high}% "
            f"across the {forces} with recorded assessments."
        )
    if findings.inadequate_pct_range is not None:
        low, high = findings.inadequate_pct_range
        out.append(f"The share of cases graded inadequate ranged from {low}% to {high}%.")
    if findings.forces_recorded:
        n = findings.forces_at_least_75pct_adequate_or_better
        subject = "None" if n == 0 else count_words(n, "force").split(" ")[0].capitalize()
        out.append(
            f"{subject} of the {forces} had at least 75% of cases graded adequate or better."
        )
    if findings.overall_inadequate_pct is not None:
        out.append(f"Overall, {findings.overall_inadequate_pct}% of cases were inadequate.")
    more_than = threshold_words(findings.serious_concern_threshold)
    concern = list(findings.serious_concern)
    if findings.forces_recorded:
        view = (
            f"The inspectorate regards {more_than} of cases inadequate as a serious cause "
            "for concern."
        )
        if concern:
            who = count_words(len(concern), "force").capitalize()
            verb = "has" if len(concern) == 1 else "have"
            view += (
                f" {who} {verb} {more_than} of cases inadequate: {join_words(concern)} "
                "(marked ▲ serious concern in the table)."
            )
        else:
            view += " No force reached that level."
        out.append(view)
    return out


def chi_square_sentences(result: ChiSquare | None) -> list[str]:
    if result is None:
        return [
            "There are too few forces with recorded assessments to test whether the "
            "grades differ between forces."
        ]
    out = [
        "A chi-square test of whether the shares of good, adequate and inadequate cases "
        f"differ between forces gives χ² = {result.statistic:.2f} with "
        f"{result.dof} degrees of freedom, p {p_value(result.p_value)}.",
        "A small p-value (below 0.05) means differences this large between forces are "
        "unlikely to be chance alone; it does not say which forces differ or why.",
    ]
    if not result.reliable:
        out.append(
            "Some expected counts are too small for the test to be trusted "
            f"(smallest expected count {result.min_expected:g}; "
            f"{result.small_expected_cells} of {result.cells} cells below 5)."
        )
    return out


# --------------------------------------------------------------------------- chart geometry


@dataclass(frozen=True)
class Segment:
    grade: str
    x: float
    width: float
    text: str  # shown inside the segment, or "" when it is too narrow


@dataclass(frozen=True)
class StackedRow:
    label: str
    y: float
    segments: tuple[Segment, ...]
    note: str
    total: bool


@dataclass(frozen=True)
class SimpleBar:
    label: str
    y: float
    grade: str
    width: float
    note: str
    ci_low: float | None  # x of the interval's ends, when there is an interval
    ci_high: float | None


@dataclass(frozen=True)
class Chart:
    height: float
    width: float
    stacked: tuple[StackedRow, ...] = ()
    bars: tuple[SimpleBar, ...] = ()


def _short(label: str) -> str:
    return label if len(label) <= MAX_CHART_LABEL else label[: MAX_CHART_LABEL - 1] + "…"


def _x(share: float) -> float:
    return round(LABEL_W + BAR_W * share, 1)


def _stack(row: GradeRow, y: float, total: bool) -> StackedRow:
    if row.total <= 0:
        return StackedRow(_short(row.label), y, (), "Not recorded", total)
    segments = []
    done = 0
    for grade in GRADES:
        n = row.count(grade)
        start, end = _x(done / row.total), _x((done + n) / row.total)
        done += n
        if n:
            width = round(end - start, 1)
            text = percent(row.share(grade)) if width >= MIN_LABEL_SEGMENT else ""
            segments.append(Segment(grade, start, width, text))
    return StackedRow(_short(row.label), y, tuple(segments), f"n = {number(row.total)}", total)


def _chart(rows: int, extra: float = 0.0) -> tuple[float, float]:
    return LABEL_W + BAR_W + NOTE_W, TOP * 2 + ROW_H * rows + extra


def conclusions_chart(report: ThematicReport) -> Chart:
    rows = [_stack(r, TOP + i * ROW_H, False) for i, r in enumerate(report.forces)]
    rows.append(_stack(report.total, TOP + len(rows) * ROW_H + 6, True))
    width, height = _chart(len(rows), 6)
    return Chart(height, width, stacked=tuple(rows))


def stage_chart(report: ThematicReport) -> Chart:
    bars = []
    for i, ((_, label), cell) in enumerate(
        zip(report.stages, report.stage_total.cells, strict=True)
    ):
        if cell.inadequate_pct is None:
            note = "none applicable"
        else:
            note = (
                f"{cell.inadequate_pct}% ({number(cell.inadequate)} of {number(cell.applicable)})"
            )
        share = 0.0 if cell.applicable <= 0 else cell.inadequate / cell.applicable
        bars.append(
            SimpleBar(
                _short(label),
                TOP + i * ROW_H,
                "inadequate",
                round(BAR_W * share, 1),
                note,
                None,
                None,
            )
        )
    width, height = _chart(len(bars), 18)
    return Chart(height, width, bars=tuple(bars))


def distribution_chart(shares: Sequence[GradeShare], total: int) -> Chart:
    bars = []
    for i, share in enumerate(shares):
        ratio = 0.0 if total <= 0 else share.count / total
        note = percent(share.pct)
        if share.ci is not None:
            note += f" (95% interval {interval(share.ci)})"
        bars.append(
            SimpleBar(
                grade_word(share.grade),
                TOP + i * ROW_H,
                share.grade if share.grade in GRADES else "other",
                round(BAR_W * ratio, 1),
                note,
                None if share.ci is None else _x(share.ci.low / 100),
                None if share.ci is None else _x(share.ci.high / 100),
            )
        )
    width, height = _chart(len(bars), 18)
    return Chart(height, width, bars=tuple(bars))


def uniform_answers(rows: Sequence[AnswerCounts]) -> tuple[str, ...] | None:
    """The shared answer labels when every detention indicator uses the same scale."""
    labels = {tuple(label for label, _ in r.answers) for r in rows}
    return next(iter(labels)) if len(labels) == 1 else None


# --------------------------------------------------------------------------- rendering


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(data_dir("templates")),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        number=number,
        percent=percent,
        interval=interval,
        days=days,
        grade_class=grade_class,
        grade_word=grade_word,
    )
    env.globals.update(
        count_pct=count_pct,
        grades=GRADES,
        label_w=LABEL_W,
        bar_w=BAR_W,
        bar_h=BAR_H,
        small_group=SMALL_GROUP,
    )
    return env


def render_thematic_html(report: ThematicReport) -> str:
    template = environment().get_template("thematic.html.j2")
    return template.render(
        report=report,
        meta=report.meta,
        how_to_read=how_to_read(report.meta),
        findings=finding_sentences(report.findings),
        concern_words=threshold_words(report.findings.serious_concern_threshold),
        chi_square=chi_square_sentences(report.chi_square),
        conclusions_chart=conclusions_chart(report),
        stage_chart=stage_chart(report),
    )


def render_force_html(report: ForceReport) -> str:
    template = environment().get_template("force.html.j2")
    shown = report.cases[:CASE_LIST_LIMIT]
    return template.render(
        report=report,
        meta=report.meta,
        how_to_read=how_to_read(report.meta),
        distribution_chart=distribution_chart(report.distribution, report.overall.total),
        detention_answers=uniform_answers(report.detention),
        any_negative=any(d.negative for d in report.delays),
        cases_shown=shown,
        cases_more=len(report.cases) - len(shown),
    )

"""Self-contained HTML reports: the thematic (cross-force) page and the one-force page.

Formatting only: every number comes from the report models in
:mod:`inspect_cli.reports`; this module turns them into table cells and chart
geometry, and the sentences come from :mod:`inspect_cli.render.wording` (shared with
the terminal). A figure hidden by small-number suppression (its field is in the
model's ``suppressed``) is shown as 'c' and never drawn; a missing one is a dash.
Safety rules (see docs on HTML report injection):

- the jinja2 environment is created with ``autoescape=True`` (never extension
  sniffing), and no template marks input as safe;
- input text is only ever put into element content, never into attributes
  (CSS classes are picked from a fixed list); the one exception is the protective
  marking in the print header, which :func:`css_text` reduces to letters, digits,
  spaces and hex escapes inside a CSS string;
- the page loads nothing: inline CSS, inline SVG charts, no script, no URLs, and a
  Content-Security-Policy meta tag so that even an escaping bug could not run script
  or fetch anything.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from inspect_cli.frameworks import GRADES
from inspect_cli.render.html.drift import drift_view
from inspect_cli.render.html.force_topics import force_topics_view, topics_summary_view
from inspect_cli.render.html.jinja_env import (
    BAR_W,
    CASE_LIST_LIMIT,
    LABEL_W,
    MIN_LABEL_SEGMENT,
    NOTE_W,
    environment,
    grade_word,
    interval,
    number,
    shown,
)
from inspect_cli.render.html.recommendations import section_view
from inspect_cli.render.referral_words import referral_counts_text
from inspect_cli.render.wording import (
    INTERVAL_MEANING,
    JUDGEMENT_COLUMNS,
    JUDGEMENT_INTRO,
    JUDGEMENT_TITLE,
    chi_square_sentences,
    concern_line,
    findings_sentences,
    flag_text,
    grades_used_text,
    judgement_cells,
    judgement_sentences,
    threshold_words,
)
from inspect_cli.reports.common import GradeRow, ReportMeta
from inspect_cli.reports.force import AnswerCounts, ForceReport, GradeShare
from inspect_cli.reports.judgement import Difference, JudgementAndRule
from inspect_cli.reports.suppress import SYMBOL
from inspect_cli.reports.thematic import ThematicReport

ROW_H = 26.0


TOP = 8.0


MIN_SYMBOL_SEGMENT = 12.0  # narrower hidden segments get no 'c' inside them
MAX_CHART_LABEL = 24
HIDDEN = "hidden"  # the 'grade' of a chart segment that stands for suppressed counts
HIDDEN_NOTE = f"{SYMBOL}: hidden (small numbers)"

_AUDIT_TYPE = {
    "inspector": "inspectors' case assessments",
    "self-assessment": "forces' self-assessments",
    "all": "all case assessments (inspectors' and forces' self-assessments)",
}
_GRADE_SOURCE = {
    "auto": "the overall grade the auditor recorded, or, where none was recorded, the "
    "grade the framework's rules suggest from the indicator answers",
    "recorded": "the overall grade the auditor recorded for each case",
    "computed": "the grade the framework's rules suggest from the indicator answers",
}


def how_to_read(meta: ReportMeta) -> str:
    kind = _AUDIT_TYPE.get(meta.audit_type, meta.audit_type)
    source = _GRADE_SOURCE.get(meta.grade_source, meta.grade_source)
    text = (
        f"Counts are of {kind}, graded by {source}. Percentages are whole numbers, "
        "rounded half up, of each row's own total, so a row may not add up to exactly 100%. "
        f"{grades_used_text(meta)}"
    )
    if meta.anonymised:
        text += " Force names have been replaced by letters."
    if meta.published:
        text += (
            f" This version is for publication: small numbers are shown as '{SYMBOL}' "
            "(see the note below) and no case is listed."
        )
    return text


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

    @property
    def hidden(self) -> bool:
        """Whether a segment stands for suppressed counts (the key then explains 'c')."""
        return any(seg.grade == HIDDEN for row in self.stacked for seg in row.segments)


def _short(label: str) -> str:
    return label if len(label) <= MAX_CHART_LABEL else label[: MAX_CHART_LABEL - 1] + "…"


def _x(share: float) -> float:
    return round(LABEL_W + BAR_W * share, 1)


def _stack(row: GradeRow, y: float, total: bool) -> StackedRow:
    """One bar of shares. Counts hidden by suppression are drawn together as a single
    hatched 'c' segment (their sum is the total less the counts shown, which the table
    gives away anyway), where the first hidden grade would be; with the total hidden,
    there is no bar."""
    label = _short(row.label)
    if row.total is None:
        return StackedRow(label, y, (), HIDDEN_NOTE, total)
    if not row.recorded or row.total <= 0:
        return StackedRow(label, y, (), "Not recorded", total)
    known = {g: row.count(g) for g in GRADES if g not in row.suppressed}
    hidden = max(row.total - sum(n or 0 for n in known.values()), 0)
    segments = []
    done = 0
    hidden_drawn = False
    for grade in GRADES:
        if grade in known:
            n, kind = known[grade] or 0, grade
        elif not hidden_drawn:
            n, kind, hidden_drawn = hidden, HIDDEN, True
        else:
            continue
        start, end = _x(done / row.total), _x((done + n) / row.total)
        done += n
        if not n:
            continue
        width = round(end - start, 1)
        if kind == HIDDEN:
            text = SYMBOL if width >= MIN_SYMBOL_SEGMENT else ""
        else:
            text = shown(row, f"{grade}_pct", "percent") if width >= MIN_LABEL_SEGMENT else ""
        segments.append(Segment(kind, start, width, text))
    return StackedRow(label, y, tuple(segments), f"n = {shown(row, 'total')}", total)


def _chart(rows: int, extra: float = 0.0) -> tuple[float, float]:
    return LABEL_W + BAR_W + NOTE_W, TOP * 2 + ROW_H * rows + extra


def conclusions_chart(report: ThematicReport) -> Chart:
    rows = [_stack(r, TOP + i * ROW_H, False) for i, r in enumerate(report.forces)]
    rows.append(_stack(report.total, TOP + len(rows) * ROW_H + 6, True))
    width, height = _chart(len(rows), 6)
    return Chart(height, width, stacked=tuple(rows))


def stage_chart(report: ThematicReport) -> Chart:
    """Inadequate share of each stage, all forces; a stage with hidden figures gets no bar."""
    bars = []
    for i, ((_, label), cell) in enumerate(
        zip(report.stages, report.stage_total.cells, strict=True)
    ):
        if cell.suppressed:
            note = (
                f"{shown(cell, 'inadequate_pct', 'percent')} "
                f"({shown(cell, 'inadequate')} of {shown(cell, 'applicable')})"
            )
        elif cell.inadequate_pct is None:
            note = "none applicable"
        else:
            note = (
                f"{cell.inadequate_pct}% ({number(cell.inadequate)} of {number(cell.applicable)})"
            )
        share = 0.0
        if cell.inadequate is not None and cell.applicable:
            share = cell.inadequate / cell.applicable
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


def distribution_chart(shares: Sequence[GradeShare], total: int | None) -> Chart:
    """One bar per grade with its 95% interval; a hidden count gets no bar, only 'c'."""
    bars = []
    for i, share in enumerate(shares):
        ratio = 0.0
        if "count" not in share.suppressed and share.count is not None:
            if total:
                ratio = share.count / total
            elif share.pct is not None:
                ratio = share.pct / 100
        note = shown(share, "pct", "percent")
        if "count" in share.suppressed:
            note = HIDDEN_NOTE
        elif share.ci is not None:
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


@dataclass(frozen=True)
class JudgementView:
    """The judgement-and-rule section as the template shows it."""

    title: str
    intro: str
    sentences: tuple[str, ...]
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]  # text cells; empty for one force
    differences: tuple[Difference, ...]


def judgement_view(j: JudgementAndRule | None) -> JudgementView | None:
    if j is None:
        return None
    rows = tuple(judgement_cells(r) for r in j.rows) if len(j.rows) > 1 else ()
    sentences = tuple(judgement_sentences(j.rows[-1]))
    return JudgementView(
        JUDGEMENT_TITLE, JUDGEMENT_INTRO, sentences, JUDGEMENT_COLUMNS, rows, j.differences
    )


def render_thematic_html(report: ThematicReport) -> str:
    template = environment().get_template("thematic.html.j2")
    return template.render(
        report=report,
        meta=report.meta,
        how_to_read=how_to_read(report.meta),
        findings=findings_sentences(report.findings, report.forces),
        concern_words=threshold_words(report.findings.serious_concern_threshold),
        chi_square=chi_square_sentences(report.chi_square, withheld=report.chi_square_withheld),
        conclusions_chart=conclusions_chart(report),
        stage_chart=stage_chart(report),
        interval_meaning=INTERVAL_MEANING,
        judgement=judgement_view(report.judgement),
        force_topics=topics_summary_view(report.force_topics),
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
        any_negative=any(d.negative or "negative" in d.suppressed for d in report.delays),
        cases_shown=shown,
        cases_more=len(report.cases) - len(shown),
        interval_meaning=INTERVAL_MEANING,
        concern_line=concern_line(report.meta.serious_concern_threshold),
        concern_flag=flag_text(report.overall, report.meta.serious_concern_threshold),
        judgement=judgement_view(report.judgement),
        force_topics=force_topics_view(report.force_topics),
        drift=drift_view(report.drift),
        referrals=referral_counts_text(report.referrals) if report.referrals else None,
        recommendations=section_view(report.recommendations),
    )

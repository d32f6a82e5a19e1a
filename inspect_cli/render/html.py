"""Self-contained HTML reports: the thematic (cross-force) page and the one-force page.

Formatting only: every number comes from the report models in
:mod:`inspect_cli.aggregate`; this module turns them into table cells and chart
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

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from inspect_cli.aggregate import (
    AnswerCounts,
    ForceReport,
    GradeRow,
    GradeShare,
    ReportMeta,
    StageCell,
    ThematicReport,
)
from inspect_cli.frameworks import GRADES
from inspect_cli.render.wording import chi_square_sentences, findings_sentences, threshold_words
from inspect_cli.resources import data_dir
from inspect_cli.stats import Interval
from inspect_cli.suppress import SYMBOL

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
    "recorded": "the overall grade the auditor recorded for each case",
    "computed": "the grade computed from the indicator answers by the framework's rules",
}


# --------------------------------------------------------------------------- formatting


def number(n: int | None) -> str:
    return "–" if n is None else f"{n:,}"


def percent(p: int | None) -> str:
    return "–" if p is None else f"{p}%"


def count_pct(n: int | None, p: int | None) -> str:
    """A published-table cell: "24 (21%)"."""
    if n is None:
        return "–"
    return number(n) if p is None else f"{number(n)} ({p}%)"


def interval(ci: Interval | None) -> str:
    return "–" if ci is None else f"{ci.low:.1f}–{ci.high:.1f}%"


def days(value: float | int | None) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if float(value).is_integer():
        return number(int(value))
    return f"{value:,.1f}"


_FORMATS: dict[str, Callable[[Any], str]] = {
    "number": number,
    "percent": percent,
    "interval": interval,
    "days": days,
}


def shown(item: object, name: str, kind: str = "number") -> str:
    """A model's figure as text: 'c' when small-number suppression hid it, else formatted
    by ``kind`` (a missing figure is a dash)."""
    if name in getattr(item, "suppressed", frozenset()):
        return SYMBOL
    return _FORMATS[kind](getattr(item, name))


def grade_cell(row: GradeRow, grade: str) -> str:
    """A conclusions-table cell: "24 (21%)", or 'c' for a hidden count."""
    if grade in row.suppressed:
        return SYMBOL
    n = row.count(grade)
    if n is not None and f"{grade}_pct" in row.suppressed:
        return f"{number(n)} ({SYMBOL})"
    return count_pct(n, row.share(grade))


def answer_cell(row: AnswerCounts, label: str, n: int | None) -> str:
    """A detention answer count; the suppressed set of an answer row holds answer labels."""
    return SYMBOL if label in row.suppressed else number(n)


def stage_cell(cell: StageCell) -> str:
    """'43% (44/102)'; a dash when the stage applied to no case; 'c' for hidden figures."""
    if not cell.suppressed:
        if cell.inadequate_pct is None:
            return "–"
        return f"{cell.inadequate_pct}% ({number(cell.inadequate)}/{number(cell.applicable)})"
    if {"inadequate_pct", "inadequate", "applicable"} <= cell.suppressed:
        return SYMBOL
    return (
        f"{shown(cell, 'inadequate_pct', 'percent')} "
        f"({shown(cell, 'inadequate')}/{shown(cell, 'applicable')})"
    )


def grade_class(grade: str) -> str:
    """A CSS class from a fixed list: never input text in an attribute."""
    return f"grade-{grade}" if grade in GRADES else "grade-other"


def grade_word(grade: str) -> str:
    return grade.capitalize()


def css_text(text: str) -> str:
    """Text for inside a double-quoted CSS string (the print header's marking).

    Every character but ASCII letters, digits and spaces becomes a six-digit hex
    escape, so nothing can end the string or the style sheet, and HTML escaping (which
    a <style> element would not undo) leaves the result unchanged.
    """
    return "".join(
        c if c.isascii() and (c.isalnum() or c == " ") else f"\\{ord(c):06x}" for c in text
    )


def how_to_read(meta: ReportMeta) -> str:
    kind = _AUDIT_TYPE.get(meta.audit_type, meta.audit_type)
    source = _GRADE_SOURCE.get(meta.grade_source, meta.grade_source)
    text = (
        f"Counts are of {kind}, graded by {source}. Percentages are whole numbers, "
        "rounded half up, of each row's own total, so a row may not add up to exactly 100%."
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
        css_text=css_text,
    )
    env.globals.update(
        count_pct=count_pct,
        shown=shown,
        grade_cell=grade_cell,
        answer_cell=answer_cell,
        stage_cell=stage_cell,
        threshold_words=threshold_words,
        symbol=SYMBOL,
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
        findings=findings_sentences(report.findings, report.forces),
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
        any_negative=any(d.negative or "negative" in d.suppressed for d in report.delays),
        cases_shown=shown,
        cases_more=len(report.cases) - len(shown),
    )

"""The moderation report as a self-contained HTML page.

Formatting only: every figure comes from :class:`inspect_cli.reports.moderation.ModerationReport`.
The page shares the jinja2 environment, base template and safety rules of
:mod:`inspect_cli.render.html.jinja_env` (autoescape always on, input text only in element
content, nothing loaded, CSP meta tag), and the wording of kappa and of the direction
of disagreement with the terminal (:mod:`inspect_cli.render.wording`).

As in the terminal and the workbook, a run with a single force has no "All forces"
row or section: it would repeat the force's own figures.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from inspect_cli.frameworks import GRADES
from inspect_cli.render.html.drift import drift_view
from inspect_cli.render.html.jinja_env import (
    BAR_W,
    CASE_LIST_LIMIT,
    LABEL_W,
    MIN_LABEL_SEGMENT,
    NOTE_W,
    environment,
    number,
    percent,
)
from inspect_cli.render.wording import (
    direction_text,
    kappa_text,
    lead_text,
    p_value,
    rated_text,
)
from inspect_cli.reports.common import shows_overall
from inspect_cli.reports.moderation import (
    INSPECTOR,
    SELF,
    Agreement,
    Disagreement,
    ModerationReport,
)

LOWEST_INDICATORS = 10

# The direction bar: the geometry of the html module's charts (SVG user units).
DIRECTION_BAR_H = 18.0
DIRECTION_TOP = 4.0

_GRADE_SOURCE = {
    "computed": "Grades are computed from the indicator answers by the framework's rules.",
    "recorded": (
        "Grades are the overall grades the auditors recorded; cases without one on either "
        "side are left out."
    ),
}

# Fixed presentation for the direction bar: the fill colour and the class of the text
# inside the segment (white on dark colours, ink on amber). Never input text.
_DIRECTION_KINDS = {
    "higher": ("#b3261e", "in-bar"),
    "same": ("#1d6f42", "in-bar"),
    "lower": ("#e8a317", "in-bar adequate"),
}
_DIRECTION_WORDS = {
    "higher": "force higher",
    "same": "same",
    "lower": "force lower",
}
_DIRECTION_SHORT = {"higher": "higher", "same": "same", "lower": "lower"}


# --------------------------------------------------------------------------- wording


def how_to_read(report: ModerationReport) -> str:
    source = _GRADE_SOURCE.get(report.meta.grade_source, f"Grades: {report.meta.grade_source}.")
    return (
        f"{source} A case is matched when the same force has a "
        "self-assessment and an inspector assessment with the same case reference "
        "(ignoring the case of the force name). Kappa, AC2 and alpha run from 0 (no "
        "better than chance) to 1 (perfect agreement). Percentages are whole numbers, rounded "
        "half up."
    )


def alpha_text(a: Agreement) -> str:
    if a.alpha_ordinal is None:
        return "–"
    return f"{a.alpha_ordinal:.2f}: {a.alpha_words}"


def sign_test_text(a: Agreement) -> str:
    """The table's sign test cell: the p-value and what it says."""
    if a.sign_test_p is None:
        return "– (no disagreements)"
    verdict = (
        "higher more often than chance"
        if a.sign_test_p < 0.05
        else "not higher more often than chance"
    )
    return f"p {p_value(a.sign_test_p)}: {verdict}"


def summary_sentences(a: Agreement) -> list[str]:
    ci = a.exact_agreement_ci
    ci_text = f"; 95% CI {ci.low:.1f}% to {ci.high:.1f}%" if ci else ""
    out = [
        f"Exact agreement on the case grade: {number(a.exact)} of {number(a.matched)} "
        f"matched cases ({percent(a.exact_agreement_pct)}{ci_text}).",
    ]
    kappa = f"Weighted kappa (linear): {kappa_text(a)}."
    ac2 = f"Gwet's AC2 (linear weights): {rated_text(a.ac2)}."
    why = lead_text(a)
    out += [ac2, f"Why AC2 leads: {why}", kappa] if why else [kappa, ac2]
    if a.alpha_ordinal is not None:
        out.append(f"Krippendorff's alpha (ordinal): {alpha_text(a)}.")
    out.append(f"Direction: {direction_text(a)}.")
    return out


def depth_sentences(a: Agreement, *, overall: bool = False) -> list[str]:
    d = a.depth
    if d is None:
        return []
    whose = "all forces'" if overall else f"{a.label}'s"
    cases = f"{number(d.cases)} self-assessed case{'' if d.cases == 1 else 's'}"
    out = [
        f"Over {whose} {cases}: "
        f"{percent(d.blank_pct)} of indicator answers were left blank "
        f"({number(d.blank_cells)} of {number(d.indicator_cells)})."
    ]
    if d.comments_expected:
        out.append(
            f"{number(d.comments_missing)} of {number(d.comments_expected)} stages whose "
            f"answers called for a comment had none ({percent(d.comments_missing_pct)})."
        )
    else:
        out.append("No stage had answers that called for a comment.")
    same = d.same_answer_cases
    out.append(
        f"{number(same)} case{' gave' if same == 1 else 's gave'} every indicator the same "
        "answer (a sign of box-ticking)."
    )
    return out


# --------------------------------------------------------------------------- view data


@dataclass(frozen=True)
class MatrixCell:
    count: int
    kind: str  # "same" (the diagonal), "higher" or "lower": a fixed word, never input


@dataclass(frozen=True)
class MatrixRow:
    grade: str
    cells: tuple[MatrixCell, ...]
    total: int


@dataclass(frozen=True)
class BarSegment:
    kind: str
    x: float
    width: float
    fill: str
    text_class: str
    text: str  # shown inside the segment, or "" when it is too narrow


@dataclass(frozen=True)
class DirectionBar:
    width: float
    height: float
    bar_h: float
    top: float
    segments: tuple[BarSegment, ...]
    note: str  # beside the bar: "higher 6 · same 168 · lower 4"
    title: str  # for screen readers, in words


@dataclass(frozen=True)
class IndicatorRow:
    label: str
    stage: str
    compared: int
    agree: int
    agree_pct: int | None


@dataclass(frozen=True)
class Detail:
    anchor: str  # a fixed id ("overall", "force-3"): never input text
    agreement: Agreement
    sentences: tuple[str, ...]
    matrix: tuple[MatrixRow, ...]
    column_totals: tuple[int, ...]
    bar: DirectionBar
    indicators: tuple[IndicatorRow, ...]
    depth: tuple[str, ...]
    disagreements: tuple[Disagreement, ...]
    disagreements_more: int


@dataclass(frozen=True)
class UnmatchedCount:
    force: str
    self_only: int
    inspector_only: int


def confusion_rows(a: Agreement) -> tuple[MatrixRow, ...]:
    rows = []
    for i, (grade, counts) in enumerate(zip(GRADES, a.confusion, strict=True)):
        cells = tuple(
            # column j > row i: the inspectors' grade is worse, so the force graded higher
            MatrixCell(n, "same" if i == j else "higher" if j > i else "lower")
            for j, n in enumerate(counts)
        )
        rows.append(MatrixRow(grade, cells, sum(counts)))
    return tuple(rows)


def direction_bar(a: Agreement) -> DirectionBar:
    parts = (("higher", a.self_higher), ("same", a.same), ("lower", a.self_lower))
    total = sum(n for _, n in parts)
    segments = []
    done = 0
    for kind, n in parts:
        if total <= 0 or n <= 0:
            continue
        start = round(LABEL_W + BAR_W * done / total, 1)
        done += n
        end = round(LABEL_W + BAR_W * done / total, 1)
        width = round(end - start, 1)
        fill, text_class = _DIRECTION_KINDS[kind]
        text = number(n) if width >= MIN_LABEL_SEGMENT else ""
        segments.append(BarSegment(kind, start, width, fill, text_class, text))
    note = " · ".join(f"{_DIRECTION_SHORT[kind]} {number(n)}" for kind, n in parts)
    title = ", ".join(f"{_DIRECTION_WORDS[kind]} {number(n)}" for kind, n in parts)
    height = DIRECTION_TOP * 2 + DIRECTION_BAR_H
    return DirectionBar(
        LABEL_W + BAR_W + NOTE_W,
        height,
        DIRECTION_BAR_H,
        DIRECTION_TOP,
        tuple(segments),
        note,
        title,
    )


def lowest_indicators(a: Agreement, limit: int = LOWEST_INDICATORS) -> tuple[IndicatorRow, ...]:
    """The indicators with the lowest agreement (the model sorts them), with their stage."""
    stages = {s.id: s.label for s in a.stages}
    rows = [
        IndicatorRow(
            item.label,
            stages.get(item.id.split(".", 1)[0], "–"),
            item.compared,
            item.agree,
            item.agree_pct,
        )
        for item in a.indicators
        if item.compared > 0
    ]
    return tuple(rows[:limit])


def detail(a: Agreement, anchor: str, *, overall: bool = False) -> Detail:
    shown = a.disagreements[:CASE_LIST_LIMIT]
    return Detail(
        anchor=anchor,
        agreement=a,
        sentences=tuple(summary_sentences(a)),
        matrix=confusion_rows(a),
        column_totals=tuple(sum(col) for col in zip(*a.confusion, strict=True)),
        bar=direction_bar(a),
        indicators=lowest_indicators(a),
        depth=tuple(depth_sentences(a, overall=overall)),
        disagreements=shown,
        disagreements_more=len(a.disagreements) - len(shown),
    )


def unmatched_counts(report: ModerationReport) -> tuple[UnmatchedCount, ...]:
    counts: dict[str, list[int]] = {}
    for u in report.unmatched:
        side = counts.setdefault(u.force, [0, 0])
        side[0 if u.audit_type == SELF else 1] += 1
    return tuple(UnmatchedCount(force, s, i) for force, (s, i) in sorted(counts.items()))


def _count(items: Sequence[UnmatchedCount], self_side: bool) -> int:
    return sum(c.self_only if self_side else c.inspector_only for c in items)


# --------------------------------------------------------------------------- rendering


def render_moderation_html(report: ModerationReport) -> str:
    several = shows_overall(report.forces)
    details = [detail(report.overall, "overall", overall=True)] if several else []
    details += [detail(a, f"force-{i}") for i, a in enumerate(report.forces, start=1)]
    unmatched = unmatched_counts(report)
    shown = report.unmatched[:CASE_LIST_LIMIT]
    template = environment().get_template("moderation.html.j2")
    return template.render(
        report=report,
        meta=report.meta,
        how_to_read=how_to_read(report),
        summary_rows=(*report.forces, report.overall) if several else report.forces,
        several=several,
        kappa_text=kappa_text,
        rated_text=rated_text,
        alpha_text=alpha_text,
        sign_test_text=sign_test_text,
        details=details,
        grade_rows=GRADES,
        direction_kinds=_DIRECTION_KINDS,
        direction_words=_DIRECTION_WORDS,
        unmatched_counts=unmatched,
        unmatched_self=_count(unmatched, True),
        unmatched_inspector=_count(unmatched, False),
        unmatched_shown=shown,
        unmatched_more=len(report.unmatched) - len(shown),
        self_side=SELF,
        inspector_side=INSPECTOR,
        drift=drift_view(report.drift),
    )

"""The auditor-drift sheet of the force, moderation and between-inspectors workbooks
(internal only: a published workbook never has it). Counts are numbers, shares
fractions shown as percentages, p-values numbers with three decimals."""

from __future__ import annotations

from inspect_cli.render.drift_words import (
    DRIFT_INTRO,
    DRIFT_TITLE,
    drift_notes,
    drift_sentences,
    drift_status_text,
    verdict,
)
from inspect_cli.render.xlsx.kit import Book, Cell, Num, exact_pct
from inspect_cli.reports.drift import AuditorDrift, DriftSection, SecondReadings, Tested

SHEET = "Auditor drift"
HEADER = [
    "Auditor",
    "Readings",
    "Good %",
    "Adequate %",
    "Inadequate %",
    "Rest: good %",
    "Rest: adequate %",
    "Rest: inadequate %",
    "Grades: p",
    "Grades: adjusted p",
    "Worst answers n",
    "Answered n",
    "Worst answers %",
    "Rest: worst answers %",
    "Worst answers: p",
    "Worst answers: adjusted p",
    "Double-read pairs",
    "Agreeing pairs",
    "Agreeing %",
    "Graded lower than the other reader",
    "Graded higher than the other reader",
    "Rest: pairs",
    "Rest: agreeing %",
    "Second readings: p",
    "Second readings: adjusted p",
    "Look?",
]


def _p(t: Tested) -> list[Cell]:
    return [Num(t.p_value, "stat"), Num(t.p_holm, "stat")]


def _second(s: SecondReadings) -> list[Cell]:
    return [s.pairs, s.agree, exact_pct(s.agree_pct, s.agree, s.pairs), s.lower, s.higher]


def _row(a: AuditorDrift) -> list[Cell]:
    g, r = a.grades, a.rest_grades
    return [
        a.auditor,
        a.cases,
        exact_pct(g.good_pct, g.good, g.total),
        exact_pct(g.adequate_pct, g.adequate, g.total),
        exact_pct(g.inadequate_pct, g.inadequate, g.total),
        exact_pct(r.good_pct, r.good, r.total),
        exact_pct(r.adequate_pct, r.adequate, r.total),
        exact_pct(r.inadequate_pct, r.inadequate, r.total),
        *_p(a.grade_test),
        a.worst.count,
        a.worst.total,
        exact_pct(a.worst.pct, a.worst.count, a.worst.total),
        exact_pct(a.rest_worst.pct, a.rest_worst.count, a.rest_worst.total),
        *_p(a.worst_test),
        *_second(a.second),
        a.rest_second.pairs,
        exact_pct(a.rest_second.agree_pct, a.rest_second.agree, a.rest_second.pairs),
        *_p(a.second_test),
        verdict(a),
    ]


def drift_sheet(book: Book, d: DriftSection | None, context: str) -> None:
    """One row per auditor; the tests and what was left out in the notes."""
    if d is None:
        return
    sh = book.sheet(SHEET)
    sh.title(DRIFT_TITLE)
    sh.caption(f"{context} {DRIFT_INTRO}")
    status = drift_status_text(d)
    if status:
        sh.notes([status, *drift_notes(d)])
        sh.finish()
        return
    sh.header(HEADER)
    for a in d.auditors:
        sh.data(_row(a))
    sh.notes([*drift_sentences(d), *drift_notes(d)])
    sh.finish(widths={0: 16})

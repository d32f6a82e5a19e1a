"""The Guidance sheet of a case audit template: the framework's indicators in full and
what each other column of the Cases sheet takes. Text only, through ``write_string``
(see :mod:`inspect_cli.template`)."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import Any

from inspect_cli.fields import CaseField, standard_fields
from inspect_cli.frameworks import Framework, IndicatorRef, Scale

Book = Any  # xlsxwriter ships no type hints
Sheet = Any
Format = Any


def scale_answers(scale: Scale) -> tuple[str, ...]:
    """A scale's answer labels as offered to auditors: best to worst, then not applicable."""
    na = (scale.not_applicable.label,) if scale.not_applicable else ()
    return (*(r.label for r in scale.responses), *na)


def write_guidance(
    book: Book, sheet: Sheet, fw: Framework, field_answers: Sequence[tuple[str, str]]
) -> None:
    """The Guidance sheet: every indicator in full, then the other columns of the Cases
    sheet, given as (field id, its answers joined, or "" for free text) in column order."""
    bold = book.add_format({"bold": True})
    heading = book.add_format({"bold": True, "font_size": 14})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    header = book.add_format({"bold": True, "bottom": 1, "valign": "top", "text_wrap": True})
    for j, width in enumerate((24, 34, 36, 70, 10, 8, 40)):
        sheet.set_column(j, j, width)
    sheet.write_string(0, 0, f"{fw.title}, version {fw.version}", heading)
    row = 1
    intro = []
    if fw.overall_question:
        intro.append(f"Overall question: {fw.overall_question}")
    intro.append(
        "Not applicable never counts against a case: an indicator answered Not applicable "
        "is left out of the stage's score."
    )
    for text in intro:
        sheet.merge_range(row, 0, row, 6, "", wrap)  # merged so the long text wraps
        sheet.write_string(row, 0, text, wrap)
        sheet.set_row(row, 15.0 * math.ceil(len(text) / 200 + 0.01))
        row += 1
    row += 1
    sheet.write_string(row, 0, "Indicators", bold)
    row = _table(
        sheet,
        row + 1,
        ("Stage", "Indicator id", "Label", "Full text", "Limiting", "Weight", "Answers"),
        (_indicator_cells(ref) for ref in fw.indicators),
        header,
        wrap,
    )
    row += 1
    sheet.write_string(row, 0, "Other columns of the Cases sheet", bold)
    fields = {f.id: f for f in standard_fields(fw)}
    row = _table(
        sheet,
        row + 1,
        ("Required", "Column id", "Label", "Description", "", "", "Answers"),
        (_field_cells(fields[i], answers) for i, answers in field_answers if i in fields),
        header,
        wrap,
    )
    if fw.force_topics:
        row += 1
        sheet.write_string(
            row,
            0,
            "Topics judged for the force as a whole (not per case): grade them on the Force sheet",
            bold,
        )
        _table(
            sheet,
            row + 1,
            ("Topic", "Id", "Description", "", "", "", "Grades"),
            (
                (
                    t.label,
                    t.id,
                    t.description,
                    "",
                    "",
                    "",
                    " / ".join(
                        r.label for r in fw.scale_by_id[t.scale or fw.default_scale].responses
                    ),
                )
                for t in fw.force_topics
            ),
            header,
            wrap,
        )


def _indicator_cells(ref: IndicatorRef) -> tuple[str, ...]:
    ind = ref.indicator
    return (
        ref.stage.label,
        ref.full_id,
        ind.label,
        ind.text,
        "yes" if ind.limiting else "no",
        f"{ind.weight:g}",
        ", ".join(scale_answers(ref.scale)),
    )


_FREE_ANSWERS = {
    "date": "a date, day first, such as 05/03/2024",
    "age": "a whole number of years, 0 to 17",
    "text": "free text",
    "comment": "free text",
}


_EXAMPLE_ANSWERS = {
    # A case example is published only once cleared: say what clearing means.
    "example_text": (
        "free text, anonymised; inspect-cli examples warns of dates, case or crime "
        "references, listed names and places, exact ages, phone numbers, postcodes and "
        "email addresses"
    ),
    "example_status": "draft, or cleared once a person has checked the text (blank: draft)",
    "example_cleared_by": "the person who checked and cleared the text; cleared needs it",
}


_GRADING_ANSWERS = {
    # The grade of record's rationale and review (docs/scoring.md, docs/reports.md).
    "grade_rationale": "free text: why the overall grade differs from the framework's "
    "suggested grade; a differing grade without one is a rationale-missing problem",
    "review_status": "draft, for review, approved or returned; once the column is used, "
    "reports count approved cases only (blank: not approved)",
}


def _field_cells(field: CaseField, answers: str) -> tuple[str, ...]:
    answers = (
        _EXAMPLE_ANSWERS.get(field.id)
        or _GRADING_ANSWERS.get(field.id)
        or answers
        or _FREE_ANSWERS.get(field.kind, "")
    )
    return (
        "yes" if field.required else "no",
        field.id,
        field.label,
        field.description,
        "",
        "",
        answers,
    )


def _table(
    sheet: Sheet,
    row: int,
    headers: Sequence[str],
    body: Iterable[Sequence[str]],
    header_format: Format,
    cell_format: Format,
) -> int:
    """Write a header and rows of text from ``row``; returns the next free row."""
    for j, text in enumerate(headers):
        if text:
            sheet.write_string(row, j, text, header_format)
    row += 1
    for cells in body:
        for j, text in enumerate(cells):
            if text:
                sheet.write_string(row, j, text, cell_format)
        row += 1
    return row

"""Write the case examples report as an Excel workbook: one sheet of every example, a
row each, in the report's groups (stage, theme, area), then Provenance. Text goes
through the kit's safe cells (never a formula, a link or a number); the marking is on
every sheet and page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from inspect_cli.render.cells import clean_text, write_about_sheet
from inspect_cli.render.example_words import (
    CHECKER_MEANING,
    INTERNAL_ONLY,
    examples_summary,
    findings_words,
    status_words,
)
from inspect_cli.render.xlsx.kit import Book, mark_page, open_workbook, page_setup
from inspect_cli.reports.examples import ExampleGroup, ExamplesReport, Vignette

PUBLISHED_COLUMNS = ("Stage", "Theme", "Area of practice", "Force", "Audit type", "Example")
INTERNAL_COLUMNS = (
    *PUBLISHED_COLUMNS,
    "Case reference",
    "Auditor",
    "Status",
    "Checker found",
    "Where",
)
_WIDTHS = {0: 24, 1: 18, 2: 26, 3: 14, 4: 14, 5: 80, 6: 14, 7: 16, 8: 24, 9: 40, 10: 40}


def _cells(g: ExampleGroup, v: Vignette, published: bool) -> list[Any]:
    cells: list[Any] = [g.stage, g.theme, g.area, v.force, v.audit_type, v.text or ""]
    if not published:
        cells += [
            v.case_ref or "",
            v.auditor or "",
            status_words(v),
            findings_words(v),
            v.source or "",
        ]
    return cells


def write_examples_xlsx(report: ExamplesReport, target: Path) -> None:
    published = report.meta.published
    workbook = open_workbook(target)
    try:
        book = Book(workbook, report.meta.marking)
        sh = book.sheet("Examples")
        sh.title(report.meta.title)
        sh.caption(examples_summary(report))
        sh.header(PUBLISHED_COLUMNS if published else INTERNAL_COLUMNS)
        wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
        for g in report.groups:
            for v in g.examples:
                sh.data(_cells(g, v, published))
                sh.ws.set_row(sh.row - 1, None, wrap)
        notes = [*report.meta.notes]
        if not published:
            notes += [CHECKER_MEANING, INTERNAL_ONLY]
        sh.notes(notes)
        sh.finish(freeze_cols=3, widths=_WIDTHS)
        _provenance(book, report)
        sh.ws.activate()
    finally:
        workbook.close()


def _provenance(book: Book, report: ExamplesReport) -> None:
    meta = report.meta
    rows = [
        ("Report", meta.title),
        ("Framework title", meta.framework_title),
        *meta.provenance.rows(),
        *(("Note", note) for note in meta.notes),
    ]
    write_about_sheet(book.workbook, rows, book.styles.get("head"))
    sheet = book.workbook.get_worksheet_by_name("Provenance")
    page_setup(sheet)
    if book.marking:  # A1 is the loader's marker of the tool's own outputs
        mark_page(sheet, book.marking)
        sheet.write_string(0, 1, clean_text(book.marking), book.styles.get("marking"))

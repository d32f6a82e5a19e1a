"""Write the referrals report as an Excel workbook: one sheet of every case referred
back (outstanding first), then Provenance. Text goes through the kit's safe cells
(never a formula, a link or a number); the marking is on every sheet and page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from inspect_cli.render.cells import clean_text, write_about_sheet, write_value
from inspect_cli.render.referral_words import (
    DAYS_WAITING_MEANING,
    INTERNAL_ONLY,
    REFERRALS_COLUMNS,
    referrals_summary,
)
from inspect_cli.render.xlsx.kit import Book, mark_page, open_workbook, page_setup
from inspect_cli.reports.referrals import Referral, ReferralsReport

_DATE_COLUMNS = {4, 7}  # Referred on, Force response on
_WIDTHS = {0: 12, 1: 14, 2: 16, 3: 30, 4: 12, 5: 24, 6: 30, 7: 12, 8: 40, 9: 10}


def _cells(x: Referral) -> list[Any]:
    return [
        "outstanding" if x.outstanding else "answered",
        x.force,
        x.case_ref,
        x.area,
        x.referred_on,
        x.referred_to or "",
        x.reason or "",
        x.response_on,
        x.action or "",
        x.days_waiting,
    ]


def write_referrals_xlsx(report: ReferralsReport, target: Path) -> None:
    workbook = open_workbook(target)
    try:
        book = Book(workbook, report.meta.marking)
        sh = book.sheet("Referrals")
        sh.title(report.meta.title)
        sh.caption(referrals_summary(report))
        sh.header(REFERRALS_COLUMNS)
        date = workbook.add_format({"num_format": "yyyy-mm-dd", "valign": "top"})
        for x in report.referrals:
            for col, value in enumerate(_cells(x)):
                if col in _DATE_COLUMNS or value is None:
                    write_value(sh.ws, sh.row, col, value, date, date)
                else:
                    sh.cell(sh.row, col, value)
            sh.last_data_row = sh.row
            sh.row += 1
        sh.notes([DAYS_WAITING_MEANING, INTERNAL_ONLY, *report.meta.notes])
        sh.finish(freeze_cols=3, widths=_WIDTHS)
        _provenance(book, report)
        sh.ws.activate()
    finally:
        workbook.close()


def _provenance(book: Book, report: ReferralsReport) -> None:
    meta = report.meta
    rows = [
        ("Report", meta.title),
        ("Framework title", meta.framework_title),
        ("As of", meta.as_of.isoformat()),
        *meta.provenance.rows(),
        *(("Note", note) for note in meta.notes),
    ]
    write_about_sheet(book.workbook, rows, book.styles.get("head"))
    sheet = book.workbook.get_worksheet_by_name("Provenance")
    page_setup(sheet)
    if book.marking:  # A1 is the loader's marker of the tool's own outputs
        mark_page(sheet, book.marking)
        sheet.write_string(0, 1, clean_text(book.marking), book.styles.get("marking"))

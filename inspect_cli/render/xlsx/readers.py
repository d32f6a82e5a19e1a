"""Write ``moderate --between inspectors`` as an Excel workbook: agreement between
inspectors over double-read cases, laid out as the moderation workbook is.

Formatting only: every figure comes from
:class:`inspect_cli.reports.readers.ReadersReport`. Sheets: Agreement (a row per
force, then all forces), Confusion (first reading × second, where every case was
read exactly twice), Disagreements (the cases whose readings differ), Auditor drift
and Provenance. Coefficients are numbers shown with two decimals, as in the terminal
and the moderation workbook; case references only ever written as text.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from inspect_cli.frameworks import GRADES
from inspect_cli.render.xlsx.drift import drift_sheet
from inspect_cli.render.xlsx.kit import (
    GRADE_SOURCE_TEXT,
    MAX_WIDTH,
    Book,
    Cell,
    Num,
    Styles,
    about,
    exact_pct,
    open_workbook,
)
from inspect_cli.reports.coefficients import Rated
from inspect_cli.reports.common import shows_overall
from inspect_cli.reports.readers import ReaderAgreement, ReadersReport

AGREEMENT_HEADER = [
    "Force",
    "Double-read cases",
    "Readings",
    "Readers",
    "Every reading agrees n",
    "Every reading agrees %",
    "Pairs agreeing (share)",
    "Gwet's AC2",
    "AC2 standard error",
    "AC2 95% CI low",
    "AC2 95% CI high",
    "AC2 in words",
    "Gwet's AC1",
    "AC1 in words",
    "Fleiss' kappa",
    "Fleiss' kappa in words",
    "Krippendorff's alpha (ordinal)",
    "Weighted kappa (first × second)",
    "Weighted kappa in words",
    "Leads with",
    "Why",
]
_KAPPA: dict[str, Any] = {"num_format": "0.00", "valign": "top"}


class _ReadersStyles(Styles):
    """The report styles plus two-decimal coefficients (as the moderation workbook)."""

    def get(self, kind: str, row_style: str = "", quoted: bool = False) -> Any:
        if kind != "kappa":
            return super().get(kind, row_style, quoted)
        key = (kind, row_style, quoted)
        if key not in self._cache:
            total = {"bold": True, "top": 1} if row_style == "total" else {}
            self._cache[key] = self._workbook.add_format({**_KAPPA, **total})
        return self._cache[key]


def _k(value: float | None) -> Num:
    return Num(value, "kappa")


def _rated(r: Rated | None) -> list[Cell]:
    return [None, None] if r is None else [_k(r.value), r.words]


def _rows(report: ReadersReport) -> list[tuple[ReaderAgreement, str]]:
    rows = [(a, "") for a in report.forces]
    if shows_overall(report.forces):
        rows.append((report.overall, "total"))
    return rows


def write_readers_xlsx(report: ReadersReport, target: Path) -> None:
    workbook = open_workbook(target)
    try:
        book = Book(workbook, report.meta.marking)
        book.styles = _ReadersStyles(workbook)
        grades = GRADE_SOURCE_TEXT.get(report.meta.grade_source, report.meta.grade_source)
        context = f"Inspector cases read by more than one auditor; {grades}."
        _agreement_sheet(book, report, context)
        _confusion_sheet(book, report, context)
        _disagreements_sheet(book, report, context)
        drift_sheet(book, report.drift, context)
        about(
            book,
            report.meta,
            [
                ("Between", "inspectors"),
                ("Double-read", "inspector rows of the same force and case reference"),
                ("Read once", f"{report.read_once:,} inspector case(s), not in the figures"),
            ],
        )
    finally:
        workbook.close()


def _agreement_sheet(book: Book, report: ReadersReport, context: str) -> None:
    sh = book.sheet("Agreement")
    sh.title(report.meta.title)
    sh.caption(context)
    sh.header(AGREEMENT_HEADER)
    for a, style in _rows(report):
        ac2 = a.ac2
        sh.data(
            [
                a.label,
                a.cases,
                a.readings,
                a.readers,
                a.unanimous,
                exact_pct(a.unanimous_pct, a.unanimous, a.cases),
                _k(a.pairwise_agreement),
                _k(ac2.value),
                _k(ac2.se),
                _k(ac2.ci[0] if ac2.ci else None),
                _k(ac2.ci[1] if ac2.ci else None),
                ac2.words,
                *_rated(a.ac1),
                *_rated(a.fleiss_kappa),
                _k(a.alpha_ordinal),
                *_rated(a.weighted_kappa),
                "Gwet's AC2" if a.lead.coefficient == "ac2" else "Weighted kappa",
                a.lead.reason,
            ],
            row_style=style,
        )
    sh.notes(
        [
            "Every reading agrees: double-read cases where all readings gave the same grade. "
            "Pairs agreeing: the share of pairs of readings of a case that agree (Gwet's p_a).",
            "Gwet's AC1, AC2 (linear weights), Fleiss' kappa and Krippendorff's alpha allow any "
            "number of readings per case; weighted kappa and the confusion matrix only where "
            "every case was read exactly twice.",
            "Words: Gwet's benchmark on the Landis and Koch (1977) scale - the highest level "
            "reached with at least 95% probability given the standard error.",
            "A blank figure: too few cases, or too little variety in the grades, to compute it.",
            *report.meta.notes,
        ]
    )
    sh.finish(widths={0: max(sh.widths.get(0, 0) + 2, 12), 11: 28, 13: 28, 15: 28, 18: 28, 20: 40})


def _confusion_sheet(book: Book, report: ReadersReport, context: str) -> None:
    shown = [(a, s) for a, s in _rows(report) if a.confusion is not None]
    if not shown:
        return
    sh = book.sheet("Confusion")
    sh.title("First reading against second reading")
    sh.caption(f"{context} Rows: the first reading's grade; columns: the second's.")
    for a, _style in shown:
        sh.row += 1
        sh.text(sh.row, 0, f"{a.label}: {a.cases:,} double-read cases", "head")
        sh.row += 1
        sh.text(sh.row, 0, "First reading", "head")
        for col, grade in enumerate(GRADES, start=1):
            sh.text(sh.row, col, f"Second: {grade}", "head")
        sh.row += 1
        for grade, counts in zip(GRADES, a.confusion or (), strict=True):
            sh.text(sh.row, 0, grade, "head")
            for col, n in enumerate(counts, start=1):
                sh.cell(sh.row, col, n)
            sh.row += 1
    sh.finish(widths={0: max(sh.widths.get(0, 0), 30), 1: 14, 2: 14, 3: 14})


def _disagreements_sheet(book: Book, report: ReadersReport, context: str) -> None:
    sh = book.sheet("Disagreements")
    sh.title("Cases the readers graded differently")
    sh.caption(f"{context} Grades in reading order (files, sheets and rows as loaded).")
    sh.header(["Force", "Case ref", "Readings", "Agreed grade"])
    for a in report.forces:
        for d in a.disagreements:
            sh.data([a.label, d.case_ref, " / ".join(d.grades), d.agreed_grade or "–"])
    if not any(a.disagreements for a in report.forces):
        sh.notes(["Every reading of every double-read case gave the same grade."])
    sh.finish(widths={2: MAX_WIDTH // 2})

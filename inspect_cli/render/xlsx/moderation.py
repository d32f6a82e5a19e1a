"""Write a moderation report as an Excel workbook, one sheet per table.

Formatting only: every figure comes from :class:`inspect_cli.reports.moderation.ModerationReport`.
Layout, styles and safe cell writing are those of :mod:`inspect_cli.render.xlsx.kit`:
counts are numbers, shares are fractions with a percentage format (the model's whole
percentage / 100), kappa and alpha are numbers shown with two decimals (as in the
terminal), and text from case files (force names, case references, reasons) is only
ever written with ``write_string``, quote-prefixed when it starts like a formula.

As in the terminal, a run with a single force has no "All forces" row or block: it
would repeat the force's own figures. A protective marking, when the report has one,
heads every sheet and its printed pages, as in the report workbooks.
"""

from __future__ import annotations

from collections.abc import Sequence
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
    Sheet,
    Styles,
    about,
    chart_sheet,
    exact_pct,
    open_workbook,
)
from inspect_cli.reports.common import shows_overall
from inspect_cli.reports.moderation import Agreement, ModerationReport

AGREEMENT = "Agreement"
NO_FIGURE_NOTE = (
    "A blank figure: too few cases, or too little variety in the grades, to compute it."
)

# Kappa and alpha as in the terminal (two decimals): Landis and Koch's words match the figure shown.
_EXTRA_KINDS: dict[str, dict[str, Any]] = {
    "kappa": {"num_format": "0.00", "valign": "top"},
}

AGREEMENT_HEADER = [
    "Force",
    "Matched cases",
    "Exact agreement n",
    "Exact agreement %",
    "Weighted kappa",
    "Kappa 95% CI low",
    "Kappa 95% CI high",
    "Kappa in words",
    "Krippendorff's alpha (ordinal)",
    "Alpha in words",
    "Force higher",
    "Force lower",
    "Same",
    "Sign test p (one-sided)",
    # Added after the first columns so that their positions stay the same.
    "Gwet's AC2",
    "AC2 standard error",
    "AC2 95% CI low",
    "AC2 95% CI high",
    "AC2 in words",
    "Leads with",
    "Why",
]
# Columns of the Agreement sheet that the chart plots.
DIRECTION_COLS = {"Force higher": 10, "Force lower": 11, "Same": 12}
DIRECTION_COLOURS = {"Force higher": "#C0392B", "Force lower": "#2E86C1", "Same": "#95A5A6"}


class _ModerationStyles(Styles):
    """The report styles plus the moderation-only number formats."""

    def get(self, kind: str, row_style: str = "", quoted: bool = False) -> Any:
        if kind not in _EXTRA_KINDS:
            return super().get(kind, row_style, quoted)
        key = (kind, row_style, quoted)
        if key not in self._cache:
            self._cache[key] = self._workbook.add_format(
                {**_EXTRA_KINDS[kind], **({"bold": True, "top": 1} if row_style == "total" else {})}
            )
        return self._cache[key]


def _kappa(value: float | None) -> Num:
    return Num(value, "kappa")


def _rows(report: ModerationReport) -> list[tuple[Agreement, str]]:
    """Each force, then all forces together (styled as a total) when there is more than one."""
    rows = [(a, "") for a in report.forces]
    if shows_overall(report.forces):
        rows.append((report.overall, "total"))
    return rows


def _context(report: ModerationReport) -> str:
    grades = GRADE_SOURCE_TEXT.get(report.meta.grade_source, report.meta.grade_source)
    return (
        "Forces' self-assessments against the inspectors' assessments of the same cases, "
        f"matched by force and case reference; {grades}."
    )


# --------------------------------------------------------------------------- entry point


def write_moderation_xlsx(report: ModerationReport, target: Path) -> None:
    """Agreement, confusion matrices, stages, indicators, depth, disagreeing and unmatched
    cases, recorded against computed grades, a chart of the direction of disagreement,
    and the Provenance sheet."""
    workbook = open_workbook(target)
    try:
        book = Book(workbook, report.meta.marking)
        book.styles = _ModerationStyles(workbook)
        context = _context(report)
        first, last = _agreement_sheet(book, report, context)
        _confusion_sheet(book, report, context)
        _stages_sheet(book, report, context)
        _indicators_sheet(book, report, context)
        _depth_sheet(book, report)
        _disagreements_sheet(book, report, context)
        _unmatched_sheet(book, report)
        _recorded_sheet(book, report)
        drift_sheet(book, report.drift, context)
        _direction_chart(book, report, first, last)
        about(
            book,
            report.meta,
            [
                (
                    "Matching",
                    "self-assessment and inspector rows of the same force and case reference",
                )
            ],
        )
    finally:
        workbook.close()


# --------------------------------------------------------------------------- sheets


def _agreement_sheet(book: Book, report: ModerationReport, context: str) -> tuple[int, int]:
    """Returns the first and last force rows (for the chart)."""
    sh = book.sheet(AGREEMENT)
    sh.title(report.meta.title)
    sh.caption(context)
    sh.header(AGREEMENT_HEADER)
    first = sh.row
    for a, style in _rows(report):
        ci = a.kappa_ci
        sh.data(
            [
                a.label,
                a.matched,
                a.exact,
                exact_pct(a.exact_agreement_pct, a.exact, a.matched),
                _kappa(a.weighted_kappa),
                _kappa(ci[0] if ci else None),
                _kappa(ci[1] if ci else None),
                a.kappa_words,
                _kappa(a.alpha_ordinal),
                a.alpha_words,
                a.self_higher,
                a.self_lower,
                a.same,
                Num(a.sign_test_p),
                _kappa(a.ac2.value),
                _kappa(a.ac2.se),
                _kappa(a.ac2.ci[0] if a.ac2.ci else None),
                _kappa(a.ac2.ci[1] if a.ac2.ci else None),
                a.ac2.words,
                "Gwet's AC2" if a.lead.coefficient == "ac2" else "Weighted kappa",
                a.lead.reason,
            ],
            row_style=style,
        )
    last = first + len(report.forces) - 1
    sh.notes(
        [
            "Exact agreement: cases where the force and the inspectors gave the same grade.",
            "Weighted kappa: Cohen's, linear weights; agreement corrected for chance, where a "
            "good/inadequate disagreement counts twice as much as a good/adequate one. 1 is "
            "perfect agreement, 0 no better than chance.",
            "Gwet's AC2 (linear weights): agreement corrected for chance with a chance term "
            "that stays fair when nearly every case gets the same grade; the report leads "
            "with it when one grade holds 80% or more of the grades given, or when kappa and "
            "AC2 reach different levels ('Leads with', 'Why').",
            "Words: Gwet's benchmark on the Landis and Koch (1977) scale - the highest level "
            "reached with at least 95% probability given the standard error, not the level "
            "the point estimate falls in.",
            "Krippendorff's alpha (ordinal): a cross-check; like kappa it falls towards zero "
            "when one grade dominates.",
            "Force higher / lower: cases the force graded higher / lower than the inspectors did.",
            "Sign test: one-sided exact binomial test of whether the force grades itself higher "
            "more often than lower; a p-value below 0.05 supports 'the force marks itself higher'.",
            NO_FIGURE_NOTE,
            *report.meta.notes,
        ]
    )
    sh.finish(widths={0: max(sh.widths.get(0, 0) + 2, 12), 7: 28, 9: 28, 18: 28, 20: 40})
    return first, last


def _confusion_sheet(book: Book, report: ModerationReport, context: str) -> None:
    sh = book.sheet("Confusion")
    sh.title("The force's grade against the inspectors' grade")
    sh.caption(
        f"{context} Rows: the force's grade; columns: the inspectors' grade. The diagonal is "
        "agreement; above it the force graded the case higher than the inspectors did, below "
        "it lower."
    )
    for a, _style in _rows(report):
        sh.row += 1
        sh.text(sh.row, 0, f"{a.label}: {a.matched:,} matched cases", "head")
        sh.row += 1
        sh.text(sh.row, 0, "Force's grade", "head")
        for col, grade in enumerate(GRADES, start=1):
            sh.text(sh.row, col, f"Inspectors: {grade}", "head")
        sh.row += 1
        for grade, counts in zip(GRADES, a.confusion, strict=True):
            sh.text(sh.row, 0, grade, "head")
            for col, n in enumerate(counts, start=1):
                sh.cell(sh.row, col, n)
            sh.row += 1
    sh.finish(widths={0: max(sh.widths.get(0, 0), 40), 1: 14, 2: 14, 3: 14})


def _long_table(
    book: Book,
    name: str,
    title: str,
    caption: str,
    header: Sequence[str],
    rows: Sequence[Sequence[Cell]],
    empty_note: str,
    freeze_cols: int = 1,
    widths: dict[int, int] | None = None,
) -> Sheet:
    sh = book.sheet(name)
    sh.title(title)
    sh.caption(caption)
    sh.header(header)
    for row in rows:
        sh.data(row)
    if not rows:
        sh.notes([empty_note])
    sh.finish(freeze_cols=freeze_cols, widths=widths)
    return sh


def _stages_sheet(book: Book, report: ModerationReport, context: str) -> None:
    rows: list[list[Cell]] = [
        [a.label, s.label, s.compared, s.agree, exact_pct(s.agree_pct, s.agree, s.compared)]
        for a, _ in _rows(report)
        for s in a.stages
    ]
    _long_table(
        book,
        "Stages",
        "Agreement on the stage grades",
        f"{context} Cases where both sides graded the stage.",
        ["Force", "Stage", "Compared", "Agree", "Agree %"],
        rows,
        "No stage was graded by both sides.",
        freeze_cols=2,
    )


def _indicators_sheet(book: Book, report: ModerationReport, context: str) -> None:
    rows: list[list[Cell]] = [
        [a.label, i.id, i.label, i.compared, i.agree, exact_pct(i.agree_pct, i.agree, i.compared)]
        for a, _ in _rows(report)
        for i in a.indicators
    ]
    _long_table(
        book,
        "Indicators",
        "Agreement on each indicator, lowest first",
        f"{context} Cases where at least one side answered the indicator (not applicable "
        "counts as an answer); the same answer on both sides counts as agreement.",
        ["Force", "Indicator id", "Indicator", "Compared", "Agree", "Agree %"],
        rows,
        "No indicator was answered in the matched cases.",
        freeze_cols=3,
    )


def _depth_sheet(book: Book, report: ModerationReport) -> None:
    sh = book.sheet("Depth")
    sh.title("Depth of the self-assessment")
    sh.caption(
        "Over all of each force's self-assessment rows, matched or not: signs of a "
        "superficial self-assessment."
    )
    sh.header(
        [
            "Force",
            "Self-assessment cases",
            "Indicator cells",
            "Blank cells",
            "Blank %",
            "Comments expected",
            "Comments missing",
            "Missing %",
            "Same-answer cases",
        ]
    )
    for a, style in _rows(report):
        d = a.depth
        if d is None:
            sh.data([a.label, *([None] * 8)], row_style=style)
            continue
        sh.data(
            [
                a.label,
                d.cases,
                d.indicator_cells,
                d.blank_cells,
                exact_pct(d.blank_pct, d.blank_cells, d.indicator_cells),
                d.comments_expected,
                d.comments_missing,
                exact_pct(d.comments_missing_pct, d.comments_missing, d.comments_expected),
                d.same_answer_cases,
            ],
            row_style=style,
        )
    sh.notes(
        [
            "Comments expected: stages whose answers call for a comment (for NCPI, any 'No').",
            "Same-answer cases: every answered indicator has the same answer "
            "(at least five answers), a sign of box-ticking.",
        ]
    )
    sh.finish(widths={0: max(sh.widths.get(0, 0) + 2, 12)})


def _disagreements_sheet(book: Book, report: ModerationReport, context: str) -> None:
    rows: list[list[Cell]] = [
        [
            a.label,
            d.case_ref,
            d.area,
            d.self_grade,
            d.inspector_grade,
            d.self_reason,
            d.inspector_reason,
        ]
        for a in report.forces
        for d in a.disagreements
    ]
    _long_table(
        book,
        "Disagreements",
        "Cases where the force and the inspectors gave different grades",
        f"{context} Every disagreeing case; this identifies cases, so keep it internal.",
        [
            "Force",
            "Case ref",
            "Area of practice",
            "Force's grade",
            "Inspectors' grade",
            "Force's reason",
            "Inspectors' reason",
        ],
        rows,
        "The force and the inspectors gave every matched case the same grade.",
        freeze_cols=2,
        widths={5: MAX_WIDTH // 2, 6: MAX_WIDTH // 2},
    )


def _unmatched_sheet(book: Book, report: ModerationReport) -> None:
    _long_table(
        book,
        "Unmatched",
        "Cases with no counterpart",
        "Cases assessed on one side only: no row on the other side with the same force and "
        "case reference. Unmatched inspector cases are expected (inspectors audit more cases "
        "than the force's sample); unmatched self-assessment cases deserve a look.",
        ["Force", "Case ref", "Side"],
        [[u.force, u.case_ref, u.audit_type] for u in report.unmatched],
        "Every case was matched.",
        freeze_cols=2,
    )


def _recorded_sheet(book: Book, report: ModerationReport) -> None:
    _long_table(
        book,
        "Recorded vs computed",
        "Recorded grade against computed grade",
        "Where auditors recorded their own overall grade: how often it agrees with the grade "
        "the framework's rules compute, per audit type.",
        ["Audit type", "Cases", "Agree", "Agree %", "Weighted kappa"],
        [
            [
                c.audit_type,
                c.cases,
                c.agree,
                exact_pct(c.agree_pct, c.agree, c.cases),
                _kappa(c.weighted_kappa),
            ]
            for c in report.recorded_vs_computed
        ],
        "No auditor recorded an overall grade.",
    )


def _direction_chart(book: Book, report: ModerationReport, first: int, last: int) -> None:
    chart = book.workbook.add_chart({"type": "bar"})
    for name, col in DIRECTION_COLS.items():
        chart.add_series(
            {
                "name": name,
                "categories": [AGREEMENT, first, 0, last, 0],
                "values": [AGREEMENT, first, col, last, col],
                "fill": {"color": DIRECTION_COLOURS[name]},
                "border": {"none": True},
                "gap": 60,
                "data_labels": {"value": True},
            }
        )
    chart.set_title({"name": "Direction of disagreement by force"})
    chart.set_y_axis({"reverse": True})  # bar charts: y is the category axis; first force on top
    chart.set_x_axis({"num_format": "#,##0", "major_gridlines": {"visible": False}})
    chart.set_legend({"position": "bottom"})
    chart.set_size({"width": 760, "height": 160 + 60 * (last - first + 1)})
    chart_sheet(
        book,
        "Chart",
        "Direction of disagreement by force",
        f"{_context(report)} From the Agreement sheet: matched cases the force graded higher "
        "than the inspectors did, lower, and the same.",
        chart,
    )

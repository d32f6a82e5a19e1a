"""Write a force report (one force in depth) as an Excel workbook.

Formatting only: every number comes from the report models in
:mod:`inspect_cli.reports`, written as in the thematic workbook; layout, styles and
safe cell writing are those of :mod:`inspect_cli.render.xlsx.kit`.
"""

from __future__ import annotations

from pathlib import Path

from inspect_cli.render.referral_words import referral_counts_text
from inspect_cli.render.wording import (
    INTERVAL_MEANING,
    concern_line,
    flag_text,
    grades_used_text,
    threshold_words,
)
from inspect_cli.render.xlsx.drift import drift_sheet
from inspect_cli.render.xlsx.figures import missing_note, recorded_cells
from inspect_cli.render.xlsx.force_topics import force_topics_sheet
from inspect_cli.render.xlsx.judgement import judgement_sheet
from inspect_cli.render.xlsx.kit import (
    GRADE_COLOURS,
    GRADE_HEADER,
    HIDDEN,
    MAX_WIDTH,
    Book,
    Cell,
    Num,
    about,
    chart_labels,
    chart_sheet,
    ci_cells,
    context_text,
    count_cell,
    indicator_sheet,
    open_workbook,
    share_cell,
)
from inspect_cli.render.xlsx.published import write_published
from inspect_cli.render.xlsx.published_force import force_publication
from inspect_cli.reports.force import ForceReport
from inspect_cli.reports.suppress import SYMBOL


def write_force_xlsx(report: ForceReport, target: Path) -> None:
    """One force in depth: summary, stages, breakdowns, indicators, delay, detention,
    completeness, the full case list, a chart of the grades.

    A published report has the published layout (:mod:`.published`) instead: no case
    list, whatever the model holds."""
    if report.meta.published:
        write_published(force_publication(report), target)
        return
    workbook = open_workbook(target)
    try:
        book = Book(workbook, report.meta.marking)
        context = context_text(report.meta)
        first = _summary_sheet(book, report)
        _force_stages_sheet(book, report, context)
        _breakdowns_sheet(book, report, context)
        indicator_sheet(
            book,
            "Indicators",
            f"Indicators most often failed: {report.force}",
            f"{context} Share of the cases where the indicator was answered.",
            report.failing_indicators,
        )
        _delay_sheet(book, report, context)
        _detention_sheet(book, report, context)
        _completeness_sheet(book, report, context)
        if report.cases:
            _cases_sheet(book, report, context)
        judgement_sheet(book, report.judgement, context)
        force_topics_sheet(book, report.force_topics, context)
        drift_sheet(book, report.drift, context)
        if report.recommendations is not None:
            from inspect_cli.render.xlsx.recommendations import write_section_sheet

            write_section_sheet(book, report.recommendations, report.meta)
        _force_chart(book, report, first)
        about(
            book,
            report.meta,
            [("Force", report.force), ("Grades used", grades_used_text(report.meta))],
        )
    finally:
        workbook.close()


SUMMARY = "Summary"


def _summary_sheet(book: Book, report: ForceReport) -> int:
    """Returns the first grade row (for the chart)."""
    sh = book.sheet(SUMMARY)
    sh.title(report.meta.title)
    sh.caption(
        f"{context_text(report.meta)} Percentages are shown rounded to whole numbers "
        "(stored exactly)."
    )
    sh.header(["Grade", "Cases", "Share %", "95% CI low %", "95% CI high %"])
    first = sh.row
    for share in report.distribution:
        sh.data(
            [
                share.grade.capitalize(),
                count_cell(share, "count"),
                share_cell(share, "pct", base=report.overall.total),
                *ci_cells(share, "ci"),
            ]
        )
    sh.data(["Total", count_cell(report.overall, "total"), None, None, None], row_style="total")
    threshold = report.meta.serious_concern_threshold
    serious = (
        f"yes: {flag_text(report.overall, threshold)}" if report.overall.serious_concern else "no"
    )
    more_than = threshold_words(threshold)
    sh.notes(
        [
            f"Serious concern (more than {more_than} of the cases audited inadequate): {serious}.",
            concern_line(threshold),
            "95% CI: Wilson score interval for each share.",
            INTERVAL_MEANING,
            *report.meta.notes,
            *([referral_counts_text(report.referrals)] if report.referrals else []),
        ]
    )
    sh.finish(widths={0: 14})
    return first


def _force_stages_sheet(book: Book, report: ForceReport, context: str) -> None:
    sh = book.sheet("Stages")
    sh.title(f"Grades by stage: {report.force}")
    sh.caption(f"{context} Only the cases where the stage applied.")
    sh.header(["Stage", "Cases applicable", "Good n", "Adequate n", "Inadequate n", "Inadequate %"])
    for st in report.by_stage:
        sh.data(
            [
                st.label,
                *(
                    count_cell(st, name)
                    for name in ("applicable", "good", "adequate", "inadequate")
                ),
                share_cell(st, "inadequate_pct"),
            ]
        )
    sh.finish()


def _breakdowns_sheet(book: Book, report: ForceReport, context: str) -> None:
    sh = book.sheet("Breakdowns")
    sh.title(f"Grades by case and child characteristics: {report.force}")
    sh.caption(
        f"{context} One row per group; filter the Breakdown column to see one breakdown. "
        "Percentages are of the group's own total."
    )
    sh.header(["Breakdown", "Group", *GRADE_HEADER])
    for breakdown in report.breakdowns:
        for row in breakdown.rows:
            sh.data([breakdown.title, row.label, *recorded_cells(row)])
    sh.notes(missing_note([r for b in report.breakdowns for r in b.rows]))
    sh.finish(freeze_cols=2)


def _delay_sheet(book: Book, report: ForceReport, context: str) -> None:
    sh = book.sheet("Delay")
    sh.title(f"Days from report to each step: {report.force}")
    sh.caption(f"{context} Cases with both dates recorded.")
    sh.header(["Interval", "Cases", "Median days", "Longest days", "Dates before the report date"])
    for d in report.delays:
        median = HIDDEN if "median_days" in d.suppressed else Num(d.median_days, "days")
        sh.data(
            [
                d.label,
                count_cell(d, "cases"),
                median,
                count_cell(d, "longest_days"),
                count_cell(d, "negative"),
            ]
        )
    if not report.delays:
        sh.notes(["No dates were recorded for these cases."])
    else:
        sh.notes(["Cases whose later date comes before the report date are not counted."])
    sh.finish()


def _detention_sheet(book: Book, report: ForceReport, context: str) -> None:
    answers = list(dict.fromkeys(label for d in report.detention for label, _ in d.answers))
    sh = book.sheet("Detention")
    sh.title(f"Children in police detention: {report.force}")
    sh.caption(f"{context} Answers to each detention indicator, in cases where detention applied.")
    sh.header(["Indicator", "Cases with detention", *answers])
    for d in report.detention:
        given: dict[str, Cell] = {
            label: HIDDEN if label in d.suppressed else n for label, n in d.answers
        }
        applicable = HIDDEN if "applicable" in d.suppressed else d.applicable
        sh.data([d.label, applicable, *(given.get(a) for a in answers)])
    if not report.detention:
        sh.notes(["The framework has no police detention stage."])
    sh.finish(widths={c: 12 for c in range(1, 2 + len(answers))})


def _completeness_sheet(book: Book, report: ForceReport, context: str) -> None:
    sh = book.sheet("Completeness")
    sh.title(f"Data completeness: {report.force}")
    sh.caption(f"{context} Fields left blank or recorded as unknown.")
    sh.header(["Field", "Missing or unknown", "Cases", "Missing %"])
    for c in report.completeness:
        sh.data([c.label, count_cell(c, "missing"), c.total, share_cell(c, "missing_pct")])
    sh.finish()


def _cases_sheet(book: Book, report: ForceReport, context: str) -> None:
    sh = book.sheet("Cases")
    sh.title(f"Every case counted: {report.force}")
    sh.caption(f"{context} Inadequate cases first.")
    sh.header(["Case ref", "Audit type", "Area of practice", "Grade", "Reason"])
    for c in report.cases:
        sh.data([c.case_ref, c.audit_type, c.area, c.grade, c.reason])
    sh.finish(widths={4: MAX_WIDTH})


def _force_chart(book: Book, report: ForceReport, first: int) -> None:
    last = first + len(report.distribution) - 1
    hidden = ["count" in s.suppressed for s in report.distribution]
    chart = book.workbook.add_chart({"type": "bar"})
    chart.add_series(
        {
            "name": "Cases",
            "categories": [SUMMARY, first, 0, last, 0],
            "values": [SUMMARY, first, 1, last, 1],
            "points": [
                {"fill": {"color": GRADE_COLOURS.get(s.grade, "#777777")}}
                for s in report.distribution
            ],
            "gap": 60,
            "data_labels": chart_labels(hidden, {"value": True}),
        }
    )
    chart.set_title({"name": "Cases by grade"})
    chart.set_y_axis({"reverse": True})
    chart.set_x_axis({"num_format": "#,##0"})
    chart.set_legend({"none": True})
    chart.set_size({"width": 640, "height": 260})
    chart_sheet(
        book,
        "Chart",
        "Cases by grade",
        f"{context_text(report.meta)} From the Summary sheet"
        + (f"; counts shown as '{SYMBOL}' are left out." if any(hidden) else "."),
        chart,
    )

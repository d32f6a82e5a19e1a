"""Write a thematic report (all forces side by side) as an Excel workbook.

Formatting only: every number comes from the report models in
:mod:`inspect_cli.reports`. Counts are written as numbers; shares as the exact
fraction count / base with a whole-percent number format, so the figure Excel shows
is the report's rounded figure while the cell holds no rounding, and can still be
summed, sorted and charted. A force with no recorded assessments has '[x]' in its
figure cells, explained in the notes. Layout, styles and safe cell writing are those
of :mod:`inspect_cli.render.xlsx.kit`. The charts leave hidden ('c') points out (no
bar, no label).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from inspect_cli.frameworks import GRADES
from inspect_cli.render.wording import (
    INTERVAL_MEANING,
    concern_line,
    flag_text,
    grades_used_text,
    share_hidden,
    threshold_words,
)
from inspect_cli.render.xlsx.figures import NOT_RECORDED, missing_note, recorded_cells
from inspect_cli.render.xlsx.force_topics import topics_summary_sheet
from inspect_cli.render.xlsx.judgement import judgement_sheet
from inspect_cli.render.xlsx.kit import (
    GRADE_COLOURS,
    GRADE_HEADER,
    Book,
    Cell,
    Num,
    Pct,
    about,
    chart_labels,
    chart_sheet,
    context_text,
    count_cell,
    exact_pct,
    indicator_sheet,
    open_workbook,
    share_cell,
)
from inspect_cli.render.xlsx.published import write_published
from inspect_cli.render.xlsx.published_thematic import thematic_publication
from inspect_cli.reports.suppress import SYMBOL
from inspect_cli.reports.thematic import ThematicReport


def write_thematic_xlsx(report: ThematicReport, target: Path) -> None:
    """Every force side by side: conclusions, key findings, stages, indicators, chart.

    A published report has the published layout (:mod:`.published`) instead."""
    if report.meta.published:
        write_published(thematic_publication(report), target)
        return
    workbook = open_workbook(target)
    try:
        book = Book(workbook, report.meta.marking)
        first, last = _conclusions_sheet(book, report)
        _findings_sheet(book, report)
        _stages_sheet(book, report)
        indicator_sheet(
            book,
            "Indicators",
            "Indicators most often given their worst answer",
            f"{context_text(report.meta)} All forces together; share of the cases where the "
            "indicator was answered.",
            report.worst_indicators,
        )
        judgement_sheet(book, report.judgement, context_text(report.meta))
        topics_summary_sheet(book, report.force_topics, context_text(report.meta))
        if first is not None and last is not None:
            _thematic_chart(book, report, first, last)
        used = ("Grades used", grades_used_text(report.meta))
        about(book, report.meta, [used, *(("Footnote", note) for note in report.footnotes)])
    finally:
        workbook.close()


CONCLUSIONS = "Conclusions"
CONCLUSION_PCT_COLS = {"good": 2, "adequate": 4, "inadequate": 6}
PCT_FIELD = {"good": "good_pct", "adequate": "adequate_pct", "inadequate": "inadequate_pct"}


def _conclusions_sheet(book: Book, report: ThematicReport) -> tuple[int | None, int | None]:
    """Returns the first and last force rows (for the chart)."""
    sh = book.sheet(CONCLUSIONS)
    sh.title(report.meta.title)
    sh.caption(
        f"{context_text(report.meta)} Percentages are of each force's own total, "
        "shown rounded to whole numbers (stored exactly), so a row may not add to exactly 100%."
    )
    sh.groups(
        [
            ("", 1),
            (report.headers.get("good", "Good"), 2),
            (report.headers.get("adequate", "Adequate"), 2),
            (report.headers.get("inadequate", "Inadequate"), 2),
            ("", 1),
            ("Inadequate: 95% interval", 2),
            ("", 1),
        ]
    )
    sh.header(["Force", *GRADE_HEADER, "Serious concern"])
    first = sh.row if report.forces else None
    for force in report.forces:
        concern = ("yes" if force.serious_concern else "no") if force.recorded else NOT_RECORDED
        sh.data([force.label, *recorded_cells(force), concern])
    last = sh.row - 1 if report.forces else None
    sh.data([report.total.label, *recorded_cells(report.total), None], row_style="total")
    more_than = threshold_words(report.findings.serious_concern_threshold)
    sh.notes(
        [
            f"Serious concern: more than {more_than} of the force's audited cases were "
            "inadequate (the key findings give each such force's interval).",
            concern_line(report.findings.serious_concern_threshold),
            "95% CI: Wilson score interval for the share of cases inadequate.",
            INTERVAL_MEANING,
            *missing_note([*report.forces, report.total]),
            *report.footnotes,
            *report.meta.notes,
        ]
    )
    sh.finish(widths={0: max(sh.widths.get(0, 0) + 2, 12)})
    return first, last


def _findings_sheet(book: Book, report: ThematicReport) -> None:
    f = report.findings
    sh = book.sheet("Key findings")
    sh.title("Key findings")
    sh.caption(context_text(report.meta))
    sh.header(["Finding", "Value", "Note"])
    rows: list[tuple[str, Cell, str]] = [
        ("Forces with recorded case assessments", f.forces_recorded, ""),
    ]
    shown_only = f"of the forces whose share is shown (others are '{SYMBOL}')"
    good_note = shown_only if share_hidden(report.forces, "good") else ""
    inadequate_note = shown_only if share_hidden(report.forces, "inadequate") else ""
    if f.good_pct_range is not None:
        rows += [
            ("Good: lowest share of a force's cases", Pct(f.good_pct_range[0]), good_note),
            ("Good: highest share of a force's cases", Pct(f.good_pct_range[1]), good_note),
        ]
    if f.inadequate_pct_range is not None:
        low, high = f.inadequate_pct_range
        rows += [
            ("Inadequate: lowest share of a force's cases", Pct(low), inadequate_note),
            ("Inadequate: highest share of a force's cases", Pct(high), inadequate_note),
        ]
    rows += [
        (
            "Forces with at least 75% of cases adequate or better",
            f.forces_at_least_75pct_adequate_or_better,
            f"of {f.forces_recorded:,} forces with recorded assessments",
        ),
        (
            "Inadequate: share of all cases",
            exact_pct(f.overall_inadequate_pct, report.total.inadequate, report.total.total),
            "",
        ),
        (
            "Forces of serious concern",
            ", ".join(f.serious_concern) or "none",
            f"more than {threshold_words(f.serious_concern_threshold)} of their audited cases "
            "inadequate; not a rating of the force",
        ),
        *(
            (
                "Serious concern: share and 95% interval",
                flag_text(row, f.serious_concern_threshold),
                "",
            )
            for row in report.forces
            if row.label in f.serious_concern
        ),
    ]
    chi = report.chi_square
    if chi is None:
        rows.append(
            (
                "Chi-square test of variation between forces",
                "not computed",
                "needs at least two forces with recorded assessments and two grades present",
            )
        )
    else:
        reliable_note = (
            "no expected count below 1 and at most a fifth of cells below 5"
            if chi.reliable
            else "too many small expected counts: treat the p-value with caution"
        )
        rows += [
            (
                "Chi-square statistic",
                Num(chi.statistic, "stat"),
                "Pearson's test: do grade shares differ between forces more than chance?",
            ),
            ("Degrees of freedom", chi.dof, ""),
            ("p-value", Num(chi.p_value), ""),
            ("Smallest expected count", Num(chi.min_expected), ""),
            ("Cells with expected count below 5", chi.small_expected_cells, f"of {chi.cells:,}"),
            ("Test reliable", "yes" if chi.reliable else "no", reliable_note),
        ]
    for label, value, note in rows:
        sh.data([label, value, note])
    sh.finish(widths={1: 16})


def _stages_sheet(book: Book, report: ThematicReport) -> None:
    sh = book.sheet("Stages")
    sh.title("Inadequate assessments by stage and force")
    sh.caption(
        f"{context_text(report.meta)} For each stage: the share of the cases where it applied "
        "that were inadequate at that stage, and the number of those cases."
    )
    sh.groups([("", 1), *((label, 2) for _, label in report.stages)])
    sh.header(["Force", *(h for _ in report.stages for h in ("Inadequate %", "Cases applicable"))])
    for stage_row, style in [*((r, "") for r in report.stage_rows), (report.stage_total, "total")]:
        cells: list[Cell] = [stage_row.label]
        for cell in stage_row.cells:
            cells += [share_cell(cell, "inadequate_pct"), count_cell(cell, "applicable")]
        sh.data(cells, row_style=style)
    sh.finish(widths={c: 13 for c in range(1, 1 + 2 * len(report.stages))})


def _thematic_chart(book: Book, report: ThematicReport, first: int, last: int) -> None:
    # Shares hidden as 'c' are text in the Conclusions sheet, which a chart draws as no
    # bar; a percent-stacked chart would then stretch the shares shown to fill the row,
    # so such a report gets a plain stacked chart of the shares on a 0-100% axis.
    hidden_any = any(share_hidden(report.forces, g) for g in GRADES)
    subtype = "stacked" if hidden_any else "percent_stacked"
    chart = book.workbook.add_chart({"type": "bar", "subtype": subtype})
    for grade in GRADES:
        col = CONCLUSION_PCT_COLS[grade]
        hidden = [PCT_FIELD[grade] in r.suppressed for r in report.forces]
        labels = {"value": True, "num_format": "0%", "position": "center"}
        chart.add_series(
            {
                "name": grade.capitalize(),
                "categories": [CONCLUSIONS, first, 0, last, 0],
                "values": [CONCLUSIONS, first, col, last, col],
                "fill": {"color": GRADE_COLOURS[grade]},
                "border": {"none": True},
                "gap": 60,
                "data_labels": chart_labels(hidden, labels),
            }
        )
    chart.set_title({"name": "Case audit conclusions by force"})
    chart.set_y_axis({"reverse": True})  # bar charts: y is the category axis; first force on top
    axis: dict[str, Any] = {"num_format": "0%", "major_gridlines": {"visible": False}}
    if hidden_any:
        axis |= {"min": 0, "max": 1}
    chart.set_x_axis(axis)
    chart.set_legend({"position": "bottom"})
    chart.set_size({"width": 760, "height": 140 + 34 * (last - first + 1)})
    chart_sheet(
        book,
        "Chart",
        "Good, adequate and inadequate cases by force",
        f"{context_text(report.meta)} From the Conclusions sheet; forces not recorded have no bar"
        + (f", and shares shown as '{SYMBOL}' are left out." if hidden_any else "."),
        chart,
    )

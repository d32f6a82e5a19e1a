"""The published layout of a force report (:mod:`.published`): the figures of the
internal workbook, one Excel table per sheet, shorthand in place of hidden figures,
no chart and never a case list. Formatting only: every figure comes from the model.
"""

from __future__ import annotations

from inspect_cli.render.wording import threshold_words
from inspect_cli.render.xlsx.kit import (
    GRADE_HEADER,
    Num,
    ci_cells,
    context_text,
    count_cell,
    share_cell,
)
from inspect_cli.render.xlsx.published import (
    CONFIDENTIAL,
    NOT_APPLICABLE,
    NOT_AVAILABLE,
    RANK_HEADER,
    PubCell,
    Publication,
    Table,
    grade_figures,
    rank_cell,
)
from inspect_cli.render.xlsx.recommendations import published_table
from inspect_cli.reports.force import ForceReport


def force_publication(report: ForceReport) -> Publication:
    """The published layout: the same figures, one Excel table per sheet, no chart."""
    context = context_text(report.meta)
    return Publication(
        meta=report.meta,
        about=f"Case audit results for {report.force}, in depth. {context}",
        tables=[
            _published_summary(report, context),
            _published_stages(report, context),
            Table(
                sheet="Breakdowns",
                title=f"Grades by case and child characteristics: {report.force}",
                caption=f"{context} One row per group; filter the Breakdown column to see "
                "one breakdown. Percentages are of the group's own total.",
                header=["Breakdown", "Group", *GRADE_HEADER],
                rows=[
                    [b.title, row.label, *grade_figures(row)]
                    for b in report.breakdowns
                    for row in b.rows
                ],
                notes=["95% CI: Wilson score interval for the share of cases inadequate."],
                empty="there are no breakdowns, so there is no table of them.",
            ),
            _published_indicators(report, context),
            _published_delay(report, context),
            _published_detention(report, context),
            Table(
                sheet="Completeness",
                title=f"Data completeness: {report.force}",
                caption=f"{context} Fields left blank or recorded as unknown.",
                header=["Field", "Missing or unknown", "Cases", "Missing %"],
                rows=[
                    [
                        c.label,
                        count_cell(c, "missing"),
                        count_cell(c, "total"),
                        share_cell(c, "missing_pct"),
                    ]
                    for c in report.completeness
                ],
                empty="no fields were checked for completeness, so there is no table.",
            ),
            *published_table(report.recommendations, report.force, context),
        ],
        details=[("Force", report.force)],
    )


def _published_summary(report: ForceReport, context: str) -> Table:
    overall = report.overall
    rows: list[list[PubCell]] = []
    for share in report.distribution:
        figures: list[PubCell] = [
            count_cell(share, "count"),
            share_cell(share, "pct"),
            *ci_cells(share, "ci"),
        ]
        rows.append([share.grade.capitalize(), *figures])
    rows.append(
        ["Total", count_cell(overall, "total"), NOT_APPLICABLE, NOT_APPLICABLE, NOT_APPLICABLE]
    )
    if not overall.recorded:  # no recorded case assessments: no figures at all
        rows = [[row[0], *([NOT_AVAILABLE] * 4)] for row in rows]
    more_than = threshold_words(report.meta.serious_concern_threshold)
    hidden = "serious_concern" in overall.suppressed
    serious = (
        "not shown ([c]): the inadequate count or the total is hidden"
        if hidden
        else ("yes" if overall.serious_concern else "no")
    )
    return Table(
        sheet="Summary",
        title=report.meta.title,
        caption=f"{context} Percentages are rounded to whole numbers.",
        header=["Grade", "Cases", "Share %", "95% CI low %", "95% CI high %"],
        rows=rows,
        totals=1,
        notes=[
            f"Serious concern (more than {more_than} of the force's cases inadequate): {serious}.",
            "95% CI: Wilson score interval for each share.",
        ],
    )


def _published_stages(report: ForceReport, context: str) -> Table:
    names = ("applicable", "good", "adequate", "inadequate")
    return Table(
        sheet="Stages",
        title=f"Grades by stage: {report.force}",
        caption=f"{context} Only the cases where the stage applied.",
        header=[
            "Stage",
            "Cases applicable",
            "Good n",
            "Adequate n",
            "Inadequate n",
            "Inadequate %",
        ],
        rows=[
            [st.label, *(count_cell(st, n) for n in names), share_cell(st, "inadequate_pct")]
            for st in report.by_stage
        ],
        empty="the framework has no stages, so there is no table by stage.",
    )


def _published_indicators(report: ForceReport, context: str) -> Table:
    return Table(
        sheet="Indicators",
        title=f"Indicators most often failed: {report.force}",
        caption=f"{context} Share of the cases where the indicator was answered.",
        header=[
            RANK_HEADER,
            "Indicator id",
            "Indicator",
            "Stage",
            "Theme",
            "Worst answer",
            "Cases with worst answer",
            "Cases answered",
            "Worst answer %",
        ],
        rows=[
            [
                rank_cell(rank, ind),
                ind.id,
                ind.label,
                ind.stage,
                ind.theme,
                ind.worst_answer,
                count_cell(ind, "worst"),
                count_cell(ind, "answered"),
                share_cell(ind, "worst_pct"),
            ]
            for rank, ind in enumerate(report.failing_indicators, start=1)
        ],
        empty="no indicator had its worst answer in these cases, so there is no table.",
    )


def _published_delay(report: ForceReport, context: str) -> Table:
    rows: list[list[PubCell]] = []
    for d in report.delays:
        median = CONFIDENTIAL if "median_days" in d.suppressed else Num(d.median_days, "days")
        rows.append(
            [
                d.label,
                count_cell(d, "cases"),
                median,
                count_cell(d, "longest_days"),
                count_cell(d, "negative"),
            ]
        )
    return Table(
        sheet="Delay",
        title=f"Days from report to each step: {report.force}",
        caption=f"{context} Cases with both dates recorded.",
        header=["Interval", "Cases", "Median days", "Longest days", "Dates before the report date"],
        rows=rows,
        notes=["Delay: cases whose later date comes before the report date are not counted."],
        empty="no dates were recorded for these cases, so there is no table of delays.",
    )


def _published_detention(report: ForceReport, context: str) -> Table:
    answers = list(dict.fromkeys(label for d in report.detention for label, _ in d.answers))
    rows: list[list[PubCell]] = []
    for d in report.detention:
        given: dict[str, PubCell] = {
            label: CONFIDENTIAL if label in d.suppressed else n for label, n in d.answers
        }
        applicable = CONFIDENTIAL if "applicable" in d.suppressed else d.applicable
        rows.append([d.label, applicable, *(given.get(a) for a in answers)])
    return Table(
        sheet="Detention",
        title=f"Children in police detention: {report.force}",
        caption=f"{context} Answers to each detention indicator, in cases where detention applied.",
        header=["Indicator", "Cases with detention", *answers],
        rows=rows,
        empty="the framework has no police detention stage, so there is no table.",
    )

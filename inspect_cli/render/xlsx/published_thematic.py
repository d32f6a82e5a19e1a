"""The published layout of a thematic report (:mod:`.published`): the figures of the
internal workbook, one Excel table per sheet, shorthand in place of hidden figures,
no chart. Formatting only: every figure comes from the report model.
"""

from __future__ import annotations

from inspect_cli.render.wording import share_hidden, threshold_words
from inspect_cli.render.xlsx.force_topics import published_topics_tables
from inspect_cli.render.xlsx.kit import (
    GRADE_HEADER,
    Num,
    Pct,
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
    flag,
    grade_figures,
    rank_cell,
)
from inspect_cli.reports.thematic import ThematicReport


def thematic_publication(report: ThematicReport) -> Publication:
    """The published layout: the same figures, one Excel table per sheet, no chart."""
    context = context_text(report.meta)
    indicators = [
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
        for rank, ind in enumerate(report.worst_indicators, start=1)
    ]
    return Publication(
        meta=report.meta,
        about=f"Case audit conclusions for every force, side by side. {context}",
        tables=[
            _published_conclusions(report, context),
            _published_findings(report, context),
            _published_stages(report, context),
            Table(
                sheet="Indicators",
                title="Indicators most often given their worst answer",
                caption=f"{context} All forces together; share of the cases where the "
                "indicator was answered.",
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
                rows=indicators,
                empty="no indicator had its worst answer in these cases, so there is no table.",
            ),
            *published_topics_tables(report.force_topics, context),
        ],
    )


def _published_conclusions(report: ThematicReport, context: str) -> Table:
    more_than = threshold_words(report.findings.serious_concern_threshold)
    rows: list[list[PubCell]] = [
        [force.label, *grade_figures(force), flag(force)] for force in report.forces
    ]
    rows.append([report.total.label, *grade_figures(report.total), NOT_APPLICABLE])
    grade_notes = [
        f"{grade.capitalize()} n and {grade.capitalize()} %: {header}."
        for grade, header in report.headers.items()
        if header != grade.capitalize()
    ]
    return Table(
        sheet="Conclusions",
        title=report.meta.title,
        caption=f"{context} Percentages are of each force's own total, rounded to whole "
        "numbers, so a row may not add to exactly 100%.",
        header=["Force", *GRADE_HEADER, "Serious concern"],
        rows=rows,
        totals=1,
        notes=[
            f"Serious concern: more than {more_than} of the force's cases were inadequate.",
            "95% CI: Wilson score interval for the share of cases inadequate.",
            *grade_notes,
            *report.footnotes,
        ],
    )


def _published_findings(report: ThematicReport, context: str) -> Table:
    f = report.findings
    of_recorded = f"of the {f.forces_recorded:,} forces with recorded case assessments"
    shown_only = "of the forces whose share is shown (others are [c])"
    rows: list[list[PubCell]] = [
        [
            "Forces with recorded case assessments",
            f.forces_recorded,
            f"of {len(report.forces):,} forces in the data",
        ]
    ]
    for grade, span in (("good", f.good_pct_range), ("inadequate", f.inadequate_pct_range)):
        note = shown_only if share_hidden(report.forces, grade) else of_recorded
        low, high = span if span is not None else (None, None)
        rows += [
            [f"{grade.capitalize()}: lowest share of a force's cases", Pct(low), note],
            [f"{grade.capitalize()}: highest share of a force's cases", Pct(high), note],
        ]
    not_assessed = f.forces_not_assessed
    left_out = f"; {', '.join(not_assessed)} left out (a figure is hidden)" if not_assessed else ""
    rows += [
        [
            "Forces with at least 75% of cases adequate or better",
            f.forces_at_least_75pct_adequate_or_better,
            of_recorded + left_out,
        ],
        ["Inadequate: share of all cases", Pct(f.overall_inadequate_pct), "all forces together"],
        [
            "Forces of serious concern",
            len(f.serious_concern),
            f"{', '.join(f.serious_concern) or 'none'}: more than "
            f"{threshold_words(f.serious_concern_threshold)} of their cases inadequate{left_out}",
        ],
        *_chi_rows(report),
    ]
    return Table(
        sheet="Key findings",
        title="Key findings",
        caption=f"{context} One finding per row: its figure, and what the figure is of.",
        header=["Finding", "Figure", "Detail"],
        rows=rows,
    )


def _chi_rows(report: ThematicReport) -> list[list[PubCell]]:
    name = "Chi-square test of variation between forces"
    chi = report.chi_square
    if report.chi_square_withheld:
        return [[name, CONFIDENTIAL, "withheld: the test would give hidden counts away"]]
    if chi is None:
        return [
            [
                name,
                NOT_AVAILABLE,
                "not computed: needs at least two forces with recorded assessments and "
                "two grades present",
            ]
        ]
    reliable = (
        "yes: no expected count below 1 and at most a fifth of cells below 5"
        if chi.reliable
        else "no: too many small expected counts, so treat the p-value with caution"
    )
    return [
        [
            "Chi-square statistic",
            Num(chi.statistic, "stat"),
            "Pearson's test: do grade shares differ between forces more than chance?",
        ],
        ["Degrees of freedom", chi.dof, "of the chi-square test"],
        ["p-value", Num(chi.p_value), "of the chi-square test"],
        ["Smallest expected count", Num(chi.min_expected), "if forces did not differ"],
        ["Cells with expected count below 5", chi.small_expected_cells, f"of {chi.cells:,}"],
        ["Test reliable", NOT_APPLICABLE, reliable],
    ]


def _published_stages(report: ThematicReport, context: str) -> Table:
    rows: list[list[PubCell]] = []
    for stage_row in (*report.stage_rows, report.stage_total):
        cells: list[PubCell] = [stage_row.label]
        for cell in stage_row.cells:
            cells += [share_cell(cell, "inadequate_pct"), count_cell(cell, "applicable")]
        rows.append(cells)
    return Table(
        sheet="Stages",
        title="Inadequate assessments by stage and force",
        caption=f"{context} For each stage: the share of the cases where it applied that "
        "were inadequate at that stage, and the number of those cases.",
        header=[
            "Force",
            *(
                h
                for _, label in report.stages
                for h in (f"{label}: inadequate %", f"{label}: cases applicable")
            ),
        ],
        rows=rows if report.stage_rows else [],
        totals=1,
        empty="no force has recorded case assessments, so there is no table by stage.",
    )

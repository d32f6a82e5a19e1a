"""Write a trend report (inspection rounds compared) as an Excel workbook.

Formatting only: every figure comes from :class:`inspect_cli.reports.trend.TrendReport`.
Layout, styles and safe cell writing are those of :mod:`inspect_cli.render.xlsx.kit`:
counts are numbers, shares are the exact fractions count / base with a percentage
format (shown as the model's whole percentage), p-values and statistics are numbers, and text (force names, round
labels, stages, indicators) is only ever written with ``write_string``,
quote-prefixed when it starts like a formula. A figure hidden by small-number
suppression is the text 'c' (trends are internal, so normally nothing is).

Sheets: "Grades by round" (a long table, one row per force and round), "Change"
(first round against last, with the tests), "Stages", "Indicators" (improved and
worsened), a chart of the inadequate share by round, and Provenance. As in the
terminal, a trend of a single force has no "All forces" rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from inspect_cli.render.round_words import grades_by_round_text, round_grades_text
from inspect_cli.render.wording import change_text
from inspect_cli.render.xlsx.figures import NOT_RECORDED, missing_note
from inspect_cli.render.xlsx.kit import (
    Book,
    Cell,
    Num,
    Pct,
    about,
    chart_sheet,
    context_text,
    count_cell,
    exact_pct,
    open_workbook,
    share_cell,
)
from inspect_cli.reports.common import shows_overall, with_overall
from inspect_cli.reports.trend import ForceTrend, IndicatorChange, TrendReport

GRADES_SHEET = "Grades by round"
GRADES_HEADER = [
    "Force",
    "Round",
    "Good n",
    "Good %",
    "Adequate n",
    "Adequate %",
    "Inadequate n",
    "Inadequate %",
    "Total cases",
]
ROUND_COL = 1
INADEQUATE_PCT_COL = 7
CHANGE_HEADER = [
    "Force",
    "Good change (points)",
    "Inadequate change (points)",
    "Two-proportion z-test p (inadequate share)",
    "Chi-square statistic (grades by round)",
    "Chi-square degrees of freedom",
    "Chi-square p",
    "Chi-square reliable",
    "In words",
]
CHART_COLOUR = "#C0392B"


def _trends(report: TrendReport) -> tuple[ForceTrend, ...]:
    """Each force, then all forces together when there is more than one force."""
    return with_overall(report.forces, report.overall)


# --------------------------------------------------------------------------- entry point


def write_trend_xlsx(report: TrendReport, target: Path) -> None:
    """Grades by round, change, stages, indicators, a chart, and the Provenance sheet."""
    workbook = open_workbook(target)
    try:
        book = Book(workbook, report.meta.marking)
        context = context_text(report.meta)
        first, last = _grades_sheet(book, report, context)
        _change_sheet(book, report, context)
        _stages_sheet(book, report, context)
        _indicators_sheet(book, report, context)
        _chart(book, report, first, last, context)
        if report.reinspection is not None:
            from inspect_cli.render.xlsx.recommendations import write_reinspection_sheet

            write_reinspection_sheet(book, report.reinspection, report.meta)
        used = [
            (f"Grades used, {r.round}", round_grades_text(r)) for r in report.grades_used_by_round
        ]
        about(book, report.meta, [("Rounds", " → ".join(report.rounds)), *used])
    finally:
        workbook.close()


# --------------------------------------------------------------------------- sheets


def _grades_sheet(book: Book, report: TrendReport, context: str) -> tuple[int, int]:
    """Returns the first and last rows of the last block (all forces, or the one force),
    for the chart."""
    sh = book.sheet(GRADES_SHEET)
    sh.title(report.meta.title)
    sh.caption(
        f"{context} One row per force and round; percentages are of the round's own "
        "total, shown rounded to whole numbers (stored exactly), so a row may not add to "
        "exactly 100%."
    )
    sh.header(GRADES_HEADER)
    first = last = sh.row
    for t in _trends(report):
        first = sh.row
        for row in t.rounds:
            cells: list[Cell]
            if not row.recorded:
                cells = [NOT_RECORDED] * 7
            else:
                cells = [
                    count_cell(row, "good"),
                    share_cell(row, "good_pct"),
                    count_cell(row, "adequate"),
                    share_cell(row, "adequate_pct"),
                    count_cell(row, "inadequate"),
                    share_cell(row, "inadequate_pct"),
                    count_cell(row, "total"),
                ]
            sh.data([t.force, row.label, *cells])
        last = sh.row - 1
    rounds = [row for t in _trends(report) for row in t.rounds]
    note = f"{NOT_RECORDED.symbol} not available: no case of this audit type in that round."
    by_round = grades_by_round_text(report.grades_used_by_round)
    sh.notes([*missing_note(rounds, note), *report.meta.notes, *([by_round] if by_round else [])])
    sh.finish(freeze_cols=2, widths={0: max(sh.widths.get(0, 0) + 2, 12)})
    return first, last


def _change_sheet(book: Book, report: TrendReport, context: str) -> None:
    sh = book.sheet("Change")
    sh.title(f"Change from {report.rounds[0]} to {report.rounds[-1]}")
    sh.caption(
        f"{context} The last round with cases against the first, in percentage points "
        "(negative: a smaller share than in the first round)."
    )
    sh.header(CHANGE_HEADER)
    for t in _trends(report):
        c = t.change
        cs = c.chi_square
        sh.data(
            [
                t.force,
                c.good_points,
                c.inadequate_points,
                Num(c.inadequate_z_p),
                Num(None if cs is None else cs.statistic, "stat"),
                None if cs is None else cs.dof,
                Num(None if cs is None else cs.p_value),
                None if cs is None else ("yes" if cs.reliable else "no"),
                change_text(c),
            ]
        )
    sh.notes(
        [
            "Two-proportion z-test: whether the inadequate share of the last round differs "
            "from the first by more than chance would explain (p below 0.05).",
            "Chi-square: whether the shares of good, adequate and inadequate differ between "
            "the rounds. Reliable: no expected count below 1 and at most a fifth below 5.",
            "A blank figure: fewer than two rounds with cases, or too little variety to test.",
        ]
    )
    sh.finish(widths={0: max(sh.widths.get(0, 0) + 2, 12), 8: 60})


def _stages_sheet(book: Book, report: TrendReport, context: str) -> None:
    sh = book.sheet("Stages")
    sh.title(f"{report.overall.force}: inadequate by stage of the case, by round")
    sh.caption(
        f"{context} The share of the cases where the stage applied that were inadequate "
        "at that stage, and the number of those cases."
    )
    sh.header(
        [
            "Stage",
            *(f"Inadequate % {label}" for label in report.rounds),
            *(f"Applicable {label}" for label in report.rounds),
            "Change (points)",
        ]
    )
    for s in report.stages:
        shares = _stage_shares(s.inadequate_pct, s.inadequate, s.applicable)
        sh.data([s.stage, *shares, *s.applicable, s.change_points])
    if not report.stages:
        sh.notes(["The framework has no stages."])
    sh.finish(widths={0: max(sh.widths.get(0, 0) + 2, 12)})


def _stage_shares(
    shares: Sequence[int | None], counts: Sequence[int], bases: Sequence[int]
) -> list[Cell]:
    """Each round's share, exact when the model has the counts behind it."""
    if len(counts) != len(shares) or len(bases) != len(shares):
        return [Pct(p) for p in shares]
    return [exact_pct(p, n, b) for p, n, b in zip(shares, counts, bases, strict=True)]


def _indicator_rows(direction: str, items: Sequence[IndicatorChange]) -> list[list[Cell]]:
    return [
        [
            direction,
            rank,
            i.id,
            i.label,
            i.stage,
            exact_pct(i.first_pct, i.first_worst, i.first_answered),
            exact_pct(i.last_pct, i.last_worst, i.last_answered),
            i.points,
        ]
        for rank, i in enumerate(items, start=1)
    ]


def _indicators_sheet(book: Book, report: TrendReport, context: str) -> None:
    first, last = report.rounds[0], report.rounds[-1]
    sh = book.sheet("Indicators")
    sh.title("Indicators that improved or worsened most")
    sh.caption(
        f"{context} The share of the cases where the indicator was answered that were "
        f"given its worst answer, in {first} and in {last}; the largest changes each way. "
        "A fall is an improvement."
    )
    sh.header(
        [
            "Direction",
            "Rank",
            "Indicator id",
            "Indicator",
            "Stage",
            f"Worst answer % {first}",
            f"Worst answer % {last}",
            "Change (points)",
        ]
    )
    for row in [
        *_indicator_rows("improved", report.improved),
        *_indicator_rows("worsened", report.worsened),
    ]:
        sh.data(row)
    if not report.improved and not report.worsened:
        sh.notes(["No indicator's worst-answer share changed."])
    sh.finish(freeze_cols=4)


def _chart(book: Book, report: TrendReport, first: int, last: int, context: str) -> None:
    several = shows_overall(report.forces)
    # Fixed text only in the title: a chart title or series name starting with '=' would
    # be read by Excel as a reference.
    title = "Inadequate share by round" + (", all forces" if several else "")
    chart = book.workbook.add_chart({"type": "line"})
    chart.add_series(
        {
            "name": "Inadequate %",
            "categories": [GRADES_SHEET, first, ROUND_COL, last, ROUND_COL],
            "values": [GRADES_SHEET, first, INADEQUATE_PCT_COL, last, INADEQUATE_PCT_COL],
            "line": {"color": CHART_COLOUR, "width": 2.25},
            "marker": {
                "type": "circle",
                "size": 7,
                "fill": {"color": CHART_COLOUR},
                "border": {"color": CHART_COLOUR},
            },
            "data_labels": {"value": True, "position": "above"},
        }
    )
    chart.set_title({"name": title})
    chart.set_y_axis({"min": 0, "max": 1, "num_format": "0%", "major_unit": 0.25})
    chart.set_x_axis({"name": "Round"})
    chart.set_legend({"none": True})
    chart.set_size({"width": 640, "height": 320})
    chart_sheet(
        book,
        "Chart",
        title,
        f"{context} From the {GRADES_SHEET} sheet"
        + ("" if several else f" ({report.overall.force})")
        + ": the share of cases graded inadequate in each round.",
        chart,
    )

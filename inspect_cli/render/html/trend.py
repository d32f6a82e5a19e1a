"""The trend report (inspection rounds compared) as a self-contained HTML page.

Formatting only: every figure comes from :class:`inspect_cli.reports.trend.TrendReport`. The
page shares the jinja2 environment, base template and safety rules of
:mod:`inspect_cli.render.html.jinja_env` (autoescape always on, input text only in element
content, nothing loaded, CSP meta tag), and the wording of the change from the first
round to the last with the terminal (:func:`inspect_cli.render.wording.change_text`).

As in the terminal, a trend of a single force has no "All forces" rows: they would
repeat the force's own figures.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from inspect_cli.render.html.jinja_env import (
    BAR_W,
    LABEL_W,
    NOTE_W,
    environment,
    number,
    percent,
    shown,
)
from inspect_cli.render.html.recommendations import reinspection_view
from inspect_cli.render.html.report import how_to_read as report_how_to_read
from inspect_cli.render.round_words import grades_by_round_text
from inspect_cli.render.wording import change_text, points_text
from inspect_cli.reports.common import GradeRow, ReportMeta, shows_overall
from inspect_cli.reports.suppress import SYMBOL
from inspect_cli.reports.trend import (
    TOP_CHANGES,
    ForceTrend,
    IndicatorChange,
    StageTrend,
    TrendReport,
)

# Chart geometry (SVG user units; the chart scales to the page width). The label
# column, bar area and note column are those of the html module's charts.
CHART_TOP = 6.0
GROUP_HEAD_H = 20.0  # the force's name, above its bars
BAR_ROW_H = 18.0
BAR_H = 13.0
GROUP_GAP = 8.0
AXIS_H = 18.0
TICKS = (0, 25, 50, 75, 100)

# Fills for the rounds' bars, lightest first: fixed colours, never input text. The
# rounds spread over them, the last round darkest; with more rounds than colours, the
# earliest rounds share the lightest (each bar is labelled with its round anyway).
ROUND_FILLS = ("#f3b9b4", "#e0766d", "#c2453b", "#8c1d16")


# --------------------------------------------------------------------------- wording


def how_to_read(meta: ReportMeta, rounds: Sequence[str]) -> str:
    first, last = rounds[0], rounds[-1]
    return (
        f"{report_how_to_read(meta)} Each round's percentages are of that round's own cases. "
        f"The change compares the first round ({first}) with the last ({last}), leaving "
        "out any round without cases: a two-proportion test says whether the change in the inadequate share is more than "
        "chance would explain (p below 0.05), and a chi-square test whether the shares of "
        "good, adequate and inadequate differ between the rounds."
    )


def stage_share(pct: int | None, applicable: int) -> str:
    """'38% of 506'; a dash when the stage applied to no case."""
    if not applicable or pct is None:
        return "–"
    return f"{pct}% of {number(applicable)}"


def stage_change(s: StageTrend) -> str:
    """The model's change (from the counts, not the rounded shares); a dash when the
    stage applied to no case in the first or last round."""
    return points_text(s.change_points)


@dataclass(frozen=True)
class StageLine:
    stage: str
    cells: tuple[str, ...]  # one per round
    change: str


def stage_lines(stages: Sequence[StageTrend]) -> tuple[StageLine, ...]:
    return tuple(
        StageLine(
            s.stage,
            tuple(stage_share(p, n) for p, n in zip(s.inadequate_pct, s.applicable, strict=True)),
            stage_change(s),
        )
        for s in stages
    )


def indicator_change(i: IndicatorChange) -> str:
    n = abs(i.points)
    return f"{points_text(i.points, i.change)} point{'' if n == 1 else 's'}"


# --------------------------------------------------------------------------- chart


@dataclass(frozen=True)
class RoundBar:
    label: str  # the round
    y: float  # top of the bar
    width: float  # 0 when there is nothing to draw
    fill: str  # from ROUND_FILLS, never input text
    note: str  # beside the bar: "27% (22 of 81)"


@dataclass(frozen=True)
class BarGroup:
    label: str  # the force
    y: float  # baseline of the force's name
    total: bool
    bars: tuple[RoundBar, ...]


@dataclass(frozen=True)
class TrendChart:
    width: float
    height: float
    axis_top: float
    axis_bottom: float
    groups: tuple[BarGroup, ...]
    key: tuple[tuple[str, str], ...]  # (fill, round label), in round order


def round_fills(n: int) -> tuple[str, ...]:
    """One fill per round, spread over the palette (lightest first, the last round darkest)."""
    last = len(ROUND_FILLS) - 1
    if n <= 1:
        return ROUND_FILLS[last:] * n
    if n > len(ROUND_FILLS):
        return (ROUND_FILLS[0],) * (n - len(ROUND_FILLS)) + ROUND_FILLS
    return tuple(ROUND_FILLS[round(i * last / (n - 1))] for i in range(n))


def _bar(row: GradeRow, y: float, fill: str) -> RoundBar:
    """The inadequate share of one round; no bar for a round without cases or with
    figures hidden by small-number suppression."""
    if not row.recorded or not row.total:
        return RoundBar(row.label, y, 0.0, fill, "Not recorded")
    hidden = {"inadequate", "inadequate_pct", "total"} & row.suppressed
    if hidden or row.inadequate is None:
        note = f"{shown(row, 'inadequate_pct', 'percent')} ({SYMBOL}: hidden, small numbers)"
        return RoundBar(row.label, y, 0.0, fill, note)
    width = round(BAR_W * row.inadequate / row.total, 1)
    note = f"{percent(row.inadequate_pct)} ({number(row.inadequate)} of {number(row.total)})"
    return RoundBar(row.label, y, width, fill, note)


def trend_chart(
    trends: Sequence[ForceTrend], rounds: Sequence[str], total_last: bool
) -> TrendChart:
    """Grouped horizontal bars: for each force, the inadequate share in each round."""
    fills = round_fills(len(rounds))
    groups = []
    y = CHART_TOP
    for i, t in enumerate(trends):
        head = y + GROUP_HEAD_H - 6
        y += GROUP_HEAD_H
        bars = []
        for row, fill in zip(t.rounds, fills, strict=True):
            bars.append(_bar(row, y + (BAR_ROW_H - BAR_H) / 2, fill))
            y += BAR_ROW_H
        groups.append(BarGroup(t.force, head, total_last and i == len(trends) - 1, tuple(bars)))
        y += GROUP_GAP
    return TrendChart(
        width=LABEL_W + BAR_W + NOTE_W,
        height=y + AXIS_H,
        axis_top=CHART_TOP,
        axis_bottom=y,
        groups=tuple(groups),
        key=tuple(zip(fills, rounds, strict=True)),
    )


# --------------------------------------------------------------------------- rendering


def render_trend_html(report: TrendReport) -> str:
    several = shows_overall(report.forces)
    trends = (*report.forces, report.overall) if several else report.forces
    template = environment().get_template("trend.html.j2")
    return template.render(
        report=report,
        meta=report.meta,
        how_to_read=how_to_read(report.meta, report.rounds),
        grades_by_round=grades_by_round_text(report.grades_used_by_round),
        trends=trends,
        several=several,
        first_round=report.rounds[0],
        last_round=report.rounds[-1],
        change_text=change_text,
        chart=trend_chart(trends, report.rounds, several),
        stages=stage_lines(report.stages),
        top_changes=TOP_CHANGES,
        indicator_change=indicator_change,
        ticks=TICKS,
        round_bar_h=BAR_H,
        recommendations=reinspection_view(report.reinspection),
    )

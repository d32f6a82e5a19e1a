"""Trends (inspection rounds compared) in the terminal."""

from __future__ import annotations

from rich.console import Console

from inspect_cli.render.round_words import grades_by_round_text
from inspect_cli.render.text.plain import PlainTable, print_heading, say
from inspect_cli.render.text.report import n_pct, share
from inspect_cli.render.wording import change_text, points_text
from inspect_cli.reports.common import with_overall
from inspect_cli.reports.trend import TrendReport


def print_trend(console: Console, r: TrendReport) -> None:
    about = f"{r.meta.audit_type} assessments, {r.meta.grade_source} grades."
    print_heading(console, r.meta.marking, r.meta.title, about, r.meta.notes)
    table = PlainTable(title="Grades by round", title_justify="left", header_style="bold")
    table.add_column("Force")
    table.add_column("Round")
    for col in ("Good", "Adequate", "Inadequate", "Total"):
        table.add_column(col, justify="right")
    for t in with_overall(r.forces, r.overall):
        for i, row in enumerate(t.rounds):
            if not row.recorded:
                table.add_row(t.force if i == 0 else "", row.label, "Not recorded", "", "", "")
                continue
            table.add_row(
                t.force if i == 0 else "",
                row.label,
                n_pct(row.good, row.good_pct),
                n_pct(row.adequate, row.adequate_pct),
                n_pct(row.inadequate, row.inadequate_pct),
                str(row.total),
            )
        table.add_section()
    console.print(table)
    by_round = grades_by_round_text(r.grades_used_by_round)
    if by_round:
        say(console, by_round, style="dim")
    for t in with_overall(r.forces, r.overall):
        say(console, f"• {t.force}: {change_text(t.change)}.")
    stages = PlainTable(
        title="Share of applicable cases whose stage was inadequate",
        title_justify="left",
        header_style="bold",
    )
    stages.add_column("Stage")
    for label in r.rounds:
        stages.add_column(label, justify="right")
    for s in r.stages:
        stages.add_row(
            s.stage,
            *(share(p) if n else "–" for p, n in zip(s.inadequate_pct, s.applicable, strict=True)),
        )
    console.print(stages)
    for title, items in (
        ("Indicators that improved most", r.improved),
        ("Indicators that worsened most", r.worsened),
    ):
        t2 = PlainTable(title=title, title_justify="left", header_style="bold")
        for col in (
            "Indicator",
            "Stage",
            f"Worst answer, {r.rounds[0]}",
            f"Worst answer, {r.rounds[-1]}",
            "Change",
        ):
            t2.add_column(col, justify="left" if col in ("Indicator", "Stage") else "right")
        for ind in items:
            t2.add_row(
                ind.label,
                ind.stage,
                share(ind.first_pct),
                share(ind.last_pct),
                f"{points_text(ind.points, ind.change)} point{'' if abs(ind.points) == 1 else 's'}",
            )
        if items:
            console.print(t2)
    if r.reinspection is not None:
        from inspect_cli.render.text.recommendations import print_reinspection

        print_reinspection(console, r.reinspection)

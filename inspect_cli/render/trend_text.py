"""Trends in the terminal and as JSON (a public shape: extend, never rename)."""

from __future__ import annotations

import dataclasses
from typing import Any

from rich.console import Console
from rich.text import Text

from inspect_cli.render.plain import PlainTable, say
from inspect_cli.render.report_data import grade_row_dict, meta_dict
from inspect_cli.render.terminal_report import n_pct, share
from inspect_cli.render.wording import p_value_text
from inspect_cli.trend import Change, ForceTrend, TrendReport


def change_text(c: Change) -> str:
    if c.inadequate_points is None:
        return "fewer than two rounds with cases: no change to test"
    direction = (
        "down" if c.inadequate_points < 0 else "up" if c.inadequate_points > 0 else "unchanged"
    )
    text = f"inadequate share {direction}"
    if c.inadequate_points:
        n = abs(c.inadequate_points)
        text += f" {n} point{'s' if n != 1 else ''}"
    if c.inadequate_z_p is not None:
        verdict = (
            "more than chance would explain"
            if c.inadequate_z_p < 0.05
            else "within what chance could explain"
        )
        text += f" ({verdict}; two-proportion test p {p_value_text(c.inadequate_z_p)})"
    if c.chi_square is not None:
        text += f"; grades by round: chi-square p {p_value_text(c.chi_square.p_value)}"
        if not c.chi_square.reliable:
            text += " (too few cases for the test to be trusted)"
    return text


def _trend_dict(t: ForceTrend) -> dict[str, Any]:
    c = t.change
    return {
        "force": t.force,
        "rounds": [grade_row_dict(r, "round") for r in t.rounds],
        "change": {
            "good_points": c.good_points,
            "inadequate_points": c.inadequate_points,
            "inadequate_z_test_p": c.inadequate_z_p,
            "chi_square": None
            if c.chi_square is None
            else {**dataclasses.asdict(c.chi_square), "reliable": c.chi_square.reliable},
        },
    }


def trend_dict(r: TrendReport) -> dict[str, Any]:
    return {
        **meta_dict(r.meta),
        "rounds": list(r.rounds),
        "forces": [_trend_dict(f) for f in r.forces],
        "overall": _trend_dict(r.overall),
        "stages": [dataclasses.asdict(s) for s in r.stages],
        "indicators_improved": [dataclasses.asdict(i) for i in r.improved],
        "indicators_worsened": [dataclasses.asdict(i) for i in r.worsened],
    }


def print_trend(console: Console, r: TrendReport) -> None:
    if r.meta.marking:
        console.print(Text(r.meta.marking, style="bold reverse"))
    console.print(Text(r.meta.title, style="bold underline"))
    say(console, f"{r.meta.audit_type} assessments, {r.meta.grade_source} grades.", style="dim")
    table = PlainTable(title="Grades by round", title_justify="left", header_style="bold")
    table.add_column("Force")
    table.add_column("Round")
    for col in ("Good", "Adequate", "Inadequate", "Total"):
        table.add_column(col, justify="right")
    for t in (*r.forces, r.overall) if len(r.forces) > 1 else r.forces:
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
    for t in (*r.forces, r.overall) if len(r.forces) > 1 else r.forces:
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
                f"{ind.points:+d} points",
            )
        if items:
            console.print(t2)

"""Recommendations in the terminal: the force report's section and the trend's
re-inspection view (wording shared with every format: render/recommendation_words.py)."""

from __future__ import annotations

from rich.console import Console

from inspect_cli.render.recommendation_words import (
    REINSPECTION_TITLE,
    TITLE,
    about_text,
    answers_text,
    concerns_text,
    grades_text,
    reinspection_intro,
    section_intro,
    tested_text,
)
from inspect_cli.render.text.plain import PlainTable, say
from inspect_cli.reports.recommendations import RecommendationsSection, Shown
from inspect_cli.reports.reinspection import Reinspection


def _recommendation(console: Console, r: Shown, force: str | None = None) -> None:
    console.print()
    say(console, f"{r.id}" + (f" ({force})" if force else ""), style="bold")
    say(console, about_text(r))
    if r.owner:
        say(console, f"Owner: {r.owner}")
    if r.text:
        say(console, r.text)
    say(console, f"Concerns: {concerns_text(r)}", style="dim")


def print_recommendations(console: Console, s: RecommendationsSection) -> None:
    console.print()
    say(console, TITLE, style="bold underline")
    say(console, section_intro(s), style="dim")
    for item in s.items:
        _recommendation(console, item.recommendation)
        if not s.results_shown or not (item.stages or item.indicators):
            continue
        table = PlainTable(header_style="bold")
        table.add_column("Stage or indicator")
        table.add_column("Now", overflow="fold")
        for st in item.stages:
            table.add_row(f"Stage: {st.label}", grades_text(st))
        for ind in item.indicators:
            table.add_row(f"{ind.label} ({ind.stage})", answers_text(ind))
        console.print(table)


def print_reinspection(console: Console, v: Reinspection) -> None:
    console.print()
    say(console, REINSPECTION_TITLE, style="bold underline")
    say(console, reinspection_intro(v), style="dim")
    for item in v.items:
        _recommendation(console, item.recommendation, item.force)
        then, now = item.cases
        say(console, f"Cases counted: {then:,} in {v.then}, {now:,} in {v.now}", style="dim")
        if not (item.stages or item.indicators):
            continue
        table = PlainTable(header_style="bold")
        for col in ("Stage or indicator", v.then, v.now, "Change"):
            table.add_column(col, overflow="fold")
        for st in item.stages:
            table.add_row(
                f"Stage: {st.then.label}",
                grades_text(st.then),
                grades_text(st.now),
                tested_text(st.change, "inadequate"),
            )
        for ind in item.indicators:
            table.add_row(
                f"{ind.then.label} ({ind.then.stage})",
                answers_text(ind.then),
                answers_text(ind.now),
                tested_text(ind.change, repr(ind.then.answers[-1].answer)),
            )
        console.print(table)

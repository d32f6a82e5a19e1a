"""Force-level judgements in the terminal: one force's topics (force report) and the
summary across forces (thematic report). Evidence is left to the HTML, Excel and JSON
outputs: the terminal shows the grades only."""

from __future__ import annotations

from rich.console import Console
from rich.text import Text

from inspect_cli.render.force_topic_words import (
    FORCE_TOPIC_COLUMNS,
    FORCE_TOPICS_INTRO,
    FORCE_TOPICS_TITLE,
    SUMMARY_CAPTION,
    SUMMARY_INTRO,
    SUMMARY_TITLE,
    agreement_sentence,
    summary_cells,
    summary_columns,
    summary_notes,
    topic_cells,
)
from inspect_cli.render.text.plain import PlainTable, say
from inspect_cli.reports.force_topics import ForceTopics, TopicsSummary
from inspect_cli.reports.suppress import SYMBOL


def print_force_topics(console: Console, f: ForceTopics | None) -> None:
    if f is None:
        return
    console.print(Text(FORCE_TOPICS_TITLE, style="bold"))
    say(console, FORCE_TOPICS_INTRO, style="dim")
    table = PlainTable(header_style="bold")
    for col in FORCE_TOPIC_COLUMNS:
        table.add_column(col)
    for t in f.topics:
        table.add_row(*topic_cells(t))
    console.print(table)
    say(console, agreement_sentence(f))


def print_topics_summary(console: Console, s: TopicsSummary | None) -> None:
    if s is None:
        return
    console.print(Text(SUMMARY_TITLE, style="bold"))
    say(console, SUMMARY_INTRO, style="dim")
    table = PlainTable(header_style="bold", caption=SUMMARY_CAPTION, caption_justify="left")
    for i, col in enumerate(summary_columns(s)):
        table.add_column(col, justify="left" if i == 0 else "right")
    for t in s.topics:
        table.add_row(*summary_cells(t, SYMBOL))
    console.print(table)
    for note in summary_notes(s, SYMBOL):
        say(console, note, style="dim")

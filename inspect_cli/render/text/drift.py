"""The auditor-drift section in the terminal (force report and ``moderate``)."""

from __future__ import annotations

from rich.console import Console
from rich.text import Text

from inspect_cli.render.drift_words import (
    DRIFT_INTRO,
    DRIFT_TITLE,
    SHORT_COLUMNS,
    drift_notes,
    drift_sentences,
    drift_status_text,
    short_cells,
)
from inspect_cli.render.text.plain import PlainTable, say
from inspect_cli.reports.drift import DriftSection


def print_drift(console: Console, d: DriftSection | None) -> None:
    """The section; nothing when the report has none (published, anonymised)."""
    if d is None:
        return
    console.print(Text(DRIFT_TITLE, style="bold"))
    say(console, DRIFT_INTRO, style="dim")
    status = drift_status_text(d)
    if status:
        say(console, status)
    for sentence in drift_sentences(d):
        say(console, f"• {sentence}")
    if d.auditors:
        table = PlainTable(header_style="bold")
        for col in SHORT_COLUMNS:
            table.add_column(col, justify="left" if col in ("Auditor", "Look?") else "right")
        for a in d.auditors:
            table.add_row(*short_cells(a), style="bold" if a.look else "")
        console.print(table)
    for note in drift_notes(d):
        say(console, note, style="dim")

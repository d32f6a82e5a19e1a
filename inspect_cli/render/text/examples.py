"""The case examples report in the terminal: counts only, by stage, theme and area.
Vignette text is never printed here (write -o FILE to read it); the checker's warnings
go to stderr with the other problems."""

from __future__ import annotations

from rich.console import Console

from inspect_cli.render.example_words import CHECKER_MEANING, INTERNAL_ONLY, examples_summary
from inspect_cli.render.text.plain import PlainTable, print_heading, say
from inspect_cli.reports.examples import ExamplesReport


def print_examples(console: Console, r: ExamplesReport) -> None:
    print_heading(console, r.meta.marking, r.meta.title, examples_summary(r), r.meta.notes)
    if not r.groups:
        return
    table = PlainTable(header_style="bold", show_lines=False)
    for name in ("Stage", "Theme", "Area of practice", "Examples", "Cleared", "With findings"):
        right = name in ("Examples", "Cleared", "With findings")
        table.add_column(name, justify="right" if right else "left")
    for g in r.groups:
        cleared = sum(v.status == "cleared" for v in g.examples)
        flagged = sum(bool(v.findings) for v in g.examples)
        table.add_row(g.stage, g.theme, g.area, str(len(g.examples)), str(cleared), str(flagged))
    console.print(table)
    say(console, "Write -o FILE (.html, .docx, .xlsx, .json) to read the examples.", style="dim")
    if not r.meta.published:
        say(console, CHECKER_MEANING, style="dim")
        say(console, INTERNAL_ONLY, style="dim")

"""``inspect-cli sample`` in the terminal: how the sample was drawn, and the cases."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Console
from rich.text import Text

from inspect_cli.render.text.plain import PlainTable

if TYPE_CHECKING:
    from inspect_cli.sampling import Sample


def print_sample(console: Console, drawn: Sample) -> None:
    note = PlainTable(
        show_header=False, box=None, title="How the sample was drawn", title_justify="left"
    )
    note.add_column(style="bold", no_wrap=True)
    note.add_column()
    for label, value in drawn.note.rows()[1:]:
        note.add_row(Text(label), Text(value))  # text from files is never markup
    console.print(note)
    table = PlainTable(
        title=f"Cases drawn ({len(drawn.cases):,})", title_justify="left", header_style="bold"
    )
    table.add_column("area of practice")
    table.add_column("case", no_wrap=True)
    table.add_column("force")
    labels = drawn.framework.area_by_id
    for case in drawn.cases:
        table.add_row(Text(labels[case.area].label), Text(case.case_ref), Text(case.force or ""))
    console.print(table)

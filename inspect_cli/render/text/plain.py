"""Terminal text that is never markup.

Case files are typed by people: a case reference or force name may hold ``[/x]``
(which makes rich raise) or ``[bold]…`` and ``:smile:`` (which rich would restyle or
replace). Every string that reaches the terminal goes through :func:`plain` or a
:class:`PlainTable`, so it prints exactly as typed; style is only ever given as a
``style=`` argument, never written into the text.
"""

from __future__ import annotations

from typing import Any

from rich.console import Console, RenderableType
from rich.style import StyleType
from rich.table import Table
from rich.text import Text

Cell = RenderableType | None


def plain(value: object, style: StyleType = "") -> Text:
    """``value`` as literal text (no markup, no emoji codes), optionally styled."""
    return value if isinstance(value, Text) else Text(str(value), style=style)


def _literal(cell: Cell) -> Cell:
    return Text(cell) if isinstance(cell, str) else cell


class PlainTable(Table):
    """A rich table whose string title, caption, headers and cells are literal text."""

    def __init__(self, *headers: Any, title: str | Text | None = None, **options: Any) -> None:
        caption = options.pop("caption", None)
        super().__init__(
            *headers,  # string headers arrive through add_column below
            title=_literal(title) if title is not None else None,  # type: ignore[arg-type]
            caption=_literal(caption) if caption is not None else None,  # type: ignore[arg-type]
            **options,
        )

    def add_column(self, header: RenderableType = "", *args: Any, **options: Any) -> None:
        super().add_column(_literal(header) or "", *args, **options)

    def add_row(self, *cells: Cell, **options: Any) -> None:
        super().add_row(*(_literal(c) for c in cells), **options)

    def set_caption(self, caption: str) -> None:
        self.caption = Text(caption)


def say(console: Console, *parts: object, style: StyleType = "") -> None:
    """Print one line of literal text (strings joined with spaces, Text kept as is)."""
    line = Text(style=style)
    for i, part in enumerate(parts):
        if i:
            line.append(" ")
        line.append(plain(part))
    console.print(line)


def print_heading(
    console: Console, marking: str | None, title: str, about: str, notes: tuple[str, ...] = ()
) -> None:
    """The top of every report in the terminal: the marking, the title, one dim line on
    what was counted, then the report's notes (what it left out, which grades it used)."""
    if marking:
        console.print(Text(marking, style="bold reverse"))
    console.print(Text(title, style="bold underline"))
    say(console, about, style="dim")
    for note in notes:
        say(console, note, style="dim")

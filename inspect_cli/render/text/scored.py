"""Scored cases in the terminal. Colour is decoration: every grade is also spelt out."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Console
from rich.text import Text

from inspect_cli.frameworks import GRADES
from inspect_cli.render.text.plain import PlainTable, say

if TYPE_CHECKING:
    from inspect_cli.score import ScoreResult


GRADE_STYLE = {"good": "green", "adequate": "yellow", "inadequate": "bold red"}


def grade_text(grade: str | None) -> Text:
    if grade is None:
        return Text("n/a", style="dim")
    return Text(grade, style=GRADE_STYLE.get(grade, ""))


def print_scored(console: Console, result: ScoreResult, *, limit: int) -> None:
    """A compact case list: the full stage-by-stage table belongs in -o scored.xlsx."""
    frame = result.scored
    table = PlainTable(
        title=f"Scored cases ({len(frame):,})", title_justify="left", header_style="bold"
    )
    table.add_column("case", no_wrap=True)
    table.add_column("force", no_wrap=True)
    table.add_column("audit", no_wrap=True)
    table.add_column("grade", no_wrap=True)
    table.add_column("reason", ratio=1, overflow="fold")
    for row in frame.head(limit).to_dict("records"):
        audit = "self" if row["audit_type"] == "self-assessment" else str(row["audit_type"])
        table.add_row(
            str(row["case_ref"]),
            str(row["force"]),
            audit,
            grade_text(str(row["grade"])),
            str(row["reason"]).split(": ", 1)[-1],
        )
    console.print(table)
    if len(frame) > limit:
        say(
            console,
            f"… and {len(frame) - limit:,} more cases. Write every case, with each stage's "
            "grade, with -o scored.xlsx (or .csv, .json).",
        )


def print_grade_counts(console: Console, counts: dict[tuple[str, str], dict[str, int]]) -> None:
    table = PlainTable(title="Computed grades", title_justify="left", header_style="bold")
    table.add_column("force")
    table.add_column("audit type")
    for g in GRADES:
        table.add_column(g, justify="right")
    table.add_column("total", justify="right")
    for (force, audit), c in counts.items():
        table.add_row(
            force,
            audit,
            *(str(c.get(g, 0)) for g in GRADES),
            str(sum(c.values())),
        )
    console.print(table)

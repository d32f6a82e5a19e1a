"""Problems found in the input, and their one-line summary, in the terminal."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.console import Console
from rich.text import Text

from inspect_cli.problems import Problem
from inspect_cli.render.text.plain import PlainTable

if TYPE_CHECKING:
    from inspect_cli.load import LoadResult

SEVERITY_STYLE = {"error": "bold red", "warning": "yellow", "note": "dim"}
MAX_LIKE = 5


def print_problems(
    console: Console, problems: Sequence[Problem], *, limit_like: int = MAX_LIKE
) -> None:
    """Every problem, with repeats of the same problem in the same column folded after a few."""
    groups: dict[tuple[str, str | None, str | None, str], list[Problem]] = defaultdict(list)
    for p in problems:
        groups[(p.code, p.file, p.sheet, p.message)].append(p)
    table = PlainTable(show_header=True, header_style="bold", expand=False)
    table.add_column("", no_wrap=True)
    table.add_column("where")
    table.add_column("problem")
    for group in groups.values():
        for p in group[:limit_like]:
            table.add_row(
                Text(p.severity, style=SEVERITY_STYLE[p.severity]),
                Text(p.location()),
                Text(p.message),
            )
        if len(group) > limit_like:
            more = len(group) - limit_like
            table.add_row(
                "",
                "",
                Text(f"… and {more:,} more like this (--format json lists all)", style="dim"),
            )
    console.print(table)


def summary_line(result: LoadResult) -> str:
    counts = {
        s: sum(1 for p in result.problems if p.severity == s) for s in ("error", "warning", "note")
    }
    files = len(result.sources)
    head = "OK" if result.ok else "PROBLEMS"
    return (
        f"{head}: {files} file(s), {result.rows_read:,} row(s) read, {len(result.cases):,} case(s) "
        f"loaded, {len(result.rejected):,} not loaded; {counts['error']:,} error(s), "
        f"{counts['warning']:,} warning(s), {counts['note']:,} note(s)"
    )

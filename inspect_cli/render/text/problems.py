"""Problems found in the input, and their one-line summary, in the terminal.

On a terminal a long item wraps inside its column; anywhere else (a pipe, a file)
the table is as wide as its longest item, so nothing is ever cut or wrapped.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.console import Console
from rich.measure import Measurement
from rich.segment import Segment, Segments
from rich.text import Text

from inspect_cli.problems import Problem
from inspect_cli.render.text.plain import PlainTable, say

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
    table = _table()
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
    print_whole(console, table)


def print_problem_list(console: Console, problems: Sequence[Problem]) -> None:
    """``validate``'s table: every problem in reading order (file, sheet, row, column).

    On a terminal, the same problem repeated in one sheet is shown five times and the
    rest counted below the table; anywhere else every problem is listed."""
    from inspect_cli.render.problems_out import sorted_problems

    folded: dict[tuple[str, str | None, str | None, str], int] = defaultdict(int)
    table = _table()
    for p in sorted_problems(problems):
        key = (p.code, p.file, p.sheet, p.message)
        folded[key] += 1
        if console.is_terminal and folded[key] > MAX_LIKE:
            continue
        table.add_row(
            Text(p.severity, style=SEVERITY_STYLE[p.severity]),
            Text(p.location()),
            Text(p.message),
        )
    print_whole(console, table)
    if console.is_terminal:
        for (_, file, sheet, message), count in folded.items():
            if count > MAX_LIKE:
                where = ", ".join(x for x in (file, f"sheet {sheet!r}" if sheet else None) if x)
                more = f"… and {count - MAX_LIKE:,} more of {message!r} in {where}"
                say(console, f"{more} (-o problems.xlsx lists all)", style="dim")


def _table() -> PlainTable:
    table = PlainTable(show_header=True, header_style="bold", expand=False)
    table.add_column("", no_wrap=True)
    table.add_column("where", overflow="fold")
    table.add_column("problem", overflow="fold")
    return table


def print_whole(console: Console, table: PlainTable) -> None:
    """On a terminal, the table fitted to its width; elsewhere at its natural width,
    each problem on one line, nothing cut."""
    if console.is_terminal:
        console.print(table)
        return
    wide = console.options.update_width(10**6)
    width = Measurement.get(console, wide, table).maximum
    lines = console.render_lines(table, console.options.update_width(width), pad=False)
    segments = [segment for line in lines for segment in (*line, Segment.line())]
    console.print(Segments(segments), crop=False)


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

"""``validate -o problems.xlsx|csv|json``: every problem, in reading order, full text.

The order is the one an auditor fixes a workbook in: file, sheet, row, column (Excel's
order: B before AA), then code. Problems about a whole file come before those about a
sheet, and those before the rows. Each problem also carries its type's title, so a
list sent back to a force reads without the catalogue.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from inspect_cli.problems import ALL_TYPES, Problem

if TYPE_CHECKING:
    from inspect_cli.load import LoadResult

COLUMNS = ("file", "sheet", "row", "column", "header", "code", "severity", "title", "message")
"""The columns of the CSV and Excel lists (ids, like JSON keys: extend, never rename)."""
TITLES = {t.code: t.title for t in ALL_TYPES}
_LETTERS = re.compile(r"[A-Z]{1,3}")

SortKey = tuple[tuple[Any, ...], ...]


def _text_key(text: str | None) -> tuple[Any, ...]:
    """None first (about more than one place), then by name, capitals ignored."""
    return (0,) if text is None else (1, text.casefold(), text)


def _column_key(column: str | None, header: str | None) -> tuple[Any, ...]:
    """No column first; letters in Excel's order (Z before AA); anything else after."""
    if column is None:
        return (0, 0, "", header or "")
    if _LETTERS.fullmatch(column):
        return (1, len(column), column, header or "")
    return (2, 0, column, header or "")


def problem_order(p: Problem) -> SortKey:
    return (
        _text_key(p.file),
        _text_key(p.sheet),
        (0, 0) if p.row is None else (1, p.row),
        _column_key(p.column, p.header),
        (p.code, p.message),
    )


def sorted_problems(problems: Iterable[Problem]) -> list[Problem]:
    return sorted(problems, key=problem_order)


def title_of(code: str) -> str:
    return TITLES.get(code, "")


def problem_record(p: Problem) -> dict[str, Any]:
    """A problem as JSON: ``to_dict``'s keys, then its ``title``."""
    return {**p.to_dict(), "title": title_of(p.code)}


def problems_json(result: LoadResult) -> dict[str, Any]:
    """``validate --format json`` and ``-o FILE.json``: the validation shape (see
    render.contracts.validation_json), its problems sorted and titled."""
    from inspect_cli.render.contracts import validation_json

    data = validation_json(result)
    data["problems"] = [problem_record(p) for p in sorted_problems(result.problems)]
    return data


def _row_values(p: Problem) -> list[Any]:
    record = problem_record(p)
    return [record[c] for c in COLUMNS]


def write_problems_json(result: LoadResult, target: Path) -> None:
    from inspect_cli.render.contracts import dumps

    target.write_text(dumps(problems_json(result)), encoding="utf-8")


def write_problems_csv(problems: Sequence[Problem], target: Path) -> None:
    """The project's CSV conventions (render/csv.py): UTF-8 with a byte-order mark,
    CRLF, quoted only where needed, formula-like text prefixed with ``'``."""
    from inspect_cli.render.csv import csv_safe

    with open(target, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\r\n")
        writer.writerow(COLUMNS)
        for p in sorted_problems(problems):
            writer.writerow([csv_safe(v) for v in _row_values(p)])


SHEET_NAME = "Problems"


def write_problems_xlsx(
    problems: Sequence[Problem], target: Path, provenance: Sequence[tuple[str, str]]
) -> None:
    """One table of problems through the report kit (text only ever as text), and a
    Provenance sheet, which marks the file as this tool's output so that a run over
    the folder skips it."""
    from inspect_cli.render.cells import write_about_sheet
    from inspect_cli.render.xlsx.kit import Book, Num, open_workbook

    workbook = open_workbook(target)
    book = Book(workbook)
    sh = book.sheet(SHEET_NAME)
    listed = sorted_problems(problems)
    sh.title("Problems found by inspect-cli validate")
    sh.caption(f"{len(listed):,} problem(s), by file, sheet, row and column.")
    sh.header(list(COLUMNS))
    at_row = COLUMNS.index("row")
    for p in listed:
        values = _row_values(p)
        values[at_row] = Num(p.row) if p.row is not None else None  # a row number, not a count
        sh.data(values)
    sh.finish(freeze_cols=0)
    write_about_sheet(workbook, list(provenance), book.styles.get("heading"))
    workbook.close()

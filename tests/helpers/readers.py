"""The careful reader (openpyxl) against the fast reader (fastexcel, behind the
pre-flight check): shared by the reader-agreement tests and the bad-input catalogue."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import openpyxl

from inspect_cli.read import read_file


def _careful(path: Path) -> dict[str, list[list[Any]]]:
    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        return {
            ws.title: [list(row) for row in ws.iter_rows(values_only=True)] for ws in wb.worksheets
        }
    finally:
        wb.close()


def _fast(path: Path) -> dict[str, list[list[Any]]]:
    """Cells as the fast reader gives them; an error cell reads as blank and its text
    ('#N/A') comes from the pre-flight scan, so put it back where openpyxl shows it."""
    out = {}
    for sheet in read_file(path).sheets:
        rows = sheet.rows
        for (i, j), text in sheet.error_cells.items():
            rows[i][j] = text
        out[sheet.name] = rows
    return out


def _same(fast: Any, careful: Any) -> bool:
    """Whether the fast reader's text is exactly what the careful reader's value reads as."""
    if careful is None or careful == "":
        return fast is None or fast == ""
    if fast is None:
        return False
    if isinstance(careful, bool):
        return fast == ("true" if careful else "false")
    if isinstance(careful, int | float):
        return float(fast) == float(careful)
    if isinstance(careful, dt.datetime):
        return fast == careful.isoformat(" ")
    if isinstance(careful, dt.time):
        return fast.endswith(careful.isoformat())
    return bool(fast == careful)


def _trim(rows: list[list[Any]]) -> list[list[Any]]:
    """Drop trailing empty cells and rows: readers disagree only on how far 'empty' reaches."""
    out = [list(row) for row in rows]
    for row in out:
        while row and (row[-1] is None or row[-1] == ""):
            row.pop()
    while out and not out[-1]:
        out.pop()
    return out


def assert_readers_agree(path: Path) -> None:
    """The fast reader and openpyxl read the same cells from ``path``."""
    fast, careful = _fast(path), _careful(path)
    assert list(fast) == list(careful)
    for sheet in fast:
        f, c = _trim(fast[sheet]), _trim(careful[sheet])
        assert len(f) == len(c), sheet
        for i, (frow, crow) in enumerate(zip(f, c, strict=True)):
            width = max(len(frow), len(crow))
            frow, crow = frow + [None] * (width - len(frow)), crow + [None] * (width - len(crow))
            for j, (a, b) in enumerate(zip(frow, crow, strict=True)):
                assert _same(a, b), f"{sheet} row {i + 1} column {j + 1}: {a!r} vs {b!r}"

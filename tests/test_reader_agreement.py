"""The fast reader (calamine, behind the pre-flight check) gives the same cells as the
careful reader (openpyxl), cell for cell, on every sample workbook and on the good
workbooks of the bad-input catalogue."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from inspect_cli.frameworks import Framework
from inspect_cli.read import read_file

from .builders import case_table, write_xlsx
from .conftest import SAMPLES

WORKBOOKS = sorted(SAMPLES.rglob("*.xlsx"))


def _plain(value: Any) -> Any:
    """One representation per value: blanks as None, whole floats as int, datetimes as dates
    when they have no time (Excel stores both as numbers; each reader picks a type)."""
    if value is None or value == "":
        return None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        return value.date()
    return value


def _careful(path: Path) -> dict[str, list[list[Any]]]:
    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        return {
            ws.title: [[_plain(v) for v in row] for row in ws.iter_rows(values_only=True)]
            for ws in wb.worksheets
        }
    finally:
        wb.close()


def _fast(path: Path) -> dict[str, list[list[Any]]]:
    return {s.name: [[_plain(v) for v in row] for row in s.rows] for s in read_file(path).sheets}


def _trim(rows: list[list[Any]]) -> list[list[Any]]:
    """Drop trailing empty cells and rows: readers disagree only on how far 'empty' reaches."""
    out = [list(row) for row in rows]
    for row in out:
        while row and row[-1] is None:
            row.pop()
    while out and not out[-1]:
        out.pop()
    return out


@pytest.mark.parametrize("path", WORKBOOKS, ids=lambda p: str(p.relative_to(SAMPLES)))
def test_fast_reader_matches_careful_reader_on_samples(path: Path) -> None:
    fast, careful = _fast(path), _careful(path)
    assert list(fast) == list(careful)
    for sheet in fast:
        assert _trim(fast[sheet]) == _trim(careful[sheet]), sheet


def test_fast_reader_matches_careful_reader_on_a_built_workbook(
    fw: Framework, tmp_path: Path
) -> None:
    table = case_table(fw, 5)
    table[1][0] = "00123"  # text that looks like a number
    path = write_xlsx(tmp_path / "cases.xlsx", {"Cases": table, "More": case_table(fw, 2, first=9)})
    fast, careful = _fast(path), _careful(path)
    assert {k: _trim(v) for k, v in fast.items()} == {k: _trim(v) for k, v in careful.items()}

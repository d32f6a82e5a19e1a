"""Shared by several test modules (moved from tests/test_render_excel.py)."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.utils import range_boundaries

from tests.helpers.payloads import FORMULA

PAYLOADS = FORMULA


def exact(share: float) -> Any:
    """A share as stored unrounded: ``share`` to the 16 significant digits xlsxwriter
    writes (more than Excel keeps), so a pre-rounded 0.46 for 37/81 does not pass."""
    return pytest.approx(share, rel=1e-15, abs=0)


def page_setup(ws: Any) -> tuple[str | None, bool, int | None, int | None, str | None]:
    """A sheet's print setup as read back: orientation, fit-to-page on, pages wide and
    tall, and the rows repeated at the top of each page ("3:4")."""
    setup = ws.page_setup
    fit = ws.sheet_properties.pageSetUpPr
    one = 1  # the file format's default, which writers leave out
    return (
        setup.orientation,
        bool(fit and fit.fitToPage),
        one if setup.fitToWidth is None else int(setup.fitToWidth),
        one if setup.fitToHeight is None else int(setup.fitToHeight),
        (ws.print_title_rows or "").replace("$", "") or None,
    )


def header_row(ws: Any, first: str) -> int:
    """1-based row number of the header row whose column A is ``first``."""
    for row in ws.iter_rows(min_col=1, max_col=1):
        if row[0].value == first:
            return int(row[0].row)
    raise AssertionError(f"no header {first!r} in {ws.title}")


def row_by_label(ws: Any, label: object) -> list[Any]:
    for row in ws.iter_rows():
        if row[0].value == label:
            return list(row)
    raise AssertionError(f"no row {label!r} in {ws.title}")


def worksheet_xml(path: Path) -> dict[str, str]:
    with zipfile.ZipFile(path) as zf:
        return {
            n: zf.read(n).decode("utf-8")
            for n in zf.namelist()
            if n.startswith("xl/worksheets/") and n.endswith(".xml")
        }


def dump(path: Path) -> str:
    """Every sheet's cell values (not styles), deterministic, for golden files."""
    wb = openpyxl.load_workbook(path)
    out: list[str] = []
    for ws in wb.worksheets:
        out.append(f"== {ws.title}")
        out.append(f"freeze={ws.freeze_panes} filter={ws.auto_filter.ref}")
        for row in ws.iter_rows(values_only=True):
            values = list(row)
            while values and values[-1] is None:
                values.pop()
            out.append("\t".join(repr(v) for v in values))
        out.append("")
    return "\n".join(out)


# --------------------------------------------------------------------------- published workbooks

SHORTHAND = {"[c]", "[x]", "[z]"}
"""The bracketed shorthand a published workbook may hold in a figure cell."""


def table_sheets(wb: Any) -> list[Any]:
    return [ws for ws in wb.worksheets if ws.title not in ("Cover", "Contents", "Notes")]


def only_table(ws: Any) -> Any:
    tables = list(ws.tables.values())
    assert len(tables) == 1, f"{ws.title}: {len(tables)} tables"
    return tables[0]


def table_body(ws: Any) -> tuple[list[str], list[list[Any]]]:
    """The header labels and data cells of a sheet's one table."""
    min_col, min_row, max_col, max_row = range_boundaries(only_table(ws).ref)
    rows = list(ws.iter_rows(min_row=min_row, max_row=max_row, min_col=min_col, max_col=max_col))
    return [str(c.value) for c in rows[0]], [list(r) for r in rows[1:]]


def table_row(ws: Any, label: str) -> list[Any]:
    _, body = table_body(ws)
    found = [r for r in body if r[0].value == label]
    assert len(found) == 1, f"{ws.title}: {len(found)} rows {label!r}"
    return found[0]


def is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def numeric_columns(ws: Any) -> Iterator[tuple[str, list[Any]]]:
    """(header, cells) of each table column holding at least one number."""
    header, body = table_body(ws)
    for j, label in enumerate(header):
        cells = [row[j] for row in body]
        if any(is_number(c.value) for c in cells):
            yield label, cells


def notes_of(wb: Any) -> dict[str, str]:
    _, body = table_body(wb["Notes"])
    return {str(r[0].value): str(r[1].value) for r in body}


def all_cells(wb: Any) -> Iterator[Any]:
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            yield from (c for c in row if c.value is not None)


def shorthand_used(wb: Any) -> set[str]:
    return {
        str(c.value)
        for ws in table_sheets(wb)
        for row in table_body(ws)[1]
        for c in row
        if c.value in SHORTHAND
    }

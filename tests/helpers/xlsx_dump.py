"""Shared by several test modules (moved from tests/test_render_excel.py)."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

import openpyxl

from tests.helpers.payloads import FORMULA

PAYLOADS = FORMULA


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

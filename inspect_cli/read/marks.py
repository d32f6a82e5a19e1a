"""What the parser hides, found by scanning a sheet's XML: Excel error cells, formulas
(and whether they have a calculated value), merged ranges and hidden rows.

This is the fast scan, for sheets written as Excel writes them; any other sheet is read
by the careful scan (:mod:`~inspect_cli.read.careful`) instead, chosen in
:func:`~inspect_cli.read.bounds.bound_sheet`."""

from __future__ import annotations

import re
import zipfile

from inspect_cli.read.inflate import chunks_at
from inspect_cli.read.raw import RawSheet, column_index
from inspect_cli.read.spots import ERROR, EVERY, FORMULA, HIDDEN, MERGE, SheetSpots

_ERROR_CELL = re.compile(rb"""<(?:\w+:)?c\s[^>]*?\bt=["']e["'][^>]*>""")
_CELL_REF = re.compile(rb"""\br=["']([A-Z]{1,3})([0-9]{1,9})["']""")
_ERROR_VALUE = re.compile(rb"""<(?:\w+:)?v>([^<]{1,20})</(?:\w+:)?v>""")
_FORMULA = re.compile(rb"""<(?:\w+:)?f[\s>/]""")


def find_marks(
    name: str,
    sheet: RawSheet,
    zf: zipfile.ZipFile,
    member: str,
    whole: bytes | None = None,
    spots: SheetSpots | None = None,
) -> None:
    """Find what the parser hides: Excel error cells, formulas and merged ranges.
    ``whole``: the part already inflated, when it is one chunk. ``spots``: where the
    reach measure saw bytes that can start a mark; a chunk without one is not searched
    (None: every chunk is, the simple path, kept as the reference)."""
    merged: set[tuple[int, int, int, int]] = set()
    hidden: set[int] = set()
    for at, buf in [(0, whole)] if whole is not None else chunks_at(zf, name, member):
        # The byte searches hold the GIL, which the parse running beside them needs.
        kinds = EVERY if spots is None else spots.kinds_in(at, at + len(buf))
        if not kinds:
            continue
        # Plain byte searches first: each regex alone costs a second per 100k rows.
        if kinds & ERROR and (b't="e"' in buf or b"t='e'" in buf):
            _collect_errors(buf, sheet)
        if kinds & FORMULA and (b"<f" in buf or b":f" in buf) and _FORMULA.search(buf):
            _collect_formulas(buf, sheet)
        if kinds & MERGE and b"mergeCell " in buf:
            merged.update(_merges(buf))
        if kinds & HIDDEN and b"hidden=" in buf:
            hidden.update(int(m.group(1)) - 1 for m in _HIDDEN_ROW.finditer(buf))
    sheet.merged = sorted(merged)
    sheet.hidden_rows = sorted(hidden)


_HIDDEN_ROW = re.compile(rb'<row r="([0-9]{1,9})"[^>]*?\shidden="(?:1|true)"')


_MERGE = re.compile(
    rb"""<(?:\w+:)?mergeCell\s[^>]*?\bref=["']([A-Z]{1,3})([0-9]{1,9})(?::([A-Z]{1,3})([0-9]{1,9}))?["']"""
)


def _merges(buf: bytes) -> list[tuple[int, int, int, int]]:
    out = []
    for m in _MERGE.finditer(buf):
        r0, c0 = int(m.group(2)) - 1, column_index(m.group(1).decode())
        if m.group(3):
            r1, c1 = int(m.group(4)) - 1, column_index(m.group(3).decode())
        else:
            r1, c1 = r0, c0
        out.append((min(r0, r1), min(c0, c1), max(r0, r1), max(c0, c1)))
    return out


def _cell_at(tag: bytes) -> tuple[int, int] | None:
    m = _CELL_REF.search(tag)
    if not m:
        return None
    return int(m.group(2)) - 1, column_index(m.group(1).decode())


def _collect_errors(buf: bytes, sheet: RawSheet) -> None:
    for m in _ERROR_CELL.finditer(buf):
        at = _cell_at(m.group(0))
        if at is None:
            continue
        value = _ERROR_VALUE.search(buf, m.end(), m.end() + 400)
        sheet.error_cells[at] = value.group(1).decode("utf-8", "replace") if value else "#ERROR"


_FORMULA_CELL = re.compile(rb"""<(?:\w+:)?c\s([^>]*)>\s*<(?:\w+:)?f[\s>/]""")
_CELL_END = re.compile(rb"""</(?:\w+:)?c>""")


def _collect_formulas(buf: bytes, sheet: RawSheet) -> None:
    for m in _FORMULA_CELL.finditer(buf):
        at = _cell_at(m.group(1))
        if at is None:
            continue
        end = _CELL_END.search(buf, m.end())
        body = buf[m.end() : end.start() if end else m.end() + 4000]
        sheet.formula_cells[at] = re.search(rb"<(?:\w+:)?v>[^<]", body) is not None

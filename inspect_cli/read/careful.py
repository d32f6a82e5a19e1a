"""The careful scan: a sheet's XML parsed as XML (expat, streamed), for sheets the fast
byte scans cannot read exactly.

The fast scans (:mod:`~inspect_cli.read.bounds`, :mod:`~inspect_cli.read.marks`) look
for the bytes Excel writes. Legal XML written otherwise (spaces around ``=``, single
quotes, lower-case references, cells or rows without ``r``, prefixed elements) is
found by a cheap byte check and read here instead, placing every cell exactly as the
parser (calamine, under fastexcel) places it:

- a ``<row>`` with ``r`` is that row; without, the row after the previous one;
- a ``<c>`` with ``r`` is that cell (its column is where the next implied cell follows);
  without, the current row and the column after the previous cell's;
- elements match by local name (any prefix); attributes by their exact name.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from xml.parsers import expat

from inspect_cli import problems as P
from inspect_cli.read.inflate import CHUNK
from inspect_cli.read.preflight import open_member
from inspect_cli.read.raw import RawSheet, ReadFailure, column_letter

_REF = re.compile(r"([A-Za-z]{0,4})([0-9]{1,10})")


def parse_ref(text: str) -> tuple[int, int] | None:
    """'B3' or 'b3' → (row, column), 1-based (column 0 when only a row is given)."""
    m = _REF.fullmatch(text)
    if m is None:
        return None
    col = 0
    for ch in m.group(1).upper():
        col = col * 26 + ord(ch) - 64
    return int(m.group(2)), col


@dataclass
class Reach:
    """How far a sheet's cells reach (1-based), and what the parser will be asked to read."""

    max_row: int = 0
    max_col: int = 0
    shared_top: int = -1
    """The largest shared-string index used (-1: none)."""
    bad_shared: str | None = None
    """A shared-string index that is not a number, with its cell."""
    bad_ref: str | None = None
    """A cell, row or merge reference the parser cannot read."""


@dataclass
class _State:
    sheet: RawSheet
    reach: Reach
    row: int = 0  # 0-based, counted as the parser counts
    col: int = 0
    cell: tuple[int, int] | None = None
    cell_type: str | None = None
    has_formula: bool = False
    has_value: bool = False
    in_value: bool = False
    text: list[str] = field(default_factory=list)
    merged: set[tuple[int, int, int, int]] = field(default_factory=set)
    hidden: set[int] = field(default_factory=set)


def _local(name: str) -> str:
    return name.rpartition(":")[2]


def _start(st: _State, name: str, attrs: dict[str, str]) -> None:
    tag = _local(name)
    if tag == "row":
        if "r" in attrs:
            at = parse_ref(attrs["r"])
            if at is None or at[0] < 1:
                st.reach.bad_ref = st.reach.bad_ref or f"row r={attrs['r']!r}"
                return
            st.row = at[0] - 1
        st.reach.max_row = max(st.reach.max_row, st.row + 1)
        if attrs.get("hidden") in ("1", "true"):
            st.hidden.add(st.row)
    elif tag == "c":
        pos = (st.row, st.col)
        if "r" in attrs:
            at = parse_ref(attrs["r"])
            if at is None or at[0] < 1 or at[1] < 1:
                st.reach.bad_ref = st.reach.bad_ref or f"cell r={attrs['r']!r}"
            else:
                pos = (at[0] - 1, at[1] - 1)
                st.col = pos[1]
        st.cell, st.cell_type = pos, attrs.get("t")
        st.has_formula = st.has_value = False
        st.reach.max_row = max(st.reach.max_row, pos[0] + 1)
        st.reach.max_col = max(st.reach.max_col, pos[1] + 1)
    elif tag == "f" and st.cell is not None:
        st.has_formula = True
    elif tag == "v" and st.cell is not None:
        st.has_value, st.in_value, st.text = True, True, []
    elif tag == "mergeCell" and "ref" in attrs:
        _merge(st, attrs["ref"])


def _merge(st: _State, ref: str) -> None:
    parts = ref.split(":")
    ends = [at for part in parts if (at := parse_ref(part)) and at[0] >= 1 and at[1] >= 1]
    if len(ends) != len(parts) or len(ends) > 2:
        st.reach.bad_ref = st.reach.bad_ref or f"merged range {ref!r}"
        return
    (r0, c0), (r1, c1) = ends[0], ends[-1]
    st.merged.add((min(r0, r1) - 1, min(c0, c1) - 1, max(r0, r1) - 1, max(c0, c1) - 1))


def _end(st: _State, name: str) -> None:
    tag = _local(name)
    if tag == "row":
        st.row += 1
        st.col = 0
    elif tag == "v":
        st.in_value = False
    elif tag == "c" and st.cell is not None:
        _finish_cell(st, st.cell)
        st.cell = None
        st.col += 1


def _finish_cell(st: _State, at: tuple[int, int]) -> None:
    value = "".join(st.text) if st.has_value else ""
    if st.has_formula:  # an empty <v/> is no calculated value: the parser reads a blank
        st.sheet.formula_cells[at] = bool(value)
    if st.cell_type == "e":
        st.sheet.error_cells[at] = value.strip() or "#ERROR"
    elif st.cell_type == "s" and st.has_value:
        if not value.isascii() or not value.isdigit():
            cell = f"{column_letter(at[1])}{at[0] + 1}"
            st.reach.bad_shared = st.reach.bad_shared or f"{value[:20]!r} (cell {cell})"
        else:
            st.reach.shared_top = max(st.reach.shared_top, int(value))
    st.text = []


def careful_scan(name: str, sheet: RawSheet, zf: zipfile.ZipFile, member: str) -> Reach:
    """Parse a sheet's XML, filling its marks (errors, formulas, merges, hidden rows)."""
    st = _State(sheet, Reach())
    sheet.error_cells.clear()
    sheet.formula_cells.clear()
    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.StartElementHandler = lambda n, a: _start(st, n, a)
    parser.EndElementHandler = lambda n: _end(st, n)
    parser.CharacterDataHandler = _collector(st)
    parser.StartDoctypeDeclHandler = _refuse_doctype(name, member)
    parser.buffer_text = True
    try:
        with open_member(zf, name, member) as fh:
            while buf := fh.read(CHUNK):
                parser.Parse(buf, False)
        parser.Parse(b"", True)
    except expat.ExpatError as exc:
        why = expat.errors.messages.get(exc.code, "not well-formed")
        raise ReadFailure(
            P.CORRUPT.at(
                name,
                sheet=sheet.name,
                detail=f"part {member} is not well-formed XML ({why}, line {exc.lineno}); "
                "open it in Excel and save it again",
            )
        ) from None
    sheet.merged = sorted(st.merged)
    sheet.hidden_rows = sorted(st.hidden)
    return st.reach


def _collector(st: _State) -> Callable[[str], None]:
    def collect(text: str) -> None:
        if st.in_value:
            st.text.append(text)

    return collect


def _refuse_doctype(name: str, member: str) -> Callable[..., None]:
    def refuse(*_: object) -> None:
        raise ReadFailure(
            P.UNSAFE.at(
                name,
                detail=f"part {member} declares a DTD or XML entities, which Excel never "
                "writes (an XML entity attack?); refused",
            )
        )

    return refuse

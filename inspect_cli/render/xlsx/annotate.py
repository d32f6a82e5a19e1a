"""``validate --annotate DIR``: a copy of a workbook with its problems marked in place.

Every problem cell gets a fill (by its worst severity) and a comment holding its
messages; a ``Problems`` sheet lists every problem of the file, in reading order,
with a link to its cell. A problem that is not at one cell (a whole sheet, a missing
column) is on the Problems sheet only.

The copy is made with openpyxl from the bytes that were validated (their SHA-256 is
checked again first). openpyxl keeps cell values, formulas, styles, merged cells,
data validation and hidden rows and sheets, but not charts, images or shapes, and
formula results are left for Excel to recalculate; an ``.xlsm`` keeps its macros
(``keep_vba=True``), unrun. Text written here is always text (``data_type`` "s",
with the quote prefix when it starts like a formula), never a formula or a link.
"""

from __future__ import annotations

import hashlib
import io
import re
import warnings
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from inspect_cli.problems import Problem
from inspect_cli.render.cells import FORMULA_STARTS, clean_text
from inspect_cli.render.problems_out import sorted_problems, title_of

FILLS = {"error": "FFC7CE", "warning": "FFEB9C", "note": "DDEBF7"}
"""Excel's own light red, light yellow and light blue."""
RANK = {"error": 0, "warning": 1, "note": 2}
AUTHOR = "inspect-cli"
SHEET_NAME = "Problems"
HEADER = ("Cell", "Sheet", "Row", "Column", "Severity", "Code", "Title", "Message")
WIDTHS = (14, 20, 7, 28, 10, 22, 28, 90)
_CELL = re.compile(r"[A-Z]{1,3}")


class Unreadable(Exception):
    """openpyxl could not open a workbook the tool's own reader accepted."""


def cell_of(p: Problem, sheets: Sequence[str]) -> str | None:
    """'F7' when ``p`` is at one cell of a sheet in the workbook; otherwise None."""
    if p.sheet not in sheets or p.row is None or p.column is None:
        return None
    if not _CELL.fullmatch(p.column):
        return None
    return f"{p.column}{p.row}"


def link_to(sheet: str, ref: str) -> str:
    """An in-workbook link target: the sheet name quoted, its quotes doubled."""
    quoted = sheet.replace("'", "''")
    return f"'{quoted}'!{ref}"


def open_copy(data: bytes, sha256: str, keep_vba: bool) -> tuple[Any, list[str]]:
    """The workbook from ``data``, and what openpyxl warned it would not keep."""
    import openpyxl

    if hashlib.sha256(data).hexdigest() != sha256:
        raise Unreadable("the file changed after it was validated; run validate again")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            wb = openpyxl.load_workbook(io.BytesIO(data), keep_vba=keep_vba)
        except Exception as exc:  # a parser's error on a file our reader accepted
            raise Unreadable(f"openpyxl cannot open it ({type(exc).__name__})") from None
    dropped = sorted({str(w.message) for w in caught})
    return wb, dropped


def annotate(wb: Any, problems: Sequence[Problem]) -> None:
    """Mark each problem cell and add the Problems sheet."""
    by_cell: dict[tuple[str, str], list[Problem]] = defaultdict(list)
    names = list(wb.sheetnames)
    listed = sorted_problems(problems)
    for p in listed:
        ref = cell_of(p, names)
        if ref is not None and p.sheet is not None:
            by_cell[(p.sheet, ref)].append(p)
    for (sheet, ref), here in by_cell.items():
        _mark(_anchor(wb[sheet], ref), here)
    _problems_sheet(wb, listed, names)


def _anchor(ws: Any, ref: str) -> Any:
    """The cell at ``ref``; in a merged range, the range's top-left cell (the one
    Excel shows and the only one that can hold a comment)."""
    for merged in ws.merged_cells.ranges:
        if ref in merged:
            return ws.cell(merged.min_row, merged.min_col)
    return ws[ref]


def _mark(cell: Any, here: Sequence[Problem]) -> None:
    from openpyxl.comments import Comment
    from openpyxl.styles import PatternFill

    worst = min(here, key=lambda p: RANK[p.severity]).severity
    cell.fill = PatternFill("solid", start_color=FILLS[worst], end_color=FILLS[worst])
    text = "\n".join(f"{p.severity}: {p.message}" for p in here)
    if cell.comment is not None:  # the workbook's own comment stays, below ours
        text += f"\n\n{cell.comment.text}"
    comment = Comment(clean_text(text), AUTHOR)
    comment.width = 320
    comment.height = min(60 + 40 * len(here), 400)
    cell.comment = comment


def _free_name(names: Sequence[str]) -> str:
    taken = {n.casefold() for n in names}
    name, n = SHEET_NAME, 1
    while name.casefold() in taken:
        n += 1
        name = f"{SHEET_NAME} ({n})"
    return name


def _text(cell: Any, value: str) -> None:
    """Text that stays text: never a formula, and quote-prefixed if it looks like one."""
    text = clean_text(value)
    cell.value = text
    cell.data_type = "s"
    if text.startswith(FORMULA_STARTS):
        cell.quotePrefix = True


def _column(p: Problem) -> str:
    """'F (Date reported)', 'F' or 'Date reported'."""
    if p.column and p.header:
        return f"{p.column} ({p.header})"
    return p.column or p.header or ""


def _problems_sheet(wb: Any, listed: Sequence[Problem], names: Sequence[str]) -> None:
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.hyperlink import Hyperlink

    ws = wb.create_sheet(_free_name(names))
    for j, label in enumerate(HEADER, start=1):
        _text(ws.cell(1, j), label)
        ws.cell(1, j).font = Font(bold=True)
        ws.column_dimensions[get_column_letter(j)].width = WIDTHS[j - 1]
    for i, p in enumerate(listed, start=2):
        ref = cell_of(p, names)
        values = (p.sheet or "", _column(p), p.severity, p.code, title_of(p.code))
        for j, value in zip((2, 4, 5, 6, 7), values, strict=True):
            _text(ws.cell(i, j), value)
        if p.row is not None:
            ws.cell(i, 3).value = p.row
        _text(ws.cell(i, 8), p.message)
        if ref is not None and p.sheet is not None:
            link = ws.cell(i, 1)
            link.style = "Hyperlink"  # before the text: a named style resets the quote prefix
            _text(link, f"{p.sheet}!{ref}")
            link.hyperlink = Hyperlink(ref=link.coordinate, location=link_to(p.sheet, ref))
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:H{max(len(listed) + 1, 2)}"
    for sheet in wb.worksheets:  # opened on the Problems sheet, no other sheet grouped with it
        sheet.sheet_view.tabSelected = False
    ws.sheet_view.tabSelected = True
    wb.active = wb.worksheets.index(ws)


def write_annotated(
    data: bytes, sha256: str, problems: Sequence[Problem], target: Path, keep_vba: bool
) -> list[str]:
    """Write the annotated copy of ``data`` to ``target``; returns the features
    openpyxl said it dropped."""
    wb, dropped = open_copy(data, sha256, keep_vba)
    annotate(wb, problems)
    wb.save(target)
    return dropped

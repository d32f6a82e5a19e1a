"""Safe cell writing shared by every Excel and CSV output.

Text from case files must never become a formula, a link or a number in an
output: xlsxwriter is told not to convert strings, every string goes through
``write_string``, and CSV text that a spreadsheet would treat as a formula
gets the OWASP quote prefix.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from functools import partial
from typing import Any

import numpy as np
import pandas as pd

from inspect_cli.read import OUTPUT_MARKER

WORKBOOK_OPTIONS = {
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
}
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")
MAX_CELL_TEXT = 32_767
_CONTROL = dict.fromkeys(c for c in range(32) if c not in (9, 10, 13))
_CONTROL_PATTERN = r"[\x00-\x08\x0b\x0c\x0e-\x1f]"  # the characters _CONTROL removes


def clean_text(text: str) -> str:
    """Excel cannot hold control characters or more than 32,767 characters in a cell."""
    text = text.translate(_CONTROL)
    return text if len(text) <= MAX_CELL_TEXT else text[: MAX_CELL_TEXT - 1] + "…"


def clean_text_column(values: pd.Series) -> list[str | None]:
    """:func:`clean_text` for a whole text column; None where a value is missing.

    The check is vectorised; only the rare cell that needs cleaning goes through Python.
    """
    dirty = values.str.contains(_CONTROL_PATTERN, regex=True) | (values.str.len() > MAX_CELL_TEXT)
    dirty = dirty.fillna(False).astype(bool)
    if dirty.any():
        values = values.where(~dirty, values[dirty].map(clean_text))
    return _cells(values)


def _cells(values: pd.Series) -> list[Any]:
    """Python scalars, None where missing."""
    return values.astype(object).where(values.notna(), None).tolist()


CellWriter = Callable[[int, int, Any], Any]
_ROWS_PER_CHUNK = 5_000


def _column_writer(ws: Any, values: pd.Series) -> tuple[CellWriter, list[Any]]:
    """The one xlsxwriter call for a column's type, and its cells ready for it.

    Columns of a known type skip :func:`write_value`'s per-cell dispatch; anything
    else (object, dates, infinities) keeps it.
    """
    dtype = values.dtype
    if isinstance(dtype, pd.StringDtype):
        return ws.write_string, clean_text_column(values)
    if pd.api.types.is_bool_dtype(dtype):
        return ws.write_boolean, _cells(values)
    if pd.api.types.is_integer_dtype(dtype):
        return ws.write_number, _cells(values)
    if (
        pd.api.types.is_float_dtype(dtype)
        and not np.isinf(values.to_numpy(float, na_value=0)).any()
    ):
        return ws.write_number, _cells(values)
    return partial(write_value, ws), values.tolist()


def write_frame(ws: Any, frame: pd.DataFrame, first_row: int = 1) -> None:
    """Write a frame's cells from ``first_row`` with :func:`write_value`'s rules, but fast.

    Chunks of rows bound the Python objects alive at once. A missing value is left
    blank by not writing it (xlsxwriter drops a blank cell with no format anyway).
    """
    for start in range(0, len(frame), _ROWS_PER_CHUNK):
        chunk = frame.iloc[start : start + _ROWS_PER_CHUNK]
        columns = [_column_writer(ws, chunk.iloc[:, j]) for j in range(chunk.shape[1])]
        writers = [writer for writer, _ in columns]
        rows = zip(*(cells for _, cells in columns), strict=True)
        for i, row in enumerate(rows, start=first_row + start):
            for j, value in enumerate(row):
                if value is not None:
                    writers[j](i, j, value)


def is_missing(value: Any) -> bool:
    """None, NaN, NaT or pandas' NA (scalars only)."""
    return value is None or (not isinstance(value, str | bytes) and bool(pd.isna(value)))


def write_value(
    ws: Any, row: int, col: int, value: Any, fmt: Any = None, date_fmt: Any = None
) -> None:
    """Write one typed cell; text always as text."""
    if is_missing(value):
        ws.write_blank(row, col, None, fmt)
    elif isinstance(value, str):
        ws.write_string(row, col, clean_text(value), fmt)
    elif isinstance(value, bool):
        ws.write_boolean(row, col, value, fmt)
    elif isinstance(value, int | float):
        if isinstance(value, float) and math.isinf(value):
            ws.write_string(row, col, str(value), fmt)
        else:
            ws.write_number(row, col, value, fmt)
    elif isinstance(value, dt.datetime | dt.date):
        ws.write_datetime(row, col, value, date_fmt or fmt)
    elif hasattr(value, "item"):  # numpy scalar
        write_value(ws, row, col, value.item(), fmt, date_fmt)
    else:
        ws.write_string(row, col, clean_text(str(value)), fmt)


def write_about_sheet(workbook: Any, rows: list[tuple[str, str]], bold: Any) -> None:
    """The Provenance sheet: a marker the loader recognises, then provenance."""
    ws = workbook.add_worksheet("Provenance")
    ws.write_string(0, 0, OUTPUT_MARKER, bold)
    ws.write_string(1, 0, "This workbook was written by inspect-cli; it is not a case audit file.")
    for i, (label, value) in enumerate(rows, start=3):
        ws.write_string(i, 0, clean_text(label), bold)
        ws.write_string(i, 1, clean_text(value))
    ws.set_column(0, 0, 28)
    ws.set_column(1, 1, 90)

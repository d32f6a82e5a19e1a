"""How far a sheet's cells reach, measured on the raw XML before any parser sees it.

The parsers abort or exhaust memory on a cell reference far away, so a sheet whose
references reach beyond the limits (or that declares a DTD) is refused here.
"""

from __future__ import annotations

import zipfile
from concurrent.futures import Future, ThreadPoolExecutor

import numpy as np

from inspect_cli import problems as P
from inspect_cli.read.inflate import chunks
from inspect_cli.read.preflight import refuse_dtd
from inspect_cli.read.raw import Limits, RawSheet, ReadFailure, column_letter


def bound_sheet(
    name: str, sheet: RawSheet, zf: zipfile.ZipFile, member: str, limits: Limits
) -> None:
    """Refuse a sheet whose cells reach too far (or that declares a DTD) before parsing."""
    reaches: list[tuple[int, int]] = []
    # numpy releases the GIL: two chunks are measured at once, one on each core.
    with ThreadPoolExecutor(max_workers=2) as pool:
        measuring: list[Future[tuple[int, int]]] = []
        for buf in chunks(zf, name, member):
            refuse_dtd(name, member, buf)
            measuring.append(pool.submit(_reach, buf))
            if len(measuring) > 2:  # a few chunks in memory at most
                reaches.append(measuring.pop(0).result())
        reaches.extend(f.result() for f in measuring)
    max_row = max((r for r, _ in reaches), default=0)
    max_col = max((c for _, c in reaches), default=0)
    if (
        max_row > limits.max_rows
        or max_col > limits.max_columns
        or (max_row * max(max_col, 1) > limits.max_cells)
    ):
        far = f"{column_letter(max(max_col, 1) - 1)}{max_row}"
        raise ReadFailure(
            P.TOO_LARGE.at(
                name,
                sheet=sheet.name,
                detail=f"a cell reference reaches {far}, beyond the allowed sheet size "
                f"({limits.max_rows:,} rows, {limits.max_columns:,} columns, "
                f"{limits.max_cells:,} cells); refused before reading",
            )
        )


_WINDOW = 13  # up to 3 column letters and 10 row digits after r="
_SPACE = np.zeros(256, dtype=bool)
_SPACE[[9, 10, 13, 32]] = True


def _reach(buf: bytes) -> tuple[int, int]:
    """The largest row number and column number of any r="A1"-style reference in ``buf``.

    Vectorised with numpy over the raw bytes: a regex pass costs a Python object per
    cell, which at 100,000 rows would cost more than reading the workbook. Candidates
    are found with one comparison over the buffer; the rest works on them alone.
    """
    a = np.frombuffer(buf, dtype=np.uint8)
    n = len(a)
    if n < _WINDOW + 4:
        return 0, 0
    at = np.flatnonzero(a[1 : n - _WINDOW - 3] == ord("r")) + 1  # each 'r' with room after
    at = at[a[at + 1] == ord("=")]
    quote = a[at + 2]
    at = at[((quote == 34) | (quote == 39)) & _SPACE[a[at - 1]]]
    if not len(at):
        return 0, 0
    start = at + 3
    col = np.zeros(len(start), dtype=np.int64)
    letters = np.zeros(len(start), dtype=np.int64)
    going = np.ones(len(start), dtype=bool)
    for k in range(4):
        b = a[start + k]
        going &= (b >= 65) & (b <= 90)
        col = np.where(going, col * 26 + b - 64, col)
        letters += going
    col[letters > 3] = 1 << 20  # not a real column: beyond any limit
    first_digit = start + letters
    row = np.zeros(len(start), dtype=np.int64)
    going = np.ones(len(start), dtype=bool)
    for k in range(_WINDOW - 3):
        b = a[first_digit + k]
        going &= (b >= 48) & (b <= 57)
        if not going.any():
            break
        row = np.where(going, row * 10 + b - 48, row)
    return int(row.max()), int(col.max())

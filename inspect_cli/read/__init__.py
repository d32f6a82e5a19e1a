"""The read stage: a spreadsheet file into raw sheets of cell text, every safety check first.

Nothing here knows about frameworks: it turns a file into sheets of cell values
(plus what it learnt on the way: Excel error cells, formulas, merged ranges,
hidden sheets) or into one file-level :class:`~inspect_cli.problems.Problem`.

Before any parser sees an xlsx, it is checked: magic bytes, zip member sizes and
ratios and DTDs (:func:`~inspect_cli.read.preflight.preflight_xlsx`), then how far each
sheet's cells reach (:func:`~inspect_cli.read.bounds.bound_sheet`). The parsers
themselves (calamine under fastexcel, openpyxl) abort or exhaust memory on crafted
files (see docs/reliability.md), so this guard is not optional. Large sheets use both
cores: see docs/performance.md.

- :mod:`~inspect_cli.read.raw`: what comes out (RawFile, RawSheet), Limits, ReadFailure.
- :mod:`~inspect_cli.read.preflight`: zip and XML checks before any parser runs.
- :mod:`~inspect_cli.read.parts`: the zip's parts (twice, unreadable, not an xlsx) and
  finding one as the parser does.
- :mod:`~inspect_cli.read.scan`: the fast byte scan of a sheet (reach, shared strings,
  whether it is written as Excel writes it).
- :mod:`~inspect_cli.read.careful`: the XML scan of a sheet written any other way.
- :mod:`~inspect_cli.read.inflate`: a workbook part decompressed a chunk at a time.
- :mod:`~inspect_cli.read.bounds`: how far a sheet's cells reach, refused if too far.
- :mod:`~inspect_cli.read.marks`: error cells, formulas and merged ranges.
- :mod:`~inspect_cli.read.xlsx`: the fastexcel parse of a checked workbook.
- :mod:`~inspect_cli.read.csv`: the CSV path.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

from inspect_cli import problems as P
from inspect_cli.read.csv import read_csv
from inspect_cli.read.preflight import preflight_xlsx
from inspect_cli.read.raw import (
    CSV_SUFFIXES,
    EXCEL_SUFFIXES,
    OUTPUT_MARKER,
    SUPPORTED_SUFFIXES,
    Limits,
    RawFile,
    RawSheet,
    ReadFailure,
    column_index,
    column_letter,
)
from inspect_cli.read.xlsx import read_xlsx

__all__ = [
    "CSV_SUFFIXES",
    "EXCEL_SUFFIXES",
    "OUTPUT_MARKER",
    "SUPPORTED_SUFFIXES",
    "Limits",
    "RawFile",
    "RawSheet",
    "ReadFailure",
    "column_index",
    "column_letter",
    "preflight_xlsx",
    "read_file",
]


def read_file(
    path: Path, limits: Limits = Limits(), meanwhile: Callable[[], None] | None = None
) -> RawFile:
    """Read one .xlsx/.xlsm/.csv file, or raise :class:`ReadFailure`.

    ``meanwhile`` is run while the parser works on the other core (e.g. to import
    what comes next); it runs once, whatever the file.
    """
    name = path.name
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ReadFailure(P.FILE_NOT_FOUND.at(name, path=path)) from None
    except OSError as exc:
        detail = f"cannot open the file ({exc.strerror or exc})"
        raise ReadFailure(P.UNSUPPORTED_FORMAT.at(name, detail=detail)) from None
    if not data:
        raise ReadFailure(P.FILE_EMPTY.at(name))
    raw = RawFile(path, hashlib.sha256(data).hexdigest(), len(data))
    pending = [meanwhile] if meanwhile is not None else []

    def run_meanwhile() -> None:
        while pending:
            pending.pop()()

    try:
        if path.suffix.lower() in CSV_SUFFIXES:
            read_csv(raw, data, limits)
        else:
            read_xlsx(raw, data, limits, run_meanwhile)
    finally:
        run_meanwhile()  # if no parse ran it: a small file, a CSV, a refusal
    return raw

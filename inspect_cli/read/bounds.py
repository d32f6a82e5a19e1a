"""How far a sheet's cells reach, measured on the raw XML before any parser sees it.

The parsers abort or exhaust memory on a cell reference far away, so a sheet whose
references reach beyond the limits (or that declares a DTD) is refused here. The fast
measure reads the bytes Excel writes; a sheet written any other way (see
:func:`~inspect_cli.read.scan.measure`) is read by the careful scan (:mod:`~inspect_cli.read.careful`), so
that no XML variant can hide a far cell, an error cell or a bad shared-string index.
"""

from __future__ import annotations

import zipfile
from concurrent.futures import Future, ThreadPoolExecutor

from inspect_cli import problems as P
from inspect_cli.read.careful import Reach, careful_scan
from inspect_cli.read.inflate import CHUNK, chunks_at, one_chunk
from inspect_cli.read.preflight import refuse_dtd
from inspect_cli.read.raw import Limits, RawSheet, ReadFailure, column_letter
from inspect_cli.read.scan import EDGE, Measure, measure_and_spot
from inspect_cli.read.spots import SheetSpots, Spots, head_spots

_Measured = tuple[int, Measure, Spots]  # where the bytes measured start in the part

_TAIL = 512


def bound_sheet(
    name: str,
    sheet: RawSheet,
    zf: zipfile.ZipFile,
    member: str,
    limits: Limits,
    shared_count: int | None = None,
    whole: bytes | None = None,
) -> SheetSpots | None:
    """Refuse a sheet whose cells reach too far (or that declares a DTD) before parsing.

    ``shared_count`` is how many shared strings the workbook holds (None: no
    shared-string part); ``whole``, the part already inflated, when it is one chunk.
    Returns None when the careful scan read the sheet (its error cells, formulas,
    merges and hidden rows are then found already); otherwise where the marks scan
    must look for them.
    """
    if whole is not None or zf.getinfo(member).file_size <= CHUNK:
        measured = _measure_whole(
            name, member, whole if whole is not None else one_chunk(zf, name, member)
        )
    else:
        measured = _measure_chunks(name, zf, member)
    measures = [m for _, m, _ in measured]
    careful = any(m.unusual for m in measures)
    if careful:
        reach = careful_scan(name, sheet, zf, member)
    else:
        reach = Reach(
            max((m.max_row for m in measures), default=0),
            max((m.max_col for m in measures), default=0),
            shared_top=max((m.shared_top for m in measures), default=-1),
        )
    _check_reach(name, sheet, reach, limits)
    _check_shared(name, sheet, reach, shared_count)
    return None if careful else SheetSpots([(at, spots) for at, _, spots in measured])


def _measure_whole(name: str, member: str, whole: bytes) -> list[_Measured]:
    """A part of one chunk, measured on this thread: a pool would cost more than it saves
    (a folder of force workbooks is read several files at once instead)."""
    refuse_dtd(name, member, whole)
    # A chunk is measured up to EDGE bytes from its end: the part's own end, padded.
    tail = whole[-_TAIL:]
    return [
        (0, Measure(0, 0, -1, False), head_spots(whole)),
        (0, *measure_and_spot(whole)),
        (len(whole) - len(tail), *measure_and_spot(tail + bytes(2 * EDGE))),
    ]


def _measure_at(at: int, buf: bytes) -> _Measured:
    return (at, *measure_and_spot(buf))


def _measure_chunks(name: str, zf: zipfile.ZipFile, member: str) -> list[_Measured]:
    measured: list[_Measured] = []
    # numpy releases the GIL: two chunks are measured at once, one on each core.
    with ThreadPoolExecutor(max_workers=2) as pool:
        measuring: list[Future[_Measured]] = []
        last, last_at = b"", 0
        for at, buf in chunks_at(zf, name, member):
            refuse_dtd(name, member, buf)
            if at == 0:
                measured.append((0, Measure(0, 0, -1, False), head_spots(buf)))
            measuring.append(pool.submit(_measure_at, at, buf))
            if len(measuring) > 2:  # a few chunks in memory at most
                measured.append(measuring.pop(0).result())
            last, last_at = buf, at
        # A chunk is measured up to EDGE bytes from its end: the part's own end, padded.
        tail = last[-_TAIL:]
        padded = tail + bytes(2 * EDGE)
        measuring.append(pool.submit(_measure_at, last_at + len(last) - len(tail), padded))
        measured.extend(f.result() for f in measuring)
    return measured


def _check_reach(name: str, sheet: RawSheet, reach: Reach, limits: Limits) -> None:
    max_row, max_col = reach.max_row, reach.max_col
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
    if reach.bad_ref:
        raise ReadFailure(
            P.CORRUPT.at(
                name,
                sheet=sheet.name,
                detail=f"the sheet has a {reach.bad_ref}, which is not a cell reference; "
                "open it in Excel and save it again",
            )
        )


def _check_shared(name: str, sheet: RawSheet, reach: Reach, shared_count: int | None) -> None:
    count = shared_count or 0
    if reach.bad_shared is not None or reach.shared_top >= count:
        found = reach.bad_shared or f"index {reach.shared_top:,}"
        raise ReadFailure(
            P.BAD_SHARED_STRING.at(
                name, sheet=sheet.name, found=found, count=f"{count:,}", limit=max(count - 1, 0)
            )
        )

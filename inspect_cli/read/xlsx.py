"""Reading a checked xlsx with fastexcel: every sheet's cells as Arrow text columns.

Runs only after the pre-flight (:mod:`~inspect_cli.read.preflight`) and the reach
check (:mod:`~inspect_cli.read.bounds`); a workbook this tool wrote is skipped.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from inspect_cli import problems as P
from inspect_cli.read.bounds import bound_sheet
from inspect_cli.read.inflate import CHUNK, one_chunk
from inspect_cli.read.marks import find_marks
from inspect_cli.read.parts import find_member
from inspect_cli.read.preflight import SheetEntry, open_member, preflight_xlsx, refuse_dtd
from inspect_cli.read.raw import OUTPUT_MARKER, Limits, RawFile, RawSheet, ReadFailure
from inspect_cli.read.spots import SheetSpots


def read_xlsx(raw: RawFile, data: bytes, limits: Limits, meanwhile: Callable[[], None]) -> None:
    name = raw.path.name
    zf, entries = preflight_xlsx(name, data, limits)
    with zf:  # closed however the read ends (a refusal's traceback would keep it open)
        _read_checked(raw, data, limits, meanwhile, zf, entries)


def _read_checked(
    raw: RawFile,
    data: bytes,
    limits: Limits,
    meanwhile: Callable[[], None],
    zf: zipfile.ZipFile,
    entries: list[SheetEntry],
) -> None:
    """The checks that need the sheets' XML, then the parse (beside them when large)."""
    name = raw.path.name
    sheets = [RawSheet(e.name, hidden=e.hidden) for e in entries]
    names = set(zf.namelist())
    present = [(e, s) for e, s in zip(entries, sheets, strict=True) if e.member in names]
    for entry in entries:
        if entry.member not in names:  # never parsed unchecked, nor skipped unsaid
            raise ReadFailure(
                P.CORRUPT.at(
                    name,
                    sheet=entry.name,
                    detail=f"the sheet points at part {entry.member}, which the workbook "
                    "does not have; open it in Excel and save it again",
                )
            )
    shared = shared_count(zf, name)
    if sum(zf.getinfo(e.member).file_size for e, _ in present) <= CHUNK:
        # Small: threads would cost more than they save, and each sheet is inflated
        # once for both scans (a force's workbook: a folder is read a file per core).
        inflated: dict[str, bytes] = {}
        unread = []
        for entry, sheet in present:  # in sheet order: the first refusal is the one said
            whole = inflated[entry.member] = one_chunk(zf, name, entry.member)
            spots = bound_sheet(name, sheet, zf, entry.member, limits, shared, whole)
            if spots is not None:
                unread.append((entry, sheet, spots))
        if _is_tool_output(zf, name, entries):
            raise ReadFailure(P.OUTPUT_FILE_SKIPPED.at(name))
        for entry, sheet, spots in unread:
            find_marks(name, sheet, zf, entry.member, inflated[entry.member], spots)
        _parse(raw, open_workbook(name, data), entries, sheets)
        return
    with ThreadPoolExecutor(max_workers=1) as pool:
        # fastexcel releases the GIL: it opens the workbook while the sheets are
        # checked, then parses them while the error cells and formulas are found.
        opened = pool.submit(open_workbook, name, data)
        unread = _bound(name, zf, present, limits, shared)
        if _is_tool_output(zf, name, entries):
            raise ReadFailure(P.OUTPUT_FILE_SKIPPED.at(name))
        parsed = pool.submit(_parse, raw, opened.result(), entries, sheets)
        try:
            for entry, sheet, spots in unread:
                find_marks(name, sheet, zf, entry.member, spots=spots)
            meanwhile()
        finally:
            parsed.result()


def _bound(
    name: str,
    zf: zipfile.ZipFile,
    present: list[tuple[SheetEntry, RawSheet]],
    limits: Limits,
    shared: int | None,
) -> list[tuple[SheetEntry, RawSheet, SheetSpots]]:
    """Check every sheet's reach; return the sheets the fast scan for marks must read,
    each with where it must look."""
    unread = []
    for entry, sheet in present:
        spots = bound_sheet(name, sheet, zf, entry.member, limits, shared)
        if spots is not None:
            unread.append((entry, sheet, spots))
    return unread


_SHARED_ODD = (b":si", b"<si\t", b"<si\n", b"<si\r")


def shared_count(zf: zipfile.ZipFile, name: str) -> int | None:
    """How many shared strings the parser will read (None: the workbook has none)."""
    member = find_member(zf, "xl/sharedStrings.xml")
    if member is None:
        return None
    count = 0
    tail = b""
    with open_member(zf, name, member) as fh:
        while chunk := fh.read(CHUNK):
            buf = tail + chunk  # three bytes carried over: a tag cut in two is counted once
            if any(mark in buf for mark in _SHARED_ODD):
                return _count_items(zf, name, member)
            count += buf.count(b"<si>") + buf.count(b"<si ") + buf.count(b"<si/")
            tail = buf[-3:]
    return count


def _count_items(zf: zipfile.ZipFile, name: str, member: str) -> int:
    """Shared strings written otherwise than Excel writes them, counted by an XML parse."""
    from xml.parsers import expat

    count = 0

    def start(tag: str, _: object) -> None:
        nonlocal count
        count += tag.rpartition(":")[2] == "si"

    parser = expat.ParserCreate()
    parser.StartElementHandler = start
    try:
        with open_member(zf, name, member) as fh:
            while chunk := fh.read(CHUNK):
                refuse_dtd(name, member, chunk)
                parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except expat.ExpatError:
        raise ReadFailure(
            P.CORRUPT.at(name, detail=f"part {member} is not well-formed XML")
        ) from None
    return count


_A1_CELL = re.compile(rb"""<(?:\w+:)?c\s[^>]*?\br=["']A1["'][^>]*>(.*?)</(?:\w+:)?c>""", re.S)
_SHARED_INDEX = re.compile(rb"<(?:\w+:)?v>\s*(\d{1,9})\s*</(?:\w+:)?v>")
_SHARED_ITEM = re.compile(rb"<(?:\w+:)?si[\s>/]")


def _is_tool_output(zf: zipfile.ZipFile, name: str, entries: list[SheetEntry]) -> bool:
    """Whether cell A1 of a "Provenance" sheet (older outputs: "About") is the marker."""
    about = [e for e in entries if e.name in ("Provenance", "About")]
    if not about or about[0].member not in zf.namelist():
        return False
    marker = OUTPUT_MARKER.encode()
    with open_member(zf, name, about[0].member) as fh:
        head = fh.read(200_000)
    cell = _A1_CELL.search(head)
    if cell is None:
        return False
    if marker in cell.group(1):  # an inline string
        return True
    index = _SHARED_INDEX.search(cell.group(1))
    if index is None or "xl/sharedStrings.xml" not in zf.namelist():
        return False
    return marker in _shared_string(zf, name, int(index.group(1)))


def _shared_string(zf: zipfile.ZipFile, name: str, index: int) -> bytes:
    """The XML of shared string ``index`` (its first 1,000 bytes), streamed."""
    longest = 24  # longest item tag the pattern matches, e.g. '<prefix:si '
    seen = 0
    tail = b""
    with open_member(zf, name, "xl/sharedStrings.xml") as fh:
        while chunk := fh.read(CHUNK):
            buf = tail + chunk
            # Count only tags that start where a whole tag fits; the rest come round again.
            cut = len(buf) - longest
            starts = [m.start() for m in _SHARED_ITEM.finditer(buf, 0, len(buf)) if m.start() < cut]
            if seen + len(starts) > index:
                at = starts[index - seen]
                return (buf + fh.read(1_000))[at : at + 1_000]
            seen += len(starts)
            tail = buf[max(cut, 0) :]
        starts = [m.start() for m in _SHARED_ITEM.finditer(tail)]
        return tail[starts[index - seen] :] if seen + len(starts) > index else b""


def open_workbook(name: str, data: bytes) -> Any:
    """Open the checked bytes (never the path again) with fastexcel.

    This reads the workbook's list of sheets, shared strings and styles, none of which
    says where a cell is: safe once the zip's sizes and DTDs are checked, so it may run
    while the sheets themselves are still being checked.
    """
    import fastexcel

    try:
        return fastexcel.read_excel(data)
    except Exception as exc:
        raise _unreadable(name, exc) from None


def _parse(raw: RawFile, reader: Any, entries: list[SheetEntry], sheets: list[RawSheet]) -> None:
    """Parse every checked sheet, every cell as text.

    fastexcel (calamine underneath) hands back Arrow columns: no Python object per
    cell, the cheapest read there is (docs/performance.md). Reading every column as
    text keeps each cell's value whatever the other cells of its column hold.
    """
    import pyarrow as pa

    listed = getattr(reader, "sheet_names", None)
    if listed is not None and list(listed) != [e.name for e in entries]:
        # The parser lists sheets the checks did not see: none is parsed.
        raise ReadFailure(
            P.CORRUPT.at(
                raw.path.name,
                detail="the workbook's list of sheets is ambiguous (readers disagree on it); "
                "open it in Excel and save it again",
            )
        )
    try:
        for entry, sheet in zip(entries, sheets, strict=True):
            if "/worksheets/" not in f"/{entry.member}":
                continue  # a chart sheet or dialog sheet holds no cells
            batch, firsts = _load_sheet(reader, entry.name)
            sheet.n_rows = batch.num_rows
            if not batch.num_columns:
                continue
            # Columns start at the sheet's first used column; pad from A so that
            # column j is always sheet column j.
            blank = pa.nulls(batch.num_rows, pa.string())
            columns = [blank] * (max(firsts) + 1)
            for index, column in zip(firsts, batch.columns, strict=True):
                columns[index] = column
            sheet.columns = columns
    except Exception as exc:  # fastexcel raises several of its own types; all mean unreadable
        raise _unreadable(raw.path.name, exc) from None
    raw.sheets = sheets


def _load_sheet(reader: Any, sheet: str) -> tuple[Any, list[int]]:
    """One sheet as an Arrow batch of text columns, and each column's place in the sheet."""
    places: list[int] = []

    def keep(column: Any) -> bool:  # told each column's place as it is chosen
        places.append(column.absolute_index)
        return True

    options: dict[str, Any] = {"header_row": None, "skip_rows": 0, "dtypes": "string"}
    batch = reader.load_sheet_eager(sheet, use_columns=keep, **options)
    if len(places) == batch.num_columns:
        return batch, places
    loaded = reader.load_sheet(sheet, **options)  # the slower route that says so itself
    return loaded.to_arrow(), [c.absolute_index for c in loaded.selected_columns]


def _unreadable(name: str, exc: Exception) -> ReadFailure:
    detail = (
        f"the workbook cannot be read ({type(exc).__name__}); it may be corrupt: "
        "open it in Excel and save it again"
    )
    if "entity" in str(exc).lower():
        detail = "the workbook contains XML entities, which Excel never writes; refused"
    return ReadFailure(P.CORRUPT.at(name, detail=detail))

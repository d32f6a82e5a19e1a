"""Read spreadsheet files into columns of cell text, refusing unsafe or broken files first.

Nothing here knows about frameworks: it turns a file into sheets of cell values
(plus what it learnt on the way: Excel error cells, formulas, merged ranges,
hidden sheets) or into one file-level :class:`~inspect_cli.problems.Problem`.

Before any parser sees an xlsx, it is checked: magic bytes, zip member sizes and
ratios and DTDs (:func:`preflight_xlsx`), then how far each sheet's cells reach
(:func:`_bound_sheet`). The parsers themselves (calamine under fastexcel, openpyxl)
abort or exhaust memory on crafted files (see docs/reliability.md), so this guard is
not optional. Large sheets use both cores: see docs/performance.md.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import hashlib
import io
import itertools
import queue
import re
import threading
import zipfile
import zlib
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, NoReturn

import numpy as np

from inspect_cli import problems as P
from inspect_cli.problems import Problem

EXCEL_SUFFIXES = (".xlsx", ".xlsm")
CSV_SUFFIXES = (".csv",)
SUPPORTED_SUFFIXES = EXCEL_SUFFIXES + CSV_SUFFIXES
OUTPUT_MARKER = "inspect-cli output"
"""Cell A1 of the 'Provenance' sheet of every workbook this tool writes."""


@dataclass(frozen=True)
class Limits:
    """Safety limits checked before parsing. Defaults fit a national archive."""

    max_rows: int = 1_048_576
    max_columns: int = 1_000
    max_cells: int = 60_000_000
    max_member_mb: int = 1_024
    max_total_mb: int = 2_048
    max_ratio: int = 100


@dataclass
class RawSheet:
    """One sheet's cells, column by column, as Arrow text arrays (no Python object per cell).

    ``columns[j]`` is sheet column j (A is 0) and holds ``n_rows`` cells; cell i is Excel
    row i + 1. A blank cell is null (or '' in a CSV). Every cell arrives as text, the
    way the xlsx reader writes it: numbers as ``3`` or ``2.5``, dates as
    ``2014-03-01 00:00:00``, booleans as ``true``/``false``. Every consumer reads cells as
    text (a date or age is parsed from its text), so nothing is lost that the checks use.
    """

    name: str
    columns: list[Any] = field(default_factory=list)
    """pyarrow string arrays, one per column from A."""
    n_rows: int = 0
    hidden: bool = False
    error_cells: dict[tuple[int, int], str] = field(default_factory=dict)
    """(row, col) 0-based → Excel error text such as '#N/A'."""
    formula_cells: dict[tuple[int, int], bool] = field(default_factory=dict)
    """(row, col) 0-based → whether the formula has a calculated (cached) value."""
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)
    """Merged ranges as (first_row, first_col, last_row, last_col), 0-based inclusive."""
    record_lengths: list[int] | None = None
    """CSV only: how many fields each record has (a ragged record is a problem)."""

    def head(self, n: int) -> list[list[Any]]:
        """The first ``n`` rows as lists of cells (a CSV record keeps its own length)."""
        n = min(n, self.n_rows)
        cells = [column.slice(0, n).to_pylist() for column in self.columns]
        rows = [list(row) for row in zip(*cells, strict=True)] if cells else [[]] * n
        if self.record_lengths is not None:
            rows = [row[:length] for row, length in zip(rows, self.record_lengths, strict=False)]
        return rows

    @property
    def rows(self) -> list[list[Any]]:
        """Every row as lists of cells: convenient for small sheets, costly for large ones."""
        return self.head(self.n_rows)

    def row(self, i: int) -> list[Any]:
        """Row ``i`` (0-based) as a list of cells."""
        cells = [column[i].as_py() for column in self.columns]
        if self.record_lengths is not None:
            cells = cells[: self.record_lengths[i]]
        return cells


@dataclass
class RawFile:
    path: Path
    sha256: str
    size: int
    sheets: list[RawSheet] = field(default_factory=list)
    notes: list[Problem] = field(default_factory=list)


class ReadFailure(Exception):
    """The file cannot be read at all; ``problem`` says why, for people."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.message)
        self.problem = problem


def column_letter(index: int) -> str:
    """0 → 'A', 25 → 'Z', 26 → 'AA'."""
    letters = ""
    n = index + 1
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def column_index(letters: str) -> int:
    """'A' → 0, 'AA' → 26."""
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


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
            _read_csv(raw, data, limits)
        else:
            _read_xlsx(raw, data, limits, run_meanwhile)
    finally:
        run_meanwhile()  # if no parse ran it: a small file, a CSV, a refusal
    return raw


# --------------------------------------------------------------------------- xlsx

_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = b"PK\x03\x04"
_ENCRYPTED_MARK = "EncryptedPackage".encode("utf-16-le")
_NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_NS_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"


@dataclass(frozen=True)
class _SheetEntry:
    name: str
    member: str
    hidden: bool


def _sniff_non_zip(name: str, data: bytes) -> Problem:
    if data.startswith(_OLE2_MAGIC):
        if _ENCRYPTED_MARK in data:
            return P.ENCRYPTED.at(name)
        return P.LEGACY_XLS.at(name)
    head = data[:2048].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html", b"<table")):
        kind = "an HTML page"
    elif _looks_like_text(data[:4096]):
        kind = "text (CSV?); if it is CSV, give it a .csv extension"
    else:
        kind = "not a spreadsheet format this tool knows"
    return P.UNSUPPORTED_FORMAT.at(name, detail=f"not an Excel workbook: the content is {kind}")


def _looks_like_text(sample: bytes) -> bool:
    if b"\x00" in sample:
        return sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    try:
        sample.decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc.start > len(sample) - 4  # only a character cut off at the end
    return True


def preflight_xlsx(
    name: str, data: bytes, limits: Limits
) -> tuple[zipfile.ZipFile, list[_SheetEntry]]:
    """Check an xlsx cheaply before any parser allocates; return its zip and sheets."""
    if not data.startswith(_ZIP_MAGIC):
        raise ReadFailure(_sniff_non_zip(name, data))
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, zlib.error, EOFError, ValueError, NotImplementedError):
        raise ReadFailure(
            P.CORRUPT.at(name, detail="corrupt or truncated workbook (not a readable zip file)")
        ) from None
    if len(infos) > 10_000:
        raise ReadFailure(P.TOO_LARGE.at(name, detail=f"{len(infos):,} parts in the workbook zip"))
    mb = 1024 * 1024
    total = 0
    for info in infos:
        total += info.file_size
        if info.file_size > limits.max_member_mb * mb:
            raise ReadFailure(
                P.TOO_LARGE.at(
                    name,
                    detail=f"part {info.filename} is {info.file_size / mb:,.0f} MB unpacked; "
                    f"the limit is {limits.max_member_mb:,} MB",
                )
            )
        if info.file_size > mb and info.file_size > limits.max_ratio * max(info.compress_size, 1):
            ratio = info.file_size / max(info.compress_size, 1)
            raise ReadFailure(
                P.TOO_LARGE.at(
                    name,
                    detail=f"part {info.filename} unpacks {ratio:,.0f} times larger than it is "
                    f"stored (limit {limits.max_ratio}:1): a decompression bomb, refused",
                )
            )
    if total > limits.max_total_mb * mb:
        raise ReadFailure(
            P.TOO_LARGE.at(
                name,
                detail=f"the workbook unpacks to {total / mb:,.0f} MB; "
                f"the limit is {limits.max_total_mb:,} MB",
            )
        )
    sheets = _sheet_entries(zf, name)
    scanned_later = {s.member for s in sheets}
    for info in infos:
        if info.filename.lower().endswith((".xml", ".rels", ".vml")) and (
            info.filename not in scanned_later
        ):
            with _member(zf, name, info.filename) as fh:
                tail = b""
                while chunk := fh.read(4 * 1024 * 1024):
                    _refuse_dtd(name, info.filename, tail + chunk)
                    tail = chunk[-64:]
    return zf, sheets


class _member:
    """Open a zip member, mapping zip and zlib failures to a 'corrupt' problem."""

    def __init__(self, zf: zipfile.ZipFile, name: str, member: str) -> None:
        self.zf, self.name, self.member = zf, name, member

    def __enter__(self) -> _CheckedReader:
        try:
            return _CheckedReader(self.zf.open(self.member), self.name, self.member)
        except KeyError:
            raise ReadFailure(
                P.CORRUPT.at(self.name, detail=f"the workbook has no part {self.member}")
            ) from None
        except (zipfile.BadZipFile, zlib.error, EOFError, ValueError, NotImplementedError):
            raise ReadFailure(
                P.CORRUPT.at(self.name, detail=f"corrupt workbook part {self.member}")
            ) from None

    def __exit__(self, *exc: object) -> None:
        return None


class _CheckedReader:
    def __init__(self, fh: Any, name: str, member: str) -> None:
        self.fh, self.name, self.member = fh, name, member

    def read(self, n: int = -1) -> bytes:
        try:
            return bytes(self.fh.read(n))
        except (zipfile.BadZipFile, zlib.error, EOFError, ValueError, OSError):
            raise ReadFailure(
                P.CORRUPT.at(self.name, detail=f"corrupt workbook part {self.member}")
            ) from None


_DTD_MARKS = tuple(
    mark.encode(enc)
    for mark in ("<!DOCTYPE", "<!ENTITY")
    for enc in ("utf-8", "utf-16-le", "utf-16-be")
)


def _refuse_dtd(name: str, member: str, data: bytes) -> None:
    """Markup, not text: in XML a literal '<' in content is escaped, so any match is a DTD."""
    # '!' is rare in workbook XML and a one-byte search runs at memory speed.
    if b"!" in data and any(mark in data for mark in _DTD_MARKS):
        raise ReadFailure(
            P.UNSAFE.at(
                name,
                detail=f"part {member} declares a DTD or XML entities, which Excel never "
                "writes (an XML entity attack?); refused",
            )
        )


def _sheet_entries(zf: zipfile.ZipFile, name: str) -> list[_SheetEntry]:
    from defusedxml import ElementTree as SafeET

    try:
        with _member(zf, name, "xl/workbook.xml") as fh:
            data = fh.read()
            _refuse_dtd(name, "xl/workbook.xml", data)
            workbook = SafeET.fromstring(data)
        with _member(zf, name, "xl/_rels/workbook.xml.rels") as fh:
            data = fh.read()
            _refuse_dtd(name, "xl/_rels/workbook.xml.rels", data)
            rels = SafeET.fromstring(data)
    except ReadFailure:
        raise
    except Exception:
        raise ReadFailure(
            P.CORRUPT.at(name, detail="the workbook's list of sheets cannot be read")
        ) from None
    targets = {
        rel.get("Id"): rel.get("Target", "") for rel in rels.iter(f"{_NS_PKG_REL}Relationship")
    }
    entries = []
    for sheet in workbook.iter(f"{_NS_MAIN}sheet"):
        target = targets.get(sheet.get(f"{_NS_REL}id"), "")
        if not target:
            continue
        member = target.lstrip("/") if target.startswith("/") else str(PurePosixPath("xl") / target)
        state = sheet.get("state", "visible")
        entries.append(_SheetEntry(sheet.get("name", "?"), member, state != "visible"))
    return entries


_ERROR_CELL = re.compile(rb"""<(?:\w+:)?c\s[^>]*?\bt=["']e["'][^>]*>""")
_CELL_REF = re.compile(rb"""\br=["']([A-Z]{1,3})([0-9]{1,9})["']""")
_ERROR_VALUE = re.compile(rb"""<(?:\w+:)?v>([^<]{1,20})</(?:\w+:)?v>""")
_FORMULA = re.compile(rb"""<(?:\w+:)?f[\s>/]""")


_CHUNK = 8 * 1024 * 1024
_OVERLAP = 512  # bytes carried into the next chunk, so a match cut in two is still seen


def _inflate(zf: zipfile.ZipFile, name: str, member: str) -> Iterator[bytes]:
    """A member's bytes, at most a chunk at a time, checked against the zip's sizes and CRC.

    Deflated members are inflated with ISA-L (python-isal), about three times as fast
    as zlib (docs/performance.md); anything else goes through :mod:`zipfile`.
    """
    info = zf.getinfo(member)
    data = zf.fp.getbuffer() if isinstance(zf.fp, io.BytesIO) else None
    if data is None or info.compress_type != zipfile.ZIP_DEFLATED or info.flag_bits & 0x1:
        with _member(zf, name, member) as fh:
            while chunk := fh.read(_CHUNK):
                yield chunk
        return
    isal_zlib: Any = zlib  # a platform without isal's wheel: zlib has the same interface
    with contextlib.suppress(ImportError):
        from isal import isal_zlib

    corrupt = ReadFailure(P.CORRUPT.at(name, detail=f"corrupt workbook part {member}"))
    head = bytes(data[info.header_offset : info.header_offset + 30])
    if len(head) < 30 or not head.startswith(_ZIP_MAGIC):
        raise corrupt
    name_len, extra_len = (
        int.from_bytes(head[26:28], "little"),
        int.from_bytes(head[28:30], "little"),
    )
    start = info.header_offset + 30 + name_len + extra_len
    packed = data[start : start + info.compress_size]
    inflater = isal_zlib.decompressobj(-15)
    size = crc = 0
    try:
        # 1 MB in at a time, at most a chunk out per call: the rest of a piece waits
        # inside the inflater, so a zip lying about its sizes is caught a chunk late.
        for at in range(0, len(packed), 1 << 20):
            pending: bytes | memoryview = packed[at : at + (1 << 20)]
            while True:
                out = inflater.decompress(pending, _CHUNK)
                pending = inflater.unconsumed_tail
                size += len(out)
                if size > info.file_size:  # a zip that lies about its sizes
                    raise corrupt
                crc = isal_zlib.crc32(out, crc)
                if out:
                    yield out
                if not pending and len(out) < _CHUNK:
                    break
        out = inflater.flush()
        size += len(out)
        crc = isal_zlib.crc32(out, crc)
        if out:
            yield out
    except ReadFailure:
        raise
    except Exception:  # isal's own error: the deflate stream is damaged
        raise corrupt from None
    if len(packed) != info.compress_size or size != info.file_size or crc != info.CRC:
        raise corrupt


def _chunks(zf: zipfile.ZipFile, name: str, member: str) -> Iterator[bytes]:
    """A member's bytes in overlapping chunks, inflated one chunk ahead in a thread.

    Inflating releases the GIL, so the next chunk is inflated while numpy works on
    this one (numpy releases it too): the two cores share the pre-flight.
    """
    if zf.getinfo(member).file_size <= _CHUNK:  # one chunk: a thread would only cost time
        yield b"".join(_inflate(zf, name, member))
        return
    ahead: queue.Queue[bytes | BaseException | None] = queue.Queue(maxsize=2)
    stop = threading.Event()

    def inflate() -> None:
        try:
            for chunk in _inflate(zf, name, member):
                if stop.is_set():
                    return
                ahead.put(chunk)
            ahead.put(None)
        except BaseException as exc:  # handed to the consumer, raised there
            ahead.put(exc)

    worker = threading.Thread(target=inflate, daemon=True)
    worker.start()
    tail = b""
    try:
        while (item := ahead.get()) is not None:
            if isinstance(item, BaseException):
                raise item
            yield tail + item
            tail = item[-_OVERLAP:]
    finally:
        stop.set()
        while worker.is_alive():  # unblock a worker waiting on a full queue
            with contextlib.suppress(queue.Empty):
                ahead.get_nowait()
            worker.join(0.01)


def _bound_sheet(
    name: str, sheet: RawSheet, zf: zipfile.ZipFile, member: str, limits: Limits
) -> None:
    """Refuse a sheet whose cells reach too far (or that declares a DTD) before parsing."""
    reaches: list[tuple[int, int]] = []
    # numpy releases the GIL: two chunks are measured at once, one on each core.
    with ThreadPoolExecutor(max_workers=2) as pool:
        measuring: list[Future[tuple[int, int]]] = []
        for buf in _chunks(zf, name, member):
            _refuse_dtd(name, member, buf)
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


def _find_marks(name: str, sheet: RawSheet, zf: zipfile.ZipFile, member: str) -> None:
    """Find what the parser hides: Excel error cells, formulas and merged ranges."""
    merged: set[tuple[int, int, int, int]] = set()
    for buf in _chunks(zf, name, member):
        # Plain byte searches first: each regex alone costs a second per 100k rows.
        if b't="e"' in buf or b"t='e'" in buf:
            _collect_errors(buf, sheet)
        if (b"<f" in buf or b":f" in buf) and _FORMULA.search(buf):
            _collect_formulas(buf, sheet)
        if b"mergeCell " in buf:
            merged.update(_merges(buf))
    sheet.merged = sorted(merged)


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
        sheet.formula_cells[at] = re.search(rb"<(?:\w+:)?v>", body) is not None


def _read_xlsx(raw: RawFile, data: bytes, limits: Limits, meanwhile: Callable[[], None]) -> None:
    name = raw.path.name
    zf, entries = preflight_xlsx(name, data, limits)
    sheets = [RawSheet(e.name, hidden=e.hidden) for e in entries]
    present = [(e, s) for e, s in zip(entries, sheets, strict=True) if e.member in zf.namelist()]
    if sum(zf.getinfo(e.member).file_size for e, _ in present) <= _CHUNK:
        # Small: threads would cost more than they save.
        for entry, sheet in present:
            _bound_sheet(name, sheet, zf, entry.member, limits)
        if _is_tool_output(zf, name, entries):
            raise ReadFailure(P.OUTPUT_FILE_SKIPPED.at(name))
        for entry, sheet in present:
            _find_marks(name, sheet, zf, entry.member)
        _parse(raw, _open(name, data), entries, sheets)
        return
    with ThreadPoolExecutor(max_workers=1) as pool:
        # fastexcel releases the GIL: it opens the workbook while the sheets are
        # checked, then parses them while the error cells and formulas are found.
        opened = pool.submit(_open, name, data)
        for entry, sheet in present:
            _bound_sheet(name, sheet, zf, entry.member, limits)
        if _is_tool_output(zf, name, entries):
            raise ReadFailure(P.OUTPUT_FILE_SKIPPED.at(name))
        parsed = pool.submit(_parse, raw, opened.result(), entries, sheets)
        try:
            for entry, sheet in present:
                _find_marks(name, sheet, zf, entry.member)
            meanwhile()
        finally:
            parsed.result()


_A1_CELL = re.compile(rb"""<(?:\w+:)?c\s[^>]*?\br=["']A1["'][^>]*>(.*?)</(?:\w+:)?c>""", re.S)
_SHARED_INDEX = re.compile(rb"<(?:\w+:)?v>\s*(\d{1,9})\s*</(?:\w+:)?v>")
_SHARED_ITEM = re.compile(rb"<(?:\w+:)?si[\s>/]")


def _is_tool_output(zf: zipfile.ZipFile, name: str, entries: list[_SheetEntry]) -> bool:
    """Whether cell A1 of a "Provenance" sheet (older outputs: "About") is the marker."""
    about = [e for e in entries if e.name in ("Provenance", "About")]
    if not about or about[0].member not in zf.namelist():
        return False
    marker = OUTPUT_MARKER.encode()
    with _member(zf, name, about[0].member) as fh:
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
    with _member(zf, name, "xl/sharedStrings.xml") as fh:
        while chunk := fh.read(_CHUNK):
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


def _open(name: str, data: bytes) -> Any:
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


def _parse(raw: RawFile, reader: Any, entries: list[_SheetEntry], sheets: list[RawSheet]) -> None:
    """Parse every checked sheet, every cell as text.

    fastexcel (calamine underneath) hands back Arrow columns: no Python object per
    cell, the cheapest read there is (docs/performance.md). Reading every column as
    text keeps each cell's value whatever the other cells of its column hold.
    """
    import pyarrow as pa

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


# --------------------------------------------------------------------------- csv

_DELIMITERS = ",;\t|"


def _decode(raw: RawFile, data: bytes) -> str:
    name = raw.path.name
    if data.startswith(codecs.BOM_UTF8):
        if not _utf8_ok(data[3:]):
            _bad(name, data[3:])
        return data[3:].decode("utf-8")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            _bad(name, data)
        raw.notes.append(
            P.DECODED_AS.at(name, encoding="UTF-16", why="it starts with a UTF-16 mark")
        )
        return text
    if _utf8_ok(data):
        return data.decode("utf-8")
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        _bad(name, data)
    raw.notes.append(
        P.DECODED_AS.at(
            name,
            encoding="Windows-1252",
            why="it is not valid UTF-8; if accents look wrong, save it from Excel as 'CSV UTF-8'",
        )
    )
    return text


def _utf8_ok(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _bad(name: str, data: bytes) -> NoReturn:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        where = exc.start
    else:  # pragma: no cover - only called on undecodable data
        where = 0
    raise ReadFailure(
        P.ENCODING.at(
            name,
            detail=f"the text is neither UTF-8 nor Windows-1252 (byte {where:,}); "
            "save it from Excel as 'CSV UTF-8'",
        )
    )


def _sniff_delimiter(text: str) -> str:
    lines = [ln for ln in text.splitlines()[:30] if ln.strip()]
    sample = "\n".join(lines)
    try:
        return csv.Sniffer().sniff(sample, delimiters=_DELIMITERS).delimiter
    except csv.Error:
        counts = {d: lines[0].count(d) if lines else 0 for d in _DELIMITERS}
        best = max(counts, key=lambda d: counts[d])
        return best if counts[best] else ","


def _read_csv(raw: RawFile, data: bytes, limits: Limits) -> None:
    name = raw.path.name
    if b"\x00" in data and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise ReadFailure(
            P.CSV_SYNTAX.at(name, detail="the file contains NUL bytes: is it really a CSV file?")
        )
    text = _decode(raw, data)
    if not text.strip():
        raise ReadFailure(P.FILE_EMPTY.at(name))
    delimiter = _sniff_delimiter(text)
    if delimiter != ",":
        shown = {"\t": "tab", ";": "semicolon", "|": "vertical bar"}[delimiter]
        raw.notes.append(
            P.DECODED_AS.at(
                name, encoding=f"{shown}-separated values", why="detected from the header"
            )
        )
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows: list[list[Any]] = []
    if len(data) > limits.max_total_mb * 1024 * 1024:
        raise ReadFailure(
            P.TOO_LARGE.at(name, detail=f"the file is over {limits.max_total_mb:,} MB")
        )
    try:
        for record in reader:
            rows.append(list(record))
            if len(rows) > limits.max_rows or len(record) > limits.max_columns:
                raise ReadFailure(
                    P.TOO_LARGE.at(
                        name,
                        detail=f"more than {limits.max_rows:,} rows or {limits.max_columns:,} "
                        "columns, beyond the allowed size",
                    )
                )
    except csv.Error as exc:
        raise ReadFailure(
            P.CSV_SYNTAX.at(
                name,
                row=len(rows) + 1,
                detail=f"cannot read record {len(rows) + 1} (line {reader.line_num}): {exc}; "
                "is a quote left open?",
            )
        ) from None
    if rows and {"source_file", "source_row", "grade", "reason"} <= {c.strip() for c in rows[0]}:
        raise ReadFailure(P.OUTPUT_FILE_SKIPPED.at(name))  # a scored CSV written by this tool
    import pyarrow as pa

    columns = [pa.array(cells, pa.string()) for cells in itertools.zip_longest(*rows)]
    raw.sheets = [RawSheet("", columns, len(rows), record_lengths=[len(r) for r in rows])]

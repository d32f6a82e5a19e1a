"""Read spreadsheet files into raw cell grids, refusing unsafe or broken files first.

Nothing here knows about frameworks: it turns a file into sheets of cell values
(plus what it learnt on the way: Excel error cells, formulas, merged ranges,
hidden sheets) or into one file-level :class:`~inspect_cli.problems.Problem`.

Before any parser sees an xlsx, :func:`preflight_xlsx` checks it cheaply: magic
bytes, zip member sizes and ratios, DTDs, and how far its cells reach. The
parsers themselves (calamine, openpyxl) abort or exhaust memory on crafted files
(see docs/reliability.md), so this guard is not optional.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import re
import zipfile
import zlib
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
    name: str
    rows: list[list[Any]]
    """Cell values; rows[i][j] is Excel row i + 1, column j + 1. Blank cells are ''."""
    hidden: bool = False
    error_cells: dict[tuple[int, int], str] = field(default_factory=dict)
    """(row, col) 0-based → Excel error text such as '#N/A'."""
    formula_cells: dict[tuple[int, int], bool] = field(default_factory=dict)
    """(row, col) 0-based → whether the formula has a calculated (cached) value."""
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)
    """Merged ranges as (first_row, first_col, last_row, last_col), 0-based inclusive."""


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


def read_file(path: Path, limits: Limits = Limits()) -> RawFile:
    """Read one .xlsx/.xlsm/.csv file, or raise :class:`ReadFailure`."""
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
    if path.suffix.lower() in CSV_SUFFIXES:
        _read_csv(raw, data, limits)
    else:
        _read_xlsx(raw, data, limits)
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
    except (zipfile.BadZipFile, zlib.error, EOFError, ValueError):
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
    if (b"<!" in data or b"<\x00!" in data or b"\x00<\x00!" in data) and any(
        mark in data for mark in _DTD_MARKS
    ):
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


def _scan_sheet(
    name: str, sheet: RawSheet, zf: zipfile.ZipFile, member: str, limits: Limits
) -> None:
    """Stream one sheet's XML: bound its reach; find error cells and formulas."""
    max_row = max_col = 0
    tail = b""
    with _member(zf, name, member) as fh:
        while True:
            chunk = fh.read(4 * 1024 * 1024)
            if not chunk:
                break
            buf = tail + chunk
            _refuse_dtd(name, member, buf)
            chunk_row, chunk_col = _reach(buf)
            max_row, max_col = max(max_row, chunk_row), max(max_col, chunk_col)
            if b't="e"' in buf or b"t='e'" in buf:
                _collect_errors(buf, sheet)
            # A plain byte search first: the regex alone costs a second per 100k rows.
            if (b"<f" in buf or b":f" in buf) and _FORMULA.search(buf):
                _collect_formulas(buf, sheet)
            tail = buf[-512:]
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


def _reach(buf: bytes) -> tuple[int, int]:
    """The largest row number and column number of any r="A1"-style reference in ``buf``.

    Vectorised with numpy over the raw bytes: a regex pass costs a Python object per
    cell, which at 100,000 rows would cost more than reading the workbook.
    """
    a = np.frombuffer(buf, dtype=np.uint8)
    if len(a) < _WINDOW + 4:
        return 0, 0
    space = (a[:-3] == 32) | (a[:-3] == 9) | (a[:-3] == 10) | (a[:-3] == 13)
    quote = (a[3:] == 34) | (a[3:] == 39)
    starts = np.nonzero(space & (a[1:-2] == ord("r")) & (a[2:-1] == ord("=")) & quote)[0] + 4
    starts = starts[starts + _WINDOW <= len(a)]  # a reference cut off here is in the next chunk
    if not len(starts):
        return 0, 0
    win = a[starts[:, None] + np.arange(_WINDOW)].astype(np.int64)
    letter = (win >= 65) & (win <= 90)
    digit = (win >= 48) & (win <= 57)
    n_letters = np.argmin(letter, axis=1)
    col = np.zeros(len(win), dtype=np.int64)
    for k in range(3):
        col = np.where(k < n_letters, col * 26 + win[:, k] - 64, col)
    col = np.where(n_letters > 3, 1 << 20, col)  # not a real column: beyond any limit
    rows = np.arange(len(win))
    row = np.zeros(len(win), dtype=np.int64)
    going = np.ones(len(win), dtype=bool)
    for k in range(_WINDOW - 3):
        index = np.minimum(n_letters + k, _WINDOW - 1)
        going &= digit[rows, index]
        row = np.where(going, row * 10 + win[rows, index] - 48, row)
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


def _read_xlsx(raw: RawFile, data: bytes, limits: Limits) -> None:
    name = raw.path.name
    zf, entries = preflight_xlsx(name, data, limits)
    sheets = [RawSheet(e.name, [], hidden=e.hidden) for e in entries]
    for entry, sheet in zip(entries, sheets, strict=True):
        if entry.member in zf.namelist():
            _scan_sheet(name, sheet, zf, entry.member, limits)
    if _is_tool_output(zf, name, entries):
        raise ReadFailure(P.OUTPUT_FILE_SKIPPED.at(name))
    _parse_with_calamine(raw, data, sheets)


def _is_tool_output(zf: zipfile.ZipFile, name: str, entries: list[_SheetEntry]) -> bool:
    # "Provenance" (older outputs: "About") holds the marker in A1.
    about = [e for e in entries if e.name in ("Provenance", "About")]
    if not about or about[0].member not in zf.namelist():
        return False
    if "xl/sharedStrings.xml" in zf.namelist():
        with _member(zf, name, "xl/sharedStrings.xml") as fh:
            if OUTPUT_MARKER.encode() in fh.read(200_000):
                return True
    with _member(zf, name, about[0].member) as fh:
        return OUTPUT_MARKER.encode() in fh.read(200_000)


def _parse_with_calamine(raw: RawFile, data: bytes, sheets: list[RawSheet]) -> None:
    from python_calamine import CalamineWorkbook

    name = raw.path.name
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        by_name = {s.name: s for s in sheets}
        for meta in workbook.sheets_metadata:
            if str(meta.typ) != "SheetTypeEnum.WorkSheet" and "WorkSheet" not in str(meta.typ):
                continue
            target = by_name.get(meta.name)
            if target is None:
                continue
            sheet = workbook.get_sheet_by_name(meta.name)
            target.rows = sheet.to_python(skip_empty_area=False)
            target.merged = [
                (r0, c0, r1, c1) for (r0, c0), (r1, c1) in (sheet.merged_cell_ranges or [])
            ]
    except ReadFailure:
        raise
    except Exception as exc:  # calamine raises several of its own types; all mean unreadable
        kind = type(exc).__name__
        detail = f"the workbook cannot be read ({kind}); it may be corrupt: open it in Excel and save it again"
        if "entity" in str(exc).lower():
            detail = "the workbook contains XML entities, which Excel never writes; refused"
        raise ReadFailure(P.CORRUPT.at(name, detail=detail)) from None
    raw.sheets = sheets


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
    raw.sheets = [RawSheet("", rows)]

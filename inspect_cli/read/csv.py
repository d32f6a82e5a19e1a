"""Reading a CSV file: its encoding and delimiter found, every record as text."""

from __future__ import annotations

import codecs
import csv
import io
import itertools
from typing import Any, NoReturn

from inspect_cli import problems as P
from inspect_cli.read.raw import Limits, RawFile, RawSheet, ReadFailure

_DELIMITERS = ",;\t|"


def _decode(raw: RawFile, data: bytes) -> str:
    name = raw.path.name
    if data.startswith(codecs.BOM_UTF8):
        if not _utf8_ok(data[3:]):
            _bad(name, data[3:], "it starts with a UTF-8 byte-order mark, but ")
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


def _bad(name: str, data: bytes, marked: str = "") -> NoReturn:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        where = exc.start
    else:  # pragma: no cover - only called on undecodable data
        where = 0
    what = "neither UTF-8 nor Windows-1252"
    if marked:  # a UTF-8 mark over Windows-1252 text: say so, never guess which is right
        try:
            data.decode("cp1252")
            what = "Windows-1252 text, not UTF-8"
        except UnicodeDecodeError:
            what = "not UTF-8"
        where += 3
    raise ReadFailure(
        P.ENCODING.at(
            name,
            detail=f"{marked}the text is {what} (byte {where:,}); "
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


def read_csv(raw: RawFile, data: bytes, limits: Limits) -> None:
    name = raw.path.name
    if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):  # before UTF-16's mark
        raise ReadFailure(
            P.ENCODING.at(
                name,
                detail="the text is UTF-32, which this tool does not read; "
                "save it from Excel as 'CSV UTF-8'",
            )
        )
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
    # an inspect-cli CSV with a protective marking has it first, as "# MARKING"
    first = 1 if len(rows) > 1 and str(next(iter(rows[0]), "")).startswith("#") else 0
    if rows and _written_by_this_tool([c.strip() for c in rows[first]]):
        raise ReadFailure(P.OUTPUT_FILE_SKIPPED.at(name))
    import pyarrow as pa

    columns = [pa.array(cells, pa.string()) for cells in itertools.zip_longest(*rows)]
    raw.sheets = [RawSheet("", columns, len(rows), record_lengths=[len(r) for r in rows])]


def _written_by_this_tool(header: list[str]) -> bool:
    """A scored CSV, an anonymisation key (``pseudonym,force``: render/csv.py's
    write_key_csv) or a problems list (``validate -o``), written by this tool into a
    folder of case files."""
    scored = {"source_file", "source_row", "grade", "reason"} <= set(header)
    problems = {"file", "sheet", "row", "column", "code", "severity", "message"} <= set(header)
    return scored or problems or header == ["pseudonym", "force"]

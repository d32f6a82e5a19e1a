"""The cheap checks run on an xlsx before any parser sees it.

Magic bytes, zip member sizes and ratios, DTDs and XML entities in every XML part,
and the workbook's list of sheets (read with defusedxml). How far each sheet's cells
reach is checked next, in :mod:`inspect_cli.read.bounds`.
"""

from __future__ import annotations

import codecs
import io
import zipfile
import zlib
from dataclasses import dataclass
from typing import Any

from inspect_cli import problems as P
from inspect_cli.problems import Problem
from inspect_cli.read.parts import check_parts, find_member, sheet_member
from inspect_cli.read.raw import Limits, ReadFailure

_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
_ENCRYPTED_MARK = "EncryptedPackage".encode("utf-16-le")
_NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_STRICT = "purl.oclc.org/ooxml"


@dataclass(frozen=True)
class SheetEntry:
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
) -> tuple[zipfile.ZipFile, list[SheetEntry]]:
    """Check an xlsx cheaply before any parser allocates; return its zip and sheets."""
    if not data.startswith(ZIP_MAGIC):
        raise ReadFailure(_sniff_non_zip(name, data))
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, zlib.error, EOFError, ValueError, NotImplementedError):
        raise ReadFailure(
            P.CORRUPT.at(name, detail="corrupt or truncated workbook (not a readable zip file)")
        ) from None
    try:
        return zf, _checked_sheets(name, zf, infos, limits)
    except BaseException:
        zf.close()  # a refusal's traceback would otherwise keep the open zip alive
        raise


def _checked_sheets(
    name: str, zf: zipfile.ZipFile, infos: list[zipfile.ZipInfo], limits: Limits
) -> list[SheetEntry]:
    """The zip's sizes, parts and DTDs checked; its sheets."""
    if len(infos) > 10_000:
        raise ReadFailure(P.TOO_LARGE.at(name, detail=f"{len(infos):,} parts in the workbook zip"))
    check_parts(name, zf, infos)
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
    sheets = _sheet_entries(zf, name, limits)
    scanned_later = {s.member for s in sheets}
    for info in infos:
        if info.filename.lower().endswith((".xml", ".rels", ".vml")) and (
            info.filename not in scanned_later
        ):
            with open_member(zf, name, info.filename) as fh:
                tail = b""
                while chunk := fh.read(4 * 1024 * 1024):
                    refuse_dtd(name, info.filename, tail + chunk)
                    tail = chunk[-64:]
    return sheets


class open_member:
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
        except Exception:  # as above, when the part is opened
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
        except Exception:  # zlib, lzma, a bad CRC, a password: the part cannot be inflated
            raise ReadFailure(
                P.CORRUPT.at(self.name, detail=f"corrupt workbook part {self.member}")
            ) from None


_DTD_MARKS = tuple(
    mark.encode(enc)
    for mark in ("<!DOCTYPE", "<!ENTITY")
    for enc in ("utf-8", "utf-16-le", "utf-16-be")
)


def refuse_dtd(name: str, member: str, data: bytes) -> None:
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


def _read_xml(zf: zipfile.ZipFile, name: str, path: str) -> Any:
    from defusedxml import ElementTree as SafeET

    member = find_member(zf, path)
    if member is None:
        raise ReadFailure(P.CORRUPT.at(name, detail=f"the workbook has no part {path}"))
    with open_member(zf, name, member) as fh:
        data = fh.read()
    refuse_dtd(name, member, data)
    try:
        return SafeET.fromstring(data)
    except Exception:
        raise ReadFailure(
            P.CORRUPT.at(name, detail="the workbook's list of sheets cannot be read")
        ) from None


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _sheet_entries(zf: zipfile.ZipFile, name: str, limits: Limits) -> list[SheetEntry]:
    """The sheets as the parser lists them: every element named ``sheet`` (any
    namespace), its relationship resolved as the parser resolves it."""
    workbook = _read_xml(zf, name, "xl/workbook.xml")
    if _STRICT in workbook.tag:
        raise ReadFailure(
            P.UNSUPPORTED_FORMAT.at(
                name,
                detail="not an .xlsx workbook this tool reads: it is saved as 'Strict Open XML "
                "Spreadsheet'; open it in Excel and save it as 'Excel Workbook (.xlsx)'",
            )
        )
    listed = [el for el in workbook.iter() if _local(el.tag) == "sheet"]
    if len(listed) > limits.max_sheets:
        raise ReadFailure(
            P.TOO_LARGE.at(
                name,
                detail=f"the workbook has {len(listed):,} sheets; the limit is "
                f"{limits.max_sheets:,} (--max-sheets)",
            )
        )
    rels = _read_xml(zf, name, "xl/_rels/workbook.xml.rels")
    targets = {
        rel.get("Id"): rel.get("Target", "")
        for rel in rels.iter()
        if _local(rel.tag) == "Relationship"
    }
    entries = []
    seen: dict[str, str] = {}
    for sheet in listed:
        sheet_name = sheet.get("name", "?")
        folded = sheet_name.casefold()
        if folded in seen:
            raise ReadFailure(
                P.DUPLICATE_SHEET.at(name, sheet=sheet_name, found=sheet_name, first=seen[folded])
            )
        seen[folded] = sheet_name
        ids = [v for k, v in sheet.attrib.items() if k.startswith("{") and _local(k) == "id"]
        target = targets.get(sheet.get(f"{_NS_REL}id", ids[0] if ids else None), "")
        if not target:
            continue
        path = sheet_member(target)
        member = find_member(zf, path) or path
        state = sheet.get("state", "visible")
        entries.append(SheetEntry(sheet_name, member, state != "visible"))
    return entries

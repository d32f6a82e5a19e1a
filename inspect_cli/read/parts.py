"""The workbook zip's parts, checked before any is read: the same part twice, parts the
tool cannot decompress, and packages that are not an xlsx at all (OpenDocument,
xlsb); and finding a part by name as the parser does (ASCII case ignored)."""

from __future__ import annotations

import zipfile
from collections import Counter

from inspect_cli import problems as P
from inspect_cli.read.raw import ReadFailure

_METHODS = {
    zipfile.ZIP_BZIP2: "bzip2",
    zipfile.ZIP_LZMA: "LZMA",
    9: "Deflate64",
    93: "Zstandard",
    99: "AES encryption",
}


def check_parts(name: str, zf: zipfile.ZipFile, infos: list[zipfile.ZipInfo]) -> None:
    """Refuse a package that is not an xlsx, or whose parts cannot all be read one way."""
    _sniff_package(name, zf)
    seen = Counter(info.filename.encode().lower() for info in infos)
    twice = sorted(info.filename for info in infos if seen[info.filename.encode().lower()] > 1)
    if twice:
        raise ReadFailure(
            P.DUPLICATE_PART.at(name, part=twice[0], parts=", ".join(dict.fromkeys(twice)))
        )
    for info in infos:
        if info.flag_bits & 0x1 or info.compress_type == 99:
            raise ReadFailure(
                P.UNREADABLE_PART.at(
                    name, part=info.filename, why="is encrypted inside the zip (a password)"
                )
            )
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            method = _METHODS.get(info.compress_type, f"method {info.compress_type}")
            raise ReadFailure(
                P.UNREADABLE_PART.at(
                    name,
                    part=info.filename,
                    why=f"is compressed with {method}, which Excel never uses",
                )
            )


def _sniff_package(name: str, zf: zipfile.ZipFile) -> None:
    names = {n.encode().lower(): n for n in zf.namelist()}
    kind = ""
    if b"mimetype" in names:
        mimetype = zf.getinfo(names[b"mimetype"])
        plain = mimetype.compress_type in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)
        if mimetype.file_size < 200 and plain and not mimetype.flag_bits & 0x1:
            head = zf.read(mimetype)
            if head.startswith(b"application/vnd.oasis.opendocument.spreadsheet"):
                kind = "an OpenDocument spreadsheet (.ods)"
            elif head.startswith(b"application/vnd.oasis.opendocument"):
                kind = "an OpenDocument file, not a spreadsheet"
    if not kind and b"xl/workbook.bin" in names:
        kind = "an Excel binary workbook (.xlsb)"
    if kind:
        detail = f"not an .xlsx workbook: the file is {kind}; open it in Excel and save it as .xlsx"
        raise ReadFailure(P.UNSUPPORTED_FORMAT.at(name, detail=detail))


def find_member(zf: zipfile.ZipFile, path: str) -> str | None:
    """The part named ``path`` as the parser finds it: the first whose name matches with
    ASCII letter case ignored."""
    wanted = path.encode().lower()
    return next((n for n in zf.namelist() if n.encode().lower() == wanted), None)


def sheet_member(target: str) -> str:
    """A relationship target as the parser turns it into a part name."""
    if target.startswith("/xl/"):
        return target[1:]
    if target.startswith("xl/"):
        return target
    return f"xl/{target}"

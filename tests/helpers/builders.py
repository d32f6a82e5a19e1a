"""Build good and bad case files at test time, so no crafted binaries are committed.

A *table* is a list of rows; ``table[0]`` is the header, so ``table[i]`` is the row
Excel shows as ``i + 1``. Start from :func:`case_table`, change it with the table
mutators, write it with :func:`write_xlsx` or :func:`write_csv`, then (for zip and
XML attacks) rewrite parts of the written workbook with :func:`rewrite_member`.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import openpyxl

from inspect_cli.fields import (
    EXAMPLE_FIELD_IDS,
    EXAMPLE_FIELDS,
    REFERRAL_FIELD_IDS,
    REFERRAL_FIELDS,
    standard_fields,
)
from inspect_cli.frameworks import Framework
from inspect_cli.read import column_letter

Table = list[list[Any]]
OPTIONAL_IDS = (*REFERRAL_FIELD_IDS, *EXAMPLE_FIELD_IDS, "review_status")
"""Optional column groups a table has only when a test adds them (a review status
column, even blank, is added with ``add_column``)."""

ANSWERS = ("Yes", "Partly", "No", "Not applicable")
SHEET1 = "xl/worksheets/sheet1.xml"
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

# --------------------------------------------------------------------------- tables


def header(fw: Framework) -> list[str]:
    """Every standard field label but the optional referral and example columns (which
    :func:`add_referral_columns` and :func:`add_example_columns` append), then every
    indicator label, in framework order."""
    fields = [f.label for f in standard_fields(fw) if f.id not in OPTIONAL_IDS]
    return fields + [r.indicator.label for r in fw.indicators]


def header_ids(fw: Framework) -> list[str]:
    """:func:`header` as column ids."""
    fields = [f.id for f in standard_fields(fw) if f.id not in OPTIONAL_IDS]
    return fields + [r.full_id for r in fw.indicators]


def add_referral_columns(table: Table) -> Table:
    """The referral columns (``referred_back`` …), blank, after the others."""
    for f in REFERRAL_FIELDS:
        add_column(table, f.label, [])
    return table


def add_example_columns(table: Table) -> Table:
    """The case example columns (``example`` …), blank, after the others."""
    for f in EXAMPLE_FIELDS:
        add_column(table, f.label, [])
    return table


def valid_row(fw: Framework, n: int) -> list[Any]:
    """Case number ``n``: a scoreable Domestic abuse case audited by an inspector."""
    fixed = {
        "Case reference": f"C{n:04d}",
        "Force": "Force X",
        "Area of practice": "Domestic abuse",
        "Audit type": "inspector",
    }
    row: list[Any] = [
        fixed.get(f.label, "") for f in standard_fields(fw) if f.id not in OPTIONAL_IDS
    ]
    row += [ANSWERS[(n + k) % len(ANSWERS)] for k in range(len(fw.indicators))]
    return row


def case_table(fw: Framework, n: int = 3, first: int = 1) -> Table:
    """A header and ``n`` valid cases numbered from ``first``."""
    return [header(fw), *(valid_row(fw, first + i) for i in range(n))]


def col(table: Table, label: str) -> int:
    """0-based index of the column headed ``label``."""
    return table[0].index(label)


def letter(table: Table, label: str) -> str:
    """Excel column letter of the column headed ``label``."""
    return column_letter(col(table, label))


def set_cell(table: Table, excel_row: int, label: str, value: Any) -> Table:
    """Put ``value`` in the row Excel numbers ``excel_row``, under ``label``."""
    table[excel_row - 1][col(table, label)] = value
    return table


def rename_column(table: Table, old: str, new: str) -> Table:
    table[0][col(table, old)] = new
    return table


def add_column(table: Table, heading: str, values: Sequence[Any]) -> Table:
    """Append a column; ``values`` fill the data rows (padded with blanks)."""
    table[0].append(heading)
    for i, row in enumerate(table[1:]):
        row.append(values[i] if i < len(values) else "")
    return table


def drop_column(table: Table, label: str) -> Table:
    j = col(table, label)
    for row in table:
        del row[j]
    return table


def insert_rows(table: Table, excel_row: int, rows: Sequence[Sequence[Any]]) -> Table:
    """Insert ``rows`` so that the first becomes Excel row ``excel_row``."""
    table[excel_row - 1 : excel_row - 1] = [list(r) for r in rows]
    return table


def stage_labels(fw: Framework, stage_id: str) -> list[str]:
    return [r.indicator.label for r in fw.indicators if r.stage.id == stage_id]


# --------------------------------------------------------------------------- writers


def write_xlsx(
    path: Path,
    sheets: Table | Mapping[str, Table],
    *,
    hidden: Sequence[str] = (),
    merge: Sequence[str] = (),
    errors: Mapping[str, str] | None = None,
    formulas: Mapping[str, str] | None = None,
) -> Path:
    """Write a workbook with openpyxl (inline strings, formulas without cached values).

    ``sheets`` is one table (sheet 'Cases') or sheet name → table. On the first sheet,
    ``merge`` lists ranges to merge, ``errors`` maps cells to Excel error values such as
    '#N/A', ``formulas`` maps cells to formulas such as '=3+4'.
    """
    named = {"Cases": sheets} if isinstance(sheets, list) else dict(sheets)
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, table in named.items():
        ws = wb.create_sheet(name)
        for row in table:
            ws.append(row)
        if name in hidden:
            ws.sheet_state = "hidden"
    first = wb.worksheets[0]
    for ref in merge:
        first.merge_cells(ref)
    for ref, value in (errors or {}).items():
        first[ref].value = value
        first[ref].data_type = "e"
    for ref, formula in (formulas or {}).items():
        first[ref].value = formula
    wb.save(path)
    return path


def write_csv(
    path: Path,
    table: Table,
    *,
    delimiter: str = ",",
    encoding: str = "utf-8",
    bom: bool = False,
) -> Path:
    buf = io.StringIO(newline="")
    csv.writer(buf, delimiter=delimiter, lineterminator="\r\n").writerows(table)
    data = buf.getvalue().encode(encoding)
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)
    return path


def write_lines(path: Path, lines: Sequence[str], encoding: str = "utf-8") -> Path:
    """A text file written exactly as given (for broken CSV)."""
    path.write_bytes("\r\n".join(lines).encode(encoding) + b"\r\n")
    return path


# --------------------------------------------------------------------------- zip and XML


def rewrite_member(
    path: Path,
    member: str,
    change: Callable[[bytes], bytes] | None,
    level: int = 6,
) -> Path:
    """Rewrite the workbook with ``member`` changed (``change=None`` drops it)."""
    with zipfile.ZipFile(path) as zf:
        parts = {info.filename: zf.read(info) for info in zf.infolist()}
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as zf:
        for name, data in parts.items():
            if name != member:
                zf.writestr(name, data)
            elif change is not None:
                zf.writestr(name, change(data))
    path.write_bytes(out.getvalue())
    return path


def add_cells(cells_xml: str) -> Callable[[bytes], bytes]:
    """A change for :func:`rewrite_member`: raw ``<row>``/``<c>`` XML added to the sheet."""

    def change(xml: bytes) -> bytes:
        return xml.replace(b"</sheetData>", cells_xml.encode() + b"</sheetData>", 1)

    return change


def inline_cell(ref: str, text: str) -> str:
    """XML for a row holding one inline-string cell at ``ref`` (for :func:`add_cells`)."""
    row = "".join(ch for ch in ref if ch.isdigit())
    return f'<row r="{row}"><c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c></row>'


def replace_bytes(old: str, new: str) -> Callable[[bytes], bytes]:
    """A change for :func:`rewrite_member` replacing every ``old`` with ``new``."""

    def change(xml: bytes) -> bytes:
        assert old.encode() in xml, f"{old!r} not in the member"
        return xml.replace(old.encode(), new.encode())

    return change


def billion_laughs_dtd(levels: int = 9) -> str:
    """Entity ``lol9`` expands to 10**9 'lol's."""
    entities = ['<!ENTITY lol0 "lol">']
    for i in range(1, levels + 1):
        entities.append(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">')
    return f"<!DOCTYPE worksheet [{''.join(entities)}]>"


def xxe_dtd(target: Path) -> str:
    """Entity ``xxe`` is the contents of the file ``target``."""
    return f'<!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "{target.as_uri()}">]>'


def with_doctype(
    doctype: str, entity: str | None, cell_ref: str = "A10", padding: int = 0
) -> Callable[[bytes], bytes]:
    """A change that adds a DTD before the root element and, if ``entity`` is given,
    uses ``&entity;`` in a cell at ``cell_ref``.

    ``padding`` puts a comment of that many spaces before the DTD (legal XML).
    """

    def change(xml: bytes) -> bytes:
        text = xml.decode()
        root = re.search(r"<[A-Za-z]", text)
        assert root is not None, "no root element"
        start = root.start()
        comment = f"<!--{' ' * padding}-->" if padding else ""
        text = text[:start] + comment + doctype + text[start:]
        if entity is None:
            return text.encode()
        return add_cells(inline_cell(cell_ref, f"&{entity};"))(text.encode())

    return change


def cache_formula_value(cell_ref: str, value: str) -> Callable[[bytes], bytes]:
    """A change giving the formula in ``cell_ref`` a calculated value, as Excel saves it."""

    def change(xml: bytes) -> bytes:
        start = xml.index(f'<c r="{cell_ref}"'.encode())
        end = xml.index(b"</c>", start)
        # openpyxl writes an empty value as <v /> (its own writer) or <v></v> (with lxml).
        cell = re.sub(rb"<v ?/>|<v></v>", b"<v>" + value.encode() + b"</v>", xml[start:end])
        return xml[:start] + cell + xml[end:]

    return change


def flip_byte_in_member(path: Path, member: str) -> Path:
    """Corrupt one byte in the middle of ``member``'s compressed data."""
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo(member)
    local = info.header_offset
    name_len = int.from_bytes(data[local + 26 : local + 28], "little")
    extra_len = int.from_bytes(data[local + 28 : local + 30], "little")
    start = local + 30 + name_len + extra_len
    data[start + info.compress_size // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    return path


def lie_about_size(path: Path, member: str, size: int) -> Path:
    """Make the zip headers declare that ``member`` unpacks to ``size`` bytes."""
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as zf:
        local = zf.getinfo(member).header_offset
    data[local + 22 : local + 26] = size.to_bytes(4, "little")
    pos = data.find(b"PK\x01\x02")
    while pos != -1:
        name_len = int.from_bytes(data[pos + 28 : pos + 30], "little")
        if data[pos + 46 : pos + 46 + name_len] == member.encode():
            data[pos + 24 : pos + 28] = size.to_bytes(4, "little")
        pos = data.find(b"PK\x01\x02", pos + 1)
    path.write_bytes(bytes(data))
    return path


def truncate(path: Path) -> Path:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def fake_ole2(path: Path, encrypted: bool) -> Path:
    """An OLE2 compound file header: an encrypted OOXML package, or a legacy .xls."""
    body = bytearray(4096)
    if encrypted:
        mark = "EncryptedPackage".encode("utf-16-le")
        body[1024 : 1024 + len(mark)] = mark
    else:
        mark = "Workbook".encode("utf-16-le")
        body[1024 : 1024 + len(mark)] = mark
    path.write_bytes(OLE2_MAGIC + bytes(body))
    return path


# --------------------------------------------------------------------------- zip parts


def _parts(path: Path) -> list[tuple[zipfile.ZipInfo, bytes]]:
    with zipfile.ZipFile(path) as zf:
        return [(info, zf.read(info)) for info in zf.infolist()]


def repack(
    path: Path,
    twice: str | None = None,
    methods: Mapping[str, int] | None = None,
    extra: Mapping[str, bytes] | None = None,
) -> Path:
    """Rewrite the workbook zip: ``twice`` stored two times, ``methods`` maps a part to a
    zip compression method (e.g. ``zipfile.ZIP_LZMA``), ``extra`` adds parts."""
    import warnings

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about a duplicate name: the point
        for info, data in _parts(path):
            method = (methods or {}).get(info.filename, zipfile.ZIP_DEFLATED)
            for _ in range(2 if info.filename == twice else 1):
                zf.writestr(info.filename, data, compress_type=method)
        for name, data in (extra or {}).items():
            zf.writestr(name, data)
    path.write_bytes(out.getvalue())
    return path


def mark_encrypted(path: Path, member: str) -> Path:
    """Set the zip's 'encrypted' flag on ``member`` (local and central headers)."""
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as zf:
        local = zf.getinfo(member).header_offset
    data[local + 6] |= 0x1
    pos = data.find(b"PK\x01\x02")
    while pos != -1:
        name_len = int.from_bytes(data[pos + 28 : pos + 30], "little")
        if data[pos + 46 : pos + 46 + name_len] == member.encode():
            data[pos + 8] |= 0x1
        pos = data.find(b"PK\x01\x02", pos + 1)
    path.write_bytes(bytes(data))
    return path


def write_many_sheets(path: Path, n: int) -> Path:
    """A workbook of ``n`` tiny sheets, zipped by hand (openpyxl would take minutes)."""
    ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel_ns = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    kind = f"{rel_ns}/worksheet"
    sheets = "".join(f'<sheet name="S{i}" sheetId="{i}" r:id="rId{i}"/>' for i in range(1, n + 1))
    rels = "".join(
        f'<Relationship Id="rId{i}" Type="{kind}" Target="worksheets/sheet{i}.xml"/>'
        for i in range(1, n + 1)
    )
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for i in range(1, n + 1)
    )
    sheet = f'<worksheet xmlns="{ns}"><sheetData><row r="1"><c r="A1"><v>1</v></c></row></sheetData></worksheet>'
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(
            "[Content_Types].xml",
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Override PartName="/xl/workbook.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            f"{overrides}</Types>",
        )
        zf.writestr(
            "_rels/.rels",
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{rel_ns}/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>",
        )
        zf.writestr(
            "xl/workbook.xml",
            f'<workbook xmlns="{ns}" xmlns:r="{rel_ns}"><sheets>{sheets}</sheets></workbook>',
        )
        zf.writestr(
            "xl/_rels/workbook.xml.rels",
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f"{rels}</Relationships>",
        )
        for i in range(1, n + 1):
            zf.writestr(f"xl/worksheets/sheet{i}.xml", sheet)
    return path


def write_xlsx_shared(path: Path, table: Table) -> Path:
    """A workbook with shared strings, as Excel saves text (openpyxl writes them inline)."""
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("Cases")
    for i, row in enumerate(table):
        for j, value in enumerate(row):
            if value is not None:
                ws.write(i, j, value)
    wb.close()
    return path

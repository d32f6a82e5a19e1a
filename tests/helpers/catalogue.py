"""The bad-input catalogue (docs/reliability.md) as a list of small generated inputs.

Each :class:`Entry` builds one hostile input in an empty folder and returns the path
to give the command line (a file, a folder, or a path that does not exist). The
entries cover every family of the catalogue; tests/test_catalogue_commands.py runs
every command that reads cases on each. Files stay small so that all of them, through
every command, run in seconds.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from inspect_cli.frameworks import Framework
from inspect_cli.read import column_letter
from tests.helpers.builders import (
    SHEET1,
    Table,
    add_cells,
    billion_laughs_dtd,
    cache_formula_value,
    case_table,
    fake_ole2,
    flip_byte_in_member,
    inline_cell,
    insert_rows,
    letter,
    lie_about_size,
    mark_encrypted,
    rename_column,
    repack,
    replace_bytes,
    rewrite_member,
    set_cell,
    stage_labels,
    truncate,
    with_doctype,
    write_csv,
    write_lines,
    write_many_sheets,
    write_xlsx,
    write_xlsx_shared,
    xxe_dtd,
)
from tests.helpers.hostile import (
    ANSWER,
    FAR_CELLS,
    error_cell_workbook,
    with_forces,
    write_case_list,
    write_sparse_cases,
    write_zip,
)

RELS = "xl/_rels/workbook.xml.rels"
WORKBOOK = "xl/workbook.xml"
CYRILLIC_C = "Force \u0421"  # a Cyrillic capital Es that looks like C

Build = Callable[[Path, Framework], Path]


@dataclass(frozen=True)
class Entry:
    """One catalogue input: ``build(folder, fw)`` writes it and returns the path to read.

    ``force`` is a force present in the data, for ``report force`` and ``moderate``;
    ``far`` marks the inputs that abort the parser if a check misses them.
    """

    name: str
    build: Build
    force: str = "Force X"
    far: bool = False


CATALOGUE: list[Entry] = []


def entry(name: str, force: str = "Force X", far: bool = False) -> Callable[[Build], Build]:
    def add(build: Build) -> Build:
        CATALOGUE.append(Entry(name, build, force, far))
        return build

    return add


def xlsx(folder: Path, table: Table, name: str = "cases.xlsx", **kw: object) -> Path:
    return write_xlsx(folder / name, table, **kw)  # type: ignore[arg-type]


def csv(folder: Path, table: Table, name: str = "cases.csv", **kw: object) -> Path:
    return write_csv(folder / name, table, **kw)  # type: ignore[arg-type]


def cases(fw: Framework, n: int = 3) -> Table:
    return case_table(fw, n)


def changed_xlsx(
    folder: Path, fw: Framework, member: str, change: Callable[[bytes], bytes]
) -> Path:
    return rewrite_member(xlsx(folder, cases(fw)), member, change)


def empty(path: Path, data: bytes = b"") -> Path:
    """A file holding exactly ``data`` (nothing, by default)."""
    path.write_bytes(data)
    return path


# --------------------------------------------------------------------------- files

entry("missing-path")(lambda d, fw: d / "nowhere.xlsx")
entry("folder-without-case-files")(lambda d, fw: empty(d / "notes.txt", b"notes").parent)
entry("empty-xlsx")(lambda d, fw: empty(d / "e.xlsx"))
entry("header-only")(lambda d, fw: xlsx(d, case_table(fw, 0)))
entry("no-header-row")(lambda d, fw: csv(d, [["Minutes"], ["Present:", "A. Smith"]]))
entry("password-protected")(lambda d, fw: fake_ole2(d / "locked.xlsx", encrypted=True))
entry("csv-named-xlsx")(lambda d, fw: write_csv(d / "cases.xlsx", cases(fw)))
entry("wrong-extension-txt")(lambda d, fw: write_csv(d / "cases.txt", cases(fw)))
entry("truncated-zip")(lambda d, fw: truncate(xlsx(d, cases(fw, 30))))
entry("flipped-byte")(lambda d, fw: flip_byte_in_member(xlsx(d, cases(fw, 30)), SHEET1))


@entry("folder-with-lock-file")
def _lock_file(d: Path, fw: Framework) -> Path:
    xlsx(d, cases(fw))
    (d / "~$cases.xlsx").write_bytes(b"\x0bA. Auditor" + b"\x00" * 150)
    return d


@entry("folder-with-legacy-xls")
def _folder_xls(d: Path, fw: Framework) -> Path:
    xlsx(d, cases(fw, 2))
    fake_ole2(d / "old.xls", encrypted=False)
    return d


@entry("macro-workbook-xlsm")
def _macros(d: Path, fw: Framework) -> Path:
    path = write_xlsx(d / "cases.xlsm", cases(fw))
    return repack(path, extra={"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0" + b"\x00" * 508})


# --------------------------------------------------------------------------- XML and zips

entry("billion-laughs")(
    lambda d, fw: changed_xlsx(d, fw, SHEET1, with_doctype(billion_laughs_dtd(), "lol9"))
)


@entry("xxe")
def _xxe(d: Path, fw: Framework) -> Path:
    secret = d / "secret.txt"
    secret.write_text("SECRET-MARKER-7f3c1d")
    return changed_xlsx(d, fw, SHEET1, with_doctype(xxe_dtd(secret), "xxe", padding=6000))


@entry("decompression-bomb")
def _bomb(d: Path, fw: Framework) -> Path:
    path = xlsx(d, cases(fw))
    return rewrite_member(path, SHEET1, add_cells(inline_cell("A10", "A" * 20_000_000)), level=9)


@entry("zip-lies-about-size")
def _liar(d: Path, fw: Framework) -> Path:
    path = _bomb(d, fw)
    return lie_about_size(path, SHEET1, 10_000)


entry("far-cell", far=True)(
    lambda d, fw: changed_xlsx(d, fw, SHEET1, add_cells(inline_cell("XFD1048576", "x")))
)
for _variant in ("spaces around =", "lower-case"):
    _xml = FAR_CELLS[_variant]
    entry(f"far-cell-{_variant.replace(' ', '-')}", far=True)(
        lambda d, fw, xml=_xml: changed_xlsx(d, fw, SHEET1, add_cells(xml))
    )


@entry("far-cell-behind-relationship-case", far=True)
def _far_rels(d: Path, fw: Framework) -> Path:
    path = changed_xlsx(d, fw, SHEET1, add_cells(inline_cell("XFD1048576", "x")))
    change = replace_bytes("/xl/worksheets/sheet1.xml", "/xl/worksheets/SHEET1.XML")
    return rewrite_member(path, RELS, change)


entry("cells-past-column-limit")(
    lambda d, fw: changed_xlsx(
        d,
        fw,
        SHEET1,
        add_cells('<row r="9"><c r="ALL9"><v>1</v></c>' + "<c><v>1</v></c>" * 10 + "</row>"),
    )
)
entry("huge-dimension")(
    lambda d, fw: changed_xlsx(
        d,
        fw,
        SHEET1,
        # The dimension xlsxwriter writes: as wide as the header (column_letter counts
        # from 0), so not spelt out here.
        replace_bytes(
            f'<dimension ref="A1:{column_letter(len(cases(fw)[0]) - 1)}4"',
            '<dimension ref="A1:XFD1048576"',
        ),
    )
)
entry("part-stored-twice")(lambda d, fw: repack(xlsx(d, cases(fw)), twice=SHEET1))


@entry("two-sheets-one-name")
def _two_names(d: Path, fw: Framework) -> Path:
    path = xlsx(d, {"Cases": cases(fw, 2), "Archive": case_table(fw, 2, first=10)})
    return rewrite_member(path, WORKBOOK, replace_bytes('name="Archive"', 'name="CASES"'))


for _index in ("999",):
    entry(f"bad-shared-string-{_index}")(
        lambda d, fw, i=_index: rewrite_member(
            write_xlsx_shared(d / "shared.xlsx", cases(fw, 2)),
            SHEET1,
            lambda xml: xml.replace(b"<v>3</v>", f"<v>{i}</v>".encode(), 1),
        )
    )
entry("encrypted-part")(lambda d, fw: mark_encrypted(xlsx(d, cases(fw)), SHEET1))
entry("many-sheets")(lambda d, fw: write_many_sheets(d / "many.xlsx", 3_000))
entry("opendocument-named-xlsx")(
    lambda d, fw: write_zip(
        d / "cases.xlsx",
        {"mimetype": b"application/vnd.oasis.opendocument.spreadsheet", "content.xml": b"<x/>"},
    )
)

# --------------------------------------------------------------------------- headers and sheets

entry("zero-width-space-in-header")(
    lambda d, fw: xlsx(d, rename_column(cases(fw), "Case reference", "Case\u200breference"))
)
entry("duplicate-column")(lambda d, fw: xlsx(d, rename_column(cases(fw), "Auditor", "Force")))
entry("merged-header")(lambda d, fw: xlsx(d, cases(fw), merge=["A1:B1"]))
entry("title-and-blank-rows")(
    lambda d, fw: xlsx(d, insert_rows(insert_rows(cases(fw), 3, [[], []]), 1, [["Audit"], []]))
)


@entry("hidden-sheet-and-rows")
def _hidden(d: Path, fw: Framework) -> Path:
    sheets = {"Cases": cases(fw), "Archive": case_table(fw, 2, first=10)}
    path = xlsx(d, sheets, hidden=["Archive"])
    return rewrite_member(path, SHEET1, replace_bytes('<row r="3"', "<row r='3' hidden='true'"))


# --------------------------------------------------------------------------- rows and cells


@entry("bad-values")
def _bad_values(d: Path, fw: Framework) -> Path:
    """An unknown answer, a number and a date that are not, a blank case reference."""
    table = set_cell(cases(fw, 4), 2, ANSWER, "Yse")
    set_cell(set_cell(table, 3, "Child age", "seven"), 4, "Audit date", "2024-13-45")
    return csv(d, set_cell(table, 5, "Case reference", ""))


for _variant in ("prefixed elements",):
    entry(f"error-cell-{_variant.replace(' ', '-')}")(
        lambda d, fw, v=_variant: error_cell_workbook(d / "cases.xlsx", fw, v)[0]
    )


@entry("merged-answer-down-rows")
def _merged_down(d: Path, fw: Framework) -> Path:
    table = set_cell(cases(fw), 2, ANSWER, "No")
    col = letter(table, ANSWER)
    path = xlsx(d, table, merge=[f"{col}2:{col}4"])
    return rewrite_member(
        path, SHEET1, replace_bytes(f'ref="{col}2:{col}4"', f"ref='{col.lower()}2:{col.lower()}4'")
    )


@entry("formula-without-value")
def _formula(d: Path, fw: Framework) -> Path:
    table = cases(fw)
    return xlsx(d, table, formulas={f"{letter(table, 'Child age')}3": "=3+4"})


@entry("long-text-and-cached-formula")
def _long_text(d: Path, fw: Framework) -> Path:
    """40,000 characters in a cell (openpyxl cuts text, so set in the XML) and a formula
    with its calculated value."""
    table = set_cell(cases(fw), 2, "Investigation comment", "LONG-TEXT")
    ref = f"{letter(table, 'Child age')}3"
    path = xlsx(d, table, formulas={ref: "=3+4"})
    rewrite_member(path, SHEET1, cache_formula_value(ref, "7"))
    return rewrite_member(path, SHEET1, replace_bytes("LONG-TEXT", "x" * 40_000))


@entry("active-content", force="<script>alert(1)</script>")
def _active(d: Path, fw: Framework) -> Path:
    """Formulas as text, markup and control characters, in cells and the file name."""
    table = with_forces(fw, ["<script>alert(1)</script>", '" onmouseover=x', "Force X"])
    set_cell(table, 2, "Auditor", '=HYPERLINK("http://x")')
    set_cell(table, 3, "Auditor", "@SUM(1)\tA\x07B\x1bC")
    return csv(d, table, name="<b>.csv")


@entry("text-kept-exactly", force="警察")
def _text_kept(d: Path, fw: Framework) -> Path:
    """Cyrillic and CJK names, not-applicable spellings, a leading-zero reference."""
    table = with_forces(fw, ["Сила Ж", "警察", "警察"])
    set_cell(set_cell(table, 2, ANSWER, "N/A"), 3, ANSWER, "NA")
    return xlsx(d, set_cell(table, 4, "Case reference", "00123"))


@entry("required-stage-blank")
def _stage_blank(d: Path, fw: Framework) -> Path:
    table = set_cell(cases(fw), 3, "Area of practice", "Children in police custody")
    for label in stage_labels(fw, "police_detention"):
        set_cell(table, 3, label, "")
    return xlsx(d, table)


entry("few-answered")(lambda d, fw: write_sparse_cases(d / "sparse.csv", fw))

# --------------------------------------------------------------------------- force identity

entry("force-spellings", force="force  c")(
    lambda d, fw: csv(
        d,
        with_forces(
            fw,
            [
                "Force C",
                "FORCE C",
                "Force\u00a0C",
                "\ufeffForce C",
                "\uff26\uff4f\uff52\uff43\uff45 \uff23",
            ],
        ),
    )
)
entry("lookalike-letters", force="Force C")(
    lambda d, fw: xlsx(d, with_forces(fw, ["Force C", CYRILLIC_C, "Force C"]))
)
entry("duplicate-and-invisible-case-ref")(
    lambda d, fw: xlsx(
        d,
        set_cell(
            set_cell(cases(fw), 3, "Case reference", "C0001"), 4, "Case reference", "C0001\u200b"
        ),
    )
)


@entry("self-assessment-spelt-otherwise", force="FORCE  C")
def _moderation(d: Path, fw: Framework) -> Path:
    own = with_forces(fw, ["FORCE C", "Force\u00a0C"])
    for row in (2, 3):
        set_cell(own, row, "Audit type", "self-assessment")
    csv(d, own, name="self.csv")
    csv(d, with_forces(fw, ["Force C", "Force C"]), name="insp.csv")
    return d


entry("case-list-duplicates", force="Force C")(
    lambda d, fw: write_case_list(
        d / "list.csv",
        [("R1", "Force C"), ("R2", "Force C"), ("R1", "FORCE C"), ("R1\u200b", "Force\u00a0C")],
    )
)
entry("case-list-lookalike", force="Force C")(
    lambda d, fw: write_case_list(d / "list.csv", [("R1", "Force C"), ("R2", CYRILLIC_C)])
)

# --------------------------------------------------------------------------- CSV

entry("csv-windows-1252")(
    lambda d, fw: csv(d, set_cell(cases(fw), 2, "Auditor", "Zoë “Brontë”"), encoding="cp1252")
)
entry("csv-utf8-bom-semicolons")(lambda d, fw: csv(d, cases(fw), bom=True, delimiter=";"))
entry("csv-utf8-bom-over-cp1252")(
    lambda d, fw: csv(d, set_cell(cases(fw), 2, "Auditor", "Zoë"), encoding="cp1252", bom=True)
)


@entry("csv-ragged-rows")
def _ragged(d: Path, fw: Framework) -> Path:
    table = cases(fw)
    table[2].append("EXTRA")
    table[3] = table[3][:-3]
    return csv(d, table)


def _lines(fw: Framework, old: str, new: str) -> list[str]:
    lines = [",".join(row) for row in cases(fw)]
    lines[2] = lines[2].replace(old, new, 1)
    return lines


entry("csv-unterminated-quote")(
    lambda d, fw: write_lines(d / "cases.csv", _lines(fw, "C0002", '"C0002'))
)
entry("csv-nul-bytes")(lambda d, fw: write_lines(d / "cases.csv", _lines(fw, "C0002", "C00\x0002")))

"""Workbook XML written otherwise than Excel writes it, and zip packages built to mislead.

Every variant here is legal XML that the parser (calamine, under fastexcel) reads: the
pre-flight scans must see exactly what it reads (error cells, formulas, merges, how far
the cells reach), or the file is refused with a located problem. Nothing may abort the
process: the far-cell cases run in a child process. Files are generated at test time.
"""

from __future__ import annotations

import codecs
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from inspect_cli.frameworks import Framework
from inspect_cli.load import LoadResult, load_cases
from inspect_cli.problems import Problem
from inspect_cli.read import Limits, ReadFailure, read_file
from inspect_cli.read import bounds as bounds_module
from inspect_cli.read import xlsx as xlsx_module
from tests.helpers.builders import (
    SHEET1,
    Table,
    add_cells,
    case_table,
    inline_cell,
    letter,
    mark_encrypted,
    repack,
    replace_bytes,
    rewrite_member,
    set_cell,
    write_csv,
    write_many_sheets,
    write_xlsx,
    write_xlsx_shared,
)
from tests.helpers.hostile import (
    ANSWER,
    ERROR_VARIANTS,
    FAR_CELLS,
    NS,
    error_cell_workbook,
    write_zip,
)
from tests.helpers.readers import assert_readers_agree

ROOT = Path(__file__).resolve().parents[1]
RELS = "xl/_rels/workbook.xml.rels"


def _load(fw: Framework, path: Path, agree: bool = True) -> LoadResult:
    """Load, after checking the fast reader reads what openpyxl reads (when it reads)."""
    try:
        read_file(path)
    except ReadFailure:
        agree = False
    if agree:
        assert_readers_agree(path)
    return load_cases([path], fw)


def _one(result: LoadResult, code: str, severity: str = "error") -> Problem:
    found = [p for p in result.problems if p.code == code]
    assert len(found) == 1, f"expected one {code!r}, got: {result.problems}"
    assert found[0].severity == severity, found[0]
    return found[0]


def _rows(result: LoadResult) -> set[int]:
    return {int(r) for r in result.cases["source_row"]}


def _refusal(path: Path, code: str, limits: Limits | None = None) -> Problem:
    with pytest.raises(ReadFailure) as caught:
        read_file(path, limits or Limits())
    assert caught.value.problem.code == code, caught.value.problem
    assert caught.value.problem.file == path.name
    return caught.value.problem


# --------------------------------------------------------------------------- error cells


@pytest.mark.parametrize("variant", sorted(ERROR_VARIANTS))
def test_error_cell_written_any_way_is_an_error(
    variant: str, fw: Framework, tmp_path: Path
) -> None:
    path, ref = error_cell_workbook(tmp_path / "cases.xlsx", fw, variant)
    assert read_file(path).sheets[0].error_cells == {(2, int(_col(ref))): "#N/A"}
    result = _load(fw, path, agree=variant != "prefixed elements")
    p = _one(result, "excel-error")
    assert (p.file, p.sheet, p.row, p.column) == ("cases.xlsx", "Cases", 3, ref[:-1])
    assert "#N/A" in p.message
    assert _rows(result) == {2, 4}


def _col(ref: str) -> int:
    from inspect_cli.read import column_index

    return column_index(ref.rstrip("0123456789"))


def test_error_cell_without_reference_follows_the_previous_cell(
    fw: Framework, tmp_path: Path
) -> None:
    """A cell without r is the column after the previous one, as the parser places it."""
    table = case_table(fw, 3)
    ref = f"{letter(table, ANSWER)}3"
    path = write_xlsx(tmp_path / "cases.xlsx", table, errors={ref: "#REF!"})
    rewrite_member(path, SHEET1, replace_bytes(f'<c r="{ref}" t="e">', '<c t="e">'))
    assert read_file(path).sheets[0].error_cells == {(2, _col(ref)): "#REF!"}
    result = _load(fw, path)
    p = _one(result, "excel-error")
    assert (p.row, p.column) == (3, ref[:-1])
    assert _rows(result) == {2, 4}


def test_rows_without_reference_follow_the_previous_row(fw: Framework, tmp_path: Path) -> None:
    table = case_table(fw, 3)
    ref = f"{letter(table, ANSWER)}4"
    path = write_xlsx(tmp_path / "cases.xlsx", table, errors={ref: "#DIV/0!"})
    rewrite_member(path, SHEET1, replace_bytes('<row r="4">', "<row>"))
    rewrite_member(path, SHEET1, replace_bytes(f'<c r="{ref}" t="e">', '<c t="e">'))
    # every cell of row 4 keeps its own r but the error cell: it follows its neighbour
    assert read_file(path).sheets[0].error_cells == {(3, _col(ref)): "#DIV/0!"}
    result = _load(fw, path)
    assert _one(result, "excel-error").row == 4
    assert _rows(result) == {2, 3}


def test_formula_without_value_written_with_single_quotes(fw: Framework, tmp_path: Path) -> None:
    table = case_table(fw, 2)
    ref = f"{letter(table, 'Child age')}3"
    path = write_xlsx(tmp_path / "cases.xlsx", table, formulas={ref: "=3+4"})
    rewrite_member(path, SHEET1, replace_bytes(f'<c r="{ref}"', f"<c r='{ref}'"))
    result = _load(fw, path)
    p = _one(result, "formula-no-value")
    assert (p.row, p.column) == (3, ref[:-1])
    assert _rows(result) == {2}


# --------------------------------------------------------------------------- merges


@pytest.mark.parametrize(
    "spelling", ['ref="{a}:{b}"', "ref='{a}:{b}'", 'ref = "{la}:{lb}"', "ref='{la}:{lb}'"]
)
def test_merged_answer_written_any_way_is_an_error(
    spelling: str, fw: Framework, tmp_path: Path
) -> None:
    """A merged 'No' reads as blank in the rows below it: those rows are errors."""
    table = set_cell(case_table(fw, 3), 2, ANSWER, "No")
    col = letter(table, ANSWER)
    a, b = f"{col}2", f"{col}4"
    path = write_xlsx(tmp_path / "cases.xlsx", table, merge=[f"{a}:{b}"])
    new = spelling.format(a=a, b=b, la=a.lower(), lb=b.lower())
    rewrite_member(path, SHEET1, replace_bytes(f'ref="{a}:{b}"', new))
    result = _load(fw, path)
    p = _one(result, "merged-cells")
    assert (p.row, p.column) == (2, col)
    assert f"{a}:{b}" in p.message
    assert _rows(result) == set()


def test_answers_merged_across_columns_are_an_error(fw: Framework, tmp_path: Path) -> None:
    table = case_table(fw, 3)
    col = letter(table, ANSWER)
    nxt = letter(table, table[0][_col(col) + 1])
    path = write_xlsx(tmp_path / "cases.xlsx", table, merge=[f"{col}3:{nxt}3"])
    result = _load(fw, path)
    p = _one(result, "merged-cells")
    assert (p.row, p.column) == (3, col)
    assert _rows(result) == {2, 4}


# --------------------------------------------------------------------------- reach

CHILD = """
import sys
from pathlib import Path
from inspect_cli.read import Limits, ReadFailure, read_file
try:
    read_file(Path(sys.argv[1]))
except ReadFailure as exc:
    print("refused", exc.problem.code, exc.problem.sheet)
else:
    print("read")
"""


def _child(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", CHILD, str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )


@pytest.mark.parametrize("variant", sorted(FAR_CELLS))
def test_far_cell_written_any_way_is_refused_not_aborted(
    variant: str, fw: Framework, tmp_path: Path
) -> None:
    path = write_xlsx(tmp_path / "far.xlsx", case_table(fw, 2))
    rewrite_member(path, SHEET1, add_cells(FAR_CELLS[variant]))
    run = _child(path)
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.stdout.split() == ["refused", "too-large", "Cases"]


def test_far_cell_behind_a_relationship_in_another_case(fw: Framework, tmp_path: Path) -> None:
    """The parser finds parts ignoring letter case: so must the checks."""
    path = write_xlsx(tmp_path / "far.xlsx", case_table(fw, 2))
    rewrite_member(path, SHEET1, add_cells(inline_cell("XFD1048576", "x")))
    rewrite_member(
        path, RELS, replace_bytes("/xl/worksheets/sheet1.xml", "/xl/worksheets/SHEET1.XML")
    )
    run = _child(path)
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.stdout.split() == ["refused", "too-large", "Cases"]


def test_relationship_in_another_case_reads_the_sheet(fw: Framework, tmp_path: Path) -> None:
    """The parser reads this sheet, so it is checked and read."""
    path = write_xlsx(tmp_path / "cases.xlsx", case_table(fw, 2))
    rewrite_member(path, RELS, replace_bytes("/xl/worksheets/sheet1.xml", "worksheets/SHEET1.xml"))
    result = _load(fw, path, agree=False)  # openpyxl cannot find the sheet at all
    assert result.ok
    assert _rows(result) == {2, 3}


def test_cells_without_reference_reaching_past_the_column_limit(
    fw: Framework, tmp_path: Path
) -> None:
    path = write_xlsx(tmp_path / "wide.xlsx", case_table(fw, 2))
    implied = "<c><v>1</v></c>" * 10
    rewrite_member(path, SHEET1, add_cells(f'<row r="9"><c r="ALL9"><v>1</v></c>{implied}</row>'))
    p = _refusal(path, "too-large")
    assert p.sheet == "Cases"
    assert "ALV9" in p.message  # column 1,010: where the parser would put the last cell


def test_sheet_pointing_at_a_missing_part_is_refused(fw: Framework, tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "cases.xlsx", case_table(fw, 2))
    rewrite_member(
        path, RELS, replace_bytes("/xl/worksheets/sheet1.xml", "/XL/worksheets/sheet1.xml")
    )
    p = _refusal(path, "corrupt-workbook")
    assert p.sheet == "Cases"
    assert "xl//XL/worksheets/sheet1.xml" in p.message


def test_huge_dimension_is_harmless(fw: Framework, tmp_path: Path) -> None:
    """The parser reserves room for at most 100,000 cells whatever <dimension> says."""
    path = write_xlsx(tmp_path / "dim.xlsx", case_table(fw, 2))
    rewrite_member(
        path,
        SHEET1,
        lambda xml: xml.replace(b'<dimension ref="A1:BM3"', b'<dimension ref="A1:XFD1048576"'),
    )
    run = _child(path)
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.stdout.split() == ["read"]


def test_cli_on_a_far_cell_exits_1_without_a_backtrace(fw: Framework, tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "far.xlsx", case_table(fw, 2))
    rewrite_member(path, SHEET1, add_cells(FAR_CELLS["spaces around ="]))
    run = subprocess.run(
        [sys.executable, "-m", "inspect_cli", "validate", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert run.returncode == 1, (run.returncode, run.stderr[-2000:])
    for mark in ("panicked", "backtrace", "Traceback"):
        assert mark not in run.stderr + run.stdout
    assert "far.xlsx" in run.stdout + run.stderr


def test_excel_written_sheets_take_the_fast_scan(monkeypatch: pytest.MonkeyPatch) -> None:
    """The careful scan is for unusual files only: the samples never need it."""

    def refuse(*_: object) -> None:
        raise AssertionError("careful scan used on an ordinary workbook")

    monkeypatch.setattr(bounds_module, "careful_scan", refuse)
    samples = sorted((ROOT / "sample_cases").rglob("*.xlsx"))
    assert samples
    for path in samples:
        read_file(path)


# --------------------------------------------------------------------------- hidden rows


@pytest.mark.parametrize("spelling", ['hidden="1"', "hidden='true'", 'hidden = "1"'])
def test_cases_in_hidden_rows_are_named(spelling: str, fw: Framework, tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "cases.xlsx", case_table(fw, 4))
    for row in (3, 5):
        rewrite_member(path, SHEET1, replace_bytes(f'<row r="{row}"', f'<row r="{row}" {spelling}'))
    result = _load(fw, path)
    p = _one(result, "hidden-rows", "warning")
    assert (p.file, p.sheet) == ("cases.xlsx", "Cases")
    assert "3, 5" in p.message
    assert _rows(result) == {2, 3, 4, 5}


# --------------------------------------------------------------------------- packages


def test_part_stored_twice_is_refused(fw: Framework, tmp_path: Path) -> None:
    path = repack(write_xlsx(tmp_path / "twice.xlsx", case_table(fw, 2)), twice=SHEET1)
    assert SHEET1 in _refusal(path, "duplicate-part").message


def test_part_stored_twice_in_two_letter_cases_is_refused(fw: Framework, tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "twice.xlsx", case_table(fw, 2))
    with zipfile.ZipFile(path) as zf:
        sheet = zf.read(SHEET1)
    repack(path, extra={SHEET1.upper(): sheet})
    _refusal(path, "duplicate-part")


def test_two_sheets_with_one_name_are_refused(fw: Framework, tmp_path: Path) -> None:
    sheets = {"Cases": case_table(fw, 2), "Archive": case_table(fw, 2, first=10)}
    path = write_xlsx(tmp_path / "names.xlsx", sheets)
    rewrite_member(path, "xl/workbook.xml", replace_bytes('name="Archive"', 'name="CASES"'))
    p = _refusal(path, "duplicate-sheet-name")
    assert p.sheet == "CASES"
    assert "'Cases'" in p.message


@pytest.mark.parametrize(
    ("method", "why"), [(zipfile.ZIP_LZMA, "LZMA"), (zipfile.ZIP_BZIP2, "bzip2")]
)
def test_part_compressed_as_excel_never_does_is_refused(
    method: int, why: str, fw: Framework, tmp_path: Path
) -> None:
    path = repack(write_xlsx(tmp_path / "odd.xlsx", case_table(fw, 2)), methods={SHEET1: method})
    p = _refusal(path, "unreadable-part")
    assert SHEET1 in p.message and why in p.message


def test_encrypted_part_is_refused(fw: Framework, tmp_path: Path) -> None:
    path = mark_encrypted(write_xlsx(tmp_path / "locked.xlsx", case_table(fw, 2)), SHEET1)
    assert "encrypted" in _refusal(path, "unreadable-part").message


def test_damaged_lzma_part_is_refused_not_a_crash(fw: Framework, tmp_path: Path) -> None:
    path = repack(
        write_xlsx(tmp_path / "odd.xlsx", case_table(fw, 2)),
        methods={"docProps/app.xml": zipfile.ZIP_LZMA},
    )
    _refusal(path, "unreadable-part")


@pytest.mark.parametrize(
    ("old", "new"),
    [("<v>3</v>", "<v>999</v>"), ("<v>3</v>", "<v>x3</v>"), ("<v>3</v>", "<v>-1</v>")],
)
def test_broken_shared_string_index_is_refused(
    old: str, new: str, fw: Framework, tmp_path: Path
) -> None:
    path = write_xlsx_shared(tmp_path / "shared.xlsx", case_table(fw, 2))
    assert _load(fw, path).ok  # as written, it reads
    rewrite_member(path, SHEET1, lambda xml: xml.replace(old.encode(), new.encode(), 1))
    p = _refusal(path, "bad-shared-string")
    assert p.sheet == "Cases"


def test_shared_strings_written_with_spaces_still_checked(fw: Framework, tmp_path: Path) -> None:
    path = write_xlsx_shared(tmp_path / "shared.xlsx", case_table(fw, 2))
    rewrite_member(
        path,
        SHEET1,
        lambda xml: xml.replace(b't="s"', b't = "s"').replace(b"<v>3</v>", b"<v>9999</v>", 1),
    )
    _refusal(path, "bad-shared-string")


def test_many_sheets_refused_early(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Refused from the list of sheets: no sheet is opened (no test asserts a time)."""

    def refuse(*_: object) -> bool:
        raise AssertionError("a sheet was scanned before the sheet count was checked")

    monkeypatch.setattr(xlsx_module, "bound_sheet", refuse)
    path = write_many_sheets(tmp_path / "many.xlsx", 3_000)
    p = _refusal(path, "too-large")
    assert "3,000 sheets" in p.message and "--max-sheets" in p.message


def test_many_sheets_under_a_raised_limit_are_read(tmp_path: Path) -> None:
    path = write_many_sheets(tmp_path / "many.xlsx", 400)
    _refusal(path, "too-large")
    assert len(read_file(path, Limits(max_sheets=400)).sheets) == 400


# --------------------------------------------------------------------------- what it really is


def test_opendocument_named_xlsx(tmp_path: Path) -> None:
    path = write_zip(
        tmp_path / "cases.xlsx",
        {"mimetype": b"application/vnd.oasis.opendocument.spreadsheet", "content.xml": b"<x/>"},
    )
    assert "OpenDocument spreadsheet (.ods)" in _refusal(path, "unsupported-format").message


def test_xlsb_named_xlsx(tmp_path: Path) -> None:
    path = write_zip(
        tmp_path / "cases.xlsx",
        {"xl/workbook.bin": b"\x00" * 10, "[Content_Types].xml": b"<Types/>"},
    )
    assert ".xlsb" in _refusal(path, "unsupported-format").message


def test_strict_open_xml(fw: Framework, tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "strict.xlsx", case_table(fw, 2))
    strict = "http://purl.oclc.org/ooxml/spreadsheetml/main"
    rewrite_member(path, "xl/workbook.xml", replace_bytes(NS, strict))
    assert "Strict Open XML" in _refusal(path, "unsupported-format").message


def _table(fw: Framework) -> Table:
    return case_table(fw, 2)


def test_utf32_csv(fw: Framework, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "cases.csv", _table(fw), encoding="utf-32")
    assert path.read_bytes().startswith(codecs.BOM_UTF32_LE)
    assert "UTF-32" in _refusal(path, "encoding-error").message


def test_utf8_mark_over_windows_1252_csv(fw: Framework, tmp_path: Path) -> None:
    table = set_cell(_table(fw), 2, "Auditor", "Zoë Brontë")
    path = write_csv(tmp_path / "cases.csv", table, encoding="cp1252", bom=True)
    message = _refusal(path, "encoding-error").message
    assert "UTF-8 byte-order mark" in message and "Windows-1252" in message

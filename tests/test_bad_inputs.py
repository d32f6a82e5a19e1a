"""Hostile and broken inputs: the loader never raises, and says what is wrong and where.

Every file is built at test time by ``tests/builders.py``. The cases follow the
numbered list in section 7 of the reliability findings (file level, header
structure, rows and cells, CSV dialects), plus framework files.

Each bad-input test checks: ``load_cases`` returns; the right problem code and
severity; the problem's file, sheet, Excel row and column letter; for data
problems, that the message says what was expected; and that no case from a bad
row is in ``.cases``.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from inspect_cli.errors import FrameworkError
from inspect_cli.frameworks import Framework, load_framework_file
from inspect_cli.load import LoadResult, load_cases
from inspect_cli.problems import Problem
from inspect_cli.read import Limits, ReadFailure, read_file
from tests.helpers.builders import (
    SHEET1,
    Table,
    add_cells,
    add_column,
    billion_laughs_dtd,
    cache_formula_value,
    case_table,
    drop_column,
    fake_ole2,
    flip_byte_in_member,
    inline_cell,
    insert_rows,
    letter,
    lie_about_size,
    rename_column,
    replace_bytes,
    rewrite_member,
    set_cell,
    stage_labels,
    truncate,
    with_doctype,
    write_csv,
    write_lines,
    write_xlsx,
    xxe_dtd,
)
from tests.helpers.readers import assert_readers_agree

ROOT = Path(__file__).resolve().parents[1]
FRAMEWORK_FILE = ROOT / "frameworks" / "ncpi-2014.yaml"
ALLOWED_ANSWERS = "Yes, Partly, No, Not applicable"

# --------------------------------------------------------------------------- helpers


@pytest.fixture
def load(fw: Framework) -> Callable[..., LoadResult]:
    def run(*paths: Path) -> LoadResult:
        for path in paths:  # every readable workbook of the catalogue: fast reader = careful one
            if path.is_file() and path.suffix == ".xlsx" and _readable(path):
                assert_readers_agree(path)
        return load_cases(list(paths), fw)

    return run


@pytest.fixture
def no_parser(monkeypatch: pytest.MonkeyPatch) -> None:
    """Refused before any parser sees the file: opening it with the parser fails the test."""

    def refuse(*_: object) -> None:
        raise AssertionError("the parser was given a file the pre-flight should refuse")

    monkeypatch.setattr("inspect_cli.read.xlsx.open_workbook", refuse)


def _readable(path: Path) -> bool:
    try:
        read_file(path)
    except ReadFailure:
        return False
    return True


def problem(result: LoadResult, code: str, severity: str = "error") -> Problem:
    """The one problem with ``code``; it must have ``severity``."""
    found = [p for p in result.problems if p.code == code]
    assert len(found) == 1, f"expected one {code!r}, got: {result.problems}"
    assert found[0].severity == severity, found[0]
    return found[0]


def located(
    p: Problem,
    file: str,
    sheet: str | None = None,
    row: int | None = None,
    column: str | None = None,
) -> Problem:
    assert (p.file, p.sheet, p.row, p.column) == (file, sheet, row, column), p
    return p


def loaded_rows(result: LoadResult, file: str) -> set[int]:
    cases = result.cases
    return {int(r) for r in cases.loc[cases["source_file"] == file, "source_row"]}


def assert_rejected(result: LoadResult, file: str, *rows: int) -> None:
    """The rows are not cases, and are listed as rejected."""
    assert not loaded_rows(result, file) & set(rows)
    rejected = result.rejected
    listed = set(rejected.loc[rejected["source_file"] == file, "source_row"].astype(int))
    assert set(rows) <= listed


def write(kind: str, path: Path, table: Table) -> Path:
    """Write ``table`` as ``<path>.<kind>``: 'xlsx' or 'csv'."""
    target = path.with_suffix(f".{kind}")
    return write_xlsx(target, table) if kind == "xlsx" else write_csv(target, table)


SHEET = {"xlsx": "Cases", "csv": None}
KINDS = pytest.mark.parametrize("kind", ["xlsx", "csv"])


# --------------------------------------------------------------------------- A. files


def test_missing_path(load: Callable[..., LoadResult], tmp_path: Path) -> None:
    path = tmp_path / "nowhere.xlsx"
    result = load(path)
    p = located(problem(result, "file-not-found"), "nowhere.xlsx")
    assert str(path) in p.message
    assert result.cases.empty


def test_folder_without_case_files(load: Callable[..., LoadResult], tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("not a case file")
    result = load(tmp_path)
    located(problem(result, "no-input-files"), str(tmp_path))
    assert result.cases.empty


def test_excel_lock_file_is_skipped(
    fw: Framework, load: Callable[..., LoadResult], tmp_path: Path
) -> None:
    write_xlsx(tmp_path / "cases.xlsx", case_table(fw, 3))
    (tmp_path / "~$cases.xlsx").write_bytes(b"\x0bA. Auditor" + b"\x00" * 150)
    result = load(tmp_path)
    located(problem(result, "lock-file", "note"), "~$cases.xlsx")
    assert result.ok
    assert loaded_rows(result, "cases.xlsx") == {2, 3, 4}


@KINDS
def test_empty_file(kind: str, load: Callable[..., LoadResult], tmp_path: Path) -> None:
    path = tmp_path / f"empty.{kind}"
    path.write_bytes(b"")
    result = load(path)
    p = located(problem(result, "file-empty"), path.name)
    assert "empty" in p.message
    assert result.cases.empty


@KINDS
def test_header_only(
    kind: str, fw: Framework, load: Callable[..., LoadResult], tmp_path: Path
) -> None:
    path = write(kind, tmp_path / "header_only", case_table(fw, 0))
    result = load(path)
    p = located(problem(result, "no-cases"), path.name, SHEET[kind])
    assert "no cases" in p.message
    assert result.cases.empty


@KINDS
def test_no_header_row(kind: str, load: Callable[..., LoadResult], tmp_path: Path) -> None:
    table: Table = [["Minutes of the audit meeting"], ["Present:", "A. Smith"], ["Apologies"]]
    path = write(kind, tmp_path / "notes", table)
    result = load(path)
    p = located(problem(result, "header-not-found"), path.name)
    assert "Case reference" in p.message
    assert result.cases.empty


def test_password_protected_workbook(load: Callable[..., LoadResult], tmp_path: Path) -> None:
    path = fake_ole2(tmp_path / "locked.xlsx", encrypted=True)
    result = load(path)
    p = located(problem(result, "encrypted-workbook"), "locked.xlsx")
    assert "password" in p.message


@pytest.mark.parametrize("name", ["old.xlsx", "old.xls"])
def test_legacy_xls(name: str, load: Callable[..., LoadResult], tmp_path: Path) -> None:
    path = fake_ole2(tmp_path / name, encrypted=False)
    result = load(path)
    p = located(problem(result, "legacy-xls"), name)
    assert ".xlsx" in p.message


def test_legacy_xls_in_folder_is_reported(
    fw: Framework, load: Callable[..., LoadResult], tmp_path: Path
) -> None:
    write_xlsx(tmp_path / "cases.xlsx", case_table(fw, 2))
    fake_ole2(tmp_path / "old.xls", encrypted=False)
    result = load(tmp_path)
    located(problem(result, "legacy-xls"), "old.xls")


def test_csv_renamed_xlsx(fw: Framework, load: Callable[..., LoadResult], tmp_path: Path) -> None:
    path = write_csv(tmp_path / "cases.xlsx", case_table(fw, 2))
    result = load(path)
    p = located(problem(result, "unsupported-format"), "cases.xlsx")
    assert "CSV" in p.message
    assert result.cases.empty


def _truncated(path: Path) -> Path:
    return truncate(path)


def _flipped(path: Path) -> Path:
    return flip_byte_in_member(path, SHEET1)


def _no_workbook_xml(path: Path) -> Path:
    return rewrite_member(path, "xl/workbook.xml", None)


@pytest.mark.parametrize(
    "damage",
    [_truncated, _flipped, _no_workbook_xml],
    ids=["truncated", "flipped-byte", "no-workbook-xml"],
)
def test_corrupt_workbook(
    damage: Callable[[Path], Path],
    fw: Framework,
    load: Callable[..., LoadResult],
    tmp_path: Path,
) -> None:
    path = damage(write_xlsx(tmp_path / "cases.xlsx", case_table(fw, 30)))
    result = load(path)
    located(problem(result, "corrupt-workbook"), "cases.xlsx")
    assert result.cases.empty


MARKER = "SECRET-MARKER-7f3c1d"


@pytest.mark.parametrize(
    ("attack", "member"),
    [
        ("billion-laughs", SHEET1),
        ("xxe", SHEET1),
        ("billion-laughs", "xl/workbook.xml"),
    ],
    ids=["billion-laughs", "xxe", "billion-laughs-in-workbook-xml"],
)
def test_xml_entity_attack(
    attack: str,
    member: str,
    fw: Framework,
    load: Callable[..., LoadResult],
    tmp_path: Path,
    no_parser: None,
) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text(MARKER)
    if attack == "billion-laughs":
        dtd, entity = billion_laughs_dtd(), "lol9"
    else:
        dtd, entity = xxe_dtd(secret), "xxe"
    path = write_xlsx(tmp_path / "cases.xlsx", case_table(fw, 3))
    rewrite_member(path, member, with_doctype(dtd, entity if member == SHEET1 else None))
    result = load(path)
    p = located(problem(result, "unsafe-content"), "cases.xlsx")
    assert member in p.message
    assert result.cases.empty
    assert not any(MARKER in q.message for q in result.problems)


@pytest.mark.parametrize("used", [True, False], ids=["entity-used", "entity-declared-only"])
def test_dtd_after_long_comment_is_unsafe(
    used: bool, fw: Framework, load: Callable[..., LoadResult], tmp_path: Path
) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text(MARKER)
    path = write_xlsx(tmp_path / "cases.xlsx", case_table(fw, 3))
    entity = "xxe" if used else None
    rewrite_member(path, SHEET1, with_doctype(xxe_dtd(secret), entity, padding=6000))
    result = load(path)
    located(problem(result, "unsafe-content"), "cases.xlsx")
    assert not any(MARKER in q.message for q in result.problems)


def test_decompression_bomb(
    fw: Framework, load: Callable[..., LoadResult], tmp_path: Path, no_parser: None
) -> None:
    path = write_xlsx(tmp_path / "bomb.xlsx", case_table(fw, 3))
    rewrite_member(path, SHEET1, add_cells(inline_cell("A10", "A" * 60_000_000)), level=9)
    assert path.stat().st_size < 200_000
    result = load(path)
    p = located(problem(result, "too-large"), "bomb.xlsx")
    assert "decompression bomb" in p.message
    assert result.cases.empty


def test_declared_size_lie(
    fw: Framework, load: Callable[..., LoadResult], tmp_path: Path, no_parser: None
) -> None:
    """The zip says the 60 MB sheet unpacks to 10 KB, slipping under the ratio check."""
    path = write_xlsx(tmp_path / "liar.xlsx", case_table(fw, 3))
    rewrite_member(path, SHEET1, add_cells(inline_cell("A10", "A" * 60_000_000)), level=9)
    lie_about_size(path, SHEET1, 10_000)
    result = load(path)
    p = located(problem(result, "corrupt-workbook"), "liar.xlsx")
    assert SHEET1 in p.message
    assert result.cases.empty


SUBPROCESS_LOAD = """
import sys
from pathlib import Path
from inspect_cli.frameworks import resolve_framework
from inspect_cli.load import load_cases
result = load_cases([Path(sys.argv[1])], resolve_framework("ncpi-2014"))
for p in result.problems:
    print(p.code, p.severity, p.file, p.sheet, sep="|")
print("cases", len(result.cases))
"""


def test_sparse_far_cell_does_not_crash(fw: Framework, tmp_path: Path) -> None:
    """calamine aborts the interpreter on this file, so load it in a child process."""
    path = write_xlsx(tmp_path / "far.xlsx", case_table(fw, 3))
    rewrite_member(path, SHEET1, add_cells(inline_cell("XFD1048576", "x")))
    assert path.stat().st_size < 20_000
    run = subprocess.run(
        [sys.executable, "-c", SUBPROCESS_LOAD, str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    assert "too-large|error|far.xlsx|Cases" in run.stdout.splitlines()
    assert "cases 0" in run.stdout


@KINDS
def test_more_rows_than_the_limit(kind: str, fw: Framework, tmp_path: Path) -> None:
    path = write(kind, tmp_path / "cases", case_table(fw, 30))
    result = load_cases([path], fw, limits=Limits(max_rows=20))
    p = located(problem(result, "too-large"), path.name, SHEET[kind])
    assert "20 rows" in p.message
    assert result.cases.empty


# --------------------------------------------------------------------------- B. headers


@pytest.mark.parametrize(
    "heading", [" case REFERENCE ", "Case\xa0reference", "CASE_REF", "case ref"]
)
def test_header_spelling_variants(
    heading: str, fw: Framework, load: Callable[..., LoadResult], tmp_path: Path
) -> None:
    table = rename_column(case_table(fw, 2), "Case reference", heading)
    result = load(write_xlsx(tmp_path / "cases.xlsx", table))
    assert result.ok, result.problems
    assert list(result.cases["case_ref"]) == ["C0001", "C0002"]


def test_zero_width_space_in_header(
    fw: Framework, load: Callable[..., LoadResult], tmp_path: Path
) -> None:
    table = rename_column(case_table(fw, 2), "Case reference", "Case\u200breference")
    result = load(write_xlsx(tmp_path / "cases.xlsx", table))
    p = located(problem(result, "missing-column"), "cases.xlsx", "Cases")
    assert "closest column present is 'Case\\u200breference'" in p.message  # shown, not hidden
    assert_rejected(result, "cases.xlsx", 2, 3)


def test_missing_required_column(
    fw: Framework, load: Callable[..., LoadResult], tmp_path: Path
) -> None:
    path = write_xlsx(tmp_path / "cases.xlsx", drop_column(case_table(fw, 2), "Case reference"))
    result = load(path)
    p = located(problem(result, "missing-column"), "cases.xlsx", "Cases")
    assert "Case reference" in p.message
    assert_rejected(result, "cases.xlsx", 2, 3)


def test_missing_required_column_names_closest(
    fw: Framework, load: Callable[..., LoadResult], tmp_path: Path
) -> None:
    table = rename_column(case_table(fw, 2), "Case reference", "Case ref.")
    result = load(write_xlsx(tmp_path / "cases.xlsx", table))
    p = located(problem(result, "missing-column"), "cases.xlsx", "Cases")
    assert "Case reference" in p.message
    assert "closest column present is 'Case ref.'" in p.message
    assert_rejected(result, "cases.xlsx", 2, 3)


def test_unknown_column_is_a_note(
    fw: Framework, load: Callable[..., LoadResult], tmp_path: Path
) -> None:
    table = add_column(case_table(fw, 2), "Team notes", ["see file"])
    result = load(write_xlsx(tmp_path / "cases.xlsx", table))
    p = problem(result, "unknown-column", "note")
    located(p, "cases.xlsx", "Cases", None, letter(table, "Team notes"))
    assert "Team notes" in p.message
    assert result.ok
    assert loaded_rows(result, "cases.xlsx") == {2, 3}


def test_duplicate_header(fw: Framework, load: Callable[..., LoadResult], tmp_path: Path) -> None:
    where = letter(case_table(fw, 2), "Auditor")
    table = rename_column(case_table(fw, 2), "Auditor", "Force")
    result = load(write_xlsx(tmp_path / "cases.xlsx", table))
    p = located(problem(result, "duplicate-column"), "cases.xlsx", "Cases", 1, where)
    assert "B (Force)" in p.message
    assert f"{where} (Force)" in p.message
    assert_rejected(result, "cases.xlsx", 2, 3)


def test_merged_header_cells(
    fw: Framework, load: Callable[..., LoadResult], tmp_path: Path
) -> None:
    table = add_column(case_table(fw, 2), "", [])  # an empty column to merge into
    last = letter(table, "")
    before = letter(table, table[0][-2])
    path = write_xlsx(tmp_path / "cases.xlsx", table, merge=[f"{before}1:{last}1"])
    result = load(path)
    p = located(problem(result, "merged-header"), "cases.xlsx", "Cases", 1)
    assert f"{before}1:{last}1" in p.message
    assert_rejected(result, "cases.xlsx", 2, 3)


def test_merged_header_over_data(
    fw: Framework, load: Callable[..., LoadResult], tmp_path: Path
) -> None:
    path = write_xlsx(tmp_path / "cases.xlsx", case_table(fw, 2), merge=["A1:B1"])
    result = load(path)
    p = located(problem(result, "merged-header"), "cases.xlsx", "Cases", 1)
    assert "A1:B1" in p.message
    assert_rejected(result, "cases.xlsx", 2, 3)


def test_blank_header_over_data(
    fw: Framework, load: Callable[..., LoadResult], tmp_path: Path
) -> None:
    table = add_column(case_table(fw, 2), "", ["stray note"])
    result = load(write_xlsx(tmp_path / "cases.xlsx", table))
    column = letter(table, "")
    p = located(problem(result, "blank-header"), "cases.xlsx", "Cases", 1, column)
    assert f"column {column} has values but no header" in p.message
    assert_rejected(result, "cases.xlsx", 2, 3)


def test_title_block_above_header(
    fw: Framework, load: Callable[..., LoadResult], tmp_path: Path
) -> None:
    table = insert_rows(case_table(fw, 2), 1, [["Case audit: Force X"], ["March 2024"], []])
    result = load(write_xlsx(tmp_path / "cases.xlsx", table))
    p = located(problem(result, "header-row", "note"), "cases.xlsx", "Cases", 4)
    assert "row 4" in p.message
    assert result.ok
    assert loaded_rows(result, "cases.xlsx") == {5, 6}
    assert list(result.cases["case_ref"]) == ["C0001", "C0002"]


# --------------------------------------------------------------------------- C. rows and cells


def test_blank_rows_between_cases(
    fw: Framework, load: Callable[..., LoadResult], tmp_path: Path
) -> None:
    table = insert_rows(case_table(fw, 3), 3, [[], []])
    result = load(write_xlsx(tmp_path / "cases.xlsx", table))
    p = located(problem(result, "blank-rows", "note"), "cases.xlsx", "Cases")
    assert "3, 4" in p.message
    assert result.ok
    assert loaded_rows(result, "cases.xlsx") == {2, 5, 6}


def test_missing_case_reference(
    fw: Framework, load: Callable[..., LoadResult], tmp_path: Path
) -> None:
    table = set_cell(case_table(fw, 3), 3, "Case reference", "")
    result = load(write_xlsx(tmp_path / "cases.xlsx", table))
    p = located(problem(result, "missing-value"), "cases.xlsx", "Cases", 3, "A")
    assert "Case reference is blank" in p.message
    assert_rejected(result, "cases.xlsx", 3)
    assert loaded_rows(result, "cases.xlsx") == {2, 4}


def test_merged_cells_across_rows(
    fw: Framework, load: Callable[..., LoadResult], tmp_path: Path
) -> None:
    table = set_cell(case_table(fw, 3), 3, "Auditor", "A. Smith")
    column = letter(table, "Auditor")
    result = load(write_xlsx(tmp_path / "cases.xlsx", table, merge=[f"{column}3:{column}4"]))
    p = located(problem(result, "merged-cells"), "cases.xlsx", "Cases", 3, column)
    assert f"{column}3:{column}4" in p.message
    assert_rejected(result, "cases.xlsx", 3, 4)
    assert loaded_rows(result, "cases.xlsx") == {2}


@KINDS
def test_unknown_response(
    kind: str, fw: Framework, load: Callable[..., LoadResult], tmp_path: Path
) -> None:
    table = set_cell(case_table(fw, 3), 3, "Prompt attendance", "Yse")
    path = write(kind, tmp_path / "cases", table)
    result = load(path)
    p = problem(result, "unknown-response")
    located(p, path.name, SHEET[kind], 3, letter(table, "Prompt attendance"))
    assert p.header == "Prompt attendance"
    assert "'Yse'" in p.message
    assert f"expected one of: {ALLOWED_ANSWERS}" in p.message
    assert_rejected(result, path.name, 3)
    assert loaded_rows(result, path.name) == {2, 4}


def test_typo_in_overall_grade(
    fw: Framework, load: Callable[..., LoadResult], tmp_path: Path
) -> None:
    table = set_cell(case_table(fw, 2), 2, "Overall grade", "Goood")
    result = load(write_xlsx(tmp_path / "cases.xlsx", table))
    p = problem(result, "invalid-value")
    located(p, "cases.xlsx", "Cases", 2, letter(table, "Overall grade"))
    assert "expected Excellent, Good, Adequate, Requires improvement, Poor, Inadequate" in (
        p.message
    )
    assert_rejected(result, "cases.xlsx", 2)
    assert loaded_rows(result, "cases.xlsx") == {3}


GOOD_TEXT_VALUES = [
    ("Child age", "7", "child_age", 7),
    ("Child age", " 12 ", "child_age", 12),
    ("Audit date", "05/03/2024", "audit_date", dt.datetime(2024, 3, 5)),
    ("Audit date", "2024-03-05", "audit_date", dt.datetime(2024, 3, 5)),
]


@KINDS
@pytest.mark.parametrize(("label", "text", "field", "expected"), GOOD_TEXT_VALUES)
def test_number_or_date_stored_as_text_loads(
    kind: str,
    label: str,
    text: str,
    field: str,
    expected: object,
    fw: Framework,
    load: Callable[..., LoadResult],
    tmp_path: Path,
) -> None:
    path = write(kind, tmp_path / "cases", set_cell(case_table(fw, 1), 2, label, text))
    result = load(path)
    assert result.ok, result.problems
    assert result.cases.at[0, field] == expected


BAD_TEXT_VALUES = [
    ("Child age", "seven", "a whole number of years from 0 to 17"),
    ("Child age", "19", "a whole number of years from 0 to 17"),
    ("Audit date", "2024-13-45", "a date"),
    ("Audit date", "next Tuesday", "a date"),
]


@KINDS
@pytest.mark.parametrize(("label", "text", "expected"), BAD_TEXT_VALUES)
def test_number_or_date_that_is_not(
    kind: str,
    label: str,
    text: str,
    expected: str,
    fw: Framework,
    load: Callable[..., LoadResult],
    tmp_path: Path,
) -> None:
    table = set_cell(case_table(fw, 2), 3, label, text)
    path = write(kind, tmp_path / "cases", table)
    result = load(path)
    p = located(problem(result, "type-error"), path.name, SHEET[kind], 3, letter(table, label))
    assert f"expected {expected}" in p.message
    if label == "Audit date":  # dates may identify a child: never echoed
        assert text not in p.message
    assert_rejected(result, path.name, 3)
    assert loaded_rows(result, path.name) == {2}


@pytest.mark.parametrize(
    ("label", "error"), [("Child age", "#N/A"), ("Prompt attendance", "#REF!")]
)
def test_excel_error_value(
    label: str, error: str, fw: Framework, load: Callable[..., LoadResult], tmp_path: Path
) -> None:
    table = case_table(fw, 2)
    cell = f"{letter(table, label)}3"
    result = load(write_xlsx(tmp_path / "cases.xlsx", table, errors={cell: error}))
    p = problem(result, "excel-error")
    located(p, "cases.xlsx", "Cases", 3, letter(table, label))
    assert error in p.message
    assert_rejected(result, "cases.xlsx", 3)
    assert loaded_rows(result, "cases.xlsx") == {2}


def test_formula_without_cached_value(
    fw: Framework, load: Callable[..., LoadResult], tmp_path: Path
) -> None:
    table = case_table(fw, 2)
    cell = f"{letter(table, 'Child age')}3"
    result = load(write_xlsx(tmp_path / "cases.xlsx", table, formulas={cell: "=3+4"}))
    p = problem(result, "formula-no-value")
    located(p, "cases.xlsx", "Cases", 3, letter(table, "Child age"))
    assert "no calculated value" in p.message
    assert_rejected(result, "cases.xlsx", 3)
    assert loaded_rows(result, "cases.xlsx") == {2}


def test_formula_with_cached_value(
    fw: Framework, load: Callable[..., LoadResult], tmp_path: Path
) -> None:
    table = case_table(fw, 2)
    cell = f"{letter(table, 'Child age')}3"
    path = write_xlsx(tmp_path / "cases.xlsx", table, formulas={cell: "=3+4"})
    rewrite_member(path, SHEET1, cache_formula_value(cell, "7"))
    result = load(path)
    p = located(problem(result, "formula-cached", "note"), "cases.xlsx", "Cases")
    assert cell in p.message
    assert result.ok
    ages = result.cases.set_index("source_row")["child_age"]
    assert ages[3] == 7


def test_hidden_sheet_with_cases(
    fw: Framework, load: Callable[..., LoadResult], tmp_path: Path
) -> None:
    sheets = {"Cases": case_table(fw, 2), "Archive": case_table(fw, 2, first=10)}
    result = load(write_xlsx(tmp_path / "cases.xlsx", sheets, hidden=["Archive"]))
    located(problem(result, "hidden-sheet", "warning"), "cases.xlsx", "Archive")
    assert result.ok
    assert sorted(result.cases["case_ref"]) == ["C0001", "C0002", "C0010", "C0011"]


def test_several_sheets_of_cases(
    fw: Framework, load: Callable[..., LoadResult], tmp_path: Path
) -> None:
    sheets = {"North": case_table(fw, 2), "South": case_table(fw, 3, first=20)}
    result = load(write_xlsx(tmp_path / "cases.xlsx", sheets))
    assert result.ok, result.problems
    by_sheet = result.cases.groupby("source_sheet")["case_ref"].apply(list).to_dict()
    assert by_sheet == {"North": ["C0001", "C0002"], "South": ["C0020", "C0021", "C0022"]}


@KINDS
def test_very_long_text(
    kind: str, fw: Framework, load: Callable[..., LoadResult], tmp_path: Path
) -> None:
    table = case_table(fw, 2)
    label = "Investigation comment"
    long_text = "x" * 40_000
    if kind == "csv":
        path = write_csv(tmp_path / "cases.csv", set_cell(table, 2, label, long_text))
    else:  # openpyxl cuts text at 32,767 characters, so put it in the sheet XML
        path = write_xlsx(tmp_path / "cases.xlsx", set_cell(table, 2, label, "LONG-TEXT"))
        rewrite_member(path, SHEET1, replace_bytes("LONG-TEXT", long_text))
    result = load(path)
    p = problem(result, "text-too-long", "warning")
    located(p, path.name, SHEET[kind], 2, letter(table, label))
    assert "40,000" in p.message
    assert result.ok
    assert loaded_rows(result, path.name) == {2, 3}


@KINDS
def test_non_latin_names(
    kind: str, fw: Framework, load: Callable[..., LoadResult], tmp_path: Path
) -> None:
    table = case_table(fw, 2)
    set_cell(table, 2, "Force", "Сила Ж")
    set_cell(table, 3, "Force", "警察")
    set_cell(table, 3, "Case reference", "事件-7")
    result = load(write(kind, tmp_path / "cases", table))
    assert result.ok, result.problems
    assert list(result.cases["force"]) == ["Сила Ж", "警察"]
    assert list(result.cases["case_ref"]) == ["C0001", "事件-7"]


def test_duplicate_case_in_one_file(
    fw: Framework, load: Callable[..., LoadResult], tmp_path: Path
) -> None:
    table = set_cell(case_table(fw, 3), 4, "Case reference", "C0001")
    result = load(write_xlsx(tmp_path / "cases.xlsx", table))
    p = located(problem(result, "duplicate-case"), "cases.xlsx", "Cases", 4)
    assert "first seen at cases.xlsx, sheet 'Cases', row 2" in p.message
    assert_rejected(result, "cases.xlsx", 4)
    assert loaded_rows(result, "cases.xlsx") == {2, 3}


def test_same_case_in_two_files(
    fw: Framework, load: Callable[..., LoadResult], tmp_path: Path
) -> None:
    first = write_xlsx(tmp_path / "a.xlsx", case_table(fw, 2))
    second = write_csv(tmp_path / "b.csv", case_table(fw, 2, first=2))  # C0002, C0003
    result = load(first, second)
    p = located(problem(result, "duplicate-case"), "b.csv", None, 2)
    assert "first seen at a.xlsx, sheet 'Cases', row 3" in p.message
    assert_rejected(result, "b.csv", 2)
    assert loaded_rows(result, "a.xlsx") == {2, 3}
    assert loaded_rows(result, "b.csv") == {3}


def test_required_stage_blank(
    fw: Framework, load: Callable[..., LoadResult], tmp_path: Path
) -> None:
    table = set_cell(case_table(fw, 2), 3, "Area of practice", "Children in police custody")
    for label in stage_labels(fw, "police_detention"):
        set_cell(table, 3, label, "")
    result = load(write_xlsx(tmp_path / "cases.xlsx", table))
    p = located(problem(result, "required-stage-blank"), "cases.xlsx", "Cases", 3)
    assert "'Police detention'" in p.message
    assert "'Children in police custody'" in p.message
    assert_rejected(result, "cases.xlsx", 3)
    assert loaded_rows(result, "cases.xlsx") == {2}


@KINDS
def test_not_applicable_spellings_are_answers(
    kind: str, fw: Framework, load: Callable[..., LoadResult], tmp_path: Path
) -> None:
    table = case_table(fw, 4)
    for row, text in enumerate(["N/A", "n/a", "NA", "Not applicable"], start=2):
        set_cell(table, row, "Prompt attendance", text)
    result = load(write(kind, tmp_path / "cases", table))
    assert result.ok, result.problems
    answers = result.cases["initial_contact.prompt_attendance"]
    assert answers.notna().all()
    assert list(answers) == ["not_applicable"] * 4


@KINDS
def test_leading_zero_case_ref(
    kind: str, fw: Framework, load: Callable[..., LoadResult], tmp_path: Path
) -> None:
    table = set_cell(case_table(fw, 2), 2, "Case reference", "00123")
    result = load(write(kind, tmp_path / "cases", table))
    assert result.ok, result.problems
    assert list(result.cases["case_ref"]) == ["00123", "C0002"]


# --------------------------------------------------------------------------- D. CSV


def test_csv_utf8_bom(fw: Framework, load: Callable[..., LoadResult], tmp_path: Path) -> None:
    result = load(write_csv(tmp_path / "cases.csv", case_table(fw, 2), bom=True))
    assert result.ok, result.problems
    assert list(result.cases["case_ref"]) == ["C0001", "C0002"]


def test_csv_windows_1252(fw: Framework, load: Callable[..., LoadResult], tmp_path: Path) -> None:
    table = set_cell(case_table(fw, 2), 2, "Force", "Forçe")
    set_cell(table, 3, "Investigation comment", "“quoted” – noted")
    path = write_csv(tmp_path / "cases.csv", table, encoding="cp1252")
    result = load(path)
    p = located(problem(result, "decoded-as", "note"), "cases.csv")
    assert "Windows-1252" in p.message
    assert result.ok
    assert list(result.cases["force"]) == ["Forçe", "Force X"]
    assert result.cases.at[1, "investigation.comment"] == "“quoted” – noted"


def test_csv_semicolon_separated(
    fw: Framework, load: Callable[..., LoadResult], tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "cases.csv", case_table(fw, 3), delimiter=";")
    result = load(path)
    assert "semicolon" in problem(result, "decoded-as", "note").message
    assert result.ok
    assert list(result.cases["case_ref"]) == ["C0001", "C0002", "C0003"]


def test_csv_short_row(fw: Framework, load: Callable[..., LoadResult], tmp_path: Path) -> None:
    table = case_table(fw, 3)
    width = len(table[0])
    table[3] = table[3][:-3]
    result = load(write_csv(tmp_path / "cases.csv", table))
    p = located(problem(result, "ragged-row"), "cases.csv", None, 4)
    assert f"expected {width} fields" in p.message
    assert f"found {width - 3}" in p.message
    assert_rejected(result, "cases.csv", 4)
    assert loaded_rows(result, "cases.csv") == {2, 3}


def test_csv_extra_field(fw: Framework, load: Callable[..., LoadResult], tmp_path: Path) -> None:
    table = case_table(fw, 3)
    width = len(table[0])
    table[2].append("EXTRA")
    result = load(write_csv(tmp_path / "cases.csv", table))
    p = located(problem(result, "ragged-row"), "cases.csv", None, 3)
    assert f"expected {width} fields" in p.message
    assert f"found {width + 1}" in p.message
    assert_rejected(result, "cases.csv", 3)


def test_csv_unterminated_quote(
    fw: Framework, load: Callable[..., LoadResult], tmp_path: Path
) -> None:
    lines = [",".join(row) for row in case_table(fw, 3)]
    lines[2] = lines[2].replace("C0002", '"C0002', 1)
    result = load(write_lines(tmp_path / "cases.csv", lines))
    p = located(problem(result, "csv-syntax"), "cases.csv", None, 3)
    assert "quote" in p.message
    assert result.cases.empty


def test_csv_nul_bytes(fw: Framework, load: Callable[..., LoadResult], tmp_path: Path) -> None:
    lines = [",".join(row) for row in case_table(fw, 2)]
    lines[2] = lines[2].replace("C0002", "C00\x0002", 1)
    result = load(write_lines(tmp_path / "cases.csv", lines))
    p = located(problem(result, "csv-syntax"), "cases.csv")
    assert "NUL" in p.message
    assert result.cases.empty


# --------------------------------------------------------------------------- frameworks


def _add_to_first_indicator(line: str) -> Callable[[str], str]:
    return lambda text: text.replace(
        "      - id: recognised\n", f"      - id: recognised\n        {line}\n", 1
    )


FRAMEWORK_EDITS = [
    pytest.param(
        _add_to_first_indicator("wieght: 2"),
        "wieght: 2",
        ["stages[0].indicators[0].wieght", "unknown key 'wieght'", "did you mean 'weight'"],
        id="unknown-key",
    ),
    pytest.param(
        lambda t: t.replace("combine: mean_of_stages", "combine: average_of_stages"),
        "combine: average_of_stages",
        ["scoring.case.combine", "'mean_of_stages' or 'worst_stage'", "average_of_stages"],
        id="unknown-combine-rule",
    ),
    pytest.param(
        _add_to_first_indicator("scale: five_point"),
        "scale: five_point",
        ["stages[0].indicators[0].scale", "no scale 'five_point'", "yes_partly_no"],
        id="missing-scale",
    ),
    pytest.param(
        lambda t: t.replace(
            "publisher: HMIC (framework transcribed by inspect-cli)", "publisher: &loop [*loop]"
        ),
        "publisher: &loop [*loop]",
        ["publisher[0]", "cycle"],
        id="alias-cycle",
    ),
    pytest.param(
        lambda t: t.replace('{id: "yes", label: "Yes"', '{id: yes, label: "Yes"'),
        "{id: yes, label",
        ["scales[0].responses[0].id", "found True", "quote it"],
        id="bare-yes",
    ),
    pytest.param(
        lambda t: t.replace('{id: "no", label: "No"', '{id: no, label: "No"'),
        "{id: no, label",
        ["scales[0].responses[2].id", "found False", "quote it"],
        id="bare-no",
    ),
]


@pytest.mark.parametrize(("edit", "line_text", "expected"), FRAMEWORK_EDITS)
def test_bad_framework_file(
    edit: Callable[[str], str], line_text: str, expected: list[str], tmp_path: Path
) -> None:
    original = FRAMEWORK_FILE.read_text(encoding="utf-8")
    text = edit(original)
    assert text != original, "the edit did not apply"
    line = next(i for i, ln in enumerate(text.splitlines(), 1) if line_text in ln)
    path = tmp_path / "framework.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(FrameworkError) as caught:
        load_framework_file(path)
    said = "\n".join((caught.value.message, *caught.value.details))
    for part in expected:
        assert part in said
    assert f"line {line})" in said


def test_required_stage_all_not_applicable_is_a_warning(fw: Framework, tmp_path: Path) -> None:
    table = case_table(fw, 1)
    header, row = table[0], list(table[1])
    row[header.index("Area of practice")] = "Children in police custody"
    for ref in fw.indicators:
        if ref.stage.id == "police_detention":
            row[header.index(ref.indicator.label)] = "Not applicable"
    path = write("xlsx", tmp_path / "cases", [header, row])
    result = load_cases([path], fw)
    assert result.ok
    assert len(result.cases) == 1
    warning = problem(result, "required-stage-not-applicable", "warning")
    assert warning.row == 2


def test_curly_apostrophes_in_headers_match(fw: Framework, tmp_path: Path) -> None:
    table = rename_column(
        case_table(fw, 2), "Child's interview planned", "Child’s interview planned"
    )
    result = load_cases([write("xlsx", tmp_path / "cases", table)], fw)
    assert result.ok, result.problems
    assert len(result.cases) == 2

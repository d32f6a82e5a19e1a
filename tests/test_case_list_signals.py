"""Case lists (inspect-cli sample) read with the loader's signals: cases in hidden rows,
merged cells, Excel error cells in the key columns, and doubtful header rows, each
located and with the loader's problem code. Every file is generated here."""

from __future__ import annotations

from pathlib import Path

from inspect_cli.frameworks import Framework
from inspect_cli.problems import Problem
from inspect_cli.sampling import CaseList, read_case_list
from tests.helpers.builders import Table, write_xlsx
from tests.helpers.cli import invoke
from tests.helpers.hostile import hide_rows, refusing_hidden

HEADER = ["Case reference", "Area of practice", "Force", "Child age", "Date reported"]


def case_list(n: int = 6) -> Table:
    """A header and ``n`` candidate cases, C1 on row 2 to Cn on row n + 1."""
    return [
        HEADER,
        *([f"C{i}", "Domestic abuse", "Force C", i, "05/03/2024"] for i in range(1, n + 1)),
    ]


def only(found: CaseList, code: str) -> list[Problem]:
    return [p for p in found.problems if p.code == code]


def refs(found: CaseList) -> list[str]:
    return [c.case_ref for c in found.cases]


# --------------------------------------------------------------------------- hidden rows


def test_cases_in_hidden_rows_are_warned_and_kept(fw: Framework, tmp_path: Path) -> None:
    path = hide_rows(write_xlsx(tmp_path / "list.xlsx", case_list()), (3, 6))
    found = read_case_list([path], fw)
    assert found.ok and refs(found) == ["C1", "C2", "C3", "C4", "C5", "C6"]
    [warning] = only(found, "hidden-rows")
    assert (warning.file, warning.sheet, warning.severity) == ("list.xlsx", "Cases", "warning")
    assert "2 case row(s)" in warning.message and "3, 6" in warning.message


def test_cases_in_hidden_rows_refused_when_the_framework_says_so(
    fw: Framework, tmp_path: Path
) -> None:
    path = hide_rows(write_xlsx(tmp_path / "list.xlsx", case_list()), (3, 6))
    found = read_case_list([path], refusing_hidden(fw))
    assert [(p.code, p.row, p.severity) for p in found.errors] == [
        ("hidden-row-refused", 3, "error"),
        ("hidden-row-refused", 6, "error"),
    ]
    assert refs(found) == ["C1", "C3", "C4", "C6"]
    assert not only(found, "hidden-rows")


def test_sample_refuses_a_list_with_hidden_cases_when_asked(fw: Framework, tmp_path: Path) -> None:
    strict = (Path(__file__).resolve().parents[1] / "frameworks" / "ncpi-2014.yaml").read_text()
    framework = tmp_path / "strict.yaml"
    framework.write_text(strict.replace("\nreporting:\n", "\nreporting:\n  hidden_rows: error\n"))
    path = hide_rows(write_xlsx(tmp_path / "list.xlsx", case_list()), (4,))
    run = invoke("sample", path, "--per-area", "1", "--seed", "1", "--framework", framework)
    assert run.exit_code == 1, run.stderr
    assert "list.xlsx, sheet 'Cases', row 4" in run.stderr and "hidden in Excel" in run.stderr
    assert "Traceback" not in run.stderr


# --------------------------------------------------------------------------- merged cells


def test_merge_across_the_key_columns_is_refused(fw: Framework, tmp_path: Path) -> None:
    found = read_case_list([write_xlsx(tmp_path / "m.xlsx", case_list(), merge=["A3:B3"])], fw)
    [merged] = found.errors
    assert (merged.code, merged.file, merged.row, merged.column) == (
        "merged-cells",
        "m.xlsx",
        3,
        "A",
    )
    assert "A3:B3" in merged.message
    assert refs(found) == ["C1", "C3", "C4", "C5", "C6"]


def test_merge_along_a_row_outside_the_keys_is_refused(fw: Framework, tmp_path: Path) -> None:
    found = read_case_list([write_xlsx(tmp_path / "m.xlsx", case_list(), merge=["C5:D5"])], fw)
    assert [(p.code, p.row, p.column) for p in found.errors] == [("merged-cells", 5, "C")]
    assert "C4" not in refs(found) and len(found.cases) == 5


def test_merge_down_a_key_column_refuses_every_row_it_covers(fw: Framework, tmp_path: Path) -> None:
    found = read_case_list([write_xlsx(tmp_path / "m.xlsx", case_list(), merge=["B3:B5"])], fw)
    assert [(p.code, p.row, p.column) for p in found.errors] == [("merged-cells", 3, "B")]
    assert refs(found) == ["C1", "C5", "C6"]  # no blank-area error for rows 4 and 5 besides


def test_merged_header_cells_are_refused(fw: Framework, tmp_path: Path) -> None:
    table = case_list()
    table[0].append("")
    found = read_case_list([write_xlsx(tmp_path / "m.xlsx", table, merge=["E1:F1"])], fw)
    assert [(p.code, p.row) for p in found.errors][:1] == [("merged-header", 1)]
    assert not found.cases


# --------------------------------------------------------------------------- error cells


def test_error_cells_in_the_keys_are_refused_elsewhere_left_blank(
    fw: Framework, tmp_path: Path
) -> None:
    errors = {"A3": "#N/A", "B5": "#REF!", "D6": "#DIV/0!"}
    found = read_case_list([write_xlsx(tmp_path / "e.xlsx", case_list(), errors=errors)], fw)
    assert [(p.code, p.row, p.column) for p in found.errors] == [
        ("excel-error", 3, "A"),
        ("excel-error", 5, "B"),
    ]
    assert "#N/A" in found.errors[0].message and found.errors[0].file == "e.xlsx"
    [blanked] = [p for p in found.problems if p.code == "excel-error" and p.severity == "warning"]
    assert (blanked.row, blanked.column) == (6, "D") and "left blank" in blanked.message
    assert refs(found) == ["C1", "C3", "C5", "C6"]
    assert "child_age" not in next(c for c in found.cases if c.case_ref == "C5").fields


# --------------------------------------------------------------------------- header rows


def test_a_legend_row_above_a_case_list_header_is_passed_over(
    fw: Framework, tmp_path: Path
) -> None:
    legend = ["Case reference", "Area of practice", "the child's age at referral, in years"]
    table = [legend, *case_list(2)]
    found = read_case_list([write_xlsx(tmp_path / "l.xlsx", table)], fw)
    assert found.ok and refs(found) == ["C1", "C2"]
    [later] = only(found, "header-row-later")
    assert later.row == 2 and "row 1 looks like a header" in later.message


def test_a_case_list_header_repeated_below_is_named(fw: Framework, tmp_path: Path) -> None:
    table = case_list(3)
    table.insert(3, list(HEADER))  # row 4
    found = read_case_list([write_xlsx(tmp_path / "r.xlsx", table)], fw)
    [doubt] = only(found, "header-row-doubt")
    assert "row 1 was taken as the header; row 4 looks like the header too" in doubt.message
    assert not found.ok  # 'Area of practice' is not an area: row 4 is refused

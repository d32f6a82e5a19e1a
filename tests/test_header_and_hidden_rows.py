"""Case workbooks: cases in hidden rows (warned, or refused when the framework says so),
and header rows that are not plainly the header (a legend or title above the real one,
ids under labels, a header repeated below). Every file is generated here."""

from __future__ import annotations

from pathlib import Path

import pytest

from inspect_cli.errors import FrameworkError
from inspect_cli.frameworks import Framework, resolve_framework
from inspect_cli.load import LoadResult, load_cases
from inspect_cli.problems import Problem
from tests.helpers.builders import (
    Table,
    case_table,
    header_ids,
    insert_rows,
    write_csv,
    write_xlsx,
)
from tests.helpers.hostile import hide_rows, refusing_hidden

ROOT = Path(__file__).resolve().parents[1]


def only(result: LoadResult, code: str) -> list[Problem]:
    return [p for p in result.problems if p.code == code]


def loaded_rows(result: LoadResult) -> list[int]:
    return sorted(int(r) for r in result.cases["source_row"])


# --------------------------------------------------------------------------- hidden rows


def test_hidden_rows_are_a_warning_by_default(fw: Framework, tmp_path: Path) -> None:
    assert fw.reporting.hidden_rows == "warning"
    path = hide_rows(write_xlsx(tmp_path / "cases.xlsx", case_table(fw, 4)), (3, 5))
    result = load_cases([path], fw)
    assert result.ok and loaded_rows(result) == [2, 3, 4, 5]
    [warning] = only(result, "hidden-rows")
    assert warning.severity == "warning" and "3, 5" in warning.message
    assert not only(result, "hidden-row-refused")


def test_hidden_rows_refused_when_the_framework_says_so(fw: Framework, tmp_path: Path) -> None:
    path = hide_rows(write_xlsx(tmp_path / "cases.xlsx", case_table(fw, 4)), (3, 5))
    result = load_cases([path], refusing_hidden(fw))
    refused = only(result, "hidden-row-refused")
    assert [(p.file, p.sheet, p.row, p.severity) for p in refused] == [
        ("cases.xlsx", "Cases", 3, "error"),
        ("cases.xlsx", "Cases", 5, "error"),
    ]
    assert "reporting.hidden_rows: error" in refused[0].message
    assert loaded_rows(result) == [2, 4]  # the hidden cases are not loaded
    assert not only(result, "hidden-rows")


def test_no_hidden_rows_nothing_said_even_when_refusing(fw: Framework, tmp_path: Path) -> None:
    result = load_cases([write_xlsx(tmp_path / "c.xlsx", case_table(fw, 3))], refusing_hidden(fw))
    assert result.ok and loaded_rows(result) == [2, 3, 4]


@pytest.mark.parametrize(("value", "ok"), [("error", True), ("warning", True), ("maybe", False)])
def test_the_setting_is_read_from_the_framework_file(value: str, ok: bool, tmp_path: Path) -> None:
    text = (ROOT / "frameworks" / "ncpi-2014.yaml").read_text(encoding="utf-8")
    assert text.count("\nreporting:\n") == 1
    path = tmp_path / "strict.yaml"
    path.write_text(text.replace("\nreporting:\n", f"\nreporting:\n  hidden_rows: {value}\n"))
    if ok:
        assert resolve_framework(str(path)).reporting.hidden_rows == value
    else:
        with pytest.raises(FrameworkError):
            resolve_framework(str(path))


# --------------------------------------------------------------------------- header rows


def ids_row(fw: Framework) -> list[str]:
    return header_ids(fw)


def legend(fw: Framework, named: int) -> list[str]:
    """A row of long descriptions, the first ``named`` of them the columns' own labels
    (as a group heading might be)."""
    labels = case_table(fw, 0)[0]
    return [
        label if j < named else f"Describe here, in full, what {label.lower()} means"
        for j, label in enumerate(labels)
    ]


@pytest.mark.parametrize("writer", ["xlsx", "csv"])
def test_legend_of_long_descriptions_above_the_labels(
    writer: str, fw: Framework, tmp_path: Path
) -> None:
    table = insert_rows(case_table(fw, 3), 1, [legend(fw, 0)])
    path = tmp_path / f"cases.{writer}"
    result = load_cases(
        [write_xlsx(path, table) if writer == "xlsx" else write_csv(path, table)], fw
    )
    assert result.ok and loaded_rows(result) == [3, 4, 5]
    assert [p.row for p in only(result, "header-row")] == [2]
    assert not only(result, "header-row-doubt") and not only(result, "header-row-later")


def test_title_rows_above_the_header(fw: Framework, tmp_path: Path) -> None:
    table = insert_rows(case_table(fw, 2), 1, [["Force X case audit, 2024"], []])
    result = load_cases([write_xlsx(tmp_path / "titled.xlsx", table)], fw)
    assert result.ok and loaded_rows(result) == [4, 5]
    assert not only(result, "header-row-doubt") and not only(result, "header-row-later")


def test_legend_naming_some_columns_is_passed_over_for_the_real_header(
    fw: Framework, tmp_path: Path
) -> None:
    table = insert_rows(case_table(fw, 3), 1, [["Force X"], legend(fw, 4)])
    result = load_cases([write_xlsx(tmp_path / "legend.xlsx", table)], fw)
    assert result.ok and loaded_rows(result) == [4, 5, 6]
    [later] = only(result, "header-row-later")
    assert (later.file, later.sheet, later.row, later.severity) == (
        "legend.xlsx",
        "Cases",
        3,
        "warning",
    )
    assert "row 2 looks like a header, but row 3 names the same 4 columns" in later.message
    assert "row 3 was taken as the header" in later.message


def test_ids_under_labels_take_the_second_row(fw: Framework, tmp_path: Path) -> None:
    table = insert_rows(case_table(fw, 2), 2, [ids_row(fw)])
    result = load_cases([write_xlsx(tmp_path / "two.xlsx", table)], fw)
    assert result.ok and loaded_rows(result) == [3, 4]  # the ids row is not a case
    [later] = only(result, "header-row-later")
    assert later.row == 2 and "row 1 looks like a header" in later.message
    assert "on the next row" in later.message


def test_a_second_header_below_the_cases_is_named(fw: Framework, tmp_path: Path) -> None:
    table = case_table(fw, 4)
    table = insert_rows(table, 4, [list(table[0])])  # the header again, as row 4
    result = load_cases([write_xlsx(tmp_path / "again.xlsx", table)], fw)
    [doubt] = only(result, "header-row-doubt")
    assert (doubt.row, doubt.severity) == (1, "warning")
    assert doubt.message.startswith("row 1 was taken as the header; row 4 looks like the header")
    assert not result.ok and 4 not in loaded_rows(result)  # its values are not a case's


def test_a_legend_not_contained_in_the_header_is_not_passed_over(
    fw: Framework, tmp_path: Path
) -> None:
    """Row 1 names columns the row below does not: which is the header is not plain."""
    first: Table = [["Force", "Audit type", "Area of practice", "Case reference"]]
    table = insert_rows(case_table(fw, 2), 1, first)
    result = load_cases([write_xlsx(tmp_path / "odd.xlsx", table)], fw)
    [doubt] = only(result, "header-row-doubt")
    assert "row 1 was taken as the header; row 2 looks like the header too" in doubt.message
    assert not result.ok  # row 1 lacks the indicators: refused, never guessed

"""A force's own sheets and folders: --sheet / --skip-sheet, a sheet that is not a case
sheet, a totals row under the cases, and --recursive for one sub-folder per force."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import Result

from inspect_cli.frameworks import Framework
from inspect_cli.load import LoadResult, Selection, load_cases
from tests.helpers.builders import Table, case_table, col, set_cell, write_csv, write_xlsx

Cli = Callable[..., Result]


def codes(result: LoadResult, code: str) -> list[str]:
    return [p.message for p in result.problems if p.code == code]


def summary_sheet() -> Table:
    """A team's own summary: three recognised headers, then their tallies."""
    return [
        ["Case reference", "Force", "Area of practice", "Notes"],
        ["Total", "Force X", 5, ""],
        ["Average", "", "", ""],
    ]


@pytest.fixture
def with_summary(fw: Framework, tmp_path: Path) -> Path:
    sheets = {"Cases": case_table(fw, 5), "Summary": summary_sheet()}
    return write_xlsx(tmp_path / "force.xlsx", sheets)


# ------------------------------------------------------------------- case sheets


def test_a_summary_sheet_is_one_warning_not_dozens_of_errors(
    fw: Framework, with_summary: Path
) -> None:
    result = load_cases([with_summary], fw)
    assert result.ok and len(result.cases) == 5
    [message] = codes(result, "not-case-sheet")
    assert message.startswith(
        "sheet 'Summary' does not look like a case sheet: it has 3 of the 41 case columns "
        "(Case reference, Force, Area of practice); skipped"
    )
    assert not codes(result, "missing-column")


def test_a_workbook_with_no_case_sheet_is_one_error_per_sheet(
    fw: Framework, tmp_path: Path
) -> None:
    sheets = {"Summary": summary_sheet(), "Totals": summary_sheet()}
    result = load_cases([write_xlsx(tmp_path / "force.xlsx", sheets)], fw)
    found = codes(result, "no-case-sheet")
    assert not result.ok and len(found) == 2 and len(result.errors) == 2
    assert "sheet 'Summary' has 3 of the 41 case columns" in found[0]
    assert "missing: Audit type, " in found[0] and "and 30 more" in found[0]
    assert "use --sheet 'Summary'" in found[0]


def test_a_single_sheet_lacking_columns_still_lists_each(fw: Framework, tmp_path: Path) -> None:
    """With no other sheet to choose, every missing column is named, as before."""
    result = load_cases([write_csv(tmp_path / "few.csv", summary_sheet())], fw)
    assert len(codes(result, "missing-column")) == 38 and not codes(result, "no-case-sheet")


def test_a_sheet_named_with_sheet_is_read_as_it_is(fw: Framework, with_summary: Path) -> None:
    result = load_cases([with_summary], fw, selection=Selection(sheets=("summary",)))
    assert len(codes(result, "missing-column")) == 38  # named: every problem listed
    assert not codes(result, "not-case-sheet")


def test_sheet_chooses_the_case_sheet_by_name_ignoring_case(
    fw: Framework, with_summary: Path
) -> None:
    result = load_cases([with_summary], fw, selection=Selection(sheets=(" CASES ",)))
    assert result.ok and len(result.cases) == 5 and not result.problems


def test_a_missing_sheet_names_the_file_and_lists_its_sheets(
    cli: Cli, fw: Framework, with_summary: Path
) -> None:
    result = load_cases([with_summary], fw, selection=Selection(sheets=("Data", "Audit")))
    [problem] = result.errors
    assert problem.code == "sheet-not-found" and problem.file == "force.xlsx"
    assert problem.message == (
        "no sheet named 'Data' or 'Audit' (--sheet) in this workbook; "
        "its sheets are 'Cases', 'Summary'"
    )
    run = cli("validate", with_summary, "--sheet", "Data")
    assert run.exit_code == 1 and "no sheet named 'Data'" in run.stdout + run.stderr


def test_skip_sheet_leaves_a_sheet_out_with_a_note(fw: Framework, with_summary: Path) -> None:
    result = load_cases([with_summary], fw, selection=Selection(skip_sheets=("summary",)))
    assert result.ok and len(result.cases) == 5 and not codes(result, "not-case-sheet")
    assert codes(result, "sheet-skipped") == ["sheet skipped (--skip-sheet)"]


def test_a_csv_has_no_sheets_to_choose(fw: Framework, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "cases.csv", case_table(fw, 2))
    result = load_cases([path], fw, selection=Selection(sheets=("Cases",)))
    assert result.ok and len(result.cases) == 2


READING = [
    ("validate", "{}"),
    ("score", "{}"),
    ("report", "thematic", "{}"),
    ("report", "force", "{}", "--force", "Force X"),
    ("moderate", "{}"),
    ("trend", "2014={}", "2016={}"),
]


def line(command: tuple[str, ...], path: Path, *more: str) -> list[str]:
    return [arg.format(path) for arg in command] + list(more)


@pytest.mark.parametrize("command", READING)
def test_every_reading_command_takes_sheet(
    cli: Cli, with_summary: Path, command: tuple[str, ...]
) -> None:
    run = cli(*line(command, with_summary, "--sheet", "Data"))
    assert run.exit_code == 1
    assert "its sheets are 'Cases', 'Summary'" in run.stdout + run.stderr


@pytest.mark.parametrize("command", READING[1:4])
def test_every_report_reads_past_a_summary_sheet_or_skips_it(
    cli: Cli, with_summary: Path, command: tuple[str, ...]
) -> None:
    warned = cli(*line(command, with_summary))
    assert warned.exit_code == 0 and "does not look like a case sheet" in warned.stderr
    skipped = cli(*line(command, with_summary, "--skip-sheet", "Summary", "--sheet", "Cases"))
    assert skipped.exit_code == 0 and "case sheet" not in skipped.stderr
    named = cli(*line(command, with_summary, "--sheet", "Summary"))
    assert named.exit_code == 1 and "required column 'Audit type" in named.stderr


# ------------------------------------------------------------------- totals rows


def totals(fw: Framework, label: str, value: object) -> Table:
    table = case_table(fw, 5)
    table.append([""] * len(table[0]))
    return set_cell(table, 7, label, value)


@pytest.mark.parametrize(
    ("label", "value", "why"),
    [
        ("Case reference", "Total", "'Total' in column A (Case reference)"),
        ("Force", "Grand total:", "'Grand total:' in column B (Force)"),
    ],
)
def test_a_totals_row_is_named_once_and_left_out(
    fw: Framework, tmp_path: Path, label: str, value: str, why: str
) -> None:
    path = write_xlsx(tmp_path / "force.xlsx", totals(fw, label, value))
    result = load_cases([path], fw)
    [problem] = result.problems
    assert problem.code == "totals-row" and (problem.sheet, problem.row) == ("Cases", 7)
    assert problem.message.startswith(f"row 7 looks like a totals row: {why}; it is left out")
    assert result.ok and len(result.cases) == 5 and result.rows_read == 6
    assert result.rejected["source_row"].tolist() == [7]  # reported, located, counted


def test_numbers_summed_under_the_indicators_are_a_totals_row(
    fw: Framework, tmp_path: Path
) -> None:
    table = case_table(fw, 5)
    sums: list[object] = [""] * len(table[0])
    first = col(table, fw.indicators[0].indicator.label)
    sums[first : first + 3] = [3, 2, 4]
    table.append(sums)
    result = load_cases([write_csv(tmp_path / "force.csv", table)], fw)
    [message] = codes(result, "totals-row")
    assert "no case reference or force, and numbers under 3 indicator columns" in message
    assert result.ok and len(result.cases) == 5


def test_a_case_at_the_foot_is_not_taken_for_totals(fw: Framework, tmp_path: Path) -> None:
    """A last case missing its reference is still a case with an error, never dropped."""
    table = set_cell(case_table(fw, 5), 6, "Case reference", "")
    result = load_cases([write_xlsx(tmp_path / "force.xlsx", table)], fw)
    assert not codes(result, "totals-row") and not result.ok


def test_score_goes_ahead_past_a_totals_row_and_says_so(
    cli: Cli, fw: Framework, tmp_path: Path
) -> None:
    path = write_xlsx(tmp_path / "force.xlsx", totals(fw, "Case reference", "TOTAL"))
    run = cli("score", path, "--format", "json")
    assert run.exit_code == 0
    assert "row 7 looks like a totals row" in run.stderr
    assert "1 row(s) not scored" in run.stderr


# ------------------------------------------------------------------- folders


@pytest.fixture
def per_force(fw: Framework, tmp_path: Path) -> Path:
    """A shared drive: one case file at the top, one sub-folder per force, each with a
    file of the same name."""
    top = tmp_path / "returns"
    top.mkdir()
    write_xlsx(top / "national.xlsx", case_table(fw, 2, first=100))
    for n, force in enumerate(("Force A", "Force B", "Force C")):
        folder = top / force
        folder.mkdir()
        table = case_table(fw, 2, first=10 * n)
        for row in table[1:]:
            row[col(table, "Force")] = force
        write_xlsx(folder / "cases.xlsx", table)
    (top / ".hidden").mkdir()
    write_xlsx(top / ".hidden" / "old.xlsx", case_table(fw, 2))
    return top


def test_without_recursive_sub_folders_are_named_in_a_warning(
    fw: Framework, per_force: Path
) -> None:
    result = load_cases([per_force], fw)
    assert len(result.cases) == 2
    assert codes(result, "subfolders-not-read") == [
        "3 sub-folder(s) hold case files (Force A, Force B, Force C) and were not read; "
        "use --recursive to read them"
    ]


def test_recursive_reads_every_sub_folder_and_tells_same_names_apart(
    fw: Framework, per_force: Path
) -> None:
    result = load_cases([per_force], fw, selection=Selection(recursive=True))
    assert result.ok and len(result.cases) == 8 and not result.problems  # not .hidden
    names = {s.name for s in result.sources}
    assert str(per_force / "Force A" / "cases.xlsx") in names and "national.xlsx" in names
    assert set(result.cases["source_file"]) == names


def test_recursive_on_the_command_line(cli: Cli, per_force: Path) -> None:
    run = cli("report", "thematic", per_force, "--recursive", "--format", "json")
    assert run.exit_code == 0 and "sub-folder" not in run.stderr
    plain = cli("validate", per_force)
    assert "use --recursive to read them" in plain.stdout + plain.stderr


def test_no_output_replaces_a_case_file_in_a_sub_folder(cli: Cli, per_force: Path) -> None:
    target = per_force / "Force B" / "cases.xlsx"
    before = target.read_bytes()
    run = cli("score", per_force, "--recursive", "-o", target, "--overwrite")
    assert run.exit_code == 2 and "one of the inputs" in run.stderr
    assert target.read_bytes() == before


# ------------------------------------------------------------------- case lists (sample)


def _case_list(first: int, n: int) -> Table:
    rows = [[f"L{first + i:03d}", "Domestic abuse", "Force C"] for i in range(n)]
    return [["Case reference", "Area of practice", "Force"], *rows]


def test_sample_chooses_sheets_and_folders_as_every_reading_command(
    cli: Cli, fw: Framework, tmp_path: Path
) -> None:
    """A case list with the team's own list of last year's cases beside this year's."""
    from inspect_cli.sampling import read_case_list

    (tmp_path / "lists" / "area 2").mkdir(parents=True)
    book = write_xlsx(
        tmp_path / "lists" / "list.xlsx",
        {"This year": _case_list(1, 6), "Last year": _case_list(100, 4)},
    )

    def refs(selection: Selection) -> list[str]:
        listed = read_case_list([book.parent], fw, selection=selection)
        return sorted(c.case_ref for c in listed.cases)

    assert len(refs(Selection())) == 10
    assert refs(Selection(sheets=("this year",))) == [f"L{i:03d}" for i in range(1, 7)]
    assert len(refs(Selection(skip_sheets=("This year",)))) == 4
    missing = read_case_list([book], fw, selection=Selection(sheets=("Cases",)))
    assert [p.code for p in missing.problems if p.is_error] == ["sheet-not-found"]
    assert not missing.cases
    # A sub-folder is read only with --recursive.
    write_csv(tmp_path / "lists" / "area 2" / "more.csv", _case_list(200, 3))
    assert len(refs(Selection(sheets=("This year",)))) == 6
    assert len(refs(Selection(sheets=("This year",), recursive=True))) == 9
    run = cli("sample", book.parent, "--per-area", "2", "--seed", "1", "--sheet", "Last year")
    assert run.exit_code == 0, run.stderr
    drawn = set(re.findall(r"L\d{3}", run.stdout))
    assert len(drawn) == 2 and drawn <= {"L100", "L101", "L102", "L103"}, run.stdout

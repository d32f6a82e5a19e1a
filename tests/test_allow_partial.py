"""--allow-partial on every report command: the report counts the rows that loaded,
says that it left some out, and lists each one with its error (published: by file
number and problem title only)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from typer.testing import Result

from inspect_cli.frameworks import Framework
from tests.helpers.builders import Table, case_table, col, set_cell, write_csv, write_xlsx

Cli = Callable[..., Result]
BAD_ROW = 5  # the Excel row whose audit date does not exist


def _cases(fw: Framework, n: int = 12) -> Table:
    """``n`` cases of two forces, each assessed by inspectors and by its force."""
    table = case_table(fw, n)
    force, audit = col(table, "Force"), col(table, "Audit type")
    for i, row in enumerate(table[1:]):
        row[force] = "Force A" if i % 2 else "Force B"
    own = [list(row) for row in table[1:]]
    for row in own:
        row[audit] = "self-assessment"
    return [*table, *own]


@pytest.fixture
def folder(fw: Framework, tmp_path: Path) -> Path:
    """Two forces' cases, one row of which has an audit date that does not exist."""
    table = set_cell(_cases(fw), BAD_ROW, "Audit date", "31/02/2014")
    (tmp_path / "in").mkdir()
    write_csv(tmp_path / "in" / "cases.csv", table)
    return tmp_path / "in"


@pytest.fixture
def without_bad_row(fw: Framework, tmp_path: Path) -> Path:
    """The same cases with the bad row taken out: what a partial report must equal."""
    table = _cases(fw)
    del table[BAD_ROW - 1]
    (tmp_path / "oracle").mkdir()
    write_csv(tmp_path / "oracle" / "cases.csv", table)
    return tmp_path / "oracle"


def _json(run: Result) -> dict[str, Any]:
    assert run.exit_code == 0, run.stderr
    data: dict[str, Any] = json.loads(run.stdout)
    return data


def _without_run_details(data: dict[str, Any]) -> dict[str, Any]:
    """The figures only: the notes and provenance differ by design."""
    return {k: v for k, v in data.items() if k not in ("notes", "provenance")}


@pytest.mark.parametrize(
    "command",
    [
        ["report", "thematic"],
        ["report", "force", "--force", "Force A"],
        ["moderate"],
        ["trend"],
    ],
)
def test_without_it_a_report_is_refused_and_the_option_named(
    cli: Cli, folder: Path, command: list[str]
) -> None:
    run = cli(*command, folder)
    assert run.exit_code == 1
    assert "row 5" in run.stderr and "--allow-partial" in " ".join(run.stderr.split())


@pytest.mark.parametrize(
    "command", [["report", "thematic"], ["report", "force", "--force", "Force A"]]
)
def test_the_partial_report_counts_exactly_the_rows_without_errors(
    cli: Cli, folder: Path, without_bad_row: Path, command: list[str]
) -> None:
    partial = _json(cli(*command, folder, "--allow-partial", "--format", "json"))
    oracle = _json(cli(*command, without_bad_row, "--format", "json"))
    assert _without_run_details(partial) == _without_run_details(oracle)
    [note] = [n for n in partial["notes"] if n.startswith("Left out")]
    assert note.startswith("Left out because of errors (--allow-partial): 1 row; ")
    assert partial["provenance"]["left_out"] == [
        {
            "file": "cases.csv",
            "sheet": None,
            "row": BAD_ROW,
            "code": "type-error",
            "reason": "expected a date (a date cell, 2024-03-05 or 05/03/2024, day first), "
            "found a day or month that does not exist",
            "round": None,
        }
    ]
    assert not [n for n in oracle["notes"] if n.startswith("Left out")]
    assert oracle["provenance"]["left_out"] == []


def test_moderate_and_trend_list_what_they_left_out(cli: Cli, folder: Path) -> None:
    moderation = _json(cli("moderate", folder, "--allow-partial", "--format", "json"))
    assert [i["row"] for i in moderation["provenance"]["left_out"]] == [BAD_ROW]
    trend = _json(
        cli("trend", f"2014={folder}", f"2016={folder}", "--allow-partial", "--format", "json")
    )
    left = trend["provenance"]["left_out"]
    assert [(i["round"], i["row"]) for i in left] == [("2014", BAD_ROW), ("2016", BAD_ROW)]


def test_html_and_excel_list_each_row_left_out(cli: Cli, folder: Path, tmp_path: Path) -> None:
    html, xlsx = tmp_path / "t.html", tmp_path / "t.xlsx"
    for target in (html, xlsx):
        assert cli("report", "thematic", folder, "--allow-partial", "-o", target).exit_code == 0
    page = html.read_text(encoding="utf-8")
    assert "Left out: cases.csv, row 5" in page and "Left out because of errors" in page
    book = openpyxl.load_workbook(xlsx, read_only=True)
    cells = [str(v) for ws in book.worksheets for r in ws.iter_rows(values_only=True) for v in r]
    book.close()
    assert "Left out: cases.csv, row 5" in cells


def test_a_whole_sheet_left_out_is_named_as_whole(cli: Cli, fw: Framework, tmp_path: Path) -> None:
    broken = case_table(fw, 6, first=100)
    broken[0][col(broken, "Audit type")] = "Kind of audit"  # a required column missing
    book = write_xlsx(tmp_path / "force.xlsx", {"Cases": case_table(fw, 6), "Extra": broken})
    report = _json(
        cli("report", "thematic", book, "--allow-partial", "--sheet", "Cases", "--sheet",
            "Extra", "--format", "json")
    )  # fmt: skip
    [item] = report["provenance"]["left_out"]
    assert (item["file"], item["sheet"], item["row"]) == ("force.xlsx", "Extra", None)
    assert any("1 whole sheet or file" in n for n in report["notes"])


def test_a_published_report_lists_places_but_no_sheet_and_no_message(
    cli: Cli, folder: Path, tmp_path: Path
) -> None:
    out = tmp_path / "published"
    run = cli("report", "publish", folder, "-o", out, "--format", "json", "--allow-partial")
    assert run.exit_code == 0, run.stderr
    for report in out.glob("*.json"):
        data = json.loads(report.read_text(encoding="utf-8"))
        assert data["provenance"]["left_out"] == [
            {"file": "file 1", "sheet": None, "row": BAD_ROW, "code": "type-error",
             "reason": "Wrong type", "round": None}
        ]  # fmt: skip
        assert any(n.startswith("Left out because of errors") for n in data["notes"])
    refused = cli("report", "publish", folder, "-o", tmp_path / "refused", "--format", "json")
    assert refused.exit_code == 1 and not (tmp_path / "refused").exists()


def test_an_anonymised_report_names_the_file_by_number(cli: Cli, folder: Path) -> None:
    data = _json(
        cli("report", "thematic", folder, "--allow-partial", "--anonymise", "--format", "json")
    )
    [item] = data["provenance"]["left_out"]
    assert item["file"] == "file 1" and item["reason"] == "Wrong type"


@pytest.mark.parametrize(
    ("command", "rows"),
    [(["moderate", "IN"], "1 row"), (["trend", "2014=IN", "2016=IN"], "2 rows")],  # a row a round
)
def test_the_terminal_says_what_was_left_out_too(
    cli: Cli, folder: Path, command: list[str], rows: str
) -> None:
    run = cli(*(a.replace("IN", str(folder)) for a in command), "--allow-partial")
    assert run.exit_code == 0, run.stderr
    assert f"Left out because of errors (--allow-partial): {rows};" in " ".join(run.stdout.split())

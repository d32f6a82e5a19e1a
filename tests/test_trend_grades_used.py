"""``trend``: per round, how many grades were recorded by the auditor and how many
suggested by the framework's rules (``grades_used_by_round``), in every format."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl

from inspect_cli.cli import app
from inspect_cli.frameworks import Framework
from tests.helpers.builders import case_table, col, write_csv
from tests.helpers.cli import runner


def _rounds(fw: Framework, tmp_path: Path) -> tuple[Path, Path]:
    """First round: three cases, two with a recorded grade; second: four, none recorded."""
    first = case_table(fw, 3)
    for row in first[1:3]:
        row[col(first, "Overall grade")] = "adequate"
    second = case_table(fw, 4)
    (tmp_path / "2014").mkdir()
    (tmp_path / "2016").mkdir()
    return (
        write_csv(tmp_path / "2014" / "cases.csv", first),
        write_csv(tmp_path / "2016" / "cases.csv", second),
    )


def _trend(*args: str) -> str:
    result = runner.invoke(app, ["trend", *args])
    assert result.exit_code == 0, result.stderr
    return result.stdout


def test_each_round_says_what_it_counted(fw: Framework, tmp_path: Path) -> None:
    one, two = _rounds(fw, tmp_path)
    data = json.loads(_trend(str(one), str(two), "--format", "json"))
    by_round = data["grades_used_by_round"]
    assert [(r["recorded"], r["computed"]) for r in by_round] == [(2, 1), (0, 4)]
    assert [r["round"] for r in by_round] == data["rounds"]
    assert data["grades_used"] == {"recorded": 2, "computed": 5}  # the sum over rounds
    computed = json.loads(
        _trend(str(one), str(two), "--format", "json", "--grade-source", "computed")
    )
    assert [(r["recorded"], r["computed"]) for r in computed["grades_used_by_round"]] == [
        (0, 3),
        (0, 4),
    ]


def test_every_format_says_it(fw: Framework, tmp_path: Path) -> None:
    one, two = _rounds(fw, tmp_path)
    label = json.loads(_trend(str(one), str(two), "--format", "json"))["rounds"][0]
    sentence = f"{label}: 2 recorded by the auditor, 1 suggested by the framework's rules"
    assert sentence in " ".join(_trend(str(one), str(two)).split())
    page = tmp_path / "trend.html"
    _trend(str(one), str(two), "-o", str(page))
    assert sentence.replace("'", "&#39;") in page.read_text("utf-8")
    book = tmp_path / "trend.xlsx"
    _trend(str(one), str(two), "-o", str(book))
    cells = [
        str(v)
        for ws in openpyxl.load_workbook(book).worksheets
        for row in ws.iter_rows(values_only=True)
        for v in row
        if v is not None
    ]
    assert any(sentence in c for c in cells)

"""``moderate --between inspectors -o FILE.xlsx``: the workbook of agreement between
inspectors, its figures the JSON's, text from case files written as text."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from inspect_cli.cli import app
from inspect_cli.frameworks import Framework
from inspect_cli.read import OUTPUT_MARKER
from tests.helpers.builders import Table, case_table, col, write_csv
from tests.helpers.cli import runner
from tests.helpers.payloads import FORMULA

SECOND = ["good", "adequate", "poor", "adequate", "adequate", "poor"]


def _readings(fw: Framework, ref: str = "") -> Table:
    """Ten cases read by Inspector A; the first six read again by Inspector B."""
    table = case_table(fw, 10)
    rows: Table = [table[0]]
    for row in table[1:]:
        new = list(row)
        new[col(table, "Auditor")] = "Inspector A"
        new[col(table, "Overall grade")] = "good"
        rows.append(new)
    for i, row in enumerate(table[1:7]):
        new = list(row)
        new[col(table, "Auditor")] = "Inspector B"
        new[col(table, "Overall grade")] = SECOND[i]
        if ref and i == 2:
            for r in (rows[3], new):  # the third case, both readings
                r[col(table, "Case reference")] = ref
        rows.append(new)
    return rows


def _invoke(*args: str) -> Any:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.stderr
    return result


def _sheet(path: Path, name: str) -> list[tuple[Any, ...]]:
    return list(openpyxl.load_workbook(path)[name].iter_rows(values_only=True))


def test_workbook_has_the_reports_figures(fw: Framework, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "cases.csv", _readings(fw))
    out = tmp_path / "readers.xlsx"
    _invoke("moderate", str(path), "--between", "inspectors", "-o", str(out))
    data = json.loads(
        _invoke("moderate", str(path), "--between", "inspectors", "--format", "json").stdout
    )
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == [
        "Agreement",
        "Confusion",
        "Disagreements",
        "Auditor drift",
        "Provenance",
    ]
    rows = _sheet(out, "Agreement")
    header = next(i for i, r in enumerate(rows) if r[0] == "Force")
    force = rows[header + 1]
    one = data["forces"][0]
    assert force[:5] == (
        one["force"],
        one["cases"],
        one["readings"],
        one["readers"],
        one["unanimous"],
    )
    assert force[7] == pytest.approx(one["gwet_ac2"]["value"])
    # First reading × second: Inspector A graded all six good; B agreed on the first.
    confusion = _sheet(out, "Confusion")
    good_row = next(r for r in confusion if r[0] == "good")
    assert good_row[1:4] == (1, 3, 2)
    disagreements = _sheet(out, "Disagreements")
    assert sum(1 for r in disagreements if r[0] == "Force X") == 5
    assert _sheet(out, "Provenance")[0][0] == OUTPUT_MARKER


def test_case_references_are_written_as_text(fw: Framework, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "cases.csv", _readings(fw, ref=FORMULA[0]))
    out = tmp_path / "readers.xlsx"
    _invoke("moderate", str(path), "--between", "inspectors", "-o", str(out))
    ws = openpyxl.load_workbook(out)["Disagreements"]
    cell = next(c for c in ws["B"] if c.value == FORMULA[0])
    assert cell.data_type == "s" and cell.quotePrefix


def test_xlsx_needs_an_output_file(fw: Framework, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "cases.csv", _readings(fw))
    result = runner.invoke(
        app, ["moderate", str(path), "--between", "inspectors", "--format", "xlsx"]
    )
    assert result.exit_code == 2 and "-o" in result.stderr

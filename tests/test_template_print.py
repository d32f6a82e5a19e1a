"""The template as an audit team uses it: the Force column locked to their force (or a
drop-down of the register's), case references kept as typed text, a stage band above
the indicators, and a print setup that fits the page width and repeats the headers."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from inspect_cli.frameworks import Framework
from inspect_cli.load import load_cases
from inspect_cli.template import BAND_ROW, CASES_SHEET, FIRST_DATA_ROW, HEADER_ROW, write_template
from tests.helpers.cli import invoke
from tests.helpers.xlsx_dump import page_setup

HEADER = HEADER_ROW + 1  # as Excel numbers rows
FIRST = FIRST_DATA_ROW + 1


def _letters(ws: Any) -> dict[str, str]:
    """Column id → letter, from the header notes."""
    out = {}
    for cell in ws[HEADER]:
        match = re.match(r"Column id: (\S+)", cell.comment.text)
        assert match
        out[match.group(1)] = cell.column_letter
    return out


def _offered(wb: Any, ws: Any, cell: str) -> list[str]:
    """The answers the drop-down at ``cell`` offers, read from the Lists sheet."""
    (rule,) = [dv for dv in ws.data_validations.dataValidation if cell in dv.sqref]
    assert rule.type == "list" and rule.showErrorMessage
    match = re.fullmatch(r"=?Lists!\$([A-Z]+)\$(\d+):\$([A-Z]+)\$(\d+)", rule.formula1)
    assert match, rule.formula1
    col, first, _, last = match.groups()
    return [wb["Lists"][f"{col}{r}"].value for r in range(int(first), int(last) + 1)]


@pytest.fixture(scope="module")
def forced(fw: Framework, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "audit.xlsx"
    code = invoke("template", "ncpi-2014", "-o", path, "--force", "Force C").exit_code
    assert code == 0
    return path


def test_force_column_offers_only_that_force(forced: Path) -> None:
    wb = openpyxl.load_workbook(forced)
    ws = wb[CASES_SHEET]
    force = _letters(ws)["force"]
    assert _offered(wb, ws, f"{force}{FIRST}") == ["Force C"]
    assert _offered(wb, ws, f"{force}{FIRST + 999}") == ["Force C"]
    assert "Force C" in ws["A1"].value


def test_print_setup(forced: Path) -> None:
    ws = openpyxl.load_workbook(forced)[CASES_SHEET]
    # landscape, one page wide, as tall as it takes; stage band and header on every page
    assert page_setup(ws) == ("landscape", True, 1, 0, f"{BAND_ROW + 1}:{HEADER}")


def test_stage_band_names_each_stage_over_its_indicators(fw: Framework, forced: Path) -> None:
    ws = openpyxl.load_workbook(forced)[CASES_SHEET]
    letters = _letters(ws)
    merges = {str(m): m for m in ws.merged_cells.ranges if m.min_row == BAND_ROW + 1}
    for stage in fw.stages:
        ids = [ref.full_id for ref in fw.indicators if ref.stage.id == stage.id]
        if not ids:
            continue
        first, last = letters[ids[0]], letters[ids[-1]]
        assert ws[f"{first}{BAND_ROW + 1}"].value == stage.label
        if first != last:
            assert f"{first}{BAND_ROW + 1}:{last}{BAND_ROW + 1}" in merges


def test_case_reference_is_text_and_00417_round_trips(
    fw: Framework, forced: Path, tmp_path: Path
) -> None:
    wb = openpyxl.load_workbook(forced)
    ws = wb[CASES_SHEET]
    letters = _letters(ws)
    assert ws.column_dimensions[letters["case_ref"]].number_format == "@"
    # what Excel stores when 00417 is typed into a Text cell: the string, as openpyxl writes it
    values = {
        "case_ref": "00417",
        "force": "Force C",
        "area_of_practice": fw.areas_of_practice[0].label,
        "audit_type": "inspector",
        "overall_grade": fw.case_grades[0].label,
    }
    values |= {ref.full_id: ref.scale.best.label for ref in fw.indicators}
    for field_id, value in values.items():
        ws[f"{letters[field_id]}{FIRST}"].value = value
    filled = tmp_path / "filled.xlsx"
    wb.save(filled)
    result = load_cases([filled], fw)  # the stage band above the header changes nothing
    assert [p.code for p in result.errors] == []
    assert list(result.cases["case_ref"]) == ["00417"]
    assert list(result.cases["force"]) == ["Force C"]
    assert result.cases.iloc[0]["source_row"] == FIRST


def test_prefilled_rows_get_the_one_force_as_text(fw: Framework, tmp_path: Path) -> None:
    path = tmp_path / "audit.xlsx"
    rows = [{"case_ref": "00417"}, {"case_ref": "00418", "force": "Force C"}]
    write_template(fw, path, force="Force C", forces=("Force C",), rows=rows)
    ws = openpyxl.load_workbook(path)[CASES_SHEET]
    letters = _letters(ws)
    refs = [ws[f"{letters['case_ref']}{FIRST + i}"] for i in range(2)]
    assert [c.value for c in refs] == ["00417", "00418"]
    assert all(c.data_type == "s" and c.number_format == "@" for c in refs)
    assert [ws[f"{letters['force']}{FIRST + i}"].value for i in range(2)] == ["Force C"] * 2
    assert ws[f"{letters['force']}{FIRST + 2}"].value is None  # blank rows stay blank


def test_register_gives_a_drop_down_of_its_forces(tmp_path: Path) -> None:
    register = tmp_path / "forces.csv"
    register.write_text("force,alias\nForce C,Charlie\nForce D,\n", encoding="utf-8")
    every, one = tmp_path / "every.xlsx", tmp_path / "one.xlsx"
    assert invoke("template", "ncpi-2014", "-o", every, "--forces", register).exit_code == 0
    code = invoke("template", "ncpi-2014", "-o", one, "--forces", register, "--force", "Charlie")
    assert code.exit_code == 0
    for path, offered in ((every, ["Force C", "Force D"]), (one, ["Force C"])):
        wb = openpyxl.load_workbook(path)
        ws = wb[CASES_SHEET]
        assert _offered(wb, ws, f"{_letters(ws)['force']}{FIRST}") == offered
    assert "Force C" in openpyxl.load_workbook(one)[CASES_SHEET]["A1"].value  # listed name


def test_force_not_in_register_is_a_usage_error(tmp_path: Path) -> None:
    register = tmp_path / "forces.csv"
    register.write_text("force,alias\nForce C,Charlie\n", encoding="utf-8")
    target = tmp_path / "t.xlsx"
    result = invoke(
        "template", "ncpi-2014", "-o", target, "--forces", register, "--force", "Forse C"
    )
    assert result.exit_code == 2
    assert "'Forse C' is not in the force register" in result.stderr
    assert "Force C" in result.stderr and not target.exists()


def test_unreadable_register_is_exit_1(tmp_path: Path) -> None:
    register = tmp_path / "forces.csv"
    register.write_text("nothing,useful\nx,y\n", encoding="utf-8")
    target = tmp_path / "t.xlsx"
    result = invoke("template", "ncpi-2014", "-o", target, "--forces", register)
    assert result.exit_code == 1 and "forces.csv" in result.stderr
    assert not target.exists()

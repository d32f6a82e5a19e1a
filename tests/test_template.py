"""The case audit template: it loads as a case file and guides auditors to valid answers."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import yaml

from inspect_cli.fields import standard_fields
from inspect_cli.frameworks import Framework, load_framework_file, resolve_framework
from inspect_cli.load import LoadResult, load_cases
from inspect_cli.resources import data_dir
from inspect_cli.template import (
    CASES_SHEET,
    FIRST_DATA_ROW,
    HEADER_ROW,
    SPARE_ROWS,
    scale_answers,
    write_template,
)

HEADER = HEADER_ROW + 1  # as Excel numbers rows
FIRST = FIRST_DATA_ROW + 1
LAST = FIRST_DATA_ROW + SPARE_ROWS
HEADER_PROBLEMS = {
    "missing-column",
    "duplicate-column",
    "blank-header",
    "unknown-column",
    "merged-header",
    "header-not-found",
}


@pytest.fixture(scope="module")
def fw() -> Framework:
    return resolve_framework("ncpi-2014")


@pytest.fixture(scope="module")
def template(fw: Framework, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "audit.xlsx"
    write_template(fw, path, force="Kent Police")
    return path


def _column_ids(ws: Any) -> dict[str, str]:
    """Column id → letter, read back from the header notes (that is what they are for)."""
    out: dict[str, str] = {}
    for cell in ws[HEADER]:
        assert cell.comment is not None, f"header {cell.value!r} has no note"
        match = re.match(r"Column id: (\S+)", cell.comment.text)
        assert match, cell.comment.text
        out[match.group(1)] = cell.column_letter
    return out


def _valid_case(fw: Framework) -> dict[str, Any]:
    values: dict[str, Any] = {
        "case_ref": "C-001",
        "force": "Kent Police",
        "area_of_practice": fw.areas_of_practice[0].label,
        "audit_type": "inspector",
        "overall_grade": fw.case_grades[0].label,
        "audit_date": dt.datetime(2024, 3, 5),
        "child_age": 7,
        "looked_after": "no",
    }
    values.update({ref.full_id: ref.scale.best.label for ref in fw.indicators})
    return values


def _fill(template: Path, target: Path, values: dict[str, Any]) -> Path:
    """Fill the first data row as an auditor would in Excel (here with openpyxl)."""
    wb = openpyxl.load_workbook(template)
    ws = wb[CASES_SHEET]
    letters = _column_ids(ws)
    for field_id, value in values.items():
        cell = ws[f"{letters[field_id]}{FIRST}"]
        cell.value = value
        if isinstance(value, str):
            cell.data_type = "s"  # openpyxl would otherwise store '=1+1' as a formula
    wb.save(target)
    return target


def _errors(result: LoadResult) -> list[str]:
    return [p.code for p in result.errors]


def test_blank_template_header_is_fully_recognised(fw: Framework, template: Path) -> None:
    result = load_cases([template], fw)

    assert not HEADER_PROBLEMS & {p.code for p in result.problems}
    # A header with nothing under it is reported as 'no cases', and that is all.
    assert _errors(result) == ["no-cases"]
    assert len(result.cases) == 0


def test_filled_template_loads_as_one_case(fw: Framework, template: Path, tmp_path: Path) -> None:
    filled = _fill(template, tmp_path / "filled.xlsx", _valid_case(fw))

    result = load_cases([filled], fw)

    assert _errors(result) == []
    assert len(result.cases) == 1
    case = result.cases.iloc[0]
    assert case["source_row"] == FIRST
    assert case["area_of_practice"] == fw.areas_of_practice[0].id
    assert case["audit_date"] == dt.datetime(2024, 3, 5)
    assert case["child_age"] == 7
    assert all(case[ref.full_id] == ref.scale.best.id for ref in fw.indicators)


def test_columns_are_labelled_in_order_with_ids_in_notes(fw: Framework, template: Path) -> None:
    ws = openpyxl.load_workbook(template)[CASES_SHEET]
    labels = [c.value for c in ws[HEADER]]
    ids = list(_column_ids(ws))

    assert labels[:5] == [
        "Case reference",
        "Force",
        "Area of practice",
        "Audit type",
        "Overall grade",
    ]
    indicator_ids = [ref.full_id for ref in fw.indicators]
    comment_ids = [f"{stage.id}.comment" for stage in fw.stages]
    assert ids[-len(comment_ids) :] == comment_ids
    assert ids[-len(comment_ids) - len(indicator_ids) : -len(comment_ids)] == indicator_ids
    assert set(ids) == {f.id for f in standard_fields(fw)} | set(indicator_ids)
    note = ws[f"{_column_ids(ws)[fw.indicators[0].full_id]}{HEADER}"].comment.text
    assert fw.indicators[0].indicator.text in note


def _list_values(wb: Any, formula: str) -> list[str]:
    match = re.fullmatch(r"=?Lists!\$([A-Z]+)\$(\d+):\$([A-Z]+)\$(\d+)", formula)
    assert match, formula
    col, first, _, last = match.groups()
    return [wb["Lists"][f"{col}{r}"].value for r in range(int(first), int(last) + 1)]


def _rule_at(ws: Any, cell: str) -> Any:
    found = [dv for dv in ws.data_validations.dataValidation if cell in dv.sqref]
    assert len(found) == 1, f"{cell}: {len(found)} validations"
    return found[0]


def test_every_indicator_column_offers_its_answers(fw: Framework, template: Path) -> None:
    wb = openpyxl.load_workbook(template)
    ws = wb[CASES_SHEET]
    letters = _column_ids(ws)

    for ref in fw.indicators:
        letter = letters[ref.full_id]
        rule = _rule_at(ws, f"{letter}{FIRST}")
        assert rule.type == "list"
        assert f"{letter}{LAST}" in rule.sqref
        assert _list_values(wb, rule.formula1) == list(scale_answers(ref.scale))
        assert rule.showErrorMessage
        assert "Choose one of: " in rule.error


def test_field_validations(fw: Framework, template: Path) -> None:
    wb = openpyxl.load_workbook(template)
    ws = wb[CASES_SHEET]
    letters = _column_ids(ws)

    def rule(field_id: str) -> Any:
        return _rule_at(ws, f"{letters[field_id]}{FIRST}")

    areas = rule("area_of_practice")
    assert _list_values(wb, areas.formula1) == [a.label for a in fw.areas_of_practice]
    assert _list_values(wb, rule("audit_type").formula1) == ["self-assessment", "inspector"]
    grades = rule("overall_grade").formula1
    assert _list_values(wb, grades) == [g.label for g in fw.case_grades]
    # A double-read case's reconciled grade: the same drop-down (docs/moderation.md).
    assert _list_values(wb, rule("agreed_grade").formula1) == [g.label for g in fw.case_grades]
    assert _list_values(wb, rule("looked_after").formula1) == ["yes", "no", "unknown"]
    assert rule("audit_date").type == "date"
    assert ws.column_dimensions[letters["audit_date"]].number_format == "dd/mm/yyyy"
    age = rule("child_age")
    assert (age.type, age.formula1, age.formula2) == ("whole", "0", "17")
    assert "case_ref" in letters and not any(
        f"{letters['case_ref']}{FIRST}" in dv.sqref for dv in ws.data_validations.dataValidation
    )
    for dv in ws.data_validations.dataValidation:
        assert dv.error and len(dv.error) <= 255
    # The areas do not fit in Excel's 255 characters: whole names, then a pointer.
    assert areas.error.startswith(f"Choose one of: {fw.areas_of_practice[0].label}, ")
    assert areas.error.endswith("(all are listed on the Guidance sheet).")


def test_layout(fw: Framework, template: Path) -> None:
    wb = openpyxl.load_workbook(template)
    ws = wb[CASES_SHEET]

    # no 'About': it must load as cases (a Force sheet is read as force-level judgements)
    assert wb.sheetnames == ["Cases", "Guidance", "Lists", "Force"]
    assert wb.active.title == CASES_SHEET
    assert ws.freeze_panes == f"B{FIRST}"
    assert wb["Lists"].sheet_state == "hidden"
    assert ws.auto_filter.ref is not None and ws.auto_filter.ref.startswith(f"A{HEADER}:")
    assert "Kent Police" in ws["A1"].value and fw.title in ws["A1"].value
    assert f"Framework id: {fw.id} {fw.version}." in ws["A2"].value
    assert wb.properties.subject == f"{fw.id} {fw.version}"
    assert "inspect-cli" in (wb.properties.description or "")


def test_guidance_lists_every_indicator_and_field(fw: Framework, template: Path) -> None:
    ws = openpyxl.load_workbook(template)["Guidance"]
    column_b = {c.value for c in ws["B"] if c.value}

    assert {ref.full_id for ref in fw.indicators} <= column_b
    assert {f.id for f in standard_fields(fw)} <= column_b
    text = " ".join(str(c.value) for row in ws.iter_rows() for c in row if c.value)
    assert fw.overall_question[:40] in text
    assert "Not applicable never counts against a case" in text


def _sheet_xml(path: Path) -> list[bytes]:
    with zipfile.ZipFile(path) as zf:
        return [zf.read(n) for n in zf.namelist() if n.startswith("xl/worksheets/sheet")]


def test_formula_like_labels_are_written_as_text(tmp_path: Path) -> None:
    shipped = data_dir("frameworks") / "ncpi-2014.yaml"
    data = yaml.safe_load(shipped.read_text(encoding="utf-8"))
    data["title"] = '=HYPERLINK("http://example.com","x")'
    data["areas_of_practice"][0]["label"] = "=1+1"
    data["stages"][0]["indicators"][0]["label"] = '=HYPERLINK("x")'
    data["stages"][0]["label"] = "+SUM(1,2)"
    yaml_path = tmp_path / "evil.yaml"
    yaml_path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    fw = load_framework_file(yaml_path)
    target = tmp_path / "evil.xlsx"

    write_template(fw, target, force="=cmd|' /C calc'!A0")

    for xml in _sheet_xml(target):
        assert re.search(rb"<f[\s>/]", xml) is None
    wb = openpyxl.load_workbook(target)
    ws = wb[CASES_SHEET]
    assert '=HYPERLINK("x")' in [c.value for c in ws[HEADER]]
    assert ws["A1"].data_type == "s"
    result = load_cases([target], fw)
    assert not HEADER_PROBLEMS & {p.code for p in result.problems}
    filled = _fill(target, tmp_path / "filled.xlsx", _valid_case(fw))
    loaded = load_cases([filled], fw)
    assert _errors(loaded) == []
    assert loaded.cases.iloc[0]["area_of_practice"] == fw.areas_of_practice[0].id


def test_prefilled_rows_are_text_and_load(fw: Framework, tmp_path: Path) -> None:
    sample = [
        {"case_ref": "=1+1", "force": "Kent Police", "audit_type": "inspector"},
        {"case_ref": "00123", "force": "Kent Police", "audit_type": "inspector"},
    ]
    for row in sample:
        row["area_of_practice"] = fw.areas_of_practice[0].label
        row.update({ref.full_id: ref.scale.worst.label for ref in fw.indicators})
    target = tmp_path / "sample.xlsx"

    write_template(fw, target, rows=sample)

    for xml in _sheet_xml(target):
        assert re.search(rb"<f[\s>/]", xml) is None
    result = load_cases([target], fw)
    assert _errors(result) == []
    assert list(result.cases["case_ref"]) == ["=1+1", "00123"]  # no formula, no lost zeros
    ws = openpyxl.load_workbook(target)[CASES_SHEET]
    rule = _rule_at(ws, f"{_column_ids(ws)[fw.indicators[0].full_id]}{LAST + len(sample)}")
    assert rule.type == "list"


def test_rows_with_unknown_columns_are_refused(fw: Framework, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="not template columns: shoe_size"):
        write_template(fw, tmp_path / "x.xlsx", rows=[{"case_ref": "1", "shoe_size": "9"}])

"""The recommendations register (issue 15, item 4): reading a YAML or workbook register,
every problem it can have located (file, sheet, row or line, column), and the sample
registers of both rounds."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from inspect_cli.frameworks import Framework
from inspect_cli.load import expand_inputs
from inspect_cli.load.recommendations import RecommendationRegister, read_recommendations
from inspect_cli.load.recommendations_files import FIELDS
from inspect_cli.problems import Problem

from .conftest import ROOT, SAMPLES
from .helpers.builders import write_xlsx

GOOD = """\
recommendations:
  - id: R1
    force: Force X
    type: Cause of concern
    theme: investigations
    text: Review outstanding investigations.
    stages: [investigation]
    indicators: [investigation.no_drift, initial_contact.child_seen]
    made: 2014-10-15
    action_plan_due: 2014-11-26
    status: Amber
    owner: A. Person
  - id: R2
    force: FORCE  x
    type: area_for_improvement
    text: Leadership.
    made: 15/10/2014
"""


def _write(tmp_path: Path, text: str, name: str = "register.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _read(fw: Framework, path: Path) -> RecommendationRegister:
    read = read_recommendations(path, fw)
    assert isinstance(read, RecommendationRegister), read
    return read


def _problems(fw: Framework, path: Path) -> list[Problem]:
    read = read_recommendations(path, fw)
    assert isinstance(read, list), "expected problems"
    return read


def test_a_yaml_register_is_read_and_typed(fw: Framework, tmp_path: Path) -> None:
    register = _read(fw, _write(tmp_path, GOOD))
    first, second = register.recommendations
    assert first.kind == "cause of concern" and first.status == "amber"
    assert first.stages == ("investigation",)
    assert first.indicators == ("investigation.no_drift", "initial_contact.child_seen")
    assert (first.made, first.action_plan_due) == (dt.date(2014, 10, 15), dt.date(2014, 11, 26))
    assert first.owner == "A. Person"
    # No due date is worked out: the register says what it says.
    assert second.kind == "area for improvement" and second.action_plan_due is None
    assert second.made == dt.date(2014, 10, 15) and second.status is None
    assert register.for_force("force x") == (first, second)


def test_a_plain_list_is_a_register_too(fw: Framework, tmp_path: Path) -> None:
    text = GOOD.replace("recommendations:\n", "").replace("\n  ", "\n")
    assert len(_read(fw, _write(tmp_path, text.lstrip())).recommendations) == 2


def test_stages_may_be_named_by_label_and_lists_by_text(fw: Framework, tmp_path: Path) -> None:
    text = GOOD.replace("stages: [investigation]", "stages: Investigation; Decision making")
    text = text.replace(
        "indicators: [investigation.no_drift, initial_contact.child_seen]",
        "indicators: investigation.no_drift, investigation.no_drift",
    )
    first = _read(fw, _write(tmp_path, text)).recommendations[0]
    assert first.stages == ("investigation", "decision_making")
    assert first.indicators == ("investigation.no_drift",)


BAD_CASES = [
    # (change to GOOD, code, row (YAML line), header)
    ("    colour: blue\n", "recommendation-unknown-field", 13, None),
    ("    text: \n", "recommendation-missing", 18, "text"),
    ("    type: advice\n", "recommendation-invalid", 18, "type"),
    ("    status: purple\n", "recommendation-invalid", 18, "status"),
    ("    action_plan_due: soon\n", "recommendation-invalid", 18, "action_plan_due"),
    ("    stages: [custody]\n", "recommendation-not-in-framework", 18, "stages"),
    ("    indicators: [no_drift]\n", "recommendation-not-in-framework", 18, "indicators"),
    ("    action_plan_due: 2014-10-01\n", "action-plan-before-made", 18, "action_plan_due"),
]


@pytest.mark.parametrize(("extra", "code", "row", "header"), BAD_CASES)
def test_each_problem_is_located(
    fw: Framework, tmp_path: Path, extra: str, code: str, row: int, header: str | None
) -> None:
    """Each change is added to the second recommendation (line 13 on)."""
    lines = GOOD.splitlines(keepends=True)
    if code == "recommendation-unknown-field":
        lines.insert(12, extra)
    else:
        field = extra.split(":")[0].strip()
        lines = [line for line in lines[13:] if not line.startswith(f"    {field}:")]
        lines = [*GOOD.splitlines(keepends=True)[:13], *lines, extra]
        row = len(lines)  # the line changed is the last
    problems = _problems(fw, _write(tmp_path, "".join(lines)))
    assert [p.code for p in problems] == [code], problems
    p = problems[0]
    assert (p.file, p.sheet, p.row, p.header) == ("register.yaml", None, row, header), p
    assert p.severity == "error"
    if code != "recommendation-unknown-field":
        assert p.message.startswith("recommendation 2: ")


def test_a_duplicate_id_names_where_it_was_first(fw: Framework, tmp_path: Path) -> None:
    problems = _problems(fw, _write(tmp_path, GOOD.replace("id: R2", "id: r1")))
    assert [p.code for p in problems] == ["recommendation-duplicate-id"]
    assert problems[0].row == 13 and "row 2" in problems[0].message


def test_a_missing_required_field_is_named(fw: Framework, tmp_path: Path) -> None:
    problems = _problems(fw, _write(tmp_path, GOOD.replace("    made: 15/10/2014\n", "")))
    assert [(p.code, p.header) for p in problems] == [("recommendation-missing", "made")]


def test_text_and_owner_never_reach_a_message(fw: Framework, tmp_path: Path) -> None:
    secret = "Jane Secret-Child"
    text = GOOD.replace("text: Leadership.", f"text: {secret}\n    type2: {secret}")
    text = text.replace("type: area_for_improvement", f"type: {secret}")
    text = text.replace("status: Amber", f"status: {secret}")
    problems = _problems(fw, _write(tmp_path, text))
    assert problems and all(secret not in p.message for p in problems)


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("a: &x [1]\nb: *x\n", "anchors and aliases"),
        ("recommendations: [\n", "not valid YAML"),
        ("just text\n", "expected a list"),
        ("other: []\n", "the one key 'recommendations'"),
        ("", "empty"),
        ("- just text\n", "not a mapping"),
    ],
)
def test_an_unusable_file_is_refused(fw: Framework, tmp_path: Path, text: str, says: str) -> None:
    problems = _problems(fw, _write(tmp_path, text))
    assert [p.code for p in problems] == ["bad-recommendations-file"]
    assert says in problems[0].message


def test_a_yaml_bomb_is_refused_before_expanding(fw: Framework, tmp_path: Path) -> None:
    lines = ['a0: &a0 ["x","x","x","x","x","x","x","x","x"]']
    lines += [f"a{i}: &a{i} [{','.join(['*a' + str(i - 1)] * 9)}]" for i in range(1, 9)]
    problems = _problems(fw, _write(tmp_path, "\n".join(lines) + "\n"))
    assert "anchors and aliases" in problems[0].message


def test_other_files_are_refused(fw: Framework, tmp_path: Path) -> None:
    problems = _problems(fw, _write(tmp_path, "id,force\n", "register.csv"))
    assert problems[0].code == "bad-recommendations-file" and ".yaml" in problems[0].message


# --------------------------------------------------------------------------- workbooks


def _sheet(rows: list[list[Any]]) -> list[list[Any]]:
    head = ["ID", "Force", "Type", "Text", "Stages", "Indicators", "Made", "Action plan due"]
    return [head, *rows]


def test_a_workbook_register_is_read(fw: Framework, tmp_path: Path) -> None:
    rows: list[list[Any]] = [
        ["R1", "Force X", "recommendation", "Do it.", "investigation", "investigation.no_drift"],
        [],  # a blank row between is skipped
        ["R2", "Force Y", "cause of concern", "Do that.", "", "", dt.date(2014, 10, 15)],
    ]
    rows[0] += [dt.datetime(2014, 10, 15), "2014-11-26"]
    path = write_xlsx(tmp_path / "r.xlsx", {"Recommendations": _sheet(rows), "Other": [["x"]]})
    first, second = _read(fw, path).recommendations
    assert first.action_plan_due == dt.date(2014, 11, 26) and first.stages == ("investigation",)
    assert second.force == "Force Y" and second.made == dt.date(2014, 10, 15)


def test_workbook_problems_name_sheet_row_and_column(fw: Framework, tmp_path: Path) -> None:
    rows: list[list[Any]] = [
        ["R1", "Force X", "recommendation", "Do it.", "nowhere", "", "2014-10-15"],
        ["R2", "Force X", "recommendation", "", "", "", "2014-10-15"],
    ]
    table = _sheet(rows)
    table[0].append("Colour")
    path = write_xlsx(tmp_path / "r.xlsx", {"Recommendations": table}, errors={"G3": "#N/A"})
    found = {(p.code, p.sheet, p.row, p.column) for p in _problems(fw, path)}
    assert found == {
        ("recommendation-unknown-field", "Recommendations", 1, "I"),
        ("recommendation-not-in-framework", "Recommendations", 2, "E"),
        ("recommendation-missing", "Recommendations", 3, "D"),
        ("recommendation-invalid", "Recommendations", 3, "G"),
    }


def test_a_workbook_without_the_sheet_is_refused(fw: Framework, tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "r.xlsx", {"Cases": [["x"]]})
    problems = _problems(fw, path)
    assert problems[0].code == "bad-recommendations-file" and "'Cases'" in problems[0].message


def test_the_fields_are_documented() -> None:
    doc = (ROOT / "docs" / "recommendations.md").read_text(encoding="utf-8")
    for name in FIELDS:
        assert f"`{name}`" in doc, name


# --------------------------------------------------------------------------- samples


@pytest.mark.parametrize("folder", [SAMPLES, ROOT / "sample_cases_2016"])
def test_each_sample_round_has_a_register(fw: Framework, folder: Path) -> None:
    register = _read(fw, folder / "recommendations.yaml")
    forces = {r.force for r in register.recommendations}
    assert forces == {f"Force {x}" for x in "BCDEFGH"}  # the forces inspectors assessed
    assert {r.kind for r in register.recommendations} >= {"recommendation", "cause of concern"}
    assert any(r.owner for r in register.recommendations)


def test_the_register_in_a_case_folder_is_not_read_as_cases() -> None:
    files, problems = expand_inputs([SAMPLES], recursive=False)
    assert all(p.suffix != ".yaml" for p in files) and problems == []

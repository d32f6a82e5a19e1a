"""A rationale where the recorded grade differs from the framework's suggestion (issue 14
item 1): ``reporting.rationale_required_when_differs`` makes a blank ``grade_rationale``
a located warning (the default), an error (the row refused) or nothing."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema  # type: ignore[import-untyped]  # test-only; no stubs
import pytest

from inspect_cli.cli import app
from inspect_cli.frameworks import Framework, resolve_framework
from inspect_cli.load import load_cases
from inspect_cli.pipeline import load_and_score
from inspect_cli.read import Limits
from tests.helpers.builders import Table, case_table, col, drop_column, letter, write_csv
from tests.helpers.cli import runner

from .conftest import ROOT

RATIONALE = "Grade rationale"


def _framework(tmp_path: Path, setting: str) -> Path:
    text = (ROOT / "frameworks" / "ncpi-2014.yaml").read_text(encoding="utf-8")
    assert text.count("\nreporting:\n") == 1
    path = tmp_path / f"ncpi-{setting}.yaml"
    line = f"\nreporting:\n  rationale_required_when_differs: {setting}\n"
    path.write_text(text.replace("\nreporting:\n", line), encoding="utf-8")
    return path


def _table(fw: Framework, tmp_path: Path) -> Table:
    """Six cases: 2 and 5 recorded one grade away from the suggestion (5 with a
    rationale), the others recorded as suggested."""
    table = case_table(fw, 6)
    probe = write_csv(tmp_path / "probe.csv", table)
    scored = load_and_score([probe], fw, limits=Limits()).result
    assert scored is not None
    suggested = scored.scored["grade"].tolist()
    for i, row in enumerate(table[1:], start=1):
        grade = suggested[i - 1]
        if i in (2, 5):
            grade = "inadequate" if grade != "inadequate" else "good"
        row[col(table, "Overall grade")] = grade
    table[5][col(table, RATIONALE)] = "The child was left at risk for weeks."
    return table


def _problems(*args: str, code: int) -> list[dict[str, Any]]:
    result = runner.invoke(app, ["validate", *args, "--format", "json"])
    assert result.exit_code == code, result.stdout + result.stderr
    found = json.loads(result.stdout)["problems"]
    return [p for p in found if p["code"] == "rationale-missing"]


def test_the_default_is_a_located_warning(fw: Framework, tmp_path: Path) -> None:
    assert fw.reporting.rationale_required_when_differs == "warning"
    table = _table(fw, tmp_path)
    path = write_csv(tmp_path / "cases.csv", table)
    [problem] = _problems(str(path), code=0)
    assert problem["severity"] == "warning"
    assert (problem["file"], problem["row"]) == ("cases.csv", 3)
    assert (problem["column"], problem["header"]) == (letter(table, RATIONALE), RATIONALE)
    assert "the framework suggests" in problem["message"]
    assert "rationale_required_when_differs: warning" in problem["message"]
    # Every scoring command lists it too, and still reports on every case.
    result = runner.invoke(app, ["report", "thematic", str(path), "--format", "json"])
    assert result.exit_code == 0 and "rationale-missing" not in result.stdout
    assert "no grade rationale says why" in " ".join(result.stderr.split())
    assert json.loads(result.stdout)["total"]["total"] == 6


def test_without_a_rationale_column_the_grade_cell_is_named(fw: Framework, tmp_path: Path) -> None:
    table = drop_column(_table(fw, tmp_path), RATIONALE)
    path = write_csv(tmp_path / "cases.csv", table)
    found = _problems(str(path), code=0)
    assert [p["row"] for p in found] == [3, 6]  # no column: case 5's rationale is gone too
    assert {p["column"] for p in found} == {letter(table, "Overall grade")}


def test_error_refuses_the_row(fw: Framework, tmp_path: Path) -> None:
    strict = str(_framework(tmp_path, "error"))
    table = _table(fw, tmp_path)
    path = write_csv(tmp_path / "cases.csv", table)
    [problem] = _problems(str(path), "--framework", strict, code=1)
    assert problem["severity"] == "error" and problem["row"] == 3
    refused = runner.invoke(app, ["report", "thematic", str(path), "--framework", strict])
    assert refused.exit_code == 1
    args = ["report", "thematic", str(path), "--framework", strict, "--allow-partial"]
    partial = runner.invoke(app, [*args, "--format", "json"])
    assert partial.exit_code == 0, partial.stderr
    report = json.loads(partial.stdout)
    [left] = report["provenance"]["left_out"]
    assert (left["row"], left["code"]) == (3, "rationale-missing")
    # The figures are those of the same cases without that row.
    rest = write_csv(tmp_path / "rest.csv", [row for i, row in enumerate(table) if i != 2])
    oracle = runner.invoke(
        app, ["report", "thematic", str(rest), "--framework", strict, "--format", "json"]
    )
    assert oracle.exit_code == 0, oracle.stderr
    expected = json.loads(oracle.stdout)
    for key in ("forces", "total", "stages", "grades_used", "judgement_and_rule"):
        assert report[key] == expected[key], key


def test_score_and_pipeline_carry_the_problem(fw: Framework, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "cases.csv", _table(fw, tmp_path))
    scored = load_and_score([path], fw, limits=Limits())
    assert [p.code for p in scored.load.problems] == ["rationale-missing"]
    assert scored.result is not None and len(scored.result.cases) == 6
    strict = resolve_framework(str(_framework(tmp_path, "error")))
    refused = load_and_score([path], strict, limits=Limits())
    assert refused.result is None and not refused.load.ok
    partial = load_and_score([path], strict, limits=Limits(), allow_partial=True)
    assert partial.result is not None and len(partial.result.cases) == 5
    assert partial.load.rejected["source_row"].tolist() == [3]
    assert [s.cases for s in partial.load.sources] == [5]


def test_off_says_nothing(fw: Framework, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "cases.csv", _table(fw, tmp_path))
    assert _problems(str(path), "--framework", str(_framework(tmp_path, "off")), code=0) == []


def test_agreeing_or_ungraded_cases_need_no_rationale(fw: Framework, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "cases.csv", case_table(fw, 6))  # no overall grade at all
    assert _problems(str(path), code=0) == []
    assert load_cases([path], fw).ok


@pytest.mark.parametrize("value", ["warning", "error", "off"])
def test_the_setting_is_shown_and_exported(value: str, tmp_path: Path) -> None:
    path = _framework(tmp_path, value)
    assert resolve_framework(str(path)).reporting.rationale_required_when_differs == value
    result = runner.invoke(app, ["frameworks", "show", str(path), "--format", "json"])
    assert result.exit_code == 0, result.stderr
    shown = json.loads(result.stdout)
    assert shown["reporting"]["rationale_required_when_differs"] == value
    schema = json.loads((ROOT / "docs/schemas/frameworks-show.schema.json").read_text("utf-8"))
    reporting = schema["properties"]["reporting"]
    jsonschema.Draft202012Validator(reporting).validate(shown["reporting"])


def test_an_unknown_setting_is_refused(tmp_path: Path) -> None:
    result = runner.invoke(app, ["frameworks", "check", str(_framework(tmp_path, "maybe"))])
    assert result.exit_code != 0

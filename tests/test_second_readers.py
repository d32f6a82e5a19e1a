"""Second readers (issue 14): the same case read by two inspectors loads as a double
reading, every report counts it once (agreed grade, else the first reading), and
``moderate --between inspectors`` measures agreement between the readings."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema  # type: ignore[import-untyped]  # test-only; no stubs
import pytest

from inspect_cli.cli import app
from inspect_cli.frameworks import Framework
from tests.helpers.builders import Table, case_table, col, write_csv
from tests.helpers.cli import runner
from tests.helpers.html_checks import CSP, PAYLOAD, assert_escaped, parse

from .conftest import ROOT

FIRST = ["good", "adequate", "poor", "good", "adequate", "good", "good", "adequate", "poor", "good"]
SECOND = ["good", "adequate", "poor", "adequate", "adequate", "poor"]


def _readings(fw: Framework, second_auditor: str | None = "Inspector B") -> Table:
    """Ten cases read by Inspector A; the first six read again; case 4 reconciled."""
    table = case_table(fw, 10)
    rows: Table = [table[0]]
    for i, row in enumerate(table[1:]):
        new = list(row)
        new[col(table, "Auditor")] = "Inspector A"
        new[col(table, "Overall grade")] = FIRST[i]
        rows.append(new)
    for i, row in enumerate(table[1:7]):
        new = list(row)
        new[col(table, "Auditor")] = second_auditor or ""
        new[col(table, "Overall grade")] = SECOND[i]
        if i == 3:
            new[col(table, "Agreed grade")] = "Adequate"
        rows.append(new)
    return rows


def _schema(name: str) -> Any:
    schema = json.loads((ROOT / "docs" / "schemas" / f"{name}.schema.json").read_text("utf-8"))
    return jsonschema.Draft202012Validator(schema)


def _json(*args: str, code: int = 0) -> Any:
    result = runner.invoke(app, [*args, "--format", "json"])
    assert result.exit_code == code, result.stderr
    return json.loads(result.stdout) if code == 0 else result


def test_double_readings_load_and_count_once(fw: Framework, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "cases.csv", _readings(fw))
    checked = _json("validate", str(path))
    assert checked["ok"] and checked["cases"] == 16
    thematic = _json("report", "thematic", str(path))
    total = thematic["total"]
    # First readings, case 4 by its agreed grade (adequate, not the first reader's good).
    assert (total["good"], total["adequate"], total["inadequate"], total["total"]) == (4, 4, 2, 10)
    assert any("6 case(s) were read by more than one auditor" in n for n in thematic["notes"])
    force = _json("report", "force", str(path), "--force", "Force X")
    assert any("read by more than one auditor" in n for n in force["notes"])


def test_each_report_counts_the_double_readings_of_its_own_cases(
    fw: Framework, tmp_path: Path
) -> None:
    # Force X: six cases read twice; Force Y: the same readings, but only as far as
    # case 3 (two cases read twice); and self-assessments read twice, which an
    # inspector report does not count.
    x = _readings(fw)
    y = [x[0]] + [list(r) for r in x[1:] if r[col(x, "Case reference")] in _refs(x, 2)]
    for row in y[1:]:
        row[col(x, "Force")] = "Force Y"
    own = [x[0]] + [list(r) for r in x[1:]]
    for row in own[1:]:
        row[col(x, "Audit type")] = "self-assessment"
    path = write_csv(tmp_path / "cases.csv", x + y[1:] + own[1:])
    notes = {
        force: _json("report", "force", str(path), "--force", force)["notes"]
        for force in ("Force X", "Force Y")
    }
    assert any("6 case(s) were read by more than one auditor" in n for n in notes["Force X"])
    assert any("2 case(s) were read by more than one auditor" in n for n in notes["Force Y"])
    thematic = _json("report", "thematic", str(path))["notes"]
    assert any("8 case(s) were read by more than one auditor" in n for n in thematic)
    everyone = _json("report", "thematic", str(path), "--audit-type", "all")["notes"]
    assert any("14 case(s) were read by more than one auditor" in n for n in everyone)
    rounds = [f"2014={path}", f"2016={path}"]
    trend = _json("trend", *rounds, "--force", "Force Y")["notes"]
    assert any("4 case(s) were read by more than one auditor" in n for n in trend)


def _refs(table: Table, n: int) -> set[str]:
    """The first ``n`` case references of a table."""
    return {str(r[col(table, "Case reference")]) for r in table[1 : n + 1]}


@pytest.mark.parametrize("second", ["Inspector A", " inspector  a ", None])
def test_same_or_no_auditor_is_still_a_duplicate(
    fw: Framework, tmp_path: Path, second: str | None
) -> None:
    path = write_csv(tmp_path / "cases.csv", _readings(fw, second))
    result = runner.invoke(app, ["validate", str(path), "--format", "json"])
    assert result.exit_code == 1
    problems = json.loads(result.stdout)["problems"]
    dups = [p for p in problems if p["code"] == "duplicate-case"]
    assert len(dups) == 6
    assert "a second reading of a case needs a different name" in dups[0]["message"]


def test_between_inspectors(fw: Framework, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "cases.csv", _readings(fw))
    data = _json("moderate", str(path), "--between", "inspectors")
    _schema("moderate-inspectors").validate(data)
    a = data["overall"]
    assert data["between"] == "inspectors" and data["read_once"] == 4
    assert (a["cases"], a["readings"], a["readers"], a["unanimous"]) == (6, 12, 2, 4)
    assert a["confusion"] == [[1, 1, 1], [0, 2, 0], [0, 0, 1]]
    assert a["disagreements"] == [
        {"case_ref": "C0004", "grades": ["good", "adequate"], "agreed_grade": "adequate"},
        {"case_ref": "C0006", "grades": ["good", "inadequate"], "agreed_grade": None},
    ]
    # Two raters, six cases: pairs agreeing 4/6; Fleiss' kappa and AC1 by hand:
    # shares of ratings pi = (5/12, 4/12, 3/12); Fleiss p_e = sum pi^2 = 50/144,
    # kappa = (2/3 - 50/144) / (1 - 50/144) = 46/94; AC1 p_e = sum pi(1 - pi) / 2 = 47/144.
    assert a["pairwise_agreement"] == pytest.approx(0.667, abs=1e-3)
    assert a["fleiss_kappa"]["value"] == pytest.approx(46 / 94, abs=1e-3)
    ac1 = (2 / 3 - 47 / 144) / (1 - 47 / 144)
    assert a["gwet_ac1"]["value"] == pytest.approx(ac1, abs=1e-3)
    # Six cases cannot show agreement better than chance at 95%: the words say so.
    assert a["gwet_ac2"]["benchmark"] == "poor"
    assert "not shown to be better than chance" in a["gwet_ac2"]["words"]
    text = runner.invoke(app, ["moderate", str(path), "--between", "inspectors"])
    assert text.exit_code == 0 and "C0006" in text.stdout


def test_between_inspectors_three_readers_missing_allowed(fw: Framework, tmp_path: Path) -> None:
    rows = _readings(fw)
    third = list(rows[1])
    third[col(rows, "Auditor")] = "Inspector C"
    third[col(rows, "Overall grade")] = "adequate"
    rows.append(third)  # case 1 read three times, the others twice
    path = write_csv(tmp_path / "cases.csv", rows)
    a = _json("moderate", str(path), "--between", "inspectors")["overall"]
    assert (a["cases"], a["readings"], a["readers"]) == (6, 13, 3)
    assert a["confusion"] is None and a["cohen_kappa"] is None  # not all pairs
    assert a["gwet_ac2"]["value"] is not None and a["fleiss_kappa"]["value"] is not None


def test_between_inspectors_refusals(fw: Framework, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "cases.csv", case_table(fw, 3))
    result = runner.invoke(app, ["moderate", str(path), "--between", "inspectors"])
    assert result.exit_code == 2 and "no inspector case was read by more than one" in result.stderr
    double = write_csv(tmp_path / "double.csv", _readings(fw))
    result = runner.invoke(
        app, ["moderate", str(double), "--between", "inspectors", "--format", "xlsx"]
    )
    assert result.exit_code == 2


def test_moderation_counts_a_double_read_case_once(fw: Framework, tmp_path: Path) -> None:
    rows = _readings(fw)
    own = list(rows[4])  # case 4: the force's self-assessment, graded good
    own[col(rows, "Audit type")] = "self-assessment"
    own[col(rows, "Auditor")] = "Force auditor"
    own[col(rows, "Overall grade")] = "good"
    rows.append(own)
    path = write_csv(tmp_path / "cases.csv", rows)
    a = _json("moderate", str(path))["overall"]
    # One pair, not two: the inspectors' grade of record is the agreed 'adequate'.
    assert a["matched"] == 1 and a["confusion"][0][1] == 1


def test_conflicting_agreed_grades_are_refused(fw: Framework, tmp_path: Path) -> None:
    rows = _readings(fw)
    agreed = col(rows, "Agreed grade")
    rows[4][agreed] = "Good"  # case 4's first reading: good; its second (row 15): adequate
    path = write_csv(tmp_path / "cases.csv", rows)
    result = runner.invoke(app, ["validate", str(path), "--format", "json"])
    assert result.exit_code == 1
    [p] = [p for p in json.loads(result.stdout)["problems"] if p["severity"] == "error"]
    assert p["code"] == "agreed-grade-conflict" and p["row"] == 15
    assert "'adequate'" in p["message"] and "cases.csv, row 5" in p["message"]
    rows[4][agreed] = "adequate"  # the same agreed grade on both readings is fine
    assert runner.invoke(app, ["validate", str(write_csv(path, rows))]).exit_code == 0


def test_trend_counts_a_double_read_case_once(fw: Framework, tmp_path: Path) -> None:
    first = tmp_path / "2014"
    later = tmp_path / "2016"
    first.mkdir()
    later.mkdir()
    write_csv(first / "cases.csv", _readings(fw))
    write_csv(later / "cases.csv", _readings(fw)[:11])  # no second readings
    data = _json("trend", f"2014={first}", f"2016={later}")
    rounds = data["overall"]["rounds"]
    assert [r["total"] for r in rounds] == [10, 10]
    assert any("6 case(s) were read by more than one auditor" in n for n in data["notes"])


def test_between_inspectors_html(fw: Framework, tmp_path: Path) -> None:
    rows = _readings(fw)
    rows[6][col(rows, "Case reference")] = PAYLOAD  # case 6 read twice, graded differently
    rows[16][col(rows, "Case reference")] = PAYLOAD
    path = write_csv(tmp_path / "cases.csv", rows)
    out = tmp_path / "readers.html"
    result = runner.invoke(app, ["moderate", str(path), "--between", "inspectors", "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    html = out.read_text(encoding="utf-8")
    assert CSP in html and "<h1>Agreement between inspectors</h1>" in html
    assert_escaped(html)  # a case reference is input text: shown, never markup
    page = parse(html)
    # summary, confusion, disagreements, auditor drift
    assert page.tables == page.captions_first == 4
    assert all(scope in ("col", "row") for scope in page.th_scopes)
    assert '<td class="num same">1</td>' in html and '<td class="num same">2</td>' in html
    assert "Gwet&#39;s AC2 (linear weights): 0.45" in html
    assert "4 inspector cases read once are not in these figures" in html

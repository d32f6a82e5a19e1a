"""The grade of record (issue 14, item 1): --grade-source auto, the default, counts the
auditor's recorded conclusion where there is one and the framework's suggested grade
where not; every report says how many of each it used; the judgement-and-rule section
compares the two; published reports leave it out."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pandas as pd
from typer.testing import Result

from inspect_cli.frameworks import Framework
from inspect_cli.provenance import provenance_for
from inspect_cli.reports.counts import counted_grade
from inspect_cli.reports.force import force_report
from inspect_cli.reports.thematic import thematic_report
from inspect_cli.score import ScoreResult

from .helpers.builders import case_table, set_cell, write_csv
from .helpers.scoring import cases_frame, score_frame

Cli = Callable[..., Result]


def _result(fw: Framework, recorded: list[str | None], answer: str = "yes") -> ScoreResult:
    """Cases answered ``answer`` on the first indicator (suggested good for 'yes'), with
    these recorded conclusions."""
    first = fw.indicators[0].full_id
    frame = cases_frame(fw, [{first: answer}] * len(recorded), overall_grade=recorded)
    return score_frame(fw, frame)


def test_auto_takes_the_recorded_grade_where_given_and_the_suggestion_where_not(
    fw: Framework,
) -> None:
    frame = _result(fw, ["poor", None, "excellent"]).combined()
    grade, kind = counted_grade(frame, "auto")
    assert grade.tolist() == ["inadequate", "good", "good"]
    assert kind.tolist() == ["recorded", "computed", "recorded"]
    assert counted_grade(frame, "computed")[0].tolist() == ["good"] * 3
    recorded = counted_grade(frame, "recorded")[0]
    assert recorded.isna().tolist() == [False, True, False]


def test_every_report_says_how_many_grades_of_each_kind(fw: Framework) -> None:
    result = _result(fw, ["poor", None, "adequate", None])
    prov = replace(provenance_for(fw, None), created="fixed")
    report = thematic_report(result, prov)
    assert report.meta.grade_source == "auto"
    assert dict(report.meta.grades_used) == {"recorded": 2, "computed": 2}
    assert report.total.inadequate == 1 and report.total.good == 2
    assert any("2 recorded by the auditor and 2 suggested" in n for n in report.meta.notes)
    # The framework's rules hold for the counts only when every counted grade is computed.
    assert not report.meta.all_computed
    assert thematic_report(result, prov, grade_source="computed").meta.all_computed
    assert thematic_report(_result(fw, [None, None]), prov).meta.all_computed


def test_judgement_and_rule_by_direction_with_rationale(fw: Framework) -> None:
    recorded = ["poor", "good", "adequate", "good"]  # suggestion: good for every case
    result = _result(fw, recorded)
    result.cases["grade_rationale"] = pd.Series(
        [None, None, "Child not seen for a week", None], dtype="string"
    )
    prov = replace(provenance_for(fw, None), created="fixed")
    report = force_report(result, prov, "Force T")
    j = report.judgement
    assert j is not None
    (row,) = j.rows
    assert (row.compared, row.agree, row.recorded_higher, row.recorded_lower) == (4, 2, 0, 2)
    assert row.without_rationale == 1  # 'poor' has none; 'adequate' gives one
    assert [(d.recorded, d.suggested, d.rationale) for d in j.differences] == [
        ("poor", "good", None),
        ("adequate", "good", "Child not seen for a week"),
    ]
    # The auditor's free text may name the force: not listed when anonymised.
    anonymised = force_report(result, prov, "Force T", names={"Force T": "Force A"})
    assert anonymised.judgement is not None and anonymised.judgement.differences == ()
    assert force_report(_result(fw, [None]), prov, "Force T").judgement is None


def test_default_thematic_report_reproduces_table_2(cli: Cli) -> None:
    """The bundled samples carry the inspectors' conclusions of Table 2 (HMIC 2015):
    the default report reproduces every published count without --grade-source."""
    data = json.loads(cli("report", "thematic", "sample_cases", "--format", "json").stdout)
    assert data["grade_source"] == "auto"
    assert data["grades_used"] == {"recorded": 576, "computed": 0}
    t = data["total"]
    assert (t["good"], t["adequate"], t["inadequate"], t["total"]) == (177, 179, 220, 576)
    assert (t["good_pct"], t["adequate_pct"], t["inadequate_pct"]) == (31, 31, 38)
    force_b = next(r for r in data["forces"] if r["force"] == "Force B")
    assert force_b["good"] == 37 and force_b["good_pct"] == 46  # published 45%: 37/81 = 45.7%
    rows = data["judgement_and_rule"]["rows"]
    assert rows[-1]["label"] == "Total" and rows[-1]["compared"] == 576


def test_published_reports_leave_judgement_out_and_hide_the_counts(cli: Cli) -> None:
    args = ("report", "force", "sample_cases", "--force", "Force C", "--publish")
    data = json.loads(cli(*args, "--format", "json").stdout)
    assert data["judgement_and_rule"] is None
    assert data["grades_used"] == {"recorded": None, "computed": None}


def test_a_workbook_with_and_without_recorded_grades_counts_both(
    cli: Cli, fw: Framework, tmp_path: Path
) -> None:
    table = case_table(fw, 4)
    for row, word in zip((2, 3, 4, 5), ("Poor", "", "", "Good"), strict=True):
        table = set_cell(table, row, "Overall grade", word)
    src = write_csv(tmp_path / "cases.csv", table)
    result = cli("report", "thematic", str(src), "--format", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["grades_used"] == {"recorded": 2, "computed": 2}
    assert any("suggested by the framework" in n for n in data["notes"])

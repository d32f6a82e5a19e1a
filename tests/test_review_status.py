"""Review state (issue 14 item 5): the ``review_status`` column, its vocabulary, and the
one rule every report applies: approved cases only by default, said in every format,
``--include-unapproved`` to count all; the figures equal those of the same report on
the inputs with the other rows deleted."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import jsonschema  # type: ignore[import-untyped]  # test-only; no stubs
import openpyxl
import pytest

from inspect_cli.cli import app
from inspect_cli.fields import REVIEW_STATUSES
from inspect_cli.frameworks import Framework
from inspect_cli.load import load_cases
from inspect_cli.template import CASES_SHEET, FIRST_DATA_ROW, HEADER_ROW, write_template
from tests.helpers.builders import Table, add_column, case_table, col, letter, write_csv
from tests.helpers.cli import runner

from .conftest import ROOT

# Ten inspector cases of two forces: 1-6 Force X, 7-10 Force Y.
STATUSES = [
    "approved",
    "Approved",
    "draft",
    "approved",
    "For-Review",
    "approved",
    "returned",
    "approved",
    "",
    "signed off",
]
LEFT_OUT = {3, 5, 7, 9}  # case numbers not approved (9: blank)


def _table(fw: Framework, statuses: list[str] = STATUSES) -> Table:
    table = case_table(fw, len(statuses))
    for i, row in enumerate(table[1:], start=1):
        if i > 6:
            row[col(table, "Force")] = "Force Y"
        # Differing answers, so the grades differ between cases.
        row[col(table, "Overall grade")] = ["good", "adequate", "poor"][i % 3]
        row[col(table, "Grade rationale")] = "Weighed the outcome for the child."
    return add_column(table, "Review status", statuses)


def _without(table: Table, numbers: set[int]) -> Table:
    return [table[0], *(row for i, row in enumerate(table[1:], start=1) if i not in numbers)]


def _run(*args: str, code: int = 0) -> Any:
    result = runner.invoke(app, list(args))
    assert result.exit_code == code, result.stderr
    return result


def _json(*args: str) -> Any:
    return json.loads(_run(*args, "--format", "json").stdout)


def _figures(report: dict[str, Any]) -> dict[str, Any]:
    """Every key but what says where the figures came from (notes, review, provenance)."""
    return {k: v for k, v in report.items() if k not in ("notes", "review", "provenance")}


def _schema(name: str) -> Any:
    schema = json.loads((ROOT / "docs" / "schemas" / f"{name}.schema.json").read_text("utf-8"))
    return jsonschema.Draft202012Validator(schema)


# --------------------------------------------------------------------------- vocabulary


@pytest.mark.parametrize(
    ("typed", "canonical"),
    [(k, k) for k in REVIEW_STATUSES]
    + [(w, k) for k, words in REVIEW_STATUSES.items() for w in words]
    + [("  READY   for Review ", "for review"), ("Signed Off", "approved")],
)
def test_every_spelling_loads_as_its_status(
    fw: Framework, tmp_path: Path, typed: str, canonical: str
) -> None:
    path = write_csv(tmp_path / "cases.csv", _table(fw, [typed]))
    loaded = load_cases([path], fw)
    assert loaded.ok, loaded.problems
    assert loaded.cases["review_status"].tolist() == [canonical]


def test_vocabulary_is_the_four_states() -> None:
    assert tuple(REVIEW_STATUSES) == ("draft", "for review", "approved", "returned")


def test_an_unknown_status_is_an_error_at_its_cell(fw: Framework, tmp_path: Path) -> None:
    table = _table(fw, ["approved", "finished", "approved"])
    path = write_csv(tmp_path / "cases.csv", table)
    result = _run("validate", str(path), "--format", "json", code=1)
    problems = [p for p in json.loads(result.stdout)["problems"] if p["severity"] == "error"]
    assert len(problems) == 1
    bad = problems[0]
    assert bad["code"] == "invalid-value"
    assert (bad["row"], bad["column"]) == (3, letter(table, "Review status"))
    assert "draft, for review, approved, returned" in bad["message"]


# --------------------------------------------------------------------------- the rule


def test_default_counts_approved_only_and_says_so(fw: Framework, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "cases.csv", _table(fw))
    report = _json("report", "thematic", str(path))
    _schema("report-thematic").validate(report)
    assert report["total"]["total"] == 10 - len(LEFT_OUT)
    assert report["review"] == {
        "include_unapproved": False,
        "statuses": {"draft": 1, "for review": 1, "approved": 6, "returned": 1, "no status": 1},
        "not_approved": 4,
        "left_out": 4,
    }
    note = next(n for n in report["notes"] if n.startswith("Review status"))
    assert "4 rows left out as not approved" in note
    assert "1 draft, 1 for review, 1 returned, 1 with no status" in note
    assert "By force: Force X 2; Force Y 2." in note  # internal: where they are


def test_include_unapproved_counts_all(fw: Framework, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "cases.csv", _table(fw))
    report = _json("report", "thematic", str(path), "--include-unapproved")
    assert report["total"]["total"] == 10
    assert report["review"]["left_out"] == 0 and report["review"]["not_approved"] == 4
    assert any("every case is counted, approved or not" in n for n in report["notes"])
    every = _json("report", "thematic", str(write_csv(tmp_path / "all.csv", _table(fw, [""] * 10))))
    assert _figures(report) == _figures(every)  # the same figures as with no status at all


@pytest.mark.parametrize(
    "command",
    [
        ("report", "thematic"),
        ("report", "force", "--force", "Force X"),
        ("report", "force", "--force", "Force Y", "--audit-type", "all"),
        ("report", "thematic", "--publish"),
    ],
)
def test_figures_equal_the_report_without_those_rows(
    fw: Framework, tmp_path: Path, command: tuple[str, ...]
) -> None:
    table = _table(fw)
    reviewed = write_csv(tmp_path / "reviewed.csv", table)
    deleted = write_csv(tmp_path / "deleted.csv", _without(table, LEFT_OUT))
    got = _json(*command[:2], str(reviewed), *command[2:])
    oracle = _json(*command[:2], str(deleted), *command[2:])
    assert _figures(got) == _figures(oracle)
    if "--publish" in command:  # no counts in a published report
        assert got["review"]["left_out"] is None and oracle["review"]["left_out"] is None
        assert any(n.startswith("Review status") for n in got["notes"])
    else:
        assert got["review"]["left_out"] > 0 and oracle["review"]["left_out"] == 0


def test_force_report_counts_its_own_force_only(fw: Framework, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "cases.csv", _table(fw))
    report = _json("report", "force", str(path), "--force", "force y")
    _schema("report-force").validate(report)
    assert report["review"]["statuses"] == {
        "draft": 0,
        "for review": 0,
        "approved": 2,
        "returned": 1,
        "no status": 1,
    }
    note = next(n for n in report["notes"] if n.startswith("Review status"))
    assert "2 rows left out" in note and "By force" not in note


def test_a_blank_column_records_nothing(fw: Framework, tmp_path: Path) -> None:
    """A review status column left blank throughout (a fresh template's) leaves nothing out."""
    path = write_csv(tmp_path / "cases.csv", _table(fw, [""] * 10))
    report = _json("report", "thematic", str(path))
    assert report["review"] is None and report["total"]["total"] == 10
    assert not any("Review status" in n for n in report["notes"])


def test_a_sheet_without_the_column_is_not_approved(fw: Framework, tmp_path: Path) -> None:
    """Once any input records a status, a file without the column has no approved case."""
    with_column = write_csv(tmp_path / "x.csv", _table(fw, ["approved"] * 3))
    other = case_table(fw, 2, first=20)
    without = write_csv(tmp_path / "y.csv", other)
    report = _json("report", "thematic", str(with_column), str(without))
    assert report["total"]["total"] == 3
    assert report["review"]["statuses"]["no status"] == 2


def test_note_in_text_html_and_xlsx(fw: Framework, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "cases.csv", _table(fw))
    text = _run("report", "thematic", str(path)).stdout
    assert "Review status: only approved cases are counted" in " ".join(text.split())
    html = tmp_path / "r.html"
    _run("report", "thematic", str(path), "-o", str(html))
    assert "4 rows left out as not approved" in html.read_text("utf-8")
    book = tmp_path / "r.xlsx"
    _run("report", "thematic", str(path), "-o", str(book))
    opened = openpyxl.load_workbook(book, read_only=True)
    cells = [str(v) for ws in opened for row in ws.iter_rows(values_only=True) for v in row if v]
    opened.close()
    assert any("4 rows left out as not approved" in c for c in cells)
    csv_out = tmp_path / "r.csv"
    _run("report", "thematic", str(path), "-o", str(csv_out))
    metadata = (tmp_path / "r.csv-metadata.json").read_text("utf-8")
    assert "4 rows left out as not approved" in metadata


def test_published_note_gives_no_counts(fw: Framework, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "cases.csv", _table(fw))
    folder = tmp_path / "published"
    _run("report", "publish", str(path), "-o", str(folder), "--format", "json")
    for report_file in sorted(folder.glob("*.json")):
        report = json.loads(report_file.read_text("utf-8"))
        notes = [n for n in report["notes"] if n.startswith("Review status")]
        assert len(notes) == 1, report_file.name
        # No count (the rows approved are the rows counted), and nothing that says where.
        assert not re.search(r"\d", notes[0]) and "Force" not in notes[0]
        assert "how many is not shown" in notes[0]
        review = report["review"]
        assert review["left_out"] is None and review["not_approved"] is None
        assert set(review["statuses"].values()) == {None}
    single = _json("report", "thematic", str(path), "--publish", "--anonymise")
    assert not any("By force" in n for n in single["notes"])


def test_moderate_and_trend_apply_the_rule(fw: Framework, tmp_path: Path) -> None:
    table = _table(fw, ["approved"] * 6)
    for row in [list(r) for r in table[1:]]:
        row[col(table, "Audit type")] = "self-assessment"
        table.append(row)
    table[-1][col(table, "Review status")] = "draft"  # the last case's self-assessment
    path = write_csv(tmp_path / "cases.csv", table)
    moderation = _json("moderate", str(path))
    _schema("moderate").validate(moderation)
    assert moderation["review"]["left_out"] == 1
    counted = _json("moderate", str(path), "--include-unapproved")
    assert sum(f["matched"] for f in counted["forces"]) == (
        sum(f["matched"] for f in moderation["forces"]) + 1
    )
    trend = _json("trend", f"2014={path}", f"2016={path}")
    _schema("trend").validate(trend)
    assert trend["review"]["left_out"] == 0  # inspector rows only, all approved
    both = _json("trend", f"2014={path}", f"2016={path}", "--audit-type", "all")
    assert both["review"]["left_out"] == 2  # one per round


# --------------------------------------------------------------------------- template


def test_template_offers_the_review_and_grade_columns(fw: Framework, tmp_path: Path) -> None:
    path = tmp_path / "audit.xlsx"
    write_template(fw, path)
    wb = openpyxl.load_workbook(path)
    ws = wb[CASES_SHEET]
    letters = {}
    for cell in ws[HEADER_ROW + 1]:
        found = re.match(r"Column id: (\S+)", cell.comment.text) if cell.comment else None
        if found:
            letters[found.group(1)] = cell.column_letter

    def offered(field_id: str) -> list[str]:
        cell = f"{letters[field_id]}{FIRST_DATA_ROW + 1}"
        rule = next(dv for dv in ws.data_validations.dataValidation if cell in dv.sqref)
        m = re.fullmatch(r"=?Lists!\$([A-Z]+)\$(\d+):\$[A-Z]+\$(\d+)", rule.formula1)
        assert m, rule.formula1
        column, first, last = m.group(1), int(m.group(2)), int(m.group(3))
        return [wb["Lists"][f"{column}{r}"].value for r in range(first, last + 1)]

    assert offered("review_status") == list(REVIEW_STATUSES)
    grades = [g.label for g in fw.case_grades]
    assert offered("overall_grade") == grades and offered("agreed_grade") == grades
    assert "grade_rationale" in letters
    guidance = [
        str(v) for row in wb["Guidance"].iter_rows(values_only=True) for v in row if v is not None
    ]
    assert any("reports count approved cases only" in g for g in guidance)
    assert any("rationale-missing" in g for g in guidance)


def test_every_force_at_once_applies_the_rule(fw: Framework, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "cases.csv", _table(fw))
    folder = tmp_path / "all"
    _run("report", "force", str(path), "--all-forces", "-o", str(folder), "--format", "json")
    reports = [json.loads(p.read_text("utf-8")) for p in sorted(folder.glob("*.json"))]
    left = sorted(r["review"]["left_out"] for r in reports)
    assert left == [2, 2, 4]  # Force X, Force Y, and the thematic report of both


def test_second_readers_count_approved_readings_only(fw: Framework, tmp_path: Path) -> None:
    """A draft second reading is left out: its case is then read once, not twice."""
    table = _table(fw, ["approved"] * 4)
    for row in table[1:]:
        row[col(table, "Auditor")] = "Inspector A"
    for i, status in enumerate(["approved", "approved", "draft"], start=1):
        again = list(table[i])
        again[col(table, "Auditor")] = "Inspector B"
        again[col(table, "Review status")] = status
        table.append(again)
    path = write_csv(tmp_path / "cases.csv", table)
    readers = _json("moderate", str(path), "--between", "inspectors")
    _schema("moderate-inspectors").validate(readers)
    everyone = _json("moderate", str(path), "--between", "inspectors", "--include-unapproved")
    assert readers["review"]["left_out"] == 1 and everyone["review"]["left_out"] == 0
    assert readers["overall"]["cases"] == 2 and everyone["overall"]["cases"] == 3


def test_a_refusal_says_when_review_left_every_case_out(fw: Framework, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "cases.csv", _table(fw, ["draft"] * 3))
    refused = runner.invoke(app, ["report", "force", str(path), "--force", "Force X"])
    assert refused.exit_code == 2
    said = " ".join(refused.stderr.split())
    assert "3 row(s) were left out as not approved in review; --include-unapproved" in said
    counted = _json("report", "force", str(path), "--force", "Force X", "--include-unapproved")
    assert counted["overall"]["total"] == 3

"""Adversarial review of the review state and the rationale check: look-alike spellings,
statuses refused with --allow-partial, the published review block against the
suppression, and blank-looking rationales."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from inspect_cli.frameworks import Framework
from inspect_cli.load import load_cases
from inspect_cli.pipeline import load_and_score
from inspect_cli.read import Limits

from .helpers.builders import Table, add_column, case_table, col, write_csv
from .helpers.cli import invoke


def _json(*args: str | Path, code: int = 0) -> Any:
    result = invoke(*args, "--format", "json")
    assert result.exit_code == code, result.stderr
    return json.loads(result.stdout)


def _graded(fw: Framework, n: int) -> Table:
    table = case_table(fw, n)
    for i, row in enumerate(table[1:], start=1):
        row[col(table, "Overall grade")] = ["good", "adequate", "poor"][i % 3]
        row[col(table, "Grade rationale")] = "Weighed the outcome for the child."
    return table


@pytest.mark.parametrize(
    "typed",
    [
        "approved\u200b",  # a zero-width space pasted with the word
        "appro\u00adved",  # a soft hyphen
        "\u0430pproved",  # a Cyrillic a
        "\uff41\uff50\uff50\uff52\uff4f\uff56\uff45\uff44",  # full width
        "Approved.",
        "approved?",
        "not approved",
        "unapproved",
    ],
)
def test_a_look_alike_status_is_a_located_error_never_approved(
    fw: Framework, tmp_path: Path, typed: str
) -> None:
    table = add_column(case_table(fw, 1), "Review status", [typed])
    loaded = load_cases([write_csv(tmp_path / "c.csv", table)], fw)
    assert "approved" not in loaded.cases["review_status"].dropna().tolist()
    [problem] = [p for p in loaded.problems if p.is_error]
    assert problem.code == "invalid-value" and problem.row == 2


@pytest.mark.parametrize("typed", ["APPROVED", " approved\u00a0", "approved\t", "Signed  Off"])
def test_spacing_and_case_still_mean_approved(fw: Framework, tmp_path: Path, typed: str) -> None:
    table = add_column(case_table(fw, 1), "Review status", [typed])
    loaded = load_cases([write_csv(tmp_path / "c.csv", table)], fw)
    assert loaded.ok and loaded.cases["review_status"].tolist() == ["approved"]


def test_statuses_refused_with_allow_partial_still_apply_the_rule(
    fw: Framework, tmp_path: Path
) -> None:
    """Three statuses mistyped (refused, left out with --allow-partial) and three cases
    not yet given one: the three left are not approved, and are not counted as if no
    case recorded a status."""
    table = add_column(_graded(fw, 6), "Review status", ["Approved."] * 3 + [""] * 3)
    path = write_csv(tmp_path / "c.csv", table)
    report = _json("report", "thematic", path, "--allow-partial")
    assert report["total"]["total"] in (0, None)
    assert report["review"]["statuses"]["no status"] == 3
    assert any(n.startswith("Review status") for n in report["notes"])


def test_an_approved_row_refused_for_another_error_does_not_switch_the_rule_off(
    fw: Framework, tmp_path: Path
) -> None:
    table = add_column(_graded(fw, 4), "Review status", ["approved", "", "", ""])
    table[1][col(table, "Area of practice")] = "Not an area"  # the approved row: refused
    path = write_csv(tmp_path / "c.csv", table)
    report = _json("report", "thematic", path, "--allow-partial")
    assert report["total"]["total"] in (0, None)  # the three left were never approved


def test_the_published_review_block_does_not_give_a_hidden_total_away(
    fw: Framework, tmp_path: Path
) -> None:
    table = _graded(fw, 30)
    for row in table[28:]:
        row[col(table, "Force")] = "Force Y"
    add_column(table, "Review status", ["approved"] * 26 + ["draft"] + ["approved"] * 3)
    path = write_csv(tmp_path / "c.csv", table)
    report = _json("report", "force", path, "--force", "Force Y", "--publish")
    assert report["overall"]["total"] is None  # 3 cases: hidden
    review = report["review"]
    assert review is None or review["statuses"]["approved"] is None


def test_a_blank_looking_rationale_is_missing(fw: Framework, tmp_path: Path) -> None:
    blanks = ["\u200b", "\ufeff", "\u2060", "\u3164", "\u00ad", "-", "."]
    table = case_table(fw, len(blanks) + 1)
    probe = write_csv(tmp_path / "probe.csv", table)
    scored = load_and_score([probe], fw, limits=Limits()).result
    assert scored is not None
    for i, row in enumerate(table[1:], start=1):
        suggested = scored.scored["grade"].iloc[i - 1]
        row[col(table, "Overall grade")] = "inadequate" if suggested != "inadequate" else "good"
        row[col(table, "Grade rationale")] = [*blanks, "Weighed the risk."][i - 1]
    path = write_csv(tmp_path / "c.csv", table)
    problems = _json("validate", path)["problems"]
    rows = sorted(p["row"] for p in problems if p["code"] == "rationale-missing")
    assert rows == list(range(2, 2 + len(blanks)))  # every one but the real rationale


def test_a_mistyped_force_is_not_blamed_on_review(fw: Framework, tmp_path: Path) -> None:
    """Drafts elsewhere did not hide a force that is not in the data at all."""
    table = add_column(_graded(fw, 4), "Review status", ["approved", "draft", "approved", ""])
    path = write_csv(tmp_path / "c.csv", table)
    refused = invoke("report", "force", path, "--force", "Force Typo")
    assert refused.exit_code == 2
    said = " ".join(refused.stderr.split())
    assert "no force 'Force Typo'" in said and "--include-unapproved" not in said
    drafts = write_csv(
        tmp_path / "d.csv", add_column(_graded(fw, 2), "Review status", ["draft"] * 2)
    )
    refused = invoke("report", "force", drafts, "--force", "Force X")
    assert "2 row(s) were left out as not approved" in " ".join(refused.stderr.split())


@pytest.mark.parametrize("heading", ["Rev\u0456ew status", "Review state", "QA status"])
def test_drafts_under_a_near_heading_are_not_counted_silently(
    fw: Framework, tmp_path: Path, heading: str
) -> None:
    table = add_column(_graded(fw, 3), heading, ["approved", "draft", "draft"])
    path = write_csv(tmp_path / "c.csv", table)
    result = invoke("report", "thematic", path, "--format", "json")
    counted = json.loads(result.stdout)["total"]["total"] if result.exit_code == 0 else None
    assert counted != 3 or "status" in " ".join(result.stderr.split()).casefold()

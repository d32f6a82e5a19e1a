"""Moderation where nearly every case gets one grade: the report must read truthfully
(issue 14). Files are generated: each case once as a self-assessment and once by an
inspector, with the overall grades recorded."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema  # type: ignore[import-untyped]  # test-only; no stubs
import pytest

from inspect_cli.cli import app
from inspect_cli.frameworks import Framework
from tests.helpers.builders import case_table, col, write_csv
from tests.helpers.cli import runner

from .conftest import ROOT


def _pairs_file(fw: Framework, path: Path, grades: list[tuple[str, str]]) -> Path:
    """One self-assessment and one inspector row per (self grade, inspector grade)."""
    table = case_table(fw, len(grades))
    head = table[0]
    rows = [head]
    for row, (own, theirs) in zip(table[1:], grades, strict=True):
        for audit, grade in (("self-assessment", own), ("inspector", theirs)):
            new = list(row)
            new[col(table, "Audit type")] = audit
            new[col(table, "Overall grade")] = grade
            rows.append(new)
    return write_csv(path, rows)


def _moderate(path: Path, *extra: str) -> dict[str, Any]:
    result = runner.invoke(app, ["moderate", str(path), "--format", "json", *extra])
    assert result.exit_code == 0, result.stderr
    data: dict[str, Any] = json.loads(result.stdout)
    schema = json.loads((ROOT / "docs" / "schemas" / "moderate.schema.json").read_text("utf-8"))
    jsonschema.Draft202012Validator(schema).validate(data)  # new keys, nulls and all
    force: dict[str, Any] = data["forces"][0]
    return force


def test_96_of_100_agree_is_not_poor_agreement(fw: Framework, tmp_path: Path) -> None:
    grades = [("good", "good")] * 96 + [("good", "adequate")] * 2 + [("adequate", "good")] * 2
    a = _moderate(_pairs_file(fw, tmp_path / "cases.csv", grades))
    assert a["exact_agreement"] == 96
    assert a["weighted_kappa"] == pytest.approx(-0.02, abs=0.001)
    assert a["krippendorff_alpha_ordinal"] == pytest.approx(-0.015, abs=0.001)
    assert "no better than chance" not in a["kappa_words"]
    assert a["kappa_words"].startswith("misleading here")
    assert "falls when one grade dominates" in a["alpha_words"]
    assert a["gwet_ac2"]["value"] == pytest.approx(0.979, abs=0.001)
    assert a["gwet_ac2"]["benchmark"] == "almost perfect"
    lead = a["lead"]
    assert lead["coefficient"] == "ac2" and lead["skewed"] and lead["top_grade"] == "good"
    assert lead["top_grade_share_pct"] == 98
    assert "agree on 96 of 100 cases" in lead["reason"]
    text = runner.invoke(app, ["moderate", str(tmp_path / "cases.csv")]).stdout
    assert "Why AC2 leads" in text and "no better than chance" not in text


def test_one_grade_used_gives_no_kappa_interval(fw: Framework, tmp_path: Path) -> None:
    grades = [("good", "good")] * 14 + [("good", "adequate")]
    a = _moderate(_pairs_file(fw, tmp_path / "cases.csv", grades))
    assert a["weighted_kappa"] is None and a["kappa_ci"] is None
    assert a["kappa_words"] == "cannot be measured: the force gave every case the same grade"
    assert a["gwet_ac2"]["value"] == pytest.approx(0.965, abs=0.001)
    assert a["gwet_ac2"]["ci"][0] < a["gwet_ac2"]["value"] < a["gwet_ac2"]["ci"][1] + 1e-9
    assert a["lead"]["coefficient"] == "ac2"


def test_20_of_20_agree_is_said_plainly(fw: Framework, tmp_path: Path) -> None:
    a = _moderate(_pairs_file(fw, tmp_path / "cases.csv", [("good", "good")] * 20))
    assert a["exact_agreement"] == 20
    words = [a["kappa_words"], a["alpha_words"], a["gwet_ac2"]["words"]]
    assert all("not enough cases" not in w for w in words)
    assert a["gwet_ac2"]["words"] == (
        "every case agreed (20 of 20): no spread to benchmark against"
    )
    assert a["gwet_ac2"]["ci"] is None  # a zero standard error is no interval
    assert a["exact_agreement_ci"] == [83.9, 100.0]  # Wilson: at least 84% agree


def test_balanced_grades_lead_with_kappa(fw: Framework, tmp_path: Path) -> None:
    grades = (
        [("good", "good")] * 8 + [("adequate", "adequate")] * 8 + [("inadequate", "inadequate")] * 8
    ) + [("good", "adequate"), ("adequate", "inadequate")]
    a = _moderate(_pairs_file(fw, tmp_path / "cases.csv", grades))
    assert a["lead"]["coefficient"] == "kappa" and a["lead"]["reason"] is None
    assert a["kappa_words"].startswith("at least ")

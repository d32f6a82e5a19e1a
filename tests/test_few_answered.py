"""A case graded on one answer out of many is graded, but never silently: the
framework's ``scoring.minimum_answered`` (default 1/2 of each applicable stage)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from inspect_cli.frameworks import Framework, resolve_framework
from inspect_cli.load import load_cases
from tests.helpers.cli import invoke

from .conftest import ROOT, SAMPLES
from .helpers.hostile import write_sparse_cases


def test_a_case_with_one_answer_of_many_is_warned_of_and_still_graded(
    tmp_path: Path, fw: Framework
) -> None:
    path = write_sparse_cases(tmp_path / "sparse.csv", fw)
    loaded = load_cases([path], fw)
    few = [p for p in loaded.problems if p.code == "few-answered"]
    assert [(p.file, p.row, p.severity) for p in few] == [("sparse.csv", 2, "warning")]
    applicable = len(fw.stages[0].indicators)
    assert f"only 1 of {applicable} applicable indicators answered" in few[0].message
    assert fw.stages[0].label in few[0].message
    assert len(loaded.cases) == 3 and loaded.ok

    scored = invoke("score", path, "--format", "json")
    assert scored.exit_code == 0
    assert len(json.loads(scored.stdout)) == 3  # graded, not refused
    assert "few-answered" in scored.stderr or "only 1 of" in scored.stderr


def test_the_minimum_is_exact_and_can_be_turned_off(tmp_path: Path, fw: Framework) -> None:
    path = write_sparse_cases(tmp_path / "sparse.csv", fw)
    for share, expected in (("0", 0), ("1/6", 0), ("0.2", 1), ("1", 1)):
        changed = fw.model_copy(
            update={"scoring": fw.scoring.model_copy(update={"minimum_answered": share})}
        )
        # 1 of 6 answered: below 0.2 and 1, not below 1/6 (equal) or 0 (off).
        few = [p for p in load_cases([path], changed).problems if p.code == "few-answered"]
        assert len(few) == expected, share


def test_the_force_report_counts_such_cases(tmp_path: Path, fw: Framework) -> None:
    path = write_sparse_cases(tmp_path / "sparse.csv", fw)
    done = invoke("report", "force", path, "--force", "Force X", "--format", "json")
    assert done.exit_code == 0, done.stderr
    rows = {row["label"]: row for row in json.loads(done.stdout)["completeness"]}
    row = rows["Indicators (fewer than 1/2 answered in a stage)"]
    assert (row["missing"], row["total"]) == (1, 3)


def test_no_sample_case_is_flagged(fw: Framework) -> None:
    # The bundled samples are complete audits: the rule must not cry wolf on them.
    loaded = load_cases([SAMPLES], fw)
    assert not [p for p in loaded.problems if p.code == "few-answered"]


@pytest.mark.parametrize("bad", ["half", "3/0", "-1/2", "1.5"])
def test_an_unreadable_minimum_is_a_framework_error(tmp_path: Path, bad: str) -> None:
    text = (ROOT / "frameworks" / "ncpi-2014.yaml").read_text(encoding="utf-8")
    text = text.replace("  case:\n", f'  minimum_answered: "{bad}"\n  case:\n', 1)
    path = tmp_path / "fw.yaml"
    path.write_text(text, encoding="utf-8")
    done = invoke("frameworks", "check", path)
    assert done.exit_code == 1 and "minimum_answered" in done.stderr


def test_the_rule_is_shown(fw: Framework) -> None:
    assert resolve_framework("ncpi-2014").scoring.minimum_answered == "1/2"
    shown = invoke("frameworks", "show", "ncpi-2014")
    assert "fewer than 1/2 of a stage's applicable indicators answered" in shown.stdout

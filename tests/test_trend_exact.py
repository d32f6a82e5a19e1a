"""Trends never silently wrong: serious concern by the framework's rule, every change and
ranking from the counts (rounded only for display), provenance of every round's files
and of the framework file actually loaded."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from typer.testing import Result

from inspect_cli.frameworks import Framework
from inspect_cli.reports.trend import points
from inspect_cli.resources import data_dir
from inspect_cli.stats import pct
from tests.helpers.builders import case_table, col, write_csv

Cli = Callable[..., Result]

# Two rounds of 250 and 260 cases. The first four indicators worsen by about 3 points;
# RISER's worst-answer share goes from 24 of 250 (9.6%, shown 10%) to 29 of 260 (11.15%,
# 11%): up 1.55 points; SMALL's from 31 of 250 (12.4%, 12%) to 33 of 260 (12.69%, 13%):
# up 0.29. Both rounded shares rise one point, so ranking by them ties the two and the
# id puts SMALL fifth; the exact changes put RISER fifth and leave SMALL out.
N1, N2 = 250, 260
FILLERS = (
    "assessment_and_help.risk_assessed",
    "assessment_and_help.other_children",
    "assessment_and_help.referral_csc",
    "assessment_and_help.strategy_discussion",
)
RISER = "initial_contact.recognised"
SMALL = "initial_contact.child_seen"  # sorts before RISER
WORST = {**dict.fromkeys(FILLERS, (25, 34)), RISER: (24, 29), SMALL: (31, 33)}


def _round(
    fw: Framework, folder: Path, n: int, worst: dict[str, int], grades: Sequence[str] = ()
) -> Path:
    """``n`` cases answering every indicator Yes, except the first ``worst[id]`` No."""
    table = case_table(fw, n)
    labels = {r.full_id: r.indicator.label for r in fw.indicators}
    for full_id, label in labels.items():
        k = col(table, label)
        for i, row in enumerate(table[1:]):
            row[k] = "No" if i < worst.get(full_id, 0) else "Yes"
    for row, grade in zip(table[1:], grades, strict=False):
        row[col(table, "Overall grade")] = grade
    folder.mkdir()
    write_csv(folder / "cases.csv", table)
    return folder


def _trend(cli: Cli, *args: str | Path) -> dict[str, Any]:
    result = cli("trend", *args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def ranked(fw: Framework, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    from tests.helpers.cli import invoke

    tmp = tmp_path_factory.mktemp("ranked")
    first = _round(fw, tmp / "one", N1, {k: a for k, (a, _) in WORST.items()})
    last = _round(fw, tmp / "two", N2, {k: b for k, (_, b) in WORST.items()})
    return _trend(invoke, f"one={first}", f"two={last}")


def _half_up(value: Fraction) -> int:
    """An independent oracle: Decimal's ROUND_HALF_UP (half away from zero)."""
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))


# --------------------------------------------------------------------------- rankings


def test_ranking_uses_exact_changes_not_rounded_shares(ranked: dict[str, Any]) -> None:
    worsened = [i["id"] for i in ranked["indicators_worsened"]]
    assert worsened == [*sorted(FILLERS), RISER]  # the fillers tie exactly: by id
    assert SMALL not in worsened
    riser = ranked["indicators_worsened"][-1]
    assert (riser["first_pct"], riser["last_pct"]) == (10, 11)  # shares as shown
    assert riser["points"] == 2  # 1.55 points, rounded: not 11 - 10
    assert (riser["first_worst"], riser["first_answered"]) == (24, N1)
    assert (riser["last_worst"], riser["last_answered"]) == (29, N2)


def test_shown_changes_are_the_exact_ones_rounded(ranked: dict[str, Any]) -> None:
    for item in ranked["indicators_worsened"]:
        exact = Fraction(100 * item["last_worst"], item["last_answered"]) - Fraction(
            100 * item["first_worst"], item["first_answered"]
        )
        assert item["points"] == _half_up(exact)
        assert item["first_pct"] == pct(item["first_worst"], item["first_answered"])


def test_points_round_half_away_from_zero() -> None:
    for value in (Fraction(5, 2), Fraction(-5, 2), Fraction(249, 100), Fraction(-1, 3), 0):
        assert points(Fraction(value)) == _half_up(Fraction(value))
    assert points(Fraction(5, 2)) == 3 and points(Fraction(-5, 2)) == -3
    assert points(Fraction(1, 2)) == pct(1, 200)  # positive halves as every share: up


def test_a_change_under_half_a_point_is_listed_and_shown_with_its_sign(
    fw: Framework, tmp_path: Path, cli: Cli
) -> None:
    first = _round(fw, tmp_path / "one", N1, {SMALL: 31})
    last = _round(fw, tmp_path / "two", N2, {SMALL: 33})
    report = _trend(cli, f"one={first}", f"two={last}")
    [small] = report["indicators_worsened"]
    assert (small["id"], small["points"]) == (SMALL, 0)
    table = cli("trend", f"one={first}", f"two={last}").stdout
    assert "+0 points" in table


# --------------------------------------------------------------------------- grades


def test_force_change_and_stage_changes_from_counts(fw: Framework, tmp_path: Path) -> None:
    from tests.helpers.cli import invoke

    grades1 = ["Inadequate"] * 3 + ["Good"] * 5  # 3 of 8: 37.5%, shown 38%
    grades2 = ["Inadequate"] * 3 + ["Good"] * 6  # 3 of 9: 33.3%, shown 33%
    first = _round(fw, tmp_path / "one", 8, {}, grades1)
    last = _round(fw, tmp_path / "two", 9, {}, grades2)
    report = _trend(invoke, f"one={first}", f"two={last}", "--grade-source", "recorded")
    change = report["overall"]["change"]
    # down 4.17 points: -4, though the rounded shares differ by 5
    assert change["inadequate_points"] == -4 == _half_up(Fraction(300, 9) - Fraction(300, 8))
    assert change["good_points"] == _half_up(Fraction(600, 9) - Fraction(500, 8)) == 4
    for stage in report["stages"]:
        (a, b), (n, m) = stage["inadequate"], stage["applicable"]
        if n and m:
            assert stage["change_points"] == _half_up(Fraction(100 * b, m) - Fraction(100 * a, n))


def test_serious_concern_at_the_threshold_and_at_every_case(
    fw: Framework, tmp_path: Path, cli: Cli
) -> None:
    at = _round(fw, tmp_path / "at", 3, {}, ["Inadequate", "Good", "Good"])  # exactly 1/3
    every = _round(fw, tmp_path / "all", 3, {}, ["Inadequate"] * 3)  # 100%
    report = _trend(cli, f"at={at}", f"all={every}", "--grade-source", "recorded")
    assert [r["serious_concern"] for r in report["overall"]["rounds"]] == [False, True]
    [force] = report["forces"]
    assert [r["serious_concern"] for r in force["rounds"]] == [False, True]
    assert [r["inadequate_pct"] for r in force["rounds"]] == [33, 100]


# --------------------------------------------------------------------------- provenance


def test_provenance_lists_every_file_of_every_round(
    fw: Framework, tmp_path: Path, cli: Cli
) -> None:
    first = _round(fw, tmp_path / "one", 3, {})
    last = _round(fw, tmp_path / "two", 4, {})
    prov = _trend(cli, f"2014={first}", f"2016={last}")["provenance"]
    digest = {
        label: hashlib.sha256((folder / "cases.csv").read_bytes()).hexdigest()
        for label, folder in (("2014", first), ("2016", last))
    }
    assert prov["rounds"] == [
        {"round": label, "inputs": [{"file": "cases.csv", "sha256": digest[label]}]}
        for label in ("2014", "2016")
    ]
    assert prov["inputs"] == [{"file": "cases.csv", "sha256": d} for d in digest.values()]
    shipped = data_dir("frameworks") / "ncpi-2014.yaml"
    assert prov["framework_file"] == {
        "file": "ncpi-2014.yaml",
        "sha256": hashlib.sha256(shipped.read_bytes()).hexdigest(),
    }
    assert prov["notes"] == []
    html = tmp_path / "trend.html"
    assert cli("trend", f"2014={first}", f"2016={last}", "-o", html).exit_code == 0
    page = html.read_text(encoding="utf-8")
    for label in ("2014", "2016"):
        assert f"<dt>Input, round {label}: cases.csv</dt><dd>SHA-256 {digest[label]}</dd>" in page


def _local_framework(tmp_path: Path, name: str, edit: Callable[[str], str]) -> Path:
    text = (data_dir("frameworks") / "ncpi-2014.yaml").read_text(encoding="utf-8")
    path = tmp_path / name
    path.write_text(edit(text), encoding="utf-8")
    return path


def test_same_id_and_version_other_rules_differ_in_provenance_and_warn(
    fw: Framework, tmp_path: Path, cli: Cli
) -> None:
    cases = _round(fw, tmp_path / "cases", 3, {})
    changed = _local_framework(
        tmp_path,
        "mine.yaml",
        lambda t: t.replace('inadequate_share: "1/3"', 'inadequate_share: "1/2"'),
    )
    assert 'inadequate_share: "1/2"' in changed.read_text(encoding="utf-8")
    shipped = cli("report", "thematic", cases, "--format", "json")
    local = cli("report", "thematic", cases, "--format", "json", "--framework", changed)
    assert shipped.exit_code == local.exit_code == 0, local.stderr
    a, b = json.loads(shipped.stdout), json.loads(local.stdout)
    assert a["framework"] == b["framework"]  # both claim ncpi-2014 1.0.0
    assert a["provenance"]["framework_file"] != b["provenance"]["framework_file"]
    assert b["provenance"]["framework_file"] == {
        "file": "mine.yaml",
        "sha256": hashlib.sha256(changed.read_bytes()).hexdigest(),
    }
    [note] = b["provenance"]["notes"]
    assert "mine.yaml" in note and "id and version of the shipped framework ncpi-2014" in note
    assert "id and version of the shipped framework" in local.stderr
    assert "mine.yaml" in local.stderr
    assert a["provenance"]["notes"] == [] and "mine.yaml" not in shipped.stderr


def test_a_copy_with_only_comments_added_is_not_a_shadow_but_has_its_own_hash(
    fw: Framework, tmp_path: Path, cli: Cli
) -> None:
    cases = _round(fw, tmp_path / "cases", 3, {})
    copy = _local_framework(tmp_path, "copy.yaml", lambda t: "# our copy\n" + t)
    result = cli("report", "thematic", cases, "--format", "json", "--framework", copy)
    assert result.exit_code == 0, result.stderr
    prov = json.loads(result.stdout)["provenance"]
    assert prov["notes"] == [] and "copy.yaml" not in result.stderr
    assert prov["framework_file"]["sha256"] == hashlib.sha256(copy.read_bytes()).hexdigest()

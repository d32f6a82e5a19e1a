"""Auditor drift (issue 14 item 4): each auditor against the rest of the team, with
exact tests, Holm's adjustment and a small-numbers caveat; internal only."""

from __future__ import annotations

import itertools
import json
from fractions import Fraction
from math import comb
from pathlib import Path
from typing import Any

import jsonschema  # type: ignore[import-untyped]  # test-only; no stubs
import pandas as pd
import pytest
from rich.console import Console
from scipy.stats import chi2_contingency, fisher_exact
from statsmodels.stats.multitest import multipletests

from inspect_cli.cli import app
from inspect_cli.exact_tests import MAX_TABLES, fisher_2xk, holm
from inspect_cli.frameworks import GRADES, Framework
from inspect_cli.render.drift_words import TOO_FEW, verdict
from inspect_cli.render.text.drift import print_drift
from inspect_cli.reports.drift import MIN_CASES, auditor_drift
from tests.helpers.builders import Table, case_table, col, write_csv
from tests.helpers.cli import runner
from tests.helpers.html_checks import PAYLOAD, assert_escaped
from tests.helpers.payloads import EVERYTHING, FORMULA

from .conftest import ROOT

# --------------------------------------------------------------------------- exact tests


def _brute_force(first: list[int], second: list[int]) -> Fraction:
    """Freeman–Halton by enumerating every first row with the observed margins, in
    exact fractions: the independent oracle for :func:`fisher_2xk`."""
    cols = [a + b for a, b in zip(first, second, strict=True)]
    n1, total = sum(first), sum(cols)

    def prob(row: tuple[int, ...]) -> Fraction:
        weight = 1
        for c, x in zip(cols, row, strict=True):
            weight *= comb(c, x)
        return Fraction(weight, comb(total, n1))

    observed = prob(tuple(first))
    rows = itertools.product(*(range(c + 1) for c in cols))
    return sum((prob(r) for r in rows if sum(r) == n1 and prob(r) <= observed), Fraction(0))


def test_fisher_tea_tasting() -> None:
    # Fisher's lady tasting tea: 3 of 4 cups right each way; two-sided p = 34/70.
    assert fisher_2xk([3, 1], [1, 3]) == pytest.approx(34 / 70, abs=1e-12)


@pytest.mark.parametrize(
    "table", [[[12, 40], [50, 300]], [[0, 5], [9, 2]], [[7, 7], [7, 7]], [[1, 30], [12, 8]]]
)
def test_fisher_2x2_matches_scipy(table: list[list[int]]) -> None:
    assert fisher_2xk(*table) == pytest.approx(fisher_exact(table).pvalue, rel=1e-9)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ([3, 1, 0], [1, 3, 4]),
        ([2, 3, 5], [6, 6, 2]),
        ([0, 4, 1], [5, 0, 3]),
        ([4, 4, 4], [4, 4, 4]),
    ],
)
def test_fisher_2x3_matches_enumeration(first: list[int], second: list[int]) -> None:
    assert fisher_2xk(first, second) == pytest.approx(float(_brute_force(first, second)), abs=1e-12)


def test_fisher_known_2x3_value() -> None:
    # Every first row with these margins enumerated by hand: 0.2 exactly.
    assert fisher_2xk([3, 1, 0], [1, 3, 4]) == pytest.approx(0.2, abs=1e-12)


def test_fisher_either_row_first() -> None:
    assert fisher_2xk([1, 3, 4], [3, 1, 0]) == pytest.approx(fisher_2xk([3, 1, 0], [1, 3, 4]))


def test_large_tables_fall_back_to_chi_square() -> None:
    """Past MAX_TABLES first rows, Pearson's chi-square (SciPy) stands in."""
    first, second = [800, 900, 700], [30000, 33000, 29000]
    assert (min(sum(first), sum(second)) + 1) ** 2 > MAX_TABLES
    expected = chi2_contingency([first, second], correction=False).pvalue
    assert fisher_2xk(first, second) == pytest.approx(expected, rel=1e-9)


def test_fisher_nothing_to_test() -> None:
    assert fisher_2xk([0, 0, 0], [3, 4, 5]) is None  # an empty row
    assert fisher_2xk([3, 0, 0], [4, 0, 0]) is None  # one column only
    with pytest.raises(ValueError, match="non-negative"):
        fisher_2xk([1, -1], [1, 1])


def test_holm_matches_statsmodels() -> None:
    ps = [0.01, 0.04, 0.03, 0.5, 0.002, 0.2]
    expected = multipletests(ps, method="holm")[1]
    assert holm(ps) == pytest.approx(list(expected))


# --------------------------------------------------------------------------- the section

A_GRADES = ["good"] * 2 + ["adequate"] * 3 + ["inadequate"] * 5
B_GRADES = ["good"] * 5 + ["adequate"] * 4 + ["inadequate"]
C_GRADES = ["good", "adequate", "adequate", "inadequate"]
# A and B both read cases 0-3: A grades them good, good, adequate, adequate.
B_GRADES[:4] = ["good", "inadequate", "adequate", "good"]


def _frame(fw: Framework, auditors: bool = True) -> pd.DataFrame:
    """Auditor A: 10 readings, 6 with the worst answer; B: 10, one worst; C: 4, none.
    B's first four readings are second readings of A's first four cases."""
    ref = fw.indicators[0]
    ids = [r.id for r in ref.scale.responses]
    cats = ids + ([ref.scale.not_applicable.id] if ref.scale.not_applicable else [])
    rows: list[dict[str, Any]] = []
    for who, grades, worst in (("A", A_GRADES, 6), ("B", B_GRADES, 1), ("C", C_GRADES, 0)):
        for i, grade in enumerate(grades):
            shared = who == "B" and i < 4
            rows.append(
                {
                    "case_ref": f"A{i}" if shared else f"{who}{i}",
                    "force": "Force T",
                    "audit_type": "inspector",
                    "round": "2014",
                    "auditor": f" {who} " if i == 0 else who,  # spacing is not a new person
                    "grade": "good",  # the suggestion: recorded grades count
                    "recorded_counts_as": grade,
                    ref.full_id: ids[-1] if i < worst else ids[0],
                }
            )
    frame = pd.DataFrame(rows)
    frame[ref.full_id] = pd.Categorical(frame[ref.full_id], categories=cats)
    return frame if auditors else frame.drop(columns="auditor")


def test_figures_hand_checked(fw: Framework) -> None:
    d = auditor_drift(fw, _frame(fw), "recorded", "Force T", "inspector")
    assert d.status == "compared" and [a.auditor for a in d.auditors] == ["A", "B", "C"]
    a, b, c = d.auditors
    assert a.cases == 10 and (a.grades.good, a.grades.adequate, a.grades.inadequate) == (2, 3, 5)
    # The rest: B (3 good, 5 adequate, 2 inadequate) and C (1, 2, 1).
    assert (a.rest_grades.good, a.rest_grades.adequate, a.rest_grades.inadequate) == (4, 7, 3)
    assert (a.grades.inadequate_pct, a.rest_grades.inadequate_pct) == (50, 21)
    assert (a.worst.count, a.worst.total, a.worst.pct) == (6, 10, 60)
    assert (a.rest_worst.count, a.rest_worst.total, a.rest_worst.pct) == (1, 14, 7)
    # Second readings: A-B pairs on cases 0-3 agree on 0 and 2; A graded 1 higher, 3 lower.
    assert (a.second.pairs, a.second.agree, a.second.lower, a.second.higher) == (4, 2, 1, 1)
    assert (b.second.agree_pct, b.second.lower, b.second.higher) == (50, 1, 1)
    assert a.rest_second.pairs == 0 and c.rest_second.pairs == 4 and c.rest_second.agree == 2
    # The grade test is Freeman–Halton on the auditor's row against the rest's.
    assert a.grade_test.p_value == pytest.approx(
        float(_brute_force([2, 3, 5], [4, 7, 3])), abs=1e-4
    )
    # Tested: A's and B's grades and worst answers (C too few; no one has 10 pairs).
    assert d.tests == 4
    raw = [a.grade_test.p_value, a.worst_test.p_value, b.grade_test.p_value, b.worst_test.p_value]
    assert all(p is not None for p in raw)
    expected = multipletests([float(p or 0) for p in raw], method="holm")[1]
    got = [a.grade_test.p_holm, a.worst_test.p_holm, b.grade_test.p_holm, b.worst_test.p_holm]
    assert got == pytest.approx(list(expected), abs=1e-3)
    assert a.second_test.p_value is None and not a.second_test.look


def test_too_few_cases_to_say(fw: Framework) -> None:
    d = auditor_drift(fw, _frame(fw), "recorded", "Force T", "inspector")
    c = d.auditors[2]
    assert c.cases < MIN_CASES and c.too_few
    assert c.grade_test.p_value is None and c.worst_test.p_value is None and not c.look
    assert verdict(c) == TOO_FEW
    console = Console(width=200, record=True)
    print_drift(console, d)
    assert TOO_FEW in console.export_text()


def test_a_clear_difference_is_worth_a_look_not_a_finding(fw: Framework) -> None:
    """Twenty harsh readings against forty lenient ones: flagged, worded as a prompt."""
    rows = []
    for who, grade, n in (("Harsh", "inadequate", 20), ("Mild", "good", 20), ("Mid", "good", 20)):
        rows += [
            {
                "case_ref": f"{who}{i}",
                "force": "Force T",
                "audit_type": "inspector",
                "auditor": who,
                "grade": "good",
                "recorded_counts_as": grade,
            }
            for i in range(n)
        ]
    d = auditor_drift(fw, pd.DataFrame(rows), "recorded", "Force T", "inspector")
    harsh = next(a for a in d.auditors if a.auditor == "Harsh")
    assert harsh.grade_test.look and harsh.grade_test.p_holm is not None
    assert harsh.grade_test.p_holm < 0.05
    console = Console(width=200, record=True)
    print_drift(console, d)
    text = console.export_text()
    assert "worth a look" in text and "not a finding about the auditor" in text


@pytest.mark.parametrize(("who", "status"), [(None, "no-auditor"), ("A", "one-auditor")])
def test_no_team_to_compare(fw: Framework, who: str | None, status: str) -> None:
    frame = _frame(fw, auditors=who is not None)
    if who is not None:
        frame["auditor"] = who
    d = auditor_drift(fw, frame, "recorded", "Force T", "inspector")
    assert d.status == status and d.auditors == () and d.tests == 0
    console = Console(width=200, record=True)
    print_drift(console, d)
    assert "no team to compare" in console.export_text()


def test_readings_with_no_auditor_are_left_out_and_counted(fw: Framework) -> None:
    frame = _frame(fw)
    frame.loc[frame["auditor"].str.strip() == "C", "auditor"] = "  "
    d = auditor_drift(fw, frame, "recorded", "Force T", "inspector")
    assert d.unnamed == 4 and [a.auditor for a in d.auditors] == ["A", "B"]


# --------------------------------------------------------------------------- end to end


def _team(fw: Framework, names: tuple[str, str, str]) -> Table:
    """Three auditors, 12 cases each; the second reads the first's first six again."""
    table = case_table(fw, 36)
    rows: Table = [table[0]]
    for i, row in enumerate(table[1:]):
        new = list(row)
        new[col(table, "Auditor")] = names[i // 12]
        rows.append(new)
    for row in table[1:7]:
        new = list(row)
        new[col(table, "Auditor")] = names[1]
        new[col(table, "Overall grade")] = "good"
        rows.append(new)
    return rows


def _run(*args: str, code: int = 0) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == code, result.stderr
    return result.stdout


def _schema(name: str) -> jsonschema.Draft202012Validator:
    schema = json.loads((ROOT / "docs" / "schemas" / f"{name}.schema.json").read_text("utf-8"))
    return jsonschema.Draft202012Validator(schema)


def test_force_report_and_moderate_carry_the_section(fw: Framework, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "cases.csv", _team(fw, ("Ann", "Bob", "Cy")))
    force = json.loads(_run("report", "force", str(path), "--force", "Force X", "--format", "json"))
    _schema("report-force").validate(force)
    drift = force["auditor_drift"]
    assert drift["status"] == "compared" and drift["scope"] == "Force X"
    bob = next(a for a in drift["auditors"] if a["auditor"] == "Bob")
    assert bob["readings"] == 18 and bob["second_readings"]["pairs"] == 6
    readers = json.loads(_run("moderate", str(path), "--between", "inspectors", "--format", "json"))
    _schema("moderate-inspectors").validate(readers)
    assert [a["auditor"] for a in readers["auditor_drift"]["auditors"]] == ["Ann", "Bob", "Cy"]


def test_publish_never_names_an_auditor(fw: Framework, tmp_path: Path) -> None:
    names = (EVERYTHING[0], PAYLOAD, "Inspector Zebedee")
    path = write_csv(tmp_path / "cases.csv", _team(fw, names))
    base = ["report", "force", str(path), "--force", "Force X"]
    internal = _run(*base, "--format", "json")
    assert "Inspector Zebedee" in internal
    published = _run(*base, "--publish", "--format", "json")
    assert "auditor_drift" not in json.loads(published)
    anonymised = json.loads(_run(*base, "--anonymise", "--format", "json"))
    assert anonymised["auditor_drift"] is None
    for fmt in ("html", "xlsx", "json"):
        out = tmp_path / f"published.{fmt}"
        _run(*base, "--publish", "-o", str(out))
        data = out.read_bytes()
        assert b"Zebedee" not in data and b"Auditor drift" not in data
        if fmt != "xlsx":
            assert "onmouseover" not in data.decode("utf-8")
    text = _run(*base, "--publish")
    assert "Zebedee" not in text and "Auditor drift" not in text


def test_hostile_auditor_names_stay_inert(fw: Framework, tmp_path: Path) -> None:
    import openpyxl

    names = (FORMULA[0], PAYLOAD, "Force [/x] C")
    path = write_csv(tmp_path / "cases.csv", _team(fw, names))
    html = tmp_path / "force.html"
    _run("report", "force", str(path), "--force", "Force X", "-o", str(html))
    assert_escaped(html.read_text("utf-8"))
    book = tmp_path / "force.xlsx"
    _run("report", "force", str(path), "--force", "Force X", "-o", str(book))
    ws = openpyxl.load_workbook(book)["Auditor drift"]
    shown = {row[0] for row in ws.iter_rows(values_only=True)}
    assert set(names) <= shown  # written as text: a formula would read back as '=…' too,
    cell = next(c for c in ws["A"] if c.value == FORMULA[0])
    assert cell.data_type == "s" and cell.quotePrefix  # but it is a quoted string
    text = _run("report", "force", str(path), "--force", "Force X")
    assert "Force [/x] C" in text


def test_grades_follow_the_reports_one_rule(fw: Framework, tmp_path: Path) -> None:
    """--grade-source computed: every reading counted by the framework's suggestion."""
    path = write_csv(tmp_path / "cases.csv", _team(fw, ("Ann", "Bob", "Cy")))
    args = ["report", "force", str(path), "--force", "Force X", "--format", "json"]
    computed = json.loads(_run(*args, "--grade-source", "computed"))["auditor_drift"]
    recorded = json.loads(_run(*args))["auditor_drift"]
    bob_c = next(a for a in computed["auditors"] if a["auditor"] == "Bob")
    bob_r = next(a for a in recorded["auditors"] if a["auditor"] == "Bob")
    # Bob's six second readings record 'good'; the answers suggest otherwise.
    assert bob_r["grades"]["good"] - bob_c["grades"]["good"] == 6
    assert sum(bob_c["grades"][g] for g in GRADES) == bob_c["grades"]["total"]


def test_the_samples_harsh_inspector_is_found(sample_scored: Any) -> None:
    """docs/moderation.md's example: in Force D one inspector reads more cases again and
    grades them a step harsher (scripts/make_samples.py, HARSH)."""
    from inspect_cli.reports.drift import drift_for

    d = drift_for(sample_scored, "auto", "Force D", force="Force D")
    flagged = {a.auditor: a for a in d.auditors if a.look}
    harsh = flagged["Insp. 11"]
    assert harsh.grade_test.look and harsh.second_test.look
    assert (harsh.grades.inadequate_pct, harsh.rest_grades.inadequate_pct) == (45, 26)
    assert (harsh.second.pairs, harsh.second.agree_pct, harsh.second.lower) == (36, 42, 21)

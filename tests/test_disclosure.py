"""Published reports against a determined reader (tests/helpers/intruder.py).

For each published report, an integer programme over everything it shows finds each
hidden count's smallest and largest possible value. The guarantee: no hidden count
is pinned to one value, every count from 1 to threshold - 1 could be any of at least
``threshold + 1`` values, every shown figure is true, and nothing shown contradicts
the truth.
"""

from __future__ import annotations

import json
import os
import random
from pathlib import Path
from typing import Any

import pytest

from inspect_cli.frameworks import Framework
from inspect_cli.load import load_cases
from inspect_cli.provenance import provenance_for
from inspect_cli.render.contracts import dumps, force_dict, thematic_dict
from inspect_cli.render.wording import chi_square_sentences, findings_sentences
from inspect_cli.reports.counts import grade_row_of
from inspect_cli.reports.disclosure import Model, protect, ranges
from inspect_cli.reports.disclosure_model import (
    GradingRules,
    add_grade_row,
    add_rules,
    add_stage,
    add_total_row,
    grading_rules,
)
from inspect_cli.reports.force import force_report
from inspect_cli.reports.groups import OTHER, controlled_breakdowns
from inspect_cli.reports.publish import publish_force, publish_thematic
from inspect_cli.reports.thematic import thematic_report
from inspect_cli.score import ScoreResult, score_cases
from tests.helpers.builders import case_table, set_cell, write_xlsx
from tests.helpers.intruder import Intruder, audit, breaches, read_thematic

THRESHOLDS = (5, 10, 15)


def _json(report: Any) -> dict[str, Any]:
    to_dict = thematic_dict if hasattr(report, "forces") else force_dict
    return json.loads(dumps(to_dict(report)))


def _audit(
    kind: str, published: Any, internal: Any, threshold: int, fw: Framework | None = None
) -> Intruder:
    """``fw``: the grades are computed by its rules, which the reader applies too."""
    if kind == "force":  # the truth of each published group: typed values merged
        internal = controlled_breakdowns(internal)
    reader, found = audit([(kind, _json(published), _json(internal))], fw)
    assert reader.contradictions == []
    assert found, "nothing hidden: the audit checked nothing"
    assert breaches(found, threshold) == []
    return reader


# --------------------------------------------------------------------------- samples


@pytest.mark.parametrize("threshold", THRESHOLDS)
def test_sample_thematic_withstands_the_intruder(
    fw: Framework, sample_scored: ScoreResult, fixed_provenance: Any, threshold: int
) -> None:
    internal = thematic_report(sample_scored, fixed_provenance, grade_source="recorded")
    _audit("thematic", publish_thematic(internal, threshold), internal, threshold)
    internal = thematic_report(sample_scored, fixed_provenance)  # computed: rules known
    published = publish_thematic(internal, threshold, grading_rules(fw))
    _audit("thematic", published, internal, threshold, fw)


SAMPLE_FORCES = [f"Force {x}" for x in "BCDEFGH"]
# Each sample force at one threshold in turn; INSPECT_AUDIT_ALL=1 audits every force at
# every threshold (21 reports, about a minute: the campaign run before a release).
FORCE_CASES = (
    [(f, t) for f in SAMPLE_FORCES for t in THRESHOLDS]
    if os.environ.get("INSPECT_AUDIT_ALL") == "1"
    else [(f, THRESHOLDS[i % 3]) for i, f in enumerate(SAMPLE_FORCES)]
)


@pytest.mark.parametrize(("force", "threshold"), FORCE_CASES)
def test_sample_force_reports_withstand_the_intruder(
    fw: Framework, sample_scored: ScoreResult, fixed_provenance: Any, force: str, threshold: int
) -> None:
    internal = force_report(sample_scored, fixed_provenance, force)
    published = publish_force(internal, threshold, grading_rules(fw))
    _audit("force", published, internal, threshold, fw)


def test_the_intruder_breaks_small_number_suppression_alone(
    sample_scored: ScoreResult, fixed_provenance: Any
) -> None:
    """Not vacuous: hide only the counts under the threshold (and what follows from
    them) and the intruder recovers them from the totals."""
    internal = thematic_report(sample_scored, fixed_provenance, grade_source="recorded")
    published = _json(publish_thematic(internal, 11))
    truth = _json(internal)
    assert truth["forces"][5]["adequate"] == 9  # Force F's 9
    for pub, true in zip(published["forces"], truth["forces"], strict=True):
        for grade in ("good", "adequate", "inadequate", "total"):
            if not (true[grade] is not None and 0 < true[grade] < 11):
                pub[grade] = true[grade]
    reader = Intruder()
    read_thematic(reader, published, truth)
    assert any("pinned" in b for b in breaches(reader.findings(), 11))


# --------------------------------------------------------------------------- generated

ETHNICITY = ("White British", "White other", "Black", "Asian", "Mixed", "Jane Smith", "")
GENDER = ("Female", "Male", "female", "Non-binary", "born 03/04/2012", "")


def _random_cases(fw: Framework, folder: Path, seed: int) -> ScoreResult:
    """Four forces of 6 to 60 cases with random answers, areas, groups and ages;
    breakdown columns hold typed text (names, dates) as real ones sometimes do."""
    rng = random.Random(seed)
    sizes = [rng.randint(6, 60) for _ in range(4)]
    table = case_table(fw, sum(sizes))
    labels = [r.indicator.label for r in fw.indicators]
    areas = [a.label for a in fw.areas_of_practice][:4]
    row = 2
    for f, size in enumerate(sizes):
        for _ in range(size):
            set_cell(table, row, "Force", f"Force {'PQRS'[f]}")
            set_cell(table, row, "Area of practice", rng.choice(areas))
            set_cell(table, row, "Child ethnicity", rng.choice(ETHNICITY))
            set_cell(table, row, "Child gender", rng.choice(GENDER))
            set_cell(table, row, "Child age", rng.choice([rng.randint(0, 17), ""]))
            set_cell(table, row, "Looked after", rng.choice(["yes", "no", ""]))
            for label in labels:
                weights = (5, 3, 2 + f, 1)
                answer = rng.choices(("Yes", "Partly", "No", "Not applicable"), weights)[0]
                set_cell(table, row, label, answer)
            row += 1
    write_xlsx(folder / "cases.xlsx", table)
    return score_cases(load_cases([folder], fw))


@pytest.mark.parametrize("seed", [1, 2])
def test_generated_cases_withstand_the_intruder(fw: Framework, tmp_path: Path, seed: int) -> None:
    result = _random_cases(fw, tmp_path, seed)
    provenance = provenance_for(fw, result.load, {})
    threshold = THRESHOLDS[seed % len(THRESHOLDS)]
    rules = grading_rules(fw)
    thematic = thematic_report(result, provenance)
    _audit("thematic", publish_thematic(thematic, threshold, rules), thematic, threshold, fw)
    smallest = min((r for r in thematic.forces if r.recorded), key=lambda r: r.total or 0)
    internal = force_report(result, provenance, smallest.label)
    published = publish_force(internal, threshold, rules)
    _audit("force", published, internal, threshold, fw)
    # Typed text never becomes a published group.
    groups = {row.label for b in published.breakdowns for row in b.rows}
    assert not groups & {"Jane Smith", "born 03/04/2012", "Non-binary", "White British"}
    assert OTHER in groups or not {"Jane Smith", "Non-binary"} & {
        row.label for b in internal.breakdowns for row in b.rows
    }


# --------------------------------------------------------------------------- findings


def test_chi_square_is_left_out_when_a_count_is_hidden(
    sample_scored: ScoreResult, fixed_provenance: Any
) -> None:
    """On the bundled Table 2 data at 11, the statistic pinned Force F's hidden 9."""
    internal = thematic_report(sample_scored, fixed_provenance, grade_source="recorded")
    published = publish_thematic(internal, 11)
    assert any(r.suppressed for r in published.forces)
    assert published.chi_square is None and published.chi_square_withheld
    assert "left out" in " ".join(chi_square_sentences(None, withheld=True))
    data = _json(published)
    assert data["chi_square"] is None and data["chi_square_withheld"] is True
    # Nothing hidden at threshold 2 on this table: the test is kept.
    kept = publish_thematic(internal, 2)
    if not any(r.suppressed for r in (*kept.forces, kept.total)):
        assert kept.chi_square == internal.chi_square and not kept.chi_square_withheld


def test_flags_and_findings_count_only_shown_figures(
    sample_scored: ScoreResult, fixed_provenance: Any
) -> None:
    internal = thematic_report(sample_scored, fixed_provenance, grade_source="recorded")
    for threshold in (11, 20):
        published = publish_thematic(internal, threshold)
        f = published.findings
        flagged = tuple(r.label for r in published.forces if r.serious_concern)
        assert f.serious_concern == flagged  # the ▲ and the sentence agree
        hidden = [r.label for r in published.forces if r.recorded and r.inadequate is None]
        assert list(f.forces_not_assessed) == hidden
        text = " ".join(findings_sentences(f, published.forces))
        for name in hidden:
            assert name in text and "is not shown" in text
        for row in published.forces:
            if "serious_concern" in row.suppressed:
                assert (
                    _json(published)["forces"][published.forces.index(row)]["serious_concern"]
                    is None
                )


def test_nothing_in_a_published_report_names_a_file_or_counts_a_heading(
    sample_scored: ScoreResult, fixed_provenance: Any
) -> None:
    internal = thematic_report(sample_scored, fixed_provenance, grade_source="recorded")
    assert "includes one excellent case" in internal.headers["good"]
    published = publish_thematic(internal, 5)
    text = dumps(thematic_dict(published))
    assert "excellent" in published.headers["good"] and "one" not in published.headers["good"]
    for name, _ in internal.meta.provenance.inputs:
        assert name not in text
    assert [n for n, _ in published.meta.provenance.inputs][:2] == ["file 1", "file 2"]


def test_a_force_with_fewer_cases_than_the_threshold_shows_no_count(
    fw: Framework, tmp_path: Path
) -> None:
    """'c of 4' gave the force's four cases away: the completeness total is hidden too."""
    table = case_table(fw, 24)
    for row in range(2, 6):
        set_cell(table, row, "Force", "Force Tiny")
    write_xlsx(tmp_path / "cases.xlsx", table)
    result = score_cases(load_cases([tmp_path], fw))
    internal = force_report(result, provenance_for(fw, result.load, {}), "Force Tiny")
    published = publish_force(internal, 5)
    assert published.overall.total is None
    assert all(c.total is None and "total" in c.suppressed for c in published.completeness)
    numbers = [v for v in json.loads(dumps(force_dict(published)))["by_stage"] for v in v.values()]
    assert not [v for v in numbers if isinstance(v, int) and 0 < v < 5]


def test_a_reader_who_knows_the_grading_rules_is_modelled() -> None:
    """One inadequate stage caps a case at adequate, so a force's good cases are at
    most its cases less a stage's inadequate ones: with 40 of 43 cases inadequate at
    a stage, a hidden good count of 3 is pinned unless the rule is in the model."""
    rules = GradingRules(stage_caps=(("inadequate", "adequate"),))
    counts = {
        "F": {"good": 3, "adequate": 20, "inadequate": 20},
        "G": {"good": 30, "adequate": 25, "inadequate": 25},
    }

    def model(with_rules: bool) -> Model:
        m = Model()
        for force, row in counts.items():
            add_grade_row(m, force, grade_row_of(force, row))
        totals = {g: sum(r[g] for r in counts.values()) for g in ("good", "adequate", "inadequate")}
        add_total_row(m, list(counts), grade_row_of("Total", totals))
        add_stage(m, "F", "S", 43, {"inadequate": 40})
        add_stage(m, "G", "S", 80, {"inadequate": 50})
        if with_rules:
            add_rules(m, rules, list(counts), ["S"])
        return m

    good = ("count", "F", "good")
    unaware = protect(model(False), 5)
    assert ranges(model(True), unaware)[good].width == 0  # the rule pins it
    aware = protect(model(True), 5)
    assert ranges(model(True), aware)[good].width >= 5

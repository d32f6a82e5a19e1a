"""Published reports against a reader who knows more than the JSON intruder models.

tests/helpers/intruder.py writes down the figures of the public JSON and the splits
every reader knows. A determined reader also knows how the tool decides what to
print and how the framework grades: each fact below is one such piece of knowledge,
added to the intruder as linear (in)equalities. The first tests are facts that once
broke the guarantee (a hidden count pinned, or a small one left in a range narrower
than the threshold) and are now in the disclosure model; the rest show what holds.
"""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from inspect_cli.frameworks import GRADES, Framework
from inspect_cli.load import load_cases
from inspect_cli.provenance import provenance_for
from inspect_cli.render.contracts import dumps, force_dict, thematic_dict
from inspect_cli.render.html.jinja_env import BAR_W
from inspect_cli.render.html.report import HIDDEN, conclusions_chart
from inspect_cli.render.xlsx.published import CONFIDENTIAL
from inspect_cli.render.xlsx.published_thematic import thematic_publication
from inspect_cli.reports.force import force_report
from inspect_cli.reports.groups import controlled_breakdowns
from inspect_cli.reports.publish import publish_force, publish_thematic
from inspect_cli.reports.thematic import thematic_report
from inspect_cli.score import ScoreResult, score_cases
from tests.helpers.builders import case_table, set_cell, write_xlsx
from tests.helpers.intruder import Intruder, breaches, read_force

Json = dict[str, Any]
THRESHOLD = 5
ETHNICITY = ("White British", "White other", "Black", "Asian", "Mixed", "Jane Smith", "")
GENDER = ("Female", "Male", "female", "Non-binary", "born 03/04/2012", "")


def _one_force(fw: Framework, folder: Path, seed: int, size: int) -> ScoreResult:
    """One force of ``size`` random cases with typed breakdown columns (as in
    tests/test_disclosure.py, one force only so that publishing stays quick)."""
    rng = random.Random(seed)
    table = case_table(fw, size)
    labels = [r.indicator.label for r in fw.indicators]
    areas = [a.label for a in fw.areas_of_practice][:4]
    for row in range(2, size + 2):
        set_cell(table, row, "Force", "Force P")
        set_cell(table, row, "Area of practice", rng.choice(areas))
        set_cell(table, row, "Child ethnicity", rng.choice(ETHNICITY))
        set_cell(table, row, "Child gender", rng.choice(GENDER))
        set_cell(table, row, "Child age", rng.choice([rng.randint(0, 17), ""]))
        set_cell(table, row, "Looked after", rng.choice(["yes", "no", ""]))
        for label in labels:
            answer = rng.choices(("Yes", "Partly", "No", "Not applicable"), (5, 3, 2, 1))[0]
            set_cell(table, row, label, answer)
    write_xlsx(folder / "cases.xlsx", table)
    return score_cases(load_cases([folder], fw))


@pytest.fixture(scope="module")
def force_p(fw: Framework, tmp_path_factory: pytest.TempPathFactory) -> tuple[Json, Json]:
    """(published JSON, true JSON) of one generated force at threshold 5 (seed 3, 25
    cases: a force where both breaks below show)."""
    result = _one_force(fw, tmp_path_factory.mktemp("force_p"), seed=3, size=25)
    internal = force_report(result, provenance_for(fw, result.load, {}), "Force P")
    published = publish_force(internal, THRESHOLD)
    return _json(force_dict(published)), _json(force_dict(controlled_breakdowns(internal)))


def _json(data: Any) -> Json:
    parsed: Json = json.loads(dumps(data))
    return parsed


def _reader(pub: Json, true: Json) -> Intruder:
    reader = Intruder()
    read_force(reader, pub, true)
    assert reader.contradictions == []
    return reader


def _at_least(reader: Intruder, terms: list[int], low: float) -> None:
    reader.constrain(dict.fromkeys(terms, 1.0), low, np.inf)


# --------------------------------------------------------------------------- facts


def groups_listed_are_present(reader: Intruder, pub: Json, true: Json) -> None:
    """A breakdown lists a group only if some case falls in it (groups.py keeps the
    fixed groups 'if label in merged'), so every listed group has at least one case.
    Applied only while the tool lists no empty group: a fix that lists every fixed
    group, empty ones included, makes the listing say nothing."""
    if any(row["total"] == 0 for b in true["breakdowns"] for row in b["rows"]):
        return
    f = pub["force"]
    for b in pub["breakdowns"]:
        for row in b["rows"]:
            _at_least(reader, [reader.v("bd", f, b["title"], row["group"], g) for g in GRADES], 1)


COMPLETENESS_OF = {"Age": "Age band", "Gender": "Gender", "Ethnicity": "Ethnicity"}


def not_recorded_is_blank_or_unknown(reader: Intruder, pub: Json, true: Json) -> None:
    """Data completeness counts a value 'not recorded' when it is blank or 'unknown'
    (force.py _completeness); the breakdown of the same column shows the blanks as
    '(blank)' and every 'unknown' in its 'unknown' group. So blank <= not recorded <=
    blank + unknown; for Age (a whole number 0-17 or blank) not recorded == (blank)."""
    f = pub["force"]
    breakdowns = {b["title"]: b for b in pub["breakdowns"]}
    for c in pub["completeness"]:
        title = COMPLETENESS_OF.get(c["label"], "")
        if title not in breakdowns:
            continue
        groups = {row["group"] for row in breakdowns[title]["rows"]}

        def cases(group: str, title: str = title, groups: set[str] = groups) -> list[int]:
            return [reader.v("bd", f, title, group, g) for g in GRADES] if group in groups else []

        missing = reader.v("comp", f, c["label"], "missing")
        low = {missing: 1.0} | dict.fromkeys(cases("(blank)"), -1.0)
        reader.constrain(low, 0, np.inf)
        high = low | dict.fromkeys(cases("unknown"), -1.0)
        reader.constrain(high, -np.inf, 0)


def grading_caps(fw: Framework) -> Any:
    """The framework's rules for a computed grade (docs/scoring.md): a case with an
    inadequate stage is not good; two inadequate stages make it inadequate; an
    inadequate case has an inadequate stage; every graded case has an applicable
    stage, and a good case a good one; a limiting indicator's worst answer makes its
    stage inadequate."""
    stages = [s.label for s in fw.stages]
    limiting = [(r.full_id, r.stage.label) for r in fw.indicators if r.indicator.limiting]

    def add(reader: Intruder, pub: Json, true: Json) -> None:
        f = pub["force"]
        x = {g: reader.v("grade", f, g) for g in GRADES}
        bad = {s: reader.v("stage", f, s, "inadequate") for s in stages}
        for s in stages:
            reader.constrain({bad[s]: 1, x["adequate"]: -1, x["inadequate"]: -1}, -np.inf, 0)
        every = dict.fromkeys(bad.values(), 1.0)
        reader.constrain(every | {x["adequate"]: -1, x["inadequate"]: -len(stages)}, -np.inf, 0)
        reader.constrain(every | {x["inadequate"]: -1}, 0, np.inf)
        applied = {reader.v("stage", f, s, g): 1.0 for s in stages for g in GRADES}
        reader.constrain(applied | {x[g]: -1.0 for g in GRADES}, 0, np.inf)
        good = {reader.v("stage", f, s, "good"): 1.0 for s in stages}
        reader.constrain(good | {x["good"]: -1.0}, 0, np.inf)
        listed = {i["id"] for i in pub["failing_indicators"]}
        for ind, stage in limiting:
            if ind in listed:
                worst = reader.v("ind", f, ind, "worst")
                reader.constrain({worst: 1, bad[stage]: -1}, -np.inf, 0)

    return add


def _breaches(force_p: tuple[Json, Json], *facts: Any) -> list[str]:
    pub, true = force_p
    reader = _reader(pub, true)
    for fact in facts:
        fact(reader, pub, true)
    return breaches(reader.findings(), THRESHOLD)


# --------------------------------------------------------------------------- breaks


def test_listing_a_breakdown_group_says_it_has_a_case(force_p: tuple[Json, Json]) -> None:
    assert _breaches(force_p, groups_listed_are_present) == []


def test_completeness_beside_the_blank_group_gives_nothing_away(
    force_p: tuple[Json, Json],
) -> None:
    assert _breaches(force_p, not_recorded_is_blank_or_unknown) == []


LABELS = {"good": "Good", "adequate": "Adequate", "inadequate": "Inadequate"}


def _recorded(fw: Framework, folder: Path, forces: list[tuple[int, int, int]]) -> ScoreResult:
    """Forces P, Q, R… with the given (good, adequate, inadequate) recorded grades."""
    table = case_table(fw, sum(sum(c) for c in forces))
    row = 2
    for f, counts in enumerate(forces):
        for grade, n in zip(GRADES, counts, strict=True):
            for _ in range(n):
                set_cell(table, row, "Force", f"Force {'PQRS'[f]}")
                set_cell(table, row, "Overall grade", LABELS[grade])
                row += 1
    write_xlsx(folder / "cases.xlsx", table)
    return score_cases(load_cases([folder], fw))


@pytest.fixture(scope="module")
def total_hidden(fw: Framework, tmp_path_factory: pytest.TempPathFactory) -> Any:
    """A thematic report at threshold 5 where Force P's total is hidden and its
    inadequate count (0) is shown."""
    result = _recorded(
        fw, tmp_path_factory.mktemp("total_hidden"), [(1, 8, 0), (0, 0, 30), (0, 12, 3)]
    )
    internal = thematic_report(result, provenance_for(fw, result.load, {}), grade_source="recorded")
    return publish_thematic(internal, THRESHOLD)


def test_excel_flag_is_hidden_wherever_the_json_flag_is(total_hidden: Any) -> None:
    row = next(r for r in total_hidden.forces if r.label == "Force P")
    assert "total" in row.suppressed and "inadequate" not in row.suppressed
    data = _json(thematic_dict(total_hidden))
    assert data["forces"][0]["serious_concern"] is None
    conclusions = thematic_publication(total_hidden).tables[0]
    assert conclusions.rows[0][0] == "Force P"
    assert conclusions.rows[0][-1] == CONFIDENTIAL


# --------------------------------------------------------------------------- what holds


def test_the_grading_rules_give_no_hidden_count_away(
    fw: Framework, force_p: tuple[Json, Json]
) -> None:
    """Held on generated forces, and on the samples at 5 and 10 (report publish): the
    caps bound stage and grade counts against each other, but not tightly enough."""
    assert _breaches(force_p, grading_caps(fw)) == []


def test_chart_segments_carry_nothing_the_table_does_not(total_hidden: Any) -> None:
    """The hatched 'c' segment is the total less the counts shown; a row whose total
    is hidden has no bar (its width would be the hidden total's share)."""
    chart = conclusions_chart(total_hidden)
    for row, bar in zip((*total_hidden.forces, total_hidden.total), chart.stacked, strict=True):
        if row.total is None:
            assert bar.segments == ()
            continue
        shown = sum(row.count(g) or 0 for g in GRADES if g not in row.suppressed)
        hidden = sum(s.width for s in bar.segments if s.grade == HIDDEN)
        assert hidden == pytest.approx(BAR_W * (row.total - shown) / row.total, abs=0.2)


TYPED = (
    "Jane Smith",
    "born 03/04/2012",
    "<b>Whіte</b>",
    "+44 7700 900123",
    "Ｗhite",
    "Fe\u200bmale",
)


@pytest.mark.parametrize(("threshold", "fmt"), [(2, "json"), (100, "html")])
def test_tiny_forces_and_typed_text_at_extreme_thresholds(
    fw: Framework, tmp_path: Path, cli: Any, threshold: int, fmt: str
) -> None:
    """Forces of 1 to 4 cases, typed text (a name, a date, markup, a phone number,
    look-alikes of White and Female) in the breakdown columns: report publish writes
    every report (no refusal, no internal error), and no typed value appears in any."""
    table = case_table(fw, 9)
    for row, (force, text) in enumerate(
        zip(["Force A"] * 4 + ["Force B"] * 1 + ["Force C"] * 4, [*TYPED, *TYPED], strict=False),
        start=2,
    ):
        set_cell(table, row, "Force", force)
        set_cell(table, row, "Child ethnicity", text)
        set_cell(table, row, "Child gender", TYPED[-1 - (row % len(TYPED))])
    write_xlsx(tmp_path / "cases.xlsx", table)
    out = tmp_path / "out"
    result = cli(
        "report", "publish", tmp_path / "cases.xlsx", "-o", out, "--format", fmt,
        "--suppress-below", str(threshold),
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert len(list(out.iterdir())) == 4  # the thematic report and three forces
    text = "\n".join(p.read_text(encoding="utf-8") for p in out.iterdir())
    for typed in TYPED:
        assert typed not in text and typed.replace("<", "&lt;") not in text
    assert "Jane" not in text and "03/04" not in text

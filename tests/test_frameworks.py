from __future__ import annotations

import json
from pathlib import Path

import pytest

from inspect_cli.errors import FrameworkError, UsageError
from inspect_cli.frameworks import (
    GRADES,
    Framework,
    framework_to_dict,
    json_schema,
    load_framework_file,
    resolve_framework,
    shipped_frameworks,
)
from inspect_cli.render.contracts import dumps
from inspect_cli.resources import data_dir
from inspect_cli.sanity import check_sanity

from .conftest import ROOT


def test_ncpi_2014_structure(fw: Framework) -> None:
    assert fw.id == "ncpi-2014"
    assert [s.id for s in fw.stages] == [
        "initial_contact",
        "assessment_and_help",
        "investigation",
        "decision_making",
        "trusted_adult",
        "managing_risk",
        "police_detention",
    ]
    assert all(4 <= len(s.indicators) <= 8 for s in fw.stages)
    assert len(fw.areas_of_practice) == 9
    assert fw.overall_question
    collapse = {g.id: g.counts_as for g in fw.case_grades}
    assert collapse == {
        "excellent": "good",
        "good": "good",
        "adequate": "adequate",
        "requires_improvement": "inadequate",
        "poor": "inadequate",
        "inadequate": "inadequate",
    }
    detention = next(s for s in fw.stages if s.id == "police_detention")
    assert detention.required_for_areas == ("custody",)
    assert any(r.indicator.limiting for r in fw.indicators)
    assert "investigation.medical_examination" in {r.full_id for r in fw.indicators}


def test_every_shipped_framework_is_sane() -> None:
    infos = shipped_frameworks()
    assert "ncpi-2014" in {i.id for i in infos}
    for info in infos:
        assert check_sanity(resolve_framework(info.id)) == [], info.id


def test_show_json_contract(fw: Framework) -> None:
    data = json.loads(json.dumps(framework_to_dict(fw)))
    for key in ("id", "version", "title", "case_grades", "areas_of_practice", "stages"):
        assert key in data
    assert data["areas_of_practice"][0] == "Domestic abuse"
    stage = data["stages"][2]
    assert {"id", "label", "indicators"} <= set(stage)
    ind = stage["indicators"][0]
    assert {"id", "label", "responses", "limiting", "weight"} <= set(ind)
    assert ind["id"].startswith("investigation.")
    # ordered best → worst, then not applicable
    assert ind["responses"] == ["Yes", "Partly", "No", "Not applicable"]


def test_shipped_schema_is_current() -> None:
    shipped = (ROOT / "frameworks" / "framework.schema.json").read_text(encoding="utf-8")
    assert shipped == dumps(json_schema(), sort_keys=True), (
        "run: inspect-cli frameworks schema -o frameworks/framework.schema.json --overwrite"
    )


def test_schema_describes_the_file_format() -> None:
    schema = json_schema()
    assert {"id", "version", "stages", "scoring"} <= set(schema["properties"])
    assert "Indicator" in schema["$defs"]


def test_resolve_by_path_and_unknown_id(tmp_path: Path) -> None:
    copy = tmp_path / "mine.yaml"
    copy.write_text(
        (ROOT / "frameworks" / "ncpi-2014.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    assert resolve_framework(copy).id == "ncpi-2014"
    with pytest.raises(UsageError) as info:
        resolve_framework("ncpi-1999")
    assert "ncpi-2014" in " ".join(info.value.details)
    with pytest.raises(UsageError):
        resolve_framework(tmp_path / "missing.yaml")


def _edit(tmp_path: Path, old: str, new: str) -> Path:
    text = (ROOT / "frameworks" / "ncpi-2014.yaml").read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "edited.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "thresholds: {good: 80, adequate: 50}",
            "thresholds: {good: 40, adequate: 50}",
            "scoring.stage.thresholds",
        ),
        ("combine: mean_of_stages", "combine: majority_vote", "scoring.case.combine"),
        ("        weight: 2\n", "        wieght: 2\n", "did you mean 'weight'"),
        (
            "required_for_areas: [custody]",
            "required_for_areas: [custard]",
            "no area of practice 'custard'",
        ),
        (
            "      - id: prompt_attendance\n",
            "      - id: prompt_attendance\n        scale: likert\n",
            "no scale 'likert'",
        ),
        ("      - id: prompt_attendance\n", "      - id: recognised\n", "duplicate indicator id"),
        ("      - id: prompt_attendance\n", "      - id: grade\n", "reserved"),
        ('{id: "yes", label: "Yes"', '{id: yes, label: "Yes"', "quote it"),
        ("counts_as: adequate}", "counts_as: satisfactory}", "case_grades[2].counts_as"),
    ],
)
def test_bad_framework_files_name_the_key_and_line(
    tmp_path: Path, old: str, new: str, expected: str
) -> None:
    path = _edit(tmp_path, old, new)
    with pytest.raises(FrameworkError) as info:
        load_framework_file(path)
    text = "\n".join(info.value.details)
    assert expected in text
    assert "(line " in text
    assert str(path) in info.value.message


def test_alias_cycle_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "cycle.yaml"
    path.write_text("id: x\nstages: &s\n  - *s\n", encoding="utf-8")
    with pytest.raises(FrameworkError, match="cycle"):
        load_framework_file(path)


def test_grades_are_the_three_reporting_grades() -> None:
    assert GRADES == ("good", "adequate", "inadequate")


def test_resolver_finds_data_in_a_checkout() -> None:
    assert (data_dir("frameworks") / "ncpi-2014.yaml").is_file()
    assert data_dir("templates").is_dir()

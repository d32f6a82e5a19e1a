"""Every JSON output, run on sample_cases/ (and on generated files with problems), is
valid against its committed JSON Schema in docs/schemas/ (docs/json.md)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema  # type: ignore[import-untyped]  # test-only (docs/dependencies.md); no stubs
import pytest
from typer.testing import Result

from inspect_cli.frameworks import resolve_framework, shipped_frameworks
from inspect_cli.render.contracts import SCHEMA_VERSION

from .conftest import ROOT, SAMPLES
from .helpers.builders import case_table, set_cell, write_csv

Cli = Callable[..., Result]
SCHEMAS = ROOT / "docs" / "schemas"
S = str(SAMPLES)
RUNS: dict[str, tuple[str, list[tuple[str, ...]]]] = {
    "validate": ("validate", [("validate", S)]),
    "score": ("score", [("score", S)]),
    "thematic": (
        "report-thematic",
        [
            ("report", "thematic", S),
            ("report", "thematic", S, "--publish"),
            ("report", "thematic", S, "--publish", "--anonymise"),
            ("report", "thematic", S, "--audit-type", "self-assessment"),
        ],
    ),
    "force": (
        "report-force",
        [
            ("report", "force", S, "--force", "Force C"),
            ("report", "force", S, "--force", "Force C", "--publish"),
        ],
    ),
    "moderate": ("moderate", [("moderate", S), ("moderate", S, "--force", "Force C")]),
    # the samples have double-read cases (and an auditor for the drift section to find)
    "moderate-inspectors": (
        "moderate-inspectors",
        [
            ("moderate", S, "--between", "inspectors"),
            ("moderate", S, "--between", "inspectors", "--force", "Force D"),
        ],
    ),
    "trend": ("trend", [("trend", f"2014={S}", f"2016={SAMPLES.parent / 'sample_cases_2016'}")]),
    "referrals": (
        "referrals",
        [("referrals", S, "--as-of", "2015-01-31"), ("referrals", S, "--force", "Force C")],
    ),
    "examples": (
        "examples",
        [
            ("examples", S),
            ("examples", S, "--force", "Force C"),
            ("examples", S, "--publish", "--anonymise"),
        ],
    ),
}


def validator(name: str) -> Any:
    schema = json.loads((SCHEMAS / f"{name}.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def json_of(cli: Cli, *args: str, code: int = 0) -> Any:
    result = cli(*args, "--format", "json")
    assert result.exit_code == code, result.stderr
    return json.loads(result.stdout)


def versions(data: Any) -> set[Any]:
    return (
        {d["schema_version"] for d in data} if isinstance(data, list) else {data["schema_version"]}
    )


@pytest.mark.parametrize("kind", list(RUNS))
def test_every_output_on_the_samples_matches_its_schema(cli: Cli, kind: str) -> None:
    name, runs = RUNS[kind]
    check = validator(name)
    for args in runs:
        data = json_of(cli, *args)
        check.validate(data)
        assert versions(data) == {SCHEMA_VERSION}


def test_published_nulls_are_allowed_and_a_wrong_type_is_not(cli: Cli) -> None:
    check = validator("report-thematic")
    data = json_of(cli, "report", "thematic", S, "--publish")
    assert any(row["inadequate"] is None for row in data["forces"])  # hidden figures
    data["forces"][0]["good"] = "7"  # a schema that accepts anything cannot fail this
    assert not check.is_valid(data)
    del data["forces"][0]["good"]
    assert not check.is_valid(data)


@pytest.mark.parametrize("framework", [f.id for f in shipped_frameworks()])
def test_frameworks_show_matches_its_schema(cli: Cli, framework: str) -> None:
    data = json_of(cli, "frameworks", "show", framework)
    validator("frameworks-show").validate(data)
    assert data["schema_version"] == SCHEMA_VERSION


def test_outputs_with_problems_and_left_out_rows_match(cli: Cli, tmp_path: Path) -> None:
    fw = resolve_framework("ncpi-2014")
    table = set_cell(case_table(fw, 4), 3, "Prompt attendance", "Yse")
    src = str(write_csv(tmp_path / "cases.csv", table))
    problems = json_of(cli, "validate", src, code=1)
    validator("validate").validate(problems)
    assert problems["problems"] and problems["problems"][0]["sheet"] is None
    scored = json_of(cli, "score", src, "--allow-partial")
    validator("score").validate(scored)
    assert len(scored) == 3


def test_the_schemas_are_the_documented_set() -> None:
    files = sorted(p.name for p in SCHEMAS.glob("*.schema.json"))
    assert files == sorted(
        f"{name}.schema.json" for name in {*(n for n, _ in RUNS.values()), "frameworks-show"}
    )
    doc = (ROOT / "docs" / "json.md").read_text(encoding="utf-8")
    for name in files:
        assert f"schemas/{name}" in doc, name

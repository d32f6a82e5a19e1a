"""The force register (--forces) and force identity in case lists (sample)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import Result

from inspect_cli.frameworks import Framework
from inspect_cli.load import Register, load_cases, read_register
from tests.helpers.builders import write_csv, write_lines
from tests.helpers.hostile import with_forces, write_case_list

Cli = Callable[..., Result]
MET = "Metropolitan Police Service"


def _register(tmp_path: Path, kind: str) -> Path:
    if kind == "force,alias":
        lines = ["force,alias", f"{MET},Met", f"{MET},The Met", "Kent Police,", "Kent Police,Kent"]
        return write_lines(tmp_path / "forces.csv", lines)
    if kind == "name,aliases":
        lines = ["name,aliases", f"{MET},Met; The Met", "Kent Police,Kent|KENT POLICE"]
        return write_lines(tmp_path / "forces.csv", lines)
    text = f"{MET}:\n  - Met\n  - The Met\nKent Police: [Kent]\n"
    path = tmp_path / "forces.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("kind", ["force,alias", "name,aliases", "yaml"])
def test_register_maps_aliases_by_identity_key(tmp_path: Path, fw: Framework, kind: str) -> None:
    register = read_register(_register(tmp_path, kind))
    assert isinstance(register, Register)
    assert register.lookup("MET") == MET
    assert register.lookup("the\u00a0met\u200b") == MET
    assert register.lookup("kent") == "Kent Police"
    assert register.lookup("Essex") is None
    cases = tmp_path / "cases"
    cases.mkdir()
    write_csv(cases / "a.csv", with_forces(fw, ["Met", "the met", MET, "KENT"]))
    result = load_cases([cases], fw, forces=_register(tmp_path, kind))
    assert result.ok, result.errors
    assert list(result.cases["force"]) == [MET, MET, MET, "Kent Police"]
    assert any(p.code == "force-register-mapped" for p in result.problems)


def test_unlisted_force_is_an_error_naming_the_closest(
    tmp_path: Path, fw: Framework, cli: Cli
) -> None:
    register = _register(tmp_path, "force,alias")
    cases = tmp_path / "cases"
    cases.mkdir()
    write_csv(cases / "a.csv", with_forces(fw, ["Met", "Metropolitan Police Servce", "Kent"]))
    result = load_cases([cases], fw, forces=register)
    (error,) = result.errors
    assert error.code == "force-not-in-register" and error.row == 3
    assert f"closest listed: '{MET}'" in error.message and "forces.csv" in error.message
    run = cli("report", "thematic", cases, "--forces", register)
    assert run.exit_code == 1 and "not in the force register forces.csv" in run.stderr


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("forces.csv", "county,alias\r\nKent,\r\n", "row 1"),
        ("forces.csv", f"force,alias\r\n{MET},Met\r\nKent Police,MET\r\n", "row 3"),
        ("forces.csv", "force,alias\r\n", "lists no force"),
        ("forces.yaml", f"{MET}:\n  - Met\n  - [unclosed\n", "line"),
        ("forces.yaml", "- just\n- a list\n", "mapping"),
        ("forces.yaml", f"{MET}:\n  nested: mapping\n", "line 1"),
        ("forces.txt", "Met\n", ".csv, .yaml or .yml"),
    ],
)
def test_bad_register_is_refused_with_a_located_message(
    tmp_path: Path, fw: Framework, cli: Cli, name: str, content: str, expected: str
) -> None:
    register = tmp_path / name
    register.write_text(content, encoding="utf-8")
    write_csv(tmp_path / "a.csv", with_forces(fw, ["Met"]))
    run = cli("validate", tmp_path / "a.csv", "--forces", register)
    assert run.exit_code == 1
    assert f"{name}" in run.stdout  # validate's table is on stdout
    assert expected in run.stdout, run.stdout
    data = json.loads(
        cli("validate", tmp_path / "a.csv", "--forces", register, "--format", "json").stdout
    )
    assert any(p["code"] == "bad-force-register" and p["file"] == name for p in data["problems"])


def test_every_command_takes_a_register_and_never_overwrites_it(
    tmp_path: Path, fw: Framework, cli: Cli
) -> None:
    register = _register(tmp_path, "force,alias")
    cases = tmp_path / "cases"
    cases.mkdir()
    write_csv(cases / "a.csv", with_forces(fw, ["Met", "The Met", "Kent"]))
    before = register.read_bytes()
    for args in (
        ("score", cases, "-o", register, "--overwrite"),
        ("report", "thematic", cases, "-o", register, "--overwrite"),
        ("report", "force", cases, "--force", "met", "-o", register, "--overwrite"),
        ("report", "thematic", cases, "--anonymise", "--key-file", register, "--overwrite"),
    ):
        run = cli(*args, "--forces", register)
        assert run.exit_code == 2 and "it is one of the inputs" in run.stderr, run.stderr
    assert register.read_bytes() == before
    run = cli(
        "report", "force", cases, "--force", "the met", "--forces", register, "--format", "json"
    )
    assert run.exit_code == 0, run.stderr
    assert json.loads(run.stdout)["force"] == MET


# --------------------------------------------------------------------------- sample


def test_a_case_listed_three_times_is_not_drawn_three_times(tmp_path: Path, cli: Cli) -> None:
    rows = [(f"R{i}", "Force C") for i in range(6)]
    rows += [("R1", "FORCE C"), ("R1\u200b", "Force\u00a0C")]
    path = write_case_list(tmp_path / "list.csv", rows)
    run = cli("sample", path, "--per-area", "8", "--seed", "1", "--take-all-small")
    assert run.exit_code == 1
    assert run.stderr.count("case 'R1' of Force C appears again") == 2
    assert "spelt 3 ways" in run.stderr and "read without them: A9" in run.stderr


def test_sample_shows_one_spelling_and_maps_through_a_register(tmp_path: Path, cli: Cli) -> None:
    rows = [("R1", "Met"), ("R2", "THE MET"), ("R3", MET)]
    path = write_case_list(tmp_path / "list.csv", rows)
    register = _register(tmp_path, "yaml")
    out = tmp_path / "sample.xlsx"
    run = cli("sample", path, "--per-area", "3", "--seed", "1", "--forces", register, "-o", out)
    assert run.exit_code == 0, run.stderr
    from tests.helpers.xlsx_dump import dump

    text = dump(out)
    assert text.count(MET) >= 3 and "THE MET" not in text


def test_sample_refuses_lookalikes_and_unlisted_forces(tmp_path: Path, cli: Cli) -> None:
    path = write_case_list(tmp_path / "list.csv", [("R1", "Force C"), ("R2", "Force \u0421")])
    run = cli("sample", path, "--per-area", "1", "--seed", "1")
    assert run.exit_code == 1 and "look-alike" in run.stderr
    path = write_case_list(tmp_path / "list.csv", [("R1", "Met"), ("R2", "Essex")])
    run = cli(
        "sample",
        path,
        "--per-area",
        "1",
        "--seed",
        "1",
        "--forces",
        _register(tmp_path, "force,alias"),
    )
    assert run.exit_code == 1 and "not in the force register" in run.stderr

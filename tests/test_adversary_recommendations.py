"""Adversarial review of the recommendations register: hostile YAML, a field given twice,
look-alike force names, text typed in the wrong field, free-text themes in anonymised
reports, the register as an output, and forces the cases do not have."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from inspect_cli.frameworks import Framework
from inspect_cli.load.recommendations import RecommendationRegister, read_recommendations
from inspect_cli.problems import Problem

from .conftest import ROOT, SAMPLES
from .helpers.builders import write_xlsx
from .helpers.cli import invoke

ONE = """\
- id: R1
  force: {force}
  type: recommendation
  theme: {theme}
  text: TEXTLEAK review outstanding investigations
  stages: [investigation]
  made: 2014-08-31
  owner: OWNERLEAK
"""


def _write(tmp_path: Path, text: str, name: str = "register.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _problems(fw: Framework, path: Path) -> list[Problem]:
    read = read_recommendations(path, fw)
    assert isinstance(read, list), "expected problems"
    return read


@pytest.mark.parametrize(
    "text",
    [
        "- id: R1\n  force: Force C\n  type: recommendation\n"
        '  text: !!python/object/apply:os.system ["touch PWNED"]\n  made: 2014-08-31\n',
        "a: &a [x, x]\nrecommendations: [*a, *a]\n",
        "- " + "[" * 5000 + "]" * 5000 + "\n",
        "x: " + "{a: " * 5000 + "1" + "}" * 5000 + "\n",
        "recommendations:\n  id: R1\n",
        "- just text\n",
        "---\n- id: R1\n---\n- id: R2\n",
    ],
)
def test_hostile_yaml_is_refused_with_a_located_error(
    fw: Framework, tmp_path: Path, text: str
) -> None:
    here = Path.cwd()
    os.chdir(tmp_path)
    try:
        problems = _problems(fw, _write(tmp_path, text))
    finally:
        os.chdir(here)
    assert problems and all(p.is_error for p in problems)
    assert not (tmp_path / "PWNED").exists()


def test_a_field_given_twice_is_refused(fw: Framework, tmp_path: Path) -> None:
    """YAML keeps the last of two keys silently: this recommendation would have gone to
    Force D, and Force C's report would have lost it without a word."""
    text = ONE.format(force="Force C", theme="delay") + "  force: Force D\n"
    [problem] = _problems(fw, _write(tmp_path, text))
    assert problem.code == "recommendation-invalid" and problem.row == 9
    assert "given twice" in problem.message and "Force D" not in problem.message


def test_a_column_given_twice_is_refused(fw: Framework, tmp_path: Path) -> None:
    head = ["id", "force", "type", "text", "made", "Owner", "owner"]
    row = ["R1", "Force C", "recommendation", "x", "2014-08-31", "A", "B"]
    path = write_xlsx(tmp_path / "register.xlsx", {"Recommendations": [head, row]})
    [problem] = _problems(fw, path)
    assert problem.code == "bad-recommendations-file" and problem.column == "G"


def test_a_look_alike_force_is_refused_as_in_a_case_sheet(fw: Framework, tmp_path: Path) -> None:
    text = ONE.format(force='"Forc\\u0435 C"', theme="delay")  # a Cyrillic e
    [problem] = _problems(fw, _write(tmp_path, text))
    assert problem.code == "force-lookalike" and problem.row == 2
    assert "U+0435 CYRILLIC SMALL LETTER IE" in problem.message


def test_spacing_and_case_name_the_same_force(fw: Framework, tmp_path: Path) -> None:
    path = _write(tmp_path, ONE.format(force="'FORCE  c '", theme="delay"))
    read = read_recommendations(path, fw)
    assert isinstance(read, RecommendationRegister)
    assert [r.id for r in read.for_force("Force C")] == ["R1"]


def test_text_in_the_wrong_field_is_not_repeated(fw: Framework, tmp_path: Path) -> None:
    text = ONE.format(force="Force C", theme="delay").replace(
        "stages: [investigation]",
        "stages: Jane SECRETNAME aged 12\n  indicators: [Jane SECRETNAME was not seen]",
    )
    problems = _problems(fw, _write(tmp_path, text))
    assert [p.code for p in problems] == ["recommendation-not-in-framework"] * 2
    assert all("SECRETNAME" not in p.message for p in problems)


def _key(tmp_path: Path) -> Path:
    """Letters no sample force is really called, so no pseudonym is a real name."""
    rows = [f"Force {p},Force {f}" for p, f in zip("STUVWXYZ", "ABCDEFGH", strict=True)]
    path = tmp_path / "key.csv"
    path.write_text("pseudonym,force\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def _report(tmp_path: Path, register: Path, *args: str) -> str:
    target = tmp_path / "out.json"
    if "--anonymise" in args:
        args = (*args, "--key-file", str(_key(tmp_path)))
    result = invoke(
        "report", "force", SAMPLES, "--force", "Force C", "--recommendations", register,
        *args, "-o", target, "--overwrite",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    return target.read_text(encoding="utf-8")


@pytest.mark.parametrize("mode", [("--anonymise",), ("--anonymise", "--publish")])
def test_an_anonymised_report_shows_only_a_framework_theme(
    tmp_path: Path, mode: tuple[str, ...]
) -> None:
    """A theme is free text: 'Force C investigations' names the force its letter hides."""
    named = _write(tmp_path, ONE.format(force="Force C", theme="Force C THEMELEAK"), "a.yaml")
    page = _report(tmp_path, named, *mode)
    assert "THEMELEAK" not in page and "Force C" not in page
    assert "TEXTLEAK" not in page and "OWNERLEAK" not in page
    known = _write(tmp_path, ONE.format(force="Force C", theme="Decision-making and recording"))
    [item] = json.loads(_report(tmp_path, known, *mode))["recommendations"]["items"]
    assert item["theme"] == "decision making and recording"  # the framework's spelling


def test_a_published_report_keeps_the_theme_and_never_the_owner(tmp_path: Path) -> None:
    path = _write(tmp_path, ONE.format(force="Force C", theme="Local THEME words"))
    page = _report(tmp_path, path, "--publish")
    assert "Local THEME words" in page and "OWNERLEAK" not in page


def test_the_register_is_never_an_output_even_through_a_link(tmp_path: Path) -> None:
    register = tmp_path / "register.yaml"
    register.write_bytes((ROOT / "sample_cases" / "recommendations.yaml").read_bytes())
    before = register.read_bytes()
    link = tmp_path / "out.json"
    try:
        link.symlink_to(register)
    except OSError:
        pytest.skip("no symbolic links here")
    for target in (register, link):
        result = invoke(
            "report", "force", SAMPLES, "--force", "Force C", "--recommendations", register,
            "-o", target, "--format", "json", "--overwrite",
        )  # fmt: skip
        assert result.exit_code == 2, result.stderr
    assert register.read_bytes() == before


def test_a_register_force_the_cases_do_not_have_is_reported(tmp_path: Path) -> None:
    path = _write(tmp_path, ONE.format(force="Force Q", theme="delay"))
    result = invoke(
        "trend", f"2014={SAMPLES}", f"2016={ROOT / 'sample_cases_2016'}",
        "--recommendations", path, "--format", "json",
    )  # fmt: skip
    # Refused, naming the force, rather than shown as 'then 0 cases, now 0'.
    assert result.exit_code == 2 and result.stdout == ""
    assert "'Force Q'" in " ".join(result.stderr.split())


def test_all_forces_refuses_a_register_force_the_cases_do_not_have(tmp_path: Path) -> None:
    path = _write(tmp_path, ONE.format(force="Force Q", theme="delay"))
    out = tmp_path / "forces"
    result = invoke(
        "report", "force", SAMPLES, "--all-forces", "-o", out, "--recommendations", path
    )  # fmt: skip
    assert result.exit_code == 2 and not out.exists()
    assert "'Force Q'" in " ".join(result.stderr.split())
    # A register force spelt another way is the same force: accepted.
    fine = _write(tmp_path, ONE.format(force="FORCE  c", theme="delay"), "fine.yaml")
    assert invoke(
        "report", "force", SAMPLES, "--all-forces", "-o", out, "--recommendations", fine
    ).exit_code == 0  # fmt: skip


def test_a_workbook_register_among_the_case_files_is_refused_plainly(tmp_path: Path) -> None:
    cases = tmp_path / "cases"
    cases.mkdir()
    (cases / "force_c.xlsx").write_bytes((SAMPLES / "force_c.xlsx").read_bytes())
    head = ["id", "force", "type", "text", "made"]
    row = ["R1", "Force C", "recommendation", "x", "2014-08-31"]
    register = write_xlsx(cases / "register.xlsx", {"Recommendations": [head, row]})
    for args in (
        ("report", "force", cases, "--force", "Force C"),
        ("trend", f"2014={cases}", f"2016={ROOT / 'sample_cases_2016'}"),
    ):
        result = invoke(*args, "--recommendations", register)
        assert result.exit_code == 2, result.stderr
        assert "is among the case files given" in " ".join(result.stderr.split())


def test_an_id_that_only_looks_different_is_a_duplicate(fw: Framework, tmp_path: Path) -> None:
    first = ONE.format(force="Force C", theme="delay")
    second = first.replace("id: R1", 'id: "R\\u200b1"').replace(
        "type: recommendation", "type: \uff52ecommendation"
    )
    problems = _problems(fw, _write(tmp_path, first + second))
    assert [p.code for p in problems] == ["recommendation-duplicate-id"]  # the type is fine

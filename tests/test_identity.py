"""Entity identity: one force however it is spelt, one case however its reference is typed."""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import Result

from inspect_cli.errors import UsageError
from inspect_cli.frameworks import Framework
from inspect_cli.identity import (
    clean_text,
    force_key,
    lookalike_letters,
    pick_display,
    shown,
    skeleton,
    tidy_name,
)
from inspect_cli.load import load_cases
from inspect_cli.reports.common import anonymise, find_force
from tests.helpers.builders import case_table, set_cell, write_csv, write_xlsx
from tests.helpers.cli import invoke
from tests.helpers.hostile import with_forces

Cli = Callable[..., Result]

# Every spelling of 'Force C' the loader must count as the one force.
SPELLINGS = (
    "Force C",
    "FORCE C",
    "force c",
    "Force  C",  # two spaces
    "Force\u00a0C",  # no-break space
    "Force\u2003C",  # em space
    "Force C\u200b",  # zero-width space
    "\u200dForce C",  # zero-width joiner
    "For\u00adce C",  # soft hyphen
    "\ufeffForce C",  # byte order mark
    "Force\u2060 C",  # word joiner
    "\uff26\uff4f\uff52\uff43\uff45 \uff23",  # full width
    "Force \u0043\u200c",  # zero-width non-joiner
    "  Force \t C ",
)
CYRILLIC = "Force \u0421"  # a Cyrillic capital Es that looks like C


@pytest.mark.parametrize("spelling", SPELLINGS, ids=ascii)
def test_every_spelling_has_one_key(spelling: str) -> None:
    assert force_key(spelling) == "force c"


def test_the_rule_in_parts() -> None:
    assert tidy_name("\ufb01re  \u00a0Brigade\u200b") == "fire Brigade"  # NFKC ligature fi
    assert force_key("STRASSE") == force_key("stra\u00dfe")  # case folding, not lower()
    assert clean_text(" CR\u200b-001\u00a0") == "CR-001"
    assert clean_text("cr-001") != clean_text("CR-001")  # references keep their case
    assert force_key(CYRILLIC) != "force c" and skeleton(force_key(CYRILLIC)) == "force c"
    assert lookalike_letters(CYRILLIC) == ["U+0421 CYRILLIC CAPITAL LETTER ES"]
    assert lookalike_letters("\u041c\u0435\u0442") == []  # all Cyrillic: one script
    assert lookalike_letters("Force C") == []
    assert shown("Force\u200bC") == "'Force<U+200B>C'"
    assert pick_display([("A", 2), ("B", 3), ("C", 3)]) == "B"  # most, then first seen


def test_find_force_and_anonymise_use_the_key() -> None:
    assert find_force("force  c", ["Force B", "Force C"]) == "Force C"
    assert find_force("FORCE\u00a0C\u200b", ["Force C"]) == "Force C"
    assert find_force("force c", ["Force A"], names={"Force C": "Force A"}) == "Force A"
    letters = anonymise(["Force C", "FORCE C", "Force B"])
    assert len(set(letters.values())) == 2
    assert anonymise(["Force C"])["Force C"] == anonymise(["FORCE C"])["FORCE C"]


def test_loader_merges_spellings_across_files_with_one_warning(
    tmp_path: Path, fw: Framework
) -> None:
    write_xlsx(tmp_path / "a.xlsx", with_forces(fw, ["Force C", "FORCE C", "Force C", "Force  C"]))
    write_csv(tmp_path / "b.csv", with_forces(fw, ["Force\u00a0C", "Force C\u200b"], first=10))
    result = load_cases([tmp_path], fw)
    assert result.ok
    assert set(result.cases["force"]) == {"Force C"}
    merged = [p for p in result.problems if p.code == "force-spellings-merged"]
    assert len(merged) == 1 and merged[0].severity == "warning"
    message = merged[0].message
    assert "spelt 5 ways" in message and "shown as 'Force C'" in message
    assert "'FORCE C' at a.xlsx, sheet 'Cases', row 3" in message
    assert "'Force  C' at a.xlsx, sheet 'Cases', row 5" in message
    assert "'Force<U+00A0>C' at b.csv, row 2" in message
    assert "'Force C<U+200B>' at b.csv, row 3" in message


def test_most_common_spelling_is_shown_ties_first_seen(tmp_path: Path, fw: Framework) -> None:
    path = write_csv(tmp_path / "a.csv", with_forces(fw, ["force c", "FORCE C", "FORCE C", "x"]))
    assert set(load_cases([path], fw).cases["force"]) == {"FORCE C", "x"}
    path = write_csv(tmp_path / "a.csv", with_forces(fw, ["force c", "FORCE C"]))
    assert set(load_cases([path], fw).cases["force"]) == {"force c"}


def test_same_case_in_another_spelling_or_with_an_invisible_ref_is_a_duplicate(
    tmp_path: Path, fw: Framework
) -> None:
    table = with_forces(fw, ["Force C", "FORCE C", "Force C"])
    set_cell(table, 3, "Case reference", "C0001")  # the same case, force in capitals
    set_cell(table, 4, "Case reference", "C0001\u200b")  # and with a zero-width space
    result = load_cases([write_xlsx(tmp_path / "a.xlsx", table)], fw)
    dups = [p for p in result.problems if p.code == "duplicate-case"]
    assert [p.row for p in dups] == [3, 4]
    cleaned = [p for p in result.problems if p.code == "case-ref-cleaned"]
    assert len(cleaned) == 1 and cleaned[0].severity == "warning"
    assert cleaned[0].message.endswith(": A4") and cleaned[0].column == "A"
    assert list(result.cases["case_ref"]) == ["C0001"]


def test_a_reference_of_invisible_characters_only_is_missing(tmp_path: Path, fw: Framework) -> None:
    table = case_table(fw, 2)
    set_cell(table, 3, "Case reference", "\u200b\ufeff")
    result = load_cases([write_csv(tmp_path / "a.csv", table)], fw)
    assert [(p.code, p.row) for p in result.errors] == [("missing-value", 3)]


def test_lookalike_letters_are_an_error_naming_both(tmp_path: Path, fw: Framework) -> None:
    path = write_xlsx(tmp_path / "a.xlsx", with_forces(fw, ["Force C", CYRILLIC, "Force C"]))
    result = load_cases([path], fw)
    (error,) = result.errors
    assert error.code == "force-lookalike" and error.row == 3
    assert "U+0421 CYRILLIC CAPITAL LETTER ES" in error.message
    assert "looks like 'Force C' (at a.xlsx, sheet 'Cases', rows 2, 4)" in error.message
    assert len(result.cases) == 2 and len(result.rejected) == 1


def test_validate_warns_once_and_passes(tmp_path: Path, fw: Framework, cli: Cli) -> None:
    write_csv(tmp_path / "a.csv", with_forces(fw, ["Force C", "FORCE C", "Force\u00a0C"] * 3))
    result = cli("validate", tmp_path)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.count("spelt 3 ways") == 1  # the table is on stdout
    data = json.loads(cli("validate", tmp_path, "--format", "json").stdout)
    codes = [p["code"] for p in data["problems"]]
    assert codes.count("force-spellings-merged") == 1


def test_validate_refuses_lookalikes(tmp_path: Path, fw: Framework, cli: Cli) -> None:
    write_csv(tmp_path / "a.csv", with_forces(fw, ["Force C", CYRILLIC]))
    result = cli("validate", tmp_path)
    assert result.exit_code == 1 and "look-alike" in result.stdout


# --------------------------------------------------------------------------- reports

# NFKC-equivalent and invisible variants, drawn at random per row.
VARIANTS = st.sampled_from((*SPELLINGS, "Force \uff23", "\u2003Force C"))


def _report(cli: Cli, folder: Path, *args: str) -> dict:  # type: ignore[type-arg]
    result = cli("report", *args, folder, "--format", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    data.pop("meta", None)
    data.pop("provenance", None)
    return data  # type: ignore[no-any-return]


REPORTS = {"thematic": ("thematic",), "force": ("force", "--force", "Force C")}


def _write_forces(folder: Path, fw: Framework, spellings: list[str]) -> None:
    write_csv(folder / "c.csv", with_forces(fw, spellings))
    write_csv(folder / "b.csv", with_forces(fw, ["Force B"] * 4, first=50))


@pytest.fixture(scope="module")
def plain_reports(tmp_path_factory: pytest.TempPathFactory, fw: Framework) -> dict[str, dict]:  # type: ignore[type-arg]
    """The reports with Force C spelt plainly: the same for every example, so made once."""
    plain = tmp_path_factory.mktemp("plain")
    _write_forces(plain, fw, ["Force C"] * 6)
    return {name: _report(invoke, plain, *args) for name, args in REPORTS.items()}


# Six mixes of six spellings (every spelling is also checked on its own, below): each
# example runs three reports, so more examples cost seconds and find no more.
@settings(max_examples=6)
@given(st.lists(VARIANTS, min_size=6, max_size=6))
def test_any_mix_of_spellings_reports_like_the_plain_spelling(
    tmp_path_factory: pytest.TempPathFactory,
    fw: Framework,
    plain_reports: dict[str, dict],  # type: ignore[type-arg]
    spellings: list[str],
) -> None:
    # Force C's six cases spelt at random, beside Force B; the reports must not change.
    mixed = tmp_path_factory.mktemp("mixed")
    _write_forces(mixed, fw, spellings)
    for name, args in REPORTS.items():
        assert _report(invoke, mixed, *args) == plain_reports[name]
    found = _report(invoke, mixed, "force", "--force", "force  c")
    assert found == plain_reports["force"]


def test_report_force_finds_every_spelling(tmp_path: Path, fw: Framework, cli: Cli) -> None:
    write_csv(tmp_path / "c.csv", with_forces(fw, list(SPELLINGS)))
    data = _report(cli, tmp_path, "force", "--force", "force  c")
    assert data["force"] == "Force C"
    assert data["overall"]["total"] == len(SPELLINGS)


def test_moderation_pairs_across_spellings(tmp_path: Path, fw: Framework, cli: Cli) -> None:
    own = with_forces(fw, ["FORCE C", "Force\u00a0C", "force c\u200b"])
    for row in range(2, 5):
        set_cell(own, row, "Audit type", "self-assessment")
    write_csv(tmp_path / "self.csv", own)
    write_csv(tmp_path / "insp.csv", with_forces(fw, ["Force C"] * 3))
    for extra in ((), ("--force", "FORCE  C")):
        result = cli("moderate", tmp_path, *extra, "--format", "json")
        assert result.exit_code == 0, result.stderr
        data = json.loads(result.stdout)
        assert data["unmatched"] == []
        assert [f["force"] for f in data["forces"]] == ["Force C"]
        assert data["forces"][0]["matched"] == 3


def test_trend_rounds_across_spellings(tmp_path: Path, fw: Framework, cli: Cli) -> None:
    (tmp_path / "r1").mkdir()
    (tmp_path / "r2").mkdir()
    write_csv(tmp_path / "r1" / "c.csv", with_forces(fw, ["Force C"] * 4))
    write_csv(tmp_path / "r2" / "c.csv", with_forces(fw, ["FORCE\u00a0C"] * 3 + ["Force C"]))
    for extra in ((), ("--force", "force c")):
        result = cli(
            "trend",
            f"2014={tmp_path / 'r1'}",
            f"2016={tmp_path / 'r2'}",
            *extra,
            "--format",
            "json",
        )
        assert result.exit_code == 0, result.stderr
        data = json.loads(result.stdout)
        (force,) = data["forces"]
        assert force["force"] in ("Force C", "FORCE C")
        assert [r["total"] for r in force["rounds"]] == [4, 4]


def test_nfkc_forms_are_what_the_tests_think() -> None:
    # The full-width spelling is NFKC-equivalent to the plain one (guards the property test).
    assert unicodedata.normalize("NFKC", "\uff26\uff4f\uff52\uff43\uff45 \uff23") == "Force C"


@pytest.mark.parametrize(
    "spelling",
    ["Force C\ufe0f", "Force C\u034f", "Force C\u3164", "Force C\u2800", "\uffa0Force C"],
    ids=ascii,
)
def test_variation_selectors_and_fillers_are_invisible(spelling: str) -> None:
    assert force_key(spelling) == "force c"
    assert "<U+" in shown(spelling)  # the warning tells the spellings apart


def test_a_force_of_invisible_characters_only_is_missing(tmp_path: Path, fw: Framework) -> None:
    path = write_csv(tmp_path / "a.csv", with_forces(fw, ["Force C", "\u200b", "\u3164 \ufe0f"]))
    result = load_cases([path], fw)
    assert [(p.code, p.row) for p in result.errors] == [("missing-value", 3), ("missing-value", 4)]
    assert "'<U+200B>'" in result.errors[0].message
    assert set(result.cases["force"]) == {"Force C"}


def test_a_real_name_that_is_another_forces_pseudonym_is_refused() -> None:
    names = {"Force B": "Force A", "Essex": "Force B"}
    with pytest.raises(UsageError, match="names two forces"):
        find_force("force b", ["Force A", "Force B"], names=names)
    assert find_force("Essex", ["Force A", "Force B"], names=names) == "Force B"
    assert find_force("Force A", ["Force A", "Force B"], names=names) == "Force A"

"""--anonymise and --key-file: letters drawn at random, never from the names; a key
file given back keeps them, is never changed, and is refused when it cannot be
trusted; no output of an anonymised report names a force."""

from __future__ import annotations

import json
import random
import zipfile
from pathlib import Path
from typing import Any

import pytest

from inspect_cli.errors import DATA_ERROR
from inspect_cli.frameworks import Framework
from inspect_cli.key_file import KeyFileError, read_key
from inspect_cli.render.csv import write_key_csv
from inspect_cli.reports import pseudonyms
from inspect_cli.reports.pseudonyms import anonymise, letters, random_source
from tests.helpers.builders import write_csv, write_lines, write_xlsx
from tests.helpers.cli import invoke
from tests.helpers.hostile import with_forces

ZAN, QUE, YNYS = "Zanzibar Constabulary", "Quetzalcoatl Police", "Heddlu Ynys Môn"
# Words no output of an anonymised report may hold (case-insensitive).
SECRETS = ("zanzibar", "quetzalcoatl", "ynys")
EIGHT = [
    f"Police Force {n}" for n in ("Kent", "Essex", "Dorset", "Avon", "Gwent", "Fife", "X", "Y")
]


def _cases(tmp_path: Path, fw: Framework, *, file: str = "cases.csv") -> Path:
    """A folder with six cases for each distinctive force, in a file named after one."""
    folder = tmp_path / "cases"
    folder.mkdir(exist_ok=True)
    names = [ZAN] * 6 + [QUE] * 6 + [YNYS] * 6
    write_csv(folder / file, with_forces(fw, names))
    return folder


def _json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def _letters(report: Path) -> list[str]:
    return [str(f["force"]) for f in _json(report)["forces"]]


# ---------------------------------------------------------------- drawing letters


def test_letters_run_like_spreadsheet_columns() -> None:
    assert [letters(i) for i in (0, 1, 25, 26, 27, 701, 702)] == [
        "A", "B", "Z", "AA", "AB", "ZZ", "AAA",
    ]  # fmt: skip


def test_letters_follow_the_random_source_never_the_names() -> None:
    dealt = {tuple(sorted(anonymise(EIGHT, random.Random(seed)).items())) for seed in range(20)}
    assert len(dealt) > 1  # the same names, other letters: the names do not decide them
    for mapping in map(dict, dealt):
        assert sorted(mapping.values()) == [f"Force {c}" for c in "ABCDEFGH"]
    # A given source deals the same way whatever order the names come in.
    assert anonymise(EIGHT, random.Random(7)) == anonymise(EIGHT[::-1], random.Random(7))


def test_every_spelling_of_a_force_gets_its_letter() -> None:
    mapping = anonymise(["Force C", "FORCE  C", "Force C\u200b", "Force B"], random.Random(1))
    assert set(mapping) == {"Force C", "FORCE  C", "Force C\u200b", "Force B"}
    assert len({mapping["Force C"], mapping["FORCE  C"], mapping["Force C\u200b"]}) == 1
    assert mapping["Force B"] != mapping["Force C"]


def test_the_default_source_is_the_operating_systems(monkeypatch: pytest.MonkeyPatch) -> None:
    assert isinstance(random_source(), random.SystemRandom)
    monkeypatch.setattr(pseudonyms, "random_source", lambda: random.Random(3))
    assert anonymise(EIGHT) == anonymise(EIGHT, random.Random(3))


def test_the_command_line_draws_from_the_source(
    tmp_path: Path, fw: Framework, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _cases(tmp_path, fw)
    monkeypatch.setattr(pseudonyms, "random_source", lambda: random.Random(11))
    run = invoke("report", "thematic", folder, "--anonymise", "-o", tmp_path / "r.json")
    assert run.exit_code == 0, run.stderr
    expected = anonymise([ZAN, QUE, YNYS], random.Random(11))
    assert _letters(tmp_path / "r.json") == sorted(expected.values())
    assert "not kept" in run.stderr and "--key-file" in run.stderr  # the key is lost: said so
    key = tmp_path / "key.csv"
    run = invoke("report", "thematic", folder, "--anonymise", "--key-file", key)
    assert run.exit_code == 0, run.stderr
    assert read_key(key).pseudonyms == {k.casefold(): v for k, v in expected.items()}


# ---------------------------------------------------------------- reading a key


def test_a_key_the_tool_wrote_reads_back(tmp_path: Path) -> None:
    names = {ZAN: "Force B", "=Formula Force": "Force A", YNYS: "Force AB"}
    write_key_csv(names, tmp_path / "key.csv")
    assert "'=Formula Force" in (tmp_path / "key.csv").read_text(encoding="utf-8-sig")
    key = read_key(tmp_path / "key.csv")
    assert key.pseudonyms == {
        "zanzibar constabulary": "Force B",
        "=formula force": "Force A",
        "heddlu ynys môn": "Force AB",
    }


@pytest.mark.parametrize(
    "encoding", ["utf-8", "utf-8-sig", "cp1252"], ids=["no BOM", "BOM", "Windows-1252"]
)
def test_a_key_saved_again_by_a_spreadsheet_reads(tmp_path: Path, encoding: str) -> None:
    lines = ["pseudonym,force,,", f"Force C,{YNYS},,", "", "Force A , zanzibar  CONSTABULARY"]
    key = write_lines(tmp_path / "key.csv", lines, encoding=encoding)
    assert read_key(key).pseudonyms == {
        "heddlu ynys môn": "Force C",
        "zanzibar constabulary": "Force A",
    }


BAD_KEYS = {
    "another header": (["force,alias", "Force A,Kent"], "row 1", "found 'force', 'alias'"),
    "semicolons": (["pseudonym;force", "Force A;Kent"], "row 1", "separated by commas"),
    "swapped columns": (["pseudonym,force", "Kent,Force A"], "row 2", "wrong way round"),
    "lower case": (["pseudonym,force", "force a,Kent"], "row 2", "'force a' is not a pseudonym"),
    "blank force": (["pseudonym,force", "Force A,", "Force B,Kent"], "row 2", "has no force"),
    "three cells": (["pseudonym,force", "Force A,Kent,Essex"], "row 2", "3 cells"),
    "one letter, two forces": (
        ["pseudonym,force", "Force A,Kent", "Force A,Essex"],
        "row 3",
        "'Force A' is given to 'Kent' (row 2) and to 'Essex'",
    ),
    "one force, two letters": (
        ["pseudonym,force", "Force A,Kent", "Force B,KENT "],
        "row 3",
        "'KENT' is listed again (first on row 2, as 'Force A')",
    ),
    "no force": (["pseudonym,force"], "key.csv", "lists no force"),
    "empty": ([""], "row 1", "found nothing"),
    "quote left open": (["pseudonym,force", 'Force A,"Kent'], "line 2", "not valid CSV"),
}


@pytest.mark.parametrize("case", BAD_KEYS)
def test_a_key_that_cannot_be_trusted_is_refused(tmp_path: Path, case: str) -> None:
    lines, where, what = BAD_KEYS[case]
    key = write_lines(tmp_path / "key.csv", lines)
    with pytest.raises(KeyFileError) as caught:
        read_key(key)
    said = "\n".join(caught.value.details)
    assert caught.value.exit_code == DATA_ERROR
    assert str(key) in caught.value.message and where in said and what in said, said


def test_a_workbook_or_a_huge_file_is_no_key(
    tmp_path: Path, fw: Framework, monkeypatch: pytest.MonkeyPatch
) -> None:
    workbook = write_xlsx(tmp_path / "key.xlsx", with_forces(fw, [ZAN]))
    with pytest.raises(KeyFileError, match=r"key\.xlsx") as caught:
        read_key(workbook)
    assert "NUL bytes" in caught.value.details[0]
    monkeypatch.setattr("inspect_cli.key_file.MAX_BYTES", 10)
    key = write_lines(tmp_path / "key.csv", ["pseudonym,force", "Force A,Kent"])
    with pytest.raises(KeyFileError) as caught:
        read_key(key)
    assert "over 10 bytes" in caught.value.details[0]


# ---------------------------------------------------------------- a key given back


def test_a_key_given_back_keeps_the_letters_and_is_never_changed(
    tmp_path: Path, fw: Framework
) -> None:
    folder = _cases(tmp_path, fw)
    key = write_lines(tmp_path / "key.csv", ["pseudonym,force", f"Force Q,{ZAN}", f"Force D,{QUE}"])
    key.write_text(key.read_text(encoding="utf-8") + f"Force K,{YNYS}\nForce A,Kent\n", "utf-8")
    before = key.read_bytes()
    for run_number in (1, 2):
        report = tmp_path / f"r{run_number}.json"
        args = ("--anonymise", "--key-file", key, "-o", report, "--overwrite")
        run = invoke("report", "thematic", folder, *args)
        assert run.exit_code == 0, run.stderr
        assert _letters(report) == ["Force D", "Force K", "Force Q"]  # Force A: not in the data
        assert "left as it was" in run.stderr and "not kept" not in run.stderr
    force = tmp_path / "force.json"
    args = ("--anonymise", "--key-file", key, "-o", force)
    run = invoke("report", "force", folder, "--force", "ZANZIBAR  constabulary", *args)
    assert run.exit_code == 0, run.stderr
    assert _json(force)["force"] == "Force Q"
    assert _json(force)["provenance"]["options"]["force"] == "Force Q"
    assert key.read_bytes() == before


def test_a_key_that_lacks_a_force_is_refused(tmp_path: Path, fw: Framework) -> None:
    folder = _cases(tmp_path, fw)
    key = write_lines(tmp_path / "key.csv", ["pseudonym,force", f"Force Q,{ZAN}"])
    before = key.read_bytes()
    report = tmp_path / "r.json"
    run = invoke("report", "thematic", folder, "--anonymise", "--key-file", key, "-o", report)
    assert run.exit_code == DATA_ERROR
    assert f"lists no letter for 2 force(s) in the data: '{QUE}', '{YNYS}'" in run.stderr
    assert "a file name that does not exist yet" in run.stderr
    assert key.read_bytes() == before and not report.exists()


def test_a_bad_key_is_refused_before_any_case_is_read(tmp_path: Path) -> None:
    key = write_lines(tmp_path / "key.csv", ["pseudonym,force", "Kent,Force A"])
    before = key.read_bytes()
    run = invoke("report", "force", tmp_path / "no-such-folder", "--force", "Kent",
                 "--anonymise", "--key-file", key, "--overwrite")  # fmt: skip
    assert run.exit_code == DATA_ERROR, run.stderr
    assert "cannot use the key file" in run.stderr and "key.csv, row 2" in run.stderr
    assert "no-such-folder" not in run.stderr  # the cases were never reached
    assert key.read_bytes() == before


# ---------------------------------------------------------------- nothing names a force


def _output_text(path: Path) -> str:
    if path.suffix == ".xlsx":
        with zipfile.ZipFile(path) as z:
            return "\n".join(z.read(n).decode("utf-8", "replace") for n in z.namelist())
    return path.read_text(encoding="utf-8-sig")


@pytest.mark.parametrize("publish", [False, True], ids=["internal", "published"])
def test_no_output_of_an_anonymised_report_names_a_force(
    tmp_path: Path, fw: Framework, publish: bool
) -> None:
    folder = _cases(tmp_path, fw, file="Zanzibar and Quetzalcoatl audits.csv")
    extra = ("--publish",) if publish else ()
    reports = {
        "thematic": ("report", "thematic", folder),
        "force": ("report", "force", folder, "--force", "zanzibar  CONSTABULARY"),
    }
    seen: dict[str, str] = {}
    for kind, command in reports.items():
        run = invoke(*command, "--anonymise", *extra)
        assert run.exit_code == 0, run.stderr
        seen[f"{kind} in the terminal"] = run.stdout
        run = invoke(*command, "--anonymise", "--format", "json", *extra)
        seen[f"{kind} as JSON on stdout"] = run.stdout
        for ext in ("json", "html", "xlsx", "csv"):
            target = tmp_path / f"{kind}.{ext}"
            run = invoke(*command, "--anonymise", "-o", target, *extra)
            assert run.exit_code == 0, run.stderr
            seen[target.name] = _output_text(target)
    assert len(seen) == 12
    leaks = {name: w for name, text in seen.items() for w in SECRETS if w in text.casefold()}
    assert leaks == {}
    assert "Force" in seen["thematic.csv"] and "Force" in seen["force.json"]
    # The test can fail: the same report, not anonymised, names every force.
    run = invoke(*reports["thematic"], "--format", "json")
    assert all(w in run.stdout.casefold() for w in SECRETS)

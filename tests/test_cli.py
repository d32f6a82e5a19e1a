from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from inspect_cli.cli import app
from inspect_cli.frameworks import resolve_framework
from tests.helpers.cli import runner

from .conftest import ROOT, SAMPLES


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_frameworks_list_and_show() -> None:
    code, out, _ = run("frameworks", "list")
    assert code == 0 and "ncpi-2014" in out and "1.0.0" in out
    code, out, _ = run("frameworks", "show", "ncpi-2014")
    assert code == 0 and "Police detention" in out and "limiting" in out
    code, out, _ = run("frameworks", "show", "ncpi-2014", "--format", "json")
    data = json.loads(out)
    assert data["id"] == "ncpi-2014" and len(data["stages"]) == 7
    code, out, _ = run("frameworks", "list", "--format", "json")
    assert "ncpi-2014" in [f["id"] for f in json.loads(out)]


def test_unknown_framework_is_a_usage_error() -> None:
    code, _, err = run("frameworks", "show", "nope")
    assert code == 2
    assert "unknown framework 'nope'" in err and "Traceback" not in err


def test_frameworks_check_passes_for_shipped_and_fails_for_bad(tmp_path: Path) -> None:
    code, out, _ = run("frameworks", "check", str(ROOT / "frameworks" / "ncpi-2014.yaml"))
    assert code == 0 and "OK" in out
    text = (ROOT / "frameworks" / "ncpi-2014.yaml").read_text(encoding="utf-8")
    # Scores that make 'partly' worth nothing: the middle answer no longer gives adequate.
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        text.replace(
            'label: Partly, aliases: [part, partially, "in part", "p"], score: 50',
            'label: Partly, aliases: [part, partially, "in part", "p"], score: 10',
        ),
        encoding="utf-8",
    )
    code, _, err = run("frameworks", "check", str(bad))
    assert code == 1 and "middle answer" in err


def test_validate_samples_ok() -> None:
    code, out, err = run("validate", str(SAMPLES))
    assert code == 0, err
    assert out.splitlines()[-1].startswith("OK:")  # after the table of notes


def test_validate_reports_problems_with_location_and_json(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "Case reference,Force,Area of practice,Audit type,Concern recognised as child protection\n"
        "C1,Force X,Domestic abuse,inspector,Yse\n",
        encoding="utf-8",
    )
    code, out, _ = run("validate", str(bad))
    assert code == 1
    assert "bad.csv" in out and "not found" in out
    code, out, _ = run("validate", str(bad), "--format", "json")
    assert code == 1
    data = json.loads(out)
    assert data["ok"] is False
    codes = {p["code"] for p in data["problems"]}
    assert "missing-column" in codes
    assert all(
        {"code", "severity", "message", "file", "sheet", "row", "column"} <= set(p)
        for p in data["problems"]
    )


def test_missing_input_is_a_data_error(tmp_path: Path) -> None:
    code, out, _ = run("validate", str(tmp_path / "nothing.xlsx"))
    assert code == 1 and "input not found" in out


def test_score_writes_xlsx_csv_json_without_touching_inputs(tmp_path: Path) -> None:
    before = {p.name: _digest(p) for p in SAMPLES.rglob("*") if p.is_file()}
    for ext in ("xlsx", "csv", "json"):
        target = tmp_path / f"scored.{ext}"
        code, _, err = run("score", str(SAMPLES), "-o", str(target))
        assert code == 0, err
        assert target.exists() and target.stat().st_size > 0
    after = {p.name: _digest(p) for p in SAMPLES.rglob("*") if p.is_file()}
    assert before == after
    cases = json.loads((tmp_path / "scored.json").read_text(encoding="utf-8"))
    first = cases[0]
    for key in (
        "case_ref",
        "force",
        "audit_type",
        "area_of_practice",
        "grade",
        "recorded_grade",
        "stages",
        "reason",
    ):
        assert key in first
    assert first["grade"] in ("good", "adequate", "inadequate")
    assert list(first["stages"]) == [s.id for s in resolve_framework("ncpi-2014").stages]
    wb = openpyxl.load_workbook(tmp_path / "scored.xlsx", read_only=True)
    assert wb.sheetnames == ["Scored cases", "Not scored", "Columns", "Provenance"]
    marking, header = wb["Scored cases"].iter_rows(max_row=2, values_only=True)  # banner row
    assert marking[0] == "OFFICIAL-SENSITIVE"
    assert header[:4] == ("case_ref", "force", "audit_type", "area_of_practice")
    rows = sum(1 for _ in wb["Scored cases"].iter_rows(min_row=3))
    wb.close()
    assert rows == len(cases)
    wb.close()
    # the scored workbook in the input folder is recognised and skipped, not loaded as cases
    code, out, err = run("validate", str(tmp_path))
    assert "inspect-cli output" in err + out


def test_score_refuses_to_overwrite_or_write_over_an_input(tmp_path: Path) -> None:
    target = tmp_path / "scored.csv"
    target.write_text("keep me", encoding="utf-8")
    code, _, err = run("score", str(SAMPLES), "-o", str(target))
    assert code == 2 and "already exists" in err
    assert target.read_text(encoding="utf-8") == "keep me"
    code, _, err = run("score", str(SAMPLES), "-o", str(target), "--overwrite")
    assert code == 0 and target.read_text(encoding="utf-8-sig").startswith(
        "# OFFICIAL-SENSITIVE\ncase_ref,"  # read_text turns CRLF into LF
    )
    src = tmp_path / "cases.csv"
    src.write_bytes((SAMPLES / "force_h.csv").read_bytes())
    digest = _digest(src)
    code, _, err = run("score", str(src), "-o", str(src), "--overwrite", "--format", "csv")
    assert code == 2 and "one of the inputs" in err
    assert _digest(src) == digest
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "cases.csv",
        "scored.csv",
    ]  # no temp files


def test_score_refuses_files_with_errors_unless_partial(tmp_path: Path) -> None:
    src = tmp_path / "cases.csv"
    lines = (SAMPLES / "force_h.csv").read_text(encoding="utf-8-sig").splitlines()
    header = lines[0].split(",")
    first = lines[1].split(",")
    col = header.index("Prompt attendance")
    first[col] = "Yse"
    lines[1] = ",".join(first)
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out_file = tmp_path / "scored.json"
    code, _, err = run("score", str(src), "-o", str(out_file))
    assert code == 1 and not out_file.exists()
    assert "Nothing was scored" in err
    code, _, err = run("score", str(src), "-o", str(out_file), "--allow-partial")
    assert code == 0
    assert len(json.loads(out_file.read_text(encoding="utf-8"))) == len(lines) - 2
    assert "1 row(s) not scored" in err


def test_score_terminal_table() -> None:
    code, out, _ = run("score", str(SAMPLES), "--limit", "5")
    assert code == 0
    assert "Scored cases" in out and "Computed grades" in out


def test_template_then_validate(tmp_path: Path) -> None:
    target = tmp_path / "audit.xlsx"
    code, _, err = run("template", "ncpi-2014", "-o", str(target), "--force", "Force C")
    assert code == 0, err
    code, _, _ = run("template", "ncpi-2014", "-o", str(target))
    assert code == 2
    code, _, _ = run("template", "ncpi-2014", "-o", str(tmp_path / "audit.csv"))
    assert code == 2


COMMANDS = [
    ["frameworks", "list"],
    ["frameworks", "show"],
    ["frameworks", "schema"],
    ["frameworks", "check"],
    ["template"],
    ["validate"],
    ["score"],
    ["report", "thematic"],
    ["report", "force"],
    ["moderate"],
    ["sample"],
    ["trend"],
]


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_every_command_has_help_with_an_example(command: list[str]) -> None:
    code, out, _ = run(*command, "--help")
    assert code == 0
    assert "Example" in out


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_every_command_is_documented(command: list[str]) -> None:
    docs = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    assert f"inspect-cli {' '.join(command)}" in docs


def test_python_dash_m_works() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "inspect_cli", "frameworks", "list"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0 and "ncpi-2014" in proc.stdout


def test_version() -> None:
    code, out, _ = run("--version")
    assert code == 0 and out.startswith("inspect-cli ")


def test_format_choices_are_checked(tmp_path: Path) -> None:
    code, _, err = run("validate", str(SAMPLES), "--format", "yaml")
    assert code == 2
    code, _, err = run("score", str(SAMPLES), "-o", str(tmp_path / "x.xlsx"), "--format", "csv")
    assert code == 2 and "does not match" in err
    assert not (tmp_path / "x.xlsx").exists()


def test_scored_csv_in_the_input_folder_is_skipped(tmp_path: Path) -> None:
    src = tmp_path / "cases.csv"
    src.write_bytes((SAMPLES / "force_h.csv").read_bytes())
    code, _, err = run("score", str(tmp_path), "-o", str(tmp_path / "scored.csv"))
    assert code == 0, err
    code, out, err = run("validate", str(tmp_path))
    assert code == 0 and "inspect-cli output" in err + out


def test_safety_limits_are_configurable(tmp_path: Path) -> None:
    code, out, _ = run("--max-rows", "10", "validate", str(SAMPLES / "force_h.csv"))
    assert code == 1 and "10 rows" in out
    code, _, _ = run("--max-rows", "100000", "validate", str(SAMPLES / "force_h.csv"))
    assert code == 0


def test_progress_shows_on_a_terminal_and_never_in_pipes_or_with_quiet(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import io

    from rich.console import Console

    from inspect_cli.cli import runtime

    screen = io.StringIO()
    monkeypatch.setattr(runtime, "err", Console(file=screen, force_terminal=True, width=100))
    runtime.set_quiet(False)
    with runtime.progress("Scoring") as on_file:
        on_file(1, 2, "force_a.xlsx")
        on_file(2, 2, "force_b.xlsx")
    assert "Reading force_" in screen.getvalue()

    screen.truncate(0)
    runtime.set_quiet(True)
    try:
        with runtime.progress("Scoring") as on_file:
            on_file(1, 1, "force_a.xlsx")
    finally:
        runtime.set_quiet(False)
    assert screen.getvalue().strip("\x00") == ""

    # Under CliRunner stderr is not a terminal: no progress bar in captured output.
    code, _, err = run("validate", str(SAMPLES))
    assert code == 0 and "Reading" not in err

"""Terminal output never fails on the console's encoding: output redirected on a UK
Windows machine is cp1252, which has no ▲, →, χ or ≥ (and no Cyrillic or emoji)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from inspect_cli.frameworks import resolve_framework

from .conftest import ROOT, SAMPLES
from .helpers.builders import case_table, set_cell, write_csv


def _run_cp1252(*args: str | Path) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "PYTHONIOENCODING": "cp1252", "COLUMNS": "200", "NO_COLOR": "1"}
    return subprocess.run(
        [sys.executable, "-m", "inspect_cli", "--quiet", *map(str, args)],
        capture_output=True,
        env=env,
        cwd=ROOT,
        timeout=120,
    )


def _non_latin_cases(tmp_path: Path) -> Path:
    table = case_table(resolve_framework("ncpi-2014"), 3)
    set_cell(table, 2, "Case reference", "ДЕЛО-1 → χ")
    set_cell(table, 3, "Case reference", "C-😀")
    return write_csv(tmp_path / "cases.csv", table)


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["report", "thematic", SAMPLES], "Force C ^"),  # ▲: a serious cause for concern
        (["report", "force", SAMPLES, "--force", "Force C"], "Reported -> allocated"),
        (["frameworks", "show", "ncpi-2014"], "Excellent -> good"),
    ],
)
def test_reports_print_on_a_cp1252_console(args: list[str | Path], expected: str) -> None:
    done = _run_cp1252(*args)
    assert done.returncode == 0, done.stderr.decode("cp1252")
    text = done.stdout.decode("cp1252")
    assert expected in text
    assert "internal error" not in done.stderr.decode("cp1252")


def test_unknown_characters_are_escaped_not_dropped(tmp_path: Path) -> None:
    done = _run_cp1252("score", _non_latin_cases(tmp_path))
    assert done.returncode == 0, done.stderr.decode("cp1252")
    text = done.stdout.decode("cp1252")
    # Cyrillic is shown as escapes (a name is never turned into another), arrows as ->.
    assert "\\u0414\\u0415\\u041b\\u041e-1 -> chi |" in text
    assert "C-\\U0001f600" in text


def test_validate_lists_problems_on_a_cp1252_console(tmp_path: Path) -> None:
    table = case_table(resolve_framework("ncpi-2014"), 3)
    set_cell(table, 2, "Area of practice", "Домашнее насилие ≥ 1")
    done = _run_cp1252("validate", write_csv(tmp_path / "cases.csv", table))
    assert done.returncode == 1  # a data error, reported: not a crash (70)
    stdout = done.stdout.decode("cp1252")  # validate's table is on stdout
    assert "row 2" in stdout and ">= 1" in stdout
    assert "internal error" not in done.stderr.decode("cp1252")


def test_json_on_a_cp1252_console_is_the_same_json(tmp_path: Path) -> None:
    cases = _non_latin_cases(tmp_path)
    done = _run_cp1252("score", cases, "--format", "json")
    assert done.returncode == 0, done.stderr.decode("cp1252")
    data = json.loads(done.stdout.decode("cp1252"))
    assert {"ДЕЛО-1 → χ", "C-😀"} <= {row["case_ref"] for row in data}
    utf8 = subprocess.run(
        [sys.executable, "-m", "inspect_cli", "score", str(cases), "--format", "json"],
        capture_output=True,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
        cwd=ROOT,
        timeout=120,
    )
    assert json.loads(utf8.stdout.decode("utf-8")) == data

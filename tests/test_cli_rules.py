"""Rules every command applies the same way, decided once: the marking, the format
that needs -o (refused before any file is read), and the key file of an anonymised
report (written only once the report is)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from inspect_cli.cli import app
from inspect_cli.reports.common import DEFAULT_MARKING, marking_for
from tests.helpers.cli import runner

from .conftest import SAMPLES

SAMPLE = str(SAMPLES / "force_c.xlsx")
ROUNDS = [f"2014={SAMPLES}", f"2016={SAMPLES.parent / 'sample_cases_2016'}"]
# Every command that builds a report, with the arguments it needs.
REPORTS = {
    "thematic": ["report", "thematic", SAMPLE],
    "force": ["report", "force", SAMPLE, "--force", "Force C"],
    "moderate": ["moderate", SAMPLE],
    "trend": ["trend", *ROUNDS],
    "examples": ["examples", SAMPLE],
}


def test_the_marking_rule() -> None:
    assert marking_for(None, publish=False) == DEFAULT_MARKING
    assert marking_for(None, publish=True) is None
    assert marking_for("", publish=False) is None
    assert marking_for("  ", publish=True) is None
    assert marking_for("OFFICIAL", publish=True) == "OFFICIAL"


@pytest.mark.parametrize("command", REPORTS)
@pytest.mark.parametrize(
    ("given", "expected"), [(None, DEFAULT_MARKING), ("", None), ("SECRET-ish", "SECRET-ish")]
)
def test_every_report_applies_the_same_marking_rule(
    command: str, given: str | None, expected: str | None
) -> None:
    args = [*REPORTS[command], "--format", "json"]
    if given is not None:
        args += ["--marking", given]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["marking"] == expected


def _never_read(monkeypatch: pytest.MonkeyPatch) -> None:
    def explode(*args: object, **kwargs: object) -> None:
        raise AssertionError("an input was read before the usage mistake was found")

    monkeypatch.setattr("inspect_cli.pipeline.load_and_score", explode)
    monkeypatch.setattr("inspect_cli.load.load_cases", explode)


@pytest.mark.parametrize(
    "args",
    [
        ["score", SAMPLE, "--format", "xlsx"],
        ["score", SAMPLE, "--format", "csv"],
        [*REPORTS["thematic"], "--format", "html"],
        [*REPORTS["force"], "--format", "xlsx"],
        [*REPORTS["thematic"], "--format", "csv"],
        [*REPORTS["moderate"], "--format", "html"],
        [*REPORTS["trend"], "--format", "xlsx"],
        [*REPORTS["examples"], "--format", "docx"],
    ],
    ids=lambda a: " ".join(x for x in a if "/" not in x and "=" not in x),
)
def test_a_format_that_needs_a_file_is_refused_before_reading(
    args: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _never_read(monkeypatch)
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert "needs -o FILE" in result.stderr


def test_an_existing_output_is_refused_before_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _never_read(monkeypatch)
    existing = tmp_path / "report.html"
    existing.write_text("keep me", encoding="utf-8")
    key = tmp_path / "key.csv"
    key.write_text("keep me too", encoding="utf-8")
    result = runner.invoke(app, [*REPORTS["thematic"], "-o", str(existing)])
    assert result.exit_code == 2 and "already exists" in result.stderr
    # An existing key file is an input: read (here refused: it is no key), never replaced.
    result = runner.invoke(app, [*REPORTS["thematic"], "--anonymise", "--key-file", str(key)])
    assert result.exit_code == 1 and "cannot use the key file" in result.stderr
    assert existing.read_text(encoding="utf-8") == "keep me"
    assert key.read_text(encoding="utf-8") == "keep me too"


@pytest.mark.parametrize("command", ["thematic", "force"])
def test_a_failed_anonymised_run_leaves_no_key_file(
    command: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail(*args: object) -> None:
        raise RuntimeError("fault injected while writing the report")

    monkeypatch.setattr("inspect_cli.render.outputs.write_report", fail)
    key, report = tmp_path / "key.csv", tmp_path / "report.html"
    args = [*REPORTS[command], "--anonymise", "--key-file", str(key), "-o", str(report)]
    result = runner.invoke(app, args)
    assert result.exit_code == 70
    assert not key.exists() and not report.exists()
    assert list(tmp_path.iterdir()) == []


def test_the_key_file_follows_a_written_report(tmp_path: Path) -> None:
    key, report = tmp_path / "key.csv", tmp_path / "report.json"
    args = [*REPORTS["thematic"], "--anonymise", "--key-file", str(key), "-o", str(report)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.stderr
    assert report.exists() and "Force C" in key.read_text(encoding="utf-8-sig")
    assert result.stderr.index(str(report)) < result.stderr.index(str(key))


def test_a_key_file_written_among_the_cases_is_never_read_as_cases(tmp_path: Path) -> None:
    folder = tmp_path / "cases"
    folder.mkdir()
    (folder / "force_c.xlsx").write_bytes(Path(SAMPLE).read_bytes())
    key = folder / "key.csv"
    args = ["report", "thematic", str(folder), "--anonymise", "--key-file", str(key)]
    assert runner.invoke(app, args).exit_code == 0 and key.exists()
    again = runner.invoke(app, ["report", "thematic", str(folder)])
    assert again.exit_code == 0, again.stderr
    assert "Force C" in again.stdout

"""report force --all-forces -o FOLDER: every force's report, the thematic report and
an index, from one reading of the inputs; all files or none."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import Result

import inspect_cli.pipeline
from inspect_cli.frameworks import Framework
from tests.helpers.builders import case_table, col, write_csv

from .conftest import SAMPLES

Cli = Callable[..., Result]
SAMPLE_FORCES = ["b", "c", "d", "e", "f", "g", "h"]  # Force A has no inspectors' cases


def _figures(path: Path) -> dict[str, Any]:
    """A report's JSON without the moment it was made."""
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    data["provenance"].pop("created")
    return data


@pytest.fixture
def count_reads(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many times the inputs are read and scored."""
    calls: list[int] = []
    real = inspect_cli.pipeline.load_and_score

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(inspect_cli.pipeline, "load_and_score", counted)
    return calls


def test_every_force_report_equals_the_one_made_alone(
    cli: Cli, tmp_path: Path, count_reads: list[int]
) -> None:
    folder = tmp_path / "all"
    run = cli("report", "force", SAMPLES, "--all-forces", "-o", folder, "--format", "json")
    assert run.exit_code == 0, run.stderr
    assert count_reads == [1]
    expected = ["index.html", "thematic.json", *(f"force-{f}.json" for f in SAMPLE_FORCES)]
    assert sorted(p.name for p in folder.iterdir()) == sorted(expected)
    for letter in ("b", "f"):
        alone = tmp_path / f"{letter}.json"
        assert cli("report", "force", SAMPLES, "--force", f"Force {letter.upper()}",
                   "-o", alone).exit_code == 0  # fmt: skip
        assert _figures(folder / f"force-{letter}.json") == _figures(alone)
    alone = tmp_path / "thematic.json"
    assert cli("report", "thematic", SAMPLES, "-o", alone).exit_code == 0
    assert _figures(folder / "thematic.json") == _figures(alone)


def test_the_index_links_every_report_and_names_forces_without_one(
    cli: Cli, tmp_path: Path
) -> None:
    folder = tmp_path / "all"
    assert cli("report", "force", SAMPLES, "--all-forces", "-o", folder).exit_code == 0
    page = (folder / "index.html").read_text(encoding="utf-8")
    links = re.findall(r'href="([^"]*)"', page)
    assert links == ["thematic.html", *(f"force-{f}.html" for f in SAMPLE_FORCES)]
    assert all((folder / link).is_file() for link in links)
    assert "Force A</th>" in page and "Not recorded: no report" in page
    assert "OFFICIAL-SENSITIVE" in page


def test_43_forces_make_43_reports_from_one_reading(
    cli: Cli, fw: Framework, tmp_path: Path, count_reads: list[int]
) -> None:
    names = [f"Force {i:02d}" for i in range(1, 44)]
    table = case_table(fw, len(names))
    for row, name in zip(table[1:], names, strict=True):
        row[col(table, "Force")] = name
    source = tmp_path / "in"
    source.mkdir()
    write_csv(source / "cases.csv", table)
    folder = tmp_path / "all"
    run = cli("report", "force", source, "--all-forces", "-o", folder, "--format", "json")
    assert run.exit_code == 0, run.stderr
    assert count_reads == [1]
    assert len(list(folder.glob("force-*.json"))) == 43


def test_hostile_force_names_become_safe_file_names_and_escaped_text(
    cli: Cli, fw: Framework, tmp_path: Path
) -> None:
    names = ["<script>alert(1)</script>", "../../etc", 'Force "A"', "Force  A", "CON"]
    table = case_table(fw, len(names))
    for row, name in zip(table[1:], names, strict=True):
        row[col(table, "Force")] = name
    source = tmp_path / "in"
    source.mkdir()
    write_csv(source / "cases.csv", table)
    folder = tmp_path / "all"
    run = cli("report", "force", source, "--all-forces", "-o", folder)
    assert run.exit_code == 0, run.stderr
    page = (folder / "index.html").read_text(encoding="utf-8")
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    for link in re.findall(r'href="([^"]*)"', page):
        assert re.fullmatch(r"[a-z0-9-]+\.html", link) and (folder / link).is_file()
    assert {p.parent for p in tmp_path.rglob("*.html")} == {folder}


def test_anonymised_reports_are_named_by_their_letters(cli: Cli, tmp_path: Path) -> None:
    folder, key = tmp_path / "all", tmp_path / "key.csv"
    run = cli("report", "force", SAMPLES, "--all-forces", "-o", folder, "--anonymise",
              "--key-file", key, "--format", "json")  # fmt: skip
    assert run.exit_code == 0, run.stderr
    letters = json.loads((folder / "thematic.json").read_text(encoding="utf-8"))
    shown = [row["force"] for row in letters["forces"] if row["recorded"]]
    assert sorted(p.name for p in folder.glob("force-*.json")) == sorted(
        f"force-{name.casefold().replace(' ', '-').removeprefix('force-')}.json" for name in shown
    )
    assert key.is_file()


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ((), "give --force NAME, or --all-forces"),
        (("--all-forces", "--force", "Force B", "-o", "OUT"), "give --force NAME, or --all-forces"),
        (("--all-forces",), "--all-forces needs -o FOLDER"),
        (("--all-forces", "-o", "OUT", "--publish"), "inspect-cli report publish"),
        (("--all-forces", "-o", "OUT", "--format", "table"), "cannot be written as files"),
    ],
)
def test_usage_mistakes_are_refused_before_reading(
    cli: Cli, tmp_path: Path, count_reads: list[int], extra: tuple[str, ...], message: str
) -> None:
    args = [str(tmp_path / "out") if a == "OUT" else a for a in extra]
    run = cli("report", "force", SAMPLES, *args)
    assert run.exit_code == 2 and message in " ".join(run.stderr.split())
    assert count_reads == [] and not (tmp_path / "out").exists()


def test_an_existing_report_is_never_replaced_and_nothing_is_written(
    cli: Cli, tmp_path: Path
) -> None:
    folder = tmp_path / "all"
    folder.mkdir()
    (folder / "force-c.html").write_text("last year's report", encoding="utf-8")
    run = cli("report", "force", SAMPLES, "--all-forces", "-o", folder)
    assert run.exit_code == 2 and "--overwrite" in run.stderr
    assert [p.name for p in folder.iterdir()] == ["force-c.html"]
    assert (folder / "force-c.html").read_text(encoding="utf-8") == "last year's report"
    assert (
        cli("report", "force", SAMPLES, "--all-forces", "-o", folder, "--overwrite").exit_code == 0
    )
    assert len(list(folder.iterdir())) == 9


def _three_forces(fw: Framework, folder: Path) -> Path:
    """Forces A (3 cases), B (4) and C (5), named by letter as anonymised tables are."""
    sizes = {"Force A": 3, "Force B": 4, "Force C": 5}
    table = case_table(fw, sum(sizes.values()))
    names = [name for name, n in sizes.items() for _ in range(n)]
    for row, name in zip(table[1:], names, strict=True):
        row[col(table, "Force")] = name
    folder.mkdir()
    write_csv(folder / "cases.csv", table)
    return folder


@pytest.mark.parametrize(
    "command",
    [
        ("report", "force", "--all-forces", "--format", "json"),
        ("report", "publish", "--format", "json"),
    ],
)
def test_letters_that_are_other_forces_names_are_not_ambiguous_here(
    cli: Cli, fw: Framework, tmp_path: Path, command: tuple[str, ...]
) -> None:
    """Each report is made for a force the thematic table shows: there is nothing to
    resolve, unlike a --force NAME a person typed. The key shows each force under the
    next one's real name (A as B, B as C, C as A)."""
    source = _three_forces(fw, tmp_path / "in")
    key, folder = tmp_path / "key.csv", tmp_path / "out"
    rows = ["Force B,Force A", "Force C,Force B", "Force A,Force C"]
    key.write_text("pseudonym,force\n" + "\n".join(rows) + "\n", encoding="utf-8")
    run = cli(*command[:2], source, *command[2:], "-o", folder, "--anonymise", "--key-file", key)
    assert run.exit_code == 0, run.stderr
    report = json.loads((folder / "force-c.json").read_text(encoding="utf-8"))
    assert report["force"] == "Force C"
    # Force C's report is the real Force B's: its cases are Force B's 4.
    cases = report["overall"]["total"]
    assert cases == 4 or (cases is None and "publish" in command)

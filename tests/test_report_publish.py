"""inspect-cli report publish: every published report from one choice of hidden counts."""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from typer.testing import Result

from inspect_cli.frameworks import Framework
from inspect_cli.reports.suppress import suppress
from tests.helpers.builders import case_table, set_cell, write_xlsx
from tests.helpers.intruder import audit, breaches

Cli = Callable[..., Result]
SIZES = {"Force P": 30, "Force Q": 12, "Force R": 45}


@pytest.fixture(scope="module")
def cases(fw: Framework, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three forces of different sizes, answers drawn with a fixed seed."""
    rng = random.Random(7)
    table = case_table(fw, sum(SIZES.values()))
    labels = [r.indicator.label for r in fw.indicators]
    areas = [a.label for a in fw.areas_of_practice][:3]
    row = 2
    for force, size in SIZES.items():
        for _ in range(size):
            set_cell(table, row, "Force", force)
            set_cell(table, row, "Area of practice", rng.choice(areas))
            set_cell(table, row, "Child gender", rng.choice(["Female", "Male", "Ann Smith"]))
            for label in labels:
                answer = rng.choices(("Yes", "Partly", "No", "Not applicable"), (5, 3, 3, 1))[0]
                set_cell(table, row, label, answer)
            row += 1
    folder = tmp_path_factory.mktemp("publish_cases")
    write_xlsx(folder / "cases.xlsx", table)
    return folder


def _json(cli: Cli, *args: str | Path) -> dict[str, object]:
    result = cli(*args, "--format", "json")
    assert result.exit_code == 0, result.output
    data: dict[str, object] = json.loads(result.stdout)
    return data


def test_every_report_is_written_and_protected_together(
    cli: Cli, cases: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "published"
    result = cli("report", "publish", cases, "-o", folder, "--format", "json")
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in folder.iterdir())
    assert names == ["force-p.json", "force-q.json", "force-r.json", "thematic.json"]
    pairs = [("thematic", json.loads((folder / "thematic.json").read_text("utf-8")),
              _json(cli, "report", "thematic", cases))]  # fmt: skip
    for force in SIZES:
        stem = force.casefold().replace(" ", "-")
        published = json.loads((folder / f"{stem}.json").read_text("utf-8"))
        assert published["published"] is True and published["cases"] == []
        pairs.append(("force", published, _json(cli, "report", "force", cases, "--force", force)))
    reader, found = audit(pairs)  # one reader holding every report at once
    assert reader.contradictions == [] and found
    assert breaches(found, 5) == []
    assert "Ann Smith" not in "".join(p.read_text("utf-8") for p in folder.iterdir())


def test_anonymised_files_follow_the_letters_and_the_key_is_kept(
    cli: Cli, cases: Path, tmp_path: Path
) -> None:
    folder, key = tmp_path / "out", tmp_path / "key.csv"
    args = ("report", "publish", cases, "-o", folder, "--anonymise", "--key-file", key)
    assert cli(*args).exit_code == 0
    names = sorted(p.name for p in folder.iterdir())
    assert names == ["force-a.html", "force-b.html", "force-c.html", "thematic.html"]
    text = "".join(p.read_text("utf-8") for p in folder.iterdir())
    assert not any(force in text for force in SIZES)
    assert key.is_file()
    again = cli(*args, "--overwrite")  # the key given back: the same letters
    assert again.exit_code == 0, again.output
    assert sorted(p.name for p in folder.iterdir()) == names


def test_existing_reports_are_refused_and_nothing_is_half_written(
    cli: Cli, cases: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / "force-q.html").write_text("kept", encoding="utf-8")
    result = cli("report", "publish", cases, "-o", folder)
    assert result.exit_code != 0
    assert sorted(p.name for p in folder.iterdir()) == ["force-q.html"]
    assert (folder / "force-q.html").read_text("utf-8") == "kept"


@pytest.mark.parametrize(
    ("args", "message"),
    [(("--format", "table"), "cannot be published as files"), ((), "is a file")],
)
def test_usage_mistakes_are_refused_before_reading(
    cli: Cli, tmp_path: Path, args: tuple[str, ...], message: str
) -> None:
    target = tmp_path / ("out" if args else "a-file.txt")
    if not args:
        target.write_text("x", encoding="utf-8")
    result = cli("report", "publish", tmp_path / "missing", "-o", target, *args)
    assert result.exit_code == 2 and message in result.output
    assert not (tmp_path / "out").exists()


def test_a_run_that_fails_leaves_no_folder(cli: Cli, tmp_path: Path) -> None:
    folder = tmp_path / "new"
    result = cli("report", "publish", tmp_path / "missing", "-o", folder)
    assert result.exit_code != 0
    assert not folder.exists()


def test_publishing_alone_says_how_to_publish_together(cli: Cli, cases: Path) -> None:
    result = cli("report", "thematic", cases, "--publish")
    assert result.exit_code == 0
    assert "report publish" in result.stderr


def test_the_example_in_the_data_protection_notes() -> None:
    """docs/data-protection.md works an example by hand: the tool agrees."""
    s = suppress(np.array([[2, 10, 30], [20, 15, 25]]), 5)
    assert s.cells.tolist() == [[True, True, False], [True, True, False]]
    assert not (s.row_totals.any() or s.column_totals.any() or s.grand_total)
    text = (Path(__file__).parents[1] / "docs" / "data-protection.md").read_text("utf-8")
    assert "| Force A | 2 | 10 | 30 | 42 |" in text and "13 values" in text

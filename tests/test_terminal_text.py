"""Text from case files prints in the terminal exactly as typed: never rich markup."""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
import pytest
from rich.console import Console

from inspect_cli.cli import app
from inspect_cli.render.text.plain import PlainTable, plain, say
from tests.helpers.cli import runner

from .conftest import SAMPLES
from .helpers.payloads import MARKUP

FORCES = [f"Force {c}" for c in "ABCDEFGH"]
NAMES = {force: MARKUP[i % len(MARKUP)] + f" {i}" for i, force in enumerate(FORCES)}
BY_KEY = {force.casefold(): name for force, name in NAMES.items()}
REF_PREFIX = "[/r]"
GROUP = "[italic]White British[/italic] :x:"


def _edit(rows: list[list[object]]) -> None:
    """Markup into force names, case refs and one group, below the header row."""
    header = next(
        (i for i, row in enumerate(rows) if {"Case reference", "case_ref"} & set(row)), None
    )
    if header is None:
        if rows and "Topic id" in rows[0]:  # a Force sheet: its forces are renamed too
            for row in rows[1:]:
                row[0] = BY_KEY.get(str(row[0]).casefold(), row[0]) if row[0] else row[0]
        return
    labels = [str(label).lower() for label in rows[header]]
    force = labels.index("force")
    ref = labels.index("case reference") if "case reference" in labels else labels.index("case_ref")
    group = next((i for i, label in enumerate(labels) if "thnicity" in str(label)), None)
    for row in rows[header + 1 :]:
        if row[ref] in (None, ""):
            continue
        # the sample files spell some forces loosely ("force e"): match as the loader does
        row[force] = BY_KEY.get(" ".join(str(row[force]).split()).casefold(), row[force])
        row[ref] = REF_PREFIX + str(row[ref])
        if group is not None and row[group] == "White British":
            row[group] = GROUP


def _hostile_copy(source: Path, target: Path) -> Path:
    """The sample cases with markup in force names, case refs and a group."""
    target.mkdir()
    for path in sorted(source.iterdir()):
        if path.suffix == ".csv":
            with path.open(encoding="utf-8-sig", newline="") as f:
                rows: list[list[object]] = [list(r) for r in csv.reader(f)]
            _edit(rows)
            with (target / path.name).open("w", encoding="utf-8", newline="") as f:
                csv.writer(f).writerows(rows)
        elif path.suffix == ".xlsx":
            book = openpyxl.load_workbook(path)
            for sheet in book.worksheets:
                grid = [list(r) for r in sheet.iter_rows(values_only=True)]
                _edit(grid)
                for r, row in enumerate(grid, start=1):
                    for c, value in enumerate(row, start=1):
                        sheet.cell(r, c).value = value
            book.save(target / path.name)
    return target


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("markup")
    return (
        _hostile_copy(SAMPLES, root / "2014"),
        _hostile_copy(SAMPLES.parent / "sample_cases_2016", root / "2016"),
    )


def _run(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, (args, result.stdout, result.stderr)
    return result.stdout


def test_every_terminal_report_prints_markup_as_typed(hostile: tuple[Path, Path]) -> None:
    first, second = (str(p) for p in hostile)
    force_c = NAMES["Force C"]
    outputs = {
        "score": _run("score", first, "--limit", "2000"),
        "thematic": _run("report", "thematic", first),
        "force": _run("report", "force", first, "--force", force_c, "--limit", "500"),
        "moderate": _run("moderate", first, "--limit", "500"),
        "trend": _run("trend", f"2014={first}", f"2016={second}"),
    }
    for name in ("score", "thematic"):
        for force in NAMES.values():
            assert force in outputs[name], (name, force)
    for name in ("moderate", "trend"):  # forces with no pair, or in one round, may be left out
        assert sum(force in outputs[name] for force in NAMES.values()) >= 5, name
    assert force_c in outputs["force"]
    assert REF_PREFIX in outputs["score"] and REF_PREFIX in outputs["force"]
    assert GROUP in outputs["force"]
    assert REF_PREFIX in outputs["moderate"]


def test_problems_print_case_refs_as_typed(tmp_path: Path, hostile: tuple[Path, Path]) -> None:
    src = hostile[0] / "force_h.csv"
    rows = list(csv.reader(src.open(encoding="utf-8", newline="")))
    rows.append(rows[1])  # the same case twice: the message names its reference
    copy = tmp_path / "dup.csv"
    with copy.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)
    result = runner.invoke(app, ["validate", str(copy)])
    assert result.exit_code == 1
    assert REF_PREFIX in result.stdout and "internal error" not in result.stderr


def test_the_helpers_keep_text_literal() -> None:
    console = Console(record=True, width=200, color_system=None)
    table = PlainTable(title=MARKUP[0])
    table.add_column(MARKUP[1])
    table.add_row(MARKUP[2])
    table.set_caption(MARKUP[3])
    console.print(table)
    say(console, MARKUP[4], plain(MARKUP[0], style="bold"))
    text = console.export_text()
    for payload in MARKUP:
        assert payload in text


def test_a_sample_prints_case_refs_and_forces_as_typed(tmp_path: Path) -> None:
    rows = [["Case reference", "Area of practice", "Force"]]
    rows += [[f"{REF_PREFIX}{i}", "Domestic abuse", MARKUP[i % len(MARKUP)]] for i in range(5)]
    case_list = tmp_path / "list.csv"
    with case_list.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)
    text = _run("sample", str(case_list), "--per-area", "5", "--seed", "1")
    for i in range(5):
        assert f"{REF_PREFIX}{i}" in text and MARKUP[i % len(MARKUP)] in text

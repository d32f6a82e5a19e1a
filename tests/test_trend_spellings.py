"""trend: a force spelt one way in one round and another way in the next is compared as
one force, with one warning naming each spelling, its rounds and where it is."""

from __future__ import annotations

import json
from pathlib import Path

from inspect_cli.frameworks import Framework
from inspect_cli.load import load_cases
from inspect_cli.reports.trend import Round, spelt_by_round
from inspect_cli.score import score_cases
from tests.helpers.builders import Table, case_table, write_xlsx
from tests.helpers.cli import invoke


def round_table(fw: Framework, n: int, spellings: dict[str, str], first: int = 1) -> Table:
    """``n`` cases of Force X spelt ``spellings['X']``, then ``n`` of Force Y."""
    table = case_table(fw, 2 * n, first)
    force = table[0].index("Force")
    for i, row in enumerate(table[1:]):
        row[force] = spellings["X"] if i < n else spellings["Y"]
    return table


def write_round(tmp_path: Path, name: str, table: Table) -> Path:
    folder = tmp_path / name
    folder.mkdir()
    write_xlsx(folder / f"{name}.xlsx", table)
    return folder


def test_one_warning_per_force_spelt_differently_by_round(fw: Framework, tmp_path: Path) -> None:
    first = write_round(tmp_path, "r1", round_table(fw, 3, {"X": "Force X", "Y": "Force Y"}))
    second = write_round(
        tmp_path, "r2", round_table(fw, 2, {"X": "FORCE X", "Y": "Force Y"}, first=20)
    )
    third = write_round(
        tmp_path, "r3", round_table(fw, 2, {"X": "force x", "Y": "Force Y"}, first=40)
    )
    rounds = [
        Round(label, score_cases(load_cases([path], fw)))
        for label, path in (("2014", first), ("2016", second), ("2018", third))
    ]
    [problem] = spelt_by_round(rounds)
    assert (problem.code, problem.severity) == ("force-spelt-by-round", "warning")
    assert (problem.file, problem.sheet, problem.row) == ("r2.xlsx", "Cases", 2)
    message = problem.message
    assert message.startswith("force 'Force X' is spelt differently in different rounds")
    assert "'Force X' in round 2014 (first at r1.xlsx, sheet 'Cases', row 2)" in message
    assert "'FORCE X' in round 2016 (first at r2.xlsx, sheet 'Cases', row 2)" in message
    assert "'force x' in round 2018" in message
    assert "Force Y" not in message


def test_trend_prints_the_warning_and_compares_one_force(fw: Framework, tmp_path: Path) -> None:
    first = write_round(tmp_path, "r1", round_table(fw, 3, {"X": "Force X", "Y": "Force Y"}))
    second = write_round(tmp_path, "r2", round_table(fw, 3, {"X": "FORCE X", "Y": "Force Y"}))
    run = invoke("trend", f"2014={first}", f"2016={second}", "--format", "json")
    assert run.exit_code == 0, run.stderr
    assert run.stderr.count("spelt differently in different rounds") == 1
    assert "r2.xlsx, sheet 'Cases', row 2" in run.stderr and "'FORCE X' in round 2016" in run.stderr
    forces = [f["force"] for f in json.loads(run.stdout)["forces"]]
    assert forces == ["Force X", "Force Y"]


def test_one_spelling_in_every_round_says_nothing(fw: Framework, tmp_path: Path) -> None:
    first = write_round(tmp_path, "r1", round_table(fw, 2, {"X": "Force X", "Y": "Force Y"}))
    second = write_round(tmp_path, "r2", round_table(fw, 2, {"X": "Force X", "Y": "Force Y"}))
    run = invoke("trend", f"2014={first}", f"2016={second}", "--format", "json")
    assert run.exit_code == 0 and "spelt" not in run.stderr

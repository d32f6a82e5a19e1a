from __future__ import annotations

import json
from pathlib import Path

import pytest

from inspect_cli.cli import app
from tests.helpers.cli import runner

from .conftest import SAMPLES

ROUND_2 = SAMPLES.parent / "sample_cases_2016"


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module")
def trend() -> dict:  # type: ignore[type-arg]
    # The generator moves computed grades between rounds: compare the suggested grades.
    args = ("--grade-source", "computed", "--format", "json")
    code, out, err = run("trend", f"2014={SAMPLES}", f"2016={ROUND_2}", *args)
    assert code == 0, err
    return json.loads(out)  # type: ignore[no-any-return]


def test_rounds_in_order_with_shares_and_totals(trend: dict) -> None:  # type: ignore[type-arg]
    assert trend["rounds"] == ["2014", "2016"]
    force_c = next(f for f in trend["forces"] if f["force"] == "Force C")
    first, last = force_c["rounds"]
    assert first["round"] == "2014" and last["round"] == "2016"
    assert first["total"] == last["total"] == 115
    change = force_c["change"]
    # The generator moves 45% of Force C's inadequate cases up in 2016: 49 of 115 (42.6%,
    # shown as 43%) to 29 of 115 (25.2%, 25%) is 17.4 points down, not 43 - 25 = 18.
    assert (first["inadequate"], last["inadequate"]) == (49, 29)
    assert change["inadequate_points"] == -17
    assert change["inadequate_z_test_p"] < 0.05
    assert change["chi_square"]["dof"] == 2


def test_a_force_that_did_not_change_is_within_chance(trend: dict) -> None:  # type: ignore[type-arg]
    force_d = next(f for f in trend["forces"] if f["force"] == "Force D")
    assert force_d["change"]["inadequate_z_test_p"] > 0.05


def test_stages_and_indicators(trend: dict) -> None:  # type: ignore[type-arg]
    assert len(trend["stages"]) == 7
    assert all(len(s["inadequate_pct"]) == 2 for s in trend["stages"])
    assert all(i["points"] < 0 for i in trend["indicators_improved"])
    assert all(i["points"] > 0 for i in trend["indicators_worsened"])


def test_round_labels_from_folder_names_and_a_round_column(tmp_path: Path) -> None:
    # The samples carry a Round column, which labels each input.
    code, out, err = run(
        "trend", str(SAMPLES), str(ROUND_2), "--format", "json", "--force", "force c"
    )
    assert code == 0, err
    assert json.loads(out)["rounds"] == ["2014", "2016"]

    def without_round(src: Path) -> list[str]:
        lines = src.read_text(encoding="utf-8-sig").splitlines()
        cut = lines[0].split(",").index("Round")
        return [",".join(v for i, v in enumerate(line.split(",")) if i != cut) for line in lines]

    # Without one, the folder's name is the label.
    for name, src in (("first", SAMPLES / "force_h.csv"), ("second", ROUND_2 / "force_h.csv")):
        (tmp_path / name).mkdir()
        (tmp_path / name / "h.csv").write_text(
            "\n".join(without_round(src)) + "\n", encoding="utf-8"
        )
    code, out, err = run(
        "trend", str(tmp_path / "first"), str(tmp_path / "second"), "--format", "json"
    )
    assert code == 0, err
    assert json.loads(out)["rounds"] == ["first", "second"]

    # One CSV holding two rounds, told apart by its Round column.
    lines = without_round(SAMPLES / "force_h.csv")
    body = [f"{r},{'2014' if i % 2 else '2016'}" for i, r in enumerate(lines[1:]) if r.strip()]
    both = tmp_path / "both.csv"
    both.write_text(lines[0] + ",Round\n" + "\n".join(body) + "\n", encoding="utf-8")
    code, out, err = run("trend", str(both), "--format", "json")
    assert code == 0, err
    assert sorted(json.loads(out)["rounds"]) == ["2014", "2016"]


def test_one_round_is_not_a_trend() -> None:
    code, _, err = run("trend", str(SAMPLES))
    assert code == 2 and "two rounds" in err


def test_terminal_output() -> None:
    code, out, _ = run("trend", f"2014={SAMPLES}", f"2016={ROUND_2}", "--force", "Force C")
    assert code == 0 and "Grades by round" in out and "inadequate share down" in out

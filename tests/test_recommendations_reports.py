"""Recommendations in reports (issue 15, item 4): the force report's section in every
format, the trend's re-inspection view with a change checked by hand, what a published
or anonymised report shows (never the owner), the JSON against its schemas, and goldens
of the sections on the bundled samples."""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema  # type: ignore[import-untyped]  # test-only, as in test_json_schemas
import openpyxl
import pytest
from rich.console import Console
from typer.testing import Result

from inspect_cli.frameworks import Framework
from inspect_cli.render.html.recommendations import reinspection_view, section_view
from inspect_cli.render.text.recommendations import print_recommendations, print_reinspection

from .conftest import ROOT, SAMPLES
from .helpers.builders import case_table, set_cell, write_csv, write_xlsx
from .helpers.golden import assert_golden
from .helpers.payloads import FORMULA, HTML, MARKUP

Cli = Callable[..., Result]


def validator(name: str) -> Any:
    """A checker for docs/schemas/NAME.schema.json (as tests/test_json_schemas.py makes)."""
    schema = json.loads((ROOT / "docs" / "schemas" / f"{name}.schema.json").read_text("utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


CHILD_SEEN = "Child seen and spoken to"
OWNER = "OWNERMARK <b>Owner</b>"
TEXT = "TEXTMARK " + " ".join((*FORMULA[:1], *HTML, *MARKUP[:1]))
ROUND_2 = ROOT / "sample_cases_2016"
SAMPLE_REGISTER = SAMPLES / "recommendations.yaml"


def _round(fw: Framework, folder: Path, no: int, first: int) -> Path:
    """Ten Force X cases: ``no`` answered No to 'Child seen and spoken to', the rest Yes."""
    folder.mkdir()
    table = case_table(fw, 10, first=first)
    for row in range(2, 12):
        set_cell(table, row, CHILD_SEEN, "No" if row - 2 < no else "Yes")
    write_csv(folder / "x.csv", table)
    return folder


@pytest.fixture(scope="module")
def rounds(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    """Round 1: 6 of 10 No; round 2: 1 of 10 No; a register of two Force X findings."""
    from inspect_cli.frameworks import resolve_framework

    fw = resolve_framework("ncpi-2014")
    base = tmp_path_factory.mktemp("rec")
    register = base / "register.yaml"
    register.write_text(
        "recommendations:\n"
        "  - id: X-1\n    force: Force X\n    type: cause of concern\n"
        f"    text: {json.dumps(TEXT)}\n"
        "    indicators: [initial_contact.child_seen]\n    made: 2014-09-01\n"
        f"    owner: {json.dumps(OWNER)}\n    status: red\n"
        "  - id: X-2\n    force: Force X\n    type: area for improvement\n"
        "    text: Leadership.\n    made: 2014-09-01\n",
        encoding="utf-8",
    )
    return _round(fw, base / "r1", 6, 1), _round(fw, base / "r2", 1, 11), register


def _json(cli: Cli, *args: str | Path) -> dict[str, object]:
    result = cli(*args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    data: dict[str, object] = json.loads(result.stdout)
    return data


# --------------------------------------------------------------------------- figures


def test_the_force_report_gives_each_answer_share(cli: Cli, rounds: tuple[Path, ...]) -> None:
    first, _, register = rounds
    data = _json(cli, "report", "force", first, "--force", "Force X", "--recommendations", register)
    section = data["recommendations"]
    assert isinstance(section, dict) and section["cases"] == 10
    one, two = section["items"]
    assert (one["id"], one["owner"], one["text"], one["status"]) == ("X-1", OWNER, TEXT, "red")
    (indicator,) = one["results"]["indicators"]
    assert (indicator["answered"], indicator["not_applicable"]) == (10, 0)
    assert indicator["answers"] == [
        {"answer": "Yes", "count": 4, "pct": 40},
        {"answer": "Partly", "count": 0, "pct": 0},
        {"answer": "No", "count": 6, "pct": 60},
    ]
    assert two["results"] == {"stages": [], "indicators": []} and two["action_plan_due"] is None


def test_the_reinspection_change_is_the_trends_test(cli: Cli, rounds: tuple[Path, ...]) -> None:
    """By hand: No 6/10 then 1/10 now, down 50 points. Pooled share 7/20, so
    z = 0.5 / sqrt(0.35 × 0.65 × (1/10 + 1/10)) = 2.3440, p = 0.01908; the chi-square
    of [[4, 6], [9, 1]] (Partly, never given, is dropped) is z² = 5.4945, same p."""
    first, second, register = rounds
    data = _json(cli, "trend", f"2014={first}", f"2016={second}", "--recommendations", register)
    view = data["reinspection"]
    assert isinstance(view, dict) and (view["then"], view["now"]) == ("2014", "2016")
    one = view["items"][0]
    assert one["force"] == "Force X" and one["cases"] == {"then": 10, "now": 10}
    (x,) = one["results"]["indicators"]
    assert [a["count"] for a in x["then"]["answers"]] == [4, 0, 6]
    assert [a["count"] for a in x["now"]["answers"]] == [9, 0, 1]
    change = x["change"]
    assert change["worst_points"] == -50
    assert change["z_test_p"] == pytest.approx(0.01908, abs=5e-5)
    assert change["chi_square_p"] == pytest.approx(0.01908, abs=5e-5)
    assert change["chi_square_reliable"] is False  # expected counts of 3.5 in half the cells
    assert view["items"][1]["results"] == {"stages": [], "indicators": []}


def test_trend_of_one_force_lists_only_its_recommendations(cli: Cli) -> None:
    args = ("trend", f"2014={SAMPLES}", f"2016={ROUND_2}", "--force", "Force C")
    data = _json(cli, *args, "--recommendations", SAMPLE_REGISTER)
    items = data["reinspection"]["items"]  # type: ignore[index]
    assert items and {i["force"] for i in items} == {"Force C"}


# --------------------------------------------------------------------------- formats


def test_every_format_has_the_section(cli: Cli, rounds: tuple[Path, ...], tmp_path: Path) -> None:
    first, second, register = rounds
    force = ("report", "force", first, "--force", "Force X", "--recommendations", register)
    table = cli(*force).stdout
    assert "Recommendations" in table and "X-1" in table and OWNER in table and TEXT in table
    assert cli(*force, "-o", tmp_path / "f.html").exit_code == 0
    page = (tmp_path / "f.html").read_text(encoding="utf-8")
    assert '<section id="recommendations">' in page and "<script>" not in page
    assert "OWNERMARK &lt;b&gt;Owner&lt;/b&gt;" in page
    assert cli(*force, "-o", tmp_path / "f.xlsx").exit_code == 0
    sheet = openpyxl.load_workbook(tmp_path / "f.xlsx")["Recommendations"]
    cells = [c for row in sheet.iter_rows(values_only=True) for c in row if c is not None]
    assert OWNER in cells and TEXT in cells
    trend = ("trend", f"2014={first}", f"2016={second}", "--recommendations", register)
    assert "Re-inspection findings" in cli(*trend).stdout
    assert cli(*trend, "-o", tmp_path / "t.html").exit_code == 0
    assert '<section id="reinspection">' in (tmp_path / "t.html").read_text(encoding="utf-8")
    assert cli(*trend, "-o", tmp_path / "t.xlsx").exit_code == 0
    book = openpyxl.load_workbook(tmp_path / "t.xlsx")
    assert "Re-inspection" in book.sheetnames


def test_formulas_in_the_register_stay_text(
    cli: Cli, rounds: tuple[Path, ...], tmp_path: Path
) -> None:
    first, _, register = rounds
    target = tmp_path / "f.xlsx"
    args = ("report", "force", first, "--force", "Force X", "--recommendations", register)
    assert cli(*args, "-o", target).exit_code == 0
    with zipfile.ZipFile(target) as z:
        xml = "".join(z.read(n).decode() for n in z.namelist() if "worksheets/sheet" in n)
    assert "<f>" not in xml  # the =HYPERLINK payload is a quoted string, never a formula


# --------------------------------------------------------------------------- publication


def _texts(folder: Path) -> dict[str, str]:
    out = {}
    for path in sorted(folder.rglob("*")):
        if path.suffix == ".xlsx":
            with zipfile.ZipFile(path) as z:
                out[path.name] = "".join(z.read(n).decode("utf-8", "replace") for n in z.namelist())
        elif path.is_file():
            out[path.name] = path.read_text(encoding="utf-8-sig")
    return out


@pytest.mark.parametrize("fmt", ["json", "html", "xlsx", "csv"])
def test_the_owner_never_reaches_a_published_report(
    cli: Cli, rounds: tuple[Path, ...], tmp_path: Path, fmt: str
) -> None:
    first, _, register = rounds
    args = ("report", "force", first, "--force", "Force X", "--recommendations", register)
    result = cli(*args, "--publish", "-o", tmp_path / f"p.{fmt}")
    assert result.exit_code == 0, result.stderr
    text = "".join(_texts(tmp_path).values())  # a CSV has its metadata beside it
    assert "OWNERMARK" not in text and "register.yaml" not in text
    if fmt == "json":
        items = json.loads(text)["recommendations"]["items"]
        assert all("owner" not in i and i["results"] is None for i in items)
        assert items[0]["text"] == TEXT  # decided: inspectorates publish recommendations
        register_sha = json.loads(text)["provenance"]["options"]["recommendations"]
        assert register_sha.startswith("the register (SHA-256 ")
    elif fmt != "csv":
        assert "TEXTMARK" in text


def test_nor_the_terminal_of_a_published_report(cli: Cli, rounds: tuple[Path, ...]) -> None:
    first, _, register = rounds
    args = ("report", "force", first, "--force", "Force X", "--recommendations", register)
    out = cli(*args, "--publish").stdout
    assert "X-1" in out and "OWNERMARK" not in out


def test_an_anonymised_report_shows_no_text_id_or_owner(
    cli: Cli, rounds: tuple[Path, ...], tmp_path: Path
) -> None:
    first, _, register = rounds
    args = ("report", "force", first, "--force", "Force X", "--recommendations", register)
    for extra in ((), ("--publish",)):
        data = _json(cli, *args, "--anonymise", *extra)
        section = data["recommendations"]
        assert isinstance(section, dict) and section["register"] == "the register"
        assert [(i["id"], i["text"], i.get("owner")) for i in section["items"]] == [
            ("1", None, None),
            ("2", None, None),
        ]


# --------------------------------------------------------------------------- usage


def test_usage_mistakes(cli: Cli, rounds: tuple[Path, ...], tmp_path: Path) -> None:
    first, _, _ = rounds
    book = write_xlsx(
        tmp_path / "r.xlsx",
        {
            "Recommendations": [
                ["id", "force", "type", "text", "made"],
                ["1", "Force X", "recommendation", "t", "2014-01-01"],
            ]
        },
    )
    over = cli(
        "report",
        "force",
        first,
        "--force",
        "Force X",
        "--recommendations",
        book,
        "-o",
        book,
        "--overwrite",
    )
    assert over.exit_code == 2 and "recommendations register" in over.stderr
    bad = tmp_path / "bad.yaml"
    bad.write_text("- id: 1\n  force: X\n", encoding="utf-8")
    refused = cli("report", "force", first, "--force", "Force X", "--recommendations", bad)
    assert refused.exit_code == 1 and "text is blank" in refused.stderr


# --------------------------------------------------------------------------- schemas


def test_the_json_matches_the_schemas(cli: Cli, rounds: tuple[Path, ...]) -> None:
    first, second, register = rounds
    force = ("report", "force", first, "--force", "Force X", "--recommendations", register)
    for extra in ((), ("--publish",), ("--anonymise",)):
        validator("report-force").validate(_json(cli, *force, *extra))
    trend = ("trend", f"2014={first}", f"2016={second}", "--recommendations", register)
    validator("trend").validate(_json(cli, *trend))
    samples = ("trend", f"2014={SAMPLES}", f"2016={ROUND_2}")
    validator("trend").validate(_json(cli, *samples, "--recommendations", SAMPLE_REGISTER))


# --------------------------------------------------------------------------- goldens


def _console() -> Console:
    return Console(width=200, record=True, color_system=None, file=io.StringIO())


def _section(page: str, name: str) -> str:
    found = re.search(f'<section id="{name}">.*?</section>\n', page, re.S)
    assert found, name
    return found.group(0)


@pytest.fixture(scope="module")
def sample_force(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    from tests.helpers.cli import invoke

    out = tmp_path_factory.mktemp("golden")
    args = ("report", "force", SAMPLES, "--force", "Force C")
    rec = ("--recommendations", SAMPLE_REGISTER, "--grade-source", "computed")
    for fmt in ("html", "xlsx"):
        assert invoke(*args, *rec, "-o", out / f"f.{fmt}").exit_code == 0
    trend = ("trend", f"2014={SAMPLES}", f"2016={ROUND_2}", "--force", "Force C")
    for fmt in ("html", "xlsx"):
        assert invoke(*trend, *rec, "-o", out / f"t.{fmt}").exit_code == 0
    return {
        "force.html": _section((out / "f.html").read_text(encoding="utf-8"), "recommendations"),
        "trend.html": _section((out / "t.html").read_text(encoding="utf-8"), "reinspection"),
        "force.xlsx": _sheet_dump(out / "f.xlsx", "Recommendations"),
        "trend.xlsx": _sheet_dump(out / "t.xlsx", "Re-inspection"),
    }


def _sheet_dump(path: Path, name: str) -> str:
    sheet = openpyxl.load_workbook(path)[name]
    lines = [f"== {name} freeze={sheet.freeze_panes} filter={sheet.auto_filter.ref}"]
    for row in sheet.iter_rows(values_only=True):
        values = list(row)
        while values and values[-1] is None:
            values.pop()
        lines.append("\t".join(repr(v) for v in values))
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("name", ["force.html", "trend.html", "force.xlsx", "trend.xlsx"])
def test_golden_sections(sample_force: dict[str, str], name: str) -> None:
    kind, fmt = name.split(".")
    assert_golden(
        f"recommendations_{kind}.{fmt}" + (".txt" if fmt == "xlsx" else ""), sample_force[name]
    )


def test_golden_terminal(fw: Framework) -> None:
    from inspect_cli.load.recommendations import RecommendationRegister, read_recommendations
    from inspect_cli.pipeline import load_and_score
    from inspect_cli.read import Limits
    from inspect_cli.reports.recommendations import force_section
    from inspect_cli.reports.reinspection import reinspection
    from inspect_cli.reports.trend import counted_cases, rounds_of

    register = read_recommendations(SAMPLE_REGISTER, fw)
    assert isinstance(register, RecommendationRegister)
    frames = []
    for label, folder in (("2014", SAMPLES), ("2016", ROUND_2)):
        result = load_and_score([folder], fw, limits=Limits()).result
        assert result is not None
        (one,) = rounds_of(label, folder, result)
        frames.append((label, counted_cases(one.result, "inspector", "computed")))
    force_c = frames[0][1][frames[0][1]["force"] == "Force C"]
    console = _console()
    print_recommendations(console, force_section(register, fw, force_c, "Force C"))
    print_reinspection(console, reinspection(register, fw, frames, "Force C"))
    assert_golden("recommendations.txt", console.export_text())
    assert section_view(None) is None and reinspection_view(None) is None


def test_a_force_register_names_the_recommendations_force(
    cli: Cli, rounds: tuple[Path, ...], tmp_path: Path
) -> None:
    """A register may name the force by any alias the force register (--forces) lists."""
    first, _, register = rounds
    aliased = tmp_path / "aliased.yaml"
    aliased.write_text(register.read_text("utf-8").replace("Force X", "FX"), encoding="utf-8")
    forces = tmp_path / "forces.csv"
    forces.write_text("force,alias\nForce X,FX\n", encoding="utf-8")
    args = ("report", "force", first, "--force", "Force X", "--recommendations", aliased)
    assert _json(cli, *args)["recommendations"]["items"] == []  # type: ignore[index]
    data = _json(cli, *args, "--forces", forces)
    assert [i["id"] for i in data["recommendations"]["items"]] == ["X-1", "X-2"]  # type: ignore[index]


def test_the_results_count_the_cases_the_report_counts(cli: Cli) -> None:
    """Force C's samples hold readings not yet approved in review: the section counts
    what the report counts, with or without --include-unapproved."""
    args = ("report", "force", SAMPLES, "--force", "Force C")
    for extra in ((), ("--include-unapproved",)):
        data = _json(cli, *args, "--recommendations", SAMPLE_REGISTER, *extra)
        assert data["recommendations"]["cases"] == data["overall"]["total"]  # type: ignore[index]


def test_every_force_at_once_lists_each_forces_own(cli: Cli, tmp_path: Path) -> None:
    folder = tmp_path / "all"
    args = ("report", "force", SAMPLES, "--all-forces", "-o", folder, "--format", "json")
    result = cli(*args, "--recommendations", SAMPLE_REGISTER)
    assert result.exit_code == 0, result.stderr
    seen = 0
    for path in folder.glob("*.json"):
        data = json.loads(path.read_text(encoding="utf-8"))
        if "recommendations" not in data:
            continue  # the thematic report
        ids = [i["id"] for i in data["recommendations"]["items"]]
        letter = data["force"].removeprefix("Force ")
        assert ids and all(i.split("-")[1] == letter for i in ids), (path.name, ids)
        seen += 1
    assert seen == 7  # Forces B to H (Force A has no inspector cases)

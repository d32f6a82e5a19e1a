"""The protective marking on every output that lists cases (score's xlsx, csv, json)
and on the report CSVs; ``--marking none`` and ``--marking ""`` mean none everywhere."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from typer.testing import Result

from inspect_cli.frameworks import resolve_framework

from .conftest import SAMPLES
from .helpers.builders import case_table, write_csv

Cli = Callable[..., Result]


@pytest.fixture
def cases(tmp_path: Path) -> str:
    (tmp_path / "in").mkdir()
    return str(
        write_csv(tmp_path / "in" / "cases.csv", case_table(resolve_framework("ncpi-2014"), 3))
    )


def run(cli: Cli, *args: str | Path) -> Result:
    result = cli(*args)
    assert result.exit_code == 0, result.stderr
    return result


def test_scored_xlsx_has_a_banner_row_and_page_headers(
    cli: Cli, cases: str, tmp_path: Path
) -> None:
    target = tmp_path / "s.xlsx"
    run(cli, "score", cases, "-o", target)
    wb = openpyxl.load_workbook(target)
    for name in ("Scored cases", "Not scored", "Columns"):
        ws = wb[name]
        assert ws["A1"].value == "OFFICIAL-SENSITIVE" and ws["A1"].font.b
        assert "OFFICIAL-SENSITIVE" in (ws.oddHeader.center.text or "")
        assert ws.print_title_rows == "$1:$2"  # the banner and the header row, on every page
    scored = wb["Scored cases"]
    assert scored["A2"].value == "case_ref" and scored.freeze_panes == "B3"
    assert scored.auto_filter.ref.startswith("A2:") and scored.max_row == 2 + 3
    about = wb["Provenance"]
    assert about["A1"].value == "inspect-cli output" and about["B1"].value == "OFFICIAL-SENSITIVE"
    assert "OFFICIAL-SENSITIVE" in (about.oddFooter.center.text or "")


@pytest.mark.parametrize("none", ["none", "NONE", "", "  "])
def test_marking_none_gives_the_plain_layouts(
    cli: Cli, cases: str, tmp_path: Path, none: str
) -> None:
    xlsx, csv_out, js = tmp_path / "s.xlsx", tmp_path / "s.csv", tmp_path / "s.json"
    for target in (xlsx, csv_out, js):
        run(cli, "score", cases, "-o", target, "--marking", none)
    ws = openpyxl.load_workbook(xlsx)["Scored cases"]
    assert ws["A1"].value == "case_ref" and ws.freeze_panes == "B2" and not ws.oddHeader.center.text
    assert csv_out.read_text(encoding="utf-8-sig").startswith("case_ref,")
    assert {c["marking"] for c in json.loads(js.read_text(encoding="utf-8"))} == {None}


def test_scored_csv_starts_with_the_marking_as_a_comment(
    cli: Cli, cases: str, tmp_path: Path
) -> None:
    target = tmp_path / "s.csv"
    run(cli, "score", cases, "-o", target, "--marking", "OFFICIAL-SENSITIVE, PERSONAL\n=1+1")
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf# OFFICIAL-SENSITIVE, PERSONAL =1+1\r\ncase_ref,")
    lines = raw.decode("utf-8-sig").splitlines(keepends=True)
    rows = list(csv.reader(io.StringIO("".join(lines[1:]), newline="")))  # skip the marking
    assert rows[0][0] == "case_ref" and len(rows) == 1 + 3
    # a marked scored CSV in a folder of case files is still recognised and skipped
    (Path(cases).parent / "s.csv").write_bytes(raw)
    result = cli("validate", str(Path(cases).parent))
    assert result.exit_code == 0 and "inspect-cli output" in result.stderr + result.stdout


def test_scored_json_carries_the_marking_on_every_case(cli: Cli, cases: str) -> None:
    data = json.loads(run(cli, "score", cases, "--format", "json").stdout)
    assert isinstance(data, list) and len(data) == 3  # still a list: the shape is a contract
    assert {c["marking"] for c in data} == {"OFFICIAL-SENSITIVE"}
    data = json.loads(run(cli, "score", cases, "--format", "json", "--marking", "SECRET").stdout)
    assert {c["marking"] for c in data} == {"SECRET"}


def test_report_csv_marking_and_none_on_every_report_command(cli: Cli, tmp_path: Path) -> None:
    internal, published = tmp_path / "t.csv", tmp_path / "p.csv"
    run(cli, "report", "thematic", str(SAMPLES), "-o", internal)
    run(cli, "report", "thematic", str(SAMPLES), "-o", published, "--publish")
    assert internal.read_text(encoding="utf-8-sig").startswith("# OFFICIAL-SENSITIVE\nforce,")
    assert published.read_text(encoding="utf-8-sig").startswith("force,")  # no marking
    for args in (
        ("report", "force", str(SAMPLES), "--force", "Force C"),
        ("moderate", str(SAMPLES)),
    ):
        data = json.loads(run(cli, *args, "--format", "json", "--marking", "None").stdout)
        assert data["marking"] is None


def test_the_xlsx_marker_stays_the_first_shared_string(
    cli: Cli, cases: str, tmp_path: Path
) -> None:
    target = tmp_path / "s.xlsx"
    run(cli, "score", cases, "-o", target)
    with zipfile.ZipFile(target) as zf:
        strings = zf.read("xl/sharedStrings.xml").decode("utf-8")
    assert strings.index("inspect-cli output") < strings.index("OFFICIAL-SENSITIVE")

"""`validate` output an inspector can send back: the table on stdout, uncut and in
reading order; `-o problems.xlsx|csv|json`; `--annotate DIR` (issue 17, item 1)."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from rich.console import Console
from typer.testing import Result

from inspect_cli.frameworks import Framework
from inspect_cli.problems import Problem
from inspect_cli.render.problems_out import COLUMNS
from inspect_cli.render.text.problems import print_problem_list
from tests.helpers.builders import (
    add_column,
    case_table,
    letter,
    repack,
    rewrite_member,
    set_cell,
    write_csv,
    write_xlsx,
)
from tests.helpers.golden import assert_golden
from tests.helpers.xlsx_dump import dump, header_row, worksheet_xml

Cli = Callable[..., Result]
LONG = "Maybe " * 60  # an answer whose message is longer than 80 columns


def _indicator(fw: Framework, n: int) -> str:
    return fw.indicators[n].indicator.label


def _messy(folder: Path, fw: Framework) -> Path:
    """A folder: a workbook with problems in B, C and past column Z, a sheet with no
    cases, and a CSV with a problem."""
    folder.mkdir()
    table = case_table(fw, 5)
    set_cell(table, 4, _indicator(fw, 1), "Sometimes")  # past column Z, before B on row 3
    set_cell(table, 3, "Force", "")
    set_cell(table, 5, "Area of practice", "")
    set_cell(table, 6, _indicator(fw, 0), LONG)
    add_column(table, "@SUM(A1)", [])  # an unknown column named like a formula
    write_xlsx(folder / "force_a.xlsx", {"Cases": table, "Read me": [["Fill in the Cases sheet"]]})
    other = case_table(fw, 2, first=10)
    set_cell(other, 2, "Force", "")
    write_csv(folder / "force_b.csv", other)
    return folder


@pytest.fixture
def messy(tmp_path: Path, fw: Framework) -> Path:
    return _messy(tmp_path / "cases", fw)


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _json_problems(cli: Cli, *args: Any) -> list[dict[str, Any]]:
    run = cli("validate", *args, "--format", "json")
    assert run.exit_code == 1, run.output
    problems: list[dict[str, Any]] = json.loads(run.stdout)["problems"]
    return problems


def _problems_of(folder: Path) -> list[Problem]:
    """The problems ``validate --format json`` lists, in its order, as Problems."""
    from tests.helpers.cli import invoke

    listed = json.loads(invoke("validate", folder, "--format", "json").stdout)["problems"]
    fields = ("code", "severity", "message", "file", "sheet", "row", "column", "header")
    return [Problem(**{k: p[k] for k in fields}) for p in listed]


def _key(p: dict[str, Any]) -> tuple[Any, ...]:
    return tuple(p[c] for c in ("file", "sheet", "row", "column", "code", "message"))


# --------------------------------------------------------------------------- the table


def test_the_table_goes_to_stdout_and_stderr_stays_empty(cli: Cli, messy: Path) -> None:
    run = cli("validate", messy)
    assert run.exit_code == 1
    assert "Force is blank" in run.stdout and run.stdout.rstrip().splitlines()[-1].startswith(
        "PROBLEMS:"
    )
    assert run.stderr == ""


def test_redirected_to_a_file_the_table_is_whole_at_80_columns(tmp_path: Path, messy: Path) -> None:
    target = tmp_path / "problems.txt"
    env = {**os.environ, "COLUMNS": "80", "NO_COLOR": "1"}
    with open(target, "w", encoding="utf-8") as fh:
        done = subprocess.run(
            [sys.executable, "-m", "inspect_cli", "validate", str(messy)],
            stdout=fh,
            stderr=subprocess.PIPE,
            env=env,
            text=True,
            check=False,
        )
    assert done.returncode == 1 and done.stderr == ""
    text = target.read_text(encoding="utf-8")
    lines = text.splitlines()
    assert "…" not in text and max(len(line) for line in lines) > 80
    messages = [p.message for p in _problems_of(messy)]
    assert any(len(m) > 80 for m in messages)
    for message in messages:  # each whole, on one line
        assert any(message in line for line in lines), message
    assert "force_a.xlsx, sheet 'Cases', row 3, column B (Force)" in text
    summary = [line for line in text.splitlines() if line.startswith("PROBLEMS:")]
    assert len(summary) == 1 and summary[0].endswith("note(s)")


def test_problems_are_in_reading_order(cli: Cli, messy: Path, fw: Framework) -> None:
    problems = _json_problems(cli, messy)
    cells = [(p["file"], p["row"], p["column"]) for p in problems if p["row"] is not None]
    late = letter(case_table(fw, 1), _indicator(fw, 1))
    assert len(late) == 2  # past Z: Excel's order puts it after B, not between A and C
    assert cells.index(("force_a.xlsx", 3, "B")) < cells.index(("force_a.xlsx", 4, late))
    assert cells.index(("force_a.xlsx", 4, late)) < cells.index(("force_a.xlsx", 5, "C"))
    files = [p["file"] for p in problems]
    assert files == sorted(files, key=str.casefold)
    sheets = [p["sheet"] for p in problems if p["file"] == "force_a.xlsx"]
    assert sheets == sorted(sheets, key=str.casefold)
    # the table lists them in the same order as the JSON
    table = cli("validate", messy).stdout
    where = [line.split("│")[2].strip() for line in table.splitlines() if line.startswith("│")]
    assert where == [p.location() for p in _problems_of(messy)]
    assert all("title" in p for p in problems)  # the shape is extended, not changed


def test_the_table_folds_repeats_on_a_terminal_only() -> None:
    same = [
        Problem("missing-value", "error", "Force is blank", "a.csv", None, r, "B")
        for r in range(2, 10)
    ]
    screen = io.StringIO()
    print_problem_list(Console(file=screen, force_terminal=True, width=80), same)
    assert "… and 3 more of 'Force is blank' in a.csv" in screen.getvalue()
    assert screen.getvalue().count("Force is blank │") == 5
    piped = io.StringIO()
    print_problem_list(Console(file=piped, width=30), same)
    assert piped.getvalue().count("Force is blank") == 8 and "…" not in piped.getvalue()


# --------------------------------------------------------------------------- -o FILE


def _read_back(path: Path) -> list[dict[str, Any]]:
    if path.suffix == ".json":
        problems: list[dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))["problems"]
        return problems
    if path.suffix == ".csv":
        raw = path.read_bytes()
        assert (
            raw.startswith(b"\xef\xbb\xbf")
            and b"\r\n" in raw
            and b"\n" not in raw.replace(b"\r\n", b"")
        )
        rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
        return [{**r, "row": int(r["row"]) if r["row"] else None} for r in rows]
    ws = openpyxl.load_workbook(path)["Problems"]
    top = header_row(ws, "file")
    head = [c.value for c in ws[top]]
    return [
        dict(zip(head, row, strict=True)) for row in ws.iter_rows(min_row=top + 1, values_only=True)
    ]


def _blank_as_none(p: dict[str, Any]) -> dict[str, Any]:
    return {k: (None if v == "" else v) for k, v in p.items()}


@pytest.mark.parametrize("ext", ["xlsx", "csv", "json"])
def test_every_problem_written_in_order_as_json_lists_them(
    cli: Cli, messy: Path, tmp_path: Path, ext: str
) -> None:
    target = tmp_path / f"problems.{ext}"
    run = cli("validate", messy, "-o", target)
    assert run.exit_code == 1 and f"wrote {target}" in run.stderr
    assert (
        "PROBLEMS:" in run.stdout and "Force is blank" not in run.stdout
    )  # the list is in the file
    expected = _json_problems(cli, messy)
    got = [_blank_as_none(p) for p in _read_back(target)]
    assert len(got) == len(expected)
    assert [_key(p) for p in got] == [_key(p) for p in expected]
    if ext != "json":
        assert list(got[0]) == list(COLUMNS)
    else:
        assert json.loads(target.read_text(encoding="utf-8"))["ok"] is False


def test_formula_like_text_stays_text(cli: Cli, messy: Path, tmp_path: Path) -> None:
    cli("validate", messy, "-o", tmp_path / "p.csv")
    assert "'@SUM(A1)" in (tmp_path / "p.csv").read_text(encoding="utf-8-sig")
    cli("validate", messy, "-o", tmp_path / "p.xlsx")
    assert all("<f>" not in xml for xml in worksheet_xml(tmp_path / "p.xlsx").values())
    headers = [p["header"] for p in _read_back(tmp_path / "p.xlsx")]
    assert "@SUM(A1)" in headers


@pytest.mark.parametrize("ext", ["xlsx", "csv"])
def test_a_problems_file_in_the_case_folder_is_skipped(cli: Cli, messy: Path, ext: str) -> None:
    before = _json_problems(cli, messy)
    assert cli("validate", messy, "-o", messy / f"problems.{ext}").exit_code == 1
    after = _json_problems(cli, messy)
    skipped = [p for p in after if p["file"] == f"problems.{ext}"]
    assert [p["code"] for p in skipped] == ["inspect-cli-output"]
    assert len(after) == len(before) + 1


# --------------------------------------------------------------------------- refusals


def test_refusals_leave_every_file_as_it_was(cli: Cli, messy: Path, tmp_path: Path) -> None:
    existing = tmp_path / "problems.csv"
    existing.write_text("keep me", encoding="utf-8")
    book = messy / "force_a.xlsx"
    sha = _sha(book)
    runs = {
        "existing -o": cli("validate", messy, "-o", existing),
        "input as -o": cli("validate", book, "-o", book, "--overwrite"),
        "unknown extension": cli("validate", messy, "-o", tmp_path / "problems.txt"),
        "DIR is the input folder": cli("validate", messy, "--annotate", messy),
        "DIR inside it": cli("validate", messy, "--annotate", messy / "annotated"),
        "copy over an input": cli("validate", book, "--annotate", messy, "--overwrite"),
        "DIR is a file": cli("validate", messy, "--annotate", existing),
    }
    for why, run in runs.items():
        assert run.exit_code == 2, (why, run.output)
        assert "Traceback" not in run.output
    assert existing.read_text(encoding="utf-8") == "keep me"
    assert _sha(book) == sha
    assert sorted(p.name for p in messy.iterdir()) == ["force_a.xlsx", "force_b.csv"]


def test_an_existing_copy_needs_overwrite(cli: Cli, messy: Path, tmp_path: Path) -> None:
    out = tmp_path / "annotated"
    assert cli("validate", messy, "--annotate", out).exit_code == 1
    first = _sha(out / "force_a.xlsx")
    again = cli("validate", messy, "--annotate", out)
    assert again.exit_code == 2 and "already exists" in again.stderr
    assert _sha(out / "force_a.xlsx") == first
    assert cli("validate", messy, "--annotate", out, "--overwrite").exit_code == 1


def test_two_workbooks_with_one_name_are_refused(cli: Cli, fw: Framework, tmp_path: Path) -> None:
    for sub in ("a", "b"):
        (tmp_path / sub).mkdir()
        write_xlsx(tmp_path / sub / "cases.xlsx", case_table(fw, 1))
    run = cli("validate", tmp_path / "a", tmp_path / "b", "--annotate", tmp_path / "out")
    assert run.exit_code == 2 and "two input workbooks are named cases.xlsx" in run.stderr


# --------------------------------------------------------------------------- --annotate DIR


def _annotated(cli: Cli, messy: Path, tmp_path: Path) -> tuple[Result, Path]:
    out = tmp_path / "annotated"
    return cli("validate", messy, "--annotate", out), out


def test_annotated_copy_golden(cli: Cli, messy: Path, tmp_path: Path) -> None:
    run, out = _annotated(cli, messy, tmp_path)
    assert run.exit_code == 1
    wb = openpyxl.load_workbook(out / "force_a.xlsx")
    marks = [
        f"{ws.title}!{c.coordinate} fill={c.fill.fgColor.rgb} comment={c.comment.text!r}"
        for ws in wb.worksheets
        for row in ws.iter_rows()
        for c in row
        if c.comment is not None
    ]
    text = dump(out / "force_a.xlsx") + "\n== marks\n" + "\n".join(marks) + "\n"
    assert_golden("validate_annotated.txt", text)


def test_annotated_copy_marks_the_problem_cells(
    cli: Cli, messy: Path, tmp_path: Path, fw: Framework
) -> None:
    before = {p.name: _sha(p) for p in messy.iterdir()}
    run, out = _annotated(cli, messy, tmp_path)
    assert {p.name: _sha(p) for p in messy.iterdir()} == before  # the originals untouched
    assert sorted(p.name for p in out.iterdir()) == ["force_a.xlsx"]
    assert "not annotated: force_b.csv" in run.stderr
    wb = openpyxl.load_workbook(out / "force_a.xlsx")
    cases = wb["Cases"]
    late = f"{letter(case_table(fw, 1), _indicator(fw, 1))}4"
    for ref, word in (
        ("B3", "Force is blank"),
        ("C5", "Area of practice is blank"),
        (late, "Sometimes"),
    ):
        cell = cases[ref]
        assert cell.fill.fgColor.rgb.endswith("FFC7CE"), ref
        assert cell.comment is not None and word in cell.comment.text
    assert cases["A2"].comment is None and cases["A2"].fill.fill_type is None
    assert cases["B3"].value is None and cases["B4"].value == "Force X"  # values kept
    assert wb.active.title == "Problems"
    problems = wb["Problems"]
    links = {c.value: c.hyperlink.location for c in problems["A"] if c.hyperlink}
    assert links["Cases!B3"] == "'Cases'!B3" and links[f"Cases!{late}"] == f"'Cases'!{late}"
    sheet_level = [r for r in problems.iter_rows(min_row=2, values_only=True) if r[1] == "Read me"]
    assert sheet_level and sheet_level[0][0] is None  # a whole sheet: listed, not linked
    assert all("<f>" not in xml for xml in worksheet_xml(out / "force_a.xlsx").values())


def test_an_annotated_copy_reads_back_with_the_same_problems(
    cli: Cli, messy: Path, tmp_path: Path
) -> None:
    _, out = _annotated(cli, messy, tmp_path)
    original = [_key(p) for p in _json_problems(cli, messy / "force_a.xlsx")]
    copy = _json_problems(cli, out / "force_a.xlsx")
    extra = [p for p in copy if _key(p) not in original]
    assert [(p["sheet"], p["severity"]) for p in extra] == [("Problems", "note")]


def test_an_xlsm_copy_keeps_its_macros(cli: Cli, fw: Framework, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    book = write_xlsx(folder / "macros.xlsm", set_cell(case_table(fw, 2), 2, "Force", ""))
    rewrite_member(
        book,
        "[Content_Types].xml",
        lambda xml: xml.replace(
            b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
            b"application/vnd.ms-excel.sheet.macroEnabled.main+xml",
        ).replace(
            b"</Types>",
            b'<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/></Types>',
        ),
    )
    rewrite_member(
        book,
        "xl/_rels/workbook.xml.rels",
        lambda xml: xml.replace(
            b"</Relationships>",
            b'<Relationship Id="rIdVba" Type="http://schemas.microsoft.com/office/2006/'
            b'relationships/vbaProject" Target="vbaProject.bin"/></Relationships>',
        ),
    )
    repack(book, extra={"xl/vbaProject.bin": b"not really VBA" * 8})
    run = cli("validate", folder, "--annotate", tmp_path / "out")
    assert run.exit_code == 1, run.output
    with zipfile.ZipFile(tmp_path / "out" / "macros.xlsm") as zf:
        assert zf.read("xl/vbaProject.bin") == b"not really VBA" * 8
        assert b"macroEnabled" in zf.read("[Content_Types].xml")
    assert openpyxl.load_workbook(tmp_path / "out" / "macros.xlsm")["Cases"]["B2"].comment


def test_a_refused_workbook_is_not_annotated(cli: Cli, messy: Path, tmp_path: Path) -> None:
    (messy / "broken.xlsx").write_bytes(b"PK\x03\x04 not a workbook")
    run, out = _annotated(cli, messy, tmp_path)
    assert run.exit_code == 1
    assert "not annotated: broken.xlsx could not be read" in run.stderr
    assert sorted(p.name for p in out.iterdir()) == ["force_a.xlsx"]


def test_nothing_to_annotate_writes_nothing(cli: Cli, fw: Framework, tmp_path: Path) -> None:
    good = write_xlsx(tmp_path / "good.xlsx", case_table(fw, 2))
    run = cli("validate", good, "--annotate", tmp_path / "out")
    assert run.exit_code == 0 and "no file has problems" in run.stderr
    assert not (tmp_path / "out").exists()

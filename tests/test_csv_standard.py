"""Report CSVs follow RFC 4180 (the government tabular data standard) and carry CSVW
metadata beside them (render/csv.py, render/csvw.py; docs/reports.md "CSV files")."""

from __future__ import annotations

import csv
import errno
import io
import json
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import Result

from inspect_cli.frameworks import resolve_framework

from .conftest import SAMPLES
from .helpers.builders import case_table, col, write_csv

Cli = Callable[..., Result]

FORCES = ('Gwent, "South" Wales', "Dyfed–Powys Édition", "=1+1 Force")
"""Generated force names that need quoting, are not ASCII, or look like a formula."""

REPORTS = {
    "thematic": ("report", "thematic", SAMPLES),
    "force": ("report", "force", SAMPLES, "--force", "Force C"),
}
DATATYPES = {
    "integer": re.compile(r"-?[0-9]+"),
    "decimal": re.compile(r"-?[0-9]+(\.[0-9]+)?"),
    "boolean": re.compile(r"true|false"),
    "string": re.compile(r".*", re.DOTALL),
}
TABLE_KEYS = {
    "@context", "url", "dc:title", "dc:description", "dc:source", "dc:created",
    "dc:accessRights", "dialect", "notes", "tableSchema",
}  # fmt: skip
COLUMN_KEYS = {"name", "titles", "datatype", "null", "dc:description"}
NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.]*")  # CSVW: no leading '_', URI-template chars


def generated_cases(folder: Path) -> Path:
    """18 cases over the three FORCES: few enough per force that publishing hides some."""
    table = case_table(resolve_framework("ncpi-2014"), 18)
    force = col(table, "Force")
    for i, row in enumerate(table[1:]):
        row[force] = FORCES[i % len(FORCES)]
    return write_csv(folder / "cases.csv", table)


def metadata_of(target: Path) -> Path:
    return target.with_name(target.name + "-metadata.json")


def write_pair(cli: Cli, target: Path, *args: str | Path) -> tuple[bytes, dict[str, Any]]:
    result = cli(*args, "-o", target)
    assert result.exit_code == 0, result.stderr
    assert f"wrote {metadata_of(target)}" in result.stderr
    return target.read_bytes(), json.loads(metadata_of(target).read_text(encoding="utf-8"))


def check_csvw_shape(meta: dict[str, Any], csv_name: str) -> None:
    """The documented CSVW table description (docs/reports.md, "CSV files")."""
    assert set(meta) <= TABLE_KEYS and {"@context", "url", "tableSchema"} <= set(meta)
    assert meta["@context"] == "http://www.w3.org/ns/csvw"
    assert meta["url"] == csv_name.replace(" ", "%20")
    assert isinstance(meta["dc:title"], str) and meta["dc:title"]
    marked = {"commentPrefix": "#", "skipRows": 1} if "dc:accessRights" in meta else {}
    assert meta["dialect"] == {
        "encoding": "utf-8",
        "lineTerminators": ["\r\n"],
        "delimiter": ",",
        "header": True,
        "headerRowCount": 1,
        **marked,  # the marking line "# MARKING" before the header: skipped, a comment
    }
    for note in meta["notes"]:
        assert note["type"] == "Annotation" and note["target"] == meta["url"]
        assert isinstance(note["body"], str) and note["body"]
    assert list(meta["tableSchema"]) == ["columns"]
    columns = meta["tableSchema"]["columns"]
    assert len({c["name"] for c in columns}) == len(columns)
    for c in columns:
        assert set(c) == COLUMN_KEYS, c
        assert NAME.fullmatch(c["name"]) and c["datatype"] in DATATYPES
        assert c["titles"] and all(isinstance(t, str) and t for t in c["titles"])
        assert "" in c["null"] and all(isinstance(n, str) for n in c["null"])
        assert isinstance(c["dc:description"], str) and c["dc:description"]


def check_rfc4180(raw: bytes, meta: dict[str, Any]) -> list[list[str]]:
    """UTF-8 (with a BOM), CRLF line ends only, one header row of the metadata's column
    names in order, every row as wide; returns the data rows."""
    assert raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8")  # strict: raises on any byte that is not UTF-8
    assert raw.endswith(b"\r\n") and raw.count(b"\n") == raw.count(b"\r\n")
    assert raw.count(b"\r") == raw.count(b"\r\n")
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""), strict=True))
    skip = meta["dialect"].get("skipRows", 0)
    assert [row for row in rows[:skip]] == [[f"# {meta.get('dc:accessRights')}"]] * skip
    rows = rows[skip:]
    names = [c["name"] for c in meta["tableSchema"]["columns"]]
    assert rows[0] == names
    assert all(len(row) == len(names) for row in rows)
    for column, cell in zip(meta["tableSchema"]["columns"], rows[0], strict=True):
        assert cell in column["titles"]  # CSVW matches the header against titles
    return rows[1:]


def check_datatypes(rows: list[list[str]], meta: dict[str, Any]) -> None:
    for row in rows:
        for column, cell in zip(meta["tableSchema"]["columns"], row, strict=True):
            if cell not in column["null"]:
                assert DATATYPES[column["datatype"]].fullmatch(cell), (column["name"], cell)


@pytest.mark.parametrize("kind", list(REPORTS))
@pytest.mark.parametrize("published", [False, True], ids=["internal", "published"])
def test_sample_report_csv_is_rfc4180_and_matches_its_metadata(
    cli: Cli, tmp_path: Path, kind: str, published: bool
) -> None:
    target = tmp_path / f"{kind}.csv"
    extra = ("--publish",) if published else ()
    raw, meta = write_pair(cli, target, *REPORTS[kind], *extra)
    check_csvw_shape(meta, target.name)
    rows = check_rfc4180(raw, meta)
    assert rows
    check_datatypes(rows, meta)
    assert meta["dc:created"] and "inspect-cli" in meta["dc:source"]
    cells = {cell for row in rows for cell in row}
    nulls = {n for c in meta["tableSchema"]["columns"] for n in c["null"]}
    if published:
        assert "c" in nulls and any("'c'" in n["body"] for n in meta["notes"])
        assert kind == "thematic" or "c" in cells  # the sample's force C has hidden cells
    else:
        assert "c" not in nulls and "c" not in cells
        assert meta["dc:accessRights"] == "OFFICIAL-SENSITIVE"


def test_generated_names_are_quoted_and_hidden_figures_written_as_c(
    cli: Cli, tmp_path: Path
) -> None:
    cases = generated_cases(tmp_path)
    target = tmp_path / "my report.csv"
    raw, meta = write_pair(cli, target, "report", "thematic", cases, "--publish")
    check_csvw_shape(meta, target.name)
    assert meta["url"] == "my%20report.csv"
    rows = check_rfc4180(raw, meta)
    check_datatypes(rows, meta)
    assert b'"Gwent, ""South"" Wales"' in raw  # quoted, quotes doubled
    assert {row[0] for row in rows} == {*FORCES[:2], "'" + FORCES[2], "Total"}
    columns = meta["tableSchema"]["columns"]
    concern = next(c for c in columns if c["name"] == "serious_concern")
    # A hidden flag is 'c', not "false": the metadata declares 'c' for that column.
    assert concern["null"] == ["", "c"]
    names = [c["name"] for c in columns]
    at = {name: names.index(name) for name in ("inadequate", "total", "serious_concern")}
    for row in rows[:-1]:  # the forces (the Total row has no flag)
        hidden = "c" in (row[at["inadequate"]], row[at["total"]])
        assert (row[at["serious_concern"]] == "c") == hidden, row
    strings = [c for c in columns if c["datatype"] == "string"]
    assert all(c["null"] == [""] for c in strings)  # a force named "c" stays a name


def test_force_csv_of_generated_cases(cli: Cli, tmp_path: Path) -> None:
    cases = generated_cases(tmp_path)
    target = tmp_path / "force.csv"
    raw, meta = write_pair(cli, target, "report", "force", cases, "--force", FORCES[0])
    rows = check_rfc4180(raw, meta)
    check_datatypes(rows, meta)
    assert rows[0][:2] == ["All cases", FORCES[0]]


def test_an_existing_metadata_file_is_refused_and_nothing_changes(cli: Cli, tmp_path: Path) -> None:
    target = tmp_path / "t.csv"
    metadata_of(target).write_text("{}", encoding="utf-8")
    # Refused before any input is read: the missing input is never reached.
    result = cli("report", "thematic", tmp_path / "no-such-folder", "-o", target)
    assert result.exit_code == 2
    assert f"{metadata_of(target)} already exists" in result.stderr
    result = cli(*REPORTS["force"], "-o", target)
    assert result.exit_code == 2 and "already exists" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["t.csv-metadata.json"]
    assert metadata_of(target).read_text(encoding="utf-8") == "{}"


def test_other_formats_and_score_do_not_claim_the_metadata_name(cli: Cli, tmp_path: Path) -> None:
    for name in ("t.json", "s.csv"):
        metadata_of(tmp_path / name).write_text("{}", encoding="utf-8")
    assert cli(*REPORTS["thematic"], "-o", tmp_path / "t.json").exit_code == 0
    assert cli("score", SAMPLES, "-o", tmp_path / "s.csv").exit_code == 0
    for name in ("t.json", "s.csv"):  # neither is a CSV report: no metadata of its own
        assert metadata_of(tmp_path / name).read_text(encoding="utf-8") == "{}"


@pytest.mark.parametrize("how", ["named input", "symlink to an input"])
def test_metadata_never_replaces_an_input(cli: Cli, tmp_path: Path, how: str) -> None:
    cases = generated_cases(tmp_path)
    before = cases.read_bytes()
    target = tmp_path / "t.csv"
    inputs: list[Path] = [cases]
    if how == "named input":
        inputs.append(metadata_of(target))
        metadata_of(target).write_bytes(before)
    else:
        metadata_of(target).symlink_to(cases)
    result = cli("report", "thematic", *inputs, "-o", target, "--overwrite")
    assert result.exit_code == 2 and "one of the inputs" in result.stderr
    assert cases.read_bytes() == before and not target.exists()


def test_key_file_named_as_the_metadata_is_a_usage_error(cli: Cli, tmp_path: Path) -> None:
    target = tmp_path / "t.csv"
    key = metadata_of(target)
    result = cli(*REPORTS["thematic"], "--anonymise", "--key-file", key, "-o", target)
    assert result.exit_code == 2 and "same file" in result.stderr
    assert list(tmp_path.iterdir()) == []


def _enospc(*args: object) -> None:
    raise OSError(errno.ENOSPC, "No space left on device")


@pytest.mark.parametrize("previous", [False, True], ids=["new", "overwrite"])
def test_a_failure_writing_the_metadata_leaves_no_half_pair(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, previous: bool
) -> None:
    import inspect_cli.render.csvw as csvw

    target = tmp_path / "t.csv"
    if previous:
        target.write_bytes(b"old csv")
        metadata_of(target).write_bytes(b"old metadata")
    monkeypatch.setattr(csvw, "write_metadata", _enospc)
    result = cli(*REPORTS["thematic"], "-o", target, "--overwrite")
    assert result.exit_code == 1 and "No space left on device" in result.stderr
    _assert_as_before(tmp_path, target, previous)


@pytest.mark.parametrize("previous", [False, True], ids=["new", "overwrite"])
def test_a_failing_move_of_the_metadata_puts_the_csv_back(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, previous: bool
) -> None:
    """The CSV is moved into place first, then the metadata; if that second move
    fails, the first is undone."""
    target = tmp_path / "t.csv"
    if previous:
        target.write_bytes(b"old csv")
        metadata_of(target).write_bytes(b"old metadata")
    real = os.replace

    def replace(src: str | Path, dst: str | Path) -> None:
        if str(src).endswith(".tmp") and str(dst).endswith("-metadata.json"):
            raise PermissionError(errno.EACCES, "Permission denied")
        real(src, dst)

    monkeypatch.setattr(os, "replace", replace)  # safe_write moves files with os.replace
    result = cli(*REPORTS["thematic"], "-o", target, "--overwrite")
    assert result.exit_code == 1 and "locked or read-only" in result.stderr
    _assert_as_before(tmp_path, target, previous)


def test_a_bug_in_the_metadata_writer_leaves_nothing(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import inspect_cli.render.csvw as csvw

    def crash(*args: object) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(csvw, "write_metadata", crash)
    target = tmp_path / "t.csv"
    result = cli(*REPORTS["thematic"], "-o", target)
    assert result.exit_code == 70 and "Traceback" not in result.stderr
    assert list(tmp_path.iterdir()) == []


def _assert_as_before(folder: Path, target: Path, previous: bool) -> None:
    """The folder holds exactly what it held: the old pair, or nothing (no temporary
    or set-aside file either)."""
    if previous:
        assert sorted(p.name for p in folder.iterdir()) == ["t.csv", "t.csv-metadata.json"]
        assert target.read_bytes() == b"old csv"
        assert metadata_of(target).read_bytes() == b"old metadata"
    else:
        assert list(folder.iterdir()) == []

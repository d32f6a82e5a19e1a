"""Case examples: the columns, the report's groups and clearance, every format, the
command line, and the goldens on the samples."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from rich.console import Console
from typer.testing import Result

from inspect_cli.frameworks import Framework
from inspect_cli.load import load_cases
from inspect_cli.provenance import provenance_for
from inspect_cli.render.html.examples import render_examples_html
from inspect_cli.render.text.examples import print_examples
from inspect_cli.reports.examples import ExamplesReport, build_examples
from inspect_cli.score import score_cases

from .conftest import SAMPLES
from .helpers.builders import (
    Table,
    add_column,
    add_example_columns,
    case_table,
    letter,
    set_cell,
    write_csv,
)
from .helpers.golden import assert_golden

Cli = Callable[..., Result]
LABELS = ("Example", "Example text", "Example stage", "Example status", "Example cleared by")
GOOD = "Invented: the officer spoke to the child alone and recorded her wishes."
DATED = "Invented: seen on 14 March 2014 and aged 15 on 14 March 2014."


def examples_table(fw: Framework) -> Table:
    """C0001 none; C0002 effective practice, cleared and signed; C0003 concern, cleared
    but dated; C0004 concern, cleared with no one named; C0005 a theme with no text;
    C0006 text with no theme; C0007 draft naming the case's own reference."""
    table = add_example_columns(case_table(fw, 7))
    rows = {
        2: ("none", "not an example", "", "", ""),
        3: ("Good practice", GOOD, "Investigation", "Cleared", "A. Lead"),
        4: ("concern", DATED, "decision_making", "cleared", "A. Lead"),
        5: ("Poor", "Invented: nobody owned the case.", "", "cleared", ""),
        6: ("effective practice", "", "", "", ""),
        7: ("", "Invented: the school was not told.", "", "draft", ""),
        8: ("concern", "Invented: case C0007 drifted.", "Investigation", "", ""),
    }
    for row, values in rows.items():
        for label, value in zip(LABELS, values, strict=True):
            set_cell(table, row, label, value)
    return table


def report_of(path: Path, fw: Framework, **kw: Any) -> ExamplesReport:
    load = load_cases([path], fw)
    assert load.ok, [p.message for p in load.errors]
    result = score_cases(load)
    return build_examples(result, provenance_for(fw, load, {"report": "examples"}), **kw)


@pytest.fixture
def cases(fw: Framework, tmp_path: Path) -> Path:
    return write_csv(tmp_path / "cases.csv", examples_table(fw))


# --------------------------------------------------------------------------- loading


def test_example_columns_load_typed(fw: Framework, cases: Path) -> None:
    frame = load_cases([cases], fw).cases
    assert frame["example"].tolist()[:3] == ["none", "effective practice", "concern"]
    assert frame["example_stage"].tolist()[1:3] == ["investigation", "decision_making"]
    assert frame["example_status"].tolist()[1] == "cleared"


@pytest.mark.parametrize("label", ["Example", "Example status", "Example stage"])
def test_an_unknown_value_is_a_located_error_that_does_not_repeat_it(
    fw: Framework, tmp_path: Path, label: str
) -> None:
    table = add_example_columns(case_table(fw, 2))
    set_cell(table, 3, label, "Jane Doe was seen")
    problems = [p for p in load_cases([write_csv(tmp_path / "x.csv", table)], fw).problems]
    bad = [p for p in problems if p.is_error]
    assert [(p.code, p.row, p.header) for p in bad] == [("invalid-value", 3, label)]
    assert "Jane" not in bad[0].message


def test_template_has_the_example_columns_with_drop_downs(cli: Cli, tmp_path: Path) -> None:
    target = tmp_path / "t.xlsx"
    assert cli("template", "ncpi-2014", "-o", target).exit_code == 0
    book = openpyxl.load_workbook(target)
    ws = book["Cases"]
    headers = {c.value: c.column_letter for c in ws[4] if c.value}
    rules = {str(v.sqref).split(":")[0][:-1]: v for v in ws.data_validations.dataValidation}
    for label in ("Example", "Example stage", "Example status"):
        assert rules[headers[label]].type == "list", label
    assert "Example text" in headers and "Example cleared by" in headers
    lists = {c.value for row in book["Lists"].iter_rows() for c in row if c.value}
    assert {"effective practice", "concern", "none", "draft", "cleared"} <= lists
    assert "Management of those posing a risk" in lists
    guidance = " ".join(str(c.value) for row in book["Guidance"].iter_rows() for c in row)
    assert "example_cleared_by" in guidance and "postcodes" in guidance
    guidance = " ".join(str(c.value) for row in book["Guidance"].iter_rows() for c in row)
    assert "example_cleared_by" in guidance and "postcodes" in guidance


# --------------------------------------------------------------------------- the report


def test_groups_clearance_and_findings(fw: Framework, cases: Path) -> None:
    r = report_of(cases, fw)
    assert len(r.examples) == 6  # none is never an example
    assert [(g.stage, g.theme) for g in r.groups] == [
        ("Investigation", "effective practice"),
        ("Investigation", "concern"),
        ("Decision making", "concern"),
        ("The case as a whole", "effective practice"),
        ("The case as a whole", "concern"),
        ("The case as a whole", "theme not given"),
    ]
    by_ref = {v.case_ref: v for v in r.examples}
    assert by_ref["C0002"].publishable and by_ref["C0002"].cleared_by == "A. Lead"
    assert by_ref["C0003"].status == "cleared" and not by_ref["C0003"].publishable
    assert {f.kind for f in by_ref["C0003"].findings} == {"date", "age_with_date"}
    assert by_ref["C0004"].status == "draft"  # cleared by no one counts as a draft
    assert [f.kind for f in by_ref["C0007"].findings] == ["reference"]
    assert (r.cleared, r.with_findings, r.publishable) == (2, 2, 1)


def test_every_warning_is_located_and_never_repeats_the_text(fw: Framework, cases: Path) -> None:
    table = examples_table(fw)
    r = report_of(cases, fw)
    got = sorted((p.row, p.code, p.header) for p in r.problems)
    assert got == [
        (4, "example-cleared-withheld", "Example status"),
        (4, "example-may-identify", "Example text"),
        (4, "example-may-identify", "Example text"),
        (4, "example-may-identify", "Example text"),
        (5, "example-incomplete", "Example cleared by"),
        (6, "example-incomplete", "Example text"),
        (7, "example-incomplete", "Example"),
        (8, "example-may-identify", "Example text"),
    ]
    for p in r.problems:
        assert p.file == "cases.csv" and p.severity == "warning" and p.column
        assert p.column == letter(table, p.header or "")
        assert "March" not in p.message and "C0007" not in p.message and "Invented" not in p.message


def test_names_and_force_names_are_looked_for(fw: Framework, tmp_path: Path) -> None:
    table = add_example_columns(case_table(fw, 2))
    set_cell(table, 2, "Example", "concern")
    set_cell(table, 2, "Example text", "Invented: moved from Leeds to force x.")
    r = report_of(write_csv(tmp_path / "n.csv", table), fw, names=("leeds",))
    assert [f.kind for f in r.examples[0].findings] == ["name", "name"]


def test_published_keeps_only_fit_examples_and_names_no_case(fw: Framework, cases: Path) -> None:
    r = report_of(cases, fw, publish=True, pseudonyms={"Force X": "Force Q"})
    assert [v.text for v in r.examples] == [GOOD]
    v = r.examples[0]
    assert (v.case_ref, v.auditor, v.cleared_by, v.source, v.force) == (
        None,
        None,
        None,
        None,
        "Force Q",
    )
    assert r.meta.marking is None and r.meta.published
    assert all(name.startswith("file ") for name, _ in r.meta.provenance.inputs)


@pytest.mark.parametrize("status", ["draft", "for review", "returned", ""])
def test_an_example_from_a_case_not_approved_is_never_published(
    fw: Framework, tmp_path: Path, status: str
) -> None:
    """The review rule: once statuses are recorded, a cleared example from a reading
    nobody approved (or with no status) stays internal."""
    table = add_column(examples_table(fw), "Review status", ["approved"] * 7)
    set_cell(table, 3, "Review status", status)  # C0002: the one fit example
    path = write_csv(tmp_path / "cases.csv", table)
    internal = report_of(path, fw)
    assert [v.text for v in internal.examples if v.text == GOOD] == [GOOD]
    assert not any(v.publishable for v in internal.examples)
    assert report_of(path, fw, publish=True).examples == ()
    approved = write_csv(
        tmp_path / "approved.csv", add_column(examples_table(fw), "Review status", ["approved"] * 7)
    )
    assert [v.text for v in report_of(approved, fw, publish=True).examples] == [GOOD]


def test_force_filter(fw: Framework, cases: Path) -> None:
    assert len(report_of(cases, fw, force="force x").examples) == 6
    from inspect_cli.errors import UsageError

    with pytest.raises(UsageError):
        report_of(cases, fw, force="Force Nowhere")


# --------------------------------------------------------------------------- command line


def test_terminal_counts_never_text(cli: Cli, cases: Path) -> None:
    result = cli("examples", cases)
    assert result.exit_code == 0, result.stderr
    assert "6 case examples: 2 effective practice, 3 concern" in result.stdout
    assert "Invented" not in result.stdout and "Invented" not in result.stderr
    assert "Example text" in result.stderr  # the warnings, on stderr only
    data = json.loads(cli("examples", cases, "--format", "json").stdout)
    messages = [p["message"] for p in data["problems"] if p["row"] == 4]
    assert "the example text may identify a child: it holds a date at character 19" in (
        " ".join(messages)
    )


@pytest.mark.parametrize("fmt", ["html", "xlsx", "docx", "json"])
def test_every_format_internal_and_published(
    cli: Cli, cases: Path, tmp_path: Path, fmt: str
) -> None:
    for publish in (False, True):
        target = tmp_path / f"out{int(publish)}.{fmt}"
        result = cli("examples", cases, "-o", target, *(["--publish"] if publish else []))
        assert result.exit_code == 0, result.stderr
        text = _text_of(target)
        assert GOOD in text
        assert ("C0003" in text) is not publish and ("14 March" in text) is not publish
        assert ("OFFICIAL-SENSITIVE" in text) is not publish


def _text_of(path: Path) -> str:
    if path.suffix == ".xlsx":
        book = openpyxl.load_workbook(path)
        return " ".join(str(c.value) for ws in book for row in ws.iter_rows() for c in row)
    if path.suffix == ".docx":
        import docx

        doc = docx.Document(str(path))
        parts = [p.text for p in doc.paragraphs]
        parts += [p.text for s in doc.sections for p in s.header.paragraphs]
        return " ".join(parts)
    return path.read_text(encoding="utf-8")


def test_names_file(cli: Cli, fw: Framework, tmp_path: Path) -> None:
    table = add_example_columns(case_table(fw, 2))
    set_cell(table, 2, "Example", "concern")
    set_cell(table, 2, "Example text", "Invented: she lived in Leeds.")
    path = write_csv(tmp_path / "c.csv", table)
    names = tmp_path / "names.txt"
    names.write_text("# places\nleeds\n", encoding="utf-8")
    data = json.loads(cli("examples", path, "--names", names, "--format", "json").stdout)
    assert data["groups"][0]["examples"][0]["findings"] == [
        {"kind": "name", "start": 23, "end": 28}
    ]
    assert data["provenance"]["options"]["names"] == 1
    missing = cli("examples", path, "--names", tmp_path / "none.txt")
    assert missing.exit_code == 2 and "cannot read the names file" in missing.stderr
    same = cli("examples", path, "--names", names, "-o", tmp_path / "names.json")
    assert same.exit_code == 0
    names_json = tmp_path / "names.json"
    clash = cli("examples", path, "--names", names_json, "-o", names_json, "--overwrite")
    assert clash.exit_code == 2 and "one of the inputs" in clash.stderr


def test_published_and_anonymised_names_no_force(cli: Cli, cases: Path, tmp_path: Path) -> None:
    target, key = tmp_path / "p.json", tmp_path / "key.csv"
    result = cli("examples", cases, "--publish", "--anonymise", "--key-file", key, "-o", target)
    assert result.exit_code == 0, result.stderr
    text = target.read_text(encoding="utf-8")
    assert "Force X" not in text and "cases.csv" not in text and "C0002" not in text
    data = json.loads(text)
    assert data["published"] and data["anonymised"] and data["marking"] is None
    assert data["problems"] == [] and data["counts"]["examples"] == 1
    assert "Force X" in key.read_text(encoding="utf-8-sig")
    again = cli("examples", cases, "--key-file", key)
    assert again.exit_code == 2 and "--key-file goes with --anonymise" in again.stderr


def test_anonymised_internal_keeps_drafts_but_names_no_case(cli: Cli, cases: Path) -> None:
    data = json.loads(cli("examples", cases, "--anonymise", "--format", "json").stdout)
    examples = [x for g in data["groups"] for x in g["examples"]]
    assert len(examples) == 6 and {x["status"] for x in examples} == {"draft", "cleared"}
    assert any(x["findings"] for x in examples) and data["problems"] == []
    assert all(x["case_ref"] is None and x["source"] is None for x in examples)
    assert "Force X" not in json.dumps(data) and "cases.csv" not in json.dumps(data)


def test_format_needs_output(cli: Cli, cases: Path) -> None:
    result = cli("examples", cases, "--format", "docx")
    assert result.exit_code == 2 and "needs -o FILE" in result.stderr


def test_payloads_stay_inert(cli: Cli, fw: Framework, tmp_path: Path) -> None:
    from .helpers.payloads import FORMULA, HTML, MARKUP

    texts = [*FORMULA, *HTML, *MARKUP]
    table = add_example_columns(case_table(fw, len(texts)))
    for i, text in enumerate(texts, start=2):
        set_cell(table, i, "Example", "concern")
        set_cell(table, i, "Example text", text)
        set_cell(table, i, "Auditor", text)
    path = write_csv(tmp_path / "p.csv", table)
    assert cli("examples", path, "-o", tmp_path / "p.xlsx").exit_code == 0
    ws = openpyxl.load_workbook(tmp_path / "p.xlsx")["Examples"]
    cells = [c for row in ws.iter_rows(min_row=5) for c in row[5:8:2] if c.value]
    assert len(cells) == 2 * len(texts) and all(c.data_type == "s" for c in cells)
    assert {"=1+1", '=HYPERLINK("http://x/?"&A1,"y")'} <= {c.value for c in cells}
    assert cli("examples", path, "-o", tmp_path / "p.html").exit_code == 0
    page = (tmp_path / "p.html").read_text(encoding="utf-8")
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert cli("examples", path, "-o", tmp_path / "p.docx").exit_code == 0
    assert all(t.strip() in _text_of(tmp_path / "p.docx") for t in MARKUP)


# --------------------------------------------------------------------------- samples and goldens


def _sample(fw: Framework, **kw: Any) -> ExamplesReport:
    from dataclasses import replace

    r = report_of(SAMPLES, fw, **kw)
    prov = replace(
        r.meta.provenance,
        created="2026-01-01T00:00:00+00:00",
        tool_version="0.0.test",
        # Other helpers' sample columns change the files' hashes, not the examples.
        inputs=tuple((name, "-") for name, _ in r.meta.provenance.inputs),
    )
    return replace(r, meta=replace(r.meta, provenance=prov))


def test_the_samples_have_cleared_draft_and_flagged_examples(fw: Framework) -> None:
    r = report_of(SAMPLES, fw)
    assert 0 < r.publishable < r.cleared < len(r.examples)
    assert r.count("effective practice") and r.count("concern")
    withheld = [p for p in r.problems if p.code == "example-cleared-withheld"]
    assert [p.file for p in withheld] == ["force_c.xlsx"]  # the one dated example


def test_terminal_examples_golden(fw: Framework) -> None:
    console = Console(width=120, record=True, color_system=None, file=io.StringIO())
    print_examples(console, _sample(fw))
    assert_golden("examples.txt", console.export_text())


def test_html_examples_golden(fw: Framework) -> None:
    assert_golden("examples.html", render_examples_html(_sample(fw)))


def test_html_published_examples_golden(fw: Framework) -> None:
    assert_golden("examples_published.html", render_examples_html(_sample(fw, publish=True)))


def test_json_examples_golden(fw: Framework) -> None:
    from inspect_cli.render.examples_json import examples_json

    assert_golden("examples.json", examples_json(_sample(fw)))


def test_xlsx_examples_golden(fw: Framework, tmp_path: Path) -> None:
    from inspect_cli.render.xlsx.examples import write_examples_xlsx

    from .helpers.xlsx_dump import dump

    target = tmp_path / "examples.xlsx"
    write_examples_xlsx(_sample(fw), target)
    assert_golden("examples.xlsx.txt", dump(target))


def test_docx_examples_golden(fw: Framework, tmp_path: Path) -> None:
    import docx

    from inspect_cli.render.docx_examples import write_examples_docx

    target = tmp_path / "examples.docx"
    write_examples_docx(_sample(fw, publish=True), target)
    doc = docx.Document(str(target))
    lines = [f"{p.style.name if p.style else ''} | {p.text}" for p in doc.paragraphs]
    assert_golden("examples_published.docx.txt", "\n".join(lines) + "\n")

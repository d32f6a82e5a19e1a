"""Published Excel workbooks meet the Analysis Function checklist "Releasing statistics
in spreadsheets": cover, contents and notes sheets; one Excel table with one header
row per table sheet; bracketed shorthand explained in the notes; numbers stay numbers;
document title; cursor in A1; no page headers or footers; text never a formula.

Reports come from generated case files: forces large, middling and of four cases
(suppressed), and one with only self-assessments (not recorded: ``[x]``).
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.utils import range_boundaries

from inspect_cli.frameworks import Framework
from inspect_cli.load import load_cases
from inspect_cli.provenance import provenance_for
from inspect_cli.read import OUTPUT_MARKER
from inspect_cli.render.xlsx.force import write_force_xlsx
from inspect_cli.render.xlsx.thematic import write_thematic_xlsx
from inspect_cli.reports.common import GradeRow
from inspect_cli.reports.force import ForceReport, force_report
from inspect_cli.reports.publish import publish_force, publish_thematic
from inspect_cli.reports.thematic import ThematicReport, thematic_report
from inspect_cli.score import score_cases
from tests.helpers.builders import case_table, set_cell, write_xlsx
from tests.helpers.golden import assert_golden
from tests.helpers.payloads import FORMULA
from tests.helpers.xlsx_dump import (
    SHORTHAND,
    all_cells,
    dump,
    is_number,
    notes_of,
    numeric_columns,
    only_table,
    shorthand_used,
    table_body,
    table_row,
    table_sheets,
    worksheet_xml,
)

FRONT = ["Cover", "Contents", "Notes"]
FORMULA_STARTS = ("=", "+", "-", "@")
THRESHOLD = 5
FORCES = {"Force Big": 45, "Force Mid": 14, "Force Small": 4, "Force Self": 5}
GRADE_FIELDS = [
    "good", "good_pct", "adequate", "adequate_pct", "inadequate", "inadequate_pct",
    "total", "inadequate_ci", "inadequate_ci",
]  # fmt: skip


# --------------------------------------------------------------------------- reports


@pytest.fixture(scope="module")
def case_folder(fw: Framework, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Generated cases: every third good, adequate, inadequate; Force Self self-assessed;
    four of Force Big's in a small area of practice."""
    labels = [r.indicator.label for r in fw.indicators]
    table = case_table(fw, sum(FORCES.values()))
    forces = [name for name, n in FORCES.items() for _ in range(n)]
    for i, force in enumerate(forces):
        row = i + 2
        set_cell(table, row, "Force", force)
        if force == "Force Self":
            set_cell(table, row, "Audit type", "self-assessment")
        if i < 4:  # a small area of practice: its counts are suppressed
            set_cell(table, row, "Area of practice", "Missing children")
        for label in labels:
            set_cell(table, row, label, ("Yes", "Partly", "No")[i % 3])
    folder = tmp_path_factory.mktemp("published_cases")
    write_xlsx(folder / "cases.xlsx", table)
    return folder


@pytest.fixture(scope="module")
def scored(fw: Framework, case_folder: Path) -> Any:
    return score_cases(load_cases([case_folder], fw))


@pytest.fixture(scope="module")
def provenance(fw: Framework, scored: Any) -> Any:
    prov = provenance_for(fw, scored.load, {"publish": True})
    return replace(prov, created="2026-01-01T00:00:00+00:00", tool_version="0.0.test")


@pytest.fixture(scope="module")
def pub_thematic(scored: Any, provenance: Any) -> ThematicReport:
    return publish_thematic(thematic_report(scored, provenance), THRESHOLD)


@pytest.fixture(scope="module")
def pub_force(scored: Any, provenance: Any) -> ForceReport:
    return publish_force(force_report(scored, provenance, "Force Big"), THRESHOLD)


def _write(report: ThematicReport | ForceReport, target: Path) -> Path:
    if isinstance(report, ThematicReport):
        write_thematic_xlsx(report, target)
    else:
        write_force_xlsx(report, target)
    return target


@pytest.fixture(scope="module")
def books(
    pub_thematic: ThematicReport, pub_force: ForceReport, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("published_books")
    return {
        "thematic": _write(pub_thematic, folder / "t.xlsx"),
        "force": _write(pub_force, folder / "f.xlsx"),
    }


@pytest.fixture(params=["thematic", "force"])
def book(request: pytest.FixtureRequest, books: dict[str, Path]) -> Path:
    return books[request.param]


# --------------------------------------------------------------------------- the checklist


def test_cover_contents_notes_come_first_and_provenance_last(book: Path, fw: Framework) -> None:
    wb = openpyxl.load_workbook(book)
    assert wb.sheetnames[:3] == FRONT
    assert wb.sheetnames[-1] == "Provenance"
    assert wb["Provenance"]["A1"].value == OUTPUT_MARKER
    assert "Chart" not in wb.sheetnames and "Cases" not in wb.sheetnames
    loaded = load_cases([book], fw)  # the loader still knows it as this tool's output
    assert "inspect-cli-output" in [p.code for p in loaded.problems] and loaded.cases.empty


def test_contents_links_reach_every_table_sheet(book: Path) -> None:
    wb = openpyxl.load_workbook(book)
    _, body = table_body(wb["Contents"])
    listed = {}
    for name_cell, description in body:
        assert name_cell.hyperlink is not None, name_cell.coordinate
        target = name_cell.hyperlink.location
        sheet = re.fullmatch(r"'(.+)'!A1", target)
        assert sheet, target
        listed[name_cell.value] = sheet.group(1)
        assert description.value
    assert listed == {name: name for name in wb.sheetnames if name not in ("Cover", "Contents")}


def test_each_table_sheet_has_one_table_with_one_header_row(book: Path) -> None:
    wb = openpyxl.load_workbook(book)
    names = []
    for ws in wb.worksheets[1:]:
        table = only_table(ws)
        names.append(table.displayName)
        assert table.headerRowCount in (None, 1), ws.title  # None: the default, one
        assert table.tableStyleInfo is not None and table.tableStyleInfo.name, ws.title
        min_col, min_row, max_col, max_row = range_boundaries(table.ref)
        header = [ws.cell(min_row, c).value for c in range(min_col, max_col + 1)]
        assert header == [col.name for col in table.tableColumns], ws.title
        assert all(isinstance(h, str) and h for h in header), ws.title
        # the table covers the data: nothing to its right or below, no blank row in it
        assert (ws.max_row, ws.max_column) == (max_row, max_col), ws.title
        for row in ws.iter_rows(min_row=min_row + 1, max_row=max_row, max_col=max_col):
            assert any(c.value is not None for c in row), f"{ws.title} row {row[0].row}"
            assert all(c.value is not None for c in row), f"{ws.title} row {row[0].row}"
        # above it only the title and a caption, in column A
        for row in ws.iter_rows(max_row=min_row - 1):
            assert all(c.value is None for c in row[1:]), ws.title
    assert len(set(names)) == len(names)


def test_table_titles_are_numbered(book: Path) -> None:
    wb = openpyxl.load_workbook(book)
    tables = [ws for ws in table_sheets(wb) if ws.title != "Provenance"]
    assert tables
    for number, ws in enumerate(tables, start=1):
        assert str(ws["A1"].value).startswith(f"Table {number}: "), ws.title
        assert ws["A1"].font.b, ws.title


def test_no_merged_cells(book: Path) -> None:
    wb = openpyxl.load_workbook(book)
    for ws in wb.worksheets:
        assert not ws.merged_cells.ranges, ws.title
    for name, xml in worksheet_xml(book).items():
        assert "<mergeCell" not in xml, name


def test_no_page_headers_or_footers(book: Path) -> None:
    wb = openpyxl.load_workbook(book)
    for ws in wb.worksheets:
        for part in (ws.oddHeader, ws.oddFooter, ws.evenHeader, ws.evenFooter):
            for side in (part.left, part.center, part.right):
                assert not side.text, ws.title
    for name, xml in worksheet_xml(book).items():
        assert "<oddHeader" not in xml and "<oddFooter" not in xml, name


def test_document_properties(book: Path) -> None:
    wb = openpyxl.load_workbook(book)
    assert wb.properties.title == wb["Cover"]["A1"].value
    assert wb.properties.creator == "inspect-cli"


def test_cursor_in_a1_of_the_first_sheet(book: Path) -> None:
    wb = openpyxl.load_workbook(book)
    assert wb.active.title == "Cover"
    for ws in wb.worksheets:
        view = ws.views.sheetView[0]
        assert view.selection[0].activeCell == "A1", ws.title
        assert view.selection[0].sqref == "A1", ws.title
        assert view.pane is None, ws.title  # no frozen panes moving the cursor
    for name, xml in worksheet_xml(book).items():
        assert "<selection" not in xml or 'activeCell="A1"' in xml, name


def test_column_widths_are_set(book: Path) -> None:
    wb = openpyxl.load_workbook(book)
    for ws in wb.worksheets:
        for col in range(1, ws.max_column + 1):
            letter = openpyxl.utils.get_column_letter(col)
            assert ws.column_dimensions[letter].customWidth, f"{ws.title} {letter}"


def test_numeric_columns_hold_only_numbers_or_shorthand(book: Path) -> None:
    wb = openpyxl.load_workbook(book)
    checked = 0
    for ws in table_sheets(wb):
        for label, cells in numeric_columns(ws):
            for cell in cells:
                checked += 1
                if is_number(cell.value):
                    assert cell.data_type == "n", cell.coordinate
                else:
                    assert cell.value in SHORTHAND, f"{ws.title}!{cell.coordinate}={cell.value!r}"
                    assert cell.data_type == "s"
            if "%" in label:  # percentages are numbers shown as percentages
                for cell in cells:
                    if is_number(cell.value):
                        assert "%" in cell.number_format and 0 <= cell.value <= 1
    assert checked > 100


def test_no_numbers_as_text_or_bare_symbols(book: Path) -> None:
    wb = openpyxl.load_workbook(book)
    for ws in table_sheets(wb):
        for _, cells in numeric_columns(ws):
            for cell in cells:
                text = str(cell.value)
                assert not re.fullmatch(r"-?[\d,.]+%?", text) or is_number(cell.value)
    texts = {str(c.value) for c in all_cells(wb)}
    assert not texts & {"c", "x", "z", "Not recorded", "not recorded"}


def test_every_shorthand_used_is_explained(book: Path) -> None:
    wb = openpyxl.load_workbook(book)
    used = shorthand_used(wb)
    assert "[c]" in used
    notes = list(notes_of(wb).values())
    cover = [str(c.value) for c in wb["Cover"]["A"] if c.value]
    for symbol in used:
        assert any(n.startswith(f"{symbol} ") for n in notes), symbol
        assert any(line.startswith(f"{symbol} ") for line in cover), symbol


def test_note_markers_point_at_notes(book: Path) -> None:
    wb = openpyxl.load_workbook(book)
    notes = notes_of(wb)
    assert list(notes) == [f"[note {n}]" for n in range(1, len(notes) + 1)]
    marked = set()
    for ws in table_sheets(wb):
        marked |= set(re.findall(r"\[note \d+\]", str(ws["A1"].value)))
    assert marked and marked <= set(notes)
    rule = next(text for text in notes.values() if "shown as [c]" in text)
    assert f"1 to {THRESHOLD - 1}" in rule  # the suppression rule, in the workbook's words


def test_text_never_starts_like_a_formula(book: Path) -> None:
    wb = openpyxl.load_workbook(book)
    for cell in all_cells(wb):
        if isinstance(cell.value, str):
            assert not cell.value.startswith(FORMULA_STARTS), cell.coordinate
    for name, xml in worksheet_xml(book).items():
        assert "<f>" not in xml and "<f " not in xml, name


def test_cover_says_what_source_date_and_suppression(
    pub_thematic: ThematicReport, books: dict[str, Path]
) -> None:
    wb = openpyxl.load_workbook(books["thematic"])
    lines = [str(c.value) for c in wb["Cover"]["A"] if c.value]
    assert lines[0] == pub_thematic.meta.title
    meta = pub_thematic.meta
    assert any(meta.framework_title in line and meta.framework_version in line for line in lines)
    assert "2026-01-01" in lines
    assert any("shown as [c]" in line and f"1 to {THRESHOLD - 1}" in line for line in lines)
    assert meta.marking is None and not any("OFFICIAL" in line for line in lines)


# --------------------------------------------------------------------------- figures


def test_thematic_figures_hidden_not_recorded_and_shown(
    pub_thematic: ThematicReport, books: dict[str, Path]
) -> None:
    ws = openpyxl.load_workbook(books["thematic"])["Conclusions"]
    header, _ = table_body(ws)
    assert header[0] == "Force" and len(header) == 11
    hidden = 0
    for row in (*pub_thematic.forces, pub_thematic.total):
        cells = table_row(ws, row.label)
        if not row.recorded:
            assert [c.value for c in cells[1:]] == ["[x]"] * 10, row.label
            continue
        for cell, name in zip(cells[1:10], GRADE_FIELDS, strict=True):
            if name in row.suppressed:
                assert cell.value == "[c]", (row.label, name)
                hidden += 1
            else:
                _assert_shown(cell, row, name)
    assert hidden >= 3
    self_row = next(r for r in pub_thematic.forces if r.label == "Force Self")
    assert not self_row.recorded
    small = next(r for r in pub_thematic.forces if r.label == "Force Small")
    assert small.suppressed  # four cases: small counts hidden


def _assert_shown(cell: Any, row: GradeRow, name: str) -> None:
    value = getattr(row, name)
    if name == "inadequate_ci":
        assert value is None or cell.value in (
            pytest.approx(value.low / 100, abs=1e-3),
            pytest.approx(value.high / 100, abs=1e-3),
        )
    elif name.endswith("_pct"):
        assert cell.value == (pytest.approx(value / 100) if value is not None else "[z]")
    else:
        assert cell.value == value and cell.data_type == "n", (row.label, name)


def test_force_figures_follow_the_model(pub_force: ForceReport, books: dict[str, Path]) -> None:
    wb = openpyxl.load_workbook(books["force"])
    _, body = table_body(wb["Breakdowns"])
    rows = [row for b in pub_force.breakdowns for row in b.rows]
    assert len(body) == len(rows)
    for cells, row in zip(body, rows, strict=True):
        assert cells[1].value == row.label
        for cell, name in zip(cells[2:11], GRADE_FIELDS, strict=True):
            if name in row.suppressed:
                assert cell.value == "[c]", (row.label, name)
            elif row.recorded:
                _assert_shown(cell, row, name)
    summary = wb["Summary"]
    for share in pub_force.distribution:
        cell = table_row(summary, share.grade.capitalize())[1]
        assert cell.value == ("[c]" if "count" in share.suppressed else share.count)


def test_not_recorded_rows_are_x_in_a_force_breakdown(
    pub_force: ForceReport, tmp_path: Path
) -> None:
    empty = GradeRow("Nobody", False, None, None, None, None, None, None, None, None)
    first = pub_force.breakdowns[0]
    report = replace(
        pub_force, breakdowns=(replace(first, rows=(*first.rows, empty)), *pub_force.breakdowns[1:])
    )
    wb = openpyxl.load_workbook(_write(report, tmp_path / "f.xlsx"))
    _, body = table_body(wb["Breakdowns"])
    nobody = next(r for r in body if r[1].value == "Nobody")
    assert [c.value for c in nobody[2:]] == ["[x]"] * 9
    assert any(n.startswith("[x] ") for n in notes_of(wb).values())


def test_a_case_list_in_the_model_is_never_written(
    pub_force: ForceReport, force_c: ForceReport, tmp_path: Path
) -> None:
    leaky = replace(pub_force, cases=force_c.cases)
    wb = openpyxl.load_workbook(_write(leaky, tmp_path / "f.xlsx"))
    assert "Cases" not in wb.sheetnames
    texts = {str(c.value) for c in all_cells(wb)}
    assert not texts & {c.case_ref for c in force_c.cases}


def test_an_empty_table_is_left_out_with_a_note(pub_force: ForceReport, tmp_path: Path) -> None:
    no_delays = replace(pub_force, delays=())
    wb = openpyxl.load_workbook(_write(no_delays, tmp_path / "f.xlsx"))
    assert "Delay" not in wb.sheetnames
    assert any(n.startswith("Delay: no dates were recorded") for n in notes_of(wb).values())


# --------------------------------------------------------------------------- hostile text


def test_formula_text_stays_quoted_text(pub_thematic: ThematicReport, tmp_path: Path) -> None:
    n = len(FORMULA)
    forces = tuple(replace(r, label=FORMULA[i % n]) for i, r in enumerate(pub_thematic.forces))
    meta = replace(pub_thematic.meta, title=FORMULA[0], marking=FORMULA[4], notes=(FORMULA[3],))
    evil = replace(pub_thematic, forces=forces, meta=meta, footnotes=(FORMULA[1],))
    path = _write(evil, tmp_path / "t.xlsx")
    for name, xml in worksheet_xml(path).items():
        assert "<f>" not in xml and "<f " not in xml, name
    wb = openpyxl.load_workbook(path)
    risky = [
        c for c in all_cells(wb) if isinstance(c.value, str) and c.value.startswith(FORMULA_STARTS)
    ]
    assert len(risky) >= 6
    for cell in risky:
        assert cell.data_type == "s" and cell.quotePrefix, cell.coordinate
    labels = [r[0].value for r in table_body(wb["Conclusions"])[1]]
    assert labels[: len(forces)] == [f.label for f in forces]
    assert wb.properties.title == FORMULA[0]


# --------------------------------------------------------------------------- marking


def test_marking_is_on_the_cover_only(pub_force: ForceReport, tmp_path: Path) -> None:
    marked = replace(pub_force, meta=replace(pub_force.meta, marking="OFFICIAL"))
    path = _write(marked, tmp_path / "f.xlsx")
    wb = openpyxl.load_workbook(path)
    assert wb["Cover"]["A1"].value == "OFFICIAL"
    elsewhere = [c for c in all_cells(wb) if c.value == "OFFICIAL"]
    assert [c.parent.title for c in elsewhere] == ["Cover"]
    for name, xml in worksheet_xml(path).items():
        assert "OFFICIAL" not in xml and "<headerFooter" not in xml, name


# --------------------------------------------------------------------------- command line


@pytest.mark.parametrize("kind", ["thematic", "force"])
def test_cli_publish_writes_a_checklist_workbook(
    cli: Callable[..., Any], case_folder: Path, tmp_path: Path, kind: str
) -> None:
    target = tmp_path / f"{kind}.xlsx"
    force = ["--force", "Force Big"] if kind == "force" else []
    result = cli(
        "report", kind, case_folder, *force, "--publish", "--suppress-below", "11",
        "--marking", "OFFICIAL", "--format", "xlsx", "-o", target,
    )  # fmt: skip
    assert result.exit_code == 0, result.stdout + result.stderr
    wb = openpyxl.load_workbook(target)
    assert wb.sheetnames[:3] == FRONT and wb.properties.title
    assert wb["Cover"]["A1"].value == "OFFICIAL"
    for ws in wb.worksheets[1:]:
        only_table(ws)
    assert "[c]" in shorthand_used(wb)
    rule = next(text for text in notes_of(wb).values() if "shown as [c]" in text)
    assert "1 to 10" in rule
    for name, xml in worksheet_xml(target).items():
        assert "<headerFooter" not in xml and "OFFICIAL" not in xml, name


def test_cli_publish_on_the_sample_cases(cli: Callable[..., Any], tmp_path: Path) -> None:
    samples = Path(__file__).resolve().parents[1] / "sample_cases"
    target = tmp_path / "sample.xlsx"
    result = cli(
        "report", "thematic", samples, "--publish", "--suppress-below", "11",
        "--format", "xlsx", "-o", target,
    )  # fmt: skip
    assert result.exit_code == 0, result.stdout + result.stderr
    wb = openpyxl.load_workbook(target)
    assert shorthand_used(wb) >= {"[c]", "[x]"}  # Force A has no inspectors' audits
    with zipfile.ZipFile(target) as zf:
        assert not [n for n in zf.namelist() if n.startswith("xl/charts/")]


# --------------------------------------------------------------------------- goldens


def test_golden_published_xlsx(
    thematic: ThematicReport, force_c: ForceReport, tmp_path: Path
) -> None:
    """The sample cases' published workbooks, cell by cell (tests/goldens)."""
    t = _write(publish_thematic(thematic, THRESHOLD), tmp_path / "t.xlsx")
    f = _write(publish_force(force_c, THRESHOLD), tmp_path / "f.xlsx")
    assert_golden("thematic_published.xlsx.txt", dump(t))
    assert_golden("force_c_published.xlsx.txt", dump(f))


def test_table_headers_are_one_line_unique_and_never_empty() -> None:
    from inspect_cli.render.xlsx.published import unique_labels

    labels = unique_labels(["Yes", "yes", "", "Two\nlines", "x" * 300, "YES"])
    assert labels[:4] == ["Yes", "yes (2)", "Column 3", "Two lines"]
    assert len(labels[4]) <= 255 and labels[5] == "YES (3)"
    assert len({label.casefold() for label in labels}) == len(labels)

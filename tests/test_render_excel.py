"""The Excel report renderer: real numbers, safe text, layout, chart, Provenance sheet, goldens."""

from __future__ import annotations

import re
import zipfile
from dataclasses import replace
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from inspect_cli.frameworks import Framework
from inspect_cli.read import OUTPUT_MARKER
from inspect_cli.render.xlsx.force import write_force_xlsx
from inspect_cli.render.xlsx.thematic import write_thematic_xlsx
from inspect_cli.reports.force import ForceReport
from inspect_cli.reports.thematic import ThematicReport
from tests.helpers.golden import assert_golden
from tests.helpers.xlsx_dump import (
    PAYLOADS,
    dump,
    exact,
    header_row,
    row_by_label,
    worksheet_xml,
)

THEMATIC_SHEETS = [
    "Conclusions",
    "Key findings",
    "Stages",
    "Indicators",
    "Judgement and rule",
    "Force topics",
    "Chart",
    "Provenance",
]
FORCE_SHEETS = [
    "Summary",
    "Stages",
    "Breakdowns",
    "Indicators",
    "Delay",
    "Detention",
    "Completeness",
    "Cases",
    "Judgement and rule",
    "Differences",
    "Force topics",
    "Auditor drift",
    "Chart",
    "Provenance",
]
TABLE_SHEETS = {"Chart", "Provenance"}  # the sheets that are NOT one table each


def _thematic(report: ThematicReport, folder: Path, name: str = "thematic.xlsx") -> Path:
    target = folder / name
    write_thematic_xlsx(report, target)
    return target


def _force(report: ForceReport, folder: Path, name: str = "force.xlsx") -> Path:
    target = folder / name
    write_force_xlsx(report, target)
    return target


def _rows(ws: Any) -> list[list[Any]]:
    return [list(r) for r in ws.iter_rows()]


# --------------------------------------------------------------------------- thematic


def test_thematic_sheets_and_names(thematic: ThematicReport, tmp_path: Path) -> None:
    wb = openpyxl.load_workbook(_thematic(thematic, tmp_path))
    assert wb.sheetnames == THEMATIC_SHEETS
    for name in wb.sheetnames:
        assert len(name) <= 31 and not set(name) & set("[]:*?/\\")


def test_conclusions_reproduce_the_report(thematic: ThematicReport, tmp_path: Path) -> None:
    ws = openpyxl.load_workbook(_thematic(thematic, tmp_path))["Conclusions"]
    assert ws["A1"].value == thematic.meta.title
    head = header_row(ws, "Force")
    headers = [c.value for c in ws[head]]
    assert headers == [
        "Force",
        "Good n",
        "Good %",
        "Adequate n",
        "Adequate %",
        "Inadequate n",
        "Inadequate %",
        "Total cases",
        "Inadequate 95% CI low %",
        "Inadequate 95% CI high %",
        "Serious concern",
    ]
    groups = [c.value for c in ws[head - 1]]
    for grade in ("good", "adequate", "inadequate"):
        assert thematic.headers[grade] in groups

    c = row_by_label(ws, "Force C")
    assert [x.value for x in c] == [
        "Force C",
        24,
        exact(24 / 115),
        34,
        exact(34 / 115),
        57,
        exact(57 / 115),
        115,
        0.406,
        0.586,
        "yes",
    ]  # fmt: skip: shares stored exactly, not pre-rounded
    for cell in c[1:10]:
        assert cell.data_type == "n", cell.coordinate
    for cell in (c[2], c[4], c[6]):
        assert cell.number_format == "0%"
    assert c[8].number_format == "0.0%" and c[9].number_format == "0.0%"
    assert c[1].number_format != "@"

    a = row_by_label(ws, "Force A")  # no recorded assessments: '[x]', never text or 0
    assert [x.value for x in a[1:]] == ["[x]"] * 10
    texts = [str(r[0].value) for r in ws.iter_rows() if r[0].value]
    assert any(t.startswith("[x] not available") for t in texts)

    total = row_by_label(ws, "Total")
    assert total[7].value == 576 and total[7].data_type == "n"
    assert [total[1].value, total[3].value, total[5].value] == [177, 179, 220]
    assert total[1].font.b

    # every share is count / total exactly, and shows as the report's rounded figure
    for row in thematic.forces:
        if row.recorded:
            cells = row_by_label(ws, row.label)
            assert cells[2].value == exact(row.good / row.total)  # type: ignore[operator]
            assert cells[6].value == exact(row.inadequate / row.total)  # type: ignore[operator]
            assert round(cells[6].value * 100) == row.inadequate_pct

    texts = [str(r[0].value) for r in ws.iter_rows() if r[0].value]
    for note in thematic.footnotes:
        assert note in texts


def test_layout_frozen_header_and_filters(thematic: ThematicReport, tmp_path: Path) -> None:
    wb = openpyxl.load_workbook(_thematic(thematic, tmp_path))
    ws = wb["Conclusions"]
    head = header_row(ws, "Force")
    assert ws.freeze_panes == f"B{head + 1}"
    last_force = row_by_label(ws, "Force H")[0].row
    assert ws.auto_filter.ref == f"A{head}:K{last_force}"  # the Total row stays put
    assert ws.column_dimensions["A"].width >= 10
    for name in wb.sheetnames:
        if name in TABLE_SHEETS:
            continue
        sheet = wb[name]
        assert sheet.freeze_panes, name
        assert sheet.auto_filter.ref, name
        first_row = int(re.sub(r"\D", "", sheet.auto_filter.ref.split(":")[0]))
        assert first_row >= 3, name  # a title row and a caption above the header
        assert int(re.sub(r"\D", "", sheet.freeze_panes)) == first_row + 1, name


def test_key_findings_stages_indicators(thematic: ThematicReport, tmp_path: Path) -> None:
    wb = openpyxl.load_workbook(_thematic(thematic, tmp_path))
    kf = wb["Key findings"]
    chi = thematic.chi_square
    assert chi is not None
    assert row_by_label(kf, "Chi-square statistic")[1].value == pytest.approx(chi.statistic)
    assert row_by_label(kf, "Degrees of freedom")[1].value == chi.dof
    assert row_by_label(kf, "p-value")[1].value == pytest.approx(chi.p_value)
    assert row_by_label(kf, "Test reliable")[1].value == ("yes" if chi.reliable else "no")
    serious = row_by_label(kf, "Forces of serious concern")
    assert serious[1].value == ", ".join(thematic.findings.serious_concern)
    assert row_by_label(kf, "Inadequate: share of all cases")[1].value == exact(220 / 576)

    st = wb["Stages"]
    head = header_row(st, "Force")
    labels = [c.value for c in st[head - 1]]
    assert [lab for lab in labels if lab] == [label for _, label in thematic.stages]
    c = row_by_label(st, "Force C")
    first = thematic.stage_rows[1]
    assert first.label == "Force C"
    cell = first.cells[0]
    assert [c[1].value, c[2].value] == [exact(cell.inadequate / cell.applicable), 102]  # type: ignore[operator]
    assert row_by_label(st, "Total")[2].value == thematic.stage_total.cells[0].applicable

    ind = wb["Indicators"]
    head = header_row(ind, "Rank")
    body = [[c.value for c in r] for r in ind.iter_rows(min_row=head + 1) if r[0].value]
    assert len(body) == len(thematic.worst_indicators)
    top = thematic.worst_indicators[0]
    assert body[0][:3] == [1, top.id, top.label] and body[0][6] == top.worst


def test_thematic_chart(thematic: ThematicReport, tmp_path: Path) -> None:
    path = _thematic(thematic, tmp_path)
    with zipfile.ZipFile(path) as zf:
        assert "xl/charts/chart1.xml" in zf.namelist()
        chart = zf.read("xl/charts/chart1.xml").decode()
    assert 'c:barDir val="bar"' in chart and 'grouping val="percentStacked"' in chart
    assert "Conclusions!$A$5:$A$12" in chart  # categories: the force rows
    for col in ("C", "E", "G"):  # good %, adequate %, inadequate %
        assert f"Conclusions!${col}$5:${col}$12" in chart


def test_about_sheet_marks_tool_output(
    thematic: ThematicReport, force_c: ForceReport, fw: Framework, tmp_path: Path
) -> None:
    from inspect_cli.load import load_cases

    t = _thematic(thematic, tmp_path)
    f = _force(force_c, tmp_path)
    for path in (t, f):
        about = openpyxl.load_workbook(path)["Provenance"]
        assert about["A1"].value == OUTPUT_MARKER
        values = {r[0]: r[1] for r in about.iter_rows(values_only=True) if r[0]}
        assert values["Tool"] == "inspect-cli 0.0.test"
        assert values["Created"] == "2026-01-01T00:00:00+00:00"
        assert values["Audit type"].startswith(thematic.meta.audit_type)
    result = load_cases([tmp_path], fw)
    skipped = {p.file for p in result.problems if p.code == "inspect-cli-output"}
    assert skipped == {t.name, f.name}
    assert result.cases.empty


def test_thematic_with_no_recorded_forces(thematic: ThematicReport, tmp_path: Path) -> None:
    empty = replace(
        thematic,
        forces=thematic.forces[:1],
        chi_square=None,
        stage_rows=(),
        worst_indicators=(),
    )
    wb = openpyxl.load_workbook(_thematic(empty, tmp_path))
    assert row_by_label(wb["Key findings"], "Chi-square test of variation between forces")
    none = replace(thematic, forces=(), chi_square=None, stage_rows=())
    wb = openpyxl.load_workbook(_thematic(none, tmp_path, "none.xlsx"))
    assert "Chart" not in wb.sheetnames and wb.sheetnames[-1] == "Provenance"


# --------------------------------------------------------------------------- force


def test_force_sheets_and_summary(force_c: ForceReport, tmp_path: Path) -> None:
    wb = openpyxl.load_workbook(_force(force_c, tmp_path))
    assert wb.sheetnames == FORCE_SHEETS
    ws = wb["Summary"]
    for share in force_c.distribution:
        row = row_by_label(ws, share.grade.capitalize())
        assert row[1].value == share.count and row[1].data_type == "n"
        assert row[2].value == exact(share.count / force_c.overall.total)  # type: ignore[operator]
        assert row[2].number_format == "0%"
        assert share.ci is not None and row[3].value == pytest.approx(share.ci.low / 100)
    assert row_by_label(ws, "Total")[1].value == force_c.overall.total == 115


def test_force_tables(force_c: ForceReport, tmp_path: Path) -> None:
    wb = openpyxl.load_workbook(_force(force_c, tmp_path))
    br = wb["Breakdowns"]
    head = header_row(br, "Breakdown")
    body = [[c.value for c in r] for r in br.iter_rows(min_row=head + 1) if r[0].value]
    assert len(body) == sum(len(b.rows) for b in force_c.breakdowns)
    assert {r[0] for r in body} == {b.title for b in force_c.breakdowns}
    first = force_c.breakdowns[0].rows[0]
    assert body[0][1:4] == [first.label, first.good, exact(first.good / first.total)]  # type: ignore[operator]

    st = wb["Stages"]
    detention = row_by_label(st, "Police detention")
    assert [c.value for c in detention][1:5] == [15, 2, 2, 11]

    delay = row_by_label(wb["Delay"], "Reported → suspect interviewed")
    assert [c.value for c in delay] == ["Reported → suspect interviewed", 50, 8.5, 110, 0]

    det = wb["Detention"]
    head = header_row(det, "Indicator")
    assert [c.value for c in det[head]][2:] == ["Yes", "Partly", "No", "Not applicable"]
    assert [c.value for c in row_by_label(det, "Welfare needs met")][1:] == [15, 1, 4, 9, 1]

    comp = row_by_label(wb["Completeness"], "Ethnicity")
    assert [c.value for c in comp] == [
        "Ethnicity",
        74,
        115,
        exact(74 / 115),
    ]  # blank or "Not stated"

    ind = wb["Indicators"]
    head = header_row(ind, "Rank")
    assert [c.value for c in ind[head]][4] == "Theme"
    assert row_by_label(ind, 1)[4].value == force_c.failing_indicators[0].theme


def test_force_case_list_is_complete(force_c: ForceReport, tmp_path: Path) -> None:
    wb = openpyxl.load_workbook(_force(force_c, tmp_path))
    ws = wb["Cases"]
    head = header_row(ws, "Case ref")
    body = [[c.value for c in r] for r in ws.iter_rows(min_row=head + 1) if r[0].value]
    assert len(body) == len(force_c.cases) == 115
    assert body[0] == [
        force_c.cases[0].case_ref,
        force_c.cases[0].audit_type,
        force_c.cases[0].area,
        force_c.cases[0].grade,
        force_c.cases[0].reason,
    ]
    assert ws.auto_filter.ref == f"A{head}:E{head + 115}"

    none = openpyxl.load_workbook(_force(replace(force_c, cases=()), tmp_path, "none.xlsx"))
    assert "Cases" not in none.sheetnames


def test_force_chart(force_c: ForceReport, tmp_path: Path) -> None:
    with zipfile.ZipFile(_force(force_c, tmp_path)) as zf:
        assert "xl/charts/chart1.xml" in zf.namelist()
        chart = zf.read("xl/charts/chart1.xml").decode()
    assert "Summary!$B$4:$B$6" in chart and "Summary!$A$4:$A$6" in chart


def test_force_without_dates_or_detention(force_c: ForceReport, tmp_path: Path) -> None:
    bare = replace(force_c, delays=(), detention=(), failing_indicators=())
    wb = openpyxl.load_workbook(_force(bare, tmp_path))
    texts = [str(c.value) for r in wb["Delay"].iter_rows() for c in r if c.value]
    assert "No dates were recorded for these cases." in texts


# --------------------------------------------------------------------------- injection


def test_formula_payloads_stay_text(
    thematic: ThematicReport, force_c: ForceReport, tmp_path: Path
) -> None:
    n = len(PAYLOADS)
    forces = tuple(replace(row, label=PAYLOADS[i % n]) for i, row in enumerate(thematic.forces))
    stage_rows = tuple(
        replace(row, label=PAYLOADS[i % n]) for i, row in enumerate(thematic.stage_rows)
    )
    worst = tuple(
        replace(ind, label=PAYLOADS[i % n], theme=PAYLOADS[(i + 1) % n])
        for i, ind in enumerate(thematic.worst_indicators)
    )
    evil_thematic = replace(
        thematic,
        forces=forces,
        stage_rows=stage_rows,
        worst_indicators=worst,
        headers={g: PAYLOADS[0] for g in thematic.headers},
        footnotes=(PAYLOADS[1],),
        meta=replace(thematic.meta, title=PAYLOADS[0], notes=(PAYLOADS[3],)),
    )
    cases = tuple(
        replace(c, reason=PAYLOADS[i % n], case_ref=PAYLOADS[(i + 2) % n])
        for i, c in enumerate(force_c.cases)
    )
    breakdowns = tuple(
        replace(b, title=PAYLOADS[3], rows=tuple(replace(r, label=PAYLOADS[0]) for r in b.rows))
        for b in force_c.breakdowns
    )
    failing = tuple(
        replace(ind, label=PAYLOADS[i % n]) for i, ind in enumerate(force_c.failing_indicators)
    )
    evil_force = replace(
        force_c,
        force=PAYLOADS[0],
        cases=cases,
        breakdowns=breakdowns,
        failing_indicators=failing,
        meta=replace(force_c.meta, title=PAYLOADS[2]),
    )
    paths = [_thematic(evil_thematic, tmp_path), _force(evil_force, tmp_path)]

    for path in paths:
        for name, xml in worksheet_xml(path).items():
            assert "<f>" not in xml and "<f " not in xml, name
            assert "hyperlink" not in xml.lower(), name
        with zipfile.ZipFile(path) as zf:
            charts = [zf.read(n).decode() for n in zf.namelist() if n.startswith("xl/charts/")]
        for chart in charts:  # chart titles are fixed text, never built from the data
            assert "HYPERLINK" not in chart.split("<c:plotArea>")[0]

    wb = openpyxl.load_workbook(paths[0])
    ws = wb["Conclusions"]
    assert ws["A1"].value == PAYLOADS[0] and ws["A1"].quotePrefix
    head = header_row(ws, "Force")
    labels = [ws.cell(head + 1 + i, 1) for i in range(len(forces))]
    assert [c.value for c in labels] == [f.label for f in forces]
    for cell in labels:
        assert cell.data_type == "s"
        assert bool(cell.quotePrefix) == cell.value.startswith(("=", "+", "-", "@", "\t"))
    ind = wb["Indicators"]
    head = header_row(ind, "Rank")
    assert [ind.cell(head + 1 + i, 3).value for i in range(len(worst))] == [w.label for w in worst]

    fb = openpyxl.load_workbook(paths[1])
    cs = fb["Cases"]
    head = header_row(cs, "Case ref")
    got = [(r[0].value, r[4].value) for r in cs.iter_rows(min_row=head + 1) if r[0].value]
    assert got == [(c.case_ref, c.reason) for c in cases]
    neg = next(r for r in cs.iter_rows(min_row=head + 1) if r[4].value == "-5")
    assert neg[4].data_type == "s"  # text that looks like a number stays text
    assert fb["Indicators"].cell(1, 1).value == f"Indicators most often failed: {PAYLOADS[0]}"
    assert fb["Provenance"]["A1"].value == OUTPUT_MARKER


# --------------------------------------------------------------------------- goldens


def test_golden_thematic_xlsx(thematic: ThematicReport, tmp_path: Path) -> None:
    assert_golden("thematic.xlsx.txt", dump(_thematic(thematic, tmp_path)))


def test_golden_force_c_xlsx(force_c: ForceReport, tmp_path: Path) -> None:
    assert_golden("force_c.xlsx.txt", dump(_force(force_c, tmp_path)))


# Published workbooks have their own layout: tests/test_published_xlsx.py.


# --------------------------------------------------------------------------- marking


MARKING = "OFFICIAL-SENSITIVE"


def test_marking_heads_every_sheet(
    thematic: ThematicReport, force_c: ForceReport, tmp_path: Path
) -> None:
    paths = [
        _thematic(replace(thematic, meta=replace(thematic.meta, marking=MARKING)), tmp_path),
        _force(replace(force_c, meta=replace(force_c.meta, marking=MARKING)), tmp_path),
    ]
    for path in paths:
        wb = openpyxl.load_workbook(path)
        for ws in wb.worksheets:
            assert ws.oddHeader.center.text == MARKING, ws.title
            assert ws.oddFooter.center.text == MARKING, ws.title
            if ws.title == "Provenance":
                assert ws["A1"].value == OUTPUT_MARKER  # the loader still knows it
                assert ws["B1"].value == MARKING and ws["B1"].font.b
            else:
                assert ws["A1"].value == MARKING and ws["A1"].font.b, ws.title
                assert ws["A2"].value, ws.title  # the title, one row down
    wb = openpyxl.load_workbook(paths[0])
    assert wb["Conclusions"]["A2"].value == thematic.meta.title
    with zipfile.ZipFile(paths[0]) as zf:
        chart = zf.read("xl/charts/chart1.xml").decode()
    assert "Conclusions!$A$6:$A$13" in chart  # the chart follows the table down a row


def test_no_marking_no_header(thematic: ThematicReport, tmp_path: Path) -> None:
    assert thematic.meta.marking is None
    wb = openpyxl.load_workbook(_thematic(thematic, tmp_path))
    for ws in wb.worksheets:
        assert not ws.oddHeader.center.text and not ws.oddFooter.center.text
    assert wb["Conclusions"]["A1"].value == thematic.meta.title
    assert wb["Provenance"]["B1"].value is None


def test_marking_is_text_in_cells_and_headers(thematic: ThematicReport, tmp_path: Path) -> None:
    evil = '=HYPERLINK("http://x") & &P'
    path = _thematic(replace(thematic, meta=replace(thematic.meta, marking=evil)), tmp_path)
    header = '&amp;C&amp;"-,Bold"=HYPERLINK("http://x") &amp;&amp; &amp;&amp;P'
    for name, xml in worksheet_xml(path).items():
        assert "<f>" not in xml, name
        # '&' doubled: Excel shows it, never reads '&P' as the page number code
        assert f"<oddHeader>{header}</oddHeader>" in xml, name
    ws = openpyxl.load_workbook(path)["Conclusions"]
    assert ws["A1"].value == evil and ws["A1"].quotePrefix

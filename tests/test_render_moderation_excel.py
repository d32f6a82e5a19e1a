"""The moderation workbook: real numbers, safe text, layout, chart, Provenance sheet, golden."""

from __future__ import annotations

import re
import zipfile
from dataclasses import replace
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from inspect_cli.frameworks import Framework
from inspect_cli.provenance import Provenance
from inspect_cli.read import OUTPUT_MARKER
from inspect_cli.render.html.jinja_env import CASE_LIST_LIMIT
from inspect_cli.render.xlsx.moderation import write_moderation_xlsx
from inspect_cli.reports.moderation import ModerationReport, moderation_report
from tests.helpers.golden import assert_golden
from tests.helpers.xlsx_dump import (
    PAYLOADS,
    dump,
    exact,
    header_row,
    page_setup,
    row_by_label,
    worksheet_xml,
)

SHEETS = [
    "Agreement",
    "Confusion",
    "Stages",
    "Indicators",
    "Depth",
    "Disagreements",
    "Unmatched",
    "Recorded vs computed",
    "Auditor drift",
    "Chart",
    "Provenance",
]
NOT_ONE_TABLE = {"Confusion", "Chart", "Provenance"}
GRADES = ("good", "adequate", "inadequate")


@pytest.fixture(scope="module")
def provenance(fixed_provenance: Provenance) -> Provenance:
    return replace(fixed_provenance, options={"report": "moderate", "force": "all"})


@pytest.fixture(scope="module")
def moderation(sample_scored: Any, provenance: Provenance) -> ModerationReport:
    return moderation_report(sample_scored, provenance, grade_source="computed")


def _write(report: ModerationReport, folder: Path, name: str = "moderation.xlsx") -> Path:
    target = folder / name
    write_moderation_xlsx(report, target)
    return target


def _body(ws: Any, first: str) -> list[list[Any]]:
    """The rows under the header whose column A is ``first``, up to the first blank row."""
    out: list[list[Any]] = []
    for row in ws.iter_rows(min_row=header_row(ws, first) + 1, values_only=True):
        if row[0] is None:
            break
        out.append(list(row))
    return out


def _confusion_blocks(ws: Any) -> dict[str, list[list[Any]]]:
    """Block title → its 3×3 counts."""
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    blocks: dict[str, list[list[Any]]] = {}
    for i, row in enumerate(rows):
        if row[0] == "Force's grade":
            assert [str(v) for v in row[1:4]] == [f"Inspectors: {g}" for g in GRADES]
            assert [r[0] for r in rows[i + 1 : i + 4]] == list(GRADES)
            blocks[str(rows[i - 1][0])] = [r[1:4] for r in rows[i + 1 : i + 4]]
    return blocks


# --------------------------------------------------------------------------- content


def test_sheets_and_names(moderation: ModerationReport, tmp_path: Path) -> None:
    wb = openpyxl.load_workbook(_write(moderation, tmp_path))
    assert wb.sheetnames == SHEETS
    for name in wb.sheetnames:
        assert len(name) <= 31 and not set(name) & set("[]:*?/\\")


def test_agreement_reproduces_the_report(moderation: ModerationReport, tmp_path: Path) -> None:
    ws = openpyxl.load_workbook(_write(moderation, tmp_path))["Agreement"]
    assert ws["A1"].value == moderation.meta.title
    head = header_row(ws, "Force")
    assert [c.value for c in ws[head]] == [
        "Force",
        "Matched cases",
        "Exact agreement n",
        "Exact agreement %",
        "Weighted kappa",
        "Kappa 95% CI low",
        "Kappa 95% CI high",
        "Kappa in words",
        "Krippendorff's alpha (ordinal)",
        "Alpha in words",
        "Force higher",
        "Force lower",
        "Same",
        "Sign test p (one-sided)",
        "Gwet's AC2",
        "AC2 standard error",
        "AC2 95% CI low",
        "AC2 95% CI high",
        "AC2 in words",
        "Leads with",
        "Why",
    ]
    body = _body(ws, "Force")
    assert [r[0] for r in body] == [a.label for a in moderation.forces] + ["All forces"]

    c = row_by_label(ws, "Force C")
    a = next(f for f in moderation.forces if f.label == "Force C")
    assert a.kappa_ci is not None and a.exact_agreement_pct is not None
    assert [x.value for x in c] == [
        "Force C", a.matched, a.exact, exact(a.exact / a.matched), a.weighted_kappa,
        a.kappa_ci[0], a.kappa_ci[1], a.kappa_words, a.alpha_ordinal, a.alpha_words,
        a.self_higher, a.self_lower, a.same, a.sign_test_p, a.ac2.value, a.ac2.se,
        a.ac2.ci[0] if a.ac2.ci else None, a.ac2.ci[1] if a.ac2.ci else None, a.ac2.words,
        "Gwet's AC2" if a.lead.coefficient == "ac2" else "Weighted kappa", a.lead.reason,
    ]  # fmt: skip
    for cell in c[1:7] + c[8:9] + c[10:18]:
        assert cell.data_type == "n", cell.coordinate
    assert c[3].number_format == "0%"
    assert {x.number_format for x in (c[4], c[5], c[6], c[8])} == {"0.00"}

    every = row_by_label(ws, "All forces")
    o = moderation.overall
    assert [every[1].value, every[2].value, every[10].value, every[11].value] == [
        o.matched,
        o.exact,
        o.self_higher,
        o.self_lower,
    ]
    assert every[13].value == pytest.approx(o.sign_test_p)
    assert every[1].font.b
    assert every[1].value == sum(r[1] for r in body[:-1])  # the forces add up

    for a in moderation.forces:  # no disagreement: no sign test, a blank cell (not 0)
        if a.sign_test_p is None:
            assert row_by_label(ws, a.label)[13].value is None
    for a in moderation.forces:
        row = row_by_label(ws, a.label)
        assert round(row[3].value * 100) == a.exact_agreement_pct  # stored exactly, shown rounded
        assert row[7].value == a.kappa_words and row[9].value == a.alpha_words
        assert row[13].value == pytest.approx(a.sign_test_p)

    # Made explicit: a force that agreed on every case has no sign test, a blank cell (not 0).
    first = moderation.forces[0]
    agreed = replace(
        first,
        exact=first.matched,
        exact_agreement_pct=100,
        self_higher=0,
        self_lower=0,
        same=first.matched,
        sign_test_p=None,
        disagreements=(),
    )
    made = replace(moderation, forces=(agreed, *moderation.forces[1:]))
    row = row_by_label(
        openpyxl.load_workbook(_write(made, tmp_path, "agreed.xlsx"))["Agreement"], agreed.label
    )
    assert [row[10].value, row[11].value, row[12].value] == [0, 0, agreed.matched]
    assert row[13].value is None


def test_confusion_blocks_add_up(moderation: ModerationReport, tmp_path: Path) -> None:
    wb = openpyxl.load_workbook(_write(moderation, tmp_path))
    blocks = _confusion_blocks(wb["Confusion"])
    expected = [*moderation.forces, moderation.overall]
    assert list(blocks) == [f"{a.label}: {a.matched:,} matched cases" for a in expected]
    for a, counts in zip(expected, blocks.values(), strict=True):
        assert counts == [list(row) for row in a.confusion]
        assert all(isinstance(n, int) for row in counts for n in row)
    overall = blocks[f"All forces: {moderation.overall.matched:,} matched cases"]
    matched = row_by_label(wb["Agreement"], "All forces")[1].value
    assert matched == sum(n for row in overall for n in row) == moderation.overall.matched
    exact = row_by_label(wb["Agreement"], "All forces")[2].value
    assert exact == sum(overall[i][i] for i in range(3))
    higher = row_by_label(wb["Agreement"], "All forces")[10].value
    assert higher == overall[0][1] + overall[0][2] + overall[1][2]  # above the diagonal


def test_stages_indicators_depth(moderation: ModerationReport, tmp_path: Path) -> None:
    wb = openpyxl.load_workbook(_write(moderation, tmp_path))
    st = _body(wb["Stages"], "Force")
    assert len(st) == sum(len(a.stages) for a in (*moderation.forces, moderation.overall))
    first = moderation.overall.stages[0]
    row = next(r for r in st if r[0] == "All forces" and r[1] == first.label)
    assert row[2:] == [first.compared, first.agree, exact(first.agree / first.compared)]

    ind = _body(wb["Indicators"], "Force")
    c = [r for r in ind if r[0] == "Force C"]
    force_c = next(a for a in moderation.forces if a.label == "Force C")
    assert [r[1] for r in c] == [i.id for i in force_c.indicators]
    pcts = [round(r[5] * 100) for r in c if r[5] is not None]
    assert pcts == sorted(pcts)  # lowest agreement first (by the report's rounded figure)
    top = force_c.indicators[0]
    assert c[0][1:5] == [top.id, top.label, top.compared, top.agree]

    depth = wb["Depth"]
    for a in (*moderation.forces, moderation.overall):
        d = a.depth
        assert d is not None and d.blank_pct is not None and d.comments_missing_pct is not None
        row = row_by_label(depth, a.label)
        assert [x.value for x in row] == [
            a.label, d.cases, d.indicator_cells, d.blank_cells,
            exact(d.blank_cells / d.indicator_cells), d.comments_expected, d.comments_missing,
            exact(d.comments_missing / d.comments_expected),
            d.same_answer_cases,
        ]  # fmt: skip
        assert row[4].number_format == "0%" and row[4].data_type == "n"
        assert row[7].number_format == "0%" and row[7].data_type == "n"
    assert moderation.overall.depth is not None
    assert row_by_label(depth, "All forces")[1].value == moderation.overall.depth.cases


def test_disagreements_unmatched_recorded(moderation: ModerationReport, tmp_path: Path) -> None:
    wb = openpyxl.load_workbook(_write(moderation, tmp_path))
    dis = _body(wb["Disagreements"], "Force")
    expected = [
        [a.label, d.case_ref, d.area, d.self_grade, d.inspector_grade, d.self_reason,
         d.inspector_reason]
        for a in moderation.forces
        for d in a.disagreements
    ]  # fmt: skip
    every = moderation.overall.disagreements
    assert dis == expected and len(dis) == len(every) > 0
    assert sorted(r[1] for r in dis) == sorted(d.case_ref for d in every)  # the same cases

    un = _body(wb["Unmatched"], "Force")
    assert un == [[u.force, u.case_ref, u.audit_type] for u in moderation.unmatched]
    assert len(un) == len(moderation.unmatched) > 0
    # Made explicit: every case is listed, with no cap like the HTML page's.
    many = tuple(
        replace(moderation.unmatched[i % len(moderation.unmatched)], case_ref=f"X-{i}")
        for i in range(CASE_LIST_LIMIT + 50)
    )
    long = openpyxl.load_workbook(
        _write(replace(moderation, unmatched=many), tmp_path, "many.xlsx")
    )
    assert _body(long["Unmatched"], "Force") == [[u.force, u.case_ref, u.audit_type] for u in many]

    rec = wb["Recorded vs computed"]
    assert moderation.recorded_vs_computed
    for c in moderation.recorded_vs_computed:
        assert c.agree_pct is not None
        row = row_by_label(rec, c.audit_type)
        assert [x.value for x in row] == [
            c.audit_type,
            c.cases,
            c.agree,
            exact(c.agree / c.cases),
            c.weighted_kappa,
        ]
        assert row[1].data_type == "n"


def test_layout_frozen_header_and_filters(moderation: ModerationReport, tmp_path: Path) -> None:
    wb = openpyxl.load_workbook(_write(moderation, tmp_path))
    ws = wb["Agreement"]
    head = header_row(ws, "Force")
    assert ws.freeze_panes == f"B{head + 1}"
    last_force = row_by_label(ws, moderation.forces[-1].label)[0].row
    assert ws.auto_filter.ref == f"A{head}:U{last_force}"  # the All forces row stays put
    for name in wb.sheetnames:
        if name in NOT_ONE_TABLE:
            continue
        sheet = wb[name]
        assert sheet.freeze_panes, name
        assert sheet.auto_filter.ref, name
        first_row = int(re.sub(r"\D", "", sheet.auto_filter.ref.split(":")[0]))
        assert first_row >= 3, name  # a title row and a caption above the header
        assert int(re.sub(r"\D", "", sheet.freeze_panes)) == first_row + 1, name


def test_chart(moderation: ModerationReport, tmp_path: Path) -> None:
    with zipfile.ZipFile(_write(moderation, tmp_path)) as zf:
        assert "xl/charts/chart1.xml" in zf.namelist()
        chart = zf.read("xl/charts/chart1.xml").decode()
    assert 'c:barDir val="bar"' in chart and 'grouping val="clustered"' in chart
    last = 3 + len(moderation.forces)  # force rows only, not All forces
    assert f"Agreement!$A$4:$A${last}" in chart
    for col in ("K", "L", "M"):  # force higher, force lower, same
        assert f"Agreement!${col}$4:${col}${last}" in chart


def test_about_sheet_marks_tool_output(
    moderation: ModerationReport, fw: Framework, tmp_path: Path
) -> None:
    from inspect_cli.load import load_cases

    path = _write(moderation, tmp_path)
    about = openpyxl.load_workbook(path)["Provenance"]
    assert about["A1"].value == OUTPUT_MARKER
    values = {r[0]: r[1] for r in about.iter_rows(values_only=True) if r[0]}
    assert values["Report"] == moderation.meta.title
    assert values["Grade source"].startswith("computed")
    assert values["Tool"] == "inspect-cli 0.0.test"
    assert values["Created"] == "2026-01-01T00:00:00+00:00"
    assert values["Option report"] == "moderate"
    result = load_cases([tmp_path], fw)
    assert {p.file for p in result.problems if p.code == "inspect-cli-output"} == {path.name}
    assert result.cases.empty


def test_one_force_has_no_all_forces_row(
    sample_scored: Any, provenance: Provenance, tmp_path: Path
) -> None:
    report = moderation_report(sample_scored, provenance, force="force c", grade_source="recorded")
    wb = openpyxl.load_workbook(_write(report, tmp_path))
    assert [r[0] for r in _body(wb["Agreement"], "Force")] == ["Force C"]
    assert list(_confusion_blocks(wb["Confusion"])) == [
        f"Force C: {report.forces[0].matched:,} matched cases"
    ]
    assert {r[0] for r in _body(wb["Stages"], "Force")} == {"Force C"}
    about = {r[0]: r[1] for r in wb["Provenance"].iter_rows(values_only=True) if r[0]}
    assert about["Grade source"].startswith("recorded")


def test_empty_tables_say_so(moderation: ModerationReport, tmp_path: Path) -> None:
    quiet = replace(
        moderation,
        forces=tuple(replace(a, disagreements=()) for a in moderation.forces),
        unmatched=(),
        recorded_vs_computed=(),
    )
    wb = openpyxl.load_workbook(_write(quiet, tmp_path))
    for sheet, note in [
        ("Disagreements", "The force and the inspectors gave every matched case the same grade."),
        ("Unmatched", "Every case was matched."),
        ("Recorded vs computed", "No auditor recorded an overall grade."),
    ]:
        texts = [c.value for r in wb[sheet].iter_rows() for c in r if c.value]
        assert note in texts, sheet


# --------------------------------------------------------------------------- injection


def test_formula_payloads_stay_text(moderation: ModerationReport, tmp_path: Path) -> None:
    n = len(PAYLOADS)
    forces = tuple(
        replace(
            a,
            label=PAYLOADS[k % n],
            disagreements=tuple(
                replace(
                    d,
                    case_ref=PAYLOADS[i % n],
                    area=PAYLOADS[(i + 1) % n],
                    self_reason=PAYLOADS[(i + 2) % n],
                    inspector_reason=PAYLOADS[(i + 3) % n],
                )
                for i, d in enumerate(a.disagreements)
            ),
        )
        for k, a in enumerate(moderation.forces)
    )
    unmatched = tuple(
        replace(u, force=PAYLOADS[i % n], case_ref=PAYLOADS[(i + 1) % n])
        for i, u in enumerate(moderation.unmatched)
    )
    evil = replace(
        moderation,
        forces=forces,
        unmatched=unmatched,
        meta=replace(moderation.meta, title=PAYLOADS[0], notes=(PAYLOADS[1],)),
    )
    path = _write(evil, tmp_path)
    for name, xml in worksheet_xml(path).items():
        assert "<f>" not in xml and "<f " not in xml, name
        assert "hyperlink" not in xml.lower(), name
    with zipfile.ZipFile(path) as zf:
        chart = zf.read("xl/charts/chart1.xml").decode()
    assert "HYPERLINK" not in chart.split("<c:plotArea>")[0]  # the chart title is fixed text

    wb = openpyxl.load_workbook(path)
    ws = wb["Agreement"]
    assert ws["A1"].value == PAYLOADS[0] and ws["A1"].quotePrefix
    labels = [r[0] for r in _body(ws, "Force")]
    assert labels == [a.label for a in forces] + ["All forces"]
    dis = wb["Disagreements"]
    got = [r[1:] for r in _body(dis, "Force")]
    assert got == [
        [d.case_ref, d.area, d.self_grade, d.inspector_grade, d.self_reason, d.inspector_reason]
        for a in forces
        for d in a.disagreements
    ]
    for row in dis.iter_rows(min_row=header_row(dis, "Force") + 1):
        if row[0].value is None:
            break
        for cell in row:
            assert cell.data_type == "s"
            assert bool(cell.quotePrefix) == cell.value.startswith(("=", "+", "-", "@", "\t"))
    un = _body(wb["Unmatched"], "Force")
    assert un == [[u.force, u.case_ref, u.audit_type] for u in unmatched]
    assert "-5" in {r[1] for r in un}  # text that looks like a number stays text
    assert wb["Provenance"]["A1"].value == OUTPUT_MARKER


# --------------------------------------------------------------------------- golden


def test_golden_moderation_xlsx(moderation: ModerationReport, tmp_path: Path) -> None:
    assert_golden("moderation.xlsx.txt", dump(_write(moderation, tmp_path)))


def test_marking_heads_every_sheet(moderation: ModerationReport, tmp_path: Path) -> None:
    plain = openpyxl.load_workbook(_write(moderation, tmp_path))
    assert plain["Agreement"]["A1"].value == moderation.meta.title
    assert not plain["Agreement"].oddHeader.center.text
    marked = replace(moderation, meta=replace(moderation.meta, marking="OFFICIAL-SENSITIVE"))
    path = _write(marked, tmp_path, "marked.xlsx")
    wb = openpyxl.load_workbook(path)
    for ws in wb.worksheets:
        assert ws.oddHeader.center.text == "OFFICIAL-SENSITIVE", ws.title
        top = ws["B1"] if ws.title == "Provenance" else ws["A1"]
        assert top.value == "OFFICIAL-SENSITIVE" and top.font.b, ws.title
    assert wb["Provenance"]["A1"].value == OUTPUT_MARKER
    assert wb["Agreement"]["A2"].value == moderation.meta.title
    blocks = _confusion_blocks(wb["Confusion"])
    assert blocks == _confusion_blocks(plain["Confusion"])  # the same blocks, a row lower
    with zipfile.ZipFile(path) as zf:
        chart = zf.read("xl/charts/chart1.xml").decode()
    first = header_row(wb["Agreement"], "Force") + 1
    assert f"Agreement!$A${first}:" in chart


def test_every_sheet_prints_landscape_one_page_wide(
    moderation: ModerationReport, tmp_path: Path
) -> None:
    wb = openpyxl.load_workbook(_write(moderation, tmp_path))
    for ws in wb.worksheets:
        orientation, fit, wide, tall, titles = page_setup(ws)
        assert (orientation, fit, wide, tall == 1) == ("landscape", True, 1, ws.title == "Chart")
        if ws.title not in ("Chart", "Provenance", "Confusion"):  # Confusion: a table a force
            assert titles is not None and int(titles.split(":")[1]) > 1, ws.title  # header row

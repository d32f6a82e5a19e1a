"""The trend report as an HTML page and as a workbook: goldens, real figures, escaping,
self-containment, numbers that stay numbers, the Provenance marker."""

from __future__ import annotations

import html as html_lib
import re
import zipfile
from dataclasses import replace
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from inspect_cli.cli import app
from inspect_cli.frameworks import Framework
from inspect_cli.provenance import Provenance, provenance_for
from inspect_cli.read import OUTPUT_MARKER
from inspect_cli.render.html.jinja_env import BAR_W, LABEL_W
from inspect_cli.render.html.trend import (
    ROUND_FILLS,
    indicator_change,
    points_text,
    render_trend_html,
    round_fills,
    trend_chart,
)
from inspect_cli.render.wording import change_text
from inspect_cli.render.xlsx.trend import write_trend_xlsx
from inspect_cli.reports.common import GradeRow
from inspect_cli.reports.trend import ForceTrend, Round, TrendReport, trend_report
from inspect_cli.resources import data_dir
from tests.conftest import SAMPLES
from tests.helpers.golden import assert_golden
from tests.helpers.html_checks import CSP, ESCAPED, PAYLOAD, assert_escaped, parse
from tests.helpers.xlsx_dump import (
    PAYLOADS,
    dump,
    exact,
    header_row,
    page_setup,
    row_by_label,
    worksheet_xml,
)

ROUND_2 = SAMPLES.parent / "sample_cases_2016"
SHEETS = ["Grades by round", "Change", "Stages", "Indicators", "Chart", "Provenance"]
TABLE_SHEETS = ["Grades by round", "Change", "Stages", "Indicators"]
PAGE_IDS = {"grades", "change", "chart", "stages", "indicators", "trend-chart-title"}


@pytest.fixture(scope="module")
def round_2016(fw: Framework) -> Any:
    from inspect_cli.load import load_cases
    from inspect_cli.score import score_cases

    return score_cases(load_cases([ROUND_2], fw))


@pytest.fixture(scope="module")
def rounds(sample_scored: Any, round_2016: Any) -> list[Round]:
    return [Round("2014", sample_scored), Round("2016", round_2016)]


@pytest.fixture(scope="module")
def trend_provenance(rounds: list[Round]) -> Provenance:
    """Every round's inputs, as ``make_trend`` records them, at a fixed time."""
    prov = provenance_for(
        rounds[0].result.framework,
        None,
        {"report": "trend", "rounds": ["2014", "2016"], "force": "all"},
        rounds=[(r.label, r.result.load) for r in rounds],
    )
    return replace(prov, created="2026-01-01T00:00:00+00:00", tool_version="0.0.test")


@pytest.fixture(scope="module")
def trend(rounds: list[Round], trend_provenance: Provenance) -> TrendReport:
    return trend_report(rounds, trend_provenance, grade_source="computed")


@pytest.fixture(scope="module")
def force_c_trend(rounds: list[Round], trend_provenance: Provenance) -> TrendReport:
    return trend_report(rounds, trend_provenance, force="force c", grade_source="computed")


@pytest.fixture(scope="module")
def page(trend: TrendReport) -> str:
    return render_trend_html(trend)


def _section(page: str, anchor: str) -> str:
    start = page.index(f'<section id="{anchor}">')
    return page[start : page.index("</section>", start)]


def _table(page: str, caption_start: str) -> str:
    start = page.index(f"<caption>{caption_start}")
    return page[start : page.index("</table>", start)]


def _not_recorded(row: GradeRow) -> GradeRow:
    return replace(
        row,
        recorded=False,
        good=None,
        adequate=None,
        inadequate=None,
        total=None,
        good_pct=None,
        adequate_pct=None,
        inadequate_pct=None,
        inadequate_ci=None,
    )


def _with_force(report: TrendReport, i: int, force: ForceTrend) -> TrendReport:
    forces = list(report.forces)
    forces[i] = force
    return replace(report, forces=tuple(forces))


# --------------------------------------------------------------------------- HTML: golden


def test_trend_html_golden(page: str) -> None:
    assert_golden("trend.html", page)


# --------------------------------------------------------------------------- HTML: safety


def test_page_loads_nothing_and_runs_nothing(page: str) -> None:
    lowered = page.lower()
    assert "http://" not in lowered
    assert "https://" not in lowered
    assert "<script" not in lowered
    assert "<link" not in lowered
    assert "<img" not in lowered
    assert "url(" not in lowered
    assert "@import" not in lowered
    hrefs = re.findall(r'href="([^"]*)"', page)
    assert hrefs and all(h.startswith("#") for h in hrefs)  # in-page contents links only


def test_page_head(page: str, trend: TrendReport) -> None:
    assert page.startswith("<!DOCTYPE html>\n")
    assert CSP in page
    assert page.count("Content-Security-Policy") == 1
    assert '<meta charset="utf-8">' in page
    assert '<html lang="en-GB">' in page
    assert "@media print" in page
    assert f"<title>{trend.meta.title}</title>" in page
    assert f"<h1>{trend.meta.title}</h1>" in page
    assert "<h1>Trend across inspection rounds: 2014 → 2016</h1>" in page


def test_accessible_tables(page: str) -> None:
    parsed = parse(page)
    assert parsed.tables == 4  # grades, stages, improved, worsened
    assert parsed.captions_first == parsed.tables
    assert parsed.th_scopes
    assert set(parsed.th_scopes) <= {"col", "row", "rowgroup"}
    assert '<svg viewBox="0 0 830.0 ' in page
    assert 'role="img" aria-labelledby="trend-chart-title">' in page
    assert '<title id="trend-chart-title">Share of cases graded inadequate' in page


def test_no_inline_styles_and_fixed_ids(page: str) -> None:
    assert not re.findall(r'style="[^"]*"', page)
    head = page[: page.index("</style>")]
    assert head.count("<style>") == 1
    assert 'table.grades th[scope="rowgroup"]' in head  # the extra_style block
    assert set(re.findall(r'\bid="([^"]*)"', page)) == PAGE_IDS


def test_renderer_source_never_bypasses_escaping() -> None:
    import inspect_cli.render.html.trend as module

    source = Path(module.__file__).read_text(encoding="utf-8")
    assert "Markup" not in source
    assert "autoescape=" not in source  # it uses the html module's environment
    assert "Environment(" not in source
    template = (data_dir("templates") / "trend.html.j2").read_text(encoding="utf-8")
    code = re.sub(r"\{#.*?#\}", "", template, flags=re.DOTALL)
    assert not re.search(r"\|\s*safe\b|Markup|autoescape\s+false", code, re.IGNORECASE)
    assert '{% extends "report_base.html.j2" %}' in code


def _payload_report(trend: TrendReport) -> TrendReport:
    meta = trend.meta
    prov = replace(meta.provenance, inputs=((PAYLOAD, "0" * 64), *meta.provenance.inputs))
    force = trend.forces[1]
    poisoned = replace(
        force,
        force=PAYLOAD,
        rounds=(replace(force.rounds[0], label=PAYLOAD), *force.rounds[1:]),
    )
    report = _with_force(trend, 1, poisoned)
    return replace(
        report,
        meta=replace(
            meta,
            title=PAYLOAD,
            framework_title=PAYLOAD,
            provenance=prov,
            notes=(PAYLOAD,),
            marking=PAYLOAD,
        ),
        rounds=(PAYLOAD, *trend.rounds[1:]),
        stages=(replace(trend.stages[0], stage=PAYLOAD), *trend.stages[1:]),
        improved=(
            replace(trend.improved[0], label=PAYLOAD, stage=PAYLOAD),
            *trend.improved[1:],
        ),
        worsened=(replace(trend.worsened[0], label=PAYLOAD), *trend.worsened[1:]),
    )


def test_page_escapes_everything(trend: TrendReport) -> None:
    page = render_trend_html(_payload_report(trend))
    assert_escaped(page)
    assert f"<title>{ESCAPED}</title>" in page
    assert f'<th scope="rowgroup" rowspan="2">{ESCAPED}</th>' in page  # force name
    assert f'<th scope="row">{ESCAPED}</th>' in page  # indicator, stage, round
    assert f"<li><strong>{ESCAPED}</strong>: " in page  # the change sentence
    assert f'<text x="0" y="84.0" class="group">{ESCAPED}</text>' in page  # chart
    assert f'<p class="marking top">{ESCAPED}</p>' in page
    assert page.count(ESCAPED) >= 15
    assert not re.findall(r'style="[^"]*"', page)
    assert set(re.findall(r'\bid="([^"]*)"', page)) == PAGE_IDS
    # fills stay the fixed palette, whatever the input
    assert set(re.findall(r'fill="([^"]*)"', page)) <= set(ROUND_FILLS)


# --------------------------------------------------------------------------- HTML: content


def test_how_to_read_and_marking(page: str, trend: TrendReport) -> None:
    assert "Counts are of inspectors&#39; case assessments" in page
    assert "The change compares the first round (2014) with the last (2016)" in page
    assert 'class="marking' not in page  # no marking unless asked for
    marked = render_trend_html(replace(trend, meta=replace(trend.meta, marking="OFFICIAL")))
    assert '<p class="marking top">OFFICIAL</p>' in marked
    assert '<p class="marking bottom">OFFICIAL</p>' in marked


def test_grades_table(page: str, trend: TrendReport) -> None:
    table = _table(page, "Cases graded good, adequate and inadequate in each round")
    assert table.count('<th scope="rowgroup" rowspan="2">') == len(trend.forces) + 1
    for t in (*trend.forces, trend.overall):
        start = table.index(f'<th scope="rowgroup" rowspan="2">{t.force}</th>')
        block = table[start : table.index("</tbody>", start)]
        for row in t.rounds:
            cells = re.search(rf'<th scope="row">{row.label}</th>\n(.*?)</tr>', block, re.S)
            assert cells is not None, (t.force, row.label)
            assert re.findall(r"<td[^>]*>(.*?)</td>", cells.group(1)) == [
                f"{row.good} ({row.good_pct}%)",
                f"{row.adequate} ({row.adequate_pct}%)",
                f"{row.inadequate} ({row.inadequate_pct}%)",
                str(row.total),
            ]
    assert (  # Force C, by hand
        '<th scope="rowgroup" rowspan="2">Force C</th>\n<th scope="row">2014</th>\n'
        '<td class="num">26 (23%)</td>\n<td class="num">40 (35%)</td>\n'
        '<td class="num">49 (43%)</td>\n<td class="num">115</td>\n</tr>\n<tr>\n'
        '<th scope="row">2016</th>\n<td class="num">31 (27%)</td>\n'
        '<td class="num">55 (48%)</td>\n<td class="num">29 (25%)</td>\n<td class="num">115</td>'
    ) in table
    assert '<tbody class="total">\n<tr>\n<th scope="rowgroup" rowspan="2">All forces</th>' in table
    assert '<td class="num">203 (35%)</td>' in table


def test_change_sentences(page: str, trend: TrendReport) -> None:
    section = _section(page, "change")
    assert "<h2>Change from 2014 to 2016</h2>" in section
    for t in (*trend.forces, trend.overall):
        sentence = html_lib.escape(change_text(t.change), quote=True).replace("&#x27;", "&#39;")
        assert f"<li><strong>{t.force}</strong>: {sentence}.</li>" in section
    assert (
        "<li><strong>Force C</strong>: inadequate share down 17 points (more than chance "
        "would explain; two-proportion test p 0.00534); grades by round: chi-square p 0.0189."
    ) in section


def test_chart(page: str, trend: TrendReport) -> None:
    trends = (*trend.forces, trend.overall)
    chart = trend_chart(trends, trend.rounds, True)
    assert [g.label for g in chart.groups] == [t.force for t in trends]
    assert [g.total for g in chart.groups] == [False] * len(trend.forces) + [True]
    for group, t in zip(chart.groups, trends, strict=True):
        assert [b.label for b in group.bars] == list(trend.rounds)
        for bar, row in zip(group.bars, t.rounds, strict=True):
            assert row.inadequate is not None and row.total
            assert bar.width == pytest.approx(BAR_W * row.inadequate / row.total, abs=0.05)
            assert bar.note == f"{row.inadequate_pct}% ({row.inadequate} of {row.total})"
    ys = [b.y for g in chart.groups for b in g.bars]
    assert ys == sorted(ys) and len(set(ys)) == len(ys)  # no bars on top of each other
    assert chart.axis_bottom < chart.height
    section = _section(page, "chart")
    assert (
        f'<rect x="{LABEL_W}" y="110.5" width="118.5" height="13.0" fill="#8c1d16"/>\n'
        '<text x="648.0" y="120.5">25% (29 of 115)</text>'
    ) in section  # Force C, 2016
    assert "<figcaption>" in section
    for fill, label in zip(round_fills(2), trend.rounds, strict=True):
        assert f'<rect width="14" height="14" fill="{fill}"/></svg>{label}' in section


def test_round_fills() -> None:
    assert round_fills(1) == (ROUND_FILLS[-1],)
    assert round_fills(2) == (ROUND_FILLS[0], ROUND_FILLS[-1])
    assert round_fills(4) == ROUND_FILLS
    six = round_fills(6)
    assert len(six) == 6 and six[-4:] == ROUND_FILLS and six[0] == ROUND_FILLS[0]
    assert points_text(-3) == "-3" and points_text(4) == "+4" and points_text(0) == "0"
    assert points_text(None) == "–"


def test_stages_table(page: str, trend: TrendReport) -> None:
    table = _table(_section(page, "stages"), "All forces: share of applicable cases")
    assert '<th scope="col" class="num">2014</th>\n<th scope="col" class="num">2016</th>' in table
    assert table.count('<th scope="row">') == len(trend.stages)
    for s in trend.stages:
        first, last = s.inadequate_pct
        assert first is not None and last is not None
        assert (
            f'<th scope="row">{s.stage}</th>\n'
            f'<td class="num">{first}% of {s.applicable[0]}</td>\n'
            f'<td class="num">{last}% of {s.applicable[1]}</td>\n'
            f'<td class="num">{points_text(s.change_points)}</td>'
        ) in table
    assert '<td class="num">55% of 69</td>\n<td class="num">35% of 71</td>\n' in table
    # 190 of 506 (37.55%, shown as 38%) to 177 of 505 (35.05%) is 2.4999 points down,
    # shown as -2, not 35 - 38 = -3: changes come from the counts, rounded once.
    assert (
        '<td class="num">38% of 506</td>\n<td class="num">35% of 505</td>\n<td class="num">-2</td>'
    ) in table


def test_stage_that_applied_to_no_case_is_a_dash(trend: TrendReport) -> None:
    empty = replace(
        trend.stages[0],
        inadequate_pct=(None, 35),
        applicable=(0, 505),
        inadequate=(0, 177),
        change_points=None,
    )
    page = render_trend_html(replace(trend, stages=(empty, *trend.stages[1:])))
    table = _table(page, "All forces: share of applicable cases")
    assert (
        f'<th scope="row">{empty.stage}</th>\n<td class="num">–</td>\n'
        '<td class="num">35% of 505</td>\n<td class="num">–</td>'
    ) in table


def test_indicator_tables(page: str, trend: TrendReport) -> None:
    section = _section(page, "indicators")
    for caption, items in (
        ("Indicators that improved most", trend.improved),
        ("Indicators that worsened most", trend.worsened),
    ):
        table = _table(section, caption)
        assert table.count('<th scope="row">') == len(items) > 0
        for i in items:
            n = abs(i.points)
            assert (
                f'<th scope="row">{i.label}</th>\n<td>{i.stage}</td>\n'
                f'<td class="num">{i.first_pct}%</td>\n<td class="num">{i.last_pct}%</td>\n'
                f'<td class="num">{points_text(i.points)} point{"" if n == 1 else "s"}</td>'
            ) in table
    assert (
        '<th scope="row">Detention certificate completed</th>\n<td>Police detention</td>\n'
        '<td class="num">43%</td>\n<td class="num">21%</td>\n<td class="num">-22 points</td>'
    ) in section
    one = replace(trend.worsened[0], points=1)
    assert indicator_change(one) == "+1 point"  # singular
    quiet = render_trend_html(replace(trend, improved=(), worsened=()))
    assert "No indicator improved." in quiet and "No indicator worsened." in quiet
    assert "Indicators that improved most</caption>" not in quiet


def test_notes_and_provenance_footer(page: str, trend: TrendReport) -> None:
    prov = trend.meta.provenance
    assert [label for label, _ in prov.rounds] == ["2014", "2016"]
    for label, files in prov.rounds:  # every file of every round, labelled by its round
        assert len(files) == 8
        for name, digest in files:
            assert f"<dt>Input, round {label}: {name}</dt><dd>SHA-256 {digest}</dd>" in page
    assert f"<dt>Framework file ncpi-2014.yaml</dt><dd>SHA-256 {prov.framework_sha256}</dd>" in page
    assert "inspect-cli 0.0.test" in page
    assert "2026-01-01T00:00:00+00:00" in page
    assert '<footer class="provenance">' in page
    noted = render_trend_html(replace(trend, meta=replace(trend.meta, notes=("A note.",))))
    assert '<ul class="notes">\n<li>A note.</li>' in noted


def test_single_force_has_no_all_forces(force_c_trend: TrendReport) -> None:
    page = render_trend_html(force_c_trend)
    assert "All forces" not in page
    assert "in each round: Force C</caption>" in page
    assert "<caption>Force C: share of applicable cases" in page
    assert page.count('<th scope="rowgroup" rowspan="2">') == 1
    assert page.count('class="group') == 1
    assert parse(page).captions_first == parse(page).tables == 4


def test_round_not_recorded(trend: TrendReport) -> None:
    force = trend.forces[0]
    gap = replace(force, rounds=(_not_recorded(force.rounds[0]), *force.rounds[1:]))
    page = render_trend_html(_with_force(trend, 0, gap))
    table = _table(page, "Cases graded good")
    assert (
        f'<th scope="rowgroup" rowspan="2">{force.force}</th>\n<th scope="row">2014</th>\n'
        '<td colspan="4" class="not-recorded">Not recorded</td>'
    ) in table
    chart = _section(page, "chart")
    assert (
        '<text x="162.0" y="38.5" text-anchor="end">2014</text>\n'
        '<text x="648.0" y="38.5">Not recorded</text>'
    ) in chart


def test_suppressed_counts_show_the_symbol(trend: TrendReport) -> None:
    force = trend.forces[0]
    row = replace(
        force.rounds[1],
        inadequate=None,
        inadequate_pct=None,
        suppressed=frozenset({"inadequate", "inadequate_pct"}),
    )
    page = render_trend_html(_with_force(trend, 0, replace(force, rounds=(force.rounds[0], row))))
    table = _table(page, "Cases graded good")
    assert re.search(
        r'<th scope="row">2016</th>\n<td class="num">35 \(43%\)</td>\n'
        r'<td class="num">22 \(27%\)</td>\n<td class="num">c</td>',
        table,
    )
    assert "c (c: hidden, small numbers)</text>" in _section(page, "chart")


# --------------------------------------------------------------------------- Excel


def _write(report: TrendReport, folder: Path, name: str = "trend.xlsx") -> Path:
    target = folder / name
    write_trend_xlsx(report, target)
    return target


def _body(ws: Any, first: str) -> list[list[Any]]:
    """The rows under the header whose column A is ``first``, up to the first blank row."""
    out: list[list[Any]] = []
    for row in ws.iter_rows(min_row=header_row(ws, first) + 1, values_only=True):
        if row[0] is None:
            break
        out.append(list(row))
    return out


def test_golden_trend_xlsx(trend: TrendReport, tmp_path: Path) -> None:
    assert_golden("trend.xlsx.txt", dump(_write(trend, tmp_path)))


def test_sheets(trend: TrendReport, tmp_path: Path) -> None:
    wb = openpyxl.load_workbook(_write(trend, tmp_path))
    assert wb.sheetnames == SHEETS


def test_grades_by_round_are_numbers(trend: TrendReport, tmp_path: Path) -> None:
    ws = openpyxl.load_workbook(_write(trend, tmp_path))["Grades by round"]
    assert ws["A1"].value == trend.meta.title
    head = header_row(ws, "Force")
    assert [c.value for c in ws[head]] == [
        "Force", "Round", "Good n", "Good %", "Adequate n", "Adequate %",
        "Inadequate n", "Inadequate %", "Total cases",
    ]  # fmt: skip
    body = _body(ws, "Force")
    trends = (*trend.forces, trend.overall)
    assert len(body) == 2 * len(trends)
    expected: list[list[Any]] = [
        [t.force, r.label, r.good, r.good_pct, r.adequate, r.adequate_pct,
         r.inadequate, r.inadequate_pct, r.total]
        for t in trends
        for r in t.rounds
    ]  # fmt: skip
    for got, want in zip(body, expected, strict=True):
        assert got[:3] == want[:3] and got[4] == want[4] and got[6] == want[6]
        assert got[8] == want[8]
        for col, count in ((3, 2), (5, 4), (7, 6)):  # stored exactly: count / total
            assert got[col] == exact(got[count] / got[8])
            assert round(got[col] * 100) == want[col]
    rows = list(ws.iter_rows(min_row=head + 1, max_row=head + len(body)))
    for row in rows:
        assert row[1].data_type == "s"  # a round label is text, even "2014"
        for cell in row[2:]:
            assert cell.data_type == "n", cell.coordinate
        assert {row[c].number_format for c in (3, 5, 7)} == {"0%"}
    c_2014 = [c.value for c in rows[2]]
    assert c_2014 == [
        "Force C",
        "2014",
        26,
        exact(26 / 115),
        40,
        exact(40 / 115),
        49,
        exact(49 / 115),
        115,
    ]
    every = [c.value for c in rows[-1]]
    assert every == [
        "All forces", "2016", 178, exact(178 / 576), 222, exact(222 / 576), 176, exact(176 / 576), 576
    ]  # fmt: skip


def test_layout_frozen_header_and_filters(trend: TrendReport, tmp_path: Path) -> None:
    wb = openpyxl.load_workbook(_write(trend, tmp_path))
    ws = wb["Grades by round"]
    head = header_row(ws, "Force")
    assert ws.freeze_panes == f"C{head + 1}"
    assert ws.auto_filter.ref == f"A{head}:I{head + 2 * (len(trend.forces) + 1)}"
    for name in TABLE_SHEETS:
        sheet = wb[name]
        assert sheet.freeze_panes, name
        assert sheet.auto_filter.ref, name
        first_row = int(re.sub(r"\D", "", sheet.auto_filter.ref.split(":")[0]))
        assert first_row >= 3, name  # a title row and a caption above the header
        assert int(re.sub(r"\D", "", sheet.freeze_panes)) == first_row + 1, name


def test_change_sheet(trend: TrendReport, tmp_path: Path) -> None:
    ws = openpyxl.load_workbook(_write(trend, tmp_path))["Change"]
    assert ws["A1"].value == "Change from 2014 to 2016"
    assert [c.value for c in ws[header_row(ws, "Force")]][:8] == [
        "Force",
        "Good change (points)",
        "Inadequate change (points)",
        "Two-proportion z-test p (inadequate share)",
        "Chi-square statistic (grades by round)",
        "Chi-square degrees of freedom",
        "Chi-square p",
        "Chi-square reliable",
    ]
    assert [r[0] for r in _body(ws, "Force")] == [
        *(t.force for t in trend.forces),
        "All forces",
    ]
    for t in (*trend.forces, trend.overall):
        row = row_by_label(ws, t.force)
        c, cs = t.change, t.change.chi_square
        assert cs is not None and c.inadequate_z_p is not None
        assert [x.value for x in row[1:3]] == [c.good_points, c.inadequate_points]
        assert row[3].value == pytest.approx(c.inadequate_z_p)
        assert row[4].value == pytest.approx(cs.statistic)
        assert row[5].value == cs.dof
        assert row[6].value == pytest.approx(cs.p_value)
        assert row[7].value == ("yes" if cs.reliable else "no")
        assert row[8].value == change_text(c)
        for cell in row[1:7]:
            assert cell.data_type == "n", cell.coordinate
    force_c = row_by_label(ws, "Force C")
    assert [x.value for x in force_c[1:3]] == [4, -17]
    assert force_c[3].value < 0.05


def test_change_without_a_test_is_blank(trend: TrendReport, tmp_path: Path) -> None:
    from inspect_cli.reports.trend import Change

    force = replace(trend.forces[0], change=Change(None, None, None, None))
    ws = openpyxl.load_workbook(_write(_with_force(trend, 0, force), tmp_path))["Change"]
    row = row_by_label(ws, force.force)
    assert [x.value for x in row[1:8]] == [None] * 7
    assert row[8].value == "fewer than two rounds with cases: no change to test"


def test_stages_and_indicators_sheets(trend: TrendReport, tmp_path: Path) -> None:
    wb = openpyxl.load_workbook(_write(trend, tmp_path))
    st = wb["Stages"]
    assert [c.value for c in st[header_row(st, "Stage")]] == [
        "Stage", "Inadequate % 2014", "Inadequate % 2016", "Applicable 2014",
        "Applicable 2016", "Change (points)",
    ]  # fmt: skip
    body = _body(st, "Stage")
    assert [r[0] for r in body] == [s.stage for s in trend.stages]
    for got, s in zip(body, trend.stages, strict=True):
        first, last = s.inadequate_pct
        assert first is not None and last is not None
        shares = [n / b for n, b in zip(s.inadequate, s.applicable, strict=True)]
        assert got[1:] == [*map(exact, shares), *s.applicable, s.change_points]
        assert [round(x * 100) for x in shares] == [first, last]
    detention = row_by_label(st, "Police detention")
    det = next(s for s in trend.stages if s.stage == "Police detention")
    values = [c.value for c in detention]
    shares = [exact(det.inadequate[0] / 69), exact(det.inadequate[1] / 71)]
    assert values == ["Police detention", *shares, 69, 71, -20]
    assert [round(v * 100) for v in values[1:3]] == [55, 35]  # shown as the report's figures
    assert detention[1].number_format == "0%" and detention[1].data_type == "n"

    ind = wb["Indicators"]
    rows = _body(ind, "Direction")
    expected: list[list[Any]] = [
        [direction, rank, i.id, i.label, i.stage, i.first_pct, i.last_pct, i.points]
        for direction, items in (("improved", trend.improved), ("worsened", trend.worsened))
        for rank, i in enumerate(items, start=1)
    ]
    assert len(rows) == len(expected) == 10
    for got, want in zip(rows, expected, strict=True):
        assert got[:5] == want[:5] and got[7] == want[7]
        assert round(got[5] * 100) == want[5] and round(got[6] * 100) == want[6]
    assert all(r[7] < 0 for r in rows if r[0] == "improved")
    assert all(r[7] > 0 for r in rows if r[0] == "worsened")


def test_chart_of_the_overall_inadequate_share(trend: TrendReport, tmp_path: Path) -> None:
    path = _write(trend, tmp_path)
    ws = openpyxl.load_workbook(path)["Grades by round"]
    first = row_by_label(ws, "All forces")[0].row
    with zipfile.ZipFile(path) as zf:
        assert "xl/charts/chart1.xml" in zf.namelist()
        chart = zf.read("xl/charts/chart1.xml").decode()
    assert "<c:lineChart>" in chart
    assert f"'Grades by round'!$B${first}:$B${first + 1}" in chart  # rounds
    assert f"'Grades by round'!$H${first}:$H${first + 1}" in chart  # inadequate %
    assert "Inadequate share by round, all forces" in chart


def test_single_force(force_c_trend: TrendReport, tmp_path: Path) -> None:
    path = _write(force_c_trend, tmp_path)
    wb = openpyxl.load_workbook(path)
    body = _body(wb["Grades by round"], "Force")
    assert [r[:2] for r in body] == [["Force C", "2014"], ["Force C", "2016"]]
    assert [r[0] for r in _body(wb["Change"], "Force")] == ["Force C"]
    assert wb["Stages"]["A1"].value.startswith("Force C: ")
    with zipfile.ZipFile(path) as zf:
        chart = zf.read("xl/charts/chart1.xml").decode()
    assert "'Grades by round'!$H$4:$H$5" in chart
    assert "all forces" not in chart


def test_round_not_recorded_in_the_workbook(trend: TrendReport, tmp_path: Path) -> None:
    force = trend.forces[0]
    gap = replace(force, rounds=(_not_recorded(force.rounds[0]), *force.rounds[1:]))
    ws = openpyxl.load_workbook(_write(_with_force(trend, 0, gap), tmp_path))["Grades by round"]
    row = row_by_label(ws, force.force)
    assert [c.value for c in row] == [force.force, "2014", *["[x]"] * 7]
    notes = [str(r[0].value) for r in ws.iter_rows() if r[0].value]
    assert any(n.startswith("[x] not available: no case") for n in notes)


def test_about_sheet_marks_tool_output(trend: TrendReport, fw: Framework, tmp_path: Path) -> None:
    from inspect_cli.load import load_cases

    path = _write(trend, tmp_path)
    about = openpyxl.load_workbook(path)["Provenance"]
    assert about["A1"].value == OUTPUT_MARKER
    values = {r[0]: r[1] for r in about.iter_rows(values_only=True) if r[0]}
    assert values["Report"] == trend.meta.title
    assert values["Rounds"] == "2014 → 2016"
    assert values["Tool"] == "inspect-cli 0.0.test"
    assert values["Created"] == "2026-01-01T00:00:00+00:00"
    for label, files in trend.meta.provenance.rounds:
        for name, digest in files:
            assert values[f"Input, round {label}: {name}"] == f"SHA-256 {digest}"
    result = load_cases([tmp_path], fw)
    assert {p.file for p in result.problems if p.code == "inspect-cli-output"} == {path.name}
    assert result.cases.empty


def test_formula_payloads_stay_text(trend: TrendReport, tmp_path: Path) -> None:
    n = len(PAYLOADS)
    forces = tuple(
        replace(
            t,
            force=PAYLOADS[k % n],
            rounds=tuple(replace(r, label=PAYLOADS[(k + j) % n]) for j, r in enumerate(t.rounds)),
        )
        for k, t in enumerate(trend.forces)
    )
    evil = replace(
        trend,
        meta=replace(trend.meta, title=PAYLOADS[0], notes=(PAYLOADS[1],)),
        rounds=(PAYLOADS[4], PAYLOADS[0]),
        forces=forces,
        overall=replace(trend.overall, force=PAYLOADS[2]),
        stages=tuple(replace(s, stage=PAYLOADS[i % n]) for i, s in enumerate(trend.stages)),
        improved=tuple(
            replace(i, label=PAYLOADS[k % n], stage=PAYLOADS[(k + 1) % n], id=PAYLOADS[5])
            for k, i in enumerate(trend.improved)
        ),
        worsened=tuple(replace(i, label=PAYLOADS[k % n]) for k, i in enumerate(trend.worsened)),
    )
    path = _write(evil, tmp_path)
    for name, xml in worksheet_xml(path).items():
        assert "<f>" not in xml and "<f " not in xml, name
        assert "hyperlink" not in xml.lower(), name
    with zipfile.ZipFile(path) as zf:
        chart = zf.read("xl/charts/chart1.xml").decode()
    assert "HYPERLINK" not in chart.split("<c:plotArea>")[0]  # the chart title is fixed text

    wb = openpyxl.load_workbook(path)
    ws = wb["Grades by round"]
    assert ws["A1"].value == PAYLOADS[0] and ws["A1"].quotePrefix
    body = _body(ws, "Force")
    assert [r[:2] for r in body] == [
        [t.force, r.label] for t in (*forces, evil.overall) for r in t.rounds
    ]
    head = header_row(ws, "Force")
    for row in ws.iter_rows(min_row=head + 1, max_row=head + len(body)):
        for cell in row[:2]:
            assert cell.data_type == "s"
            assert bool(cell.quotePrefix) == cell.value.startswith(("=", "+", "-", "@", "\t"))
        for cell in row[2:]:
            assert cell.data_type == "n"
    assert "-5" in {r[2] for r in _body(wb["Indicators"], "Direction")}  # text stays text
    assert [r[0] for r in _body(wb["Stages"], "Stage")] == [s.stage for s in evil.stages]
    assert wb["Provenance"]["A1"].value == OUTPUT_MARKER


# --------------------------------------------------------------------------- command line


def test_cli_writes_html_and_xlsx(tmp_path: Path) -> None:
    from tests.helpers.cli import runner

    for name in ("trend.html", "trend.xlsx"):
        target = tmp_path / name
        result = runner.invoke(
            app, ["trend", f"2014={SAMPLES}", f"2016={ROUND_2}", "-o", str(target)]
        )
        assert result.exit_code == 0, result.stderr
        assert target.exists() and target.stat().st_size > 0
    page = (tmp_path / "trend.html").read_text(encoding="utf-8")
    assert "<h1>Trend across inspection rounds: 2014 → 2016</h1>" in page
    assert "Force C" in page
    assert openpyxl.load_workbook(tmp_path / "trend.xlsx").sheetnames == SHEETS


# --------------------------------------------------------------------------- browser


def test_browser_renders_the_page_and_keeps_the_payload_as_text(
    trend: TrendReport, tmp_path: Path
) -> None:
    from tests.helpers.browser import chromium, run

    browser = chromium()
    page = tmp_path / "trend.html"
    page.write_text(render_trend_html(_payload_report(trend)), encoding="utf-8")
    result = run(browser, tmp_path / "profile", "--dump-dom", page.as_uri())
    assert result.returncode == 0, result.stderr[-2000:]
    dom = result.stdout
    for text in ("Force D", "26 (23%)", "Indicators that improved most", "55% of 69"):
        assert text in dom, text
    assert "<script" not in dom.lower()
    assert PAYLOAD in html_lib.unescape(re.sub(r"<[^>]+>", "", dom))  # shown as text


def test_every_sheet_prints_landscape_one_page_wide(trend: TrendReport, tmp_path: Path) -> None:
    wb = openpyxl.load_workbook(_write(trend, tmp_path))
    for ws in wb.worksheets:
        orientation, fit, wide, tall, titles = page_setup(ws)
        assert (orientation, fit, wide, tall == 1) == ("landscape", True, 1, ws.title == "Chart")
        if ws.title not in ("Chart", "Provenance"):
            assert titles is not None and int(titles.split(":")[1]) > 1, ws.title  # header row

"""The HTML reports: golden pages, self-containment, escaping and accessible tables."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest
from markupsafe import escape

from inspect_cli.frameworks import GRADES
from inspect_cli.render.html.jinja_env import BAR_W, CASE_LIST_LIMIT, css_text, environment
from inspect_cli.render.html.report import (
    HIDDEN,
    conclusions_chart,
    distribution_chart,
    render_force_html,
    render_thematic_html,
    stage_chart,
)
from inspect_cli.render.wording import (
    chi_square_sentences,
    findings_sentences,
    p_value,
    threshold_words,
)
from inspect_cli.reports.force import ForceReport
from inspect_cli.reports.publish import publish_force, publish_thematic, suppression_note
from inspect_cli.reports.thematic import ThematicReport
from inspect_cli.resources import data_dir
from inspect_cli.stats import ChiSquare
from tests.helpers.golden import assert_golden
from tests.helpers.html_checks import CSP, ESCAPED, PAYLOAD, assert_escaped, parse


@pytest.fixture(scope="module")
def thematic_html(thematic: ThematicReport) -> str:
    return render_thematic_html(thematic)


@pytest.fixture(scope="module")
def force_html(force_c: ForceReport) -> str:
    return render_force_html(force_c)


@pytest.fixture(params=["thematic", "force"])
def page(request: pytest.FixtureRequest, thematic_html: str, force_html: str) -> str:
    return thematic_html if request.param == "thematic" else force_html


# --------------------------------------------------------------------------- goldens


def test_thematic_html_golden(thematic_html: str) -> None:
    assert_golden("thematic.html", thematic_html)


def test_force_html_golden(force_html: str) -> None:
    assert_golden("force_c.html", force_html)


# --------------------------------------------------------------------------- self-contained


def test_page_loads_nothing_and_runs_nothing(page: str) -> None:
    lowered = page.lower()
    assert "http://" not in lowered
    assert "https://" not in lowered
    assert "<script" not in lowered
    assert "<link" not in lowered
    assert "<img" not in lowered
    assert "url(" not in re.sub(r"url\(#[a-z-]+\)", "", lowered)  # only in-page SVG patterns
    assert "@import" not in lowered


def test_page_head(page: str) -> None:
    assert page.startswith("<!DOCTYPE html>\n")
    assert CSP in page
    assert '<meta charset="utf-8">' in page
    assert '<html lang="en-GB">' in page
    assert "@media print" in page
    assert "size: A4" in page


def test_every_table_has_a_caption_and_every_th_a_scope(page: str) -> None:
    parsed = parse(page)
    assert parsed.tables >= 2
    assert parsed.captions_first == parsed.tables
    assert parsed.th_scopes
    assert set(parsed.th_scopes) <= {"col", "row"}


def test_provenance_footer(page: str, thematic: ThematicReport) -> None:
    prov = thematic.meta.provenance
    for name, digest in prov.inputs:
        assert f"Input {name}" in page
        assert f"SHA-256 {digest}" in page
    assert "inspect-cli 0.0.test" in page
    assert f"{prov.framework_id} {prov.framework_version}" in page
    assert "2026-01-01T00:00:00+00:00" in page
    assert "Option audit_type" in page


def test_environment_always_escapes() -> None:
    assert environment().autoescape is True


def test_templates_never_bypass_escaping() -> None:
    templates = sorted(data_dir("templates").glob("*.j2"))
    assert {p.name for p in templates} >= {
        "report_base.html.j2",
        "thematic.html.j2",
        "force.html.j2",
    }
    banned = re.compile(r"\|\s*safe\b|Markup|autoescape\s+false", re.IGNORECASE)
    for path in templates:
        text = path.read_text(encoding="utf-8")
        code = re.sub(r"\{#.*?#\}", "", text, flags=re.DOTALL)  # comments may name them
        assert not banned.search(code), f"{path.name} bypasses escaping"


def test_renderer_source_never_bypasses_escaping() -> None:
    import inspect_cli.render.html.jinja_env as module

    source = Path(module.__file__).read_text(encoding="utf-8")
    assert "Markup" not in source
    assert "select_autoescape" not in source
    assert "autoescape=True" in source


# --------------------------------------------------------------------------- thematic content


def test_thematic_conclusions_table(thematic_html: str) -> None:
    text = thematic_html
    assert '<th scope="col" class="num">Good (includes one excellent case)</th>' in text
    assert '<td colspan="5" class="not-recorded">Not recorded</td>' in text
    for cell in ("24 (21%)", "34 (30%)", "57 (50%)", "177 (31%)", "179 (31%)", "220 (38%)"):
        assert f'<td class="num">{cell}</td>' in text
    assert '<td class="num">576</td>' in text
    assert "40.6–58.6%" in text  # Force C's inadequate interval
    row = re.search(r'<th scope="row">Force C(.*?)</th>', text)
    assert row is not None and "▲ serious concern" in row.group(1)
    row = re.search(r'<th scope="row">Force D(.*?)</th>', text)
    assert row is not None and "serious concern" not in row.group(1)
    assert "Force A had no inspectors&#39; case assessments" in text


def test_thematic_findings_in_words(thematic_html: str) -> None:
    text = thematic_html
    assert "ranged from 21% to 46%" in text
    assert "ranged from 25% to 50%" in text
    assert "One of the seven forces had at least 75% of cases graded adequate or better." in text
    assert "Overall, 38% of cases were inadequate." in text
    # Worded as the source words it: no national benchmark, the inspectorate's view.
    assert "There is no national benchmark for these shares" in text
    assert "gave its view that more than a third of cases inadequate is a serious cause" in text
    assert "which includes one third" in text  # Force F: 37%, 95% interval 23–54%
    assert "did not rate forces individually" in text
    assert "Force C (50%, 95% interval 41–59%), Force E" in text
    assert "χ² = 34.27 with 12 degrees of freedom, p &lt; 0.001" in text
    assert "too small for the test to be trusted" not in text
    assert "rounded half up, of each row&#39;s own total" in text


def test_thematic_stage_and_indicator_tables(thematic_html: str) -> None:
    assert "43% (44/102)" in thematic_html  # Force C, initial contact
    assert "38% (190/506)" in thematic_html  # total row
    assert "Child&#39;s needs and background recorded" in thematic_html
    assert "Recommendation theme" in thematic_html


def test_stage_cell_with_nothing_applicable_is_a_dash(thematic: ThematicReport) -> None:
    row = thematic.stage_rows[0]
    empty = replace(row.cells[-1], applicable=0, inadequate=0, inadequate_pct=None)
    report = replace(thematic, stage_rows=(replace(row, cells=(*row.cells[:-1], empty)),))
    html = render_thematic_html(report)
    assert '<td class="num">–</td>' in html


def test_chi_square_words() -> None:
    assert "too few forces" in chi_square_sentences(None)[0]
    shaky = ChiSquare(3.2, 2, 0.2019, 0.8, 3, 6)
    words = " ".join(chi_square_sentences(shaky))
    assert "p = 0.202" in words
    assert "expected counts are too small for the test to be trusted" in words


def test_chi_square_none_is_explained(thematic: ThematicReport) -> None:
    html = render_thematic_html(replace(thematic, chi_square=None))
    assert "too few forces with recorded assessments" in html


@pytest.mark.parametrize(
    ("p", "text"),
    [(0.0006, "< 0.001"), (0.001, "= 0.001"), (0.04567, "= 0.0457"), (0.5, "= 0.5"), (1.0, "= 1")],
)
def test_p_value(p: float, text: str) -> None:
    assert p_value(p) == text


def test_threshold_words() -> None:
    assert threshold_words("1/3") == "a third"
    assert threshold_words("2/5") == "2/5"


# --------------------------------------------------------------------------- force content


def test_force_page_content(force_html: str) -> None:
    text = force_html
    assert "<h1>Force C: case audit results</h1>" in text
    assert "15.9–31.1%" in text  # good share's interval
    assert "▲ serious concern" in text
    assert "Police detention" in text
    assert "74 of 115" in text  # ethnicity not recorded (blank, "Not stated")
    assert "† too few cases" in text
    assert "fewer than 10 cases" in text
    assert "Reported → suspect interviewed" in text
    assert '<td class="num">8.5</td>' in text
    assert "Dates out of order" not in text
    assert "C-13-01749" in text
    assert "more case" not in text  # 115 cases: all shown


def test_small_groups_are_marked(force_c: ForceReport, force_html: str) -> None:
    html = force_html.replace("&#39;", "'")
    for breakdown in force_c.breakdowns:
        start = html.index(f"<caption>{breakdown.title}: grades by group</caption>")
        table = html[start : html.index("</table>", start)]
        for row in breakdown.rows:
            marked = f"{row.label} † too few cases</th>" in table
            small = row.total is None or row.total < 10
            assert marked == small, (breakdown.title, row.label)


def test_negative_delays_are_shown(force_c: ForceReport) -> None:
    delays = (replace(force_c.delays[0], negative=3), *force_c.delays[1:])
    html = render_force_html(replace(force_c, delays=delays))
    assert "Dates out of order" in html
    assert '<td class="num">3</td>' in html


def test_case_list_is_capped(force_c: ForceReport) -> None:
    cases = force_c.cases * 2
    html = render_force_html(replace(force_c, cases=cases))
    section = html[
        html.index('<section id="cases">') : html.index(
            "</section>", html.index('<section id="cases">')
        )
    ]
    assert section.count("<tr>") == CASE_LIST_LIMIT + 1  # + the header row
    more = len(cases) - CASE_LIST_LIMIT
    assert f"{more} more cases not shown here: the full list is in the xlsx output." in html


def test_no_case_list_without_cases(force_c: ForceReport) -> None:
    html = render_force_html(replace(force_c, cases=()))
    assert 'id="cases"' not in html
    assert "Case list" not in html


# --------------------------------------------------------------------------- escaping


def test_thematic_escapes_everything(thematic: ThematicReport) -> None:
    meta = thematic.meta
    prov = replace(meta.provenance, inputs=((PAYLOAD, "0" * 64), *meta.provenance.inputs))
    forces = (thematic.forces[0], replace(thematic.forces[1], label=PAYLOAD), *thematic.forces[2:])
    report = replace(
        thematic,
        meta=replace(
            meta, title=PAYLOAD, framework_title=PAYLOAD, provenance=prov, notes=(PAYLOAD,)
        ),
        forces=forces,
        headers={**thematic.headers, "good": PAYLOAD},
        footnotes=(PAYLOAD,),
        findings=replace(thematic.findings, serious_concern=(PAYLOAD,)),
        stage_rows=(replace(thematic.stage_rows[0], label=PAYLOAD), *thematic.stage_rows[1:]),
        worst_indicators=(
            replace(thematic.worst_indicators[0], label=PAYLOAD, theme=PAYLOAD),
            *thematic.worst_indicators[1:],
        ),
    )
    html = render_thematic_html(report)
    assert_escaped(html)
    assert f"<title>{ESCAPED}</title>" in html
    assert f"Input {ESCAPED}" in html
    assert html.count(ESCAPED) >= 9


def test_force_page_escapes_everything(force_c: ForceReport) -> None:
    area = force_c.breakdowns[0]
    report = replace(
        force_c,
        meta=replace(force_c.meta, title=PAYLOAD),
        force=PAYLOAD,
        overall=replace(force_c.overall, label=PAYLOAD),
        breakdowns=(
            replace(
                area, title=PAYLOAD, rows=(replace(area.rows[0], label=PAYLOAD), *area.rows[1:])
            ),
            *force_c.breakdowns[1:],
        ),
        failing_indicators=(
            replace(force_c.failing_indicators[0], label=PAYLOAD),
            *force_c.failing_indicators[1:],
        ),
        delays=(replace(force_c.delays[0], label=PAYLOAD), *force_c.delays[1:]),
        detention=(replace(force_c.detention[0], label=PAYLOAD), *force_c.detention[1:]),
        completeness=(replace(force_c.completeness[0], label=PAYLOAD), *force_c.completeness[1:]),
        cases=(
            replace(
                force_c.cases[0], case_ref=PAYLOAD, area=PAYLOAD, grade=PAYLOAD, reason=PAYLOAD
            ),
            *force_c.cases[1:],
        ),
    )
    html = render_force_html(report)
    assert_escaped(html)
    assert '<td class="grade-other">' in html  # an unknown grade never reaches an attribute
    assert html.count(ESCAPED) >= 10


# --------------------------------------------------------------------------- published


def _body_rows(table: str) -> dict[str, list[str]]:
    """Row label → the text of its <td> cells, for a rendered table."""
    out = {}
    for label, cells in re.findall(r'<th scope="row">(.*?)</th>\n(.*?)</tr>', table, re.S):
        out[re.sub(r"<[^>]+>| † too few cases| ▲ serious concern", "", label).strip()] = [
            re.sub(r"<[^>]+>", "", c) for c in re.findall(r"<td[^>]*>(.*?)</td>", cells, re.S)
        ]
    return out


def _table_after(html: str, caption: str) -> str:
    start = html.index(f"<caption>{caption}")
    return html[start : html.index("</table>", start)].replace("&#39;", "'")


@pytest.fixture(scope="module")
def published_thematic(thematic: ThematicReport) -> ThematicReport:
    return publish_thematic(thematic, 5)


@pytest.fixture(scope="module")
def published_force(force_c: ForceReport) -> ForceReport:
    return publish_force(force_c, 5)


def test_published_html_goldens(
    published_thematic: ThematicReport, published_force: ForceReport
) -> None:
    assert_golden("thematic_published.html", render_thematic_html(published_thematic))
    assert_golden("force_c_published.html", render_force_html(published_force))


def test_published_pages_hide_cases_and_explain_suppression(
    published_thematic: ThematicReport, published_force: ForceReport
) -> None:
    note = str(escape(suppression_note(5)))
    for html in (render_thematic_html(published_thematic), render_force_html(published_force)):
        assert "C-13-" not in html  # no case reference of Force C (or any force)
        assert 'id="cases"' not in html and "Case list" not in html
        assert note in html
        assert "small numbers are shown as &#39;c&#39;" in html  # the how-to-read box


def test_published_thematic_shows_c_where_suppressed(published_thematic: ThematicReport) -> None:
    html = render_thematic_html(published_thematic)
    stages = _body_rows(_table_after(html, "Inadequate at each stage, by force"))
    hidden = 0
    for row in (*published_thematic.stage_rows, published_thematic.stage_total):
        for cell, text in zip(row.cells, stages[row.label], strict=True):
            if cell.suppressed:
                hidden += 1
                assert text.startswith("c"), (row.label, text)
                if "applicable" in cell.suppressed:
                    assert text == "c"
                else:
                    assert text == f"c (c/{cell.applicable})"
            else:
                assert "c" not in text, (row.label, text)
    assert hidden >= 5
    assert stages["Force B"][-1] == "c"  # police detention: the whole cell hidden
    indicators = _table_after(html, "Indicators most often given their worst answer")
    for ind, cells in zip(
        published_thematic.worst_indicators, _body_rows(indicators).values(), strict=True
    ):
        assert (cells[2] == "c") == ("answered" in ind.suppressed)
        assert (cells[4] == "c") == ("worst" in ind.suppressed)


def test_published_force_shows_c_where_suppressed(published_force: ForceReport) -> None:
    html = render_force_html(published_force)
    checked = 0
    for breakdown in published_force.breakdowns:
        rows = _body_rows(_table_after(html, f"{breakdown.title}: grades by group"))
        for row in breakdown.rows:
            cells = rows[row.label]
            for grade, text in zip(GRADES, cells[:3], strict=True):
                assert (text == "c") == (grade in row.suppressed), (row.label, grade, text)
                checked += grade in row.suppressed
            assert (cells[3] == "c") == ("total" in row.suppressed)
            assert (cells[4] == "c") == ("inadequate_ci" in row.suppressed)
    assert checked >= 20

    def shown(value: object, hidden: bool, suffix: str = "") -> str:
        return "c" if hidden else f"{value}{suffix}"

    stages = _body_rows(_table_after(html, "Stage grades"))
    detention = next(s for s in published_force.by_stage if s.label == "Police detention")
    assert detention.suppressed  # the sample's detention stage has small counts
    assert stages["Police detention"] == [
        shown(getattr(detention, f), f in detention.suppressed)
        for f in ("applicable", "good", "adequate", "inadequate")
    ] + [shown(detention.inadequate_pct, "inadequate_pct" in detention.suppressed, "%")]
    answers = _body_rows(_table_after(html, "Answers on police detention"))
    necessary = next(a for a in published_force.detention if a.label.startswith("Detention nec"))
    assert answers["Detention necessary and short"] == [
        shown(necessary.applicable, "applicable" in necessary.suppressed),
        *(shown(n, label in necessary.suppressed) for label, n in necessary.answers),
    ]
    completeness = _body_rows(_table_after(html, "Background information not recorded"))
    age = next(c for c in published_force.completeness if c.label == "Age")
    assert completeness["Age"] == [
        f"{shown(age.missing, 'missing' in age.suppressed)} of "
        f"{shown(age.total, 'total' in age.suppressed)}",
        shown(age.missing_pct, "missing_pct" in age.suppressed, "%"),
    ]
    # the hidden groups count as too small to conclude from
    assert "(blank) † too few cases" in html


def test_charts_never_compute_from_hidden_counts(thematic: ThematicReport) -> None:
    report = publish_thematic(thematic, 20)  # Force B, F and H lose counts
    f, b = (next(r for r in report.forces if r.label == name) for name in ("Force F", "Force B"))
    assert f.good is None and f.inadequate is None and f.total == 35
    assert b.good is None and b.adequate is None and b.inadequate == 24 and b.total == 81
    chart = conclusions_chart(report)
    rows = {r.label: r for r in chart.stacked}
    assert [s.grade for s in rows["Force F"].segments] == [HIDDEN]
    assert rows["Force F"].segments[0].text == "c"
    assert rows["Force F"].segments[0].width == pytest.approx(BAR_W, abs=0.2)
    # good and adequate hidden: one hatched 'c' block for both, then inadequate
    b_segments = rows["Force B"].segments
    assert [s.grade for s in b_segments] == [HIDDEN, "inadequate"]
    assert b_segments[0].width == pytest.approx(BAR_W * 57 / 81, abs=0.2)
    assert rows["Force B"].note == "n = 81"
    assert chart.hidden and not conclusions_chart(thematic).hidden
    html = render_thematic_html(report)
    assert 'fill="url(#conclusions-chart-hidden)"' in html
    assert "c: counts hidden because they are small" in html
    assert "among the forces whose share is shown" in html

    whole_row = replace(f, total=None, suppressed=f.suppressed | {"total"})
    assert conclusions_chart(replace(report, forces=(whole_row,))).stacked[0].segments == ()


def test_force_charts_with_every_count_hidden(force_c: ForceReport) -> None:
    report = publish_force(force_c, 200)  # more than the force's cases: everything hidden
    assert all(d.count is None for d in report.distribution)
    chart = distribution_chart(report.distribution, report.overall.total)
    assert [b.width for b in chart.bars] == [0.0, 0.0, 0.0]
    assert {b.note for b in chart.bars} == {"c: hidden (small numbers)"}
    assert all(b.ci_low is None for b in chart.bars)
    html = render_force_html(report)
    assert f"{report.force}: c cases." in html
    assert "Not recorded" not in _table_after(html, "Grades of")


def test_stage_chart_with_hidden_total(thematic: ThematicReport) -> None:
    cells = thematic.stage_total.cells
    hidden = replace(
        cells[0],
        inadequate=None,
        inadequate_pct=None,
        suppressed=frozenset({"inadequate", "inadequate_pct"}),
    )
    report = replace(
        thematic, stage_total=replace(thematic.stage_total, cells=(hidden, *cells[1:]))
    )
    bar = stage_chart(report).bars[0]
    assert bar.width == 0 and bar.note == "c (c of 506)"
    assert '<td class="num">c (c/506)</td>' in render_thematic_html(report)


# --------------------------------------------------------------------------- marking


MARKED = "OFFICIAL-SENSITIVE"


def test_marking_banner_and_print_header(thematic: ThematicReport, force_c: ForceReport) -> None:
    pages = (
        render_thematic_html(replace(thematic, meta=replace(thematic.meta, marking=MARKED))),
        render_force_html(replace(force_c, meta=replace(force_c.meta, marking=MARKED))),
    )
    for html in pages:
        body = html[html.index("<body>") :]
        assert body.startswith(f'<body>\n<p class="marking top">{MARKED}</p>\n<header')
        assert body.endswith(f'<p class="marking bottom">{MARKED}</p>\n</body>\n</html>\n')
        style = html[html.index("<style>") : html.index("</style>")]
        for box in ("@top-center", "@bottom-center"):
            assert f'{box} {{ content: "OFFICIAL\\00002dSENSITIVE";' in style


def test_no_marking_no_banner(thematic_html: str, force_html: str) -> None:
    for html in (thematic_html, force_html):
        assert 'class="marking' not in html
        assert "@top-center" not in html


def test_marking_cannot_escape_the_style_sheet(thematic: ThematicReport) -> None:
    evil = '"; } body { display: none } </style><script>alert(1)</script>\\'
    html = render_thematic_html(replace(thematic, meta=replace(thematic.meta, marking=evil)))
    assert html.count("</style>") == 1 and "<script" not in html
    style = html[html.index("<style>") : html.index("</style>")]
    content = re.search(r'@top-center \{ content: "([^"]*)";', style)
    assert content is not None
    assert re.fullmatch(r"[A-Za-z0-9 \\]*", content.group(1))
    assert "display: none" not in style
    assert css_text(evil).count("\\") == len(re.findall(r"[^A-Za-z0-9 ]", evil))
    assert str(escape(evil)) in html  # the banner: escaped text


# --------------------------------------------------------------------------- wording


def test_force_page_names_the_serious_concern_threshold(force_c: ForceReport) -> None:
    assert force_c.overall.serious_concern
    html = render_force_html(force_c)
    assert "More than a third of the cases audited were inadequate: Force C (" in html
    assert "There is no national benchmark" in html
    half = replace(force_c, meta=replace(force_c.meta, serious_concern_threshold="1/2"))
    assert "More than a half of the cases audited were inadequate" in render_force_html(half)


def test_html_and_terminal_share_the_findings_wording(thematic: ThematicReport) -> None:
    html = render_thematic_html(thematic).replace("&#39;", "'")
    for sentence in findings_sentences(thematic.findings, thematic.forces):
        assert f"<li>{sentence}</li>" in html
    for sentence in chi_square_sentences(thematic.chi_square):
        assert f"<p>{sentence.replace('<', '&lt;')}</p>" in html
    import inspect_cli.render.html.report as module

    source = Path(module.__file__).read_text(encoding="utf-8")
    assert "def finding_sentences" not in source and "def chi_square_sentences" not in source


def test_findings_wording_edge_cases(thematic: ThematicReport) -> None:
    one = replace(
        thematic.findings,
        forces_recorded=1,
        forces_at_least_75pct_adequate_or_better=0,
        serious_concern=(),
        serious_concern_threshold="1/4",
    )
    words = findings_sentences(one)
    assert "The one force with recorded assessments did not have at least 75%" in words[2]
    # Another line than the source's one third is the framework's own, and says so.
    assert (
        "this framework marks more than a quarter of cases inadequate as a serious cause "
        "for concern. No force reached that level."
    ) in words[-1]
    none = replace(thematic.findings, forces_recorded=0)
    assert findings_sentences(none) == [
        "No force has cases of this audit type, so there are no findings."
    ]
    hidden = publish_thematic(thematic, 20)
    words = findings_sentences(hidden.findings, hidden.forces)
    assert "among the forces whose share is shown (others are shown as 'c')" in words[0]
    assert words[1].endswith("among the forces whose share is shown.")
    shaky = chi_square_sentences(ChiSquare(3.2, 2, 0.2019, 0.8, 3, 6))
    assert "p = 0.202: differences this large between forces could well be chance" in shaky[0]

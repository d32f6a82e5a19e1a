"""The moderation HTML page: golden, self-containment, real figures, escaping, accessible tables."""

from __future__ import annotations

import re
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from inspect_cli.moderate import INSPECTOR, SELF, ModerationReport, Unmatched, moderation_report
from inspect_cli.render.html import BAR_W, CASE_LIST_LIMIT, LABEL_W
from inspect_cli.render.moderation_html import (
    LOWEST_INDICATORS,
    direction_bar,
    render_moderation_html,
)
from inspect_cli.render.moderation_text import kappa_text
from inspect_cli.resources import data_dir
from tests.golden import assert_golden
from tests.test_browser import _chromium, _run
from tests.test_render_html import CSP, ESCAPED, PAYLOAD, _assert_escaped, _parse

GRADES = ("good", "adequate", "inadequate")
DIAGONAL = '<td class="num same">'
DIAGONAL_RULE = "table.confusion td.same { background: #dcefe2; border: 2px solid #1d6f42;"


@pytest.fixture(scope="module")
def moderation(sample_scored: Any, fixed_provenance: Any) -> ModerationReport:
    return moderation_report(sample_scored, fixed_provenance)


@pytest.fixture(scope="module")
def html(moderation: ModerationReport) -> str:
    return render_moderation_html(moderation)


def _section(html: str, anchor: str) -> str:
    start = html.index(f'<section id="{anchor}">')
    return html[start : html.index("</section>", start)]


def _table(html: str, caption_start: str) -> str:
    start = html.index(f"<caption>{caption_start}")
    return html[start : html.index("</table>", start)]


def _matrix(table: str) -> list[list[int]]:
    """The 3×3 counts of a rendered confusion matrix (rows good → inadequate)."""
    rows = []
    for grade in GRADES:
        row = re.search(rf'<th scope="row">{grade.capitalize()}</th>\n(.*?)</tr>', table, re.S)
        assert row is not None, grade
        cells = re.findall(r"<td[^>]*>([\d,]+)</td>", row.group(1))
        rows.append([int(c.replace(",", "")) for c in cells[:3]])
    return rows


# --------------------------------------------------------------------------- golden


def test_moderation_html_golden(html: str) -> None:
    assert_golden("moderation.html", html)


# --------------------------------------------------------------------------- self-contained


def test_page_loads_nothing_and_runs_nothing(html: str) -> None:
    lowered = html.lower()
    assert "http://" not in lowered
    assert "https://" not in lowered
    assert "<script" not in lowered
    assert "<link" not in lowered
    assert "<img" not in lowered
    assert "url(" not in lowered
    assert "@import" not in lowered
    hrefs = re.findall(r'href="([^"]*)"', html)
    assert hrefs and all(h.startswith("#") for h in hrefs)  # in-page contents links only


def test_page_head(html: str, moderation: ModerationReport) -> None:
    assert html.startswith("<!DOCTYPE html>\n")
    assert CSP in html
    assert '<meta charset="utf-8">' in html
    assert '<html lang="en-GB">' in html
    assert "@media print" in html
    assert f"<title>{moderation.meta.title}</title>" in html
    assert f"<h1>{moderation.meta.title}</h1>" in html


def test_every_table_has_a_caption_and_every_th_a_scope(
    html: str, moderation: ModerationReport
) -> None:
    parsed = _parse(html)
    sections = (moderation.overall, *moderation.forces)
    # agreement; per section matrix, stages, indicators and any disagreements; unmatched ×2,
    # recorded
    assert parsed.tables == 1 + 3 * len(sections) + sum(bool(a.disagreements) for a in sections) + 3
    assert parsed.captions_first == parsed.tables
    assert parsed.th_scopes
    assert set(parsed.th_scopes) <= {"col", "row"}


def test_no_inline_styles(html: str) -> None:
    """The diagonal is styled by a class in the page's style sheet, not an inline style."""
    assert not re.findall(r'style="[^"]*"', html)
    head = html[: html.index("</style>")]
    assert DIAGONAL_RULE in head  # the template's extra_style block, inside <style>
    assert head.count("<style>") == 1


def test_provenance_footer(html: str, moderation: ModerationReport) -> None:
    for name, digest in moderation.meta.provenance.inputs:
        assert f"Input {name}" in html
        assert f"SHA-256 {digest}" in html
    assert "inspect-cli 0.0.test" in html
    assert "2026-01-01T00:00:00+00:00" in html
    assert "Option audit_type" in html


def test_renderer_source_never_bypasses_escaping() -> None:
    import inspect_cli.render.moderation_html as module

    source = Path(module.__file__).read_text(encoding="utf-8")
    assert "Markup" not in source
    assert "autoescape=" not in source  # it uses the html module's environment
    assert "Environment(" not in source
    template = (data_dir("templates") / "moderation.html.j2").read_text(encoding="utf-8")
    code = re.sub(r"\{#.*?#\}", "", template, flags=re.DOTALL)
    assert not re.search(r"\|\s*safe\b|Markup|autoescape\s+false", code, re.IGNORECASE)


# --------------------------------------------------------------------------- content


def test_how_to_read(html: str) -> None:
    assert "Grades are computed from the indicator answers by the framework&#39;s rules." in html
    assert "matched when the same force has a self-assessment and an inspector assessment" in html
    assert "same case reference" in html


def test_agreement_table(html: str, moderation: ModerationReport) -> None:
    table = _table(html, "Self-assessment against inspectors")
    assert table.count('<th scope="row">') == len(moderation.forces) + 1
    for a in (*moderation.forces, moderation.overall):
        row = re.search(rf'<th scope="row">{a.label}</th>\n(.*?)</tr>', table, re.S)
        assert row is not None, a.label
        cells = re.findall(r"<td[^>]*>(.*?)</td>", row.group(1))
        assert cells[0] == str(a.matched)
        assert cells[1] == f"{a.exact} ({a.exact_agreement_pct}%)"
        assert cells[2] == kappa_text(a).replace("'", "&#39;")
        assert cells[4:7] == [str(a.self_higher), str(a.self_lower), str(a.same)]
    assert '<tr class="total">\n<th scope="row">All forces</th>' in table
    # Force C, by hand
    assert (
        '<th scope="row">Force C</th>\n<td class="num">24</td>\n<td class="num">22 (92%)</td>\n'
        "<td>0.89 (95% CI 0.75 to 1.00): almost perfect agreement</td>\n"  # kappa ≤ 1
        "<td>0.92: almost perfect agreement</td>"
    ) in table
    assert "<td>p = 0.25: not higher more often than chance</td>" in table
    assert "<td>– (no disagreements)</td>" in table  # Force B agrees on every case


def test_one_section_per_force_and_overall(html: str, moderation: ModerationReport) -> None:
    assert '<section id="overall">\n<h2>All forces</h2>' in html
    for i, a in enumerate(moderation.forces, start=1):
        assert f'<section id="force-{i}">\n<h2>{a.label}</h2>' in html
        assert f'<a href="#force-{i}">{a.label}</a>' in html


def test_confusion_matrices(html: str, moderation: ModerationReport) -> None:
    anchors = [("overall", moderation.overall)] + [
        (f"force-{i}", a) for i, a in enumerate(moderation.forces, start=1)
    ]
    for anchor, a in anchors:
        table = _table(_section(html, anchor), f"{a.label}: the force's grade (rows)")
        assert _matrix(table) == [list(row) for row in a.confusion]
        assert table.count(DIAGONAL) == 3
        for i, grade in enumerate(GRADES):
            assert f'<th scope="col" class="num">Inspectors: {grade}</th>' in table
            row = re.search(rf'<th scope="row">{grade.capitalize()}</th>\n(.*?)</tr>', table, re.S)
            assert row is not None
            tds = re.findall(r"<td[^>]*>", row.group(1))
            assert [DIAGONAL in td for td in tds[:3]] == [j == i for j in range(3)]
        assert f'<td class="num">{a.matched}</td>\n</tr>' in table  # grand total


def test_direction_bar_and_sentences(html: str, moderation: ModerationReport) -> None:
    section = _section(html, "force-2")  # Force C: 2 higher, 22 same, 0 lower
    assert "Force C: force higher 2, same 22, force lower 0</title>" in section
    assert "higher 2 · same 22 · lower 0</text>" in section
    assert (
        "Direction: force higher in 2, lower in 0, same in 22; no evidence that the force "
        "marks itself higher more often than lower (sign test p 0.25)."
    ) in section
    assert "Exact agreement on the case grade: 22 of 24 matched cases (92%)." in section
    for a in (*moderation.forces, moderation.overall):
        bar = direction_bar(a)
        assert sum(s.width for s in bar.segments) == pytest.approx(BAR_W, abs=0.2)
        assert bar.segments[0].x == LABEL_W


def test_direction_bar_with_no_cases(moderation: ModerationReport) -> None:
    empty = replace(moderation.forces[0], self_higher=0, self_lower=0, same=0)
    assert direction_bar(empty).segments == ()
    html = render_moderation_html(replace(moderation, forces=(empty,)))
    assert 'stroke-dasharray="4 3"' in html


def test_stages_and_lowest_indicators(html: str, moderation: ModerationReport) -> None:
    section = _section(html, "overall")
    stages = _table(section, "All forces: agreement on stage grades")
    for s in moderation.overall.stages:
        assert (
            f'<th scope="row">{s.label}</th>\n<td class="num">{s.compared}</td>\n'
            f'<td class="num">{s.agree}</td>\n<td class="num">{s.agree_pct}%</td>'
        ) in stages
    table = _table(section, "All forces: the 10 indicators with the lowest agreement")
    assert table.count('<th scope="row">') == LOWEST_INDICATORS
    first = moderation.overall.indicators[0]
    assert (
        f'<th scope="row">{first.label}</th>\n<td>Management of those posing a risk</td>\n'
        f'<td class="num">{first.compared}</td>\n<td class="num">{first.agree}</td>\n'
        f'<td class="num">{first.agree_pct}%</td>'
    ) in table
    for anchor in ("force-1", "force-7"):
        part = _section(html, anchor)
        start = part.index("indicators with the lowest agreement</caption>")
        assert part[start : part.index("</table>", start)].count('<th scope="row">') <= 10
        assert "indicators with the lowest agreement</caption>" in part


def test_depth_sentences(html: str, moderation: ModerationReport) -> None:
    d = moderation.overall.depth
    assert d is not None
    section = _section(html, "overall")
    assert (
        f"Over all forces&#39; {d.cases} self-assessed cases: {d.blank_pct}% of indicator "
        "answers were left blank (1,198 of 8,843)."
    ) in section
    assert (
        f"{d.comments_missing} of {d.comments_expected} stages whose answers called for a "
        f"comment had none ({d.comments_missing_pct}%)."
    ) in section
    assert "2 cases gave every indicator the same answer" in section
    assert "Over Force C&#39;s 28 self-assessed cases: 8% of indicator answers" in html


def test_no_depth_section_without_depth(moderation: ModerationReport) -> None:
    html = render_moderation_html(
        replace(moderation, forces=(replace(moderation.forces[1], depth=None),))
    )
    assert "Depth of the self-assessment" not in html


def test_disagreeing_cases(html: str, moderation: ModerationReport) -> None:
    section = _section(html, "overall")
    table = _table(section, "All forces: disagreeing cases (10)")
    for d in moderation.overall.disagreements:
        assert f'<th scope="row">{d.case_ref}</th>' in table
        assert d.self_reason.replace("'", "&#39;") in table
        assert d.inspector_reason.replace("'", "&#39;") in table
    assert (
        '<th scope="row">C-13-15329</th>\n<td>Police protection powers (s46)</td>\n'
        '<td class="grade-good">Good</td>\n<td class="grade-adequate">Adequate</td>'
    ) in table
    assert "For internal use: these identify cases." in section
    assert "The force and the inspectors gave every matched case the same grade." in _section(
        html, "force-1"
    )  # Force B


def test_disagreeing_cases_are_capped(moderation: ModerationReport) -> None:
    a = moderation.overall
    many = replace(a, disagreements=a.disagreements * 25)  # 250
    html = render_moderation_html(replace(moderation, forces=(many,)))
    table = _table(html, "All forces: disagreeing cases (250)")
    assert table.count('<th scope="row">') == CASE_LIST_LIMIT
    assert "50 more disagreeing cases not shown here" in html


def test_unmatched_cases(html: str, moderation: ModerationReport) -> None:
    section = _section(html, "unmatched")
    n_self = sum(u.audit_type == SELF for u in moderation.unmatched)
    n_insp = sum(u.audit_type == INSPECTOR for u in moderation.unmatched)
    assert n_self + n_insp == len(moderation.unmatched) > CASE_LIST_LIMIT
    assert (
        f"{n_self} self-assessment cases had no inspector assessment and {n_insp} inspector "
        "cases had no self-assessment."
    ) in section
    counts = _table(section, "Cases not matched, by force")
    assert (
        f'<th scope="row">Total</th>\n<td class="num">{n_self}</td>\n<td class="num">{n_insp}</td>'
    ) in counts
    forces = sorted({u.force for u in moderation.unmatched})
    assert counts.count('<th scope="row">') == len(forces) + 1
    listing = _table(section, f"Cases not matched ({len(moderation.unmatched)})")
    assert listing.count('<th scope="row">') == CASE_LIST_LIMIT
    more = len(moderation.unmatched) - CASE_LIST_LIMIT
    assert f"{more} more unmatched cases not shown here" in section
    first = moderation.unmatched[0]
    assert f'<th scope="row">{first.case_ref}</th>\n<td>{first.force}</td>' in listing


def test_no_unmatched_cases(moderation: ModerationReport) -> None:
    html = render_moderation_html(replace(moderation, unmatched=()))
    assert "Every self-assessment case has an inspector assessment" in html
    assert "Cases not matched, by force" not in html


def test_one_unmatched_case_is_singular(moderation: ModerationReport) -> None:
    one = (Unmatched("Force C", "C-1", SELF),)
    html = render_moderation_html(replace(moderation, unmatched=one))
    assert "1 self-assessment case had no inspector assessment and 0 inspector cases" in html
    assert "more unmatched" not in html
    assert "<td>the force only (self-assessment)</td>" in html


def test_recorded_against_computed(html: str, moderation: ModerationReport) -> None:
    table = _table(_section(html, "recorded"), "Auditors' recorded grade against the computed")
    for c in moderation.recorded_vs_computed:
        assert c.weighted_kappa is not None
        assert (
            f'<td class="num">{c.cases}</td>\n<td class="num">{c.agree} ({c.agree_pct}%)</td>\n'
            f'<td class="num">{c.weighted_kappa:.2f}</td>'
        ) in table
    assert '<th scope="row">Self-assessment</th>\n<td class="num">228</td>' in table
    empty = render_moderation_html(replace(moderation, recorded_vs_computed=()))
    assert "No auditor recorded an overall grade of their own" in empty


def test_missing_figures_are_dashes(moderation: ModerationReport) -> None:
    a = replace(
        moderation.forces[1],
        weighted_kappa=None,
        kappa_ci=None,
        alpha_ordinal=None,
        sign_test_p=None,
    )
    check = replace(moderation.recorded_vs_computed[0], weighted_kappa=None)
    html = render_moderation_html(replace(moderation, forces=(a,), recorded_vs_computed=(check,)))
    row = re.search(r'<th scope="row">Force C</th>\n(.*?)</tr>', html, re.S)
    assert row is not None
    assert row.group(1).count("<td>–</td>") == 2
    assert "Krippendorff&#39;s alpha (ordinal):" not in html  # no sentence without a figure
    assert "Weighted kappa (linear): –." in html
    assert '<td class="num">–</td>' in html


def test_single_force_has_no_all_forces(sample_scored: Any, fixed_provenance: Any) -> None:
    report = moderation_report(sample_scored, fixed_provenance, force="force c")
    html = render_moderation_html(report)
    assert "All forces" not in html
    assert 'id="overall"' not in html
    assert '<section id="force-1">\n<h2>Force C</h2>' in html
    assert "<h1>Moderation: self-assessment against inspectors — Force C</h1>" in html
    assert _parse(html).captions_first == _parse(html).tables


def test_recorded_grade_source_is_explained(sample_scored: Any, fixed_provenance: Any) -> None:
    report = moderation_report(sample_scored, fixed_provenance, grade_source="recorded")
    html = render_moderation_html(report)
    assert "Grades are the overall grades the auditors recorded" in html


# --------------------------------------------------------------------------- escaping


def _payload_report(moderation: ModerationReport) -> ModerationReport:
    def poison(a: Any) -> Any:
        d = a.disagreements[0]
        return replace(
            a,
            label=PAYLOAD,
            stages=(replace(a.stages[0], label=PAYLOAD), *a.stages[1:]),
            indicators=(replace(a.indicators[0], label=PAYLOAD), *a.indicators[1:]),
            disagreements=(
                replace(
                    d,
                    case_ref=PAYLOAD,
                    area=PAYLOAD,
                    self_grade=PAYLOAD,
                    inspector_grade=PAYLOAD,
                    self_reason=PAYLOAD,
                    inspector_reason=PAYLOAD,
                ),
                *a.disagreements[1:],
            ),
        )

    meta = moderation.meta
    prov = replace(meta.provenance, inputs=((PAYLOAD, "0" * 64), *meta.provenance.inputs))
    forces = list(moderation.forces)
    forces[1] = poison(forces[1])  # Force C
    return replace(
        moderation,
        meta=replace(
            meta, title=PAYLOAD, framework_title=PAYLOAD, provenance=prov, notes=(PAYLOAD,)
        ),
        forces=tuple(forces),
        overall=poison(moderation.overall),
        unmatched=(Unmatched(PAYLOAD, PAYLOAD, PAYLOAD), *moderation.unmatched),
        recorded_vs_computed=(
            replace(moderation.recorded_vs_computed[0], audit_type=PAYLOAD),
            *moderation.recorded_vs_computed[1:],
        ),
    )


def test_moderation_page_escapes_everything(moderation: ModerationReport) -> None:
    html = render_moderation_html(_payload_report(moderation))
    _assert_escaped(html)
    assert f"<title>{ESCAPED}</title>" in html
    assert f'<th scope="row">{ESCAPED}</th>' in html
    assert f'<td class="reason">{ESCAPED}</td>' in html
    assert '<td class="grade-other">' in html  # an unknown grade never reaches an attribute
    assert html.count(ESCAPED) >= 25
    assert not re.findall(r'style="[^"]*"', html)
    assert set(re.findall(r'\bid="([^"]*)"', html)) <= {
        "agreement",
        "overall",
        "unmatched",
        "recorded",
        *(f"force-{i}" for i in range(1, 8)),
        *(f"force-{i}-direction-title" for i in range(1, 8)),
        "overall-direction-title",
    }


# --------------------------------------------------------------------------- browser


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_browser_renders_the_page_and_keeps_the_payload_as_text(
    moderation: ModerationReport, tmp_path: Path
) -> None:
    browser = _chromium()
    page = tmp_path / "moderation.html"
    page.write_text(render_moderation_html(_payload_report(moderation)), encoding="utf-8")
    result = _run(browser, tmp_path / "profile", "--dump-dom", page.as_uri())
    assert result.returncode == 0, result.stderr[-2000:]
    dom = result.stdout
    for text in ("Force D", "24 (100%)", "Inspectors: inadequate", "Cases not matched"):
        assert text in dom, text
    assert "<script" not in dom.lower()
    parsed = _Text()
    parsed.feed(dom)
    assert any(PAYLOAD in chunk for chunk in parsed.text)  # the payload, shown as text


def test_marking_banner_and_print_header(moderation: ModerationReport, html: str) -> None:
    assert moderation.meta.marking is None
    assert 'class="marking' not in html and "@top-center" not in html
    marked = render_moderation_html(
        replace(moderation, meta=replace(moderation.meta, marking="OFFICIAL-SENSITIVE"))
    )
    assert '<body>\n<p class="marking top">OFFICIAL-SENSITIVE</p>' in marked
    assert '<p class="marking bottom">OFFICIAL-SENSITIVE</p>\n</body>' in marked
    style = marked[marked.index("<style>") : marked.index("</style>")]
    assert '@top-center { content: "OFFICIAL\\00002dSENSITIVE";' in style
    assert DIAGONAL_RULE in style  # the page's own rules still come after the base ones

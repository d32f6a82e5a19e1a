"""The moderation HTML page: golden, self-containment, real figures, escaping, accessible tables."""

from __future__ import annotations

import re
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from markupsafe import escape

from inspect_cli.render.html.jinja_env import BAR_W, CASE_LIST_LIMIT, LABEL_W
from inspect_cli.render.html.moderation import (
    LOWEST_INDICATORS,
    direction_bar,
    render_moderation_html,
)
from inspect_cli.render.wording import kappa_text, rated_text
from inspect_cli.reports.moderation import (
    INSPECTOR,
    SELF,
    Agreement,
    ModerationReport,
    Unmatched,
    moderation_report,
)
from inspect_cli.resources import data_dir
from tests.helpers.browser import chromium, run
from tests.helpers.golden import assert_golden
from tests.helpers.html_checks import CSP, ESCAPED, PAYLOAD, assert_escaped, parse

GRADES = ("good", "adequate", "inadequate")
DIAGONAL = '<td class="num same">'
DIAGONAL_RULE = "table.confusion td.same { background: #dcefe2; border: 2px solid #1d6f42;"


@pytest.fixture(scope="module")
def moderation(sample_scored: Any, fixed_provenance: Any) -> ModerationReport:
    return moderation_report(sample_scored, fixed_provenance, grade_source="computed")


@pytest.fixture(scope="module")
def html(moderation: ModerationReport) -> str:
    return render_moderation_html(moderation)


def _section(html: str, anchor: str) -> str:
    start = html.index(f'<section id="{anchor}">')
    return html[start : html.index("</section>", start)]


def _table(html: str, caption_start: str) -> str:
    start = html.index(f"<caption>{caption_start}")
    return html[start : html.index("</table>", start)]


def _esc(text: str) -> str:
    """Text as the autoescaping template writes it into element content."""
    return str(escape(text))


def _anchors(moderation: ModerationReport) -> list[tuple[str, Agreement]]:
    """Each detail section's fixed id and the figures it shows: All forces, then each force."""
    return [("overall", moderation.overall)] + [
        (f"force-{i}", a) for i, a in enumerate(moderation.forces, start=1)
    ]


def _row(table: str, label: str) -> str:
    """The cells of the table row headed ``label``."""
    row = re.search(rf'<th scope="row">{re.escape(_esc(label))}</th>\n(.*?)</tr>', table, re.S)
    assert row is not None, label
    return row.group(1)


def _p_text(p: float) -> str:
    """A p-value as the page shows it after "p" (escaped)."""
    return "&lt; 0.001" if p < 0.001 else f"{p:.3g}"


def _sign_cell(p: float) -> str:
    """The agreement table's sign test cell for a p-value, in the page's words."""
    verdict = "higher more often than chance" if p < 0.05 else "not higher more often than chance"
    shown = "&lt; 0.001" if p < 0.001 else f"= {p:.3g}"
    return f"p {shown}: {verdict}"


def _direction_sentence(a: Agreement) -> str:
    text = f"Direction: force higher in {a.self_higher}, lower in {a.self_lower}, same in {a.same}"
    if a.sign_test_p is not None:
        verdict = (
            "the force marks itself higher more often than chance would explain"
            if a.sign_test_p < 0.05
            else "no evidence that the force marks itself higher more often than lower"
        )
        text += f"; {verdict} (sign test p {_p_text(a.sign_test_p)})"
    return text + "."


def _unanimous(a: Agreement) -> Agreement:
    """``a`` as if the force and the inspectors gave every matched case the same grade."""
    totals = [sum(row) for row in a.confusion]
    confusion = tuple(tuple(totals[i] if i == j else 0 for j in range(3)) for i in range(3))
    return replace(
        a,
        exact=a.matched,
        exact_agreement_pct=100,
        confusion=confusion,  # type: ignore[arg-type]
        self_higher=0,
        self_lower=0,
        same=a.matched,
        sign_test_p=None,
        disagreements=(),
    )


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
    parsed = parse(html)
    sections = (moderation.overall, *moderation.forces)
    # agreement; per section matrix, stages, indicators and any disagreements; unmatched ×2,
    # recorded; auditor drift
    drift = 1 if moderation.drift and moderation.drift.auditors else 0
    tables = 1 + 3 * len(sections) + sum(bool(a.disagreements) for a in sections) + 3 + drift
    assert parsed.tables == tables
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
    import inspect_cli.render.html.moderation as module

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
        cells = re.findall(r"<td[^>]*>(.*?)</td>", _row(table, a.label))
        assert cells[0] == f"{a.matched:,}"
        assert cells[1] == f"{a.exact:,} ({a.exact_agreement_pct}%)"
        assert cells[2] == _esc(kappa_text(a))
        assert cells[3] == _esc(rated_text(a.ac2))
        assert cells[5:8] == [f"{a.self_higher:,}", f"{a.self_lower:,}", f"{a.same:,}"]
        assert a.sign_test_p is not None
        assert cells[8] == _sign_cell(a.sign_test_p)
    assert '<tr class="total">\n<th scope="row">All forces</th>' in table
    # The second force, by hand
    c = moderation.forces[1]
    assert c.weighted_kappa is not None and c.kappa_ci is not None and c.alpha_ordinal is not None
    assert (
        f'<th scope="row">{_esc(c.label)}</th>\n<td class="num">{c.matched:,}</td>\n'
        f'<td class="num">{c.exact:,} ({c.exact_agreement_pct}%)</td>\n'
        f"<td>{c.weighted_kappa:.2f} (SE {c.kappa.se:.2f}; 95% CI {c.kappa_ci[0]:.2f} to "
        f"{c.kappa_ci[1]:.2f}): {_esc(c.kappa_words)}</td>\n"
        f"<td>{_esc(rated_text(c.ac2))}</td>\n"
        f"<td>{c.alpha_ordinal:.2f}: {_esc(c.alpha_words)}</td>"
    ) in table
    # Made explicit: a force that agrees on every case, an interval clipped at 1, and
    # sign tests on either side of 0.05 (and below 0.001, shown escaped).
    f = moderation.forces
    low = c.kappa_ci[0]
    made = (
        _unanimous(f[0]),
        replace(f[1], kappa_ci=(low, 1.0), sign_test_p=0.25),
        replace(f[2], sign_test_p=0.01),
        replace(f[3], sign_test_p=0.0001),
    )
    page = _table(
        render_moderation_html(replace(moderation, forces=made)),
        "Self-assessment against inspectors",
    )
    assert "<td>– (no disagreements)</td>" in _row(page, made[0].label)
    assert f"95% CI {low:.2f} to 1.00): " in _row(page, made[1].label)  # kappa ≤ 1
    assert "<td>p = 0.25: not higher more often than chance</td>" in _row(page, made[1].label)
    assert "<td>p = 0.01: higher more often than chance</td>" in _row(page, made[2].label)
    assert "<td>p &lt; 0.001: higher more often than chance</td>" in _row(page, made[3].label)


def test_one_section_per_force_and_overall(html: str, moderation: ModerationReport) -> None:
    assert '<section id="overall">\n<h2>All forces</h2>' in html
    for i, a in enumerate(moderation.forces, start=1):
        assert f'<section id="force-{i}">\n<h2>{a.label}</h2>' in html
        assert f'<a href="#force-{i}">{a.label}</a>' in html


def test_confusion_matrices(html: str, moderation: ModerationReport) -> None:
    for anchor, a in _anchors(moderation):
        table = _table(_section(html, anchor), f"{_esc(a.label)}: the force's grade (rows)")
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
    for anchor, a in _anchors(moderation):
        section = _section(html, anchor)
        higher, same, lower = f"{a.self_higher:,}", f"{a.same:,}", f"{a.self_lower:,}"
        assert (
            f"{_esc(a.label)}: force higher {higher}, same {same}, force lower {lower}</title>"
        ) in section
        assert f"higher {higher} · same {same} · lower {lower}</text>" in section
        assert f"<li>{_direction_sentence(a)}</li>" in section
        ci = a.exact_agreement_ci
        assert ci is not None
        assert (
            f"Exact agreement on the case grade: {a.exact:,} of {a.matched:,} matched cases "
            f"({a.exact_agreement_pct}%; 95% CI {ci.low:.1f}% to {ci.high:.1f}%)."
        ) in section
    # Made explicit: no sign test without disagreement, and both verdicts.
    f = moderation.forces
    made = (_unanimous(f[0]), replace(f[1], sign_test_p=0.25), replace(f[2], sign_test_p=0.0001))
    page = render_moderation_html(replace(moderation, forces=made))
    assert (
        f"<li>Direction: force higher in 0, lower in 0, same in {made[0].same}.</li>"
    ) in _section(page, "force-1")
    assert (
        "; no evidence that the force marks itself higher more often than lower "
        "(sign test p 0.25).</li>"
    ) in _section(page, "force-2")
    assert (
        "; the force marks itself higher more often than chance would explain "
        "(sign test p &lt; 0.001).</li>"
    ) in _section(page, "force-3")
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
    answered = [i for i in moderation.overall.indicators if i.compared > 0]
    assert len(answered) > LOWEST_INDICATORS  # so the list is cut short
    table = _table(
        section, f"All forces: the {LOWEST_INDICATORS} indicators with the lowest agreement"
    )
    assert table.count('<th scope="row">') == LOWEST_INDICATORS
    first = answered[0]
    stage = next(s.label for s in moderation.overall.stages if s.id == first.id.split(".")[0])
    assert (
        f'<th scope="row">{_esc(first.label)}</th>\n<td>{_esc(stage)}</td>\n'
        f'<td class="num">{first.compared:,}</td>\n<td class="num">{first.agree:,}</td>\n'
        f'<td class="num">{first.agree_pct}%</td>'
    ) in table
    for anchor, a in _anchors(moderation)[1:]:
        part = _section(html, anchor)
        start = part.index("indicators with the lowest agreement</caption>")
        shown = min(LOWEST_INDICATORS, sum(i.compared > 0 for i in a.indicators))
        rows = part[start : part.index("</table>", start)].count('<th scope="row">')
        assert rows == shown <= LOWEST_INDICATORS, anchor


def test_depth_sentences(html: str, moderation: ModerationReport) -> None:
    d = moderation.overall.depth
    assert d is not None
    section = _section(html, "overall")
    assert (
        f"Over all forces&#39; {d.cases:,} self-assessed cases: {d.blank_pct}% of indicator "
        f"answers were left blank ({d.blank_cells:,} of {d.indicator_cells:,})."
    ) in section
    assert (
        f"{d.comments_missing:,} of {d.comments_expected:,} stages whose answers called for a "
        f"comment had none ({d.comments_missing_pct}%)."
    ) in section
    n = d.same_answer_cases
    assert f"{n:,} {'case' if n == 1 else 'cases'} gave every indicator the same answer" in section
    c = moderation.forces[1]
    assert c.depth is not None
    assert (
        f"Over {_esc(c.label)}&#39;s {c.depth.cases:,} self-assessed cases: {c.depth.blank_pct}% "
        "of indicator answers"
    ) in _section(html, "force-2")
    # Made explicit: one case and several.
    for same, words in ((1, "1 case gave"), (2, "2 cases gave")):
        overall = replace(moderation.overall, depth=replace(d, same_answer_cases=same))
        page = render_moderation_html(replace(moderation, overall=overall))
        assert (
            f"<p>{words} every indicator the same answer (a sign of box-ticking).</p>"
        ) in _section(page, "overall")


def test_no_depth_section_without_depth(moderation: ModerationReport) -> None:
    html = render_moderation_html(
        replace(moderation, forces=(replace(moderation.forces[1], depth=None),))
    )
    assert "Depth of the self-assessment" not in html


def test_disagreeing_cases(html: str, moderation: ModerationReport) -> None:
    section = _section(html, "overall")
    every = moderation.overall.disagreements
    assert every
    table = _table(section, f"All forces: disagreeing cases ({len(every):,})")
    shown = every[:CASE_LIST_LIMIT]
    assert table.count('<th scope="row">') == len(shown)
    for d in shown:
        assert d.self_grade in GRADES and d.inspector_grade in GRADES
        assert (
            f'<th scope="row">{_esc(d.case_ref)}</th>\n<td>{_esc(d.area)}</td>\n'
            f'<td class="grade-{d.self_grade}">{d.self_grade.capitalize()}</td>\n'
            f'<td class="grade-{d.inspector_grade}">{d.inspector_grade.capitalize()}</td>\n'
            f'<td class="reason">{_esc(d.self_reason)}</td>\n'
            f'<td class="reason">{_esc(d.inspector_reason)}</td>'
        ) in table
    assert "For internal use: these identify cases." in section
    same = "The force and the inspectors gave every matched case the same grade."
    for anchor, a in _anchors(moderation)[1:]:
        part = _section(html, anchor)
        if a.disagreements:
            assert f"{_esc(a.label)}: disagreeing cases ({len(a.disagreements):,})" in part
            assert same not in part
        else:
            assert same in part
    # Made explicit: a force that agrees on every case.
    made = (_unanimous(moderation.forces[0]), *moderation.forces[1:])
    part = _section(render_moderation_html(replace(moderation, forces=made)), "force-1")
    assert same in part
    assert "disagreeing cases (" not in part


def test_disagreeing_cases_are_capped(moderation: ModerationReport) -> None:
    a = moderation.overall
    assert a.disagreements
    extra = 50
    total = CASE_LIST_LIMIT + extra
    repeats = total // len(a.disagreements) + 1
    many = replace(a, disagreements=(a.disagreements * repeats)[:total])
    html = render_moderation_html(replace(moderation, forces=(many,)))
    table = _table(html, f"{_esc(a.label)}: disagreeing cases ({total:,})")
    assert table.count('<th scope="row">') == CASE_LIST_LIMIT
    assert f"{extra} more disagreeing cases not shown here" in html


def test_unmatched_cases(html: str, moderation: ModerationReport) -> None:
    section = _section(html, "unmatched")
    unmatched = moderation.unmatched
    n_self = sum(u.audit_type == SELF for u in unmatched)
    n_insp = sum(u.audit_type == INSPECTOR for u in unmatched)
    assert n_self + n_insp == len(unmatched) > 0
    assert (
        f"{n_self:,} self-assessment {'case' if n_self == 1 else 'cases'} had no inspector "
        f"assessment and {n_insp:,} inspector {'case' if n_insp == 1 else 'cases'} had no "
        "self-assessment."
    ) in section
    counts = _table(section, "Cases not matched, by force")
    assert (
        f'<th scope="row">Total</th>\n<td class="num">{n_self:,}</td>\n'
        f'<td class="num">{n_insp:,}</td>'
    ) in counts
    forces = sorted({u.force for u in unmatched})
    assert counts.count('<th scope="row">') == len(forces) + 1
    for force in forces:
        own = sum(u.force == force and u.audit_type == SELF for u in unmatched)
        theirs = sum(u.force == force and u.audit_type == INSPECTOR for u in unmatched)
        assert _row(counts, force) == (
            f'<td class="num">{own:,}</td>\n<td class="num">{theirs:,}</td>\n'
        )
    listing = _table(section, f"Cases not matched ({len(unmatched):,})")
    assert listing.count('<th scope="row">') == min(len(unmatched), CASE_LIST_LIMIT)
    first = unmatched[0]
    assert f'<th scope="row">{_esc(first.case_ref)}</th>\n<td>{_esc(first.force)}</td>' in listing
    more = len(unmatched) - CASE_LIST_LIMIT
    if more > 0:
        assert f"{more:,} more unmatched {'case' if more == 1 else 'cases'} not shown" in section
    else:
        assert "more unmatched" not in section
    # Made explicit: a list over the cap.
    extra = 7
    many = tuple(
        replace(unmatched[i % len(unmatched)], case_ref=f"X-{i}")
        for i in range(CASE_LIST_LIMIT + extra)
    )
    part = _section(render_moderation_html(replace(moderation, unmatched=many)), "unmatched")
    listing = _table(part, f"Cases not matched ({len(many):,})")
    assert listing.count('<th scope="row">') == CASE_LIST_LIMIT
    assert f"{extra} more unmatched cases not shown here" in part


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
    checks = moderation.recorded_vs_computed
    assert table.count('<th scope="row">') == len(checks) > 0
    for c in checks:
        assert c.weighted_kappa is not None
        assert (
            f'<th scope="row">{_esc(c.audit_type.capitalize())}</th>\n'
            f'<td class="num">{c.cases:,}</td>\n<td class="num">{c.agree:,} ({c.agree_pct}%)</td>\n'
            f'<td class="num">{c.weighted_kappa:.2f}</td>'
        ) in table
    assert {c.audit_type for c in checks} <= {SELF, INSPECTOR}
    empty = render_moderation_html(replace(moderation, recorded_vs_computed=()))
    assert "No auditor recorded an overall grade of their own" in empty


def test_missing_figures_are_dashes(moderation: ModerationReport) -> None:
    a = replace(
        moderation.forces[1],
        weighted_kappa=None,
        kappa_ci=None,
        kappa_words="not enough cases to say",
        alpha_ordinal=None,
        sign_test_p=None,
        ac2=replace(moderation.forces[1].ac2, value=None, words="not enough cases to say"),
    )
    check = replace(moderation.recorded_vs_computed[0], weighted_kappa=None)
    html = render_moderation_html(replace(moderation, forces=(a,), recorded_vs_computed=(check,)))
    assert _row(html, a.label).count("<td>–</td>") == 3
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
    assert parse(html).captions_first == parse(html).tables


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
    assert_escaped(html)
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
        *(f"force-{i}" for i in range(1, len(moderation.forces) + 1)),
        *(f"force-{i}-direction-title" for i in range(1, len(moderation.forces) + 1)),
        "overall-direction-title",
        "auditor-drift",
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
    browser = chromium()
    page = tmp_path / "moderation.html"
    page.write_text(render_moderation_html(_payload_report(moderation)), encoding="utf-8")
    result = run(browser, tmp_path / "profile", "--dump-dom", page.as_uri())
    assert result.returncode == 0, result.stderr[-2000:]
    dom = result.stdout
    shown = moderation.forces[2]  # not poisoned by _payload_report
    exact = f"{shown.exact:,} ({shown.exact_agreement_pct}%)"
    for text in (shown.label, exact, "Inspectors: inadequate", "Cases not matched"):
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

"""Moderation (self-assessment against inspectors) in the terminal."""

from __future__ import annotations

from rich.console import Console
from rich.text import Text

from inspect_cli.frameworks import GRADES
from inspect_cli.render.text.drift import print_drift
from inspect_cli.render.text.plain import PlainTable, print_heading, say
from inspect_cli.render.wording import direction_text, kappa_text, lead_text, rated_text
from inspect_cli.reports.common import shows_overall, with_overall
from inspect_cli.reports.moderation import Agreement, ModerationReport


def print_moderation(console: Console, r: ModerationReport, *, limit: int) -> None:
    about = f"{r.meta.grade_source} grades; cases matched by force and case reference."
    print_heading(console, r.meta.marking, r.meta.title, about, r.meta.notes)
    summary = PlainTable(title="Agreement by force", title_justify="left", header_style="bold")
    for col in (
        "Force",
        "Matched",
        "Exact agreement",
        "Weighted kappa (95% CI)",
        "Gwet's AC2 (95% CI)",
        "Force higher",
        "Force lower",
    ):
        summary.add_column(col, justify="left" if col == "Force" else "right")
    rows = with_overall(r.forces, r.overall)
    for a in rows:
        ci = f" ({a.kappa_ci[0]:.2f}–{a.kappa_ci[1]:.2f})" if a.kappa_ci else ""
        kappa = f"{a.weighted_kappa:.2f}{ci}" if a.weighted_kappa is not None else "–"
        summary.add_row(
            a.label,
            str(a.matched),
            f"{a.exact} ({a.exact_agreement_pct}%)",
            kappa,
            _short(a),
            str(a.self_higher),
            str(a.self_lower),
            style="bold" if a is r.overall else "",
        )
    console.print(summary)
    for a in (r.overall,) if shows_overall(r.forces) else r.forces:
        _detail(console, a, limit)
    if r.recorded_vs_computed:
        checks = PlainTable(
            title="Recorded grade against computed grade", title_justify="left", header_style="bold"
        )
        for col in ("Audit type", "Cases", "Agree", "Weighted kappa"):
            checks.add_column(col, justify="left" if col == "Audit type" else "right")
        for c in r.recorded_vs_computed:
            kappa = f"{c.weighted_kappa:.2f}" if c.weighted_kappa is not None else "–"
            checks.add_row(c.audit_type, str(c.cases), f"{c.agree} ({c.agree_pct}%)", kappa)
        console.print(checks)
    by_side: dict[str, int] = {}
    for u in r.unmatched:
        by_side[u.audit_type] = by_side.get(u.audit_type, 0) + 1
    if by_side:
        say(
            console,
            "Not matched: "
            + "; ".join(
                f"{n} {side} case(s) with no counterpart" for side, n in sorted(by_side.items())
            )
            + " (listed in the JSON, HTML and xlsx outputs).",
        )
    print_drift(console, r.drift)


def _short(a: Agreement) -> str:
    """AC2 and its interval for the summary table."""
    if a.ac2.value is None:
        return "–"
    ci = f" ({a.ac2.ci[0]:.2f}–{a.ac2.ci[1]:.2f})" if a.ac2.ci else ""
    return f"{a.ac2.value:.2f}{ci}"


def _detail(console: Console, a: Agreement, limit: int) -> None:
    console.print(Text(f"{a.label}", style="bold"))
    ci = a.exact_agreement_ci
    ci_text = f"; 95% CI {ci.low:.1f}% to {ci.high:.1f}%" if ci else ""
    say(
        console,
        f"• Exact agreement on the case grade: {a.exact} of {a.matched} "
        f"({a.exact_agreement_pct}%{ci_text}).",
    )
    ac2 = f"• Gwet's AC2 (linear weights): {rated_text(a.ac2)}."
    kappa = f"• Weighted kappa (linear): {kappa_text(a)}."
    why = lead_text(a)
    for line in (ac2, f"  Why AC2 leads: {why}", kappa) if why else (kappa, ac2):
        say(console, line)
    if a.alpha_ordinal is not None:
        say(console, f"• Krippendorff's alpha (ordinal): {a.alpha_ordinal:.2f}: {a.alpha_words}.")
    say(console, f"• Direction: {direction_text(a)}.")
    matrix = PlainTable(title="Self-assessment (rows) × inspectors (columns)", title_justify="left")
    matrix.add_column("")
    for g in GRADES:
        matrix.add_column(g, justify="right")
    for g, row in zip(GRADES, a.confusion, strict=True):
        matrix.add_row(g, *(str(n) for n in row))
    console.print(matrix)
    if a.depth:
        d = a.depth
        say(
            console,
            f"• Depth of self-assessment ({d.cases} cases): {d.blank_pct}% of indicator answers left blank; "
            f"{d.comments_missing} of {d.comments_expected} stages that called for a comment had none; "
            f"{d.same_answer_cases} case(s) gave every indicator the same answer.",
        )
    low = PlainTable(
        title="Indicators with the lowest agreement", title_justify="left", header_style="bold"
    )
    for col in ("Indicator", "Compared", "Agree %"):
        low.add_column(col, justify="left" if col == "Indicator" else "right")
    for item in a.indicators[:8]:
        low.add_row(
            item.label,
            str(item.compared),
            f"{item.agree_pct}%" if item.agree_pct is not None else "–",
        )
    console.print(low)
    if a.disagreements:
        dis = PlainTable(
            title=f"Disagreeing cases ({len(a.disagreements)})",
            title_justify="left",
            header_style="bold",
        )
        for col in ("Case", "Force's grade", "Inspectors' grade", "Inspectors' reason"):
            dis.add_column(col, overflow="fold")
        for case in a.disagreements[:limit]:
            dis.add_row(
                case.case_ref,
                case.self_grade,
                case.inspector_grade,
                case.inspector_reason.split(": ", 1)[-1],
            )
        console.print(dis)

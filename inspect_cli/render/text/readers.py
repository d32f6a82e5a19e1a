"""Agreement between inspectors over double-read cases, in the terminal."""

from __future__ import annotations

from rich.console import Console
from rich.text import Text

from inspect_cli.frameworks import GRADES
from inspect_cli.render.text.drift import print_drift
from inspect_cli.render.text.plain import PlainTable, print_heading, say
from inspect_cli.render.wording import rated_text
from inspect_cli.reports.common import shows_overall, with_overall
from inspect_cli.reports.readers import ReaderAgreement, ReadersReport


def print_readers(console: Console, r: ReadersReport, *, limit: int) -> None:
    about = f"{r.meta.grade_source} grades; inspector cases read by more than one auditor."
    print_heading(console, r.meta.marking, r.meta.title, about, r.meta.notes)
    summary = PlainTable(title="Agreement by force", title_justify="left", header_style="bold")
    for name in ("Force", "Cases", "Readers", "All readings agree", "Gwet's AC2 (95% CI)"):
        summary.add_column(name, justify="left" if name == "Force" else "right")
    for a in with_overall(r.forces, r.overall):
        ci = f" ({a.ac2.ci[0]:.2f}–{a.ac2.ci[1]:.2f})" if a.ac2.ci else ""
        summary.add_row(
            a.label,
            str(a.cases),
            str(a.readers),
            f"{a.unanimous} ({a.unanimous_pct}%)" if a.unanimous_pct is not None else "–",
            f"{a.ac2.value:.2f}{ci}" if a.ac2.value is not None else "–",
            style="bold" if a is r.overall else "",
        )
    console.print(summary)
    for a in (r.overall,) if shows_overall(r.forces) else r.forces:
        _detail(console, a, limit)
    print_drift(console, r.drift)


def _detail(console: Console, a: ReaderAgreement, limit: int) -> None:
    console.print(Text(a.label, style="bold"))
    say(console, f"• {a.cases} case(s), {a.readings} readings by {a.readers} reader(s).")
    share = f"{a.pairwise_agreement:.0%}" if a.pairwise_agreement is not None else "–"
    say(console, f"• Every reading agrees: {a.unanimous} of {a.cases}; pairs agreeing: {share}.")
    lines = [
        f"• Gwet's AC2 (linear weights): {rated_text(a.ac2)}.",
        f"• Gwet's AC1: {rated_text(a.ac1)}.",
        f"• Fleiss' kappa: {rated_text(a.fleiss_kappa)}.",
    ]
    if a.weighted_kappa is not None:
        lines.append(f"• Weighted kappa, first × second reading: {rated_text(a.weighted_kappa)}.")
    if a.alpha_ordinal is not None:
        lines.append(f"• Krippendorff's alpha (ordinal): {a.alpha_ordinal:.2f}.")
    if a.lead.reason:
        lines.insert(1, f"  Why AC2 leads: {a.lead.reason}")
    for line in lines:
        say(console, line)
    if a.confusion is not None:
        matrix = PlainTable(title="First reading (rows) × second (columns)", title_justify="left")
        matrix.add_column("")
        for g in GRADES:
            matrix.add_column(g, justify="right")
        for g, row in zip(GRADES, a.confusion, strict=True):
            matrix.add_row(g, *(str(n) for n in row))
        console.print(matrix)
    if a.disagreements:
        dis = PlainTable(
            title=f"Cases the readers graded differently ({len(a.disagreements)})",
            title_justify="left",
            header_style="bold",
        )
        for name in ("Case", "Readings", "Agreed grade"):
            dis.add_column(name, overflow="fold")
        for d in a.disagreements[:limit]:
            dis.add_row(d.case_ref, " / ".join(d.grades), d.agreed_grade or "–")
        console.print(dis)

"""Reports in the terminal (rich). Grades are always spelt out; colour only decorates."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from inspect_cli.frameworks import GRADES
from inspect_cli.render.referral_words import referral_counts_text
from inspect_cli.render.text.force_topics import print_force_topics, print_topics_summary
from inspect_cli.render.text.plain import PlainTable, say
from inspect_cli.render.text.scored import GRADE_STYLE
from inspect_cli.render.wording import (
    INTERVAL_MEANING,
    JUDGEMENT_COLUMNS,
    JUDGEMENT_INTRO,
    JUDGEMENT_TITLE,
    chi_square_sentence,
    findings_sentences,
    grades_used_text,
    judgement_cells,
    judgement_sentences,
)
from inspect_cli.reports.common import GradeRow, ReportMeta
from inspect_cli.reports.force import ForceReport
from inspect_cli.reports.judgement import JudgementAndRule
from inspect_cli.reports.suppress import SYMBOL
from inspect_cli.reports.thematic import StageCell, ThematicReport
from inspect_cli.stats import Interval

SMALL_GROUP = 10


def n_pct(n: int | None, p: int | None) -> str:
    """'24 (21%)'; a count hidden by suppression shows as 'c'."""
    if n is None:
        return SYMBOL
    return f"{n} ({p}%)" if p is not None else str(n)


def num(n: int | float | None) -> str:
    return SYMBOL if n is None else f"{n:g}"


def share(p: int | None) -> str:
    return SYMBOL if p is None else f"{p}%"


def ci_text(ci: Interval | None) -> str:
    return f"{ci.low:.1f}–{ci.high:.1f}%" if ci else "–"


def _table(title: str) -> Table:
    return PlainTable(title=title, title_justify="left", title_style="bold", header_style="bold")


def _marking(console: Console, meta: ReportMeta) -> None:
    if meta.marking:
        console.print(Text(meta.marking, style="bold reverse"))


def print_thematic(console: Console, r: ThematicReport) -> None:
    _marking(console, r.meta)
    console.print(Text(r.meta.title, style="bold underline"))
    say(
        console,
        f"{r.meta.audit_type} assessments; shares are whole percentages of each row's "
        f"total, rounded half up. {grades_used_text(r.meta)}",
        style="dim",
    )
    table = _table("Conclusions by force")
    table.add_column("Force")
    for grade in GRADES:
        table.add_column(r.headers[grade], justify="right", style=GRADE_STYLE[grade])
    table.add_column("Total", justify="right")
    table.add_column("Inadequate 95% CI", justify="right", style="dim")
    for row in r.forces:
        _grade_row(table, row)
    table.add_section()
    _grade_row(table, r.total, bold=True)
    console.print(table)
    if r.findings.serious_concern:
        console.print(Text("▲ a serious cause for concern (see key findings)", style="dim"))
    say(console, INTERVAL_MEANING, style="dim")
    for note in (*r.footnotes, *r.meta.notes):
        console.print(Text(note, style="dim"))
    console.print(Text("Key findings", style="bold"))
    for sentence in findings_sentences(r.findings, r.forces):
        say(console, f"• {sentence}")
    say(console, f"• {chi_square_sentence(r.chi_square, withheld=r.chi_square_withheld)}")
    _print_stage_shares(console, r)
    worst = _table("Indicators most often answered worst")
    for col in ("Indicator", "Stage", "Answered", "Worst answer", "%"):
        worst.add_column(col, justify="right" if col in ("Answered", "%") else "left")
    for ind in r.worst_indicators:
        worst.add_row(
            ind.label,
            ind.stage,
            num(ind.answered),
            f"{ind.worst_answer}: {num(ind.worst)}",
            share(ind.worst_pct),
        )
    console.print(worst)
    _print_judgement(console, r.judgement)
    print_topics_summary(console, r.force_topics)


def _print_judgement(console: Console, j: JudgementAndRule | None, *, limit: int = 0) -> None:
    """Recorded grades against the framework's suggestions (absent when none recorded)."""
    if j is None:
        return
    console.print(Text(JUDGEMENT_TITLE, style="bold"))
    say(console, JUDGEMENT_INTRO, style="dim")
    for sentence in judgement_sentences(j.rows[-1]):
        say(console, f"• {sentence}")
    if len(j.rows) > 1:
        table = _table("Recorded grade against the framework's suggestion, by force")
        table.caption = "Higher, lower: the recorded grade against the suggestion."
        table.caption_justify = "left"
        for col in JUDGEMENT_COLUMNS:
            table.add_column(col, justify="left" if col == "Force" else "right")
        for row in j.rows[:-1]:
            table.add_row(*judgement_cells(row))
        table.add_section()
        table.add_row(*judgement_cells(j.rows[-1]), style="bold")
        console.print(table)
    if j.differences and limit:
        diff = _table(f"Cases where the recorded grade differs ({len(j.differences)})")
        for col in ("Case", "Area", "Recorded", "Suggested", "Rationale"):
            diff.add_column(col, overflow="fold" if col == "Rationale" else "ellipsis")
        for d in j.differences[:limit]:
            diff.add_row(d.case_ref, d.area, d.recorded, d.suggested, d.rationale or "(none given)")
        console.print(diff)
        if len(j.differences) > limit:
            more = len(j.differences) - limit
            say(console, f"… and {more} more; the xlsx and JSON outputs list every case.")


FEW_FORCES = 8
"""Up to this many forces (and when it fits the terminal), the stage table shows
forces as columns, like the published tables; beyond it, forces become rows."""
STAGE_TITLE = "Share of applicable cases whose stage was inadequate"
STAGE_CAPTION = "Counts behind each share are in the HTML, xlsx and JSON outputs."


def _stage_share(cell: StageCell) -> str:
    return "–" if cell.applicable == 0 else share(cell.inadequate_pct)


def _print_stage_shares(console: Console, r: ThematicReport) -> None:
    """Stages as rows and forces as columns when that fits; otherwise (43 forces, a
    narrow terminal) forces as rows and stages as numbered columns with a key, so
    that no cell is squeezed to nothing and no name is cut."""
    stage_rows = (*r.stage_rows, r.stage_total)
    short = [srow.label.replace("Force ", "") for srow in stage_rows]
    label_width = max((len(label) for _, label in r.stages), default=5)
    wide = label_width + 4 + sum(max(len(name), 4) + 3 for name in short)
    by_force = len(r.stage_rows) > FEW_FORCES or wide > console.width
    if not by_force:
        stages = _table(STAGE_TITLE)
        stages.add_column("Stage")
        for name in short:
            stages.add_column(name, justify="right")
        for i, (_, label) in enumerate(r.stages):
            stages.add_row(label, *(_stage_share(srow.cells[i]) for srow in stage_rows))
    else:
        stages = _table(STAGE_TITLE + " (stages by number, below)")
        stages.add_column("Force", overflow="fold")
        for number in range(1, len(r.stages) + 1):
            stages.add_column(str(number), justify="right", no_wrap=True)
        for srow in r.stage_rows:
            stages.add_row(srow.label, *(_stage_share(c) for c in srow.cells))
        stages.add_section()
        stages.add_row(r.stage_total.label, *(_stage_share(c) for c in r.stage_total.cells))
    stages.caption = STAGE_CAPTION
    stages.caption_justify = "left"
    console.print(stages)
    if by_force:
        for number, (_, label) in enumerate(r.stages, start=1):
            say(console, f"{number}  {label}", style="dim")


def _grade_row(table: Table, row: GradeRow, bold: bool = False) -> None:
    label = row.label + (" ▲" if row.serious_concern and row.label != "Total" else "")
    style = "bold" if bold else ""
    if not row.recorded:
        table.add_row(row.label, "Not recorded", "", "", "", "", style="dim")
        return
    table.add_row(
        label,
        n_pct(row.good, row.good_pct),
        n_pct(row.adequate, row.adequate_pct),
        n_pct(row.inadequate, row.inadequate_pct),
        num(row.total),
        ci_text(row.inadequate_ci),
        style=style,
    )


def print_force(console: Console, r: ForceReport, *, limit: int) -> None:
    _marking(console, r.meta)
    console.print(Text(r.meta.title, style="bold underline"))
    say(console, f"{r.meta.audit_type} assessments. {grades_used_text(r.meta)}", style="dim")
    for note in r.meta.notes:
        console.print(Text(note, style="dim"))
    if r.referrals is not None:  # internal only: a published report has none
        say(console, referral_counts_text(r.referrals), style="bold")
    dist = _table(f"Grades ({num(r.overall.total)} cases)")
    for col in ("Grade", "Cases", "%", "95% interval"):
        dist.add_column(col, justify="left" if col == "Grade" else "right")
    for d in r.distribution:
        dist.add_row(
            Text(d.grade, style=GRADE_STYLE[d.grade]), num(d.count), share(d.pct), ci_text(d.ci)
        )
    console.print(dist)
    say(console, INTERVAL_MEANING, style="dim")
    stages = _table("By stage (cases where the stage applies)")
    for col in ("Stage", "Applicable", "Good", "Adequate", "Inadequate", "Inadequate %"):
        stages.add_column(col, justify="left" if col == "Stage" else "right")
    for s in r.by_stage:
        pct_text = "–" if s.applicable == 0 else share(s.inadequate_pct)
        stages.add_row(
            s.label, num(s.applicable), num(s.good), num(s.adequate), num(s.inadequate), pct_text
        )
    console.print(stages)
    for b in r.breakdowns:
        table = _table(f"By {b.title.lower()}")
        for col in ("Group", "Good", "Adequate", "Inadequate", "Total"):
            table.add_column(col, justify="left" if col == "Group" else "right")
        for row in b.rows:
            small = row.total is None or row.total < SMALL_GROUP
            table.add_row(
                row.label + (" (small group)" if small else ""),
                n_pct(row.good, row.good_pct),
                n_pct(row.adequate, row.adequate_pct),
                n_pct(row.inadequate, row.inadequate_pct),
                num(row.total),
                style="dim" if small else "",
            )
        console.print(table)
    failing = _table("Indicators most often failed")
    for col in ("Indicator", "Stage", "Theme", "Failed", "%"):
        failing.add_column(col, justify="right" if col in ("Failed", "%") else "left")
    for ind in r.failing_indicators:
        failing.add_row(
            ind.label,
            ind.stage,
            ind.theme or "",
            f"{num(ind.worst)} of {num(ind.answered)}",
            share(ind.worst_pct),
        )
    console.print(failing)
    if r.delays:
        delays = _table("Delay (days from the report date)")
        for col in ("Interval", "Cases", "Median", "Longest"):
            delays.add_column(col, justify="left" if col == "Interval" else "right")
        for delay in r.delays:
            delays.add_row(
                delay.label,
                num(delay.cases),
                num(delay.median_days),
                num(delay.longest_days),
            )
        console.print(delays)
    if r.detention and r.detention[0].applicable != 0:
        det = _table(f"Police detention ({num(r.detention[0].applicable)} cases)")
        det.add_column("Indicator")
        for answer, _ in r.detention[0].answers:
            det.add_column(answer, justify="right")
        for a in r.detention:
            det.add_row(a.label, *(num(n) for _, n in a.answers))
        console.print(det)
    comp = _table("Data completeness")
    for col in ("Field", "Missing", "%"):
        comp.add_column(col, justify="left" if col == "Field" else "right")
    for c in r.completeness:
        comp.add_row(c.label, f"{num(c.missing)} of {num(c.total)}", share(c.missing_pct))
    console.print(comp)
    if r.cases:
        cases = _table(f"Cases ({len(r.cases)})")
        for col in ("Case", "Audit", "Area", "Grade", "Reason"):
            cases.add_column(col, overflow="fold" if col == "Reason" else "ellipsis")
        for case in r.cases[:limit]:
            cases.add_row(
                case.case_ref,
                case.audit_type,
                case.area,
                Text(case.grade, style=GRADE_STYLE.get(case.grade, "")),
                case.reason.split(": ", 1)[-1],
            )
        console.print(cases)
        if len(r.cases) > limit:
            say(console, f"… and {len(r.cases) - limit} more; the xlsx output lists every case.")
    _print_judgement(console, r.judgement, limit=limit)
    print_force_topics(console, r.force_topics)
    from inspect_cli.render.text.drift import print_drift

    print_drift(console, r.drift)
    if r.recommendations is not None:
        from inspect_cli.render.text.recommendations import print_recommendations

        print_recommendations(console, r.recommendations)

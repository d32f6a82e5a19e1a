"""Terminal output with rich. Colour is decoration: every grade is also spelt out."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.console import Console
from rich.text import Text

from inspect_cli.frameworks import Framework, FrameworkInfo
from inspect_cli.problems import Problem
from inspect_cli.render.plain import PlainTable, say

if TYPE_CHECKING:  # score imports pandas, which `frameworks list` and `show` do without
    from inspect_cli.score import ScoreResult

GRADE_STYLE = {"good": "green", "adequate": "yellow", "inadequate": "bold red"}
SEVERITY_STYLE = {"error": "bold red", "warning": "yellow", "note": "dim"}
MAX_LIKE = 5


def grade_text(grade: str | None) -> Text:
    if grade is None:
        return Text("n/a", style="dim")
    return Text(grade, style=GRADE_STYLE.get(grade, ""))


def print_framework_list(console: Console, infos: Sequence[FrameworkInfo]) -> None:
    table = PlainTable(title="Frameworks", title_justify="left")
    table.add_column("id", style="bold")
    table.add_column("version")
    table.add_column("title")
    for info in infos:
        table.add_row(info.id, info.version, info.title)
    console.print(table)


def print_framework(console: Console, fw: Framework) -> None:
    console.print(Text(f"{fw.title}", style="bold"), Text(f"  {fw.id} {fw.version}", style="dim"))
    if fw.overall_question:
        console.print(Text(fw.overall_question))
    console.print()
    for scale in fw.scales:
        answers = " / ".join(
            f"{r.label} ({s:g})" for r, s in zip(scale.responses, scale.scores(), strict=True)
        )
        na = f"; {scale.not_applicable.label} never counts" if scale.not_applicable else ""
        say(console, Text.assemble(("Scale", "bold"), f" {scale.id}: {answers}{na}"))
    grades = ", ".join(f"{g.label} → {g.counts_as}" for g in fw.case_grades)
    say(console, Text.assemble(("Case grades", "bold"), f": {grades}"))
    areas = "; ".join(a.label for a in fw.areas_of_practice)
    say(console, Text.assemble(("Areas of practice", "bold"), f": {areas}"))
    console.print()
    for stage in fw.stages:
        table = PlainTable(
            title=f"{stage.label}  ({stage.id})", title_justify="left", title_style="bold"
        )
        table.add_column("indicator id", no_wrap=True)
        table.add_column("label")
        table.add_column("scale")
        table.add_column("weight", justify="right")
        table.add_column("limiting")
        for ind in stage.indicators:
            table.add_row(
                f"{stage.id}.{ind.id}",
                ind.label,
                fw.scale_of(ind).id,
                f"{ind.weight:g}",
                "limiting" if ind.limiting else "",
            )
        if stage.required_for_areas:
            labels = ", ".join(fw.area_by_id[a].label for a in stage.required_for_areas)
            table.caption = f"Required for: {labels}"
            table.caption_justify = "left"
        console.print(table)
    if fw.force_topics:
        topics = PlainTable(
            title="Force-level topics (judged for the force, not per case)",
            title_justify="left",
            title_style="bold",
        )
        topics.add_column("id", no_wrap=True)
        topics.add_column("topic")
        topics.add_column("description")
        for t in fw.force_topics:
            topics.add_row(t.id, t.label, t.description)
        console.print(topics)
    rule = fw.scoring
    st, ct = rule.stage.thresholds, rule.case.thresholds
    say(
        console,
        Text.assemble(
            ("Stage grade", "bold"),
            f": good from {st.good:g}, adequate from {st.adequate:g}, "
            f"else inadequate; a limiting indicator's worst answer caps the stage at "
            f"{rule.stage.limiting_cap}.",
        ),
    )
    combine = (
        "weighted mean of stage scores" if rule.case.combine == "mean_of_stages" else "worst stage"
    )
    say(
        console,
        Text.assemble(
            ("Case grade", "bold"),
            f": {combine}; good from {ct.good:g}, adequate from {ct.adequate:g}.",
        ),
    )
    for cap in rule.case.caps:
        say(
            console,
            f"  capped at {cap.cap} when {cap.at_least} or more stages are {cap.grade}",
        )


def print_problems(
    console: Console, problems: Sequence[Problem], *, limit_like: int = MAX_LIKE
) -> None:
    """Every problem, with repeats of the same problem in the same column folded after a few."""
    groups: dict[tuple[str, str | None, str | None, str], list[Problem]] = defaultdict(list)
    for p in problems:
        groups[(p.code, p.file, p.sheet, p.message)].append(p)
    table = PlainTable(show_header=True, header_style="bold", expand=False)
    table.add_column("", no_wrap=True)
    table.add_column("where")
    table.add_column("problem")
    for group in groups.values():
        for p in group[:limit_like]:
            table.add_row(
                Text(p.severity, style=SEVERITY_STYLE[p.severity]),
                Text(p.location()),
                Text(p.message),
            )
        if len(group) > limit_like:
            more = len(group) - limit_like
            table.add_row(
                "",
                "",
                Text(f"… and {more:,} more like this (--format json lists all)", style="dim"),
            )
    console.print(table)


def print_scored(console: Console, result: ScoreResult, *, limit: int) -> None:
    """A compact case list: the full stage-by-stage table belongs in -o scored.xlsx."""
    frame = result.scored
    table = PlainTable(
        title=f"Scored cases ({len(frame):,})", title_justify="left", header_style="bold"
    )
    table.add_column("case", no_wrap=True)
    table.add_column("force", no_wrap=True)
    table.add_column("audit", no_wrap=True)
    table.add_column("grade", no_wrap=True)
    table.add_column("reason", ratio=1, overflow="fold")
    for row in frame.head(limit).to_dict("records"):
        audit = "self" if row["audit_type"] == "self-assessment" else str(row["audit_type"])
        table.add_row(
            str(row["case_ref"]),
            str(row["force"]),
            audit,
            grade_text(str(row["grade"])),
            str(row["reason"]).split(": ", 1)[-1],
        )
    console.print(table)
    if len(frame) > limit:
        say(
            console,
            f"… and {len(frame) - limit:,} more cases. Write every case, with each stage's "
            "grade, with -o scored.xlsx (or .csv, .json).",
        )


def print_grade_counts(console: Console, counts: dict[tuple[str, str], dict[str, int]]) -> None:
    table = PlainTable(title="Computed grades", title_justify="left", header_style="bold")
    table.add_column("force")
    table.add_column("audit type")
    for g in ("good", "adequate", "inadequate"):
        table.add_column(g, justify="right")
    table.add_column("total", justify="right")
    for (force, audit), c in counts.items():
        table.add_row(
            force,
            audit,
            *(str(c.get(g, 0)) for g in ("good", "adequate", "inadequate")),
            str(sum(c.values())),
        )
    console.print(table)

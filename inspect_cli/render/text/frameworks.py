"""Frameworks in the terminal: the list of shipped frameworks and one in full."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console
from rich.text import Text

from inspect_cli.frameworks import Framework, FrameworkInfo
from inspect_cli.render.text.plain import PlainTable, say

WIDE = 110
"""From this terminal width, indicator ids get a column of their own."""


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
        # The label is what a reader needs: on a narrow terminal each indicator is one
        # cell (label, then id, scale and weight) rather than five squeezed columns.
        wide = console.width >= WIDE
        headers = ("indicator id", "label", "scale", "weight", "limiting")
        for header in headers if wide else ("indicator, id, scale and weight",):
            table.add_column(header, justify="right" if header == "weight" else "left")
        for ind in stage.indicators:
            cells = [
                f"{stage.id}.{ind.id}",
                ind.label,
                fw.scale_of(ind).id,
                f"{ind.weight:g}",
                "limiting" if ind.limiting else "",
            ]
            if wide:
                table.add_row(*cells)
            else:
                details = f"  {cells[2]}, weight {cells[3]}" + (
                    ", limiting" if ind.limiting else ""
                )
                table.add_row(Text.assemble(ind.label, "\n", (cells[0], "dim"), details))
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
    if rule.minimum_answered_share:
        say(
            console,
            Text.assemble(
                ("Answers", "bold"),
                f": a case with fewer than {rule.minimum_answered.strip()} of a stage's "
                "applicable indicators answered is graded, with a warning (few-answered).",
            ),
        )

"""The judgement-and-rule sheet of the thematic and force workbooks: recorded grades
against the framework's suggestions (internal reports only; a published report has
no such section)."""

from __future__ import annotations

from inspect_cli.render.wording import (
    JUDGEMENT_COLUMNS,
    JUDGEMENT_INTRO,
    JUDGEMENT_TITLE,
    judgement_sentences,
)
from inspect_cli.render.xlsx.kit import MAX_WIDTH, Book, exact_pct
from inspect_cli.reports.judgement import JudgementAndRule


def judgement_sheet(book: Book, j: JudgementAndRule | None, context: str) -> None:
    """One table row per force (and the total), then the cases that differ, if listed."""
    if j is None:
        return
    sh = book.sheet("Judgement and rule")
    sh.title(JUDGEMENT_TITLE)
    sh.caption(f"{context} {JUDGEMENT_INTRO}")
    sh.header(list(JUDGEMENT_COLUMNS))
    for i, r in enumerate(j.rows):
        total = i == len(j.rows) - 1 and len(j.rows) > 1
        sh.data(
            [
                r.label,
                r.compared,
                r.agree,
                exact_pct(r.agree_pct, r.agree, r.compared),
                r.recorded_higher,
                r.recorded_lower,
                r.without_rationale,
            ],
            row_style="total" if total else "",
        )
    sh.notes(
        [
            *judgement_sentences(j.rows[-1]),
            "Higher, lower: the auditor's recorded grade against the framework's suggestion.",
        ]
    )
    sh.finish(widths={0: 14})
    if not j.differences:
        return
    sh = book.sheet("Differences")
    sh.title("Cases where the recorded grade differs from the framework's suggestion")
    sh.caption(f"{context} Recorded higher than suggested first.")
    sh.header(["Case ref", "Area of practice", "Recorded", "Suggested", "Rationale"])
    for d in j.differences:
        sh.data([d.case_ref, d.area, d.recorded, d.suggested, d.rationale or "(none given)"])
    sh.finish(widths={4: MAX_WIDTH})

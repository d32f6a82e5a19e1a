"""The force-level judgements sheets: one force's topics (force workbook, internal
only) and the summary across forces (thematic workbook). Cells go through the
workbook kit, so no text ever becomes a formula."""

from __future__ import annotations

from inspect_cli.render.force_topic_words import (
    EVIDENCE_COLUMNS,
    EVIDENCE_NOTE,
    FORCE_TOPIC_COLUMNS,
    FORCE_TOPICS_INTRO,
    FORCE_TOPICS_TITLE,
    SUMMARY_CAPTION,
    SUMMARY_INTRO,
    SUMMARY_TITLE,
    agreement_sentence,
    evidence_cells,
    summary_columns,
    summary_notes,
    topic_cells,
)
from inspect_cli.render.xlsx.kit import HIDDEN, MAX_WIDTH, Book
from inspect_cli.render.xlsx.published import CONFIDENTIAL, Table
from inspect_cli.reports.force_topics import ForceTopics, TopicsSummary
from inspect_cli.reports.suppress import SYMBOL

SHEET = "Force topics"


def force_topics_sheet(book: Book, f: ForceTopics | None, context: str) -> None:
    """One row per topic: the two grades, agreement and (internal, named) evidence."""
    if f is None:
        return
    evidence = any(t.evidence is not None for t in f.topics)
    sh = book.sheet(SHEET)
    sh.title(FORCE_TOPICS_TITLE)
    sh.caption(f"{context} {FORCE_TOPICS_INTRO}")
    sh.header([*FORCE_TOPIC_COLUMNS, *(EVIDENCE_COLUMNS if evidence else ())])
    for t in f.topics:
        sh.data([*topic_cells(t), *(evidence_cells(t) if evidence else ())])
    sh.notes([agreement_sentence(f), *([EVIDENCE_NOTE] if evidence else [])])
    sh.finish(widths={0: 28, 4: MAX_WIDTH, 5: MAX_WIDTH, 6: MAX_WIDTH} if evidence else {0: 28})


def topics_summary_sheet(book: Book, s: TopicsSummary | None, context: str) -> None:
    """Per topic: forces at each inspectors' grade, and how often the force agreed."""
    if s is None:
        return
    sh = book.sheet(SHEET)
    sh.title(SUMMARY_TITLE)
    sh.caption(f"{context} {SUMMARY_INTRO}")
    sh.header(list(summary_columns(s)))
    for t in s.topics:
        figures = [*(g.forces for g in t.grades), t.same, t.self_higher, t.self_lower]
        sh.data([t.label, t.graded, *(HIDDEN if n is None else n for n in figures)])
    sh.notes([SUMMARY_CAPTION, *summary_notes(s, SYMBOL)])
    sh.finish(widths={0: 28})


def published_topics_tables(s: TopicsSummary | None, context: str) -> list[Table]:
    """The summary in the published layout (``[c]`` for a withheld figure); no table
    when no force has a topic judged. One force's grades are never published."""
    if s is None:
        return []
    rows = [
        [
            t.label,
            t.graded,
            *(
                CONFIDENTIAL if n is None else n
                for n in (*(g.forces for g in t.grades), t.same, t.self_higher, t.self_lower)
            ),
        ]
        for t in s.topics
    ]
    return [
        Table(
            sheet=SHEET,
            title=SUMMARY_TITLE,
            caption=f"{context} {SUMMARY_INTRO}",
            header=list(summary_columns(s)),
            rows=rows,
            notes=[SUMMARY_CAPTION, *summary_notes(s, CONFIDENTIAL.symbol)],
        )
    ]

"""Force-level judgements as the HTML templates show them (``_force_topics.html.j2``
in the force report, ``_topics_summary.html.j2`` in the thematic report): text cells
only, so the templates compute nothing."""

from __future__ import annotations

from dataclasses import dataclass

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
    summary_cells,
    summary_columns,
    summary_notes,
    topic_cells,
)
from inspect_cli.reports.force_topics import ForceTopics, TopicsSummary
from inspect_cli.reports.suppress import SYMBOL


@dataclass(frozen=True)
class TopicsView:
    """A section: its title and sentences, one table (first cell of a row is its
    heading), and notes under it."""

    title: str
    intro: str
    caption: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    notes: tuple[str, ...]
    numeric: bool = False  # figures after the first column (right-aligned)


def force_topics_view(f: ForceTopics | None) -> TopicsView | None:
    """One force's topics; the evidence columns only when the report holds evidence
    (internal and named)."""
    if f is None:
        return None
    evidence = any(t.evidence is not None for t in f.topics)
    columns = (*FORCE_TOPIC_COLUMNS, *(EVIDENCE_COLUMNS if evidence else ()))
    rows = tuple((*topic_cells(t), *(evidence_cells(t) if evidence else ())) for t in f.topics)
    notes = (agreement_sentence(f), *((EVIDENCE_NOTE,) if evidence else ()))
    caption = "The force's own grade and the inspectors' grade for each topic"
    return TopicsView(FORCE_TOPICS_TITLE, FORCE_TOPICS_INTRO, caption, columns, rows, notes)


def topics_summary_view(s: TopicsSummary | None) -> TopicsView | None:
    if s is None:
        return None
    rows = tuple(summary_cells(t, SYMBOL) for t in s.topics)
    return TopicsView(
        SUMMARY_TITLE,
        SUMMARY_INTRO,
        SUMMARY_CAPTION,
        summary_columns(s),
        rows,
        summary_notes(s, SYMBOL),
        numeric=True,
    )

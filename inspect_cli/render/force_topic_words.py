"""Words the force-level judgements use in every format (terminal, HTML, Excel), in one
place: the section titles, what each says, the table columns and each row's cells."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from inspect_cli.reports.force_topics import (
        ForceTopics,
        TopicJudgement,
        TopicsSummary,
        TopicSummary,
    )

FORCE_TOPICS_TITLE = "Force-level judgements"
FORCE_TOPICS_INTRO = (
    "Topics judged for the force as a whole (from interviews, documents, statistics and "
    "the force's self-assessment), not counted from cases: the force's own grade beside "
    "the inspectors'."
)
FORCE_TOPIC_COLUMNS = ("Topic", "Force's self-grade", "Inspectors' grade", "Agreement")
EVIDENCE_COLUMNS = ("Evidence: interviews", "Evidence: documents", "Evidence: statistics")
EVIDENCE_NOTE = "Evidence references are internal: no published report shows them."
SUMMARY_TITLE = "Force-level judgements across forces"
SUMMARY_INTRO = (
    "For each topic judged for the force as a whole: how many forces the inspectors gave "
    "each grade, and how often the force's own grade was the same as the inspectors'. "
    "These grades describe forces, not children; no force is named."
)
NOT_GIVEN = "–"
AGREEMENT_WORDS = {
    "same": "Same",
    "self higher": "Force graded itself higher",
    "self lower": "Force graded itself lower",
}


def topic_cells(t: TopicJudgement) -> tuple[str, str, str, str]:
    """A topic's row in :data:`FORCE_TOPIC_COLUMNS` order."""
    return (
        t.label,
        t.self_grade_label or NOT_GIVEN,
        t.inspector_grade_label or NOT_GIVEN,
        AGREEMENT_WORDS[t.agreement] if t.agreement else NOT_GIVEN,
    )


def evidence_cells(t: TopicJudgement) -> tuple[str, str, str]:
    e = t.evidence
    return ("", "", "") if e is None else (e.interviews, e.documents, e.statistics)


def agreement_sentence(f: ForceTopics) -> str:
    """'Of 6 topics with both grades, 4 the same, 2 graded higher by the force, 0 lower.'"""
    if not f.compared:
        return "No topic has both the force's and the inspectors' grade to compare."
    return (
        f"Of {f.compared} topic{'s' if f.compared != 1 else ''} with both grades: "
        f"{f.same} the same, {f.self_higher} graded higher by the force than by the "
        f"inspectors, {f.self_lower} lower."
    )


SUMMARY_CAPTION = (
    "Forces: forces with the inspectors' grade. Same, higher, lower: the force's own "
    "grade against the inspectors', for forces with both."
)


def summary_columns(s: TopicsSummary) -> tuple[str, ...]:
    """Topic, one column per grade (of the first topic's scale), then agreement."""
    grades = tuple(g.label for g in s.topics[0].grades) if s.topics else ()
    return ("Topic", "Forces", *grades, "Same", "Higher", "Lower")


def summary_cells(t: TopicSummary, symbol: str) -> tuple[str, ...]:
    """One topic's row; ``symbol`` for a figure withheld in a published report."""

    def n(value: int | None) -> str:
        return symbol if value is None else str(value)

    return (
        t.label,
        str(t.graded),
        *(n(g.forces) for g in t.grades),
        n(t.same),
        n(t.self_higher),
        n(t.self_lower),
    )


def summary_notes(s: TopicsSummary, symbol: str) -> tuple[str, ...]:
    """What the reader needs: how many forces, and what a withheld figure means."""
    notes = [f"Forces with force-level judgements: {s.forces}."]
    if s.published_minimum is not None:
        notes.append(
            f"Published: a topic's figures are shown only when at least "
            f"{s.published_minimum} forces have its grades ({symbol}: withheld); no "
            "force's own grades are published."
        )
    return tuple(notes)

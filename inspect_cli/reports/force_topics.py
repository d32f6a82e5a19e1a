"""Force-level judgements in reports: one force's topics (self-grade against the
inspectors' grade) and, across forces, how many forces got each grade per topic.

The topics are judged for a force as a whole (the Force sheet,
:mod:`inspect_cli.load.force_sheet`), not counted from cases, so they describe forces,
not children. The source's force-by-force reports did not rate forces individually, so
a published report never shows one force's topic grades: a published force report has
none, and a published thematic report shows only the distribution across forces, for
topics graded for at least :data:`PUBLISHED_MINIMUM_FORCES` forces. Evidence references
are internal only.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Literal

from inspect_cli.frameworks import Framework
from inspect_cli.identity import force_key
from inspect_cli.load.force_sheet import Evidence, ForceJudgement, topic_scale

Agreement = Literal["same", "self higher", "self lower"]
PUBLISHED_MINIMUM_FORCES = 3
"""Fewest forces with an inspectors' grade for a topic before a published report shows
its distribution: with fewer, each force could read the others' grades off it."""


@dataclass(frozen=True)
class TopicJudgement:
    """One topic of one force: its grades (ids and labels) and whether they agree."""

    topic: str
    label: str
    self_grade: str | None
    self_grade_label: str | None
    inspector_grade: str | None
    inspector_grade_label: str | None
    agreement: Agreement | None  # None: one of the grades not given
    evidence: Evidence | None = None
    """Internal only: None in an anonymised or published report."""


@dataclass(frozen=True)
class ForceTopics:
    """Every force-level topic of the framework for one force, in framework order."""

    topics: tuple[TopicJudgement, ...]
    compared: int  # topics with both grades
    same: int
    self_higher: int  # the force graded itself better than the inspectors did
    self_lower: int


@dataclass(frozen=True)
class GradeCount:
    grade: str
    label: str
    forces: int | None  # None: withheld in a published report


@dataclass(frozen=True)
class TopicSummary:
    """One topic across forces: forces at each inspectors' grade, and agreement."""

    topic: str
    label: str
    graded: int  # forces with an inspectors' grade
    grades: tuple[GradeCount, ...]  # the topic's scale, best first
    compared: int | None  # forces with both grades; None: withheld in a published report
    same: int | None
    self_higher: int | None
    self_lower: int | None
    withheld: bool = False
    """Published: graded for too few forces, so the counts are not shown."""


@dataclass(frozen=True)
class TopicsSummary:
    forces: int  # forces with at least one topic judged
    topics: tuple[TopicSummary, ...]
    published_minimum: int | None = None
    """In a published report: the fewest forces a topic's counts are shown for."""


def _agreement(
    fw: Framework, topic_id: str, own: str | None, theirs: str | None
) -> Agreement | None:
    if own is None or theirs is None:
        return None
    topic = next(t for t in fw.force_topics if t.id == topic_id)
    order = [r.id for r in topic_scale(fw, topic).responses]  # best first
    a, b = order.index(own), order.index(theirs)
    return "same" if a == b else "self higher" if a < b else "self lower"


def force_topics(
    fw: Framework, judgements: Iterable[ForceJudgement], force: str, *, evidence: bool = True
) -> ForceTopics | None:
    """``force``'s topics (its real name, as loaded); None when none is judged.
    ``evidence``: keep the evidence references (internal, not anonymised, reports)."""
    key = force_key(force)
    mine = {j.topic: j for j in judgements if force_key(j.force) == key}
    if not fw.force_topics or not mine:
        return None
    rows = []
    for topic in fw.force_topics:
        labels = {r.id: r.label for r in topic_scale(fw, topic).responses}
        j = mine.get(topic.id)
        own = j.self_grade if j else None
        theirs = j.inspector_grade if j else None
        rows.append(
            TopicJudgement(
                topic=topic.id,
                label=topic.label,
                self_grade=own,
                self_grade_label=labels.get(own) if own else None,
                inspector_grade=theirs,
                inspector_grade_label=labels.get(theirs) if theirs else None,
                agreement=_agreement(fw, topic.id, own, theirs),
                evidence=j.evidence if j and evidence else None,
            )
        )
    agree = [r.agreement for r in rows if r.agreement is not None]
    return ForceTopics(
        topics=tuple(rows),
        compared=len(agree),
        same=agree.count("same"),
        self_higher=agree.count("self higher"),
        self_lower=agree.count("self lower"),
    )


def topics_summary(fw: Framework, judgements: Sequence[ForceJudgement]) -> TopicsSummary | None:
    """Per topic, how many forces got each inspectors' grade and how often the force's
    own grade agreed; None when no force has a topic judged."""
    if not fw.force_topics or not judgements:
        return None
    topics = []
    for topic in fw.force_topics:
        mine = [j for j in judgements if j.topic == topic.id]
        graded = [j.inspector_grade for j in mine if j.inspector_grade is not None]
        agree = [
            a
            for j in mine
            if (a := _agreement(fw, topic.id, j.self_grade, j.inspector_grade)) is not None
        ]
        topics.append(
            TopicSummary(
                topic=topic.id,
                label=topic.label,
                graded=len(graded),
                grades=tuple(
                    GradeCount(r.id, r.label, graded.count(r.id))
                    for r in topic_scale(fw, topic).responses
                ),
                compared=len(agree),
                same=agree.count("same"),
                self_higher=agree.count("self higher"),
                self_lower=agree.count("self lower"),
            )
        )
    forces = len({force_key(j.force) for j in judgements})
    return TopicsSummary(forces, tuple(topics))


def published_summary(summary: TopicsSummary | None) -> TopicsSummary | None:
    """The summary a published report shows: a topic graded for fewer than
    :data:`PUBLISHED_MINIMUM_FORCES` forces has its counts withheld (each force knows its
    own grade, so with fewer it could read the others' off the distribution)."""
    if summary is None:
        return None

    def shown(t: TopicSummary) -> TopicSummary:
        if t.graded < PUBLISHED_MINIMUM_FORCES:
            grades = tuple(replace(g, forces=None) for g in t.grades)
            return replace(
                t,
                grades=grades,
                withheld=True,
                compared=None,
                same=None,
                self_higher=None,
                self_lower=None,
            )
        if t.compared is not None and 0 < t.compared < PUBLISHED_MINIMUM_FORCES:
            # the grades shown; the comparison, of too few forces, not
            return replace(t, compared=None, same=None, self_higher=None, self_lower=None)
        return t

    return replace(
        summary,
        topics=tuple(shown(t) for t in summary.topics),
        published_minimum=PUBLISHED_MINIMUM_FORCES,
    )

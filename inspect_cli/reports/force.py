"""The force report: one force in depth (breakdowns, delay, detention, data
completeness, the case list).

Percentages follow the package's rule (see ``inspect_cli.reports``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

import pandas as pd

from inspect_cli.errors import UsageError
from inspect_cli.frameworks import GRADES, Framework
from inspect_cli.identity import force_key
from inspect_cli.load.answered import count_answered
from inspect_cli.provenance import Provenance
from inspect_cli.reports.common import (
    AuditType,
    GradeRow,
    GradeSource,
    ReportMeta,
    find_force,
    report_meta,
)
from inspect_cli.reports.counts import (
    TOP_INDICATORS,
    IndicatorCount,
    Selection,
    grade_row,
    grade_row_of,
    indicator_counts,
    select,
)
from inspect_cli.reports.drift import DriftSection, drift_for
from inspect_cli.reports.force_topics import ForceTopics, force_topics
from inspect_cli.reports.judgement import JudgementAndRule, judgement_and_rule
from inspect_cli.reports.recommendations import RecommendationsSection
from inspect_cli.reports.referrals import ReferralCounts, referral_counts
from inspect_cli.score import ScoreResult
from inspect_cli.stats import Interval, pct, wilson

NOT_RECORDED = "(blank)"
NOT_KNOWN = ("unknown", "not known", "not stated", "not recorded", "refused")
"""Words that record that a child's detail is not known: counted as not recorded in
data completeness, and as the 'unknown' group of a published breakdown."""
_NOT_KNOWN_KEYS = frozenset(force_key(w) for w in NOT_KNOWN)


def is_not_known(text: str) -> bool:
    return force_key(text) in _NOT_KNOWN_KEYS


@dataclass(frozen=True)
class GradeShare:
    grade: str
    count: int | None
    pct: int | None
    ci: Interval | None
    suppressed: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Breakdown:
    title: str
    rows: tuple[GradeRow, ...]


@dataclass(frozen=True)
class StageGrades:
    label: str
    applicable: int | None
    good: int | None
    adequate: int | None
    inadequate: int | None
    inadequate_pct: int | None
    suppressed: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Delay:
    label: str
    cases: int | None
    median_days: float | None
    longest_days: int | None
    negative: int | None  # cases whose later date comes before the report date
    suppressed: frozenset[str] = frozenset()


@dataclass(frozen=True)
class AnswerCounts:
    label: str
    applicable: int | None
    answers: tuple[tuple[str, int | None], ...]  # (answer label, count), scale order
    suppressed: frozenset[str] = frozenset()  # answer labels (or "applicable") hidden
    stage: str = ""  # the label of the stage whose cases 'applicable' counts


@dataclass(frozen=True)
class Completeness:
    label: str
    missing: int | None
    total: int | None
    missing_pct: int | None
    suppressed: frozenset[str] = frozenset()


@dataclass(frozen=True)
class CaseLine:
    case_ref: str
    audit_type: str
    area: str
    grade: str
    reason: str


@dataclass(frozen=True)
class ForceReport:
    meta: ReportMeta
    force: str
    overall: GradeRow
    distribution: tuple[GradeShare, ...]
    by_stage: tuple[StageGrades, ...]
    breakdowns: tuple[Breakdown, ...]
    failing_indicators: tuple[IndicatorCount, ...]
    delays: tuple[Delay, ...]
    detention: tuple[AnswerCounts, ...]
    completeness: tuple[Completeness, ...]
    cases: tuple[CaseLine, ...] = field(default=())
    judgement: JudgementAndRule | None = None
    """Recorded grades against the framework's suggestions (internal reports only)."""
    referrals: ReferralCounts | None = None
    """Cases referred back to the force, and those still waiting for its response
    (internal reports only: never published)."""
    force_topics: ForceTopics | None = None
    """Force-level judgements, self against inspectors (internal reports only)."""
    drift: DriftSection | None = None
    """Each auditor against the rest of the team (internal, not anonymised: names auditors)."""
    recommendations: RecommendationsSection | None = None
    """The recommendations made to the force (``--recommendations``), as
    :mod:`inspect_cli.reports.recommendations` decides what each report shows."""


AGE_BANDS = ((0, 4, "0–4"), (5, 9, "5–9"), (10, 13, "10–13"), (14, 17, "14–17"))
DELAYS = (
    ("date_allocated", "Reported → allocated"),
    ("date_suspect_interviewed", "Reported → suspect interviewed"),
    ("date_medical", "Reported → medical"),
    ("date_referred_csc", "Reported → referral to children's social care"),
    ("date_closed", "Reported → closed"),
)
COMPLETENESS = (
    ("child_ethnicity", "Ethnicity"),
    ("child_disability", "Disability"),
    ("child_age", "Age"),
    ("child_gender", "Gender"),
)
BREAKDOWN_FLAGS = (
    ("specialist_team", "Specialist team"),
    ("recognised_at_outset", "Recognised as child protection at the outset"),
    ("looked_after", "Looked-after child"),
)


def grade_breakdown(
    title: str, labels: pd.Series, grade: pd.Series, order: Sequence[str] = ()
) -> Breakdown:
    if not labels.index.equals(grade.index):  # paired by position below
        raise ValueError("a breakdown's groups and grades must be rows of one frame")
    labels = labels.astype("string").fillna(NOT_RECORDED)
    # One pass over the cases, (group, grade) -> cases: a mask per group cost a
    # pandas comparison per group and per grade, 43 force reports over.
    pairs = Counter(zip(labels.tolist(), grade.tolist(), strict=True))
    present = {label for label, _ in pairs}
    seen = list(
        dict.fromkeys([*order, *sorted(present - set(order) - {NOT_RECORDED}), NOT_RECORDED])
    )
    rows = tuple(grade_row_of(v, {g: pairs[(v, g)] for g in GRADES}) for v in seen if v in present)
    return Breakdown(title, rows)


def _age_band(ages: pd.Series) -> pd.Series:
    out = pd.Series(pd.NA, index=ages.index, dtype="string")
    for low, high, label in AGE_BANDS:
        out[(ages >= low) & (ages <= high)] = label
    return out


def force_report(
    result: ScoreResult,
    provenance: Provenance,
    force: str,
    *,
    audit_type: AuditType = "inspector",
    grade_source: GradeSource = "auto",
    names: dict[str, str] | None = None,
    title: str | None = None,
    case_list: bool = True,
    as_shown: bool = False,
    selected: Selection | None = None,
) -> ForceReport:
    """One force in depth. ``force`` is the name the user typed (a real name or a
    pseudonym, resolved by :func:`find_force`), or with ``as_shown`` the force's name as
    the reports show it (its pseudonym when anonymised): for callers that take it from
    another report, where a real name that is also another force's pseudonym is not
    ambiguous. ``selected``: ``select(result, audit_type, grade_source, names)`` when
    the caller has made it once for many forces' reports."""
    fw = result.framework
    names = names or {}
    sel = selected if selected is not None else select(result, audit_type, grade_source, names)
    shown_name = find_force(force, sel.all_forces, names=None if as_shown else names)
    sel = sel.of_force(shown_name)
    frame, grade = sel.frame, sel.grade
    if frame.empty:
        kind = "inspector" if audit_type == "inspector" else audit_type
        raise UsageError(
            f"{shown_name} has no {kind} cases to report on",
            details=("try --audit-type self-assessment or --audit-type all",),
        )
    overall = grade_row(shown_name, grade, fw.reporting.serious_concern_share)
    counts = {g: int((grade == g).sum()) for g in GRADES}
    distribution = tuple(
        GradeShare(g, counts[g], overall.share(g), wilson(counts[g], len(grade))) for g in GRADES
    )
    by_stage = []
    for stage in fw.stages:
        grades = frame[f"{stage.id}.grade"]
        n = int(grades.notna().sum())
        counts = {g: int((grades == g).sum()) for g in GRADES}
        by_stage.append(
            StageGrades(
                label=stage.label,
                applicable=n,
                good=counts["good"],
                adequate=counts["adequate"],
                inadequate=counts["inadequate"],
                inadequate_pct=pct(counts["inadequate"], n),
            )
        )
    areas = frame["area_of_practice"].map(
        lambda a: fw.area_by_id[a].label if a in fw.area_by_id else a
    )
    breakdowns = [
        grade_breakdown("Area of practice", areas, grade, [a.label for a in fw.areas_of_practice])
    ]
    for column, label in BREAKDOWN_FLAGS[:2]:
        if column in frame:
            breakdowns.append(
                grade_breakdown(label, frame[column], grade, ["yes", "no", "unknown"])
            )
    if "child_age" in frame:
        breakdowns.append(
            grade_breakdown(
                "Age band", _age_band(frame["child_age"]), grade, [b[2] for b in AGE_BANDS]
            )
        )
    for column, label in (("child_gender", "Gender"), ("child_ethnicity", "Ethnicity")):
        if column in frame:
            breakdowns.append(grade_breakdown(label, frame[column], grade))
    if "looked_after" in frame:
        breakdowns.append(
            grade_breakdown(
                "Looked-after child", frame["looked_after"], grade, ["yes", "no", "unknown"]
            )
        )
    return ForceReport(
        meta=report_meta(
            result,
            title or f"{shown_name}: case audit results",
            audit_type,
            grade_source,
            bool(names),
            provenance,
            sel.notes,
            sel.published_notes,
            sel.grades_used if sel.kind is not None else None,
        ),
        force=shown_name,
        overall=overall,
        distribution=distribution,
        by_stage=tuple(by_stage),
        breakdowns=tuple(breakdowns),
        failing_indicators=indicator_counts(fw, frame, TOP_INDICATORS),
        delays=_delays(frame),
        detention=_detention(fw, frame),
        completeness=(*_completeness(frame), *_few_answered(fw, frame)),
        cases=_case_lines(fw, frame, grade) if case_list else (),
        referrals=referral_counts(frame) if case_list else None,
        # The auditor's free text may name the force: no listing in an anonymised report.
        judgement=judgement_and_rule(
            fw, frame, (), shown_name, differences=case_list and not names
        ),
        # Evidence references may name the force: none in an anonymised report.
        force_topics=force_topics(
            fw,
            result.load.force_judgements,
            next((real for real, shown in names.items() if shown == shown_name), shown_name),
            evidence=case_list and not names,
        ),
        drift=drift_for(result, grade_source, shown_name, force=shown_name, audit_type=audit_type)
        if case_list and not names
        else None,
    )


def _delays(frame: pd.DataFrame) -> tuple[Delay, ...]:
    if "date_reported" not in frame:
        return ()
    start = pd.to_datetime(frame["date_reported"])
    out = []
    for column, label in DELAYS:
        if column not in frame:
            continue
        days = (pd.to_datetime(frame[column]) - start).dt.days.dropna()
        if days.empty:
            continue
        negative = int((days < 0).sum())
        days = days[days >= 0]
        out.append(
            Delay(
                label=label,
                cases=len(days),
                median_days=float(days.median()) if len(days) else None,
                longest_days=int(days.max()) if len(days) else None,
                negative=negative,
            )
        )
    return tuple(out)


def _detention(fw: Framework, frame: pd.DataFrame) -> tuple[AnswerCounts, ...]:
    stage = next((s for s in fw.stages if s.id == "police_detention"), None)
    if stage is None:
        return ()
    applies = frame[f"{stage.id}.grade"].notna()
    out = []
    for ind in stage.indicators:
        column = frame.loc[applies, f"{stage.id}.{ind.id}"]
        scale = fw.scale_of(ind)
        answers = [*scale.responses, *([scale.not_applicable] if scale.not_applicable else [])]
        counts = tuple((r.label, int((column == r.id).sum())) for r in answers)
        out.append(AnswerCounts(ind.label, int(applies.sum()), counts, stage=stage.label))
    return tuple(out)


def _completeness(frame: pd.DataFrame) -> tuple[Completeness, ...]:
    total = len(frame)
    out = []
    for column, label in COMPLETENESS:
        if column in frame:
            values = frame[column]
            missing = int(values.isna().sum())
            if values.dtype == "string":
                counts = values.dropna().value_counts()  # one test per distinct value
                missing += sum(int(n) for v, n in counts.items() if is_not_known(str(v)))
        else:
            missing = total
        out.append(Completeness(label, missing, total, pct(missing, total)))
    return tuple(out)


def _few_answered(fw: Framework, frame: pd.DataFrame) -> tuple[Completeness, ...]:
    """Cases below the framework's minimum share of answered indicators in a stage:
    graded, but on few answers (the few-answered warning names each one)."""
    if fw.scoring.minimum_answered_share == 0:
        return ()
    total = len(frame)
    short = int(count_answered(fw, frame).too_few.sum()) if total else 0
    label = f"Indicators (fewer than {fw.scoring.minimum_answered.strip()} answered in a stage)"
    return (Completeness(label, short, total, pct(short, total)),)


def _case_lines(fw: Framework, frame: pd.DataFrame, grade: pd.Series) -> tuple[CaseLine, ...]:
    order = {g: i for i, g in enumerate(reversed(GRADES))}  # inadequate first
    lines = [
        CaseLine(
            case_ref=str(ref),
            audit_type=str(audit),
            area=fw.area_by_id[str(area)].label if str(area) in fw.area_by_id else str(area),
            grade=str(g),
            reason=str(reason),
        )
        for ref, audit, area, g, reason in zip(
            frame["case_ref"],
            frame["audit_type"],
            frame["area_of_practice"],
            grade,
            frame["reason"],
            strict=True,
        )
    ]
    return tuple(sorted(lines, key=lambda c: (order.get(c.grade, 9), c.case_ref)))

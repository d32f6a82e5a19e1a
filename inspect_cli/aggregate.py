"""Report tables as plain data, computed from scored cases; renderers only format them.

Two reports, like the tables of a published thematic inspection:
- :func:`thematic_report`: every force side by side (the conclusions table, key
  findings, intervals, a test of variation, stage and indicator tables);
- :func:`force_report`: one force in depth (breakdowns, delay, detention, data
  completeness, the case list).

Every number a report shows is computed here. Percentages are whole numbers rounded
half up, of the row's own total, exactly as the published tables do.
"""

from __future__ import annotations

import hashlib
import string
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np
import pandas as pd

from inspect_cli.errors import UsageError
from inspect_cli.frameworks import GRADES, Framework
from inspect_cli.provenance import Provenance
from inspect_cli.reports.common import AuditType, GradeSource
from inspect_cli.score import ScoreResult
from inspect_cli.stats import ChiSquare, Interval, chi_square, pct, wilson

ADEQUATE_OR_BETTER_SHARE = Fraction(3, 4)
TOP_INDICATORS = 10
NOT_RECORDED = "(blank)"


def grade_counts(scored: pd.DataFrame) -> dict[tuple[str, str], dict[str, int]]:
    """(force, audit type) → {grade: number of cases}, forces and audit types sorted."""
    out: dict[tuple[str, str], dict[str, int]] = {}
    if scored.empty:
        return out
    table = scored.groupby(["force", "audit_type", "grade"], observed=True).size()
    for key, n in table.items():
        parts: tuple[object, ...] = tuple(key)  # type: ignore[arg-type]
        counts = out.setdefault((str(parts[0]), str(parts[1])), dict.fromkeys(GRADES, 0))
        counts[str(parts[2])] = int(n)
    return dict(sorted(out.items()))


# --------------------------------------------------------------------------- models


@dataclass(frozen=True)
class GradeRow:
    """Counts of good / adequate / inadequate for one force or group, with shares."""

    label: str
    recorded: bool
    good: int | None
    adequate: int | None
    inadequate: int | None
    total: int | None
    good_pct: int | None
    adequate_pct: int | None
    inadequate_pct: int | None
    inadequate_ci: Interval | None
    serious_concern: bool = False
    suppressed: frozenset[str] = frozenset()
    """Fields hidden by small-number suppression (their values are None): show 'c'."""

    def count(self, grade: str) -> int | None:
        return {"good": self.good, "adequate": self.adequate, "inadequate": self.inadequate}[grade]

    def share(self, grade: str) -> int | None:
        return {
            "good": self.good_pct,
            "adequate": self.adequate_pct,
            "inadequate": self.inadequate_pct,
        }[grade]


@dataclass(frozen=True)
class Findings:
    good_pct_range: tuple[int, int] | None
    inadequate_pct_range: tuple[int, int] | None
    forces_at_least_75pct_adequate_or_better: int
    forces_recorded: int
    overall_inadequate_pct: int | None
    serious_concern: tuple[str, ...]
    serious_concern_threshold: str  # e.g. "1/3": flagged when the inadequate share is MORE


@dataclass(frozen=True)
class StageCell:
    applicable: int | None
    inadequate: int | None
    inadequate_pct: int | None
    suppressed: frozenset[str] = frozenset()


@dataclass(frozen=True)
class StageRow:
    label: str
    cells: tuple[StageCell, ...]  # in framework stage order


@dataclass(frozen=True)
class IndicatorCount:
    id: str
    label: str
    stage: str
    theme: str | None
    answered: int | None
    worst: int | None
    worst_answer: str
    worst_pct: int | None
    suppressed: frozenset[str] = frozenset()


@dataclass(frozen=True)
class ReportMeta:
    title: str
    framework_id: str
    framework_version: str
    framework_title: str
    audit_type: AuditType
    grade_source: GradeSource
    anonymised: bool
    provenance: Provenance
    notes: tuple[str, ...] = ()
    serious_concern_threshold: str = "1/3"
    published: bool = False
    """Made with --publish: small counts suppressed, nothing that identifies a case."""
    suppression_threshold: int | None = None
    marking: str | None = None
    """A protective marking to show at the top, e.g. 'OFFICIAL-SENSITIVE'."""


@dataclass(frozen=True)
class ThematicReport:
    meta: ReportMeta
    forces: tuple[GradeRow, ...]
    total: GradeRow
    headers: dict[str, str]  # grade → column header ("Good (includes 1 excellent case)")
    footnotes: tuple[str, ...]
    findings: Findings
    chi_square: ChiSquare | None
    stages: tuple[tuple[str, str], ...]  # (id, label)
    stage_rows: tuple[StageRow, ...]
    stage_total: StageRow
    worst_indicators: tuple[IndicatorCount, ...]


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


@dataclass(frozen=True)
class Completeness:
    label: str
    missing: int | None
    total: int
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


# --------------------------------------------------------------------------- helpers


def anonymise(forces: Iterable[str]) -> dict[str, str]:
    """Real name → 'Force A', 'Force B', … in an order that is stable for the same set
    of forces but is not alphabetical (so letters do not hint at names)."""
    names = sorted(set(forces), key=lambda n: hashlib.sha256(n.encode("utf-8")).hexdigest())
    letters = [*string.ascii_uppercase] + [
        a + b for a in string.ascii_uppercase for b in string.ascii_uppercase
    ]
    return {name: f"Force {letters[i]}" for i, name in enumerate(names)}


def grade_row(label: str, grades: pd.Series, threshold: Fraction | None = None) -> GradeRow:
    """Counts and shares of a series of reporting grades (NA ignored)."""
    counts = {g: int((grades == g).sum()) for g in GRADES}
    total = sum(counts.values())
    serious = (
        threshold is not None and total > 0 and Fraction(counts["inadequate"], total) > threshold
    )
    return GradeRow(
        label=label,
        recorded=total > 0,
        good=counts["good"],
        adequate=counts["adequate"],
        inadequate=counts["inadequate"],
        total=total,
        good_pct=pct(counts["good"], total),
        adequate_pct=pct(counts["adequate"], total),
        inadequate_pct=pct(counts["inadequate"], total),
        inadequate_ci=wilson(counts["inadequate"], total),
        serious_concern=serious,
    )


@dataclass(frozen=True)
class _Selection:
    """The cases a report counts, with the grade it counts them by."""

    frame: pd.DataFrame  # scored columns + cases' descriptive columns, one row per counted case
    grade: pd.Series
    all_forces: tuple[str, ...]
    notes: tuple[str, ...]


def _select(
    result: ScoreResult,
    audit_type: AuditType,
    grade_source: GradeSource,
    names: dict[str, str],
    columns: Sequence[str] | None = None,
) -> _Selection:
    frame = result.combined(columns)
    frame["force"] = frame["force"].astype("string")
    if names:  # anonymised: replaced per distinct name, not a call per row
        frame["force"] = frame["force"].replace(names)
    all_forces = tuple(sorted(frame["force"].dropna().unique()))
    if audit_type != "all":
        frame = frame[frame["audit_type"] == audit_type]
    notes: list[str] = []
    if grade_source == "recorded":
        grade = frame["recorded_counts_as"]
        missing = int(grade.isna().sum())
        if missing:
            notes.append(f"{missing:,} case(s) have no recorded overall grade and are not counted.")
        keep = grade.notna()
        frame, grade = frame[keep], grade[keep]
    else:
        grade = frame["grade"]
    return _Selection(
        frame.reset_index(drop=True), grade.reset_index(drop=True), all_forces, tuple(notes)
    )


def _headers(sel: _Selection, grade_source: GradeSource, fw: Framework) -> dict[str, str]:
    headers = {g: g.capitalize() for g in GRADES}
    if grade_source != "recorded":
        return headers
    recorded = sel.frame["recorded_grade"]
    labels = {g.id: g.label.lower() for g in fw.case_grades}
    for grade in GRADES:
        folded = [g for g in fw.case_grades if g.counts_as == grade and g.id != grade]
        present = [(g, int((recorded == g.id).sum())) for g in folded]
        present = [(g, n) for g, n in present if n]
        if not present:
            continue
        if len(present) == 1 and grade == "good":
            g, n = present[0]
            headers[grade] += f" (includes {_count(n, labels[g.id] + ' case')})"
        else:
            words = " and ".join(labels[g.id] for g, _ in present)
            headers[grade] += f" (includes cases assessed as {words})"
    return headers


def _count(n: int, noun: str) -> str:
    words = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five"}
    return f"{words.get(n, str(n))} {noun}{'' if n == 1 else 's'}"


def _indicator_counts(fw: Framework, frame: pd.DataFrame, top: int) -> tuple[IndicatorCount, ...]:
    out = []
    for ref in fw.indicators:
        column = frame[ref.full_id]
        codes = np.asarray(column.cat.codes)
        n_responses = len(ref.scale.responses)
        answered = int(((codes >= 0) & (codes < n_responses)).sum())
        worst = int((codes == n_responses - 1).sum())
        out.append(
            IndicatorCount(
                id=ref.full_id,
                label=ref.indicator.label,
                stage=ref.stage.label,
                theme=ref.indicator.theme,
                answered=answered,
                worst=worst,
                worst_answer=ref.scale.worst.label,
                worst_pct=pct(worst, answered),
            )
        )
    ranked = sorted(
        (c for c in out if c.worst), key=lambda c: (-(c.worst or 0), -(c.worst_pct or 0), c.id)
    )
    return tuple(ranked[:top])


StageFlags = list[tuple[np.ndarray, np.ndarray]]


def _stage_flags(fw: Framework, frame: pd.DataFrame) -> StageFlags:
    """Per stage, which cases it applied to and which it graded inadequate.

    Computed once for the whole frame, so each force's row is a few array sums rather
    than a filtered copy of the frame and its own pandas comparisons.
    """
    flags = []
    for stage in fw.stages:
        grades = frame[f"{stage.id}.grade"]
        applicable = grades.notna().to_numpy(dtype=bool)
        inadequate = grades.eq("inadequate").to_numpy(dtype=bool, na_value=False)
        flags.append((applicable, inadequate))
    return flags


def _stage_row(label: str, flags: StageFlags, rows: np.ndarray | None = None) -> StageRow:
    """One row of the stage table: all cases, or those where ``rows`` is True."""
    cells = []
    for applicable_flags, inadequate_flags in flags:
        if rows is not None:
            applicable_flags, inadequate_flags = applicable_flags[rows], inadequate_flags[rows]
        applicable = int(applicable_flags.sum())
        inadequate = int(inadequate_flags.sum())
        cells.append(StageCell(applicable, inadequate, pct(inadequate, applicable)))
    return StageRow(label, tuple(cells))


def _meta(
    result: ScoreResult,
    title: str,
    audit_type: AuditType,
    grade_source: GradeSource,
    anonymised: bool,
    provenance: Provenance,
    notes: Sequence[str],
) -> ReportMeta:
    fw = result.framework
    return ReportMeta(
        title=title,
        framework_id=fw.id,
        framework_version=fw.version,
        framework_title=fw.title,
        audit_type=audit_type,
        grade_source=grade_source,
        anonymised=anonymised,
        provenance=provenance,
        notes=tuple(notes),
        serious_concern_threshold=str(fw.reporting.serious_concern_share),
    )


# --------------------------------------------------------------------------- thematic


def thematic_report(
    result: ScoreResult,
    provenance: Provenance,
    *,
    audit_type: AuditType = "inspector",
    grade_source: GradeSource = "computed",
    names: dict[str, str] | None = None,
    title: str | None = None,
) -> ThematicReport:
    """Every force side by side, as the published cross-force table and its findings."""
    fw = result.framework
    names = names or {}
    # Only what the cross-force tables count: the free text need not be filtered.
    counted = [
        "force",
        "audit_type",
        "grade",
        "recorded_grade",
        "recorded_counts_as",
        *(f"{s.id}.grade" for s in fw.stages),
        *(r.full_id for r in fw.indicators),
    ]
    sel = _select(result, audit_type, grade_source, names, counted)
    threshold = fw.reporting.serious_concern_share
    forces = []
    grade_by_force = sel.grade.groupby(sel.frame["force"], observed=True)
    groups = {str(k): v for k, v in grade_by_force}
    for force in sel.all_forces:
        forces.append(grade_row(force, groups.get(force, pd.Series([], dtype="string")), threshold))
    recorded = [r for r in forces if r.recorded]
    total = grade_row("Total", sel.grade, threshold)
    footnotes = []
    not_recorded = [r.label for r in forces if not r.recorded]
    if not_recorded:
        kind = "inspectors'" if audit_type == "inspector" else audit_type
        footnotes.append(
            f"Not recorded: {', '.join(not_recorded)} had no {kind} case assessments "
            f"{'with a recorded grade ' if grade_source == 'recorded' else ''}in the data; "
            "left out of the totals."
        )
    findings = Findings(
        good_pct_range=_range(r.good_pct for r in recorded),
        inadequate_pct_range=_range(r.inadequate_pct for r in recorded),
        forces_at_least_75pct_adequate_or_better=sum(
            1
            for r in recorded
            if Fraction((r.good or 0) + (r.adequate or 0), r.total or 1) >= ADEQUATE_OR_BETTER_SHARE
        ),
        forces_recorded=len(recorded),
        overall_inadequate_pct=total.inadequate_pct,
        serious_concern=tuple(r.label for r in recorded if r.serious_concern),
        serious_concern_threshold=str(threshold),
    )
    table = [[r.count(g) or 0 for g in GRADES] for r in recorded]
    stage_flags = _stage_flags(fw, sel.frame)
    stage_rows = tuple(
        _stage_row(
            force, stage_flags, sel.frame["force"].eq(force).to_numpy(dtype=bool, na_value=False)
        )
        for force in (r.label for r in recorded)
    )
    default_title = f"{fw.title}: case audit conclusions by force"
    return ThematicReport(
        meta=_meta(
            result,
            title or default_title,
            audit_type,
            grade_source,
            bool(names),
            provenance,
            sel.notes,
        ),
        forces=tuple(forces),
        total=total,
        headers=_headers(sel, grade_source, fw),
        footnotes=tuple(footnotes),
        findings=findings,
        chi_square=chi_square(table) if len(table) >= 2 else None,
        stages=tuple((s.id, s.label) for s in fw.stages),
        stage_rows=stage_rows,
        stage_total=_stage_row("Total", stage_flags),
        worst_indicators=_indicator_counts(fw, sel.frame, TOP_INDICATORS),
    )


def _range(values: Iterable[int | None]) -> tuple[int, int] | None:
    present = [v for v in values if v is not None]
    return (min(present), max(present)) if present else None


# --------------------------------------------------------------------------- force

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


def _breakdown(
    title: str, labels: pd.Series, grade: pd.Series, order: Sequence[str] = ()
) -> Breakdown:
    labels = labels.astype("string").fillna(NOT_RECORDED)
    seen = list(
        dict.fromkeys([*order, *sorted(set(labels) - set(order) - {NOT_RECORDED}), NOT_RECORDED])
    )
    rows = tuple(grade_row(v, grade[labels == v]) for v in seen if (labels == v).any())
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
    grade_source: GradeSource = "computed",
    names: dict[str, str] | None = None,
    title: str | None = None,
    case_list: bool = True,
) -> ForceReport:
    """One force in depth."""
    fw = result.framework
    names = names or {}
    sel = _select(result, audit_type, grade_source, names)
    shown_name = names.get(force, force)
    matches = [f for f in sel.all_forces if f.casefold() == shown_name.casefold()]
    if not matches:
        raise UsageError(
            f"no force {force!r} in the data",
            details=(f"forces present: {', '.join(sel.all_forces) or 'none'}",),
        )
    shown_name = matches[0]
    mine = (sel.frame["force"] == shown_name).to_numpy()
    frame = sel.frame[mine].reset_index(drop=True)
    grade = sel.grade[mine].reset_index(drop=True)
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
        _breakdown("Area of practice", areas, grade, [a.label for a in fw.areas_of_practice])
    ]
    for column, label in BREAKDOWN_FLAGS[:2]:
        if column in frame:
            breakdowns.append(_breakdown(label, frame[column], grade, ["yes", "no", "unknown"]))
    if "child_age" in frame:
        breakdowns.append(
            _breakdown("Age band", _age_band(frame["child_age"]), grade, [b[2] for b in AGE_BANDS])
        )
    for column, label in (("child_gender", "Gender"), ("child_ethnicity", "Ethnicity")):
        if column in frame:
            breakdowns.append(_breakdown(label, frame[column], grade))
    if "looked_after" in frame:
        breakdowns.append(
            _breakdown("Looked-after child", frame["looked_after"], grade, ["yes", "no", "unknown"])
        )
    return ForceReport(
        meta=_meta(
            result,
            title or f"{shown_name}: case audit results",
            audit_type,
            grade_source,
            bool(names),
            provenance,
            sel.notes,
        ),
        force=shown_name,
        overall=overall,
        distribution=distribution,
        by_stage=tuple(by_stage),
        breakdowns=tuple(breakdowns),
        failing_indicators=_indicator_counts(fw, frame, TOP_INDICATORS),
        delays=_delays(frame),
        detention=_detention(fw, frame),
        completeness=_completeness(frame),
        cases=_case_lines(fw, frame, grade) if case_list else (),
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
        out.append(AnswerCounts(ind.label, int(applies.sum()), counts))
    return tuple(out)


def _completeness(frame: pd.DataFrame) -> tuple[Completeness, ...]:
    total = len(frame)
    out = []
    for column, label in COMPLETENESS:
        if column in frame:
            values = frame[column]
            missing = int(values.isna().sum())
            if values.dtype == "string":
                missing += int((values.str.casefold() == "unknown").sum())
        else:
            missing = total
        out.append(Completeness(label, missing, total, pct(missing, total)))
    return tuple(out)


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

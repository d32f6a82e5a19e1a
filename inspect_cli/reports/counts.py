"""Counting that several reports share: the cases a report counts, grade rows,
grade counts, indicator counts.

Apart from :mod:`inspect_cli.reports.common` because it needs pandas and numpy, which
the command line must not import at start-up.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
import pandas as pd

from inspect_cli.frameworks import GRADES, Framework
from inspect_cli.reports.common import AuditType, GradeKind, GradeRow, GradeSource
from inspect_cli.score import ScoreResult
from inspect_cli.stats import pct, wilson

TOP_INDICATORS = 10


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


def grade_row(label: str, grades: pd.Series, threshold: Fraction | None = None) -> GradeRow:
    """Counts and shares of a series of reporting grades (NA ignored)."""
    return grade_row_of(label, {g: int((grades == g).sum()) for g in GRADES}, threshold)


def grade_row_of(label: str, counts: dict[str, int], threshold: Fraction | None = None) -> GradeRow:
    """Counts and shares from the number of cases of each grade."""
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


def counted_grade(frame: pd.DataFrame, grade_source: GradeSource) -> tuple[pd.Series, pd.Series]:
    """The grade each case is counted by, and its kind ('recorded' or 'computed'; NA
    where the case has no grade of the kind asked for and is not counted).

    The one place that decides it, for every report: ``auto`` takes the auditor's
    recorded conclusion where there is one and the framework's suggested grade where
    not; ``computed`` and ``recorded`` take only that kind."""
    recorded = frame["recorded_counts_as"].astype("string")
    computed = frame["grade"].astype("string")
    has_recorded = recorded.notna()
    if grade_source == "recorded":
        grade = recorded
    elif grade_source == "computed":
        grade = computed
        has_recorded = pd.Series(False, index=frame.index)
    else:
        grade = recorded.where(has_recorded, computed)
    kind = pd.Series(
        np.where(has_recorded.to_numpy(dtype=bool), "recorded", "computed"),
        index=frame.index,
        dtype="string",
    ).where(grade.notna())
    return grade, kind


def grades_used(kind: pd.Series) -> dict[GradeKind, int]:
    """How many cases each kind of grade counted, recorded first."""
    return {k: int((kind == k).sum()) for k in ("recorded", "computed")}


READING_KEY = ("force", "audit_type", "case_ref", "round")
"""What makes readings the same case: the loader refuses two readings of a case by
one auditor (or with no auditor), so rows sharing these are different auditors'."""


def one_reading_per_case(frame: pd.DataFrame, fw: Framework) -> tuple[pd.DataFrame, int]:
    """Each case once, and how many cases were read by more than one auditor
    (:func:`readings_per_case` has the rule)."""
    kept, twice = readings_per_case(frame, fw)
    return kept, int(twice.sum())


def readings_per_case(frame: pd.DataFrame, fw: Framework) -> tuple[pd.DataFrame, pd.Series]:
    """Each case once, and per case kept whether it was read by more than one auditor.

    The one rule, for every report: a double-read case is counted by its first
    reading (files in the order given, sheets in workbook order, rows top to bottom:
    the order the rows were loaded); where any of its readings gives an agreed grade,
    that grade is the case's recorded conclusion (``recorded_grade``)."""
    key = [c for c in READING_KEY if c in frame]
    alone = pd.Series(False, index=frame.index)
    if frame.empty or "case_ref" not in frame:
        return frame, alone
    ids = frame[key].astype("string").fillna("")
    again = ids.duplicated(keep="first")
    if not again.any():
        return frame, alone
    repeated = ids.duplicated(keep=False)
    kept = frame[~again]
    if "agreed_grade" in frame and frame.loc[repeated, "agreed_grade"].notna().any():
        kept = _with_agreed(frame, ids, repeated, kept, fw)
    return kept, (repeated & ~again)[~again]


def _with_agreed(
    frame: pd.DataFrame, ids: pd.DataFrame, repeated: pd.Series, kept: pd.DataFrame, fw: Framework
) -> pd.DataFrame:
    """The first reading, its recorded grade replaced by the case's agreed grade."""
    cols = list(ids.columns)
    part = ids[repeated].assign(_agreed=frame.loc[repeated, "agreed_grade"].astype("string"))
    agreed = part.groupby(cols, sort=False)["_agreed"].first().dropna()
    if agreed.empty:
        return kept
    lookup = pd.MultiIndex.from_frame(ids.loc[kept.index])
    found = pd.Series(agreed.reindex(lookup).to_numpy(), index=kept.index, dtype="string")
    counts_as = found.map({g.id: g.counts_as for g in fw.case_grades}).astype("string")
    kept = kept.copy()
    has = found.notna()
    kept["recorded_grade"] = kept["recorded_grade"].astype("string").where(~has, found)
    kept["recorded_counts_as"] = kept["recorded_counts_as"].astype("string").where(~has, counts_as)
    return kept


def double_read_notes(n: int) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """What a report says about double-read cases: (notes, published notes)."""
    if not n:
        return (), ()
    rule = (
        "counted once, by the grade its readers agreed where given, else by its first "
        "reading (docs/moderation.md)."
    )
    return (
        (f"{n:,} case(s) were read by more than one auditor; each is {rule}",),
        (f"A case read by more than one auditor is {rule}",),
    )


@dataclass(frozen=True)
class Selection:
    """The cases a report counts, with the grade it counts them by."""

    frame: pd.DataFrame  # scored columns + cases' descriptive columns, one row per counted case
    grade: pd.Series
    all_forces: tuple[str, ...]
    notes: tuple[str, ...]
    published_notes: tuple[str, ...] = ()
    """``notes`` without counts of cases (a count in a note is a figure too)."""
    kind: pd.Series | None = None
    """Per counted case, 'recorded' or 'computed': which kind of grade counted it."""
    read_twice: pd.Series | None = None
    """Per counted case, whether more than one auditor read it."""
    uncounted: pd.Series | None = None
    """The force of each case left out for want of a recorded grade."""
    grade_source: GradeSource = "auto"

    @property
    def grades_used(self) -> dict[GradeKind, int]:
        return grades_used(self.kind) if self.kind is not None else {}

    def of_force(self, force: str) -> Selection:
        """The cases of one force (its name as the report shows it), with notes that
        count that force's cases only."""
        mine = (self.frame["force"] == force).to_numpy()
        kind = self.kind[mine].reset_index(drop=True) if self.kind is not None else None
        twice = self.read_twice[mine] if self.read_twice is not None else None
        missing = int((self.uncounted == force).sum()) if self.uncounted is not None else 0
        notes, published = _notes(self.grade_source, missing, kind, twice)
        return Selection(
            self.frame[mine].reset_index(drop=True),
            self.grade[mine].reset_index(drop=True),
            self.all_forces,
            notes,
            published,
            kind,
            None if twice is None else twice.reset_index(drop=True),
            None if self.uncounted is None else self.uncounted[self.uncounted == force],
            self.grade_source,
        )


def select(
    result: ScoreResult,
    audit_type: AuditType,
    grade_source: GradeSource,
    names: dict[str, str],
    columns: Sequence[str] | None = None,
) -> Selection:
    if columns is not None:  # what the one-reading rule needs
        columns = [*columns, *READING_KEY, "agreed_grade", "recorded_grade", "recorded_counts_as"]
    frame, twice = readings_per_case(result.combined(columns), result.framework)
    frame["force"] = frame["force"].astype("string")
    if names:  # anonymised: replaced per distinct name, not a call per row
        frame["force"] = frame["force"].replace(names)
    all_forces = tuple(sorted(frame["force"].dropna().unique()))
    if audit_type != "all":
        chosen = frame["audit_type"] == audit_type
        frame, twice = frame[chosen], twice[chosen]
    grade, kind = counted_grade(frame, grade_source)
    # Only 'recorded' leaves cases out: a case no rule could grade stays, uncounted by grade.
    keep = grade.notna() if grade_source == "recorded" else pd.Series(True, index=frame.index)
    uncounted = frame.loc[~keep, "force"]
    frame, grade, kind, twice = frame[keep], grade[keep], kind[keep], twice[keep]
    notes, published_notes = _notes(grade_source, len(uncounted), kind, twice)
    return Selection(
        frame.reset_index(drop=True),
        grade.reset_index(drop=True),
        all_forces,
        notes,
        published_notes,
        kind.reset_index(drop=True),
        twice.reset_index(drop=True),
        uncounted.reset_index(drop=True),
        grade_source,
    )


def _notes(
    grade_source: GradeSource, missing: int, kind: pd.Series | None, twice: pd.Series | None
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """What a report says about the cases it counted: (notes, published notes)."""
    used: dict[GradeKind, int] = (
        grades_used(kind) if kind is not None else {"recorded": 0, "computed": 0}
    )
    notes, published = _grade_notes(grade_source, missing, used)
    read_twice, read_twice_published = double_read_notes(
        int(twice.sum()) if twice is not None else 0
    )
    return notes + read_twice, published + read_twice_published


def _grade_notes(
    grade_source: GradeSource, missing: int, used: dict[GradeKind, int]
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """What a report says about the grades it counted: (notes, published notes)."""
    notes: list[str] = []
    published: list[str] = []
    if missing:
        notes.append(f"{missing:,} case(s) have no recorded overall grade and are not counted.")
        published.append(
            "Cases with no recorded overall grade are not counted (how many is not shown)."
        )
    recorded, computed = used["recorded"], used["computed"]
    if grade_source == "auto" and recorded and computed:
        notes.append(
            f"Grades counted: {recorded:,} recorded by the auditor and {computed:,} "
            "suggested by the framework's rules (cases with no recorded overall grade)."
        )
        published.append(
            "Each case is counted by the overall grade the auditor recorded, or, where "
            "none was recorded, by the grade the framework's rules suggest."
        )
    elif grade_source == "auto" and computed:
        notes.append(
            "No case has a recorded overall grade: every case is counted by the grade the "
            "framework's rules suggest."
        )
        published.append(notes[-1])
    return tuple(notes), tuple(published)


def indicator_counts(fw: Framework, frame: pd.DataFrame, top: int) -> tuple[IndicatorCount, ...]:
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

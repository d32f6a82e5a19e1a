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
from inspect_cli.reports.common import AuditType, GradeRow, GradeSource
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


@dataclass(frozen=True)
class Selection:
    """The cases a report counts, with the grade it counts them by."""

    frame: pd.DataFrame  # scored columns + cases' descriptive columns, one row per counted case
    grade: pd.Series
    all_forces: tuple[str, ...]
    notes: tuple[str, ...]
    published_notes: tuple[str, ...] = ()
    """``notes`` without counts of cases (a count in a note is a figure too)."""


def select(
    result: ScoreResult,
    audit_type: AuditType,
    grade_source: GradeSource,
    names: dict[str, str],
    columns: Sequence[str] | None = None,
) -> Selection:
    frame = result.combined(columns)
    frame["force"] = frame["force"].astype("string")
    if names:  # anonymised: replaced per distinct name, not a call per row
        frame["force"] = frame["force"].replace(names)
    all_forces = tuple(sorted(frame["force"].dropna().unique()))
    if audit_type != "all":
        frame = frame[frame["audit_type"] == audit_type]
    notes: list[str] = []
    published_notes: list[str] = []
    if grade_source == "recorded":
        grade = frame["recorded_counts_as"]
        missing = int(grade.isna().sum())
        if missing:
            notes.append(f"{missing:,} case(s) have no recorded overall grade and are not counted.")
            published_notes.append(
                "Cases with no recorded overall grade are not counted (how many is not shown)."
            )
        keep = grade.notna()
        frame, grade = frame[keep], grade[keep]
    else:
        grade = frame["grade"]
    return Selection(
        frame.reset_index(drop=True),
        grade.reset_index(drop=True),
        all_forces,
        tuple(notes),
        tuple(published_notes),
    )


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

"""Rounds and trends: the same forces inspected again, compared round by round.

Each input is one inspection round (a folder or files, labelled ``LABEL=PATH``, by
a ``round`` column, or by the folder's name). For each force and overall this
computes the grade shares in every round, the change from the first round to the
last with tests of whether it is more than chance (chi-square on round × grade;
a two-proportion z-test on the inadequate share, as statsmodels computes it), the
inadequate share of each stage per round, and the indicators that improved or
worsened most. Plain data only: renderers format it.

Every change and every ranking is worked out from the counts (exact fractions), never
from the rounded shares: rounding first would rank a rise of 1.56 points below one of
0.27 when both round to one point. Only the figures shown are rounded, the shares
half up (``stats.pct``) and the changes half away from zero (:func:`points`), so a
change need not equal the difference of the two rounded shares beside it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from inspect_cli import problems as P
from inspect_cli import stats
from inspect_cli.errors import UsageError
from inspect_cli.frameworks import GRADES, Framework
from inspect_cli.identity import pick_display, shown
from inspect_cli.load.forces import same_spelling, spellings_of
from inspect_cli.problems import Problem
from inspect_cli.provenance import Provenance
from inspect_cli.reports.common import (
    ALL_FORCES,
    AuditType,
    GradeRow,
    GradeSource,
    ReportMeta,
    find_force,
    report_meta,
)
from inspect_cli.reports.counts import (
    counted_grade,
    double_read_notes,
    grade_row,
    grades_used,
    readings_per_case,
)
from inspect_cli.score import ScoreResult
from inspect_cli.stats import ChiSquare, chi_square, pct, significant

if TYPE_CHECKING:  # reinspection builds on this module's tests
    from inspect_cli.reports.reinspection import Reinspection

TOP_CHANGES = 5


@dataclass(frozen=True)
class Round:
    label: str
    result: ScoreResult


@dataclass(frozen=True)
class Change:
    """First round against last, for one force or overall."""

    good_points: int | None  # change in the good share, percentage points, rounded
    inadequate_points: int | None
    chi_square: ChiSquare | None  # rounds × grades
    inadequate_z_p: float | None  # two-proportion z-test, first vs last round
    good_change: Fraction | None = None  # the exact changes, in percentage points
    inadequate_change: Fraction | None = None


@dataclass(frozen=True)
class ForceTrend:
    force: str
    rounds: tuple[GradeRow, ...]  # one per round, in round order (label = round)
    change: Change


@dataclass(frozen=True)
class StageTrend:
    stage: str
    inadequate_pct: tuple[int | None, ...]  # per round
    applicable: tuple[int, ...]
    inadequate: tuple[int, ...] = ()  # per round: the counts behind the shares
    change_points: int | None = None
    """Last round against the first (both with cases), from the counts, rounded."""


@dataclass(frozen=True)
class IndicatorChange:
    id: str
    label: str
    stage: str
    first_pct: int | None  # share answered worst, first round
    last_pct: int | None
    points: int  # the exact change, rounded; negative = improved
    first_worst: int = 0  # the counts behind the shares
    first_answered: int = 0
    last_worst: int = 0
    last_answered: int = 0

    @property
    def change(self) -> Fraction:
        """The exact change in percentage points (what the rankings compare)."""
        return Fraction(100 * self.last_worst, self.last_answered) - Fraction(
            100 * self.first_worst, self.first_answered
        )


@dataclass(frozen=True)
class RoundGradesUsed:
    """How many of a round's counted cases were counted by a recorded grade and how many
    by the framework's suggested (computed) one."""

    round: str
    recorded: int
    computed: int


@dataclass(frozen=True)
class TrendReport:
    meta: ReportMeta
    rounds: tuple[str, ...]
    forces: tuple[ForceTrend, ...]
    overall: ForceTrend
    stages: tuple[StageTrend, ...]
    improved: tuple[IndicatorChange, ...]
    worsened: tuple[IndicatorChange, ...]
    reinspection: Reinspection | None = None
    """Each recommendation then and now (``--recommendations``)."""
    grades_used_by_round: tuple[RoundGradesUsed, ...] = ()
    """Per round, the grades counted: recorded or computed (``meta.grades_used`` sums them)."""


def _frame(result: ScoreResult, audit_type: AuditType, grade_source: GradeSource) -> pd.DataFrame:
    frame, twice = readings_per_case(result.combined(), result.framework)  # counts.py's rule
    frame = frame.assign(_twice=twice)
    if audit_type != "all":
        frame = frame[frame["audit_type"] == audit_type]
    grade, kind = counted_grade(frame, grade_source)
    frame = frame.assign(_grade=grade, _kind=kind)
    return frame[frame["_grade"].notna()]


def counted_cases(
    result: ScoreResult, audit_type: AuditType, grade_source: GradeSource
) -> pd.DataFrame:
    """The cases a trend counts in one round: one reading each, of the audit type asked
    for, with a grade (what the re-inspection view counts too)."""
    return _frame(result, audit_type, grade_source)


def share(part: int, whole: int) -> Fraction | None:
    """The exact percentage ``part`` is of ``whole``; None when ``whole`` is 0."""
    return Fraction(100 * part, whole) if whole > 0 else None


def points(change: Fraction) -> int:
    """A change in percentage points rounded to a whole number, half away from zero
    (2.5 → 3, -2.5 → -3), so a rise and a fall of the same size show the same."""
    size = int(abs(change) + Fraction(1, 2))
    return size if change >= 0 else -size


def _grade_change(first: GradeRow, last: GradeRow, grade: str) -> Fraction:
    before = share(first.count(grade) or 0, first.total or 0) or Fraction(0)
    after = share(last.count(grade) or 0, last.total or 0) or Fraction(0)
    return after - before


def two_proportion_p(counts: tuple[int, int], totals: tuple[int, int]) -> float | None:
    """The two-proportion z-test's p-value (:func:`inspect_cli.stats.two_proportion_p`,
    checked against statsmodels) for ``counts`` of ``totals`` in the first and the last
    round; None when there is nothing to test (no case either way, or every case one
    way). The one test of a change in a share between rounds."""
    p = stats.two_proportion_p(counts, totals)
    return None if p is None else significant(p)


def _change(rows: list[GradeRow]) -> Change:
    present = [r for r in rows if r.recorded]
    if len(present) < 2:
        return Change(None, None, None, None)
    first, last = present[0], present[-1]
    good, inadequate = _grade_change(first, last, "good"), _grade_change(first, last, "inadequate")
    table = [[r.count(g) or 0 for g in GRADES] for r in present]
    z_p = two_proportion_p(
        (first.inadequate or 0, last.inadequate or 0), (first.total or 0, last.total or 0)
    )
    return Change(
        good_points=points(good),
        inadequate_points=points(inadequate),
        chi_square=chi_square(table),
        inadequate_z_p=z_p,
        good_change=good,
        inadequate_change=inadequate,
    )


def _force_trend(
    name: str, labels: tuple[str, ...], frames: list[pd.DataFrame], threshold: Fraction
) -> ForceTrend:
    """One force's rows by round, flagged for serious concern by the thematic report's
    rule (:func:`grade_row` with the framework's threshold)."""
    rows = [
        grade_row(label, frame["_grade"], threshold)
        for label, frame in zip(labels, frames, strict=True)
    ]
    return ForceTrend(name, tuple(rows), _change(rows))


def _stage_trend(label: str, grades: list[pd.Series]) -> StageTrend:
    inadequate = tuple(int((g == "inadequate").sum()) for g in grades)
    applicable = tuple(int(g.notna().sum()) for g in grades)
    change = None
    if applicable[0] and applicable[-1]:
        first = share(inadequate[0], applicable[0]) or Fraction(0)
        last = share(inadequate[-1], applicable[-1]) or Fraction(0)
        change = points(last - first)
    pcts = tuple(pct(n, d) for n, d in zip(inadequate, applicable, strict=True))
    return StageTrend(label, pcts, applicable, inadequate, change)


def _indicator_changes(
    fw: Framework, first: pd.DataFrame, last: pd.DataFrame
) -> tuple[tuple[IndicatorChange, ...], tuple[IndicatorChange, ...]]:
    """The indicators that improved most and worsened most, ranked by the exact change."""
    before, after = _worst_share(fw, first), _worst_share(fw, last)
    changes = []
    for ref in fw.indicators:
        (w0, n0), (w1, n1) = before[ref.full_id], after[ref.full_id]
        if not n0 or not n1:
            continue
        exact = Fraction(100 * w1, n1) - Fraction(100 * w0, n0)
        label, stage = ref.indicator.label, ref.stage.label
        changes.append(
            IndicatorChange(
                ref.full_id, label, stage, pct(w0, n0), pct(w1, n1), points(exact), w0, n0, w1, n1
            )
        )
    improved = sorted((c for c in changes if c.change < 0), key=lambda c: (c.change, c.id))
    worsened = sorted((c for c in changes if c.change > 0), key=lambda c: (-c.change, c.id))
    return tuple(improved[:TOP_CHANGES]), tuple(worsened[:TOP_CHANGES])


def _worst_share(fw: Framework, frame: pd.DataFrame) -> dict[str, tuple[int, int]]:
    out = {}
    for ref in fw.indicators:
        codes = np.asarray(frame[ref.full_id].cat.codes)
        n = len(ref.scale.responses)
        out[ref.full_id] = (int((codes == n - 1).sum()), int(((codes >= 0) & (codes < n)).sum()))
    return out


def trend_report(
    rounds: list[Round],
    provenance: Provenance,
    *,
    force: str | None = None,
    audit_type: AuditType = "inspector",
    grade_source: GradeSource = "auto",
    title: str | None = None,
) -> TrendReport:
    if len(rounds) < 2:
        raise UsageError("a trend needs at least two rounds", details=("give two or more inputs",))
    fw = rounds[0].result.framework
    labels = tuple(r.label for r in rounds)
    # Rounds are loaded apart: each force is given one spelling across all of them.
    frames = same_spelling([_frame(r.result, audit_type, grade_source) for r in rounds])
    names = sorted({str(f) for frame in frames for f in frame["force"].dropna()})
    if force is not None:
        names = [find_force(force, names, where="in any round")]
        frames = [f[f["force"] == names[0]] for f in frames]
    threshold = fw.reporting.serious_concern_share
    forces = tuple(
        _force_trend(n, labels, [f[f["force"] == n] for f in frames], threshold) for n in names
    )
    overall = _force_trend(ALL_FORCES if force is None else names[0], labels, frames, threshold)
    stages = tuple(
        _stage_trend(stage.label, [f[f"{stage.id}.grade"] for f in frames]) for stage in fw.stages
    )
    improved, worsened = _indicator_changes(fw, frames[0], frames[-1])
    meta = report_meta(
        rounds[0].result,
        title or f"Trend across inspection rounds: {' → '.join(labels)}",
        audit_type,
        grade_source,
        False,
        provenance,
        double_read_notes(sum(int(f["_twice"].sum()) for f in frames))[0],
        grades_used=grades_used(pd.concat([f["_kind"] for f in frames])),
    )
    by_round = tuple(
        RoundGradesUsed(label, **grades_used(f["_kind"]))
        for label, f in zip(labels, frames, strict=True)
    )
    return TrendReport(
        meta, labels, forces, overall, stages, improved, worsened, grades_used_by_round=by_round
    )


def spelt_by_round(
    rounds: Sequence[Round],
    audit_type: AuditType = "inspector",
    grade_source: GradeSource = "auto",
) -> list[Problem]:
    """One warning per force spelt differently in different rounds, naming each spelling,
    its rounds and where it is first seen (each round's own load warns about spellings
    within it). The name shown is the one :func:`trend_report` shows (``same_spelling``)."""
    found: dict[str, dict[str, list[tuple[str, pd.Series]]]] = {}  # key → text → rounds
    counts: dict[str, dict[str, int]] = {}
    for r in rounds:
        frame = _frame(r.result, audit_type, grade_source)
        for s in spellings_of(frame):
            found.setdefault(s.key, {}).setdefault(s.text, []).append(
                (r.label, frame.iloc[int(s.rows.min())])
            )
            spelt = counts.setdefault(s.key, {})
            spelt[s.text] = spelt.get(s.text, 0) + len(s.rows)
    problems = []
    for key, texts in found.items():
        if len(texts) < 2:
            continue
        name = pick_display(counts[key].items())
        variants = "; ".join(_spelt_in(text, seen) for text, seen in texts.items())
        _, first = next(seen[0] for text, seen in texts.items() if text != name)
        problems.append(
            P.FORCE_SPELT_BY_ROUND.at(
                str(first["source_file"]),
                str(first["source_sheet"]) or None,
                row=int(first["source_row"]),
                name=name,
                variants=variants,
            )
        )
    return problems


def _spelt_in(text: str, seen: list[tuple[str, pd.Series]]) -> str:
    """ "'FORCE C' in round 2016 (first at b.xlsx, sheet 'Cases', row 2)"."""
    labels = ", ".join(label for label, _ in seen)
    row = seen[0][1]
    sheet = f", sheet {row['source_sheet']!r}" if row["source_sheet"] else ""
    place = f"{row['source_file']}{sheet}, row {int(row['source_row'])}"
    return f"{shown(text)} in round {labels} (first at {place})"


def rounds_of(label: str | None, path: Path, result: ScoreResult) -> list[Round]:
    """The rounds one input holds: its ``label`` if given; otherwise one round per
    value of its Round column, or else one round named after the folder or file."""
    labels = result.cases["round"].dropna().unique().tolist() if "round" in result.cases else []
    if label is None and len(labels) > 1:
        rounds = []
        for value in labels:
            keep = (result.cases["round"] == value).to_numpy()
            load = replace(result.load, cases=result.cases[keep].reset_index(drop=True))
            scored = result.scored[keep].reset_index(drop=True)
            rounds.append(Round(str(value), ScoreResult(result.framework, load, scored)))
        return rounds
    name = label or (str(labels[0]) if labels else (path.name if path.is_dir() else path.stem))
    return [Round(name, result)]

"""Rounds and trends: the same forces inspected again, compared round by round.

Each input is one inspection round (a folder or files, labelled ``LABEL=PATH``, by
a ``round`` column, or by the folder's name). For each force and overall this
computes the grade shares in every round, the change from the first round to the
last with tests of whether it is more than chance (chi-square on round × grade;
a two-proportion z-test on the inadequate share, from statsmodels), the
inadequate share of each stage per round, and the indicators that improved or
worsened most. Plain data only: renderers format it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd

from inspect_cli.errors import UsageError
from inspect_cli.frameworks import GRADES, Framework
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
from inspect_cli.reports.counts import grade_row
from inspect_cli.score import ScoreResult
from inspect_cli.stats import ChiSquare, chi_square, pct, significant

TOP_CHANGES = 5


@dataclass(frozen=True)
class Round:
    label: str
    result: ScoreResult


@dataclass(frozen=True)
class Change:
    """First round against last, for one force or overall."""

    good_points: int | None  # change in the good share, percentage points
    inadequate_points: int | None
    chi_square: ChiSquare | None  # rounds × grades
    inadequate_z_p: float | None  # two-proportion z-test, first vs last round


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


@dataclass(frozen=True)
class IndicatorChange:
    id: str
    label: str
    stage: str
    first_pct: int | None  # share answered worst, first round
    last_pct: int | None
    points: int  # last - first; negative = improved


@dataclass(frozen=True)
class TrendReport:
    meta: ReportMeta
    rounds: tuple[str, ...]
    forces: tuple[ForceTrend, ...]
    overall: ForceTrend
    stages: tuple[StageTrend, ...]
    improved: tuple[IndicatorChange, ...]
    worsened: tuple[IndicatorChange, ...]


def _frame(result: ScoreResult, audit_type: AuditType, grade_source: GradeSource) -> pd.DataFrame:
    frame = result.combined()
    if audit_type != "all":
        frame = frame[frame["audit_type"] == audit_type]
    frame = frame.assign(
        _grade=frame["grade" if grade_source == "computed" else "recorded_counts_as"]
    )
    return frame[frame["_grade"].notna()]


def _change(rows: list[GradeRow]) -> Change:
    present = [r for r in rows if r.recorded]
    if len(present) < 2:
        return Change(None, None, None, None)
    first, last = present[0], present[-1]
    table = [[r.count(g) or 0 for g in GRADES] for r in present]
    from statsmodels.stats.proportion import proportions_ztest

    counts = np.array([first.inadequate or 0, last.inadequate or 0])
    totals = np.array([first.total or 0, last.total or 0])
    z_p: float | None = None
    if 0 < counts.sum() < totals.sum():
        with np.errstate(invalid="ignore", divide="ignore"):
            _, p = proportions_ztest(counts, totals)
        z_p = None if np.isnan(p) else significant(float(p))
    return Change(
        good_points=(last.good_pct or 0) - (first.good_pct or 0),
        inadequate_points=(last.inadequate_pct or 0) - (first.inadequate_pct or 0),
        chi_square=chi_square(table),
        inadequate_z_p=z_p,
    )


def _force_trend(name: str, labels: tuple[str, ...], frames: list[pd.DataFrame]) -> ForceTrend:
    rows = [grade_row(label, frame["_grade"]) for label, frame in zip(labels, frames, strict=True)]
    return ForceTrend(name, tuple(rows), _change(rows))


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
    grade_source: GradeSource = "computed",
    title: str | None = None,
) -> TrendReport:
    if len(rounds) < 2:
        raise UsageError("a trend needs at least two rounds", details=("give two or more inputs",))
    fw = rounds[0].result.framework
    labels = tuple(r.label for r in rounds)
    frames = [_frame(r.result, audit_type, grade_source) for r in rounds]
    names = sorted({str(f) for frame in frames for f in frame["force"].dropna()})
    if force is not None:
        names = [find_force(force, names, where="in any round")]
        frames = [f[f["force"] == names[0]] for f in frames]
    forces = tuple(_force_trend(n, labels, [f[f["force"] == n] for f in frames]) for n in names)
    overall = _force_trend(ALL_FORCES if force is None else names[0], labels, frames)
    stages = tuple(
        StageTrend(
            stage.label,
            tuple(
                pct(
                    int((f[f"{stage.id}.grade"] == "inadequate").sum()),
                    int(f[f"{stage.id}.grade"].notna().sum()),
                )
                for f in frames
            ),
            tuple(int(f[f"{stage.id}.grade"].notna().sum()) for f in frames),
        )
        for stage in fw.stages
    )
    first, last = _worst_share(fw, frames[0]), _worst_share(fw, frames[-1])
    changes = []
    for ref in fw.indicators:
        a, b = pct(*first[ref.full_id]), pct(*last[ref.full_id])
        if a is None or b is None:
            continue
        changes.append(
            IndicatorChange(ref.full_id, ref.indicator.label, ref.stage.label, a, b, b - a)
        )
    improved = tuple(
        sorted((c for c in changes if c.points < 0), key=lambda c: (c.points, c.id))[:TOP_CHANGES]
    )
    worsened = tuple(
        sorted((c for c in changes if c.points > 0), key=lambda c: (-c.points, c.id))[:TOP_CHANGES]
    )
    meta = report_meta(
        rounds[0].result,
        title or f"Trend across inspection rounds: {' → '.join(labels)}",
        audit_type,
        grade_source,
        False,
        provenance,
        (),
    )
    return TrendReport(meta, labels, forces, overall, stages, improved, worsened)


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

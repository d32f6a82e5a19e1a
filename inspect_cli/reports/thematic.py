"""The thematic report: every force side by side, like the tables of a published
thematic inspection (the conclusions table, key findings, intervals, a test of
variation, stage and indicator tables).

Percentages follow the package's rule (see ``inspect_cli.reports``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np
import pandas as pd

from inspect_cli.frameworks import GRADES, Framework
from inspect_cli.provenance import Provenance
from inspect_cli.reports.common import (
    AuditType,
    GradeRow,
    GradeSource,
    ReportMeta,
    pct_range,
    report_meta,
)
from inspect_cli.reports.counts import (
    TOP_INDICATORS,
    IndicatorCount,
    Selection,
    grade_row,
    indicator_counts,
    select,
)
from inspect_cli.reports.force_topics import TopicsSummary, topics_summary
from inspect_cli.reports.judgement import RATIONALE, JudgementAndRule, judgement_and_rule
from inspect_cli.score import ScoreResult
from inspect_cli.stats import ChiSquare, chi_square, pct

ADEQUATE_OR_BETTER_SHARE = Fraction(3, 4)


@dataclass(frozen=True)
class Findings:
    good_pct_range: tuple[int, int] | None
    inadequate_pct_range: tuple[int, int] | None
    forces_at_least_75pct_adequate_or_better: int
    forces_recorded: int
    overall_inadequate_pct: int | None
    serious_concern: tuple[str, ...]
    serious_concern_threshold: str  # e.g. "1/3": flagged when the inadequate share is MORE
    forces_not_assessed: tuple[str, ...] = ()
    """Published: forces whose inadequate count or total is hidden, so left out of the
    counts of forces above (counting them would give the hidden figure away)."""


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
    chi_square_withheld: bool = False
    """Published with hidden counts: the test would give them away, so it is left out."""
    plain_headers: dict[str, str] = field(default_factory=dict)
    """``headers`` without counts (a published report's: a count in a heading is a figure)."""
    judgement: JudgementAndRule | None = None
    """Recorded grades against the framework's suggestions (internal reports only)."""
    force_topics: TopicsSummary | None = None
    """Force-level judgements across forces: forces per grade, and agreement."""


def _headers(
    sel: Selection, grade_source: GradeSource, fw: Framework, *, counts: bool = True
) -> dict[str, str]:
    headers = {g: g.capitalize() for g in GRADES}
    if grade_source == "computed":  # otherwise every recorded word is counted
        return headers
    recorded = sel.frame["recorded_grade"]
    labels = {g.id: g.label.lower() for g in fw.case_grades}
    for grade in GRADES:
        folded = [g for g in fw.case_grades if g.counts_as == grade and g.id != grade]
        present = [(g, int((recorded == g.id).sum())) for g in folded]
        present = [(g, n) for g, n in present if n]
        if not present:
            continue
        if counts and len(present) == 1 and grade == "good":
            g, n = present[0]
            headers[grade] += f" (includes {_count(n, labels[g.id] + ' case')})"
        else:
            words = " and ".join(labels[g.id] for g, _ in present)
            headers[grade] += f" (includes cases assessed as {words})"
    return headers


def _count(n: int, noun: str) -> str:
    words = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five"}
    return f"{words.get(n, str(n))} {noun}{'' if n == 1 else 's'}"


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


def thematic_report(
    result: ScoreResult,
    provenance: Provenance,
    *,
    audit_type: AuditType = "inspector",
    grade_source: GradeSource = "auto",
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
        RATIONALE,
        *(f"{s.id}.grade" for s in fw.stages),
        *(r.full_id for r in fw.indicators),
    ]
    sel = select(result, audit_type, grade_source, names, counted)
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
        good_pct_range=pct_range(r.good_pct for r in recorded),
        inadequate_pct_range=pct_range(r.inadequate_pct for r in recorded),
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
        meta=report_meta(
            result,
            title or default_title,
            audit_type,
            grade_source,
            bool(names),
            provenance,
            sel.notes,
            sel.published_notes,
            sel.grades_used,
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
        worst_indicators=indicator_counts(fw, sel.frame, TOP_INDICATORS),
        plain_headers=_headers(sel, grade_source, fw, counts=False),
        judgement=judgement_and_rule(fw, sel.frame, tuple(r.label for r in recorded)),
        force_topics=topics_summary(fw, result.load.force_judgements),
    )

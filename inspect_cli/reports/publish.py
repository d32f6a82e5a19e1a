"""Reports that leave the inspectorate (``--publish``): nothing that identifies a child.

A published report keeps the tables and findings but:
- has no case list, no case references and no free text (reasons quote answers);
- hides every count from 1 to ``threshold - 1`` as 'c', and further cells so that no
  hidden count can be worked out from the totals shown (see :mod:`inspect_cli.reports.suppress`);
- hides every percentage or interval worked out from a hidden count, and every
  figure that rests on fewer cases than the threshold.

Pseudonymised data is still personal data: forces can be anonymised as well with
``--anonymise`` (the key goes only where the user says).
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from inspect_cli.frameworks import GRADES
from inspect_cli.reports.common import GradeRow, ReportMeta, pct_range
from inspect_cli.reports.counts import IndicatorCount
from inspect_cli.reports.force import (
    AnswerCounts,
    Breakdown,
    Completeness,
    Delay,
    ForceReport,
    StageGrades,
)
from inspect_cli.reports.suppress import SYMBOL, suppress
from inspect_cli.reports.thematic import Findings, StageCell, StageRow, ThematicReport

PCT = {"good": "good_pct", "adequate": "adequate_pct", "inadequate": "inadequate_pct"}


def suppression_note(threshold: int) -> str:
    return (
        f"Counts from 1 to {threshold - 1} are shown as '{SYMBOL}', and so are further counts "
        "wherever the totals would otherwise give a hidden one away; percentages and "
        "intervals worked out from a hidden count are hidden too."
    )


def _meta(meta: ReportMeta, threshold: int) -> ReportMeta:
    return replace(
        meta,
        published=True,
        suppression_threshold=threshold,
        notes=(*meta.notes, suppression_note(threshold)),
    )


def _hide_grade_row(row: GradeRow, hidden_grades: set[str], total_hidden: bool) -> GradeRow:
    if not row.recorded:
        return row
    if total_hidden:
        hidden_grades = set(GRADES)
    fields: set[str] = set()
    changes: dict[str, object] = {}
    for grade in hidden_grades:
        fields |= {grade, PCT[grade]}
        changes[grade] = None
        changes[PCT[grade]] = None
    if total_hidden:
        fields.add("total")
        changes["total"] = None
    if "inadequate" in hidden_grades or total_hidden:
        fields.add("inadequate_ci")
        changes["inadequate_ci"] = None
        # The flag says the hidden share is over a third: it would give the count away.
        changes["serious_concern"] = False
    if not fields:
        return row
    return replace(row, suppressed=frozenset(fields), **changes)  # type: ignore[arg-type]


def _grade_table(rows: list[GradeRow], threshold: int, column_totals: bool) -> list[GradeRow]:
    """Suppress a table of grade rows whose row totals (and maybe column totals) are shown."""
    shown = [r for r in rows if r.recorded]
    if not shown:
        return rows
    counts = np.array([[r.count(g) or 0 for g in GRADES] for r in shown])
    s = suppress(counts, threshold, row_totals=True, column_totals=column_totals)
    out = iter(
        _hide_grade_row(
            r, {g for j, g in enumerate(GRADES) if s.cells[i, j]}, bool(s.row_totals[i])
        )
        for i, r in enumerate(shown)
    )
    return [next(out) if r.recorded else r for r in rows]


def _total_row(total: GradeRow, threshold: int) -> GradeRow:
    small = {g for g in GRADES if 0 < (total.count(g) or 0) < threshold}
    return _hide_grade_row(total, small, 0 < (total.total or 0) < threshold)


def publish_thematic(report: ThematicReport, threshold: int) -> ThematicReport:
    forces = _grade_table(list(report.forces), threshold, column_totals=True)
    findings: Findings = replace(
        report.findings,
        # Ranges of the shown shares only, so a range end never reveals a hidden one.
        good_pct_range=pct_range([r.good_pct for r in forces if r.recorded]),
        inadequate_pct_range=pct_range([r.inadequate_pct for r in forces if r.recorded]),
        serious_concern=tuple(r.label for r in forces if r.serious_concern),
    )
    stage_rows, stage_total = _stage_table(report.stage_rows, report.stage_total, threshold)
    return replace(
        report,
        meta=_meta(report.meta, threshold),
        forces=tuple(forces),
        total=_total_row(report.total, threshold),
        findings=findings,
        stage_rows=stage_rows,
        stage_total=stage_total,
        worst_indicators=tuple(_indicator(i, threshold) for i in report.worst_indicators),
    )


def _stage_table(
    rows: tuple[StageRow, ...], total: StageRow, threshold: int
) -> tuple[tuple[StageRow, ...], StageRow]:
    """Forces × stages; the Total row publishes each column's sum, rows have no total."""
    if not rows:
        return rows, total
    inadequate = np.array([[c.inadequate or 0 for c in r.cells] for r in rows])
    applicable = np.array([[c.applicable or 0 for c in r.cells] for r in rows])
    hide_n = suppress(inadequate, threshold, row_totals=False).cells
    hide_d = suppress(applicable, threshold, row_totals=False).cells
    new_rows = []
    for i, row in enumerate(rows):
        cells = []
        for j, cell in enumerate(row.cells):
            cells.append(_stage_cell(cell, bool(hide_n[i, j]), bool(hide_d[i, j])))
        new_rows.append(replace(row, cells=tuple(cells)))
    total_cells = tuple(
        _stage_cell(c, 0 < (c.inadequate or 0) < threshold, 0 < (c.applicable or 0) < threshold)
        for c in total.cells
    )
    return tuple(new_rows), replace(total, cells=total_cells)


def _stage_cell(cell: StageCell, hide_count: bool, hide_base: bool) -> StageCell:
    if not (hide_count or hide_base):
        return cell
    fields = {"inadequate_pct"} | ({"inadequate"} if hide_count or hide_base else set())
    if hide_base:
        fields.add("applicable")
    return StageCell(
        applicable=None if hide_base else cell.applicable,
        inadequate=None,
        inadequate_pct=None,
        suppressed=frozenset(fields),
    )


def _indicator(ind: IndicatorCount, threshold: int) -> IndicatorCount:
    hide_worst = 0 < (ind.worst or 0) < threshold
    hide_base = 0 < (ind.answered or 0) < threshold
    if not (hide_worst or hide_base):
        return ind
    fields = {"worst", "worst_pct"} | ({"answered"} if hide_base else set())
    return replace(
        ind,
        worst=None,
        worst_pct=None,
        answered=None if hide_base else ind.answered,
        suppressed=frozenset(fields),
    )


def publish_force(report: ForceReport, threshold: int) -> ForceReport:
    overall = _grade_table([report.overall], threshold, column_totals=False)[0]
    distribution = tuple(
        replace(d, count=None, pct=None, ci=None, suppressed=frozenset({"count", "pct", "ci"}))
        if d.grade in overall.suppressed
        else d
        for d in report.distribution
    )
    breakdowns = tuple(
        Breakdown(b.title, tuple(_grade_table(list(b.rows), threshold, column_totals=True)))
        for b in report.breakdowns
    )
    return replace(
        report,
        meta=_meta(report.meta, threshold),
        overall=overall,
        distribution=distribution,
        by_stage=tuple(_stage_grades(s, threshold) for s in report.by_stage),
        breakdowns=breakdowns,
        failing_indicators=tuple(_indicator(i, threshold) for i in report.failing_indicators),
        delays=tuple(_delay(d, threshold) for d in report.delays),
        detention=tuple(_answers(a, threshold) for a in report.detention),
        completeness=tuple(_completeness(c, threshold) for c in report.completeness),
        cases=(),
    )


def _stage_grades(s: StageGrades, threshold: int) -> StageGrades:
    counts = np.array([[s.good or 0, s.adequate or 0, s.inadequate or 0]])
    result = suppress(counts, threshold, row_totals=True, column_totals=False)
    if not result.any:
        return s
    hidden = {g for j, g in enumerate(GRADES) if result.cells[0, j]}
    if result.row_totals[0]:
        hidden = set(GRADES) | {"applicable"}
    fields = hidden | ({"inadequate_pct"} if "inadequate" in hidden else set())
    return StageGrades(
        label=s.label,
        applicable=None if "applicable" in hidden else s.applicable,
        good=None if "good" in hidden else s.good,
        adequate=None if "adequate" in hidden else s.adequate,
        inadequate=None if "inadequate" in hidden else s.inadequate,
        inadequate_pct=None if "inadequate_pct" in fields else s.inadequate_pct,
        suppressed=frozenset(fields),
    )


def _delay(d: Delay, threshold: int) -> Delay:
    # A median or maximum of a handful of cases describes those cases: hide them.
    hide = (d.cases or 0) < threshold
    hide_negative = 0 < (d.negative or 0) < threshold
    if not (hide or hide_negative):
        return d
    fields = ({"cases", "median_days", "longest_days"} if hide else set()) | (
        {"negative"} if hide_negative else set()
    )
    return replace(
        d,
        cases=None if hide else d.cases,
        median_days=None if hide else d.median_days,
        longest_days=None if hide else d.longest_days,
        negative=None if hide_negative else d.negative,
        suppressed=frozenset(fields),
    )


def _answers(a: AnswerCounts, threshold: int) -> AnswerCounts:
    counts = np.array([[n or 0 for _, n in a.answers]])
    # The answers need not add up to 'applicable' (some are blank), so no row total.
    result = suppress(counts, threshold, row_totals=False, column_totals=False)
    hide_base = 0 < (a.applicable or 0) < threshold
    if not result.any and not hide_base:
        return a
    labels = {label for j, (label, _) in enumerate(a.answers) if result.cells[0, j] or hide_base}
    return AnswerCounts(
        label=a.label,
        applicable=None if hide_base else a.applicable,
        answers=tuple((label, None if label in labels else n) for label, n in a.answers),
        suppressed=frozenset(labels | ({"applicable"} if hide_base else set())),
    )


def _completeness(c: Completeness, threshold: int) -> Completeness:
    if not 0 < (c.missing or 0) < threshold:
        return c
    return replace(
        c, missing=None, missing_pct=None, suppressed=frozenset({"missing", "missing_pct"})
    )

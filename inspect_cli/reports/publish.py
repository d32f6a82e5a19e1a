"""Reports that leave the inspectorate (``--publish``): nothing that identifies a child.

A published report keeps the tables and findings but:
- has no case list, no case references and no free text (reasons quote answers);
  breakdown groups come only from fixed lists, input files are named by number;
- hides counts chosen over every count the report shows at once, so that none of
  them can be worked out from the others (:mod:`inspect_cli.reports.disclosure`,
  figures in :mod:`inspect_cli.reports.disclosure_model`);
- hides every percentage, interval, flag or finding worked out from a hidden count,
  and the chi-square test unless nothing is hidden.

Pseudonymised data is still personal data: forces can be anonymised as well with
``--anonymise`` (the key goes only where the user says).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from fractions import Fraction

from inspect_cli.frameworks import GRADES
from inspect_cli.provenance import LeftOut, Provenance
from inspect_cli.reports.common import GradeRow, ReportMeta, pct_range
from inspect_cli.reports.counts import IndicatorCount
from inspect_cli.reports.disclosure import FigureKey, protect
from inspect_cli.reports.disclosure_model import (
    ALL,
    GradingRules,
    breakdown_keys,
    force_model,
    grade_keys,
    indicator_keys,
    stage_key,
    thematic_model,
)
from inspect_cli.reports.force import (
    AnswerCounts,
    Completeness,
    Delay,
    ForceReport,
    StageGrades,
)
from inspect_cli.reports.force_topics import published_summary
from inspect_cli.reports.groups import controlled_breakdowns
from inspect_cli.reports.suppress import SYMBOL
from inspect_cli.reports.thematic import (
    ADEQUATE_OR_BETTER_SHARE,
    Findings,
    StageCell,
    StageRow,
    ThematicReport,
)

Hidden = frozenset[FigureKey]
PCT = {"good": "good_pct", "adequate": "adequate_pct", "inadequate": "inadequate_pct"}


def suppression_note(threshold: int) -> str:
    return (
        f"Counts from 1 to {threshold - 1} are shown as '{SYMBOL}', and so are further counts "
        "wherever the other figures of the report would otherwise give a hidden one away; "
        "percentages, intervals and findings worked out from a hidden count are hidden too."
    )


CHI_SQUARE_NOTE = (
    "The chi-square test is left out: it is worked out from every count of the table, "
    "hidden ones included, so it would give them away."
)


def published_provenance(p: Provenance) -> Provenance:
    """Input files by number and content hash: a file name can name a force or a child.

    What was left out (``--allow-partial``) keeps its place by file number and row, but
    not its sheet name (it may name the force) nor its message (it may quote a cell):
    the problem's title from the catalogue instead."""
    from inspect_cli.problems import ALL_TYPES

    def number(files: tuple[tuple[str, str], ...]) -> tuple[tuple[str, str], ...]:
        return tuple((f"file {i}", digest) for i, (_, digest) in enumerate(files, 1))

    numbers = {name: f"file {i}" for i, (name, _) in enumerate(p.inputs, 1)}
    titles = {t.code: t.title for t in ALL_TYPES}
    left_out = tuple(
        LeftOut(
            numbers.get(item.file or "", "a file not counted"),
            None,
            item.row,
            item.code,
            titles.get(item.code, "an error in the data"),
            item.round,
        )
        for item in p.left_out
    )
    return replace(
        p,
        inputs=number(p.inputs),
        rounds=tuple((label, number(files)) for label, files in p.rounds),
        left_out=left_out,
    )


def _meta(meta: ReportMeta, threshold: int, extra: Sequence[str] = ()) -> ReportMeta:
    return replace(
        meta,
        published=True,
        suppression_threshold=threshold,
        provenance=published_provenance(meta.provenance),
        notes=(*meta.published_notes, suppression_note(threshold), *extra),
        grades_used=tuple((kind, None) for kind, _ in meta.grades_used),  # counts are figures
    )


def hide_grade_row(row: GradeRow, keys: Mapping[str, FigureKey], hidden: Hidden) -> GradeRow:
    """``row`` with each hidden count, and everything worked out from one, as None."""
    if not row.recorded:
        return row
    gone = {name for name, key in keys.items() if key in hidden}
    if not gone:
        return row
    fields = set(gone)
    for grade in GRADES:
        if grade in gone or "total" in gone:
            fields.add(PCT[grade])
    if "inadequate" in gone or "total" in gone:
        # The interval and the ▲ flag are worked out from the inadequate share.
        fields |= {"inadequate_ci", "serious_concern"}
    changes: dict[str, object] = dict.fromkeys(fields - {"serious_concern"})
    changes["serious_concern"] = False if "serious_concern" in fields else row.serious_concern
    return replace(row, suppressed=frozenset(fields), **changes)  # type: ignore[arg-type]


def shows_share(row: GradeRow, grade: str) -> bool:
    return row.recorded and grade not in row.suppressed and "total" not in row.suppressed


# --------------------------------------------------------------------------- together


def publish_together(
    thematic: ThematicReport,
    forces: Sequence[ForceReport],
    threshold: int,
    rules: GradingRules | None = None,
) -> tuple[ThematicReport, tuple[ForceReport, ...]]:
    """The thematic report and force reports published together, from one choice of
    hidden figures over all of them: no report's figures give away a count another
    hides (published one by one, a force report and the thematic stage table could
    be set side by side)."""
    forces = [controlled_breakdowns(r) for r in forces]
    model = thematic_model(thematic, rules=rules)
    for report in forces:
        force_model(report, model, rules)
    hidden = protect(model, threshold)
    return (
        apply_thematic(thematic, hidden, threshold),
        tuple(apply_force(r, hidden, threshold) for r in forces),
    )


# --------------------------------------------------------------------------- thematic


def publish_thematic(
    report: ThematicReport, threshold: int, rules: GradingRules | None = None
) -> ThematicReport:
    """``rules``: the framework's grading rules, when the grades counted are computed
    by them (a reader who knows the rules knows more: see GradingRules)."""
    model = thematic_model(report, rules=rules)
    return apply_thematic(report, protect(model, threshold), threshold)


def apply_thematic(report: ThematicReport, hidden: Hidden, threshold: int) -> ThematicReport:
    forces = tuple(hide_grade_row(r, grade_keys(r.label), hidden) for r in report.forces)
    total = hide_grade_row(report.total, grade_keys(ALL), hidden)
    table_hidden = any(r.suppressed for r in (*forces, total))
    labels = [label for _, label in report.stages]
    return replace(
        report,
        meta=_meta(report.meta, threshold, [CHI_SQUARE_NOTE] if table_hidden else []),
        forces=forces,
        total=total,
        headers=report.plain_headers or report.headers,
        findings=_findings(report.findings, forces, total),
        chi_square=None if table_hidden else report.chi_square,
        chi_square_withheld=table_hidden and report.chi_square is not None,
        stage_rows=tuple(_stage_row(r, r.label, labels, hidden) for r in report.stage_rows),
        stage_total=_stage_row(report.stage_total, ALL, labels, hidden),
        worst_indicators=_indicators(report.worst_indicators, ALL, hidden),
        judgement=None,  # internal only: see docs/data-protection.md
        force_topics=published_summary(report.force_topics),  # forces, never by name
    )


def _findings(f: Findings, forces: Sequence[GradeRow], total: GradeRow) -> Findings:
    """Findings from shown figures only: a force whose inadequate count or total is
    hidden is left out of the counts (and named as left out), never counted."""
    recorded = [r for r in forces if r.recorded]
    assessed = [r for r in recorded if shows_share(r, "inadequate")]
    return replace(
        f,
        # Ranges of the shown shares only, so a range end never reveals a hidden one.
        good_pct_range=pct_range(r.good_pct for r in recorded),
        inadequate_pct_range=pct_range(r.inadequate_pct for r in recorded),
        forces_at_least_75pct_adequate_or_better=sum(
            1
            for r in assessed
            # adequate or better = total - inadequate: both shown.
            if Fraction((r.total or 0) - (r.inadequate or 0), r.total or 1)
            >= ADEQUATE_OR_BETTER_SHARE
        ),
        overall_inadequate_pct=total.inadequate_pct if shows_share(total, "inadequate") else None,
        serious_concern=tuple(r.label for r in assessed if r.serious_concern),
        forces_not_assessed=tuple(r.label for r in recorded if r not in assessed),
    )


def _stage_row(row: StageRow, force: object, labels: Sequence[str], hidden: Hidden) -> StageRow:
    cells = []
    for label, cell in zip(labels, row.cells, strict=True):
        gone_n = stage_key(force, label, "inadequate") in hidden
        gone_d = stage_key(force, label, "applicable") in hidden
        if not (gone_n or gone_d):
            cells.append(cell)
            continue
        fields = {"inadequate_pct"} | {
            name for name, gone in (("inadequate", gone_n), ("applicable", gone_d)) if gone
        }
        cells.append(
            StageCell(
                applicable=None if gone_d else cell.applicable,
                inadequate=None if gone_n else cell.inadequate,
                inadequate_pct=None,
                suppressed=frozenset(fields),
            )
        )
    return replace(row, cells=tuple(cells))


def _indicators(
    items: Sequence[IndicatorCount], force: object, hidden: Hidden
) -> tuple[IndicatorCount, ...]:
    """Hidden counts as None; the shown ones in rank order, then the hidden ones in
    framework order, so the order says nothing about a hidden count."""
    shown, gone = [], []
    for ind in items:
        keys = indicator_keys(force, ind.id)
        fields = {name for name, key in keys.items() if key in hidden}
        if not fields:
            shown.append(ind)
            continue
        fields.add("worst_pct")
        gone.append(
            replace(
                ind,
                worst=None if "worst" in fields else ind.worst,
                answered=None if "answered" in fields else ind.answered,
                worst_pct=None,
                suppressed=frozenset(fields),
            )
        )
    return (*shown, *sorted(gone, key=lambda i: i.id))


# --------------------------------------------------------------------------- force


def publish_force(
    report: ForceReport, threshold: int, rules: GradingRules | None = None
) -> ForceReport:
    report = controlled_breakdowns(report)
    return apply_force(report, protect(force_model(report, rules=rules), threshold), threshold)


def apply_force(report: ForceReport, hidden: Hidden, threshold: int) -> ForceReport:
    f = report.force
    overall = hide_grade_row(report.overall, grade_keys(f), hidden)
    distribution = tuple(
        replace(d, count=None, pct=None, ci=None, suppressed=frozenset({"count", "pct", "ci"}))
        if d.grade in overall.suppressed or "total" in overall.suppressed
        else d
        for d in report.distribution
    )
    breakdowns = tuple(
        replace(
            b,
            rows=tuple(
                hide_grade_row(r, breakdown_keys(f, b.title, r.label), hidden) for r in b.rows
            ),
        )
        for b in report.breakdowns
    )
    return replace(
        report,
        meta=_meta(report.meta, threshold),
        overall=overall,
        distribution=distribution,
        by_stage=tuple(_stage_grades(s, f, hidden) for s in report.by_stage),
        breakdowns=breakdowns,
        failing_indicators=_indicators(report.failing_indicators, f, hidden),
        delays=tuple(_delay(d, f, hidden, threshold) for d in report.delays),
        detention=tuple(_answers(a, f, hidden) for a in report.detention),
        completeness=tuple(
            _completeness(c, f, hidden, "total" in overall.suppressed) for c in report.completeness
        ),
        cases=(),
        judgement=None,  # internal only: see docs/data-protection.md
        referrals=None,  # internal only: referrals never go into a published output
        force_topics=None,  # one force's topic grades: never published by name
        drift=None,  # internal only: auditor names never go into a published output
    )


def _stage_grades(s: StageGrades, force: str, hidden: Hidden) -> StageGrades:
    fields = {name for name in ("applicable", *GRADES) if stage_key(force, s.label, name) in hidden}
    if not fields:
        return s
    if fields & {"inadequate", "applicable"}:
        fields.add("inadequate_pct")
    return StageGrades(
        label=s.label,
        applicable=None if "applicable" in fields else s.applicable,
        good=None if "good" in fields else s.good,
        adequate=None if "adequate" in fields else s.adequate,
        inadequate=None if "inadequate" in fields else s.inadequate,
        inadequate_pct=None if "inadequate_pct" in fields else s.inadequate_pct,
        suppressed=frozenset(fields),
    )


def _delay(d: Delay, force: str, hidden: Hidden, threshold: int) -> Delay:
    gone_cases = ("delay_cases", force, d.label) in hidden
    gone_negative = ("delay_negative", force, d.label) in hidden
    # A median of a handful of cases describes those cases; the longest delay is
    # always one child's own, so a published report never shows it.
    hide_median = gone_cases or (d.cases or 0) < threshold
    fields = (
        ({"cases"} if gone_cases else set())
        | ({"median_days"} if hide_median else set())
        | ({"negative"} if gone_negative else set())
        | {"longest_days"}
    )
    return replace(
        d,
        cases=None if gone_cases else d.cases,
        median_days=None if hide_median else d.median_days,
        longest_days=None,
        negative=None if gone_negative else d.negative,
        suppressed=frozenset(fields),
    )


def _answers(a: AnswerCounts, force: str, hidden: Hidden) -> AnswerCounts:
    gone = {label for label, _ in a.answers if ("answer", force, a.label, label) in hidden}
    gone_base = stage_key(force, a.stage, "applicable") in hidden
    if not gone and not gone_base:
        return a
    return replace(
        a,
        applicable=None if gone_base else a.applicable,
        answers=tuple((label, None if label in gone else n) for label, n in a.answers),
        suppressed=frozenset(gone | ({"applicable"} if gone_base else set())),
    )


def _completeness(c: Completeness, force: str, hidden: Hidden, total_gone: bool) -> Completeness:
    gone = ("missing", force, c.label) in hidden
    if not (gone or total_gone):
        return c
    fields = (
        {"missing_pct"} | ({"missing"} if gone else set()) | ({"total"} if total_gone else set())
    )
    return replace(
        c,
        missing=None if gone else c.missing,
        total=None if total_gone else c.total,
        missing_pct=None,
        suppressed=frozenset(fields),
    )

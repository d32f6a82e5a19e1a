"""Every count a published thematic or force report shows, as figures of one
:class:`~inspect_cli.reports.disclosure.Model`.

The atoms are per force: its cases by grade; by stage and stage grade; by indicator
(worst answer, other answer, no answer); by breakdown group and grade; by detention
answer; missing or not for each completeness item; by delay (counted, negative,
neither). Links say what every reader knows: each of these splits adds up to the
force's cases (the breakdowns grade by grade), and detention answers to the cases
the detention stage applied to. Figures are keyed the same way in every report, so
reports published together share one model (``report publish``).
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass

from inspect_cli.frameworks import GRADES, Framework
from inspect_cli.reports.common import GradeRow
from inspect_cli.reports.counts import IndicatorCount
from inspect_cli.reports.disclosure import CELL, HEADLINE, TOTAL, FigureKey, Model
from inspect_cli.reports.force import NOT_RECORDED, ForceReport
from inspect_cli.reports.thematic import ThematicReport

ALL = ("all forces",)
"""The force 'name' of a figure that adds up every force of a thematic report."""


def cases(force: str) -> list[Hashable]:
    return [("x", force, g) for g in GRADES]


def grade_keys(force: Hashable) -> dict[str, FigureKey]:
    """GradeRow field → figure key, for a force (or ALL) or a breakdown group."""
    return {**{g: ("count", force, g) for g in GRADES}, "total": ("total", force)}


def add_grade_row(model: Model, force: str, row: GradeRow) -> None:
    for g in GRADES:
        model.figure(("count", force, g), [("x", force, g)], row.count(g) or 0, weight=HEADLINE)
    model.figure(("total", force), cases(force), row.total or 0, weight=HEADLINE)


def add_total_row(model: Model, forces: Sequence[str], row: GradeRow) -> None:
    for g in GRADES:
        atoms = [("x", f, g) for f in forces]
        model.figure(("count", ALL, g), atoms, row.count(g) or 0, weight=HEADLINE)
    every = [a for f in forces for a in cases(f)]
    model.figure(("total", ALL), every, row.total or 0, weight=HEADLINE)


def _stage_atoms(model: Model, force: str, stage: str) -> None:
    """A stage's grades and 'not applicable' add up to the force's cases."""
    model.link(
        ("stage", force, stage),
        [*(("sg", force, stage, g) for g in GRADES), ("sn", force, stage)],
        cases(force),
    )


def stage_key(force: Hashable, stage: str, field: str) -> FigureKey:
    return (
        ("stage_applicable", force, stage)
        if field == "applicable"
        else ("stage", force, stage, field)
    )


def add_stage(
    model: Model, force: str, stage: str, applicable: int, counts: dict[str, int | None]
) -> None:
    _stage_atoms(model, force, stage)
    for g, n in counts.items():
        model.figure(stage_key(force, stage, g), [("sg", force, stage, g)], n or 0)
    model.figure(
        stage_key(force, stage, "applicable"),
        [("sg", force, stage, g) for g in GRADES],
        applicable,
        weight=TOTAL,
    )


def _indicator_atoms(model: Model, force: str, indicator: str) -> None:
    model.link(
        ("indicator", force, indicator),
        [("iw", force, indicator), ("io", force, indicator), ("iu", force, indicator)],
        cases(force),
    )


def indicator_keys(force: Hashable, indicator: str) -> dict[str, FigureKey]:
    return {
        "worst": ("indicator_worst", force, indicator),
        "answered": ("indicator_answered", force, indicator),
    }


def add_indicator(
    model: Model, forces: Sequence[str], whose: Hashable, ind: IndicatorCount
) -> None:
    """An indicator's counts over ``forces`` (one force, or every force as ALL)."""
    for f in forces:
        _indicator_atoms(model, f, ind.id)
    keys = indicator_keys(whose, ind.id)
    weight = TOTAL if len(forces) > 1 else CELL
    model.figure(keys["worst"], [("iw", f, ind.id) for f in forces], ind.worst or 0, weight=weight)
    answered = [a for f in forces for a in (("iw", f, ind.id), ("io", f, ind.id))]
    model.figure(keys["answered"], answered, ind.answered or 0, weight=TOTAL)
    # Only indicators answered worst at least once are listed.
    model.at_least(("listed", whose, ind.id), [("iw", f, ind.id) for f in forces], 1)


@dataclass(frozen=True)
class GradingRules:
    """What a framework's published grading rules tell any reader, as subsets of a
    force's cases (for computed grades only: a recorded grade is a judgement)."""

    stage_caps: tuple[tuple[str, str], ...] = ()
    """(G, C): a case with a stage graded G or worse is graded C or worse."""
    limiting: tuple[tuple[str, str, str], ...] = ()
    """(indicator id, stage label, G): its worst answer grades the stage G or worse."""


def grading_rules(fw: Framework) -> GradingRules:
    caps: list[tuple[str, str]] = [
        (c.grade, c.cap) for c in fw.scoring.case.caps if c.at_least == 1
    ]
    if fw.scoring.case.combine == "worst_stage":
        caps += [(g, g) for g in GRADES]  # the case takes its worst stage's grade
    cap = fw.scoring.stage.limiting_cap
    limiting = tuple((r.full_id, r.stage.label, cap) for r in fw.indicators if r.indicator.limiting)
    return GradingRules(tuple(caps), limiting)


def _at_or_below(grade: str) -> tuple[str, ...]:
    return GRADES[GRADES.index(grade) :]


def add_rules(
    model: Model, rules: GradingRules, forces: Sequence[str], stages: Sequence[str]
) -> None:
    """The rules' subsets, as links with a slack count: cases in the smaller set plus
    the rest make the larger one."""
    for f in forces:
        for stage in stages:
            for worse, cap in rules.stage_caps:
                model.link(
                    ("rule", f, stage, worse, cap),
                    [
                        *(("sg", f, stage, g) for g in _at_or_below(worse)),
                        ("rs", f, stage, worse, cap),
                    ],
                    [("x", f, g) for g in _at_or_below(cap)],
                )
        for indicator, stage, worse in rules.limiting:
            if ("iw", f, indicator) in model.atoms:
                model.link(
                    ("limiting", f, indicator),
                    [("iw", f, indicator), ("rl", f, indicator)],
                    [("sg", f, stage, g) for g in _at_or_below(worse)],
                )


def thematic_model(
    report: ThematicReport, model: Model | None = None, rules: GradingRules | None = None
) -> Model:
    """The figures of a thematic report (added to ``model`` when given)."""
    model = model or Model()
    forces = [r.label for r in report.forces if r.recorded]
    for row in report.forces:
        if row.recorded:
            add_grade_row(model, row.label, row)
            model.at_least(("recorded", row.label), cases(row.label), 1)  # shown as recorded
    add_total_row(model, forces, report.total)
    labels = [label for _, label in report.stages]
    for stage_row in report.stage_rows:
        for label, cell in zip(labels, stage_row.cells, strict=True):
            add_stage(
                model, stage_row.label, label, cell.applicable or 0, {"inadequate": cell.inadequate}
            )
    for label, cell in zip(labels, report.stage_total.cells, strict=True):
        for f in forces:
            _stage_atoms(model, f, label)
        inadequate = [("sg", f, label, "inadequate") for f in forces]
        model.figure(
            stage_key(ALL, label, "inadequate"), inadequate, cell.inadequate or 0, weight=TOTAL
        )
        applicable = [("sg", f, label, g) for f in forces for g in GRADES]
        model.figure(
            stage_key(ALL, label, "applicable"), applicable, cell.applicable or 0, weight=TOTAL
        )
    for ind in report.worst_indicators:
        add_indicator(model, forces, ALL, ind)
    if rules is not None:
        add_rules(model, rules, forces, labels)
    return model


def breakdown_keys(force: str, title: str, group: str) -> dict[str, FigureKey]:
    return {
        **{g: ("breakdown", force, title, group, g) for g in GRADES},
        "total": ("breakdown_total", force, title, group),
    }


MISSING_GROUPS = {
    "Gender": ("Gender", (NOT_RECORDED, "unknown")),
    "Ethnicity": ("Ethnicity", (NOT_RECORDED, "unknown")),
    "Age": ("Age band", (NOT_RECORDED,)),
}
"""Completeness item -> the breakdown and groups that count the same cases: a child's
detail not recorded is the breakdown's blank group (and its 'unknown' group)."""


def _missing_is_blank(model: Model, report: ForceReport, label: str, missing: int) -> None:
    """Link a completeness count to the breakdown groups that count the same cases,
    when they do (checked on the counts: a link that did not hold would be false)."""
    if label not in MISSING_GROUPS:
        return
    title, groups = MISSING_GROUPS[label]
    breakdown = next((b for b in report.breakdowns if b.title == title), None)
    if breakdown is None:
        return
    rows = [r for r in breakdown.rows if r.label in groups]
    if sum(r.total or 0 for r in rows) != missing:
        return
    f = report.force
    atoms = [("bd", f, title, r.label, g) for r in rows for g in GRADES]
    model.link(("missing-groups", f, label), [("cm", f, label)], atoms)


def force_model(
    report: ForceReport, model: Model | None = None, rules: GradingRules | None = None
) -> Model:
    """The figures of a force report (added to ``model`` when given)."""
    model = model or Model()
    f = report.force
    add_grade_row(model, f, report.overall)
    for s in report.by_stage:
        counts = {"good": s.good, "adequate": s.adequate, "inadequate": s.inadequate}
        add_stage(model, f, s.label, s.applicable or 0, counts)
    for b in report.breakdowns:
        for g in GRADES:
            model.link(
                ("breakdown", f, b.title, g),
                [("bd", f, b.title, row.label, g) for row in b.rows],
                [("x", f, g)],
            )
        for row in b.rows:
            keys = breakdown_keys(f, b.title, row.label)
            for g in GRADES:
                model.figure(keys[g], [("bd", f, b.title, row.label, g)], row.count(g) or 0)
            atoms = [("bd", f, b.title, row.label, g) for g in GRADES]
            model.figure(keys["total"], atoms, row.total or 0, weight=TOTAL)
            model.at_least(("group", f, b.title, row.label), atoms, 1)  # listed: has a case
    for ind in report.failing_indicators:
        add_indicator(model, [f], f, ind)
    for d in report.delays:
        parts = [("dc", f, d.label), ("dn", f, d.label), ("dx", f, d.label)]
        model.link(("delay", f, d.label), parts, cases(f))
        model.figure(("delay_cases", f, d.label), [parts[0]], d.cases or 0)
        model.figure(("delay_negative", f, d.label), [parts[1]], d.negative or 0)
        model.at_least(("delay", f, d.label), parts[:2], 1)  # listed: some case has both dates
    for a in report.detention:
        _stage_atoms(model, f, a.stage)
        answers = [("da", f, a.label, label) for label, _ in a.answers]
        model.link(
            ("detention", f, a.label),
            [*answers, ("db", f, a.label)],
            [("sg", f, a.stage, g) for g in GRADES],
        )
        for (label, n), atom in zip(a.answers, answers, strict=True):
            model.figure(("answer", f, a.label, label), [atom], n or 0)
    for c in report.completeness:
        if c.total != report.overall.total:  # the model's splits all add up to one total
            raise ValueError(
                f"{c.label}: {c.total} cases, the force's grades {report.overall.total}"
            )
        parts = [("cm", f, c.label), ("cp", f, c.label)]
        model.link(("completeness", f, c.label), parts, cases(f))
        model.figure(("missing", f, c.label), [parts[0]], c.missing or 0)
        _missing_is_blank(model, report, c.label, c.missing or 0)
    if rules is not None:
        add_rules(model, rules, [f], [s.label for s in report.by_stage])
    return model

"""Recommendations in the force report: each recommendation made to the force, with the
current results of the framework stages and indicators it concerns (docs/recommendations.md).

An indicator's result is the share of the force's counted cases given each answer
(of the cases where it was answered; not applicable counted apart); a stage's, the
share of cases where it applies graded good, adequate and inadequate. The cases are
the force report's own: one reading each, the audit type asked for.

What a report shows of a recommendation depends on who reads it (one rule, here):

- internal: everything, the owner included;
- anonymised: no id, text or owner (each may name the force its letter hides), and
  the recommendations numbered 1, 2, ... instead;
- published (``--publish``): no owner, ever, and no results (they are counts outside
  the report's disclosure control; the published tables carry the figures it may show).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from inspect_cli.frameworks import GRADES, Framework
from inspect_cli.stats import pct

if TYPE_CHECKING:
    import pandas as pd

    from inspect_cli.load.recommendations import Recommendation, RecommendationRegister
    from inspect_cli.provenance import Provenance
    from inspect_cli.reports.force import ForceReport
    from inspect_cli.reports.make import Choices
    from inspect_cli.score import ScoreResult


@dataclass(frozen=True)
class Share:
    """Cases given one answer (or grade), and their share in percent of the base."""

    answer: str
    count: int
    pct: int | None


@dataclass(frozen=True)
class IndicatorResult:
    id: str
    label: str
    stage: str
    answered: int
    """Cases given one of the scale's answers (not applicable and blank left out)."""
    not_applicable: int
    answers: tuple[Share, ...]
    """Each answer of the scale, best first: its cases and share of ``answered``."""

    @property
    def worst(self) -> int:
        return self.answers[-1].count


@dataclass(frozen=True)
class StageResult:
    id: str
    label: str
    applicable: int
    """Cases where the stage applies (it has a grade)."""
    grades: tuple[Share, ...]
    """good, adequate, inadequate: cases and share of ``applicable``."""

    @property
    def inadequate(self) -> int:
        return self.grades[-1].count


@dataclass(frozen=True)
class Shown:
    """A recommendation as a report shows it: a field withheld is None."""

    id: str
    """The register's id; in an anonymised report, its number in the list."""
    kind: str
    theme: str | None
    text: str | None
    stages: tuple[str, ...]
    """Labels of the stages it concerns."""
    indicators: tuple[str, ...]
    """Full ids of the indicators it concerns."""
    made: dt.date
    action_plan_due: dt.date | None
    status: str | None
    owner: str | None
    stage_ids: tuple[str, ...] = ()
    """Ids of the stages it concerns (``stages`` in the same order)."""


@dataclass(frozen=True)
class ForceItem:
    recommendation: Shown
    stages: tuple[StageResult, ...]
    indicators: tuple[IndicatorResult, ...]


@dataclass(frozen=True)
class RecommendationsSection:
    """The force report's recommendations (``report force --recommendations``)."""

    register: str
    """The register's file name; 'the register' in a published or anonymised report."""
    items: tuple[ForceItem, ...]
    results_shown: bool
    """False in a published report: no results beside the recommendations."""
    cases: int
    """The force's counted cases the results are of."""


def shown(
    r: Recommendation, number: int, fw: Framework, *, anonymise: bool, publish: bool
) -> Shown:
    """``r`` as a report shows it (the rule in this module's docstring)."""
    labels = {s.id: s.label for s in fw.stages}
    return Shown(
        id=str(number) if anonymise else r.id,
        kind=r.kind,
        theme=_theme(r.theme, fw) if anonymise else r.theme,
        text=None if anonymise else r.text,
        stages=tuple(labels[s] for s in r.stages),
        indicators=r.indicators,
        made=r.made,
        action_plan_due=r.action_plan_due,
        status=r.status,
        owner=None if anonymise or publish else r.owner,
        stage_ids=r.stages,
    )


def _theme(theme: str | None, fw: Framework) -> str | None:
    """An anonymised report's theme: one of the framework's indicator themes, as the
    framework spells it; any other is free text, which may name the force (as a text
    may), so it is withheld."""
    from inspect_cli.load.recommendations_files import normal

    if theme is None:
        return None
    known = {
        normal(i.indicator.theme): i.indicator.theme for i in fw.indicators if i.indicator.theme
    }
    return known.get(normal(theme))


def indicator_result(fw: Framework, frame: pd.DataFrame, full_id: str) -> IndicatorResult:
    """How ``frame``'s cases answered one indicator."""
    import numpy as np

    ref = next(i for i in fw.indicators if i.full_id == full_id)
    codes = np.asarray(frame[full_id].cat.codes)
    n = len(ref.scale.responses)
    counts = [int((codes == k).sum()) for k in range(n)]
    answered = sum(counts)
    answers = tuple(
        Share(r.label, c, pct(c, answered))
        for r, c in zip(ref.scale.responses, counts, strict=True)
    )
    return IndicatorResult(
        full_id, ref.indicator.label, ref.stage.label, answered, int((codes == n).sum()), answers
    )


def stage_result(fw: Framework, frame: pd.DataFrame, stage_id: str) -> StageResult:
    """How ``frame``'s cases were graded at one stage (where it applies)."""
    stage = next(s for s in fw.stages if s.id == stage_id)
    grades = frame[f"{stage_id}.grade"]
    applicable = int(grades.notna().sum())
    counts = [int((grades == g).sum()) for g in GRADES]
    return StageResult(
        stage_id,
        stage.label,
        applicable,
        tuple(Share(g, c, pct(c, applicable)) for g, c in zip(GRADES, counts, strict=True)),
    )


def force_section(
    register: RecommendationRegister,
    fw: Framework,
    frame: pd.DataFrame,
    force: str,
    *,
    anonymise: bool = False,
    publish: bool = False,
) -> RecommendationsSection:
    """The recommendations made to ``force`` (its real name), oldest first, with the
    results of ``frame`` (the force's counted cases) on what each concerns."""
    mine = sorted(register.for_force(force), key=lambda r: (r.made, r.id))
    items = []
    for number, r in enumerate(mine, start=1):
        rec = shown(r, number, fw, anonymise=anonymise, publish=publish)
        if publish:
            items.append(ForceItem(rec, (), ()))
            continue
        stages = tuple(stage_result(fw, frame, s) for s in r.stages)
        indicators = tuple(indicator_result(fw, frame, i) for i in r.indicators)
        items.append(ForceItem(rec, stages, indicators))
    # A published or anonymised report names no input file (a name may name the force).
    name = "the register" if anonymise or publish else register.file
    return RecommendationsSection(name, tuple(items), not publish, 0 if publish else len(frame))


def with_recommendations(
    report: ForceReport,
    result: ScoreResult,
    register: RecommendationRegister,
    choices: Choices,
    names: dict[str, str],
) -> ForceReport:
    """``report`` with its recommendations section, from the cases the report counts."""
    from dataclasses import replace

    from inspect_cli.reports.counts import select
    from inspect_cli.reports.review import approved_only

    counted, _ = approved_only(result, choices.include_unapproved)  # as make_force counts
    sel = select(counted, choices.audit_type, choices.grade_source, names)
    frame = sel.frame[(sel.frame["force"] == report.force).to_numpy()]
    real = {shown_as: name for name, shown_as in names.items()}.get(report.force, report.force)
    section = force_section(
        register,
        result.framework,
        frame,
        real,
        anonymise=choices.anonymise,
        publish=choices.publish,
    )
    meta = replace(report.meta, provenance=with_register(report.meta.provenance, section, register))
    return replace(report, recommendations=section, meta=meta)


def with_register(
    provenance: Provenance, shown_as: RecommendationsSection | str, register: RecommendationRegister
) -> Provenance:
    """``provenance`` with the register among its options: its name as the report shows
    it, and the SHA-256 of the bytes read."""
    from dataclasses import replace

    name = shown_as if isinstance(shown_as, str) else shown_as.register
    options = {**provenance.options, "recommendations": f"{name} (SHA-256 {register.sha256})"}
    return replace(provenance, options=options)


def refuse_unknown_forces(
    register: RecommendationRegister, in_data: Iterable[object], only: str | None = None
) -> None:
    """A recommendation to a force with no case in the data (``in_data``: every force
    name read, drafts too) is refused, not shown as 'then 0, now 0' or left out of every
    force's report: its force is misspelt in the register, or the inputs are the wrong
    ones. ``only``: the one force a report is about (its other forces are not asked for)."""
    from inspect_cli.errors import UsageError
    from inspect_cli.identity import force_key
    from inspect_cli.identity import shown as quoted

    known = {force_key(str(name)) for name in in_data}
    chosen = register.recommendations if only is None else register.for_force(only)
    missing = sorted({r.force for r in chosen if force_key(r.force) not in known})
    if missing:
        raise UsageError(
            f"the recommendations register {register.file} names "
            f"{len(missing)} force(s) with no case in the data: "
            + ", ".join(quoted(m) for m in missing),
            details=(
                "check each force's spelling in the register, and that the inputs are "
                "the inspection(s) it belongs to",
            ),
        )

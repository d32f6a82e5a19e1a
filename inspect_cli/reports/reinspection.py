"""The re-inspection view of ``trend --recommendations``: each recommendation made at
the first inspection, then (the first round) and now (the last round) on the stages
and indicators it concerns, with the change tested as ``trend`` tests a change.

For an indicator the change is in the share of answered cases given its worst answer
(a fall is an improvement), tested by the trend's two-proportion z-test
(:func:`inspect_cli.reports.trend.two_proportion_p`), and the shares of every answer by
a chi-square test of round × answer (:func:`inspect_cli.stats.chi_square`); for a stage,
the change in the inadequate share and the same two tests over its grades. The cases
are the trend's: one reading each, of the audit type asked for, with a grade.

Internal, as the trend report is: the owner and the text are shown.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING

from inspect_cli.identity import force_key
from inspect_cli.reports.recommendations import (
    IndicatorResult,
    Share,
    Shown,
    StageResult,
    indicator_result,
    shown,
    stage_result,
    with_register,
)
from inspect_cli.reports.trend import points, share, two_proportion_p
from inspect_cli.stats import ChiSquare, chi_square

if TYPE_CHECKING:
    import pandas as pd

    from inspect_cli.frameworks import Framework
    from inspect_cli.load.recommendations import RecommendationRegister
    from inspect_cli.reports.make import Choices
    from inspect_cli.reports.trend import Round, TrendReport


@dataclass(frozen=True)
class Tested:
    """The change from then to now in the worst share (worst answer, or inadequate)."""

    points: int | None
    """Percentage points, from the counts, rounded half away from zero; None when
    either round has no case to count."""
    z_test_p: float | None
    chi_square: ChiSquare | None
    """Round × answer (or grade)."""
    exact: Fraction | None = None
    """The change in percentage points, exactly (what ``points`` rounds)."""


@dataclass(frozen=True)
class IndicatorThenNow:
    then: IndicatorResult
    now: IndicatorResult
    change: Tested


@dataclass(frozen=True)
class StageThenNow:
    then: StageResult
    now: StageResult
    change: Tested


@dataclass(frozen=True)
class ReinspectionItem:
    force: str
    recommendation: Shown
    stages: tuple[StageThenNow, ...]
    indicators: tuple[IndicatorThenNow, ...]
    cases: tuple[int, int]
    """The force's counted cases then and now."""


@dataclass(frozen=True)
class Reinspection:
    register: str
    then: str
    """The first round's label."""
    now: str
    items: tuple[ReinspectionItem, ...]


def tested(then: Sequence[Share], now: Sequence[Share]) -> Tested:
    """The change in the last share (the worst answer or grade) and its tests."""
    n0, n1 = sum(s.count for s in then), sum(s.count for s in now)
    w0, w1 = then[-1].count, now[-1].count
    before, after = share(w0, n0), share(w1, n1)
    if before is None or after is None:
        return Tested(None, None, None)
    table = [[s.count for s in then], [s.count for s in now]]
    exact = after - before
    return Tested(points(exact), two_proportion_p((w0, w1), (n0, n1)), chi_square(table), exact)


def reinspection(
    register: RecommendationRegister,
    fw: Framework,
    rounds: Sequence[tuple[str, pd.DataFrame]],
    force: str | None = None,
) -> Reinspection:
    """Every recommendation of ``register`` (of ``force`` only, if given), then and now.

    ``rounds``: each round's label and counted cases (:func:`trend.counted_cases`), in
    round order; then is the first, now the last."""
    (then_label, then_frame), (now_label, now_frame) = rounds[0], rounds[-1]
    chosen = register.recommendations
    if force is not None:
        chosen = register.for_force(force)
    items = []
    ordered = sorted(chosen, key=lambda r: (force_key(r.force), r.made, r.id))
    for r in ordered:
        key = force_key(r.force)
        before, after = (f[(_keys(f) == key).to_numpy()] for f in (then_frame, now_frame))
        stages = []
        for s in r.stages:
            a, b = stage_result(fw, before, s), stage_result(fw, after, s)
            stages.append(StageThenNow(a, b, tested(a.grades, b.grades)))
        indicators = []
        for i in r.indicators:
            c, d = indicator_result(fw, before, i), indicator_result(fw, after, i)
            indicators.append(IndicatorThenNow(c, d, tested(c.answers, d.answers)))
        items.append(
            ReinspectionItem(
                _shown_force(r.force, [before, after]),
                shown(r, 0, fw, anonymise=False, publish=False),
                tuple(stages),
                tuple(indicators),
                (len(before), len(after)),
            )
        )
    return Reinspection(register.file, then_label, now_label, tuple(items))


def _keys(frame: pd.DataFrame) -> pd.Series:
    """Each case's force by identity key, worked out once per distinct name."""
    names = frame["force"].astype("string")
    return names.map({n: force_key(str(n)) for n in names.dropna().unique()})


def _shown_force(name: str, frames: Sequence[pd.DataFrame]) -> str:
    """The force as the trend shows it (its spelling in the cases), else as the register
    spells it."""
    for frame in frames:
        if len(frame):
            return str(frame["force"].iloc[0])
    return name


def with_reinspection(
    report: TrendReport,
    rounds: Sequence[Round],
    register: RecommendationRegister,
    choices: Choices,
) -> TrendReport:
    """``report`` with the re-inspection view, counting the cases the trend counts (of
    its one force, when the trend is of one force)."""
    from dataclasses import replace

    from inspect_cli.reports.common import ALL_FORCES
    from inspect_cli.reports.recommendations import refuse_unknown_forces
    from inspect_cli.reports.review import approved_only
    from inspect_cli.reports.trend import counted_cases

    only = None if report.overall.force == ALL_FORCES else report.overall.force
    in_data = (name for r in rounds for name in r.result.cases["force"].dropna().unique())
    refuse_unknown_forces(register, in_data, only)
    frames = []
    for r in rounds:  # the cases make_trend counts: approved only, unless asked otherwise
        counted, _ = approved_only(r.result, choices.include_unapproved)
        frames.append((r.label, counted_cases(counted, choices.audit_type, choices.grade_source)))
    force = None if report.overall.force == ALL_FORCES else report.overall.force
    view = reinspection(register, rounds[0].result.framework, frames, force)
    meta = replace(
        report.meta, provenance=with_register(report.meta.provenance, view.register, register)
    )
    return replace(report, reinspection=view, meta=meta)

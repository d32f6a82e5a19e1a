"""One call per report: scored cases and the user's choices in, the finished report out.

Each ``make_*`` builds the report, applies ``--publish`` and the marking, and records
the options in the provenance, so the commands stay thin and every command applies
these rules the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, TypeVar

from inspect_cli.reports.common import (
    AuditType,
    GradeSource,
    ReportMeta,
    with_left_out_note,
    with_marking,
)

if TYPE_CHECKING:  # the report modules import pandas: only once cases are scored
    from random import Random

    from inspect_cli.key_file import Key
    from inspect_cli.provenance import Provenance
    from inspect_cli.reports.disclosure_model import GradingRules
    from inspect_cli.reports.force import ForceReport
    from inspect_cli.reports.moderation import ModerationReport
    from inspect_cli.reports.thematic import ThematicReport
    from inspect_cli.reports.trend import Round, TrendReport
    from inspect_cli.score import ScoreResult


@dataclass(frozen=True)
class Choices:
    """What the user asked of a report (the command-line options, typed)."""

    audit_type: AuditType = "inspector"
    grade_source: GradeSource = "auto"
    title: str | None = None
    marking: str | None = None
    anonymise: bool = False
    publish: bool = False
    suppress_below: int = 5
    include_unapproved: bool = False
    """Count cases not approved in review too (``--include-unapproved``)."""


def force_names(
    result: ScoreResult, anonymise: bool, key: Key | None = None, rng: Random | None = None
) -> dict[str, str]:
    """Real force name → pseudonym, when the report is anonymised: the letters of
    ``key`` (a key file given back), or letters drawn at random from ``rng`` (default:
    the operating system's randomness, so nothing about the names decides them)."""
    if not anonymise:
        return {}
    from inspect_cli.reports.pseudonyms import anonymise as draw
    from inspect_cli.reports.pseudonyms import from_key

    forces = [str(f) for f in result.cases["force"].dropna().unique()]  # one per force
    return draw(forces, rng) if key is None else from_key(forces, key.pseudonyms, key.file)


def make_thematic(result: ScoreResult, choices: Choices, names: dict[str, str]) -> ThematicReport:
    from inspect_cli.provenance import provenance_for
    from inspect_cli.reports.publish import publish_thematic
    from inspect_cli.reports.review import approved_only, review_note, with_review_note
    from inspect_cli.reports.thematic import thematic_report

    options = _options("thematic", choices)
    result, review = approved_only(result, choices.include_unapproved)
    report = thematic_report(
        result,
        provenance_for(result.framework, result.load, options),
        audit_type=choices.audit_type,
        grade_source=choices.grade_source,
        names=names,
        title=choices.title,
    )
    note = review_note(review, audit_type=choices.audit_type, names=names)
    report = with_review_note(report, note)
    rules = _rules(result, report.meta)
    return _finish(report, lambda r, t: publish_thematic(r, t, rules), choices)


def make_force(
    result: ScoreResult,
    choices: Choices,
    names: dict[str, str],
    force: str,
    *,
    as_shown: bool = False,
) -> ForceReport:
    """``force``: as the user typed it, or with ``as_shown`` as reports show it (see
    :func:`inspect_cli.reports.force.force_report`)."""
    return make_forces(result, choices, names, [force], as_shown=as_shown)[0]


def make_forces(
    result: ScoreResult,
    choices: Choices,
    names: dict[str, str],
    forces: Sequence[str],
    *,
    as_shown: bool = False,
) -> list[ForceReport]:
    """Each force's report, as :func:`make_force` makes it alone, with the cases
    counted selected once for all of them (``--all-forces``: 43 selections of every
    case were most of the batch's time)."""
    from inspect_cli.provenance import provenance_for
    from inspect_cli.reports.counts import select
    from inspect_cli.reports.force import force_report
    from inspect_cli.reports.pseudonyms import pseudonym_of
    from inspect_cli.reports.publish import publish_force
    from inspect_cli.reports.review import (
        approved_only,
        review_note,
        said_when_refused,
        with_review_note,
    )

    result, review = approved_only(result, choices.include_unapproved)
    with said_when_refused(review):
        selected = select(result, choices.audit_type, choices.grade_source, names)

    def one(force: str) -> ForceReport:
        shown_as = pseudonym_of(force, names) if choices.anonymise and not as_shown else force
        options = _options("force", choices, force=shown_as)
        with said_when_refused(review):
            report = force_report(
                result,
                provenance_for(result.framework, result.load, options),
                force,
                audit_type=choices.audit_type,
                grade_source=choices.grade_source,
                names=names,
                title=choices.title,
                as_shown=as_shown,
                selected=selected,
            )
        note = review_note(review, audit_type=choices.audit_type, force=report.force, names=names)
        report = with_review_note(report, note)
        rules = _rules(result, report.meta)
        return _finish(report, lambda r, t: publish_force(r, t, rules), choices)

    return [one(force) for force in forces]


def make_moderation(result: ScoreResult, choices: Choices, force: str | None) -> ModerationReport:
    from inspect_cli.provenance import provenance_for
    from inspect_cli.reports.moderation import moderation_report
    from inspect_cli.reports.review import (
        approved_only,
        review_note,
        said_when_refused,
        with_review_note,
    )

    options = {"report": "moderate", "force": force or "all", "grade_source": choices.grade_source}
    result, review = approved_only(result, choices.include_unapproved)
    with said_when_refused(review):
        report = moderation_report(
            result,
            provenance_for(result.framework, result.load, options),
            force=force,
            grade_source=choices.grade_source,
            title=choices.title,
        )
    report = with_review_note(report, review_note(review, force=force))
    return with_marking(with_left_out_note(report), choices.marking)


def make_trend(rounds: Sequence[Round], choices: Choices, force: str | None) -> TrendReport:
    from inspect_cli.provenance import provenance_for
    from inspect_cli.reports.review import (
        ReviewRows,
        approved_only,
        review_note,
        said_when_refused,
        with_review_note,
    )
    from inspect_cli.reports.trend import trend_report

    first = rounds[0].result  # the command line gives at least one round
    reviewed = [approved_only(r.result, choices.include_unapproved) for r in rounds]
    counts = tuple(c for _, rows in reviewed if rows is not None for c in rows.counts)
    any_review = any(rows is not None for _, rows in reviewed)
    review = ReviewRows(choices.include_unapproved, counts) if any_review else None
    rounds = [replace(r, result=kept) for r, (kept, _) in zip(rounds, reviewed, strict=True)]
    options = {"report": "trend", "rounds": [r.label for r in rounds], "force": force or "all"}
    every_round = [(r.label, r.result.load) for r in rounds]  # every file of every round
    with said_when_refused(review):
        report = trend_report(
            list(rounds),
            provenance_for(first.framework, None, options, rounds=every_round),
            force=force,
            audit_type=choices.audit_type,
            grade_source=choices.grade_source,
            title=choices.title,
        )
    note = review_note(review, audit_type=choices.audit_type, force=force)
    report = with_review_note(report, note)
    return with_marking(with_left_out_note(report), choices.marking)


def _rules(result: ScoreResult, meta: ReportMeta) -> GradingRules | None:
    """The framework's grading rules, which any reader may apply to computed grades:
    only when every counted grade is computed (a recorded grade may break them)."""
    from inspect_cli.reports.disclosure_model import grading_rules

    return grading_rules(result.framework) if meta.all_computed else None


def _options(kind: str, choices: Choices, **extra: str) -> dict[str, object]:
    """The options a thematic or force report records in its provenance, in order."""
    return {
        "report": kind,
        **extra,
        "audit_type": choices.audit_type,
        "grade_source": choices.grade_source,
        "anonymise": choices.anonymise,
        "publish": choices.publish,
        # only when given, so reports on inputs without a review status read as before
        **({"include_unapproved": True} if choices.include_unapproved else {}),
    }


T = TypeVar("T", "ThematicReport", "ForceReport")


def _finish(report: T, publisher: Callable[[T, int], T], choices: Choices) -> T:
    report = with_left_out_note(report)
    if choices.publish:
        report = publisher(report, choices.suppress_below)
    elif choices.anonymise:
        report = _inputs_by_number(report)
    return with_marking(report, choices.marking, publish=choices.publish)


def _inputs_by_number(report: T) -> T:
    """An anonymised report names its input files by number, as a published one does:
    a file name ('Kent audit.xlsx') would name the force its letter hides."""
    from inspect_cli.reports.publish import published_provenance

    meta = replace(report.meta, provenance=published_provenance(report.meta.provenance))
    return replace(report, meta=meta)


def make_published(
    result: ScoreResult, choices: Choices, names: dict[str, str]
) -> tuple[ThematicReport, tuple[ForceReport, ...]]:
    """The thematic report and every force's report, published together from one
    choice of hidden counts (``report publish``)."""
    from inspect_cli.provenance import provenance_for
    from inspect_cli.reports.counts import select
    from inspect_cli.reports.force import force_report
    from inspect_cli.reports.publish import publish_together
    from inspect_cli.reports.thematic import thematic_report

    def provenance(**extra: str) -> Provenance:
        options = _options("publish", replace(choices, publish=True), **extra)
        return provenance_for(result.framework, result.load, options)

    from inspect_cli.reports.review import approved_only, review_note, with_review_note

    audit, source = choices.audit_type, choices.grade_source
    result, review = approved_only(result, choices.include_unapproved)
    thematic = thematic_report(
        result,
        provenance(),
        audit_type=audit,
        grade_source=source,
        names=names,
        title=choices.title,
    )
    selected = select(result, audit, source, names)  # once for every force
    forces = [
        force_report(
            result,
            provenance(force=row.label),
            row.label,
            audit_type=audit,
            grade_source=source,
            names=names,
            case_list=False,
            as_shown=True,
            selected=selected,
        )
        for row in thematic.forces
        if row.recorded
    ]
    thematic = with_review_note(thematic, review_note(review, audit_type=audit, names=names))
    forces = [
        with_review_note(r, review_note(review, audit_type=audit, force=r.force, names=names))
        for r in forces
    ]
    rules = _rules(result, thematic.meta)  # every force's cases are among the thematic's
    thematic, forces = with_left_out_note(thematic), [with_left_out_note(r) for r in forces]
    thematic, published = publish_together(thematic, forces, choices.suppress_below, rules)
    return (
        with_marking(thematic, choices.marking, publish=True),
        tuple(with_marking(r, choices.marking, publish=True) for r in published),
    )

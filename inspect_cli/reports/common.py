"""Decisions every report shares, made once.

The command line imports this module at start-up (to check options), so it
imports nothing heavy at run time: the counting that needs pandas is in
:mod:`inspect_cli.reports.counts`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, Protocol, TypeVar, cast, get_args

from inspect_cli.errors import UsageError
from inspect_cli.identity import force_key
from inspect_cli.reports.pseudonyms import anonymise as anonymise  # re-exported

if TYPE_CHECKING:  # common is imported at start-up: nothing heavy at run time
    from inspect_cli.provenance import Provenance
    from inspect_cli.reports.review import ReviewNote
    from inspect_cli.score import ScoreResult
    from inspect_cli.stats import Interval

AuditType = Literal["inspector", "self-assessment", "all"]
"""Which assessments a report counts: the inspectors', the force's own, or both."""
GradeSource = Literal["auto", "computed", "recorded"]
"""Which grade counts: ``auto`` (the default) the auditor's recorded conclusion where
there is one and the framework's suggested (computed) grade where not; ``computed``
the framework's grade for every case; ``recorded`` the auditor's, leaving out cases
without one. The rule itself is :func:`inspect_cli.reports.counts.counted_grade`."""
DEFAULT_GRADE_SOURCE: GradeSource = "auto"
GradeKind = Literal["recorded", "computed"]
"""Which kind of grade one case was counted by."""

DEFAULT_MARKING = "OFFICIAL-SENSITIVE"
"""The Government Security Classifications marking for case-level findings."""
NO_MARKING = "none"
"""``--marking none``: no marking, for every command."""


class Report(Protocol):
    """A report: a frozen dataclass with a ``meta`` field."""

    @property
    def meta(self) -> ReportMeta: ...


R = TypeVar("R", bound=Report)


def marking_for(given: str | None, *, publish: bool) -> str | None:
    """The protective marking a report carries.

    ``--marking TEXT`` wins; ``--marking none`` (any case) or ``--marking ""`` means
    none (``none`` because Windows PowerShell drops an empty argument). Line breaks
    become spaces: a marking is one line in every format (a CSV comment line, a page
    header). Without it, internal reports are OFFICIAL-SENSITIVE and published ones
    carry no marking (the publisher decides what a released report says)."""
    if given is not None:
        text = " ".join(given.split())
        return None if text.casefold() in ("", NO_MARKING) else text
    return None if publish else DEFAULT_MARKING


def with_marking(report: R, given: str | None, *, publish: bool = False) -> R:
    """``report`` carrying the marking :func:`marking_for` decides."""
    meta = dataclasses.replace(report.meta, marking=marking_for(given, publish=publish))
    return dataclasses.replace(report, meta=meta)  # type: ignore[type-var]  # R is a dataclass


def with_left_out_note(report: R) -> R:
    """``report`` saying what it left out because of errors (``--allow-partial``): the
    figures are then of the rest, and a reader must not take them for all the cases."""
    left = report.meta.provenance.left_out
    if not left:
        return report
    rows = sum(1 for item in left if item.row is not None)
    whole = len(left) - rows
    parts = [f"{rows:,} row" + ("s" if rows > 1 else "")] if rows else []
    if whole:
        parts.append(f"{whole:,} whole sheet" + (" or file" if whole == 1 else "s or files"))
    note = (
        f"Left out because of errors (--allow-partial): {' and '.join(parts)}; every figure "
        "counts only the rest. Each is listed with its error under 'Left out' in the "
        "report's provenance, and by inspect-cli validate."
    )
    meta = report.meta
    meta = dataclasses.replace(
        meta, notes=(*meta.notes, note), published_notes=(*meta.published_notes, note)
    )
    return dataclasses.replace(report, meta=meta)  # type: ignore[type-var]  # R is a dataclass


def audit_type(value: str) -> AuditType:
    if value not in get_args(AuditType):
        raise UsageError(f"unknown audit type {value!r}", details=(", ".join(get_args(AuditType)),))
    return cast(AuditType, value)


def grade_source(value: str) -> GradeSource:
    if value not in get_args(GradeSource):
        raise UsageError(
            f"unknown grade source {value!r}", details=(", ".join(get_args(GradeSource)),)
        )
    return cast(GradeSource, value)


# --------------------------------------------------------------------------- models


@dataclass(frozen=True)
class ReportMeta:
    title: str
    framework_id: str
    framework_version: str
    framework_title: str
    audit_type: AuditType
    grade_source: GradeSource
    anonymised: bool
    provenance: Provenance
    notes: tuple[str, ...] = ()
    serious_concern_threshold: str = "1/3"
    published: bool = False
    """Made with --publish: small counts suppressed, nothing that identifies a case."""
    suppression_threshold: int | None = None
    marking: str | None = None
    """A protective marking to show at the top, e.g. 'OFFICIAL-SENSITIVE'."""
    published_notes: tuple[str, ...] = ()
    """``notes`` as a published report words them: without counts of cases."""
    grades_used: tuple[tuple[GradeKind, int | None], ...] = ()
    """How many counted cases were counted by each kind of grade, recorded first
    (None in a published report: a count of cases is a figure)."""
    review: ReviewNote | None = None
    """The review state of the cases in scope, when the inputs record one
    (:mod:`inspect_cli.reports.review`)."""

    @property
    def all_computed(self) -> bool:
        """Whether every counted grade is the framework's computed one (so its rules,
        which any reader may apply, hold for every count)."""
        recorded = dict(self.grades_used).get("recorded", 0)
        return self.grade_source != "recorded" and recorded == 0


@dataclass(frozen=True)
class GradeRow:
    """Counts of good / adequate / inadequate for one force or group, with shares."""

    label: str
    recorded: bool
    good: int | None
    adequate: int | None
    inadequate: int | None
    total: int | None
    good_pct: int | None
    adequate_pct: int | None
    inadequate_pct: int | None
    inadequate_ci: Interval | None
    serious_concern: bool = False
    suppressed: frozenset[str] = frozenset()
    """Fields hidden by small-number suppression (their values are None): show 'c'."""

    def count(self, grade: str) -> int | None:
        return {"good": self.good, "adequate": self.adequate, "inadequate": self.inadequate}[grade]

    def share(self, grade: str) -> int | None:
        return {
            "good": self.good_pct,
            "adequate": self.adequate_pct,
            "inadequate": self.inadequate_pct,
        }[grade]


# --------------------------------------------------------------------------- forces

ALL_FORCES = "All forces"
"""The label of the row (or block) that counts every force together."""

S = TypeVar("S")


def shows_overall(forces: Sequence[object]) -> bool:
    """Whether a report shows an all-forces row after the forces' own: only for more
    than one force (for a single force it would repeat that force's row)."""
    return len(forces) > 1


def with_overall(forces: Sequence[S], overall: S) -> tuple[S, ...]:
    """Each force's row, then the all-forces row when :func:`shows_overall`."""
    return (*forces, overall) if shows_overall(forces) else tuple(forces)


def find_force(
    name: str,
    present: Sequence[str],
    *,
    where: str = "in the data",
    names: Mapping[str, str] | None = None,
) -> str:
    """The force of ``present`` called ``name``, as the data spell it: names match by
    identity key (:func:`inspect_cli.identity.force_key`: capitals, spaces and invisible
    characters ignored). With ``names`` (real name → pseudonym, when ``present`` holds
    pseudonyms), ``name`` may be a real name or a pseudonym."""
    key = force_key(name)
    pseudonym = next((p for real, p in (names or {}).items() if force_key(real) == key), None)
    if pseudonym is not None:
        # 'Force B' may be one force's real name and another's pseudonym: refuse to guess.
        if pseudonym_of_another := [
            p for p in present if force_key(p) == key != force_key(pseudonym)
        ]:
            raise UsageError(
                f"{name!r} names two forces: one force's real name and another's pseudonym",
                details=(
                    f"the force really called {name!r} is shown as {pseudonym!r}; "
                    f"the force shown as {pseudonym_of_another[0]!r} is another force",
                    "name the force you mean by its other name (real name or pseudonym)",
                ),
            )
        key = force_key(pseudonym)
    matches = [f for f in present if force_key(f) == key]
    if not matches:
        raise UsageError(
            f"no force {name!r} {where}",
            details=(f"forces present: {', '.join(present) or 'none'}",),
        )
    return matches[0]


def report_meta(
    result: ScoreResult,
    title: str,
    audit_type: AuditType,
    grade_source: GradeSource,
    anonymised: bool,
    provenance: Provenance,
    notes: Sequence[str],
    published_notes: Sequence[str] = (),
    grades_used: Mapping[GradeKind, int] | None = None,
) -> ReportMeta:
    fw = result.framework
    return ReportMeta(
        title=title,
        framework_id=fw.id,
        framework_version=fw.version,
        framework_title=fw.title,
        audit_type=audit_type,
        grade_source=grade_source,
        anonymised=anonymised,
        provenance=provenance,
        notes=tuple(notes),
        published_notes=tuple(published_notes),
        serious_concern_threshold=str(fw.reporting.serious_concern_share),
        grades_used=tuple((grades_used or {}).items()),
    )


def pct_range(values: Iterable[int | None]) -> tuple[int, int] | None:
    present = [v for v in values if v is not None]
    return (min(present), max(present)) if present else None

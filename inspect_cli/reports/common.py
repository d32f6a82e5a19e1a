"""Decisions every report shares, made once."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Literal, Protocol, TypeVar, cast, get_args

from inspect_cli.errors import UsageError

if TYPE_CHECKING:
    from inspect_cli.aggregate import ReportMeta

AuditType = Literal["inspector", "self-assessment", "all"]
"""Which assessments a report counts: the inspectors', the force's own, or both."""
GradeSource = Literal["computed", "recorded"]
"""Which grade counts: the framework's computed grade, or the auditor's recorded one."""

DEFAULT_MARKING = "OFFICIAL-SENSITIVE"
"""The Government Security Classifications marking for case-level findings."""


class Report(Protocol):
    """A report: a frozen dataclass with a ``meta`` field."""

    @property
    def meta(self) -> ReportMeta: ...


R = TypeVar("R", bound=Report)


def marking_for(given: str | None, *, publish: bool) -> str | None:
    """The protective marking a report carries.

    ``--marking TEXT`` wins and ``--marking ""`` means none; without it, internal
    reports are OFFICIAL-SENSITIVE and published ones carry no marking (the
    publisher decides what a released report says)."""
    if given is not None:
        return given.strip() or None
    return None if publish else DEFAULT_MARKING


def with_marking(report: R, given: str | None, *, publish: bool = False) -> R:
    """``report`` carrying the marking :func:`marking_for` decides."""
    meta = dataclasses.replace(report.meta, marking=marking_for(given, publish=publish))
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

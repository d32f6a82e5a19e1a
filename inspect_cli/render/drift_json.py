"""The JSON shape of the auditor-drift section (``auditor_drift`` in ``report force``,
``moderate`` and ``moderate --between inspectors``; docs/json.md, "Auditor drift").
Apart from :mod:`inspect_cli.render.contracts` only to keep that module small: a
public contract all the same (extend, never rename)."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from inspect_cli.reports.common import GradeRow
    from inspect_cli.reports.drift import DriftSection


def drift_json(d: DriftSection | None) -> dict[str, Any] | None:
    """Each auditor against the rest of the team (docs/moderation.md, "Auditor drift");
    null where the report has no such section (anonymised)."""
    if d is None:
        return None
    return {
        "scope": d.scope,
        "audit_type": d.audit_type,
        "status": d.status,
        "min_cases": d.min_cases,
        "level": d.level,
        "tests": d.tests,
        "unnamed_readings": d.unnamed,
        "auditors": [
            {
                "auditor": a.auditor,
                "readings": a.cases,
                "too_few": a.too_few,
                "look": a.look,
                "grades": _drift_grades(a.grades),
                "rest_grades": _drift_grades(a.rest_grades),
                "grade_test": dataclasses.asdict(a.grade_test),
                "worst_answers": dataclasses.asdict(a.worst),
                "rest_worst_answers": dataclasses.asdict(a.rest_worst),
                "worst_answers_test": dataclasses.asdict(a.worst_test),
                "second_readings": dataclasses.asdict(a.second),
                "rest_second_readings": dataclasses.asdict(a.rest_second),
                "second_readings_test": dataclasses.asdict(a.second_test),
            }
            for a in d.auditors
        ],
    }


def _drift_grades(row: GradeRow) -> dict[str, Any]:
    return {
        "good": row.good,
        "adequate": row.adequate,
        "inadequate": row.inadequate,
        "total": row.total,
        "good_pct": row.good_pct,
        "adequate_pct": row.adequate_pct,
        "inadequate_pct": row.inadequate_pct,
    }

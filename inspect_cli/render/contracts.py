"""The public JSON shapes and the one JSON writer.

Other tools read these outputs: extend a shape, never rename or drop a key (each is
documented in docs/). Every JSON the tool prints or writes goes through
:func:`dumps`, so all share one policy: two-space indents, text as written (not
``\\u`` escapes), a final newline, and sets as sorted lists. Every shape carries
``schema_version``; docs/schemas/ holds the JSON Schema of each (docs/json.md).
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from inspect_cli.frameworks import GRADES
from inspect_cli.render.drift_json import drift_json  # auditor_drift: kept apart for size
from inspect_cli.render.recommendations_json import recommendations_key, reinspection_key
from inspect_cli.render.review_json import review_dict

if TYPE_CHECKING:
    from inspect_cli.load import LoadResult
    from inspect_cli.reports.coefficients import Rated
    from inspect_cli.reports.common import GradeRow, ReportMeta
    from inspect_cli.reports.force import ForceReport
    from inspect_cli.reports.force_topics import ForceTopics, TopicsSummary
    from inspect_cli.reports.judgement import JudgementAndRule
    from inspect_cli.reports.moderation import Agreement, ModerationReport
    from inspect_cli.reports.readers import ReaderAgreement, ReadersReport
    from inspect_cli.reports.referrals import ReferralsReport
    from inspect_cli.reports.thematic import ThematicReport
    from inspect_cli.reports.trend import ForceTrend, TrendReport
    from inspect_cli.score import ScoreResult
    from inspect_cli.stats import ChiSquare, Interval


SCHEMA_VERSION = 3
"""The version of every JSON shape below, as its ``schema_version`` key. Shapes are
only ever extended, so a reader written for version 1 reads every later version;
the number goes up when keys are added (and the schemas in docs/schemas/ with it)."""


def _sets_as_lists(value: object) -> list[Any]:
    if isinstance(value, set | frozenset):
        return sorted(value)
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def dumps(data: object, *, sort_keys: bool = False) -> str:
    """JSON text of ``data``; suppressed-field sets become sorted lists."""
    text = json.dumps(
        data, indent=2, ensure_ascii=False, sort_keys=sort_keys, default=_sets_as_lists
    )
    return text + "\n"


def _interval(ci: Interval | None) -> list[float] | None:
    return [ci.low, ci.high] if ci else None


def grade_row_dict(row: GradeRow, key: str = "force") -> dict[str, Any]:
    """One grade row in the JSON of ``report thematic``, ``report force`` and ``trend``."""
    blank = not row.recorded
    return {
        key: row.label,
        "recorded": row.recorded,
        "good": None if blank else row.good,
        "adequate": None if blank else row.adequate,
        "inadequate": None if blank else row.inadequate,
        "total": None if blank else row.total,
        "good_pct": row.good_pct,
        "adequate_pct": row.adequate_pct,
        "inadequate_pct": row.inadequate_pct,
        "inadequate_ci_95": _interval(row.inadequate_ci),
        # null when hidden: the flag is worked out from the hidden inadequate share
        "serious_concern": None if "serious_concern" in row.suppressed else row.serious_concern,
        # named as the keys above, so a reader can look each one up
        "suppressed": sorted(
            "inadequate_ci_95" if f == "inadequate_ci" else f for f in row.suppressed
        ),
    }


def meta_dict(meta: ReportMeta) -> dict[str, Any]:
    """The report header in the JSON of ``report thematic``, ``report force``, ``moderate``
    and ``trend``."""
    prov = meta.provenance
    return {
        "schema_version": SCHEMA_VERSION,
        "title": meta.title,
        "published": meta.published,
        "suppression_threshold": meta.suppression_threshold,
        "marking": meta.marking,
        "framework": {"id": meta.framework_id, "version": meta.framework_version},
        "audit_type": meta.audit_type,
        "grade_source": meta.grade_source,
        # cases counted by the auditor's recorded grade and by the framework's suggested
        # (computed) one; null counts in a published report
        "grades_used": {"recorded": None, "computed": None, **dict(meta.grades_used)},
        "anonymised": meta.anonymised,
        "notes": list(meta.notes),
        # null unless the inputs record a review status (docs/reports.md, review state)
        "review": review_dict(meta.review, meta.published),
        "provenance": {
            "tool_version": prov.tool_version,
            "created": prov.created,
            "inputs": _inputs(prov.inputs),
            "options": prov.options,
            "framework_file": {"file": prov.framework_file, "sha256": prov.framework_sha256},
            "rounds": [{"round": label, "inputs": _inputs(files)} for label, files in prov.rounds],
            "notes": list(prov.notes),
            # rows, sheets and files not counted because of errors (--allow-partial)
            "left_out": [
                {
                    "file": item.file,
                    "sheet": item.sheet,
                    "row": item.row,
                    "code": item.code,
                    "reason": item.reason,
                    "round": item.round,
                }
                for item in prov.left_out
            ],
        },
    }


def _inputs(pairs: tuple[tuple[str, str], ...]) -> list[dict[str, str]]:
    return [{"file": name, "sha256": digest} for name, digest in pairs]


def _chi(cs: ChiSquare | None) -> dict[str, Any] | None:
    if cs is None:
        return None
    return {**dataclasses.asdict(cs), "reliable": cs.reliable}


def thematic_dict(r: ThematicReport) -> dict[str, Any]:
    """The shape of ``report thematic --format json``."""
    f = r.findings
    return {
        **meta_dict(r.meta),
        "headers": r.headers,
        "forces": [grade_row_dict(row) for row in r.forces],
        "total": grade_row_dict(r.total),
        "footnotes": list(r.footnotes),
        "findings": {
            "good_pct_range": list(f.good_pct_range) if f.good_pct_range else None,
            "inadequate_pct_range": list(f.inadequate_pct_range)
            if f.inadequate_pct_range
            else None,
            "forces_at_least_75pct_adequate_or_better": f.forces_at_least_75pct_adequate_or_better,
            "forces_recorded": f.forces_recorded,
            "overall_inadequate_pct": f.overall_inadequate_pct,
            "serious_concern": list(f.serious_concern),
            "serious_concern_threshold": f.serious_concern_threshold,
            "forces_not_assessed": list(f.forces_not_assessed),
        },
        "chi_square": _chi(r.chi_square),
        "chi_square_withheld": r.chi_square_withheld,
        "stages": [{"id": i, "label": label} for i, label in r.stages],
        "stage_table": [
            {
                "force": row.label,
                "cells": [
                    {"stage": sid, **dataclasses.asdict(cell)}
                    for (sid, _), cell in zip(r.stages, row.cells, strict=True)
                ],
            }
            for row in (*r.stage_rows, r.stage_total)
        ],
        "worst_indicators": [dataclasses.asdict(i) for i in r.worst_indicators],
        "judgement_and_rule": judgement_dict(r.judgement),
        "force_judgements_summary": topics_summary_dict(r.force_topics),
    }


def topics_summary_dict(s: TopicsSummary | None) -> dict[str, Any] | None:
    """Force-level topics across forces (never one force's grades); null when no force
    has a topic judged."""
    return None if s is None else dataclasses.asdict(s)


def force_topics_dict(t: ForceTopics | None) -> dict[str, Any] | None:
    """One force's topics, self against inspectors; null when none is judged, and in a
    published report. ``evidence`` is null unless the report is internal and named."""
    return None if t is None else dataclasses.asdict(t)


def judgement_dict(j: JudgementAndRule | None) -> dict[str, Any] | None:
    """Recorded grades against the framework's suggestions; null when no case has a
    recorded grade, and in a published report."""
    if j is None:
        return None
    return {
        "rows": [dataclasses.asdict(row) for row in j.rows],
        "differences": [dataclasses.asdict(d) for d in j.differences],
    }


def force_dict(r: ForceReport) -> dict[str, Any]:
    """The shape of ``report force --format json``."""
    return {
        **meta_dict(r.meta),
        "force": r.force,
        "overall": grade_row_dict(r.overall),
        "distribution": [
            {"grade": d.grade, "count": d.count, "pct": d.pct, "ci_95": _interval(d.ci)}
            for d in r.distribution
        ],
        "by_stage": [dataclasses.asdict(s) for s in r.by_stage],
        "breakdowns": [
            {"title": b.title, "rows": [grade_row_dict(row, "group") for row in b.rows]}
            for b in r.breakdowns
        ],
        "failing_indicators": [dataclasses.asdict(i) for i in r.failing_indicators],
        "delays": [dataclasses.asdict(d) for d in r.delays],
        "detention": [
            {"indicator": a.label, "applicable": a.applicable, "answers": dict(a.answers)}
            for a in r.detention
        ],
        "completeness": [dataclasses.asdict(c) for c in r.completeness],
        "cases": [dataclasses.asdict(c) for c in r.cases],
        "judgement_and_rule": judgement_dict(r.judgement),
        "force_judgements": force_topics_dict(r.force_topics),
        # internal only: a published report never has the key (docs/json.md)
        **({} if r.meta.published else {"referrals": _referral_counts(r)}),
        # internal only, like referrals: names auditors (null when anonymised)
        **({} if r.meta.published else {"auditor_drift": drift_json(r.drift)}),
        **recommendations_key(r.recommendations, r.meta.published),
    }


def _referral_counts(r: ForceReport) -> dict[str, int] | None:
    c = r.referrals
    return None if c is None else {"referred_back": c.referred_back, "outstanding": c.outstanding}


def agreement_dict(a: Agreement) -> dict[str, Any]:
    """One force's agreement (or all forces') in ``moderate --format json``."""
    return {
        "force": a.label,
        "matched": a.matched,
        "exact_agreement": a.exact,
        "exact_agreement_pct": a.exact_agreement_pct,
        "weighted_kappa": a.weighted_kappa,
        "kappa_ci": list(a.kappa_ci) if a.kappa_ci else None,
        "kappa_words": a.kappa_words,
        "krippendorff_alpha_ordinal": a.alpha_ordinal,
        "alpha_words": a.alpha_words,
        "self_higher": a.self_higher,
        "self_lower": a.self_lower,
        "same": a.same,
        "sign_test_p": a.sign_test_p,
        "confusion": [list(row) for row in a.confusion],
        "confusion_order": list(GRADES),
        "stages": [dataclasses.asdict(s) for s in a.stages],
        "indicators": [dataclasses.asdict(i) for i in a.indicators],
        "depth": dataclasses.asdict(a.depth) if a.depth else None,
        "disagreements": [dataclasses.asdict(d) for d in a.disagreements],
        "exact_agreement_ci": _interval(a.exact_agreement_ci),
        "cohen_kappa": rated_dict(a.kappa),
        "gwet_ac1": rated_dict(a.ac1),
        "gwet_ac2": rated_dict(a.ac2),
        "lead": dataclasses.asdict(a.lead),
    }


def readers_dict(r: ReadersReport) -> dict[str, Any]:
    """The shape of ``moderate --between inspectors --format json``."""

    def one(a: ReaderAgreement) -> dict[str, Any]:
        return {
            "force": a.label,
            "cases": a.cases,
            "readings": a.readings,
            "readers": a.readers,
            "unanimous": a.unanimous,
            "unanimous_pct": a.unanimous_pct,
            "pairwise_agreement": a.pairwise_agreement,
            "gwet_ac1": rated_dict(a.ac1),
            "gwet_ac2": rated_dict(a.ac2),
            "fleiss_kappa": rated_dict(a.fleiss_kappa),
            "krippendorff_alpha_ordinal": a.alpha_ordinal,
            "confusion": [list(row) for row in a.confusion] if a.confusion else None,
            "confusion_order": list(GRADES),
            "cohen_kappa": rated_dict(a.weighted_kappa) if a.weighted_kappa else None,
            "lead": dataclasses.asdict(a.lead),
            "disagreements": [dataclasses.asdict(d) for d in a.disagreements],
        }

    return {
        **meta_dict(r.meta),
        "between": "inspectors",
        "read_once": r.read_once,
        "forces": [one(a) for a in r.forces],
        "overall": one(r.overall),
        "auditor_drift": drift_json(r.drift),
    }


def rated_dict(r: Rated) -> dict[str, Any]:
    """A coefficient with its standard error, 95% interval and Gwet benchmark."""
    return {
        "name": r.name,
        "value": r.value,
        "se": r.se,
        "ci": list(r.ci) if r.ci else None,
        "benchmark": r.level,
        "benchmark_probability": r.level_probability,
        "words": r.words,
    }


def moderation_dict(r: ModerationReport) -> dict[str, Any]:
    """The shape of ``moderate --format json``."""
    return {
        **meta_dict(r.meta),
        "forces": [agreement_dict(a) for a in r.forces],
        "overall": agreement_dict(r.overall),
        "unmatched": [dataclasses.asdict(u) for u in r.unmatched],
        "recorded_vs_computed": [dataclasses.asdict(c) for c in r.recorded_vs_computed],
        "auditor_drift": drift_json(r.drift),
    }


def _trend_dict(t: ForceTrend) -> dict[str, Any]:
    c = t.change
    return {
        "force": t.force,
        "rounds": [grade_row_dict(r, "round") for r in t.rounds],
        "change": {
            "good_points": c.good_points,
            "inadequate_points": c.inadequate_points,
            "inadequate_z_test_p": c.inadequate_z_p,
            "chi_square": None
            if c.chi_square is None
            else {**dataclasses.asdict(c.chi_square), "reliable": c.chi_square.reliable},
        },
    }


def trend_dict(r: TrendReport) -> dict[str, Any]:
    """The shape of ``trend --format json``."""
    return {
        **meta_dict(r.meta),
        "rounds": list(r.rounds),
        "forces": [_trend_dict(f) for f in r.forces],
        "overall": _trend_dict(r.overall),
        "stages": [dataclasses.asdict(s) for s in r.stages],
        "indicators_improved": [dataclasses.asdict(i) for i in r.improved],
        "indicators_worsened": [dataclasses.asdict(i) for i in r.worsened],
        # per round, how many counted cases were counted by each kind of grade
        "grades_used_by_round": [dataclasses.asdict(g) for g in r.grades_used_by_round],
        **reinspection_key(r.reinspection),
    }


def validation_json(result: LoadResult) -> dict[str, Any]:
    """The shape of ``validate --format json`` (a contract: extend, never rename)."""
    return {
        "schema_version": SCHEMA_VERSION,
        "ok": result.ok,
        "framework": {"id": result.framework.id, "version": result.framework.version},
        "files": [
            {"name": s.name, "sha256": s.sha256, "rows_read": s.rows_read, "cases": s.cases}
            for s in result.sources
        ],
        "rows_read": result.rows_read,
        "cases": len(result.cases),
        "not_loaded": len(result.rejected),
        "problems": [p.to_dict() for p in result.problems],
    }


def _plain(value: Any, is_missing: Callable[[Any], bool]) -> Any:
    """A JSON-ready scalar."""
    if is_missing(value):
        return None
    if hasattr(value, "item"):
        return value.item()
    return value


def scored_records(result: ScoreResult, marking: str | None = None) -> list[dict[str, Any]]:
    """One dict per case: the shape of ``score --format json`` (extend, never rename).

    The shape is a list, so there is no top level to carry the marking and schema
    version: each case carries them (``marking`` null for none), and so keeps its
    marking when a reader takes it out of the list."""
    # pandas decides what is missing; imported here, so the other shapes (framework,
    # validation) stay light.
    from inspect_cli.render.cells import is_missing

    def plain(value: Any) -> Any:
        return _plain(value, is_missing)

    fw = result.framework
    frame = result.scored
    records = []
    stage_ids = [s.id for s in fw.stages]
    for row in frame.to_dict("records"):
        records.append(
            {
                "case_ref": plain(row["case_ref"]),
                "force": plain(row["force"]),
                "audit_type": plain(row["audit_type"]),
                "area_of_practice": plain(row["area_of_practice"]),
                "grade": plain(row["grade"]),
                "recorded_grade": plain(row["recorded_grade"]),
                "recorded_counts_as": plain(row["recorded_counts_as"]),
                "grade_agrees": plain(row["grade_agrees"]),
                "score": plain(row["score"]),
                "stages": {s: plain(row[f"{s}.grade"]) for s in stage_ids},
                "stage_scores": {s: plain(row[f"{s}.score"]) for s in stage_ids},
                "reason": plain(row["reason"]),
                "source": {
                    "file": plain(row["source_file"]),
                    "sheet": plain(row["source_sheet"]) or None,
                    "row": plain(row["source_row"]),
                },
                "marking": marking,
                "schema_version": SCHEMA_VERSION,
            }
        )
    return records


def scored_json(result: ScoreResult, marking: str | None = None) -> str:
    """The text of ``score --format json`` (and of ``score -o FILE.json``)."""
    return dumps(scored_records(result, marking))


def write_scored_json(result: ScoreResult, target: Path, marking: str | None = None) -> None:
    """Write ``score -o FILE.json``."""
    target.write_text(scored_json(result, marking), encoding="utf-8")


def referrals_dict(r: ReferralsReport) -> dict[str, Any]:
    """The JSON of ``inspect-cli referrals`` (docs/schemas/referrals.schema.json): internal
    only, so it always names cases; it has no ``published`` form."""
    meta, prov = r.meta, r.meta.provenance
    return {
        "schema_version": SCHEMA_VERSION,
        "title": meta.title,
        "marking": meta.marking,
        "framework": {"id": meta.framework_id, "version": meta.framework_version},
        "as_of": meta.as_of.isoformat(),
        "force": r.force,
        "referred_back": len(r.referrals),
        "outstanding": r.outstanding,
        "notes": list(meta.notes),
        "referrals": [
            {
                "force": x.force,
                "case_ref": x.case_ref,
                "audit_type": x.audit_type,
                "area_of_practice": x.area,
                "referred_on": x.referred_on.isoformat(),
                "referred_to": x.referred_to,
                "referral_reason": x.reason,
                "force_response_on": x.response_on.isoformat() if x.response_on else None,
                "force_action": x.action,
                "outstanding": x.outstanding,
                "days_waiting": x.days_waiting,
                "source": x.source,
            }
            for x in r.referrals
        ],
        "provenance": {
            "tool_version": prov.tool_version,
            "created": prov.created,
            "inputs": _inputs(prov.inputs),
            "options": prov.options,
            "framework_file": {"file": prov.framework_file, "sha256": prov.framework_sha256},
            "notes": list(prov.notes),
            "left_out": [
                {"file": i.file, "sheet": i.sheet, "row": i.row, "code": i.code, "reason": i.reason}
                for i in prov.left_out
            ],
        },
    }

"""Reports as JSON and CSV for machines. The JSON shapes are public contracts: extend only."""

from __future__ import annotations

import csv
import dataclasses
from pathlib import Path
from typing import Any

from inspect_cli.aggregate import ForceReport, GradeRow, ReportMeta, ThematicReport
from inspect_cli.render.cells import csv_safe
from inspect_cli.stats import ChiSquare, Interval


def _interval(ci: Interval | None) -> list[float] | None:
    return [ci.low, ci.high] if ci else None


def grade_row_dict(row: GradeRow, key: str = "force") -> dict[str, Any]:
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
        "serious_concern": row.serious_concern,
        # named as the keys above, so a reader can look each one up
        "suppressed": sorted(
            "inadequate_ci_95" if f == "inadequate_ci" else f for f in row.suppressed
        ),
    }


def meta_dict(meta: ReportMeta) -> dict[str, Any]:
    prov = meta.provenance
    return {
        "title": meta.title,
        "published": meta.published,
        "suppression_threshold": meta.suppression_threshold,
        "marking": meta.marking,
        "framework": {"id": meta.framework_id, "version": meta.framework_version},
        "audit_type": meta.audit_type,
        "grade_source": meta.grade_source,
        "anonymised": meta.anonymised,
        "notes": list(meta.notes),
        "provenance": {
            "tool_version": prov.tool_version,
            "created": prov.created,
            "inputs": [{"file": name, "sha256": digest} for name, digest in prov.inputs],
            "options": prov.options,
        },
    }


def _chi(cs: ChiSquare | None) -> dict[str, Any] | None:
    if cs is None:
        return None
    return {**dataclasses.asdict(cs), "reliable": cs.reliable}


def thematic_dict(r: ThematicReport) -> dict[str, Any]:
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
        },
        "chi_square": _chi(r.chi_square),
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
    }


def force_dict(r: ForceReport) -> dict[str, Any]:
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
    }


CSV_COLUMNS = (
    "good",
    "adequate",
    "inadequate",
    "total",
    "good_pct",
    "adequate_pct",
    "inadequate_pct",
)


def write_thematic_csv(r: ThematicReport, target: Path) -> None:
    """The conclusions table, one row per force then the total."""
    with open(target, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(
            [
                "force",
                "recorded",
                *CSV_COLUMNS,
                "inadequate_ci_low",
                "inadequate_ci_high",
                "serious_concern",
            ]
        )
        for row in (*r.forces, r.total):
            d = grade_row_dict(row)
            ci = d["inadequate_ci_95"] or [None, None]
            writer.writerow(
                [
                    csv_safe(v)
                    for v in (
                        d["force"],
                        d["recorded"],
                        *(d[c] for c in CSV_COLUMNS),
                        *ci,
                        d["serious_concern"],
                    )
                ]
            )


def write_force_csv(r: ForceReport, target: Path) -> None:
    """Every breakdown as one long table: breakdown, group, counts and shares."""
    with open(target, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["breakdown", "group", *CSV_COLUMNS])
        overall = grade_row_dict(r.overall)
        writer.writerow(
            [csv_safe(v) for v in ("All cases", r.force, *(overall[c] for c in CSV_COLUMNS))]
        )
        for b in r.breakdowns:
            for row in b.rows:
                d = grade_row_dict(row, "group")
                writer.writerow(
                    [csv_safe(v) for v in (b.title, d["group"], *(d[c] for c in CSV_COLUMNS))]
                )


def write_key_csv(names: dict[str, str], target: Path) -> None:
    """The anonymisation key: which pseudonym stands for which force. Keep it apart."""
    with open(target, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["pseudonym", "force"])
        for real, pseudonym in sorted(names.items(), key=lambda kv: kv[1]):
            writer.writerow([pseudonym, csv_safe(real)])

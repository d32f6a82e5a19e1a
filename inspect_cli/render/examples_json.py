"""The JSON of ``inspect-cli examples`` (docs/schemas/examples.schema.json), written by
the one JSON writer (:func:`inspect_cli.render.contracts.dumps`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from inspect_cli.render.contracts import SCHEMA_VERSION, dumps

if TYPE_CHECKING:
    from inspect_cli.reports.examples import ExamplesReport, Vignette


def _vignette(v: Vignette) -> dict[str, Any]:
    return {
        "force": v.force,
        "case_ref": v.case_ref,
        "audit_type": v.audit_type,
        "auditor": v.auditor,
        "text": v.text,
        "status": v.status,
        "cleared_by": v.cleared_by,
        "publishable": v.publishable,
        # false when review statuses are recorded and this reading is not approved
        "case_approved": v.case_approved,
        "findings": [{"kind": f.kind, "start": f.start, "end": f.end} for f in v.findings],
        "source": v.source,
    }


def examples_dict(r: ExamplesReport) -> dict[str, Any]:
    meta, prov = r.meta, r.meta.provenance
    return {
        "schema_version": SCHEMA_VERSION,
        "title": meta.title,
        "marking": meta.marking,
        "framework": {"id": meta.framework_id, "version": meta.framework_version},
        "force": r.force,
        "published": meta.published,
        "anonymised": meta.anonymised,
        "counts": {
            "examples": len(r.examples),
            "effective_practice": r.count("effective practice"),
            "concern": r.count("concern"),
            "cleared": r.cleared,
            "with_findings": r.with_findings,
            "publishable": r.publishable,
        },
        "notes": list(meta.notes),
        "groups": [
            {
                "stage_id": g.stage_id,
                "stage": g.stage,
                "theme": g.theme,
                "area_id": g.area_id,
                "area": g.area,
                "examples": [_vignette(v) for v in g.examples],
            }
            for g in r.groups
        ],
        "problems": [] if meta.published or meta.anonymised else [p.to_dict() for p in r.problems],
        "provenance": {
            "tool_version": prov.tool_version,
            "created": prov.created,
            "inputs": [{"file": name, "sha256": digest} for name, digest in prov.inputs],
            "options": prov.options,
            "framework_file": {"file": prov.framework_file, "sha256": prov.framework_sha256},
            "notes": list(prov.notes),
            "left_out": [
                {"file": i.file, "sheet": i.sheet, "row": i.row, "code": i.code, "reason": i.reason}
                for i in prov.left_out
            ],
        },
    }


def examples_json(r: ExamplesReport) -> str:
    return dumps(examples_dict(r))

"""A framework as public JSON (``frameworks show --format json``) and the JSON Schema of
framework files."""

from __future__ import annotations

from typing import Any

from inspect_cli.frameworks.models import GRADES, Framework

SCHEMA_FILE = "framework.schema.json"


def framework_to_dict(fw: Framework) -> dict[str, Any]:
    """The public JSON shape of ``frameworks show --format json`` (a contract: only extend)."""
    return {
        "id": fw.id,
        "version": fw.version,
        "title": fw.title,
        "publisher": fw.publisher,
        "description": fw.description,
        "overall_question": fw.overall_question,
        "case_grades": [
            {"id": g.id, "label": g.label, "aliases": list(g.aliases), "counts_as": g.counts_as}
            for g in fw.case_grades
        ],
        "reporting_grades": list(GRADES),
        "areas_of_practice": [a.label for a in fw.areas_of_practice],
        "areas_of_practice_detail": [
            {"id": a.id, "label": a.label, "aliases": list(a.aliases)} for a in fw.areas_of_practice
        ],
        "scales": [
            {
                "id": s.id,
                "label": s.label,
                "responses": [r.label for r in s.responses],
                "scores": list(s.scores()),
                "not_applicable": s.not_applicable.label if s.not_applicable else None,
            }
            for s in fw.scales
        ],
        "stages": [
            {
                "id": stage.id,
                "label": stage.label,
                "description": stage.description,
                "weight": stage.weight,
                "required_for_areas": list(stage.required_for_areas),
                "indicators": [
                    {
                        "id": ref.full_id,
                        "label": ref.indicator.label,
                        "text": ref.indicator.text,
                        "scale": ref.scale.id,
                        "responses": [
                            *(r.label for r in ref.scale.responses),
                            *([ref.scale.not_applicable.label] if ref.scale.not_applicable else []),
                        ],
                        "limiting": ref.indicator.limiting,
                        "weight": ref.indicator.weight,
                        "theme": ref.indicator.theme,
                    }
                    for ref in fw.indicators
                    if ref.stage.id == stage.id
                ],
            }
            for stage in fw.stages
        ],
        "force_topics": [
            {
                "id": t.id,
                "label": t.label,
                "description": t.description,
                "scale": t.scale or fw.default_scale,
            }
            for t in fw.force_topics
        ],
        "referral_reasons": [
            {"id": r.id, "label": r.label, "aliases": list(r.aliases), "description": r.description}
            for r in fw.referral_reasons
        ],
        "scoring": fw.scoring.model_dump(mode="json"),
        "reporting": fw.reporting.model_dump(mode="json"),
    }


def json_schema() -> dict[str, Any]:
    """JSON Schema for framework files, for editors (shipped as ``frameworks/framework.schema.json``,
    written with keys sorted)."""
    schema = Framework.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "inspect-cli framework file"
    return schema

"""The JSON of recommendations: the ``recommendations`` key of ``report force`` and the
``reinspection`` key of ``trend`` (docs/json.md, docs/recommendations.md). Each key is
present only when ``--recommendations`` is given; ``owner`` is never a key of a
published report's JSON."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # imported by render/contracts.py: nothing heavy at start-up
    from inspect_cli.reports.recommendations import (
        IndicatorResult,
        RecommendationsSection,
        Share,
        Shown,
        StageResult,
    )
    from inspect_cli.reports.reinspection import Reinspection, Tested


def shown_dict(r: Shown, *, published: bool) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": r.id,
        "type": r.kind,
        "theme": r.theme,
        "text": r.text,
        "stages": list(r.stage_ids),
        "indicators": list(r.indicators),
        "made": r.made.isoformat(),
        "action_plan_due": r.action_plan_due.isoformat() if r.action_plan_due else None,
        "status": r.status,
    }
    if not published:
        out["owner"] = r.owner
    return out


def _shares(shares: tuple[Share, ...]) -> list[dict[str, Any]]:
    return [{"answer": s.answer, "count": s.count, "pct": s.pct} for s in shares]


def stage_dict(s: StageResult) -> dict[str, Any]:
    return {"id": s.id, "label": s.label, "applicable": s.applicable, "grades": _shares(s.grades)}


def indicator_dict(i: IndicatorResult) -> dict[str, Any]:
    return {
        "id": i.id,
        "label": i.label,
        "stage": i.stage,
        "answered": i.answered,
        "not_applicable": i.not_applicable,
        "answers": _shares(i.answers),
    }


def section_dict(s: RecommendationsSection, *, published: bool) -> dict[str, Any]:
    """The ``recommendations`` key of ``report force --format json``."""
    return {
        "register": s.register,
        "cases": s.cases if s.results_shown else None,
        "items": [
            {
                **shown_dict(item.recommendation, published=published),
                "results": None
                if not s.results_shown
                else {
                    "stages": [stage_dict(x) for x in item.stages],
                    "indicators": [indicator_dict(x) for x in item.indicators],
                },
            }
            for item in s.items
        ],
    }


def tested_dict(t: Tested) -> dict[str, Any]:
    cs = t.chi_square
    return {
        "worst_points": t.points,
        "z_test_p": t.z_test_p,
        "chi_square_p": cs.p_value if cs else None,
        "chi_square_reliable": cs.reliable if cs else None,
    }


def reinspection_dict(v: Reinspection) -> dict[str, Any]:
    """The ``reinspection`` key of ``trend --format json``."""
    return {
        "register": v.register,
        "then": v.then,
        "now": v.now,
        "items": [
            {
                "force": item.force,
                **shown_dict(item.recommendation, published=False),
                "cases": {"then": item.cases[0], "now": item.cases[1]},
                "results": {
                    "stages": [
                        {
                            "then": stage_dict(x.then),
                            "now": stage_dict(x.now),
                            "change": tested_dict(x.change),
                        }
                        for x in item.stages
                    ],
                    "indicators": [
                        {
                            "then": indicator_dict(x.then),
                            "now": indicator_dict(x.now),
                            "change": tested_dict(x.change),
                        }
                        for x in item.indicators
                    ],
                },
            }
            for item in v.items
        ],
    }


def recommendations_key(s: RecommendationsSection | None, published: bool) -> dict[str, Any]:
    """``report force``'s ``recommendations`` key, present only with --recommendations."""
    return {} if s is None else {"recommendations": section_dict(s, published=published)}


def reinspection_key(v: Reinspection | None) -> dict[str, Any]:
    """``trend``'s ``reinspection`` key, present only with --recommendations."""
    return {} if v is None else {"reinspection": reinspection_dict(v)}

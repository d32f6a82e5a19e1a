"""Recommendations on an HTML page: the force report's section and the trend's
re-inspection view, as plain strings for ``_recommendations.html.j2`` (the wording is
every format's: render/recommendation_words.py; the template autoescapes it)."""

from __future__ import annotations

from dataclasses import dataclass

from inspect_cli.render.recommendation_words import (
    REINSPECTION_TITLE,
    TITLE,
    about_text,
    answers_text,
    concerns_text,
    grades_text,
    reinspection_intro,
    section_intro,
    tested_text,
)
from inspect_cli.reports.recommendations import RecommendationsSection, Shown
from inspect_cli.reports.reinspection import Reinspection


@dataclass(frozen=True)
class ItemView:
    heading: str
    about: str
    owner: str | None
    text: str | None
    concerns: str
    rows: tuple[tuple[str, ...], ...]
    """One row per stage or indicator: its name, then the figures (now; or then, now,
    change)."""
    cases: str = ""


@dataclass(frozen=True)
class SectionView:
    id: str
    title: str
    intro: str
    columns: tuple[str, ...]
    items: tuple[ItemView, ...]


def _item(r: Shown, rows: list[tuple[str, ...]], heading: str, cases: str = "") -> ItemView:
    return ItemView(heading, about_text(r), r.owner, r.text, concerns_text(r), tuple(rows), cases)


def section_view(s: RecommendationsSection | None) -> SectionView | None:
    if s is None:
        return None
    items = []
    for item in s.items:
        rows: list[tuple[str, ...]] = []
        if s.results_shown:
            rows += [(f"Stage: {x.label}", grades_text(x)) for x in item.stages]
            rows += [(f"{x.label} ({x.stage})", answers_text(x)) for x in item.indicators]
        items.append(_item(item.recommendation, rows, item.recommendation.id))
    columns = ("Stage or indicator", "Now")
    return SectionView("recommendations", TITLE, section_intro(s), columns, tuple(items))


def reinspection_view(v: Reinspection | None) -> SectionView | None:
    if v is None:
        return None
    items = []
    for item in v.items:
        rows: list[tuple[str, ...]] = [
            (
                f"Stage: {x.then.label}",
                grades_text(x.then),
                grades_text(x.now),
                tested_text(x.change, "inadequate"),
            )
            for x in item.stages
        ]
        rows += [
            (
                f"{x.then.label} ({x.then.stage})",
                answers_text(x.then),
                answers_text(x.now),
                tested_text(x.change, repr(x.then.answers[-1].answer)),
            )
            for x in item.indicators
        ]
        cases = f"Cases counted: {item.cases[0]:,} in {v.then}, {item.cases[1]:,} in {v.now}."
        heading = f"{item.recommendation.id} ({item.force})"
        items.append(_item(item.recommendation, rows, heading, cases))
    columns = ("Stage or indicator", v.then, v.now, "Change")
    return SectionView(
        "reinspection", REINSPECTION_TITLE, reinspection_intro(v), columns, tuple(items)
    )

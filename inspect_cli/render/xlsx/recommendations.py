"""Recommendations in a workbook: the force report's "Recommendations" sheet, the
trend's "Re-inspection" sheet, and the published force report's recommendations table.

Each sheet is one table, a row per answer (or grade) of each stage and indicator a
recommendation concerns, so it filters by recommendation, indicator or answer; a
recommendation that concerns none has one row with those columns blank. The change
from then to now sits on the row of the answer it is about (the worst answer, or
inadequate). Text goes through the kit (never a formula)."""

from __future__ import annotations

from collections.abc import Sequence

from inspect_cli.render.recommendation_words import (
    REINSPECTION_TITLE,
    TITLE,
    reinspection_intro,
    section_intro,
    status_text,
)
from inspect_cli.render.xlsx.kit import Book, Cell, Num, Pct, context_text
from inspect_cli.render.xlsx.published import Table
from inspect_cli.reports.common import ReportMeta
from inspect_cli.reports.recommendations import (
    IndicatorResult,
    RecommendationsSection,
    Share,
    Shown,
    StageResult,
)
from inspect_cli.reports.reinspection import Reinspection, Tested

SHEET = "Recommendations"
REINSPECTION_SHEET = "Re-inspection"
ABOUT = ["Id", "Type", "Theme", "Made", "Action plan due", "Status"]
CONCERNS = ["Stage or indicator", "Label", "Answer"]


def _about(r: Shown) -> list[Cell]:
    due = r.action_plan_due.isoformat() if r.action_plan_due else ""
    return [r.id, r.kind, r.theme or "", r.made.isoformat(), due, status_text(r.status)]


def _private(r: Shown, owner: bool) -> list[Cell]:
    return [*([r.owner or ""] if owner else []), r.text or ""]


def _answers(x: StageResult | IndicatorResult) -> tuple[str, str, int, tuple[Share, ...]]:
    if isinstance(x, StageResult):
        return f"stage {x.id}", x.label, x.applicable, x.grades
    return x.id, x.label, x.answered, x.answers


def write_section_sheet(book: Book, s: RecommendationsSection, meta: ReportMeta) -> None:
    """The internal force report's "Recommendations" sheet."""
    sh = book.sheet(SHEET)
    sh.title(f"{TITLE}: {meta.title}")
    sh.caption(f"{context_text(meta)} {section_intro(s)}")
    owner = any(item.recommendation.owner for item in s.items)
    private = [*(["Owner"] if owner else []), "Text"]
    sh.header([*ABOUT, *private, *CONCERNS, "Cases", "% of base", "Base"])
    for item in s.items:
        r = item.recommendation
        start = [*_about(r), *_private(r, owner)]
        concerned: list[StageResult | IndicatorResult] = [*item.stages, *item.indicators]
        if not concerned:
            sh.data([*start, "", "", "", None, None, None])
        for x in concerned:
            ref, label, base, shares = _answers(x)
            for a in shares:
                sh.data([*start, ref, label, a.answer, a.count, Pct(a.pct, (a.count, base)), base])
    sh.finish(freeze_cols=1)


def _change(t: Tested) -> list[Cell]:
    cs = t.chi_square
    return [
        Num(t.points, "general"),
        Num(t.z_test_p, "general"),
        Num(cs.p_value if cs else None, "general"),
    ]


def write_reinspection_sheet(book: Book, v: Reinspection, meta: ReportMeta) -> None:
    """The trend's "Re-inspection" sheet."""
    sh = book.sheet(REINSPECTION_SHEET)
    sh.title(f"{REINSPECTION_TITLE}: {meta.title}")
    sh.caption(f"{context_text(meta)} {reinspection_intro(v)}")
    then, now = v.then, v.now
    sh.header(
        [
            "Force",
            *ABOUT,
            "Owner",
            "Text",
            *CONCERNS,
            f"Cases, {then}",
            f"%, {then}",
            f"Cases, {now}",
            f"%, {now}",
            "Change (points)",
            "Two-proportion test p",
            "Chi-square p",
        ]
    )
    for item in v.items:
        r = item.recommendation
        start: list[Cell] = [item.force, *_about(r), *_private(r, True)]
        pairs: Sequence[tuple[StageResult | IndicatorResult, StageResult | IndicatorResult, Tested]]
        pairs = [
            *((x.then, x.now, x.change) for x in item.stages),
            *((x.then, x.now, x.change) for x in item.indicators),
        ]
        if not pairs:
            sh.data([*start, "", "", "", None, None, None, None, None, None, None])
        for before, after, change in pairs:
            ref, label, base0, shares0 = _answers(before)
            _, _, base1, shares1 = _answers(after)
            last = len(shares0) - 1
            for k, (a, b) in enumerate(zip(shares0, shares1, strict=True)):
                figures: list[Cell] = [
                    a.count,
                    Pct(a.pct, (a.count, base0) if base0 else None),
                    b.count,
                    Pct(b.pct, (b.count, base1) if base1 else None),
                ]
                tail = _change(change) if k == last else [None, None, None]
                sh.data([*start, ref, label, a.answer, *figures, *tail])
    sh.finish(freeze_cols=1)


def published_table(s: RecommendationsSection | None, force: str, context: str) -> list[Table]:
    """The published force report's recommendations: what each says and how its action
    plan stands, never its owner, and no results (docs/recommendations.md)."""
    if s is None:
        return []
    rows = [
        [
            *_about(item.recommendation),
            item.recommendation.text or "",
            "; ".join(item.recommendation.stage_ids),
            "; ".join(item.recommendation.indicators),
        ]
        for item in s.items
    ]
    return [
        Table(
            sheet=SHEET,
            title=f"{TITLE}: {force}",
            caption=f"{context} {section_intro(s)}",
            header=[*ABOUT, "Text", "Stages", "Indicators"],
            rows=rows,
            empty="the register has no recommendation for this force, so there is no table.",
        )
    ]

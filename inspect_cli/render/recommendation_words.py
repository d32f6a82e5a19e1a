"""Sentences about recommendations that every format shares (terminal, HTML, Excel), so
a recommendation, its results and the change on its indicators read the same in each."""

from __future__ import annotations

from inspect_cli.render.wording import change_words
from inspect_cli.reports.recommendations import (
    IndicatorResult,
    RecommendationsSection,
    Shown,
    StageResult,
)
from inspect_cli.reports.reinspection import Reinspection, Tested

TITLE = "Recommendations"
REINSPECTION_TITLE = "Re-inspection findings"
NOT_ASSESSED = "not assessed"


def status_text(status: str | None) -> str:
    return status or NOT_ASSESSED


def about_text(r: Shown) -> str:
    """'Cause of concern · theme: investigations · made 2014-10-15 · action plan due
    2014-11-26 · status: amber' (the owner, where shown, is a field of its own)."""
    parts = [r.kind[:1].upper() + r.kind[1:]]
    if r.theme:
        parts.append(f"theme: {r.theme}")
    parts.append(f"made {r.made.isoformat()}")
    due = r.action_plan_due.isoformat() if r.action_plan_due else "not recorded"
    parts.append(f"action plan due {due}")
    parts.append(f"status: {status_text(r.status)}")
    return " · ".join(parts)


def concerns_text(r: Shown) -> str:
    """What the recommendation concerns in the framework, or that it concerns no stage
    or indicator (a finding about the force, not its cases)."""
    parts = [*(f"stage {s}" for s in r.stages), *r.indicators]
    return ", ".join(parts) if parts else "no stage or indicator (a finding about the force)"


def answers_text(r: IndicatorResult) -> str:
    """'yes 40%, partly 35%, no 25% of 80 answered (12 not applicable)'."""
    if not r.answered:
        text = "not answered in any case"
    else:
        shares = ", ".join(f"{a.answer} {a.count} ({a.pct}%)" for a in r.answers)
        text = f"{shares} of {r.answered:,} answered"
    if r.not_applicable:
        text += f" ({r.not_applicable:,} not applicable)"
    return text


def grades_text(s: StageResult) -> str:
    """'good 12 (20%), adequate 18 (30%), inadequate 30 (50%) of 60 where it applies'."""
    if not s.applicable:
        return "applies to no case"
    shares = ", ".join(f"{g.answer} {g.count} ({g.pct}%)" for g in s.grades)
    return f"{shares} of {s.applicable:,} where it applies"


def tested_text(t: Tested, worst: str) -> str:
    """The change in the share given ``worst`` (the worst answer, or 'inadequate'), and
    its tests, worded as the trend words a change."""
    if t.points is None:
        return "no case to compare in one of the rounds: no change to test"
    return change_words(worst, t.points, t.exact, t.z_test_p, t.chi_square, "every answer by round")


def section_intro(s: RecommendationsSection) -> str:
    if not s.items:
        return f"The register ({s.register}) has no recommendation for this force."
    if not s.results_shown:
        return (
            f"From {s.register}. A published report lists the recommendations without "
            "results beside them: the report's own tables carry the figures it may show."
        )
    return (
        f"From {s.register}. Beside each, the current results of the stages and indicators "
        f"it concerns, over the {s.cases:,} cases this report counts: the share given each "
        "answer of the cases where the indicator was answered, and the share of each grade "
        "of the cases where the stage applies."
    )


def reinspection_intro(r: Reinspection) -> str:
    if not r.items:
        return f"The register ({r.register}) has no recommendation for the forces compared."
    return (
        f"Recommendations from {r.register}, then ({r.then}) and now ({r.now}) on the stages "
        "and indicators each concerns. The change is in the share given the worst answer "
        "(for a stage, inadequate) of the cases where it was answered (applies); a fall is "
        "an improvement. A two-proportion test says whether the change is more than chance "
        "would explain (p below 0.05); a chi-square test whether the shares of every answer "
        "differ between the rounds."
    )

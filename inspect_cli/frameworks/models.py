"""The frozen models a framework file is checked into, and the words that name them.

A framework holds everything the scorer and the loader need to know about an
inspectorate's criteria: response scales, stages and indicators, areas of
practice, the case-grade vocabulary and the scoring rules. Rules are data; the
scorer in ``score.py`` interprets them.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from functools import cached_property
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

GRADES: tuple[str, ...] = ("good", "adequate", "inadequate")
"""The three reporting grades, best first. Every computed grade is one of these."""

Grade = Literal["good", "adequate", "inadequate"]
Id = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)]
Label = Annotated[str, Field(min_length=1, max_length=200)]
Percent = Annotated[float, Field(ge=0, le=100)]
Share = Annotated[str, Field(pattern=r"^\s*(\d+\s*/\s*[1-9]\d*|0?\.\d+|0|1)\s*$")]
"""A share from 0 to 1, written as a fraction ('1/3') or a decimal ('0.4'); read exactly."""

RESERVED_STAGE_COLUMNS = ("grade", "score", "comment")
"""Suffixes the tool uses for per-stage columns, so no indicator may take them as its id."""


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Response(_Model):
    """One answer on a response scale."""

    id: Id
    label: Label
    aliases: tuple[str, ...] = Field(default=(), description="Other spellings accepted on input.")
    score: Percent | None = Field(
        default=None,
        description="Points out of 100 this answer earns. Default: evenly spaced, best 100, worst 0.",
    )


class Scale(_Model):
    """An ordered set of answers, best first, plus an optional 'not applicable' answer."""

    id: Id
    label: Label
    responses: tuple[Response, ...] = Field(min_length=2, description="Best first, worst last.")
    not_applicable: Response | None = Field(
        default=None, description="The answer meaning the indicator does not apply to the case."
    )

    def scores(self) -> tuple[float, ...]:
        """Points for each response, best first (declared, or evenly spaced 100 → 0)."""
        n = len(self.responses)
        return tuple(
            r.score if r.score is not None else 100.0 * (n - 1 - i) / (n - 1)
            for i, r in enumerate(self.responses)
        )

    @property
    def best(self) -> Response:
        return self.responses[0]

    @property
    def worst(self) -> Response:
        return self.responses[-1]

    @property
    def middle(self) -> Response:
        return self.responses[(len(self.responses) - 1) // 2]


class Indicator(_Model):
    """A question asked of every case at one stage of the child's journey."""

    id: Id = Field(description="Unique within its stage; the full id is '<stage>.<indicator>'.")
    label: Label = Field(description="Short heading, used as the workbook column header.")
    text: str = Field(default="", description="Full guidance shown to auditors.")
    scale: Id | None = Field(default=None, description="Scale id; default: the framework's.")
    weight: float = Field(default=1.0, gt=0, le=100)
    limiting: bool = Field(
        default=False, description="The worst answer caps the stage at the stage rule's cap."
    )
    theme: str | None = Field(default=None, description="Recommendation theme it points to.")


class Stage(_Model):
    """A stage of the child's journey, with its indicators."""

    id: Id
    label: Label
    description: str = ""
    weight: float = Field(default=1.0, gt=0, le=100)
    required_for_areas: tuple[Id, ...] = Field(
        default=(), description="Areas of practice for which this stage must be answered."
    )
    indicators: tuple[Indicator, ...] = Field(min_length=1)


class AreaOfPractice(_Model):
    id: Id
    label: Label
    aliases: tuple[str, ...] = ()


class ForceTopic(_Model):
    """A topic judged for the force as a whole (from interviews, documents and the
    self-assessment), not case by case: e.g. leadership, partnership working."""

    id: Id
    label: Label
    description: str = ""
    scale: Id | None = Field(
        default=None, description="Scale of its grades; default: the framework's."
    )


class ReferralReason(_Model):
    """Why an auditor referred a case back to the force (a child found at risk now):
    the controlled list the ``referral_reason`` column takes."""

    id: Id
    label: Label
    aliases: tuple[str, ...] = Field(default=(), description="Other spellings accepted on input.")
    description: str = ""


class CaseGrade(_Model):
    """A word auditors use for a case conclusion, and the reporting grade it counts as."""

    id: Id
    label: Label
    aliases: tuple[str, ...] = ()
    counts_as: Grade


class Thresholds(_Model):
    """Lowest score (out of 100) that earns each grade; below 'adequate' is inadequate."""

    good: Percent
    adequate: Percent


class StageRule(_Model):
    thresholds: Thresholds
    limiting_cap: Grade = Field(
        default="inadequate",
        description="Grade a stage is capped at when a limiting indicator gets its worst answer.",
    )


class StageCountCap(_Model):
    """When at least ``at_least`` applicable stages are graded ``grade`` or worse,
    the case grade is at most ``cap``."""

    rule: Literal["stages_at_or_below"]
    grade: Grade
    at_least: int = Field(ge=1)
    cap: Grade


class CaseRule(_Model):
    combine: Literal["mean_of_stages", "worst_stage"] = Field(
        description="mean_of_stages: weighted mean of stage scores, then thresholds; "
        "worst_stage: the case takes its worst stage grade."
    )
    thresholds: Thresholds
    caps: tuple[StageCountCap, ...] = ()


class Scoring(_Model):
    stage: StageRule
    case: CaseRule
    minimum_answered: Share = Field(
        default="1/2",
        description="In each stage that applies to a case, at least this share of the "
        "indicators that apply to it (all but those answered not applicable) should be "
        "answered; a case with fewer is still graded, with a warning. '0' turns it off.",
    )

    @property
    def minimum_answered_share(self) -> Fraction:
        """Exact, so 'at least half' of 5 indicators means 3, not 2.5 rounded either way."""
        return Fraction(self.minimum_answered.replace(" ", ""))


def _off_as_written(value: object) -> object:
    """YAML reads an unquoted ``off`` as false: it is the word the author wrote."""
    return "off" if value is False else value


class Reporting(_Model):
    serious_concern_inadequate_share: Share = Field(
        default="1/3",
        description="A force whose inadequate share is MORE than this (a fraction such as "
        "'1/3' or a decimal such as '0.4') is flagged as a serious cause for concern.",
    )
    hidden_rows: Literal["warning", "error"] = Field(
        default="warning",
        description="Cases in rows hidden in Excel (by hand or by a filter): 'warning' loads "
        "them with a warning naming the rows; 'error' refuses each such row, located.",
    )
    rationale_required_when_differs: Annotated[
        Literal["warning", "error", "off"], BeforeValidator(_off_as_written)
    ] = Field(
        default="warning",
        description="A case whose recorded overall grade differs from the grade the "
        "framework suggests, with no grade rationale: 'warning' names its row; 'error' "
        "refuses the row, located; 'off' says nothing.",
    )

    @property
    def serious_concern_share(self) -> Fraction:
        """Exact, so 'more than a third' is not upset by rounding."""
        return Fraction(self.serious_concern_inadequate_share.replace(" ", ""))


class Framework(_Model):
    """A whole assessment framework, as written in a framework YAML file."""

    schema_version: Literal[1] = 1
    id: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9._-]*$", max_length=64)]
    version: Annotated[str, Field(min_length=1, max_length=40)]
    title: Label
    publisher: str = ""
    description: str = ""
    overall_question: str = ""
    default_scale: Id
    scales: tuple[Scale, ...] = Field(min_length=1)
    case_grades: tuple[CaseGrade, ...] = Field(min_length=3)
    areas_of_practice: tuple[AreaOfPractice, ...] = Field(min_length=1)
    stages: tuple[Stage, ...] = Field(min_length=1)
    scoring: Scoring
    reporting: Reporting = Reporting()
    force_topics: tuple[ForceTopic, ...] = Field(
        default=(), description="Topics graded for the force as a whole, not per case."
    )
    referral_reasons: tuple[ReferralReason, ...] = Field(
        default=(),
        description="Why a case may be referred back to the force (the referral_reason "
        "column); a value not on this list is a problem at its cell.",
    )
    comment_expected_for: tuple[Id, ...] = Field(
        default=(),
        description="Answers (response ids) that call for the stage's comment to be filled in; "
        "moderation reports how often a self-assessment left it empty.",
    )

    # Derived lookups. Cached on the instance: the model is frozen, so they never go stale.
    @cached_property
    def scale_by_id(self) -> dict[str, Scale]:
        return {s.id: s for s in self.scales}

    def scale_of(self, indicator: Indicator) -> Scale:
        return self.scale_by_id[indicator.scale or self.default_scale]

    @cached_property
    def indicators(self) -> tuple[IndicatorRef, ...]:
        """Every indicator with its stage and full id, in framework order."""
        return tuple(
            IndicatorRef(f"{stage.id}.{ind.id}", stage, ind, self.scale_of(ind))
            for stage in self.stages
            for ind in stage.indicators
        )

    @cached_property
    def area_by_id(self) -> dict[str, AreaOfPractice]:
        return {a.id: a for a in self.areas_of_practice}

    @cached_property
    def grade_by_id(self) -> dict[str, CaseGrade]:
        return {g.id: g for g in self.case_grades}


@dataclass(frozen=True)
class IndicatorRef:
    """An indicator together with where it sits: its full id, stage and scale."""

    full_id: str
    stage: Stage
    indicator: Indicator
    scale: Scale


@dataclass(frozen=True)
class FrameworkInfo:
    id: str
    version: str
    title: str
    path: Path


def normalise_text(value: str) -> str:
    """Fold a header or answer for matching: case, NBSP, curly quotes, surrounding and repeated spaces."""
    text = value.replace("\u00a0", " ").replace("\u2019", "'").replace("\u2018", "'")
    return " ".join(text.split()).casefold()


def response_words(
    response: Response | AreaOfPractice | CaseGrade | ReferralReason,
) -> tuple[str, ...]:
    """Every spelling that names an answer: id, id with spaces, label and aliases."""
    return (response.id, response.id.replace("_", " "), response.label, *response.aliases)

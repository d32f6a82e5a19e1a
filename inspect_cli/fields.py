"""The columns of a case audit workbook other than indicators.

Column ids here are a public interface (other tools read scored workbooks by
them): add fields, never rename or drop one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from inspect_cli.frameworks import Framework

FieldKind = Literal[
    "text",
    "area",
    "audit_type",
    "grade",
    "date",
    "age",
    "flag",
    "comment",
    "yes_no",
    "referral_reason",
    "example",
    "example_status",
    "stage",
    "review_status",
]

AUDIT_TYPES: dict[str, tuple[str, ...]] = {
    # canonical value → other spellings accepted on input
    "self-assessment": ("self assessment", "self", "force", "self-audit", "self audit"),
    "inspector": ("inspectors", "hmic", "hmicfrs", "inspectorate"),
}

FLAG_WORDS: dict[str, tuple[str, ...]] = {
    "yes": ("y", "true", "1"),
    "no": ("n", "false", "0"),
    "unknown": ("not known", "unk", "not recorded", "don't know", "dont know"),
}
YES_NO_WORDS: dict[str, tuple[str, ...]] = {k: FLAG_WORDS[k] for k in ("yes", "no")}
"""A yes/no column (``referred_back``): the flag words without 'unknown'."""
REVIEW_STATUSES: dict[str, tuple[str, ...]] = {
    # canonical value → other spellings accepted on input. Only 'approved' is counted by
    # default (the rule: inspect_cli.reports.review); docs/workbook-format.md lists them.
    "draft": ("in draft", "drafted"),
    "for review": ("for-review", "for_review", "ready for review", "awaiting review", "in review"),
    "approved": ("approve", "signed off", "signed-off"),
    "returned": ("returned for changes", "sent back"),
}
EXAMPLE_WORDS: dict[str, tuple[str, ...]] = {
    # canonical value → other spellings accepted on input (a case example's theme)
    "effective practice": (
        "effective",
        "good practice",
        "good",
        "effective-practice",
        "effective_practice",
        "strength",
    ),
    "concern": ("concerns", "poor practice", "poor", "cause for concern", "weakness"),
    "none": ("no", "n/a", "na", "not an example", "-"),
}
EXAMPLE_STATUS_WORDS: dict[str, tuple[str, ...]] = {
    # Blank is draft: only the word 'cleared', typed by the person who cleared it, clears.
    "draft": ("not cleared", "uncleared", "to check"),
    "cleared": ("clear",),
}


@dataclass(frozen=True)
class CaseField:
    id: str
    label: str
    kind: FieldKind
    required: bool = False
    description: str = ""
    aliases: tuple[str, ...] = ()
    """Other headings that name this column (matched like the label)."""

    @property
    def sensitive(self) -> bool:
        """Free text and dates may identify a child: never echo them in messages."""
        return self.kind in ("text", "comment", "date")


_BASE_FIELDS: tuple[CaseField, ...] = (
    CaseField("case_ref", "Case reference", "text", True, "The force's reference for the case."),
    CaseField("force", "Force", "text", True, "The police force whose case this is."),
    CaseField(
        "area_of_practice", "Area of practice", "area", True, "One of the framework's areas."
    ),
    CaseField("audit_type", "Audit type", "audit_type", True, "self-assessment or inspector."),
    CaseField("overall_grade", "Overall grade", "grade", False, "The auditor's own conclusion."),
    CaseField(
        "grade_rationale",
        "Grade rationale",
        "text",
        False,
        "Why the overall grade differs from the grade the framework suggests, if it does.",
    ),
    CaseField("auditor", "Auditor", "text", False, "Who audited the case."),
    CaseField(
        "agreed_grade",
        "Agreed grade",
        "grade",
        False,
        "For a case read by more than one auditor: the grade they agreed on.",
    ),
    CaseField(
        "review_status",
        "Review status",
        "review_status",
        False,
        "draft, for review, approved or returned; reports count approved cases only.",
        # A review column that went unread would count drafts: the usual names for it.
        ("review state", "QA status", "quality assurance status", "approval status"),
    ),
    CaseField("audit_date", "Audit date", "date"),
    CaseField("child_age", "Child age", "age", False, "Age in whole years, 0 to 17."),
    CaseField("child_gender", "Child gender", "text"),
    CaseField("child_ethnicity", "Child ethnicity", "text"),
    CaseField("child_disability", "Child disability", "flag", False, "yes, no or unknown."),
    CaseField("looked_after", "Looked after", "flag", False, "Looked-after child: yes/no."),
    CaseField("specialist_team", "Specialist team", "flag", False, "Handled by a specialist team."),
    CaseField(
        "recognised_at_outset",
        "Recognised at outset",
        "flag",
        False,
        "Recognised as child protection from the first contact.",
    ),
    CaseField("date_reported", "Date reported", "date"),
    CaseField("date_allocated", "Date allocated", "date"),
    CaseField("date_suspect_interviewed", "Date suspect interviewed", "date"),
    CaseField("date_medical", "Date of medical", "date"),
    CaseField(
        "date_referred_csc",
        "Date referred to CSC",
        "date",
        False,
        "Date referred to children's social care.",
    ),
    CaseField("date_closed", "Date closed", "date"),
    CaseField("round", "Round", "text", False, "The inspection round, e.g. 2014 (for trends)."),
)

REFERRAL_FIELDS: tuple[CaseField, ...] = (
    # A child found at risk now: the case referred back to the force and followed up.
    # Internal only: never in a published output (inspect_cli.reports.referrals).
    CaseField(
        "referred_back",
        "Referred back",
        "yes_no",
        False,
        "Case referred back to the force: yes/no.",
    ),
    CaseField("referred_on", "Referred on", "date", False, "Date the case was referred back."),
    CaseField("referred_to", "Referred to", "text", False, "Who at the force it was referred to."),
    CaseField(
        "referral_reason",
        "Referral reason",
        "referral_reason",
        False,
        "Why it was referred back: one of the framework's referral reasons.",
    ),
    CaseField("force_response_on", "Force response on", "date", False, "Date the force responded."),
    CaseField("force_action", "Force action", "text", False, "What the force did in response."),
)
REFERRAL_FIELD_IDS = tuple(f.id for f in REFERRAL_FIELDS)

EXAMPLE_FIELDS: tuple[CaseField, ...] = (
    # A case example (vignette) for the written report: inspect_cli.reports.examples.
    # Its text is only ever published once a named person has cleared it.
    CaseField(
        "example",
        "Example",
        "example",
        False,
        "Is this case an example for the report: effective practice, concern or none.",
    ),
    CaseField(
        "example_text",
        "Example text",
        "text",
        False,
        "The vignette, anonymised: no names, dates, places, references or exact ages.",
    ),
    CaseField(
        "example_stage",
        "Example stage",
        "stage",
        False,
        "The stage the example is about (blank: the case as a whole).",
    ),
    CaseField(
        "example_status",
        "Example status",
        "example_status",
        False,
        "draft (or blank) until checked; cleared only when a person has checked it.",
    ),
    CaseField(
        "example_cleared_by",
        "Example cleared by",
        "text",
        False,
        "Who cleared the example for publication (needed for cleared to count).",
    ),
)
EXAMPLE_FIELD_IDS = tuple(f.id for f in EXAMPLE_FIELDS)

REQUIRED_FIELD_IDS = tuple(f.id for f in _BASE_FIELDS if f.required)
DATE_FIELD_IDS = tuple(f.id for f in _BASE_FIELDS if f.kind == "date")


def standard_fields(fw: Framework) -> tuple[CaseField, ...]:
    """The fixed case fields plus one free-text comment column per stage."""
    comments = tuple(
        CaseField(f"{s.id}.comment", f"{s.label} comment", "comment") for s in fw.stages
    )
    return _BASE_FIELDS + REFERRAL_FIELDS + EXAMPLE_FIELDS + comments

"""The problems of the inspection's other records: referrals back, case examples,
the recommendations register and the Force sheet."""

from __future__ import annotations

from inspect_cli.problems.model import ProblemType as _t

# Referrals back (inspect_cli.load.referrals): a child found at risk now. Dates and free
# text are never repeated in these messages: they may identify a child.
UNKNOWN_REFERRAL_REASON = _t(
    "unknown-referral-reason",
    "Referral reason not on the list",
    "error",
    "the referral reason is not one of the framework's referral reasons (the text is not "
    "repeated here); expected one of: {allowed}",
)
REFERRAL_DATE_NOT_REFERRED = _t(
    "referred-on-not-referred",
    "Referral date without a referral",
    "error",
    "a date referred back is given, but {referred_back} is {found}; if the case was "
    "referred back to the force, put yes there, else clear the date",
)
REFERRAL_DATE_MISSING = _t(
    "referral-date-missing",
    "Referral without a date",
    "error",
    "the case is referred back (yes), but {where}; give the date it was referred back, "
    "so the days waiting for the force's response can be counted",
)
RESPONSE_BEFORE_REFERRAL = _t(
    "response-before-referral",
    "Force response before the referral",
    "error",
    "the force's response date is before the date the case was referred back "
    "({referred_on}); check both dates",
)
# Case examples (inspect_cli.reports.examples): the text is never repeated in a message
EXAMPLE_MAY_IDENTIFY = _t(
    "example-may-identify",
    "Case example may identify",
    "warning",
    "the example text may identify a child: it holds {what} (the text is not repeated "
    "here); reword it before it is cleared",
)
EXAMPLE_CLEARED_WITHHELD = _t(
    "example-cleared-withheld",
    "Cleared case example left out of published outputs",
    "warning",
    "the example is marked cleared, but the checker finds {what} in it: it is left out "
    "of every published output until it is reworded and cleared again",
)
EXAMPLE_INCOMPLETE = _t(
    "example-incomplete",
    "Case example incomplete",
    "warning",
    "{what}; it is never published until that is put right",
)
# The recommendations register (inspect_cli.load.recommendations): row is the Excel row,
# or in a YAML file the line. Recommendation text and owners are never repeated here.
BAD_RECOMMENDATIONS_FILE = _t(
    "bad-recommendations-file", "Unusable recommendations register", "error", "{detail}"
)
RECOMMENDATION_UNKNOWN_FIELD = _t(
    "recommendation-unknown-field",
    "Not a field of a recommendation",
    "error",
    "{field} is not a field of a recommendation (a mistyped name would lose its value); "
    "the fields are: {fields}",
)
RECOMMENDATION_MISSING = _t(
    "recommendation-missing",
    "Recommendation field blank",
    "error",
    "recommendation {number}: {field} is blank; every recommendation needs it",
)
RECOMMENDATION_INVALID = _t(
    "recommendation-invalid",
    "Recommendation field not valid",
    "error",
    "recommendation {number}: {field} is {found} (the value is not repeated here); "
    "expected {expected}",
)
RECOMMENDATION_DUPLICATE_ID = _t(
    "recommendation-duplicate-id",
    "Recommendation id used twice",
    "error",
    "recommendation {number}: the id {id} is also given at {first}; each recommendation "
    "needs its own id",
)
RECOMMENDATION_NOT_IN_FRAMEWORK = _t(
    "recommendation-not-in-framework",
    "Stage or indicator not in the framework",
    "error",
    "recommendation {number}: {kind} {ref} is not in framework {framework}{hint}",
)
ACTION_PLAN_BEFORE_MADE = _t(
    "action-plan-before-made",
    "Action plan due before the recommendation",
    "error",
    "recommendation {number}: the action plan is due before the date the recommendation "
    "was made ({made}); check both dates",
)
# The Force sheet (inspect_cli.load.force_sheet): force-level judgements, one row per
# topic. Cell values are never repeated (an evidence cell is free text).
FORCE_SHEET_SKIPPED = _t(
    "force-sheet-skipped",
    "Force sheet not read",
    "warning",
    "sheet {name!r} is not read as force-level judgements: {why}",
)
FORCE_COLUMN_MISSING = _t(
    "force-column-missing",
    "Force sheet column missing",
    "error",
    "the Force sheet has no {label!r} column (column id {id}); its judgements are not read",
)
UNKNOWN_FORCE_TOPIC = _t(
    "unknown-force-topic",
    "Not a force topic of the framework",
    "error",
    "the topic is not one of the framework's force-level topics (the value is not "
    "repeated here); expected one of: {allowed}",
)
UNKNOWN_TOPIC_GRADE = _t(
    "unknown-topic-grade",
    "Grade not on the topic's scale",
    "error",
    "the grade is not on the scale of topic {topic!r} (the value is not repeated here); "
    "expected one of: {allowed}",
)
FORCE_TOPIC_BLANK = _t(
    "force-topic-blank",
    "Force judgement without a topic",
    "error",
    "the row has grades or evidence but no topic; give the topic it judges",
)
DUPLICATE_FORCE_TOPIC = _t(
    "duplicate-force-topic",
    "Force topic judged twice",
    "error",
    "topic {topic!r} of {force} is judged again; first at {first} (keep one row per "
    "force and topic)",
)
FORCE_TOPIC_UNKNOWN_FORCE = _t(
    "force-topic-unknown-force",
    "Force judged is not in the workbook",
    "error",
    "the force named here has no cases in this workbook (forces with cases: {forces}); "
    "a force-level judgement belongs in the workbook of that force's cases",
)
FORCE_TOPIC_NO_FORCE = _t(
    "force-topic-no-force",
    "Force judgement without a force",
    "error",
    "the Force column is blank and the workbook's cases name {found}, so the force "
    "judged cannot be told; give the force's name",
)

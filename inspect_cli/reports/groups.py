"""The groups a published breakdown may show: fixed lists, never text typed in a cell.

A force report's breakdowns by gender and ethnicity group cases by what the auditor
typed. Internally that is useful; in a published report a typed value is itself a
disclosure (a mother's name or a date of birth typed into the wrong column would be
printed as a group). Published breakdowns therefore show only the groups below,
matched without regard to capitals and spaces; everything else is counted in
``Other``. Ethnicity uses the five high-level groups of the ONS 2021 Census
classification for England and Wales.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from inspect_cli.frameworks import GRADES
from inspect_cli.identity import force_key
from inspect_cli.reports.common import GradeRow
from inspect_cli.reports.counts import grade_row_of
from inspect_cli.reports.force import (
    AGE_BANDS,
    NOT_RECORDED,
    Breakdown,
    ForceReport,
    is_not_known,
)

OTHER = "Other"

YES_NO = {"yes": "yes", "no": "no", "unknown": "unknown"}
ETHNICITY = {
    "asian": "Asian or Asian British",
    "asian or asian british": "Asian or Asian British",
    "asian, asian british or asian welsh": "Asian or Asian British",
    "black": "Black, Black British, Caribbean or African",
    "black or black british": "Black, Black British, Caribbean or African",
    "black, black british, caribbean or african": "Black, Black British, Caribbean or African",
    "black, black british, black welsh, caribbean or african": (
        "Black, Black British, Caribbean or African"
    ),
    "mixed": "Mixed or multiple ethnic groups",
    "mixed or multiple ethnic groups": "Mixed or multiple ethnic groups",
    "white": "White",
    "other ethnic group": "Other ethnic group",
    "unknown": "unknown",
}
GENDER = {"female": "Female", "girl": "Female", "male": "Male", "boy": "Male", "unknown": "unknown"}
GROUPS: Mapping[str, Mapping[str, str]] = {
    "Specialist team": YES_NO,
    "Recognised as child protection at the outset": YES_NO,
    "Looked-after child": YES_NO,
    "Age band": {force_key(label): label for *_, label in AGE_BANDS},
    "Gender": GENDER,
    "Ethnicity": ETHNICITY,
}
"""Breakdown title → (matching key → the group shown). Area of practice is not here:
its groups are the framework's own list (the loader refuses any other area)."""


FIRST_WORD = {
    "Ethnicity": {
        "white": "White",
        "black": "Black, Black British, Caribbean or African",
        "asian": "Asian or Asian British",
        "mixed": "Mixed or multiple ethnic groups",
    }
}
"""Typed values matched by their first word ('White British' → White)."""


def group_of(title: str, typed: str) -> str:
    """The published group of a value typed in a breakdown column."""
    if typed == NOT_RECORDED:
        return NOT_RECORDED
    allowed = GROUPS.get(title, {})
    if "unknown" in allowed and is_not_known(typed):
        return "unknown"  # as data completeness counts it: the two must agree
    words = typed.casefold().replace(",", " ").split()
    found = allowed.get(force_key(typed)) or FIRST_WORD.get(title, {}).get(
        words[0] if words else ""
    )
    return found or OTHER


def controlled_breakdowns(report: ForceReport) -> ForceReport:
    """``report`` with every breakdown's groups from :data:`GROUPS` (others → Other).
    A breakdown left with one group repeats the force's own row: it is left out (a
    copy of a figure would have to be hidden wherever the figure is)."""
    breakdowns = (_controlled(b) for b in report.breakdowns)
    return replace(report, breakdowns=tuple(b for b in breakdowns if len(b.rows) > 1))


def _controlled(b: Breakdown) -> Breakdown:
    allowed = GROUPS.get(b.title)
    if allowed is None:
        return b
    merged: dict[str, dict[str, int]] = {}
    for row in b.rows:
        counts = merged.setdefault(group_of(b.title, row.label), dict.fromkeys(GRADES, 0))
        for g in GRADES:
            counts[g] += row.count(g) or 0
    order = [*dict.fromkeys(allowed.values()), OTHER, NOT_RECORDED]
    rows: list[GradeRow] = [
        grade_row_of(label, merged[label]) for label in order if label in merged
    ]
    return Breakdown(b.title, tuple(rows))

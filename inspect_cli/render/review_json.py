"""The JSON ``review`` block every report shape has (docs/json.md, review state)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from inspect_cli.reports.review import ReviewNote


def review_dict(note: ReviewNote | None, published: bool = False) -> dict[str, Any] | None:
    """The review state of a report's cases: rows per status (zero included), and how
    many the report left out as not approved (0 with --include-unapproved). Published:
    every count null (the rows approved are rows counted: a total the report may hide)."""
    if note is None:
        return None
    if published:
        return {
            "include_unapproved": note.include_unapproved,
            "statuses": dict.fromkeys(dict(note.statuses)),
            "not_approved": None,
            "left_out": None,
        }
    return {
        "include_unapproved": note.include_unapproved,
        "statuses": dict(note.statuses),
        "not_approved": note.not_approved,
        "left_out": note.left_out,
    }

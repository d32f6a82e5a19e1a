"""Review state: which cases a report counts when the inputs record a review status
(the ``review_status`` column), and the note that says what was left out.

The rule, made here once and applied by every report (:mod:`inspect_cli.reports.make`,
:func:`inspect_cli.reports.readers.make_readers`):

- it applies when any case in the inputs records a status; a column left blank
  throughout (as a fresh template has it) records none, so the rule does not apply;
- then only approved cases are counted. A case with no status (a blank cell, or a
  sheet without the column) has not been approved, so it is left out too: a count
  never silently includes work nobody signed off;
- ``--include-unapproved`` counts every case, and the note says how many were not
  approved.

The rule picks rows (readings) before the one-reading rule picks one reading per
double-read case, so a draft second reading never displaces an approved first one.
Only pandas work needs pandas: it is imported when cases are scored.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from inspect_cli.errors import InspectError
from inspect_cli.fields import REVIEW_STATUSES
from inspect_cli.identity import force_key

if TYPE_CHECKING:
    import pandas as pd

    from inspect_cli.reports.common import Report
    from inspect_cli.score import ScoreResult

REVIEW_COLUMN = "review_status"
APPROVED = "approved"
NO_STATUS = "no status"
"""How a case without a review status is counted (a key of the JSON ``review.statuses``)."""
STATUSES: tuple[str, ...] = (*REVIEW_STATUSES, NO_STATUS)
"""Every status a count may have, in the order notes and the JSON list them."""


@dataclass(frozen=True)
class ReviewRows:
    """Every case row's review status, before any is left out: rows per force, audit
    type and status (the report's scope is chosen from these when it is worded)."""

    include_unapproved: bool
    counts: tuple[tuple[str, str, str, int], ...]
    """(force as the data spell it, audit type, status, rows)."""


@dataclass(frozen=True)
class ReviewNote:
    """The review state of the cases in one report's scope (``ReportMeta.review``)."""

    include_unapproved: bool
    statuses: tuple[tuple[str, int], ...]
    """Rows per status of :data:`STATUSES`, every one listed (zero included)."""
    by_force: tuple[tuple[str, int], ...] = ()
    """Rows not approved per force as the report names it; internal notes only."""

    @property
    def not_approved(self) -> int:
        return sum(n for status, n in self.statuses if status != APPROVED)

    @property
    def left_out(self) -> int:
        """Rows the report did not count because they were not approved."""
        return 0 if self.include_unapproved else self.not_approved


def approved_only(
    result: ScoreResult, include_unapproved: bool
) -> tuple[ScoreResult, ReviewRows | None]:
    """``result`` with only its approved cases (all of them with ``include_unapproved``),
    and every row's status; ``(result, None)`` when no case records a status."""
    status = _statuses(result)
    if status is None:
        return result, None
    cases = result.cases
    grouped = status.groupby(
        [cases["force"].astype("string").fillna(""), cases["audit_type"].astype("string"), status],
        observed=True,
        dropna=False,
    ).size()
    counts = tuple(
        (str(key[0]), str(key[1]), str(key[2]), int(n))
        for key, n in zip(grouped.index.to_list(), grouped.to_list(), strict=True)
    )
    rows = ReviewRows(include_unapproved, counts)
    if include_unapproved:
        return result, rows
    # A report then sees exactly what the inputs without the other rows would give.
    return result.only((status == APPROVED).to_numpy(dtype=bool)), rows


def approved_rows(result: ScoreResult) -> list[bool] | None:
    """Per case row of ``result``, whether the review rule lets it count (approved);
    None when the rule does not apply (no case records a status). What a published
    case example comes from: a signed-off case only."""
    status = _statuses(result)
    return None if status is None else (status == APPROVED).to_list()


def _statuses(result: ScoreResult) -> pd.Series | None:
    """Each case row's review status (``no status`` for none), or None when the rule does
    not apply: no case records a status, and none was refused with one."""
    import pandas as pd

    cases = result.cases
    recorded = REVIEW_COLUMN in cases and bool(cases[REVIEW_COLUMN].notna().any())
    if not recorded and not _status_refused(result):
        return None
    if REVIEW_COLUMN in cases:
        return cases[REVIEW_COLUMN].astype("string").fillna(NO_STATUS)
    return pd.Series(NO_STATUS, index=cases.index, dtype="string")


def _status_refused(result: ScoreResult) -> bool:
    """Whether a review status was recorded on a row that was not loaded (a status in
    error, or any error in its row, left out with --allow-partial): then the inputs did
    record statuses, and the rows left without one are not approved, not counted as if
    no case recorded any."""
    load = result.load
    if any(c.field_id == REVIEW_COLUMN and c.filled for c in load.columns):
        return True
    cells = {(c.file, c.sheet, c.letter) for c in load.columns if c.field_id == REVIEW_COLUMN}
    return any(p.is_error and (p.file, p.sheet, p.column) in cells for p in load.problems)


@contextmanager
def said_when_refused(rows: ReviewRows | None) -> Iterator[None]:
    """A report refused for want of cases ('no force ... in the data') says when the
    review rule left rows out, and how to count them."""
    try:
        yield
    except InspectError as error:
        left = 0
        if rows is not None and not rows.include_unapproved:
            # Only rows of a force and audit type left with no approved row at all can
            # be why a report found nothing: a mistyped --force is not helped by
            # --include-unapproved, and must not be told it is.
            approved = {(f, a) for f, a, status, n in rows.counts if status == APPROVED and n}
            left = sum(n for f, a, _, n in rows.counts if (f, a) not in approved)
        if not left:
            raise
        why = f"{left:,} row(s) were left out as not approved in review; --include-unapproved"
        error.details = (*error.details, why + " counts them")
        raise


def review_note(
    rows: ReviewRows | None,
    *,
    audit_type: str = "all",
    force: str | None = None,
    names: Mapping[str, str] | None = None,
) -> ReviewNote | None:
    """The review state of the rows a report covers: its audit type (``all``: both) and,
    for one force's report, that force (named as the report names it: ``names`` maps a
    real name to its pseudonym when the report is anonymised)."""
    if rows is None:
        return None
    names = names or {}
    per_status = dict.fromkeys(STATUSES, 0)
    per_force: dict[str, int] = {}
    for real, audit, status, n in rows.counts:
        shown = names.get(real, real)
        if audit_type != "all" and audit != audit_type:
            continue
        if force is not None and force_key(shown) != force_key(force):
            continue
        per_status[status] += n
        if status != APPROVED:
            per_force[shown] = per_force.get(shown, 0) + n
    by_force = tuple(sorted(per_force.items()))
    return ReviewNote(rows.include_unapproved, tuple(per_status.items()), by_force)


def _statuses_text(note: ReviewNote) -> str:
    parts = [
        f"{n:,} " + ("with no status" if status == NO_STATUS else status)
        for status, n in note.statuses
        if n and status != APPROVED
    ]
    return ", ".join(parts)


def review_sentences(note: ReviewNote) -> tuple[str, str] | None:
    """The note (internal, published) a report with ``note`` carries; None when every
    case in its scope was approved. Published: no counts."""
    missing = note.not_approved
    if not missing:
        return None
    # Rows, not cases: a double-read case is two rows, and may count by its other one.
    rows = f"{missing:,} row" + ("s" if missing != 1 else "")
    if note.include_unapproved:
        lead = (
            "Review status: every case is counted, approved or not (--include-unapproved); "
            f"{rows} not approved ({_statuses_text(note)})."
        )
    else:
        lead = (
            f"Review status: only approved cases are counted; {rows} left out as not "
            f"approved ({_statuses_text(note)}). --include-unapproved counts them."
        )
    forces = "; ".join(f"{name} {n:,}" for name, n in note.by_force)
    internal = f"{lead} By force: {forces}." if len(note.by_force) > 1 else lead
    # Published: no counts. The rows approved are the rows counted, and with
    # --include-unapproved every status's rows are counted too: a count here would
    # give away a total the report hides.
    if note.include_unapproved:
        published = "Review status: every case is counted, whether approved in review or not."
    else:
        published = (
            "Review status: only cases approved in review are counted; cases not approved "
            "are left out (how many is not shown)."
        )
    return internal, published


R = TypeVar("R", bound="Report")


def with_review_note(report: R, note: ReviewNote | None) -> R:
    """``report`` carrying ``note``: in its meta (the JSON ``review`` block) and, when a
    case was not approved, as a sentence in every format."""
    if note is None:
        return report
    meta = dataclasses.replace(report.meta, review=note)
    sentences = review_sentences(note)
    if sentences is not None:
        internal, published = sentences
        meta = dataclasses.replace(
            meta,
            notes=(*meta.notes, internal),
            published_notes=(*meta.published_notes, published),
        )
    return dataclasses.replace(report, meta=meta)  # type: ignore[type-var]  # R is a dataclass

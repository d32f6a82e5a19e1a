"""The referrals report: every case an auditor referred back to the force because a
child was found at risk now, with the force's response and the days waiting for it,
outstanding ones first, then the oldest first.

Internal only: it names cases and carries free text about them, so it always carries
the protective marking :func:`inspect_cli.reports.common.marking_for` decides for an
internal report, and nothing in it ever goes into a published output
(:mod:`inspect_cli.reports.publish` never reads the referral columns).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from inspect_cli.fields import REFERRAL_FIELD_IDS
from inspect_cli.reports.common import find_force, marking_for

if TYPE_CHECKING:
    import pandas as pd

    from inspect_cli.provenance import Provenance
    from inspect_cli.score import ScoreResult

DEFAULT_TITLE = "Cases referred back to the force"


@dataclass(frozen=True)
class Referral:
    """One case referred back, as the case sheet records it."""

    force: str
    case_ref: str
    audit_type: str
    area: str
    """The area of practice's label."""
    referred_on: dt.date
    referred_to: str | None
    reason: str | None
    """The referral reason's label."""
    response_on: dt.date | None
    """The force's response date, if it is on or before the as-of date."""
    action: str | None
    days_waiting: int | None
    """Days from the referral to the force's response, or, while none is recorded, to
    the as-of date; None for a referral dated after the as-of date."""
    source: str
    """Where the case is: file, sheet and row."""

    @property
    def outstanding(self) -> bool:
        return self.response_on is None


@dataclass(frozen=True)
class ReferralsMeta:
    title: str
    framework_id: str
    framework_version: str
    framework_title: str
    as_of: dt.date
    provenance: Provenance
    marking: str | None
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class ReferralsReport:
    meta: ReferralsMeta
    force: str | None
    """The force asked for (--force), or None for every force."""
    referrals: tuple[Referral, ...]

    @property
    def outstanding(self) -> int:
        return sum(r.outstanding for r in self.referrals)

    @property
    def answered(self) -> int:
        return len(self.referrals) - self.outstanding


def _date(value: Any) -> dt.date | None:
    import pandas as pd

    return None if pd.isna(value) else pd.Timestamp(value).date()


def _text(value: Any) -> str | None:
    import pandas as pd

    return None if value is None or pd.isna(value) else str(value)


def referred_cases(cases: pd.DataFrame) -> pd.DataFrame:
    """The rows of ``cases`` referred back (``referred_back`` yes), every referral
    column present (blank where a sheet had none)."""
    if "referred_back" not in cases:
        return cases.iloc[0:0].reindex(columns=[*cases.columns, *REFERRAL_FIELD_IDS])
    picked = cases[cases["referred_back"].fillna("").eq("yes")]
    return picked.reindex(columns=list(dict.fromkeys([*picked.columns, *REFERRAL_FIELD_IDS])))


def _referral(row: Any, as_of: dt.date, areas: dict[str, str], reasons: dict[str, str]) -> Referral:
    referred_on = _date(row["referred_on"])
    assert referred_on is not None  # the loader refuses a referral without its date
    response = _date(row["force_response_on"])
    if response is not None and response > as_of:
        response = None  # as of that date, the force had not yet responded
    end = response or as_of
    days = (end - referred_on).days if referred_on <= as_of else None
    sheet = _text(row["source_sheet"])
    source = f"{row['source_file']}" + (f", sheet {sheet!r}" if sheet else "")
    reason = _text(row["referral_reason"])
    return Referral(
        force=str(row["force"]),
        case_ref=str(row["case_ref"]),
        audit_type=str(row["audit_type"]),
        area=areas.get(str(row["area_of_practice"]), str(row["area_of_practice"])),
        referred_on=referred_on,
        referred_to=_text(row["referred_to"]),
        reason=reasons.get(reason, reason) if reason else None,
        response_on=response,
        action=_text(row["force_action"]),
        days_waiting=days,
        source=f"{source}, row {int(row['source_row'])}",
    )


def sort_key(r: Referral) -> tuple[Any, ...]:
    """Outstanding first, then the oldest referral first."""
    return (not r.outstanding, r.referred_on, r.force, r.case_ref, r.audit_type)


def build_referrals(
    result: ScoreResult,
    provenance: Provenance,
    *,
    as_of: dt.date,
    force: str | None = None,
    title: str | None = None,
    marking: str | None = None,
) -> ReferralsReport:
    """Every case of ``result`` referred back (of ``force`` only, if given), as of ``as_of``."""
    fw = result.framework
    cases = result.cases
    if force is not None:
        present = sorted(cases["force"].dropna().unique().tolist())
        force = find_force(force, present)
        cases = cases[cases["force"] == force]
    picked = referred_cases(cases)
    areas = {a.id: a.label for a in fw.areas_of_practice}
    reasons = {r.id: r.label for r in fw.referral_reasons}
    referrals = sorted(
        (_referral(row, as_of, areas, reasons) for _, row in picked.iterrows()), key=sort_key
    )
    notes = []
    later = sum(r.days_waiting is None for r in referrals)
    if later:
        notes.append(
            f"{later} referral(s) are dated after the as-of date ({as_of.isoformat()}): "
            "listed, without days waiting; check the dates."
        )
    left = len(provenance.left_out)
    if left:
        notes.append(
            f"Left out because of errors (--allow-partial): {left} row(s), sheet(s) or "
            "file(s), each listed in the provenance; a case referred back in one of them "
            "is not in this list: fix the errors (inspect-cli validate) and run again."
        )
    meta = ReferralsMeta(
        title=title or DEFAULT_TITLE + (f": {force}" if force else ""),
        framework_id=fw.id,
        framework_version=fw.version,
        framework_title=fw.title,
        as_of=as_of,
        provenance=provenance,
        marking=marking_for(marking, publish=False),
        notes=tuple(notes),
    )
    return ReferralsReport(meta, force, tuple(referrals))


@dataclass(frozen=True)
class ReferralCounts:
    """The internal force report's counts: cases referred back, and those of them with
    no response from the force recorded. Never in a published report."""

    referred_back: int
    outstanding: int


def referral_counts(cases: pd.DataFrame) -> ReferralCounts | None:
    """How many of ``cases`` were referred back, and how many of those have no force
    response recorded; None when no case sheet had a ``referred_back`` column."""
    if "referred_back" not in cases:
        return None
    picked = referred_cases(cases)
    return ReferralCounts(len(picked), int(picked["force_response_on"].isna().sum()))

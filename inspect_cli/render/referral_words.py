"""Words the referrals report uses in every format (terminal, Excel, CSV), in one place."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from inspect_cli.reports.referrals import ReferralCounts, ReferralsReport

REFERRALS_COLUMNS = (
    "Status",
    "Force",
    "Case reference",
    "Area of practice",
    "Referred on",
    "Referred to",
    "Referral reason",
    "Force response on",
    "Force action",
    "Days waiting",
)
"""The columns of the referrals table, in order."""

DAYS_WAITING_MEANING = (
    "Days waiting: from the date the case was referred back to the force's response, "
    "or, while no response is recorded, to the as-of date."
)
INTERNAL_ONLY = (
    "Internal only: referrals name cases and say why a child may be at risk now; they "
    "never go into a published report."
)


def referrals_summary(r: ReferralsReport) -> str:
    """'3 cases referred back to the force; 2 still waiting for a response (as of 2015-01-31).'"""
    n = len(r.referrals)
    if not n:
        return f"No case is recorded as referred back to the force (as of {r.meta.as_of})."
    cases = "case" if n == 1 else "cases"
    return (
        f"{n} {cases} referred back to the force; {r.outstanding} still waiting for a "
        f"response (as of {r.meta.as_of.isoformat()})."
    )


def referral_counts_text(c: ReferralCounts) -> str:
    """The internal force report's line: 'Referred back to the force: 3 of these cases; 1
    still waiting for a response (inspect-cli referrals lists them).'"""
    return (
        f"Referred back to the force (a child found at risk now): {c.referred_back:,} of "
        f"these cases; {c.outstanding:,} with no response from the force recorded "
        "(inspect-cli referrals lists them). Internal only."
    )

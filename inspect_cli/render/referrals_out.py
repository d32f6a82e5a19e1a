"""Which renderer writes the referrals report in which format, and its CSV.

The CSV starts with the marking as a comment line (``# OFFICIAL-SENSITIVE``, as every
marked CSV of the tool), then a header row of column ids; text that starts like a
formula is made safe (:func:`inspect_cli.render.csv.csv_safe`)."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from inspect_cli.reports.referrals import ReferralsReport

REFERRAL_FORMATS = ("table", "json", "xlsx", "csv")

CSV_COLUMNS = (
    "status",
    "force",
    "case_ref",
    "audit_type",
    "area_of_practice",
    "referred_on",
    "referred_to",
    "referral_reason",
    "force_response_on",
    "force_action",
    "days_waiting",
    "source",
)
"""The referrals CSV's header row: public ids, extend only."""


def referrals_json(report: ReferralsReport) -> str:
    from inspect_cli.render.contracts import dumps, referrals_dict

    return dumps(referrals_dict(report))


def write_referrals(report: ReferralsReport, fmt: str, target: Path) -> None:
    """Write ``report`` as json, xlsx or csv to ``target`` (a temporary file)."""
    if fmt == "json":
        target.write_text(referrals_json(report), encoding="utf-8")
    elif fmt == "csv":
        write_referrals_csv(report, target)
    else:
        from inspect_cli.render.xlsx.referrals import write_referrals_xlsx

        write_referrals_xlsx(report, target)


def write_referrals_csv(report: ReferralsReport, target: Path) -> None:
    from inspect_cli.render.csv import csv_safe, marking_line

    with open(target, "w", encoding="utf-8-sig", newline="") as fh:
        fh.write(marking_line(report.meta.marking))
        writer = csv.writer(fh, lineterminator="\r\n")
        writer.writerow(CSV_COLUMNS)
        for x in report.referrals:
            values = (
                "outstanding" if x.outstanding else "answered",
                x.force,
                x.case_ref,
                x.audit_type,
                x.area,
                x.referred_on.isoformat(),
                x.referred_to,
                x.reason,
                x.response_on.isoformat() if x.response_on else None,
                x.action,
                x.days_waiting,
                x.source,
            )
            writer.writerow([csv_safe(v) for v in values])

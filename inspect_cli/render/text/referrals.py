"""The referrals report in the terminal: every case referred back to the force, the
outstanding ones first. Text from case files is printed literally (render/text/plain.py)."""

from __future__ import annotations

from rich.console import Console

from inspect_cli.render.referral_words import (
    DAYS_WAITING_MEANING,
    INTERNAL_ONLY,
    REFERRALS_COLUMNS,
    referrals_summary,
)
from inspect_cli.render.text.plain import PlainTable, print_heading, say
from inspect_cli.reports.referrals import ReferralsReport

WIDE = 160
"""Terminals at least this wide show every column; narrower ones leave out the
longest texts (who it was referred to, the force's action), which -o FILE keeps."""
WIDE_ONLY = ("Area of practice", "Referred to", "Force response on", "Force action")
NO_WRAP = ("Status", "Referred on", "Force response on")
NARROW_NOTE = (
    "The area of practice, who each case was referred to, the force's response date and "
    f"action are left out below {WIDE} columns: widen the terminal, or write -o FILE "
    "(.xlsx, .csv) or --format json."
)


def print_referrals(console: Console, r: ReferralsReport, *, limit: int) -> None:
    """The table, at most ``limit`` rows (0: all); outstanding referrals come first."""
    print_heading(console, r.meta.marking, r.meta.title, referrals_summary(r), r.meta.notes)
    if not r.referrals:
        return
    say(console, DAYS_WAITING_MEANING, style="dim")
    wide = console.width >= WIDE
    names = REFERRALS_COLUMNS if wide else tuple(c for c in REFERRALS_COLUMNS if c not in WIDE_ONLY)
    table = PlainTable(header_style="bold", show_lines=False)
    for name in names:
        table.add_column(
            name,
            justify="right" if name == "Days waiting" else "left",
            no_wrap=name in NO_WRAP,
            max_width=7 if name == "Days waiting" else None,
            ratio=1 if name in ("Referral reason", "Force action") else None,
        )
    shown = r.referrals if limit <= 0 else r.referrals[:limit]
    for x in shown:
        cells = dict(
            zip(
                REFERRALS_COLUMNS,
                (
                    "outstanding" if x.outstanding else "answered",
                    x.force,
                    x.case_ref,
                    x.area,
                    x.referred_on.isoformat(),
                    x.referred_to or "",
                    x.reason or "",
                    x.response_on.isoformat() if x.response_on else "",
                    x.action or "",
                    "" if x.days_waiting is None else str(x.days_waiting),
                ),
                strict=True,
            )
        )
        table.add_row(*(cells[n] for n in names), style="bold" if x.outstanding else "")
    console.print(table)
    if len(shown) < len(r.referrals):
        rest = len(r.referrals) - len(shown)
        say(console, f"… and {rest} more (--limit 0 lists them all, or write -o FILE).")
    if not wide:
        say(console, NARROW_NOTE, style="dim")
    say(console, INTERNAL_ONLY, style="dim")

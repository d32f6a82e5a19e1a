"""inspect-cli referrals: every case referred back to the force, outstanding first."""

from __future__ import annotations

import datetime as dt

from inspect_cli.cli.options import (
    AsOfOpt,
    ForceFilterOpt,
    ForcesOpt,
    FrameworkOpt,
    InputsArg,
    LimitOpt,
    MarkingOpt,
    OutputOpt,
    OverwriteOpt,
    RecursiveOpt,
    ReferralFormatOpt,
    ReportPartialOpt,
    SheetOpt,
    SkipSheetOpt,
    TitleOpt,
)
from inspect_cli.cli.runtime import (
    check_outputs,
    cli_errors,
    load_and_score_or_exit,
    out,
    pick_format,
    print_json,
    write_output,
)
from inspect_cli.errors import UsageError


def as_of_date(text: str | None) -> dt.date:
    """--as-of as a date (today without it); a usage mistake, before any input is read,
    when it is not a real YYYY-MM-DD date."""
    if text is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise UsageError(
            f"--as-of {text!r} is not a date", details=("give it as YYYY-MM-DD, e.g. 2015-01-31",)
        ) from None


def referrals(
    inputs: InputsArg,
    output: OutputOpt = None,
    force: ForceFilterOpt = None,
    as_of: AsOfOpt = None,
    framework: FrameworkOpt = "ncpi-2014",
    format: ReferralFormatOpt = None,
    title: TitleOpt = None,
    marking: MarkingOpt = None,
    overwrite: OverwriteOpt = False,
    limit: LimitOpt = 50,
    forces: ForcesOpt = None,
    sheets: SheetOpt = None,
    skip_sheets: SkipSheetOpt = None,
    recursive: RecursiveOpt = False,
    allow_partial: ReportPartialOpt = False,
) -> None:
    """List every case referred back to the force because a child was found at risk
    now: when and to whom, why, the force's response and the days waiting for it,
    outstanding ones first, then the oldest first.

    Internal only: the list carries the protective marking and is never part of a
    published report (there is no --publish).

    Example: [bold]inspect-cli referrals sample_cases/ --as-of 2015-01-31 -o referrals.xlsx[/bold]
    """
    with cli_errors():
        from inspect_cli.render.referrals_out import REFERRAL_FORMATS

        fmt = pick_format(output, format, REFERRAL_FORMATS, "table")
        day = as_of_date(as_of)
        protected = check_outputs(inputs, overwrite, output, framework=framework, register=forces)
        from inspect_cli.load import Selection, canonical_name
        from inspect_cli.provenance import provenance_for
        from inspect_cli.reports.referrals import build_referrals

        selection = Selection.of(sheets, skip_sheets, recursive)
        result = load_and_score_or_exit(
            inputs, framework, forces=forces, selection=selection, allow_partial=allow_partial
        )
        name = canonical_name(force, forces)
        options = {"report": "referrals", "force": name or "", "as_of": day.isoformat()}
        provenance = provenance_for(result.framework, result.load, options)
        report = build_referrals(
            result, provenance, as_of=day, force=name, title=title, marking=marking
        )
        from inspect_cli.render import referrals_out

        if output is None and fmt == "json":
            print_json(referrals_out.referrals_json(report))
        elif output is None:
            from inspect_cli.render.text.referrals import print_referrals

            print_referrals(out, report, limit=limit)
        else:
            write_output(
                output,
                protected,
                overwrite,
                lambda tmp: referrals_out.write_referrals(report, fmt, tmp),
            )

"""inspect-cli report thematic: every force side by side, like a thematic inspection's tables."""

from __future__ import annotations

from inspect_cli.cli.options import (
    AnonymiseOpt,
    AuditOpt,
    AuditTypeChoice,
    ForcesOpt,
    FrameworkOpt,
    GradeOpt,
    GradeSourceChoice,
    IncludeUnapprovedOpt,
    InputsArg,
    KeyFileOpt,
    MarkingOpt,
    OutputOpt,
    OverwriteOpt,
    PublishOpt,
    RecursiveOpt,
    ReportFormatOpt,
    ReportPartialOpt,
    SheetOpt,
    SkipSheetOpt,
    SuppressOpt,
    TitleOpt,
)
from inspect_cli.cli.report_common import (
    check_report,
    keep_key,
    note_publishing_alone,
    report_choices,
)
from inspect_cli.cli.runtime import (
    cli_errors,
    emit_report,
    load_and_score_or_exit,
)
from inspect_cli.render.outputs import REPORT_FORMATS


def thematic(
    inputs: InputsArg,
    output: OutputOpt = None,
    framework: FrameworkOpt = "ncpi-2014",
    format: ReportFormatOpt = None,
    audit_type: AuditOpt = AuditTypeChoice.inspector,
    grade_source: GradeOpt = GradeSourceChoice.auto,
    anonymise: AnonymiseOpt = False,
    key_file: KeyFileOpt = None,
    title: TitleOpt = None,
    publish: PublishOpt = False,
    suppress_below: SuppressOpt = 5,
    marking: MarkingOpt = None,
    overwrite: OverwriteOpt = False,
    forces: ForcesOpt = None,
    sheets: SheetOpt = None,
    skip_sheets: SkipSheetOpt = None,
    recursive: RecursiveOpt = False,
    allow_partial: ReportPartialOpt = False,
    unapproved: IncludeUnapprovedOpt = False,
) -> None:
    """Every force side by side: the conclusions table (good / adequate / inadequate,
    n and %), key findings, intervals, stage and indicator tables.

    Without -o, prints to the terminal. The format follows the extension of -o
    (.html, .xlsx, .json, .csv) or --format.

    Example: [bold]inspect-cli report thematic sample_cases/ -o thematic.xlsx[/bold]
    """
    with cli_errors():
        fmt, protected, key = check_report(
            inputs,
            output,
            format,
            anonymise,
            key_file,
            overwrite,
            framework,
            forces,
            REPORT_FORMATS,
        )
        from inspect_cli.load import Selection
        from inspect_cli.render.outputs import get_ready
        from inspect_cli.reports.make import force_names, make_thematic

        # A thematic report shows no case, so no case's reason is worded.
        result = load_and_score_or_exit(
            inputs,
            framework,
            reasons=False,
            then=get_ready("thematic", fmt),
            forces=forces,
            selection=Selection.of(sheets, skip_sheets, recursive),
            allow_partial=allow_partial,
        )
        names = force_names(result, anonymise, key)
        choices = report_choices(
            audit_type, grade_source, title, marking, anonymise, publish, suppress_below, unapproved
        )
        report = make_thematic(result, choices, names)
        emit_report(report, fmt, output, protected, overwrite, limit=0)
        keep_key(key_file, key, names, protected, overwrite)
        note_publishing_alone(publish)

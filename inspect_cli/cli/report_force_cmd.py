"""inspect-cli report force: one force in depth, or every force at once."""

from __future__ import annotations

from inspect_cli.cli.options import (
    AllForcesOpt,
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
    LimitOpt,
    MarkingOpt,
    OutputOpt,
    OverwriteOpt,
    PublishOpt,
    RecommendationsOpt,
    RecursiveOpt,
    ReportForceOpt,
    ReportFormatOpt,
    ReportPartialOpt,
    SheetOpt,
    SkipSheetOpt,
    SuppressOpt,
    TitleOpt,
)
from inspect_cli.cli.recommending import read_register_or_exit, with_force_register
from inspect_cli.cli.report_common import (
    Reading,
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
from inspect_cli.errors import UsageError
from inspect_cli.render.outputs import REPORT_FORMATS


def force(
    inputs: InputsArg,
    force: ReportForceOpt = None,
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
    limit: LimitOpt = 20,
    forces: ForcesOpt = None,
    sheets: SheetOpt = None,
    skip_sheets: SkipSheetOpt = None,
    recursive: RecursiveOpt = False,
    allow_partial: ReportPartialOpt = False,
    all_forces: AllForcesOpt = False,
    recommendations: RecommendationsOpt = None,
    unapproved: IncludeUnapprovedOpt = False,
) -> None:
    """One force in depth: grades with intervals, stages, areas of practice, groups of
    children, failing indicators, delay, detention, data completeness and the case list.

    With --all-forces, every force's report, the thematic report and an index.html
    linking them, written to the folder -o names, reading the inputs once.

    Example: [bold]inspect-cli report force sample_cases/ --force "Force C" -o force-c.html[/bold]
    """
    with cli_errors():
        choices = report_choices(
            audit_type, grade_source, title, marking, anonymise, publish, suppress_below, unapproved
        )
        if (force is None) == (not all_forces):
            raise UsageError("give --force NAME, or --all-forces for every force (not both)")
        if all_forces:
            from inspect_cli.cli.all_forces import Request, write_all_forces
            from inspect_cli.load import Selection

            selection = Selection.of(sheets, skip_sheets, recursive)
            reading = Reading(forces, selection, allow_partial)
            request = Request(
                inputs, output, format, framework, reading, key_file, overwrite, recommendations
            )
            write_all_forces(request, choices)
            return
        assert force is not None  # checked above
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
        register, protected = read_register_or_exit(
            recommendations, framework, output, forces, protected
        )
        from inspect_cli.load import Selection
        from inspect_cli.render.outputs import get_ready
        from inspect_cli.reports.make import force_names, make_force

        result = load_and_score_or_exit(
            inputs,
            framework,
            then=get_ready("force", fmt),
            forces=forces,
            selection=Selection.of(sheets, skip_sheets, recursive),
            allow_partial=allow_partial,
        )
        names = force_names(result, anonymise, key)
        from inspect_cli.load import canonical_name

        report = make_force(result, choices, names, canonical_name(force, forces) or force)
        report = with_force_register(report, result, register, choices, names)
        emit_report(report, fmt, output, protected, overwrite, limit=limit)
        keep_key(key_file, key, names, protected, overwrite)
        note_publishing_alone(publish)

"""inspect-cli moderate: a force's self-assessment against the inspectors' assessment."""

from __future__ import annotations

import enum
from typing import Annotated

import typer

from inspect_cli.cli.options import (
    AnalysisFormatOpt,
    ForceFilterOpt,
    ForcesOpt,
    FrameworkOpt,
    GradeOpt,
    GradeSourceChoice,
    IncludeUnapprovedOpt,
    InputsArg,
    LimitOpt,
    MarkingOpt,
    OutputOpt,
    OverwriteOpt,
    RecursiveOpt,
    ReportPartialOpt,
    SheetOpt,
    SkipSheetOpt,
    TitleOpt,
)
from inspect_cli.cli.runtime import (
    check_outputs,
    cli_errors,
    emit_report,
    load_and_score_or_exit,
    pick_format,
)
from inspect_cli.render.outputs import ANALYSIS_FORMATS, READERS_FORMATS
from inspect_cli.reports.common import grade_source as as_grade_source
from inspect_cli.reports.make import Choices


class Between(enum.StrEnum):
    self_inspector = "self,inspector"
    inspectors = "inspectors"


BetweenOpt = Annotated[
    Between,
    typer.Option(
        "--between",
        help="self,inspector (default): each force's self-assessment against the inspectors; "
        "inspectors: agreement between inspectors over cases read by more than one auditor "
        "(table, html, xlsx or json).",
    ),
]


def moderate(
    inputs: InputsArg,
    output: OutputOpt = None,
    force: ForceFilterOpt = None,
    framework: FrameworkOpt = "ncpi-2014",
    format: AnalysisFormatOpt = None,
    grade_source: GradeOpt = GradeSourceChoice.auto,
    title: TitleOpt = None,
    marking: MarkingOpt = None,
    overwrite: OverwriteOpt = False,
    limit: LimitOpt = 15,
    forces: ForcesOpt = None,
    sheets: SheetOpt = None,
    skip_sheets: SkipSheetOpt = None,
    recursive: RecursiveOpt = False,
    allow_partial: ReportPartialOpt = False,
    between: BetweenOpt = Between.self_inspector,
    include_unapproved: IncludeUnapprovedOpt = False,
) -> None:
    """Compare each force's self-assessment with the inspectors' assessment of the same
    cases: agreement, weighted kappa, direction of disagreement, and where they differ.

    Self-assessment and inspector rows are matched by force and case reference, in one
    file or across files; unmatched cases are listed, not dropped.

    Example: [bold]inspect-cli moderate sample_cases/ --force "Force C" -o moderation.html[/bold]
    """
    with cli_errors():
        readers = between is Between.inspectors
        fmt = pick_format(output, format, READERS_FORMATS if readers else ANALYSIS_FORMATS, "table")
        protected = check_outputs(inputs, overwrite, output, framework=framework, register=forces)
        from inspect_cli.load import Selection
        from inspect_cli.reports.make import make_moderation

        selection = Selection.of(sheets, skip_sheets, recursive)
        result = load_and_score_or_exit(
            inputs, framework, forces=forces, selection=selection, allow_partial=allow_partial
        )
        choices = Choices(
            grade_source=as_grade_source(grade_source),
            title=title,
            marking=marking,
            include_unapproved=include_unapproved,
        )
        from inspect_cli.load import canonical_name

        if readers:
            from inspect_cli.reports.readers import make_readers

            name = canonical_name(force, forces)
            readers_report = make_readers(
                result, name, choices.grade_source, title, marking, include_unapproved
            )
            emit_report(readers_report, fmt, output, protected, overwrite, limit=limit)
            return
        report = make_moderation(result, choices, canonical_name(force, forces))
        emit_report(report, fmt, output, protected, overwrite, limit=limit)

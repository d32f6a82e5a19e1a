"""inspect-cli trend: inspection rounds compared, per force and overall."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from inspect_cli.cli.options import (
    AnalysisFormatOpt,
    AuditOpt,
    AuditTypeChoice,
    ForceFilterOpt,
    ForcesOpt,
    FrameworkOpt,
    GradeOpt,
    GradeSourceChoice,
    IncludeUnapprovedOpt,
    MarkingOpt,
    OutputOpt,
    OverwriteOpt,
    RecommendationsOpt,
    RecursiveOpt,
    ReportPartialOpt,
    SheetOpt,
    SkipSheetOpt,
    TitleOpt,
)
from inspect_cli.cli.recommending import read_register_or_exit, with_trend_register
from inspect_cli.cli.runtime import (
    check_outputs,
    cli_errors,
    emit_report,
    err,
    load_and_score_or_exit,
    pick_format,
)
from inspect_cli.render.outputs import ANALYSIS_FORMATS
from inspect_cli.reports.common import audit_type as as_audit_type
from inspect_cli.reports.common import grade_source as as_grade_source
from inspect_cli.reports.make import Choices

RoundsArg = Annotated[
    list[str],
    typer.Argument(
        help="One input per round: a folder or file, or LABEL=PATH. Without a label, "
        "a 'Round' column splits the cases into rounds, or else the folder's name is used.",
        metavar="ROUNDS...",
        show_default=False,
    ),
]


def split_round(arg: str) -> tuple[str | None, Path]:
    """'2016=sample_cases_2016/' → ('2016', path); a plain path has no label."""
    label, sep, rest = arg.partition("=")
    if sep and label and not Path(arg).exists():
        return label.strip(), Path(rest)
    return None, Path(arg)


def trend(
    rounds: RoundsArg,
    output: OutputOpt = None,
    force: ForceFilterOpt = None,
    framework: FrameworkOpt = "ncpi-2014",
    format: AnalysisFormatOpt = None,
    audit_type: AuditOpt = AuditTypeChoice.inspector,
    grade_source: GradeOpt = GradeSourceChoice.auto,
    title: TitleOpt = None,
    marking: MarkingOpt = None,
    overwrite: OverwriteOpt = False,
    forces: ForcesOpt = None,
    sheets: SheetOpt = None,
    skip_sheets: SkipSheetOpt = None,
    recursive: RecursiveOpt = False,
    allow_partial: ReportPartialOpt = False,
    recommendations: RecommendationsOpt = None,
    include_unapproved: IncludeUnapprovedOpt = False,
) -> None:
    """Compare inspection rounds: grade shares per round for each force and overall,
    whether the change is more than chance, stages, and the indicators that improved
    or worsened most.

    Example: [bold]inspect-cli trend 2014=sample_cases/ 2016=sample_cases_2016/ --force "Force C"[/bold]
    """
    with cli_errors():
        fmt = pick_format(output, format, ANALYSIS_FORMATS, "table")
        labelled = [split_round(arg) for arg in rounds]
        paths = [path for _, path in labelled]
        protected = check_outputs(paths, overwrite, output, framework=framework, register=forces)
        register, protected = read_register_or_exit(
            recommendations, framework, output, forces, protected
        )
        from inspect_cli.load import Selection
        from inspect_cli.reports.make import make_trend
        from inspect_cli.reports.trend import Round, rounds_of, spelt_by_round

        selection = Selection.of(sheets, skip_sheets, recursive)
        rounds_in: list[Round] = []
        for label, path in labelled:
            rounds_in += rounds_of(
                label,
                path,
                load_and_score_or_exit(
                    [path],
                    framework,
                    forces=forces,
                    selection=selection,
                    allow_partial=allow_partial,
                ),
            )
        choices = Choices(
            as_audit_type(audit_type),
            as_grade_source(grade_source),
            title,
            marking,
            include_unapproved=include_unapproved,
        )
        spellings = spelt_by_round(rounds_in, choices.audit_type, choices.grade_source)
        if spellings:
            from inspect_cli.render.text.problems import print_problems

            print_problems(err, spellings)
        from inspect_cli.load import canonical_name

        report = make_trend(rounds_in, choices, canonical_name(force, forces))
        report = with_trend_register(report, rounds_in, register, choices)
        emit_report(report, fmt, output, protected, overwrite, limit=0)

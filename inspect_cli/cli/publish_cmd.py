"""inspect-cli report publish: the thematic report and every force's report, published
together from one choice of hidden counts."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

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
    OverwriteOpt,
    RecursiveOpt,
    ReportPartialOpt,
    SheetOpt,
    SkipSheetOpt,
    SuppressOpt,
    TitleOpt,
)
from inspect_cli.cli.report_common import Reading, check_report, keep_key, report_choices
from inspect_cli.cli.report_folder import report_file_names, report_folder
from inspect_cli.cli.runtime import cli_errors, load_and_score_or_exit, write_outputs
from inspect_cli.errors import UsageError
from inspect_cli.reports.make import Choices

if TYPE_CHECKING:
    from inspect_cli.render.outputs import AnyReport

PUBLISH_FORMATS = ("html", "xlsx", "json", "csv")

FolderOpt = Annotated[
    Path,
    typer.Option(
        "--output",
        "-o",
        help="The folder to write the reports to (made if it does not exist).",
        show_default=False,
    ),
]
PublishFormatOpt = Annotated[
    str, typer.Option("--format", help="html, xlsx, json or csv: one file per report.")
]


def publish(
    inputs: InputsArg,
    output: FolderOpt,
    framework: FrameworkOpt = "ncpi-2014",
    format: PublishFormatOpt = "html",
    audit_type: AuditOpt = AuditTypeChoice.inspector,
    grade_source: GradeOpt = GradeSourceChoice.auto,
    anonymise: AnonymiseOpt = False,
    key_file: KeyFileOpt = None,
    title: TitleOpt = None,
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
    """The published thematic report and every force's published report, in one folder.

    Small counts are hidden over all the reports at once, so that no report's figures
    give away a count another report hides (reports published one by one, from the
    same cases, can be set side by side to work hidden counts out). Writes
    thematic.<ext> and force-<name>.<ext> for each force, all or none.

    Example: [bold]inspect-cli report publish sample_cases/ -o published/ --anonymise --key-file key.csv[/bold]
    """
    with cli_errors():
        if format not in PUBLISH_FORMATS:
            raise UsageError(
                f"--format {format!r} cannot be published as files",
                details=(f"choose one of {', '.join(PUBLISH_FORMATS)}",),
            )
        choices = report_choices(
            audit_type, grade_source, title, marking, anonymise, True, suppress_below, unapproved
        )
        from inspect_cli.load import Selection

        reading = Reading(forces, Selection.of(sheets, skip_sheets, recursive), allow_partial)
        with report_folder(output):
            _publish(inputs, output, format, framework, reading, overwrite, key_file, choices)


def _publish(
    inputs: list[Path],
    folder: Path,
    fmt: str,
    framework: str,
    reading: Reading,
    overwrite: bool,
    key_file: Path | None,
    choices: Choices,
) -> None:
    first = folder / f"thematic.{fmt}"
    _, protected, key = check_report(
        inputs, first, fmt, choices.anonymise, key_file, overwrite, framework, reading.forces,
        PUBLISH_FORMATS,
    )  # fmt: skip
    from inspect_cli.render import outputs
    from inspect_cli.reports.make import force_names, make_published

    result = load_and_score_or_exit(
        inputs,
        framework,
        reasons=False,
        then=outputs.get_ready("thematic", fmt),
        forces=reading.forces,
        selection=reading.selection,
        allow_partial=reading.allow_partial,
    )
    names = force_names(result, choices.anonymise, key)
    thematic, reports = make_published(result, choices, names)
    targets = [first, *report_files(folder, [r.force for r in reports], fmt)]
    every: list[AnyReport] = [thematic, *reports]
    groups = [
        (report, outputs.report_files(fmt, target))
        for report, target in zip(every, targets, strict=True)
    ]

    def write(tmps: Sequence[Path]) -> None:
        start = 0
        for report, files in groups:
            outputs.write_report_files(report, fmt, files[0], tmps[start : start + len(files)])
            start += len(files)

    write_outputs([f for _, files in groups for f in files], protected, overwrite, write)
    keep_key(key_file, key, names, protected, overwrite)


def report_files(folder: Path, forces: list[str], fmt: str) -> list[Path]:
    return [folder / name for name in report_file_names(forces, fmt)]

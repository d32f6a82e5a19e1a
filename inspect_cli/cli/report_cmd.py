"""inspect-cli report thematic | force: reports like a thematic inspection's tables."""

from __future__ import annotations

from pathlib import Path

from inspect_cli.cli.options import (
    AnonymiseOpt,
    AuditOpt,
    AuditTypeChoice,
    ForcesOpt,
    FrameworkOpt,
    GradeOpt,
    GradeSourceChoice,
    InputsArg,
    KeyFileOpt,
    LimitOpt,
    MarkingOpt,
    OutputOpt,
    OverwriteOpt,
    PublishOpt,
    ReportForceOpt,
    ReportFormatOpt,
    SuppressOpt,
    TitleOpt,
)
from inspect_cli.cli.runtime import (
    check_outputs,
    cli_errors,
    emit_report,
    load_and_score_or_exit,
    pick_format,
    write_output,
)
from inspect_cli.errors import UsageError
from inspect_cli.render.outputs import REPORT_FORMATS
from inspect_cli.reports.common import audit_type as as_audit_type
from inspect_cli.reports.common import grade_source as as_grade_source
from inspect_cli.reports.make import Choices


def thematic(
    inputs: InputsArg,
    output: OutputOpt = None,
    framework: FrameworkOpt = "ncpi-2014",
    format: ReportFormatOpt = None,
    audit_type: AuditOpt = AuditTypeChoice.inspector,
    grade_source: GradeOpt = GradeSourceChoice.computed,
    anonymise: AnonymiseOpt = False,
    key_file: KeyFileOpt = None,
    title: TitleOpt = None,
    publish: PublishOpt = False,
    suppress_below: SuppressOpt = 5,
    marking: MarkingOpt = None,
    overwrite: OverwriteOpt = False,
    forces: ForcesOpt = None,
) -> None:
    """Every force side by side: the conclusions table (good / adequate / inadequate,
    n and %), key findings, intervals, stage and indicator tables.

    Without -o, prints to the terminal. The format follows the extension of -o
    (.html, .xlsx, .json, .csv) or --format.

    Example: [bold]inspect-cli report thematic sample_cases/ -o thematic.xlsx[/bold]
    """
    with cli_errors():
        fmt, protected = _check(
            inputs, output, format, anonymise, key_file, overwrite, framework, forces
        )
        from inspect_cli.render.outputs import get_ready
        from inspect_cli.reports.make import force_names, make_thematic

        # A thematic report shows no case, so no case's reason is worded.
        result = load_and_score_or_exit(
            inputs, framework, reasons=False, then=get_ready("thematic", fmt), forces=forces
        )
        names = force_names(result, anonymise)
        choices = _choices(
            audit_type, grade_source, title, marking, anonymise, publish, suppress_below
        )
        report = make_thematic(result, choices, names)
        emit_report(report, fmt, output, protected, overwrite, limit=0)
        _write_key(key_file, names, protected, overwrite)


def force(
    inputs: InputsArg,
    force: ReportForceOpt,
    output: OutputOpt = None,
    framework: FrameworkOpt = "ncpi-2014",
    format: ReportFormatOpt = None,
    audit_type: AuditOpt = AuditTypeChoice.inspector,
    grade_source: GradeOpt = GradeSourceChoice.computed,
    anonymise: AnonymiseOpt = False,
    key_file: KeyFileOpt = None,
    title: TitleOpt = None,
    publish: PublishOpt = False,
    suppress_below: SuppressOpt = 5,
    marking: MarkingOpt = None,
    overwrite: OverwriteOpt = False,
    limit: LimitOpt = 20,
    forces: ForcesOpt = None,
) -> None:
    """One force in depth: grades with intervals, stages, areas of practice, groups of
    children, failing indicators, delay, detention, data completeness and the case list.

    Example: [bold]inspect-cli report force sample_cases/ --force "Force C" -o force-c.html[/bold]
    """
    with cli_errors():
        fmt, protected = _check(
            inputs, output, format, anonymise, key_file, overwrite, framework, forces
        )
        from inspect_cli.render.outputs import get_ready
        from inspect_cli.reports.make import force_names, make_force

        result = load_and_score_or_exit(
            inputs, framework, then=get_ready("force", fmt), forces=forces
        )
        names = force_names(result, anonymise)
        choices = _choices(
            audit_type, grade_source, title, marking, anonymise, publish, suppress_below
        )
        from inspect_cli.load import canonical_name

        report = make_force(result, choices, names, canonical_name(force, forces) or force)
        emit_report(report, fmt, output, protected, overwrite, limit=limit)
        _write_key(key_file, names, protected, overwrite)


def _check(
    inputs: list[Path],
    output: Path | None,
    given: str | None,
    anonymise: bool,
    key_file: Path | None,
    overwrite: bool,
    framework: str,
    forces: Path | None,
) -> tuple[str, list[Path]]:
    """Every usage mistake, found before any file is read: the format, and the inputs
    no output (the report, the key) may replace."""
    fmt = pick_format(output, given, REPORT_FORMATS, "table")
    if key_file is not None and not anonymise:
        raise UsageError("--key-file goes with --anonymise")
    protected = check_outputs(
        inputs, overwrite, output, key_file, framework=framework, register=forces
    )
    return fmt, protected


def _choices(
    audit_type: AuditTypeChoice,
    grade_source: GradeSourceChoice,
    title: str | None,
    marking: str | None,
    anonymise: bool,
    publish: bool,
    suppress_below: int,
) -> Choices:
    audit, source = as_audit_type(audit_type), as_grade_source(grade_source)
    return Choices(audit, source, title, marking, anonymise, publish, suppress_below)


def _write_key(
    key_file: Path | None, names: dict[str, str], inputs: list[Path], overwrite: bool
) -> None:
    """The anonymisation key, written only once the report it unlocks has been."""
    if key_file is not None:
        from inspect_cli.render.csv import write_key_csv

        write_output(key_file, inputs, overwrite, lambda tmp: write_key_csv(names, tmp))

"""inspect-cli report thematic | force: reports like a thematic inspection's tables."""

from __future__ import annotations

import enum
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer

from inspect_cli.cli import app
from inspect_cli.cli._common import (
    FrameworkOpt,
    InputsArg,
    OutputOpt,
    OverwriteOpt,
    cli_errors,
    current_limits,
    err,
    out,
    pick_format,
    print_json,
    progress,
    write_output,
)
from inspect_cli.render.plain import say

report_app = typer.Typer(
    help="Force-level and cross-force (thematic) reports.", no_args_is_help=True
)
app.add_typer(report_app, name="report")

FORMATS = ("table", "html", "xlsx", "json", "csv")


class AuditTypeChoice(enum.StrEnum):
    inspector = "inspector"
    self_assessment = "self-assessment"
    all = "all"


class GradeSourceChoice(enum.StrEnum):
    computed = "computed"
    recorded = "recorded"


AuditOpt = Annotated[
    AuditTypeChoice, typer.Option("--audit-type", help="Which assessments to count.")
]
GradeOpt = Annotated[
    GradeSourceChoice,
    typer.Option(
        "--grade-source",
        help="computed: the framework's rules; recorded: the auditor's own overall grade "
        "(e.g. to reproduce a published table).",
    ),
]
FormatOpt = Annotated[
    str | None, typer.Option("--format", help="table, html, xlsx, json or csv (default: from -o).")
]
AnonymiseOpt = Annotated[
    bool, typer.Option("--anonymise", help='Show forces as "Force A", "Force B", … .')
]
KeyFileOpt = Annotated[
    Path | None,
    typer.Option("--key-file", help="With --anonymise: write which letter is which force here."),
]
TitleOpt = Annotated[str | None, typer.Option("--title", help="The report's title.")]
PublishOpt = Annotated[
    bool,
    typer.Option(
        "--publish",
        help="For reports that leave the inspectorate: no case list, no case references, "
        "small counts suppressed (see --suppress-below).",
    ),
]
SuppressOpt = Annotated[
    int,
    typer.Option(
        "--suppress-below", min=2, help="With --publish: counts from 1 up to this - 1 are hidden."
    ),
]
MarkingOpt = Annotated[
    str | None,
    typer.Option(
        "--marking",
        help='Protective marking at the top of the report (default "OFFICIAL-SENSITIVE"; '
        "none with --publish unless given).",
    ),
]
DEFAULT_MARKING = "OFFICIAL-SENSITIVE"


def finish(
    report: Any, publisher: Callable[[Any, int], Any] | None, threshold: int, marking: str | None
) -> Any:
    """Apply --publish (``publisher``, when given) and --marking to a built report."""
    from dataclasses import replace

    publish = publisher is not None
    if publisher is not None:
        report = publisher(report, threshold)
    mark = marking if marking is not None else (None if publish else DEFAULT_MARKING)
    return replace(report, meta=replace(report.meta, marking=mark or None))


def _get_ready(kind: str, fmt: str) -> Callable[[], None]:
    """What the report needs after scoring, made ready while the input is parsed."""

    def get_ready() -> None:
        import inspect_cli.aggregate
        import inspect_cli.render.report_data

        if fmt == "html":
            from inspect_cli.render import html

            html.environment().get_template(f"{kind}.html.j2")  # compiled and cached
        elif fmt == "xlsx":
            import inspect_cli.render.excel_report
        elif fmt == "table":
            import inspect_cli.render.terminal_report  # noqa: F401

    return get_ready


def prepare(
    inputs: list[Path],
    framework: str,
    *,
    reasons: bool = True,
    then: Callable[[], None] | None = None,
) -> Any:
    """Load and score the inputs; ``then`` gets the command's next steps ready while
    the input is parsed on the other core."""
    from inspect_cli.frameworks import resolve_framework
    from inspect_cli.load import load_cases

    def import_next() -> None:
        import inspect_cli.score  # noqa: F401

        if then is not None:
            then()

    fw = resolve_framework(framework)
    with progress("Scoring") as on_file:
        loaded = load_cases(inputs, fw, current_limits(), on_file, import_next)
        from inspect_cli.score import score_cases

        usable = loaded.ok and not loaded.cases.empty
        scored = score_cases(loaded, reasons=reasons) if usable else None
    from inspect_cli.render.terminal import print_problems
    from inspect_cli.render.validation import summary_line

    shown = [p for p in loaded.problems if p.severity != "note"]
    if shown:
        print_problems(err, shown)
    if scored is None:
        say(err, summary_line(loaded))
        say(err, "No report was written: fix the errors above and run again.")
        raise typer.Exit(1)
    return scored


def _names(
    result: Any, anonymise: bool, key_file: Path | None, inputs: list[Path], overwrite: bool
) -> dict[str, str]:
    if not anonymise:
        if key_file is not None:
            from inspect_cli.errors import UsageError

            raise UsageError("--key-file goes with --anonymise")
        return {}
    from inspect_cli.aggregate import anonymise as make_names

    names = make_names(str(f) for f in result.cases["force"].dropna())
    if key_file is not None:
        from inspect_cli.render.report_data import write_key_csv

        write_output(key_file, inputs, overwrite, lambda tmp: write_key_csv(names, tmp))
    return names


def _emit(
    report: Any,
    kind: str,
    fmt: str,
    output: Path | None,
    inputs: list[Path],
    overwrite: bool,
    limit: int,
) -> None:
    from inspect_cli.render import report_data

    to_dict = report_data.thematic_dict if kind == "thematic" else report_data.force_dict
    if output is None:
        if fmt == "json":
            print_json(report_data.dumps(to_dict(report)))
            return
        if fmt != "table":
            say(err, f"--format {fmt} needs -o FILE")
            raise typer.Exit(2)
        from inspect_cli.render import terminal_report

        if kind == "thematic":
            terminal_report.print_thematic(out, report)
        else:
            terminal_report.print_force(out, report, limit=limit)
        return

    def write(tmp: Path) -> None:
        if fmt == "json":
            report_data.write_json(to_dict(report), tmp)
        elif fmt == "csv":
            (report_data.write_thematic_csv if kind == "thematic" else report_data.write_force_csv)(
                report, tmp
            )
        elif fmt == "html":
            from inspect_cli.render import html

            text = (
                html.render_thematic_html(report)
                if kind == "thematic"
                else html.render_force_html(report)
            )
            tmp.write_text(text, encoding="utf-8")
        else:
            from inspect_cli.render import excel_report

            (
                excel_report.write_thematic_xlsx
                if kind == "thematic"
                else excel_report.write_force_xlsx
            )(report, tmp)

    write_output(output, inputs, overwrite, write)


@report_app.command("thematic")
def thematic(
    inputs: InputsArg,
    output: OutputOpt = None,
    framework: FrameworkOpt = "ncpi-2014",
    format: FormatOpt = None,
    audit_type: AuditOpt = AuditTypeChoice.inspector,
    grade_source: GradeOpt = GradeSourceChoice.computed,
    anonymise: AnonymiseOpt = False,
    key_file: KeyFileOpt = None,
    title: TitleOpt = None,
    publish: PublishOpt = False,
    suppress_below: SuppressOpt = 5,
    marking: MarkingOpt = None,
    overwrite: OverwriteOpt = False,
) -> None:
    """Every force side by side: the conclusions table (good / adequate / inadequate,
    n and %), key findings, intervals, stage and indicator tables.

    Without -o, prints to the terminal. The format follows the extension of -o
    (.html, .xlsx, .json, .csv) or --format.

    Example: [bold]inspect-cli report thematic sample_cases/ -o thematic.xlsx[/bold]
    """
    with cli_errors():
        fmt = pick_format(output, format, FORMATS, "table")
        # A thematic report shows no case, so no case's reason is worded.
        result = prepare(inputs, framework, reasons=False, then=_get_ready("thematic", fmt))
        from inspect_cli.aggregate import thematic_report
        from inspect_cli.provenance import provenance_for

        names = _names(result, anonymise, key_file, inputs, overwrite)
        options = {
            "report": "thematic",
            "audit_type": str(audit_type),
            "grade_source": str(grade_source),
            "anonymise": anonymise,
            "publish": publish,
        }
        report = thematic_report(
            result,
            provenance_for(result.framework, result.load, options),
            audit_type=audit_type.value,
            grade_source=grade_source.value,
            names=names,
            title=title,
        )
        from inspect_cli.publish import publish_thematic

        report = finish(report, publish_thematic if publish else None, suppress_below, marking)
        _emit(report, "thematic", fmt, output, inputs, overwrite, 0)


@report_app.command("force")
def force(
    inputs: InputsArg,
    force: Annotated[str, typer.Option("--force", help="The police force to report on.")],
    output: OutputOpt = None,
    framework: FrameworkOpt = "ncpi-2014",
    format: FormatOpt = None,
    audit_type: AuditOpt = AuditTypeChoice.inspector,
    grade_source: GradeOpt = GradeSourceChoice.computed,
    anonymise: AnonymiseOpt = False,
    key_file: KeyFileOpt = None,
    title: TitleOpt = None,
    publish: PublishOpt = False,
    suppress_below: SuppressOpt = 5,
    marking: MarkingOpt = None,
    overwrite: OverwriteOpt = False,
    limit: Annotated[int, typer.Option(help="Most cases to list in the terminal.")] = 20,
) -> None:
    """One force in depth: grades with intervals, stages, areas of practice, groups of
    children, failing indicators, delay, detention, data completeness and the case list.

    Example: [bold]inspect-cli report force sample_cases/ --force "Force C" -o force-c.html[/bold]
    """
    with cli_errors():
        fmt = pick_format(output, format, FORMATS, "table")
        result = prepare(inputs, framework, then=_get_ready("force", fmt))
        from inspect_cli.aggregate import force_report
        from inspect_cli.provenance import provenance_for

        names = _names(result, anonymise, key_file, inputs, overwrite)
        options = {
            "report": "force",
            "force": force,
            "audit_type": str(audit_type),
            "grade_source": str(grade_source),
            "anonymise": anonymise,
            "publish": publish,
        }
        if anonymise:
            options["force"] = names.get(force, force)
        report = force_report(
            result,
            provenance_for(result.framework, result.load, options),
            force,
            audit_type=audit_type.value,
            grade_source=grade_source.value,
            names=names,
            title=title,
        )
        from inspect_cli.publish import publish_force

        report = finish(report, publish_force if publish else None, suppress_below, marking)
        _emit(report, "force", fmt, output, inputs, overwrite, limit)

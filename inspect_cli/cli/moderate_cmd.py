"""inspect-cli moderate: a force's self-assessment against the inspectors' assessment."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from inspect_cli.cli import app
from inspect_cli.cli._common import (
    FrameworkOpt,
    InputsArg,
    OutputOpt,
    OverwriteOpt,
    cli_errors,
    err,
    out,
    pick_format,
    print_json,
    write_output,
)
from inspect_cli.cli.report_cmd import (
    DEFAULT_MARKING,
    GradeOpt,
    GradeSourceChoice,
    MarkingOpt,
    TitleOpt,
    prepare,
)
from inspect_cli.render.plain import say

FORMATS = ("table", "html", "xlsx", "json")


@app.command()
def moderate(
    inputs: InputsArg,
    output: OutputOpt = None,
    force: Annotated[
        str | None, typer.Option("--force", help="Only this police force (default: all).")
    ] = None,
    framework: FrameworkOpt = "ncpi-2014",
    format: Annotated[
        str | None, typer.Option("--format", help="table, html, xlsx or json (default: from -o).")
    ] = None,
    grade_source: GradeOpt = GradeSourceChoice.computed,
    title: TitleOpt = None,
    marking: MarkingOpt = None,
    overwrite: OverwriteOpt = False,
    limit: Annotated[
        int, typer.Option(help="Most disagreeing cases to list in the terminal.")
    ] = 15,
) -> None:
    """Compare each force's self-assessment with the inspectors' assessment of the same
    cases: agreement, weighted kappa, direction of disagreement, and where they differ.

    Self-assessment and inspector rows are matched by force and case reference, in one
    file or across files; unmatched cases are listed, not dropped.

    Example: [bold]inspect-cli moderate sample_cases/ --force "Force C" -o moderation.html[/bold]
    """
    with cli_errors():
        fmt = pick_format(output, format, FORMATS, "table")
        import json

        from inspect_cli.moderate import moderation_report
        from inspect_cli.provenance import provenance_for
        from inspect_cli.render import moderation_text

        result = prepare(inputs, framework)
        options = {"report": "moderate", "force": force or "all", "grade_source": str(grade_source)}
        report = moderation_report(
            result,
            provenance_for(result.framework, result.load, options),
            force=force,
            grade_source=grade_source.value,
            title=title,
        )
        from dataclasses import replace

        report = replace(report, meta=replace(report.meta, marking=marking or DEFAULT_MARKING))
        if output is None:
            if fmt == "json":
                print_json(
                    json.dumps(
                        moderation_text.moderation_dict(report), indent=2, ensure_ascii=False
                    )
                )
            elif fmt == "table":
                moderation_text.print_moderation(out, report, limit=limit)
            else:
                say(err, f"--format {fmt} needs -o FILE")
                raise typer.Exit(2)
            return

        def write(tmp: Path) -> None:
            if fmt == "json":
                moderation_text.write_moderation_json(report, tmp)
            elif fmt == "html":
                from inspect_cli.render.moderation_html import render_moderation_html

                tmp.write_text(render_moderation_html(report), encoding="utf-8")
            else:
                from inspect_cli.render.moderation_excel import write_moderation_xlsx

                write_moderation_xlsx(report, tmp)

        write_output(output, inputs, overwrite, write)

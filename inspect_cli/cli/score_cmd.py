"""inspect-cli score: one row per case with stage grades, the case grade and the reason."""

from __future__ import annotations

import json
from typing import Annotated

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

FORMATS = ("table", "xlsx", "csv", "json")


@app.command()
def score(
    inputs: InputsArg,
    output: OutputOpt = None,
    framework: FrameworkOpt = "ncpi-2014",
    format: Annotated[
        str | None, typer.Option("--format", help="table, xlsx, csv or json (default: from -o).")
    ] = None,
    allow_partial: Annotated[
        bool,
        typer.Option(
            "--allow-partial",
            help="Score the cases that loaded even if other rows have errors; "
            "rows not scored are listed with their reasons.",
        ),
    ] = False,
    overwrite: OverwriteOpt = False,
    limit: Annotated[int, typer.Option(help="Most cases to show in the terminal.")] = 50,
) -> None:
    """Score every case: each stage's grade, the case grade and the reason for it.

    Writes xlsx, csv or json (by the extension of -o, or --format); without -o,
    prints a table (or JSON with --format json). Files with errors are not scored
    unless --allow-partial.

    Example: [bold]inspect-cli score sample_cases/ -o scored.xlsx[/bold]
    """
    with cli_errors():
        fmt = pick_format(output, format, FORMATS, "table")
        if output is not None and fmt == "table":
            fmt = "xlsx"
        from inspect_cli.frameworks import resolve_framework
        from inspect_cli.load import load_cases

        fw = resolve_framework(framework)
        with progress("Checking") as on_file:
            loaded = load_cases(inputs, fw, current_limits(), on_file)
        # Imported once the files are read: pandas is imported while they are read.
        from inspect_cli.aggregate import grade_counts
        from inspect_cli.provenance import provenance_for
        from inspect_cli.render import scored as render
        from inspect_cli.render.terminal import print_grade_counts, print_problems, print_scored
        from inspect_cli.render.validation import summary_line
        from inspect_cli.score import score_cases

        shown = [p for p in loaded.problems if p.severity != "note"]
        if shown:
            print_problems(err, shown)
        if not loaded.ok and not allow_partial:
            say(err, summary_line(loaded))
            say(
                err, "Nothing was scored. Fix the errors, or use --allow-partial to score the rest."
            )
            raise typer.Exit(1)
        if loaded.cases.empty:
            say(err, summary_line(loaded))
            raise typer.Exit(1)
        result = score_cases(loaded)
        options = {"framework": framework, "allow_partial": allow_partial}
        if output is None:
            if fmt == "json":
                print_json(json.dumps(render.scored_records(result), indent=2, ensure_ascii=False))
            elif fmt == "table":
                print_scored(out, result, limit=limit)
                print_grade_counts(out, grade_counts(result.scored))
            else:
                say(err, f"--format {fmt} needs -o FILE")
                raise typer.Exit(2)
        else:
            provenance = provenance_for(fw, loaded, options)
            writers = {
                "xlsx": lambda tmp: render.write_scored_xlsx(result, tmp, provenance),
                "csv": lambda tmp: render.write_scored_csv(result, tmp),
                "json": lambda tmp: render.write_scored_json(result, tmp),
            }
            write_output(output, inputs, overwrite, writers[fmt])
        if len(loaded.rejected):
            say(
                err,
                f"{len(loaded.rejected):,} row(s) not scored (listed above"
                + (" and in the 'Not scored' sheet)" if fmt == "xlsx" and output else ")"),
            )

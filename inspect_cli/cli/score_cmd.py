"""inspect-cli score: one row per case with stage grades, the case grade and the reason."""

from __future__ import annotations

from inspect_cli.cli.options import (
    AllowPartialOpt,
    ForcesOpt,
    FrameworkOpt,
    InputsArg,
    LimitOpt,
    OutputOpt,
    OverwriteOpt,
    ScoreFormatOpt,
)
from inspect_cli.cli.runtime import (
    check_outputs,
    cli_errors,
    err,
    load_and_score_or_exit,
    out,
    pick_format,
    print_json,
    write_output,
)
from inspect_cli.render.text.plain import say

FORMATS = ("table", "xlsx", "csv", "json")


def score(
    inputs: InputsArg,
    output: OutputOpt = None,
    framework: FrameworkOpt = "ncpi-2014",
    format: ScoreFormatOpt = None,
    allow_partial: AllowPartialOpt = False,
    overwrite: OverwriteOpt = False,
    limit: LimitOpt = 50,
    forces: ForcesOpt = None,
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
        protected = check_outputs(inputs, overwrite, output, framework=framework, register=forces)
        result = load_and_score_or_exit(
            inputs,
            framework,
            allow_partial=allow_partial,
            refusal="Nothing was scored. Fix the errors, or use --allow-partial to score the rest.",
            refuse_when_empty=False,
            action="Checking",
            forces=forces,
        )
        from inspect_cli.render.contracts import scored_json, write_scored_json
        from inspect_cli.render.csv import write_scored_csv
        from inspect_cli.render.xlsx.scored import write_scored_xlsx

        if output is None and fmt == "json":
            print_json(scored_json(result))
        elif output is None:
            from inspect_cli.render.text.scored import print_grade_counts, print_scored
            from inspect_cli.reports.counts import grade_counts

            print_scored(out, result, limit=limit)
            print_grade_counts(out, grade_counts(result.scored))
        else:
            from inspect_cli.provenance import provenance_for

            options = {"framework": framework, "allow_partial": allow_partial}
            provenance = provenance_for(result.framework, result.load, options)
            writers = {
                "xlsx": lambda tmp: write_scored_xlsx(result, tmp, provenance),
                "csv": lambda tmp: write_scored_csv(result, tmp),
                "json": lambda tmp: write_scored_json(result, tmp),
            }
            write_output(output, protected, overwrite, writers[fmt])
        rejected = len(result.load.rejected)
        if rejected:
            sheet = " and in the 'Not scored' sheet)" if fmt == "xlsx" and output else ")"
            say(err, f"{rejected:,} row(s) not scored (listed above{sheet}")

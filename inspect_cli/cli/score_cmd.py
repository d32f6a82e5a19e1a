"""inspect-cli score: one row per case with stage grades, the case grade and the reason."""

from __future__ import annotations

from typing import TYPE_CHECKING

from inspect_cli.cli.options import (
    AllowPartialOpt,
    ForceFilterOpt,
    ForcesOpt,
    FrameworkOpt,
    InputsArg,
    LimitOpt,
    MarkingOpt,
    OutputOpt,
    OverwriteOpt,
    RecursiveOpt,
    ScoreFormatOpt,
    SheetOpt,
    SkipSheetOpt,
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

if TYPE_CHECKING:
    from inspect_cli.score import ScoreResult

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
    marking: MarkingOpt = None,
    force: ForceFilterOpt = None,
    sheets: SheetOpt = None,
    skip_sheets: SkipSheetOpt = None,
    recursive: RecursiveOpt = False,
) -> None:
    """Score every case: each stage's grade, the case grade and the reason for it.

    Writes xlsx, csv or json (by the extension of -o, or --format); without -o,
    prints a table (or JSON with --format json). Files with errors are not scored
    unless --allow-partial. Every file carries the protective marking (--marking):
    a banner row and page header in xlsx, a first '#' line in csv, a 'marking' key
    on each case in json.

    Example: [bold]inspect-cli score sample_cases/ -o scored.xlsx[/bold]
    """
    with cli_errors():
        from inspect_cli.load import Selection
        from inspect_cli.reports.common import marking_for

        mark = marking_for(marking, publish=False)  # a case list is never published
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
            selection=Selection.of(sheets, skip_sheets, recursive),
        )
        if force is not None:
            result = only_force(result, force)
        from inspect_cli.render.contracts import scored_json, write_scored_json
        from inspect_cli.render.csv import write_scored_csv
        from inspect_cli.render.xlsx.scored import write_scored_xlsx

        if output is None and fmt == "json":
            print_json(scored_json(result, mark))
        elif output is None:
            from inspect_cli.render.text.scored import print_grade_counts, print_scored
            from inspect_cli.reports.counts import grade_counts

            print_scored(out, result, limit=limit)
            print_grade_counts(out, grade_counts(result.scored))
        else:
            from inspect_cli.provenance import provenance_for

            options = {"framework": framework, "allow_partial": allow_partial, "marking": mark}
            options |= {"force": force} if force is not None else {}
            provenance = provenance_for(result.framework, result.load, options)
            writers = {
                "xlsx": lambda tmp: write_scored_xlsx(result, tmp, provenance, mark),
                "csv": lambda tmp: write_scored_csv(result, tmp, mark),
                "json": lambda tmp: write_scored_json(result, tmp, mark),
            }
            write_output(output, protected, overwrite, writers[fmt])
        rejected = len(result.load.rejected)
        if rejected:
            sheet = " and in the 'Not scored' sheet)" if fmt == "xlsx" and output else ")"
            say(err, f"{rejected:,} row(s) not scored (listed above{sheet}")


def only_force(result: ScoreResult, name: str) -> ScoreResult:
    """The cases of the force called ``name``, matched as ``report force`` matches it
    (capitals, spaces and invisible characters ignored; register names with --forces).
    Rows that were not loaded keep their place in the list: their force is unknown."""
    import dataclasses

    from inspect_cli.reports.common import find_force

    present = sorted(result.scored["force"].dropna().astype(str).unique())
    mine = (result.scored["force"] == find_force(name, present)).to_numpy()
    load = dataclasses.replace(result.load, cases=result.cases[mine].reset_index(drop=True))
    scored = result.scored[mine].reset_index(drop=True)
    return dataclasses.replace(result, load=load, scored=scored)

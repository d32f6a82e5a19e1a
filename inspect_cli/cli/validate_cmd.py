"""inspect-cli validate: every problem in every file, or OK."""

from __future__ import annotations

import typer

from inspect_cli.cli.options import (
    ForcesOpt,
    FrameworkOpt,
    InputsArg,
    TableOrJson,
    TableOrJsonOpt,
)
from inspect_cli.cli.runtime import (
    cli_errors,
    current_limits,
    err,
    out,
    print_json,
    progress,
)
from inspect_cli.render.text.plain import say


def validate(
    inputs: InputsArg,
    framework: FrameworkOpt = "ncpi-2014",
    format: TableOrJsonOpt = TableOrJson.table,
    forces: ForcesOpt = None,
) -> None:
    """Check case files against a framework and list every problem found.

    Each problem names the file, sheet, row (as Excel shows it) and column, what was
    found and what was expected. Exit code 0: no errors (notes and warnings may be
    listed); 1: errors found; 2: the command was used wrongly.

    Example: [bold]inspect-cli validate sample_cases/[/bold]
    """
    with cli_errors():
        from inspect_cli.frameworks import resolve_framework
        from inspect_cli.load import load_cases
        from inspect_cli.render.contracts import dumps, validation_json
        from inspect_cli.render.text.problems import print_problems, summary_line

        fw = resolve_framework(framework)
        with progress("Checking") as on_file:
            result = load_cases(inputs, fw, current_limits(), on_file, forces=forces)
        if format is TableOrJson.json:
            print_json(dumps(validation_json(result)))
        else:
            if result.problems:
                print_problems(err, result.problems)
            say(out if result.ok else err, summary_line(result))
        if not result.ok:
            raise typer.Exit(1)

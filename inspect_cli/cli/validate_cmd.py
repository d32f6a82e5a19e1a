"""inspect-cli validate: every problem in every file, or OK."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from inspect_cli.cli.options import (
    AnnotateOpt,
    ForcesOpt,
    FrameworkOpt,
    InputsArg,
    OutputOpt,
    OverwriteOpt,
    RecursiveOpt,
    SheetOpt,
    SkipSheetOpt,
    TableOrJson,
    TableOrJsonOpt,
)
from inspect_cli.cli.runtime import (
    check_outputs,
    cli_errors,
    current_limits,
    out,
    print_json,
    progress,
    write_output,
)
from inspect_cli.errors import UsageError
from inspect_cli.render.text.plain import plain

if TYPE_CHECKING:
    from inspect_cli.load import LoadResult

FILE_FORMATS = ("xlsx", "csv", "json")


def validate(
    inputs: InputsArg,
    framework: FrameworkOpt = "ncpi-2014",
    format: TableOrJsonOpt = TableOrJson.table,
    forces: ForcesOpt = None,
    output: OutputOpt = None,
    annotate: AnnotateOpt = None,
    overwrite: OverwriteOpt = False,
    sheets: SheetOpt = None,
    skip_sheets: SkipSheetOpt = None,
    recursive: RecursiveOpt = False,
) -> None:
    """Check case files against a framework and list every problem found.

    Each problem names the file, sheet, row (as Excel shows it) and column, what was
    found and what was expected, in that order (file, sheet, row, column). The table
    goes to standard output, so `> problems.txt` keeps it, uncut. -o writes every
    problem to an xlsx, csv or json file; --annotate DIR writes a copy of each
    workbook with its problem cells marked. Exit code 0: no errors (notes and
    warnings may be listed); 1: errors found; 2: the command was used wrongly.

    Example: [bold]inspect-cli validate sample_cases/ -o problems.xlsx[/bold]
    """
    with cli_errors():
        from inspect_cli.frameworks import resolve_framework
        from inspect_cli.load import Selection, load_cases

        fmt = _file_format(output)
        copies: list[Path] = []
        if annotate is not None:
            from inspect_cli.cli.annotating import planned_copies

            copies = planned_copies(inputs, annotate)
        # A folder still to be made holds no file to replace: its copies are checked as written.
        checked = copies if annotate is not None and annotate.exists() else []
        protected = check_outputs(
            inputs, overwrite, output, *checked, framework=framework, register=forces
        )
        fw = resolve_framework(framework)
        with progress("Checking") as on_file:
            result = load_cases(
                inputs,
                fw,
                current_limits(),
                on_file,
                forces=forces,
                selection=Selection.of(sheets, skip_sheets, recursive),
            )
        from inspect_cli.pipeline import checked_load

        result = checked_load(result)  # and the problems only a case's score shows
        _show(result, format, listed=output is None)
        if output is not None:
            _write_list(result, output, fmt, protected, overwrite, framework)
        if annotate is not None:
            from inspect_cli.cli.annotating import write_copies

            write_copies(result, annotate, protected, overwrite)
        if not result.ok:
            raise typer.Exit(1)


def _file_format(output: Path | None) -> str | None:
    """The format of -o, from its extension; checked before anything is read."""
    if output is None:
        return None
    fmt = output.suffix.lower().lstrip(".")
    if fmt not in FILE_FORMATS:
        raise UsageError(
            f"-o {output}: unknown problems file format {fmt or '(no extension)'!r}",
            details=(f"end the name with one of: {', '.join('.' + f for f in FILE_FORMATS)}",),
        )
    return fmt


def _show(result: LoadResult, format: TableOrJson, *, listed: bool) -> None:
    """JSON, or the table (not when -o holds the list) and the summary, on stdout."""
    from inspect_cli.render.contracts import dumps
    from inspect_cli.render.problems_out import problems_json
    from inspect_cli.render.text.problems import print_problem_list, summary_line

    if format is TableOrJson.json:
        print_json(dumps(problems_json(result)))
        return
    if result.problems and listed:
        print_problem_list(out, result.problems)
    out.print(plain(summary_line(result)), soft_wrap=True)  # one line, never wrapped


def _write_list(
    result: LoadResult,
    output: Path,
    fmt: str | None,
    protected: list[Path],
    overwrite: bool,
    framework: str,
) -> None:
    from inspect_cli.provenance import provenance_for
    from inspect_cli.render import problems_out as po

    rows = provenance_for(result.framework, result, {"framework": framework}).rows()
    writers = {
        "xlsx": lambda tmp: po.write_problems_xlsx(result.problems, tmp, rows),
        "csv": lambda tmp: po.write_problems_csv(result.problems, tmp),
        "json": lambda tmp: po.write_problems_json(result, tmp),
    }
    write_output(output, protected, overwrite, writers[str(fmt)])

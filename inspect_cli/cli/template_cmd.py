"""inspect-cli template: a blank audit workbook for a force to fill in."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from inspect_cli.cli.options import FrameworkArg, OverwriteOpt
from inspect_cli.cli.runtime import check_outputs, cli_errors, write_output


def template(
    framework: FrameworkArg,
    output: Annotated[Path, typer.Option("--output", "-o", help="The .xlsx file to write.")],
    force: Annotated[
        str | None, typer.Option("--force", help="Police force name to put in the title.")
    ] = None,
    overwrite: OverwriteOpt = False,
) -> None:
    """Write a blank case audit workbook: headers, drop-down answers, guidance.

    A filled-in template loads with no column mapping.

    Example: [bold]inspect-cli template ncpi-2014 -o audit.xlsx --force "Force C"[/bold]
    """
    with cli_errors():
        from inspect_cli.errors import UsageError
        from inspect_cli.frameworks import resolve_framework
        from inspect_cli.template import write_template

        if output.suffix.lower() != ".xlsx":
            raise UsageError(f"{output}: a template is an Excel workbook; give a .xlsx file name")
        protected = check_outputs([], overwrite, output, framework=framework)
        fw = resolve_framework(framework)
        write_output(output, protected, overwrite, lambda tmp: write_template(fw, tmp, force=force))

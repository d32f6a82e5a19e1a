"""inspect-cli template: a blank audit workbook for a force to fill in."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from inspect_cli.cli.options import ForcesOpt, FrameworkArg, OverwriteOpt
from inspect_cli.cli.runtime import check_outputs, cli_errors, current_limits, err, write_output


def template(
    framework: FrameworkArg,
    output: Annotated[Path, typer.Option("--output", "-o", help="The .xlsx file to write.")],
    force: Annotated[
        str | None,
        typer.Option(
            "--force",
            help="The police force auditing: in the title, and the only answer the Force "
            "column accepts (a drop-down of one).",
        ),
    ] = None,
    overwrite: OverwriteOpt = False,
    forces: ForcesOpt = None,
) -> None:
    """Write a blank case audit workbook: headers, drop-down answers, guidance.

    A filled-in template loads with no column mapping. With --forces, the Force
    column is a drop-down of the register's forces (with --force too: that force,
    by its listed name). It prints landscape, one page wide, with the stage band and
    header on every page.

    Example: [bold]inspect-cli template ncpi-2014 -o audit.xlsx --force "Force C"[/bold]
    """
    with cli_errors():
        from inspect_cli.errors import UsageError
        from inspect_cli.frameworks import resolve_framework
        from inspect_cli.template import write_template

        if output.suffix.lower() != ".xlsx":
            raise UsageError(f"{output}: a template is an Excel workbook; give a .xlsx file name")
        protected = check_outputs([], overwrite, output, framework=framework, register=forces)
        fw = resolve_framework(framework)
        names = _force_names(force, forces)
        title = names[0] if force and names else force
        write_output(
            output,
            protected,
            overwrite,
            lambda tmp: write_template(fw, tmp, force=title, forces=names),
        )


def _force_names(force: str | None, register_path: Path | None) -> tuple[str, ...]:
    """The names the Force column accepts: ``force``, or the register's (just ``force``,
    as the register lists it, when both are given)."""
    if register_path is None:
        return (force,) if force and force.strip() else ()
    from inspect_cli.errors import UsageError
    from inspect_cli.load import Register, read_register
    from inspect_cli.render.text.problems import print_problems

    register = read_register(register_path, current_limits())
    if not isinstance(register, Register):
        print_problems(err, register)
        raise typer.Exit(1)
    if force is None:
        return register.canonical
    listed = register.lookup(force)
    if listed is None:
        near = register.closest(force)
        hint = (f"closest listed: {', '.join(near)}",) if near else ()
        raise UsageError(
            f"--force {force!r} is not in the force register {register_path}", details=hint
        )
    return (listed,)

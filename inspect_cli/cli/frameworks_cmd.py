"""inspect-cli frameworks list | show | schema | check."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.text import Text

from inspect_cli.cli.options import (
    FrameworkArg,
    OutputOpt,
    OverwriteOpt,
    TableOrJson,
    TableOrJsonOpt,
)
from inspect_cli.cli.runtime import check_outputs, cli_errors, err, out, print_json
from inspect_cli.render.text.plain import say


def list_frameworks(format: TableOrJsonOpt = TableOrJson.table) -> None:
    """List the frameworks that ship with the tool, with their versions.

    Example: [bold]inspect-cli frameworks list[/bold]
    """
    with cli_errors():
        from inspect_cli.frameworks import shipped_frameworks
        from inspect_cli.render.text.frameworks import print_framework_list

        infos = shipped_frameworks()
        if format is TableOrJson.json:
            from inspect_cli.render.contracts import dumps

            print_json(dumps([{"id": i.id, "version": i.version, "title": i.title} for i in infos]))
        else:
            print_framework_list(out, infos)


def show(framework: FrameworkArg, format: TableOrJsonOpt = TableOrJson.table) -> None:
    """Show a framework: stages, indicators, scales, grades and scoring rules.

    Example: [bold]inspect-cli frameworks show ncpi-2014 --format json[/bold]
    """
    with cli_errors():
        from inspect_cli.frameworks import framework_to_dict, resolve_framework
        from inspect_cli.render.text.frameworks import print_framework

        fw = resolve_framework(framework)
        if format is TableOrJson.json:
            from inspect_cli.render.contracts import SCHEMA_VERSION, dumps

            print_json(dumps({"schema_version": SCHEMA_VERSION, **framework_to_dict(fw)}))
        else:
            print_framework(out, fw)


def schema(output: OutputOpt = None, overwrite: OverwriteOpt = False) -> None:
    """Print the JSON Schema for framework files (editors use it to check them).

    Example: [bold]inspect-cli frameworks schema -o framework.schema.json[/bold]
    """
    with cli_errors():
        from inspect_cli.frameworks import json_schema
        from inspect_cli.render.contracts import dumps
        from inspect_cli.safe_write import write_text_atomic

        text = dumps(json_schema(), sort_keys=True)
        if output is None:
            print_json(text)
        else:
            check_outputs([], overwrite, output)
            write_text_atomic(output, text)
            say(err, f"wrote {output}")


def check(
    path: Annotated[
        Path, typer.Argument(help="The framework .yaml file to check.", metavar="FILE")
    ],
) -> None:
    """Check a framework file: its structure, and that scoring is sane (best answers
    everywhere give good, middle adequate, worst inadequate).

    Example: [bold]inspect-cli frameworks check my-framework.yaml[/bold]
    """
    with cli_errors():
        from inspect_cli.frameworks import resolve_framework
        from inspect_cli.sanity import check_sanity

        fw = resolve_framework(path)
        failures = check_sanity(fw)
        for f in failures:
            say(
                err,
                Text.assemble(
                    ("error:", "bold red"),
                    f" {f.cases} case(s) answering the {f.answer} answer "
                    f"everywhere were graded {f.got}, not {f.expected}; e.g. {f.example_reason}",
                ),
            )
        if failures:
            raise typer.Exit(1)
        say(
            out,
            f"OK: {fw.id} {fw.version}: {len(fw.stages)} stages, {len(fw.indicators)} indicators; "
            "best answers give good, middle adequate, worst inadequate",
        )

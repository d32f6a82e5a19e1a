"""What every command shares: consoles, error handling, common options, outputs."""

from __future__ import annotations

import contextlib
import enum
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.text import Text

from inspect_cli.errors import InspectError
from inspect_cli.render.plain import say

# Text from case files is never markup (see render.plain); these settings are the
# second guard, for anything printed as a plain string.
out = Console(highlight=False, soft_wrap=False, markup=False, emoji=False)
err = Console(stderr=True, highlight=False, markup=False, emoji=False)

INTERNAL_ERROR = 70


class TableOrJson(enum.StrEnum):
    table = "table"
    json = "json"


_debug = {"on": bool(os.environ.get("INSPECT_CLI_DEBUG"))}


def set_debug(on: bool) -> None:
    _debug["on"] = _debug["on"] or on


_quiet = {"on": False}


def set_quiet(on: bool) -> None:
    _quiet["on"] = on


@contextlib.contextmanager
def progress(action: str) -> Iterator[Callable[[int, int, str], None]]:
    """A progress bar on stderr while files are read, then a spinner for ``action``.

    Silent with --quiet and when stderr is not a terminal (a pipe, a file, CI), so
    it never mixes into output that a program reads.
    """
    if _quiet["on"] or not err.is_terminal:
        yield lambda number, total, name: None
        return
    from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn

    bar = Progress(
        SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), console=err, transient=True
    )
    task = bar.add_task(action, total=None)

    def on_file(number: int, total: int, name: str) -> None:
        text = f"Reading {name} ({number} of {total})"
        bar.update(task, total=total, completed=number - 1, description=text)
        bar.refresh()

    with bar:
        yield on_file
        bar.reset(task, total=None, description=action)  # a spinner while the rest runs


_limits: dict[str, int] = {}


def set_limits(**limits: int | None) -> None:
    """Safety limits given on the command line (see inspect_cli.read.Limits)."""
    _limits.clear()
    _limits.update({k: v for k, v in limits.items() if v is not None})


def current_limits() -> Any:
    from inspect_cli.read import Limits

    return Limits(**_limits)


@contextlib.contextmanager
def cli_errors() -> Iterator[None]:
    """Errors become a message and an exit code; a traceback only with --debug."""
    try:
        yield
    except InspectError as exc:
        err.print(Text("error: ", style="bold red") + Text(exc.message), highlight=False)
        for line in exc.details:
            say(err, f"  {line}")
        raise typer.Exit(exc.exit_code) from None
    except (typer.Exit, typer.Abort, KeyboardInterrupt):
        raise
    except Exception as exc:
        if _debug["on"]:
            raise
        say(
            err,
            Text.assemble(
                ("internal error:", "bold red"),
                f" {type(exc).__name__}. This is a bug in "
                "inspect-cli, not in your data. Run again with --debug for details and report it.",
            ),
        )
        raise typer.Exit(INTERNAL_ERROR) from None


FrameworkOpt = Annotated[
    str,
    typer.Option(
        "--framework",
        help="Framework id (see 'frameworks list') or path to a framework .yaml file.",
        show_default=True,
    ),
]
OutputOpt = Annotated[
    Path | None,
    typer.Option("--output", "-o", help="Write to this file; the format follows its extension."),
]
OverwriteOpt = Annotated[
    bool, typer.Option("--overwrite", help="Replace the output file if it already exists.")
]
InputsArg = Annotated[
    list[Path],
    typer.Argument(help="Case files (.xlsx, .xlsm, .csv) or folders of them.", show_default=False),
]


def pick_format(
    output: Path | None, given: str | None, allowed: tuple[str, ...], default: str
) -> str:
    """--format wins; otherwise the output's extension; otherwise the default."""
    suffix = output.suffix.lower().lstrip(".") if output is not None else ""
    if given and suffix in allowed and suffix != given.lower():
        from inspect_cli.errors import UsageError

        raise UsageError(f"--format {given} does not match the output file name {output}")
    if given:
        fmt = given.lower()
    elif output is not None:
        fmt = output.suffix.lower().lstrip(".")
    else:
        fmt = default
    if fmt not in allowed:
        from inspect_cli.errors import UsageError

        raise UsageError(
            f"unknown output format {fmt!r}", details=(f"choose one of: {', '.join(allowed)}",)
        )
    return fmt


def write_output(
    target: Path, inputs: list[Path], overwrite: bool, write: Callable[[Path], None]
) -> None:
    from inspect_cli.load import expand_inputs
    from inspect_cli.safe_write import check_target, write_atomic

    files, _ = expand_inputs(inputs)
    check_target(target, [*inputs, *files], force=overwrite)
    with progress(f"Writing {target.name}"):
        write_atomic(target, write)
    say(err, f"wrote {target}")


def print_json(text: str) -> None:
    sys.stdout.write(text if text.endswith("\n") else text + "\n")

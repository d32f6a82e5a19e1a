"""The inspect-cli command line: one small module per command.

Commands parse arguments, call the core, print or write the result and pick the
exit code: 0 success, 1 a problem with the data or files, 2 a usage mistake.
Heavy libraries (pandas, openpyxl, jinja2) are imported inside commands so that
``--help`` stays fast.
"""

from __future__ import annotations

import gc
import os
from typing import Annotated

import typer

from inspect_cli import __version__
from inspect_cli.cli import _common

app = typer.Typer(
    name="inspect-cli",
    help="Score child-protection case audits against an inspection framework, and report.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"inspect-cli {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
    debug: Annotated[
        bool, typer.Option("--debug", help="Show tracebacks on internal errors.")
    ] = False,
    quiet: Annotated[
        bool,
        typer.Option("--quiet", "-q", help="No progress bars (never shown in pipes or files)."),
    ] = False,
    max_rows: Annotated[
        int | None,
        typer.Option("--max-rows", help="Refuse sheets with more rows (default 1,048,576)."),
    ] = None,
    max_columns: Annotated[
        int | None,
        typer.Option("--max-columns", help="Refuse sheets with more columns (default 1,000)."),
    ] = None,
    max_cells: Annotated[
        int | None,
        typer.Option(
            "--max-cells", help="Refuse sheets whose cells span more (default 60,000,000)."
        ),
    ] = None,
    max_mb: Annotated[
        int | None,
        typer.Option(
            "--max-mb", help="Refuse files that unpack to more megabytes (default 2,048)."
        ),
    ] = None,
) -> None:
    """Score child-protection case audits against an inspection framework, and report.

    Example: [bold]inspect-cli score sample_cases/ -o scored.xlsx[/bold]
    """
    _common.set_debug(debug)
    _common.set_quiet(quiet)
    _common.set_limits(
        max_rows=max_rows, max_columns=max_columns, max_cells=max_cells, max_total_mb=max_mb
    )


# Registration happens on import; each module adds its command(s) to ``app``.
from inspect_cli.cli import (  # noqa: E402
    frameworks_cmd,
    moderate_cmd,
    report_cmd,
    sample_cmd,
    score_cmd,
    template_cmd,
    trend_cmd,
    validate_cmd,
)

__all__ = [
    "app",
    "frameworks_cmd",
    "main",
    "moderate_cmd",
    "report_cmd",
    "sample_cmd",
    "score_cmd",
    "template_cmd",
    "trend_cmd",
    "validate_cmd",
]


def main() -> None:
    # A run imports about a thousand modules but makes little cyclic garbage; at the
    # default threshold (700) the collector runs ~240 times in a small report, mostly
    # re-walking just-imported objects. Larger generations save ~50 ms; big inputs
    # live in arrays, which the collector does not track.
    gc.set_threshold(50_000, 20, 20)
    # Starting OpenBLAS's worker threads when numpy is imported costs ~60 ms on two
    # cores; the tool's matrices are tiny, so one thread loses nothing. A user's own
    # setting wins.
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    try:
        app()
    finally:
        # What is left lives until exit: freezing it spares the shutdown collections
        # from walking pandas', pyarrow's and pydantic's objects (~0.2 s). atexit
        # handlers, flushing and closing still run as usual.
        gc.freeze()

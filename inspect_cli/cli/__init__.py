"""The inspect-cli command line: one small module per command, registered here.

Commands parse arguments, call the core, print or write the result and pick the
exit code: 0 success, 1 a problem with the data or files, 2 a usage mistake.
Command modules never import this package's ``app`` or each other; heavy libraries
(pandas, openpyxl, jinja2) are imported inside commands so that ``--help`` stays fast.
"""

from __future__ import annotations

import gc
import os
from typing import Annotated

import typer

from inspect_cli import __version__
from inspect_cli.cli import runtime
from inspect_cli.cli.examples_cmd import examples
from inspect_cli.cli.frameworks_cmd import check, list_frameworks, schema, show
from inspect_cli.cli.moderate_cmd import moderate
from inspect_cli.cli.parsing import Command, Group, RootGroup
from inspect_cli.cli.pipes import flush_at_exit
from inspect_cli.cli.publish_cmd import publish
from inspect_cli.cli.referrals_cmd import referrals
from inspect_cli.cli.report_cmd import thematic
from inspect_cli.cli.report_force_cmd import force
from inspect_cli.cli.sample_cmd import sample
from inspect_cli.cli.score_cmd import score
from inspect_cli.cli.template_cmd import template
from inspect_cli.cli.trend_cmd import trend
from inspect_cli.cli.validate_cmd import validate

app = typer.Typer(
    name="inspect-cli",
    help="Score child-protection case audits against an inspection framework, and report.",
    no_args_is_help=True,
    cls=RootGroup,
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
    max_sheets: Annotated[
        int | None,
        typer.Option("--max-sheets", help="Refuse workbooks with more sheets (default 300)."),
    ] = None,
) -> None:
    """Score child-protection case audits against an inspection framework, and report.

    Example: [bold]inspect-cli score sample_cases/ -o scored.xlsx[/bold]
    """
    runtime.set_debug(debug)
    runtime.set_quiet(quiet)
    runtime.set_limits(
        max_rows=max_rows,
        max_columns=max_columns,
        max_cells=max_cells,
        max_total_mb=max_mb,
        max_sheets=max_sheets,
    )


frameworks_app = typer.Typer(
    help="List, show and check assessment frameworks.", no_args_is_help=True, cls=Group
)
frameworks_app.command("list", cls=Command)(list_frameworks)
frameworks_app.command("show", cls=Command)(show)
frameworks_app.command("schema", cls=Command)(schema)
frameworks_app.command("check", cls=Command)(check)

report_app = typer.Typer(
    help="Force-level and cross-force (thematic) reports.", no_args_is_help=True, cls=Group
)
report_app.command("thematic", cls=Command)(thematic)
report_app.command("force", cls=Command)(force)
report_app.command("publish", cls=Command)(publish)

# In the order `inspect-cli --help` lists them: the order of the work.
app.add_typer(frameworks_app, name="frameworks")
app.command(cls=Command)(sample)
app.command(cls=Command)(template)
app.command(cls=Command)(validate)
app.command(cls=Command)(score)
app.add_typer(report_app, name="report")
app.command(cls=Command)(moderate)
app.command(cls=Command)(referrals)
app.command(cls=Command)(examples)
app.command(cls=Command)(trend)

__all__ = ["app", "main"]


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
        flush_at_exit()

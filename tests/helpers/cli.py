"""The one way tests run the command line: in process, wide, without colour."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner, Result

from inspect_cli.cli import app

# Wide enough that no table wraps a name; NO_COLOR so output compares as plain text.
runner = CliRunner(env={"COLUMNS": "300", "NO_COLOR": "1"})


def invoke(*args: str | Path) -> Result:
    """Run ``inspect-cli ARGS...``; the result has exit_code, stdout and stderr."""
    return runner.invoke(app, [str(a) for a in args])

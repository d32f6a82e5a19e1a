"""Start-up stays light: heavy libraries load only in the commands that use them."""

from __future__ import annotations

import subprocess
import sys

import pytest

# Each costs from a few hundred milliseconds (pandas with numpy and pyarrow) down to
# tens (jinja2), paid by every run that imports it.
HEAVY = ("pandas", "numpy", "pyarrow", "openpyxl", "xlsxwriter", "jinja2", "scipy", "statsmodels")

# Runs the command in a fresh interpreter, then prints the modules it imported.
PROBE = """
import sys
from inspect_cli.cli import app
try:
    app(sys.argv[1:])
except SystemExit:
    pass
sys.stderr.write("\\nMODULES " + " ".join(sorted(sys.modules)) + "\\n")
"""


def _imported(*args: str) -> set[str]:
    proc = subprocess.run(
        [sys.executable, "-c", PROBE, *args], capture_output=True, text=True, check=False
    )
    line = next(x for x in proc.stderr.splitlines() if x.startswith("MODULES "))
    return {name.split(".")[0] for name in line.split()[1:]}


@pytest.mark.parametrize(
    "args",
    [("--help",), ("--version",), ("report", "thematic", "--help"), ("frameworks", "list")],
    ids=" ".join,
)
def test_light_commands_import_no_heavy_library(args: tuple[str, ...]) -> None:
    assert not _imported(*args) & set(HEAVY)


def test_help_does_not_import_pydantic() -> None:
    # pydantic is only needed once a command's arguments are converted or a framework loads.
    assert "pydantic" not in _imported("--help")

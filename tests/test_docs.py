"""Every command, option and problem code is documented (after sqlite-utils'
tests/test_docs.py): a new one without docs fails here."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
import typer

from inspect_cli import problems
from inspect_cli.cli import app

from .conftest import ROOT

CLI_DOC = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
FORMAT_DOC = (ROOT / "docs" / "workbook-format.md").read_text(encoding="utf-8")


# typer vendors click (typer._click): commands and groups are found by their shape.
def _commands() -> Iterator[tuple[str, Any]]:
    root = typer.main.get_command(app)

    def walk(prefix: str, command: Any) -> Iterator[tuple[str, Any]]:
        if hasattr(command, "commands"):
            for name, sub in command.commands.items():
                yield from walk(f"{prefix} {name}".strip(), sub)
        else:
            yield prefix, command

    yield from walk("", root)


COMMANDS = dict(_commands())


def _section(name: str) -> str:
    """The part of docs/cli.md headed '## inspect-cli NAME', up to the next '## '."""
    match = re.search(rf"^## inspect-cli {re.escape(name)}\n(.*?)(?=^## |\Z)", CLI_DOC, re.S | re.M)
    assert match, f"docs/cli.md has no section '## inspect-cli {name}'"
    return match.group(1)


def test_the_command_tree_is_walked() -> None:
    assert {"score", "report thematic", "frameworks list", "sample", "trend"} <= set(COMMANDS)


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_command_is_documented(name: str) -> None:
    _section(name)
    assert f"`inspect-cli {name}`" in CLI_DOC.split("## Things every command shares")[0], (
        f"'inspect-cli {name}' is missing from the table at the top of docs/cli.md"
    )


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_option_is_documented(name: str) -> None:
    section = _section(name)
    shared = _section_of_shared_options()
    for param in COMMANDS[name].params:
        if not _is_option(param) or "--help" in param.opts:
            continue
        spelt = [opt for opt in param.opts if opt in section or opt in shared]
        assert spelt, f"{param.opts} of 'inspect-cli {name}' is not in its section of docs/cli.md"


def _is_option(param: Any) -> bool:
    return bool(param.param_type_name == "option")


def _section_of_shared_options() -> str:
    start = CLI_DOC.index("## Things every command shares")
    return CLI_DOC[start : CLI_DOC.index("\n## inspect-cli", start)]


def test_every_global_option_is_documented() -> None:
    shared = _section_of_shared_options()
    for param in typer.main.get_command(app).params:
        if _is_option(param) and "--help" not in param.opts:
            assert max(param.opts, key=len) in shared, param.opts


CODES = sorted(
    {value.code for value in vars(problems).values() if isinstance(value, problems.ProblemType)}
)


def test_the_catalogue_is_found() -> None:
    assert len(CODES) > 30


@pytest.mark.parametrize("code", CODES)
def test_every_problem_code_is_documented(code: str) -> None:
    assert f"`{code}`" in FORMAT_DOC, f"problem code {code} is not in docs/workbook-format.md"


def test_no_code_is_reused_with_another_meaning() -> None:
    types = [v for v in vars(problems).values() if isinstance(v, problems.ProblemType)]
    by_code: dict[str, set[str]] = {}
    for t in types:
        by_code.setdefault(t.code, set()).add(t.template)
    assert {c: m for c, m in by_code.items() if len(m) > 1} == {}


def test_every_problem_type_is_defined_in_the_catalogue() -> None:
    """No module outside the catalogue (inspect_cli/problems/) makes a ProblemType, or
    imports the class to make one under another name (a second catalogue drifts)."""
    catalogue = ROOT / "inspect_cli" / "problems"
    makers = []
    for path in (ROOT / "inspect_cli").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        if catalogue not in path.parents and re.search(r"ProblemType\(|ProblemType as ", text):
            makers.append(str(path.relative_to(ROOT)))
    assert makers == []
    parts = [p for p in catalogue.glob("*.py") if p.name not in ("__init__.py", "model.py")]
    assert parts and all("ProblemType as _t" in p.read_text(encoding="utf-8") for p in parts)

"""The layout keeps its rules: small modules, no import cycle (function-local imports
included), no private name imported across modules, commands independent."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from .conftest import ROOT

PACKAGE = ROOT / "inspect_cli"
MODULES = {
    ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__"): path
    for path in sorted(PACKAGE.rglob("*.py"))
}
TESTS = sorted((ROOT / "tests").rglob("*.py"))


def _type_only(tree: ast.Module) -> set[int]:
    """ids of the import nodes under ``if TYPE_CHECKING:`` (never run)."""
    skip: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and any(
            getattr(part, "id", getattr(part, "attr", None)) == "TYPE_CHECKING"
            for part in ast.walk(node.test)
        ):
            skip |= {id(inner) for stmt in node.body for inner in ast.walk(stmt)}
    return skip


def _imports(path: Path, name: str, *, run_only: bool = False) -> list[tuple[str, list[str]]]:
    """(module imported, names taken from it) for every import in the file, at any
    depth; with ``run_only``, not those that only type checkers read."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = _type_only(tree) if run_only else set()
    found = []
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.Import):
            found += [(alias.name, []) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parts, base] if base else parts)
            found.append((base, [alias.name for alias in node.names]))
    return found


def _target(module: str, names: list[str]) -> list[str]:
    """The project modules an import statement runs: a submodule taken by name counts."""
    out = [module] if module in MODULES else []
    out += [f"{module}.{n}" for n in names if f"{module}.{n}" in MODULES]
    return out


GRAPH = {
    name: sorted(
        {t for m, names in _imports(path, name, run_only=True) for t in _target(m, names)} - {name}
    )
    for name, path in MODULES.items()
}


def test_no_module_is_over_500_lines() -> None:
    long = {n: len(p.read_text(encoding="utf-8").splitlines()) for n, p in MODULES.items()}
    assert {n: lines for n, lines in long.items() if lines > 500} == {}


def test_every_command_module_is_small() -> None:
    commands = {n: p for n, p in MODULES.items() if n.endswith("_cmd")}
    assert len(commands) >= 8
    sizes = {n: len(p.read_text(encoding="utf-8").splitlines()) for n, p in commands.items()}
    assert {n: lines for n, lines in sizes.items() if lines > 200} == {}


def test_commands_import_neither_the_app_nor_each_other() -> None:
    for name, targets in GRAPH.items():
        if name.endswith("_cmd"):
            assert "inspect_cli.cli" not in targets, name
            assert not [t for t in targets if t.endswith("_cmd")], name


def _cycle() -> list[str] | None:
    """A cycle among the modules' imports (a package counts as importing what its
    ``__init__`` imports, and importing a submodule first runs its parents)."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in GRAPH.get(node, []):
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt) :], nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        state[node] = 2
        stack.pop()
        return None

    for node in GRAPH:
        if node not in state and (found := visit(node)):
            return found
    return None


def test_no_import_cycle_even_through_function_local_imports() -> None:
    assert _cycle() is None


def _private_imports(path: Path, name: str) -> list[str]:
    bad = []
    for module, names in _imports(path, name):
        if module.startswith("inspect_cli") and module != name:
            bad += [f"{module}.{n}" for n in names if n.startswith("_") and n != "__version__"]
    return bad


@pytest.mark.parametrize(
    "path", [*MODULES.values(), *TESTS], ids=lambda p: str(p.relative_to(ROOT))
)
def test_no_private_name_is_imported_across_modules(path: Path) -> None:
    name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
    assert _private_imports(path, name) == []


def test_no_test_module_imports_another() -> None:
    for path in TESTS:
        for module, names in _imports(path, ".".join(path.relative_to(ROOT).with_suffix("").parts)):
            taken = [module, *(f"{module}.{n}" for n in names)]
            assert not [m for m in taken if m.split(".")[-1].startswith("test_")], path

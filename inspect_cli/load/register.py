"""The force register (``--forces FILE``): each force's canonical name and its aliases.

A CSV (read through the safe reader) with the columns ``force,alias`` (one alias a
row; a row without an alias lists the name alone) or ``name,aliases`` (aliases
separated by ``;`` or ``|``), or a YAML mapping of canonical name → list of aliases.
Names and aliases match by identity key (:func:`inspect_cli.identity.force_key`).
A register that cannot be read, or that gives one alias to two forces, is refused
with problems located by file and row (CSV) or line (YAML).
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from inspect_cli import problems as P
from inspect_cli.identity import force_key, shown, tidy_name
from inspect_cli.problems import Problem
from inspect_cli.read import Limits, ReadFailure, read_file

MAX_YAML_BYTES = 1_000_000
MAX_YAML_NODES = 100_000
_SPLIT = re.compile(r"[;|]")
_COLUMNS = {("force", "alias"), ("name", "aliases")}


@dataclass(frozen=True)
class Register:
    """Identity key of every name and alias → the canonical name."""

    file: str
    names: dict[str, str]
    canonical: tuple[str, ...]

    def lookup(self, name: str) -> str | None:
        return self.names.get(force_key(name))

    def closest(self, name: str) -> list[str]:
        """The listed forces whose name or an alias is nearest ``name`` (difflib)."""
        near = difflib.get_close_matches(force_key(name), list(self.names), n=6, cutoff=0.5)
        return list(dict.fromkeys(self.names[k] for k in near))[:3]


class _Builder:
    def __init__(self, file: str) -> None:
        self.file = file
        self.names: dict[str, str] = {}
        self.where: dict[str, str] = {}
        self.canonical: list[str] = []
        self.problems: list[Problem] = []

    def bad(self, detail: str, row: int | None = None) -> None:
        self.problems.append(P.BAD_FORCE_REGISTER.at(self.file, row=row, detail=detail))

    def add(self, name: str, aliases: list[str], at: int, unit: str = "row") -> None:
        """One force and its aliases, from row (CSV) or line (YAML) ``at``."""
        row = at if unit == "row" else None
        said = "" if row else f"{unit} {at}: "
        name = tidy_name(name)
        if not name:
            self.bad(f"{said}a force name is blank", row)
            return
        if name not in self.canonical:
            self.canonical.append(name)
        for word in [name, *(tidy_name(a) for a in aliases)]:
            if not word:
                continue
            key = force_key(word)
            other = self.names.setdefault(key, name)
            self.where.setdefault(key, f"{unit} {at}")
            if other != name:
                self.bad(
                    f"{said}{shown(word)} is given to {other!r} ({self.where[key]}) and to "
                    f"{name!r}; an alias names one force",
                    row,
                )

    def result(self) -> Register | list[Problem]:
        if not self.problems and not self.canonical:
            self.bad("the register lists no force")
        if self.problems:
            return self.problems
        return Register(self.file, self.names, tuple(self.canonical))


def read_register(path: Path, limits: Limits | None = None) -> Register | list[Problem]:
    """The register in ``path``, or the problems that make it unusable."""
    if path.suffix.lower() in (".yaml", ".yml"):
        return _read_yaml(path)
    if path.suffix.lower() != ".csv":
        return [
            P.BAD_FORCE_REGISTER.at(
                path.name, detail="a force register is a .csv, .yaml or .yml file"
            )
        ]
    try:
        raw = read_file(path, limits or Limits())
    except ReadFailure as failure:
        return [P.BAD_FORCE_REGISTER.at(path.name, detail=failure.problem.message)]
    build = _Builder(path.name)
    rows = raw.sheets[0].rows if raw.sheets else []
    head = tuple(str(c or "").strip().casefold() for c in (rows[0] if rows else []))
    if head[:2] not in _COLUMNS:
        build.bad(
            "the first row must name the columns 'force,alias' or 'name,aliases'; found "
            + (", ".join(repr(c) for c in head) or "nothing"),
            1,
        )
        return build.problems
    several = head[:2] == ("name", "aliases")
    for i, row in enumerate(rows[1:], start=2):
        cells = [str(c or "") for c in row]
        if not any(c.strip() for c in cells):
            continue
        alias = cells[1] if len(cells) > 1 else ""
        build.add(cells[0], _SPLIT.split(alias) if several else [alias], i)
    return build.result()


def _read_yaml(path: Path) -> Register | list[Problem]:
    """A YAML mapping name → aliases, read from its node tree (aliases never expanded)."""
    import yaml

    build = _Builder(path.name)
    try:
        data = path.read_bytes()
        if len(data) > MAX_YAML_BYTES:
            build.bad(f"over {MAX_YAML_BYTES:,} bytes; a force register is a short list")
            return build.problems
        root = yaml.compose(data.decode("utf-8-sig"), Loader=yaml.SafeLoader)
    except OSError as exc:
        build.bad(f"cannot read the file ({exc.strerror or exc})")
        return build.problems
    except UnicodeDecodeError:
        build.bad("not UTF-8 text")
        return build.problems
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f"line {mark.line + 1}: " if mark else ""
        build.bad(f"{at}not valid YAML ({getattr(exc, 'problem', None) or 'syntax'})")
        return build.problems
    if not isinstance(root, yaml.MappingNode):
        build.bad(f"line {_line(root)}: expected a mapping of force name → list of aliases")
        return build.problems
    for key, value in root.value:
        line = _line(key)
        aliases = _scalars(value)
        if not isinstance(key, yaml.ScalarNode) or aliases is None:
            build.bad(f"line {line}: each force name maps to a list of aliases (or nothing)")
            continue
        build.add(str(key.value), aliases, line or 0, unit="line")
    return build.result()


def _line(node: Any) -> int | None:
    return node.start_mark.line + 1 if node is not None else None


def _scalars(node: Any) -> list[str] | None:
    """A YAML value as a list of alias texts: null, one text or a list of texts."""
    import yaml

    if isinstance(node, yaml.ScalarNode):
        return [] if node.tag.endswith(":null") else [str(node.value)]
    if isinstance(node, yaml.SequenceNode) and len(node.value) <= MAX_YAML_NODES:
        items = [n for n in node.value if isinstance(n, yaml.ScalarNode)]
        return [str(n.value) for n in items] if len(items) == len(node.value) else None
    return None


def canonical_name(name: str | None, path: Path | None) -> str | None:
    """A force named on the command line (``--force``), through the register when it
    lists the name; as given otherwise (an unusable register is reported by the load)."""
    if name is None or path is None:
        return name
    register = read_register(path)
    found = register.lookup(name) if isinstance(register, Register) else None
    return found or name

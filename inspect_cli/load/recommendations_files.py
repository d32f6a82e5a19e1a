"""What a recommendations register file holds, before any check: the fields of each
recommendation as raw text with where each is (docs/recommendations.md).

A YAML file is read from its node tree with the safe loader, and refused if it uses
anchors or aliases (a register needs none, and they are how YAML bombs work); a
workbook's "Recommendations" sheet through :func:`inspect_cli.read.read_file` and its
safety checks. :mod:`inspect_cli.load.recommendations` checks and types the fields.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from inspect_cli import problems as P
from inspect_cli.identity import clean_text, shown
from inspect_cli.load.values import as_text
from inspect_cli.problems import Problem
from inspect_cli.read import Limits, ReadFailure, read_file
from inspect_cli.read.raw import column_letter

SHEET = "Recommendations"
KINDS = ("recommendation", "cause of concern", "area for improvement")
"""The types of finding an inspection makes, as the report and the JSON spell them."""
STATUSES = ("red", "amber", "green")
"""RAG status of the force's progress; blank: not yet assessed."""
FIELDS = (
    "id",
    "force",
    "type",
    "theme",
    "text",
    "stages",
    "indicators",
    "made",
    "action_plan_due",
    "status",
    "owner",
)
REQUIRED = ("id", "force", "type", "text", "made")
LISTS = ("stages", "indicators")
MAX_YAML_BYTES = 5_000_000
MAX_ENTRIES = 10_000
SPLIT = re.compile(r"[;,\n]")


@dataclass(frozen=True)
class Value:
    """One field's raw value and where it is: text, a list of texts, or None."""

    value: str | list[str] | None
    row: int | None
    column: str | None
    header: str
    error: str | None = None
    """An Excel error value (#N/A...) in the cell: never a valid value."""


@dataclass(frozen=True)
class Entry:
    number: int
    row: int | None
    sheet: str | None
    values: dict[str, Value]


def normal(text: str) -> str:
    """``text`` folded for matching a field name, a choice or an id: NFKC, invisible
    characters dropped (so 'R\u200b1' is a second 'R1'), case, and '_', '-' and runs of
    spaces alike."""
    folded = clean_text(text).replace("_", " ").replace("-", " ")
    return " ".join(folded.casefold().split())


# --------------------------------------------------------------------------- YAML


def yaml_entries(path: Path) -> list[Entry | Problem]:
    import yaml

    def bad(detail: str, row: int | None = None) -> list[Entry | Problem]:
        return [P.BAD_RECOMMENDATIONS_FILE.at(path.name, row=row, detail=detail)]

    try:
        data = path.read_bytes()
        if len(data) > MAX_YAML_BYTES:
            return bad(f"over {MAX_YAML_BYTES:,} bytes; too large for a register")
        loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        root = yaml.compose(data.decode("utf-8-sig"), Loader=loader)
    except OSError as exc:
        return bad(f"cannot read the file ({exc.strerror or exc})")
    except UnicodeDecodeError:
        return bad("not UTF-8 text")
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        row = mark.line + 1 if mark else None
        return bad(f"not valid YAML ({getattr(exc, 'problem', None) or 'syntax'})", row)
    if root is None:
        return bad("the file is empty")
    if _shares_nodes(root):
        return bad("YAML anchors and aliases (& and *) are not allowed in a register")
    if isinstance(root, yaml.MappingNode):
        keys = [str(k.value) for k, _ in root.value]
        if keys != ["recommendations"]:
            return bad("expected a list of recommendations, or the one key 'recommendations'", 1)
        root = root.value[0][1]
    if not isinstance(root, yaml.SequenceNode):
        return bad("expected a list of recommendations", _line(root))
    if len(root.value) > MAX_ENTRIES:
        return bad(f"more than {MAX_ENTRIES:,} recommendations")
    out: list[Entry | Problem] = []
    for number, item in enumerate(root.value, start=1):
        if not isinstance(item, yaml.MappingNode):
            out += bad(f"recommendation {number} is not a mapping of field: value", _line(item))
            continue
        values: dict[str, Value] = {}
        for key, value in item.value:
            # A key that is not plain text (a list, a mapping) is no field name; its
            # parts may be a recommendation's text, so they are never repeated.
            name = str(key.value) if isinstance(key, yaml.ScalarNode) else "(not a name)"
            if name not in FIELDS:
                out.append(unknown_field(path.name, None, _line(key), None, name))
                continue
            if name in values:  # YAML keeps the last silently: which one was meant?
                out.append(given_twice(path.name, None, _line(key), None, name, number))
                continue
            values[name] = Value(_yaml_value(value), _line(value), None, name)
        out.append(Entry(number, _line(item), None, values))
    return out


def _shares_nodes(root: Any) -> bool:
    """Whether any node is reached twice (an alias reuses its anchor's node)."""
    import yaml

    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            return True
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            stack += [part for pair in node.value for part in pair]
        elif isinstance(node, yaml.SequenceNode):
            stack += node.value
    return False


def _yaml_value(node: Any) -> str | list[str] | None:
    import yaml

    if isinstance(node, yaml.ScalarNode):
        return None if node.tag.endswith(":null") else str(node.value)
    if isinstance(node, yaml.SequenceNode):
        return [str(n.value) if isinstance(n, yaml.ScalarNode) else "" for n in node.value]
    return [""]  # a mapping: no field takes one (reported as not valid)


def _line(node: Any) -> int | None:
    return node.start_mark.line + 1 if node is not None else None


def unknown_field(
    file: str, sheet: str | None, row: int | None, column: str | None, name: str
) -> Problem:
    return P.RECOMMENDATION_UNKNOWN_FIELD.at(
        file,
        sheet,
        row=row,
        column=column,
        field=shown(name[:60]),
        fields=", ".join(FIELDS),
    )


def given_twice(
    file: str, sheet: str | None, row: int | None, column: str | None, name: str, number: int
) -> Problem:
    """A field given twice (a YAML key, a workbook column): one value would be lost."""
    return P.RECOMMENDATION_INVALID.at(
        file,
        sheet,
        row=row,
        column=column,
        header=name,
        number=number,
        field=name,
        found="given twice",
        expected="each field once",
    )


# --------------------------------------------------------------------------- workbook


def sheet_entries(path: Path, limits: Limits) -> list[Entry | Problem]:
    try:
        raw = read_file(path, limits)
    except ReadFailure as failure:
        return [P.BAD_RECOMMENDATIONS_FILE.at(path.name, detail=failure.problem.message)]
    sheet = next((s for s in raw.sheets if normal(s.name) == normal(SHEET)), None)
    if sheet is None:
        names = ", ".join(repr(s.name) for s in raw.sheets) or "none"
        detail = f"the workbook has no sheet named {SHEET!r} (its sheets: {names})"
        return [P.BAD_RECOMMENDATIONS_FILE.at(path.name, detail=detail)]
    if sheet.n_rows > MAX_ENTRIES + 1:
        detail = f"more than {MAX_ENTRIES:,} recommendations"
        return [P.BAD_RECOMMENDATIONS_FILE.at(path.name, sheet.name, detail=detail)]
    rows = sheet.rows
    head = [as_text(c) for c in (rows[0] if rows else [])]
    out: list[Entry | Problem] = []
    columns: dict[int, str] = {}
    for j, name in enumerate(head):
        if not name:
            continue
        field = normal(name).replace(" ", "_")
        if field in columns.values():  # which column's value was meant?
            first = column_letter(next(k for k, f in columns.items() if f == field))
            detail = f"the field {field} has two columns ({first} and {column_letter(j)})"
            out.append(
                P.BAD_RECOMMENDATIONS_FILE.at(
                    path.name, sheet.name, row=1, column=column_letter(j), detail=detail
                )
            )
        elif field in FIELDS:
            columns[j] = field
        else:
            out.append(unknown_field(path.name, sheet.name, 1, column_letter(j), name))
    if not columns:
        detail = "row 1 must name the fields: " + ", ".join(FIELDS)
        return [P.BAD_RECOMMENDATIONS_FILE.at(path.name, sheet.name, row=1, detail=detail)]
    number = 0
    for i, cells in enumerate(rows[1:], start=1):
        if not any(as_text(c) for c in cells):
            continue
        number += 1
        values = {}
        for j, field in columns.items():
            text = as_text(cells[j]) if j < len(cells) else ""
            error = "error" if (i, j) in sheet.error_cells else None
            values[field] = Value(text or None, i + 1, column_letter(j), head[j], error)
        out.append(Entry(number, i + 1, sheet.name, values))
    return out

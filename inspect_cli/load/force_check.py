"""Force-level judgements checked against the cases they sit beside.

A Force sheet's row judges a force of its own workbook: its force is matched, as every
force name is (:func:`inspect_cli.identity.force_key`, and through the force register
when one is given), to a force of the cases loaded from the same file, and takes that
force's spelling, so reports find it as they find the cases. A blank force means the
workbook's only force. One force's topic judged twice (in one workbook or two) is an
error at the second row. Rows in error are not loaded.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from inspect_cli import problems as P
from inspect_cli.identity import force_key
from inspect_cli.load.force_sheet import FORCE_COLUMNS, ForceJudgement
from inspect_cli.load.register import Register
from inspect_cli.problems import Problem
from inspect_cli.read import column_letter

if TYPE_CHECKING:
    import pandas as pd

MOST_FORCES_NAMED = 5


def check_judgements(
    judgements: Sequence[ForceJudgement],
    columns: dict[tuple[str, str], dict[str, int]],
    cases: pd.DataFrame,
    register: Register | None,
) -> tuple[tuple[ForceJudgement, ...], list[Problem]]:
    """The judgements with their forces spelt as the cases spell them, and the
    problems found. ``columns``: each Force sheet's (file, sheet) → column id → index,
    to place a problem at its cell; ``cases``: the loaded cases (after the forces are
    unified), with ``source_file`` and ``force``."""
    forces_of: dict[str, list[str]] = {}
    if not cases.empty and "force" in cases:
        pairs = cases[["source_file", "force"]].dropna().drop_duplicates()
        for file, force in pairs.itertuples(index=False):
            forces_of.setdefault(str(file), []).append(str(force))
    labels = {c.id: c.label for c in FORCE_COLUMNS}
    problems: list[Problem] = []
    kept: list[ForceJudgement] = []
    first: dict[tuple[str, str], ForceJudgement] = {}
    for j in judgements:
        where = columns.get((j.file, j.sheet), {})
        cell = where.get("force")
        letter = column_letter(cell) if cell is not None else None
        header = labels["force"] if cell is not None else None
        known = forces_of.get(j.file, [])
        force = _resolve(j.force, known, register)
        if force is None and not j.force:
            found = f"{len(known)} forces" if known else "no force"
            problems.append(
                P.FORCE_TOPIC_NO_FORCE.at(j.file, j.sheet, j.row, letter, header, found=found)
            )
            continue
        if force is None:
            shown = ", ".join(known[:MOST_FORCES_NAMED]) or "none"
            if len(known) > MOST_FORCES_NAMED:
                shown += f" and {len(known) - MOST_FORCES_NAMED} more"
            problems.append(
                P.FORCE_TOPIC_UNKNOWN_FORCE.at(j.file, j.sheet, j.row, letter, header, forces=shown)
            )
            continue
        key = (force_key(force), j.topic)
        if key in first:
            topic_cell = where.get("topic_id", where.get("topic_label"))
            problems.append(
                P.DUPLICATE_FORCE_TOPIC.at(
                    j.file,
                    j.sheet,
                    j.row,
                    column_letter(topic_cell) if topic_cell is not None else None,
                    labels["topic_id" if "topic_id" in where else "topic_label"],
                    topic=j.topic,
                    force=force,
                    first=first[key].where(),
                )
            )
            continue
        resolved = replace(j, force=force)
        first[key] = resolved
        kept.append(resolved)
    return tuple(kept), problems


def _resolve(name: str, known: Sequence[str], register: Register | None) -> str | None:
    """The force of ``known`` (this file's cases) that ``name`` names; blank: the only
    one. None when there is no such force."""
    if not name:
        return known[0] if len(known) == 1 else None
    canonical = register.lookup(name) if register is not None else None
    keys = {force_key(k): k for k in known}
    for candidate in (canonical, name):
        if candidate is not None and force_key(candidate) in keys:
            return keys[force_key(candidate)]
    return None

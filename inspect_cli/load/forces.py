"""One force, one name: the loaded ``force`` column unified by identity key.

Every spelling of a force (capitals, spaces, no-break spaces, invisible characters,
full-width forms) becomes the spelling most of its rows use (ties: the first seen),
so every report, match and selection sees one force. Each force spelt more than one
way gets one warning naming every spelling and where it is. Look-alike letters from
another script are an error, and so is, with a force register, a name it does not
list. Work is per distinct spelling (a handful), never per row.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from inspect_cli import problems as P
from inspect_cli.identity import (
    force_key,
    lookalike_letters,
    pick_display,
    shown,
    skeleton,
    tidy_name,
)
from inspect_cli.load.register import Register
from inspect_cli.problems import Problem

if TYPE_CHECKING:
    import pandas as pd

MAX_ROWS_SHOWN = 8


@dataclass(frozen=True)
class Spelling:
    """One distinct spelling of a force and the positions of its rows."""

    text: str
    key: str
    rows: np.ndarray


def where(frame: pd.DataFrame, rows: np.ndarray) -> str:
    """'a.xlsx, sheet 'Cases', rows 3, 5; b.csv, row 9' for the rows at ``rows``."""
    picked = frame.iloc[np.sort(rows)[: MAX_ROWS_SHOWN * 4]]
    parts: list[str] = []
    listed = 0
    for (file, sheet), numbers in picked.groupby(["source_file", "source_sheet"], sort=False)[
        "source_row"
    ]:
        first = [int(n) for n in numbers][:MAX_ROWS_SHOWN]
        listed += len(first)
        label = "rows" if len(first) > 1 else "row"
        place = f"{file}" + (f", sheet {sheet!r}" if sheet else "")
        parts.append(f"{place}, {label} {', '.join(map(str, first))}")
    more = len(rows) - listed
    return "; ".join(parts) + (f" and {more} more row(s)" if more > 0 else "")


def spellings_of(frame: pd.DataFrame) -> list[Spelling]:
    """Each distinct force spelling in the order first seen, with its rows."""
    import pandas as pd

    codes, uniques = pd.factorize(frame["force"])
    order = np.argsort(codes, kind="stable")
    bounds = np.searchsorted(codes[order], np.arange(len(uniques) + 1))
    return [
        Spelling(str(text), force_key(str(text)), order[bounds[k] : bounds[k + 1]])
        for k, text in enumerate(uniques)
    ]


def unify_forces(
    frame: pd.DataFrame, register: Register | None
) -> tuple[pd.DataFrame, list[Problem]]:
    """``frame`` with one spelling per force, and the problems found; rows with a
    look-alike or (with a register) unlisted force get a reason and are not loaded."""
    if frame.empty or "force" not in frame:
        return frame, []
    spellings = spellings_of(frame)
    problems: list[Problem] = []
    bad = _lookalikes(frame, spellings, problems)
    _invisible_only(frame, spellings, problems, bad)
    groups: dict[str, list[Spelling]] = {}
    for s in spellings:
        if s.key not in bad:
            groups.setdefault(s.key, []).append(s)
    names: dict[str, str] = {}
    for key, group in groups.items():
        if register is None:
            names[key] = _merged(frame, group, problems)
            continue
        canonical = register.lookup(group[0].text)
        if canonical is None:
            rows = np.concatenate([s.rows for s in group])
            closest = ", ".join(repr(c) for c in register.closest(group[0].text)) or "none"
            problems.append(
                _at(
                    frame,
                    rows,
                    P.FORCE_NOT_IN_REGISTER,
                    name=_names(group),
                    register=register.file,
                    closest=closest,
                    where=where(frame, rows),
                )
            )
            bad[key] = problems[-1].message
            continue
        names[key] = canonical
        renamed = [s for s in group if s.text != canonical]
        if renamed:
            rows = np.concatenate([s.rows for s in renamed])
            problems.append(
                _at(
                    frame,
                    rows,
                    P.FORCE_REGISTER_MAPPED,
                    name=canonical,
                    spellings=_names(renamed),
                    register=register.file,
                    where=where(frame, rows),
                )
            )
    return _relabel(frame, spellings, names, bad), problems


def _names(group: Sequence[Spelling]) -> str:
    return " and ".join(shown(s.text) for s in group)


def _at(frame: pd.DataFrame, rows: np.ndarray, kind: P.ProblemType, **params: str) -> Problem:
    """A problem located at the first of ``rows``; the message names the rest."""
    first = frame.iloc[int(rows.min())]
    sheet = str(first["source_sheet"]) or None
    return kind.at(str(first["source_file"]), sheet, row=int(first["source_row"]), **params)


def _merged(frame: pd.DataFrame, group: list[Spelling], problems: list[Problem]) -> str:
    """The spelling shown for one force; a warning when it was spelt more than one way."""
    counts: dict[str, int] = {}
    for s in group:
        counts[tidy_name(s.text)] = counts.get(tidy_name(s.text), 0) + len(s.rows)
    name = pick_display(counts.items())
    if len(group) > 1:
        others = [s for s in group if s.text != name] or group[1:]
        variants = "; ".join(f"{shown(s.text)} at {where(frame, s.rows)}" for s in others)
        rows = np.concatenate([s.rows for s in others])
        problems.append(
            _at(
                frame,
                rows,
                P.FORCE_SPELLINGS_MERGED,
                name=name,
                count=str(len(group)),
                variants=variants,
            )
        )
    return name


def _invisible_only(
    frame: pd.DataFrame, spellings: list[Spelling], problems: list[Problem], bad: dict[str, str]
) -> None:
    """A force name of invisible characters only is a blank force (key ''), not a force."""
    for s in (s for s in spellings if not s.key):
        for i in s.rows.tolist():
            problems.append(
                _at(frame, np.array([i]), P.MISSING_VALUE, field=f"Force ({shown(s.text)})")
            )
        bad[""] = problems[-1].message


def _lookalikes(
    frame: pd.DataFrame, spellings: list[Spelling], problems: list[Problem]
) -> dict[str, str]:
    """Keys of names with look-alike letters → the reason their rows are not loaded."""
    by_skeleton: dict[str, list[Spelling]] = {}
    for s in spellings:
        by_skeleton.setdefault(skeleton(s.key), []).append(s)
    bad: dict[str, str] = {}
    for s in spellings:
        letters = lookalike_letters(s.text)
        if not letters or s.key in bad:
            continue
        twins = [t for t in by_skeleton[skeleton(s.key)] if t.key != s.key]
        plain = [t for t in twins if not lookalike_letters(t.text)]
        like = (
            f", so it looks like {shown(plain[0].text)} (at {where(frame, plain[0].rows)})"
            if plain
            else ""
        )
        rows = np.concatenate([t.rows for t in spellings if t.key == s.key])
        problem = _at(
            frame,
            rows,
            P.FORCE_LOOKALIKE,
            name=shown(s.text),
            letters=", ".join(letters),
            like=like,
            where=where(frame, rows),
        )
        problems.append(problem)
        bad[s.key] = problem.message
    return bad


def _relabel(
    frame: pd.DataFrame, spellings: list[Spelling], names: dict[str, str], bad: dict[str, str]
) -> pd.DataFrame:
    """The force column rewritten only where a spelling changes; bad rows get a reason."""
    import pandas as pd

    changes = [s for s in spellings if s.key in names and names[s.key] != s.text]
    rejected = [s for s in spellings if s.key in bad]
    if not changes and not rejected:
        return frame
    frame = frame.copy()
    if changes:
        force = frame["force"].astype(object).to_numpy(copy=True)
        for s in changes:
            force[s.rows] = names[s.key]
        frame["force"] = pd.Series(force, index=frame.index).astype(frame["force"].dtype)
    if rejected:
        reasons = frame["_reason"].to_numpy(copy=True)
        for s in rejected:
            free = [i for i in s.rows.tolist() if not isinstance(reasons[i], str)]
            reasons[free] = bad[s.key]
        frame["_reason"] = reasons
    return frame


def key_column(force: pd.Series) -> pd.Series:
    """Each row's force identity key, worked out once per distinct spelling."""
    import pandas as pd

    codes, uniques = pd.factorize(force)
    keys = np.array([force_key(str(u)) for u in uniques] + [None], dtype=object)
    return pd.Series(keys[codes], index=force.index, dtype=object)


def same_spelling(frames: Sequence[pd.DataFrame]) -> list[pd.DataFrame]:
    """Frames loaded apart (a trend's rounds) with each force spelt one way in all of
    them: the spelling most rows use (ties: the first seen)."""
    per_frame = [spellings_of(frame) for frame in frames]
    counts: dict[str, dict[str, int]] = {}
    for spellings in per_frame:
        for s in spellings:
            spelt = counts.setdefault(s.key, {})
            spelt[s.text] = spelt.get(s.text, 0) + len(s.rows)
    names = {key: pick_display(spelt.items()) for key, spelt in counts.items()}
    return [
        _relabel(frame, spellings, names, {})
        for frame, spellings in zip(frames, per_frame, strict=True)
    ]

"""What a case list holds once read: its candidate cases, problems and sources."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from inspect_cli.frameworks import Framework
from inspect_cli.identity import force_key
from inspect_cli.load import Register
from inspect_cli.problems import Problem


@dataclass(frozen=True)
class Candidate:
    """One case of a case list."""

    case_ref: str
    area: str
    """The area of practice's id."""
    fields: Mapping[str, Any]
    """Other recognised columns, tidy (dates as dates, ages as ints), blanks left out."""
    file: str
    sheet: str | None
    row: int

    @property
    def force(self) -> str | None:
        value = self.fields.get("force")
        return str(value) if value else None

    def sort_key(self) -> tuple[str, str]:
        return (self.case_ref, force_key(self.force or ""))


@dataclass(frozen=True)
class ListSource:
    name: str
    sha256: str
    rows: int


@dataclass(frozen=True)
class CaseList:
    framework: Framework
    cases: tuple[Candidate, ...]
    problems: tuple[Problem, ...]
    sources: tuple[ListSource, ...]

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.is_error)

    @property
    def ok(self) -> bool:
        return not self.errors

    def frame_sizes(self) -> dict[str, int]:
        """Cases per area id, for every area of the framework, in its order."""
        sizes = dict.fromkeys((a.id for a in self.framework.areas_of_practice), 0)
        for case in self.cases:
            sizes[case.area] += 1
        return sizes


def unify_forces(
    cases: Sequence[Candidate], register: Register | None
) -> tuple[list[Candidate], list[Problem]]:
    """Each force of a case list spelt one way, by the loader's rule
    (:func:`inspect_cli.load.forces.unify_forces`); cases whose force is a look-alike
    or not in the register are left out, with the error that says why."""
    import pandas as pd

    from inspect_cli.load.forces import unify_forces as unify

    named = [c for c in cases if c.force]
    if not named:
        return list(cases), []
    frame = pd.DataFrame(
        {
            "source_file": [c.file for c in named],
            "source_sheet": [c.sheet or "" for c in named],
            "source_row": [c.row for c in named],
            "force": [c.force for c in named],
            "_reason": [None] * len(named),
        }
    )
    frame, problems = unify(frame, register)
    fixed = {
        id(c): None if isinstance(reason, str) else _spelt(c, force)
        for c, force, reason in zip(named, frame["force"], frame["_reason"], strict=True)
    }
    kept = [fixed.get(id(c), c) for c in cases]
    return [c for c in kept if c is not None], problems


def _spelt(case: Candidate, force: str) -> Candidate:
    """``case`` with its force spelt ``force``; most already are (no copy then)."""
    return case if case.force == force else replace(case, fields={**case.fields, "force": force})

"""What a case list holds once read: its candidate cases, problems and sources."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from inspect_cli.frameworks import Framework
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
        return (self.case_ref, (self.force or "").casefold())


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

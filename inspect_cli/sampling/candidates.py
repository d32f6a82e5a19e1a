"""What a case list holds once read: its candidate cases, problems and sources.

The cases are held a column at a time (:class:`CandidateColumns`), and a
:class:`Candidate` is built only for a case asked for: a list of 100,000 cases made
one object per case spent more than its read. The functions here that take
candidates one by one are the reference that the column-wise path in
:mod:`~inspect_cli.sampling.columns` must equal (tests/test_sampling_columns.py).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, overload

import numpy as np

from inspect_cli import problems as P
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
class SheetCases:
    """One sheet's candidate cases as read: a column per recognised field, over the rows kept."""

    file: str
    sheet: str | None
    rows: np.ndarray
    """Excel row numbers."""
    case_ref: np.ndarray
    area: np.ndarray
    """Area ids."""
    extras: Mapping[str, np.ndarray]
    """The other recognised columns, in the sheet's order: tidy values, None where blank."""


def one_by_one(sheet: SheetCases) -> list[Candidate]:
    """The sheet's cases as one object each: the reference path."""
    refs, areas = sheet.case_ref.tolist(), sheet.area.tolist()
    extras = [(f, values.tolist()) for f, values in sheet.extras.items()]
    return [
        Candidate(
            case_ref=str(refs[k]),
            area=str(areas[k]),
            fields={f: v[k] for f, v in extras if v[k] is not None},
            file=sheet.file,
            sheet=sheet.sheet,
            row=row,
        )
        for k, row in enumerate(sheet.rows.tolist())
    ]


def _objects(parts: Sequence[np.ndarray]) -> np.ndarray:
    return np.concatenate(parts) if parts else np.zeros(0, dtype=object)


@dataclass(frozen=True, eq=False)
class CandidateColumns(Sequence[Candidate]):
    """Candidate cases a column at a time; indexing builds the :class:`Candidate`.

    Each case is a position in every column; ``sheet_of`` and ``position`` say where
    its other fields are in ``sheets``; ``force`` is its force, spelt as unified.
    """

    sheets: tuple[SheetCases, ...]
    sheet_of: np.ndarray
    position: np.ndarray
    case_ref: np.ndarray
    area: np.ndarray
    force: np.ndarray
    """Each case's force (a str), or None."""
    row: np.ndarray = field(repr=False)

    @classmethod
    def of(cls, sheets: Sequence[SheetCases]) -> CandidateColumns:
        sizes = [len(s.rows) for s in sheets]
        blank = [np.full(n, None, dtype=object) for n in sizes]
        return cls(
            sheets=tuple(sheets),
            sheet_of=np.repeat(np.arange(len(sizes), dtype=np.int64), sizes),
            position=_objects([np.arange(n) for n in sizes]).astype(np.int64),
            case_ref=_objects([s.case_ref for s in sheets]),
            area=_objects([s.area for s in sheets]),
            force=_objects([s.extras.get("force", b) for s, b in zip(sheets, blank, strict=True)]),
            row=_objects([s.rows for s in sheets]).astype(np.int64),
        )

    def take(self, index: np.ndarray) -> CandidateColumns:
        """The cases at ``index`` (positions), in that order."""
        return CandidateColumns(
            self.sheets,
            self.sheet_of[index],
            self.position[index],
            self.case_ref[index],
            self.area[index],
            self.force[index],
            self.row[index],
        )

    def with_force(self, force: np.ndarray) -> CandidateColumns:
        return replace(self, force=force)

    def has_force(self) -> np.ndarray:
        """Which cases name a force."""
        named: np.ndarray = np.not_equal(self.force, np.array(None, dtype=object))
        return named

    def force_keys(self) -> np.ndarray:
        """Each case's :func:`force_key` (of "" where it has no force): each distinct
        force keyed once."""
        import pandas as pd

        named = np.where(self.has_force(), self.force, "")
        codes, distinct = pd.factorize(named)
        keys = np.array([force_key(str(f)) for f in distinct] or [""], dtype=object)
        return keys[codes]

    def area_counts(self) -> Counter[str]:
        return Counter(self.area.tolist())

    def __len__(self) -> int:
        return len(self.case_ref)

    @overload
    def __getitem__(self, i: int) -> Candidate: ...
    @overload
    def __getitem__(self, i: slice) -> CandidateColumns: ...
    def __getitem__(self, i: int | slice) -> Candidate | CandidateColumns:
        if isinstance(i, slice):
            return self.take(np.arange(len(self))[i])
        sheet = self.sheets[int(self.sheet_of[i])]
        at = int(self.position[i])
        force = self.force[i]
        fields: dict[str, Any] = {}
        for field_id, values in sheet.extras.items():
            value = force if field_id == "force" else values[at]
            if value is not None:
                fields[field_id] = value
        return Candidate(
            case_ref=str(self.case_ref[i]),
            area=str(self.area[i]),
            fields=fields,
            file=sheet.file,
            sheet=sheet.sheet,
            row=int(self.row[i]),
        )

    def __iter__(self) -> Iterator[Candidate]:
        return (self[i] for i in range(len(self)))


@dataclass(frozen=True)
class ListSource:
    name: str
    sha256: str
    rows: int


@dataclass(frozen=True)
class CaseList:
    framework: Framework
    cases: Sequence[Candidate]
    """Column-wise (:class:`CandidateColumns`), or one object per case on the reference path."""
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
        if isinstance(self.cases, CandidateColumns):
            sizes.update(self.cases.area_counts())
        else:
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


def find_duplicates(cases: Sequence[Candidate]) -> tuple[list[int], list[Problem]]:
    """The positions of cases seen before (the same reference of the same force), and an
    error at each naming where it was first seen."""
    first: dict[tuple[str, str], Candidate] = {}
    again: list[int] = []
    problems: list[Problem] = []
    for k, case in enumerate(cases):
        key = (force_key(case.force or ""), case.case_ref)
        seen = first.get(key)
        if seen is None:
            first[key] = case
            continue
        again.append(k)
        where = seen.file + (f", sheet {seen.sheet!r}" if seen.sheet else "")
        problems.append(
            P.DUPLICATE_CANDIDATE.at(
                case.file,
                case.sheet,
                row=case.row,
                case_ref=case.case_ref,
                of_force=f" of {case.force}" if case.force else "",
                first=f"{where}, row {seen.row}",
            )
        )
    return again, problems

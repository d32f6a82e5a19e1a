"""Stratified random samples of cases for an audit, drawn from a force's case list.

A case list is a spreadsheet of candidate cases, one row per case, with at least a
case reference and an area of practice (matched by column id or label, like case
audit workbooks). :func:`read_case_list` reads it through the safe reader and
collects every problem; :func:`draw_sample` draws a stratified sample by area of
practice, either a fixed number per area or a total allocated in proportion to each
area's size (largest-remainder rounding, with a minimum per area).

The draw is reproducible and does not depend on row order: each area's cases are
sorted by case reference, then shuffled with ``numpy.random.default_rng([seed,
area number])`` (the area number is its id read as a number), and the first N of
the shuffled order are drawn. Each area has its own generator, so the cases drawn
in one area do not depend on the other areas, and asking for one more case in an
area keeps the cases already drawn.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from fractions import Fraction
from pathlib import Path
from typing import Any

from inspect_cli import problems as P
from inspect_cli.errors import InspectError, UsageError
from inspect_cli.fields import CaseField, standard_fields
from inspect_cli.frameworks import Framework, normalise_text, response_words
from inspect_cli.load import (
    HEADER_SEARCH_ROWS,
    Bad,
    HeaderMatcher,
    Normaliser,
    as_text,
    build_normalisers,
    expand_inputs,
)
from inspect_cli.problems import Problem, ProblemType
from inspect_cli.read import Limits, RawSheet, ReadFailure, column_letter, read_file

KEY_FIELDS = ("case_ref", "area_of_practice")
"""The columns a case list must have."""
AUDIT_ANSWER_FIELDS = ("overall_grade", "auditor", "audit_date")
"""Fields an auditor fills in: never carried from a case list into a fresh audit."""
DEFAULT_AUDIT_TYPE = "self-assessment"

DUPLICATE_CANDIDATE = ProblemType(
    "duplicate-case",
    "Duplicate case",
    "error",
    "case {case_ref!r}{of_force} appears again; first seen at {first}",
)
NOT_CARRIED = ProblemType(
    "not-carried",
    "Column not carried",
    "note",
    "column {header!r} holds audit answers; not carried into the sample (an audit starts blank)",
)
NO_KEY_HEADER = ProblemType("header-not-found", "No header row", "error", "{detail}")


class SampleError(InspectError):
    """A sample that cannot be drawn as asked (exit code 1); ``details`` say why."""


# --------------------------------------------------------------------------- case lists


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


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


class _ListReader:
    def __init__(self, fw: Framework) -> None:
        self.fw = fw
        self.matcher = HeaderMatcher(fw)
        self.normalisers: dict[str, Normaliser] = build_normalisers(fw)
        self.fields: dict[str, CaseField] = {f.id: f for f in standard_fields(fw)}
        self.problems: list[Problem] = []
        self.cases: list[Candidate] = []

    def carried(self, field_id: str) -> bool:
        f = self.fields.get(field_id)
        return f is not None and f.kind != "comment" and field_id not in AUDIT_ANSWER_FIELDS

    def find_header(self, rows: list[list[Any]]) -> int | None:
        for i, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
            hits = {self.matcher.match(as_text(v)) for v in row if not _blank(v)}
            if all(key in hits for key in KEY_FIELDS):
                return i
        return None

    def read_sheet(self, file: str, raw: RawSheet, header_at: int) -> int:
        """Add the sheet's cases and problems; returns the number of data rows."""
        sheet = raw.name or None
        at: dict[str, Any] = {"file": file, "sheet": sheet}
        if header_at:
            self.problems.append(P.HEADER_NOT_FIRST.at(**at, row=header_at + 1))
        if raw.hidden:
            self.problems.append(P.HIDDEN_SHEET.at(**at))
        header = raw.rows[header_at]
        columns: dict[str, tuple[int, str, str]] = {}  # field id → (index, letter, header)
        for j, cell in enumerate(header):
            text = as_text(cell) if not _blank(cell) else ""
            if not text:
                continue
            letter = column_letter(j)
            field_id = self.matcher.match(text)
            if field_id is None:
                self.problems.append(P.UNKNOWN_COLUMN.at(**at, column=letter, header=text))
                continue
            if not self.carried(field_id) and field_id not in KEY_FIELDS:
                self.problems.append(NOT_CARRIED.at(**at, column=letter, header=text))
                continue
            if field_id in columns:
                first = columns[field_id]
                self.problems.append(
                    P.DUPLICATE_COLUMN.at(
                        **at,
                        row=header_at + 1,
                        column=letter,
                        header=text,
                        first=f"{first[1]} ({first[2]})",
                        second=f"{letter} ({text})",
                        field=field_id,
                    )
                )
                return 0
            columns[field_id] = (j, letter, text)
        merged = self._merged_rows(at, raw, header_at, columns)
        data_rows = [
            i
            for i in range(header_at + 1, len(raw.rows))
            if not all(_blank(v) for v in raw.rows[i])
            or any((i, j) in raw.error_cells for j in range(len(raw.rows[i])))
        ]
        width = len(header)
        for i in data_rows:
            self._read_row(at, raw, i, columns, width, merged)
        return len(data_rows)

    def _merged_rows(
        self,
        at: dict[str, Any],
        raw: RawSheet,
        header_at: int,
        columns: Mapping[str, tuple[int, str, str]],
    ) -> set[int]:
        """Rows (0-based) whose case reference or area is hidden by a merged range."""
        keys = {columns[k][0] for k in KEY_FIELDS}
        hidden: set[int] = set()
        for r0, c0, r1, c1 in raw.merged:
            if r0 > header_at and r1 > r0 and any(c0 <= j <= c1 for j in keys):
                ref = f"{column_letter(c0)}{r0 + 1}:{column_letter(c1)}{r1 + 1}"
                self.problems.append(
                    P.MERGED_CELLS.at(**at, row=r0 + 1, column=column_letter(c0), range=ref)
                )
                hidden.update(range(r0 + 1, r1 + 1))
        return hidden

    def _read_row(
        self,
        at: dict[str, Any],
        raw: RawSheet,
        i: int,
        columns: Mapping[str, tuple[int, str, str]],
        width: int,
        merged: set[int],
    ) -> None:
        row = raw.rows[i]
        excel_row = i + 1
        hidden = i in merged  # the merge is reported once, not as blank cells
        ok = not hidden
        if (
            raw.name == ""
            and len(row) != width
            and not (len(row) > width and all(_blank(v) for v in row[width:]))
        ):
            # CSV: a record with the wrong number of fields would shift its columns
            found = P.RAGGED_ROW.at(**at, row=excel_row, expected=width, found=len(row))
            self.problems.append(found)
            ok = False
        values: dict[str, Any] = {}
        for field_id, (j, letter, header) in columns.items():
            key = field_id in KEY_FIELDS
            where: dict[str, Any] = {**at, "row": excel_row, "column": letter, "header": header}
            value = row[j] if j < len(row) else ""
            problem: Problem | None = None
            if (i, j) in raw.error_cells:
                problem = P.EXCEL_ERROR.at(**where, value=raw.error_cells[(i, j)])
            elif raw.formula_cells.get((i, j)) is False:
                problem = P.FORMULA_NO_VALUE.at(**where)
            elif _blank(value):
                if key and not hidden:
                    problem = P.MISSING_VALUE.at(**where, field=header)
            else:
                result = self.normalisers[field_id](value)
                if isinstance(result, Bad):
                    problem = result.kind.at(
                        **where,
                        found=result.found,
                        expected=result.expected,
                        allowed=result.expected,
                    )
                else:
                    values[field_id] = result
            if problem is None:
                continue
            if key:
                self.problems.append(problem)
                ok = False
            else:  # only the keys matter for the draw: a bad extra value is left blank
                self.problems.append(
                    replace(
                        problem,
                        severity="warning",
                        message=problem.message + "; left blank in the sample",
                    )
                )
        if ok:
            self.cases.append(
                Candidate(
                    case_ref=str(values.pop("case_ref")),
                    area=str(values.pop("area_of_practice")),
                    fields=values,
                    file=at["file"],
                    sheet=at["sheet"],
                    row=excel_row,
                )
            )

    def check_duplicates(self) -> None:
        first: dict[tuple[str, str], Candidate] = {}
        keep: list[Candidate] = []
        for case in self.cases:
            key = ((case.force or "").casefold(), case.case_ref)
            seen = first.get(key)
            if seen is None:
                first[key] = case
                keep.append(case)
                continue
            where = seen.file + (f", sheet {seen.sheet!r}" if seen.sheet else "")
            self.problems.append(
                DUPLICATE_CANDIDATE.at(
                    case.file,
                    case.sheet,
                    row=case.row,
                    case_ref=case.case_ref,
                    of_force=f" of {case.force}" if case.force else "",
                    first=f"{where}, row {seen.row}",
                )
            )
        self.cases = keep


def read_case_list(paths: Sequence[Path], fw: Framework, limits: Limits | None = None) -> CaseList:
    """Read case lists (files or folders) through the safe reader; collect every problem.

    A sheet's header row is the first (of the first 30) naming both the case
    reference and the area of practice, by column id or label. Other columns that
    are case fields (force, dates, child age, flags ...) are kept and checked; other
    columns are ignored with a note. Rows with an error are left out of ``cases``.
    """
    limits = limits or Limits()
    reader = _ListReader(fw)
    files, found = expand_inputs(paths)
    reader.problems.extend(found)
    sources: list[ListSource] = []
    for path in files:
        name = path.name
        try:
            raw = read_file(path, limits)
        except ReadFailure as failure:
            reader.problems.append(failure.problem)
            continue
        reader.problems.extend(raw.notes)
        rows = 0
        headed = 0
        for sheet in raw.sheets:
            if not sheet.rows or all(all(_blank(v) for v in r) for r in sheet.rows):
                continue
            header_at = reader.find_header(sheet.rows)
            if header_at is None:
                if len(raw.sheets) > 1:
                    reader.problems.append(
                        P.SHEET_SKIPPED.at(
                            name,
                            sheet.name,
                            detail="no header row with a case reference and an area of "
                            "practice; sheet skipped",
                        )
                    )
                continue
            headed += 1
            rows += reader.read_sheet(name, sheet, header_at)
        if not headed:
            reader.problems.append(
                NO_KEY_HEADER.at(
                    name,
                    detail="no header row naming the columns 'Case reference' (case_ref) and "
                    f"'Area of practice' (area_of_practice) in the first {HEADER_SEARCH_ROWS} "
                    "rows",
                )
            )
        elif not rows:
            reader.problems.append(P.NO_CASES.at(name, detail="the case list has no cases"))
        sources.append(ListSource(name, raw.sha256, rows))
    reader.check_duplicates()
    return CaseList(fw, tuple(reader.cases), tuple(reader.problems), tuple(sources))


def area_id(fw: Framework, text: str) -> str:
    """An area of practice named by id, label or alias; a UsageError if it is none."""
    words = {
        normalise_text(word): area.id
        for area in fw.areas_of_practice
        for word in response_words(area)
    }
    found = words.get(normalise_text(text))
    if found is None:
        allowed = ", ".join(a.label for a in fw.areas_of_practice)
        raise UsageError(f"unknown area of practice {text!r}", details=(f"choose from: {allowed}",))
    return found


# --------------------------------------------------------------------------- drawing


@dataclass(frozen=True)
class AreaDraw:
    area: str
    label: str
    frame: int
    """Cases of this area in the list."""
    asked: int
    """Cases asked for (fixed number, or the proportional allocation)."""
    drawn: int


@dataclass(frozen=True)
class SampleNote:
    """How a sample was drawn: enough to draw it again and to explain it."""

    seed: int
    method: str
    areas: tuple[AreaDraw, ...]
    warnings: tuple[str, ...]
    framework: str
    sources: tuple[ListSource, ...]
    tool: str
    list_total: int
    """Cases in the list, in every area."""
    scope: str
    """Which areas were sampled, in words."""

    @property
    def frame_total(self) -> int:
        """Cases in the list in the areas sampled."""
        return sum(a.frame for a in self.areas)

    @property
    def drawn_total(self) -> int:
        return sum(a.drawn for a in self.areas)

    def rows(self) -> list[tuple[str, str]]:
        """(label, value) lines, for the 'Sample' sheet and the terminal."""
        lines: list[tuple[str, str]] = [
            ("How this sample was drawn", ""),
            ("Drawn by", self.tool),
            ("Framework", self.framework),
            *(
                ("Case list", f"{s.name} ({s.rows:,} rows; sha256 {s.sha256})")
                for s in self.sources
            ),
            ("Seed", str(self.seed)),
            ("Method", self.method),
            ("Areas sampled", self.scope),
            ("Cases in the list", f"{self.list_total:,}"),
            ("Cases drawn", f"{self.drawn_total:,}"),
            ("", ""),
            ("Area of practice", "in the list / asked / drawn"),
            *((a.label, f"{a.frame:,} / {a.asked:,} / {a.drawn:,}") for a in self.areas),
        ]
        if self.warnings:
            lines.append(("", ""))
            lines.extend(("Warning", w) for w in self.warnings)
        return lines


@dataclass(frozen=True)
class Sample:
    framework: Framework
    cases: tuple[Candidate, ...]
    """Drawn cases, by area (in the framework's order), then case reference."""
    note: SampleNote

    def template_rows(self, force: str | None = None) -> list[dict[str, str]]:
        """Rows for :func:`inspect_cli.template.write_template`, keyed by column id.

        The force is the list's, else ``force``; the audit type is the list's, else
        self-assessment; the area is its label; dates are ISO text (the loader reads it).
        """
        fw = self.framework
        fields = {f.id: f for f in standard_fields(fw)}
        grades = {g.id: g.label for g in fw.case_grades}
        rows: list[dict[str, str]] = []
        for case in self.cases:
            row = {"case_ref": case.case_ref, "area_of_practice": fw.area_by_id[case.area].label}
            for field_id, value in case.fields.items():
                kind = fields[field_id].kind
                row[field_id] = grades.get(value, value) if kind == "grade" else as_text(value)
            if not row.get("force") and force:
                row["force"] = force
            row.setdefault("audit_type", DEFAULT_AUDIT_TYPE)
            rows.append(row)
        return rows


def allocate(frames: Mapping[str, int], total: int, floors: Mapping[str, int]) -> dict[str, int]:
    """Share ``total`` among areas in proportion to their ``frames``.

    Each area gets at least its floor and at most its frame; shares are rounded by
    largest remainder (ties: larger frame first, then the order of ``frames``).
    Needs ``sum(floors) <= total <= sum(frames)`` and ``floors[a] <= frames[a]``.
    """
    if not sum(floors.values()) <= total <= sum(frames.values()):
        raise ValueError("total outside the floors and frames")
    if any(floors[a] > frames[a] for a in frames):
        raise ValueError("a floor above its frame")
    position = {a: i for i, a in enumerate(frames)}
    fixed: dict[str, int] = {}
    shares: dict[str, Fraction] = {}
    while True:
        free = [a for a in frames if a not in fixed]
        rest = total - sum(fixed.values())
        pool = sum(frames[a] for a in free)
        shares = {a: Fraction(rest * frames[a], pool) if pool else Fraction(0) for a in free}
        low = [a for a in free if shares[a] < floors[a]]
        if not low:
            break
        fixed.update((a, floors[a]) for a in low)
    result = {a: math.floor(s) for a, s in shares.items()}
    result.update(fixed)
    left = total - sum(result.values())
    order = sorted(
        shares, key=lambda a: (-(shares[a] - result[a]), -frames[a], position[a])
    ) + sorted(fixed, key=lambda a: position[a])
    while left > 0:  # one pass suffices; the loop only guards against a short pass
        before = left
        for a in order:
            if left and result[a] < frames[a]:
                result[a] += 1
                left -= 1
        if left == before:
            raise ValueError("cannot allocate the total")
    return {a: result[a] for a in frames}


def _shuffled(cases: Sequence[Candidate], seed: int, area: str) -> list[Candidate]:
    import numpy as np

    ordered = sorted(cases, key=Candidate.sort_key)
    rng = np.random.default_rng([seed, int.from_bytes(area.encode("utf-8"), "big")])
    return [ordered[int(i)] for i in rng.permutation(len(ordered))]


def draw_sample(
    case_list: CaseList,
    per_area: int | None = None,
    total: int | None = None,
    min_per_area: int = 1,
    seed: int = 0,
    areas: Sequence[str] | None = None,
    *,
    take_all_small: bool = False,
) -> Sample:
    """Draw a stratified random sample by area of practice.

    Exactly one of ``per_area`` (a fixed number per area) or ``total`` (allocated in
    proportion to each area's number of cases, at least ``min_per_area`` each) is
    given. ``areas`` (ids) limits the sample to those areas; without it, every area
    with cases in the list is sampled. An area with fewer cases than asked is a
    :class:`SampleError` naming each such area, unless ``take_all_small``: then all
    its cases are taken and the note says so.
    """
    from inspect_cli import __version__

    fw = case_list.framework
    if (per_area is None) == (total is None):
        raise UsageError("give either a number per area or a total, not both or neither")
    if per_area is not None and per_area < 1:
        raise UsageError("the number per area must be at least 1")
    if total is not None and total < 1:
        raise UsageError("the total must be at least 1")
    if min_per_area < 0 or seed < 0:
        raise UsageError("the minimum per area and the seed cannot be negative")
    if not case_list.ok:
        raise SampleError(
            "the case list has errors; fix them before drawing a sample",
            details=tuple(f"{p.location()}: {p.message}" for p in case_list.errors[:10]),
        )
    sizes = case_list.frame_sizes()
    if areas:
        chosen = [a.id for a in fw.areas_of_practice if a.id in set(areas)]
        unknown = sorted(set(areas) - set(sizes))
        if unknown:
            raise UsageError(f"unknown area of practice: {', '.join(unknown)}")
    else:
        chosen = [a for a, n in sizes.items() if n]
    if not chosen:
        raise SampleError("the case list has no cases to sample")
    label = {a.id: a.label for a in fw.areas_of_practice}
    floor = per_area if per_area is not None else min_per_area
    small = [a for a in chosen if sizes[a] < floor]
    if small and not take_all_small:
        raise SampleError(
            f"{len(small)} area(s) of practice have fewer cases in the list than asked",
            details=(
                *(f"{label[a]}: {sizes[a]:,} case(s) in the list, {floor:,} asked" for a in small),
                "Use --take-all-small to take every case of such areas, or ask for fewer.",
            ),
        )
    warnings = [
        f"{label[a]}: only {sizes[a]:,} case(s) in the list, {floor:,} asked; all taken"
        for a in small
    ]
    if per_area is not None:
        asked = {a: per_area for a in chosen}
        counts = {a: min(per_area, sizes[a]) for a in chosen}
        method = f"fixed number per area: {per_area:,} per area of practice"
    else:
        assert total is not None
        counts, asked = _proportional(sizes, chosen, total, min_per_area, label)
        method = (
            f"proportional to each area's cases in the list: total {total:,}, at least "
            f"{min_per_area:,} per area, largest-remainder rounding"
        )
    method += (
        "; each area's cases sorted by case reference, shuffled with "
        "numpy.random.default_rng([seed, area id as a number]), first N drawn"
    )
    if not areas:
        warnings += [
            f"{a.label}: no cases in the list; not sampled"
            for a in fw.areas_of_practice
            if not sizes[a.id]
        ]
    by_area: dict[str, list[Candidate]] = {a: [] for a in chosen}
    for case in case_list.cases:
        if case.area in by_area:
            by_area[case.area].append(case)
    drawn: list[Candidate] = []
    for a in chosen:
        drawn += sorted(_shuffled(by_area[a], seed, a)[: counts[a]], key=Candidate.sort_key)
    shown = [a for a in (x.id for x in fw.areas_of_practice) if a in chosen or not areas]
    note = SampleNote(
        seed=seed,
        method=method,
        areas=tuple(
            AreaDraw(a, label[a], sizes[a], asked.get(a, 0), counts.get(a, 0)) for a in shown
        ),
        warnings=tuple(warnings),
        framework=f"{fw.id} {fw.version} ({fw.title})",
        sources=case_list.sources,
        tool=f"inspect-cli {__version__}",
        list_total=len(case_list.cases),
        scope=", ".join(label[a] for a in chosen) if areas else "every area with cases in the list",
    )
    return Sample(fw, tuple(drawn), note)


def _proportional(
    sizes: Mapping[str, int],
    chosen: Sequence[str],
    total: int,
    min_per_area: int,
    label: Mapping[str, str],
) -> tuple[dict[str, int], dict[str, int]]:
    frames = {a: sizes[a] for a in chosen}
    available = sum(frames.values())
    if total > available:
        raise SampleError(
            f"asked for {total:,} cases, but the list has only {available:,} in the areas sampled",
            details=("Ask for a smaller --total.",),
        )
    floors = {a: min(min_per_area, frames[a]) for a in chosen}
    if sum(floors.values()) > total:
        raise SampleError(
            f"a total of {total:,} cannot give {min_per_area:,} case(s) to each of "
            f"{len(chosen)} areas of practice (that needs {sum(floors.values()):,})",
            details=(
                "Ask for a larger --total, a smaller --min-per-area, or fewer areas (--area).",
                *(f"{label[a]}: {frames[a]:,} case(s) in the list" for a in chosen),
            ),
        )
    counts = allocate(frames, total, floors)
    return counts, dict(counts)

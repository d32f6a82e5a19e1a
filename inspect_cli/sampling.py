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
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np

from inspect_cli import problems as P
from inspect_cli.errors import InspectError, UsageError
from inspect_cli.fields import CaseField, standard_fields
from inspect_cli.frameworks import Framework, normalise_text, response_words
from inspect_cli.load import (
    HEADER_SEARCH_ROWS,
    PY_WHITESPACE,
    Bad,
    Column,
    HeaderMatcher,
    Normaliser,
    as_text,
    build_normalisers,
    check_header,
    expand_inputs,
    find_header_row,
    ragged_rows,
)
from inspect_cli.problems import Problem
from inspect_cli.read import Limits, RawSheet, ReadFailure, column_letter, read_file

KEY_FIELDS = ("case_ref", "area_of_practice")
"""The columns a case list must have."""
AUDIT_ANSWER_FIELDS = ("overall_grade", "auditor", "audit_date")
"""Fields an auditor fills in: never carried from a case list into a fresh audit."""
DEFAULT_AUDIT_TYPE = "self-assessment"


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


def _names_both_keys(fields: set[str]) -> bool:
    """What makes a case list's header row: it names the case reference and the area."""
    return all(key in fields for key in KEY_FIELDS)


def _has_text(cells: Any) -> np.ndarray:
    """Which cells of an Arrow text column hold more than spaces (as ``str.strip`` sees them)."""
    import pyarrow.compute as pc

    if not len(cells):
        return np.zeros(0, dtype=bool)
    text = pc.not_equal(pc.utf8_trim(cells, characters=PY_WHITESPACE), "")
    filled: np.ndarray = pc.fill_null(text, False).to_numpy(zero_copy_only=False)
    return filled


def _sheet_blank(sheet: RawSheet) -> bool:
    return not any(_has_text(column).any() for column in sheet.columns)


def _data_rows(raw: RawSheet, header_at: int) -> np.ndarray:
    """Sheet rows (0-based) below the header with text or an Excel error in some cell."""
    start = header_at + 1
    filled = np.zeros(max(raw.n_rows - start, 0), dtype=bool)
    for column in raw.columns:
        filled |= _has_text(column.slice(start))
    for i, j in raw.error_cells:  # an error cell is a value, though the reader gives a blank
        if start <= i < raw.n_rows and j < len(raw.columns):
            filled[i - start] = True
    return np.nonzero(filled)[0] + start


def _normalise_distinct(
    normalise: Normaliser, uniques: Sequence[Any]
) -> tuple[np.ndarray, np.ndarray, dict[int, Bad]]:
    """Each distinct cell's tidy value, whether it is blank, and why it is bad if it is.

    The arrays have one more entry than ``uniques``: the last is a null cell (blank).
    """
    tidy = np.full(len(uniques) + 1, None, dtype=object)
    blank = np.ones(len(uniques) + 1, dtype=bool)
    bad: dict[int, Bad] = {}
    for k, value in enumerate(uniques):
        if _blank(value):
            continue
        blank[k] = False
        result = normalise(value)
        if isinstance(result, Bad):
            bad[k] = result
        else:
            tidy[k] = result
    return tidy, blank, bad


def _cell_marks(raw: RawSheet) -> list[tuple[tuple[int, int], P.ProblemType, dict[str, str]]]:
    """Cells whose own problem outranks their text: formulas without a value, then Excel
    errors (last, so an error wins where a cell is both)."""
    return [
        *((at, P.FORMULA_NO_VALUE, {}) for at, cached in raw.formula_cells.items() if not cached),
        *((at, P.EXCEL_ERROR, {"value": text}) for at, text in raw.error_cells.items()),
    ]


@dataclass
class _ColumnCells:
    """One recognised column over a sheet's data rows, by position among them."""

    values: np.ndarray
    """Each row's tidy value (an object array); None where blank or with a problem."""
    problems: dict[int, Problem]
    """Position → the cell's problem (as for a key column; see :func:`P.left_blank`)."""


class _ListReader:
    """Reads case lists a column at a time; each distinct cell value is checked once."""

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
        return find_header_row(rows, self.matcher, _names_both_keys)

    def _not_carried(self, file: str, sheet: str | None) -> Callable[[Column], Problem | None]:
        def check(col: Column) -> Problem | None:
            if col.field_id in KEY_FIELDS or self.carried(col.field_id):
                return None
            return P.NOT_CARRIED.at(file, sheet, column=col.letter, header=col.header)

        return check

    def read_sheet(self, file: str, raw: RawSheet, header_at: int) -> int:
        """Add the sheet's cases and problems; returns the number of data rows."""
        sheet = raw.name or None
        at: dict[str, Any] = {"file": file, "sheet": sheet}
        if header_at:
            self.problems.append(P.HEADER_NOT_FIRST.at(**at, row=header_at + 1))
        if raw.hidden:
            self.problems.append(P.HIDDEN_SHEET.at(**at))
        header = raw.head(header_at + 1)[header_at]
        checked = check_header(
            self.matcher,
            header,
            len(header),
            file=file,
            sheet=sheet,
            row=header_at + 1,
            unused=self._not_carried(file, sheet),
        )
        self.problems.extend(checked.problems)
        if checked.fatal:
            return 0
        columns = {col.field_id: col for col in checked.columns}
        hidden_rows = self._merged_rows(at, raw, header_at, columns)
        rows = _data_rows(raw, header_at)
        excel_rows: list[int] = (rows + 1).tolist()
        hidden = np.isin(rows, sorted(hidden_rows))
        marked = {i for i, _ in raw.error_cells} | {i for i, _ in raw.formula_cells}
        # Sheet row → position among the data rows, for the few rows with a marked cell.
        position = {i: pos for pos, i in enumerate(rows.tolist()) if i in marked} if marked else {}
        cells = {
            field_id: self._read_column(at, raw, col, rows, hidden, position)
            for field_id, col in columns.items()
        }
        ragged = dict(ragged_rows(file, raw, header_at, excel_rows))
        ok = ~hidden
        ok[list(ragged)] = False
        for key in KEY_FIELDS:
            ok[list(cells[key].problems)] = False
        self._report_rows(ragged, cells)
        self._add_cases(at, excel_rows, ok, cells)
        return len(excel_rows)

    def _merged_rows(
        self,
        at: dict[str, Any],
        raw: RawSheet,
        header_at: int,
        columns: Mapping[str, Column],
    ) -> set[int]:
        """Rows (0-based) whose case reference or area is hidden by a merged range."""
        keys = {columns[k].index for k in KEY_FIELDS}
        hidden: set[int] = set()
        for r0, c0, r1, c1 in raw.merged:
            if r0 > header_at and r1 > r0 and any(c0 <= j <= c1 for j in keys):
                ref = f"{column_letter(c0)}{r0 + 1}:{column_letter(c1)}{r1 + 1}"
                self.problems.append(
                    P.MERGED_CELLS.at(**at, row=r0 + 1, column=column_letter(c0), range=ref)
                )
                hidden.update(range(r0 + 1, r1 + 1))
        return hidden

    def _read_column(
        self,
        at: dict[str, Any],
        raw: RawSheet,
        col: Column,
        rows: np.ndarray,
        hidden: np.ndarray,
        position: Mapping[int, int],
    ) -> _ColumnCells:
        """Each distinct value normalised once, then spread to the rows that hold it."""
        import pyarrow as pa
        import pyarrow.compute as pc

        # The header row came from these columns, so every header's column exists.
        encoded = pc.dictionary_encode(raw.columns[col.index].take(pa.array(rows)))
        uniques: list[Any] = encoded.dictionary.to_pylist()
        codes = encoded.indices.fill_null(len(uniques)).to_numpy(zero_copy_only=False)
        tidy, blank, bad = _normalise_distinct(self.normalisers[col.field_id], uniques)
        values = tidy[codes]
        where: dict[str, Any] = {**at, "column": col.letter, "header": col.header}
        problems: dict[int, Problem] = {}
        if col.field_id in KEY_FIELDS:  # a blank under a merge is reported once, as the merge
            for pos in np.nonzero(blank[codes] & ~hidden)[0].tolist():
                row = int(rows[pos]) + 1
                problems[pos] = P.MISSING_VALUE.at(**where, row=row, field=col.header)
        is_bad = np.zeros(len(tidy), dtype=bool)
        is_bad[list(bad)] = True
        for pos in np.nonzero(is_bad[codes])[0].tolist():
            result = bad[int(codes[pos])]
            problems[pos] = result.kind.at(
                **where,
                row=int(rows[pos]) + 1,
                found=result.found,
                expected=result.expected,
                allowed=result.expected,
            )
        for (i, j), kind, params in _cell_marks(raw):
            at_pos = position.get(i)
            if j == col.index and at_pos is not None:
                problems[at_pos] = kind.at(**where, row=i + 1, **params)
                values[at_pos] = None
        return _ColumnCells(values, problems)

    def _report_rows(
        self, ragged: Mapping[int, Problem], cells: Mapping[str, _ColumnCells]
    ) -> None:
        """Problems in reading order: row by row, each row's columns left to right."""
        found = set(ragged).union(*(c.problems for c in cells.values()))
        for pos in sorted(found):
            if pos in ragged:
                self.problems.append(ragged[pos])
            for field_id, column in cells.items():
                problem = column.problems.get(pos)
                if problem is None:
                    continue
                # Only the keys matter for the draw: a bad extra value is left blank.
                key = field_id in KEY_FIELDS
                self.problems.append(problem if key else P.left_blank(problem))

    def _add_cases(
        self,
        at: dict[str, Any],
        excel_rows: Sequence[int],
        ok: np.ndarray,
        cells: Mapping[str, _ColumnCells],
    ) -> None:
        keep = np.nonzero(ok)[0]
        refs = cells["case_ref"].values[keep].tolist()
        areas = cells["area_of_practice"].values[keep].tolist()
        extras = [(f, c.values[keep].tolist()) for f, c in cells.items() if f not in KEY_FIELDS]
        for k, pos in enumerate(keep.tolist()):
            self.cases.append(
                Candidate(
                    case_ref=str(refs[k]),
                    area=str(areas[k]),
                    fields={f: v[k] for f, v in extras if v[k] is not None},
                    file=at["file"],
                    sheet=at["sheet"],
                    row=excel_rows[pos],
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
                P.DUPLICATE_CANDIDATE.at(
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
    The sheets are read a column at a time, so time grows with the rows, not their square.
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
            if _sheet_blank(sheet):
                continue
            header_at = reader.find_header(sheet.head(HEADER_SEARCH_ROWS))
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
                P.NO_HEADER.at(
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

"""Reading a case list: a spreadsheet of candidate cases, one row per case, with at
least a case reference and an area of practice (matched by column id or label, like
case audit workbooks). :func:`read_case_list` reads it through the safe reader, a
column at a time, and collects every problem."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from inspect_cli import problems as P
from inspect_cli.errors import UsageError
from inspect_cli.fields import CaseField, standard_fields
from inspect_cli.frameworks import Framework, normalise_text, response_words
from inspect_cli.identity import clean_text
from inspect_cli.load import (
    HEADER_SEARCH_ROWS,
    PY_WHITESPACE,
    Bad,
    Column,
    HeaderMatcher,
    HeaderPick,
    Normaliser,
    Selection,
    build_normalisers,
    check_header,
    expand_inputs,
    find_header_row,
    plain_text,
    ragged_rows,
    read_register,
)
from inspect_cli.load.values import tidy_text
from inspect_cli.load.workbook import chosen_sheets
from inspect_cli.problems import Problem
from inspect_cli.read import Limits, RawSheet, ReadFailure, column_letter, read_file
from inspect_cli.sampling.candidates import CaseList, ListSource, SheetCases
from inspect_cli.sampling.columns import settle

KEY_FIELDS = ("case_ref", "area_of_practice")
"""The columns a case list must have."""
AUDIT_ANSWER_FIELDS = ("overall_grade", "auditor", "audit_date")
"""Fields an auditor fills in: never carried from a case list into a fresh audit."""


def _import_libraries() -> None:
    """Run while the first list is parsed on the other core (fastexcel lets go of the
    GIL): pandas, for the force rule's frame, is a third of a second to import."""
    import pandas  # noqa: F401
    import pyarrow.compute  # noqa: F401


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


def normalise_distinct(
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


def distinct_values(
    normalise: Normaliser, cells: Any
) -> tuple[np.ndarray, np.ndarray, dict[int, Bad], np.ndarray]:
    """:func:`normalise_distinct` of a column's distinct cells, and each row's code.

    Free text (references, names) is stripped in Arrow, as the loader codes it
    (:func:`~inspect_cli.load.coded.plain_text`): a case list's references are all
    distinct, and a Python call each is most of the read. Any other column, or a text
    too long for that path, is normalised a distinct value at a time (the reference;
    ``tests/test_sampling_columns.py`` keeps the two equal)."""
    import pyarrow.compute as pc

    if normalise is tidy_text and (plain := plain_text(cells)) is not None:
        tidy = np.asarray(plain.values.to_numpy(zero_copy_only=False), dtype=object)
        return tidy, tidy == None, {}, plain.codes  # noqa: E711 (element-wise)
    encoded = pc.dictionary_encode(cells)
    uniques: list[Any] = encoded.dictionary.to_pylist()
    codes = encoded.indices.fill_null(len(uniques)).to_numpy(zero_copy_only=False)
    return (*normalise_distinct(normalise, uniques), codes)


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
        self.sheets: list[SheetCases] = []
        self.matcher = HeaderMatcher(fw)
        self.normalisers: dict[str, Normaliser] = build_normalisers(fw)
        self.fields: dict[str, CaseField] = {f.id: f for f in standard_fields(fw)}
        self.problems: list[Problem] = []

    def carried(self, field_id: str) -> bool:
        f = self.fields.get(field_id)
        return f is not None and f.kind != "comment" and field_id not in AUDIT_ANSWER_FIELDS

    def find_header(self, rows: list[list[Any]]) -> HeaderPick | None:
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
        merged_header, merged_rows = self._merges(at, raw, header_at)
        if merged_header:
            return 0
        columns = {col.field_id: col for col in checked.columns}
        rows = _data_rows(raw, header_at)
        excel_rows: list[int] = (rows + 1).tolist()
        hidden = np.isin(rows, sorted(merged_rows))  # reported once, as the merge
        marked = {i for i, _ in raw.error_cells} | {i for i, _ in raw.formula_cells}
        # Sheet row → position among the data rows, for the few rows with a marked cell.
        position = {i: pos for pos, i in enumerate(rows.tolist()) if i in marked} if marked else {}
        cells = {
            field_id: self._read_column(at, raw, col, rows, hidden, position)
            for field_id, col in columns.items()
        }
        ragged = dict(ragged_rows(file, raw, header_at, excel_rows))
        out_of_sight = self._hidden_rows(at, raw, rows)
        ok = ~hidden
        ok[list(ragged)] = False
        ok[list(out_of_sight)] = False
        for key in KEY_FIELDS:
            ok[list(cells[key].problems)] = False
        self._report_rows((ragged, out_of_sight), cells)
        self._add_cases(at, excel_rows, ok, cells)
        return len(excel_rows)

    def _merges(self, at: dict[str, Any], raw: RawSheet, header_at: int) -> tuple[bool, set[int]]:
        """Merged ranges read as the loader reads them: over the header, the sheet is not
        read (True); below it, every row a range covers (0-based) is refused, as every
        cell but its first reads blank, across the keys or along a row."""
        over_header = False
        refused: set[int] = set()
        for r0, c0, r1, c1 in raw.merged:
            ref = f"{column_letter(c0)}{r0 + 1}:{column_letter(c1)}{r1 + 1}"
            if r0 <= header_at <= r1 and c1 > c0:
                self.problems.append(P.MERGED_HEADER.at(**at, row=header_at + 1, range=ref))
                over_header = True
            elif r1 > header_at and (r1 > r0 or c1 > c0):
                first = max(r0, header_at + 1)
                self.problems.append(
                    P.MERGED_CELLS.at(**at, row=first + 1, column=column_letter(c0), range=ref)
                )
                refused.update(range(first, r1 + 1))
        return over_header, refused

    def _hidden_rows(
        self, at: dict[str, Any], raw: RawSheet, rows: np.ndarray
    ) -> dict[int, Problem]:
        """Cases in rows hidden in Excel: one warning naming them (the cases are kept), or,
        as the framework asks, an error at each (position → problem; the row is refused)."""
        if not raw.hidden_rows:
            return {}
        found = np.nonzero(np.isin(rows, raw.hidden_rows))[0].tolist()
        if self.fw.reporting.hidden_rows == "error":
            return {pos: P.HIDDEN_ROW_REFUSED.at(**at, row=int(rows[pos]) + 1) for pos in found}
        if found:
            excel = [int(rows[pos]) + 1 for pos in found[:20]]
            shown = ", ".join(map(str, excel)) + (" ..." if len(found) > 20 else "")
            self.problems.append(P.HIDDEN_ROWS.at(**at, count=len(found), rows=shown))
        return {}

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

        # The header row came from these columns, so every header's column exists.
        cells = raw.columns[col.index].take(pa.array(rows))
        tidy, blank, bad, codes = distinct_values(self.normalisers[col.field_id], cells)
        where: dict[str, Any] = {**at, "column": col.letter, "header": col.header}
        if col.field_id == "case_ref":
            self._clean_refs(tidy, blank, codes, rows, where)
        values = tidy[codes]
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

    def _clean_refs(
        self,
        tidy: np.ndarray,
        blank: np.ndarray,
        codes: np.ndarray,
        rows: np.ndarray,
        where: dict[str, Any],
    ) -> None:
        """Case references read without invisible characters (as the loader reads them)."""
        changed = np.zeros(len(tidy), dtype=bool)
        for k, text in enumerate(tidy.tolist()):
            if isinstance(text, str) and not text.isascii() and clean_text(text) != text:
                tidy[k] = clean_text(text) or None
                blank[k] = tidy[k] is None
                changed[k] = True
        positions = np.nonzero(changed[codes])[0]
        if len(positions):
            cells = ", ".join(f"{where['column']}{int(rows[p]) + 1}" for p in positions[:10])
            self.problems.append(
                P.CASE_REF_CLEANED.at(
                    where["file"],
                    where["sheet"],
                    column=where["column"],
                    header=where["header"],
                    count=len(positions),
                    cells=cells + (" ..." if len(positions) > 10 else ""),
                )
            )

    def _report_rows(
        self, whole_rows: Sequence[Mapping[int, Problem]], cells: Mapping[str, _ColumnCells]
    ) -> None:
        """Problems in reading order: row by row, first those of the whole row, then each
        row's columns left to right."""
        found = set().union(*whole_rows, *(c.problems for c in cells.values()))
        for pos in sorted(found):
            self.problems.extend(by_row[pos] for by_row in whole_rows if pos in by_row)
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
        self.sheets.append(
            SheetCases(
                file=at["file"],
                sheet=at["sheet"],
                rows=np.asarray(excel_rows, dtype=np.int64)[keep],
                case_ref=cells["case_ref"].values[keep],
                area=cells["area_of_practice"].values[keep],
                extras={f: c.values[keep] for f, c in cells.items() if f not in KEY_FIELDS},
            )
        )


def read_case_list(
    paths: Sequence[Path],
    fw: Framework,
    limits: Limits | None = None,
    forces: Path | None = None,
    selection: Selection | None = None,
    *,
    per_row: bool = False,
) -> CaseList:
    """Read case lists (files or folders) through the safe reader; collect every problem.

    A sheet's header row is the first (of the first 30) naming both the case
    reference and the area of practice, by column id or label. Other columns that
    are case fields (force, dates, child age, flags ...) are kept and checked; other
    columns are ignored with a note. Rows with an error are left out of ``cases``.
    The sheets are read a column at a time, so time grows with the rows, not their square;
    ``per_row`` holds the cases one object each (the reference path, for tests).
    """
    limits = limits or Limits()
    reader = _ListReader(fw)
    selection = selection or Selection()
    files, found = expand_inputs(paths, selection.recursive)
    reader.problems.extend(found)
    sources: list[ListSource] = []
    for path in files:
        name = path.name
        try:
            raw = read_file(path, limits, _import_libraries)
        except ReadFailure as failure:
            reader.problems.append(failure.problem)
            continue
        reader.problems.extend(raw.notes)
        rows = 0
        headed = 0
        chosen, _ = chosen_sheets(reader.problems, raw, name, selection)
        if chosen is None:  # --sheet named no sheet of this workbook: said in problems
            sources.append(ListSource(name, raw.sha256, 0))
            continue
        for sheet in chosen:
            if _sheet_blank(sheet):
                continue
            pick = reader.find_header(sheet.head(HEADER_SEARCH_ROWS))
            if pick is None:
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
            if (doubt := pick.problem(name, sheet.name or None)) is not None:
                reader.problems.append(doubt)
            rows += reader.read_sheet(name, sheet, pick.row)
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
    register = read_register(forces, limits) if forces is not None else None
    if isinstance(register, list):  # the register is unusable: its problems say why
        reader.problems.extend(register)
        register = None
    cases, found = settle(reader.sheets, register, per_row=per_row)
    reader.problems.extend(found)
    return CaseList(fw, cases, tuple(reader.problems), tuple(sources))


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

"""Case audit spreadsheets in, one tidy DataFrame of cases out, with every problem found.

``load_cases`` never stops at the first problem: each file, sheet, header, row
and cell is checked, and each problem is located (file, sheet, Excel row,
column letter and header). Rows with an error are not loaded as cases; each is
listed in ``LoadResult.rejected`` with its reason, so totals always reconcile:
``rows_read == len(cases) + len(rejected)``.

The tidy frame has one row per case:
- ``source_file``, ``source_sheet``, ``source_row`` (as Excel shows it);
- the standard fields of :mod:`inspect_cli.fields` that the sheet has, by id;
- one categorical column per indicator (full id), whose categories are the scale's
  response ids best → worst, then its not-applicable id; blank is missing.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import difflib
import re
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from inspect_cli import problems as P
from inspect_cli.fields import (
    AUDIT_TYPES,
    FLAG_WORDS,
    REQUIRED_FIELD_IDS,
    CaseField,
    standard_fields,
)
from inspect_cli.frameworks import Framework, IndicatorRef, normalise_text, response_words
from inspect_cli.problems import Problem
from inspect_cli.read import (
    SUPPORTED_SUFFIXES,
    Limits,
    RawFile,
    RawSheet,
    ReadFailure,
    column_letter,
    read_file,
)

if TYPE_CHECKING:
    import pandas as pd

HEADER_SEARCH_ROWS = 30
MIN_HEADER_MATCHES = 3
MAX_TEXT = 32_000
META_COLUMNS = ("source_file", "source_sheet", "source_row")


@dataclass(frozen=True)
class SourceFile:
    name: str
    path: str
    sha256: str
    size: int
    rows_read: int
    cases: int


@dataclass(frozen=True)
class LoadResult:
    framework: Framework
    cases: pd.DataFrame
    problems: tuple[Problem, ...]
    sources: tuple[SourceFile, ...]
    rejected: pd.DataFrame
    """Rows read but not loaded: source_file, source_sheet, source_row, reason."""

    @property
    def rows_read(self) -> int:
        return len(self.cases) + len(self.rejected)

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.is_error)

    @property
    def ok(self) -> bool:
        return not self.errors


# --------------------------------------------------------------------------- inputs


def expand_inputs(paths: Sequence[Path]) -> tuple[list[Path], list[Problem]]:
    """Folders become the case files in them; unknown or missing paths become problems."""
    files: list[Path] = []
    found: list[Problem] = []
    for path in paths:
        if path.is_dir():
            inside = sorted(
                p
                for p in path.iterdir()
                if p.is_file()
                and p.suffix.lower() in SUPPORTED_SUFFIXES
                and not p.name.startswith(".")
            )
            for p in inside:
                if p.name.startswith("~$"):
                    found.append(P.LOCK_FILE_SKIPPED.at(p.name))
                else:
                    files.append(p)
            # A legacy workbook in the folder would otherwise vanish without a word.
            found.extend(
                P.LEGACY_XLS.at(p.name)
                for p in sorted(path.iterdir())
                if p.is_file() and p.suffix.lower() == ".xls" and not p.name.startswith(("~$", "."))
            )
            if not any(not p.name.startswith("~$") for p in inside):
                found.append(P.NO_INPUT_FILES.at(str(path)))
        elif not path.exists():
            found.append(P.FILE_NOT_FOUND.at(path.name, path=path))
        elif path.suffix.lower() == ".xls":
            found.append(P.LEGACY_XLS.at(path.name))
        elif path.suffix.lower() not in SUPPORTED_SUFFIXES:
            found.append(
                P.UNSUPPORTED_FORMAT.at(
                    path.name,
                    detail=f"{path.suffix or 'no extension'}: expected .xlsx, .xlsm or .csv",
                )
            )
        else:
            files.append(path)
    return files, found


# --------------------------------------------------------------------------- matching


@dataclass(frozen=True)
class Column:
    """A recognised column of a sheet."""

    index: int
    letter: str
    header: str
    field_id: str


class HeaderMatcher:
    """Maps header text to field ids, by id or label, ignoring case and spacing."""

    def __init__(self, fw: Framework) -> None:
        self.fields: dict[str, CaseField] = {f.id: f for f in standard_fields(fw)}
        self.indicators: dict[str, IndicatorRef] = {r.full_id: r for r in fw.indicators}
        self.words: dict[str, str] = {}
        for f in self.fields.values():
            self._add(f.id, f.id, f.label, f.id.replace("_", " "))
        for ref in fw.indicators:
            self._add(ref.full_id, ref.full_id, ref.indicator.label)
        self.required = (*REQUIRED_FIELD_IDS, *self.indicators)
        self.labels = {
            **{f.id: f.label for f in self.fields.values()},
            **{r.full_id: r.indicator.label for r in fw.indicators},
        }

    def _add(self, field_id: str, *words: str) -> None:
        for word in words:
            self.words.setdefault(normalise_text(word), field_id)

    def match(self, header: str) -> str | None:
        return self.words.get(normalise_text(header))


def find_header_row(
    rows: Sequence[Sequence[Any]], matcher: HeaderMatcher, accept: Callable[[set[str]], bool]
) -> int | None:
    """The first of ``rows`` (searching HEADER_SEARCH_ROWS) whose field ids satisfy ``accept``.

    Case workbooks and case lists differ only in what makes a header row (``accept``).
    """
    for i, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        hits = {matcher.match(as_text(v)) for v in row if not _is_blank(v)}
        if accept({h for h in hits if h is not None}):
            return i
    return None


@dataclass(frozen=True)
class HeaderCheck:
    """A header row's recognised columns, and what is wrong with it, in column order."""

    columns: list[Column]
    problems: list[Problem]

    @property
    def fatal(self) -> bool:
        """Whether the sheet cannot be read until its header is fixed."""
        return any(p.is_error for p in self.problems)


def check_header(
    matcher: HeaderMatcher,
    header: Sequence[Any],
    width: int,
    *,
    file: str,
    sheet: str | None,
    row: int,
    has_values: Callable[[int], bool] | None = None,
    unused: Callable[[Column], Problem | None] | None = None,
) -> HeaderCheck:
    """Match the first ``width`` cells of the header (Excel ``row``) to fields.

    An unknown header is a note, and two columns of one field an error. With
    ``has_values`` (column index → whether cells below hold text), a blank header over
    values is an error. ``unused`` lets a caller report a recognised column it will
    not read, with its own problem, instead of reading it.
    """
    at: dict[str, Any] = {"file": file, "sheet": sheet}
    columns: list[Column] = []
    problems: list[Problem] = []
    seen: dict[str, Column] = {}
    for j in range(width):
        text = as_text(header[j]) if j < len(header) else ""
        letter = column_letter(j)  # Excel shows letters for CSV files too
        if not text:
            if has_values is not None and has_values(j):
                problems.append(P.BLANK_HEADER.at(**at, row=row, column=letter))
            continue
        field_id = matcher.match(text)
        if field_id is None:
            problems.append(P.UNKNOWN_COLUMN.at(**at, column=letter, header=text))
            continue
        col = Column(j, letter, text, field_id)
        skipped = unused(col) if unused is not None else None
        if skipped is not None:
            problems.append(skipped)
            continue
        if field_id in seen:
            problems.append(
                P.DUPLICATE_COLUMN.at(
                    **at,
                    row=row,
                    column=letter,
                    header=text,
                    first=f"{seen[field_id].letter} ({seen[field_id].header})",
                    second=f"{letter} ({text})",
                    field=field_id,
                )
            )
            continue
        seen[field_id] = col
        columns.append(col)
    return HeaderCheck(columns, problems)


def ragged_rows(
    file: str, raw: RawSheet, header_at: int, excel_rows: Sequence[int]
) -> list[tuple[int, Problem]]:
    """CSV records among ``excel_rows`` whose field count is not the header's: (position, problem).

    A missing or extra separator shifts every later value into the wrong column;
    extra empty fields at the end of a record are harmless. Not a CSV: none.
    """
    if raw.record_lengths is None:
        return []
    header_width = raw.record_lengths[header_at]
    found: list[tuple[int, Problem]] = []
    for pos, excel_row in enumerate(excel_rows):
        length = raw.record_lengths[excel_row - 1]
        if length != header_width and not (
            length > header_width
            and all(_is_blank(v) for v in raw.row(excel_row - 1)[header_width:])
        ):
            problem = P.RAGGED_ROW.at(
                file, raw.name or None, row=excel_row, expected=header_width, found=length
            )
            found.append((pos, problem))
    return found


# --------------------------------------------------------------------------- values


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _filled(cells: Any) -> np.ndarray:
    """Which cells of an Arrow text column hold something: not null and not ''.

    A cell holding only spaces counts as a value here; its row is then loaded and
    the column normalisers read the spaces as blank.
    """
    import pyarrow.compute as pc

    if not len(cells):
        return np.zeros(0, dtype=bool)
    filled: np.ndarray = pc.fill_null(pc.not_equal(cells, ""), False).to_numpy(zero_copy_only=False)
    return filled


def _has_text(cells: Any) -> bool:
    """Whether any cell of an Arrow text column holds more than spaces."""
    import pyarrow.compute as pc

    if not len(cells):
        return False
    return bool(pc.any(pc.not_equal(pc.utf8_trim_whitespace(cells), "")).as_py())


def _sheet_blank(sheet: RawSheet) -> bool:
    return not any(_has_text(column) for column in sheet.columns)


def _factorize(cells: Any) -> tuple[np.ndarray, list[Any]]:
    """Codes per cell (-1 for null) and the distinct values, computed in Arrow."""
    import pyarrow.compute as pc

    encoded = pc.dictionary_encode(cells)
    codes = encoded.indices.fill_null(-1).to_numpy(zero_copy_only=False)
    return codes, encoded.dictionary.to_pylist()


# What str.strip() removes (every character for which str.isspace() is true), so that
# Arrow trims free text exactly as the per-value path does (a test checks the set).
PY_WHITESPACE = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004"
    "\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)


def _plain_text(cells: Any) -> Coded | None:
    """A free-text column (references, names, comments) coded without leaving Arrow:
    each distinct text stripped, blank when nothing is left. None when a text is too
    long, which the per-value path reports."""
    import pyarrow as pa
    import pyarrow.compute as pc

    encoded = pc.dictionary_encode(cells)
    texts = encoded.dictionary
    if len(texts) and pc.max(pc.utf8_length(texts)).as_py() > MAX_TEXT:
        return None
    stripped = pc.utf8_trim(texts, characters=PY_WHITESPACE)
    values = pc.if_else(pc.equal(stripped, ""), pa.scalar(None, stripped.type), stripped)
    values = pa.concat_arrays([values, pa.nulls(1, values.type)])  # the last: blank
    codes = encoded.indices.fill_null(len(values) - 1).to_numpy(zero_copy_only=False)
    return Coded(codes.astype(np.intp), values)


def as_text(value: Any) -> str:
    """A cell as text: integral numbers without '.0', dates as ISO, text stripped."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _shown(value: Any) -> str:
    text = as_text(value)
    return repr(text if len(text) <= 40 else text[:37] + "...")


@dataclass(frozen=True)
class Bad:
    """Why one cell was rejected: ``found`` and ``expected`` in words (never sensitive text)."""

    found: str
    expected: str
    kind: P.ProblemType = P.TYPE_ERROR


Normaliser = Callable[[Any], Any]  # returns the value, or a Bad


def _choice(words: dict[str, str], allowed: str) -> Normaliser:
    def normalise(value: Any) -> Any:
        hit = words.get(normalise_text(as_text(value)))
        if hit is None:
            return Bad(_shown(value), allowed, P.INVALID_VALUE)
        return hit

    return normalise


def _vocabulary(items: Iterable[tuple[str, Iterable[str]]]) -> dict[str, str]:
    out: dict[str, str] = {}
    for canonical, words in items:
        for word in words:
            out.setdefault(normalise_text(word), canonical)
    return out


_UK_DATE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
# A date cell arrives as '2024-03-05 00:00:00'; a time of day on it is ignored.
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
_NUMBER = re.compile(r"^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$")


def _date(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    expected = "a date (a date cell, 2024-03-05 or 05/03/2024, day first)"
    if isinstance(value, int | float) and not isinstance(value, bool):
        return Bad("a number", expected)
    text = as_text(value)
    if _NUMBER.match(text):  # a number cell (Excel's serial day count unformatted) or typed digits
        return Bad("a number", expected)
    m = _ISO_DATE.match(text)
    parts = (int(m.group(1)), int(m.group(2)), int(m.group(3))) if m else None
    if parts is None and (m := _UK_DATE.match(text)):
        parts = (int(m.group(3)), int(m.group(2)), int(m.group(1)))
    if parts is None:
        return Bad("text that is not a date", expected)
    try:
        return dt.date(*parts)
    except ValueError:
        return Bad("a day or month that does not exist", expected)


def _age(value: Any) -> Any:
    expected = "a whole number of years from 0 to 17"
    if isinstance(value, bool):
        return Bad(_shown(value), expected)
    if isinstance(value, int | float):
        number = float(value)
    else:
        text = as_text(value)
        try:
            number = float(text)
        except ValueError:
            return Bad(_shown(text), expected)
    if not number.is_integer() or not 0 <= number <= 17:
        return Bad(_shown(value), expected)
    return int(number)


def _text(value: Any) -> Any:
    return as_text(value)


def _allowed(labels: Iterable[str]) -> str:
    return ", ".join(labels)


def build_normalisers(fw: Framework) -> dict[str, Normaliser]:
    """One function per field id that turns a raw cell into its tidy value or a Bad."""
    out: dict[str, Normaliser] = {}
    areas = _vocabulary((a.id, response_words(a)) for a in fw.areas_of_practice)
    grades = _vocabulary((g.id, response_words(g)) for g in fw.case_grades)
    audit = _vocabulary((k, (k, *v)) for k, v in AUDIT_TYPES.items())
    flags = _vocabulary((k, (k, *v)) for k, v in FLAG_WORDS.items())
    for f in standard_fields(fw):
        if f.kind == "area":
            out[f.id] = _choice(areas, _allowed(a.label for a in fw.areas_of_practice))
        elif f.kind == "grade":
            out[f.id] = _choice(grades, _allowed(g.label for g in fw.case_grades))
        elif f.kind == "audit_type":
            out[f.id] = _choice(audit, _allowed(AUDIT_TYPES))
        elif f.kind == "flag":
            out[f.id] = _choice(flags, _allowed(FLAG_WORDS))
        elif f.kind == "date":
            out[f.id] = _date
        elif f.kind == "age":
            out[f.id] = _age
        else:
            out[f.id] = _text
    for ref in fw.indicators:
        scale = ref.scale
        answers = [*scale.responses, *([scale.not_applicable] if scale.not_applicable else [])]
        words = _vocabulary((r.id, response_words(r)) for r in answers)
        allowed = _allowed(r.label for r in answers)

        def normalise(value: Any, words: dict[str, str] = words, allowed: str = allowed) -> Any:
            hit = words.get(normalise_text(as_text(value)))
            return Bad(_shown(value), allowed, P.UNKNOWN_RESPONSE) if hit is None else hit

        out[ref.full_id] = normalise
    return out


# --------------------------------------------------------------------------- sheets


@dataclass
class Coded:
    """One column of one sheet: each row's code into the tidy values of its distinct cells.

    Distinct cells are few (Yes, No, N/A...), so the tidy values are typed once each
    and spread to the rows by code, instead of converting every row's value.
    """

    codes: np.ndarray
    """One int per row, an index into ``values``."""
    values: Any
    """Tidy values (an object array, or an Arrow text array for free text); the last
    entry is None (blank)."""

    def _objects(self) -> np.ndarray:
        if isinstance(self.values, np.ndarray):
            return self.values
        return np.asarray(self.values.to_numpy(zero_copy_only=False), dtype=object)

    def blank(self) -> np.ndarray:
        """Which rows are blank (decided per distinct value, spread by code)."""
        if isinstance(self.values, np.ndarray):
            is_none = self.values == None  # noqa: E711 (element-wise)
        else:
            is_none = self.values.is_null().to_numpy(zero_copy_only=False)
        return np.asarray(is_none[self.codes], dtype=bool)

    def blank_out(self, pos: int) -> None:
        self.codes[pos] = len(self.values) - 1


@dataclass
class _SheetRows:
    """The loaded rows of one sheet: field id → values, plus bookkeeping."""

    file: str
    sheet: str | None
    excel_rows: list[int]
    values: dict[str, Coded]  # field id → the tidy values of its rows
    bad_rows: dict[int, str] = field(default_factory=dict)  # position → first reason


class _Loader:
    def __init__(self, fw: Framework, limits: Limits) -> None:
        self.fw = fw
        self.limits = limits
        self.matcher = HeaderMatcher(fw)
        self.normalisers = build_normalisers(fw)
        self.problems: list[Problem] = []
        self.rejected: list[tuple[str, str | None, int, str]] = []

    # One problem, also marking its row as not loadable when it is an error.
    def report(
        self, problem: Problem, rows: _SheetRows | None = None, pos: int | None = None
    ) -> None:
        self.problems.append(problem)
        if rows is not None and pos is not None and problem.is_error:
            rows.bad_rows.setdefault(pos, problem.message)

    def find_header(self, rows: list[list[Any]]) -> int | None:
        return find_header_row(rows, self.matcher, lambda hits: len(hits) >= MIN_HEADER_MATCHES)

    def load_sheet(self, file: str, raw: RawSheet, header_at: int) -> _SheetRows | None:
        sheet = raw.name or None
        header = raw.head(header_at + 1)[header_at]
        at: dict[str, Any] = {"file": file, "sheet": sheet}
        if header_at:
            self.report(P.HEADER_NOT_FIRST.at(**at, row=header_at + 1))
        if raw.hidden:
            self.report(P.HIDDEN_SHEET.at(**at))
        # In a CSV, fields past the header's are a ragged row (reported per row), not a column.
        width = len(header) if raw.name == "" else len(raw.columns)
        checked = check_header(
            self.matcher,
            header,
            width,
            file=file,
            sheet=sheet,
            row=header_at + 1,
            has_values=lambda j: _has_text(raw.columns[j].slice(header_at + 1)),
        )
        for problem in checked.problems:
            self.report(problem)
        columns = checked.columns
        seen = {col.field_id for col in columns}
        fatal = checked.fatal
        present = [as_text(v) for v in header if not _is_blank(v)]
        for field_id in self.matcher.required:
            if field_id not in seen:
                label = self.matcher.labels[field_id]
                close = difflib.get_close_matches(
                    label, present, n=1, cutoff=0.6
                ) or difflib.get_close_matches(field_id, present, n=1, cutoff=0.6)
                hint = f"; the closest column present is {close[0]!r}" if close else ""
                self.report(
                    P.MISSING_COLUMN.at(
                        **at, header=label, field=f"{label} ({field_id})", hint=hint
                    )
                )
                fatal = True
        merged_rows: dict[int, Problem] = {}  # Excel row → the merge that hides its value
        for r0, c0, r1, c1 in raw.merged:
            ref = f"{column_letter(c0)}{r0 + 1}:{column_letter(c1)}{r1 + 1}"
            if r0 <= header_at <= r1 and c1 > c0:
                self.report(P.MERGED_HEADER.at(**at, row=header_at + 1, range=ref))
                fatal = True
            elif r0 > header_at and r1 > r0:
                problem = P.MERGED_CELLS.at(**at, row=r0 + 1, column=column_letter(c0), range=ref)
                self.report(problem)
                merged_rows.update(dict.fromkeys(range(r0 + 1, r1 + 2), problem))
        data = self._data_rows(file, sheet, raw, header_at)
        if fatal:
            for excel_row in data:
                self.rejected.append((file, sheet, excel_row, "the sheet's header has errors"))
            return None
        out = self._cells(file, raw, data, columns, header_at)
        for pos, excel_row in enumerate(data):
            if excel_row in merged_rows:
                out.bad_rows.setdefault(pos, merged_rows[excel_row].message)
        return out

    def _data_rows(self, file: str, sheet: str | None, raw: RawSheet, header_at: int) -> list[int]:
        """Excel row numbers (1-based) of the non-blank rows below the header."""
        n = max(raw.n_rows - header_at - 1, 0)
        has_value = np.zeros(n, dtype=bool)
        for column in raw.columns:
            has_value |= _filled(column.slice(header_at + 1))
        for i, _ in raw.error_cells:  # an error cell is a value, though the reader gives a blank
            if i > header_at:
                has_value[i - header_at - 1] = True
        rows = np.arange(header_at + 2, header_at + 2 + n)
        data = rows[has_value].tolist()
        if data:
            # Trailing blank rows are just the end of the sheet; only gaps are worth a note.
            inner = rows[~has_value & (rows < data[-1])].tolist()
            if inner:
                shown = ", ".join(map(str, inner[:10])) + (" ..." if len(inner) > 10 else "")
                self.report(P.BLANK_ROWS.at(file, sheet, count=len(inner), rows=shown))
        return [int(r) for r in data]

    def _cells(
        self, file: str, raw: RawSheet, excel_rows: list[int], columns: list[Column], header_at: int
    ) -> _SheetRows:
        """Normalise every recognised column, a column at a time.

        Each distinct value is normalised once (most columns hold a handful: Yes, No,
        N/A...); problems are then reported only at the rows that hold a bad value.
        """
        sheet = raw.name or None
        out = _SheetRows(file, sheet, excel_rows, {})
        at: dict[str, Any] = {"file": file, "sheet": sheet}
        # CSV: a record with the wrong number of fields would shift columns.
        for pos, problem in ragged_rows(file, raw, header_at, excel_rows):
            self.report(problem, out, pos)
        formulas = [k for k, cached in raw.formula_cells.items() if cached and k[0] > header_at]
        if formulas:
            cells = ", ".join(f"{column_letter(c)}{r + 1}" for r, c in sorted(formulas)[:5])
            more = " ..." if len(formulas) > 5 else ""
            self.report(P.FORMULA_CACHED.at(**at, count=len(formulas), cells=cells + more))
        below = np.asarray(excel_rows, dtype=np.int64) - header_at - 2  # offsets below the header
        contiguous = not len(below) or (below[0] == 0 and below[-1] == len(below) - 1)
        marked = raw.error_cells.keys() | raw.formula_cells.keys()
        # Sheet row index → position among the cases; only rows with a marked cell.
        marked_rows = {i for i, _ in marked}
        position = (
            {r - 1: pos for pos, r in enumerate(excel_rows) if r - 1 in marked_rows}
            if marked_rows
            else {}
        )

        def encode(col: Column) -> tuple[Coded | None, Any]:
            """Free text coded in Arrow, or any other column's codes and distinct values."""
            if col.index >= len(raw.columns):
                return None, (np.full(len(below), -1, dtype=np.int64), [])
            cells = raw.columns[col.index].slice(header_at + 1)
            cells = cells.slice(0, len(below)) if contiguous else cells.take(below)
            if self.normalisers[col.field_id] is _text and (plain := _plain_text(cells)):
                return plain, None
            return None, _factorize(cells)

        # Arrow releases the GIL: the columns are encoded two at a time.
        with ThreadPoolExecutor(max_workers=2) as pool:
            encoded = list(pool.map(encode, columns))
        for col, (plain, factorized) in zip(columns, encoded, strict=True):
            j = col.index
            where: dict[str, Any] = {**at, "column": col.letter, "header": col.header}
            if plain is not None:
                result = plain
                if col.field_id in REQUIRED_FIELD_IDS:
                    self._report_missing(plain.blank(), where, out, col.header)
            else:
                codes, uniques = factorized
                result = self._normalise_column(col, codes, uniques, where, out)
            for (i, jj), error in raw.error_cells.items():
                if jj == j and i in position:
                    result.blank_out(position[i])
                    self.report(P.EXCEL_ERROR.at(**where, row=i + 1, value=error), out, position[i])
            for (i, jj), cached in raw.formula_cells.items():
                if jj == j and i in position and not cached:
                    result.blank_out(position[i])
                    self.report(P.FORMULA_NO_VALUE.at(**where, row=i + 1), out, position[i])
            out.values[col.field_id] = result
        self._row_checks(out)
        return out

    def _normalise_column(
        self,
        col: Column,
        codes: np.ndarray,
        uniques: list[Any],
        where: dict[str, Any],
        out: _SheetRows,
    ) -> Coded:
        field = self.matcher.fields.get(col.field_id)
        is_text = field is not None and field.kind in ("text", "comment")
        normalise = self.normalisers[col.field_id]
        results = np.empty(len(uniques) + 1, dtype=object)  # the last slot: blank (code -1)
        results[-1] = None
        bad: dict[int, Bad] = {}
        for k, value in enumerate(uniques):
            if _is_blank(value):
                results[k] = None
                continue
            if is_text and isinstance(value, str) and len(value) > MAX_TEXT:
                for pos in np.nonzero(codes == k)[0]:
                    self.report(
                        P.TEXT_TOO_LONG.at(
                            **where, row=out.excel_rows[pos], length=len(value), limit=MAX_TEXT
                        )
                    )
                value = value[:MAX_TEXT]
            outcome = normalise(value)
            if isinstance(outcome, Bad):
                bad[k] = outcome
                results[k] = None
            else:
                results[k] = outcome
        result = Coded(np.where(codes < 0, len(uniques), codes).astype(np.intp), results)
        for k, outcome in bad.items():
            for pos in np.nonzero(codes == k)[0]:
                problem = outcome.kind.at(
                    **where,
                    row=out.excel_rows[pos],
                    found=outcome.found,
                    expected=outcome.expected,
                    allowed=outcome.expected,
                )
                self.report(problem, out, int(pos))
        if col.field_id in REQUIRED_FIELD_IDS:
            blank_codes = [k for k, u in enumerate(uniques) if _is_blank(u)]
            self._report_missing((codes < 0) | np.isin(codes, blank_codes), where, out, col.header)
        return result

    def _report_missing(
        self, blank: np.ndarray, where: dict[str, Any], out: _SheetRows, header: str
    ) -> None:
        for pos in np.nonzero(blank)[0]:
            problem = P.MISSING_VALUE.at(**where, row=out.excel_rows[pos], field=header)
            self.report(problem, out, int(pos))

    def _row_checks(self, rows: _SheetRows) -> None:
        """Required stages answered, and at least one answer per case (numpy, per column)."""
        fw = self.fw
        at: dict[str, Any] = {"file": rows.file, "sheet": rows.sheet}
        n = len(rows.excel_rows)
        area = rows.values["area_of_practice"]
        answered_any = np.zeros(n, dtype=bool)
        for stage in fw.stages:
            all_blank = np.ones(n, dtype=bool)
            stage_answered = np.zeros(n, dtype=bool)
            for ind in stage.indicators:
                coded = rows.values[f"{stage.id}.{ind.id}"]
                na_answer = fw.scale_of(ind).not_applicable
                # Decided once per distinct value, then spread to the rows by code.
                blank = (coded.values == None)[coded.codes]  # noqa: E711 (element-wise)
                all_blank &= blank
                if na_answer:
                    stage_answered |= ~blank & ~(coded.values == na_answer.id)[coded.codes]
                else:
                    stage_answered |= ~blank
            answered_any |= stage_answered
            required = np.isin(area.values, list(stage.required_for_areas))[area.codes]
            for kind, mask in (
                (P.REQUIRED_STAGE_BLANK, required & all_blank),
                (P.REQUIRED_STAGE_NOT_APPLICABLE, required & ~all_blank & ~stage_answered),
            ):
                for pos in np.nonzero(mask)[0]:
                    where = {**at, "row": rows.excel_rows[pos]}
                    area_label = fw.area_by_id[area.values[area.codes[pos]]].label
                    self.report(
                        kind.at(**where, stage=stage.label, area=area_label), rows, int(pos)
                    )
        for pos in np.nonzero(~answered_any)[0]:
            if int(pos) not in rows.bad_rows:
                self.report(P.NO_ANSWERS.at(**at, row=rows.excel_rows[pos]), rows, int(pos))


# --------------------------------------------------------------------------- whole load


def load_cases(
    paths: Sequence[Path],
    fw: Framework,
    limits: Limits | None = None,
    on_file: Callable[[int, int, str], None] | None = None,
    prepare_next: Callable[[], None] | None = None,
) -> LoadResult:
    """Load every case in ``paths`` (files or folders) against ``fw``; collect every problem."""
    # pandas and pyarrow (half a second to import) and the caller's next modules are
    # imported while the first file is parsed on the other core.
    meanwhile = _once_quietly([_import_libraries, *([prepare_next] if prepare_next else [])])
    limits = limits or Limits()
    loader = _Loader(fw, limits)
    files, input_problems = expand_inputs(paths)
    loader.problems.extend(input_problems)
    sources: list[SourceFile] = []
    frames: list[dict[str, Any]] = []
    for number, path in enumerate(files, start=1):
        if on_file is not None:
            on_file(number, len(files), path.name)  # e.g. to drive a progress bar
        try:
            raw = read_file(path, limits, meanwhile)
        except ReadFailure as failure:
            loader.problems.append(failure.problem)
            continue
        loader.problems.extend(raw.notes)
        frames.extend(_frame(fw, rows) for rows in _load_file(loader, raw))
        sources.append(SourceFile(path.name, str(path), raw.sha256, raw.size, 0, 0))
    import pandas as pd

    cases = _concat(fw, frames) if frames else _empty_frame(fw)
    cases = _check_duplicates(loader, cases)
    bad = cases["_reason"].notna()
    for row in cases.loc[bad, ["source_file", "source_sheet", "source_row", "_reason"]].itertuples(
        index=False
    ):
        loader.rejected.append((row[0], row[1], int(row[2]), str(row[3])))
    cases = cases.loc[~bad].drop(columns="_reason").reset_index(drop=True)
    rejected = pd.DataFrame(loader.rejected, columns=[*META_COLUMNS, "reason"])
    counted = [
        SourceFile(
            s.name,
            s.path,
            s.sha256,
            s.size,
            int((cases["source_file"] == s.name).sum() + (rejected["source_file"] == s.name).sum()),
            int((cases["source_file"] == s.name).sum()),
        )
        for s in sources
    ]
    if files and cases.empty and not any(p.is_error for p in loader.problems):
        loader.problems.append(
            P.NO_CASES.at(None, detail="no cases found: every sheet is empty below its header")
        )
    return LoadResult(fw, cases, tuple(loader.problems), tuple(counted), rejected)


def _import_libraries() -> None:
    import pandas  # noqa: F401
    import pyarrow.compute  # noqa: F401


def _once_quietly(steps: list[Callable[[], None]]) -> Callable[[], None]:
    """Run ``steps`` the first time only; a step that fails fails again where it is needed."""

    def run() -> None:
        while steps:
            step = steps.pop(0)
            with contextlib.suppress(Exception):
                step()

    return run


def _load_file(loader: _Loader, raw: RawFile) -> list[_SheetRows]:
    name = raw.path.name
    loaded: list[_SheetRows] = []
    headed = 0
    for sheet in raw.sheets:
        if _sheet_blank(sheet):
            if sheet.name and len(raw.sheets) > 1:
                loader.problems.append(
                    P.SHEET_SKIPPED.at(name, sheet.name, detail="empty sheet skipped")
                )
            continue
        header_at = loader.find_header(sheet.head(HEADER_SEARCH_ROWS))
        if header_at is None:
            if len(raw.sheets) > 1:
                loader.problems.append(
                    P.SHEET_SKIPPED.at(
                        name, sheet.name, detail="no header row of case columns; sheet skipped"
                    )
                )
            continue
        headed += 1
        result = loader.load_sheet(name, sheet, header_at)
        if result is not None:
            loaded.append(result)
        if result is not None and not result.excel_rows:
            loader.problems.append(
                P.NO_CASES.at(
                    name,
                    sheet.name or None,
                    detail="the sheet has a header row but no cases below it",
                )
            )
    if not headed:
        if all(_sheet_blank(s) for s in raw.sheets):
            loader.problems.append(P.NO_CASES.at(name, detail="the file has no data"))
        else:
            names = ", ".join(repr(s.name) for s in raw.sheets if s.name) or "the file"
            loader.problems.append(
                P.NO_HEADER.at(
                    name,
                    detail=f"no header row naming the case columns (Case reference, Force, Area of "
                    f"practice, Audit type, the indicators) in the first {HEADER_SEARCH_ROWS} rows "
                    f"of {names}",
                )
            )
    return loaded


def _frame(fw: Framework, rows: _SheetRows) -> dict[str, Any]:
    """One sheet's columns: meta columns as arrays, fields still coded; typed later."""
    n = len(rows.excel_rows)
    data: dict[str, Any] = {
        "source_file": np.full(n, rows.file, dtype=object),
        "source_sheet": np.full(n, rows.sheet or "", dtype=object),
        "source_row": np.asarray(rows.excel_rows, dtype=np.int64),
    }
    data.update(rows.values)
    reasons = np.full(n, None, dtype=object)
    for pos, reason in rows.bad_rows.items():
        reasons[pos] = reason
    data["_reason"] = reasons
    return data


def _concat(fw: Framework, frames: list[dict[str, Any]]) -> pd.DataFrame:
    """Sheets' columns end to end, typed; a column one sheet lacks is blank for its rows.

    Each column is typed once for all sheets: coded columns are joined as codes into
    their sheets' distinct values, and the distinct values are typed, then spread.
    """
    import pandas as pd

    names = list(dict.fromkeys(name for frame in frames for name in frame))
    converters = _converters(fw)
    columns = {}
    for name in names:
        convert = converters.get(name, _as_is)
        parts: list[Any] = [frame.get(name) for frame in frames]
        if all(part is None or isinstance(part, Coded) for part in parts):
            coded = _join_codes(
                [
                    part if part is not None else _blank_coded(len(frame["source_row"]))
                    for part, frame in zip(parts, frames, strict=True)
                ]
            )
            if isinstance(coded.values, np.ndarray):
                column = convert(pd.Series(coded.values)).take(coded.codes)
            else:  # free text, still in Arrow: spread by code without Python objects
                column = pd.Series(pd.arrays.ArrowStringArray(coded.values.take(coded.codes)))
        else:  # the meta columns: plain arrays in every sheet
            column = convert(pd.Series(np.concatenate(parts) if len(parts) > 1 else parts[0]))
        columns[name] = column.reset_index(drop=True)
    return pd.DataFrame(columns)


def _blank_coded(n: int) -> Coded:
    return Coded(np.zeros(n, dtype=np.intp), _BLANK)


def _join_codes(parts: list[Coded]) -> Coded:
    if len(parts) == 1:
        return parts[0]
    offsets = np.cumsum([0, *(len(p.values) for p in parts[:-1])])
    codes = np.concatenate([p.codes + offset for p, offset in zip(parts, offsets, strict=True)])
    if all(not isinstance(p.values, np.ndarray) for p in parts):
        import pyarrow as pa

        texts = [p.values.cast(pa.large_string()) for p in parts]
        return Coded(codes, pa.concat_arrays(texts))
    return Coded(codes, np.concatenate([p._objects() for p in parts]))


_BLANK = np.array([None], dtype=object)


def _as_is(values: pd.Series) -> pd.Series:
    return values


def _converters(fw: Framework) -> dict[str, Callable[[pd.Series], pd.Series]]:
    """Column id → how its tidy values become the frame's typed column."""
    import pandas as pd

    out: dict[str, Callable[[pd.Series], pd.Series]] = {
        "source_row": lambda v: v.astype("int64"),
    }
    for f in standard_fields(fw):
        if f.kind == "date":
            out[f.id] = lambda v: pd.to_datetime(v, errors="raise")
        elif f.kind == "age":
            out[f.id] = lambda v: v.astype("Int64")
        else:
            out[f.id] = lambda v: v.astype("string")
    for ref in fw.indicators:
        cats = [r.id for r in ref.scale.responses]
        if ref.scale.not_applicable:
            cats.append(ref.scale.not_applicable.id)
        out[ref.full_id] = _categorical(cats)
    return out


def _categorical(categories: list[str]) -> Callable[[pd.Series], pd.Series]:
    import pandas as pd

    def convert(values: pd.Series) -> pd.Series:
        return pd.Series(pd.Categorical(values, categories=categories))

    return convert


def _empty_frame(fw: Framework) -> pd.DataFrame:
    import pandas as pd

    cols = [*META_COLUMNS, *REQUIRED_FIELD_IDS, *(r.full_id for r in fw.indicators), "_reason"]
    converters = _converters(fw)
    return pd.DataFrame({c: converters.get(c, _as_is)(pd.Series([], dtype=object)) for c in cols})


def _check_duplicates(loader: _Loader, cases: pd.DataFrame) -> pd.DataFrame:
    """The same case (force, audit type, case ref) twice, in one file or across files."""
    import pandas as pd

    if cases.empty:
        return cases
    force_key = cases["force"].str.casefold()
    key = pd.DataFrame({"f": force_key, "a": cases["audit_type"], "c": cases["case_ref"]})
    usable = key.notna().all(axis=1)
    # The same case audited again in a later round is not a duplicate.
    rounds = cases["round"].fillna("") if "round" in cases else pd.Series("", index=cases.index)
    dup = pd.concat([key, rounds.rename("r")], axis=1).duplicated(keep=False) & usable
    if not dup.any():
        return cases
    first_seen: dict[tuple[str, str, str, str], str] = {}
    reasons = cases["_reason"].copy()
    subset = cases.loc[dup, ["source_file", "source_sheet", "source_row", "force"]]
    for idx, file, sheet, row, force in subset.itertuples():
        k = (
            str(key.at[idx, "f"]),
            str(key.at[idx, "a"]),
            str(key.at[idx, "c"]),
            str(rounds.at[idx]),
        )
        where = f"{file}" + (f", sheet {sheet!r}" if sheet else "") + f", row {row}"
        if k not in first_seen:
            first_seen[k] = where
            continue
        problem = P.DUPLICATE_CASE.at(
            str(file),
            str(sheet) or None,
            row=int(row),
            case_ref=k[2],
            force=force,
            audit_type=k[1],
            first=first_seen[k],
        )
        loader.problems.append(problem)
        if not isinstance(reasons.at[idx], str):
            reasons.at[idx] = problem.message
    cases = cases.copy()
    cases["_reason"] = reasons
    return cases

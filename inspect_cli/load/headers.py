"""Finding a sheet's header row and matching its columns to the framework's fields, by
id or label; unknown, blank and duplicate columns, and CSV records of the wrong width."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from inspect_cli import problems as P
from inspect_cli.fields import REQUIRED_FIELD_IDS, CaseField, standard_fields
from inspect_cli.frameworks import Framework, IndicatorRef, normalise_text
from inspect_cli.load.values import as_text, is_blank
from inspect_cli.problems import Problem
from inspect_cli.read import RawSheet, column_letter

HEADER_SEARCH_ROWS = 30


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
        self._matched: dict[str, str | None] = {}  # header text → field id, as found
        for f in self.fields.values():
            self._add(f.id, f.id, f.label, f.id.replace("_", " "), *f.aliases)
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

    def near(self, header: str) -> tuple[str, str] | None:
        """For a heading that matches no column: the label of the known column it looks
        like, and why (look-alike letters, or a close spelling), or None. A misspelt
        heading is an ignored column: for some (the review status) that changes what a
        report counts, so it is said, not left to a note."""
        from difflib import get_close_matches

        from inspect_cli.identity import force_key, lookalike_letters, skeleton

        key = normalise_text(header)
        folded = skeleton(force_key(header))
        for word, field_id in self.words.items():
            if skeleton(force_key(word)) == folded:
                odd = lookalike_letters(header)
                why = f" (with {', '.join(odd)})" if odd else " (with other characters)"
                return self.labels[field_id], why
        close = get_close_matches(key, list(self.words), n=1, cutoff=0.85)
        if close:
            return self.labels[self.words[close[0]]], " (a close spelling)"
        return None

    def match(self, header: str) -> str | None:
        # The header search matches every cell of 30 rows of every sheet: most repeat.
        try:
            return self._matched[header]
        except KeyError:
            found = self._matched[header] = self.words.get(normalise_text(header))
            return found


@dataclass(frozen=True)
class HeaderPick:
    """The header row found (0-based ``row``) and, when another row looks like a header
    too, that row and why: ``taken_over`` when a row above was passed over for this
    one, else a row below that was not taken."""

    row: int
    other: int | None = None
    detail: str = ""
    taken_over: bool = False

    def problem(self, file: str, sheet: str | None) -> Problem | None:
        """The warning that names both rows (as Excel numbers them), or None."""
        if self.other is None:
            return None
        kind = P.HEADER_ROW_LATER if self.taken_over else P.HEADER_ROW_DOUBT
        return kind.at(file, sheet, row=self.row + 1, other=self.other + 1, detail=self.detail)


def _named(row: Sequence[Any], matcher: HeaderMatcher) -> dict[int, str]:
    """Column index → the field id its cell names, for the cells that name one."""
    found: dict[int, str] = {}
    for j, v in enumerate(row):
        if not is_blank(v) and (field_id := matcher.match(as_text(v))) is not None:
            found[j] = field_id
    return found


def find_header_row(
    rows: Sequence[Sequence[Any]], matcher: HeaderMatcher, accept: Callable[[set[str]], bool]
) -> HeaderPick | None:
    """The header among the first HEADER_SEARCH_ROWS ``rows``: the first row whose field
    ids satisfy ``accept``, unless a later one is plainly the better header.

    A later row is taken when it names every column the first names, in the same
    places, and more; or the same ones on the very next row (ids under labels): the
    first was a legend or a title. Any other later header-like row is named in a
    warning, since a header read as a case would be wrong in every column.
    Case workbooks and case lists differ only in what makes a header row (``accept``).
    """
    found = [(i, _named(row, matcher)) for i, row in enumerate(rows[:HEADER_SEARCH_ROWS])]
    header = [(i, named) for i, named in found if accept(set(named.values()))]
    if not header:
        return None
    (first, named), later = header[0], header[1:]
    if not later:
        return HeaderPick(first)
    best, most = max(later, key=lambda item: (len(set(item[1].values())), -item[0]))
    n, m = len(set(named.values())), len(set(most.values()))
    if named.items() <= most.items() and m > n:
        detail = f"names the same {n} columns in the same places, and {m - n} more"
        return HeaderPick(best, first, detail, taken_over=True)
    if named.items() == most.items() and best == first + 1:
        detail = f"names the same {n} columns in the same places, on the next row"
        return HeaderPick(best, first, detail, taken_over=True)
    other, theirs = later[0]
    shared = len(named.items() & theirs.items())
    detail = f"it names {len(set(theirs.values()))} columns, {shared} of them as this row does"
    return HeaderPick(first, other, detail)


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
            near = matcher.near(text)
            if near is None:
                problems.append(P.UNKNOWN_COLUMN.at(**at, column=letter, header=text))
            else:
                known, why = near
                problems.append(
                    P.NEAR_COLUMN.at(**at, column=letter, header=text, known=known, why=why)
                )
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
            and all(is_blank(v) for v in raw.row(excel_row - 1)[header_width:])
        ):
            problem = P.RAGGED_ROW.at(
                file, raw.name or None, row=excel_row, expected=header_width, found=length
            )
            found.append((pos, problem))
    return found

"""Loading one file: which of its sheets are case sheets (as chosen with --sheet and
--skip-sheet, or by their header), then each case sheet by :class:`Loader`.

A sheet whose header names only a few of the case columns (a team's 'Summary' or
'Lookups' sheet) is not read as cases: one message says so, rather than an error for
every column it lacks. It is a warning when another sheet of the workbook is a case
sheet (the cases are there) and an error when none is (no case would be read). A
file with one sheet with a header (a CSV too) has no other to choose: its every
missing column is listed, as is a sheet's named with --sheet."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from inspect_cli import problems as P
from inspect_cli.load.coded import sheet_blank
from inspect_cli.load.headers import HEADER_SEARCH_ROWS, HeaderPick
from inspect_cli.load.inputs import Selection, sheet_key
from inspect_cli.load.sheet import Loader, SheetRows
from inspect_cli.load.values import as_text, is_blank
from inspect_cli.read import RawFile, RawSheet

MOST_NAMED = 8
"""Columns named in a message before '... and N more'."""


@dataclass(frozen=True)
class Headed:
    """A sheet with a header row, and the case columns (field ids) that row names."""

    sheet: RawSheet
    pick: HeaderPick
    named: list[str]


def load_file(
    loader: Loader, raw: RawFile, name: str | None = None, selection: Selection | None = None
) -> list[SheetRows]:
    """The cases of every case sheet of ``raw``, shown as ``name`` (default: its file name)."""
    name = name or raw.path.name
    chosen, explicit = chosen_sheets(loader.problems, raw, name, selection or Selection())
    if chosen is None:
        return []
    headed: list[Headed] = []
    for sheet in chosen:
        if sheet_blank(sheet):
            if sheet.name and len(raw.sheets) > 1:
                loader.problems.append(
                    P.SHEET_SKIPPED.at(name, sheet.name, detail="empty sheet skipped")
                )
            continue
        pick = loader.find_header(sheet.head(HEADER_SEARCH_ROWS))
        if pick is None:
            if len(raw.sheets) > 1:
                loader.problems.append(
                    P.SHEET_SKIPPED.at(
                        name, sheet.name, detail="no header row of case columns; sheet skipped"
                    )
                )
            continue
        headed.append(Headed(sheet, pick, _named(loader, sheet, pick.row)))
    if not headed:
        _no_header(loader, chosen, name)
        return []
    # With one candidate there is no other sheet to choose: every problem is listed.
    cases = headed if explicit or len(headed) == 1 else _case_sheets(loader, name, headed)
    return [rows for h in cases if (rows := _load(loader, name, h)) is not None]


def chosen_sheets(
    problems: list[P.Problem], raw: RawFile, name: str, selection: Selection
) -> tuple[list[RawSheet] | None, bool]:
    """The sheets to read (None: none, with an error added to ``problems``) and whether
    --sheet chose them. A CSV has one table and no sheet names: the choice is a
    workbook's. Case files and case lists (``sample``) choose sheets by this one rule."""
    sheets = raw.sheets
    if not any(s.name for s in sheets):
        return sheets, False
    skip = {sheet_key(s) for s in selection.skip_sheets}
    for sheet in sheets:
        if sheet_key(sheet.name) in skip:
            problems.append(
                P.SHEET_SKIPPED.at(name, sheet.name, detail="sheet skipped (--skip-sheet)")
            )
    sheets = [s for s in sheets if sheet_key(s.name) not in skip]
    if not selection.sheets:
        return sheets, False
    wanted = {sheet_key(s) for s in selection.sheets}
    picked = [s for s in sheets if sheet_key(s.name) in wanted]
    if not picked:
        problems.append(
            P.SHEET_NOT_FOUND.at(
                name,
                wanted=" or ".join(repr(s) for s in selection.sheets),
                sheets=", ".join(repr(s.name) for s in raw.sheets),
            )
        )
        return None, True
    return picked, True


def _named(loader: Loader, sheet: RawSheet, row: int) -> list[str]:
    """The case columns (required fields and indicators) the header row names, in order."""
    required = set(loader.matcher.required)
    named: list[str] = []
    for value in sheet.head(row + 1)[row]:
        field_id = None if is_blank(value) else loader.matcher.match(as_text(value))
        if field_id in required and field_id not in named:
            named.append(field_id)
    return named


def _case_sheets(loader: Loader, name: str, headed: list[Headed]) -> list[Headed]:
    """The sheets that name at least half the case columns; one message for each other."""
    total = len(loader.matcher.required)
    cases = [h for h in headed if 2 * len(h.named) >= total]
    for h in headed:
        if h in cases:
            continue
        labels = [loader.matcher.labels[f] for f in h.named]
        at: dict[str, Any] = {"found": len(h.named), "total": total, "names": ", ".join(labels)}
        sheet = h.sheet.name or None
        if cases:
            loader.problems.append(P.NOT_CASE_SHEET.at(name, sheet, name=h.sheet.name, **at))
            continue
        missing = [loader.matcher.labels[f] for f in loader.matcher.required if f not in h.named]
        shown = ", ".join(missing[:MOST_NAMED])
        shown += f" and {len(missing) - MOST_NAMED} more" if len(missing) > MOST_NAMED else ""
        loader.problems.append(
            P.NO_CASE_SHEET.at(name, sheet, name=h.sheet.name, missing=shown, **at)
        )
        if (doubt := h.pick.problem(name, sheet)) is not None:  # the header may be lower
            loader.problems.append(doubt)
    return cases


def _load(loader: Loader, name: str, h: Headed) -> SheetRows | None:
    sheet = h.sheet
    if (doubt := h.pick.problem(name, sheet.name or None)) is not None:
        loader.problems.append(doubt)
    result = loader.load_sheet(name, sheet, h.pick.row)
    if result is not None and not result.excel_rows:
        loader.problems.append(
            P.NO_CASES.at(
                name, sheet.name or None, detail="the sheet has a header row but no cases below it"
            )
        )
    return result


def _no_header(loader: Loader, sheets: list[RawSheet], name: str) -> None:
    if all(sheet_blank(s) for s in sheets):
        loader.problems.append(P.NO_CASES.at(name, detail="the file has no data"))
        return
    names = ", ".join(repr(s.name) for s in sheets if s.name) or "the file"
    loader.problems.append(
        P.NO_HEADER.at(
            name,
            detail=f"no header row naming the case columns (Case reference, Force, Area of "
            f"practice, Audit type, the indicators) in the first {HEADER_SEARCH_ROWS} rows "
            f"of {names}",
        )
    )

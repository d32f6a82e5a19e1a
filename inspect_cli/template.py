"""Blank case audit workbooks for a framework, with drop-down answers.

A template must load as a case file, so it has no 'Provenance' sheet (that sheet
marks the tool's own outputs, which the loader skips) and its header row uses
the exact labels the loader matches. Every text goes through ``write_string``
on a workbook that never turns strings into formulas, URLs or numbers: a label
in a framework file can never become live content in a spreadsheet.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from inspect_cli.fields import (
    AUDIT_TYPES,
    EXAMPLE_STATUS_WORDS,
    EXAMPLE_WORDS,
    FLAG_WORDS,
    REVIEW_STATUSES,
    YES_NO_WORDS,
    CaseField,
    standard_fields,
)
from inspect_cli.frameworks import Framework, IndicatorRef, Scale
from inspect_cli.template_force import write_force_sheet
from inspect_cli.template_guidance import scale_answers as scale_answers
from inspect_cli.template_guidance import write_guidance

CASES_SHEET = "Cases"
GUIDANCE_SHEET = "Guidance"
LISTS_SHEET = "Lists"
SAMPLE_SHEET = "Sample"
HEADER_ROW = 3
"""0-based: two title rows and the stage band above it, so the header is Excel row 4."""
BAND_ROW = HEADER_ROW - 1
"""The row naming each stage above its indicator columns (merged across them)."""
FIRST_DATA_ROW = HEADER_ROW + 1
SPARE_ROWS = 1000
"""Rows below any prefilled ones that get drop-downs, enough for a force's audit."""

_WORKBOOK_OPTIONS = {
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
}
_MAX_MESSAGE = 255  # Excel refuses longer validation messages (xlsxwriter drops the rule)
_REQUIRED_FILL = "#D9D9D9"
_STAGE_FILLS = ("#DDEBF7", "#E2EFDA", "#FFF2CC", "#FCE4D6", "#EDE7F6", "#DEF2F1", "#F8E1EC")
_WIDTHS = {
    "text": 16.0,
    "area": 30.0,
    "audit_type": 16.0,
    "grade": 18.0,
    "date": 13.0,
    "age": 9.0,
    "flag": 12.0,
    "yes_no": 12.0,
    "referral_reason": 30.0,
    "review_status": 14.0,
    "example": 20.0,
    "example_status": 14.0,
    "stage": 24.0,
    "comment": 40.0,
    "indicator": 16.0,
}
_DATE_RANGE = (dt.date(1900, 1, 1), dt.date(2099, 12, 31))
_TEXT_KINDS = {"text", "comment"}
"""Columns formatted as Text ('@'), so Excel keeps what is typed: ``00417`` stays
``00417`` instead of becoming the number 417."""

Book = Any  # xlsxwriter ships no type hints
Sheet = Any
Format = Any


@dataclass(frozen=True)
class _Choices:
    """A drop-down: the values offered and the list on the Lists sheet that holds them."""

    key: str
    header: str
    values: tuple[str, ...]


@dataclass(frozen=True)
class _Column:
    """One column of the Cases sheet."""

    id: str
    label: str
    kind: str  # a FieldKind, or "indicator"
    note: str
    stage: int | None = None  # index of the stage whose colour the header takes
    required: bool = False
    choices: _Choices | None = None


# --------------------------------------------------------------------------- layout


def _field_choices(fw: Framework, forces: Sequence[str]) -> dict[str, _Choices]:
    """The drop-downs of the standard fields, by field id or kind; the Force column
    offers ``forces`` only, when some are given."""
    force = {"force": _Choices("force", "List: forces", tuple(forces))} if forces else {}
    return {
        **force,
        "area": _Choices(
            "area", "List: areas of practice", tuple(a.label for a in fw.areas_of_practice)
        ),
        "audit_type": _Choices("audit_type", "List: audit types", tuple(AUDIT_TYPES)),
        "grade": _Choices("grade", "List: case grades", tuple(g.label for g in fw.case_grades)),
        "flag": _Choices("flag", "List: yes/no/unknown", tuple(FLAG_WORDS)),
        "yes_no": _Choices("yes_no", "List: yes/no", tuple(YES_NO_WORDS)),
        "review_status": _Choices("review_status", "List: review statuses", tuple(REVIEW_STATUSES)),
        **_reason_choices(fw),
        "example": _Choices("example", "List: example themes", tuple(EXAMPLE_WORDS)),
        "example_status": _Choices(
            "example_status", "List: example status", tuple(EXAMPLE_STATUS_WORDS)
        ),
        "stage": _Choices("stage", "List: stages", tuple(s.label for s in fw.stages)),
    }


def _reason_choices(fw: Framework) -> dict[str, _Choices]:
    """The framework's referral reasons, when it lists any (none: a free column that
    the loader refuses any value in, as the framework says nothing may go there)."""
    labels = tuple(r.label for r in fw.referral_reasons)
    if not labels:
        return {}
    return {"referral_reason": _Choices("referral_reason", "List: referral reasons", labels)}


def _scale_choices(scale: Scale) -> _Choices:
    # "List:" keeps list headers from ever matching a case column header.
    return _Choices(f"scale:{scale.id}", f"List: {scale.label}", scale_answers(scale))


def _field_note(field: CaseField, choices: _Choices | None) -> str:
    lines = [f"Column id: {field.id}"]
    if field.required:
        lines.append("Required: every case needs a value.")
    if field.description:
        lines.append(field.description)
    if choices is not None:
        lines.append("Answers: " + ", ".join(choices.values))
    return "\n".join(lines)


def _indicator_note(fw: Framework, ref: IndicatorRef) -> str:
    lines = [f"Column id: {ref.full_id}", ""]
    if ref.indicator.text:
        lines += [ref.indicator.text, ""]
    if ref.indicator.limiting:
        cap = fw.scoring.stage.limiting_cap
        lines += [f"Limiting: its worst answer caps the stage at {cap}.", ""]
    lines.append("Answers: " + ", ".join(scale_answers(ref.scale)))
    return "\n".join(lines)


def _case_columns(fw: Framework, forces: Sequence[str] = ()) -> list[_Column]:
    """Cases sheet columns in order: required fields, other fields, indicators, comments."""
    choices = _field_choices(fw, forces)
    fields = standard_fields(fw)
    stage_index = {s.id: i for i, s in enumerate(fw.stages)}

    def of_field(f: CaseField, stage: int | None = None) -> _Column:
        pick = choices.get(f.id) or choices.get(f.kind)
        return _Column(f.id, f.label, f.kind, _field_note(f, pick), stage, f.required, pick)

    columns = [of_field(f) for f in fields if f.required]
    columns += [of_field(f) for f in fields if not f.required and f.kind != "comment"]
    columns += [
        _Column(
            ref.full_id,
            ref.indicator.label,
            "indicator",
            _indicator_note(fw, ref),
            stage_index[ref.stage.id],
            choices=_scale_choices(ref.scale),
        )
        for ref in fw.indicators
    ]
    columns += [
        of_field(f, stage_index[f.id.partition(".")[0]]) for f in fields if f.kind == "comment"
    ]
    return columns


def _lists(columns: Iterable[_Column]) -> list[_Choices]:
    """Each distinct drop-down once, in first-use order."""
    seen: dict[str, _Choices] = {}
    for col in columns:
        if col.choices is not None:
            seen.setdefault(col.choices.key, col.choices)
    return list(seen.values())


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _fit(text: str, limit: int) -> str:
    """``text`` cut to Excel's ``limit`` (counted in UTF-16 units, as Excel counts)."""
    if _utf16_len(text) <= limit:
        return text
    while text and _utf16_len(text + "…") > limit:
        text = text[:-1]
    return text.rstrip(" ,") + "…"


def _choice_message(values: Sequence[str]) -> str:
    """'Choose one of: a, b, c.', cut at a whole answer if Excel's limit is reached."""
    full = "Choose one of: " + ", ".join(values) + "."
    if _utf16_len(full) <= _MAX_MESSAGE:
        return full
    tail = ", … (all are listed on the Guidance sheet)."
    shown: list[str] = []
    for value in values:
        if _utf16_len("Choose one of: " + ", ".join([*shown, value]) + tail) > _MAX_MESSAGE:
            break
        shown.append(value)
    return _fit("Choose one of: " + ", ".join(shown) + tail, _MAX_MESSAGE)


# --------------------------------------------------------------------------- writing


def write_template(
    fw: Framework,
    target: Path,
    *,
    force: str | None = None,
    rows: list[dict[str, str]] | None = None,
    notes: list[tuple[str, str]] | None = None,
    forces: Sequence[str] = (),
) -> None:
    """Write a case audit workbook for ``fw`` to ``target``.

    ``force`` goes into the title. ``forces`` restricts the Force column to a
    drop-down of those names; with exactly one, prefilled rows that leave the force
    blank get it. (Blank rows are left blank: a row holding only a force would load as
    a case with every other column missing.)

    ``rows`` prefill data rows (e.g. a sample of cases), keyed by column id; values
    are written as text. A key that is not a column of the Cases sheet is a
    ``ValueError``, since a silently dropped value would be lost from the audit.
    ``notes`` (label, value) pairs go on a 'Sample' sheet, e.g. how a sample was
    drawn; the loader skips it, as it has no header row of case columns.
    """
    import xlsxwriter  # imported here: the CLI starts faster without it

    from inspect_cli import __version__

    rows = rows or []
    columns = _case_columns(fw, forces)
    _check_rows(rows, columns)
    if len(forces) == 1:
        rows = [{**row, "force": row.get("force", "").strip() or forces[0]} for row in rows]
    with xlsxwriter.Workbook(str(target), _WORKBOOK_OPTIONS) as book:
        book.set_properties(
            {
                "title": f"{fw.title} case audit",
                "subject": f"{fw.id} {fw.version}",
                "author": "inspect-cli",
                "comments": f"Case audit template written by inspect-cli {__version__}; "
                "fill in the Cases sheet, then load it with inspect-cli.",
            }
        )
        cases = book.add_worksheet(CASES_SHEET)
        guidance = book.add_worksheet(GUIDANCE_SHEET)
        lists = book.add_worksheet(LISTS_SHEET)
        sources = _write_lists(book, lists, _lists(columns))
        _write_cases(book, cases, fw, columns, sources, force, rows)
        # The framework's force-level topics, on a sheet the loader never reads as cases.
        write_force_sheet(book, lists, len(sources), fw, force or _only(forces))
        guidance.set_landscape()
        guidance.fit_to_pages(1, 0)
        answers = [(c.id, ", ".join(c.choices.values) if c.choices else "") for c in columns]
        write_guidance(book, guidance, fw, answers)
        if notes:
            _write_notes(book, book.add_worksheet(SAMPLE_SHEET), notes)
        cases.activate()


def _only(forces: Sequence[str]) -> str | None:
    return forces[0] if len(forces) == 1 else None


def _write_notes(book: Book, sheet: Sheet, notes: Sequence[tuple[str, str]]) -> None:
    """Label/value rows, as text: a label or value never becomes live content."""
    bold = book.add_format({"bold": True, "valign": "top"})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    sheet.set_column(0, 0, 34)
    sheet.set_column(1, 1, 90)
    for i, (label, value) in enumerate(notes):
        if label:
            sheet.write_string(i, 0, label, bold)
        if value:
            sheet.write_string(i, 1, value, wrap)


def _check_rows(rows: Sequence[dict[str, str]], columns: Sequence[_Column]) -> None:
    known = {c.id for c in columns}
    unknown = sorted({key for row in rows for key in row} - known)
    if unknown:
        raise ValueError(f"rows have keys that are not template columns: {', '.join(unknown)}")


def _write_lists(book: Book, sheet: Sheet, lists: Sequence[_Choices]) -> dict[str, str]:
    """One column per drop-down list; returns each list's range, for validations."""
    from xlsxwriter.utility import xl_col_to_name

    bold = book.add_format({"bold": True})
    sources: dict[str, str] = {}
    for j, choices in enumerate(lists):
        sheet.write_string(0, j, choices.header, bold)
        for i, value in enumerate(choices.values, start=1):
            sheet.write_string(i, j, value)
        width = max(len(v) for v in (choices.header, *choices.values))
        sheet.set_column(j, j, min(width + 2, 60))
        letter = xl_col_to_name(j)
        sources[choices.key] = f"={LISTS_SHEET}!${letter}$2:${letter}${len(choices.values) + 1}"
    sheet.hide()  # the lists only feed the drop-downs; the Guidance sheet explains them
    return sources


def _title(fw: Framework, force: str | None) -> str:
    title = f"{fw.title}, version {fw.version}: case audit"
    return f"{title} for {force}" if force else title


def _header_format(book: Book, col: _Column) -> Format:
    spec: dict[str, Any] = {"bold": True, "text_wrap": True, "valign": "top", "border": 1}
    if col.required:
        spec["bg_color"] = _REQUIRED_FILL
    elif col.stage is not None:
        spec["bg_color"] = _STAGE_FILLS[col.stage % len(_STAGE_FILLS)]
    return book.add_format(spec)


def _header_height(columns: Sequence[_Column]) -> float:
    """Tall enough for the longest wrapped label (Excel does not autofit on open)."""
    lines = max(math.ceil(len(c.label) / max(_WIDTHS[c.kind] - 1, 1)) for c in columns)
    return min(15.0 * max(lines, 1) + 3, 120.0)


def _write_cases(
    book: Book,
    sheet: Sheet,
    fw: Framework,
    columns: Sequence[_Column],
    sources: dict[str, str],
    force: str | None,
    rows: Sequence[dict[str, str]],
) -> None:
    sheet.write_string(0, 0, _title(fw, force), book.add_format({"bold": True, "font_size": 14}))
    sheet.write_string(
        1,
        0,
        "One row per case. Choose answers from the drop-down lists. "
        f"Framework id: {fw.id} {fw.version}.",
        book.add_format({"italic": True}),
    )
    date_format = book.add_format({"num_format": "dd/mm/yyyy"})
    wrap_format = book.add_format({"text_wrap": True, "valign": "top", "num_format": "@"})
    text_format = book.add_format({"num_format": "@"})
    last_row = FIRST_DATA_ROW + len(rows) + SPARE_ROWS - 1
    sheet.set_row(HEADER_ROW, _header_height(columns))
    for j, col in enumerate(columns):
        sheet.write_string(HEADER_ROW, j, col.label, _header_format(book, col))
        sheet.write_comment(HEADER_ROW, j, col.note, _note_options(col.note))
        cell_format = {"date": date_format, "comment": wrap_format, "text": text_format}.get(
            col.kind
        )
        sheet.set_column(j, j, _WIDTHS[col.kind], cell_format)
        rule = _validation(col, sources)
        if rule is not None:
            sheet.data_validation(FIRST_DATA_ROW, j, last_row, j, rule)
    for i, row in enumerate(rows, start=FIRST_DATA_ROW):
        for j, col in enumerate(columns):
            value = row.get(col.id, "")
            if value.strip():
                sheet.write_string(i, j, value, text_format if col.kind == "text" else None)
    _write_band(book, sheet, fw, columns)
    sheet.freeze_panes(FIRST_DATA_ROW, 1)  # keep the header and case reference in view
    sheet.autofilter(HEADER_ROW, 0, last_row, len(columns) - 1)
    sheet.set_landscape()
    sheet.fit_to_pages(1, 0)  # one page wide, as many pages tall as the cases take
    sheet.repeat_rows(BAND_ROW, HEADER_ROW)  # stage band and header on every printed page


def _write_band(book: Book, sheet: Sheet, fw: Framework, columns: Sequence[_Column]) -> None:
    """Each stage's name above its run of indicator columns, in the stage's colour, so
    the indicator columns are told apart by more than fill colour."""
    runs: list[tuple[int, int, int]] = []  # (stage, first column, last column)
    for j, col in enumerate(columns):
        if col.kind != "indicator" or col.stage is None:
            continue
        if runs and runs[-1][0] == col.stage and runs[-1][2] == j - 1:
            runs[-1] = (col.stage, runs[-1][1], j)
        else:
            runs.append((col.stage, j, j))
    for stage, first, last in runs:
        fmt = book.add_format(
            {
                "bold": True,
                "align": "center",
                "valign": "vcenter",
                "border": 1,
                "bg_color": _STAGE_FILLS[stage % len(_STAGE_FILLS)],
            }
        )
        label = fw.stages[stage].label
        if last > first:
            sheet.merge_range(BAND_ROW, first, BAND_ROW, last, "", fmt)
        sheet.write_string(BAND_ROW, first, label, fmt)


def _note_options(note: str) -> dict[str, Any]:
    """Size a header note to its text, so the full indicator text shows on hover."""
    lines = sum(math.ceil(max(len(line), 1) / 48) for line in note.splitlines())
    return {"author": "inspect-cli", "x_scale": 2.5, "y_scale": max(1.0, lines / 4)}


def _validation(col: _Column, sources: dict[str, str]) -> dict[str, Any] | None:
    """The data validation rule for a column, or None for free text."""
    if col.choices is not None:
        return {
            "validate": "list",
            "source": sources[col.choices.key],
            "error_type": "stop",
            "error_title": "Not one of the listed answers",
            "error_message": _choice_message(col.choices.values),
        }
    if col.kind == "date":
        return {
            "validate": "date",
            "criteria": "between",
            "minimum": _DATE_RANGE[0],
            "maximum": _DATE_RANGE[1],
            "error_type": "stop",
            "error_title": "Not a date",
            "error_message": "Enter a date, day first, such as 05/03/2024.",
        }
    if col.kind == "age":
        return {
            "validate": "integer",
            "criteria": "between",
            "minimum": 0,
            "maximum": 17,
            "error_type": "stop",
            "error_title": "Not a child's age",
            "error_message": "Enter the child's age in whole years, from 0 to 17.",
        }
    return None

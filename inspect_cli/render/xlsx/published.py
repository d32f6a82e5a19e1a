"""Published workbooks (``--publish``), laid out to the Analysis Function checklist
"Releasing statistics in spreadsheets", as the R package a11ytables lays them out.

Sheets: Cover (title, what the data are, source, date made, the small-numbers rule,
the shorthand, the marking if one is given), Contents (a link to every sheet), Notes
(numbered), one sheet per table, then Provenance (its A1 marks the workbook as this
tool's output, so the loader never reads it as cases). A table sheet holds a title
row ("Table 1: …" with its note markers), a caption, then one Excel table with one
header row: nothing below it, no merged cells, no blank rows.

A figure cell holds a number or one bracketed shorthand, never other text: ``[c]``
hidden by small-number suppression, ``[x]`` not available (a force with no recorded
case assessments), ``[z]`` not applicable (no such figure: the share of no cases, a
total's share). Each shorthand used is explained on the Notes sheet and the cover.
No page header or footer anywhere (a marking is a cell on the cover); the cover is
the active sheet and A1 the active cell of every sheet. Text goes through the kit's
``Sheet.text``: always a string, quote-prefixed when it starts like a formula.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from inspect_cli.read import OUTPUT_MARKER
from inspect_cli.render.cells import FORMULA_STARTS
from inspect_cli.render.xlsx.kit import (
    GRADE_HEADER,
    Across,
    Cell,
    CiPct,
    Hidden,
    Num,
    Pct,
    Sheet,
    Styles,
    grade_cells,
    open_workbook,
)
from inspect_cli.reports.common import GradeRow, ReportMeta
from inspect_cli.reports.counts import IndicatorCount
from inspect_cli.reports.suppress import SYMBOL

CREATOR = "inspect-cli"
SHORTHAND = {
    "[c]": "[c] confidential: a figure hidden to protect the children in small numbers "
    "of cases (see the note on small numbers).",
    "[x]": "[x] not available: the force has no recorded case assessments in these data, "
    "so it has no figures.",
    "[z]": "[z] not applicable: there is no such figure (for example the share of no "
    "cases, or the share of a total).",
}
TABLE_STYLE = "Table Style Light 9"
NOTE_WIDTH = 100
WRAP_AT = 60
MAX_HEADER = 240  # Excel's limit on a table column's name is 255, with room for " (2)"
COVER_WIDTH = 110


@dataclass(frozen=True)
class Short:
    """A bracketed shorthand in place of a figure."""

    symbol: str


CONFIDENTIAL = Short("[c]")
NOT_AVAILABLE = Short("[x]")
NOT_APPLICABLE = Short("[z]")

PubCell = Cell | Short


@dataclass(frozen=True)
class Table:
    """One table sheet: ``rows`` line up with ``header``; the last ``totals`` are totals."""

    sheet: str
    title: str
    caption: str
    header: Sequence[str]
    rows: Sequence[Sequence[PubCell]]
    notes: Sequence[str] = ()
    totals: int = 0
    empty: str = ""
    """Said on the Notes sheet when there are no rows (the sheet is then left out)."""


@dataclass(frozen=True)
class Publication:
    meta: ReportMeta
    about: str
    """What the data are, for the cover."""
    tables: Sequence[Table]
    details: Sequence[tuple[str, str]] = ()
    """Extra Provenance rows (label, value)."""


def grade_figures(row: GradeRow) -> list[PubCell]:
    """The nine figure cells of a grade row (kit's ``GRADE_HEADER``); ``[x]`` when the
    force has no recorded case assessments."""
    if not row.recorded:
        return [NOT_AVAILABLE] * len(GRADE_HEADER)
    return [*grade_cells(row)]


RANK_HEADER = "Rank among counts shown"


def rank_cell(rank: int, item: IndicatorCount) -> PubCell:
    """An indicator's place in the list: ``[c]`` when its count is hidden (the list
    puts hidden counts last, so their places say nothing of their size)."""
    return CONFIDENTIAL if "worst" in item.suppressed else rank


def flag(row: GradeRow) -> PubCell:
    """The ▲ serious-concern flag of a grade row: ``[x]`` not recorded, ``[c]`` when
    hidden (publication hides it with the inadequate count or the total behind it)."""
    if not row.recorded:
        return NOT_AVAILABLE
    hidden = "serious_concern" in row.suppressed
    return CONFIDENTIAL if hidden else ("yes" if row.serious_concern else "no")


# --------------------------------------------------------------------------- writing


def write_published(pub: Publication, target: Path) -> None:
    workbook = open_workbook(target)
    try:
        _write(pub, workbook)
    finally:
        workbook.close()


def _write(pub: Publication, workbook: Any) -> None:
    styles = Styles(workbook)
    _properties(workbook, pub.meta)
    # xlsxwriter orders sheets as they are added: the front sheets first, filled last.
    cover, contents, notes_sheet = (
        Sheet(workbook.add_worksheet(name), styles, name) for name in ("Cover", "Contents", "Notes")
    )
    shown = [t for t in pub.tables if t.rows]
    bodies = [[[resolve(c) for c in row] for row in t.rows] for t in shown]
    symbols = [{c.symbol for row in body for c in row if isinstance(c, Short)} for body in bodies]
    used = [s for s in SHORTHAND if any(s in found for found in symbols)]
    general = [_plain(note) for note in pub.meta.notes]
    left_out = [f"{t.sheet}: {t.empty}" for t in pub.tables if not t.rows and t.empty]
    numbers: dict[str, int] = {}
    for note in [*general, *(SHORTHAND[s] for s in used), *(n for t in shown for n in t.notes)]:
        numbers.setdefault(note, len(numbers) + 1)
    for note in left_out:
        numbers.setdefault(note, len(numbers) + 1)

    entries = [("Notes", "Notes: what the note markers [note 1], [note 2] … in table titles mean")]
    for number, (table, body, found) in enumerate(zip(shown, bodies, symbols, strict=True), 1):
        refs = [*general, *(SHORTHAND[s] for s in SHORTHAND if s in found), *table.notes]
        marks = sorted({numbers[n] for n in refs})
        title = f"Table {number}: {table.title}"
        full = " ".join([title, *(f"[note {n}]" for n in marks)])
        _table_sheet(workbook, styles, table, full, body, number)
        entries.append((table.sheet, title))
    entries.append(("Provenance", "Provenance: how, when and from which files this was made"))
    _provenance(workbook, styles, pub)
    _cover(cover, pub, used)
    _listing(
        contents,
        "Contents",
        "This worksheet contains one table. Each sheet name links to its sheet.",
        ("Sheet name", "Sheet contents"),
        entries,
        links=True,
    )
    _listing(
        notes_sheet,
        "Notes",
        "This worksheet contains one table. Table titles refer to these notes as "
        "[note 1], [note 2] and so on.",
        ("Note number", "Note text"),
        [(f"[note {n}]", note) for note, n in numbers.items()],
    )


def resolve(cell: PubCell) -> PubCell:
    """The cell as written: a hidden figure is ``[c]``; a missing one ``[z]``."""
    if isinstance(cell, Hidden):
        return CONFIDENTIAL
    if isinstance(cell, Across):
        raise TypeError("a published table has one value per cell")
    if cell is None or cell == "":
        return NOT_APPLICABLE
    if isinstance(cell, bool):  # never a 1 or 0
        return "yes" if cell else "no"
    if isinstance(cell, Pct | CiPct | Num):
        value = cell.value
        if value is None or (isinstance(value, float) and not math.isfinite(value)):
            return NOT_APPLICABLE
    return cell


def _plain(note: str) -> str:
    """A report note names the suppression symbol bare ('c'); the workbook shows '[c]'."""
    return note.replace(f"'{SYMBOL}'", CONFIDENTIAL.symbol)


def _properties(workbook: Any, meta: ReportMeta) -> None:
    props: dict[str, Any] = {
        "title": meta.title,
        "subject": meta.framework_title,
        "author": CREATOR,
        "comments": "Published: small numbers suppressed.",
    }
    with contextlib.suppress(ValueError):  # the report's own time: the same report, same file
        props["created"] = dt.datetime.fromisoformat(meta.provenance.created)
    workbook.set_properties(props)


def _table_sheet(
    workbook: Any,
    styles: Styles,
    table: Table,
    title: str,
    body: Sequence[Sequence[PubCell]],
    number: int,
) -> None:
    sh = Sheet(workbook.add_worksheet(table.sheet), styles, table.sheet)
    sh.title(title)
    sh.caption(table.caption)
    _excel_table(sh, f"Table{number}_{table.sheet}", table.header, body, table.totals)
    sh.finish(freeze_cols=0)


def _excel_table(
    sh: Sheet,
    name: str,
    header: Sequence[str],
    body: Sequence[Sequence[PubCell]],
    totals: int = 0,
) -> None:
    """One Excel table at ``sh.row``: one header row, then ``body`` with no gaps."""
    labels = unique_labels(header)
    first = sh.row
    columns = []
    for col, label in enumerate(labels):
        quoted = label.startswith(FORMULA_STARTS)
        columns.append({"header": label, "header_format": sh.styles.get("wrap", quoted=quoted)})
        longest_word = max((len(w) for w in label.split()), default=0)
        sh.widths[col] = max(sh.widths.get(col, 0), longest_word + 1, min(len(label), 16))
    options = {
        "name": re.sub(r"[^A-Za-z0-9_]+", "_", name),
        "style": TABLE_STYLE,
        "columns": columns,
    }
    sh.ws.add_table(first, 0, first + len(body), len(labels) - 1, options)
    for i, row in enumerate(body):
        if len(row) != len(labels):
            raise ValueError(f"{sh.name}: a row of {len(row)} cells under {len(labels)} headers")
        style = "total" if i >= len(body) - totals else ""
        for col, value in enumerate(row):
            _cell(sh, first + 1 + i, col, resolve(value), style)
    sh.row = first + len(body) + 1


def _cell(sh: Sheet, row: int, col: int, value: PubCell, row_style: str) -> None:
    if isinstance(value, Short):
        sh.text(row, col, value.symbol, "hidden", row_style)
        sh.widths[col] = max(sh.widths.get(col, 0), len(value.symbol))
    elif isinstance(value, str) and len(value) > WRAP_AT:  # long text wraps in its column
        sh.text(row, col, value, "wrap", row_style)
        sh.widths[col] = max(sh.widths.get(col, 0), WRAP_AT)
    else:
        sh.cell(row, col, value, row_style)


def unique_labels(header: Sequence[str]) -> list[str]:
    """Excel table headers: one line, not empty, not too long, unique ignoring case."""
    seen: set[str] = set()
    out = []
    for i, label in enumerate(header, start=1):
        text = " ".join(label.split())[:MAX_HEADER] or f"Column {i}"
        base, n = text, 1
        while text.casefold() in seen:
            n += 1
            text = f"{base} ({n})"
        seen.add(text.casefold())
        out.append(text)
    return out


def _listing(
    sh: Sheet,
    title: str,
    caption: str,
    header: tuple[str, str],
    rows: Sequence[tuple[str, str]],
    *,
    links: bool = False,
) -> None:
    """The Contents or Notes sheet: a title, a caption and one two-column table."""
    sh.title(title)
    sh.caption(caption)
    first = sh.row + 1
    _excel_table(sh, f"{title}_table", header, [[a, b] for a, b in rows])
    if links:  # sheet names are this module's own, never text from the data
        for i, (name, _) in enumerate(rows):
            sh.ws.write_url(first + i, 0, f"internal:'{name}'!A1", None, string=name)
    sh.finish(freeze_cols=0, widths={1: NOTE_WIDTH})


def _cover(sh: Sheet, pub: Publication, used: Sequence[str]) -> None:
    meta = pub.meta
    if meta.marking:
        sh.text(sh.row, 0, meta.marking, "marking")
        sh.row += 1
    sh.title(meta.title)
    threshold = meta.suppression_threshold
    small = (
        f"counts from 1 to {threshold - 1}, and further figures that would give one away, "
        if threshold and threshold > 1
        else "small counts, and further figures that would give one away, "
    )
    sections: list[tuple[str, Sequence[str]]] = [
        ("About these data", [pub.about]),
        (
            "Source",
            [
                f"{meta.framework_title} (framework {meta.framework_id}, version "
                f"{meta.framework_version}); case audits scored with inspect-cli "
                f"{meta.provenance.tool_version}."
            ],
        ),
        ("Date made", [meta.provenance.created[:10] or "not recorded"]),
        (
            "Small numbers",
            [
                f"To protect the children in the cases, {small}are shown as [c]. "
                "The Notes sheet gives the rule in full."
            ],
        ),
        ("Shorthand used in the tables", [SHORTHAND[s] for s in used] or ["None."]),
        (
            "Contents",
            [
                "The Contents sheet links to every table. Table titles refer to the Notes "
                "sheet as [note 1], [note 2] and so on. Percentages are stored as numbers "
                "(a fraction of 1 shown as a percentage), rounded to whole percents."
            ],
        ),
    ]
    for heading, lines in sections:  # no blank rows: a screen reader stops at one
        sh.text(sh.row, 0, heading, "heading")
        sh.row += 1
        for line in lines:
            sh.text(sh.row, 0, line, "wrap")
            sh.row += 1
    sh.ws.set_column(0, 0, COVER_WIDTH)


def _provenance(workbook: Any, styles: Styles, pub: Publication) -> None:
    """Last sheet: A1 is the marker the loader knows, then one table of provenance."""
    meta = pub.meta
    sh = Sheet(workbook.add_worksheet("Provenance"), styles, "Provenance")
    sh.title(OUTPUT_MARKER)
    sh.caption("This workbook was written by inspect-cli; it is not a case audit file.")
    rows = [
        ("Report", meta.title),
        ("Framework title", meta.framework_title),
        ("Audit type", meta.audit_type),
        ("Grade source", meta.grade_source),
        ("Force names", "anonymised" if meta.anonymised else "as in the data"),
        *pub.details,
        *meta.provenance.rows(),
    ]
    _excel_table(sh, "Provenance_table", ("Item", "Value"), [[a, b] for a, b in rows])
    sh.finish(freeze_cols=0, widths={0: 40, 1: NOTE_WIDTH})

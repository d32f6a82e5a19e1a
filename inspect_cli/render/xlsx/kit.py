"""The workbook kit shared by every report workbook: cell kinds, styles, sheets.

Text (force names, labels, reasons) is only ever written with ``write_string``
under :data:`WORKBOOK_OPTIONS`, so it can never become a formula, a link or a
number. Text that starts like a formula also gets Excel's quote-prefix style, so
editing the cell in Excel does not turn it into one either.

Each table sheet has a title row and a caption, then its header row; panes are
frozen below the header and an autofilter covers the header and the data rows
(not a Total row or the footnotes). A report with a protective marking has it in the
top row of every sheet (above the title) and in the printed page header and footer.

A figure hidden by small-number suppression is the text 'c', right-aligned: never a
number, never a 0 or a blank that could be read as one. A figure that does not exist
(a force with no recorded assessments) is a bracketed :class:`Marker` such as '[x]',
explained in the sheet's notes: never text such as "Not recorded" in a numeric column.

A share whose count and base are in the model is stored unrounded (``37/81`` is
0.4567…, shown as 46% by the ``0%`` format), so an analyst's own sums inherit no
rounding; when the model has only the rounded percentage, that is stored. Published
reports have their own layout (:mod:`inspect_cli.render.xlsx.published`, to the
government's spreadsheet checklist), built from these cells, and keep rounded shares
(their sheets are made with ``exact_shares=False``).

Every sheet of a report prints landscape, fitted to one page wide, with its header
row(s) repeated at the top of each printed page; a chart sheet fits on one page.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from inspect_cli.render.cells import (
    FORMULA_STARTS,
    WORKBOOK_OPTIONS,
    clean_text,
    write_about_sheet,
    write_value,
)
from inspect_cli.reports.common import GradeRow, ReportMeta
from inspect_cli.reports.counts import IndicatorCount
from inspect_cli.reports.suppress import SYMBOL
from inspect_cli.stats import pct

GRADE_COLOURS = {"good": "#4E9A3A", "adequate": "#E3A92B", "inadequate": "#C0392B"}
NOT_RECORDED_TEXT = "Not recorded"
AUDIT_TYPE_TEXT = {
    "inspector": "Inspectors' case audits",
    "self-assessment": "Forces' self-assessment case audits",
    "all": "All case audits (inspectors' and forces' self-assessments)",
}
GRADE_SOURCE_TEXT = {
    "auto": "the grade the auditor recorded, else the grade the framework's rules suggest",
    "computed": "grades computed from the framework's indicators",
    "recorded": "grades as recorded by the auditors, on the good / adequate / inadequate scale",
}
MIN_WIDTH = 6
MAX_WIDTH = 80
MAX_HEADER = 200  # Excel allows 255 characters in a page header, codes included

# Cell formats by kind; a row style ("total") adds to them.
_KINDS: dict[str, dict[str, Any]] = {
    "marking": {"bold": True, "font_size": 12},
    "title": {"bold": True, "font_size": 13},
    "heading": {"bold": True, "font_size": 12},
    "wrap": {"text_wrap": True, "valign": "top"},
    "caption": {"italic": True, "font_color": "#444444"},
    "note": {"font_color": "#444444"},
    "group": {
        "bold": True,
        "center_across": True,
        "bg_color": "#DDE4EE",
        "valign": "top",
        "text_wrap": True,
    },
    "head": {"bold": True, "bg_color": "#DDE4EE", "text_wrap": True, "valign": "top", "bottom": 1},
    "text": {"valign": "top"},
    "count": {"num_format": "#,##0", "valign": "top"},
    "pct": {"num_format": "0%", "valign": "top"},
    "ci": {"num_format": "0.0%", "valign": "top"},
    "days": {"num_format": "0.0", "valign": "top"},
    "stat": {"num_format": "0.000", "valign": "top"},
    "general": {"valign": "top"},
    "hidden": {"align": "right", "valign": "top"},
    "across": {"center_across": True, "italic": True, "font_color": "#555555", "valign": "top"},
}
_ROW_STYLES: dict[str, dict[str, Any]] = {
    "": {},
    "total": {"bold": True, "top": 1},
}


# --------------------------------------------------------------------------- cells


@dataclass(frozen=True)
class Pct:
    """A whole-number percentage from a model (None: no cases), stored as a fraction;
    with ``of`` (count, base), stored as the exact ``count / base`` instead."""

    value: int | None
    of: tuple[int, int] | None = None


def exact_pct(value: int | None, count: int | None, base: int | None) -> Pct:
    """A share with its count and base, when they are known and agree with ``value``
    (the model's rounded percentage): otherwise only the rounded figure is stored, so
    a cell never shows other than what the report says."""
    if count is None or base is None or value is None or not base or pct(count, base) != value:
        return Pct(value)
    return Pct(value, (count, base))


@dataclass(frozen=True)
class CiPct:
    """One end of a 95% interval, in percent with one decimal, stored as a fraction."""

    value: float | None


@dataclass(frozen=True)
class Num:
    """A number with a named format kind ("days", "stat", "general")."""

    value: float | int | None
    kind: str = "general"


@dataclass(frozen=True)
class Hidden:
    """A figure hidden by small-number suppression: written as the text 'c'."""


HIDDEN = Hidden()


@dataclass(frozen=True)
class Across:
    """Text shown centred across ``span`` cells that are otherwise blank."""

    text: str
    span: int


@dataclass(frozen=True)
class Marker:
    """A bracketed shorthand in place of a figure (e.g. '[x]'), right-aligned text;
    the sheet's notes say what it means."""

    symbol: str


Cell = str | int | Pct | CiPct | Num | Across | Hidden | Marker | None


class Styles:
    """Formats made on demand, one per (kind, row style, quote prefix)."""

    def __init__(self, workbook: Any) -> None:
        self._workbook = workbook
        self._cache: dict[tuple[str, str, bool], Any] = {}

    def get(self, kind: str, row_style: str = "", quoted: bool = False) -> Any:
        key = (kind, row_style, quoted)
        if key not in self._cache:
            props = {**_KINDS[kind], **_ROW_STYLES[row_style]}
            if quoted:
                props["quote_prefix"] = True
            self._cache[key] = self._workbook.add_format(props)
        return self._cache[key]


@dataclass
class Sheet:
    """One worksheet being filled from the top, remembering column widths."""

    ws: Any
    styles: Styles
    name: str
    row: int = 0
    widths: dict[int, int] = field(default_factory=dict)
    header_row: int | None = None
    columns: int = 0
    last_data_row: int | None = None
    exact_shares: bool = False
    """Store a :class:`Pct` with its count and base unrounded (internal reports)."""
    groups_row: int | None = None

    # ---- low level

    def text(self, row: int, col: int, value: str, kind: str = "text", row_style: str = "") -> None:
        text = clean_text(value)
        fmt = self.styles.get(kind, row_style, quoted=text.startswith(FORMULA_STARTS))
        if text:
            self.ws.write_string(row, col, text, fmt)
        else:
            self.ws.write_blank(row, col, None, fmt)

    def _fit(self, col: int, chars: int) -> None:
        self.widths[col] = max(self.widths.get(col, 0), chars)

    def cell(self, row: int, col: int, value: Cell, row_style: str = "") -> int:
        """Write one cell; returns how many columns it took."""
        st = self.styles
        if isinstance(value, Across):
            self.text(row, col, value.text, "across", row_style)
            for extra in range(1, value.span):
                self.ws.write_blank(row, col + extra, None, st.get("across", row_style))
            return max(value.span, 1)
        if isinstance(value, Hidden | Marker):
            symbol = SYMBOL if isinstance(value, Hidden) else value.symbol
            self.text(row, col, symbol, "hidden", row_style)
            self._fit(col, len(symbol))
        elif isinstance(value, str):
            self.text(row, col, value, "text", row_style)
            self._fit(col, max((len(line) for line in value.splitlines()), default=0))
        elif isinstance(value, bool):  # never silently a 1 or 0
            self.text(row, col, "yes" if value else "no", "text", row_style)
        elif isinstance(value, int):
            write_value(self.ws, row, col, value, st.get("count", row_style))
            self._fit(col, len(f"{value:,}"))
        elif isinstance(value, Pct):
            fraction = None if value.value is None else value.value / 100
            if self.exact_shares and value.of is not None:
                fraction = value.of[0] / value.of[1]
            write_value(self.ws, row, col, fraction, st.get("pct", row_style))
            self._fit(col, 5)
        elif isinstance(value, CiPct):
            fraction = None if value.value is None else round(value.value / 100, 3)
            write_value(self.ws, row, col, fraction, st.get("ci", row_style))
            self._fit(col, 6)
        elif isinstance(value, Num):
            write_value(self.ws, row, col, value.value, st.get(value.kind, row_style))
            self._fit(col, 8 if value.value is None else min(len(f"{value.value}"), 12))
        else:
            self.ws.write_blank(row, col, None, st.get("text", row_style))
        return 1

    # ---- table parts

    def title(self, text: str) -> None:
        self.text(self.row, 0, text, "title")
        self.ws.set_row(self.row, 20)
        self.row += 1

    def caption(self, text: str) -> None:
        self.text(self.row, 0, text, "caption")
        self.row += 1

    def groups(self, groups: Sequence[tuple[str, int]]) -> None:
        """A row of group headings above the header row; ``(text, span)`` each."""
        self.groups_row = self.row
        col = 0
        for text, span in groups:
            self.text(self.row, col, text, "group")
            for extra in range(1, span):
                self.ws.write_blank(self.row, col + extra, None, self.styles.get("group"))
            col += span
        self.row += 1

    def header(self, labels: Sequence[str]) -> None:
        for col, label in enumerate(labels):
            self.text(self.row, col, label, "head")
            longest_word = max((len(w) for w in label.split()), default=0)
            self._fit(col, max(longest_word + 1, min(len(label), 16)))
        self.header_row = self.row
        self.columns = len(labels)
        self.row += 1

    def data(self, values: Sequence[Cell], row_style: str = "") -> None:
        col = 0
        for value in values:
            col += self.cell(self.row, col, value, row_style)
        if row_style != "total":
            self.last_data_row = self.row
        self.row += 1

    def notes(self, lines: Sequence[str]) -> None:
        if not lines:
            return
        self.row += 1
        for line in lines:
            self.text(self.row, 0, line, "note")
            self.row += 1

    def finish(self, freeze_cols: int = 1, widths: dict[int, int] | None = None) -> None:
        """Freeze below the header, filter header + data rows, set column widths, and
        repeat the header row (with its group row) on every printed page."""
        if self.header_row is not None:
            top = self.header_row if self.groups_row is None else self.groups_row
            self.ws.repeat_rows(top, self.header_row)
            self.ws.freeze_panes(self.header_row + 1, freeze_cols)
            last = self.last_data_row if self.last_data_row is not None else self.header_row
            self.ws.autofilter(self.header_row, 0, last, max(self.columns - 1, 0))
        fixed = widths or {}
        for col in range(max(self.columns, max(self.widths, default=-1) + 1)):
            chars = fixed.get(col, self.widths.get(col, MIN_WIDTH) + 2)
            self.ws.set_column(col, col, min(max(chars, MIN_WIDTH), MAX_WIDTH))


class Book:
    def __init__(self, workbook: Any, marking: str | None = None) -> None:
        self.workbook = workbook
        self.styles = Styles(workbook)
        self.marking = marking

    def sheet(self, name: str) -> Sheet:
        """A new sheet; with a marking, it is the top row and the printed header and footer."""
        sh = Sheet(self.workbook.add_worksheet(name), self.styles, name, exact_shares=True)
        page_setup(sh.ws)
        if self.marking:
            mark_page(sh.ws, self.marking)
            sh.text(0, 0, self.marking, "marking")
            sh.row = 1
        return sh


def _header_text(marking: str) -> str:
    """A page header or footer section: centred, bold; '&' is Excel's code character."""
    text = clean_text(marking).replace("\r", " ").replace("\n", " ")[:MAX_HEADER]
    return '&C&"-,Bold"' + text.replace("&", "&&")


def page_setup(ws: Any, *, pages_tall: int = 0) -> None:
    """Landscape, fitted to one page wide (``pages_tall`` 0: as many pages as it takes)."""
    ws.set_landscape()
    ws.fit_to_pages(1, pages_tall)


def mark_page(ws: Any, marking: str) -> None:
    """The protective marking in the printed page header and footer of a sheet."""
    ws.set_header(_header_text(marking))
    ws.set_footer(_header_text(marking))


def open_workbook(target: Path) -> Any:
    import xlsxwriter

    return xlsxwriter.Workbook(str(target), WORKBOOK_OPTIONS)


# --------------------------------------------------------------------------- shared parts


def count_cell(item: Any, name: str) -> Cell:
    """A count field of a model: 'c' when suppressed (the field is in ``suppressed``)."""
    value = getattr(item, name)
    return HIDDEN if name in item.suppressed else value


# A share field → its count field and the base fields it may be of (first found).
_SHARE_PARTS: dict[str, tuple[str, tuple[str, ...]]] = {
    "good_pct": ("good", ("total",)),
    "adequate_pct": ("adequate", ("total",)),
    "inadequate_pct": ("inadequate", ("applicable", "total")),
    "worst_pct": ("worst", ("answered",)),
    "missing_pct": ("missing", ("total",)),
}


def share_cell(item: Any, name: str, base: int | None = None) -> Cell:
    """A share field of a model: 'c' when suppressed; with its count and base (the
    model's own fields, or ``base`` given) when the model has them."""
    if name in item.suppressed:
        return HIDDEN
    value = getattr(item, name)
    count_name, bases = _SHARE_PARTS.get(name, ("count", ()))
    if base is None:
        base = next((getattr(item, b) for b in bases if hasattr(item, b)), None)
    return exact_pct(value, getattr(item, count_name, None), base)


def ci_cells(item: Any, name: str) -> tuple[Cell, Cell]:
    if name in item.suppressed:
        return HIDDEN, HIDDEN
    ci = getattr(item, name)
    return CiPct(ci.low if ci else None), CiPct(ci.high if ci else None)


def context_text(meta: ReportMeta) -> str:
    audits = AUDIT_TYPE_TEXT.get(meta.audit_type, meta.audit_type)
    grades = GRADE_SOURCE_TEXT.get(meta.grade_source, meta.grade_source)
    return f"{audits}; {grades}."


def grade_cells(row: GradeRow) -> list[Cell]:
    """Good n, %, adequate n, %, inadequate n, %, total, 95% CI low, high (9 columns)."""
    if not row.recorded:
        return [Across(NOT_RECORDED_TEXT, 9)]
    return [
        count_cell(row, "good"),
        share_cell(row, "good_pct"),
        count_cell(row, "adequate"),
        share_cell(row, "adequate_pct"),
        count_cell(row, "inadequate"),
        share_cell(row, "inadequate_pct"),
        count_cell(row, "total"),
        *ci_cells(row, "inadequate_ci"),
    ]


GRADE_HEADER = [
    "Good n",
    "Good %",
    "Adequate n",
    "Adequate %",
    "Inadequate n",
    "Inadequate %",
    "Total cases",
    "Inadequate 95% CI low %",
    "Inadequate 95% CI high %",
]


def about(book: Book, meta: ReportMeta, extra: Sequence[tuple[str, str]] = ()) -> None:
    rows = [
        ("Report", meta.title),
        ("Framework title", meta.framework_title),
        ("Audit type", f"{meta.audit_type}: {AUDIT_TYPE_TEXT.get(meta.audit_type, '')}"),
        ("Grade source", f"{meta.grade_source}: {GRADE_SOURCE_TEXT.get(meta.grade_source, '')}"),
        ("Force names", "anonymised" if meta.anonymised else "as in the data"),
        *extra,
        *meta.provenance.rows(),
        *(("Note", note) for note in meta.notes),
    ]
    write_about_sheet(book.workbook, rows, book.styles.get("head"))
    about = book.workbook.get_worksheet_by_name("Provenance")
    page_setup(about)
    if book.marking:
        # A1 of Provenance is the marker the loader looks for: the marking goes beside it.
        mark_page(about, book.marking)
        about.write_string(0, 1, clean_text(book.marking), book.styles.get("marking"))


def indicator_sheet(
    book: Book, name: str, title: str, caption: str, indicators: Sequence[IndicatorCount]
) -> None:
    sh = book.sheet(name)
    sh.title(title)
    sh.caption(caption)
    sh.header(
        [
            "Rank",
            "Indicator id",
            "Indicator",
            "Stage",
            "Theme",
            "Worst answer",
            "Cases with worst answer",
            "Cases answered",
            "Worst answer %",
        ]
    )
    for rank, ind in enumerate(indicators, start=1):
        sh.data(
            [
                rank,
                ind.id,
                ind.label,
                ind.stage,
                ind.theme or "",
                ind.worst_answer,
                count_cell(ind, "worst"),
                count_cell(ind, "answered"),
                share_cell(ind, "worst_pct"),
            ]
        )
    if not indicators:
        sh.notes(["No indicator had its worst answer in these cases."])
    sh.finish(freeze_cols=3)


def chart_sheet(book: Book, name: str, title: str, caption: str, chart: Any) -> None:
    sh = book.sheet(name)
    sh.title(title)
    sh.caption(caption)
    sh.ws.insert_chart(sh.row + 1, 0, chart)
    sh.ws.set_column(0, 0, 12)
    page_setup(sh.ws, pages_tall=1)  # the whole chart on one page, never cut in half


def chart_labels(hidden: Sequence[bool], options: dict[str, Any]) -> dict[str, Any]:
    """Data labels for a series, with none on the points whose figure is hidden ('c')."""
    if not any(hidden):
        return options
    return {**options, "custom": [{"delete": True} if h else None for h in hidden]}

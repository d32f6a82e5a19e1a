"""Write a thematic or force report as an Excel workbook, one sheet per table.

Formatting only: every number comes from the report models in
:mod:`inspect_cli.aggregate`. Counts are written as numbers; shares as fractions
(the model's whole-number percentage / 100) with a percentage number format, so
the figure Excel shows is exactly the report's rounded figure and the cell can
still be summed, sorted and charted.

Text (force names, labels, reasons) is only ever written with ``write_string``
under :data:`WORKBOOK_OPTIONS`, so it can never become a formula, a link or a
number. Text that starts like a formula also gets Excel's quote-prefix style, so
editing the cell in Excel does not turn it into one either.

Each table sheet has a title row and a caption, then its header row; panes are
frozen below the header and an autofilter covers the header and the data rows
(not a Total row or the footnotes). A report with a protective marking has it in the
top row of every sheet (above the title) and in the printed page header and footer.

A figure hidden by small-number suppression (a published report) is the text 'c',
right-aligned: never a number, never a 0 or a blank that could be read as one. The
charts leave such points out (no bar, no label).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from inspect_cli.aggregate import (
    ForceReport,
    GradeRow,
    IndicatorCount,
    ReportMeta,
    ThematicReport,
)
from inspect_cli.render.cells import (
    FORMULA_STARTS,
    WORKBOOK_OPTIONS,
    clean_text,
    write_about_sheet,
    write_value,
)
from inspect_cli.render.wording import threshold_words
from inspect_cli.suppress import SYMBOL

GRADE_NAMES = ("good", "adequate", "inadequate")
GRADE_COLOURS = {"good": "#4E9A3A", "adequate": "#E3A92B", "inadequate": "#C0392B"}
NOT_RECORDED_TEXT = "Not recorded"
AUDIT_TYPE_TEXT = {
    "inspector": "Inspectors' case audits",
    "self-assessment": "Forces' self-assessment case audits",
    "all": "All case audits (inspectors' and forces' self-assessments)",
}
GRADE_SOURCE_TEXT = {
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
    """A whole-number percentage from a model (None: no cases), stored as a fraction."""

    value: int | None


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


Cell = str | int | Pct | CiPct | Num | Across | Hidden | None


class _Styles:
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
class _Sheet:
    """One worksheet being filled from the top, remembering column widths."""

    ws: Any
    styles: _Styles
    name: str
    row: int = 0
    widths: dict[int, int] = field(default_factory=dict)
    header_row: int | None = None
    columns: int = 0
    last_data_row: int | None = None

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
        if isinstance(value, Hidden):
            self.text(row, col, SYMBOL, "hidden", row_style)
            self._fit(col, len(SYMBOL))
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
        """Freeze below the header, filter header + data rows, set column widths."""
        if self.header_row is not None:
            self.ws.freeze_panes(self.header_row + 1, freeze_cols)
            last = self.last_data_row if self.last_data_row is not None else self.header_row
            self.ws.autofilter(self.header_row, 0, last, max(self.columns - 1, 0))
        fixed = widths or {}
        for col in range(max(self.columns, max(self.widths, default=-1) + 1)):
            chars = fixed.get(col, self.widths.get(col, MIN_WIDTH) + 2)
            self.ws.set_column(col, col, min(max(chars, MIN_WIDTH), MAX_WIDTH))


class _Book:
    def __init__(self, workbook: Any, marking: str | None = None) -> None:
        self.workbook = workbook
        self.styles = _Styles(workbook)
        self.marking = marking

    def sheet(self, name: str) -> _Sheet:
        """A new sheet; with a marking, it is the top row and the printed header and footer."""
        sh = _Sheet(self.workbook.add_worksheet(name), self.styles, name)
        if self.marking:
            mark_page(sh.ws, self.marking)
            sh.text(0, 0, self.marking, "marking")
            sh.row = 1
        return sh


def _header_text(marking: str) -> str:
    """A page header or footer section: centred, bold; '&' is Excel's code character."""
    text = clean_text(marking).replace("\r", " ").replace("\n", " ")[:MAX_HEADER]
    return '&C&"-,Bold"' + text.replace("&", "&&")


def mark_page(ws: Any, marking: str) -> None:
    """The protective marking in the printed page header and footer of a sheet."""
    ws.set_header(_header_text(marking))
    ws.set_footer(_header_text(marking))


def _open(target: Path) -> Any:
    import xlsxwriter

    return xlsxwriter.Workbook(str(target), WORKBOOK_OPTIONS)


# --------------------------------------------------------------------------- shared parts


def _count(item: Any, name: str) -> Cell:
    """A count field of a model: 'c' when suppressed (the field is in ``suppressed``)."""
    value = getattr(item, name)
    return HIDDEN if name in item.suppressed else value


def _share(item: Any, name: str) -> Cell:
    return HIDDEN if name in item.suppressed else Pct(getattr(item, name))


def _ci(item: Any, name: str) -> tuple[Cell, Cell]:
    if name in item.suppressed:
        return HIDDEN, HIDDEN
    ci = getattr(item, name)
    return CiPct(ci.low if ci else None), CiPct(ci.high if ci else None)


def _context(meta: ReportMeta) -> str:
    audits = AUDIT_TYPE_TEXT.get(meta.audit_type, meta.audit_type)
    grades = GRADE_SOURCE_TEXT.get(meta.grade_source, meta.grade_source)
    return f"{audits}; {grades}."


def _grade_cells(row: GradeRow) -> list[Cell]:
    """Good n, %, adequate n, %, inadequate n, %, total, 95% CI low, high (9 columns)."""
    if not row.recorded:
        return [Across(NOT_RECORDED_TEXT, 9)]
    return [
        _count(row, "good"),
        _share(row, "good_pct"),
        _count(row, "adequate"),
        _share(row, "adequate_pct"),
        _count(row, "inadequate"),
        _share(row, "inadequate_pct"),
        _count(row, "total"),
        *_ci(row, "inadequate_ci"),
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


def _about(book: _Book, meta: ReportMeta, extra: Sequence[tuple[str, str]] = ()) -> None:
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
    if book.marking:
        # A1 of Provenance is the marker the loader looks for: the marking goes beside it.
        about = book.workbook.get_worksheet_by_name("Provenance")
        mark_page(about, book.marking)
        about.write_string(0, 1, clean_text(book.marking), book.styles.get("marking"))


def _indicator_sheet(
    book: _Book, name: str, title: str, caption: str, indicators: Sequence[IndicatorCount]
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
                _count(ind, "worst"),
                _count(ind, "answered"),
                _share(ind, "worst_pct"),
            ]
        )
    if not indicators:
        sh.notes(["No indicator had its worst answer in these cases."])
    sh.finish(freeze_cols=3)


def _chart_sheet(book: _Book, name: str, title: str, caption: str, chart: Any) -> None:
    sh = book.sheet(name)
    sh.title(title)
    sh.caption(caption)
    sh.ws.insert_chart(sh.row + 1, 0, chart)
    sh.ws.set_column(0, 0, 12)


# --------------------------------------------------------------------------- thematic


def write_thematic_xlsx(report: ThematicReport, target: Path) -> None:
    """Every force side by side: conclusions, key findings, stages, indicators, chart."""
    workbook = _open(target)
    try:
        book = _Book(workbook, report.meta.marking)
        first, last = _conclusions_sheet(book, report)
        _findings_sheet(book, report)
        _stages_sheet(book, report)
        _indicator_sheet(
            book,
            "Indicators",
            "Indicators most often given their worst answer",
            f"{_context(report.meta)} All forces together; share of the cases where the "
            "indicator was answered.",
            report.worst_indicators,
        )
        if first is not None and last is not None:
            _thematic_chart(book, report, first, last)
        _about(book, report.meta, [("Footnote", note) for note in report.footnotes])
    finally:
        workbook.close()


CONCLUSIONS = "Conclusions"
CONCLUSION_PCT_COLS = {"good": 2, "adequate": 4, "inadequate": 6}
PCT_FIELD = {"good": "good_pct", "adequate": "adequate_pct", "inadequate": "inadequate_pct"}


def _conclusions_sheet(book: _Book, report: ThematicReport) -> tuple[int | None, int | None]:
    """Returns the first and last force rows (for the chart)."""
    sh = book.sheet(CONCLUSIONS)
    sh.title(report.meta.title)
    sh.caption(
        f"{_context(report.meta)} Percentages are of each force's own total, "
        "rounded to whole numbers, so a row may not add to exactly 100%."
    )
    sh.groups(
        [
            ("", 1),
            (report.headers.get("good", "Good"), 2),
            (report.headers.get("adequate", "Adequate"), 2),
            (report.headers.get("inadequate", "Inadequate"), 2),
            ("", 1),
            ("Inadequate: 95% interval", 2),
            ("", 1),
        ]
    )
    sh.header(["Force", *GRADE_HEADER, "Serious concern"])
    first = sh.row if report.forces else None
    for force in report.forces:
        cells = _grade_cells(force)
        if force.recorded:
            cells.append("yes" if force.serious_concern else "no")
        sh.data([force.label, *cells])
    last = sh.row - 1 if report.forces else None
    sh.data([report.total.label, *_grade_cells(report.total), None], row_style="total")
    more_than = threshold_words(report.findings.serious_concern_threshold)
    sh.notes(
        [
            f"Serious concern: more than {more_than} of the force's cases were inadequate.",
            "95% CI: Wilson score interval for the share of cases inadequate.",
            *report.footnotes,
            *report.meta.notes,
        ]
    )
    sh.finish(widths={0: max(sh.widths.get(0, 0) + 2, 12)})
    return first, last


def _findings_sheet(book: _Book, report: ThematicReport) -> None:
    f = report.findings
    sh = book.sheet("Key findings")
    sh.title("Key findings")
    sh.caption(_context(report.meta))
    sh.header(["Finding", "Value", "Note"])
    rows: list[tuple[str, Cell, str]] = [
        ("Forces with recorded case assessments", f.forces_recorded, ""),
    ]
    shown_only = f"of the forces whose share is shown (others are '{SYMBOL}')"
    good_note = shown_only if _share_hidden(report.forces, "good_pct") else ""
    inadequate_note = shown_only if _share_hidden(report.forces, "inadequate_pct") else ""
    if f.good_pct_range is not None:
        rows += [
            ("Good: lowest share of a force's cases", Pct(f.good_pct_range[0]), good_note),
            ("Good: highest share of a force's cases", Pct(f.good_pct_range[1]), good_note),
        ]
    if f.inadequate_pct_range is not None:
        low, high = f.inadequate_pct_range
        rows += [
            ("Inadequate: lowest share of a force's cases", Pct(low), inadequate_note),
            ("Inadequate: highest share of a force's cases", Pct(high), inadequate_note),
        ]
    rows += [
        (
            "Forces with at least 75% of cases adequate or better",
            f.forces_at_least_75pct_adequate_or_better,
            f"of {f.forces_recorded:,} forces with recorded assessments",
        ),
        ("Inadequate: share of all cases", Pct(f.overall_inadequate_pct), ""),
        (
            "Forces of serious concern",
            ", ".join(f.serious_concern) or "none",
            f"more than {threshold_words(f.serious_concern_threshold)} of their cases inadequate",
        ),
    ]
    chi = report.chi_square
    if chi is None:
        rows.append(
            (
                "Chi-square test of variation between forces",
                "not computed",
                "needs at least two forces with recorded assessments and two grades present",
            )
        )
    else:
        reliable_note = (
            "no expected count below 1 and at most a fifth of cells below 5"
            if chi.reliable
            else "too many small expected counts: treat the p-value with caution"
        )
        rows += [
            (
                "Chi-square statistic",
                Num(chi.statistic, "stat"),
                "Pearson's test: do grade shares differ between forces more than chance?",
            ),
            ("Degrees of freedom", chi.dof, ""),
            ("p-value", Num(chi.p_value), ""),
            ("Smallest expected count", Num(chi.min_expected), ""),
            ("Cells with expected count below 5", chi.small_expected_cells, f"of {chi.cells:,}"),
            ("Test reliable", "yes" if chi.reliable else "no", reliable_note),
        ]
    for label, value, note in rows:
        sh.data([label, value, note])
    sh.finish(widths={1: 16})


def _stages_sheet(book: _Book, report: ThematicReport) -> None:
    sh = book.sheet("Stages")
    sh.title("Inadequate assessments by stage and force")
    sh.caption(
        f"{_context(report.meta)} For each stage: the share of the cases where it applied "
        "that were inadequate at that stage, and the number of those cases."
    )
    sh.groups([("", 1), *((label, 2) for _, label in report.stages)])
    sh.header(["Force", *(h for _ in report.stages for h in ("Inadequate %", "Cases applicable"))])
    for stage_row, style in [*((r, "") for r in report.stage_rows), (report.stage_total, "total")]:
        cells: list[Cell] = [stage_row.label]
        for cell in stage_row.cells:
            cells += [_share(cell, "inadequate_pct"), _count(cell, "applicable")]
        sh.data(cells, row_style=style)
    sh.finish(widths={c: 13 for c in range(1, 1 + 2 * len(report.stages))})


def _share_hidden(rows: Sequence[GradeRow], name: str) -> bool:
    return any(r.recorded and name in r.suppressed for r in rows)


def _labels(hidden: Sequence[bool], options: dict[str, Any]) -> dict[str, Any]:
    """Data labels for a series, with none on the points whose figure is hidden ('c')."""
    if not any(hidden):
        return options
    return {**options, "custom": [{"delete": True} if h else None for h in hidden]}


def _thematic_chart(book: _Book, report: ThematicReport, first: int, last: int) -> None:
    # Shares hidden as 'c' are text in the Conclusions sheet, which a chart draws as no
    # bar; a percent-stacked chart would then stretch the shares shown to fill the row,
    # so such a report gets a plain stacked chart of the shares on a 0-100% axis.
    hidden_any = any(_share_hidden(report.forces, PCT_FIELD[g]) for g in GRADE_NAMES)
    subtype = "stacked" if hidden_any else "percent_stacked"
    chart = book.workbook.add_chart({"type": "bar", "subtype": subtype})
    for grade in GRADE_NAMES:
        col = CONCLUSION_PCT_COLS[grade]
        hidden = [PCT_FIELD[grade] in r.suppressed for r in report.forces]
        labels = {"value": True, "num_format": "0%", "position": "center"}
        chart.add_series(
            {
                "name": grade.capitalize(),
                "categories": [CONCLUSIONS, first, 0, last, 0],
                "values": [CONCLUSIONS, first, col, last, col],
                "fill": {"color": GRADE_COLOURS[grade]},
                "border": {"none": True},
                "gap": 60,
                "data_labels": _labels(hidden, labels),
            }
        )
    chart.set_title({"name": "Case audit conclusions by force"})
    chart.set_y_axis({"reverse": True})  # bar charts: y is the category axis; first force on top
    axis: dict[str, Any] = {"num_format": "0%", "major_gridlines": {"visible": False}}
    if hidden_any:
        axis |= {"min": 0, "max": 1}
    chart.set_x_axis(axis)
    chart.set_legend({"position": "bottom"})
    chart.set_size({"width": 760, "height": 140 + 34 * (last - first + 1)})
    _chart_sheet(
        book,
        "Chart",
        "Good, adequate and inadequate cases by force",
        f"{_context(report.meta)} From the Conclusions sheet; forces not recorded have no bar"
        + (f", and shares shown as '{SYMBOL}' are left out." if hidden_any else "."),
        chart,
    )


# --------------------------------------------------------------------------- force


def write_force_xlsx(report: ForceReport, target: Path) -> None:
    """One force in depth: summary, stages, breakdowns, indicators, delay, detention,
    completeness, the full case list, a chart of the grades."""
    workbook = _open(target)
    try:
        book = _Book(workbook, report.meta.marking)
        context = _context(report.meta)
        first = _summary_sheet(book, report)
        _force_stages_sheet(book, report, context)
        _breakdowns_sheet(book, report, context)
        _indicator_sheet(
            book,
            "Indicators",
            f"Indicators most often failed: {report.force}",
            f"{context} Share of the cases where the indicator was answered.",
            report.failing_indicators,
        )
        _delay_sheet(book, report, context)
        _detention_sheet(book, report, context)
        _completeness_sheet(book, report, context)
        if report.cases:
            _cases_sheet(book, report, context)
        _force_chart(book, report, first)
        _about(book, report.meta, [("Force", report.force)])
    finally:
        workbook.close()


SUMMARY = "Summary"


def _summary_sheet(book: _Book, report: ForceReport) -> int:
    """Returns the first grade row (for the chart)."""
    sh = book.sheet(SUMMARY)
    sh.title(report.meta.title)
    sh.caption(f"{_context(report.meta)} Percentages are rounded to whole numbers.")
    sh.header(["Grade", "Cases", "Share %", "95% CI low %", "95% CI high %"])
    first = sh.row
    for share in report.distribution:
        sh.data(
            [
                share.grade.capitalize(),
                _count(share, "count"),
                _share(share, "pct"),
                *_ci(share, "ci"),
            ]
        )
    sh.data(["Total", _count(report.overall, "total"), None, None, None], row_style="total")
    serious = "yes" if report.overall.serious_concern else "no"
    more_than = threshold_words(report.meta.serious_concern_threshold)
    sh.notes(
        [
            f"Serious concern (more than {more_than} of the force's cases inadequate): {serious}.",
            "95% CI: Wilson score interval for each share.",
            *report.meta.notes,
        ]
    )
    sh.finish(widths={0: 14})
    return first


def _force_stages_sheet(book: _Book, report: ForceReport, context: str) -> None:
    sh = book.sheet("Stages")
    sh.title(f"Grades by stage: {report.force}")
    sh.caption(f"{context} Only the cases where the stage applied.")
    sh.header(["Stage", "Cases applicable", "Good n", "Adequate n", "Inadequate n", "Inadequate %"])
    for st in report.by_stage:
        sh.data(
            [
                st.label,
                *(_count(st, name) for name in ("applicable", "good", "adequate", "inadequate")),
                _share(st, "inadequate_pct"),
            ]
        )
    sh.finish()


def _breakdowns_sheet(book: _Book, report: ForceReport, context: str) -> None:
    sh = book.sheet("Breakdowns")
    sh.title(f"Grades by case and child characteristics: {report.force}")
    sh.caption(
        f"{context} One row per group; filter the Breakdown column to see one breakdown. "
        "Percentages are of the group's own total."
    )
    sh.header(["Breakdown", "Group", *GRADE_HEADER])
    for breakdown in report.breakdowns:
        for row in breakdown.rows:
            sh.data([breakdown.title, row.label, *_grade_cells(row)])
    sh.finish(freeze_cols=2)


def _delay_sheet(book: _Book, report: ForceReport, context: str) -> None:
    sh = book.sheet("Delay")
    sh.title(f"Days from report to each step: {report.force}")
    sh.caption(f"{context} Cases with both dates recorded.")
    sh.header(["Interval", "Cases", "Median days", "Longest days", "Dates before the report date"])
    for d in report.delays:
        median = HIDDEN if "median_days" in d.suppressed else Num(d.median_days, "days")
        sh.data(
            [
                d.label,
                _count(d, "cases"),
                median,
                _count(d, "longest_days"),
                _count(d, "negative"),
            ]
        )
    if not report.delays:
        sh.notes(["No dates were recorded for these cases."])
    else:
        sh.notes(["Cases whose later date comes before the report date are not counted."])
    sh.finish()


def _detention_sheet(book: _Book, report: ForceReport, context: str) -> None:
    answers = list(dict.fromkeys(label for d in report.detention for label, _ in d.answers))
    sh = book.sheet("Detention")
    sh.title(f"Children in police detention: {report.force}")
    sh.caption(f"{context} Answers to each detention indicator, in cases where detention applied.")
    sh.header(["Indicator", "Cases with detention", *answers])
    for d in report.detention:
        given: dict[str, Cell] = {
            label: HIDDEN if label in d.suppressed else n for label, n in d.answers
        }
        applicable = HIDDEN if "applicable" in d.suppressed else d.applicable
        sh.data([d.label, applicable, *(given.get(a) for a in answers)])
    if not report.detention:
        sh.notes(["The framework has no police detention stage."])
    sh.finish(widths={c: 12 for c in range(1, 2 + len(answers))})


def _completeness_sheet(book: _Book, report: ForceReport, context: str) -> None:
    sh = book.sheet("Completeness")
    sh.title(f"Data completeness: {report.force}")
    sh.caption(f"{context} Fields left blank or recorded as unknown.")
    sh.header(["Field", "Missing or unknown", "Cases", "Missing %"])
    for c in report.completeness:
        sh.data([c.label, _count(c, "missing"), c.total, _share(c, "missing_pct")])
    sh.finish()


def _cases_sheet(book: _Book, report: ForceReport, context: str) -> None:
    sh = book.sheet("Cases")
    sh.title(f"Every case counted: {report.force}")
    sh.caption(f"{context} Inadequate cases first.")
    sh.header(["Case ref", "Audit type", "Area of practice", "Grade", "Reason"])
    for c in report.cases:
        sh.data([c.case_ref, c.audit_type, c.area, c.grade, c.reason])
    sh.finish(widths={4: MAX_WIDTH})


def _force_chart(book: _Book, report: ForceReport, first: int) -> None:
    last = first + len(report.distribution) - 1
    hidden = ["count" in s.suppressed for s in report.distribution]
    chart = book.workbook.add_chart({"type": "bar"})
    chart.add_series(
        {
            "name": "Cases",
            "categories": [SUMMARY, first, 0, last, 0],
            "values": [SUMMARY, first, 1, last, 1],
            "points": [
                {"fill": {"color": GRADE_COLOURS.get(s.grade, "#777777")}}
                for s in report.distribution
            ],
            "gap": 60,
            "data_labels": _labels(hidden, {"value": True}),
        }
    )
    chart.set_title({"name": "Cases by grade"})
    chart.set_y_axis({"reverse": True})
    chart.set_x_axis({"num_format": "#,##0"})
    chart.set_legend({"none": True})
    chart.set_size({"width": 640, "height": 260})
    _chart_sheet(
        book,
        "Chart",
        "Cases by grade",
        f"{_context(report.meta)} From the Summary sheet"
        + (f"; counts shown as '{SYMBOL}' are left out." if any(hidden) else "."),
        chart,
    )

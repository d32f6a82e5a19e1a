"""Write the scored cases as an Excel workbook (``score -o scored.xlsx``).

With a protective marking (the default), every sheet prints it in its page header
and footer, and each table sheet has it as a banner in row 1 above its header row
(so the column ids are in row 2: ``pd.read_excel(..., header=1)``); Provenance keeps
the loader's marker in A1 and has the marking beside it, in B1.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from inspect_cli.fields import standard_fields
from inspect_cli.provenance import Provenance
from inspect_cli.render.cells import WORKBOOK_OPTIONS, clean_text, write_about_sheet, write_frame
from inspect_cli.render.xlsx.kit import mark_page, page_setup
from inspect_cli.score import ScoreResult, scored_columns


def _column_labels(result: ScoreResult) -> dict[str, tuple[str, str]]:
    fw = result.framework
    fields = {f.id: (f.label, f.description) for f in standard_fields(fw)}
    out: dict[str, tuple[str, str]] = {
        "source_file": ("Source file", "The file the case was read from."),
        "source_sheet": ("Source sheet", "The sheet it was read from (blank for CSV)."),
        "source_row": ("Source row", "The row number as Excel shows it."),
        "score": ("Case score", "Weighted mean of the applicable stage scores, out of 100."),
        "grade": ("Computed grade", "good, adequate or inadequate, by the framework's rules."),
        "recorded_grade": ("Recorded grade", "The auditor's own overall grade, if given."),
        "recorded_counts_as": (
            "Recorded grade counts as",
            "The recorded grade on the three-grade scale.",
        ),
        "grade_agrees": ("Grades agree", "Whether the computed and recorded grades agree."),
        "reason": ("Reason", "Why the case got its grade."),
    }
    for stage in fw.stages:
        out[f"{stage.id}.score"] = (f"{stage.label} score", "Out of 100; blank if not applicable.")
        out[f"{stage.id}.grade"] = (f"{stage.label} grade", "Blank if the stage does not apply.")
    return {c: out.get(c) or fields.get(c) or (c, "") for c in scored_columns(fw)}


def write_scored_xlsx(
    result: ScoreResult, target: Path, provenance: Provenance, marking: str | None = None
) -> None:
    import xlsxwriter

    workbook = xlsxwriter.Workbook(str(target), WORKBOOK_OPTIONS)
    try:
        bold = workbook.add_format({"bold": True})
        head = workbook.add_format(
            {"bold": True, "bg_color": "#DDE4EE", "text_wrap": True, "valign": "top"}
        )
        scored, not_scored, columns = (
            workbook.add_worksheet(name) for name in ("Scored cases", "Not scored", "Columns")
        )
        # Provenance is written first (it stays the last sheet): its marker is then the
        # first shared string, which the loader finds without reading further.
        write_about_sheet(workbook, provenance.rows(), bold)
        top = _banner(workbook, marking)
        _write_scored_sheet(scored, result, head, top)
        _write_not_scored_sheet(not_scored, result.load.rejected, head, top)
        _write_columns_sheet(columns, result, head, top)
        *tables, about = workbook.worksheets()
        for ws in tables:
            page_setup(ws)
            ws.repeat_rows(0, top)  # the header row (and the marking banner above it)
        page_setup(about)
        about.repeat_rows(0)  # its marker row
    finally:
        workbook.close()


def _banner(workbook: Any, marking: str | None) -> int:
    """Put ``marking`` on every sheet; the row each table's header goes in (0 or 1)."""
    if not marking:
        return 0
    style = workbook.add_format({"bold": True, "font_size": 12})
    *tables, about = workbook.worksheets()
    for ws in (*tables, about):
        mark_page(ws, marking)
    for ws in tables:
        ws.write_string(0, 0, clean_text(marking), style)
    about.write_string(0, 1, clean_text(marking), style)  # A1 is the loader's marker
    return 1


def _write_scored_sheet(ws: Any, result: ScoreResult, head: Any, top: int) -> None:
    columns = scored_columns(result.framework)
    ws.freeze_panes(top + 1, 1)
    for j, col in enumerate(columns):
        ws.write_string(top, j, col, head)
    widths = {"reason": 90, "case_ref": 14, "force": 12, "area_of_practice": 22}
    for j, col in enumerate(columns):
        ws.set_column(j, j, widths.get(col, 12 if "." not in col else 16))
    write_frame(ws, result.scored, top + 1)
    ws.autofilter(top, 0, top + max(len(result.scored), 1), len(columns) - 1)


def _write_not_scored_sheet(ws: Any, rejected: pd.DataFrame, head: Any, top: int) -> None:
    for j, col in enumerate(rejected.columns):
        ws.write_string(top, j, str(col), head)
    write_frame(ws, rejected, top + 1)
    ws.set_column(0, 2, 16)
    ws.set_column(3, 3, 100)


def _write_columns_sheet(ws: Any, result: ScoreResult, head: Any, top: int) -> None:
    for j, title in enumerate(("Column id", "Label", "Meaning")):
        ws.write_string(top, j, title, head)
    for i, (col, (label, meaning)) in enumerate(_column_labels(result).items(), start=top + 1):
        ws.write_string(i, 0, col)
        ws.write_string(i, 1, clean_text(label))
        ws.write_string(i, 2, clean_text(meaning))
    ws.set_column(0, 1, 32)
    ws.set_column(2, 2, 70)

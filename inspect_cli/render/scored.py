"""Write the scored cases: xlsx, csv or json. The JSON shape is a public contract."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from inspect_cli.fields import standard_fields
from inspect_cli.provenance import Provenance
from inspect_cli.render.cells import (
    FORMULA_STARTS,
    WORKBOOK_OPTIONS,
    clean_text,
    is_missing,
    write_about_sheet,
    write_frame,
)
from inspect_cli.render.contracts import dumps
from inspect_cli.score import ScoreResult, scored_columns


def _plain(value: Any) -> Any:
    """A JSON-ready scalar."""
    if is_missing(value):
        return None
    if hasattr(value, "item"):
        return value.item()
    return value


def scored_records(result: ScoreResult) -> list[dict[str, Any]]:
    """One dict per case: the shape of ``score --format json`` (extend, never rename)."""
    fw = result.framework
    frame = result.scored
    records = []
    stage_ids = [s.id for s in fw.stages]
    for row in frame.to_dict("records"):
        records.append(
            {
                "case_ref": _plain(row["case_ref"]),
                "force": _plain(row["force"]),
                "audit_type": _plain(row["audit_type"]),
                "area_of_practice": _plain(row["area_of_practice"]),
                "grade": _plain(row["grade"]),
                "recorded_grade": _plain(row["recorded_grade"]),
                "recorded_counts_as": _plain(row["recorded_counts_as"]),
                "grade_agrees": _plain(row["grade_agrees"]),
                "score": _plain(row["score"]),
                "stages": {s: _plain(row[f"{s}.grade"]) for s in stage_ids},
                "stage_scores": {s: _plain(row[f"{s}.score"]) for s in stage_ids},
                "reason": _plain(row["reason"]),
                "source": {
                    "file": _plain(row["source_file"]),
                    "sheet": _plain(row["source_sheet"]) or None,
                    "row": _plain(row["source_row"]),
                },
            }
        )
    return records


def scored_json(result: ScoreResult) -> str:
    return dumps(scored_records(result))


def write_scored_json(result: ScoreResult, target: Path) -> None:
    target.write_text(scored_json(result), encoding="utf-8")


def _csv_column(values: pd.Series) -> pd.Series:
    """One column as CSV text, the same as :func:`csv_safe` cell by cell, but vectorised."""
    if pd.api.types.is_bool_dtype(values):
        text = values.map({True: "true", False: "false"})
    elif pd.api.types.is_float_dtype(values):
        whole = values.notna() & (values % 1 == 0)
        text = values.astype(str).where(~whole, values.fillna(0).astype("int64").astype(str))
        text = text.where(values.notna(), "")
        return text.astype(object)
    elif pd.api.types.is_integer_dtype(values):
        text = values.astype(str)
    else:
        text = values.astype("string")
        danger = text.str.startswith(FORMULA_STARTS).fillna(False).astype(bool)
        text = text.where(~danger, "'" + text)
    return text.astype(object).where(values.notna(), "")


def _csv_cells(values: pd.Series) -> Any:
    """One column as CSV text, the same text as :func:`_csv_column`, built in Arrow."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if pd.api.types.is_bool_dtype(values):
        flags = _arrow(values.astype("boolean"))
        text = pc.if_else(flags, "true", "false")
    elif pd.api.types.is_float_dtype(values):
        shown = values.dropna()
        magnitude = shown.abs()
        fraction = (shown % 1) != 0
        # Arrow writes fractions as Python does between 1e-4 and 1e9 (beyond, one or the
        # other switches to exponents); whole numbers go through integers. Anything
        # else takes the pandas route.
        if not (
            (magnitude < 1e15).all()
            and ((magnitude[fraction] >= 1e-4) & (magnitude[fraction] < 1e9)).all()
        ):
            return pa.array(_csv_column(values).to_numpy(dtype=object), pa.large_string())
        numbers = (values + 0.0).to_numpy()  # + 0.0 turns -0.0 into 0.0, as Python prints it
        missing = values.isna().to_numpy()
        whole = ~missing & (np.mod(np.nan_to_num(numbers), 1) == 0)
        # Whole numbers as integers (Arrow would write 1e+10); the rest as Arrow writes them.
        as_int = pa.array(np.where(whole, numbers, 0).astype(np.int64)).cast(pa.string())
        as_float = pa.array(numbers, mask=missing).cast(pa.string())
        text = pc.if_else(pa.array(whole), as_int, as_float)
    elif pd.api.types.is_integer_dtype(values):
        text = _arrow(values).cast(pa.string())
    else:
        text = _arrow(values.astype("string")).cast(pa.large_string())
        danger = pc.starts_with(text, FORMULA_STARTS[0])
        for start in FORMULA_STARTS[1:]:
            danger = pc.or_(danger, pc.starts_with(text, start))
        text = pc.if_else(danger, pc.binary_join_element_wise(_s("'"), text, _s("")), text)
    # Large strings (64-bit offsets): a line of every column may pass 2 GB in total.
    return pc.fill_null(text.cast(pa.large_string()), "")


def _s(text: str) -> Any:
    import pyarrow as pa

    return pa.scalar(text, pa.large_string())


def _arrow(values: pd.Series) -> Any:
    import pyarrow as pa

    array = pa.array(values)
    return array.combine_chunks() if isinstance(array, pa.ChunkedArray) else array


def _csv_field(text: Any) -> Any:
    """Quote as Python's csv module does (QUOTE_MINIMAL): fields holding , " CR or LF."""
    import pyarrow.compute as pc

    quotes = pc.match_substring(text, '"')
    needs = quotes
    for special in (",", "\r", "\n"):
        needs = pc.or_(needs, pc.match_substring(text, special))
    if not pc.any(needs).as_py():
        return text
    if pc.any(quotes).as_py():
        text = pc.replace_substring(text, '"', '""')
    quoted = pc.binary_join_element_wise(_s('"'), text, _s('"'), _s(""))
    return pc.if_else(needs, quoted, text)


def write_scored_csv(result: ScoreResult, target: Path) -> None:
    """The scored cases as CSV, built a column at a time in Arrow (no Python per cell).

    UTF-8 with a byte-order mark, so that Excel on Windows shows accents correctly;
    CRLF line ends; fields quoted only when needed, as Python's csv module would.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    frame = result.scored
    columns = pa.array(scored_columns(result.framework), pa.large_string())
    header = _csv_field(columns).to_pylist()
    with open(target, "w", encoding="utf-8-sig", newline="") as fh:
        fh.write(",".join(header) + "\r\n")
        if len(frame):
            fields = [
                _csv_cells(frame[col])
                if pd.api.types.is_numeric_dtype(frame[col])
                or pd.api.types.is_bool_dtype(frame[col])
                else _csv_field(_csv_cells(frame[col]))
                for col in frame.columns
            ]
            lines = pc.binary_join_element_wise(*fields, _s(","))
            fh.write("\r\n".join(lines.to_pylist()) + "\r\n")


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


def write_scored_xlsx(result: ScoreResult, target: Path, provenance: Provenance) -> None:
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
        _write_scored_sheet(scored, result, head)
        _write_not_scored_sheet(not_scored, result.load.rejected, head)
        _write_columns_sheet(columns, result, head)
    finally:
        workbook.close()


def _write_scored_sheet(ws: Any, result: ScoreResult, head: Any) -> None:
    columns = scored_columns(result.framework)
    ws.freeze_panes(1, 1)
    for j, col in enumerate(columns):
        ws.write_string(0, j, col, head)
    widths = {"reason": 90, "case_ref": 14, "force": 12, "area_of_practice": 22}
    for j, col in enumerate(columns):
        ws.set_column(j, j, widths.get(col, 12 if "." not in col else 16))
    write_frame(ws, result.scored)
    ws.autofilter(0, 0, max(len(result.scored), 1), len(columns) - 1)


def _write_not_scored_sheet(ws: Any, rejected: pd.DataFrame, head: Any) -> None:
    for j, col in enumerate(rejected.columns):
        ws.write_string(0, j, str(col), head)
    write_frame(ws, rejected)
    ws.set_column(0, 2, 16)
    ws.set_column(3, 3, 100)


def _write_columns_sheet(ws: Any, result: ScoreResult, head: Any) -> None:
    for j, title in enumerate(("Column id", "Label", "Meaning")):
        ws.write_string(0, j, title, head)
    for i, (col, (label, meaning)) in enumerate(_column_labels(result).items(), start=1):
        ws.write_string(i, 0, col)
        ws.write_string(i, 1, clean_text(label))
        ws.write_string(i, 2, clean_text(meaning))
    ws.set_column(0, 1, 32)
    ws.set_column(2, 2, 70)

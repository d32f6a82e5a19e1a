"""Every CSV output: the thematic and force tables, the key file and the scored cases.

Text that starts like a formula is made safe for spreadsheets (:func:`csv_safe`).
A file with a protective marking starts with it as a comment line, ``# MARKING``,
before the header row (:func:`marking_line`; docs/json.md and docs/reports.md say
how readers skip it).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from inspect_cli.render.cells import FORMULA_STARTS, is_missing
from inspect_cli.render.contracts import grade_row_dict
from inspect_cli.reports.force import ForceReport
from inspect_cli.reports.suppress import SYMBOL
from inspect_cli.reports.thematic import ThematicReport
from inspect_cli.score import ScoreResult, scored_columns


@dataclass(frozen=True)
class Column:
    """One column of a report CSV, as written and as its CSVW metadata describes it
    (render/csvw.py): the one definition of both."""

    name: str
    """The id in the header row: public, so extend the tables, never rename or drop."""
    title: str
    datatype: str
    """A CSVW base datatype: integer, decimal, string or boolean."""
    description: str
    hidden_with: str = ""
    """The report figure (a key of ``grade_row_dict``'s ``suppressed``) whose
    suppression hides this column's cell; "" for a column never hidden."""


GRADE_WORDS = ("good", "adequate", "inadequate")


def _grade_columns() -> tuple[Column, ...]:
    counts = tuple(
        Column(g, g.capitalize(), "integer", f"Cases graded {g}.", g) for g in GRADE_WORDS
    )
    total = Column(
        "total", "Total", "integer", "Cases graded (good, adequate and inadequate).", "total"
    )
    shares = tuple(
        Column(
            f"{g}_pct",
            f"{g.capitalize()} (%)",
            "integer",
            f"Cases graded {g} as a whole percentage of total, rounded half up.",
            f"{g}_pct",
        )
        for g in GRADE_WORDS
    )
    return (*counts, total, *shares)


GRADE_COLUMNS = _grade_columns()
"""The grade columns every report CSV shares."""
CSV_COLUMNS = tuple(c.name for c in GRADE_COLUMNS)

THEMATIC_COLUMNS: tuple[Column, ...] = (
    Column("force", "Force", "string", "The force (a pseudonym if anonymised), or the total row."),
    Column(
        "recorded",
        "Recorded",
        "boolean",
        "false when the force has no case of the audit type reported: its figures are empty.",
    ),
    *GRADE_COLUMNS,
    Column(
        "inadequate_ci_low",
        "Inadequate, 95% interval, low (%)",
        "decimal",
        "Lower end of the 95% Wilson interval of the inadequate share, in percent.",
        "inadequate_ci_95",
    ),
    Column(
        "inadequate_ci_high",
        "Inadequate, 95% interval, high (%)",
        "decimal",
        "Upper end of the 95% Wilson interval of the inadequate share, in percent.",
        "inadequate_ci_95",
    ),
    Column(
        "serious_concern",
        "Serious concern",
        "boolean",
        "true when more than the framework's serious-concern share of the cases"
        " (in ncpi-2014, a third) were graded inadequate.",
        "serious_concern",
    ),
)
"""``report thematic -o FILE.csv``: one row per force, then the total."""

FORCE_COLUMNS: tuple[Column, ...] = (
    Column("breakdown", "Breakdown", "string", "What the cases are broken down by."),
    Column("group", "Group", "string", "The group of cases within the breakdown."),
    *GRADE_COLUMNS,
)
"""``report force -o FILE.csv``: every breakdown as one long table."""


COMMENT_PREFIX = "#"
"""Starts the marking line: CSVW's default comment prefix, never a formula start."""


def marking_line(marking: str | None) -> str:
    """The first line of a CSV with ``marking`` (one line: ``marking_for`` joins
    lines), or "" for none. Written as is, not as a quoted field, so that it
    always starts with the comment prefix."""
    return f"{COMMENT_PREFIX} {marking}\r\n" if marking else ""


def write_thematic_csv(r: ThematicReport, target: Path) -> None:
    """The conclusions table, one row per force then the total."""
    rows = []
    for row in (*r.forces, r.total):
        d = grade_row_dict(row)
        low, high = d["inadequate_ci_95"] or (None, None)
        rows.append((d, {"inadequate_ci_low": low, "inadequate_ci_high": high}))
    _write_table(target, THEMATIC_COLUMNS, rows, r.meta.marking)


def write_force_csv(r: ForceReport, target: Path) -> None:
    """Every breakdown as one long table: breakdown, group, counts and shares."""
    rows = [(grade_row_dict(r.overall), {"breakdown": "All cases", "group": r.force})]
    for b in r.breakdowns:
        rows += [(grade_row_dict(row, "group"), {"breakdown": b.title}) for row in b.rows]
    _write_table(target, FORCE_COLUMNS, rows, r.meta.marking)


def _write_table(
    target: Path,
    columns: tuple[Column, ...],
    rows: list[tuple[dict[str, Any], dict[str, Any]]],
    marking: str | None,
) -> None:
    """The marking line if any, one header row of column ids, then one line per
    (grade row, extra values).

    RFC 4180 as the government tabular data standard adopts it: comma separated,
    CRLF line ends, a field quoted only when it holds a comma, quote, CR or LF (the
    csv module's defaults). UTF-8 with a byte-order mark, as every CSV the tool
    writes: Excel on Windows reads the file as ANSI without it and garbles accents.
    A suppressed figure is written as the suppression symbol, never left empty: an
    empty cell means "no figure" (a force not recorded), as the metadata says.
    """
    with open(target, "w", encoding="utf-8-sig", newline="") as fh:
        fh.write(marking_line(marking))
        writer = csv.writer(fh, lineterminator="\r\n")
        writer.writerow([c.name for c in columns])
        for d, extra in rows:
            values = {**d, **extra}
            hidden = set(d["suppressed"])
            writer.writerow(
                [SYMBOL if c.hidden_with in hidden else csv_safe(values[c.name]) for c in columns]
            )


def write_key_csv(names: dict[str, str], target: Path) -> None:
    """The anonymisation key: which pseudonym stands for which force. Keep it apart."""
    with open(target, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["pseudonym", "force"])
        for real, pseudonym in sorted(names.items(), key=lambda kv: kv[1]):
            writer.writerow([pseudonym, csv_safe(real)])


def csv_column(values: pd.Series) -> pd.Series:
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


def csv_cells(values: pd.Series) -> Any:
    """One column as CSV text, the same text as :func:`csv_column`, built in Arrow."""
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
            return pa.array(csv_column(values).to_numpy(dtype=object), pa.large_string())
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
        text = pc.if_else(
            danger, pc.binary_join_element_wise(large_text("'"), text, large_text("")), text
        )
    # Large strings (64-bit offsets): a line of every column may pass 2 GB in total.
    return pc.fill_null(text.cast(pa.large_string()), "")


def large_text(text: str) -> Any:
    import pyarrow as pa

    return pa.scalar(text, pa.large_string())


def _arrow(values: pd.Series) -> Any:
    import pyarrow as pa

    array = pa.array(values)
    return array.combine_chunks() if isinstance(array, pa.ChunkedArray) else array


def csv_field(text: Any) -> Any:
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
    quoted = pc.binary_join_element_wise(large_text('"'), text, large_text('"'), large_text(""))
    return pc.if_else(needs, quoted, text)


def write_scored_csv(result: ScoreResult, target: Path, marking: str | None = None) -> None:
    """The scored cases as CSV, built a column at a time in Arrow (no Python per cell),
    after the marking line if there is a marking.

    UTF-8 with a byte-order mark, so that Excel on Windows shows accents correctly;
    CRLF line ends; fields quoted only when needed, as Python's csv module would.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    frame = result.scored
    columns = pa.array(scored_columns(result.framework), pa.large_string())
    header = csv_field(columns).to_pylist()
    with open(target, "w", encoding="utf-8-sig", newline="") as fh:
        fh.write(marking_line(marking))
        fh.write(",".join(header) + "\r\n")
        if len(frame):
            fields = [
                csv_cells(frame[col])
                if pd.api.types.is_numeric_dtype(frame[col])
                or pd.api.types.is_bool_dtype(frame[col])
                else csv_field(csv_cells(frame[col]))
                for col in frame.columns
            ]
            lines = pc.binary_join_element_wise(*fields, large_text(","))
            fh.write("\r\n".join(lines.to_pylist()) + "\r\n")


def csv_safe(value: Any) -> str:
    """A CSV field that no spreadsheet will run as a formula."""
    if is_missing(value):
        return ""
    if hasattr(value, "item"):  # numpy scalar (e.g. numpy.bool_)
        value = value.item()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:g}" if not value.is_integer() else str(int(value))
    text = str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text

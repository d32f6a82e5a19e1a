"""The scored workbook's fast cell writing: same cells as the careful per-cell path."""

from __future__ import annotations

import csv
import dataclasses
import io
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
import openpyxl
import pandas as pd
import pyarrow.compute as pc
import pytest
import xlsxwriter
from hypothesis import given, settings
from hypothesis import strategies as st

from inspect_cli.frameworks import Framework
from inspect_cli.render import cells
from inspect_cli.render.cells import WORKBOOK_OPTIONS, write_frame, write_value
from inspect_cli.render.csv import csv_cells, csv_column, csv_field, large_text
from inspect_cli.render.xlsx.scored import write_scored_xlsx

LONG = "x" * 40_000


def _every_kind_of_column() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "string": pd.array(["=1+1", None, "bell\x07", LONG, " pad ", "@A1"], dtype="string"),
            "str": pd.Series(["a", "+2", None, "tab\x0b", "http://x", "-3"], dtype=str),
            "float": [1.5, np.nan, 100.0, -0.25, 1e300, 0.0],
            "inf": [1.0, np.inf, -np.inf, np.nan, 2.0, 3.0],
            "Int64": pd.array([1, None, 3, -4, 2**40, 0], dtype="Int64"),
            "int64": np.arange(6, dtype="int64"),
            "boolean": pd.array([True, None, False, True, False, None], dtype="boolean"),
            "bool": [True, False, True, False, True, False],
            "object": ["text", 7, None, np.nan, np.bool_(True), 2.5],
            "date": pd.to_datetime(["2014-03-01", None, "2020-12-31", None, "2001-01-01", None]),
        }
    )


def _sheet_cells(path: Path, name: str) -> list[list[tuple[Any, str]]]:
    ws = openpyxl.load_workbook(path)[name]
    return [[(c.value, c.data_type) for c in row] for row in ws.iter_rows()]


@pytest.mark.parametrize("rows_per_chunk", [2, 5_000])
def test_write_frame_writes_what_write_value_writes(
    rows_per_chunk: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cells, "_ROWS_PER_CHUNK", rows_per_chunk)
    frame = _every_kind_of_column()
    path = tmp_path / "cells.xlsx"
    with xlsxwriter.Workbook(str(path), WORKBOOK_OPTIONS) as book:
        fast, careful = book.add_worksheet("fast"), book.add_worksheet("careful")
        write_frame(fast, frame)
        for i, row in enumerate(frame.itertuples(index=False), start=1):
            for j, value in enumerate(row):
                write_value(careful, i, j, value)
    got, want = _sheet_cells(path, "fast"), _sheet_cells(path, "careful")
    assert got == want
    assert got[1][0] == ("=1+1", "s")  # text, never a formula
    assert got[3][0] == ("bell", "s") and len(got[4][0][0]) == cells.MAX_CELL_TEXT
    assert got[2][2] == (None, "n") and got[1][5] == (0, "n") and got[1][7] == (True, "b")


def test_a_large_scored_workbook_is_still_recognised_as_tool_output(
    sample_scored: Any, fixed_provenance: Any, fw: Framework, tmp_path: Path
) -> None:
    """The loader looks for the marker near the start of the shared strings."""
    from inspect_cli.load import load_cases

    scored = pd.concat([sample_scored.scored] * (3_000 // len(sample_scored.scored) + 1))
    refs = [f"{i:06d}-" + "r" * 100 for i in range(len(scored))]
    scored = scored.assign(case_ref=pd.array(refs, dtype="string")).reset_index(drop=True)
    target = tmp_path / "scored.xlsx"
    write_scored_xlsx(dataclasses.replace(sample_scored, scored=scored), target, fixed_provenance)
    with zipfile.ZipFile(target) as zf:
        assert zf.getinfo("xl/sharedStrings.xml").file_size > 200_000
    result = load_cases([target], fw)
    assert "inspect-cli-output" in {p.code for p in result.problems}
    assert result.cases.empty


# --------------------------------------------------------------------------- CSV

_CSV_TEXT = st.text(alphabet=st.sampled_from(list("ab ,\"\r\n=+-@\t'é€;")), max_size=12)


def _csv_reference(frame: pd.DataFrame) -> str:
    """The scored CSV as Python's csv module writes it, cell by cell (the careful path)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    columns = [csv_column(frame[c]).tolist() for c in frame.columns]  # each column once
    writer.writerows(zip(*columns, strict=True))
    return buffer.getvalue()


def _csv_fast(frame: pd.DataFrame) -> str:
    fields = [csv_field(csv_cells(frame[c])) for c in frame.columns]
    return "".join(
        f"{line}\r\n" for line in pc.binary_join_element_wise(*fields, large_text(",")).to_pylist()
    )


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.none() | _CSV_TEXT,
            st.none()
            | st.floats(allow_nan=False, allow_infinity=False)
            | st.integers(-(10**16), 10**16).map(lambda i: i / 10 ** (abs(i) % 7)),
            st.none() | st.booleans(),
        ),
        min_size=1,
        max_size=8,
    )
)
def test_scored_csv_fields_match_the_csv_module(rows: list[tuple[Any, Any, Any]]) -> None:
    frame = pd.DataFrame(
        {
            "text": pd.array([r[0] for r in rows], dtype="string"),
            "score": pd.array([r[1] for r in rows], dtype="Float64").astype("float64"),
            "agrees": pd.array([r[2] for r in rows], dtype="boolean"),
            "row": np.arange(len(rows), dtype="int64"),
        }
    )
    assert _csv_fast(frame) == _csv_reference(frame)

"""The fast reader (fastexcel, behind the pre-flight check) gives the same cells as the
careful reader (openpyxl), cell for cell, on every sample workbook, on a built workbook
with awkward values, and on the readable workbooks of the bad-input catalogue.

The fast reader hands every cell over as text (docs/workbook-format.md says how);
openpyxl gives typed values. Each typed value is compared with the text the fast
reader must have produced for it: the same string, the same number, the same
date and time, ``true``/``false`` for a boolean.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from inspect_cli.frameworks import Framework
from inspect_cli.read import OUTPUT_MARKER, ReadFailure, read_file

from .conftest import SAMPLES
from .helpers.builders import case_table, write_xlsx
from .helpers.readers import assert_readers_agree

WORKBOOKS = sorted(SAMPLES.rglob("*.xlsx"))


@pytest.mark.parametrize("path", WORKBOOKS, ids=lambda p: str(p.relative_to(SAMPLES)))
def test_fast_reader_matches_careful_reader_on_samples(path: Path) -> None:
    assert_readers_agree(path)


def test_fast_reader_matches_careful_reader_on_a_built_workbook(
    fw: Framework, tmp_path: Path
) -> None:
    table = case_table(fw, 5)
    table[1][0] = "00123"  # text that looks like a number
    path = write_xlsx(tmp_path / "cases.xlsx", {"Cases": table, "More": case_table(fw, 2, first=9)})
    assert_readers_agree(path)


def test_fast_reader_matches_careful_reader_on_awkward_values(tmp_path: Path) -> None:
    import xlsxwriter

    path = tmp_path / "awkward.xlsx"
    wb = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False, "strings_to_formulas": False})
    ws = wb.add_worksheet("Odd")
    date = wb.add_format({"num_format": "dd/mm/yyyy"})
    stamp = wb.add_format({"num_format": "dd/mm/yyyy hh:mm"})
    values: list[Any] = [
        0.1, 2.5, -3, 1e21, 12345678901234567890, 0.1 + 0.2, True, False, "  spaced  ",
        "=not a formula", "line\nbreak", "ünïcödé", "1e5", "",
    ]  # fmt: skip
    for i, value in enumerate(values):
        ws.write(i + 2, 1, value)  # from B3: the reader must keep the sheet's own positions
    ws.write_datetime(2, 3, dt.datetime(2014, 3, 1), date)
    ws.write_datetime(3, 3, dt.datetime(2014, 3, 1, 12, 30), stamp)
    ws.write_formula(4, 3, "=1+1", None, 2)
    ws.write_formula(5, 3, '="a"&"b"', None, "ab")
    ws.write(30, 6, "far")
    wb.close()
    assert_readers_agree(path)


# --------------------------------------------------------------------------- own outputs


def _workbook_with_provenance(path: Path, a1: str, filler: int, *, marker_elsewhere: bool) -> Path:
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path))  # shared strings, as the tool's outputs use
    cases = wb.add_worksheet("Cases")
    for i in range(filler):  # push the Provenance strings far into the shared strings
        cases.write_string(i, 0, f"distinct text number {i:07d} " + "x" * 40)
    if marker_elsewhere:
        cases.write_string(filler, 1, OUTPUT_MARKER)
    wb.add_worksheet("Provenance").write_string(0, 0, a1)
    wb.close()
    return path


@pytest.mark.parametrize("filler", [0, 5_000])
def test_own_output_is_recognised_wherever_its_marker_is_stored(
    tmp_path: Path, filler: int
) -> None:
    path = _workbook_with_provenance(
        tmp_path / "out.xlsx", OUTPUT_MARKER, filler, marker_elsewhere=False
    )
    with pytest.raises(ReadFailure) as caught:
        read_file(path)
    assert caught.value.problem.code == "inspect-cli-output"


def test_a_sheet_called_provenance_without_the_marker_in_a1_is_read(tmp_path: Path) -> None:
    path = _workbook_with_provenance(
        tmp_path / "in.xlsx", "Notes from the force", 50, marker_elsewhere=True
    )
    assert [s.name for s in read_file(path).sheets] == ["Cases", "Provenance"]

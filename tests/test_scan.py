"""The fast byte scan of sheet XML (inspect_cli/read/scan.py), on generated XML: what it
measures, and which spellings it leaves to the careful scan."""

from __future__ import annotations

from pathlib import Path

import pytest

from inspect_cli.frameworks import Framework
from inspect_cli.read import ReadFailure, read_file
from inspect_cli.read.scan import EDGE, measure
from tests.helpers.builders import SHEET1, case_table, rewrite_member, write_xlsx


def _sheet(extra: str = "", rows: int = 2000) -> bytes:
    """Sheet XML as Excel writes it (inline, shared and number cells), ``extra`` halfway."""
    body = "".join(
        f'<row r="{r}" spans="1:3"><c r="A{r}" s="1" t="inlineStr"><is><t>Case {r}</t></is>'
        f'</c><c r="B{r}" t="s"><v>{r % 7}</v></c><c r="C{r}"><v>3</v></c></row>'
        for r in range(1, rows)
    )
    half = body.index("<row", len(body) // 2)
    return (
        b'<?xml version="1.0"?><worksheet xmlns="x"><cols><col min="1" max="3"/></cols>'
        + f"<sheetData>{body[:half]}{extra}{body[half:]}</sheetData></worksheet>".encode()
    )


def test_excel_spelling_is_measured() -> None:
    found = measure(_sheet('<row r="5000"><c r="AB5000" t="s"><v>12345</v></c></row>'))
    assert found == (5000, 28, 12345, False)


def test_rich_text_and_text_with_equals_signs_stay_on_the_fast_scan() -> None:
    rich = '<row r="2500"><c r="ZZ2500" t="inlineStr"><is><r><t>a = b</t></r></is></c></row>'
    assert measure(_sheet(rich)) == (2500, 702, 6, False)


@pytest.mark.parametrize(
    "extra",
    [
        '<row r="5000"><c r="B5000" r="XFD1048576"><v>1</v></c></row>',  # r twice
        '<row r="5000"><c t="n" r="B5000"><v>1</v></c></row>',  # r not first
        '<row r="5000"><c r="B05000"><v>1</v></c></row>',  # a leading zero
        '<row r="5000"><c r="5000"><v>1</v></c></row>',  # no column letters
        '<row r="A5000"><c r="B5000"><v>1</v></c></row>',  # a row with a column
        '<row r="5000"><c r="ABCD5000"><v>1</v></c></row>',  # four letters
        '<row r="5000"><c r="B12345678"><v>1</v></c></row>',  # eight digits
        '<row r="5000"><c r="B5000" t="s"><v>01</v></c></row>',  # a shared index 01
        '<row r="5000"><x:c t="e"><v>#N/A</v></x:c></row>',  # prefixed, without r
    ],
)
def test_spellings_excel_never_writes_go_to_the_careful_scan(extra: str) -> None:
    assert measure(_sheet(extra)).unusual


def test_the_padded_tail_measures_the_last_bytes() -> None:
    """A chunk is measured up to EDGE bytes from its end; the caller pads the tail."""
    xml = _sheet(rows=20)
    cut = xml[: xml.index(b"</sheetData>")] + b'<row r="40"><c r="XFD40"/>'
    assert measure(cut).max_col == 3
    assert measure(cut[-512:] + bytes(2 * EDGE)).max_col == 16384


def test_far_cell_in_the_last_bytes_of_a_part_is_refused(fw: Framework, tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "far.xlsx", case_table(fw, 2))
    rewrite_member(
        path, SHEET1, lambda xml: xml[: xml.index(b"</sheetData>")] + b'<row r="4"><c r="XFD4"/>'
    )
    with pytest.raises(ReadFailure) as caught:
        read_file(path)
    assert caught.value.problem.code == "too-large"
    assert caught.value.problem.sheet == "Cases"

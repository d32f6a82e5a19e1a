"""The reader's path for large sheets (over 8 MB of XML), exercised on small files.

Large sheets are checked in chunks, inflated a chunk ahead on a thread, and parsed
on a thread while the error cells and formulas are found. Here the chunk size is
shrunk to a kilobyte, so that every sample and catalogue workbook goes down that
path: the sheets read must be the same, and every refusal must still come first.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from inspect_cli.frameworks import Framework
from inspect_cli.read import ReadFailure, inflate, read_file, xlsx

from .conftest import SAMPLES
from .helpers.builders import (
    SHEET1,
    add_cells,
    billion_laughs_dtd,
    case_table,
    inline_cell,
    rewrite_member,
    with_doctype,
    write_xlsx,
)

ROOT = Path(__file__).resolve().parents[1]
SMALL = 1024


def _snapshot(path: Path) -> list[Any]:
    return [
        (s.name, s.hidden, s.rows, s.error_cells, s.formula_cells, s.merged)
        for s in read_file(path).sheets
    ]


def _small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Shrink the chunk size everywhere it is read: the inflater and the xlsx path."""
    for module in (inflate, xlsx):
        monkeypatch.setattr(module, "CHUNK", SMALL)


def _same_in_small_chunks(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    expected = _snapshot(path)
    with monkeypatch.context() as patched:
        _small_chunks(patched)
        assert _snapshot(path) == expected


@pytest.mark.parametrize(
    "path", sorted(SAMPLES.rglob("*.xlsx")), ids=lambda p: str(p.relative_to(SAMPLES))
)
def test_samples_read_the_same_in_small_chunks(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _same_in_small_chunks(path, monkeypatch)


def test_errors_formulas_and_merges_are_found_across_chunks(
    fw: Framework, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    table = case_table(fw, 60)
    path = write_xlsx(
        tmp_path / "marks.xlsx",
        table,
        merge=["C40:C41"],
        errors={"H3": "#N/A", "H50": "#REF!"},
        formulas={"H20": "=3+4"},
    )
    found = _snapshot(path)[0]
    assert set(found[3]) == {(2, 7), (49, 7)} and set(found[4]) == {(19, 7)}
    assert found[5] == [(39, 2, 40, 2)]
    _same_in_small_chunks(path, monkeypatch)


def test_a_dtd_is_refused_in_small_chunks(
    fw: Framework, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_xlsx(tmp_path / "cases.xlsx", case_table(fw, 40))
    rewrite_member(path, SHEET1, with_doctype(billion_laughs_dtd(), "lol9"))
    _small_chunks(monkeypatch)
    with pytest.raises(ReadFailure) as caught:
        read_file(path)
    assert caught.value.problem.code == "unsafe-content"


FAR_CELL_IN_SMALL_CHUNKS = """
import sys
from pathlib import Path
from inspect_cli import read
from inspect_cli.read import inflate, xlsx
inflate.CHUNK = xlsx.CHUNK = 1024
try:
    read.read_file(Path(sys.argv[1]))
except read.ReadFailure as failure:
    print(failure.problem.code)
"""


def test_a_far_cell_is_refused_before_parsing_in_small_chunks(
    fw: Framework, tmp_path: Path
) -> None:
    """The parser aborts the interpreter on this file, so it is read in a child process."""
    path = write_xlsx(tmp_path / "far.xlsx", case_table(fw, 40))
    rewrite_member(path, SHEET1, add_cells(inline_cell("XFD1048576", "x")))
    run = subprocess.run(
        [sys.executable, "-c", FAR_CELL_IN_SMALL_CHUNKS, str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.stdout.split() == ["too-large"]


def test_a_reader_that_does_not_say_where_columns_are_falls_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The fast route learns each column's place from fastexcel's column filter; if a
    fastexcel version stopped calling it, the sheet is read the slower way, the same."""
    path = sorted(SAMPLES.glob("*.xlsx"))[0]
    expected = _snapshot(path)
    real_open = xlsx.open_workbook

    class Quiet:
        def __init__(self, reader: Any) -> None:
            self.reader = reader

        def load_sheet_eager(self, sheet: str, use_columns: Any, **options: Any) -> Any:
            return self.reader.load_sheet_eager(sheet, **options)

        def load_sheet(self, sheet: str, **options: Any) -> Any:
            return self.reader.load_sheet(sheet, **options)

    monkeypatch.setattr(xlsx, "open_workbook", lambda name, data: Quiet(real_open(name, data)))
    assert _snapshot(path) == expected


def test_without_isal_zlib_inflates_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    path = sorted(SAMPLES.glob("*.xlsx"))[0]
    expected = _snapshot(path)
    monkeypatch.setitem(sys.modules, "isal", None)  # 'from isal import …' now fails
    _small_chunks(monkeypatch)
    assert _snapshot(path) == expected

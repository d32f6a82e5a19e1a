"""The marks scan told by the reach measure where a mark can stand (read/spots.py) finds
exactly what the simple scan (every chunk searched) finds: on every sample workbook,
the bad-input catalogue, generated workbooks with marks at chunk edges (the chunk size
shrunk, and the inflater's pieces cut unevenly), and namespaced or single-quoted XML."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from inspect_cli.frameworks import Framework
from inspect_cli.read import ReadFailure, bounds, inflate, marks, read_file, xlsx
from inspect_cli.read.raw import RawSheet
from inspect_cli.read.spots import EVERY, SheetSpots, unmeasured

from .conftest import SAMPLES
from .helpers.builders import SHEET1, case_table, rewrite_member
from .helpers.catalogue import CATALOGUE, Entry

SIZES = [1024, 1500, 4103]
UNEVEN = [1, 700, 5, 31, 2000, 513, 3]  # pieces the inflater hands over, in turn


def _marks(path: Path) -> Any:
    try:
        raw = read_file(path)
    except ReadFailure as failure:
        return failure.problem.code
    return [(s.name, s.error_cells, s.formula_cells, s.merged, s.hidden_rows) for s in raw.sheets]


def _simple(monkeypatch: pytest.MonkeyPatch) -> None:
    """The reference: every chunk searched, whatever the measure saw."""
    real = marks.find_marks

    def every_chunk(
        name: str,
        sheet: RawSheet,
        zf: zipfile.ZipFile,
        member: str,
        whole: bytes | None = None,
        spots: SheetSpots | None = None,
    ) -> None:
        real(name, sheet, zf, member, whole)

    monkeypatch.setattr(xlsx, "find_marks", every_chunk)


def _small(monkeypatch: pytest.MonkeyPatch, size: int, uneven: bool = False) -> None:
    """Every sheet measured and searched in chunks of ``size`` bytes (the measure too)."""
    for module in (inflate, xlsx, bounds):
        monkeypatch.setattr(module, "CHUNK", size)
    if uneven:
        real = inflate._inflate

        def cut(zf: zipfile.ZipFile, name: str, member: str) -> Iterator[bytes]:
            data, turn = b"".join(real(zf, name, member)), 0
            while data:
                piece = min(UNEVEN[turn % len(UNEVEN)], size)
                yield data[:piece]
                data, turn = data[piece:], turn + 1

        monkeypatch.setattr(inflate, "_inflate", cut)


def _both_agree(
    path: Path, monkeypatch: pytest.MonkeyPatch, size: int | None = None, cut: bool = True
) -> Any:
    """The marks found with spots and without, whole and (given ``size``) in small chunks,
    also cut into uneven pieces unless ``cut`` is False."""
    fast = _marks(path)
    with monkeypatch.context() as patched:
        _simple(patched)
        assert _marks(path) == fast
    for uneven in ((False, True) if cut else (False,)) if size else ():
        with monkeypatch.context() as patched:
            _small(patched, size, uneven)  # type: ignore[arg-type]
            assert _marks(path) == fast, (size, uneven)
            _simple(patched)
            assert _marks(path) == fast, (size, uneven)
    return fast


@pytest.mark.parametrize(
    "path", sorted(SAMPLES.rglob("*.xlsx")), ids=lambda p: str(p.relative_to(SAMPLES))
)
def test_samples(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _both_agree(path, monkeypatch, size=2048)


@pytest.mark.parametrize("item", CATALOGUE, ids=lambda item: item.name)
def test_catalogue(
    item: Entry, fw: Framework, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    built = item.build(tmp_path, fw)
    files = sorted(built.rglob("*.xlsx")) if built.is_dir() else [built]
    for path in files:
        if path.suffix == ".xlsx" and path.is_file():
            _both_agree(path, monkeypatch)


def _marked(fw: Framework, path: Path, rows: int = 160) -> Path:
    """Error cells, formulas (one shared), merges and hidden rows all down the sheet, so
    that with small chunks some fall across every chunk edge."""
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    for row in case_table(fw, rows):
        ws.append(row)
    for r in range(3, rows, 7):
        ws.cell(r, 8).value = "#N/A"
        ws.cell(r, 8).data_type = "e"
    for r in range(4, rows, 11):
        ws.cell(r, 9).value = f"=1+{r}"
    for r in range(5, rows, 13):
        ws.row_dimensions[r].hidden = True
    for r in range(6, rows, 17):
        ws.merge_cells(start_row=r, start_column=3, end_row=r + 1, end_column=4)
    wb.save(path)
    return path


@pytest.mark.parametrize("size", SIZES)
def test_marks_at_chunk_edges(
    size: int, fw: Framework, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    found = _both_agree(_marked(fw, tmp_path / "marked.xlsx"), monkeypatch, size)
    _, errors, formulas, merged, hidden = found[0]
    assert len(errors) == 23 and len(formulas) == 15 and len(merged) == 10
    assert hidden == list(range(4, 160, 13))


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (b"<f>", b'<x:f xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'),
        (b'<c r="I15"><f>', b'<c r="I15"><f\t>'),
        (b'hidden="1"', b'hidden="true"'),
        (b'<mergeCell ref="', b'<mergeCell x="1" ref="'),
        (b't="e"', b"t='e'"),  # single-quoted: read by the careful scan, both ways
        (b"<c ", b'<x:c xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '),
    ],
)
def test_spellings(
    old: bytes, new: bytes, fw: Framework, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _marked(fw, tmp_path / "marked.xlsx")

    def change(xml: bytes) -> bytes:
        assert old in xml
        return xml.replace(old, new).replace(b"</f>", b"</x:f>" if b"x:f" in new else b"</f>")

    rewrite_member(path, SHEET1, change)
    # Uneven pieces are the inflater's business, tested at every chunk edge above.
    found = _both_agree(path, monkeypatch, size=1024, cut=False)
    assert isinstance(found, str) or any(sheet[1:] != ({}, {}, [], []) for sheet in found)


def test_a_sheet_without_marks_is_not_searched(
    fw: Framework, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The point of the spots: nothing in a plain sheet can start a mark."""
    path = tmp_path / "plain.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    for row in case_table(fw, 200):
        ws.append(row)
    wb.save(path)
    asked: list[int] = []
    real = SheetSpots.kinds_in

    def kinds_in(self: SheetSpots, start: int, stop: int) -> int:
        asked.append(real(self, start, stop))
        return asked[-1]

    _small(monkeypatch, 2048)
    monkeypatch.setattr(SheetSpots, "kinds_in", kinds_in)
    read_file(path)
    assert len(asked) > 10 and not any(asked)
    assert _marks(path)[0][1:] == ({}, {}, [], [])
    assert SheetSpots([(0, unmeasured(5000, 5001))]).kinds_in(4096, 4097) == EVERY


def test_chunks_overlap_whole_even_after_short_pieces(
    fw: Framework, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each chunk starts 512 bytes back (or at 0), where ``chunks_at`` says it does."""
    path = _marked(fw, tmp_path / "marked.xlsx")
    _small(monkeypatch, 1024, uneven=True)
    with zipfile.ZipFile(path) as zf:
        data = zf.read(SHEET1)
        seen = list(inflate.chunks_at(zf, "marked.xlsx", SHEET1))
    assert len(seen) > 20
    end = 0
    for at, buf in seen:
        assert data[at : at + len(buf)] == buf
        assert at == 0 or end - at == 512
        end = at + len(buf)
    assert end == len(data)

"""Report workbooks print as a reader expects and store shares unrounded.

Every sheet of an internal report prints landscape, one page wide, with its header
row(s) repeated on every page and the marking in the page header; a chart fits on one
page. A share with its count and base in the model is stored as count / base exactly
(37/81 as 0.4567…, shown 46%), never a pre-rounded 0.46; a figure that does not exist
is '[x]', explained in a note.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import openpyxl

from inspect_cli.provenance import Provenance
from inspect_cli.render.xlsx.force import write_force_xlsx
from inspect_cli.render.xlsx.scored import write_scored_xlsx
from inspect_cli.render.xlsx.thematic import write_thematic_xlsx
from inspect_cli.reports.counts import grade_row_of
from inspect_cli.reports.force import ForceReport
from inspect_cli.reports.thematic import ThematicReport
from inspect_cli.score import ScoreResult
from tests.helpers.xlsx_dump import exact, header_row, page_setup, row_by_label


def _check_pages(path: Path, tables: dict[str, tuple[str, int]]) -> None:
    """``tables``: sheet → (the header's first label, how many rows repeat from above it)."""
    wb = openpyxl.load_workbook(path)
    for ws in wb.worksheets:
        orientation, fit, wide, tall, titles = page_setup(ws)
        assert (orientation, fit, wide) == ("landscape", True, 1), ws.title
        assert tall == (1 if ws.title == "Chart" else 0), ws.title  # a chart is never cut
        if ws.title in tables:
            first, rows = tables[ws.title]
            head = header_row(ws, first)
            assert titles == f"{head - rows + 1}:{head}", ws.title
        else:
            assert ws.title in ("Chart", "Provenance"), ws.title


def test_thematic_pages(thematic: ThematicReport, tmp_path: Path) -> None:
    marked = replace(thematic, meta=replace(thematic.meta, marking="OFFICIAL-SENSITIVE"))
    path = tmp_path / "thematic.xlsx"
    write_thematic_xlsx(marked, path)
    tables = {
        "Conclusions": ("Force", 2),  # the grade band above the header repeats with it
        "Key findings": ("Finding", 1),
        "Stages": ("Force", 2),
        "Indicators": ("Rank", 1),
        "Judgement and rule": ("Force", 1),
        "Force topics": ("Topic", 1),
    }
    _check_pages(path, tables)
    for ws in openpyxl.load_workbook(path).worksheets:  # the marking stays in the page header
        assert "OFFICIAL-SENSITIVE" in ws.oddHeader.center.text, ws.title


def test_force_pages(force_c: ForceReport, tmp_path: Path) -> None:
    path = tmp_path / "force.xlsx"
    write_force_xlsx(force_c, path)
    firsts = {
        "Summary": "Grade",
        "Stages": "Stage",
        "Breakdowns": "Breakdown",
        "Indicators": "Rank",
        "Delay": "Interval",
        "Detention": "Indicator",
        "Completeness": "Field",
        "Cases": "Case ref",
        "Judgement and rule": "Force",
        "Differences": "Case ref",
        "Force topics": "Topic",
        "Auditor drift": "Auditor",
    }
    _check_pages(path, {name: (first, 1) for name, first in firsts.items()})


def test_scored_pages(
    sample_scored: ScoreResult, fixed_provenance: Provenance, tmp_path: Path
) -> None:
    path = tmp_path / "scored.xlsx"
    write_scored_xlsx(sample_scored, path, fixed_provenance)
    for ws in openpyxl.load_workbook(path).worksheets:
        assert page_setup(ws) == ("landscape", True, 1, 0, "1:1"), ws.title


def _with_first_force(report: ThematicReport, counts: dict[str, int]) -> ThematicReport:
    row = replace(grade_row_of(report.forces[0].label, counts), label=report.forces[0].label)
    return replace(report, forces=(row, *report.forces[1:]))


def test_share_stored_unrounded(thematic: ThematicReport, tmp_path: Path) -> None:
    report = _with_first_force(thematic, {"good": 20, "adequate": 24, "inadequate": 37})
    assert report.forces[0].inadequate_pct == 46  # the report's figure
    path = tmp_path / "thematic.xlsx"
    write_thematic_xlsx(report, path)
    row = row_by_label(openpyxl.load_workbook(path)["Conclusions"], report.forces[0].label)
    cell: Any = row[6]
    assert cell.value == exact(37 / 81) and cell.value != 0.46
    assert cell.number_format == "0%" and cell.data_type == "n"  # shows 46%
    assert row[7].value == 81


def test_published_shares_stay_rounded(thematic: ThematicReport, tmp_path: Path) -> None:
    """The published layout says its shares are rounded, and keeps them so."""
    report = _with_first_force(thematic, {"good": 20, "adequate": 24, "inadequate": 37})
    report = replace(report, meta=replace(report.meta, published=True))
    path = tmp_path / "published.xlsx"
    write_thematic_xlsx(report, path)
    wb = openpyxl.load_workbook(path)
    values = [c.value for ws in wb.worksheets for r in ws.iter_rows() for c in r]
    assert 0.46 in values and not any(v == exact(37 / 81) for v in values)


def test_not_recorded_is_x_with_a_note(thematic: ThematicReport, tmp_path: Path) -> None:
    report = _with_first_force(thematic, {"good": 0, "adequate": 0, "inadequate": 0})
    path = tmp_path / "thematic.xlsx"
    write_thematic_xlsx(report, path)
    ws = openpyxl.load_workbook(path)["Conclusions"]
    row = row_by_label(ws, report.forces[0].label)
    assert [c.value for c in row[1:]] == ["[x]"] * 10
    assert row[1].alignment.horizontal == "right"
    notes = [str(r[0].value) for r in ws.iter_rows() if r[0].value]
    assert any(n.startswith("[x] not available:") for n in notes)
    assert not any(c.value == "Not recorded" for r in ws.iter_rows() for c in r)

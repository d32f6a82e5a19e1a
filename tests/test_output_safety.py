"""Nothing lost, nothing active: outputs are atomic, never over an input, never formulas."""

from __future__ import annotations

import csv
import io
import os
import stat
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest

from inspect_cli.cli import app
from inspect_cli.errors import OutputError
from inspect_cli.frameworks import Framework
from inspect_cli.safe_write import Inputs, same_file, write_atomic
from tests.helpers.cli import runner
from tests.helpers.payloads import FORMULA

from .conftest import SAMPLES
from .helpers.builders import case_table, set_cell, write_csv

# Case references must differ once trimmed, or the payloads would be duplicate cases.
PAYLOADS = list({p.strip(): p for p in FORMULA}.values())


def test_a_failed_write_leaves_the_previous_output_and_no_temp_file(tmp_path: Path) -> None:
    target = tmp_path / "report.html"
    target.write_text("previous report", encoding="utf-8")

    def crash(tmp: Path) -> None:
        tmp.write_text("half a rep", encoding="utf-8")
        raise RuntimeError("fault injected while writing")

    with pytest.raises(RuntimeError):
        write_atomic(target, crash)
    assert target.read_text(encoding="utf-8") == "previous report"
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]


def test_a_crash_inside_a_report_writer_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import inspect_cli.render.xlsx.thematic as excel

    def explode(*args: object) -> None:
        raise RuntimeError("fault injected after the first sheet")

    monkeypatch.setattr(excel, "write_thematic_xlsx", explode)
    result = runner.invoke(
        app, ["report", "thematic", str(SAMPLES), "-o", str(tmp_path / "t.xlsx")]
    )
    assert result.exit_code == 70  # an internal error, reported without a traceback
    assert "Traceback" not in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_a_locked_target_says_close_it_in_excel(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "scored.xlsx"

    def locked(src: object, dst: object) -> None:
        raise PermissionError(13, "The process cannot access the file")

    monkeypatch.setattr(os, "replace", locked)
    with pytest.raises(OutputError) as info:
        write_atomic(target, lambda tmp: tmp.write_bytes(b"x"))
    assert "close it" in " ".join(info.value.details)
    assert list(tmp_path.iterdir()) == []


def test_an_unwritable_folder_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tempfile

    def refuse(*args: object, **kwargs: object) -> tuple[int, str]:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", refuse)  # as a read-only folder would
    result = runner.invoke(app, ["score", str(SAMPLES), "-o", str(tmp_path / "s.csv")])
    assert result.exit_code == 1 and "cannot write" in result.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_outputs_are_readable_only_by_their_owner(tmp_path: Path) -> None:
    target = tmp_path / "s.csv"
    assert runner.invoke(app, ["score", str(SAMPLES), "-o", str(target)]).exit_code == 0
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_symlink_to_an_input_is_refused(tmp_path: Path) -> None:
    src = tmp_path / "cases.csv"
    src.write_bytes((SAMPLES / "force_h.csv").read_bytes())
    link = tmp_path / "out.csv"
    link.symlink_to(src)
    before = src.read_bytes()
    result = runner.invoke(app, ["score", str(src), "-o", str(link), "--overwrite"])
    assert result.exit_code == 2 and "one of the inputs" in result.stderr
    assert src.read_bytes() == before


def _same_file(a: Path, b: Path) -> bool:
    """The reference, pair by pair: the same resolved path, or both there and
    ``os.path.samefile``."""
    try:
        return a.resolve() == b.resolve() or (a.exists() and b.exists() and os.path.samefile(a, b))
    except OSError:
        return False


def test_inputs_worked_out_once_find_what_a_pairwise_check_finds(tmp_path: Path) -> None:
    """``Inputs`` (every input's identity once, for many outputs) against checking each
    pair: symlinks, hard links, relative spellings, missing files."""
    folder = tmp_path / "in"
    folder.mkdir()
    a, b = folder / "a.csv", folder / "b.csv"
    a.write_text("a", encoding="utf-8")
    b.write_text("b", encoding="utf-8")
    (tmp_path / "link.csv").symlink_to(a)
    os.link(b, tmp_path / "hard.csv")
    inputs = [folder, b, tmp_path / "in" / ".." / "in" / "a.csv", a, tmp_path / "gone.csv"]
    candidates = [
        a, b, folder, tmp_path / "link.csv", tmp_path / "hard.csv", tmp_path / "gone.csv",
        tmp_path / "new.csv", Path(os.path.relpath(b)),
    ]  # fmt: skip
    found = Inputs(inputs)
    for target in candidates:
        expected = next((source for source in inputs if _same_file(target, source)), None)
        assert found.first_same_as(target) == expected, target
        assert same_file(target, a) == _same_file(target, a), target
    assert found.first_same_as(tmp_path / "link.csv") == inputs[2]  # the first spelling


def _cases_with_payloads(fw: Framework, tmp_path: Path) -> Path:
    table = case_table(fw, len(PAYLOADS))
    for i, payload in enumerate(PAYLOADS):
        set_cell(table, i + 2, "Case reference", payload)
        set_cell(table, i + 2, "Auditor", payload)
    # CSV, so the payloads arrive as text (a workbook would hold them as formulas).
    return write_csv(tmp_path / "cases.csv", table)


def test_formula_payloads_in_cases_never_become_formulas(fw: Framework, tmp_path: Path) -> None:
    src = _cases_with_payloads(fw, tmp_path)
    xlsx, csv_out = tmp_path / "s.xlsx", tmp_path / "s.csv"
    assert runner.invoke(app, ["score", str(src), "-o", str(xlsx)]).exit_code == 0
    assert runner.invoke(app, ["score", str(src), "-o", str(csv_out)]).exit_code == 0
    with zipfile.ZipFile(xlsx) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in z.read(name) and b"<f " not in z.read(name)
    sheet = openpyxl.load_workbook(xlsx)["Scored cases"]
    refs = {sheet.cell(r, 1).value for r in range(2, sheet.max_row + 1)}
    assert {p.strip() for p in PAYLOADS} <= {str(v).strip() for v in refs}
    rows = list(csv.reader(io.StringIO(csv_out.read_text(encoding="utf-8-sig"))))
    for row in rows[1:]:
        assert not row[0].startswith(("=", "+", "-", "@", "\t")), row[0]  # OWASP quote prefix


def test_control_characters_and_huge_text_do_not_break_outputs(
    fw: Framework, tmp_path: Path
) -> None:
    table = case_table(fw, 2)
    set_cell(table, 2, "Auditor", "bell\x07 and tab\x0b")
    src = write_csv(tmp_path / "cases.csv", table)
    target = tmp_path / "s.xlsx"
    result = runner.invoke(app, ["score", str(src), "-o", str(target)])
    assert result.exit_code == 0, result.stderr
    assert openpyxl.load_workbook(target)["Scored cases"]["E3"].value == "bell and tab"


def test_same_input_gives_the_same_report_content(tmp_path: Path) -> None:
    outputs = []
    for name in ("a.json", "b.json"):
        target = tmp_path / name
        assert (
            runner.invoke(app, ["report", "thematic", str(SAMPLES), "-o", str(target)]).exit_code
            == 0
        )
        text = target.read_text(encoding="utf-8")
        outputs.append("\n".join(line for line in text.splitlines() if '"created"' not in line))
    assert outputs[0] == outputs[1]

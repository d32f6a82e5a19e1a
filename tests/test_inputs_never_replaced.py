"""Every file named on the command line is an input no output may replace; writers
that fail (a full disk, a permission, a signal) leave nothing behind."""

from __future__ import annotations

import errno
import shutil
import signal
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from inspect_cli.frameworks import resolve_framework
from tests.helpers.cli import invoke

from .conftest import ROOT, SAMPLES
from .helpers.builders import case_table, write_csv

SHIPPED = ROOT / "frameworks" / "ncpi-2014.yaml"


def _framework_copy(tmp_path: Path) -> Path:
    path = tmp_path / "my.yaml"
    shutil.copyfile(SHIPPED, path)
    return path


def _cases(tmp_path: Path) -> Path:
    return write_csv(tmp_path / "cases.csv", case_table(resolve_framework("ncpi-2014"), 3))


@pytest.mark.parametrize(
    "command",
    [
        ["score", "{cases}", "--format", "json"],
        ["report", "thematic", "{cases}", "--format", "json"],
        ["report", "force", "{cases}", "--force", "Force A", "--format", "json"],
        ["moderate", "{cases}", "--format", "json"],
        ["trend", "{cases}", "--format", "json"],
    ],
)
def test_a_framework_file_is_never_an_output(tmp_path: Path, command: list[str]) -> None:
    framework = _framework_copy(tmp_path)
    before = framework.read_bytes()
    cases = _cases(tmp_path)
    args = [a.format(cases=cases) for a in command]
    result = invoke(*args, "--framework", framework, "-o", framework, "--overwrite")
    assert result.exit_code == 2, result.stderr
    assert "one of the inputs" in result.stderr and "my.yaml" in result.stderr
    assert framework.read_bytes() == before


def test_template_refuses_its_framework_file_by_another_spelling(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A framework file may have any name once it exists; this one looks like a workbook.
    framework = tmp_path / "fw.xlsx"
    shutil.copyfile(SHIPPED, framework)
    before = framework.read_bytes()
    monkeypatch.chdir(tmp_path)
    result = invoke("template", framework, "-o", "./sub/../fw.xlsx", "--overwrite")
    assert result.exit_code == 2 and "one of the inputs" in result.stderr
    assert framework.read_bytes() == before


def test_sample_refuses_its_framework_before_reading_the_list(tmp_path: Path) -> None:
    framework = _framework_copy(tmp_path)
    link = tmp_path / "link.xlsx"
    link.symlink_to(framework)
    result = invoke(
        "sample", tmp_path / "missing.csv", "--per-area", "1", "--seed", "1",
        "--framework", framework, "-o", link, "--overwrite",
    )  # fmt: skip
    # The missing case list is not reported: the output was refused first.
    assert result.exit_code == 2 and "one of the inputs" in result.stderr
    assert link.resolve() == framework.resolve()


@pytest.mark.parametrize("spelling", ["same", "relative", "symlink"])
def test_key_file_and_output_naming_one_file_is_a_usage_error(
    tmp_path: Path, spelling: str
) -> None:
    report = tmp_path / "report.csv"
    report.write_text("an earlier report\n", encoding="utf-8")
    key = {"same": report, "relative": tmp_path / "." / "report.csv", "symlink": tmp_path / "k"}
    if spelling == "symlink":
        key["symlink"].symlink_to(report)
    result = invoke(
        "report", "thematic", tmp_path / "no-such-folder", "--anonymise",
        "-o", report, "--key-file", key[spelling], "--overwrite",
    )  # fmt: skip
    # Refused before anything is read: the missing input is never reached.
    assert result.exit_code == 2, result.stderr
    assert "same file" in result.stderr and "--key-file" in result.stderr
    assert report.read_text(encoding="utf-8") == "an earlier report\n"


def test_frameworks_schema_refuses_an_existing_file(tmp_path: Path) -> None:
    target = tmp_path / "schema.json"
    target.write_text("{}", encoding="utf-8")
    result = invoke("frameworks", "schema", "-o", target)
    assert result.exit_code == 2 and "already exists" in result.stderr


def _fail_storing(exc: BaseException) -> Callable[[object], None]:
    def store(self: object) -> None:
        Path(self.filename).write_bytes(b"PK half a workbook")  # type: ignore[attr-defined]
        raise exc

    return store


@pytest.mark.parametrize(
    ("fault", "reason"),
    [
        (OSError(errno.ENOSPC, "No space left on device"), "No space left on device"),
        (PermissionError(errno.EACCES, "Permission denied"), "Permission denied"),
    ],
)
def test_a_failing_xlsx_writer_is_a_clean_error_and_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fault: OSError, reason: str
) -> None:
    import xlsxwriter.workbook

    # xlsxwriter wraps the OSError in its own FileCreateError when the workbook closes.
    monkeypatch.setattr(xlsxwriter.workbook.Workbook, "_store_workbook", _fail_storing(fault))
    out = tmp_path / "out"
    out.mkdir()
    result = invoke("score", SAMPLES, "-o", out / "scored.xlsx")
    assert result.exit_code == 1, result.stderr
    assert f"error: cannot write {out / 'scored.xlsx'}: {reason}" in result.stderr
    assert "internal error" not in result.stderr
    assert list(out.iterdir()) == []


def test_a_workbook_too_large_for_zip_is_a_clean_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import zipfile

    import xlsxwriter.workbook

    monkeypatch.setattr(
        xlsxwriter.workbook.Workbook, "_store_workbook", _fail_storing(zipfile.LargeZipFile())
    )
    result = invoke("report", "thematic", SAMPLES, "-o", tmp_path / "t.xlsx")
    assert result.exit_code == 1 and "larger than 4 GB" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_a_full_disk_while_writing_csv_is_a_clean_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import inspect_cli.render.csv as csv_writer

    def full(result: object, tmp: Path, marking: object) -> None:
        tmp.write_text("case_ref,grade\n", encoding="utf-8")
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(csv_writer, "write_scored_csv", full)
    result = invoke("score", SAMPLES, "-o", tmp_path / "s.csv")
    assert result.exit_code == 1 and "No space left on device" in result.stderr
    assert list(tmp_path.iterdir()) == []


_SLOW_WRITER = """
import sys, time
from pathlib import Path
import inspect_cli.render.csv as csv_writer

def slow(result, tmp, marking):
    Path(tmp).write_text("half a file", encoding="utf-8")
    sys.__stdout__.write("writing\\n")
    sys.__stdout__.flush()
    time.sleep(60)

csv_writer.write_scored_csv = slow
from inspect_cli.cli import main
sys.argv = ["inspect-cli", "--quiet", "score", {samples!r}, "-o", {target!r}]
main()
"""


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals sent with os.kill")
@pytest.mark.parametrize(("signum", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_a_signal_during_a_write_removes_the_temporary_file(
    tmp_path: Path, signum: int, code: int
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    script = tmp_path / "slow.py"
    target = out / "scored.csv"
    script.write_text(
        textwrap.dedent(_SLOW_WRITER).format(samples=str(SAMPLES), target=str(target)),
        encoding="utf-8",
    )
    child = subprocess.Popen(
        [sys.executable, str(script)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    assert child.stdout is not None
    assert child.stdout.readline() == "writing\n"
    assert len(list(out.iterdir())) == 1  # the temporary file, mid-write
    child.send_signal(signum)
    _, stderr = child.communicate(timeout=30)
    assert child.returncode == code, stderr
    assert "Traceback" not in stderr and "interrupted" in stderr
    assert list(out.iterdir()) == []

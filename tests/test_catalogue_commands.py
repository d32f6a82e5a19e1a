"""Never silently wrong: every command that reads cases, on every input of the catalogue.

Each input of tests/helpers/catalogue.py (every family of docs/reliability.md) goes
through validate, score (terminal and ``-o .xlsx``), report thematic (``-o .html``),
report force (a force in the data and one that is not), moderate, trend (the input
as both rounds) and sample (``-o .xlsx``). Every run must end with exit 0, 1 or 2 and
no traceback; leave only its own output, and none when it fails; and change no byte
of any input. A few of the parser-aborting inputs also run through the installed
console script in a child process, where an abort would show as a signal or exit 70.
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from inspect_cli.frameworks import Framework
from tests.helpers.catalogue import CATALOGUE, Entry
from tests.helpers.cli import invoke

ABSENT_FORCE = "Nowhere Constabulary"
SCRIPT = Path(sys.executable).parent / "inspect-cli"

# name → (arguments for an input path, a force in it, the output folder; output file name)
Args = Callable[[Path, str, Path], list[str | Path]]
COMMANDS: dict[str, tuple[Args, str | None]] = {
    "validate": (lambda p, f, o: ["validate", p], None),
    "score": (lambda p, f, o: ["score", p], None),
    "score-xlsx": (lambda p, f, o: ["score", p, "-o", o / "scored.xlsx"], "scored.xlsx"),
    "thematic-html": (
        lambda p, f, o: ["report", "thematic", p, "-o", o / "thematic.html"],
        "thematic.html",
    ),
    "force-present": (lambda p, f, o: ["report", "force", p, "--force", f], None),
    "force-absent": (lambda p, f, o: ["report", "force", p, "--force", ABSENT_FORCE], None),
    "moderate": (lambda p, f, o: ["moderate", p], None),
    "trend": (lambda p, f, o: ["trend", f"2014={p}", f"2016={p}"], None),
    "sample": (
        lambda p, f, o: ["sample", p, "--per-area", "1", "--seed", "1", "-o", o / "sample.xlsx"],
        "sample.xlsx",
    ),
}


@dataclass(frozen=True)
class Built:
    path: Path  # what the command line is given
    folder: Path  # everything the entry wrote
    digests: dict[str, str]  # file → sha256, for every file in the folder


def _digests(folder: Path) -> dict[str, str]:
    return {
        str(f.relative_to(folder)): hashlib.sha256(f.read_bytes()).hexdigest()
        for f in sorted(folder.rglob("*"))
        if f.is_file()
    }


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, fw: Framework) -> Callable[[Entry], Built]:
    """Each entry built once for the module; every command then reads the same bytes."""
    cache: dict[str, Built] = {}

    def get(item: Entry) -> Built:
        if item.name not in cache:
            folder = tmp_path_factory.mktemp(item.name)
            path = item.build(folder, fw)
            cache[item.name] = Built(path, folder, _digests(folder))
        return cache[item.name]

    return get


def _runs() -> list[object]:
    """Every (entry, command) pair, named ``entry:command`` so a failure says which."""
    return [
        pytest.param(item, command, id=f"{item.name}:{command}")
        for item in CATALOGUE
        for command in COMMANDS
    ]


def test_the_catalogue_covers_every_family_with_distinct_names() -> None:
    names = [item.name for item in CATALOGUE]
    assert len(names) == len(set(names)) and len(names) >= 40
    for family in ("far-cell", "csv-", "case-list", "folder-", "bad-shared-string", "xxe"):
        assert any(name.startswith(family) for name in names), family


@pytest.mark.parametrize(("item", "command"), _runs())
def test_command_on_catalogue_input(
    item: Entry,
    command: str,
    built: Callable[[Entry], Built],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    data = built(item)
    if command == "sample" and data.path.is_dir():
        pytest.skip("sample reads one case list, not a folder")
    monkeypatch.chdir(tmp_path)  # a stray file written to the working folder shows too
    args, output = COMMANDS[command]
    result = invoke(*args(data.path, item.force, tmp_path))
    said = result.stdout + result.stderr
    assert result.exit_code in (0, 1, 2), (result.exit_code, said[-2000:])
    assert result.exception is None or isinstance(result.exception, SystemExit), said[-2000:]
    assert "Traceback" not in said and "internal error" not in said.lower(), said[-2000:]
    expected = {output} if output and result.exit_code == 0 else set()
    assert {p.name for p in tmp_path.iterdir()} == expected, said[-2000:]
    if expected:
        assert (tmp_path / str(output)).stat().st_size > 0
    assert _digests(data.folder) == data.digests  # no input changed, nothing left beside them


FAR = [item for item in CATALOGUE if item.far]
BROKEN = [item for item in CATALOGUE if item.name in ("truncated-zip", "flipped-byte")]


@pytest.mark.skipif(not SCRIPT.exists(), reason="the console script is not installed here")
@pytest.mark.parametrize("item", FAR[:2] + BROKEN, ids=lambda item: item.name)
def test_console_script_refuses_without_an_abort(
    item: Entry, fw: Framework, tmp_path: Path
) -> None:
    """calamine aborts the process on a far cell (exit -6); a crash would be exit 70."""
    (tmp_path / "in").mkdir()
    path = item.build(tmp_path / "in", fw)
    before = _digests(tmp_path / "in")
    out = tmp_path / "scored.xlsx"
    run = subprocess.run(
        [str(SCRIPT), "score", str(path), "-o", str(out)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )
    said = run.stdout + run.stderr
    assert run.returncode == 1, (run.returncode, said[-2000:])
    for mark in ("panicked", "backtrace", "Traceback", "internal error"):
        assert mark not in said
    assert path.name in said
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in"]
    assert _digests(tmp_path / "in") == before

"""``validate --annotate DIR``: which copies to write, checked before any input is
read, and writing them (see inspect_cli.render.xlsx.annotate)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from inspect_cli.errors import UsageError
from inspect_cli.render.text.plain import say

if TYPE_CHECKING:
    from inspect_cli.load import LoadResult, SourceFile
    from inspect_cli.problems import Problem


def planned_copies(inputs: Sequence[Path], directory: Path) -> list[Path]:
    """Where each input workbook's copy would go: refused (exit 2) when the folder is
    an input folder or inside one, is a file, or two workbooks share a name."""
    from inspect_cli.load import expand_inputs
    from inspect_cli.read import EXCEL_SUFFIXES

    where = directory.resolve()
    if directory.exists() and not directory.is_dir():
        raise UsageError(f"--annotate {directory}: this is a file; give a folder")
    if not directory.exists() and not directory.parent.exists():
        raise UsageError(f"--annotate {directory}: the folder {directory.parent} does not exist")
    for given in inputs:
        if given.is_dir() and (where == given.resolve() or given.resolve() in where.parents):
            raise UsageError(
                f"--annotate {directory}: this is the input folder {given} or inside it",
                details=("choose a folder outside the case files, e.g. --annotate annotated",),
            )
    files, _ = expand_inputs(inputs)
    books = [f for f in files if f.suffix.lower() in EXCEL_SUFFIXES]
    twice = sorted(n for n, k in Counter(f.name for f in books).items() if k > 1)
    if twice:
        raise UsageError(
            f"two input workbooks are named {twice[0]}: their copies would replace each other",
            details=("annotate them in separate runs, each with its own --annotate folder",),
        )
    return [directory / f.name for f in books]


def write_copies(
    result: LoadResult,
    directory: Path,
    protected: Sequence[Path],
    overwrite: bool,
) -> None:
    """An annotated copy of each workbook read without a refusal and with problems;
    every other file with problems is named with the reason it has no copy."""
    from inspect_cli.cli.runtime import err
    from inspect_cli.read import EXCEL_SUFFIXES

    read = {s.name: s for s in result.sources}
    with_problems = sorted({p.file for p in result.problems if p.file is not None})
    if not with_problems:
        say(err, "no file has problems: no annotated copy written")
    for name in with_problems:
        source = read.get(name)
        if Path(name).suffix.lower() not in EXCEL_SUFFIXES:
            say(err, f"not annotated: {name} (only .xlsx and .xlsm workbooks have cells to mark)")
        elif source is None:
            say(err, f"not annotated: {name} could not be read (see its problem above)")
        else:
            here = [p for p in result.problems if p.file == name]
            _copy(source, here, directory, protected, overwrite)


def _copy(
    source: SourceFile,
    problems: Sequence[Problem],
    directory: Path,
    protected: Sequence[Path],
    overwrite: bool,
) -> None:
    """One annotated copy, written atomically; an .xlsm keeps its macros (unrun)."""
    from inspect_cli.cli.runtime import err, write_output
    from inspect_cli.render.xlsx.annotate import Unreadable, write_annotated

    data = Path(source.path).read_bytes()
    keep_vba = source.name.lower().endswith(".xlsm")
    dropped: list[str] = []

    def write(tmp: Path) -> None:
        dropped.extend(write_annotated(data, source.sha256, problems, tmp, keep_vba))

    directory.mkdir(exist_ok=True)
    try:
        write_output(directory / source.name, protected, overwrite, write)
    except Unreadable as exc:
        say(err, f"not annotated: {source.name}: {exc}")
        return
    for warning in dropped:
        say(err, f"  the copy of {source.name} leaves out what openpyxl cannot keep: {warning}")

"""Reading and loading each input file: one after another, or several at once.

Each file is read and loaded on its own (:func:`load_one`), with its own lists of
problems and rejected rows, so the files can be loaded in any order and the results
put back in file order: the parallel path (:func:`load_parallel`) gives exactly what
the sequential one (:func:`load_sequential`) gives, problem for problem and row for
row (``tests/test_parallel_load.py``).

Threads, not processes: fastexcel (calamine) parses and inflates without the GIL, and
so do the numpy and Arrow work of the pre-flight scan and the loader, so two files are
read at once on two cores (docs/performance.md has the measurements). A process pool
would have to send every loaded column back through pickle and start its interpreters
first, which costs more than a folder of force workbooks takes to read.
"""

from __future__ import annotations

import copy
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from inspect_cli.load.force_sheet import ForceSheetRead, read_force_sheets
from inspect_cli.load.frame import SourceFile
from inspect_cli.load.inputs import Selection
from inspect_cli.load.sheet import Loader, SheetRows
from inspect_cli.load.workbook import load_file
from inspect_cli.problems import Problem
from inspect_cli.read import ReadFailure, read_file

OnFile = Callable[[int, int, str], None]


@dataclass
class FileLoad:
    """One file's share of a load, in the order the sequential load finds things."""

    problems: list[Problem] = field(default_factory=list)
    rejected: list[tuple[str, str | None, int, str]] = field(default_factory=list)
    sheets: list[SheetRows] = field(default_factory=list)
    source: SourceFile | None = None  # None: the file could not be read
    force: ForceSheetRead = field(default_factory=ForceSheetRead)  # never read as cases


def load_one(
    base: Loader,
    path: Path,
    name: str,
    selection: Selection,
    meanwhile: Callable[[], None] | None = None,
) -> FileLoad:
    """Read and load one file, collecting its problems apart from every other file's."""
    loader = copy.copy(base)  # shares the framework, matcher and normalisers (read only)
    loader.problems, loader.rejected = [], []
    try:
        raw = read_file(path, base.limits, meanwhile)
    except ReadFailure as failure:
        return FileLoad(problems=[failure.problem])
    loader.problems.extend(raw.notes)
    raw, force = read_force_sheets(base.fw, raw, name, selection)
    sheets = load_file(loader, raw, name, selection)
    loader.problems.extend(force.problems)
    source = SourceFile(name, str(path), raw.sha256, raw.size, 0, 0)
    return FileLoad(loader.problems, loader.rejected, sheets, source, force)


def workers(n_files: int, cores: int | None = None) -> int:
    """Threads for ``n_files``: one per core (or ``cores``), at least one, never more
    than there are files."""
    return max(1, min(cores if cores is not None else (os.cpu_count() or 1), n_files))


def load_files(
    base: Loader,
    files: Sequence[Path],
    names: dict[Path, str],
    selection: Selection,
    on_file: OnFile | None,
    meanwhile: Callable[[], None],
    threads: int | None = None,
) -> Iterator[FileLoad]:
    """Every file's load, in file order: in parallel when there are files and cores to
    share (``threads``, default one per core), else one after another (one file gains
    nothing from a pool)."""
    pool = workers(len(files), threads)
    if pool > 1:
        return load_parallel(base, files, names, selection, on_file, meanwhile, pool)
    return load_sequential(base, files, names, selection, on_file, meanwhile)


def load_sequential(
    base: Loader,
    files: Sequence[Path],
    names: dict[Path, str],
    selection: Selection,
    on_file: OnFile | None,
    meanwhile: Callable[[], None],
) -> Iterator[FileLoad]:
    """The reference: one file after another; ``meanwhile`` runs during the first parse."""
    for number, path in enumerate(files, start=1):
        if on_file is not None:
            on_file(number, len(files), path.name)
        yield load_one(base, path, names[path], selection, meanwhile)


def load_parallel(
    base: Loader,
    files: Sequence[Path],
    names: dict[Path, str],
    selection: Selection,
    on_file: OnFile | None,
    meanwhile: Callable[[], None],
    threads: int | None = None,
) -> Iterator[FileLoad]:
    """Files loaded by a pool of threads, handed back (and ``on_file`` called) in file
    order; ``meanwhile`` runs on this thread while the pool parses."""
    with ThreadPoolExecutor(threads or workers(len(files))) as pool:
        loads: list[Future[FileLoad]] = [
            pool.submit(load_one, base, path, names[path], selection) for path in files
        ]
        try:
            meanwhile()
            for number, (path, future) in enumerate(zip(files, loads, strict=True), start=1):
                if on_file is not None:
                    on_file(number, len(files), path.name)
                yield future.result()
        finally:
            for future in loads:  # a caller that stops early leaves no file being read
                future.cancel()

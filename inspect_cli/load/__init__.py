"""The load stage: raw cells → tidy cases + every problem found.

Case audit spreadsheets in, one tidy DataFrame of cases out, with every problem found.

``load_cases`` never stops at the first problem: each file, sheet, header, row
and cell is checked, and each problem is located (file, sheet, Excel row,
column letter and header). Rows with an error are not loaded as cases; each is
listed in ``LoadResult.rejected`` with its reason, so totals always reconcile:
``rows_read == len(cases) + len(rejected)``.

The tidy frame has one row per case:
- ``source_file``, ``source_sheet``, ``source_row`` (as Excel shows it);
- the standard fields of :mod:`inspect_cli.fields` that the sheet has, by id;
- one categorical column per indicator (full id), whose categories are the scale's
  response ids best → worst, then its not-applicable id; blank is missing.

The modules, in the order a load uses them: ``inputs`` (which files), ``files`` (each
file read and loaded on its own, several at once, taken back in file order), ``headers``
(the header row and its columns), ``values`` (checking and typing each value),
``coded`` (columns in Arrow and as codes), ``workbook`` (which sheets of a file are
case sheets), ``sheet`` (one sheet: rows → cases + problems; ``totals`` finds a totals
row), ``frame`` (the tidy DataFrame and :class:`LoadResult`). A workbook's Force sheet
is read apart (``force_sheet``: force-level judgements, never cases) and checked
against the cases once they are loaded (``force_check``).
"""

from __future__ import annotations

import contextlib
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from inspect_cli import problems as P
from inspect_cli.frameworks import Framework
from inspect_cli.load.answered import few_answered_problems
from inspect_cli.load.coded import MAX_TEXT, PY_WHITESPACE, Coded, plain_text
from inspect_cli.load.files import load_files
from inspect_cli.load.force_check import check_judgements
from inspect_cli.load.force_sheet import ForceJudgement
from inspect_cli.load.forces import unify_forces
from inspect_cli.load.frame import (
    META_COLUMNS,
    LoadResult,
    SourceFile,
    check_duplicates,
    concat,
    empty_frame,
    sheet_frame,
)
from inspect_cli.load.headers import (
    HEADER_SEARCH_ROWS,
    Column,
    HeaderCheck,
    HeaderMatcher,
    HeaderPick,
    check_header,
    find_header_row,
    ragged_rows,
)
from inspect_cli.load.inputs import Selection, expand_inputs
from inspect_cli.load.register import Register, canonical_name, read_register
from inspect_cli.load.sheet import ColumnAt, Loader
from inspect_cli.load.values import Bad, Normaliser, as_text, build_normalisers
from inspect_cli.read import Limits

__all__ = [
    "HEADER_SEARCH_ROWS",
    "MAX_TEXT",
    "META_COLUMNS",
    "PY_WHITESPACE",
    "Bad",
    "Coded",
    "Column",
    "ColumnAt",
    "HeaderCheck",
    "HeaderMatcher",
    "HeaderPick",
    "LoadResult",
    "Normaliser",
    "Register",
    "Selection",
    "SourceFile",
    "as_text",
    "build_normalisers",
    "canonical_name",
    "check_header",
    "empty_frame",
    "expand_inputs",
    "find_header_row",
    "load_cases",
    "plain_text",
    "ragged_rows",
    "read_register",
]


def load_cases(
    paths: Sequence[Path],
    fw: Framework,
    limits: Limits | None = None,
    on_file: Callable[[int, int, str], None] | None = None,
    prepare_next: Callable[[], None] | None = None,
    forces: Path | None = None,
    selection: Selection | None = None,
    threads: int | None = None,
) -> LoadResult:
    """Load every case in ``paths`` (files or folders) against ``fw``; collect every problem.

    Each force is one force however it is spelt (:mod:`inspect_cli.identity`); with
    ``forces``, a force register, every name maps through it to its canonical name.
    ``selection`` is what the command line chose: sheets (--sheet, --skip-sheet) and
    sub-folders (--recursive). ``threads``: files read at once (default: one per core);
    1 is the sequential reference path, which gives the same result.
    """
    # pandas and pyarrow (half a second to import) and the caller's next modules are
    # imported while the first file is parsed on the other core.
    meanwhile = _once_quietly([_import_libraries, *([prepare_next] if prepare_next else [])])
    limits = limits or Limits()
    loader = Loader(fw, limits)
    selection = selection or Selection()
    files, input_problems = expand_inputs(paths, selection.recursive)
    names = file_names(files)
    loader.problems.extend(input_problems)
    sources: list[SourceFile] = []
    frames: list[dict[str, Any]] = []
    columns: list[ColumnAt] = []
    judgements: list[ForceJudgement] = []
    force_columns: dict[tuple[str, str], dict[str, int]] = {}
    # Each file's problems and rows are kept apart, then taken in file order: the
    # output is the same whichever path (and whichever thread) loaded a file.
    for loaded in load_files(loader, files, names, selection, on_file, meanwhile, threads):
        loader.problems.extend(loaded.problems)
        loader.rejected.extend(loaded.rejected)
        frames.extend(sheet_frame(fw, rows) for rows in loaded.sheets)
        columns.extend(c for rows in loaded.sheets for c in rows.columns)
        judgements.extend(loaded.force.judgements)
        force_columns.update(loaded.force.columns)
        if loaded.source is not None:
            sources.append(loaded.source)
    import pandas as pd

    cases = concat(fw, frames) if frames else empty_frame(fw)
    register = _register(forces, limits, loader.problems)
    cases, identity_problems = unify_forces(cases, register)
    loader.problems.extend(identity_problems)
    # Before duplicates and bad rows are dropped: a force named only by rows in error
    # is still a force of its workbook.
    force_judgements, force_problems = check_judgements(judgements, force_columns, cases, register)
    loader.problems.extend(force_problems)
    cases = check_duplicates(loader, cases)
    bad = cases["_reason"].notna()
    for row in cases.loc[bad, ["source_file", "source_sheet", "source_row", "_reason"]].itertuples(
        index=False
    ):
        loader.rejected.append((row[0], row[1], int(row[2]), str(row[3])))
    cases = cases.loc[~bad].drop(columns="_reason").reset_index(drop=True)
    loader.problems.extend(few_answered_problems(fw, cases))
    rejected = pd.DataFrame(loader.rejected, columns=[*META_COLUMNS, "reason"])
    counted = [
        SourceFile(
            s.name,
            s.path,
            s.sha256,
            s.size,
            int((cases["source_file"] == s.name).sum() + (rejected["source_file"] == s.name).sum()),
            int((cases["source_file"] == s.name).sum()),
        )
        for s in sources
    ]
    if files and cases.empty and not any(p.is_error for p in loader.problems):
        loader.problems.append(
            P.NO_CASES.at(None, detail="no cases found: every sheet is empty below its header")
        )
    return LoadResult(
        fw,
        cases,
        tuple(loader.problems),
        tuple(counted),
        rejected,
        force_judgements,
        tuple(columns),
    )


def file_names(files: Sequence[Path]) -> dict[Path, str]:
    """How each file is named in problems and reports: its name, or, when two files
    share a name (one per force's sub-folder, with --recursive), the path as found."""
    counts = Counter(p.name for p in files)
    return {p: p.name if counts[p.name] == 1 else str(p) for p in files}


def _register(path: Path | None, limits: Limits, problems: list[P.Problem]) -> Register | None:
    if path is None:
        return None
    read = read_register(path, limits)
    if isinstance(read, Register):
        return read
    problems.extend(read)
    return None


def _import_libraries() -> None:
    import pandas  # noqa: F401
    import pyarrow.compute  # noqa: F401


def _once_quietly(steps: list[Callable[[], None]]) -> Callable[[], None]:
    """Run ``steps`` the first time only; a step that fails fails again where it is needed."""

    def run() -> None:
        while steps:
            step = steps.pop(0)
            with contextlib.suppress(Exception):
                step()

    return run

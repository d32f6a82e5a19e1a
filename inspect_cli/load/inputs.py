"""Which files a load reads: folders expanded into their case files (sub-folders too
with ``recursive``); lock files, hidden files and anything not a case file left out,
each with a word why; and which sheets of a workbook are read (:class:`Selection`)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from inspect_cli import problems as P
from inspect_cli.problems import Problem
from inspect_cli.read import SUPPORTED_SUFFIXES


@dataclass(frozen=True)
class Selection:
    """What the command line chose to read: ``sheets`` (--sheet: only these, by name),
    ``skip_sheets`` (--skip-sheet) and ``recursive`` (--recursive: sub-folders too)."""

    sheets: tuple[str, ...] = ()
    skip_sheets: tuple[str, ...] = ()
    recursive: bool = False

    @classmethod
    def of(
        cls, sheets: Sequence[str] | None, skip_sheets: Sequence[str] | None, recursive: bool
    ) -> Selection:
        """From the command line's options (a repeatable option not given is None)."""
        return cls(tuple(sheets or ()), tuple(skip_sheets or ()), recursive)


def sheet_key(name: str) -> str:
    """Excel sheet names are unique ignoring case; spaces at the ends are easily typed."""
    return name.strip().casefold()


def expand_inputs(
    paths: Sequence[Path], recursive: bool = False
) -> tuple[list[Path], list[Problem]]:
    """Folders become the case files in them; unknown or missing paths become problems."""
    files: list[Path] = []
    found: list[Problem] = []
    for path in paths:
        if path.is_dir():
            found.extend(_folder(path, recursive, files))
        elif not path.exists():
            found.append(P.FILE_NOT_FOUND.at(path.name, path=path))
        elif path.suffix.lower() == ".xls":
            found.append(P.LEGACY_XLS.at(path.name))
        elif path.suffix.lower() not in SUPPORTED_SUFFIXES:
            found.append(
                P.UNSUPPORTED_FORMAT.at(
                    path.name,
                    detail=f"{path.suffix or 'no extension'}: expected .xlsx, .xlsm or .csv",
                )
            )
        else:
            files.append(path)
    return files, found


def _folder(path: Path, recursive: bool, files: list[Path]) -> list[Problem]:
    """Add the folder's case files to ``files``; return what to say about the rest."""
    found: list[Problem] = []
    inside = sorted(_files(path, recursive))
    for p in inside:
        if p.suffix.lower() == ".xls":  # would otherwise vanish without a word
            found.append(P.LEGACY_XLS.at(_shown(p, path)))
        elif p.suffix.lower() not in SUPPORTED_SUFFIXES:
            continue
        elif p.name.startswith("~$"):
            found.append(P.LOCK_FILE_SKIPPED.at(_shown(p, path)))
        else:
            files.append(p)
    cases = [p for p in inside if _is_case_file(p)]
    if not recursive:
        holding = [
            d.name for d in sorted(_subfolders(path)) if any(map(_is_case_file, _files(d, True)))
        ]
        if holding:
            names = ", ".join(holding[:5]) + (" ..." if len(holding) > 5 else "")
            found.append(P.SUBFOLDERS_NOT_READ.at(str(path), count=len(holding), names=names))
    if not cases:
        found.append(P.NO_INPUT_FILES.at(str(path)))
    return found


def _is_case_file(p: Path) -> bool:
    return p.suffix.lower() in SUPPORTED_SUFFIXES and not p.name.startswith("~$")


def _shown(p: Path, folder: Path) -> str:
    """A file's name, with its sub-folder when it is below ``folder``."""
    return p.name if p.parent == folder else str(p.relative_to(folder))


def _subfolders(path: Path) -> Iterator[Path]:
    return (d for d in path.iterdir() if d.is_dir() and not d.name.startswith("."))


def _files(path: Path, recursive: bool) -> Iterator[Path]:
    """The folder's visible files; with ``recursive``, those of its visible sub-folders too."""
    for p in path.iterdir():
        if p.name.startswith("."):
            continue
        if p.is_file():
            yield p
        elif recursive and p.is_dir():
            yield from _files(p, True)

"""Which files a load reads: folders expanded into their case files; lock files,
hidden files and anything not a case file left out, each with a word why."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from inspect_cli import problems as P
from inspect_cli.problems import Problem
from inspect_cli.read import SUPPORTED_SUFFIXES


def expand_inputs(paths: Sequence[Path]) -> tuple[list[Path], list[Problem]]:
    """Folders become the case files in them; unknown or missing paths become problems."""
    files: list[Path] = []
    found: list[Problem] = []
    for path in paths:
        if path.is_dir():
            inside = sorted(
                p
                for p in path.iterdir()
                if p.is_file()
                and p.suffix.lower() in SUPPORTED_SUFFIXES
                and not p.name.startswith(".")
            )
            for p in inside:
                if p.name.startswith("~$"):
                    found.append(P.LOCK_FILE_SKIPPED.at(p.name))
                else:
                    files.append(p)
            # A legacy workbook in the folder would otherwise vanish without a word.
            found.extend(
                P.LEGACY_XLS.at(p.name)
                for p in sorted(path.iterdir())
                if p.is_file() and p.suffix.lower() == ".xls" and not p.name.startswith(("~$", "."))
            )
            if not any(not p.name.startswith("~$") for p in inside):
                found.append(P.NO_INPUT_FILES.at(str(path)))
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

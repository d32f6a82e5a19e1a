"""Several reports written to one folder (``report publish``, ``report force
--all-forces``): their file names, and the folder made for them and removed again if
nothing could be written."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator, Sequence
from pathlib import Path

from inspect_cli.errors import UsageError


def report_file_names(forces: Sequence[str], ext: str) -> list[str]:
    """force-<name>.<ext> for each force: lower-case letters, digits and hyphens only
    (safe on every file system and in a link), numbered where two names would meet."""
    taken: set[str] = set()
    out = []
    for force in forces:
        slug = re.sub(r"[^a-z0-9]+", "-", force.casefold()).strip("-") or "unnamed"
        stem = slug if slug.startswith("force-") else f"force-{slug}"
        unique, n = stem, 2
        while unique in taken:
            unique, n = f"{stem}-{n}", n + 1
        taken.add(unique)
        out.append(f"{unique}.{ext}")
    return out


@contextlib.contextmanager
def report_folder(output: Path) -> Iterator[Path]:
    """The folder ``-o`` names, made if it does not exist; a run that wrote nothing
    into a folder it made leaves no folder behind."""
    if output.exists() and not output.is_dir():
        raise UsageError(f"{output} is a file: -o names the folder to write the reports to")
    made = not output.exists()
    output.mkdir(parents=True, exist_ok=True)
    try:
        yield output
    finally:
        if made and not any(output.iterdir()):
            output.rmdir()

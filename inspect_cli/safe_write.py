"""Write outputs so that nothing is lost: never over an input, never half-written.

Every output is written to a temporary file in the target's own folder (so the
final rename is atomic), flushed to disk, then moved into place with
``os.replace``. A failure removes the temporary file and leaves any previous
output untouched. ``pd.ExcelWriter(path)`` and ``Workbook.save(path)`` empty or
write in place, which is why no writer is ever pointed at the target itself.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

from inspect_cli.errors import OutputError, UsageError


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or (a.exists() and b.exists() and os.path.samefile(a, b))
    except OSError:
        return False


def check_target(target: Path, inputs: Iterable[Path], *, force: bool) -> None:
    """Refuse before anything is opened: an input as output, or an existing file without --overwrite."""
    for source in inputs:
        if _same_file(target, source):
            raise UsageError(
                f"refusing to write {target}: it is one of the inputs",
                details=("choose another output file name",),
            )
    if target.is_dir():
        raise UsageError(f"{target} is a folder; give a file name for the output")
    if target.exists() and not force:
        raise UsageError(
            f"{target} already exists",
            details=("use --overwrite to replace it, or choose another name",),
        )
    if not target.parent.exists():
        raise UsageError(f"the folder {target.parent} does not exist")


def write_atomic(target: Path, write: Callable[[Path], None]) -> None:
    """Call ``write(tmp)`` to build the output, then move it into place in one step."""
    try:
        fd, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as exc:
        raise OutputError(f"cannot write in {target.parent}: {exc.strerror or exc}") from None
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        write(tmp)
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        try:
            os.replace(tmp, target)
        except PermissionError:
            raise OutputError(
                f"cannot replace {target}: it is locked or read-only",
                details=("if it is open in Excel, close it and run the command again",),
            ) from None
    except OSError as exc:
        raise OutputError(f"cannot write {target}: {exc.strerror or exc}") from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


def write_text_atomic(target: Path, text: str) -> None:
    def write(tmp: Path) -> None:
        tmp.write_text(text, encoding="utf-8", newline="\n")

    write_atomic(target, write)

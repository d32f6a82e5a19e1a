"""Write outputs so that nothing is lost: never over an input, never half-written.

Every output is written to a temporary file in the target's own folder (so the
final rename is atomic), flushed to disk, then moved into place with
``os.replace``. A failure removes the temporary file and leaves any previous
output untouched. ``pd.ExcelWriter(path)`` and ``Workbook.save(path)`` empty or
write in place, which is why no writer is ever pointed at the target itself.

Interrupts are part of "a failure": while a file is written, SIGINT (Ctrl-C) and
SIGTERM (``kill``, a CI timeout, a service stopping) raise :class:`Interrupted`,
so the ``finally`` below removes the temporary file before the program exits.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from types import FrameType

from inspect_cli.errors import OutputError, UsageError

_SIGNALS = ("SIGINT", "SIGTERM")
"""Only names the platform's ``signal`` module has are used (Windows has both, and no
POSIX-only ones are asked for)."""


class Interrupted(KeyboardInterrupt):
    """A signal stopped the program; ``exit_code`` is the shell's 128 + signal number
    (130 for SIGINT, 143 for SIGTERM)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum
        self.exit_code = 128 + signum


def same_file(a: Path, b: Path) -> bool:
    """Whether two spellings (relative, absolute, through a symlink or hard link) name one file."""
    return Inputs([b]).first_same_as(a) is not None


class Inputs:
    """Every input's resolved path and file identity (device, inode, as
    ``os.path.samefile`` compares them), worked out once, so that many outputs are
    checked without system calls per pair (45 outputs of ``--all-forces`` against a
    folder of 43 files were 4,000 pairs). Two spellings name one file when they resolve
    to the same path or, both existing, have the same identity."""

    def __init__(self, paths: Iterable[Path]) -> None:
        self.resolved: dict[Path, int] = {}
        self.ids: dict[tuple[int, int], int] = {}
        self.paths = list(paths)
        for i, path in enumerate(self.paths):
            with contextlib.suppress(OSError):
                self.resolved.setdefault(path.resolve(), i)  # the first spelling wins
                if path.exists():
                    info = path.stat()
                    self.ids.setdefault((info.st_dev, info.st_ino), i)

    def first_same_as(self, target: Path) -> Path | None:
        """The first input that :func:`same_file` finds is ``target``, if any."""
        found: list[int] = []
        with contextlib.suppress(OSError):
            found.append(self.resolved.get(target.resolve(), len(self.paths)))
            if target.exists():
                info = target.stat()
                found.append(self.ids.get((info.st_dev, info.st_ino), len(self.paths)))
        first = min(found, default=len(self.paths))
        return self.paths[first] if first < len(self.paths) else None


def check_target(target: Path, inputs: Iterable[Path] | Inputs, *, force: bool) -> None:
    """Refuse before anything is opened: an input as output, or an existing file without --overwrite."""
    source = (inputs if isinstance(inputs, Inputs) else Inputs(inputs)).first_same_as(target)
    if source is not None:
        raise UsageError(
            f"refusing to write {target}: it is one of the inputs ({source})",
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


@contextlib.contextmanager
def interruptible() -> Iterator[None]:
    """SIGINT and SIGTERM raise :class:`Interrupted` inside the block; the previous
    handlers come back after it. Handlers can only be set from the main thread: in any
    other thread the block runs with the handlers it has."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, frame: FrameType | None) -> None:
        raise Interrupted(signum)

    previous: list[tuple[int, object]] = []
    try:
        for name in _SIGNALS:
            number = getattr(signal, name, None)
            if number is not None:
                previous.append((number, signal.signal(number, stop)))
        yield
    finally:
        for number, handler in reversed(previous):
            signal.signal(number, handler)  # type: ignore[arg-type]


def write_atomic(target: Path, write: Callable[[Path], None]) -> None:
    """Call ``write(tmp)`` to build the output, then move it into place in one step.

    Any failure to store the bytes (a full disk, a permission, a writer's own I/O
    error) is an :class:`OutputError`; an interrupt stops the write. Either way the
    temporary file is removed and the target is as it was."""
    tmp: Path | None = None
    with interruptible():
        try:
            fd, tmp_name = tempfile.mkstemp(
                dir=target.parent, prefix=f".{target.name}.", suffix=".tmp"
            )
            tmp = Path(tmp_name)
            os.close(fd)
            _fill_and_replace(target, tmp, write)
        except OutputError:
            raise
        except OSError as exc:
            where = target if tmp is not None else f"in {target.parent}"
            raise OutputError(f"cannot write {where}: {_reason(exc)}") from None
        except Exception as exc:
            reason = _storage_failure(exc)
            if reason is None:
                raise  # a bug in a writer, not a problem with the disk: reported as one
            raise OutputError(f"cannot write {target}: {reason}") from None
        finally:
            if tmp is not None:
                with contextlib.suppress(OSError):
                    tmp.unlink()


def write_atomic_group(targets: Sequence[Path], write: Callable[[Sequence[Path]], None]) -> None:
    """Write files that belong together (a CSV and its CSVW metadata): every one is
    replaced, or none is.

    ``write(tmps)`` fills a temporary file beside each target; all are flushed, then
    moved into place in the order given. Should a move fail, the moves already made
    are undone (each file replaced is put back), so no half group is left. Failures
    are reported as by :func:`write_atomic`."""
    tmps: list[Path] = []
    names = " and ".join(str(t) for t in targets)
    with interruptible():
        try:
            for target in targets:
                fd, tmp_name = tempfile.mkstemp(
                    dir=target.parent, prefix=f".{target.name}.", suffix=".tmp"
                )
                os.close(fd)
                tmps.append(Path(tmp_name))
            write(tmps)
            for tmp in tmps:
                with open(tmp, "rb+") as fh:
                    os.fsync(fh.fileno())
            _replace_all(targets, tmps)
        except OutputError:
            raise
        except OSError as exc:
            raise OutputError(f"cannot write {names}: {_reason(exc)}") from None
        except Exception as exc:
            reason = _storage_failure(exc)
            if reason is None:
                raise  # a bug in a writer, not a problem with the disk: reported as one
            raise OutputError(f"cannot write {names}: {reason}") from None
        finally:
            for tmp in tmps:
                with contextlib.suppress(OSError):
                    tmp.unlink()


def _replace_all(targets: Sequence[Path], tmps: Sequence[Path]) -> None:
    """Move each temporary file onto its target; on any failure, undo the moves made.

    A file about to be replaced is first renamed aside (``.NAME.*.old``), so that it
    can be put back; the renamed copies are removed once every move has been made."""
    done: list[tuple[Path, Path | None]] = []  # (target, what it held before, set aside)
    try:
        for target, tmp in zip(targets, tmps, strict=True):
            aside = _set_aside(target)
            done.append((target, aside))
            _replace_or_explain(tmp, target)
    except BaseException:
        for target, aside in reversed(done):
            with contextlib.suppress(OSError):
                if aside is not None:
                    os.replace(aside, target)
                else:
                    target.unlink(missing_ok=True)
        raise
    for _, aside in done:
        if aside is not None:
            with contextlib.suppress(OSError):
                aside.unlink()


def _set_aside(target: Path) -> Path | None:
    """Rename an existing ``target`` to a new name beside it; None if there is none."""
    if not target.exists():
        return None
    fd, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".old")
    os.close(fd)
    aside = Path(name)
    try:
        _replace_or_explain(target, aside, shown=target)
    except BaseException:
        with contextlib.suppress(OSError):
            aside.unlink()
        raise
    return aside


def _replace_or_explain(source: Path, dest: Path, shown: Path | None = None) -> None:
    try:
        os.replace(source, dest)
    except PermissionError:
        raise OutputError(
            f"cannot replace {shown or dest}: it is locked or read-only",
            details=("if it is open in Excel, close it and run the command again",),
        ) from None


def _fill_and_replace(target: Path, tmp: Path, write: Callable[[Path], None]) -> None:
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


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc) or type(exc).__name__


def _storage_failure(exc: Exception) -> str | None:
    """Why a writer could not store its file: an OSError anywhere in the chain of
    causes (xlsxwriter wraps a full disk's OSError in its FileCreateError, without
    ``from``, so it is the context), or xlsxwriter's own storage errors. None for any
    other exception: that is a bug, and is reported as one."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, OSError):
            return _reason(current)
        current = current.__cause__ or current.__context__
    writer_errors = sys.modules.get("xlsxwriter.exceptions")  # loaded if xlsxwriter ran
    if writer_errors is not None and isinstance(exc, writer_errors.FileSizeError):
        return "the workbook would be larger than 4 GB"
    if writer_errors is not None and isinstance(exc, writer_errors.FileCreateError):
        return str(exc) or "the file could not be created"
    return None


def write_text_atomic(target: Path, text: str) -> None:
    def write(tmp: Path) -> None:
        tmp.write_text(text, encoding="utf-8", newline="\n")

    write_atomic(target, write)

"""A reader that stops early (``inspect-cli report thematic cases/ | head -2``) ends
the run quietly with exit 0, as other command-line tools do.

The Python documentation's pattern (see "Note on SIGPIPE" in the signal module): point
the stream's file descriptor at the null device, so the flush at exit cannot fail
again, and exit. Works on Windows too, where a closed pipe shows as EINVAL.
"""

from __future__ import annotations

import contextlib
import errno
import os
import sys
from typing import IO, NoReturn

from rich.console import Console


def silence(stream: IO[str] | None) -> None:
    """Send what is left for ``stream`` (its buffer, later writes) to the null device."""
    if stream is None:
        return
    with contextlib.suppress(OSError, ValueError):  # not a real file (a test's buffer)
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, stream.fileno())
        os.close(devnull)


def end_quietly() -> NoReturn:
    """Stop at once with exit 0: nobody is reading the output any more."""
    silence(sys.stdout)
    raise SystemExit(0)


def flush_at_exit() -> None:
    """Flush stdout now, so a reader that has gone does not turn into a message from
    the interpreter at shutdown ("Exception ignored ... BrokenPipeError"). The exit
    code the command chose stands."""
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        silence(sys.stdout)
    except OSError as exc:
        # Windows reports flushing into a closed pipe as EINVAL; here it can only be that.
        if sys.platform == "win32" and exc.errno == errno.EINVAL:
            silence(sys.stdout)
    except ValueError:  # stdout already closed
        pass


class PipeSafeConsole(Console):
    """A rich console that ends quietly when its reader has gone; rich's own handling
    exits with 1, which would report a failure that did not happen."""

    def on_broken_pipe(self) -> None:
        self.quiet = True
        if self.file is sys.stderr:  # nowhere to say anything; the result stands
            silence(sys.stderr)
            return
        end_quietly()

"""Errors meant for people: each says what went wrong and what to do about it.

The CLI prints them without a traceback and exits with ``exit_code``:
1 for a problem with the user's data or files, 2 for a usage mistake.
"""

from __future__ import annotations

DATA_ERROR = 1
USAGE_ERROR = 2


class InspectError(Exception):
    """A failure the user can act on."""

    exit_code = DATA_ERROR

    def __init__(self, message: str, *, details: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.details = details


class UsageError(InspectError):
    """The command was asked for something it cannot do (bad option, unknown id)."""

    exit_code = USAGE_ERROR


class FrameworkError(InspectError):
    """A framework file is missing or invalid; ``details`` lists every problem."""


class OutputError(InspectError):
    """An output could not be written safely."""

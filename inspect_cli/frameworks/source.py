"""Which file each framework was loaded from, for provenance: the SHA-256 of the bytes
actually read, and whether a local file shadows a shipped framework's id.

The models are frozen and know nothing of files, so the source is kept beside them,
keyed by the framework object (a weak reference, so a framework that is dropped
takes its entry with it). Two files that claim the same id and version but differ
in any byte give different fingerprints.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from inspect_cli.frameworks.models import Framework


@dataclass(frozen=True)
class FrameworkSource:
    file: str
    """The file's name (not its folder, which may name a person)."""
    sha256: str
    shipped: bool
    shadows: str | None = None
    """Set when a local file claims a shipped framework's id with other content."""


_SOURCES: dict[int, tuple[weakref.ref[Framework], FrameworkSource]] = {}


def remember_source(fw: Framework, source: FrameworkSource) -> None:
    key = id(fw)

    def forget(ref: weakref.ref[Framework]) -> None:
        if key in _SOURCES and _SOURCES[key][0] is ref:
            del _SOURCES[key]

    _SOURCES[key] = (weakref.ref(fw, forget), source)


def source_of(fw: Framework) -> FrameworkSource | None:
    """Where ``fw`` was loaded from; None for a framework built in code (tests)."""
    entry = _SOURCES.get(id(fw))
    if entry is None or entry[0]() is not fw:  # an id reused after a framework was dropped
        return None
    return entry[1]

"""Where a result came from: inputs with their SHA-256 (every round's, for a trend),
the framework file with its SHA-256, tool, options, time."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from inspect_cli import __version__
from inspect_cli.frameworks import Framework
from inspect_cli.frameworks.source import source_of
from inspect_cli.load import LoadResult

Inputs = tuple[tuple[str, str], ...]
"""(file name, sha256) pairs."""


@dataclass(frozen=True)
class Provenance:
    tool_version: str
    framework_id: str
    framework_version: str
    inputs: Inputs  # every input file (of every round, once each)
    options: dict[str, Any] = field(default_factory=dict)
    created: str = ""
    framework_file: str | None = None  # None: built in code, not read from a file
    framework_sha256: str | None = None
    rounds: tuple[tuple[str, Inputs], ...] = ()
    """For a trend: each round's label and its own input files."""
    notes: tuple[str, ...] = ()

    def rows(self) -> list[tuple[str, str]]:
        """Label/value pairs for a Provenance sheet or a report footer."""
        out = [
            ("Tool", f"inspect-cli {self.tool_version}"),
            ("Framework", f"{self.framework_id} {self.framework_version}"),
        ]
        if self.framework_sha256:
            out.append(
                (f"Framework file {self.framework_file}", f"SHA-256 {self.framework_sha256}")
            )
        out.append(("Created", self.created))
        out += [(f"Option {k}", str(v)) for k, v in self.options.items()]
        if self.rounds:
            out += [
                (f"Input, round {label}: {name}", f"SHA-256 {digest}")
                for label, files in self.rounds
                for name, digest in files
            ]
        else:
            out += [(f"Input {name}", f"SHA-256 {digest}") for name, digest in self.inputs]
        out += [("Provenance note", note) for note in self.notes]
        return out


def _inputs(load: LoadResult | None) -> Inputs:
    return tuple((s.name, s.sha256) for s in load.sources) if load else ()


def provenance_for(
    fw: Framework,
    load: LoadResult | None,
    options: dict[str, Any] | None = None,
    rounds: Sequence[tuple[str, LoadResult]] = (),
) -> Provenance:
    """The provenance of a report on ``load``, or, given ``rounds``, of a trend over
    every round's inputs (``load`` is then ignored)."""
    by_round = tuple((label, _inputs(loaded)) for label, loaded in rounds)
    if by_round:
        every = [pair for _, files in by_round for pair in files]
        inputs = tuple(dict.fromkeys(every))  # a file holding several rounds, once
    else:
        inputs = _inputs(load)
    created = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
    source = source_of(fw)
    return Provenance(
        __version__,
        fw.id,
        fw.version,
        inputs,
        dict(options or {}),
        created,
        framework_file=source.file if source else None,
        framework_sha256=source.sha256 if source else None,
        rounds=by_round,
        notes=(source.shadows,) if source and source.shadows else (),
    )

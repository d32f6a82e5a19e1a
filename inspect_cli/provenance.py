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
class LeftOut:
    """A row, sheet or file a report did not count because of an error in it
    (``--allow-partial``): where it is and the first error found there."""

    file: str | None
    sheet: str | None
    row: int | None
    """None: the whole sheet (or, without a sheet, the whole file) was left out."""
    code: str
    reason: str
    round: str | None = None
    """For a trend: the round whose inputs held it."""

    def where(self) -> str:
        parts = [f"round {self.round}"] if self.round else []
        parts += [self.file or "the inputs"]
        if self.sheet:
            parts.append(f"sheet {self.sheet!r}")
        parts.append(f"row {self.row}" if self.row is not None else "whole")
        return ", ".join(parts)


def left_out_of(load: LoadResult, round_label: str | None = None) -> tuple[LeftOut, ...]:
    """What a report on ``load`` leaves out: one entry for each row, sheet or file an
    error was found in (its first error), in the order the problems were found."""
    seen: dict[tuple[str | None, str | None, int | None], LeftOut] = {}
    for problem in load.errors:
        place = (problem.file, problem.sheet, problem.row)
        if place not in seen:
            seen[place] = LeftOut(*place, problem.code, problem.message, round_label)
    return tuple(seen.values())


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
    left_out: tuple[LeftOut, ...] = ()
    """Rows, sheets and files not counted because of errors (``--allow-partial``)."""

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
        out += [(f"Left out: {item.where()}", item.reason) for item in self.left_out]
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
    if rounds:
        left_out = tuple(item for label, loaded in rounds for item in left_out_of(loaded, label))
    else:
        left_out = left_out_of(load) if load is not None else ()
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
        left_out=left_out,
    )

"""Where a result came from: inputs with their SHA-256, framework, tool, options, time."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from inspect_cli import __version__
from inspect_cli.frameworks import Framework
from inspect_cli.load import LoadResult


@dataclass(frozen=True)
class Provenance:
    tool_version: str
    framework_id: str
    framework_version: str
    inputs: tuple[tuple[str, str], ...]  # (file name, sha256)
    options: dict[str, Any] = field(default_factory=dict)
    created: str = ""

    def rows(self) -> list[tuple[str, str]]:
        """Label/value pairs for an Provenance sheet or a report footer."""
        out = [
            ("Tool", f"inspect-cli {self.tool_version}"),
            ("Framework", f"{self.framework_id} {self.framework_version}"),
            ("Created", self.created),
        ]
        out += [(f"Option {k}", str(v)) for k, v in self.options.items()]
        out += [(f"Input {name}", f"SHA-256 {digest}") for name, digest in self.inputs]
        return out


def provenance_for(
    fw: Framework, load: LoadResult | None, options: dict[str, Any] | None = None
) -> Provenance:
    inputs = tuple((s.name, s.sha256) for s in load.sources) if load else ()
    created = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
    return Provenance(__version__, fw.id, fw.version, inputs, dict(options or {}), created)

"""The problem catalogue: every problem found in input files, each with a code, a title
and a message template naming where it is (file, sheet, Excel row, column).

Modelled on frictionless-py's errors: every problem type has a stable code (part of the
JSON contract of ``validate --format json``), a title and a message template; each
problem carries where it is. Loading collects every problem before anything is
reported. The catalogue is one namespace (``from inspect_cli import problems as P``;
``P.FILE_NOT_FOUND``), kept in parts by subject; ``docs/workbook-format.md`` lists
every code (a test checks).
"""

from __future__ import annotations

from inspect_cli.problems.forces import *  # noqa: F403
from inspect_cli.problems.inspection import *  # noqa: F403
from inspect_cli.problems.model import *  # noqa: F403
from inspect_cli.problems.model import ProblemType
from inspect_cli.problems.reading import *  # noqa: F403

ALL_TYPES: tuple[ProblemType, ...] = tuple(
    v for v in dict(globals()).values() if isinstance(v, ProblemType)
)
"""Every problem type, each once."""

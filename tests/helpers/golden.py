"""Golden files for rendered reports.

``assert_golden("thematic.html", text)`` compares ``text`` with tests/goldens/thematic.html.
To regenerate every golden file after an intended change, run:

    INSPECT_UPDATE_GOLDENS=1 python -m pytest -q tests -k golden

and review the diff before committing.
"""

from __future__ import annotations

import difflib
import os
from pathlib import Path

GOLDENS = Path(__file__).resolve().parents[1] / "goldens"
UPDATE = os.environ.get("INSPECT_UPDATE_GOLDENS") == "1"


def assert_golden(name: str, text: str) -> None:
    path = GOLDENS / name
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="\n")
        return
    assert path.exists(), f"no golden file {path}; run with INSPECT_UPDATE_GOLDENS=1 to create it"
    expected = path.read_text(encoding="utf-8")
    if text != expected:
        diff = "".join(
            list(
                difflib.unified_diff(
                    expected.splitlines(keepends=True),
                    text.splitlines(keepends=True),
                    "golden",
                    "rendered",
                )
            )[:80]
        )
        raise AssertionError(
            f"{name} differs from its golden file (INSPECT_UPDATE_GOLDENS=1 to accept):\n{diff}"
        )

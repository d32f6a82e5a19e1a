"""Find the data that ships with the tool: framework files and report templates.

One resolver serves both layouts:
- an installed wheel, where the build copies the top-level ``frameworks/`` and
  ``templates/`` folders into ``inspect_cli/_data/``;
- a source checkout or editable install, where they sit beside the package.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent
_KINDS = ("frameworks", "templates")


def data_dir(kind: str) -> Path:
    """The folder holding the shipped ``kind`` ("frameworks" or "templates")."""
    if kind not in _KINDS:
        raise ValueError(f"unknown data kind {kind!r}; expected one of {_KINDS}")
    candidates = (_PACKAGE_DIR / "_data" / kind, _PACKAGE_DIR.parent / kind)
    for candidate in candidates:
        if candidate.is_dir():
            return candidate
    tried = ", ".join(str(c) for c in candidates)
    raise FileNotFoundError(f"the tool's {kind} folder is missing (looked in {tried}); reinstall")

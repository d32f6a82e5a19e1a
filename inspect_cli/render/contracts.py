"""The public JSON shapes and the one JSON writer.

Other tools read these outputs: extend a shape, never rename or drop a key (each is
documented in docs/). Every JSON the tool prints or writes goes through
:func:`dumps`, so all share one policy: two-space indents, text as written (not
``\\u`` escapes), a final newline, and sets as sorted lists.
"""

from __future__ import annotations

import json
from typing import Any


def _sets_as_lists(value: object) -> list[Any]:
    if isinstance(value, set | frozenset):
        return sorted(value)
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def dumps(data: object, *, sort_keys: bool = False) -> str:
    """JSON text of ``data``; suppressed-field sets become sorted lists."""
    text = json.dumps(
        data, indent=2, ensure_ascii=False, sort_keys=sort_keys, default=_sets_as_lists
    )
    return text + "\n"

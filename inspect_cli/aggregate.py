"""Tables as plain data, computed from scored cases; renderers only format them."""

from __future__ import annotations

import pandas as pd

from inspect_cli.frameworks import GRADES


def grade_counts(scored: pd.DataFrame) -> dict[tuple[str, str], dict[str, int]]:
    """(force, audit type) → {grade: number of cases}, forces and audit types sorted."""
    out: dict[tuple[str, str], dict[str, int]] = {}
    if scored.empty:
        return out
    table = scored.groupby(["force", "audit_type", "grade"], observed=True).size()
    for key, n in table.items():
        parts: tuple[object, ...] = tuple(key)  # type: ignore[arg-type]
        counts = out.setdefault((str(parts[0]), str(parts[1])), dict.fromkeys(GRADES, 0))
        counts[str(parts[2])] = int(n)
    return dict(sorted(out.items()))

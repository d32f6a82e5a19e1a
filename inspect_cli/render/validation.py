"""How a load's problems are summarised, for people and for machines."""

from __future__ import annotations

from typing import Any

from inspect_cli.load import LoadResult


def summary_line(result: LoadResult) -> str:
    counts = {
        s: sum(1 for p in result.problems if p.severity == s) for s in ("error", "warning", "note")
    }
    files = len(result.sources)
    head = "OK" if result.ok else "PROBLEMS"
    return (
        f"{head}: {files} file(s), {result.rows_read:,} row(s) read, {len(result.cases):,} case(s) "
        f"loaded, {len(result.rejected):,} not loaded; {counts['error']:,} error(s), "
        f"{counts['warning']:,} warning(s), {counts['note']:,} note(s)"
    )


def validation_json(result: LoadResult) -> dict[str, Any]:
    """The shape of ``validate --format json`` (a contract: extend, never rename)."""
    return {
        "ok": result.ok,
        "framework": {"id": result.framework.id, "version": result.framework.version},
        "files": [
            {"name": s.name, "sha256": s.sha256, "rows_read": s.rows_read, "cases": s.cases}
            for s in result.sources
        ],
        "rows_read": result.rows_read,
        "cases": len(result.cases),
        "not_loaded": len(result.rejected),
        "problems": [p.to_dict() for p in result.problems],
    }

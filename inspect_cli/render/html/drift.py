"""The auditor-drift section as the HTML templates show it (``_drift.html.j2``)."""

from __future__ import annotations

from dataclasses import dataclass

from inspect_cli.render.drift_words import (
    DRIFT_COLUMNS,
    DRIFT_INTRO,
    DRIFT_TITLE,
    drift_cells,
    drift_notes,
    drift_sentences,
    drift_status_text,
)
from inspect_cli.reports.drift import DriftSection


@dataclass(frozen=True)
class DriftView:
    title: str
    intro: str
    status: str | None
    sentences: tuple[str, ...]
    columns: tuple[str, ...]
    rows: tuple[tuple[bool, tuple[str, ...]], ...]  # (worth a look, cells)
    notes: tuple[str, ...]


def drift_view(d: DriftSection | None) -> DriftView | None:
    """None when the report has no such section (published or anonymised)."""
    if d is None:
        return None
    return DriftView(
        DRIFT_TITLE,
        DRIFT_INTRO,
        drift_status_text(d),
        tuple(drift_sentences(d)),
        DRIFT_COLUMNS,
        tuple((a.look, drift_cells(a)) for a in d.auditors),
        tuple(drift_notes(d)),
    )

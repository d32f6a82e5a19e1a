"""CSV on the Web (W3C CSVW) metadata for the report CSVs: what each column means,
its type, and how a missing or hidden figure is written.

The metadata file sits beside the CSV under the name CSVW processors look for first
(``{+url}-metadata.json``): ``out.csv`` → ``out.csv-metadata.json``. Its columns come
from the same definitions the CSV writer uses (render/csv.py), so the two cannot
drift apart. The shape is documented in docs/reports.md ("CSV files").
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote

from inspect_cli.render.contracts import dumps
from inspect_cli.render.csv import COMMENT_PREFIX, FORCE_COLUMNS, THEMATIC_COLUMNS, Column
from inspect_cli.reports.common import ReportMeta
from inspect_cli.reports.force import ForceReport
from inspect_cli.reports.suppress import SYMBOL
from inspect_cli.reports.thematic import ThematicReport

CONTEXT = "http://www.w3.org/ns/csvw"
METADATA_SUFFIX = "-metadata.json"
AUDITS = {
    "inspector": "inspectors' assessments",
    "self-assessment": "forces' self-assessments",
    "all": "inspectors' assessments and forces' self-assessments",
}
EMPTY_MEANS = "An empty cell means there is no figure (no case to count)."


def metadata_path(csv_target: Path) -> Path:
    """Where the metadata of the CSV at ``csv_target`` goes: CSVW's default location."""
    return csv_target.with_name(csv_target.name + METADATA_SUFFIX)


def write_metadata(report: ThematicReport | ForceReport, csv_name: str, target: Path) -> None:
    """Write the metadata of ``report``'s CSV, named ``csv_name`` in the same folder."""
    target.write_text(dumps(table_metadata(report, csv_name)), encoding="utf-8", newline="\n")


def table_columns(report: ThematicReport | ForceReport) -> tuple[Column, ...]:
    """The columns of ``report``'s CSV, in order: the writer's own definitions."""
    return THEMATIC_COLUMNS if isinstance(report, ThematicReport) else FORCE_COLUMNS


def table_metadata(report: ThematicReport | ForceReport, csv_name: str) -> dict[str, Any]:
    """The CSVW table description of ``report``'s CSV file ``csv_name``."""
    meta = report.meta
    url = quote(csv_name)  # a relative URL: a space or '#' in the name must not break it
    data: dict[str, Any] = {
        "@context": CONTEXT,
        "url": url,
        "dc:title": meta.title,
        "dc:description": _description(report),
        "dc:source": _source(meta),
    }
    if meta.provenance.created:
        data["dc:created"] = meta.provenance.created
    if meta.marking:
        data["dc:accessRights"] = meta.marking
    data["dialect"] = {
        "encoding": "utf-8",
        "lineTerminators": ["\r\n"],
        "delimiter": ",",
        "header": True,
        "headerRowCount": 1,
    }
    if meta.marking:  # the CSV's first line, "# MARKING": skipped, read as a comment
        data["dialect"] |= {"commentPrefix": COMMENT_PREFIX, "skipRows": 1}
    data["notes"] = [{"type": "Annotation", "target": url, "body": note} for note in _notes(meta)]
    data["tableSchema"] = {"columns": [_column(c, meta.published) for c in table_columns(report)]}
    return data


def _column(column: Column, published: bool) -> dict[str, Any]:
    """A column description. ``titles`` also holds the id, as the header row writes
    it: CSVW validators match the header against ``titles``, case by case."""
    hideable = published and bool(column.hidden_with)
    titles = [column.title] if column.title == column.name else [column.title, column.name]
    return {
        "name": column.name,
        "titles": titles,
        "datatype": column.datatype,
        "null": ["", SYMBOL] if hideable else [""],
        "dc:description": column.description,
    }


def _description(report: ThematicReport | ForceReport) -> str:
    meta = report.meta
    who = AUDITS[meta.audit_type]
    grade = (
        "as recorded by the auditor"
        if meta.grade_source == "recorded"
        else "by the framework's rules"
    )
    what = (
        "Cases by grade for each force, then all forces together"
        if isinstance(report, ThematicReport)
        else f"Cases by grade for {report.force}, overall and broken down"
    )
    return f"{what}: {who}, graded {grade}."


def _source(meta: ReportMeta) -> str:
    return (
        f"Case audits scored by inspect-cli {meta.provenance.tool_version} against the "
        f"framework {meta.framework_id} version {meta.framework_version}: "
        f"{meta.framework_title}."
    )


def _notes(meta: ReportMeta) -> list[str]:
    if not meta.published:
        return [EMPTY_MEANS, *_review(meta)]
    below = meta.suppression_threshold
    hidden = f"from 1 to {below - 1}" if below is not None and below > 1 else "that are small"
    return [
        f"Published version: counts {hidden}, and any figure from which one could be "
        f"worked out, are shown as '{SYMBOL}' (hidden to protect the children in the "
        f"cases). '{SYMBOL}' is declared as a null value of every column it can appear in.",
        EMPTY_MEANS,
        *_review(meta),
    ]


def _review(meta: ReportMeta) -> list[str]:
    """The review-state note: the CSV's figures leave out cases not approved."""
    from inspect_cli.reports.review import review_sentences

    said = review_sentences(meta.review) if meta.review is not None else None
    if said is None:
        return []
    return [said[1] if meta.published else said[0]]

"""The Force sheet of a case audit template: one row per force-level topic of the
framework, for the force's self-grade, the inspectors' grade and the evidence relied on.

Laid out as the loader reads it (:mod:`inspect_cli.load.force_sheet`): the header row
uses the column labels the loader matches, each topic's row is prefilled with its id and
name, and the grade cells offer the topic's scale as a drop-down from the Lists sheet.
Every text goes through ``write_string`` (the workbook never turns strings into
formulas), so a label in a framework file never becomes live content.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from inspect_cli.frameworks import Framework
from inspect_cli.load.force_sheet import FORCE_COLUMNS, FORCE_SHEET, topic_scale

HEADER_ROW = 3
"""0-based, as on the Cases sheet: Excel row 4."""
_WIDTHS = {
    "force": 22.0,
    "topic_id": 24.0,
    "topic_label": 30.0,
    "self_grade": 20.0,
    "inspector_grade": 20.0,
}
_EVIDENCE_WIDTH = 40.0
_GRADES = ("self_grade", "inspector_grade")

Book = Any  # xlsxwriter ships no type hints
Sheet = Any


def write_force_sheet(
    book: Book, lists: Sheet, first_list_column: int, fw: Framework, force: str | None
) -> None:
    """Add the Force sheet to ``book`` (nothing when ``fw`` has no force topics); its
    grade lists go on ``lists`` from column ``first_list_column``."""
    if not fw.force_topics:
        return
    from xlsxwriter.utility import xl_col_to_name

    sheet = book.add_worksheet(FORCE_SHEET)
    bold = book.add_format({"bold": True})
    sources: dict[str, tuple[str, tuple[str, ...]]] = {}
    for topic in fw.force_topics:
        scale = topic_scale(fw, topic)
        if scale.id in sources:
            continue
        j = first_list_column + len(sources)
        labels = tuple(r.label for r in scale.responses)
        lists.write_string(0, j, f"List: {scale.label} (force topics)", bold)
        for i, label in enumerate(labels, start=1):
            lists.write_string(i, j, label)
        letter = xl_col_to_name(j)
        sources[scale.id] = (f"={lists.name}!${letter}$2:${letter}${len(labels) + 1}", labels)
    title = f"{fw.title}, version {fw.version}: force-level judgements"
    sheet.write_string(
        0, 0, f"{title} for {force}" if force else title, book.add_format({"bold": True})
    )
    sheet.write_string(
        1,
        0,
        "One row per topic judged for the force as a whole (not per case): the force's "
        "self-grade, the inspectors' grade and the evidence relied on. Evidence references "
        "are internal: no published report shows them.",
        book.add_format({"italic": True}),
    )
    header = book.add_format(
        {"bold": True, "text_wrap": True, "valign": "top", "border": 1, "bg_color": "#D9D9D9"}
    )
    text = book.add_format({"num_format": "@", "text_wrap": True, "valign": "top"})
    sheet.set_row(HEADER_ROW, 33)
    for j, col in enumerate(FORCE_COLUMNS):
        sheet.write_string(HEADER_ROW, j, col.label, header)
        sheet.write_comment(
            HEADER_ROW,
            j,
            f"Column id: {col.id}\n{col.description}",
            {"author": "inspect-cli", "x_scale": 2.0},
        )
        sheet.set_column(j, j, _WIDTHS.get(col.id, _EVIDENCE_WIDTH), text)
    for i, topic in enumerate(fw.force_topics, start=HEADER_ROW + 1):
        source, labels = sources[topic_scale(fw, topic).id]
        row = {"force": force or "", "topic_id": topic.id, "topic_label": topic.label}
        for j, col in enumerate(FORCE_COLUMNS):
            if row.get(col.id):
                sheet.write_string(i, j, row[col.id], text)
            if col.id in _GRADES:
                sheet.data_validation(i, j, i, j, _grade_rule(source, labels))
    sheet.freeze_panes(HEADER_ROW + 1, 0)


def _grade_rule(source: str, labels: Sequence[str]) -> dict[str, Any]:
    return {
        "validate": "list",
        "source": source,
        "error_type": "stop",
        "error_title": "Not a listed grade",
        "error_message": ("Choose one of: " + ", ".join(labels) + ".")[:255],
    }

"""The jinja2 environment and filters shared by every HTML report.

The environment is created with ``autoescape=True`` (never extension sniffing), and
no template marks input as safe. A figure hidden by small-number suppression is shown
as 'c'; a missing one is a dash.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from inspect_cli.frameworks import GRADES
from inspect_cli.render.wording import threshold_words
from inspect_cli.reports.common import GradeRow
from inspect_cli.reports.force import AnswerCounts
from inspect_cli.reports.suppress import SYMBOL
from inspect_cli.reports.thematic import StageCell
from inspect_cli.resources import data_dir
from inspect_cli.stats import Interval

CASE_LIST_LIMIT = 200
SMALL_GROUP = 10  # groups with fewer cases are marked as too small to draw conclusions

# Chart geometry (SVG user units; the charts scale to the page width).
LABEL_W = 170.0
BAR_W = 470.0
NOTE_W = 190.0


BAR_H = 18.0


MIN_LABEL_SEGMENT = 34.0  # narrower bar segments get no percentage inside them


def number(n: int | None) -> str:
    return "–" if n is None else f"{n:,}"


def percent(p: int | None) -> str:
    return "–" if p is None else f"{p}%"


def count_pct(n: int | None, p: int | None) -> str:
    """A published-table cell: "24 (21%)"."""
    if n is None:
        return "–"
    return number(n) if p is None else f"{number(n)} ({p}%)"


def interval(ci: Interval | None) -> str:
    return "–" if ci is None else f"{ci.low:.1f}–{ci.high:.1f}%"


def days(value: float | int | None) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if float(value).is_integer():
        return number(int(value))
    return f"{value:,.1f}"


_FORMATS: dict[str, Callable[[Any], str]] = {
    "number": number,
    "percent": percent,
    "interval": interval,
    "days": days,
}


def shown(item: object, name: str, kind: str = "number") -> str:
    """A model's figure as text: 'c' when small-number suppression hid it, else formatted
    by ``kind`` (a missing figure is a dash)."""
    if name in getattr(item, "suppressed", frozenset()):
        return SYMBOL
    return _FORMATS[kind](getattr(item, name))


def grade_cell(row: GradeRow, grade: str) -> str:
    """A conclusions-table cell: "24 (21%)", or 'c' for a hidden count."""
    if grade in row.suppressed:
        return SYMBOL
    n = row.count(grade)
    if n is not None and f"{grade}_pct" in row.suppressed:
        return f"{number(n)} ({SYMBOL})"
    return count_pct(n, row.share(grade))


def answer_cell(row: AnswerCounts, label: str, n: int | None) -> str:
    """A detention answer count; the suppressed set of an answer row holds answer labels."""
    return SYMBOL if label in row.suppressed else number(n)


def stage_cell(cell: StageCell) -> str:
    """'43% (44/102)'; a dash when the stage applied to no case; 'c' for hidden figures."""
    if not cell.suppressed:
        if cell.inadequate_pct is None:
            return "–"
        return f"{cell.inadequate_pct}% ({number(cell.inadequate)}/{number(cell.applicable)})"
    if {"inadequate_pct", "inadequate", "applicable"} <= cell.suppressed:
        return SYMBOL
    return (
        f"{shown(cell, 'inadequate_pct', 'percent')} "
        f"({shown(cell, 'inadequate')}/{shown(cell, 'applicable')})"
    )


def grade_class(grade: str) -> str:
    """A CSS class from a fixed list: never input text in an attribute."""
    return f"grade-{grade}" if grade in GRADES else "grade-other"


def grade_word(grade: str) -> str:
    return grade.capitalize()


def css_text(text: str) -> str:
    """Text for inside a double-quoted CSS string (the print header's marking).

    Every character but ASCII letters, digits and spaces becomes a six-digit hex
    escape, so nothing can end the string or the style sheet, and HTML escaping (which
    a <style> element would not undo) leaves the result unchanged.
    """
    return "".join(
        c if c.isascii() and (c.isalnum() or c == " ") else f"\\{ord(c):06x}" for c in text
    )


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(data_dir("templates")),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        number=number,
        percent=percent,
        interval=interval,
        days=days,
        grade_class=grade_class,
        grade_word=grade_word,
        css_text=css_text,
    )
    env.globals.update(
        count_pct=count_pct,
        shown=shown,
        grade_cell=grade_cell,
        answer_cell=answer_cell,
        stage_cell=stage_cell,
        threshold_words=threshold_words,
        symbol=SYMBOL,
        grades=GRADES,
        label_w=LABEL_W,
        bar_w=BAR_W,
        bar_h=BAR_H,
        small_group=SMALL_GROUP,
    )
    return env

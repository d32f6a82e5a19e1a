"""Checking and typing each value: a cell as text, dates, ages, flags, answers, and the
area of practice, audit type and grade read by id, label or alias; a bad cell is a
:class:`Bad` that says what was found and what was expected."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from inspect_cli import problems as P
from inspect_cli.fields import (
    AUDIT_TYPES,
    EXAMPLE_STATUS_WORDS,
    EXAMPLE_WORDS,
    FLAG_WORDS,
    REVIEW_STATUSES,
    YES_NO_WORDS,
    standard_fields,
)
from inspect_cli.frameworks import Framework, normalise_text, response_words


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def as_text(value: Any) -> str:
    """A cell as text: integral numbers without '.0', dates as ISO, text stripped."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _shown(value: Any) -> str:
    text = as_text(value)
    return repr(text if len(text) <= 40 else text[:37] + "...")


@dataclass(frozen=True)
class Bad:
    """Why one cell was rejected: ``found`` and ``expected`` in words (never sensitive text)."""

    found: str
    expected: str
    kind: P.ProblemType = P.TYPE_ERROR


Normaliser = Callable[[Any], Any]  # returns the value, or a Bad


def _choice(words: dict[str, str], allowed: str) -> Normaliser:
    def normalise(value: Any) -> Any:
        hit = words.get(normalise_text(as_text(value)))
        if hit is None:
            return Bad(_shown(value), allowed, P.INVALID_VALUE)
        return hit

    return normalise


def _reason(words: dict[str, str], allowed: str) -> Normaliser:
    """A referral reason: the text typed is never repeated (it may describe a child)."""

    def normalise(value: Any) -> Any:
        hit = words.get(normalise_text(as_text(value)))
        return Bad("-", allowed, P.UNKNOWN_REFERRAL_REASON) if hit is None else hit

    return normalise


def _quiet_choice(words: dict[str, str], allowed: str) -> Normaliser:
    """A list column beside free text (a case example's theme, status and stage): an
    unknown value is not repeated, as it may be vignette text typed in the wrong column."""

    def normalise(value: Any) -> Any:
        hit = words.get(normalise_text(as_text(value)))
        return (
            Bad("a value not on the list (not repeated here)", allowed, P.INVALID_VALUE)
            if (hit is None)
            else hit
        )

    return normalise


def _vocabulary(items: Iterable[tuple[str, Iterable[str]]]) -> dict[str, str]:
    out: dict[str, str] = {}
    for canonical, words in items:
        for word in words:
            out.setdefault(normalise_text(word), canonical)
    return out


_UK_DATE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
# A date cell arrives as '2024-03-05 00:00:00'; a time of day on it is ignored.
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
_NUMBER = re.compile(r"^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$")


def _date(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    expected = "a date (a date cell, 2024-03-05 or 05/03/2024, day first)"
    if isinstance(value, int | float) and not isinstance(value, bool):
        return Bad("a number", expected)
    text = as_text(value)
    if _NUMBER.match(text):  # a number cell (Excel's serial day count unformatted) or typed digits
        return Bad("a number", expected)
    m = _ISO_DATE.match(text)
    parts = (int(m.group(1)), int(m.group(2)), int(m.group(3))) if m else None
    if parts is None and (m := _UK_DATE.match(text)):
        parts = (int(m.group(3)), int(m.group(2)), int(m.group(1)))
    if parts is None:
        return Bad("text that is not a date", expected)
    try:
        return dt.date(*parts)
    except ValueError:
        return Bad("a day or month that does not exist", expected)


parse_date = _date
"""A date cell or text (ISO, or UK day first) as a date, or the :class:`Bad` saying why
not: for other files that take dates as case sheets do (the recommendations register)."""


def _age(value: Any) -> Any:
    expected = "a whole number of years from 0 to 17"
    if isinstance(value, bool):
        return Bad(_shown(value), expected)
    if isinstance(value, int | float):
        number = float(value)
    else:
        text = as_text(value)
        try:
            number = float(text)
        except ValueError:
            return Bad(_shown(text), expected)
    if not number.is_integer() or not 0 <= number <= 17:
        return Bad(_shown(value), expected)
    return int(number)


def tidy_text(value: Any) -> Any:
    return as_text(value)


def _allowed(labels: Iterable[str]) -> str:
    return ", ".join(labels)


def build_normalisers(fw: Framework) -> dict[str, Normaliser]:
    """One function per field id that turns a raw cell into its tidy value or a Bad."""
    out: dict[str, Normaliser] = {}
    areas = _vocabulary((a.id, response_words(a)) for a in fw.areas_of_practice)
    grades = _vocabulary((g.id, response_words(g)) for g in fw.case_grades)
    audit = _vocabulary((k, (k, *v)) for k, v in AUDIT_TYPES.items())
    flags = _vocabulary((k, (k, *v)) for k, v in FLAG_WORDS.items())
    yes_no = _vocabulary((k, (k, *v)) for k, v in YES_NO_WORDS.items())
    reasons = _vocabulary((r.id, response_words(r)) for r in fw.referral_reasons)
    examples = _vocabulary((k, (k, *v)) for k, v in EXAMPLE_WORDS.items())
    statuses = _vocabulary((k, (k, *v)) for k, v in EXAMPLE_STATUS_WORDS.items())
    stages = _vocabulary((s.id, (s.id, s.id.replace("_", " "), s.label)) for s in fw.stages)
    for f in standard_fields(fw):
        if f.kind == "area":
            out[f.id] = _choice(areas, _allowed(a.label for a in fw.areas_of_practice))
        elif f.kind == "grade":
            out[f.id] = _choice(grades, _allowed(g.label for g in fw.case_grades))
        elif f.kind == "audit_type":
            out[f.id] = _choice(audit, _allowed(AUDIT_TYPES))
        elif f.kind == "flag":
            out[f.id] = _choice(flags, _allowed(FLAG_WORDS))
        elif f.kind == "yes_no":
            out[f.id] = _choice(yes_no, _allowed(YES_NO_WORDS))
        elif f.kind == "referral_reason":
            labels = [r.label for r in fw.referral_reasons] or ["none: the framework lists none"]
            out[f.id] = _reason(reasons, _allowed(labels))
        elif f.kind == "example":
            out[f.id] = _quiet_choice(examples, _allowed(EXAMPLE_WORDS))
        elif f.kind == "example_status":
            out[f.id] = _quiet_choice(statuses, _allowed(EXAMPLE_STATUS_WORDS))
        elif f.kind == "stage":
            out[f.id] = _quiet_choice(stages, _allowed(s.label for s in fw.stages))
        elif f.kind == "review_status":
            review = _vocabulary((k, (k, *v)) for k, v in REVIEW_STATUSES.items())
            out[f.id] = _choice(review, _allowed(REVIEW_STATUSES))
        elif f.kind == "date":
            out[f.id] = _date
        elif f.kind == "age":
            out[f.id] = _age
        else:
            out[f.id] = tidy_text
    for ref in fw.indicators:
        scale = ref.scale
        answers = [*scale.responses, *([scale.not_applicable] if scale.not_applicable else [])]
        words = _vocabulary((r.id, response_words(r)) for r in answers)
        allowed = _allowed(r.label for r in answers)

        def normalise(value: Any, words: dict[str, str] = words, allowed: str = allowed) -> Any:
            hit = words.get(normalise_text(as_text(value)))
            return Bad(_shown(value), allowed, P.UNKNOWN_RESPONSE) if hit is None else hit

        out[ref.full_id] = normalise
    return out

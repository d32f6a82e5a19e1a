"""The recommendations register (``--recommendations FILE``): what an inspection
recommended to each force, which framework stages and indicators each recommendation
concerns, and how the force's action plan stands (docs/recommendations.md).

A YAML file (a list of recommendations, or a mapping with the one key
``recommendations``), read from its node tree with the safe loader and refused if it
uses anchors or aliases (a register needs none, and they are how YAML bombs work); or a
workbook whose "Recommendations" sheet has a header row of field names, read through
:func:`inspect_cli.read.read_file` and its safety checks. Every problem is located:
file, sheet, row (the Excel row, or in a YAML file the line) and field. Text and owners
are never repeated in a message.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from inspect_cli import problems as P
from inspect_cli.frameworks import Framework
from inspect_cli.identity import force_key, lookalike_letters, shown, tidy_name
from inspect_cli.load.recommendations_files import (
    KINDS,
    REQUIRED,
    SPLIT,
    STATUSES,
    Entry,
    Value,
    normal,
    sheet_entries,
    yaml_entries,
)
from inspect_cli.load.values import Bad, parse_date
from inspect_cli.problems import Problem
from inspect_cli.read import Limits


@dataclass(frozen=True)
class Recommendation:
    id: str
    force: str
    kind: str
    """One of :data:`KINDS`."""
    text: str
    """Internal: published only as docs/recommendations.md says."""
    theme: str | None
    stages: tuple[str, ...]
    """Stage ids of the framework, in the order given."""
    indicators: tuple[str, ...]
    """Full indicator ids ('stage.indicator'), in the order given."""
    made: dt.date
    action_plan_due: dt.date | None
    status: str | None
    """red, amber or green; None: not yet assessed."""
    owner: str | None
    """The person who follows it up: internal only, never in a published output."""


@dataclass(frozen=True)
class RecommendationRegister:
    file: str
    recommendations: tuple[Recommendation, ...]
    sha256: str = ""
    """Of the bytes read, for the provenance of a report that lists them."""

    def for_force(self, name: str) -> tuple[Recommendation, ...]:
        """The recommendations made to ``name`` (matched by identity key, so spacing,
        case and look-alike spellings do not matter)."""
        key = force_key(name)
        return tuple(r for r in self.recommendations if force_key(r.force) == key)


def read_recommendations(
    path: Path, fw: Framework, limits: Limits | None = None
) -> RecommendationRegister | list[Problem]:
    """The register in ``path``, checked against ``fw``, or every problem found."""
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml"):
        entries = yaml_entries(path)
    elif suffix in (".xlsx", ".xlsm"):
        entries = sheet_entries(path, limits or Limits())
    else:
        detail = "a recommendations register is a .yaml, .yml or .xlsx file"
        return [P.BAD_RECOMMENDATIONS_FILE.at(path.name, detail=detail)]
    if not entries:
        return [P.BAD_RECOMMENDATIONS_FILE.at(path.name, detail="it lists nothing")]
    problems: list[Problem] = [p for e in entries if isinstance(e, Problem) for p in [e]]
    found = [e for e in entries if isinstance(e, Entry)]
    checker = _Checker(path.name, fw)
    recommendations = [r for e in found if (r := checker.check(e)) is not None]
    problems += checker.problems
    if problems:
        return problems
    return RecommendationRegister(path.name, tuple(recommendations), _sha256(path))


def _sha256(path: Path) -> str:
    import hashlib

    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:  # read a moment ago: gone since, so nothing to fingerprint
        return ""


# --------------------------------------------------------------------------- checks


class _Checker:
    def __init__(self, file: str, fw: Framework) -> None:
        self.file = file
        self.fw = fw
        self.problems: list[Problem] = []
        self.first: dict[str, str] = {}
        self.stages = {s.id: s.id for s in fw.stages} | {normal(s.label): s.id for s in fw.stages}
        self.indicators = {ref.full_id for ref in fw.indicators}

    def _at(self, e: Entry, v: Value) -> dict[str, Any]:
        return {"file": self.file, "sheet": e.sheet, "row": v.row or e.row, "column": v.column}

    def _text(self, e: Entry, name: str) -> str | None:
        v = e.values.get(name)
        if v is not None and v.error:
            self._invalid(e, v, "an Excel error value", "a value")
            return None
        if v is None or v.value is None:
            text = ""
        elif isinstance(v.value, list):
            self._invalid(e, v, "a list", "one value")
            return None
        else:
            text = v.value.strip()
        if not text and name in REQUIRED:
            where = v or Value(None, e.row, None, name)
            self.problems.append(
                P.RECOMMENDATION_MISSING.at(
                    **self._at(e, where), header=where.header, number=e.number, field=name
                )
            )
        return text or None

    def _invalid(self, e: Entry, v: Value, found: str, expected: str) -> None:
        self.problems.append(
            P.RECOMMENDATION_INVALID.at(
                **self._at(e, v),
                header=v.header,
                number=e.number,
                field=v.header,
                found=found,
                expected=expected,
            )
        )

    def _choice(self, e: Entry, name: str, allowed: tuple[str, ...]) -> str | None:
        text = self._text(e, name)
        if text is None:
            return None
        if normal(text) in allowed:
            return normal(text)
        self._invalid(e, e.values[name], "not one of the choices", "one of: " + ", ".join(allowed))
        return None

    def _date(self, e: Entry, name: str) -> dt.date | None:
        text = self._text(e, name)
        if text is None:
            return None
        day = parse_date(text)
        if isinstance(day, Bad):
            self._invalid(e, e.values[name], day.found, day.expected)
            return None
        return day if isinstance(day, dt.date) else None

    def _refs(self, e: Entry, name: str) -> tuple[str, ...]:
        v = e.values.get(name)
        if v is not None and v.error:
            self._invalid(e, v, "an Excel error value", "ids separated by ;")
            return ()
        if v is None or v.value is None:
            return ()
        items = v.value if isinstance(v.value, list) else SPLIT.split(v.value)
        out: list[str] = []
        for position, item in enumerate((i.strip() for i in items), start=1):
            if not item:
                continue
            ref = self.stages.get(normal(item)) if name == "stages" else item
            if ref is None or (name == "indicators" and ref not in self.indicators):
                self.problems.append(
                    P.RECOMMENDATION_NOT_IN_FRAMEWORK.at(
                        **self._at(e, v),
                        header=v.header,
                        number=e.number,
                        kind="stage" if name == "stages" else "indicator",
                        # Its place in the list, never the value: text typed in the
                        # wrong field may describe a child.
                        ref=f"number {position} of the list (the value is not repeated here)",
                        framework=self.fw.id,
                        hint=self._hint(name, item),
                    )
                )
            elif ref not in out:
                out.append(ref)
        return tuple(out)

    def _hint(self, name: str, item: str) -> str:
        import difflib

        known = list(self.stages) if name == "stages" else sorted(self.indicators)
        near = difflib.get_close_matches(item.strip(), known, n=3, cutoff=0.6)
        if near:
            return "; did you mean " + " or ".join(repr(n) for n in near) + "?"
        if name == "indicators":
            return " (an indicator is named by its full id, stage.indicator, as in a case sheet)"
        return " (a stage is named by its id or label)"

    def _lookalikes(self, e: Entry, force: str) -> None:
        """A force name mixing scripts is refused, as in a case sheet: it would match no
        force, and the force's recommendations would silently be missing."""
        letters = lookalike_letters(force)
        if letters:
            v = e.values["force"]
            self.problems.append(
                P.FORCE_LOOKALIKE.at(
                    **self._at(e, v),
                    header=v.header,
                    name=shown(force),
                    letters=", ".join(letters),
                    like="",
                    where=_place(e, v),
                )
            )

    def check(self, e: Entry) -> Recommendation | None:
        before = len(self.problems)
        rid, force = self._text(e, "id"), self._text(e, "force")
        if force is not None:
            self._lookalikes(e, force)
        kind = self._choice(e, "type", KINDS)
        text, theme, owner = self._text(e, "text"), self._text(e, "theme"), self._text(e, "owner")
        stages, indicators = self._refs(e, "stages"), self._refs(e, "indicators")
        made, due = self._date(e, "made"), self._date(e, "action_plan_due")
        status = self._choice(e, "status", STATUSES)
        if made is not None and due is not None and due < made:
            v = e.values["action_plan_due"]
            self.problems.append(
                P.ACTION_PLAN_BEFORE_MADE.at(
                    **self._at(e, v), header=v.header, number=e.number, made="'made'"
                )
            )
        if rid is not None:
            key = normal(rid)
            here = _place(e, e.values["id"])
            if key in self.first:
                v = e.values["id"]
                self.problems.append(
                    P.RECOMMENDATION_DUPLICATE_ID.at(
                        **self._at(e, v),
                        header=v.header,
                        number=e.number,
                        id=shown(rid[:60]),
                        first=self.first[key],
                    )
                )
            self.first.setdefault(key, here)
        if len(self.problems) > before:
            return None
        assert rid and force and kind and text and made  # REQUIRED, checked above
        return Recommendation(
            rid, tidy_name(force), kind, text, theme, stages, indicators, made, due, status, owner
        )


def _place(e: Entry, v: Value) -> str:
    return f"row {v.row or e.row}"  # in a YAML file, the line

"""Checks on a framework that need the whole file: unique ids, known references, sound
rules, and no two answers or column headers that read the same."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from typing import Any

from inspect_cli.frameworks.models import (
    GRADES,
    RESERVED_STAGE_COLUMNS,
    Framework,
    Scale,
    normalise_text,
    response_words,
)


def format_loc(loc: Iterable[Any]) -> str:
    """('stages', 2, 'indicators', 0, 'weight') → 'stages[2].indicators[0].weight'."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out or "(top level)"


def check_references(fw: Framework) -> list[tuple[tuple[Any, ...], str]]:
    """Checks that need the whole file: unique ids, known references, sound rules."""
    problems: list[tuple[tuple[Any, ...], str]] = []

    def dupes(items: Iterable[tuple[tuple[Any, ...], str]], what: str) -> None:
        seen: dict[str, tuple[Any, ...]] = {}
        for loc, key in items:
            if key in seen:
                problems.append(
                    (loc, f"duplicate {what} {key!r} (also at {format_loc(seen[key])})")
                )
            else:
                seen[key] = loc

    dupes(((("scales", i, "id"), s.id) for i, s in enumerate(fw.scales)), "scale id")
    dupes(
        ((("areas_of_practice", i, "id"), a.id) for i, a in enumerate(fw.areas_of_practice)),
        "area id",
    )
    dupes(((("case_grades", i, "id"), g.id) for i, g in enumerate(fw.case_grades)), "grade id")
    scale_ids = {s.id for s in fw.scales}
    if fw.default_scale not in scale_ids:
        problems.append((("default_scale",), f"no scale with id {fw.default_scale!r}"))
    area_ids = {a.id for a in fw.areas_of_practice}
    for si, stage in enumerate(fw.stages):
        dupes(
            (
                (("stages", si, "indicators", ii, "id"), ind.id)
                for ii, ind in enumerate(stage.indicators)
            ),
            f"indicator id in stage {stage.id!r}:",
        )
        for ai, area in enumerate(stage.required_for_areas):
            if area not in area_ids:
                problems.append(
                    (("stages", si, "required_for_areas", ai), f"no area of practice {area!r}")
                )
        for ii, ind in enumerate(stage.indicators):
            loc = ("stages", si, "indicators", ii)
            if ind.id in RESERVED_STAGE_COLUMNS:
                problems.append(
                    ((*loc, "id"), f"{ind.id!r} is reserved for the stage's own column")
                )
            if ind.scale is not None and ind.scale not in scale_ids:
                known = ", ".join(sorted(scale_ids))
                problems.append(((*loc, "scale"), f"no scale {ind.scale!r} (scales: {known})"))
    for i, scale in enumerate(fw.scales):
        problems.extend(_check_scale(("scales", i), scale))
    response_ids = {r.id for s in fw.scales for r in s.responses}
    for i, rid in enumerate(fw.comment_expected_for):
        if rid not in response_ids:
            problems.append(
                (("comment_expected_for", i), f"no answer with id {rid!r} in any scale")
            )
    for i, topic in enumerate(fw.force_topics):
        if topic.scale is not None and topic.scale not in scale_ids:
            problems.append((("force_topics", i, "scale"), f"no scale {topic.scale!r}"))
    dupes(
        (
            *((("stages", i, "id"), s.id) for i, s in enumerate(fw.stages)),
            *((("force_topics", i, "id"), t.id) for i, t in enumerate(fw.force_topics)),
        ),
        "stage or force topic id",
    )
    counted = {g.counts_as for g in fw.case_grades}
    for grade in GRADES:
        if grade not in counted:
            problems.append((("case_grades",), f"no case grade counts as {grade!r}"))
    dupes(
        (
            (("case_grades", i), word)
            for i, g in enumerate(fw.case_grades)
            for word in {normalise_text(w) for w in response_words(g)}
        ),
        "case grade word",
    )
    dupes(
        (
            (("areas_of_practice", i), word)
            for i, a in enumerate(fw.areas_of_practice)
            for word in {normalise_text(w) for w in response_words(a)}
        ),
        "area of practice word",
    )
    dupes(
        (
            (("referral_reasons", i), word)
            for i, r in enumerate(fw.referral_reasons)
            for word in {normalise_text(w) for w in response_words(r)}
        ),
        "referral reason word",
    )
    for key, rule in (("stage", fw.scoring.stage), ("case", fw.scoring.case)):
        t = rule.thresholds
        if t.good <= t.adequate:
            problems.append(
                (("scoring", key, "thresholds"), "'good' must be higher than 'adequate'")
            )
    problems.extend(_check_labels(fw))
    return problems


def _check_scale(loc: tuple[Any, ...], scale: Scale) -> Iterator[tuple[tuple[Any, ...], str]]:
    scores = scale.scores()
    if any(a < b for a, b in itertools.pairwise(scores)):
        yield ((*loc, "responses"), "scores must not rise from best to worst")
    if scores[0] <= scores[-1]:
        yield ((*loc, "responses"), "the best answer must score more than the worst")
    seen: dict[str, str] = {}
    answers = [*scale.responses, *([scale.not_applicable] if scale.not_applicable else [])]
    for response in answers:
        for word in {normalise_text(w) for w in response_words(response)}:
            if word in seen and seen[word] != response.id:
                yield (
                    (*loc, "responses"),
                    f"{word!r} would mean both {seen[word]!r} and {response.id!r}",
                )
            seen[word] = response.id


def _check_labels(fw: Framework) -> Iterator[tuple[tuple[Any, ...], str]]:
    """Column headers are matched by id or label, so no two may fold to the same text."""
    from inspect_cli.fields import standard_fields

    seen: dict[str, str] = {}
    for field in standard_fields(fw):
        for word in {normalise_text(field.id), normalise_text(field.label)}:
            seen.setdefault(word, field.id)
    for si, stage in enumerate(fw.stages):
        for ii, ind in enumerate(stage.indicators):
            full = f"{stage.id}.{ind.id}"
            for word in {normalise_text(full), normalise_text(ind.label)}:
                if word in seen and seen[word] != full:
                    yield (
                        ("stages", si, "indicators", ii, "label"),
                        f"column header {word!r} would match both {seen[word]!r} and {full!r}",
                    )
                seen[word] = full

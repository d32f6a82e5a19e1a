"""Drawing a stratified random sample by area of practice from a case list, and the
note of how it was drawn.

The sample is either a fixed number per area or a total allocated in proportion to
each area's size (largest-remainder rounding, with a minimum per area).

The draw is reproducible and does not depend on row order: each area's cases are
sorted by case reference, then shuffled with ``numpy.random.default_rng([seed,
area number])`` (the area number is its id read as a number), and the first N of
the shuffled order are drawn. Each area has its own generator, so the cases drawn
in one area do not depend on the other areas, and asking for one more case in an
area keeps the cases already drawn.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

from inspect_cli.errors import InspectError, UsageError
from inspect_cli.fields import standard_fields
from inspect_cli.frameworks import Framework
from inspect_cli.load import as_text
from inspect_cli.sampling.candidates import (
    Candidate,
    CandidateColumns,
    CaseList,
    ListSource,
)
from inspect_cli.sampling.columns import draw_columns

DEFAULT_AUDIT_TYPE = "self-assessment"


class SampleError(InspectError):
    """A sample that cannot be drawn as asked (exit code 1); ``details`` say why."""


@dataclass(frozen=True)
class AreaDraw:
    area: str
    label: str
    frame: int
    """Cases of this area in the list."""
    asked: int
    """Cases asked for (fixed number, or the proportional allocation)."""
    drawn: int


@dataclass(frozen=True)
class SampleNote:
    """How a sample was drawn: enough to draw it again and to explain it."""

    seed: int
    method: str
    areas: tuple[AreaDraw, ...]
    warnings: tuple[str, ...]
    framework: str
    sources: tuple[ListSource, ...]
    tool: str
    list_total: int
    """Cases in the list, in every area."""
    scope: str
    """Which areas were sampled, in words."""

    @property
    def frame_total(self) -> int:
        """Cases in the list in the areas sampled."""
        return sum(a.frame for a in self.areas)

    @property
    def drawn_total(self) -> int:
        return sum(a.drawn for a in self.areas)

    def rows(self) -> list[tuple[str, str]]:
        """(label, value) lines, for the 'Sample' sheet and the terminal."""
        lines: list[tuple[str, str]] = [
            ("How this sample was drawn", ""),
            ("Drawn by", self.tool),
            ("Framework", self.framework),
            *(
                ("Case list", f"{s.name} ({s.rows:,} rows; sha256 {s.sha256})")
                for s in self.sources
            ),
            ("Seed", str(self.seed)),
            ("Method", self.method),
            ("Areas sampled", self.scope),
            ("Cases in the list", f"{self.list_total:,}"),
            ("Cases drawn", f"{self.drawn_total:,}"),
            ("", ""),
            ("Area of practice", "in the list / asked / drawn"),
            *((a.label, f"{a.frame:,} / {a.asked:,} / {a.drawn:,}") for a in self.areas),
        ]
        if self.warnings:
            lines.append(("", ""))
            lines.extend(("Warning", w) for w in self.warnings)
        return lines


@dataclass(frozen=True)
class Sample:
    framework: Framework
    cases: tuple[Candidate, ...]
    """Drawn cases, by area (in the framework's order), then case reference."""
    note: SampleNote

    def title_force(self, force: str | None = None) -> str | None:
        """The force named in the workbook's title: the one given, or else the one force
        every drawn case belongs to (none when they belong to several)."""
        forces = {c.force for c in self.cases}
        return force or (forces.pop() if len(forces) == 1 else None)

    def template_rows(
        self, force: str | None = None, audit_type: str | None = None
    ) -> list[dict[str, str]]:
        """Rows for :func:`inspect_cli.template.write_template`, keyed by column id.

        The force is the list's, else ``force``; the audit type is ``audit_type`` (the
        audit the sample is drawn for), else the list's, else self-assessment; the area
        is its label; dates are ISO text (the loader reads it).
        """
        fw = self.framework
        fields = {f.id: f for f in standard_fields(fw)}
        grades = {g.id: g.label for g in fw.case_grades}
        rows: list[dict[str, str]] = []
        for case in self.cases:
            row = {"case_ref": case.case_ref, "area_of_practice": fw.area_by_id[case.area].label}
            for field_id, value in case.fields.items():
                kind = fields[field_id].kind
                row[field_id] = grades.get(value, value) if kind == "grade" else as_text(value)
            if not row.get("force") and force:
                row["force"] = force
            if audit_type:
                row["audit_type"] = audit_type
            row.setdefault("audit_type", DEFAULT_AUDIT_TYPE)
            rows.append(row)
        return rows


def allocate(frames: Mapping[str, int], total: int, floors: Mapping[str, int]) -> dict[str, int]:
    """Share ``total`` among areas in proportion to their ``frames``.

    Each area gets at least its floor and at most its frame; shares are rounded by
    largest remainder (ties: larger frame first, then the order of ``frames``).
    Needs ``sum(floors) <= total <= sum(frames)`` and ``floors[a] <= frames[a]``.
    """
    if not sum(floors.values()) <= total <= sum(frames.values()):
        raise ValueError("total outside the floors and frames")
    if any(floors[a] > frames[a] for a in frames):
        raise ValueError("a floor above its frame")
    position = {a: i for i, a in enumerate(frames)}
    fixed: dict[str, int] = {}
    shares: dict[str, Fraction] = {}
    while True:
        free = [a for a in frames if a not in fixed]
        rest = total - sum(fixed.values())
        pool = sum(frames[a] for a in free)
        shares = {a: Fraction(rest * frames[a], pool) if pool else Fraction(0) for a in free}
        low = [a for a in free if shares[a] < floors[a]]
        if not low:
            break
        fixed.update((a, floors[a]) for a in low)
    result = {a: math.floor(s) for a, s in shares.items()}
    result.update(fixed)
    left = total - sum(result.values())
    order = sorted(
        shares, key=lambda a: (-(shares[a] - result[a]), -frames[a], position[a])
    ) + sorted(fixed, key=lambda a: position[a])
    while left > 0:  # one pass suffices; the loop only guards against a short pass
        before = left
        for a in order:
            if left and result[a] < frames[a]:
                result[a] += 1
                left -= 1
        if left == before:
            raise ValueError("cannot allocate the total")
    return {a: result[a] for a in frames}


def _shuffled(cases: Sequence[Candidate], seed: int, area: str) -> list[Candidate]:
    import numpy as np

    ordered = sorted(cases, key=Candidate.sort_key)
    rng = np.random.default_rng([seed, int.from_bytes(area.encode("utf-8"), "big")])
    return [ordered[int(i)] for i in rng.permutation(len(ordered))]


def draw_cases(
    cases: Sequence[Candidate], chosen: Sequence[str], counts: Mapping[str, int], seed: int
) -> list[Candidate]:
    """The cases drawn, by area (in ``chosen`` order), then by case reference and force.

    A column-wise list is drawn column-wise (:func:`~inspect_cli.sampling.columns.draw_columns`);
    any other sequence one case at a time, which is the reference that path equals.
    """
    if isinstance(cases, CandidateColumns):
        return draw_columns(cases, chosen, counts, seed)
    by_area: dict[str, list[Candidate]] = {a: [] for a in chosen}
    for case in cases:
        if case.area in by_area:
            by_area[case.area].append(case)
    drawn: list[Candidate] = []
    for a in chosen:
        drawn += sorted(_shuffled(by_area[a], seed, a)[: counts[a]], key=Candidate.sort_key)
    return drawn


def draw_sample(
    case_list: CaseList,
    per_area: int | None = None,
    total: int | None = None,
    min_per_area: int = 1,
    seed: int = 0,
    areas: Sequence[str] | None = None,
    *,
    take_all_small: bool = False,
) -> Sample:
    """Draw a stratified random sample by area of practice.

    Exactly one of ``per_area`` (a fixed number per area) or ``total`` (allocated in
    proportion to each area's number of cases, at least ``min_per_area`` each) is
    given. ``areas`` (ids) limits the sample to those areas; without it, every area
    with cases in the list is sampled. An area with fewer cases than asked is a
    :class:`SampleError` naming each such area, unless ``take_all_small``: then all
    its cases are taken and the note says so.
    """
    from inspect_cli import __version__

    fw = case_list.framework
    if (per_area is None) == (total is None):
        raise UsageError("give either a number per area or a total, not both or neither")
    if per_area is not None and per_area < 1:
        raise UsageError("the number per area must be at least 1")
    if total is not None and total < 1:
        raise UsageError("the total must be at least 1")
    if min_per_area < 0 or seed < 0:
        raise UsageError("the minimum per area and the seed cannot be negative")
    if not case_list.ok:
        raise SampleError(
            "the case list has errors; fix them before drawing a sample",
            details=tuple(f"{p.location()}: {p.message}" for p in case_list.errors[:10]),
        )
    sizes = case_list.frame_sizes()
    if areas:
        chosen = [a.id for a in fw.areas_of_practice if a.id in set(areas)]
        unknown = sorted(set(areas) - set(sizes))
        if unknown:
            raise UsageError(f"unknown area of practice: {', '.join(unknown)}")
    else:
        chosen = [a for a, n in sizes.items() if n]
    if not chosen:
        raise SampleError("the case list has no cases to sample")
    label = {a.id: a.label for a in fw.areas_of_practice}
    floor = per_area if per_area is not None else min_per_area
    small = [a for a in chosen if sizes[a] < floor]
    if small and not take_all_small:
        raise SampleError(
            f"{len(small)} area(s) of practice have fewer cases in the list than asked",
            details=(
                *(f"{label[a]}: {sizes[a]:,} case(s) in the list, {floor:,} asked" for a in small),
                "Use --take-all-small to take every case of such areas, or ask for fewer.",
            ),
        )
    warnings = [
        f"{label[a]}: only {sizes[a]:,} case(s) in the list, {floor:,} asked; all taken"
        for a in small
    ]
    if per_area is not None:
        asked = {a: per_area for a in chosen}
        counts = {a: min(per_area, sizes[a]) for a in chosen}
        method = f"fixed number per area: {per_area:,} per area of practice"
    else:
        assert total is not None
        counts, asked = _proportional(sizes, chosen, total, min_per_area, label)
        method = (
            f"proportional to each area's cases in the list: total {total:,}, at least "
            f"{min_per_area:,} per area, largest-remainder rounding"
        )
    method += (
        "; each area's cases sorted by case reference, shuffled with "
        "numpy.random.default_rng([seed, area id as a number]), first N drawn"
    )
    if not areas:
        warnings += [
            f"{a.label}: no cases in the list; not sampled"
            for a in fw.areas_of_practice
            if not sizes[a.id]
        ]
    drawn = draw_cases(case_list.cases, chosen, counts, seed)
    shown = [a for a in (x.id for x in fw.areas_of_practice) if a in chosen or not areas]
    note = SampleNote(
        seed=seed,
        method=method,
        areas=tuple(
            AreaDraw(a, label[a], sizes[a], asked.get(a, 0), counts.get(a, 0)) for a in shown
        ),
        warnings=tuple(warnings),
        framework=f"{fw.id} {fw.version} ({fw.title})",
        sources=case_list.sources,
        tool=f"inspect-cli {__version__}",
        list_total=len(case_list.cases),
        scope=", ".join(label[a] for a in chosen) if areas else "every area with cases in the list",
    )
    return Sample(fw, tuple(drawn), note)


def _proportional(
    sizes: Mapping[str, int],
    chosen: Sequence[str],
    total: int,
    min_per_area: int,
    label: Mapping[str, str],
) -> tuple[dict[str, int], dict[str, int]]:
    frames = {a: sizes[a] for a in chosen}
    available = sum(frames.values())
    if total > available:
        raise SampleError(
            f"asked for {total:,} cases, but the list has only {available:,} in the areas sampled",
            details=("Ask for a smaller --total.",),
        )
    floors = {a: min(min_per_area, frames[a]) for a in chosen}
    if sum(floors.values()) > total:
        raise SampleError(
            f"a total of {total:,} cannot give {min_per_area:,} case(s) to each of "
            f"{len(chosen)} areas of practice (that needs {sum(floors.values()):,})",
            details=(
                "Ask for a larger --total, a smaller --min-per-area, or fewer areas (--area).",
                *(f"{label[a]}: {frames[a]:,} case(s) in the list" for a in chosen),
            ),
        )
    counts = allocate(frames, total, floors)
    return counts, dict(counts)

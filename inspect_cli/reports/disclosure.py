"""One disclosure model per published report, and the suppression chosen over it.

Every count a published report shows (a cell, a row or column total, the Total row,
a group of a breakdown, an "applicable" base, a completeness count …) is a *figure*:
the sum of some *atoms*, the unknown whole-number counts a reader would like to know
(e.g. "cases of force F graded good"). Atoms are tied together by *links*: facts a
reader knows without being told, such as "the groups of a breakdown add up to the
force's count of each grade" or "a stage applies to at most every case of the force".

A reader who sees some figures knows, for each hidden one, only the range of values
consistent with everything shown. :func:`protect` hides every figure from 1 to
``threshold - 1`` (primary suppression), then hides further figures until, by linear
programming over the whole model, no hidden figure is pinned to one value and every
primary-suppressed figure's range is at least ``threshold`` wide; an integer
programme (HiGHS through :func:`scipy.optimize.milp`) then confirms the ranges for
whole numbers. Percentages, intervals and findings are not figures here: the report
hides each one whose count or base is hidden (see :mod:`inspect_cli.reports.publish`).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field

from inspect_cli.reports.reader import Equation, Equations, Range, Span

FigureKey = tuple[Hashable, ...]
__all__ = ["Figure", "FigureKey", "Model", "Range", "protect", "ranges"]
ZERO_COST = 10_000  # a hidden zero can only move up: poor cover, chosen last
CELL, TOTAL, HEADLINE = 1, 2, 3
"""Figure weights: a cell of a detailed table is hidden before a total, and a total
before a headline figure (a force's own counts, the report's totals)."""


@dataclass(frozen=True)
class Figure:
    terms: tuple[int, ...]  # the atoms it adds up
    value: int
    weight: int  # CELL, TOTAL or HEADLINE: what hiding it costs the reader


@dataclass
class Model:
    """Atoms, links and figures; built by the publishers, read by :func:`protect`."""

    atoms: dict[Hashable, int] = field(default_factory=dict)
    links: dict[Hashable, tuple[tuple[int, ...], tuple[int, ...]]] = field(default_factory=dict)
    figures: dict[FigureKey, Figure] = field(default_factory=dict)
    floors: dict[Hashable, tuple[tuple[int, ...], int, int]] = field(default_factory=dict)

    def atom(self, name: Hashable) -> int:
        return self.atoms.setdefault(name, len(self.atoms))

    def link(self, name: Hashable, left: Iterable[Hashable], right: Iterable[Hashable]) -> None:
        """Known to every reader: the atoms ``left`` add up to the atoms ``right``."""
        self.links.setdefault(
            name, (tuple(self.atom(a) for a in left), tuple(self.atom(a) for a in right))
        )

    def at_least(self, name: Hashable, atoms: Iterable[Hashable], least: int) -> None:
        """Known to every reader: the atoms add up to at least ``least`` (a group is
        listed only when it has a case). Kept as an equation with a slack count."""
        terms = tuple(self.atom(a) for a in atoms)
        self.floors.setdefault(name, (terms, self.atom(("floor", name)), least))

    def figure(
        self, key: FigureKey, atoms: Iterable[Hashable], value: int, *, weight: int = CELL
    ) -> None:
        terms = tuple(sorted({self.atom(a) for a in atoms}))
        known = self.figures.get(key)
        if known is not None and (known.terms, known.value) != (terms, value):
            raise ValueError(f"figure {key!r} defined twice with different sums")
        self.figures[key] = Figure(terms, int(value), weight)


def equations(model: Model, hidden: Iterable[FigureKey], near: set[int] | None = None) -> Equations:
    """What a reader of the figures not in ``hidden`` knows, as equations (only those
    touching the atoms ``near``, when given: a quick local look)."""
    gone = set(hidden)
    found: dict[Hashable, Equation] = {}
    for name, (left, right) in model.links.items():
        if near is not None and near.isdisjoint(left + right):
            continue
        coefs: dict[int, float] = {}
        for atom in left:
            coefs[atom] = coefs.get(atom, 0.0) + 1.0
        for atom in right:
            coefs[atom] = coefs.get(atom, 0.0) - 1.0
        found[("link", name)] = (coefs, 0.0)
    for name, (terms, slack, least) in model.floors.items():
        if near is None or not near.isdisjoint(terms):
            found[("floor", name)] = ({**dict.fromkeys(terms, 1.0), slack: -1.0}, float(least))
    for key, fig in model.figures.items():
        if key not in gone and (near is None or not near.isdisjoint(fig.terms)):
            found[key] = (dict.fromkeys(fig.terms, 1.0), float(fig.value))
    return Equations(found)


def ranges(model: Model, hidden: Iterable[FigureKey]) -> dict[FigureKey, Range]:
    """Each hidden figure's smallest and largest whole-number value consistent with
    everything else the model shows."""
    gone = sorted(set(hidden), key=repr)
    reader = equations(model, gone)
    cache: dict[object, Span] = {}
    return {
        key: reader.span(model.figures[key].terms, integer=True, cache=cache).range for key in gone
    }


def primary(model: Model, threshold: int) -> set[FigureKey]:
    """Figures from 1 to ``threshold - 1``: each describes a handful of children."""
    return {k for k, f in model.figures.items() if 0 < f.value < threshold}


def protect(
    model: Model, threshold: int, *, hidden: Iterable[FigureKey] = ()
) -> frozenset[FigureKey]:
    """Which figures to hide: the small ones, and enough others that none can be worked
    out (see the module docstring). ``hidden``: figures hidden for other reasons."""
    small = primary(model, threshold)
    chosen = small | set(hidden)
    checked = _Checked()
    for _ in range(len(model.figures) + 1):
        # Cheap first: figures the equations pin without any solver; then the ranges.
        reader = equations(model, chosen)
        exposed = _pinned(model, chosen, reader) or _exposed(
            model, chosen, small, threshold, checked, reader
        )
        if not exposed:
            return frozenset(chosen)
        _hide_more(model, chosen, small, exposed)
    raise AssertionError("suppression did not settle")  # each pass hides one more figure


Exposed = list[tuple[FigureKey, frozenset[Hashable]]]
"""Figures not yet safe, each with the shown figures that hold it in place."""


def _hide_more(
    model: Model, chosen: set[FigureKey], small: set[FigureKey], exposed: Exposed
) -> None:
    """Hide a figure for each exposed one, the smallest first; a figure that covers
    several exposed ones at once is preferred, then the cheapest (see _cost). An
    exposed figure that a figure hidden earlier in this pass may cover waits."""
    exposed.sort(key=lambda e: (e[0] not in small, model.figures[e[0]].value, repr(e[0])))
    added: set[Hashable] = set()
    for target, culprits in exposed:
        if culprits & added:
            continue
        pool = (
            ({k for k in culprits if k in model.figures} - chosen)
            or (_neighbours(model, target) - chosen)
            or (set(model.figures) - chosen)
        )
        if not pool:  # everything hidden: nothing shown can pin a figure
            raise AssertionError(f"figure {target!r} exposed with every figure hidden")
        helps = {k: sum(k in c for _, c in exposed) for k in pool}
        pick = min(pool, key=lambda k: (model.figures[k].weight, -helps[k], *_cost(model, k)))
        if model.figures[pick].weight == HEADLINE:
            pick = _lighter(model, chosen, target, pick) or pick
        chosen.add(pick)
        added.add(pick)


LOOKAHEAD = 6
"""How many lighter figures to try before hiding a headline figure."""


def _lighter(
    model: Model, chosen: set[FigureKey], target: FigureKey, heavy: FigureKey
) -> FigureKey | None:
    """A lighter figure near ``target`` whose hiding widens its range, if one of the
    cheapest few does: the solver names one binding figure where several may bind,
    and a headline figure is worth a few trial solves to keep."""
    terms = model.figures[target].terms
    near = _near(model, set(terms))
    now = equations(model, chosen, near).span(terms, integer=False, cache={}).range.width
    lighter = [
        k
        for k in _neighbours(model, target) - chosen
        if model.figures[k].weight < model.figures[heavy].weight
    ]
    for k in sorted(lighter, key=lambda k: _cost(model, k))[:LOOKAHEAD]:
        trial = equations(model, chosen | {k}, near).span(terms, integer=False, cache={})
        if trial.range.width > now + 1e-9:
            return k
    return None


def _pinned(model: Model, chosen: set[FigureKey], reader: Equations) -> Exposed:
    """Hidden figures whose every atom the shown equations fix, one by one."""
    out = []
    for key in sorted(chosen, key=repr):
        terms = model.figures[key].terms
        if all(a in reader.fixed for a in terms):
            out.append((key, frozenset().union(*(reader.fixed_by[a] for a in terms))))
    return out


@dataclass
class _Checked:
    """Figures already found safe. Hiding more figures takes equations away, so a
    range can only widen: a figure once safe stays safe and is not solved again."""

    real: set[FigureKey] = field(default_factory=set)
    whole: set[FigureKey] = field(default_factory=set)
    cache: dict[object, Span] = field(default_factory=dict)


def _exposed(
    model: Model,
    chosen: set[FigureKey],
    small: set[FigureKey],
    threshold: int,
    checked: _Checked,
    reader: Equations,
) -> Exposed:
    order = sorted(chosen, key=repr)
    need = {key: threshold if key in small else 1 for key in order}
    out = []
    for key in order:
        if key in checked.real:
            continue
        span = reader.span(model.figures[key].terms, integer=False, cache=checked.cache)
        if span.range.width < need[key] - 1e-9:
            out.append((key, span.binding))
        else:
            checked.real.add(key)
            if span.whole:  # both ends reached by whole numbers: the integer range too
                checked.whole.add(key)
    if out:
        return out
    # Real solutions leave room; whole numbers may not: confirm by integer programming.
    for key in order:
        if key in checked.whole:
            continue
        span = reader.span(model.figures[key].terms, integer=True, cache=checked.cache)
        if span.range.width < need[key]:
            checked.real.discard(key)
            out.append((key, span.binding))
        else:
            checked.whole.add(key)
    return out


def _near(model: Model, atoms: set[int]) -> set[int]:
    """``atoms`` and every atom two equations (links or figures) away from them."""
    for _ in range(2):
        grown = set(atoms)
        for left, right in model.links.values():
            if not atoms.isdisjoint(left + right):
                grown |= set(left + right)
        for fig in model.figures.values():
            if not atoms.isdisjoint(fig.terms):
                grown |= set(fig.terms)
        atoms = grown
    return atoms


def _neighbours(model: Model, key: FigureKey) -> set[FigureKey]:
    """Figures sharing an atom with ``key``'s atoms or with a link touching them."""
    atoms = set(model.figures[key].terms)
    for left, right in model.links.values():
        if atoms & set(left + right):
            atoms |= set(left + right)
    return {k for k, f in model.figures.items() if atoms & set(f.terms) and k != key}


def _cost(model: Model, key: FigureKey) -> tuple[int, int, str]:
    """Cells before totals before headline figures; small counts before large; zeros last."""
    fig = model.figures[key]
    return (fig.weight, fig.value or ZERO_COST, repr(key))

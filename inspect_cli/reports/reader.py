"""What a reader can work out from the figures a report shows.

The reader's equations are every link and every shown figure, over whole-number
counts that cannot be negative. Before any solver runs they are reduced: a count
that one equation leaves no choice about is fixed (and so are the counts of a sum
shown as zero), and what is left splits into independent groups of equations. The
range of a hidden figure is then two small linear (or integer) programmes over its
own groups, HiGHS (:mod:`~inspect_cli.reports.ranges`); the groups do not change when a figure elsewhere is
hidden, so their answers are reused (:class:`Ranges`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass

import numpy as np

FigureKey = tuple[Hashable, ...]
Equation = tuple[dict[int, float], float]  # coefficients by atom, right-hand side


@dataclass(frozen=True)
class Range:
    low: float
    high: float  # inf when nothing shown bounds it

    @property
    def width(self) -> float:
        return self.high - self.low


@dataclass(frozen=True)
class Span:
    """A hidden figure's range, and the shown figures that hold it there."""

    range: Range
    binding: frozenset[Hashable]
    whole: bool = True
    """Both ends are reached by whole-number counts (so no integer programme is needed)."""


class Equations:
    """The reader's equations with the hidden figures left out, reduced."""

    def __init__(self, equations: Mapping[Hashable, Equation]) -> None:
        self.equations = dict(equations)
        self.fixed: dict[int, float] = {}
        self.fixed_by: dict[int, frozenset[Hashable]] = {}
        # Each equation's atoms not yet fixed, and its right-hand side less the fixed.
        self.free = {k: {a: c for a, c in co.items() if c != 0} for k, (co, _) in equations.items()}
        self.rest = {k: rhs for k, (_, rhs) in equations.items()}
        self._propagate()
        self.group_of: dict[int, int] = {}
        self.groups: dict[int, list[Hashable]] = defaultdict(list)
        self._split()
        self._systems: dict[
            tuple[Hashable, ...],
            tuple[list[frozenset[Hashable]], dict[int, int], np.ndarray, np.ndarray],
        ] = {}

    def _remaining(self, key: Hashable) -> tuple[dict[int, float], float, frozenset[Hashable]]:
        coefs, _ = self.equations[key]
        sources = frozenset({key}).union(*(self.fixed_by[a] for a in coefs if a in self.fixed))
        return self.free[key], self.rest[key], sources

    def _propagate(self) -> None:
        by_atom: dict[int, list[Hashable]] = defaultdict(list)
        for key, free in self.free.items():
            for a in free:
                by_atom[a].append(key)
        todo = list(self.equations)
        while todo:
            key = todo.pop()
            free, rest = self.free[key], self.rest[key]
            if not free:
                continue
            if len(free) == 1:
                ((atom, c),) = free.items()
                settled = {atom: rest / c}
            elif abs(rest) < 1e-9 and len({c > 0 for c in free.values()}) == 1:
                settled = dict.fromkeys(free, 0.0)  # a sum of counts shown as zero
            else:
                continue
            _, _, sources = self._remaining(key)
            for atom, value in settled.items():
                self.fixed[atom] = value
                self.fixed_by[atom] = sources
                for other in by_atom[atom]:
                    c = self.free[other].pop(atom)
                    self.rest[other] -= c * value
                    todo.append(other)

    def _split(self) -> None:
        parent: dict[int, int] = {}

        def find(a: int) -> int:
            while parent.setdefault(a, a) != a:
                parent[a] = parent[parent[a]]
                a = parent[a]
            return a

        live = []
        for key in self.equations:
            free = self.free[key]
            if free:
                atoms = list(free)
                for a in atoms[1:]:
                    parent[find(a)] = find(atoms[0])
                live.append((key, atoms[0]))
        for key, atom in live:
            self.groups[find(atom)].append(key)
        self.group_of = {a: find(a) for a in parent}

    def span(self, terms: Iterable[int], *, integer: bool, cache: dict[object, Span]) -> Span:
        """The range of the sum of ``terms`` over what the reader knows."""
        terms = list(terms)
        constant = sum(self.fixed[a] for a in terms if a in self.fixed)
        free = [a for a in terms if a not in self.fixed]
        fixed_sources = frozenset().union(*(self.fixed_by[a] for a in terms if a in self.fixed))
        if not free:
            return Span(Range(constant, constant), fixed_sources)
        if any(a not in self.group_of for a in free):
            return Span(Range(constant, float("inf")), fixed_sources)  # in no equation
        roots = sorted({self.group_of[a] for a in free})
        keys = tuple(k for r in roots for k in self.groups[r])
        memo = (frozenset(free), frozenset(keys), integer)
        if memo not in cache:
            cache[memo] = self._solve(free, keys, integer)
        found = cache[memo]
        shifted = Range(found.range.low + constant, found.range.high + constant)
        return Span(shifted, found.binding | fixed_sources, found.whole)

    def _system(
        self, keys: tuple[Hashable, ...]
    ) -> tuple[list[frozenset[Hashable]], dict[int, int], np.ndarray, np.ndarray]:
        """The equations of ``keys`` as a matrix (the same for every figure in the group,
        so built once): each row's sources, each atom's column, A and b."""
        if keys not in self._systems:
            rows = [self._remaining(k) for k in keys]
            atoms = sorted({a for coefs, _, _ in rows for a in coefs})
            column = {a: i for i, a in enumerate(atoms)}
            a_eq = np.zeros((len(rows), len(atoms)))
            b_eq = np.array([rest for _, rest, _ in rows])
            for i, (coefs, _, _) in enumerate(rows):
                for atom, c in coefs.items():
                    a_eq[i, column[atom]] = c
            self._systems[keys] = ([s for _, _, s in rows], column, a_eq, b_eq)
        return self._systems[keys]

    def _solve(self, free: list[int], keys: tuple[Hashable, ...], integer: bool) -> Span:
        from inspect_cli.reports.ranges import Infeasible, extremes

        sources, column, a_eq, b_eq = self._system(keys)
        objective = np.zeros(len(column))
        objective[[column[a] for a in free]] = 1.0
        try:
            low, high = extremes(a_eq, b_eq, objective, integer=integer)
        except Infeasible as e:
            raise ValueError(f"the published figures are inconsistent: {e}") from None
        assert low.value is not None
        binding = frozenset(
            key
            for end in (low, high)
            if end.duals is not None
            for held, m in zip(sources, end.duals, strict=True)
            if abs(m) > 1e-9
            for key in held
        )
        # A vertex of whole numbers at both ends: the integer range is the same.
        whole = integer or all(
            end.at is None or bool(np.allclose(end.at, np.round(end.at), atol=1e-9))
            for end in (low, high)
        )
        lower = low.value
        upper = high.value if high.value is not None else float("inf")
        if integer:
            lower, upper = round(lower), upper if upper == float("inf") else round(upper)
        return Span(Range(lower, upper), binding, whole)

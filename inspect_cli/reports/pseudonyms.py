"""Pseudonyms for forces: 'Force A', 'Force B', … drawn at random, or taken from a key.

The letters follow a random permutation drawn at run time from the operating
system's randomness (:class:`random.SystemRandom`), never from the names: anyone who
knows which forces were inspected must not be able to rebuild the key. Tests pass
their own ``rng``. A key file (:mod:`inspect_cli.key_file`) keeps the letters from
one run to the next.

Forces match by identity key (:func:`inspect_cli.identity.force_key`), so every
spelling of a force gets its letter. Imported at start-up: nothing heavy here.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from inspect_cli import problems as P
from inspect_cli.errors import InspectError
from inspect_cli.identity import force_key, shown

if TYPE_CHECKING:
    import random

PSEUDONYM = re.compile(r"Force [A-Z]+")
"""A pseudonym as this tool writes it: 'Force ' and capital letters."""


def letters(index: int) -> str:
    """The ``index``-th letters (from 0): A … Z, AA … ZZ, AAA …, as spreadsheet columns."""
    out = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        out = string.ascii_uppercase[rest] + out
    return out


def random_source() -> random.Random:
    """The operating system's randomness: no seed, nothing a reader could repeat."""
    import random

    return random.SystemRandom()


def anonymise(forces: Iterable[str], rng: random.Random | None = None) -> dict[str, str]:
    """Each name of ``forces`` → 'Force A', 'Force B', … in a random order.

    One letter per force however it is spelt; the letters A, B, … (as many as there
    are forces) are dealt by a permutation drawn from ``rng`` (default
    :func:`random_source`), so they say nothing about the names."""
    names = list(dict.fromkeys(forces))
    keys = sorted({force_key(n) for n in names})  # sorted: a given rng deals the same way
    dealt = [f"Force {letters(i)}" for i in range(len(keys))]
    (rng or random_source()).shuffle(dealt)
    by_key = dict(zip(keys, dealt, strict=True))
    return {name: by_key[force_key(name)] for name in names}


def from_key(forces: Iterable[str], key: Mapping[str, str], source: str) -> dict[str, str]:
    """Each name of ``forces`` → its pseudonym in ``key`` (identity key → pseudonym),
    read from the key file ``source``.

    A force the key does not list is refused: giving it a letter here would leave the
    key file, which is never rewritten, unable to say which force it is."""
    names = list(dict.fromkeys(forces))
    missing = [n for n in names if force_key(n) not in key]
    if missing:
        problem = P.FORCE_NOT_IN_KEY.at(
            source, key_file=source, names=", ".join(map(shown, missing)), count=len(missing)
        )
        raise InspectError(
            problem.message,
            details=(
                f"the key file {source} is an input: it is never changed",
                "to draw new letters for every force, give --key-file a file name that "
                "does not exist yet (the letters then differ from those in the old key)",
                f"to keep the old letters, add a row to {source} for each force, with a "
                "letter no row uses and that says nothing about the name",
            ),
        )
    return {name: key[force_key(name)] for name in names}


def pseudonym_of(name: str, names: Mapping[str, str]) -> str:
    """How a force named on the command line is shown: its pseudonym when ``names``
    (real name → pseudonym) has it under any spelling, else ``name`` (a pseudonym)."""
    key = force_key(name)
    return next((p for real, p in names.items() if force_key(real) == key), name)

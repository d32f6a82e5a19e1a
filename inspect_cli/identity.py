"""Entity identity, decided once: when two spellings name the same force or case.

A force's identity key is its name after Unicode NFKC (full-width letters, ligatures
and the like become plain ones), with invisible characters removed (zero-width
space and joiners, word joiner, byte order mark, soft hyphen, every other
format character, variation selectors and blank fillers), whitespace of any kind (the no-break space too) collapsed to one
space and stripped, and case folded. ``Force C``, ``FORCE C``, ``Force  C`` and
``Force\u200bC`` with a zero-width space all have the key ``force c``.

Look-alike letters are not folded: a name that mixes Latin letters with Cyrillic or
Greek ones (``Force \u0421``, a Cyrillic Es) is reported, and its *skeleton* (each
common Cyrillic and Greek look-alike replaced by the Latin letter it resembles)
says which other name it is posing as.

Case references are cleaned, not folded: NFKC, invisible characters removed,
whitespace stripped; their letter case still counts.

Every place that groups, matches or selects forces goes through :func:`force_key`;
this module imports nothing heavy, so the command line may use it at start-up.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable

INVISIBLE = frozenset("\u00ad\u200b\u200c\u200d\u2060\ufeff")
"""Named here for the docs; every other format (Cf) character is removed as well."""

# Unicode's default-ignorable characters that are not format (Cf) characters, and the
# blank braille cell: they show as nothing, so ``Force 2`` + U+FE0F (a variation
# selector) or U+3164 (Hangul filler) must not be another force.
_IGNORABLE = frozenset(
    "\u034f\u115f\u1160\u17b4\u17b5\u180b\u180c\u180d\u180f\u2800\u3164\uffa0"
    + "".join(map(chr, range(0xFE00, 0xFE10)))
    + "".join(map(chr, range(0xE0100, 0xE01F0)))
)

_SPACES = re.compile(r"\s+")

# The common Cyrillic and Greek letters that look like Latin ones, after case folding
# (the keys are folded, so lower case is enough). Source: Unicode's confusables.txt,
# cut to the letters a keyboard layout switch or a pasted name brings in.
_LOOKALIKES = {
    # Cyrillic
    "\u0430": "a",
    "\u0432": "b",
    "\u0441": "c",
    "\u0435": "e",
    "\u0451": "e",
    "\u043d": "h",
    "\u0456": "i",
    "\u0457": "i",
    "\u0458": "j",
    "\u043a": "k",
    "\u043c": "m",
    "\u043e": "o",
    "\u0440": "p",
    "\u0455": "s",
    "\u0442": "t",
    "\u0443": "y",
    "\u0445": "x",
    "\u04bb": "h",
    "\u0501": "d",
    "\u051b": "q",
    "\u051d": "w",
    # Greek
    "\u03b1": "a",
    "\u03b2": "b",
    "\u03b5": "e",
    "\u03b6": "z",
    "\u03b7": "n",
    "\u03b9": "i",
    "\u03ba": "k",
    "\u03bc": "m",
    "\u03bd": "v",
    "\u03bf": "o",
    "\u03c1": "p",
    "\u03c4": "t",
    "\u03c5": "u",
    "\u03c7": "x",
}


def _visible(text: str) -> str:
    return "".join(
        ch
        for ch in text
        if ch not in INVISIBLE and ch not in _IGNORABLE and unicodedata.category(ch) != "Cf"
    )


def clean_text(text: str) -> str:
    """NFKC, invisible characters removed, whitespace stripped (case kept): a case reference."""
    return _visible(unicodedata.normalize("NFKC", text)).strip()


def tidy_name(name: str) -> str:
    """A force name as reports show it: NFKC, invisible characters removed, whitespace
    collapsed and stripped; its letter case kept."""
    return _SPACES.sub(" ", _visible(unicodedata.normalize("NFKC", name))).strip()


@functools.lru_cache(maxsize=4096)
def force_key(name: str) -> str:
    """The identity key of a force name: equal keys are the same force. Cached: callers
    key every row of a case list, and a list names only a few forces."""
    return tidy_name(name).casefold()


def skeleton(key: str) -> str:
    """``key`` with each common Cyrillic or Greek look-alike read as its Latin letter."""
    return "".join(_LOOKALIKES.get(ch, ch) for ch in key)


def _script(ch: str) -> str | None:
    """The script of a letter, as far as look-alikes go: LATIN, CYRILLIC, GREEK or other."""
    if not ch.isalpha():
        return None
    name = unicodedata.name(ch, "")
    return next((s for s in ("LATIN", "CYRILLIC", "GREEK") if name.startswith(s)), "OTHER")


def lookalike_letters(name: str) -> list[str]:
    """The Cyrillic or Greek letters of a name that also has Latin letters, described
    ('U+0421 CYRILLIC CAPITAL LETTER ES'); empty when the name is in one script."""
    text = unicodedata.normalize("NFKC", name)
    scripts = {_script(ch) for ch in text} - {None}
    if "LATIN" not in scripts or not scripts & {"CYRILLIC", "GREEK"}:
        return []
    odd = dict.fromkeys(ch for ch in text if _script(ch) in ("CYRILLIC", "GREEK"))
    return [f"U+{ord(ch):04X} {unicodedata.name(ch)}" for ch in odd]


def shown(text: str) -> str:
    """A spelling as a person can tell it apart: quoted, with invisible characters and
    unusual spaces written as <U+200B>."""

    def one(ch: str) -> str:
        if ch == " " or (ch.isprintable() and not ch.isspace() and ch not in _IGNORABLE):
            return ch
        return f"<U+{ord(ch):04X}>"

    return "'" + "".join(one(ch) for ch in text) + "'"


def pick_display(spellings: Iterable[tuple[str, int]]) -> str:
    """The spelling a report shows: the most common; on a tie, the first seen.

    ``spellings`` are (spelling, count) in the order first seen."""
    best: tuple[str, int] | None = None
    for text, count in spellings:
        if best is None or count > best[1]:
            best = (text, count)
    if best is None:
        raise ValueError("no spelling")
    return best[0]

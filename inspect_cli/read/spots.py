"""Where a sheet's XML can hold a mark (an error cell, a formula, a merged range, a
hidden row), noted by the reach measure from the bytes it reads anyway, so that the
marks scan (:mod:`~inspect_cli.read.marks`) searches only the chunks that can hold one.

Every match of a marks pattern contains a *spot*: the ``=`` of ``t="e"``,
``hidden="1"``/``hidden="true"`` or ``ref="`` (an error cell, a hidden row, a merged
range), or the ``<`` of ``<f`` / the ``:`` of ``:f`` (a formula, prefixed or not). The
measure finds every ``=``, ``<f`` and ``:`` of the sheet, so a chunk with no spot holds
no mark and is skipped; a spot is a superset of a match (``ref=`` is also a
dimension's, ``<f>`` may stand outside a cell), so a chunk with one is searched as
before. Spots are kept per 4 KiB block, so their memory stays small on any sheet.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

ERROR, FORMULA, MERGE, HIDDEN = 1, 2, 4, 8
EVERY = ERROR | FORMULA | MERGE | HIDDEN
_BLOCK_BITS = 12

# After the name of an <f> element, as the marks scan's [\s>/] reads it.
_ENDS_F = np.zeros(256, dtype=bool)
_ENDS_F[[9, 10, 11, 12, 13, 32, ord(">"), ord("/")]] = True


def _word(text: bytes) -> int:
    return int.from_bytes(text, "big")


# Masks over the 8 bytes from an attribute's '=' - 5 (the bytes the measure reads): one
# comparison each, a little wider than the patterns (any quote, any value of hidden=).
_ERROR_MASK, _ERROR = _word(b"\0\0\0\0\xff\0\0\xff"), _word(b"\0\0\0\0t\0\0e")
_HIDDEN_MASK, _HIDDEN = _word(b"\xff" * 5 + b"\0\0\0"), _word(b"idden\0\0\0")
_REF_MASK, _REF = _word(b"\0\0\xff\xff\xff\0\0\0"), _word(b"\0\0ref\0\0\0")
_LOOK_BACK = 4096  # how far back a merge's tag start is looked for
_CHECKED = 64  # ref= spots checked one by one at most per chunk; more are all kept


class Spots(NamedTuple):
    """Spots in one buffer: their positions and kinds (``ERROR`` | ``FORMULA`` | …)."""

    at: np.ndarray
    kind: np.ndarray


def no_spots() -> Spots:
    return Spots(np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.uint8))


def unmeasured(start: int, stop: int) -> Spots:
    """Bytes the measure did not read: any mark may stand there."""
    at = np.array([start, max(start, stop - 1)], dtype=np.int64)
    return Spots(at, np.full(2, EVERY, dtype=np.uint8))


def find_spots(
    buf: bytes, a: np.ndarray, eq: np.ndarray, w: np.ndarray, colons: np.ndarray, lt_f: np.ndarray
) -> Spots:
    """Spots from the measure's own arrays: ``eq`` (every '='), ``w`` (the 8 bytes from
    each '=' - 5, big-endian), ``colons`` and ``lt_f`` (every ``<f``)."""
    errors = eq[(w & _ERROR_MASK) == _ERROR]  # t="e"
    hidden = eq[(w & _HIDDEN_MASK) == _HIDDEN]  # hidden="1"
    merges = _merges(buf, eq[(w & _REF_MASK) == _REF])  # ref="A1:B2"
    colon_f = colons[(a[colons + 1] == ord("f")) & _ENDS_F[a[colons + 2]]]
    formulas = np.concatenate([lt_f[_ENDS_F[a[lt_f + 2]]], colon_f])
    parts = [(errors, ERROR), (hidden, HIDDEN), (merges, MERGE), (formulas, FORMULA)]
    at = np.concatenate([p for p, _ in parts]).astype(np.int64)
    kind = np.concatenate([np.full(len(p), k, dtype=np.uint8) for p, k in parts])
    return Spots(at, kind)


def _merges(buf: bytes, refs: np.ndarray) -> np.ndarray:
    """The ``ref=`` that may be a merged range's: a ``mergeCell`` stands between the last
    ``>`` before it and it (the pattern's ``<mergeCell\\s[^>]*?\\bref=``). A ``<dimension
    ref=``, ``sqref=`` or shared formula's ``ref=`` is dropped; when unsure, kept."""
    if len(refs) > _CHECKED:
        return refs
    keep = []
    for at in refs.tolist():
        gt = buf.rfind(b">", max(0, at - _LOOK_BACK), at)
        if gt < 0 or b"mergeCell" in buf[gt + 1 : at]:
            keep.append(at)
    return np.array(keep, dtype=np.int64)


class SheetSpots:
    """A sheet's spots, by 4 KiB block of the whole part: which marks each can hold."""

    def __init__(self, found: list[tuple[int, Spots]]) -> None:
        """``found``: each measured buffer's offset in the part, and its spots."""
        at = np.concatenate([s.at + offset for offset, s in found] or [np.zeros(0, np.int64)])
        kind = np.concatenate([s.kind for _, s in found] or [np.zeros(0, np.uint8)])
        self.blocks, where = np.unique(at >> _BLOCK_BITS, return_inverse=True)
        self.kinds = np.zeros(len(self.blocks), dtype=np.uint8)
        np.bitwise_or.at(self.kinds, where, kind)

    def kinds_in(self, start: int, stop: int) -> int:
        """Which marks the bytes [start, stop) of the part may hold (a bit set of kinds)."""
        if stop <= start:
            return 0
        lo = np.searchsorted(self.blocks, start >> _BLOCK_BITS, side="left")
        hi = np.searchsorted(self.blocks, (stop - 1) >> _BLOCK_BITS, side="right")
        return int(np.bitwise_or.reduce(self.kinds[lo:hi])) if hi > lo else 0


def head_spots(head: bytes) -> Spots:
    """The part's first bytes, before the measure's first '=' (8) and ``<`` (4)."""
    if b"=" in head[:8] or b"<f" in head[:5]:
        return unmeasured(0, 8)
    return no_spots()

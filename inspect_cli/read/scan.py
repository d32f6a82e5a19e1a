"""The fast byte scan of a chunk of sheet XML: how far its references reach, its
shared-string indices, and whether it is written as Excel writes it.

Vectorised with numpy over the raw bytes (a regex pass costs a Python object per cell,
which at 100,000 rows would cost more than reading the workbook), and numpy releases
the GIL, so two chunks are measured at once. Every attribute has one ``=``: its
positions are found once and every check works on them alone.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

_EDGE = 16  # a tag starting this close to a chunk's end is seen whole in the next chunk
_SPACE = np.zeros(256, dtype=bool)
_SPACE[[9, 10, 13, 32]] = True
_ENDS_NAME = _SPACE.copy()  # what may follow an element's name
_ENDS_NAME[[ord(">"), ord("/")]] = True
_QUOTE = np.zeros(256, dtype=bool)
_QUOTE[[34, 39]] = True
_MANY = 1_000  # more '=' beside a space than text would hold: read the sheet carefully


class Measure(NamedTuple):
    max_row: int
    max_col: int
    shared_top: int
    """The largest shared-string index in a ``t="s"`` cell (-1: none)."""
    unusual: bool
    """Written otherwise than Excel writes it: the careful scan must read the sheet."""


def measure(buf: bytes) -> Measure:
    a = np.frombuffer(buf, dtype=np.uint8)
    end = len(a) - _EDGE
    if end <= 0:
        return Measure(0, 0, -1, False)
    eq = np.flatnonzero(a[2:end] == ord("=")) + 2
    after = a[eq + 1]
    odd = bool((after == 39).any()) or _spaced(a, eq, after) or _odd_tags(buf, a, end)
    max_row, max_col, odd_ref = _reach(a, eq[(after == 34) & (a[eq - 1] == ord("r"))])
    top, odd_shared = _shared(a, eq)
    return Measure(max_row, max_col, top, odd or odd_ref or odd_shared)


def _spaced(a: np.ndarray, eq: np.ndarray, after: np.ndarray) -> bool:
    """Whether an attribute has space around its '=' (text such as 'a = b' is fine)."""
    spaced = eq[_SPACE[a[eq - 1]] | _SPACE[after]]
    if len(spaced) > _MANY:
        return True
    for at in spaced.tolist():
        k = at + 1
        while k < len(a) and _SPACE[a[k]]:
            k += 1
        if k < len(a) and _QUOTE[a[k]]:
            return True
    return False


def _tag_starts(buf: bytes, end: int) -> np.ndarray:
    """Where ``<c`` or ``<r`` stands, before ``end``: one pass over the bytes as pairs."""
    found = []
    for offset in (0, 1):
        pairs = np.frombuffer(buf, dtype="<u2", count=(end - offset) // 2, offset=offset)
        hit = (pairs == _LT_C) | (pairs == _LT_R)
        found.append(np.flatnonzero(hit) * 2 + offset)
    return np.concatenate(found)


_LT_C = ord("<") | ord("c") << 8
_LT_R = ord("<") | ord("r") << 8


def _odd_tags(buf: bytes, a: np.ndarray, end: int) -> bool:
    """A cell or row tag without ``␠r="`` first, or a prefixed one (``<x:c``)."""
    lt = _tag_starts(buf, end)
    b1 = a[lt + 1]
    cell = lt[(b1 == ord("c")) & _ENDS_NAME[a[lt + 2]]]
    if not _r_first(a, cell + 2):
        return True
    row = lt[(b1 == ord("r")) & (a[lt + 2] == ord("o")) & (a[lt + 3] == ord("w"))]
    if not _r_first(a, row[_ENDS_NAME[a[row + 4]]] + 4):
        return True
    colon = np.flatnonzero(a[:end] == ord(":"))
    c1 = a[colon + 1]
    prefixed = ((c1 == ord("c")) & _ENDS_NAME[a[colon + 2]]) | (
        (c1 == ord("r")) & (a[colon + 2] == ord("o")) & (a[colon + 3] == ord("w"))
    )
    return bool(prefixed.any())


def _r_first(a: np.ndarray, name_end: np.ndarray) -> bool:
    return bool(
        (
            (a[name_end] == 32)
            & (a[name_end + 1] == ord("r"))
            & (a[name_end + 2] == ord("="))
            & (a[name_end + 3] == 34)
        ).all()
    )


_WINDOW = 13  # up to 3 column letters and 10 row digits after r="


def _reach(a: np.ndarray, eq: np.ndarray) -> tuple[int, int, bool]:
    """The largest row and column number of the r="A1" references whose '=' is at
    ``eq``, and whether one is not upper-case letters and digits closed by its quote."""
    eq = eq[_SPACE[a[eq - 2]] & (eq + _WINDOW + 3 < len(a))]
    if not len(eq):
        return 0, 0, False
    start = eq + 2
    col = np.zeros(len(start), dtype=np.int64)
    letters = np.zeros(len(start), dtype=np.int64)
    going = np.ones(len(start), dtype=bool)
    for k in range(4):
        b = a[start + k]
        going &= (b >= 65) & (b <= 90)
        col = np.where(going, col * 26 + b - 64, col)
        letters += going
    col[letters > 3] = 1 << 20  # not a real column: beyond any limit
    row, digits = _digits(a, start + letters, _WINDOW - 3)
    closed = a[np.minimum(start + letters + digits, len(a) - 1)] == 34
    return int(row.max()), int(col.max()), bool((~closed | (digits == 0)).any())


def _digits(a: np.ndarray, start: np.ndarray, most: int) -> tuple[np.ndarray, np.ndarray]:
    """The number written at each of ``start`` (up to ``most`` digits), and its length."""
    value = np.zeros(len(start), dtype=np.int64)
    digits = np.zeros(len(start), dtype=np.int64)
    going = np.ones(len(start), dtype=bool)
    for k in range(most):
        b = a[np.minimum(start + k, len(a) - 1)]
        going &= (b >= 48) & (b <= 57)
        if not going.any():
            break
        value = np.where(going, value * 10 + b - 48, value)
        digits += going
    return value, digits


_SHARED_TAIL = b'"><v>'  # after t="s: as Excel writes a shared-string cell


def _shared(a: np.ndarray, eq: np.ndarray) -> tuple[int, bool]:
    """The largest index in the ``t="s"><v>N</v>`` cells, and whether a ``t="s"`` cell
    is written otherwise (the careful scan then reads, and checks, every index)."""
    at = eq[(a[eq - 1] == ord("t")) & (a[eq + 1] == 34) & (a[eq + 2] == ord("s"))]
    at = at[_SPACE[a[at - 2]]]
    if not len(at):
        return -1, False
    tail = np.ones(len(at), dtype=bool)
    for k, byte in enumerate(_SHARED_TAIL, 3):
        tail &= a[np.minimum(at + k, len(a) - 1)] == byte
    if not tail.all():
        return -1, True
    start = at + 3 + len(_SHARED_TAIL)
    index, digits = _digits(a, start, 10)
    closed = a[np.minimum(start + digits, len(a) - 1)] == ord("<")
    return int(index.max()), bool((~closed | (digits == 0)).any())

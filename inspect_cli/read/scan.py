"""The fast byte scan of a chunk of sheet XML: how far its references reach, its
shared-string indices, and whether it is written as Excel writes it.

Vectorised with numpy over the raw bytes (a regex pass costs a Python object per cell,
which at 100,000 rows would cost more than reading the workbook), and numpy releases
the GIL, so two chunks are measured at once. Every attribute has one ``=``: its
positions are found in one pass, and the 8 bytes ending just after each are read as
one number, from which every check on attributes, cell tags and row tags is made.
Whole-chunk passes cost more than anything done on those positions, so there are
two: the ``=``, then, a block at a time, the ``<c``/``<r`` pairs (counted, not found)
and the ``:``. Every reference is then read from one or two 8-byte words.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from inspect_cli.read.spots import Spots, find_spots, no_spots, unmeasured

EDGE = 24  # a tag starting this close to a chunk's end is measured in the next chunk
_SPACE = np.zeros(256, dtype=bool)
_SPACE[[9, 10, 13, 32]] = True
_ENDS_NAME = _SPACE.copy()  # what may follow an element's name
_ENDS_NAME[[ord(">"), ord("/")]] = True
_QUOTE = np.zeros(256, dtype=bool)
_QUOTE[[34, 39]] = True
_MANY = 1_000  # more '=' beside a space than text would hold: read the sheet carefully


def _word(text: bytes) -> int:
    return int.from_bytes(text, "big")


_CELL = _word(b'\0<c r="\0')  # as the 8 bytes from an attribute's '=' - 5
_CELL_MASK = _word(b"\0\xff\xff\xff\xff\xff\xff\0")
_ROW = _word(b'row r="\0')  # and a '<' before it
_ROW_MASK = _word(b"\xff" * 7 + b"\0")
_SHARED_TAIL = _word(b's"><v>')
_LT_C = ord("<") | ord("c") << 8
_LT_R = ord("<") | ord("r") << 8
# '<' and one of b, c, r, s: one comparison counts cell and row tags (<b and <s start
# only elements outside the cells, so where they stand the counts differ, and the
# tags are then checked one by one).
_TAG_MASK = 0xEEFF
_LT_BCRS = ord("<") | (ord("c") & 0xEE) << 8
_LT_F = ord("<") | ord("f") << 8  # a formula's tag (the marks scan's spots)


class Measure(NamedTuple):
    max_row: int
    max_col: int
    shared_top: int
    """The largest shared-string index in a ``t="s"`` cell (-1: none)."""
    unusual: bool
    """Written otherwise than Excel writes it: the careful scan must read the sheet."""


_UNUSUAL = Measure(0, 0, -1, True)


def measure(buf: bytes) -> Measure:
    """Measure ``buf`` up to :data:`EDGE` bytes from its end (the next chunk, which
    overlaps it, or the caller's padded tail measures the rest)."""
    return measure_and_spot(buf)[0]


def measure_and_spot(buf: bytes) -> tuple[Measure, Spots]:
    """:func:`measure`, and where in ``buf`` a mark may stand (:mod:`~inspect_cli.read.spots`;
    none when the careful scan must read the sheet, which finds the marks itself)."""
    a = np.frombuffer(buf, dtype=np.uint8)
    end = len(a) - EDGE
    if end <= 8:
        return Measure(0, 0, -1, False), unmeasured(0, len(a))
    eq = np.flatnonzero(a[8:end] == ord("=")) + 8
    w = _words(buf, ">u8")[eq - 5]  # the 8 bytes from eq-5 to eq+2
    b = _bytes(w)  # the same, one column per byte: b[:, 5] is the '='
    if bool((b[:, 6] == 39).any()) or _spaced(a, eq, b[:, 4], b[:, 6]):
        return _UNUSUAL, no_spots()
    one_letter = (b[:, 3] <= 32) & (b[:, 6] == 34)  # ␠x="
    cell = (w & _CELL_MASK) == _CELL
    row = (w & _ROW_MASK) == _ROW
    cells, rows = eq[cell], eq[row]
    r_attrs = np.count_nonzero(one_letter & (b[:, 4] == ord("r")))
    if r_attrs != len(cells) + len(rows) or (a[rows - 6] != ord("<")).any():
        return _UNUSUAL, no_spots()  # an r that is not a cell's or row's first attribute
    tags, colons, lt_f = _pairs_and_colons(buf, a, end)
    if tags != _expected_tags(cells, rows, end) and _odd_tags(buf, a, end):
        return _UNUSUAL, no_spots()
    if _prefixed(a, colons):
        return _UNUSUAL, no_spots()
    cell_reach, row_reach = _refs(buf, cells + 2, letters=True), _refs(buf, rows + 2)
    shared = eq[one_letter & (b[:, 4] == ord("t")) & (b[:, 7] == ord("s"))]
    top, odd_shared = _shared(buf, shared)
    if cell_reach is None or row_reach is None or odd_shared:
        return _UNUSUAL, no_spots()
    found = Measure(max(cell_reach[0], row_reach[0]), cell_reach[1], top, False)
    return found, find_spots(buf, a, eq, w, colons, lt_f)


def _words(buf: bytes, dtype: str) -> np.ndarray:
    """The bytes at every offset of ``buf`` read as one number of ``dtype`` (overlapping)."""
    size = np.dtype(dtype).itemsize
    return np.ndarray((len(buf) - size + 1,), dtype=dtype, buffer=buf, strides=(1,))


def _spaced(a: np.ndarray, eq: np.ndarray, before: np.ndarray, after: np.ndarray) -> bool:
    """Whether an attribute has space around its '=' (text such as 'a = b' is fine)."""
    spaced = eq[(before <= 32) | (after <= 32)]
    if len(spaced) > _MANY:
        return True
    for at in spaced.tolist():
        if not (_SPACE[a[at - 1]] or _SPACE[a[at + 1]]):
            continue
        k = at + 1
        while k < len(a) and _SPACE[a[k]]:
            k += 1
        if k < len(a) and _QUOTE[a[k]]:
            return True
    return False


_BLOCK = 1 << 18  # a pass over a block that stays in the cache costs about half


def _pairs_and_colons(buf: bytes, a: np.ndarray, end: int) -> tuple[int, np.ndarray, np.ndarray]:
    """How many ``<b``, ``<c``, ``<r`` or ``<s`` start in [4, end - 6), and where the
    colons before ``end`` and the ``<f`` in that range stand: one pass, a block at a time."""
    hi = end - 6
    found, colons, lt_f = 0, [], []
    for lo in range(4, hi, _BLOCK):
        top = min(lo + _BLOCK, hi)
        for offset in (lo, lo + 1):
            n = (top - offset + 1) // 2
            pairs = np.frombuffer(buf, dtype="<u2", count=n, offset=offset)
            found += int(np.count_nonzero((pairs & _TAG_MASK) == _LT_BCRS))
            is_f = pairs == _LT_F
            if is_f.any():
                lt_f.append(np.flatnonzero(is_f) * 2 + offset)
        colons.append(np.flatnonzero(a[lo:top] == ord(":")) + lo)
    colons.append(np.flatnonzero(a[hi:end] == ord(":")) + hi)
    colons.append(np.flatnonzero(a[:4] == ord(":")))
    return found, np.concatenate(colons), np.concatenate(lt_f or [np.zeros(0, np.int64)])


def _expected_tags(cells: np.ndarray, rows: np.ndarray, end: int) -> int:
    """How many of the cell and row tags start in [4, end - 6), the range counted: a
    cell's ``<`` stands 4 bytes before its '=', a row's 6 (tags nearer the end are
    counted in the next chunk)."""
    return int(np.count_nonzero(cells < end - 2) + np.count_nonzero(rows >= 10))


def _tag_starts(buf: bytes, end: int) -> np.ndarray:
    """Where ``<c`` or ``<r`` stands, before ``end``: one pass over the bytes as pairs."""
    found = []
    for offset in (0, 1):
        pairs = np.frombuffer(buf, dtype="<u2", count=(end - offset) // 2, offset=offset)
        hit = (pairs == _LT_C) | (pairs == _LT_R)
        found.append(np.flatnonzero(hit) * 2 + offset)
    return np.concatenate(found)


def _odd_tags(buf: bytes, a: np.ndarray, end: int) -> bool:
    """A cell or row tag without ``␠r="`` first (when the counts did not prove there is
    none: ``<col``, ``<cfRule``, rich text ``<r>`` also start so)."""
    lt = _tag_starts(buf, end)
    b1 = a[lt + 1]
    cell = lt[(b1 == ord("c")) & _ENDS_NAME[a[lt + 2]]]
    if not _r_first(a, cell + 2):
        return True
    row = lt[(b1 == ord("r")) & (a[lt + 2] == ord("o")) & (a[lt + 3] == ord("w"))]
    return not _r_first(a, row[_ENDS_NAME[a[row + 4]]] + 4)


def _prefixed(a: np.ndarray, colon: np.ndarray) -> bool:
    """A prefixed cell or row tag (``<x:c``), which the byte scans would not see."""
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


def _refs(buf: bytes, starts: np.ndarray, letters: bool = False) -> tuple[int, int] | None:
    """The largest row and column of the references at ``starts``, each 1–3 upper-case
    letters (none for a row), 1–7 digits without a leading zero and a closing quote;
    None when one is written otherwise (the careful scan reads it exactly)."""
    if not len(starts):
        return 0, 0
    if not letters:
        row = _top_number(_words(buf, ">u8")[starts], ord('"'))
        return None if row is None else (row, 0)
    word = _words(buf, ">u8")[starts]  # the first 8 bytes of each reference
    n_letters = ((_bytes(word)[:, :4] - 65) < 26).argmin(axis=1)
    if not bool(((n_letters >= 1) & (n_letters <= 3)).all()):
        return None
    shift = (8 * n_letters).astype(np.uint64)
    # Most references fit in 8 bytes: their number is the word shifted past the letters.
    row = _top_number((word << shift).astype(">u8"), ord('"'))
    if row is None:  # a longer one (or a bad one): each number read where it starts
        row = _top_number(_words(buf, ">u8")[starts + n_letters], ord('"'))
    # Right-aligned, the letters compare as the columns they name.
    best = int(((word >> np.uint64(32)) >> (np.uint64(32) - shift)).max())
    column = 0
    for ch in best.to_bytes(4, "big").lstrip(b"\0"):
        column = column * 26 + ch - 64
    return None if row is None else (row, column)


def _bytes(words: np.ndarray) -> np.ndarray:
    """Gathered words as rows of their bytes, in the order they stand in the sheet."""
    return words.view(np.uint8).reshape(len(words), words.dtype.itemsize)


def _top_number(number: np.ndarray, close: int) -> int | None:
    """The largest of the numbers that start each of the 8-byte words ``number`` (1–7
    digits, no leading zero, then ``close``); None when one is not so."""
    b = _bytes(number)
    count = ((b - 48) < 10).argmin(axis=1)  # all 8 digits: 0, refused below
    ok = (
        (count >= 1)
        & (count <= 7)
        & (b[np.arange(len(b)), count] == close)
        & ((b[:, 0] != ord("0")) | (count == 1))
    )
    if not ok.all():
        return None
    # The count, then the digits (what follows them only breaks ties): compared as one.
    best = int(((count.astype(np.uint64) << 56) | (number >> 8)).max()).to_bytes(8, "big")
    return int(best[1 : 1 + best[0]])


def _shared(buf: bytes, at: np.ndarray) -> tuple[int, bool]:
    """The largest index in the ``t="s"><v>N</v>`` cells whose '=' is at ``at``, and
    whether one is written otherwise (the careful scan then reads every index)."""
    if not len(at):
        return -1, False
    if not bool(((_words(buf, ">u8")[at + 2] >> 16) == _SHARED_TAIL).all()):
        return -1, True
    top = _top_number(_words(buf, ">u8")[at + 8], ord("<"))
    return (-1, True) if top is None else (top, False)

"""Columns in Arrow and as codes: which cells hold something, each column's distinct
values, free text stripped without a Python object per cell, and :class:`Coded`, a
column as one code per row into the tidy values of its distinct cells."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from inspect_cli.read import RawSheet

MAX_TEXT = 32_000


def filled_cells(cells: Any) -> np.ndarray:
    """Which cells of an Arrow text column hold something: not null and not ''.

    A cell holding only spaces counts as a value here; its row is then loaded and
    the column normalisers read the spaces as blank.
    """
    import pyarrow.compute as pc

    if not len(cells):
        return np.zeros(0, dtype=bool)
    filled: np.ndarray = pc.fill_null(pc.not_equal(cells, ""), False).to_numpy(zero_copy_only=False)
    return filled


def has_text(cells: Any) -> bool:
    """Whether any cell of an Arrow text column holds more than spaces."""
    import pyarrow.compute as pc

    if not len(cells):
        return False
    return bool(pc.any(pc.not_equal(pc.utf8_trim_whitespace(cells), "")).as_py())


def sheet_blank(sheet: RawSheet) -> bool:
    return not any(has_text(column) for column in sheet.columns)


def factorize(cells: Any) -> tuple[np.ndarray, list[Any]]:
    """Codes per cell (-1 for null) and the distinct values, computed in Arrow."""
    import pyarrow.compute as pc

    encoded = pc.dictionary_encode(cells)
    codes = encoded.indices.fill_null(-1).to_numpy(zero_copy_only=False)
    return codes, encoded.dictionary.to_pylist()


# What str.strip() removes (every character for which str.isspace() is true), so that
# Arrow trims free text exactly as the per-value path does (a test checks the set).
PY_WHITESPACE = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004"
    "\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)


def plain_text(cells: Any) -> Coded | None:
    """A free-text column (references, names, comments) coded without leaving Arrow:
    each distinct text stripped, blank when nothing is left. None when a text is too
    long, which the per-value path reports."""
    import pyarrow as pa
    import pyarrow.compute as pc

    encoded = pc.dictionary_encode(cells)
    texts = encoded.dictionary
    if len(texts) and pc.max(pc.utf8_length(texts)).as_py() > MAX_TEXT:
        return None
    stripped = pc.utf8_trim(texts, characters=PY_WHITESPACE)
    values = pc.if_else(pc.equal(stripped, ""), pa.scalar(None, stripped.type), stripped)
    values = pa.concat_arrays([values, pa.nulls(1, values.type)])  # the last: blank
    codes = encoded.indices.fill_null(len(values) - 1).to_numpy(zero_copy_only=False)
    return Coded(codes.astype(np.intp), values)


@dataclass
class Coded:
    """One column of one sheet: each row's code into the tidy values of its distinct cells.

    Distinct cells are few (Yes, No, N/A...), so the tidy values are typed once each
    and spread to the rows by code, instead of converting every row's value.
    """

    codes: np.ndarray
    """One int per row, an index into ``values``."""
    values: Any
    """Tidy values (an object array, or an Arrow text array for free text); the last
    entry is None (blank)."""

    def _objects(self) -> np.ndarray:
        if isinstance(self.values, np.ndarray):
            return self.values
        return np.asarray(self.values.to_numpy(zero_copy_only=False), dtype=object)

    def blank(self) -> np.ndarray:
        """Which rows are blank (decided per distinct value, spread by code)."""
        if isinstance(self.values, np.ndarray):
            is_none = self.values == None  # noqa: E711 (element-wise)
        else:
            is_none = self.values.is_null().to_numpy(zero_copy_only=False)
        return np.asarray(is_none[self.codes], dtype=bool)

    def blank_out(self, pos: int) -> None:
        self.codes[pos] = len(self.values) - 1


def clean_refs(coded: Coded) -> tuple[np.ndarray, np.ndarray]:
    """Clean a case reference column in place (:func:`inspect_cli.identity.clean_text`):
    which rows changed, and which of those are now blank. Only the distinct values
    that are not plain ASCII are looked at, so an ordinary column costs one Arrow pass."""
    import pyarrow as pa
    import pyarrow.compute as pc

    from inspect_cli.identity import clean_text

    arrow = not isinstance(coded.values, np.ndarray)
    values = coded.values if arrow else pa.array(coded.values, type=pa.large_string())
    plain = pc.fill_null(pc.string_is_ascii(values), True).to_numpy(zero_copy_only=False)
    odd = np.nonzero(~plain)[0]
    texts = values.take(pa.array(odd)).to_pylist() if len(odd) else []
    cleaned = [clean_text(t) for t in texts]
    changed = odd[[a != b for a, b in zip(texts, cleaned, strict=True)]] if len(odd) else odd
    if not len(changed):
        return np.zeros(len(coded.codes), dtype=bool), np.zeros(len(coded.codes), dtype=bool)
    fresh = dict(zip(odd.tolist(), cleaned, strict=True))
    now_blank = np.zeros(len(values), dtype=bool)
    now_blank[[k for k in changed.tolist() if not fresh[k]]] = True
    mask = np.zeros(len(values), dtype=bool)
    mask[changed] = True
    replacements = pa.array([fresh[k] or None for k in changed.tolist()], type=values.type)
    values = pc.replace_with_mask(values, pa.array(mask), replacements)
    coded.values = values if arrow else np.asarray(values.to_pylist(), dtype=object)
    return mask[coded.codes], now_blank[coded.codes]


def blank_coded(n: int) -> Coded:
    return Coded(np.zeros(n, dtype=np.intp), _BLANK)


def join_codes(parts: list[Coded]) -> Coded:
    if len(parts) == 1:
        return parts[0]
    offsets = np.cumsum([0, *(len(p.values) for p in parts[:-1])])
    codes = np.concatenate([p.codes + offset for p, offset in zip(parts, offsets, strict=True)])
    if all(not isinstance(p.values, np.ndarray) for p in parts):
        import pyarrow as pa

        texts = [p.values.cast(pa.large_string()) for p in parts]
        return Coded(codes, pa.concat_arrays(texts))
    return Coded(codes, np.concatenate([p._objects() for p in parts]))


_BLANK = np.array([None], dtype=object)

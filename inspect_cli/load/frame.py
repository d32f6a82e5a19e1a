"""The tidy DataFrame: each sheet's coded columns joined end to end and typed once per
distinct value (dates, ages, categorical answers), the empty frame, duplicate cases,
and what a load gives (:class:`LoadResult`, :class:`SourceFile`)."""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from inspect_cli import problems as P
from inspect_cli.fields import REQUIRED_FIELD_IDS, standard_fields
from inspect_cli.frameworks import Framework
from inspect_cli.load.coded import Coded, blank_coded, join_codes
from inspect_cli.load.force_sheet import ForceJudgement
from inspect_cli.load.sheet import ColumnAt, Loader, SheetRows
from inspect_cli.problems import Problem

if TYPE_CHECKING:
    import pandas as pd

META_COLUMNS = ("source_file", "source_sheet", "source_row")


@dataclass(frozen=True)
class SourceFile:
    name: str
    path: str
    sha256: str
    size: int
    rows_read: int
    cases: int


@dataclass(frozen=True)
class LoadResult:
    framework: Framework
    cases: pd.DataFrame
    problems: tuple[Problem, ...]
    sources: tuple[SourceFile, ...]
    rejected: pd.DataFrame
    """Rows read but not loaded: source_file, source_sheet, source_row, reason."""
    force_judgements: tuple[ForceJudgement, ...] = ()
    """Force-level topics judged on each workbook's Force sheet, in file order (rows in
    error left out; they are not case rows, so not in ``rejected``)."""
    columns: tuple[ColumnAt, ...] = ()
    """Each sheet's recognised columns, for problems found after loading."""

    @property
    def rows_read(self) -> int:
        return len(self.cases) + len(self.rejected)

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.is_error)

    @property
    def ok(self) -> bool:
        return not self.errors


def sheet_frame(fw: Framework, rows: SheetRows) -> dict[str, Any]:
    """One sheet's columns: meta columns as arrays, fields still coded; typed later."""
    n = len(rows.excel_rows)
    data: dict[str, Any] = {
        "source_file": np.full(n, rows.file, dtype=object),
        "source_sheet": np.full(n, rows.sheet or "", dtype=object),
        "source_row": np.asarray(rows.excel_rows, dtype=np.int64),
    }
    data.update(rows.values)
    reasons = np.full(n, None, dtype=object)
    for pos, reason in rows.bad_rows.items():
        reasons[pos] = reason
    data["_reason"] = reasons
    return data


def concat(fw: Framework, frames: list[dict[str, Any]]) -> pd.DataFrame:
    """Sheets' columns end to end, typed; a column one sheet lacks is blank for its rows.

    Each column is typed once for all sheets: coded columns are joined as codes into
    their sheets' distinct values, and the distinct values are typed, then spread.
    """
    import pandas as pd

    names = list(dict.fromkeys(name for frame in frames for name in frame))
    converters = _converters(fw)
    columns = {}
    for name in names:
        convert = converters.get(name, _as_is)
        parts: list[Any] = [frame.get(name) for frame in frames]
        if all(part is None or isinstance(part, Coded) for part in parts):
            coded = join_codes(
                [
                    part if part is not None else blank_coded(len(frame["source_row"]))
                    for part, frame in zip(parts, frames, strict=True)
                ]
            )
            if isinstance(convert, Categories) and isinstance(coded.values, np.ndarray):
                column = convert.spread(coded.values, coded.codes)
            elif isinstance(coded.values, np.ndarray):
                column = convert(pd.Series(coded.values)).take(coded.codes)
            else:  # free text, still in Arrow: spread by code without Python objects
                column = pd.Series(pd.arrays.ArrowStringArray(coded.values.take(coded.codes)))
        else:  # the meta columns: plain arrays in every sheet
            column = convert(pd.Series(np.concatenate(parts) if len(parts) > 1 else parts[0]))
        columns[name] = column.reset_index(drop=True)
    # The columns are this function's own: the frame may hold them without a copy.
    return pd.DataFrame(columns, copy=False)


def _as_is(values: pd.Series) -> pd.Series:
    return values


def _converters(fw: Framework) -> dict[str, Callable[[pd.Series], pd.Series]]:
    """Column id → how its tidy values become the frame's typed column."""
    import pandas as pd

    out: dict[str, Callable[[pd.Series], pd.Series]] = {
        "source_row": lambda v: v.astype("int64"),
    }
    for f in standard_fields(fw):
        if f.kind == "date":
            out[f.id] = lambda v: pd.to_datetime(v, errors="raise")
        elif f.kind == "age":
            out[f.id] = lambda v: v.astype("Int64")
        else:
            out[f.id] = lambda v: v.astype("string")
    for ref in fw.indicators:
        cats = [r.id for r in ref.scale.responses]
        if ref.scale.not_applicable:
            cats.append(ref.scale.not_applicable.id)
        out[ref.full_id] = categories_of(tuple(cats))
    return out


@functools.cache
def categories_of(categories: tuple[str, ...]) -> Categories:
    """One :class:`Categories` per scale: pandas validates a categorical type's
    categories each time one is made (about 0.1 ms), and every load types each answer
    column, most of them on the same scale."""
    return Categories(categories)


class Categories:
    """An answer column's type: its scale's response ids (and N/A), in order. A value
    that is none of them (None, blank) has no category."""

    def __init__(self, categories: Sequence[str]) -> None:
        import pandas as pd

        self.dtype = pd.CategoricalDtype(list(categories))
        self._code = {c: i for i, c in enumerate(categories)}

    def __call__(self, values: pd.Series) -> pd.Series:
        """The reference: pandas matches every value against the categories."""
        import pandas as pd

        return pd.Series(pd.Categorical(values, categories=self.dtype.categories))

    def spread(self, values: np.ndarray, codes: np.ndarray) -> pd.Series:
        """The same column from a sheet's distinct values and each row's code into them:
        each distinct value matched once, the rows given its category code (about 20
        times faster than matching every row; tests/test_load_frame.py keeps the two
        equal)."""
        import pandas as pd

        matched = np.array(
            [self._code.get(v, -1) if isinstance(v, str) else -1 for v in values], dtype=np.int64
        )
        return pd.Series(pd.Categorical.from_codes(matched[codes], dtype=self.dtype))


def empty_frame(fw: Framework) -> pd.DataFrame:
    import pandas as pd

    cols = [*META_COLUMNS, *REQUIRED_FIELD_IDS, *(r.full_id for r in fw.indicators), "_reason"]
    converters = _converters(fw)
    none = np.array([None], dtype=object)
    no_rows = np.empty(0, dtype=np.int64)
    return pd.DataFrame(
        {
            c: convert.spread(none, no_rows)
            if isinstance(convert := converters.get(c, _as_is), Categories)
            else convert(pd.Series([], dtype=object))
            for c in cols
        }
    )


def check_duplicates(loader: Loader, cases: pd.DataFrame) -> pd.DataFrame:
    """The same case (force, audit type, case ref) twice, in one file or across files.

    A case read again by a different auditor (a second reader) is a double reading,
    not a duplicate: it is refused only when a row of it has no auditor, or the same
    auditor (ignoring case and spaces) read it before."""
    import pandas as pd

    if cases.empty:
        return cases
    # unify_forces gave each force one spelling: equal spellings are equal identity keys.
    key = pd.DataFrame({"f": cases["force"], "a": cases["audit_type"], "c": cases["case_ref"]})
    usable = key.notna().all(axis=1)
    # The same case audited again in a later round is not a duplicate.
    rounds = cases["round"].fillna("") if "round" in cases else pd.Series("", index=cases.index)
    dup = pd.concat([key, rounds.rename("r")], axis=1).duplicated(keep=False) & usable
    if not dup.any():
        return cases
    auditors = _auditor_keys(cases, dup)
    agreed = _AgreedGrades(cases)
    first_seen: dict[tuple[str, str, str, str], tuple[str, list[str | None]]] = {}
    reasons = cases["_reason"].copy()
    subset = cases.loc[dup, ["source_file", "source_sheet", "source_row", "force"]]
    for idx, file, sheet, row, force in subset.itertuples():
        k = (
            str(key.at[idx, "f"]),
            str(key.at[idx, "a"]),
            str(key.at[idx, "c"]),
            str(rounds.at[idx]),
        )
        where = f"{file}" + (f", sheet {sheet!r}" if sheet else "") + f", row {row}"
        reader = auditors[idx]
        if k not in first_seen:
            first_seen[k] = (where, [reader])
            agreed.check(k, idx, where)
            continue
        first, readers = first_seen[k]
        if reader is not None and None not in readers and reader not in readers:
            readers.append(reader)  # a second reader: a double reading
            problem = agreed.check(k, idx, where)
            if problem is not None:
                loader.problems.append(problem)
                if not isinstance(reasons.at[idx], str):
                    reasons.at[idx] = problem.message
            continue
        problem = P.DUPLICATE_CASE.at(
            str(file),
            str(sheet) or None,
            row=int(row),
            case_ref=k[2],
            force=force,
            audit_type=k[1],
            first=first,
        )
        loader.problems.append(problem)
        if not isinstance(reasons.at[idx], str):
            reasons.at[idx] = problem.message
    cases = cases.copy()
    cases["_reason"] = reasons
    return cases


def _auditor_keys(cases: pd.DataFrame, rows: pd.Series) -> dict[Any, str | None]:
    """Each repeated row's auditor, compared ignoring case and spaces; None if blank."""
    if "auditor" not in cases:
        return dict.fromkeys(cases.index[rows])
    names = cases.loc[rows, "auditor"]
    return {
        idx: (" ".join(str(v).split()).casefold() or None) if isinstance(v, str) else None
        for idx, v in names.items()
    }


class _AgreedGrades:
    """The agreed grade of each double-read case, first given first: a reading that
    gives a different one is refused (the case would have two grades of record)."""

    def __init__(self, cases: pd.DataFrame) -> None:
        self.column: pd.Series | None = cases.get("agreed_grade")
        self.cases = cases
        self.seen: dict[tuple[str, str, str, str], tuple[str, str]] = {}

    def check(self, k: tuple[str, str, str, str], idx: Any, where: str) -> Problem | None:
        if self.column is None or not isinstance(self.column.at[idx], str):
            return None
        grade = str(self.column.at[idx])
        if k not in self.seen:
            self.seen[k] = (grade, where)
            return None
        earlier, first = self.seen[k]
        if grade == earlier:
            return None
        row = self.cases.loc[idx]
        return P.AGREED_GRADE_CONFLICT.at(
            str(row["source_file"]),
            str(row["source_sheet"]) or None,
            row=int(row["source_row"]),
            case_ref=k[2],
            force=row["force"],
            audit_type=k[1],
            grade=grade,
            earlier=earlier,
            first=first,
        )

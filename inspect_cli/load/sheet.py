"""Loading one file, a sheet at a time: its header row and columns checked, then every
value of every row, a column at a time; rows with an error are marked with their
first reason, and every problem is reported with its file, sheet, row and column."""

from __future__ import annotations

import difflib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from inspect_cli import problems as P
from inspect_cli.fields import REQUIRED_FIELD_IDS
from inspect_cli.frameworks import Framework
from inspect_cli.load.coded import (
    MAX_TEXT,
    Coded,
    clean_refs,
    factorize,
    filled_cells,
    has_text,
    plain_text,
)
from inspect_cli.load.headers import (
    Column,
    HeaderMatcher,
    HeaderPick,
    check_header,
    find_header_row,
    ragged_rows,
)
from inspect_cli.load.referrals import referral_problems
from inspect_cli.load.totals import totals_rows
from inspect_cli.load.values import Bad, as_text, build_normalisers, is_blank, tidy_text
from inspect_cli.problems import Problem
from inspect_cli.read import Limits, RawSheet, column_letter

MIN_HEADER_MATCHES = 3
POOL_ROWS = 5_000
"""Sheets with fewer rows are encoded on one thread (a folder of force workbooks is
read several files at once instead: inspect_cli/load/files.py)."""


@dataclass(frozen=True)
class ColumnAt:
    """Where a field's column is in one sheet, for problems found once cases are scored
    (``rationale-missing``): the rows are known then, the letters no longer."""

    file: str
    sheet: str | None
    field_id: str
    letter: str
    header: str
    filled: bool = False
    """Whether any cell below the header holds text, rows refused included: worked out
    for the columns whose mere use turns a rule on (:data:`WATCHED`)."""


WATCHED = ("review_status",)
"""Columns that turn a rule on when any cell is filled (the review rule: a status
recorded on a row refused for another error still says the inputs record statuses)."""


@dataclass
class SheetRows:
    """The loaded rows of one sheet: field id → values, plus bookkeeping."""

    file: str
    sheet: str | None
    excel_rows: list[int]
    values: dict[str, Coded]  # field id → the tidy values of its rows
    bad_rows: dict[int, str] = field(default_factory=dict)  # position → first reason
    columns: tuple[ColumnAt, ...] = ()


class Loader:
    def __init__(self, fw: Framework, limits: Limits) -> None:
        self.fw = fw
        self.limits = limits
        self.matcher = HeaderMatcher(fw)
        self.normalisers = build_normalisers(fw)
        self.problems: list[Problem] = []
        self.rejected: list[tuple[str, str | None, int, str]] = []

    # One problem, also marking its row as not loadable when it is an error.
    def report(
        self, problem: Problem, rows: SheetRows | None = None, pos: int | None = None
    ) -> None:
        self.problems.append(problem)
        if rows is not None and pos is not None and problem.is_error:
            rows.bad_rows.setdefault(pos, problem.message)

    def find_header(self, rows: list[list[Any]]) -> HeaderPick | None:
        return find_header_row(rows, self.matcher, lambda hits: len(hits) >= MIN_HEADER_MATCHES)

    def load_sheet(self, file: str, raw: RawSheet, header_at: int) -> SheetRows | None:
        sheet = raw.name or None
        header = raw.head(header_at + 1)[header_at]
        at: dict[str, Any] = {"file": file, "sheet": sheet}
        if header_at:
            self.report(P.HEADER_NOT_FIRST.at(**at, row=header_at + 1))
        if raw.hidden:
            self.report(P.HIDDEN_SHEET.at(**at))
        # In a CSV, fields past the header's are a ragged row (reported per row), not a column.
        width = len(header) if raw.name == "" else len(raw.columns)
        checked = check_header(
            self.matcher,
            header,
            width,
            file=file,
            sheet=sheet,
            row=header_at + 1,
            has_values=lambda j: has_text(raw.columns[j].slice(header_at + 1)),
        )
        for problem in checked.problems:
            self.report(problem)
        columns = checked.columns
        seen = {col.field_id for col in columns}
        fatal = checked.fatal
        present = [as_text(v) for v in header if not is_blank(v)]
        for field_id in self.matcher.required:
            if field_id not in seen:
                label = self.matcher.labels[field_id]
                close = difflib.get_close_matches(
                    label, present, n=1, cutoff=0.6
                ) or difflib.get_close_matches(field_id, present, n=1, cutoff=0.6)
                hint = f"; the closest column present is {close[0]!r}" if close else ""
                self.report(
                    P.MISSING_COLUMN.at(
                        **at, header=label, field=f"{label} ({field_id})", hint=hint
                    )
                )
                fatal = True
        merged_rows: dict[int, Problem] = {}  # Excel row → the merge that hides its value
        for r0, c0, r1, c1 in raw.merged:
            ref = f"{column_letter(c0)}{r0 + 1}:{column_letter(c1)}{r1 + 1}"
            if r0 <= header_at <= r1 and c1 > c0:
                self.report(P.MERGED_HEADER.at(**at, row=header_at + 1, range=ref))
                fatal = True
            elif r1 > header_at and (r1 > r0 or c1 > c0):
                # Every cell but the first reads as blank: across answers or down cases.
                first = max(r0, header_at + 1)
                problem = P.MERGED_CELLS.at(
                    **at, row=first + 1, column=column_letter(c0), range=ref
                )
                self.report(problem)
                merged_rows.update(dict.fromkeys(range(first + 1, r1 + 2), problem))
        data = self._data_rows(file, sheet, raw, header_at)
        for excel_row, why in totals_rows(raw, data, columns):
            problem = P.TOTALS_ROW.at(**at, row=excel_row, why=why)
            self.report(problem)
            self.rejected.append((file, sheet, excel_row, problem.message))
            data.remove(excel_row)
        if fatal:
            for excel_row in data:
                self.rejected.append((file, sheet, excel_row, "the sheet's header has errors"))
            return None
        out = self._cells(file, raw, data, columns, header_at)
        for pos, excel_row in enumerate(data):
            if excel_row in merged_rows:
                out.bad_rows.setdefault(pos, merged_rows[excel_row].message)
        if raw.hidden_rows:  # easily missed by whoever checks the sheet in Excel
            self._hidden_rows(at, raw, out)
        return out

    def _hidden_rows(self, at: dict[str, Any], raw: RawSheet, out: SheetRows) -> None:
        """Cases in hidden rows: one warning naming them, or (as the framework asks)
        an error at each, so they are not loaded."""
        rows = np.asarray(out.excel_rows, dtype=np.int64)
        found = np.nonzero(np.isin(rows - 1, raw.hidden_rows))[0].tolist()
        if self.fw.reporting.hidden_rows == "error":
            for pos in found:
                self.report(P.HIDDEN_ROW_REFUSED.at(**at, row=int(rows[pos])), out, pos)
        elif found:
            shown_rows = rows[found].tolist()
            shown = ", ".join(map(str, shown_rows[:20])) + (" ..." if len(found) > 20 else "")
            self.report(P.HIDDEN_ROWS.at(**at, count=len(found), rows=shown))

    def _data_rows(self, file: str, sheet: str | None, raw: RawSheet, header_at: int) -> list[int]:
        """Excel row numbers (1-based) of the non-blank rows below the header."""
        n = max(raw.n_rows - header_at - 1, 0)
        has_value = np.zeros(n, dtype=bool)
        for column in raw.columns:
            has_value |= filled_cells(column.slice(header_at + 1))
        for i, _ in raw.error_cells:  # an error cell is a value, though the reader gives a blank
            if i > header_at:
                has_value[i - header_at - 1] = True
        rows = np.arange(header_at + 2, header_at + 2 + n)
        data = rows[has_value].tolist()
        if data:
            # Trailing blank rows are just the end of the sheet; only gaps are worth a note.
            inner = rows[~has_value & (rows < data[-1])].tolist()
            if inner:
                shown = ", ".join(map(str, inner[:10])) + (" ..." if len(inner) > 10 else "")
                self.report(P.BLANK_ROWS.at(file, sheet, count=len(inner), rows=shown))
        return [int(r) for r in data]

    def _cells(
        self, file: str, raw: RawSheet, excel_rows: list[int], columns: list[Column], header_at: int
    ) -> SheetRows:
        """Normalise every recognised column, a column at a time.

        Each distinct value is normalised once (most columns hold a handful: Yes, No,
        N/A...); problems are then reported only at the rows that hold a bad value.
        """
        sheet = raw.name or None
        out = SheetRows(file, sheet, excel_rows, {})
        at: dict[str, Any] = {"file": file, "sheet": sheet}
        # CSV: a record with the wrong number of fields would shift columns.
        for pos, problem in ragged_rows(file, raw, header_at, excel_rows):
            self.report(problem, out, pos)
        formulas = [k for k, cached in raw.formula_cells.items() if cached and k[0] > header_at]
        if formulas:
            cells = ", ".join(f"{column_letter(c)}{r + 1}" for r, c in sorted(formulas)[:5])
            more = " ..." if len(formulas) > 5 else ""
            self.report(P.FORMULA_CACHED.at(**at, count=len(formulas), cells=cells + more))
        below = np.asarray(excel_rows, dtype=np.int64) - header_at - 2  # offsets below the header
        contiguous = not len(below) or (below[0] == 0 and below[-1] == len(below) - 1)
        marked = raw.error_cells.keys() | raw.formula_cells.keys()
        # Sheet row index → position among the cases; only rows with a marked cell.
        marked_rows = {i for i, _ in marked}
        position = (
            {r - 1: pos for pos, r in enumerate(excel_rows) if r - 1 in marked_rows}
            if marked_rows
            else {}
        )

        def encode(col: Column) -> tuple[Coded | None, Any]:
            """Free text coded in Arrow, or any other column's codes and distinct values."""
            if col.index >= len(raw.columns):
                return None, (np.full(len(below), -1, dtype=np.int64), [])
            cells = raw.columns[col.index].slice(header_at + 1)
            cells = cells.slice(0, len(below)) if contiguous else cells.take(below)
            if self.normalisers[col.field_id] is tidy_text and (plain := plain_text(cells)):
                return plain, None
            return None, factorize(cells)

        if len(below) < POOL_ROWS:  # starting threads would cost more than they save
            encoded = list(map(encode, columns))
        else:  # Arrow releases the GIL: the columns are encoded two at a time.
            with ThreadPoolExecutor(max_workers=2) as pool:
                encoded = list(pool.map(encode, columns))
        for col, (plain, factorized) in zip(columns, encoded, strict=True):
            j = col.index
            where: dict[str, Any] = {**at, "column": col.letter, "header": col.header}
            if plain is not None:
                result = plain
                if col.field_id in REQUIRED_FIELD_IDS:
                    self._report_missing(plain.blank(), where, out, col.header)
            else:
                codes, uniques = factorized
                result = self._normalise_column(col, codes, uniques, where, out)
            if col.field_id == "case_ref":
                self._clean_refs(result, where, out)
            for (i, jj), error in raw.error_cells.items():
                if jj == j and i in position:
                    result.blank_out(position[i])
                    self.report(P.EXCEL_ERROR.at(**where, row=i + 1, value=error), out, position[i])
            for (i, jj), cached in raw.formula_cells.items():
                if jj == j and i in position and not cached:
                    result.blank_out(position[i])
                    self.report(P.FORMULA_NO_VALUE.at(**where, row=i + 1), out, position[i])
            out.values[col.field_id] = result
        self._row_checks(out)
        out.columns = tuple(
            ColumnAt(
                file,
                sheet,
                c.field_id,
                c.letter,
                c.header,
                c.field_id in WATCHED and has_text(raw.columns[c.index].slice(header_at + 1)),
            )
            for c in columns
        )
        for pos, problem in referral_problems(out, columns):
            self.report(problem, out, pos)
        return out

    def _normalise_column(
        self,
        col: Column,
        codes: np.ndarray,
        uniques: list[Any],
        where: dict[str, Any],
        out: SheetRows,
    ) -> Coded:
        field = self.matcher.fields.get(col.field_id)
        is_text = field is not None and field.kind in ("text", "comment")
        normalise = self.normalisers[col.field_id]
        results = np.empty(len(uniques) + 1, dtype=object)  # the last slot: blank (code -1)
        results[-1] = None
        bad: dict[int, Bad] = {}
        for k, value in enumerate(uniques):
            if is_blank(value):
                results[k] = None
                continue
            if is_text and isinstance(value, str) and len(value) > MAX_TEXT:
                for pos in np.nonzero(codes == k)[0]:
                    self.report(
                        P.TEXT_TOO_LONG.at(
                            **where, row=out.excel_rows[pos], length=len(value), limit=MAX_TEXT
                        )
                    )
                value = value[:MAX_TEXT]
            outcome = normalise(value)
            if isinstance(outcome, Bad):
                bad[k] = outcome
                results[k] = None
            else:
                results[k] = outcome
        result = Coded(np.where(codes < 0, len(uniques), codes).astype(np.intp), results)
        for k, outcome in bad.items():
            for pos in np.nonzero(codes == k)[0]:
                problem = outcome.kind.at(
                    **where,
                    row=out.excel_rows[pos],
                    found=outcome.found,
                    expected=outcome.expected,
                    allowed=outcome.expected,
                )
                self.report(problem, out, int(pos))
        if col.field_id in REQUIRED_FIELD_IDS:
            blank_codes = [k for k, u in enumerate(uniques) if is_blank(u)]
            self._report_missing((codes < 0) | np.isin(codes, blank_codes), where, out, col.header)
        return result

    def _clean_refs(self, refs: Coded, where: dict[str, Any], out: SheetRows) -> None:
        """Case references read without invisible characters: one warning naming the cells."""
        changed, now_blank = clean_refs(refs)
        if not changed.any():
            return
        positions = np.nonzero(changed)[0]
        cells = ", ".join(f"{where['column']}{out.excel_rows[p]}" for p in positions[:10])
        more = " ..." if len(positions) > 10 else ""
        at = {"file": where["file"], "sheet": where["sheet"], "column": where["column"]}
        self.report(
            P.CASE_REF_CLEANED.at(
                **at, header=where["header"], count=len(positions), cells=cells + more
            )
        )
        self._report_missing(now_blank, where, out, where["header"])

    def _report_missing(
        self, blank: np.ndarray, where: dict[str, Any], out: SheetRows, header: str
    ) -> None:
        for pos in np.nonzero(blank)[0]:
            problem = P.MISSING_VALUE.at(**where, row=out.excel_rows[pos], field=header)
            self.report(problem, out, int(pos))

    def _row_checks(self, rows: SheetRows) -> None:
        """Required stages answered, and at least one answer per case (numpy, per column)."""
        fw = self.fw
        at: dict[str, Any] = {"file": rows.file, "sheet": rows.sheet}
        n = len(rows.excel_rows)
        area = rows.values["area_of_practice"]
        answered_any = np.zeros(n, dtype=bool)
        for stage in fw.stages:
            all_blank = np.ones(n, dtype=bool)
            stage_answered = np.zeros(n, dtype=bool)
            for ind in stage.indicators:
                coded = rows.values[f"{stage.id}.{ind.id}"]
                na_answer = fw.scale_of(ind).not_applicable
                # Decided once per distinct value, then spread to the rows by code.
                blank = (coded.values == None)[coded.codes]  # noqa: E711 (element-wise)
                all_blank &= blank
                if na_answer:
                    stage_answered |= ~blank & ~(coded.values == na_answer.id)[coded.codes]
                else:
                    stage_answered |= ~blank
            answered_any |= stage_answered
            required = np.isin(area.values, list(stage.required_for_areas))[area.codes]
            for kind, mask in (
                (P.REQUIRED_STAGE_BLANK, required & all_blank),
                (P.REQUIRED_STAGE_NOT_APPLICABLE, required & ~all_blank & ~stage_answered),
            ):
                for pos in np.nonzero(mask)[0]:
                    where = {**at, "row": rows.excel_rows[pos]}
                    area_label = fw.area_by_id[area.values[area.codes[pos]]].label
                    self.report(
                        kind.at(**where, stage=stage.label, area=area_label), rows, int(pos)
                    )
        for pos in np.nonzero(~answered_any)[0]:
            if int(pos) not in rows.bad_rows:
                self.report(P.NO_ANSWERS.at(**at, row=rows.excel_rows[pos]), rows, int(pos))

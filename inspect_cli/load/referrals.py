"""Checks on a sheet's referral columns (a case referred back to the force because a
child was found at risk now): a referral date needs ``referred_back`` yes, a referral
needs its date, and the force cannot respond before the referral. Each is an error at
its cell, found a column at a time (each distinct value looked at once)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from inspect_cli import problems as P
from inspect_cli.problems import Problem

if TYPE_CHECKING:
    from inspect_cli.load.coded import Coded
    from inspect_cli.load.headers import Column
    from inspect_cli.load.sheet import SheetRows

_NAT = np.datetime64("NaT", "D")


def _per_row(coded: Coded | None, n: int, convert: Any, missing: Any) -> np.ndarray:
    """Each row's value, typed once per distinct value and spread by code."""
    if coded is None:
        return np.full(n, missing)
    values = coded.values
    if not isinstance(values, np.ndarray):  # free text in Arrow (not these columns' kinds)
        values = values.to_pylist()
    typed = np.empty(len(values), dtype=object)
    typed[:] = [convert(v) for v in values]
    per_row: np.ndarray = typed[coded.codes]
    return per_row


def _day(value: Any) -> Any:
    return np.datetime64(value, "D") if isinstance(value, dt.date) else _NAT


def referral_problems(rows: SheetRows, columns: Sequence[Column]) -> Iterator[tuple[int, Problem]]:
    """(row position, problem) for every inconsistent referral in ``rows``."""
    by_id = {col.field_id: col for col in columns}
    if not {"referred_back", "referred_on", "force_response_on"} & by_id.keys():
        return
    n = len(rows.excel_rows)
    at: dict[str, Any] = {"file": rows.file, "sheet": rows.sheet}
    back = _per_row(rows.values.get("referred_back"), n, lambda v: v, None)
    referred_on = _per_row(rows.values.get("referred_on"), n, _day, _NAT).astype("datetime64[D]")
    response = _per_row(rows.values.get("force_response_on"), n, _day, _NAT).astype("datetime64[D]")
    yes = back == "yes"
    has_date = ~np.isnat(referred_on)
    back_label = by_id["referred_back"].header if "referred_back" in by_id else "Referred back"

    def where(field_id: str, pos: int) -> dict[str, Any]:
        col = by_id[field_id]
        return {**at, "row": rows.excel_rows[pos], "column": col.letter, "header": col.header}

    for pos in np.nonzero(has_date & ~yes)[0].tolist():
        found = "no" if back[pos] == "no" else "blank"
        if "referred_back" not in by_id:
            found = "not a column of this sheet"
        problem = P.REFERRAL_DATE_NOT_REFERRED.at(
            **where("referred_on", pos), referred_back=repr(back_label), found=found
        )
        yield pos, problem
    for pos in np.nonzero(yes & ~has_date)[0].tolist():
        if "referred_on" in by_id:
            gap = f"{by_id['referred_on'].header!r} is blank"
        else:
            gap = "the sheet has no 'Referred on' column"
        yield pos, P.REFERRAL_DATE_MISSING.at(**where("referred_back", pos), where=gap)
    before = has_date & ~np.isnat(response) & (response < referred_on)
    for pos in np.nonzero(before)[0].tolist():
        label = by_id["referred_on"].header
        problem = P.RESPONSE_BEFORE_REFERRAL.at(
            **where("force_response_on", pos), referred_on=repr(label)
        )
        yield pos, problem

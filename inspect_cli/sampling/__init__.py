"""Stratified random samples of cases for an audit, drawn from a force's case list.

A case list is a spreadsheet of candidate cases, one row per case, with at least a
case reference and an area of practice (matched by column id or label, like case
audit workbooks). :func:`read_case_list` reads it through the safe reader and
collects every problem; :func:`draw_sample` draws a stratified sample by area of
practice, either a fixed number per area or a total allocated in proportion to each
area's size (largest-remainder rounding, with a minimum per area).

The draw is reproducible and does not depend on row order: ``draw``'s docstring
says how.

The modules: ``candidates`` (what a case list holds: its cases a column at a time,
and the per-row reference), ``case_list`` (reading one), ``columns`` (forces unified,
duplicates found and the draw made a column at a time), ``draw`` (the sample and the
note of how it was drawn).
"""

from __future__ import annotations

from inspect_cli.sampling.candidates import Candidate, CaseList, ListSource
from inspect_cli.sampling.case_list import area_id, read_case_list
from inspect_cli.sampling.draw import (
    AreaDraw,
    Sample,
    SampleError,
    SampleNote,
    allocate,
    draw_sample,
)

__all__ = [
    "AreaDraw",
    "Candidate",
    "CaseList",
    "ListSource",
    "Sample",
    "SampleError",
    "SampleNote",
    "allocate",
    "area_id",
    "draw_sample",
    "read_case_list",
]

"""Hostile files shared by the bad-input tests and the catalogue (tests/helpers/catalogue.py).

Building blocks over :mod:`tests.helpers.builders`: error cells and far cells written
otherwise than Excel writes them, zips that are not workbooks, forces spelt many ways,
sparse audits and bare case lists.
"""

from __future__ import annotations

import zipfile
from collections.abc import Sequence
from pathlib import Path

from inspect_cli.frameworks import Framework
from tests.helpers.builders import (
    SHEET1,
    Table,
    case_table,
    letter,
    replace_bytes,
    rewrite_member,
    set_cell,
    stage_labels,
    write_csv,
    write_lines,
    write_xlsx,
)

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
ANSWER = "Prompt attendance"

# An error cell, as written by openpyxl → the same cell written another legal way.
ERROR_VARIANTS = {
    "spaces around =": ('<c r="{ref}" t="e">', '<c r = "{ref}" t = "e">'),
    "single quotes": ('<c r="{ref}" t="e">', "<c r='{ref}' t='e'>"),
    "lower-case reference": ('<c r="{ref}" t="e">', '<c r="{low}" t="e">'),
    "tab before attribute": ('<c r="{ref}" t="e">', '<c\tr="{ref}"\tt="e">'),
    "prefixed elements": ('<c r="{ref}" t="e"><v>', '<x:c xmlns:x="{ns}" r="{ref}" t="e"><x:v>'),
}

# The cell at XFD1048576 (which aborts calamine) written in legal XML Excel never writes.
FAR_CELLS = {
    "spaces around =": '<row r="1048576"><c r ="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>',
    "lower-case": '<row r="1048576"><c r="xfd1048576" t="inlineStr"><is><t>x</t></is></c></row>',
    "single quotes": "<row r='1048576'><c r='XFD1048576' t='inlineStr'><is><t>x</t></is></c></row>",
    "row without r": '<row r="1048575"/><row><c r="XFD1048576"><v>1</v></c></row>',
    "newline before r": '<row r="1048576"><c\nr="XFD1048576"><v>1</v></c></row>',
}


def error_cell_workbook(path: Path, fw: Framework, variant: str) -> tuple[Path, str]:
    """Three cases with ``#N/A`` in row 3's answer, written as ``ERROR_VARIANTS[variant]``;
    returns the workbook and the cell's reference."""
    table = case_table(fw, 3)
    ref = f"{letter(table, ANSWER)}3"
    write_xlsx(path, table, errors={ref: "#N/A"})
    old, new = ERROR_VARIANTS[variant]
    fields = {"ref": ref, "low": ref.lower(), "ns": NS}
    change = replace_bytes(old.format(**fields), new.format(**fields))
    if variant == "prefixed elements":
        rewrite_member(
            path, SHEET1, lambda xml: change(xml).replace(b"#N/A</v></c>", b"#N/A</x:v></x:c>")
        )
    else:
        rewrite_member(path, SHEET1, change)
    return path, ref


def write_zip(path: Path, parts: dict[str, bytes]) -> Path:
    """A zip of exactly ``parts`` (e.g. an OpenDocument file named ``.xlsx``)."""
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    return path


def with_forces(fw: Framework, names: Sequence[str], first: int = 1) -> Table:
    """One valid case per name, its Force cell spelt as given."""
    table = case_table(fw, len(names), first=first)
    for i, name in enumerate(names):
        set_cell(table, i + 2, "Force", name)
    return table


def write_sparse_cases(path: Path, fw: Framework) -> Path:
    """Row 2 answers one indicator of its first stage and leaves every other blank;
    row 3 answers one and marks the rest of that stage not applicable (complete);
    row 4 is a full case."""
    table = case_table(fw, 3)
    first = stage_labels(fw, fw.stages[0].id)
    labels = {r.indicator.label for r in fw.indicators}
    for excel_row in (2, 3):
        for j, heading in enumerate(table[0]):
            if heading in labels:
                table[excel_row - 1][j] = ""
        for k, label in enumerate(first):
            value = "Yes" if k == 0 else ("" if excel_row == 2 else "Not applicable")
            table[excel_row - 1][table[0].index(label)] = value
    return write_csv(path, table)


def write_case_list(path: Path, rows: Sequence[tuple[str, str]]) -> Path:
    """A case list to sample from: (case reference, force) rows, all Domestic abuse."""
    lines = ["Case reference,Force,Area of practice"]
    lines += [f"{ref},{force},Domestic abuse" for ref, force in rows]
    return write_lines(path, lines)


def refusing_hidden(fw: Framework) -> Framework:
    """``fw`` with ``reporting.hidden_rows: error``."""
    reporting = fw.reporting.model_copy(update={"hidden_rows": "error"})
    return fw.model_copy(update={"reporting": reporting})


def hide_rows(path: Path, rows: tuple[int, ...]) -> Path:
    """Mark Excel rows ``rows`` of the first sheet hidden."""
    for row in rows:
        rewrite_member(path, SHEET1, replace_bytes(f'<row r="{row}"', f'<row r="{row}" hidden="1"'))
    return path

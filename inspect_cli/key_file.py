"""An anonymisation key given back: ``--key-file KEY.csv`` naming a file that exists.

The key is read as the tool writes it (``render/csv.write_key_csv``): CSV text in
UTF-8 (a byte-order mark or Windows-1252 text from Excel is accepted), the first row
``pseudonym,force``, then one force a row. It is an input: never changed, never
replaced. Anything else is refused, naming the file, the row, what was found and
what was expected: a key that cannot be trusted must not decide which force a
reader sees.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from inspect_cli import problems as P
from inspect_cli.errors import InspectError
from inspect_cli.identity import force_key, shown, tidy_name
from inspect_cli.problems import Problem
from inspect_cli.reports.pseudonyms import PSEUDONYM

MAX_BYTES = 1_000_000
"""A key is one short row a force: anything bigger is not a key."""
HEADER = ["pseudonym", "force"]
EXAMPLE = "a key file is the CSV --key-file writes: first row 'pseudonym,force', then "
EXAMPLE += "one force a row, e.g. 'Force A,Kent Police'"


@dataclass(frozen=True)
class Key:
    """Which pseudonym stands for which force, read from ``file``."""

    file: str
    pseudonyms: dict[str, str]
    """Identity key of each force → its pseudonym."""


class KeyFileError(InspectError):
    """A key file that cannot be used (exit 1: a problem with an input file)."""


@dataclass
class _Rows:
    """The rows read so far: where each force and each pseudonym was first seen."""

    file: str
    pseudonyms: dict[str, str] = field(default_factory=dict)
    force_at: dict[str, tuple[int, str]] = field(default_factory=dict)
    pseudonym_at: dict[str, tuple[int, str]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def bad(self, detail: str, row: int | None = None) -> None:
        self.problems.append(P.BAD_KEY_FILE.at(self.file, row=row, detail=detail))

    def add(self, cells: list[str], row: int) -> None:
        if len(cells) > 2:
            self.bad(f"{len(cells)} cells; expected two: a pseudonym and a force", row)
            return
        pseudonym, force = [*cells, "", ""][:2]
        pseudonym, force = pseudonym.strip(), tidy_name(_unquoted(force))
        if not force:
            self.bad(f"{shown(pseudonym)} has no force; expected the force's name", row)
        elif not PSEUDONYM.fullmatch(pseudonym):
            swapped = " (are the two columns the wrong way round?)" if _looks_swapped(cells) else ""
            self.bad(
                f"{shown(pseudonym)} is not a pseudonym; expected 'Force' and capital "
                f"letters, e.g. 'Force A'{swapped}",
                row,
            )
        else:
            self._record(pseudonym, force, row)

    def _record(self, pseudonym: str, force: str, row: int) -> None:
        key = force_key(force)
        if key in self.force_at:
            at, earlier = self.force_at[key]
            self.bad(
                f"{shown(force)} is listed again (first on row {at}, as {earlier!r}); "
                "a force has one pseudonym",
                row,
            )
        elif pseudonym in self.pseudonym_at:
            at, other = self.pseudonym_at[pseudonym]
            self.bad(
                f"{pseudonym!r} is given to {shown(other)} (row {at}) and to {shown(force)}; "
                "a pseudonym stands for one force",
                row,
            )
        else:
            self.force_at[key] = (row, pseudonym)
            self.pseudonym_at[pseudonym] = (row, force)
            self.pseudonyms[key] = pseudonym


def read_key(path: Path) -> Key:
    """The key in ``path``, or :class:`KeyFileError` naming every problem found."""
    rows = _Rows(path.name)
    records = _records(path, rows)
    if records is not None:
        _read_rows(records, rows)
    if rows.problems:
        details = [f"{p.location()}: {p.message}" for p in rows.problems[:10]]
        if len(rows.problems) > 10:
            details.append(f"… and {len(rows.problems) - 10} more")
        raise KeyFileError(
            f"cannot use the key file {path}; nothing was read or written, and the key "
            "file is left as it is",
            details=(*details, EXAMPLE),
        )
    return Key(str(path), rows.pseudonyms)


def _read_rows(records: list[list[str]], rows: _Rows) -> None:
    head = [c.strip().casefold() for c in _trimmed(records[0] if records else [])]
    if head != HEADER:
        found = ", ".join(shown(c) for c in head) or "nothing"
        commas = " (separated by commas)" if any(";" in c or "\t" in c for c in head) else ""
        rows.bad(f"the first row must be 'pseudonym,force'{commas}; found {found}", 1)
        return
    for row, record in enumerate(records[1:], start=2):
        cells = _trimmed(record)
        if cells:
            rows.add(cells, row)
    if not rows.problems and not rows.pseudonyms:
        rows.bad("the key lists no force")


def _records(path: Path, rows: _Rows) -> list[list[str]] | None:
    """Every CSV record of ``path``, or None once a problem is recorded."""
    try:
        if path.stat().st_size > MAX_BYTES:
            rows.bad(f"over {MAX_BYTES:,} bytes; a key lists one force a row")
            return None
        data = path.read_bytes()
    except OSError as exc:
        rows.bad(f"cannot read the file ({exc.strerror or exc})")
        return None
    if b"\x00" in data:
        rows.bad("it holds NUL bytes: not CSV text (a workbook, or UTF-16 text?)")
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")  # Excel's 'CSV' on a UK Windows machine
        except UnicodeDecodeError:
            rows.bad("the text is neither UTF-8 nor Windows-1252; save it as 'CSV UTF-8'")
            return None
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        return [list(r) for r in reader]
    except csv.Error as exc:
        rows.bad(f"line {reader.line_num}: not valid CSV ({exc})")
        return None


def _trimmed(cells: list[str]) -> list[str]:
    """``cells`` without the blank cells a spreadsheet may leave at the end of a row."""
    out = list(cells)
    while out and not out[-1].strip():
        out.pop()
    return out


def _unquoted(cell: str) -> str:
    """A force name as it was before the key's writer quoted a formula-like start."""
    from inspect_cli.render.cells import FORMULA_STARTS  # the writer's own list

    return cell[1:] if cell.startswith("'") and cell[1:2] in FORMULA_STARTS else cell


def _looks_swapped(cells: list[str]) -> bool:
    return len(cells) == 2 and PSEUDONYM.fullmatch(cells[1].strip()) is not None


def given_back(key_file: Path | None, others: list[Path]) -> Path | None:
    """``key_file`` when it names an existing key to read: a file that is not one of
    ``others`` (the case inputs, the report, the register), which stay refused as
    outputs the way any input is."""
    from inspect_cli.safe_write import same_file

    if key_file is None or not key_file.is_file():
        return None
    return None if any(same_file(key_file, o) for o in others) else key_file

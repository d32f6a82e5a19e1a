"""Problems found in input files, each with a type, a title and a located message.

Modelled on frictionless-py's errors: every problem type has a stable code (part
of the JSON contract of ``validate --format json``), a title and a message
template; each problem carries where it is (file, sheet, Excel row, column).
Loading collects every problem before anything is reported.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, replace
from typing import Any, Literal

Severity = Literal["error", "warning", "note"]


@dataclass(frozen=True)
class ProblemType:
    code: str
    title: str
    severity: Severity
    template: str

    def at(
        self,
        file: str | None,
        sheet: str | None = None,
        row: int | None = None,
        column: str | None = None,
        header: str | None = None,
        **params: Any,
    ) -> Problem:
        return Problem(
            code=self.code,
            severity=self.severity,
            message=self.template.format(row=row, column=column, header=header, **params),
            file=file,
            sheet=sheet,
            row=row,
            column=column,
            header=header,
        )


@dataclass(frozen=True)
class Problem:
    code: str
    severity: Severity
    message: str
    file: str | None = None
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    header: str | None = None

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def location(self) -> str:
        """'cases.xlsx, sheet Cases, row 7, column F (Suspect interviewed promptly)'."""
        parts = []
        if self.file:
            parts.append(self.file)
        if self.sheet:
            parts.append(f"sheet {self.sheet!r}")
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column:
            col = f"column {self.column}"
            if self.header:
                col += f" ({self.header})"
            parts.append(col)
        elif self.header:
            parts.append(f"column {self.header!r}")
        return ", ".join(parts)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _t(code: str, title: str, severity: Severity, template: str) -> ProblemType:
    return ProblemType(code, title, severity, template)


# File level
FILE_NOT_FOUND = _t("file-not-found", "File not found", "error", "input not found: {path}")
NO_INPUT_FILES = _t(
    "no-input-files",
    "No case files",
    "error",
    "no .xlsx, .xlsm or .csv files in this folder",
)
FILE_EMPTY = _t("file-empty", "Empty file", "error", "file is empty (0 bytes)")
UNSUPPORTED_FORMAT = _t("unsupported-format", "Unsupported format", "error", "{detail}")
ENCRYPTED = _t(
    "encrypted-workbook",
    "Password-protected workbook",
    "error",
    "workbook is password-protected; open it in Excel, remove the password "
    "(File > Info > Protect Workbook) and save it again",
)
LEGACY_XLS = _t(
    "legacy-xls",
    "Legacy .xls workbook",
    "error",
    "this is a legacy Excel 97-2003 (.xls) workbook, which is not supported; "
    "open it in Excel and save it as .xlsx",
)
CORRUPT = _t("corrupt-workbook", "Corrupt workbook", "error", "{detail}")
UNSAFE = _t("unsafe-content", "Unsafe content", "error", "{detail}")
TOO_LARGE = _t("too-large", "Over a safety limit", "error", "{detail}")
DUPLICATE_PART = _t(
    "duplicate-part",
    "Part stored twice",
    "error",
    "the workbook zip holds the part {part} more than once ({parts}); readers would pick "
    "one copy at random, so it is refused: open it in Excel and save it again",
)
UNREADABLE_PART = _t(
    "unreadable-part",
    "Part cannot be read",
    "error",
    "the workbook part {part} {why}; open the file in Excel and save it again",
)
DUPLICATE_SHEET = _t(
    "duplicate-sheet-name",
    "Two sheets with one name",
    "error",
    "two sheets are named {found!r} (the first spelt {first!r}), which Excel does not "
    "allow; readers would read one twice and the other never: rename one",
)
BAD_SHARED_STRING = _t(
    "bad-shared-string",
    "Broken text reference",
    "error",
    "a text cell points at shared string {found}, but the workbook holds {count} "
    "(numbered 0 to {limit}); the file is damaged: open it in Excel and save it again",
)
ENCODING = _t("encoding-error", "Text encoding", "error", "{detail}")
DECODED_AS = _t("decoded-as", "Text encoding", "note", "decoded as {encoding}: {why}")
CSV_SYNTAX = _t("csv-syntax", "CSV syntax", "error", "{detail}")
OUTPUT_FILE_SKIPPED = _t(
    "inspect-cli-output",
    "Output of this tool",
    "note",
    "skipped: this file is an inspect-cli output, not a case audit",
)
LOCK_FILE_SKIPPED = _t(
    "lock-file",
    "Excel lock file",
    "note",
    "skipped: a temporary file Excel keeps while a workbook is open",
)
SUBFOLDERS_NOT_READ = _t(
    "subfolders-not-read",
    "Sub-folders not read",
    "warning",
    "{count} sub-folder(s) hold case files ({names}) and were not read; "
    "use --recursive to read them",
)

# Sheet and header level
NO_HEADER = _t("header-not-found", "No header row", "error", "{detail}")
HEADER_NOT_FIRST = _t(
    "header-row", "Header row", "note", "header found on row {row}; rows above it are ignored"
)
SHEET_SKIPPED = _t("sheet-skipped", "Sheet skipped", "note", "{detail}")
SHEET_NOT_FOUND = _t(
    "sheet-not-found",
    "Chosen sheet not found",
    "error",
    "no sheet named {wanted} (--sheet) in this workbook; its sheets are {sheets}",
)
NOT_CASE_SHEET = _t(
    "not-case-sheet",
    "Not a case sheet",
    "warning",
    "sheet {name!r} does not look like a case sheet: it has {found} of the {total} case "
    "columns ({names}); skipped (use --sheet to choose the case sheet)",
)
NO_CASE_SHEET = _t(
    "no-case-sheet",
    "No case sheet",
    "error",
    "no sheet of this workbook looks like a case sheet: sheet {name!r} has {found} of the "
    "{total} case columns ({names}); missing: {missing}. Add the missing columns (see "
    "'inspect-cli template'), or use --sheet {name!r} to read it as it is and list every problem",
)
TOTALS_ROW = _t(
    "totals-row",
    "Totals row",
    "warning",
    "row {row} looks like a totals row: {why}; it is left out, not read as a case "
    "(delete it or leave it out)",
)
HIDDEN_SHEET = _t(
    "hidden-sheet",
    "Hidden sheet with cases",
    "warning",
    "this sheet is hidden in Excel but holds cases; its cases are included",
)
HIDDEN_ROWS = _t(
    "hidden-rows",
    "Cases in hidden rows",
    "warning",
    "{count} case row(s) are hidden in Excel (by hand or by a filter) and are included: {rows}",
)
HIDDEN_ROW_REFUSED = _t(
    "hidden-row-refused",
    "Case in a hidden row",
    "error",
    "this row is hidden in Excel (by hand or by a filter); the framework refuses cases in "
    "hidden rows (reporting.hidden_rows: error): unhide the row, or delete it if it is not "
    "meant to count",
)
HEADER_ROW_DOUBT = _t(
    "header-row-doubt",
    "Two header-like rows",
    "warning",
    "row {row} was taken as the header; row {other} looks like the header too ({detail}); "
    "if row {other} is the header, delete the rows above it",
)
HEADER_ROW_LATER = _t(
    "header-row-later",
    "Header row below a header-like row",
    "warning",
    "row {other} looks like a header, but row {row} {detail}: row {row} was taken as the "
    "header and the rows above it are ignored",
)
MISSING_COLUMN = _t(
    "missing-column", "Missing column", "error", "required column {field!r} not found{hint}"
)
DUPLICATE_COLUMN = _t(
    "duplicate-column",
    "Duplicate column",
    "error",
    "columns {first} and {second} are both {field!r}; keep one and delete the other",
)
BLANK_HEADER = _t(
    "blank-header", "Blank header", "error", "column {column} has values but no header"
)
UNKNOWN_COLUMN = _t(
    "unknown-column",
    "Column not in the framework",
    "note",
    "column {header!r} is not part of the framework; ignored",
)
MERGED_CELLS = _t(
    "merged-cells",
    "Merged cells",
    "error",
    "cells {range} are merged; unmerge them and fill in every row",
)
MERGED_HEADER = _t(
    "merged-header",
    "Merged header cells",
    "error",
    "header cells {range} are merged; give each column its own header",
)

# Row and cell level
BLANK_ROWS = _t("blank-rows", "Blank rows", "note", "{count} blank row(s) skipped: {rows}")
RAGGED_ROW = _t(
    "ragged-row",
    "Wrong number of fields",
    "error",
    "expected {expected} fields (as in the header), found {found}",
)
MISSING_VALUE = _t(
    "missing-value", "Missing value", "error", "{field} is blank; every case needs one"
)
UNKNOWN_RESPONSE = _t(
    "unknown-response",
    "Unknown answer",
    "error",
    "answer {found} is not on the scale; expected one of: {allowed}",
)
INVALID_VALUE = _t(
    "invalid-value", "Invalid value", "error", "{found} is not allowed; expected {expected}"
)
TYPE_ERROR = _t("type-error", "Wrong type", "error", "expected {expected}, found {found}")
EXCEL_ERROR = _t(
    "excel-error",
    "Excel error value",
    "error",
    "cell holds the Excel error {value}; fix the cell or its formula",
)
FORMULA_NO_VALUE = _t(
    "formula-no-value",
    "Formula without a value",
    "error",
    "cell holds a formula with no calculated value; open the file in Excel and save it",
)
FORMULA_CACHED = _t(
    "formula-cached",
    "Formulas",
    "note",
    "{count} cell(s) hold formulas; their calculated values were used ({cells})",
)
DUPLICATE_CASE = _t(
    "duplicate-case",
    "Duplicate case",
    "error",
    "case {case_ref!r} of {force} ({audit_type}) appears again; first seen at {first} "
    "(a second reading of a case needs a different name in the Auditor column of every "
    "reading)",
)
AGREED_GRADE_CONFLICT = _t(
    "agreed-grade-conflict",
    "Agreed grades differ",
    "error",
    "case {case_ref!r} of {force} ({audit_type}) gives agreed grade {grade!r}, but its "
    "reading at {first} gives {earlier!r}; a double-read case has one agreed grade",
)
# Referrals back (inspect_cli.load.referrals): a child found at risk now. Dates and free
# text are never repeated in these messages: they may identify a child.
UNKNOWN_REFERRAL_REASON = _t(
    "unknown-referral-reason",
    "Referral reason not on the list",
    "error",
    "the referral reason is not one of the framework's referral reasons (the text is not "
    "repeated here); expected one of: {allowed}",
)
REFERRAL_DATE_NOT_REFERRED = _t(
    "referred-on-not-referred",
    "Referral date without a referral",
    "error",
    "a date referred back is given, but {referred_back} is {found}; if the case was "
    "referred back to the force, put yes there, else clear the date",
)
REFERRAL_DATE_MISSING = _t(
    "referral-date-missing",
    "Referral without a date",
    "error",
    "the case is referred back (yes), but {where}; give the date it was referred back, "
    "so the days waiting for the force's response can be counted",
)
RESPONSE_BEFORE_REFERRAL = _t(
    "response-before-referral",
    "Force response before the referral",
    "error",
    "the force's response date is before the date the case was referred back "
    "({referred_on}); check both dates",
)
# Entity identity (inspect_cli.identity): one force, however it is spelt
FORCE_SPELLINGS_MERGED = _t(
    "force-spellings-merged",
    "One force spelt several ways",
    "warning",
    "force {name!r} is spelt {count} ways; counted as one force, shown as {name!r}: {variants}",
)
FORCE_LOOKALIKE = _t(
    "force-lookalike",
    "Look-alike letters in a force name",
    "error",
    "force {name} mixes Latin letters with look-alike {letters}{like}; retype it in Latin "
    "letters (found at {where})",
)
FORCE_NOT_IN_REGISTER = _t(
    "force-not-in-register",
    "Force not in the register",
    "error",
    "force {name} is not in the force register {register}; closest listed: {closest} "
    "(found at {where})",
)
FORCE_REGISTER_MAPPED = _t(
    "force-register-mapped",
    "Force named through the register",
    "note",
    "{spellings} counted as {name!r}, as the force register {register} says ({where})",
)
BAD_FORCE_REGISTER = _t("bad-force-register", "Unusable force register", "error", "{detail}")
# Anonymisation keys (--key-file KEY.csv that exists: inspect_cli.key_file)
BAD_KEY_FILE = _t("bad-key-file", "Unusable anonymisation key", "error", "{detail}")
FORCE_NOT_IN_KEY = _t(
    "force-not-in-key",
    "Force not in the anonymisation key",
    "error",
    "the key file {key_file} lists no letter for {count} force(s) in the data: {names}",
)
CASE_REF_CLEANED = _t(
    "case-ref-cleaned",
    "Invisible characters in case references",
    "warning",
    "{count} case reference(s) held invisible characters, unusual spaces or compatibility "
    "forms; read without them: {cells}",
)
REQUIRED_STAGE_BLANK = _t(
    "required-stage-blank",
    "Required stage blank",
    "error",
    "stage {stage!r} must be answered for {area!r} cases, but all its indicators are blank",
)
REQUIRED_STAGE_NOT_APPLICABLE = _t(
    "required-stage-not-applicable",
    "Required stage not applicable",
    "warning",
    "stage {stage!r} is expected for {area!r} cases, but every indicator is not applicable",
)
FEW_ANSWERED = _t(
    "few-answered",
    "Few indicators answered",
    "warning",
    "only {answered} of {applicable} applicable indicators answered; fewer than {share} "
    "of those that apply in: {stages}. The case is graded on the answers given: check "
    "the blanks",
)
NO_ANSWERS = _t(
    "no-answers",
    "Nothing to score",
    "error",
    "no indicator has an answer other than not applicable; the case cannot be scored",
)
NO_CASES = _t("no-cases", "No cases", "error", "{detail}")
TEXT_TOO_LONG = _t(
    "text-too-long",
    "Very long text",
    "warning",
    "text of {length:,} characters was cut to {limit:,}",
)
FRAMEWORK_SHADOWS_SHIPPED = _t(
    "framework-shadows-shipped",
    "Framework file shadows a shipped one",
    "warning",
    "{detail}",
)

# Case lists (inspect-cli sample)
NOT_CARRIED = _t(
    "not-carried",
    "Column not carried",
    "note",
    "column {header!r} holds audit answers; not carried into the sample (an audit starts blank)",
)
DUPLICATE_CANDIDATE = _t(
    "duplicate-candidate",
    "Duplicate case in a case list",
    "error",
    "case {case_ref!r}{of_force} appears again; first seen at {first}",
)
FORCE_SPELT_BY_ROUND = _t(
    "force-spelt-by-round",
    "One force spelt differently in different rounds",
    "warning",
    "force {name!r} is spelt differently in different rounds; compared as one force, shown "
    "as {name!r}: {variants}",
)
LEFT_BLANK = "; left blank in the sample"
"""Added to a bad value's message in a case list column other than the keys."""


def left_blank(problem: Problem) -> Problem:
    """A bad value in a case list's extra column: a warning, as the draw needs only the keys.

    The code stays the cell's own (``type-error``, ``excel-error``...): what is wrong
    with the cell is the same; only what happens to it differs.
    """
    return replace(problem, severity="warning", message=problem.message + LEFT_BLANK)


ALL_TYPES: tuple[ProblemType, ...] = tuple(
    v for v in globals().values() if isinstance(v, ProblemType)
)


def worth_listing(problems: Iterable[Problem]) -> list[Problem]:
    """What a command lists before its result: errors and warnings. Notes (a file
    skipped, a value read one way) are listed by ``validate``, which shows everything."""
    return [p for p in problems if p.severity != "note"]

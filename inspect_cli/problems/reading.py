"""The problems of reading case files: the file, its sheets and headers, rows and
cells, and the checks on each case."""

from __future__ import annotations

from inspect_cli.problems.model import ProblemType as _t

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
NEAR_COLUMN = _t(
    "near-column",
    "Column looks like a known one",
    "warning",
    "column {header!r} is not part of the framework and is ignored, but it looks like "
    "{known!r}{why}; if it is that column, give it that heading",
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
RATIONALE_MISSING = _t(
    "rationale-missing",
    "No rationale for a differing grade",
    "warning",  # the framework's reporting.rationale_required_when_differs may make it an error
    "the overall grade {recorded!r} counts as {counts_as}, but the framework suggests "
    "{suggested}, and no grade rationale says why; give the reason in the Grade rationale "
    "column (reporting.rationale_required_when_differs: {setting})",
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

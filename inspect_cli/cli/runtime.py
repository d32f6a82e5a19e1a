"""What every command shares: consoles, error handling, progress, inputs and outputs."""

from __future__ import annotations

import codecs
import contextlib
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.text import Text

from inspect_cli.cli.pipes import PipeSafeConsole, end_quietly
from inspect_cli.errors import InspectError, UsageError
from inspect_cli.render.text.plain import say

if TYPE_CHECKING:
    from inspect_cli.load import Selection
    from inspect_cli.read import Limits
    from inspect_cli.render.outputs import AnyReport
    from inspect_cli.score import ScoreResult

# Text from case files is never markup (see render.text.plain); these settings are the
# second guard, for anything printed as a plain string.
out = PipeSafeConsole(highlight=False, soft_wrap=False, markup=False, emoji=False)
err = PipeSafeConsole(stderr=True, highlight=False, markup=False, emoji=False)

INTERNAL_ERROR = 70
INTERRUPTED = 130
"""Ctrl-C (SIGINT), as shells report it: 128 + 2. SIGTERM during a write gives 143."""
PRINTABLE = ("table", "json")
"""Formats that can go to standard output; every other format needs -o FILE."""

_debug = {"on": bool(os.environ.get("INSPECT_CLI_DEBUG"))}
_quiet = {"on": False}
_limits: dict[str, int] = {}


def set_debug(on: bool) -> None:
    # Set afresh for every run (one process may run many commands, as the tests do).
    _debug["on"] = on or bool(os.environ.get("INSPECT_CLI_DEBUG"))


def set_quiet(on: bool) -> None:
    _quiet["on"] = on


def set_limits(**limits: int | None) -> None:
    """Safety limits given on the command line (see inspect_cli.read.Limits)."""
    _limits.clear()
    _limits.update({k: v for k, v in limits.items() if v is not None})


def current_limits() -> Limits:
    from inspect_cli.read import Limits

    return Limits(**_limits)


@contextlib.contextmanager
def progress(action: str) -> Iterator[Callable[[int, int, str], None]]:
    """A progress bar on stderr while files are read, then a spinner for ``action``.

    Silent with --quiet and when stderr is not a terminal (a pipe, a file, CI), so
    it never mixes into output that a program reads.
    """
    if _quiet["on"] or not err.is_terminal:
        yield lambda number, total, name: None
        return
    from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn

    bar = Progress(
        SpinnerColumn(),
        TextColumn("{task.description}", markup=False),  # file names are not markup
        BarColumn(),
        console=err,
        transient=True,
    )
    task = bar.add_task(action, total=None)

    def on_file(number: int, total: int, name: str) -> None:
        text = f"Reading {name} ({number} of {total})"
        bar.update(task, total=total, completed=number - 1, description=text)
        bar.refresh()

    with bar:
        yield on_file
        bar.reset(task, total=None, description=action)  # a spinner while the rest runs


@contextlib.contextmanager
def cli_errors() -> Iterator[None]:
    """Errors become a message and an exit code; a traceback only with --debug.

    Every command runs inside this, so it is also where the output streams are made
    safe for the console's encoding (:func:`safe_streams`), and where an interrupt
    (Ctrl-C, SIGTERM) becomes exit code 130 or 143: any file being written has
    already been removed by then (see inspect_cli.safe_write)."""
    safe_streams()
    try:
        yield
    except InspectError as exc:
        err.print(Text("error: ", style="bold red") + Text(exc.message))
        for line in exc.details:
            say(err, f"  {line}")
        raise typer.Exit(exc.exit_code) from None
    except (typer.Exit, typer.Abort):
        raise
    except BrokenPipeError:  # the reader of stdout stopped early (`| head`): not a failure
        end_quietly()
    except KeyboardInterrupt as exc:
        say(err, "interrupted: stopped before finishing; no half-written file is left")
        raise typer.Exit(getattr(exc, "exit_code", INTERRUPTED)) from None
    except Exception as exc:
        if _debug["on"]:
            raise
        say(
            err,
            Text.assemble(
                ("internal error:", "bold red"),
                f" {type(exc).__name__}. This is a bug in "
                "inspect-cli, not in your data. Run again with --debug for details and report it.",
            ),
        )
        raise typer.Exit(INTERNAL_ERROR) from None


def pick_format(
    output: Path | None, given: str | None, allowed: tuple[str, ...], default: str
) -> str:
    """--format wins; otherwise the output's extension; otherwise the default.

    Checked before anything is read: a format that cannot go to the terminal without
    -o FILE is a usage mistake, not something to find out after a long run."""
    suffix = output.suffix.lower().lstrip(".") if output is not None else ""
    if given and suffix in allowed and suffix != given.lower():
        raise UsageError(f"--format {given} does not match the output file name {output}")
    if given:
        fmt = given.lower()
    elif output is not None:
        fmt = output.suffix.lower().lstrip(".")
    else:
        fmt = default
    if fmt not in allowed:
        raise UsageError(
            f"unknown output format {fmt!r}", details=(f"choose one of: {', '.join(allowed)}",)
        )
    if output is None and fmt not in PRINTABLE:
        raise UsageError(f"--format {fmt} needs -o FILE", details=("e.g. -o report." + fmt,))
    return fmt


def check_outputs(
    inputs: Sequence[Path],
    overwrite: bool,
    *targets: Path | None,
    framework: str | Path | None = None,
    register: Path | None = None,
    report_format: str | None = None,
) -> list[Path]:
    """The one rule for outputs, applied before any input is read: no output may
    replace an input, an existing file (without --overwrite) or another output.

    The inputs are every file named on the command line: case files and folders (and
    the case files in them), the framework file (given as a path, or a shipped id's
    file) and the force ``register``. Returns them all, for :func:`write_output` to
    check again when it writes. ``report_format`` is the format of the first target,
    a report: a file it writes beside it (a CSV's metadata) is an output too."""
    from inspect_cli.frameworks import framework_file
    from inspect_cli.load import expand_inputs
    from inspect_cli.safe_write import check_target, same_file

    fw_file = framework_file(framework) if framework is not None else None
    named = [*inputs, *(f for f in (fw_file, register) if f is not None)]
    files, _ = expand_inputs(inputs, recursive=True)
    protected = [*named, *files]
    given = [t for t in targets if t is not None]
    if report_format is not None and targets and targets[0] is not None:
        from inspect_cli.render.outputs import report_files

        given[1:1] = report_files(report_format, targets[0])[1:]
    for i, target in enumerate(given):
        for earlier in given[:i]:
            if same_file(target, earlier):
                raise UsageError(
                    f"{earlier} and {target} are the same file: one output would replace the other",
                    details=("give each output (-o, --key-file) its own file name",),
                )
    for target in given:
        check_target(target, protected, force=overwrite)
    return protected


def write_output(
    target: Path, inputs: Sequence[Path], overwrite: bool, write: Callable[[Path], None]
) -> None:
    """Write ``target`` atomically (``write`` fills a temporary file that is moved into
    place), never over an input, and say so on stderr."""
    from inspect_cli.load import expand_inputs
    from inspect_cli.safe_write import check_target, write_atomic

    files, _ = expand_inputs(inputs, recursive=True)
    check_target(target, [*inputs, *files], force=overwrite)
    with progress(f"Writing {target.name}"):
        write_atomic(target, write)
    say(err, f"wrote {target}")


def write_outputs(
    targets: Sequence[Path],
    inputs: Sequence[Path],
    overwrite: bool,
    write: Callable[[Sequence[Path]], None],
) -> None:
    """Write files that belong together (a CSV and its metadata) as :func:`write_output`
    writes one: ``write`` fills a temporary file for each, then all are moved into
    place in order, or none is (see safe_write.write_atomic_group)."""
    from inspect_cli.load import expand_inputs
    from inspect_cli.safe_write import Inputs, check_target, write_atomic_group

    files, _ = expand_inputs(inputs, recursive=True)
    every = Inputs([*inputs, *files])
    for target in targets:
        check_target(target, every, force=overwrite)
    with progress(f"Writing {targets[0].name}"):
        write_atomic_group(targets, write)
    for target in targets:
        say(err, f"wrote {target}")


def print_json(text: str) -> None:
    """JSON to stdout, exactly as given when the stream can encode it; otherwise each
    character it cannot encode is written as a \\uXXXX escape, which is the same JSON."""
    text = text if text.endswith("\n") else text + "\n"
    sys.stdout.write(_encodable_json(text, getattr(sys.stdout, "encoding", None)))


def _encodable_json(text: str, encoding: str | None) -> str:
    try:
        if not encoding or codecs.lookup(encoding).name == "utf-8":
            return text  # encodes everything: no need to try
        return text.encode(encoding, errors=JSON_ESCAPES).decode(encoding)
    except LookupError:
        return text


def _json_escapes(exc: UnicodeError) -> tuple[str, int]:
    """Characters the stream cannot encode, as JSON escapes (astral ones as a surrogate
    pair). JSON's own syntax is ASCII, so they can only be inside strings."""
    if not isinstance(exc, UnicodeEncodeError):
        raise exc
    escaped = []
    for char in exc.object[exc.start : exc.end]:
        units = char.encode("utf-16-be", errors="surrogatepass")
        escaped += [f"\\u{int.from_bytes(units[i : i + 2]):04x}" for i in range(0, len(units), 2)]
    return "".join(escaped), exc.end


CONSOLE_SUBSTITUTES = {
    "\u2192": "->",  # →
    "\u2190": "<-",
    "\u25b2": "^",  # ▲ (went up)
    "\u25bc": "v",  # ▼ (went down)
    "\u03c7": "chi",  # χ (χ² is "chi²" in cp1252, "chi^2" in ASCII)
    "\u00b2": "^2",
    "\u2265": ">=",
    "\u2264": "<=",
    "\u2248": "~",
    "\u2212": "-",
    "\u00b1": "+/-",
    "\u2013": "-",
    "\u2014": "--",
    "\u2026": "...",
    "\u2022": "*",
    "\u00d7": "x",
    "\u00b7": ".",
    "\u2018": "'",
    "\u2019": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u00a0": " ",
    "\u2713": "yes",
    "\u2717": "no",
}
"""What the terminal shows for a character its encoding lacks (e.g. cp1252, the
encoding of a redirected stream on a UK Windows machine). Only characters the stream
cannot encode are replaced; any other is shown as a \\uXXXX escape, so that a name
is never silently changed into another."""


def _console_substitutes(exc: UnicodeError) -> tuple[str, int]:
    if not isinstance(exc, UnicodeEncodeError):
        raise exc
    chars = exc.object[exc.start : exc.end]
    return "".join(CONSOLE_SUBSTITUTES.get(c) or _escape(c) for c in chars), exc.end


def _escape(char: str) -> str:
    code = ord(char)
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


CONSOLE_ERRORS = "inspect-cli-console"
JSON_ESCAPES = "inspect-cli-json"
codecs.register_error(CONSOLE_ERRORS, _console_substitutes)
codecs.register_error(JSON_ESCAPES, _json_escapes)


def safe_streams() -> None:
    """Make stdout and stderr replace what their encoding cannot show (see
    CONSOLE_SUBSTITUTES) instead of failing: output redirected to a file on Windows
    is written in the ANSI code page, which has no ▲, → or χ. The rich consoles write
    through these streams, so they follow."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None and getattr(stream, "errors", None) != CONSOLE_ERRORS:
            with contextlib.suppress(ValueError, OSError):  # a closed or odd stream
                reconfigure(errors=CONSOLE_ERRORS)


def load_and_score_or_exit(
    inputs: Sequence[Path],
    framework: str,
    *,
    reasons: bool = True,
    then: Callable[[], None] | None = None,
    allow_partial: bool = False,
    refusal: str = (
        "No report was written: fix the errors above and run again, or use --allow-partial "
        "to report on the rest (the report then lists what it left out)."
    ),
    refuse_when_empty: bool = True,
    action: str = "Scoring",
    forces: Path | None = None,
    selection: Selection | None = None,
) -> ScoreResult:
    """Load and score ``inputs``, listing every error and warning on stderr; exit 1
    with ``refusal`` when errors (or, with ``refuse_when_empty``, no case) leave nothing
    to score."""
    from inspect_cli.frameworks import resolve_framework
    from inspect_cli.pipeline import load_and_score
    from inspect_cli.problems import worth_listing
    from inspect_cli.render.text.problems import print_problems, summary_line

    fw = resolve_framework(framework)
    with progress(action) as on_file:
        scored = load_and_score(
            inputs,
            fw,
            limits=current_limits(),
            on_file=on_file,
            then=then,
            reasons=reasons,
            allow_partial=allow_partial,
            forces=forces,
            selection=selection,
        )
    shown = worth_listing(scored.load.problems)
    if shown:
        print_problems(err, shown)
    if scored.result is None:
        say(err, summary_line(scored.load))
        if (not scored.load.ok and not allow_partial) or refuse_when_empty:
            say(err, refusal)
        raise typer.Exit(1)
    return scored.result


def emit_report(
    report: AnyReport,
    fmt: str,
    output: Path | None,
    inputs: Sequence[Path],
    overwrite: bool,
    *,
    limit: int,
) -> None:
    """Print ``report`` (table or JSON) or write it to ``output`` in ``fmt``."""
    from inspect_cli.render import outputs

    if output is None:
        if fmt == "json":
            print_json(outputs.report_json(report))
        else:
            outputs.print_report(out, report, limit=limit)
        return
    files = outputs.report_files(fmt, output)
    if len(files) == 1:
        write_output(output, inputs, overwrite, lambda tmp: outputs.write_report(report, fmt, tmp))
    else:
        write_outputs(
            files,
            inputs,
            overwrite,
            lambda tmps: outputs.write_report_files(report, fmt, output, tmps),
        )

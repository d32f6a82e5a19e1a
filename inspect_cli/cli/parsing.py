"""How the command line is read and shown, beyond typer's defaults.

- Global options (``--debug``, ``-q``, ``--max-rows N``, ...) work after the command
  as well as before it: the root group moves them to the front before parsing.
- Help shows meaningful metavars (``--format [table|json]``, ``--limit N``) instead of
  ``<bool>``/``<str>``, and usage lines show ``INPUTS...`` instead of ``{inputs}...``.
"""

from __future__ import annotations

import inspect
from collections.abc import Sequence
from typing import Any

from typer.core import TyperArgument, TyperCommand, TyperGroup, TyperOption

HOISTED_EXCLUDED = frozenset({"install_completion", "show_completion", "help"})
"""Root options that stay where typer expects them (completion is eager and shell-
specific; --help belongs to whichever command it follows)."""


def _tidy(params: Sequence[Any]) -> list[Any]:
    """Give every option a metavar a person can read; options.py names most of them."""
    for param in params:
        if isinstance(param, TyperOption) and param.metavar is None:
            param.metavar = "" if param.is_flag else _metavar(param)
        if isinstance(param, TyperArgument):
            # The argument's name column already says INPUTS...; typer would add its
            # Python type ("<list[Path]>") in the type column.
            setattr(param, "display_type_rich", _no_type)  # noqa: B010  # an instance override
    return list(params)


def _no_type(ctx: object) -> None:
    return None


def _metavar(param: TyperOption) -> str:
    desc = getattr(param, "type_descriptor", None)
    if desc is None:
        return "VALUE"
    if desc.is_choice and desc.choices:
        return "[" + "|".join(str(getattr(c, "value", c)) for c in desc.choices) + "]"
    if desc.is_path:
        return "PATH"
    annotation = getattr(desc, "annotation", None)
    if annotation is int or desc.is_ranged:
        return "N"
    return "TEXT"


def _usage(param: TyperArgument) -> str:
    name = param.metavar or (param.name or "arg").upper()
    name += "..." if param.nargs != 1 and not name.endswith("...") else ""
    return name if param.required else f"[{name}]"


LIST_MARKERS = ("-", "*", "\u2022", "|", " ")


def unwrap(text: str | None) -> str | None:
    """Join the hand-wrapped lines of each help paragraph, so typer wraps it to the
    terminal's width; paragraphs that are lists or indented keep their lines."""
    if not text:
        return text
    paragraphs = inspect.cleandoc(text).split("\n\n")
    return "\n\n".join(
        p
        if any(line.startswith(LIST_MARKERS) for line in p.splitlines()[1:])
        else " ".join(line.strip() for line in p.splitlines())
        for p in paragraphs
    )


class Command(TyperCommand):
    """A command whose help shows readable metavars and usage."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.help = unwrap(self.help)

    def get_params(self, ctx: Any) -> list[Any]:
        return _tidy(super().get_params(ctx))

    def collect_usage_pieces(self, ctx: Any) -> list[str]:
        pieces = [self.options_metavar] if self.options_metavar else []
        for param in self.get_params(ctx):
            if isinstance(param, TyperArgument):
                pieces.append(_usage(param))
            else:
                pieces.extend(param.get_usage_pieces(ctx))
        return pieces


class Group(TyperGroup):
    """A group of commands (``frameworks``, ``report``) with readable metavars."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.help = unwrap(self.help)

    def get_params(self, ctx: Any) -> list[Any]:
        return _tidy(super().get_params(ctx))


class RootGroup(Group):
    """The ``inspect-cli`` group: its own options are accepted anywhere on the line."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        return super().parse_args(ctx, hoist_globals(self, ctx, args))


def _options(command: Any) -> dict[str, TyperOption]:
    return {
        opt: p
        for p in getattr(command, "params", ())
        if isinstance(p, TyperOption)
        for opt in (*p.opts, *p.secondary_opts)
    }


def _takes_value(option: TyperOption) -> bool:
    return not (option.is_flag or option.count)


def hoist_globals(root: Any, ctx: Any, args: list[str]) -> list[str]:
    """``args`` with the root's options that follow a command name moved to the front.

    Walks the line as the parser will: a value of any option is never taken for a
    global option (``--title --debug`` keeps its title), a command's own option of the
    same name wins, and nothing after ``--`` moves."""
    globals_ = {opt: p for opt, p in _options(root).items() if p.name not in HOISTED_EXCLUDED}
    front: list[str] = []
    rest: list[str] = []
    command: Any = root
    i = 0
    while i < len(args):
        arg = args[i]
        if arg == "--":
            rest += args[i:]
            break
        name, has_value, _ = arg.partition("=")
        own = _options(command)
        step = 2 if name in own and _takes_value(own[name]) and not has_value else 1
        if command is not root and name in globals_ and name not in own:
            step = 2 if _takes_value(globals_[name]) and not has_value else 1
            front += args[i : i + step]
        else:
            rest += args[i : i + step]
            if isinstance(command, TyperGroup) and not arg.startswith("-"):
                command = command.get_command(ctx, arg) or command
        i += step
    return front + rest

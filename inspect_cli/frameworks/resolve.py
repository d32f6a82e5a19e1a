"""Loading framework files: shipped ones by id, others by path, each YAML file parsed
safely and checked, with every problem named by key path and line."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from inspect_cli.errors import FrameworkError, UsageError
from inspect_cli.frameworks.checks import check_references, format_loc
from inspect_cli.frameworks.models import Framework, FrameworkInfo
from inspect_cli.frameworks.source import FrameworkSource, remember_source, source_of
from inspect_cli.resources import data_dir


def shipped_frameworks() -> list[FrameworkInfo]:
    """The frameworks that ship with the tool, sorted by id."""
    infos = []
    for path in sorted(data_dir("frameworks").glob("*.yaml")):
        fw = load_framework_file(path)
        infos.append(FrameworkInfo(fw.id, fw.version, fw.title, path))
    return sorted(infos, key=lambda i: i.id)


def resolve_framework(ref: str | Path) -> Framework:
    """Load a framework by shipped id (``ncpi-2014``) or by the path of a YAML file."""
    text = str(ref)
    path = Path(text)
    if _names_a_file(path):
        if not path.is_file():
            raise UsageError(f"framework file not found: {path}")
        return _note_shadowing(load_framework_file(path), path)
    shipped = data_dir("frameworks") / f"{text}.yaml"
    if shipped.is_file():
        return load_framework_file(shipped)
    known = ", ".join(sorted(p.stem for p in data_dir("frameworks").glob("*.yaml")))
    raise UsageError(
        f"unknown framework {text!r}",
        details=(f"shipped frameworks: {known}", "or give the path of a framework .yaml file"),
    )


def framework_file(ref: str | Path) -> Path | None:
    """The file a framework reference reads: the path given, or a shipped id's file
    (None for an unknown id). Outputs must never replace it."""
    path = Path(str(ref))
    if _names_a_file(path):
        return path
    shipped = data_dir("frameworks") / f"{ref}.yaml"
    return shipped if shipped.is_file() else None


def _names_a_file(path: Path) -> bool:
    """A reference is a path when it looks like a framework file or exists; else an id."""
    return path.suffix.lower() in (".yaml", ".yml") or path.exists()


_MAX_YAML_NODES = 200_000
# libyaml's safe loader when PyYAML was built with it (several times faster), else Python's.
_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _note_shadowing(fw: Framework, path: Path) -> Framework:
    """Record when a local file claims a shipped framework's id but differs from it:
    reports would otherwise name the shipped framework for other rules."""
    shipped = data_dir("frameworks") / f"{fw.id}.yaml"
    local = source_of(fw)
    if local is None or not shipped.is_file() or path.resolve() == shipped.resolve():
        return fw
    if hashlib.sha256(shipped.read_bytes()).hexdigest() == local.sha256:
        return fw
    original = load_framework_file(shipped)
    if original.model_dump() == fw.model_dump():
        return fw  # the same rules, written differently (comments, spacing)
    same = "and version " if original.version == fw.version else ""
    note = (
        f"framework file {path.name} has the id {same}of the shipped framework "
        f"{fw.id} {original.version} but different rules; reports name {fw.id} "
        f"{fw.version}, and their provenance this file's SHA-256"
    )
    remember_source(fw, FrameworkSource(local.file, local.sha256, False, note))
    return fw


_PARSED: dict[tuple[str, str, bool], Framework] = {}
_PARSED_MAX = 16


def load_framework_file(path: Path) -> Framework:
    """Parse and check one framework file; every problem is named by key path and line.
    The SHA-256 of the bytes read is kept for provenance (:func:`source_of`).

    The bytes are read every time; the same bytes from a file of the same name are
    parsed once per process (frameworks are frozen, so sharing one is safe)."""
    try:
        data_bytes = path.read_bytes()
    except OSError as exc:
        raise FrameworkError(f"{path}: cannot read framework file ({exc})") from None
    shipped = path.resolve().parent == data_dir("frameworks").resolve()
    digest = hashlib.sha256(data_bytes).hexdigest()
    key = (digest, path.name, shipped)
    if key not in _PARSED:
        if len(_PARSED) >= _PARSED_MAX:
            del _PARSED[next(iter(_PARSED))]
        _PARSED[key] = _parse(path, data_bytes, FrameworkSource(path.name, digest, shipped))
    return _PARSED[key]


def _parse(path: Path, data_bytes: bytes, source: FrameworkSource) -> Framework:
    try:
        text = data_bytes.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FrameworkError(f"{path}: cannot read framework file ({exc})") from None
    try:
        node = yaml.compose(text, Loader=_LOADER)
    except yaml.YAMLError as exc:
        raise FrameworkError(f"{path}: not valid YAML", details=(str(exc),)) from None
    if node is None:
        raise FrameworkError(f"{path}: framework file is empty")
    _check_node_graph(node, path)
    data = yaml.load(text, Loader=_LOADER)  # a safe loader (libyaml or pure Python)
    if not isinstance(data, dict):
        raise FrameworkError(f"{path}: expected a mapping of keys at the top of the file")
    try:
        framework = Framework.model_validate(data)
    except ValidationError as exc:
        details = _explain_validation(node, exc)
        raise FrameworkError(
            f"{path}: {len(details)} problem(s) in framework file", details=details
        ) from None
    problems = [_describe(node, loc, msg) for loc, msg in check_references(framework)]
    if problems:
        raise FrameworkError(
            f"{path}: {len(problems)} problem(s) in framework file", details=tuple(problems)
        )
    remember_source(framework, source)
    return framework


def _check_node_graph(root: yaml.Node, path: Path) -> None:
    """Refuse alias cycles and alias blow-ups before anything builds Python objects."""
    seen = 0
    on_path: set[int] = set()

    def walk(node: yaml.Node, keys: tuple[Any, ...]) -> None:
        nonlocal seen
        seen += 1
        if seen > _MAX_YAML_NODES:
            raise FrameworkError(
                f"{path}: framework file expands to more than {_MAX_YAML_NODES:,} values "
                "(anchors and aliases repeated too often)"
            )
        if id(node) in on_path:
            raise FrameworkError(
                f"{path}: a cycle: the value at {format_loc(keys)} (line "
                f"{node.start_mark.line + 1}) contains itself through a YAML alias"
            )
        if isinstance(node, yaml.MappingNode):
            on_path.add(id(node))
            for key, value in node.value:
                walk(value, (*keys, key.value))
            on_path.discard(id(node))
        elif isinstance(node, yaml.SequenceNode):
            on_path.add(id(node))
            for i, item in enumerate(node.value):
                walk(item, (*keys, i))
            on_path.discard(id(node))

    walk(root, ())


def _line_of(node: yaml.Node, loc: Iterable[Any]) -> int | None:
    """The 1-based line of the deepest YAML node that ``loc`` reaches."""
    current = node
    for part in loc:
        if isinstance(current, yaml.MappingNode):
            match = [v for k, v in current.value if k.value == part]
            if not match:
                break
            current = match[0]
        elif isinstance(current, yaml.SequenceNode) and isinstance(part, int):
            if part >= len(current.value):
                break
            current = current.value[part]
        else:
            break
    return int(current.start_mark.line) + 1


def _describe(node: yaml.Node, loc: Iterable[Any], msg: str) -> str:
    parts = tuple(loc)
    return f"{format_loc(parts)} (line {_line_of(node, parts)}): {msg}"


def _explain_validation(node: yaml.Node, exc: ValidationError) -> tuple[str, ...]:
    """pydantic's errors in an author's terms; knock-on 'too short' errors are dropped."""
    errors = exc.errors()
    locs = [tuple(e["loc"]) for e in errors]
    out = []
    for err, loc in zip(errors, locs, strict=True):
        if err["type"] == "too_short" and any(
            other[: len(loc)] == loc and other != loc for other in locs
        ):
            continue  # the list is short only because one of its items was invalid
        found = err.get("input")
        msg = err["msg"]
        if err["type"] == "extra_forbidden":
            msg = f"unknown key {loc[-1]!r}" + _did_you_mean(node, loc)
        elif isinstance(found, bool):
            msg += f"; found {found!r} (YAML reads bare yes/no/on/off as true/false: quote it)"
        elif found is not None and not isinstance(found, dict | list):
            msg += f"; found {found!r}"[:120]
        out.append(_describe(node, loc, msg))
    return tuple(out)


def _did_you_mean(node: yaml.Node, loc: tuple[Any, ...]) -> str:
    import difflib

    model: type[BaseModel] = Framework
    for part in loc[:-1]:
        if isinstance(part, int):
            continue
        info = model.model_fields.get(str(part))
        inner = _model_in(info.annotation) if info else None
        if inner is None:
            return ""
        model = inner
    close = difflib.get_close_matches(str(loc[-1]), list(model.model_fields), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _model_in(annotation: Any) -> type[BaseModel] | None:
    """The model class inside an annotation such as ``tuple[Stage, ...] | None``."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _model_in(arg)
        if found is not None:
            return found
    return None

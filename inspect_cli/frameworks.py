"""Assessment frameworks: YAML files loaded and checked into frozen models.

A framework holds everything the scorer and the loader need to know about an
inspectorate's criteria: response scales, stages and indicators, areas of
practice, the case-grade vocabulary and the scoring rules. Rules are data; the
scorer in ``score.py`` interprets them. Nothing in a framework file is executed.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from fractions import Fraction
from functools import cached_property
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from inspect_cli.errors import FrameworkError, UsageError
from inspect_cli.resources import data_dir

GRADES: tuple[str, ...] = ("good", "adequate", "inadequate")
"""The three reporting grades, best first. Every computed grade is one of these."""

Grade = Literal["good", "adequate", "inadequate"]
Id = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)]
Label = Annotated[str, Field(min_length=1, max_length=200)]
Percent = Annotated[float, Field(ge=0, le=100)]

RESERVED_STAGE_COLUMNS = ("grade", "score", "comment")
"""Suffixes the tool uses for per-stage columns, so no indicator may take them as its id."""

SCHEMA_FILE = "framework.schema.json"


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Response(_Model):
    """One answer on a response scale."""

    id: Id
    label: Label
    aliases: tuple[str, ...] = Field(default=(), description="Other spellings accepted on input.")
    score: Percent | None = Field(
        default=None,
        description="Points out of 100 this answer earns. Default: evenly spaced, best 100, worst 0.",
    )


class Scale(_Model):
    """An ordered set of answers, best first, plus an optional 'not applicable' answer."""

    id: Id
    label: Label
    responses: tuple[Response, ...] = Field(min_length=2, description="Best first, worst last.")
    not_applicable: Response | None = Field(
        default=None, description="The answer meaning the indicator does not apply to the case."
    )

    def scores(self) -> tuple[float, ...]:
        """Points for each response, best first (declared, or evenly spaced 100 → 0)."""
        n = len(self.responses)
        return tuple(
            r.score if r.score is not None else 100.0 * (n - 1 - i) / (n - 1)
            for i, r in enumerate(self.responses)
        )

    @property
    def best(self) -> Response:
        return self.responses[0]

    @property
    def worst(self) -> Response:
        return self.responses[-1]

    @property
    def middle(self) -> Response:
        return self.responses[(len(self.responses) - 1) // 2]


class Indicator(_Model):
    """A question asked of every case at one stage of the child's journey."""

    id: Id = Field(description="Unique within its stage; the full id is '<stage>.<indicator>'.")
    label: Label = Field(description="Short heading, used as the workbook column header.")
    text: str = Field(default="", description="Full guidance shown to auditors.")
    scale: Id | None = Field(default=None, description="Scale id; default: the framework's.")
    weight: float = Field(default=1.0, gt=0, le=100)
    limiting: bool = Field(
        default=False, description="The worst answer caps the stage at the stage rule's cap."
    )
    theme: str | None = Field(default=None, description="Recommendation theme it points to.")


class Stage(_Model):
    """A stage of the child's journey, with its indicators."""

    id: Id
    label: Label
    description: str = ""
    weight: float = Field(default=1.0, gt=0, le=100)
    required_for_areas: tuple[Id, ...] = Field(
        default=(), description="Areas of practice for which this stage must be answered."
    )
    indicators: tuple[Indicator, ...] = Field(min_length=1)


class AreaOfPractice(_Model):
    id: Id
    label: Label
    aliases: tuple[str, ...] = ()


class ForceTopic(_Model):
    """A topic judged for the force as a whole (from interviews, documents and the
    self-assessment), not case by case: e.g. leadership, partnership working."""

    id: Id
    label: Label
    description: str = ""
    scale: Id | None = Field(
        default=None, description="Scale of its grades; default: the framework's."
    )


class CaseGrade(_Model):
    """A word auditors use for a case conclusion, and the reporting grade it counts as."""

    id: Id
    label: Label
    aliases: tuple[str, ...] = ()
    counts_as: Grade


class Thresholds(_Model):
    """Lowest score (out of 100) that earns each grade; below 'adequate' is inadequate."""

    good: Percent
    adequate: Percent


class StageRule(_Model):
    thresholds: Thresholds
    limiting_cap: Grade = Field(
        default="inadequate",
        description="Grade a stage is capped at when a limiting indicator gets its worst answer.",
    )


class StageCountCap(_Model):
    """When at least ``at_least`` applicable stages are graded ``grade`` or worse,
    the case grade is at most ``cap``."""

    rule: Literal["stages_at_or_below"]
    grade: Grade
    at_least: int = Field(ge=1)
    cap: Grade


class CaseRule(_Model):
    combine: Literal["mean_of_stages", "worst_stage"] = Field(
        description="mean_of_stages: weighted mean of stage scores, then thresholds; "
        "worst_stage: the case takes its worst stage grade."
    )
    thresholds: Thresholds
    caps: tuple[StageCountCap, ...] = ()


class Scoring(_Model):
    stage: StageRule
    case: CaseRule


class Reporting(_Model):
    serious_concern_inadequate_share: Annotated[
        str, Field(pattern=r"^\s*(\d+\s*/\s*[1-9]\d*|0?\.\d+|0|1)\s*$")
    ] = Field(
        default="1/3",
        description="A force whose inadequate share is MORE than this (a fraction such as "
        "'1/3' or a decimal such as '0.4') is flagged as a serious cause for concern.",
    )

    @property
    def serious_concern_share(self) -> Fraction:
        """Exact, so 'more than a third' is not upset by rounding."""
        return Fraction(self.serious_concern_inadequate_share.replace(" ", ""))


class Framework(_Model):
    """A whole assessment framework, as written in a framework YAML file."""

    schema_version: Literal[1] = 1
    id: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9._-]*$", max_length=64)]
    version: Annotated[str, Field(min_length=1, max_length=40)]
    title: Label
    publisher: str = ""
    description: str = ""
    overall_question: str = ""
    default_scale: Id
    scales: tuple[Scale, ...] = Field(min_length=1)
    case_grades: tuple[CaseGrade, ...] = Field(min_length=3)
    areas_of_practice: tuple[AreaOfPractice, ...] = Field(min_length=1)
    stages: tuple[Stage, ...] = Field(min_length=1)
    scoring: Scoring
    reporting: Reporting = Reporting()
    force_topics: tuple[ForceTopic, ...] = Field(
        default=(), description="Topics graded for the force as a whole, not per case."
    )
    comment_expected_for: tuple[Id, ...] = Field(
        default=(),
        description="Answers (response ids) that call for the stage's comment to be filled in; "
        "moderation reports how often a self-assessment left it empty.",
    )

    # Derived lookups. Cached on the instance: the model is frozen, so they never go stale.
    @cached_property
    def scale_by_id(self) -> dict[str, Scale]:
        return {s.id: s for s in self.scales}

    def scale_of(self, indicator: Indicator) -> Scale:
        return self.scale_by_id[indicator.scale or self.default_scale]

    @cached_property
    def indicators(self) -> tuple[IndicatorRef, ...]:
        """Every indicator with its stage and full id, in framework order."""
        return tuple(
            IndicatorRef(f"{stage.id}.{ind.id}", stage, ind, self.scale_of(ind))
            for stage in self.stages
            for ind in stage.indicators
        )

    @cached_property
    def area_by_id(self) -> dict[str, AreaOfPractice]:
        return {a.id: a for a in self.areas_of_practice}

    @cached_property
    def grade_by_id(self) -> dict[str, CaseGrade]:
        return {g.id: g for g in self.case_grades}


@dataclass(frozen=True)
class IndicatorRef:
    """An indicator together with where it sits: its full id, stage and scale."""

    full_id: str
    stage: Stage
    indicator: Indicator
    scale: Scale


@dataclass(frozen=True)
class FrameworkInfo:
    id: str
    version: str
    title: str
    path: Path


# --------------------------------------------------------------------------- loading


def normalise_text(value: str) -> str:
    """Fold a header or answer for matching: case, NBSP, curly quotes, surrounding and repeated spaces."""
    text = value.replace("\u00a0", " ").replace("\u2019", "'").replace("\u2018", "'")
    return " ".join(text.split()).casefold()


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
    if path.suffix.lower() in (".yaml", ".yml") or path.exists():
        if not path.is_file():
            raise UsageError(f"framework file not found: {path}")
        return load_framework_file(path)
    shipped = data_dir("frameworks") / f"{text}.yaml"
    if shipped.is_file():
        return load_framework_file(shipped)
    known = ", ".join(sorted(p.stem for p in data_dir("frameworks").glob("*.yaml")))
    raise UsageError(
        f"unknown framework {text!r}",
        details=(f"shipped frameworks: {known}", "or give the path of a framework .yaml file"),
    )


_MAX_YAML_NODES = 200_000
# libyaml's safe loader when PyYAML was built with it (several times faster), else Python's.
_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_framework_file(path: Path) -> Framework:
    """Parse and check one framework file; every problem is named by key path and line."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
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


def format_loc(loc: Iterable[Any]) -> str:
    """('stages', 2, 'indicators', 0, 'weight') → 'stages[2].indicators[0].weight'."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out or "(top level)"


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


def check_references(fw: Framework) -> list[tuple[tuple[Any, ...], str]]:
    """Checks that need the whole file: unique ids, known references, sound rules."""
    problems: list[tuple[tuple[Any, ...], str]] = []

    def dupes(items: Iterable[tuple[tuple[Any, ...], str]], what: str) -> None:
        seen: dict[str, tuple[Any, ...]] = {}
        for loc, key in items:
            if key in seen:
                problems.append(
                    (loc, f"duplicate {what} {key!r} (also at {format_loc(seen[key])})")
                )
            else:
                seen[key] = loc

    dupes(((("scales", i, "id"), s.id) for i, s in enumerate(fw.scales)), "scale id")
    dupes(
        ((("areas_of_practice", i, "id"), a.id) for i, a in enumerate(fw.areas_of_practice)),
        "area id",
    )
    dupes(((("case_grades", i, "id"), g.id) for i, g in enumerate(fw.case_grades)), "grade id")
    scale_ids = {s.id for s in fw.scales}
    if fw.default_scale not in scale_ids:
        problems.append((("default_scale",), f"no scale with id {fw.default_scale!r}"))
    area_ids = {a.id for a in fw.areas_of_practice}
    for si, stage in enumerate(fw.stages):
        dupes(
            (
                (("stages", si, "indicators", ii, "id"), ind.id)
                for ii, ind in enumerate(stage.indicators)
            ),
            f"indicator id in stage {stage.id!r}:",
        )
        for ai, area in enumerate(stage.required_for_areas):
            if area not in area_ids:
                problems.append(
                    (("stages", si, "required_for_areas", ai), f"no area of practice {area!r}")
                )
        for ii, ind in enumerate(stage.indicators):
            loc = ("stages", si, "indicators", ii)
            if ind.id in RESERVED_STAGE_COLUMNS:
                problems.append(
                    ((*loc, "id"), f"{ind.id!r} is reserved for the stage's own column")
                )
            if ind.scale is not None and ind.scale not in scale_ids:
                known = ", ".join(sorted(scale_ids))
                problems.append(((*loc, "scale"), f"no scale {ind.scale!r} (scales: {known})"))
    for i, scale in enumerate(fw.scales):
        problems.extend(_check_scale(("scales", i), scale))
    response_ids = {r.id for s in fw.scales for r in s.responses}
    for i, rid in enumerate(fw.comment_expected_for):
        if rid not in response_ids:
            problems.append(
                (("comment_expected_for", i), f"no answer with id {rid!r} in any scale")
            )
    for i, topic in enumerate(fw.force_topics):
        if topic.scale is not None and topic.scale not in scale_ids:
            problems.append((("force_topics", i, "scale"), f"no scale {topic.scale!r}"))
    dupes(
        (
            *((("stages", i, "id"), s.id) for i, s in enumerate(fw.stages)),
            *((("force_topics", i, "id"), t.id) for i, t in enumerate(fw.force_topics)),
        ),
        "stage or force topic id",
    )
    counted = {g.counts_as for g in fw.case_grades}
    for grade in GRADES:
        if grade not in counted:
            problems.append((("case_grades",), f"no case grade counts as {grade!r}"))
    dupes(
        (
            (("case_grades", i), word)
            for i, g in enumerate(fw.case_grades)
            for word in {normalise_text(w) for w in response_words(g)}
        ),
        "case grade word",
    )
    dupes(
        (
            (("areas_of_practice", i), word)
            for i, a in enumerate(fw.areas_of_practice)
            for word in {normalise_text(w) for w in response_words(a)}
        ),
        "area of practice word",
    )
    for key, rule in (("stage", fw.scoring.stage), ("case", fw.scoring.case)):
        t = rule.thresholds
        if t.good <= t.adequate:
            problems.append(
                (("scoring", key, "thresholds"), "'good' must be higher than 'adequate'")
            )
    problems.extend(_check_labels(fw))
    return problems


def _check_scale(loc: tuple[Any, ...], scale: Scale) -> Iterator[tuple[tuple[Any, ...], str]]:
    scores = scale.scores()
    if any(a < b for a, b in itertools.pairwise(scores)):
        yield ((*loc, "responses"), "scores must not rise from best to worst")
    if scores[0] <= scores[-1]:
        yield ((*loc, "responses"), "the best answer must score more than the worst")
    seen: dict[str, str] = {}
    answers = [*scale.responses, *([scale.not_applicable] if scale.not_applicable else [])]
    for response in answers:
        for word in {normalise_text(w) for w in response_words(response)}:
            if word in seen and seen[word] != response.id:
                yield (
                    (*loc, "responses"),
                    f"{word!r} would mean both {seen[word]!r} and {response.id!r}",
                )
            seen[word] = response.id


def response_words(response: Response | AreaOfPractice | CaseGrade) -> tuple[str, ...]:
    """Every spelling that names an answer: id, id with spaces, label and aliases."""
    return (response.id, response.id.replace("_", " "), response.label, *response.aliases)


def _check_labels(fw: Framework) -> Iterator[tuple[tuple[Any, ...], str]]:
    """Column headers are matched by id or label, so no two may fold to the same text."""
    from inspect_cli.fields import standard_fields

    seen: dict[str, str] = {}
    for field in standard_fields(fw):
        for word in {normalise_text(field.id), normalise_text(field.label)}:
            seen.setdefault(word, field.id)
    for si, stage in enumerate(fw.stages):
        for ii, ind in enumerate(stage.indicators):
            full = f"{stage.id}.{ind.id}"
            for word in {normalise_text(full), normalise_text(ind.label)}:
                if word in seen and seen[word] != full:
                    yield (
                        ("stages", si, "indicators", ii, "label"),
                        f"column header {word!r} would match both {seen[word]!r} and {full!r}",
                    )
                seen[word] = full


# --------------------------------------------------------------------------- export


def framework_to_dict(fw: Framework) -> dict[str, Any]:
    """The public JSON shape of ``frameworks show --format json`` (a contract: only extend)."""
    return {
        "id": fw.id,
        "version": fw.version,
        "title": fw.title,
        "publisher": fw.publisher,
        "description": fw.description,
        "overall_question": fw.overall_question,
        "case_grades": [
            {"id": g.id, "label": g.label, "aliases": list(g.aliases), "counts_as": g.counts_as}
            for g in fw.case_grades
        ],
        "reporting_grades": list(GRADES),
        "areas_of_practice": [a.label for a in fw.areas_of_practice],
        "areas_of_practice_detail": [
            {"id": a.id, "label": a.label, "aliases": list(a.aliases)} for a in fw.areas_of_practice
        ],
        "scales": [
            {
                "id": s.id,
                "label": s.label,
                "responses": [r.label for r in s.responses],
                "scores": list(s.scores()),
                "not_applicable": s.not_applicable.label if s.not_applicable else None,
            }
            for s in fw.scales
        ],
        "stages": [
            {
                "id": stage.id,
                "label": stage.label,
                "description": stage.description,
                "weight": stage.weight,
                "required_for_areas": list(stage.required_for_areas),
                "indicators": [
                    {
                        "id": ref.full_id,
                        "label": ref.indicator.label,
                        "text": ref.indicator.text,
                        "scale": ref.scale.id,
                        "responses": [
                            *(r.label for r in ref.scale.responses),
                            *([ref.scale.not_applicable.label] if ref.scale.not_applicable else []),
                        ],
                        "limiting": ref.indicator.limiting,
                        "weight": ref.indicator.weight,
                        "theme": ref.indicator.theme,
                    }
                    for ref in fw.indicators
                    if ref.stage.id == stage.id
                ],
            }
            for stage in fw.stages
        ],
        "force_topics": [
            {
                "id": t.id,
                "label": t.label,
                "description": t.description,
                "scale": t.scale or fw.default_scale,
            }
            for t in fw.force_topics
        ],
        "scoring": fw.scoring.model_dump(mode="json"),
        "reporting": fw.reporting.model_dump(mode="json"),
    }


def json_schema() -> dict[str, Any]:
    """JSON Schema for framework files, for editors (shipped as ``frameworks/framework.schema.json``,
    written with keys sorted)."""
    schema = Framework.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "inspect-cli framework file"
    return schema

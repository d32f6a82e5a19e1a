"""The frameworks stage: YAML framework files loaded and checked into frozen models.

A framework holds everything the scorer and the loader need to know about an
inspectorate's criteria: response scales, stages and indicators, areas of
practice, the case-grade vocabulary and the scoring rules. Rules are data; the
scorer in ``score.py`` interprets them. Nothing in a framework file is executed.

- :mod:`~inspect_cli.frameworks.models`: the frozen pydantic models and grade words.
- :mod:`~inspect_cli.frameworks.checks`: checks that need the whole framework.
- :mod:`~inspect_cli.frameworks.resolve`: loading files, shipped frameworks by id.
- :mod:`~inspect_cli.frameworks.export`: the public JSON shape and the JSON Schema.
"""

from __future__ import annotations

from inspect_cli.frameworks.checks import check_references, format_loc
from inspect_cli.frameworks.export import SCHEMA_FILE, framework_to_dict, json_schema
from inspect_cli.frameworks.models import (
    GRADES,
    RESERVED_STAGE_COLUMNS,
    AreaOfPractice,
    CaseGrade,
    CaseRule,
    ForceTopic,
    Framework,
    FrameworkInfo,
    Grade,
    Id,
    Indicator,
    IndicatorRef,
    Label,
    Percent,
    ReferralReason,
    Reporting,
    Response,
    Scale,
    Scoring,
    Stage,
    StageCountCap,
    StageRule,
    Thresholds,
    normalise_text,
    response_words,
)
from inspect_cli.frameworks.resolve import (
    framework_file,
    load_framework_file,
    resolve_framework,
    shipped_frameworks,
)

__all__ = [
    "GRADES",
    "RESERVED_STAGE_COLUMNS",
    "SCHEMA_FILE",
    "AreaOfPractice",
    "CaseGrade",
    "CaseRule",
    "ForceTopic",
    "Framework",
    "FrameworkInfo",
    "Grade",
    "Id",
    "Indicator",
    "IndicatorRef",
    "Label",
    "Percent",
    "ReferralReason",
    "Reporting",
    "Response",
    "Scale",
    "Scoring",
    "Stage",
    "StageCountCap",
    "StageRule",
    "Thresholds",
    "check_references",
    "format_loc",
    "framework_file",
    "framework_to_dict",
    "json_schema",
    "load_framework_file",
    "normalise_text",
    "resolve_framework",
    "response_words",
    "shipped_frameworks",
]

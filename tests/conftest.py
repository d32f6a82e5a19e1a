from __future__ import annotations

import functools
import gc
import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from typer.testing import Result

from inspect_cli.frameworks import Framework, resolve_framework

# The CLI's rich consoles fix their width from COLUMNS when first imported; tests set it
# for each run (tests/helpers/cli.py), so an inherited one (pytest-xdist's workers have
# COLUMNS=80) must not freeze it and wrap the messages the tests look for.
os.environ.pop("COLUMNS", None)
# As inspect_cli.cli.main sets for a run: one OpenBLAS thread (two xdist workers on two
# cores would otherwise start four).
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "sample_cases"


def pytest_collection_finish(session: pytest.Session) -> None:
    """The collector's settings of a run (inspect_cli.cli.main), for the whole session:
    what collection imported (pandas, pyarrow, hypothesis, every test module) is frozen
    out of the collector's walks, and its first generation is larger. The suite makes
    far more objects than one run; at the default threshold the collector re-walked
    them thousands of times (about 8 % of the suite's time)."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(50_000, 20, 20)


@pytest.fixture(scope="session", autouse=True)
def one_click_command() -> Iterator[None]:
    """typer rebuilds the click command from the app on every invoke (about 15 ms); the
    suite's thousands of in-process runs share one (no test changes the app)."""
    import typer.testing

    build = typer.testing._get_command
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(typer.testing, "_get_command", functools.cache(build))
        yield


@pytest.fixture(scope="session")
def fw() -> Framework:
    return resolve_framework("ncpi-2014")


# Property tests: a quick profile for every run, a long one for campaigns
# (HYPOTHESIS_PROFILE=long pytest tests/test_score.py).
settings.register_profile(
    "default",
    deadline=None,
    max_examples=40,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "long", deadline=None, max_examples=2000, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


@pytest.fixture(scope="session")
def sample_scored(fw: Framework) -> object:
    """The bundled sample cases, loaded and scored once per test session."""
    from inspect_cli.load import load_cases
    from inspect_cli.score import score_cases

    return score_cases(load_cases([SAMPLES], fw))


@pytest.fixture(scope="session")
def fixed_provenance(sample_scored: object) -> object:
    """Provenance with a fixed time, so rendered reports can be compared with golden files."""
    from dataclasses import replace

    from inspect_cli.provenance import provenance_for

    result = sample_scored
    prov = provenance_for(result.framework, result.load, {"audit_type": "inspector"})  # type: ignore[attr-defined]
    return replace(prov, created="2026-01-01T00:00:00+00:00", tool_version="0.0.test")


@pytest.fixture(scope="session")
def thematic(sample_scored: object, fixed_provenance: object) -> object:
    from inspect_cli.reports.thematic import thematic_report

    return thematic_report(sample_scored, fixed_provenance, grade_source="recorded")  # type: ignore[arg-type]


@pytest.fixture(scope="session")
def force_c(sample_scored: object, fixed_provenance: object) -> object:
    from inspect_cli.reports.force import force_report

    # The framework's suggested grades: the rendering tests' figures are those.
    return force_report(sample_scored, fixed_provenance, "Force C", grade_source="computed")  # type: ignore[arg-type]


@pytest.fixture
def cli() -> Callable[..., Result]:
    """``cli("score", path, ...)`` runs the command line in process (tests/helpers/cli.py)."""
    from tests.helpers.cli import invoke

    return invoke

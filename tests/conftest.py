from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from inspect_cli.frameworks import Framework, resolve_framework

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "sample_cases"


@pytest.fixture(scope="session")
def fw() -> Framework:
    return resolve_framework("ncpi-2014")


# Property tests: a quick profile for every run, a long one for campaigns
# (HYPOTHESIS_PROFILE=long pytest tests/test_score.py).
settings.register_profile(
    "default", deadline=None, max_examples=40, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "long", deadline=None, max_examples=2000, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

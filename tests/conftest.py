"""Shared fixtures: the seed article and a rules-only configuration."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import os

import pytest
from hypothesis import HealthCheck, settings

from qa.config import Config

# Property tests (tests/test_fuzz_properties.py): a bounded profile for CI (well under 3 minutes on two
# shared cores) and a long one for a deliberate search: HYPOTHESIS_PROFILE=long python -m pytest tests/test_fuzz_properties.py
_SLOW_OK = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture]
settings.register_profile("ci", max_examples=200, deadline=None, suppress_health_check=_SLOW_OK, derandomize=True)
settings.register_profile("long", max_examples=5000, deadline=None, suppress_health_check=_SLOW_OK)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

DATA = Path(__file__).parent / "data"


@pytest.fixture
def rules_only() -> Config:
    """Rules and code checks only: no model, no LanguageTool, no network."""
    return Config().switched(embeddings=False, languagetool=False)


@pytest.fixture
def seed_path() -> Path:
    """The real garbled article."""
    return DATA / "biden-kishida.txt"


@pytest.fixture
def seed_gold() -> list[dict[str, Any]]:
    """Hand-marked garbled spans of the seed (offsets into the whole file)."""
    spans: list[dict[str, Any]] = json.loads((DATA / "biden-kishida.gold.json").read_text())["spans"]
    return spans

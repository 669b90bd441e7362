"""Shared fixtures: the seed article and a rules-only configuration."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from qa.config import Config

DATA = Path(__file__).parent / "data"


@pytest.fixture
def rules_only() -> Config:
    """Rules and code checks only: no model, no LanguageTool, no network."""
    return Config(embeddings=False, languagetool="off")


@pytest.fixture
def seed_path() -> Path:
    """The real garbled article."""
    return DATA / "biden-kishida.txt"


@pytest.fixture
def seed_gold() -> list[dict[str, Any]]:
    """Hand-marked garbled spans of the seed (offsets into the whole file)."""
    spans: list[dict[str, Any]] = json.loads((DATA / "biden-kishida.gold.json").read_text())["spans"]
    return spans

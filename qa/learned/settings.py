"""Settings of the learned damage tagger, read from the ``learned`` section of the config."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from qa.settings import flag as true_or_false
from qa.settings import number, read_section, text, whole


@dataclass(frozen=True)
class Settings:
    """Where the weights are, batching, and optional overrides of the thresholds fitted in training."""

    weights: str | None = None  # a folder with head.pt and card.json (relative to the config file); None is the shipped tagger
    batch_size: int = 32  # sentences per forward pass
    flag: float | None = None  # P(damage) a word needs to be flagged (default: the card's)
    major: float | None = None  # P(damage) that makes a span major (default: the card's)
    max_words: int = 3  # longest span reported as one finding
    suggestions: bool = True  # try mined substitutions on flagged spans
    newsroom_table: str | None = None  # `qa learn`'s TSV (relative to the config file): its pairs become rules, beside the shipped ones

    @classmethod
    def from_section(cls, section: Mapping[str, Any], source: str, name: str) -> Settings:
        """Validate the family's config section; errors name the field."""
        kinds = {"weights": text("a folder"), "newsroom_table": text("a file"), "batch_size": whole, "max_words": whole, "suggestions": true_or_false}
        return read_section(cls, section, name, source, kinds, number(0, 1, "a probability", open_range=True))

"""Settings of the learned damage tagger, read from the ``learned`` section of the config."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from qa.config import require_whole, section_items
from qa.errors import ConfigError


@dataclass(frozen=True)
class Settings:
    """Where the weights are, batching, and optional overrides of the thresholds fitted in training."""

    weights: str | None = None  # a folder with head.pt and card.json; None is the shipped tagger
    batch_size: int = 32  # sentences per forward pass
    flag: float | None = None  # P(damage) a word needs to be flagged (default: the card's)
    major: float | None = None  # P(damage) that makes a span major (default: the card's)
    max_words: int = 3  # longest span reported as one finding
    suggestions: bool = True  # try mined substitutions on flagged spans

    @classmethod
    def from_section(cls, section: Mapping[str, Any], source: str = "learned") -> Settings:
        """Validate a config section; errors name the field."""
        values: dict[str, Any] = {}
        for name, value, key in section_items(cls, section, "learned", source):
            if name == "weights":
                if not isinstance(value, str) or not value:
                    raise ConfigError(source, "must be a folder", key=key)
            elif name in ("batch_size", "max_words"):
                require_whole(value, source, key)
            elif name == "suggestions":
                if not isinstance(value, bool):
                    raise ConfigError(source, "must be true or false", key=key)
            elif isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value < 1:
                raise ConfigError(source, "must be a probability between 0 and 1", key=key)
            values[name] = value
        return cls(**values)

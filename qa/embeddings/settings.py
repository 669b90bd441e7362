"""Settings of the embedding checks, read from the ``embeddings`` section of the config."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from qa.settings import PRECISIONS, choice, drawn_from, number, read_section, text, whole

CHECKS = ("meant", "headline-words", "headline", "headline-quotes", "headline-claims", "coherence", "duplicates", "reference")


@dataclass(frozen=True)
class Settings:
    """Model and thresholds; similarities are cosine similarities between sentence embeddings."""

    model: str | None = None  # name or path; None is the bundled all-MiniLM-L6-v2
    batch_size: int = 32  # texts of similar token length per forward pass
    precision: str = "auto"  # float32, bfloat16, or auto (bfloat16 where the CPU has it natively)
    threads: int = 0  # torch threads; 0: one per CPU the machine's load leaves free
    checks: tuple[str, ...] = CHECKS
    meant_threshold: float = 0.05  # rewrite must be this much closer to the article than the print
    relation_threshold: float = 0.4  # a headline phrase this similar to a body phrase is tried in its place
    window: int = 3  # words either side of a candidate that go into the compared text
    top: int = 3  # the article is represented by the sentences nearest to the compared text
    headline_threshold: float = 0.3  # headline less similar than this to every body sentence
    coherence_threshold: float = 0.25  # sentence less similar than this to neighbours and article
    duplicate_threshold: float = 0.97  # two body sentences at least this similar
    reference: str | None = None  # reference file for every article (JSONL may give one each)
    align_threshold: float = 0.45  # below this a sentence has no counterpart in the reference
    drift_threshold: float = 0.7  # aligned sentences below this say something else

    @classmethod
    def from_section(cls, section: Mapping[str, Any], source: str, name: str) -> Settings:
        """Validate the family's config section; errors name the field."""
        kinds = {
            "model": text(), "reference": text(), "precision": choice(*PRECISIONS), "checks": drawn_from(CHECKS),
            "batch_size": whole, "window": whole, "top": whole, "threads": lambda value: whole(value, at_least=0),
        }
        return read_section(cls, section, name, source, kinds, number(-1, 1, "a similarity"))

    def describe(self) -> str:
        """The settings that change findings, for the report signature."""
        parts = [
            f"checks={','.join(self.checks)}",
            f"meant>={self.meant_threshold:g}/w{self.window}/top{self.top}",
            f"related>={self.relation_threshold:g}",
            f"headline<{self.headline_threshold:g}",
            f"coherence<{self.coherence_threshold:g}",
            f"dup>={self.duplicate_threshold:g}",
            f"align>={self.align_threshold:g}",
            f"drift<{self.drift_threshold:g}",
        ]
        if self.reference:
            parts.append(f"reference={self.reference}")
        return ";".join(parts)

"""A document with one embedding per sentence, shared by the embedding checks, and their findings."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from qa.model import Field, Issue, Severity
from qa.text import Document, Sentence

if TYPE_CHECKING:
    import numpy as np


@dataclass(frozen=True)
class DocVectors:
    """A segmented article and the unit-length embedding of each of its sentences (same order)."""

    doc: Document
    vectors: np.ndarray

    @property
    def sentences(self) -> tuple[Sentence, ...]:
        """The article's sentences, headline first."""
        return self.doc.sentences

    def indexes(self, field: Field) -> list[int]:
        """Positions of one field's sentences."""
        return [i for i, s in enumerate(self.doc.sentences) if s.field == field]

    def others(self, index: int, body_only: bool = False) -> np.ndarray:
        """Embeddings of every sentence but one (and without the headline when ``body_only``)."""
        import numpy as np

        keep = np.arange(len(self.doc.sentences)) != index
        if body_only:
            keep &= np.array([s.field == "body" for s in self.doc.sentences], dtype=bool)
        return np.asarray(self.vectors[keep])


def finding(
    doc: Document,
    rule: str,
    category: str,
    severity: Severity,
    message: str,
    field: Field,
    start: int,
    end: int,
    confidence: float,
    evidence: Mapping[str, Any],
    suggestions: tuple[str, ...] = (),
) -> Issue:
    """An embeddings finding with its evidence (similarities rounded for the report)."""
    rounded = {k: round(v, 3) if isinstance(v, float) else v for k, v in evidence.items()}
    return Issue(
        rule=rule,
        category=category,
        severity=severity,
        message=message,
        field=field,
        start=start,
        end=end,
        text=doc.article.text(field)[start:end],
        suggestions=suggestions,
        confidence=round(confidence, 2),
        evidence=rounded,
    )

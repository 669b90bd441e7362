"""Checks written in code, for what a YAML rule cannot say (balance, consistency, structure).

Each check declares its id, MQM category, default severity and examples next to its code, like
a YAML rule, and the same parametrized test runs its examples.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import ClassVar

from qa.model import Field, Issue, Severity
from qa.rules import Examples
from qa.text import Document


@dataclass(frozen=True)
class Hit:
    """Where a code check found something, before the engine turns it into an Issue."""

    field: Field
    start: int
    end: int
    suggestions: tuple[str, ...] = ()
    message: str | None = None


class CodeCheck:
    """Base of code checks: subclasses set the class attributes and implement ``find``."""

    id: ClassVar[str]
    category: ClassVar[str]
    severity: ClassVar[Severity]
    message: ClassVar[str]
    examples: ClassVar[Examples]
    confidence: ClassVar[float] = 0.8
    description: ClassVar[str] = ""
    pack: ClassVar[str] = "code"

    def find(self, doc: Document) -> Iterator[Hit]:
        """Yield what is wrong in the article."""
        raise NotImplementedError

    def run(self, doc: Document) -> Iterator[Issue]:
        """Turn hits into findings."""
        for hit in self.find(doc):
            yield Issue(
                rule=self.id,
                category=self.category,
                severity=self.severity,
                message=hit.message or self.message,
                field=hit.field,
                start=hit.start,
                end=hit.end,
                text=doc.article.text(hit.field)[hit.start : hit.end],
                suggestions=hit.suggestions,
                confidence=self.confidence,
                checker="rules",
            )


def code_checks() -> tuple[CodeCheck, ...]:
    """Every code check, freshly built (they hold no state between articles)."""
    from qa.checks.balance import UnbalancedBrackets, UnmatchedQuotes
    from qa.checks.consistency import HeadlineQuote, NameVariants

    return (UnmatchedQuotes(), UnbalancedBrackets(), NameVariants(), HeadlineQuote())

"""Checks written in code, for what a YAML rule cannot say (balance, consistency, structure).

Each check is a function declared with ``@code_check``: its id, MQM category, default severity,
message and examples stand above its code, like a YAML rule, and the same parametrized test runs
its examples.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

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


Find = Callable[[Document], Iterator[Hit]]


@dataclass(frozen=True)
class CodeCheck:
    """A check written in code: its rule (id, MQM category, default severity, message, examples) and ``find``."""

    id: str
    category: str
    severity: Severity
    message: str
    examples: Examples
    find: Find = field(repr=False, compare=False)
    confidence: float = 0.8
    description: str = ""
    pack: str = "code"

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


def code_check(
    id: str, category: str, severity: Severity, message: str, *, flag: tuple[str, ...], ok: tuple[str, ...]
) -> Callable[[Find], CodeCheck]:
    """Declare the function below as a code check with this rule and these examples."""

    def declare(find: Find) -> CodeCheck:
        return CodeCheck(id, category, severity, message, Examples(flag, ok), find)

    return declare


def code_checks() -> tuple[CodeCheck, ...]:
    """Every code check (they hold no state between articles)."""
    from qa.checks.balance import unbalanced_brackets, unmatched_quotes
    from qa.checks.consistency import headline_quote, name_variants
    from qa.checks.voice import narrator_person

    return (unmatched_quotes, unbalanced_brackets, name_variants, headline_quote, narrator_person)

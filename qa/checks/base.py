"""What a code check is: its declaration (``@code_check``), the hits it finds and how they become findings."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from qa.model import Examples, Field, Issue, Severity
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
            )


def code_check(
    id: str, category: str, severity: Severity, message: str, *, flag: tuple[str, ...], ok: tuple[str, ...]
) -> Callable[[Find], CodeCheck]:
    """Declare the function below as a code check with this rule and these examples."""

    def declare(find: Find) -> CodeCheck:
        return CodeCheck(id, category, severity, message, Examples(flag, ok), find)

    return declare

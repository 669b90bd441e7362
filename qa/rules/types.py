"""What a YAML rule compiles to: the rule, its examples and matches, the pack that holds it."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TypeAlias

import regex

from qa.model import Examples, Field, Issue, Severity
from qa.quotes import quoted, widened, without_unmatched
from qa.text import Document

SCOPES = ("title", "body", "text", "sentence")
MAX_FINDINGS_PER_RULE = 200  # per article: hostile floods (". " × 500,000) must not turn into 500,000 findings
KINDS = ("phrase", "substitution", "regex", "sequence")
Pattern: TypeAlias = "re.Pattern[str] | regex.Pattern[str]"
ENGINES = ("regex", "re")  # a regex rule's engine: the regex module (\p{..}, scoped flags) or the standard library's


@dataclass(frozen=True)
class Match:
    """Where a rule matched inside one piece of text, and what it suggests there."""

    start: int
    end: int
    suggestions: tuple[str, ...] = ()


Matcher = Callable[[str], Iterator[Match]]


@dataclass(frozen=True)
class Rule:
    """A data-driven rule compiled from YAML."""

    id: str
    kind: str
    category: str
    severity: Severity
    message: str
    scope: str
    examples: Examples
    matcher: Matcher = field(repr=False, compare=False)
    pack: str = ""
    confidence: float = 0.9
    description: str = ""
    swap: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # substitution rules: wrong → meant

    def run(self, doc: Document) -> Iterator[Issue]:
        """Apply the rule to a segmented article (the engine keeps the first MAX_FINDINGS_PER_RULE findings)."""
        # A matcher depends on its text alone, so a sentence repeated in an article (a flood of "a." lines) is
        # matched once; the matches are shifted to each copy's offset.
        if self.scope == "sentence":
            found = {text: matches for text in doc.sentence_texts if (matches := list(self.matcher(text)))}
            if found:
                for sentence in doc.sentences:
                    for m in found.get(sentence.text, ()):
                        yield self._issue(doc, sentence.field, sentence.start, sentence.text, m)
            return
        for name, offset, text in _scoped_texts(doc, self.scope):
            for m in self.matcher(text):
                yield self._issue(doc, name, offset, text, m)

    def _issue(self, doc: Document, name: Field, offset: int, text: str, m: Match) -> Issue:
        # a match that cuts a quotation in two ("backtrack” against") takes in the partner mark beside it
        left, right = widened(text, m.start, m.end)
        start, end = offset + left, offset + right
        before, after = text[left : m.start], text[m.end : right]
        return Issue(
            rule=self.id,
            category=self.category,
            severity=self.severity,
            message=message(self.message, text[left:right]),
            field=name,
            start=start,
            end=end,
            text=doc.article.text(name)[start:end],
            suggestions=tuple(dict.fromkeys(without_unmatched(before + s + after) for s in m.suggestions)),
            confidence=self.confidence,
        )


def message(template: str, match: str) -> str:
    """A rule's message for one match; ``“{match}”`` quotes it once, however many quotation marks it holds."""
    return template.replace("“{match}”", "{quoted}").format(match=match, quoted=quoted(match))


def capped(findings: Iterator[Issue]) -> Iterator[Issue]:
    """The first MAX_FINDINGS_PER_RULE findings of one rule on one article; the rest are not even looked for."""
    return itertools.islice(findings, MAX_FINDINGS_PER_RULE)


def _scoped_texts(doc: Document, scope: str) -> Iterator[tuple[Field, int, str]]:
    fields: dict[str, tuple[Field, ...]] = {"title": ("title",), "body": ("body",)}
    for name in fields.get(scope, ("title", "body")):
        yield name, 0, doc.article.text(name)


@dataclass(frozen=True)
class RulePack:
    """The rules of one YAML file and the hash of its content (for the report signature)."""

    name: str
    path: str
    digest: str
    rules: tuple[Rule, ...]

"""Flags one configured word: the smallest family a third party could add."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import regex

from qa.checker import BaseChecker
from qa.config import Config
from qa.errors import ConfigError
from qa.model import FIELDS, Issue, RuleInfo, Severity
from qa.registry import Family, Option
from qa.shared import Shared
from qa.text import Document

RULE = RuleInfo("toy.word", "style/unnatural", Severity.MAJOR, "The toy word.", "A word the toy family was told to flag.", "toy")


@dataclass(frozen=True)
class Settings:
    word: str = "zebra"

    @classmethod
    def from_section(cls, section: Mapping[str, Any], source: str, name: str) -> Settings:
        unknown = sorted(set(section) - {"word"})
        if unknown:
            raise ConfigError(source, "unknown setting", key=f"{name}.{unknown[0]}")
        word = section.get("word", cls.word)
        if not isinstance(word, str) or not word.isalpha():
            raise ConfigError(source, "must be one word", key=f"{name}.word")
        return cls(word)


class ToyChecker(BaseChecker):
    rank = 60

    def __init__(self, settings: Settings):
        self.pattern = regex.compile(rf"\b{regex.escape(settings.word)}\b")
        self.word = settings.word

    def check(self, docs: Sequence[Document]) -> list[list[Issue]]:
        return [
            [
                Issue(RULE.id, RULE.category, RULE.severity, f"“{m.group()}” is the toy word.", field, m.start(), m.end(), m.group())
                for field in FIELDS
                for m in self.pattern.finditer(doc.article.text(field))
            ]
            for doc in docs
        ]

    def describe(self) -> str:
        return f"word={self.word}"

    def rules(self) -> list[RuleInfo]:
        return [RULE]


def build(settings: Settings, config: Config, shared: Shared) -> ToyChecker:
    return ToyChecker(settings)


FAMILY = Family(
    summary="Flag the toy word (a test family).",
    settings=Settings,
    build=build,
    options=(Option("--toy-word", "word", "The word the toy family flags."),),
)

"""The rules family: the YAML rule packs and the code checks (``qa.checks``), always on."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from qa.checker import BaseChecker
from qa.checks import CodeCheck, code_checks
from qa.config import Config
from qa.errors import ConfigError
from qa.model import Issue, RuleInfo
from qa.registry import Family
from qa.rules import Rule, RulePack, capped, load_packs
from qa.rules.newsroom import newsroom_pack, table_path
from qa.text import Document


@dataclass(frozen=True)
class Settings:
    """Nothing of its own: the packs, switches and re-grading come from the config's ``rules:`` section."""

    @classmethod
    def from_section(cls, section: Mapping[str, Any], source: str, name: str) -> Settings:
        """The rules family has no section of its own."""
        if section:
            raise ConfigError(source, f"the {name} family takes its settings from rules: (packs, disable, severity)", key=name)
        return cls()


class RuleChecker(BaseChecker):
    """The YAML rule packs and the code checks, with the config's switches (the engine re-grades)."""

    rank = 0  # curated rules: other checkers' findings fold into theirs

    def __init__(self, config: Config, packs: Sequence[RulePack] | None = None):
        self.config = config
        self.packs = tuple(packs) if packs is not None else load_packs(config.rule_paths)
        table = table_path(config)
        if table is not None:  # beside the shipped packs, never in their place
            self.packs += (newsroom_pack(table, [r.id for p in self.packs for r in p.rules]),)
        self.active: list[Rule | CodeCheck] = [
            rule for pack in self.packs for rule in pack.rules if config.is_enabled(rule.id)
        ]
        self.active += [c for c in code_checks() if config.is_enabled(c.id)]

    def check(self, docs: Sequence[Document]) -> list[list[Issue]]:
        """Run every enabled rule on every document."""
        return [self.check_one(doc) for doc in docs]

    def check_one(self, doc: Document) -> list[Issue]:
        """Run every enabled rule on one document."""
        return [issue for rule in self.active for issue in capped(rule.run(doc))]

    def describe(self) -> str:
        """Rule pack names and content hashes."""
        return "+".join(f"{p.name}@{p.digest}" for p in self.packs)

    def rules(self) -> list[RuleInfo]:
        """Every enabled rule, with its pack (``code`` for the code checks)."""
        return [
            RuleInfo(r.id, r.category, r.severity, r.message, r.description, r.pack)
            for r in self.active
        ]


FAMILY = Family(
    summary="YAML rule packs and code checks",
    settings=Settings,
    build=lambda settings, config, shared: RuleChecker(config),
    switch=False,
    section=False,
)

"""Every rule's own examples: each 'flag' text is flagged by that rule, each 'pass' text is not."""

from __future__ import annotations

import pytest

from qa.checks import CodeCheck, code_checks
from qa.config import Config
from qa.rules.family import RuleChecker
from qa.ingest import split_txt
from qa.rules import Rule, load_packs
from qa.text import Document

ALL_RULES: list[Rule | CodeCheck] = [r for p in load_packs(Config().rule_paths) for r in p.rules]
ALL_RULES += list(code_checks())


def _flags(rule: Rule | CodeCheck, text: str) -> list[str]:
    doc = Document.from_article(split_txt(text, "example"))
    return [i.text for i in rule.run(doc)]


@pytest.mark.parametrize("rule", ALL_RULES, ids=lambda r: r.id)
def test_rule_has_examples(rule: Rule | CodeCheck) -> None:
    assert rule.examples.flag and rule.examples.ok, f"{rule.id} has no examples"


@pytest.mark.parametrize(
    ("rule", "text"),
    [(r, t) for r in ALL_RULES for t in r.examples.flag],
    ids=lambda v: v.id if hasattr(v, "id") else v[:30],
)
def test_rule_flags_its_examples(rule: Rule | CodeCheck, text: str) -> None:
    assert _flags(rule, text), f"{rule.id} should flag: {text!r}"


@pytest.mark.parametrize(
    ("rule", "text"),
    [(r, t) for r in ALL_RULES for t in r.examples.ok],
    ids=lambda v: v.id if hasattr(v, "id") else v[:30],
)
def test_rule_passes_its_examples(rule: Rule | CodeCheck, text: str) -> None:
    assert not _flags(rule, text), f"{rule.id} should not flag: {text!r}"


def test_rule_ids_are_unique() -> None:
    ids = [r.id for r in ALL_RULES]
    assert len(ids) == len(set(ids))


def test_rule_checker_runs_every_enabled_rule() -> None:
    checker = RuleChecker(Config(disable=("lexicon.",)).switched(embeddings=False, languagetool=False))
    assert not any(r.id.startswith("lexicon.") for r in checker.rules())
    assert any(r.id.startswith("structure.") for r in checker.rules())

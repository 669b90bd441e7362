"""Rules on hostile floods: linear time, and at most MAX_FINDINGS_PER_RULE findings per rule and article."""

from __future__ import annotations

import time
from collections import Counter

import pytest

from qa.config import Config
from qa.engine import check
from qa.rules.family import RuleChecker
from qa.model import Article
from qa.rules import MAX_FINDINGS_PER_RULE

# the shapes that took minutes before (issue 12): 1 MB of each is checked in under 5 s of CPU
FLOODS = [". ", "a\n", "said. ", "the very hot talks ", "中文。", "a.\n\n", "Mr. ", ",, ", "! ", "(a ", "“x” ", "?", "."]


@pytest.fixture(scope="module")
def checker() -> RuleChecker:
    """The shipped rule packs and code checks."""
    return RuleChecker(Config().switched(embeddings=False, languagetool=False))


@pytest.mark.parametrize("unit", FLOODS)
def test_a_flood_is_checked_in_linear_time_with_bounded_findings(checker: RuleChecker, unit: str) -> None:
    body = unit * (250_000 // len(unit))
    started = time.process_time()
    report = check([Article("f", "f", "Flood", body)], checker.config, checkers=[checker])
    assert time.process_time() - started < 5  # about 1 s here; quadratic code took minutes
    (result,) = report.articles
    per_rule = Counter(i.rule for i in result.issues)
    assert all(n <= MAX_FINDINGS_PER_RULE for n in per_rule.values())
    assert all(body[i.start : i.end] == i.text for i in result.issues if i.field == "body")


def test_unless_is_still_judged_per_sentence(checker: RuleChecker) -> None:
    body = "The talks,, which were long. He said wait... then left."
    report = check([Article("u", "u", "", body)], checker.config, checkers=[checker])
    assert "punctuation.doubled" in {i.rule for i in report.articles[0].issues}

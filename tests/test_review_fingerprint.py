"""Finding identity: article key + rule + normalised text, surviving moved offsets."""

from __future__ import annotations

from dataclasses import replace

from qa.engine import check
from qa.model import Article, Issue, Severity
from qa.review.fingerprint import fingerprint, fingerprints, normalise
from tests.review_support import RULES_ONLY


def _issue(start: int, text: str, rule: str = "lexicon.x") -> Issue:
    return Issue(rule, "accuracy/mistranslation", Severity.MAJOR, "m", "body", start, start + len(text), text)


def test_normalise_unifies_quotes_dashes_case_and_spaces() -> None:
    assert normalise("  “Back  down”\u2013Against ") == normalise('"back down"-against')
    assert normalise("virtual billet") != normalise("virtual summit")


def test_same_finding_after_the_text_moved_keeps_its_fingerprint() -> None:
    before = Article("feed-1", "feed.xml", "", "Before the virtual billet, officials spoke.")
    after = replace(before, body="Late on Friday and after a long delay. " + before.body)
    (old,) = check([before], RULES_ONLY).articles[0].issues
    (new,) = [i for i in check([after], RULES_ONLY).articles[0].issues if i.rule == old.rule]
    assert new.start != old.start
    assert fingerprints(before, [old]) == fingerprints(after, [new])


def test_article_key_and_rule_are_part_of_the_identity() -> None:
    assert fingerprint("a", "r", "t") != fingerprint("b", "r", "t")
    assert fingerprint("a", "r", "t") != fingerprint("a", "s", "t")


def test_repeats_in_one_article_are_numbered_in_text_order() -> None:
    article = Article("k", "s", "", "x")
    first, second = _issue(5, "virtual billet"), _issue(50, "virtual billet")
    prints = fingerprints(article, [second, first])
    assert prints[0] != prints[1]
    assert prints == fingerprints(article, [replace(second, start=70, end=84), replace(first, start=9, end=23)])
    assert fingerprints(article, [first])[0] == prints[1]

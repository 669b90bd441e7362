"""Headline-derived checks with the real bundled model: headline words as candidates, quotations, clauses."""

from __future__ import annotations

from pathlib import Path

import pytest

from qa.config import Config
from qa.engine import check
from qa.model import Article, Issue
from qa.text import Document

OIL_TITLE = "Oil prices rise as supply fears grow"
OIL_WRONG = (  # the lede says the opposite of the headline and of the rest of the story
    "Oil prices fell sharply on Monday as fears over supply shortages grew.\n\n"
    "Brent crude climbed 4 percent to its highest level in three months.\n\n"
    "Traders said tight supply and strong demand were pushing prices higher."
)
OIL_RIGHT = (  # the same lede word, and the story bears it out
    "Oil prices fell on Monday morning before recovering later in the day.\n\n"
    "Brent crude dropped 2 percent early on, then ended the session higher.\n\n"
    "Traders said supply fears outweighed the early selling."
)


def _issues(article: Article, **section: object) -> list[Issue]:
    (result,) = check([article], Config(sections={"embeddings": dict(section)}).switched(languagetool=False)).articles
    return list(result.issues)


def _view(article: Article):  # type: ignore[no-untyped-def]
    from qa.embeddings.model import SentenceEncoder
    from qa.embeddings.vectors import DocVectors

    doc = Document.from_article(article)
    encoder = SentenceEncoder()
    return DocVectors(doc, encoder.encode([s.text for s in doc.sentences])), encoder


def _seed_article(seed_path: Path) -> Article:
    title, _, body = seed_path.read_text(encoding="utf-8").partition("\n")
    return Article("seed", str(seed_path), title.strip(), body.strip())


def test_headline_clauses_split_outside_quotations() -> None:
    from qa.embeddings.headline import clauses, quotations

    title = "Reports: 'streamlined, faster' asylum process to start; minister’s plan criticised"
    assert [c for _, _, c in clauses(title)] == [
        "Reports", "'streamlined, faster' asylum process to start", "minister’s plan criticised",
    ]
    assert [q for _, _, q in quotations("Court rules on teacher's “free speech” case")] == ["free speech"]


@pytest.mark.slow
def test_headline_word_replaces_a_lede_word_that_contradicts_the_story() -> None:
    found = [i for i in _issues(Article("oil", "t", OIL_TITLE, OIL_WRONG)) if i.rule == "embeddings.meant-phrase"]
    assert [(i.text, i.suggestions) for i in found] == [("fell", ("rise",))]
    assert found[0].evidence and found[0].evidence["candidate_source"] == "headline"
    assert found[0].evidence["gain"] >= found[0].evidence["threshold"]


@pytest.mark.slow
def test_headline_word_is_tried_but_not_flagged_where_the_body_word_is_right() -> None:
    from qa.embeddings.derived import headline_candidates

    article = Article("oil", "t", OIL_TITLE, OIL_RIGHT)
    view, encoder = _view(article)
    tried = [(c.swap.wrong, c.swap.meant) for c in headline_candidates(view, encoder, [], 0.4)]
    assert ("fell", ("rise",)) in tried
    assert not [i for i in _issues(article) if i.rule == "embeddings.meant-phrase"]
    off = _issues(Article("oil", "t", OIL_TITLE, OIL_WRONG), checks=["meant"])
    assert not [i for i in off if i.rule == "embeddings.meant-phrase"]  # the check can be switched off


@pytest.mark.slow
def test_seed_headline_words_reach_backtrack(seed_path: Path) -> None:
    from qa.embeddings.derived import headline_candidates

    view, encoder = _view(_seed_article(seed_path))
    tried = {c.swap.wrong: c.swap.meant for c in headline_candidates(view, encoder, [], 0.4)}
    assert tried.get("backtrack") == ("push back",)


@pytest.mark.slow
def test_headline_quotation_missing_from_body_is_located_at_the_matching_quote() -> None:
    from qa.embeddings.headline import check_headline_quotes

    article = Article(
        "budget", "t", "Union leader calls budget “a betrayal of workers”",
        "The finance minister presented the budget on Tuesday, calling it “necessary”.\n\n"
        "Spending on defence rises by a tenth, while the health budget is frozen.\n\n"
        "The head of the largest union said the plan was “a treachery against labourers” and promised strikes.\n\n"
        "Business groups welcomed the tax cuts as “overdue”.",
    )
    view, encoder = _view(article)
    (issue,) = check_headline_quotes(view, encoder)
    assert issue.rule == "embeddings.headline-quote"
    assert issue.text == "“a treachery against labourers”"
    assert issue.suggestions == ("“a betrayal of workers”",)
    quoted = Article(article.id, "t", article.title, article.body.replace("a treachery against labourers", "a betrayal of workers"))
    assert check_headline_quotes(*_view(quoted)) == []


@pytest.mark.slow
def test_seed_headline_quote_folds_into_the_rule_finding(seed_path: Path) -> None:
    from qa.embeddings.headline import check_headline_quotes

    article = _seed_article(seed_path)
    (issue,) = check_headline_quotes(*_view(article))
    assert (issue.text, issue.suggestions) == ("“backtrack”", ("“push back”",))
    issues = _issues(article)
    assert not [i for i in issues if i.rule == "embeddings.headline-quote"]  # not counted twice
    folded = [i for i in issues if "embeddings.headline-quote" in (i.evidence or {}).get("also", [])]
    assert len(folded) == 1 and folded[0].overlaps(issue)


@pytest.mark.slow
def test_headline_clause_no_sentence_supports() -> None:
    article = Article(
        "floods", "t", "Floods kill 12 in the north, parliament approves new tax on tobacco",
        "Heavy rain caused rivers to burst their banks across the northern provinces on Sunday.\n\n"
        "Twelve people died and hundreds were evacuated, the emergency services said.\n\n"
        "Rescue teams were still searching for three missing fishermen on Monday.",
    )
    claims = [i for i in _issues(article) if i.rule == "embeddings.unsupported-claim"]
    assert len(claims) == 1
    assert claims[0].evidence and "tobacco" in claims[0].evidence["headline_clause"]
    supported = Article(article.id, "t", article.title, article.body + "\n\nParliament also approved a new tax on tobacco.")
    assert not [i for i in _issues(supported) if i.rule == "embeddings.unsupported-claim"]

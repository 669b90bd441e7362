"""Editors' decisions in a review database as the tagger's training examples: a label for every word they decided.

Damage (1): the words of findings whose current decision is *confirm* or *fix*, and of missed-damage
marks. Clean (0): the words of dismissed findings, and every other word of a *clean* article — one
whose latest article decision is *approve*, or, not rejected, whose findings (one at least) were all
dismissed: an editor who passed the article read those words and let them stand. Any other word is undecided
(-1) and does not train the head. Damage wins where spans overlap. A finding longer than
``MAX_FINDING_WORDS`` words speaks about a sentence, not about its words, and is left out.

The article is read as the checker reads it (its latest stored version, segmented by ``qa.text``,
prose sentences only, the checker's words); one example per sentence with a decided word. A
sentence of a clean article with no damage in it is ``review/clean`` (the copy the flag threshold
must leave quiet), any other ``review/decided``.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from qa.datasets.example import Example
from qa.model import Article
from qa.text import Document, tokenize

if TYPE_CHECKING:
    from qa.review.store import Store

MAX_FINDING_WORDS = 8
UNDECIDED = -1
CLEAN_SOURCE = "review/clean"
DECIDED_SOURCE = "review/decided"
DAMAGE_ACTIONS = ("confirm", "fix")

Span = tuple[str, int, int]  # field, start, end


@dataclass(frozen=True)
class ReviewCounts:
    """What a review database gave: articles read and decided, findings and marks used or left out."""

    articles: int = 0  # articles with at least one decided word
    clean_articles: int = 0  # approved, or every finding dismissed
    confirmed: int = 0  # findings confirmed or fixed
    dismissed: int = 0
    marks: int = 0
    left_out: int = 0  # decided findings and marks longer than MAX_FINDING_WORDS or no longer at their offsets


def review_examples(store: Store) -> tuple[list[Example], ReviewCounts]:
    """One example per sentence with a decided word, articles in key order; and what was used."""
    decided_articles = store.current_article_decisions()
    findings_by_key: dict[str, list[dict[str, Any]]] = {}
    for row in store.findings_with_decisions():
        findings_by_key.setdefault(row["article_key"], []).append(row)
    marks_by_key: dict[str, list[dict[str, Any]]] = {}
    for mark in store.marks():
        marks_by_key.setdefault(mark["article_key"], []).append(mark)

    out: list[Example] = []
    totals = {"articles": 0, "clean_articles": 0, "confirmed": 0, "dismissed": 0, "marks": 0, "left_out": 0}
    for article in store.latest_articles():
        key = article["key"]
        findings = findings_by_key.get(key, [])
        damage: set[Span] = set()
        clean: set[Span] = set()
        for f in findings:
            if f["action"] not in (*DAMAGE_ACTIONS, "dismiss"):
                continue
            span = (f["field"], f["start"], f["end"])
            if span in damage or span in clean:
                continue  # the same finding stored by an earlier run
            if not _usable(article, span, f["text"]):
                totals["left_out"] += 1
                continue
            if f["action"] == "dismiss":
                clean.add(span)
                totals["dismissed"] += 1
            else:
                damage.add(span)
                totals["confirmed"] += 1
        for m in marks_by_key.get(key, []):
            span = (m["field"], m["start"], m["end"])
            if span in damage:
                continue
            if not _usable(article, span, m["text"], limit=False):
                totals["left_out"] += 1
                continue
            damage.add(span)
            totals["marks"] += 1
        latest = [f for f in findings if f["article_id"] == article["id"]]
        action = decided_articles.get(key, {}).get("action")
        whole = action == "approve" or (action != "reject" and bool(latest) and all(f["action"] == "dismiss" for f in latest))
        found = _sentences(article, damage, clean, whole)
        if found:
            totals["articles"] += 1
            totals["clean_articles"] += whole
            out += found
    return out, ReviewCounts(**totals)


def _usable(article: dict[str, Any], span: Span, text: str, limit: bool = True) -> bool:
    """Whether a decided span still covers its text in the article's latest version (and is short enough)."""
    field, start, end = span
    if field not in ("title", "body") or end <= start or article[field][start:end] != text:
        return False
    return not limit or sum(t.is_word for t in tokenize(text)) <= MAX_FINDING_WORDS


def _sentences(article: dict[str, Any], damage: set[Span], clean: set[Span], whole: bool) -> list[Example]:
    """The article's prose sentences with at least one decided word, as labelled examples."""
    doc = Document.from_article(Article(id=article["key"], source=article["source"], title=article["title"], body=article["body"]))
    found = []
    for sentence in doc.sentences:
        if not sentence.prose or not sentence.tokens:
            continue
        labels = []
        for token in sentence.tokens:
            if _overlaps(sentence.field, token.start, token.end, damage):
                labels.append(1)
            elif whole or _overlaps(sentence.field, token.start, token.end, clean):
                labels.append(0)
            else:
                labels.append(UNDECIDED)
        if all(label == UNDECIDED for label in labels):
            continue
        words = tuple((t.start - sentence.start, t.end - sentence.start) for t in sentence.tokens)
        bad = sum(label == 1 for label in labels)
        source = CLEAN_SOURCE if whole and not bad else DECIDED_SOURCE
        found.append(Example(sentence.text, words, tuple(labels), bad / len(labels), source, document=article["key"]))
    return found


def _overlaps(field: str, start: int, end: int, spans: Iterable[Span]) -> bool:
    return any(f == field and a < end and start < b for f, a, b in spans)


def split_by_article(examples: Sequence[Example], held_out: float, seed: int) -> tuple[list[Example], list[Example]]:
    """Training and held-out examples: a seeded share of the articles (at least one when there are two or more) held out whole."""
    keys = sorted({e.document for e in examples})
    random.Random(seed).shuffle(keys)
    count = round(len(keys) * held_out)
    if held_out > 0 and count == 0 and len(keys) >= 2:
        count = 1
    held = set(keys[:count])
    return [e for e in examples if e.document not in held], [e for e in examples if e.document in held]


def damage_words(examples: Iterable[Example]) -> int:
    """Words labelled damage."""
    return sum(label == 1 for e in examples for label in e.labels)


def clean_words(examples: Iterable[Example]) -> int:
    """Words labelled clean."""
    return sum(label == 0 for e in examples for label in e.labels)

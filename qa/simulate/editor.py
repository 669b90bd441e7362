"""A simulated editor: reviews checked garbled-news articles in a real review database, knowing the annotations.

It decides as a careful editor would with the annotated phrases at hand (``../shared/garbled-news``):

- a finding that overlaps an annotated phrase is confirmed, or *fixed* with what was meant when it
  covers exactly that phrase and a meaning is annotated;
- a finding on no annotated phrase is dismissed ("not damage");
- an annotated phrase no finding overlaps is marked as missed, with what was meant and its category
  (phrases across the headline and the body, or longer than a mark may be, are left alone);
- a clean article is approved, a garbled one rejected.

Each of these is one decision, stored through ``qa.review.store.Store`` like an editor's in ``qa serve``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import astuple, dataclass
from typing import Any

from qa.datasets.garbled_news import GarbledArticle, Occurrence
from qa.model import FIELDS, Field
from qa.review.marks import CATEGORIES, MAX_MARK, MissedMark
from qa.review.store import Store

EDITOR = "simulated editor"


@dataclass(frozen=True)
class Tally:
    """Decisions made so far, by kind."""

    confirmed: int = 0
    fixed: int = 0
    dismissed: int = 0
    marked: int = 0
    articles: int = 0  # approvals and rejections

    @property
    def decisions(self) -> int:
        """Every decision, whatever its kind."""
        return self.confirmed + self.fixed + self.dismissed + self.marked + self.articles

    def __add__(self, other: Tally) -> Tally:
        return Tally(*(a + b for a, b in zip(astuple(self), astuple(other))))


def _in_field(article: GarbledArticle, occurrence: Occurrence) -> tuple[Field, int, int] | None:
    """The occurrence as (field, start, end) offsets into one field, or None when it crosses fields."""
    for name in FIELDS:
        base = article.article.field_offsets.get(name)
        if base is not None and base <= occurrence.start and occurrence.end <= base + len(article.article.text(name)):
            return name, occurrence.start - base, occurrence.end - base
    return None


def review(store: Store, article_id: int, article: GarbledArticle, editor: str = EDITOR) -> Tally:
    """Decide every finding of one stored article, mark what it missed, approve or reject it."""
    spans = [(where, o) for o in article.occurrences if (where := _in_field(article, o)) is not None]
    confirmed = fixed = dismissed = 0
    covered: set[Occurrence] = set()
    for finding in store.findings(article_id):
        hits = [o for (field, start, end), o in spans if field == finding["field"] and start < finding["end"] and finding["start"] < end]
        if not hits:
            store.decide_finding(finding["id"], "dismiss", "not damage", editor)
            dismissed += 1
            continue
        covered.update(hits)
        exact = _exact(finding, spans)
        if exact is not None and exact.phrase.meant:
            store.decide_finding(finding["id"], "fix", exact.phrase.meant, editor)
            fixed += 1
        else:
            store.decide_finding(finding["id"], "confirm", "", editor)
            confirmed += 1
    marked = 0
    for (field, start, end), occurrence in spans:
        if occurrence in covered or end - start > MAX_MARK:
            continue
        phrase = occurrence.phrase
        category = phrase.category if phrase.category in CATEGORIES else "other"
        text = article.article.text(field)[start:end]
        store.mark_missed(article_id, MissedMark(field, start, end, text, phrase.meant, category), editor)
        marked += 1
    store.decide_article(article_id, "reject" if article.garbled else "approve", "", editor)
    return Tally(confirmed, fixed, dismissed, marked, 1)


def _exact(finding: dict[str, Any], spans: Iterable[tuple[tuple[Field, int, int], Occurrence]]) -> Occurrence | None:
    for (field, start, end), occurrence in spans:
        if (field, start, end) == (finding["field"], finding["start"], finding["end"]):
            return occurrence
    return None

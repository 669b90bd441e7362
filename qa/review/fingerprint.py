"""A finding's identity across re-runs: article key + rule id + normalised matched text, never offsets."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence

from qa.model import Article, Issue

_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "‘": "'", "’": "'", "‚": "'"})
_DASHES = re.compile(r"[\u2010-\u2015\u2212]")
_SPACE = re.compile(r"\s+")


def normalise(text: str) -> str:
    """The matched text reduced to what identifies it: NFKC, one kind of quote and dash, collapsed spaces."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES)
    text = _DASHES.sub("-", text)
    return _SPACE.sub(" ", text).strip().casefold()


def article_key(article: Article) -> str:
    """What names an article across runs: its id (a feed's guid or link, a file's path)."""
    url = article.metadata.get("url") if article.metadata else None
    return article.id or (str(url) if url else article.source)


def fingerprint(key: str, rule: str, text: str, occurrence: int = 0) -> str:
    """A short stable hash; ``occurrence`` tells apart the same text flagged twice by one rule."""
    parts = [key, rule, normalise(text)] + ([str(occurrence)] if occurrence else [])
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:20]


def fingerprints(article: Article, issues: Sequence[Issue]) -> list[str]:
    """The fingerprint of each finding of one article, in order (repeats numbered by position)."""
    key = article_key(article)
    seen: Counter[tuple[str, str]] = Counter()
    order = sorted(range(len(issues)), key=lambda i: (issues[i].field != "title", issues[i].start, issues[i].end))
    by_index: dict[int, str] = {}
    for i in order:
        issue = issues[i]
        ident = (issue.rule, normalise(issue.text))
        by_index[i] = fingerprint(key, issue.rule, issue.text, seen[ident])
        seen[ident] += 1
    return [by_index[i] for i in range(len(issues))]

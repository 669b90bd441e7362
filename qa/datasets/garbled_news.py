"""Garbled news (``../shared/garbled-news``, see its README): garbled and clean articles per split, every damaged
phrase annotated in ``<split>/garbled/SPANS.tsv``; and where the Wikinews clean copy lives.

A SPANS row covers every occurrence of its exact phrase in the file's text.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from qa.datasets.locations import shared_folder
from qa.errors import InputReadError
from qa.ingest.source import Unreadable, decode
from qa.ingest.txt import split_txt
from qa.model import Article

CATEGORIES = (
    "wrong-sense word",
    "literal idiom",
    "spun synonym",
    "name",
    "grammar/pronoun",
    "sentence boundary",
    "number",
    "other",
)


@dataclass(frozen=True)
class Phrase:
    """One row of ``SPANS.tsv``: a damaged phrase as printed, what was meant (may be empty), its category."""

    file: str
    phrase: str
    meant: str
    category: str


@dataclass(frozen=True)
class Occurrence:
    """Where one annotated phrase occurs in its file's text (``[start, end)``)."""

    phrase: Phrase
    start: int
    end: int


@dataclass(frozen=True)
class GarbledArticle:
    """An article of the benchmark with its file's text and, when garbled, its annotated occurrences."""

    article: Article
    text: str
    garbled: bool
    occurrences: tuple[Occurrence, ...] = ()


def default_garbled_dir() -> Path:
    """The garbled-news data: ``$QA_GARBLED_DIR``, else ``shared/garbled-news`` in the working directory or a parent."""
    found = shared_folder("QA_GARBLED_DIR", "garbled-news", "dev/garbled/SPANS.tsv")
    if found is None:
        raise InputReadError("no garbled-news data found (set QA_GARBLED_DIR or pass --data)")
    return found


def default_wikinews() -> Path | None:
    """The Wikinews clean copy in ``$QA_BENCH_DIR`` or ``shared/bench`` upward, when present."""
    name = "clean_news.wikinews.jsonl"
    folder = shared_folder("QA_BENCH_DIR", "bench", name)
    return folder / name if folder else None


def read_spans(path: Path) -> list[Phrase]:
    """The rows of a ``SPANS.tsv`` (read with quoting off: fields contain ``"``)."""
    with path.open(encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream, delimiter="\t", quoting=csv.QUOTE_NONE))
    missing = {"file", "phrase", "meant", "category"} - set(rows[0] if rows else {})
    if missing:
        raise InputReadError(f"{path}: missing columns {', '.join(sorted(missing))}")
    return [Phrase(r["file"], r["phrase"], r["meant"] or "", r["category"]) for r in rows if r["phrase"]]


def find_occurrences(text: str, phrases: Iterable[Phrase]) -> list[Occurrence]:
    """Every non-overlapping occurrence of each phrase in ``text``."""
    found = []
    for phrase in phrases:
        at = text.find(phrase.phrase)
        while at >= 0:
            found.append(Occurrence(phrase, at, at + len(phrase.phrase)))
            at = text.find(phrase.phrase, at + len(phrase.phrase))
    return found


def _read(path: Path, key: str) -> tuple[Article, str]:
    try:
        text = decode(path.read_bytes())
    except (OSError, Unreadable) as exc:
        raise InputReadError(f"{path}: {exc}") from None
    return split_txt(text, key), text


def read_garbled_split(root: Path, split: str) -> tuple[list[GarbledArticle], list[Phrase]]:
    """The garbled articles of a split (with their occurrences), then its clean ones, each in file-name
    order; and the SPANS rows whose phrase occurs nowhere in their file (an annotation typo, a missing file)."""
    folder = root / split
    spans = read_spans(folder / "garbled" / "SPANS.tsv")
    by_file: dict[str, list[Phrase]] = defaultdict(list)
    for phrase in spans:
        by_file[phrase.file].append(phrase)
    articles = []
    for kind in ("garbled", "clean"):
        for path in sorted((folder / kind).glob("*.txt")):
            article, text = _read(path, f"{split}/{kind}/{path.name}")
            occurrences = find_occurrences(text, by_file.get(path.name, ())) if kind == "garbled" else []
            articles.append(GarbledArticle(article, text, kind == "garbled", tuple(occurrences)))
    seen = {o.phrase for a in articles for o in a.occurrences}
    return articles, [p for p in spans if p not in seen]
